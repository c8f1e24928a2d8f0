"""Lesson 10's comparison: several classifiers on one planar data set, their boundaries side by side.

    comparison = BoundaryComparison(fit_four)      # the lesson's fit_four(X, y) -> {name: model}
    comparison                                     # data buttons, noise slider, one map per model
    comparison.set(dataset="spiral")               # what a click on "spiral" does
    comparison.accuracies                          # {name: test accuracy}, rounded to 0.01
    comparison.compare("xor", 0.2)                 # the same numbers for other data, no drawing

Which models are compared, and how each is trained, stays in the lesson (``fit``); the data,
its split in half (training, test) and every model's P(class 1) over the plane come from
``nnkit.labs.boundaries``; this module draws them with ``nnkit.plots.decision_boundary``.
The picture is a PNG in an ``ipywidgets.Image`` (no Output widget), and the same PNG is the
``image/png`` a reader without a kernel sees.
"""
from __future__ import annotations

import io
import math
from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from nnkit.labs.boundaries import (DATASETS, NOISES, BoundaryLab, accuracy_on,
                                   probability_of_class_1)
from nnkit.plots import decision_boundary
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, slider_layout
from nnkit.i18n import _
from nnkit.plots.fonts import figure_text

__all__ = ["BoundaryComparison", "probability_of_class_1", "accuracy_on"]


class BoundaryComparison(LessonWidget):
    """Data buttons, a noise slider, and one decision-boundary map per classifier.

    fit:        ``fit(X_train, y_train) -> {name: fitted model}`` — the lesson says which models
                and how each is trained; any nnkit binary classifier or scikit-learn classifier.
    dataset, noise: the first data (``set`` changes them): one of DATASETS, one of NOISES.
    n_samples:  points made (half train, drawn as dots; half test, drawn as rings); seed: the data's.
    resolution: grid points per side of each map.
    The fitting and scoring is the ``lab``'s (``nnkit.labs.boundaries.BoundaryLab``):
    ``accuracies``, ``maps``, ``compare(dataset, noise)``.
    """

    SETTINGS = BoundaryLab.SETTINGS
    EXTENT = BoundaryLab.EXTENT

    def __init__(self, fit: Callable[[np.ndarray, np.ndarray], dict], dataset: str = "moons",
                 noise: float = 0.2, n_samples: int = 300, seed: int = 0, resolution: int = 120,
                 dpi: float = 72):
        super().__init__()
        self.lab = BoundaryLab(fit, dataset, noise, n_samples, seed, resolution)
        self.view: FigureView | None = None
        self.dpi = dpi
        self.draw()

    # ---- the pictures ---------------------------------------------------------------------------
    def draw(self, changed: set | None = None) -> None:
        """Draw one map per model (the lab fitted them to the current data)."""
        grids, (X_train, y_train, X_test, y_test) = self.maps, self.split
        n_cols = 2 if len(grids) > 1 else 1
        n_rows = math.ceil(len(grids) / n_cols)
        figure = Figure(figsize=(6 * n_cols, 5.7 * n_rows), dpi=self.dpi, layout="constrained")
        axes = figure.subplots(n_rows, n_cols, squeeze=False).ravel()
        for i, (ax, (name, probs)) in enumerate(zip(axes, grids.items())):
            decision_boundary(ax, probs, self.EXTENT, X_train, y_train, X_test, y_test,
                              legend=i == 0,
                              title=figure_text("{name}: test accuracy {accuracy}").format(
                                  name=name, accuracy=f"{self.accuracies[name]:.2f}"))
        for ax in axes[len(grids):]:
            ax.set_visible(False)
        figure.suptitle(figure_text("{data}, noise {noise}: dots = training, rings = test").format(
            data=self.dataset, noise=f"{self.noise:g}"), fontsize=17)
        if self.view is None:
            self.view = FigureView(figure)
        else:
            self.view.replace(figure)
        # redrawn on a click, not 30 times a second: worth a PNG a third the size of the fast one
        self.view.png = compact_png(self.view.rgb(full=True))
        self.view.image.value = self.view.png

    def _layout(self) -> widgets.Widget:
        data = widgets.ToggleButtons(options=list(DATASETS), value=self.dataset,
                                     description=_("data"), style={**SLIDER_STYLE,
                                                                "button_width": "90px"})
        noise = widgets.SelectionSlider(options=list(NOISES), value=self.noise,
                                        description=_("noise"), continuous_update=False,
                                        style=SLIDER_STYLE, layout=slider_layout())
        self._bind("dataset", data)
        self._bind("noise", noise)
        return widgets.VBox([data, noise, self.message, self.view.image])

    def __repr__(self) -> str:
        return (f"BoundaryComparison(dataset={self.dataset!r}, noise={self.noise:g}, "
                f"models={list(self.accuracies)})")


def compact_png(rgb: np.ndarray) -> bytes:
    """An (H, W, 3) uint8 picture as a small PNG: 256 colours chosen for it (smooth maps keep
    their look), best compression.  ~0.3 s for a 900 × 850 picture; a lesson stores it twice."""
    picture = Image.fromarray(np.ascontiguousarray(rgb)).quantize(256,
                                                                   method=Image.Quantize.MEDIANCUT)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
