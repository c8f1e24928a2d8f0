"""Lesson 10's comparison: several classifiers on one planar data set, their boundaries side by side.

    comparison = BoundaryComparison(fit_four)      # the lesson's fit_four(X, y) -> {name: model}
    comparison                                     # data buttons, noise slider, one map per model
    comparison.set(dataset="spiral")               # what a click on "spiral" does
    comparison.accuracies                          # {name: test accuracy}, rounded to 0.01
    comparison.compare("xor", 0.2)                 # the same numbers for other data, no drawing

Which models are compared, and how each is trained, stays in the lesson (``fit``); this module
makes the data, splits it in half (training, test), asks every model for P(class 1) over the
plane and draws it with ``nnkit.plots.decision_boundary``.  The picture is a PNG in an
``ipywidgets.Image`` (no Output widget), and the same PNG is the ``image/png`` a reader without a
kernel sees.
"""
from __future__ import annotations

import io
import math
from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from PIL import Image
from sklearn.model_selection import train_test_split

from nnkit import checks, models
from nnkit.datasets import make_planar
from nnkit.plots import decision_boundary, grid
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, slider_layout

__all__ = ["BoundaryComparison", "probability_of_class_1", "accuracy_on"]

DATASETS = ("moons", "circle", "xor", "spiral")
NOISES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


def probability_of_class_1(model, points: np.ndarray) -> np.ndarray:
    """P(class 1) at each of ``points`` (M, 2) → (M,), for an nnkit or a scikit-learn classifier.

    nnkit: the sigmoid output; scikit-learn: ``predict_proba``; an SVM without probabilities
    gives a signed distance d to its boundary instead, which σ(2d) squashes into (0, 1) (the
    colour then says "far from the boundary", not a calibrated probability).
    """
    if isinstance(model, models.Sequential):
        return model.predict(points)[:, 0]
    if hasattr(model, "predict_proba"):
        return model.predict_proba(points)[:, 1]
    if hasattr(model, "decision_function"):
        return 1 / (1 + np.exp(-2 * model.decision_function(points)))
    raise TypeError(f"cannot read P(class 1) from a {type(model).__name__}: it needs predict "
                    f"(nnkit), predict_proba or decision_function (scikit-learn).")


def accuracy_on(model, X_test: np.ndarray, y_test: np.ndarray) -> float:
    """Share of the points ``X_test`` (M, 2) given their label ``y_test`` (M,); P > 0.5 → class 1."""
    if isinstance(model, models.Sequential):
        return float(np.mean((model.predict(X_test)[:, 0] > 0.5) == y_test))
    return float(model.score(X_test, y_test))


class BoundaryComparison(LessonWidget):
    """Data buttons, a noise slider, and one decision-boundary map per classifier.

    fit:        ``fit(X_train, y_train) -> {name: fitted model}`` — the lesson says which models
                and how each is trained; any nnkit binary classifier or scikit-learn classifier.
    dataset, noise: the first data (``set`` changes them): one of DATASETS, one of NOISES.
    n_samples:  points made (half train, drawn as dots; half test, drawn as rings); seed: the data's.
    resolution: grid points per side of each map.
    """

    SETTINGS = ("dataset", "noise")
    EXTENT = (-6.5, 6.5, -6.5, 6.5)

    def __init__(self, fit: Callable[[np.ndarray, np.ndarray], dict], dataset: str = "moons",
                 noise: float = 0.2, n_samples: int = 300, seed: int = 0, resolution: int = 120,
                 dpi: float = 72):
        super().__init__()
        if not callable(fit):
            raise TypeError(f"fit must be a function fit(X_train, y_train) -> {{name: model}}. "
                            f"Received: {type(fit).__name__}.")
        self.fit = fit
        self.n_samples = checks.positive_int("n_samples", n_samples)
        self.seed = checks.non_negative_int("seed", seed)
        self.resolution = checks.positive_int("resolution", resolution)
        self.dataset = self._check("dataset", dataset)
        self.noise = self._check("noise", noise)
        self.points, self.shape = grid(self.EXTENT, resolution=self.resolution)
        self.accuracies: dict[str, float] = {}
        self._known: dict[tuple, dict] = {}          # (dataset, noise) → accuracies, once fitted
        self.view: FigureView | None = None
        self.dpi = dpi
        self.draw()

    def _check(self, name: str, value):
        if name == "dataset":
            return checks.one_of("dataset", value, DATASETS)
        value = checks.non_negative_float("noise", value)
        for allowed in NOISES:
            if math.isclose(value, allowed, abs_tol=1e-9):
                return allowed                       # the slider's own value
        raise ValueError(f"noise must be one of {list(NOISES)}. Received: noise={value}.")

    # ---- the experiment -------------------------------------------------------------------------
    def data(self, dataset: str, noise: float):
        """(X_train, y_train, X_test, y_test): ``n_samples`` points, split in half."""
        X, y = make_planar(dataset, n_samples=self.n_samples, noise=noise, seed=self.seed)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5,
                                                            random_state=self.seed)
        return X_train, y_train, X_test, y_test

    def compare(self, dataset: str, noise: float = 0.2, maps: bool = False):
        """Fit every model to ``dataset``; {name: test accuracy rounded to 0.01}.

        maps=True also returns {name: (R, R) P(class 1) over the plane} and the data.
        The numbers are remembered per (dataset, noise), so ``fit`` should train seeded models.
        """
        dataset, noise = self._check("dataset", dataset), self._check("noise", noise)
        if not maps and (dataset, noise) in self._known:     # the models are seeded: same numbers
            return dict(self._known[dataset, noise])
        X_train, y_train, X_test, y_test = data = self.data(dataset, noise)
        fitted = self.fit(X_train, y_train)
        if not isinstance(fitted, dict) or not fitted:
            raise TypeError(f"fit must return a dict {{name: fitted model}}. Received: "
                            f"{type(fitted).__name__} {fitted!r:.60}.")
        accuracies = {name: round(accuracy_on(m, X_test, y_test), 2)
                      for name, m in fitted.items()}
        self._known[dataset, noise] = dict(accuracies)
        if not maps:
            return accuracies
        grids = {name: probability_of_class_1(m, self.points).reshape(self.shape)
                 for name, m in fitted.items()}
        return accuracies, grids, data

    # ---- the pictures ---------------------------------------------------------------------------
    def draw(self, changed: set | None = None) -> None:
        """Fit the models to the current data and draw one map per model."""
        self.accuracies, grids, (X_train, y_train, X_test, y_test) = \
            self.compare(self.dataset, self.noise, maps=True)
        n_cols = 2 if len(grids) > 1 else 1
        n_rows = math.ceil(len(grids) / n_cols)
        figure = Figure(figsize=(6 * n_cols, 5.7 * n_rows), dpi=self.dpi, layout="constrained")
        axes = figure.subplots(n_rows, n_cols, squeeze=False).ravel()
        for i, (ax, (name, probs)) in enumerate(zip(axes, grids.items())):
            decision_boundary(ax, probs, self.EXTENT, X_train, y_train, X_test, y_test,
                              legend=i == 0,
                              title=f"{name}: test accuracy {self.accuracies[name]:.2f}")
        for ax in axes[len(grids):]:
            ax.set_visible(False)
        figure.suptitle(f"{self.dataset}, noise {self.noise:g}: dots = training, rings = test",
                        fontsize=17)
        if self.view is None:
            self.view = FigureView(figure)
        else:
            self.view.replace(figure)
        # redrawn on a click, not 30 times a second: worth a PNG a third the size of the fast one
        self.view.png = compact_png(self.view.rgb(full=True))
        self.view.image.value = self.view.png

    def _layout(self) -> widgets.Widget:
        data = widgets.ToggleButtons(options=list(DATASETS), value=self.dataset,
                                     description="data", style={**SLIDER_STYLE,
                                                                "button_width": "90px"})
        noise = widgets.SelectionSlider(options=list(NOISES), value=self.noise,
                                        description="noise", continuous_update=False,
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
