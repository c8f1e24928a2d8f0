"""Optimizers: how a gradient becomes a weight update (lesson §3.3).

Plain gradient descent is ``W_new = W_old - α ∇L``, with α the learning rate.  Each optimizer
here works on *all* of a model's parameters at once: the model keeps every weight as a view into
one flat vector ``theta`` and every gradient in one flat ``grad``, so an update is a handful of
whole-array operations however many layers there are.

Update rules (as in Keras 3; t counts steps from 1):

* SGD            θ ← θ - α g
* momentum       v ← μ v - α g;   θ ← θ + v               (nesterov: θ ← θ + μ v - α g)
* RMSprop        s ← ρ s + (1 - ρ) g²;   θ ← θ - α g / sqrt(s + ε)
* Adam           m ← β₁ m + (1 - β₁) g;   v ← β₂ v + (1 - β₂) g²
                 α_t = α sqrt(1 - β₂ᵗ) / (1 - β₁ᵗ);   θ ← θ - α_t m / (sqrt(v) + ε)

Clipping happens before the update: ``clipvalue`` clips each gradient entry to ±c; ``clipnorm``
rescales each weight's gradient whose L2 norm exceeds c; ``global_clipnorm`` does the same for
all gradients together.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.keras_names import refuse

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "get", "OPTIMIZERS"]


class Optimizer:
    """Base class: validated hyper-parameters, gradient clipping and the step counter."""

    name = "optimizer"

    def __init__(self, learning_rate: float = 0.01, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, **kwargs):
        refuse(type(self).__name__, kwargs)          # e.g. SGD(lr=0.01): "call it learning_rate"
        self.learning_rate = learning_rate
        self.clipnorm = None if clipnorm is None else checks.positive_float("clipnorm", clipnorm)
        self.clipvalue = None if clipvalue is None else checks.positive_float("clipvalue", clipvalue)
        self.global_clipnorm = (None if global_clipnorm is None
                                else checks.positive_float("global_clipnorm", global_clipnorm))
        self.iterations = 0
        self._sizes: list[int] = []
        self._slots: dict[str, np.ndarray] = {}           # allocated by build

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = checks.positive_float(
            "learning_rate", value, hint=" Typical values are 0.001 to 0.1.")

    # ---- state ----------------------------------------------------------------------------------
    def build(self, sizes: list[int], dtype=np.float64) -> None:
        """Allocate the optimizer's slots for parameters of the given sizes (one per weight)."""
        self._sizes = list(sizes)
        self.iterations = 0
        n = int(sum(sizes))
        self._tmp = np.zeros(n, dtype=dtype)
        self._slots = {name: np.zeros(n, dtype=dtype) for name in self.slot_names}
        if self.clipnorm is not None:
            self._starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)

    slot_names: tuple[str, ...] = ()

    def get_state(self) -> dict[str, np.ndarray]:
        return {"iterations": np.array(self.iterations)} | dict(self._slots)

    def set_state(self, state: dict) -> None:
        self.iterations = int(state["iterations"])
        for name in self.slot_names:
            self._slots[name][...] = state[name]

    # ---- the step -------------------------------------------------------------------------------
    def apply(self, theta: np.ndarray, grad: np.ndarray) -> None:
        """One update of ``theta`` (flat) in place from ``grad`` (flat, clipped in place)."""
        if self.clipvalue is not None:
            np.clip(grad, -self.clipvalue, self.clipvalue, out=grad)
        if self.clipnorm is not None:
            sq = np.add.reduceat(grad * grad, self._starts)         # ‖g‖² per weight
            scale = np.minimum(1.0, self.clipnorm / np.maximum(np.sqrt(sq), 1e-12))
            grad *= np.repeat(scale, self._sizes)
        if self.global_clipnorm is not None:
            norm = float(np.sqrt(np.dot(grad, grad)))
            if norm > self.global_clipnorm:
                grad *= self.global_clipnorm / norm
        self.iterations += 1
        self._update(theta, grad)

    def _update(self, theta, grad) -> None:
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name, "learning_rate": self.learning_rate, "clipnorm": self.clipnorm,
                "clipvalue": self.clipvalue, "global_clipnorm": self.global_clipnorm}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items()
                         if k != "name" and v is not None)
        return f"{type(self).__name__}({args})"


class SGD(Optimizer):
    """Gradient descent, optionally with momentum μ (and Nesterov's look-ahead)."""

    name = "sgd"

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 **clipping):
        self.momentum = checks.fraction("momentum", momentum)
        self.nesterov = checks.boolean("nesterov", nesterov)
        super().__init__(learning_rate, **clipping)

    @property
    def slot_names(self):
        return ("velocity",) if self.momentum else ()

    def _update(self, theta, grad):
        lr, tmp = self.learning_rate, self._tmp
        if not self.momentum:
            np.multiply(grad, lr, out=tmp)
            theta -= tmp                                   # θ ← θ - α g
            return
        v = self._slots["velocity"]
        np.multiply(grad, lr, out=tmp)
        v *= self.momentum
        v -= tmp                                           # v ← μ v - α g
        if self.nesterov:
            np.multiply(v, self.momentum, out=tmp)
            np.subtract(tmp, grad * lr, out=tmp)
            theta += tmp                                   # θ ← θ + μ v - α g
        else:
            theta += v                                     # θ ← θ + v

    def get_config(self):
        return super().get_config() | {"momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """Divide each step by a running root-mean-square of recent gradients."""

    name = "rmsprop"
    slot_names = ("velocity",)

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, epsilon: float = 1e-7,
                 **clipping):
        self.rho = checks.fraction("rho", rho)
        self.epsilon = checks.positive_float("epsilon", epsilon)
        super().__init__(learning_rate, **clipping)

    def _update(self, theta, grad):
        s, tmp = self._slots["velocity"], self._tmp
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - self.rho
        s *= self.rho
        s += tmp                                           # s ← ρ s + (1 - ρ) g²
        np.add(s, self.epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(grad, tmp, out=tmp)
        tmp *= self.learning_rate
        theta -= tmp                                       # θ ← θ - α g / sqrt(s + ε)

    def get_config(self):
        return super().get_config() | {"rho": self.rho, "epsilon": self.epsilon}


class Adam(Optimizer):
    """Adaptive moments: momentum (m) divided by a running RMS (sqrt v), bias-corrected."""

    name = "adam"
    slot_names = ("m", "v")

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, **clipping):
        self.beta_1 = checks.fraction("beta_1", beta_1)
        self.beta_2 = checks.fraction("beta_2", beta_2)
        self.epsilon = checks.positive_float("epsilon", epsilon)
        super().__init__(learning_rate, **clipping)

    def _update(self, theta, grad):
        m, v, tmp = self._slots["m"], self._slots["v"], self._tmp
        b1, b2, t = self.beta_1, self.beta_2, self.iterations
        np.multiply(grad, 1.0 - b1, out=tmp)
        m *= b1
        m += tmp                                           # m ← β₁ m + (1 - β₁) g
        np.multiply(grad, grad, out=tmp)
        tmp *= 1.0 - b2
        v *= b2
        v += tmp                                           # v ← β₂ v + (1 - β₂) g²
        alpha_t = self.learning_rate * (1.0 - b2 ** t) ** 0.5 / (1.0 - b1 ** t)
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= alpha_t
        theta -= tmp                                       # θ ← θ - α_t m / (sqrt(v) + ε)

    def get_config(self):
        return super().get_config() | {"beta_1": self.beta_1, "beta_2": self.beta_2,
                                       "epsilon": self.epsilon}


OPTIMIZERS = {cls.name: cls for cls in (SGD, RMSprop, Adam)}


def get(optimizer) -> Optimizer:
    """Resolve ``"adam"``, ``"sgd"``, ``"rmsprop"`` (Keras defaults) or an Optimizer object."""
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        raise TypeError(f"optimizer={optimizer.__name__} is the class; give an object, e.g. "
                        f"optimizer={optimizer.__name__}(learning_rate=0.01).")
    return checks.lookup("optimizer", optimizer, OPTIMIZERS, Optimizer)


def from_config(config: dict) -> Optimizer:
    config = dict(config)
    cls = OPTIMIZERS[config.pop("name")]
    return cls(**config)
