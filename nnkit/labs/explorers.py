"""The numbers of the first lessons' explorers: one neuron, one activation, one loss.

    NeuronLab(w1=1.0, w2=-0.5, b=0.2, activation="sigmoid")    z = w₁x₁ + w₂x₂ + b, h = f(z)
    ActivationLab(activation="sigmoid", z=2.0)                  f(z), f′(z): active, saturated, dead
    LossLab(y=1, h=0.05)                                        MSE and cross-entropy, their dL/dz

``nnkit.widgets.explorers`` draws them and gives them sliders; each number the pictures show is
an attribute here (``lab.h``, ``lab.slope``, ``lab.losses``…).
"""
from __future__ import annotations

import numpy as np

from nnkit import activations, checks, losses
from nnkit.labs.settings import Settings

__all__ = ["NeuronLab", "ActivationLab", "LossLab", "ACTIVATION_CHOICES", "SATURATION_THRESHOLD"]

ACTIVATION_CHOICES = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
SATURATION_THRESHOLD = 0.1     # saturated: f′(z) < 0.1 · max f′ (the plots shade the same z)


class NeuronLab(Settings):
    """One neuron with two inputs, h = f(w₁x₁ + w₂x₂ + b), probed at the input x = (x₁, x₂).

    Settings: ``w1, w2, b`` (−3 … 3), ``activation`` (ACTIVATION_CHOICES), ``x1, x2`` (−3 … 3).
    """

    SETTINGS = ("w1", "w2", "b", "activation", "x1", "x2")
    RANGE = 3.0

    def __init__(self, w1: float = 1.0, w2: float = -0.5, b: float = 0.5,
                 activation: str = "sigmoid", x1: float = 1.0, x2: float = 1.0):
        self.set(w1=w1, w2=w2, b=b, activation=activation, x1=x1, x2=x2)

    def check(self, name, value):
        if name == "activation":
            return checks.one_of("activation", value, ACTIVATION_CHOICES)
        return checks.real(name, value, -self.RANGE, self.RANGE)

    @property
    def function(self) -> activations.Activation:
        return activations.get(self.activation)

    @property
    def w(self) -> np.ndarray:
        """(2,): the weights (w₁, w₂)."""
        return np.array([self.w1, self.w2])

    @property
    def x(self) -> np.ndarray:
        """(2,): the probed input (x₁, x₂)."""
        return np.array([self.x1, self.x2])

    @property
    def z(self) -> float:
        """z = w₁x₁ + w₂x₂ + b at the probed input."""
        return float(self.w @ self.x + self.b)

    @property
    def h(self) -> float:
        """h = f(z) at the probed input."""
        return float(self.function.forward(np.array([self.z]))[0])

    def output(self, x) -> np.ndarray:
        """h for inputs x: (N, 2) → (N,)."""
        x = checks.finite_array("x", x, ndim=2)
        return self.function.forward(x @ self.w + self.b)


class ActivationLab(Settings):
    """An activation f at one input z: its output, its slope and what the slope does to a gradient.

    Settings: ``activation`` (ACTIVATION_CHOICES), ``z`` (−6 … 6).
    """

    SETTINGS = ("activation", "z")
    RANGE = (-6.0, 6.0)

    def __init__(self, activation: str = "sigmoid", z: float = 4.0):
        self.set(activation=activation, z=z)

    def check(self, name, value):
        if name == "activation":
            return checks.one_of("activation", value, ACTIVATION_CHOICES)
        return checks.real("z", value, *self.RANGE)

    @property
    def function(self) -> activations.Activation:
        return activations.get(self.activation)

    @property
    def h(self) -> float:
        """f(z)."""
        return float(self.function.forward(np.array([self.z]))[0])

    @property
    def slope(self) -> float:
        """f′(z), what backprop multiplies the arriving gradient by."""
        return float(self.function.derivative(np.array([self.z]))[0])

    @property
    def peak_slope(self) -> float:
        """max f′ over −6 … 6 (0.25 for the sigmoid, 1 for tanh and ReLU)."""
        return float(self.function.derivative(np.linspace(*self.RANGE, 1201)).max())

    @property
    def dead(self) -> bool:
        """f′(z) = 0 exactly: no gradient passes at all (ReLU for z ≤ 0).  Not "saturated"."""
        return self.slope == 0.0 and self.peak_slope > 0

    @property
    def saturated(self) -> bool:
        """0 < f′(z) < 0.1 · max f′: the gradient still passes, but all but stopped."""
        return 0.0 < self.slope < SATURATION_THRESHOLD * self.peak_slope

    @property
    def verdict(self) -> str:
        """One line: dead, saturated or active, with the numbers that say so."""
        if self.dead:
            return f"dead ({'z < 0' if self.z < 0 else 'z = 0'}: output {self.h:g}, gradient 0)"
        if self.saturated:
            return (f"saturated (slope {self.slope:.2g} < {SATURATION_THRESHOLD:g} × max "
                    f"{self.peak_slope:g})")
        return f"active (slope {self.slope:.2g})"


class LossLab(Settings):
    """A target y and a prediction h (a sigmoid's output): MSE and cross-entropy, and dL/dz.

    Settings: ``y`` (0 or 1), ``h`` (0.001 … 0.999).
    """

    SETTINGS = ("y", "h")

    def __init__(self, y: int = 1, h: float = 0.1):
        self.set(y=y, h=h)

    def check(self, name, value):
        if name == "y":
            if value not in (0, 1) or isinstance(value, bool):
                raise ValueError(f"y must be the target class, 0 or 1. Received: y={value!r}.")
            return int(value)
        return checks.real("h", value, 0.001, 0.999)

    @property
    def losses(self) -> dict[str, float]:
        """{"mse": …, "crossentropy": …} for this (y, h), from nnkit.losses."""
        y, h = np.array([[float(self.y)]]), np.array([[self.h]])
        return {"mse": losses.get("mse")(y, h)[0],
                "crossentropy": losses.get("binary_crossentropy")(y, h)[0]}

    @property
    def gradients(self) -> dict[str, float]:
        """dL/dz at the sigmoid's input z for each loss (what reaches the weights)."""
        h, y = self.h, self.y
        return {"mse": 2 * (h - y) * h * (1 - h), "crossentropy": h - y}
