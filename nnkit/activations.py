"""Activation functions f and their derivatives, looked up by name.

The lesson's layer is ``h = f(z)`` with ``z = x @ W + b``.  Each activation knows

* ``forward(z) -> h``            the function itself, elementwise (softmax: along the last axis);
* ``backward(dout, z, h) -> dz`` the chain rule ``dL/dz = dL/dh · dh/dz`` for a batch;
* ``derivative(z) -> dh/dz``     elementwise, for plots (not defined for softmax).

Where it is simpler the derivative is written from the output ``h`` (sigmoid: ``h (1 - h)``,
tanh: ``1 - h²``), as in the lesson.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks

__all__ = ["Activation", "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "get", "ACTIVATIONS",
           "linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]


class Activation:
    """Base class. Subclasses implement ``forward`` and ``backward``."""

    name = "activation"

    def forward(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        """dL/dz from dL/dh (``dout``), the input ``z`` and the output ``h`` — all of one shape."""
        raise NotImplementedError

    def derivative(self, z: np.ndarray) -> np.ndarray:
        """Elementwise dh/dz at ``z``."""
        z = np.asarray(z, dtype=float)
        return self.backward(np.ones_like(z), z, self.forward(z))

    def __call__(self, z):
        """``f(z)`` for a number, a list or an array (integers are taken as floats)."""
        z = np.asarray(z)
        return self.forward(z if z.dtype.kind == "f" else z.astype(float))

    def get_config(self) -> dict:
        return {"name": self.name}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Linear(Activation):
    """f(z) = z, f'(z) = 1."""

    name = "linear"

    def forward(self, z):
        return z

    def backward(self, dout, z, h):
        return dout


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(-z)),  σ'(z) = h (1 - h)."""

    name = "sigmoid"

    def forward(self, z):
        # exp of a large positive number overflows; split by sign so both halves stay finite
        out = np.empty_like(z, dtype=np.result_type(z, np.float32))
        pos = z >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
        ez = np.exp(z[~pos])
        out[~pos] = ez / (1.0 + ez)
        return out

    def backward(self, dout, z, h):
        return dout * h * (1.0 - h)


class Tanh(Activation):
    """tanh(z),  tanh'(z) = 1 - h²."""

    name = "tanh"

    def forward(self, z):
        return np.tanh(z)

    def backward(self, dout, z, h):
        return dout * (1.0 - h * h)


class ReLU(Activation):
    """max(0, z),  derivative 1 where z > 0, else 0."""

    name = "relu"

    def forward(self, z):
        return np.maximum(z, 0)

    def backward(self, dout, z, h):
        return dout * (z > 0)


class LeakyReLU(Activation):
    """z if z > 0 else α z  (α = ``negative_slope``, 0.2 as in Keras)."""

    name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.2):
        self.negative_slope = checks.non_negative_float("negative_slope", negative_slope)

    def forward(self, z):
        return np.where(z > 0, z, self.negative_slope * z)

    def backward(self, dout, z, h):
        return dout * np.where(z > 0, 1.0, self.negative_slope)

    def get_config(self):
        return {"name": self.name, "negative_slope": self.negative_slope}

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class Softmax(Activation):
    """softmax(z)_k = e^(z_k) / Σ_j e^(z_j) along the last axis (probabilities summing to 1)."""

    name = "softmax"

    def forward(self, z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))   # shifting by the max keeps exp finite
        return e / e.sum(axis=-1, keepdims=True)

    def backward(self, dout, z, h):
        # Jacobian-vector product: dz_k = h_k (dout_k - Σ_j dout_j h_j)
        return h * (dout - (dout * h).sum(axis=-1, keepdims=True))

    def derivative(self, z):
        raise ValueError("softmax has no elementwise derivative: each output depends on every "
                         "input. Use backward(dout, z, h) for the Jacobian-vector product.")


ACTIVATIONS = {cls.name: cls for cls in (Linear, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax)}

# Keras-style function names: ``Dense(8, activation=nnkit.activations.relu)``; each is also a
# function, ``relu([-1, 2]) -> array([0., 2.])``.
linear, sigmoid, tanh, relu, leaky_relu, softmax = (
    Linear(), Sigmoid(), Tanh(), ReLU(), LeakyReLU(), Softmax())


def get(activation) -> Activation:
    """Resolve a name (``"relu"``), ``None`` (linear) or an Activation object to an Activation."""
    if activation is None:
        return Linear()
    if callable(activation) and not isinstance(activation, (type, Activation)):
        name = getattr(activation, "__name__", "").lower()
        if name in ACTIVATIONS:                       # e.g. keras.activations.relu by mistake
            return ACTIVATIONS[name]()
        raise TypeError(
            f"activation={activation!r} is a function nnkit cannot differentiate: Keras works "
            f"out derivatives itself, nnkit's layers need each activation's backward pass. Use "
            f"a name ({', '.join(repr(k) for k in sorted(ACTIVATIONS))}), one of nnkit.activations."
            f"relu, sigmoid, …, or a subclass of nnkit.activations.Activation with forward and "
            f"backward.")
    return checks.lookup("activation", activation, ACTIVATIONS, Activation)


def from_config(config: dict) -> Activation:
    config = dict(config)
    cls = ACTIVATIONS[config.pop("name")]
    return cls(**config)
