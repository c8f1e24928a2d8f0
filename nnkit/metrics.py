"""The metrics ``compile(metrics=[...])`` reports: accuracy, mean absolute and squared error.

Computed on rows: y as the loss takes it (one-hot rows, class numbers or values) and the network's
output h (M, K).  Each is a plain float, printed as 0.9.
"""
from __future__ import annotations

import numpy as np

from nnkit import losses

__all__ = ["METRICS", "metric"]

METRICS = ("accuracy", "acc", "mae", "mse")


def metric(name: str, loss: losses.Loss, y: np.ndarray, h: np.ndarray) -> float:
    """``name`` of output rows h (M, K) against targets y in the form of ``loss``."""
    if name == "accuracy":
        if isinstance(loss, losses.SparseCategoricalCrossentropy):
            hits = np.count_nonzero(h.argmax(axis=1) == y)
        elif isinstance(loss, losses.CategoricalCrossentropy):
            hits = np.count_nonzero(h.argmax(axis=1) == y.argmax(axis=1))
        else:
            return float(np.count_nonzero((h > 0.5) == (y > 0.5)) / h.size)
        return float(hits / len(h))
    diff = h - y
    return float(np.mean(np.abs(diff)) if name == "mae" else np.mean(diff * diff))
