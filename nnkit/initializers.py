"""Initial weights. Every initializer draws from a NumPy ``Generator`` so a seed fixes the network.

For a weight matrix ``W: (fan_in, fan_out)`` (for a convolution kernel (k_h, k_w, C, F), as in
Keras: fan_in = k_h·k_w·C and fan_out = k_h·k_w·F):

* glorot_uniform (Keras's default): U(-l, l) with l = sqrt(6 / (fan_in + fan_out));
* he_normal: N(0, 2 / fan_in) truncated at 2 standard deviations, suited to ReLU;
* random_normal: N(0, 0.05²);
* zeros / ones.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks

__all__ = ["get", "INITIALIZERS"]


def _fans(shape: tuple) -> tuple[int, int]:
    """fan_in, fan_out of a (fan_in, fan_out) matrix (recurrent (H, 4H) the same rule), or of a
    convolution kernel (*window, C, F): the window's size times C and times F (Keras's rule)."""
    if len(shape) == 1:
        return shape[0], shape[0]
    window = int(np.prod(shape[:-2]))
    return window * shape[-2], window * shape[-1]


def glorot_uniform(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    fan_in, fan_out = _fans(shape)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def he_normal(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    fan_in, _ = _fans(shape)
    std = np.sqrt(2.0 / fan_in) / 0.87962566103423978   # Keras: truncated normal's std correction
    w = rng.normal(0.0, std, size=shape)
    bad = np.abs(w) > 2 * std
    while bad.any():                                    # redraw outside ±2 std (truncation)
        w[bad] = rng.normal(0.0, std, size=int(bad.sum()))
        bad = np.abs(w) > 2 * std
    return w


def random_normal(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, 0.05, size=shape)


def zeros(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    return np.zeros(shape)


def ones(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    return np.ones(shape)


def orthogonal(shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """A matrix with orthonormal columns (rows if wider): Keras's default for recurrent weights."""
    rows, cols = shape[0], int(np.prod(shape[1:]))
    a = rng.normal(size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))
    return np.ascontiguousarray((q if rows >= cols else q.T).reshape(shape))   # C order, like the rest


INITIALIZERS = {f.__name__: f for f in (glorot_uniform, he_normal, random_normal, zeros, ones, orthogonal)}


def get(initializer):
    """Resolve a name (``"he_normal"``) or a callable ``(shape, rng) -> array``."""
    if callable(initializer):
        return initializer
    if isinstance(initializer, str):
        if initializer.lower() not in INITIALIZERS:
            checks.one_of("kernel_initializer", initializer, sorted(INITIALIZERS))
        return INITIALIZERS[initializer.lower()]
    raise TypeError(f"kernel_initializer must be a name ({', '.join(sorted(INITIALIZERS))}) or a "
                    f"function (shape, rng) -> array. Received: {initializer!r}.")


def name_of(initializer) -> str:
    for name, f in INITIALIZERS.items():
        if f is initializer:
            return name
    raise ValueError("a custom initializer function cannot be saved; use a named initializer.")
