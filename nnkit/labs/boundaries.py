"""Lesson 10's comparison: several classifiers fitted to one planar data set, scored and mapped.

    lab = BoundaryLab(fit_four)        # the lesson's fit_four(X, y) -> {name: fitted model}
    lab.set(dataset="spiral")          # new data: every model fitted again
    lab.accuracies                     # {name: test accuracy}, rounded to 0.01
    lab.maps["MLP"]                    # (R, R) P(class 1) over the plane
    lab.compare("xor", 0.2)            # the accuracies for other data, the settings unchanged

Which models are compared, and how each is trained, stays in the lesson (``fit``); this module
makes the data, splits it in half (training, test) and asks every model for P(class 1) over the
plane.  ``nnkit.widgets.BoundaryComparison`` draws the maps.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from nnkit import checks, models
from nnkit.datasets import make_planar
from nnkit.datasets.grids import grid
from nnkit.labs.settings import Settings

__all__ = ["BoundaryLab", "probability_of_class_1", "accuracy_on", "DATASETS", "NOISES"]

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


class BoundaryLab(Settings):
    """Classifiers fitted to the data of the settings, with their test accuracies and maps.

    fit:        ``fit(X_train, y_train) -> {name: fitted model}`` — any nnkit binary classifier
                or scikit-learn classifier.
    dataset, noise: the settings: one of DATASETS, one of NOISES.
    n_samples:  points made (half train, half test); seed: the data's and the split's.
    resolution: grid points per side of each map over EXTENT.
    Numbers: ``accuracies`` {name: test accuracy}, ``maps`` {name: (R, R) P(class 1)},
    ``split`` (X_train, y_train, X_test, y_test).
    """

    SETTINGS = ("dataset", "noise")
    EXTENT = (-6.5, 6.5, -6.5, 6.5)

    def __init__(self, fit: Callable[[np.ndarray, np.ndarray], dict], dataset: str = "moons",
                 noise: float = 0.2, n_samples: int = 300, seed: int = 0, resolution: int = 120):
        if not callable(fit):
            raise TypeError(f"fit must be a function fit(X_train, y_train) -> {{name: model}}. "
                            f"Received: {type(fit).__name__}.")
        self.fit = fit
        self.n_samples = checks.positive_int("n_samples", n_samples)
        self.seed = checks.non_negative_int("seed", seed)
        self.resolution = checks.positive_int("resolution", resolution)
        self.points, self.shape = grid(self.EXTENT, resolution=self.resolution)
        self._known: dict[tuple, dict] = {}          # (dataset, noise) → accuracies, once fitted
        self.set(dataset=dataset, noise=noise)

    def check(self, name: str, value):
        if name == "dataset":
            return checks.one_of("dataset", value, DATASETS)
        value = checks.non_negative_float("noise", value)
        for allowed in NOISES:
            if math.isclose(value, allowed, abs_tol=1e-9):
                return allowed                       # the slider's own value
        raise ValueError(f"noise must be one of {list(NOISES)}. Received: noise={value}.")

    def apply(self, values: dict) -> None:
        """Take the settings, then fit every model to their data and map it."""
        super().apply(values)
        self.accuracies, self.maps, self.split = self.compare(self.dataset, self.noise, maps=True)

    def data(self, dataset: str, noise: float):
        """(X_train, y_train, X_test, y_test): ``n_samples`` points, split in half."""
        from sklearn.model_selection import train_test_split
        X, y = make_planar(dataset, n_samples=self.n_samples, noise=noise, seed=self.seed)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5,
                                                            random_state=self.seed)
        return X_train, y_train, X_test, y_test

    def compare(self, dataset: str, noise: float = 0.2, maps: bool = False):
        """Fit every model to ``dataset``; {name: test accuracy rounded to 0.01}.

        maps=True also returns {name: (R, R) P(class 1) over the plane} and the data.
        The numbers are remembered per (dataset, noise), so ``fit`` should train seeded models.
        """
        dataset, noise = self.check("dataset", dataset), self.check("noise", noise)
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
