"""Loss functions L(y, h): how far the network's output h is from the target y (lesson §3.2).

Every loss is the mean over samples and returns the pair ``(L, dh)`` — the number and its
gradient dL/dh, which starts the backward pass.  Shapes: ``h: (N, K)``; ``y`` the same, or ``(N,)``
integer labels for the sparse loss.

* mse                             L = mean((h - y)²)                      dh = 2 (h - y) / (N K)
* binary_crossentropy             L = -mean(y log h + (1 - y) log(1 - h))
* categorical_crossentropy        L = -mean_n Σ_k y_k log h_k              (y one-hot)
* sparse_categorical_crossentropy the same with y given as class numbers

**Fused gradients.** After a softmax (or sigmoid) output layer, the chain rule through the
activation and the cross-entropy collapses to

    dz = (h - y) / N          (z: the layer's input to softmax, the "logits")

``with_logits(y, z)`` computes the loss straight from z (log-sum-exp, never log(0)) and this dz,
so training stays finite even for logits of ±1000.

**from_logits=True** (Keras's spelling, PyTorch's habit): the model ends with a linear layer and
the loss applies the softmax/sigmoid itself, through the same ``with_logits``.

**Weights per sample** (``fit(sample_weight=…, class_weight=…)``): ``per_row(y, h)`` gives each
row's own loss l_n, and the weighted loss is ``mean_n(w_n l_n)`` (Keras's reduction), whose
gradient is the unweighted one with row n scaled by w_n.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.keras_names import refuse

__all__ = ["Loss", "MeanSquaredError", "BinaryCrossentropy", "CategoricalCrossentropy",
           "SparseCategoricalCrossentropy", "get", "LOSSES"]

EPSILON = 1e-7   # probabilities are clipped to [ε, 1-ε] when a loss gets h rather than logits


class Loss:
    """Base class: ``__call__(y, h) -> (L, dh)``; ``with_logits(y, z) -> (L, dz)`` if fused."""

    name = "loss"
    fused_activation: str | None = None   # the output activation this loss fuses with

    def __init__(self, from_logits: bool = False, **kwargs):
        refuse(type(self).__name__, kwargs)
        self.from_logits = checks.boolean("from_logits", from_logits)
        if self.from_logits and self.fused_activation is None:
            raise ValueError(f"from_logits=True is for the cross-entropy losses; {self.name} "
                             "compares the output itself. Received: from_logits=True.")

    def per_row(self, y: np.ndarray, out: np.ndarray, logits: bool = False) -> np.ndarray:
        """Each row's loss l_n (M,) for output rows ``out``: h, or z if ``logits``."""
        raise NotImplementedError

    def __call__(self, y: np.ndarray, h: np.ndarray) -> tuple[float, np.ndarray]:
        raise NotImplementedError

    def with_logits(self, y: np.ndarray, z: np.ndarray) -> tuple[float, np.ndarray]:
        raise NotImplementedError

    def check_targets(self, y: np.ndarray, units: int) -> np.ndarray:
        """Validate targets for an output of ``units`` values; return them shaped (N, units) or (N,)."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({'from_logits=True' if self.from_logits else ''})"


def _columns(y, units, loss_name):
    y = np.asarray(y, dtype=float)
    if y.ndim == 1 and units == 1:
        y = y[:, None]
    if y.ndim < 2 or y.shape[-1] != units:
        raise ValueError(f"y has shape {y.shape}, but the model's output has {units} value(s) per "
                         f"sample, so {loss_name} needs y of shape (N, {units}).")
    return y


class MeanSquaredError(Loss):
    """L = mean((h - y)²) over samples and outputs; for regression."""

    name = "mse"

    def __call__(self, y, h):
        diff = h - y
        return float(np.mean(diff * diff)), (2.0 / diff.size) * diff

    def per_row(self, y, out, logits=False):
        return np.mean((out - y) ** 2, axis=1)

    def check_targets(self, y, units):
        return _columns(y, units, self.name)


class BinaryCrossentropy(Loss):
    """L = -mean(y log h + (1 - y) log(1 - h)); y ∈ {0, 1} (or probabilities), h = sigmoid(z)."""

    name = "binary_crossentropy"
    fused_activation = "sigmoid"

    def __call__(self, y, h):
        h = np.clip(h, EPSILON, 1 - EPSILON)
        L = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
        return float(L), (h - y) / (h * (1 - h)) / h.size

    def with_logits(self, y, z):
        # -[y log σ(z) + (1-y) log(1-σ(z))] = max(z, 0) - z y + log(1 + e^(-|z|))
        L = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
        h = 0.5 * (1 + np.tanh(0.5 * z))               # σ(z) without overflow
        return float(L), (h - y) / z.size

    def per_row(self, y, out, logits=False):
        if logits:
            return np.mean(np.maximum(out, 0) - out * y + np.log1p(np.exp(-np.abs(out))), axis=1)
        h = np.clip(out, EPSILON, 1 - EPSILON)
        return -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h), axis=1)

    def check_targets(self, y, units):
        y = _columns(y, units, self.name)
        if y.min() < 0 or y.max() > 1:
            raise ValueError(f"binary_crossentropy needs targets between 0 and 1; y holds values "
                             f"from {y.min():g} to {y.max():g}. For more than two classes use "
                             f"sparse_categorical_crossentropy with a softmax output.")
        return y


class CategoricalCrossentropy(Loss):
    """L = -mean_n Σ_k y_nk log h_nk, y one-hot (N, K), h = softmax(z)."""

    name = "categorical_crossentropy"
    fused_activation = "softmax"

    def __call__(self, y, h):
        h = np.clip(h, EPSILON, 1 - EPSILON)
        N = h.shape[0]
        return float(-np.sum(y * np.log(h)) / N), -(y / h) / N

    def with_logits(self, y, z):
        N = z.shape[0]
        shifted = z - z.max(axis=1, keepdims=True)         # the same softmax, and exp stays finite
        e = np.exp(shifted)
        total = e.sum(axis=1, keepdims=True)
        # log h_k = shifted_k - log Σ_j e_j, and each row of y sums to 1:
        L = (np.log(total).sum() - np.vdot(y, shifted)) / N
        dz = e
        dz /= total                                        # h = softmax(z)
        dz -= y
        dz *= 1.0 / N                                      # dz = (h - y) / N
        return float(L), dz

    @staticmethod
    def _log_h(out, logits):
        if not logits:
            return np.log(np.clip(out, EPSILON, 1 - EPSILON))
        shifted = out - out.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

    def per_row(self, y, out, logits=False):
        return -np.sum(y * self._log_h(out, logits), axis=1)

    def check_targets(self, y, units):
        y = np.asarray(y)
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1 and units > 1):
            raise ValueError(
                f"categorical_crossentropy needs one-hot targets of shape (N, {units}), but y has "
                f"shape {y.shape} (class numbers). Either use "
                f"loss='sparse_categorical_crossentropy', or one-hot encode y with "
                f"nnkit.utils.to_categorical(y, {units}).")
        y = _columns(y, units, self.name)
        if y.min() < 0 or y.max() > 1 or not np.allclose(y.sum(axis=1), 1, atol=1e-3):
            raise ValueError("categorical_crossentropy needs each row of y to be a probability "
                             "distribution (one-hot: a single 1, the rest 0).")
        return y


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical cross-entropy with y as class numbers (N,) in 0 … K-1."""

    name = "sparse_categorical_crossentropy"

    def __call__(self, y, h):
        return super().__call__(self._one_hot(y, h.shape[1]), h)

    def with_logits(self, y, z):
        N = z.shape[0]
        shifted = z - z.max(axis=1, keepdims=True)
        log_h = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        dz = np.exp(log_h)
        rows = np.arange(N)
        L = -log_h[rows, y].sum() / N
        dz[rows, y] -= 1.0
        dz /= N
        return float(L), dz

    def per_row(self, y, out, logits=False):
        return -self._log_h(out, logits)[np.arange(len(y)), y]

    @staticmethod
    def _one_hot(y, K):
        out = np.zeros((len(y), K))
        out[np.arange(len(y)), y] = 1.0
        return out

    def check_targets(self, y, units):
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == units and units > 1:
            raise ValueError(
                f"sparse_categorical_crossentropy needs class numbers of shape (N,), but y has "
                f"shape {y.shape} (looks one-hot). Either use loss='categorical_crossentropy', or "
                f"pass y.argmax(axis=1).")
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(f"sparse_categorical_crossentropy needs y of shape (N,). "
                             f"Received shape {y.shape}.")
        if not np.all(np.equal(np.mod(y, 1), 0)):
            raise ValueError("sparse_categorical_crossentropy needs whole class numbers 0 … "
                             f"{units - 1}; y holds fractions.")
        y = y.astype(np.intp)
        if y.min() < 0 or y.max() >= units:
            raise ValueError(f"y holds class numbers from {y.min()} to {y.max()}, but the output "
                             f"layer has {units} unit(s), so classes must be 0 … {units - 1}. "
                             f"Give the last Dense layer {y.max() + 1} units.")
        return y


LOSSES = {cls.name: cls for cls in (MeanSquaredError, BinaryCrossentropy,
                                    CategoricalCrossentropy, SparseCategoricalCrossentropy)}
_ALIASES = {"mean_squared_error": "mse", "bce": "binary_crossentropy",
            "crossentropy": "categorical_crossentropy"}


def get(loss) -> Loss:
    """Resolve a loss name (``"categorical_crossentropy"``, ``"mse"`` …) or a Loss object."""
    if isinstance(loss, type) and issubclass(loss, Loss):
        raise TypeError(f"loss={loss.__name__} is the class; give an object, "
                        f"loss={loss.__name__}() (or loss={loss.name!r}).")
    if isinstance(loss, str) and loss.lower() in _ALIASES:
        loss = _ALIASES[loss.lower()]
    return checks.lookup("loss", loss, LOSSES, Loss)
