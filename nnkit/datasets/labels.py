"""Class labels as integers (``y: (N,)``) or as one-hot rows (``Y: (N, C)``).

A softmax output has one column per class, so cross-entropy compares it with a one-hot row:
``y = [2, 0]`` with 3 classes becomes ``[[0, 0, 1], [1, 0, 0]]``.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks

__all__ = ["to_categorical"]


def to_categorical(y, num_classes: int | None = None) -> np.ndarray:
    """One-hot encode integer labels (the Keras name).

    y: (N,) integers in ``[0, num_classes)``.
    num_classes: the number of columns C; None → ``max(y) + 1``.
    Returns Y: (N, C) float64 with ``Y[n, y[n]] = 1`` and zeros elsewhere.
    """
    y = checks.finite_array("y", y, ndim=1, allow_empty=True)
    if not np.all(np.equal(np.mod(y, 1), 0)):
        raise ValueError(f"y must hold whole-number class labels (0, 1, 2, …). Received values "
                         f"such as {y[:5].tolist()}. For scores, take y = scores.argmax(axis=1) "
                         f"first.")
    y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise ValueError(f"y must hold class labels ≥ 0. Received a label {int(y.min())}.")
    needed = int(y.max()) + 1 if y.size else 1
    num_classes = checks.positive_int("num_classes", num_classes, allow_none=True)
    if num_classes is None:
        num_classes = needed
    elif num_classes < needed:
        raise ValueError(f"num_classes must exceed the largest label. Received: "
                         f"num_classes={num_classes} with a label {needed - 1} in y. "
                         f"Pass num_classes={needed} or more, or leave it as None.")
    Y = np.zeros((y.size, num_classes))
    Y[np.arange(y.size), y] = 1.0
    return Y
