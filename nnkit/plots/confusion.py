"""The confusion matrix: how often each true class (row) is predicted as each class (column).

Drawn by scikit-learn's ``ConfusionMatrixDisplay`` — the same picture learners will meet
there — with nnkit's projector-size fonts and white → blue colours.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

from nnkit import checks
from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new, label_axes
from nnkit.plots.fonts import figure_text

if TYPE_CHECKING:
    from sklearn.metrics import ConfusionMatrixDisplay

__all__ = ["confusion_matrix", "ConfusionMatrixArtists"]

NORMALIZE = (None, "true", "pred", "all")


@dataclass
class ConfusionMatrixArtists(Picture):
    """What ``confusion_matrix`` drew."""

    ax: Axes
    image: AxesImage
    texts: np.ndarray                   # (K, K) Text objects, one per cell
    matrix: np.ndarray                  # (K, K) the counts (or fractions) shown
    display: ConfusionMatrixDisplay     # scikit-learn's object, for anything else


def confusion_matrix(ax: Axes | None, y_true: np.ndarray, y_pred: np.ndarray, labels=None,
                     normalize: str | None = None, *, display_labels=None,
                     title: str = "") -> ConfusionMatrixArtists:
    """Draw the confusion matrix of predictions ``y_pred`` (N,) against labels ``y_true`` (N,).

    ax:        the Axes to draw on, or None for a new figure.
    labels:    the classes to show, in order (default: all that occur).
    normalize: None (counts), "true" (each row sums to 1: recall per class),
               "pred" (each column sums to 1: precision) or "all".
    display_labels: names printed on the axes instead of the labels, e.g. iris species.
    One-hot (N, K) rows or probabilities are turned into class indices with argmax.
    """
    # imported here, not at the top: scikit-learn takes most of a second to import and only
    # this plot needs it, so `import nnkit.plots` stays quick for the live widgets
    from sklearn.metrics import ConfusionMatrixDisplay

    y_true = _class_indices("y_true", y_true)
    y_pred = _class_indices("y_pred", y_pred)
    checks.same_length("y_true", y_true, "y_pred", y_pred)
    normalize = checks.one_of("normalize", normalize, NORMALIZE)

    ax = axes_or_new(ax, figsize=(6.0, 5.0))
    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, labels=labels, normalize=normalize, display_labels=display_labels,
        ax=ax, cmap=style.sequential_cmap(), colorbar=False,
        values_format="d" if normalize is None else ".2f",
        text_kw={"fontsize": style.FONT_SIZE["annotation"] + 3, "fontweight": "bold"})
    label_axes(ax, figure_text("predicted class"), figure_text("true class"), title)
    return ConfusionMatrixArtists(ax, display.im_, display.text_, display.confusion_matrix, display)


def _class_indices(name: str, y) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1 and np.issubdtype(y.dtype, np.number):
        return y.argmax(axis=1)                      # one-hot or probabilities → class index
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{name} must be a non-empty list of class labels, shape (N,). "
                         f"Received shape {y.shape}.")
    return y
