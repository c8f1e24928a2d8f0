"""The metrics ``compile(metrics=[...])`` reports, by their Keras names.

* accuracy family: ``"accuracy"`` (``"acc"``) picks the kind from the loss, as Keras does;
  ``"binary_accuracy"`` (h > 0.5 against y > 0.5), ``"categorical_accuracy"`` (argmax against
  argmax of one-hot y), ``"sparse_categorical_accuracy"`` (argmax against class numbers);
* ``"mae"`` / ``"mean_absolute_error"``, ``"mse"`` / ``"mean_squared_error"``,
  ``"mape"`` / ``"mean_absolute_percentage_error"`` (100 · mean |h - y| / max(|y|, ε)).

Computed on rows: y as the loss takes it (one-hot rows, class numbers or values) and the network's
output h (M, K) as probabilities (a ``from_logits`` loss's logits are turned into probabilities
first).  Each is a plain float.  History keys are the names as given (``"acc"`` → ``"accuracy"``).
"""
from __future__ import annotations

import numpy as np

from nnkit import checks, losses

__all__ = ["METRICS", "metric", "check"]

ACCURACIES = ("accuracy", "binary_accuracy", "categorical_accuracy",
              "sparse_categorical_accuracy")
ERRORS = {"mae": "mae", "mean_absolute_error": "mae", "mse": "mse", "mean_squared_error": "mse",
          "mape": "mape", "mean_absolute_percentage_error": "mape"}
METRICS = ACCURACIES + ("acc",) + tuple(ERRORS)
EPSILON = 1e-7


def check(names, loss: losses.Loss) -> list[str]:
    """``compile``'s metrics checked against the loss; returns the History keys."""
    if isinstance(names, str):
        names = [names]
    out = []
    for m in list(names or []):
        if not isinstance(m, str):
            raise TypeError(f"metrics must be names such as 'accuracy' or 'mae'. Keras also takes "
                            f"metric objects; nnkit, on purpose, only the names "
                            f"({', '.join(METRICS)}). Received: {m!r}.")
        checks.one_of("metric", m.lower(), list(METRICS))
        m = "accuracy" if m.lower() == "acc" else m.lower()
        if m in ACCURACIES and isinstance(loss, losses.MeanSquaredError):
            raise ValueError(f"metrics=[{m!r}] needs a classification loss; with loss='mse' "
                             "(regression) use metrics=['mae'].")
        out.append(m)
    return out


def metric(name: str, loss: losses.Loss, y: np.ndarray, h: np.ndarray) -> float:
    """``name`` of output rows h (M, K) against targets y in the form of ``loss``."""
    if name in ACCURACIES:
        if name == "accuracy":
            name = ("sparse_categorical_accuracy"
                    if isinstance(loss, losses.SparseCategoricalCrossentropy)
                    else "categorical_accuracy"
                    if isinstance(loss, losses.CategoricalCrossentropy) else "binary_accuracy")
        if name == "binary_accuracy":
            return float(np.count_nonzero((h > 0.5) == (y > 0.5)) / h.size)
        if y.ndim == 1:                                  # class numbers
            truth = y
        elif y.shape[1] == 1:                            # one column of 0/1
            return float(np.count_nonzero((h > 0.5) == (y > 0.5)) / h.size)
        else:
            truth = y.argmax(axis=1)
        return float(np.count_nonzero(h.argmax(axis=1) == truth) / len(h))
    if y.ndim == 1:                                      # class numbers: compare with one-hot
        y = losses.SparseCategoricalCrossentropy._one_hot(y, h.shape[1])
    diff = h - y
    kind = ERRORS[name]
    if kind == "mae":
        return float(np.mean(np.abs(diff)))
    if kind == "mse":
        return float(np.mean(diff * diff))
    return float(100.0 * np.mean(np.abs(diff) / np.maximum(np.abs(y), EPSILON)))
