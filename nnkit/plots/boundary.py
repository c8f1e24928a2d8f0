"""Decision boundaries: what a model predicts over the plane, with the data on top.

The recipe, computing the model only once per picture::

    points, shape = grid(extent, resolution=100)          # points: (R*R, 2)
    probs = model.predict(points).reshape(shape)           # binary: P(class 1), (R, R)
    artists = decision_boundary(ax, probs, extent, X_train, y_train, X_test, y_test)
    ...train a few steps...
    update_decision_boundary(artists, model.predict(points).reshape(shape))

Background colour = the class the model prefers, intensity = how sure it is (white = undecided).
Training points are filled dots, test points hollow rings, both in their true class colour.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PathCollection
from matplotlib.colors import Normalize
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from nnkit import checks
from nnkit.plots import style
from nnkit.datasets.grids import check_extent as _check_extent, check_points as _check_points
from nnkit.datasets.grids import data_extent, grid
from nnkit.plots.canvas import Picture, axes_or_new, label_axes
from nnkit.plots.shading import class_shading, value_shading
from nnkit.plots.fonts import figure_text

__all__ = ["grid", "data_extent", "decision_boundary", "update_decision_boundary",
           "update_data_points", "DecisionBoundaryArtists"]

KINDS = ("classification", "regression")


@dataclass
class DecisionBoundaryArtists(Picture):
    """What ``decision_boundary`` drew, kept so a live view can change it in place."""

    ax: Axes
    image: AxesImage               # the shaded background, an (R, R, 3) RGB image
    train_points: PathCollection   # filled dots
    test_points: PathCollection    # hollow rings (empty when there is no test set)
    kind: str                      # "classification" or "regression"
    grid_shape: tuple              # shape of grid_probs: (R, R) or (R, R, K)
    n_classes: int                 # K (2 for a binary grid; 0 for regression)
    discretize: bool
    vmax: float                    # regression: |value| shown at full colour (1.0 otherwise)


def decision_boundary(ax: Axes | None, grid_probs: np.ndarray, extent, X_train: np.ndarray,
                      y_train: np.ndarray, X_test: np.ndarray | None = None,
                      y_test: np.ndarray | None = None, *, kind: str = "classification",
                      discretize: bool = False, vmax: float | None = None,
                      class_names=None, legend: bool = True, title: str = "",
                      ) -> DecisionBoundaryArtists:
    """Shade what the model predicts over the plane and draw the data on top.

    ax:         the Axes to draw on, or None for a new figure.
    grid_probs: (R, R) P(class 1) of a binary classifier; (R, R, K) class probabilities; or,
                with ``kind="regression"``, (R, R) predicted values.  Row 0 is the bottom
                (x2_min) row, as ``grid`` returns it.
    extent:     (x1_min, x1_max, x2_min, x2_max) the grid covers.
    X_train:    (N, 2) training inputs, drawn as filled dots; y_train: (N,) class labels
                0..K-1 (or one-hot (N, K)), or target values for regression.
    X_test, y_test: (M, 2) and (M,), drawn as hollow rings (dark grey for regression).
    discretize: True paints hard class regions instead of confidence.
    vmax:       regression only: the |value| drawn at full colour (default: largest |y_train|).
    class_names: K names for the legend (default "class 0", "class 1", ...).
    legend:     a key to the classes and to train/test (regression: also a colour bar).
    """
    kind = checks.one_of("kind", kind, KINDS)
    discretize = checks.boolean("discretize", discretize)
    probs = _check_grid(grid_probs, kind)
    x1_min, x1_max, x2_min, x2_max = _check_extent(extent)
    if kind == "regression":
        if discretize:
            raise ValueError("discretize=True needs classes; it does not apply to "
                             "kind='regression'. Received: discretize=True.")
        n_classes = 0
    else:
        n_classes = 2 if probs.ndim == 2 else probs.shape[2]
    X_train, y_train = _check_data("X_train", X_train, "y_train", y_train, kind, n_classes)
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test go together: pass both or neither. Received: "
                         f"X_test={'None' if X_test is None else 'an array'}, "
                         f"y_test={'None' if y_test is None else 'an array'}.")
    if X_test is None:
        X_test, y_test = np.empty((0, 2)), np.empty(0)
    else:
        X_test, y_test = _check_data("X_test", X_test, "y_test", y_test, kind, n_classes)
    if kind == "regression":
        vmax = (float(np.abs(y_train).max()) or 1.0) if vmax is None else \
            checks.positive_float("vmax", vmax)
    else:
        vmax = 1.0

    ax = axes_or_new(ax, figsize=(6.5, 5.5))
    background = value_shading(probs, vmax) if kind == "regression" else \
        class_shading(probs, discretize)
    image = ax.imshow(background, origin="lower", extent=(x1_min, x1_max, x2_min, x2_max),
                      interpolation="nearest", aspect="equal", zorder=0)
    # a regression target near 0 is drawn white, so its dot needs a dark rim to stay visible
    rim = "white" if kind == "classification" else "0.25"
    train_points = ax.scatter(X_train[:, 0], X_train[:, 1], s=style.MARKER_AREA,
                              c=_point_colors(y_train, kind, vmax), edgecolors=rim,
                              linewidths=1.0, zorder=2)
    test_points = ax.scatter(X_test[:, 0], X_test[:, 1], s=style.MARKER_AREA * 1.1,
                             facecolors="none", linewidths=2.2, zorder=3)
    test_points.set_edgecolors(_ring_colors(y_test, kind, vmax))
    ax.set_xlim(x1_min, x1_max)
    ax.set_ylim(x2_min, x2_max)
    label_axes(ax, "$x_1$", "$x_2$", title)
    if legend:
        _add_legend(ax, kind, n_classes, class_names, len(X_test) > 0, vmax)
    return DecisionBoundaryArtists(ax, image, train_points, test_points, kind,
                                   tuple(probs.shape), n_classes, discretize, vmax)


def update_decision_boundary(artists: DecisionBoundaryArtists, grid_probs: np.ndarray) -> list:
    """Recolour the background from new predictions (same shape as before); no new artists.

    Returns the changed artists, ``[artists.image]`` (handy for ``FuncAnimation(blit=True)``).
    """
    probs = _check_grid(grid_probs, artists.kind)
    if probs.shape != artists.grid_shape:
        raise ValueError(f"grid_probs must keep the shape the plot was drawn with, "
                         f"{artists.grid_shape}. Received shape {probs.shape}. To change the "
                         f"resolution or the number of classes, draw a new plot.")
    background = value_shading(probs, artists.vmax) if artists.kind == "regression" else \
        class_shading(probs, artists.discretize)
    artists.image.set_data(background)
    return [artists.image]


def update_data_points(artists: DecisionBoundaryArtists, X_train: np.ndarray, y_train: np.ndarray,
                       X_test: np.ndarray | None = None, y_test: np.ndarray | None = None) -> list:
    """Move and recolour the dots (e.g. new noise, a new sample) without new artists.

    X_train: (N, 2), y_train: (N,); X_test, y_test: (M, 2), (M,) or None to hide the test rings.
    Returns ``[artists.train_points, artists.test_points]``.
    """
    kind, n_classes, vmax = artists.kind, artists.n_classes, artists.vmax
    X_train, y_train = _check_data("X_train", X_train, "y_train", y_train, kind, n_classes)
    if X_test is None or y_test is None:
        X_test, y_test = np.empty((0, 2)), np.empty(0)
    else:
        X_test, y_test = _check_data("X_test", X_test, "y_test", y_test, kind, n_classes)
    artists.train_points.set_offsets(X_train)
    artists.train_points.set_facecolors(_point_colors(y_train, kind, vmax))
    artists.test_points.set_offsets(X_test)
    artists.test_points.set_edgecolors(_ring_colors(y_test, kind, vmax))
    return [artists.train_points, artists.test_points]


# --- helpers ------------------------------------------------------------------------------------

def _point_colors(y: np.ndarray, kind: str, vmax: float) -> np.ndarray:
    """(N, 3) 0–1 RGB: the class colour, or the diverging colour of a regression target."""
    if kind == "regression":
        t = np.clip(y / vmax, -1.0, 1.0)
        return style.diverging_lut()[np.rint(255 * (t + 1) / 2).astype(int)] / 255.0
    return np.array(style.CLASS_COLORS, dtype=float)[y.astype(int)].reshape(-1, 3) / 255.0


def _ring_colors(y: np.ndarray, kind: str, vmax: float):
    """Test rings: the class colour; for regression dark grey (a white ring would vanish)."""
    return _point_colors(y, kind, vmax) if kind == "classification" else "0.2"


def _add_legend(ax: Axes, kind: str, n_classes: int, class_names, has_test: bool,
                vmax: float) -> None:
    handles = []
    if kind == "classification":
        names = [f"class {k}" for k in range(n_classes)] if class_names is None else list(class_names)
        if len(names) != n_classes:
            raise ValueError(f"class_names must have one name per class ({n_classes}). "
                             f"Received {len(names)}: {names!r}.")
        for k, name in enumerate(names):
            handles.append(Line2D([], [], ls="", marker="o", ms=10, mfc=style.to_unit(style.CLASS_COLORS[k]),
                                  mec="white", label=str(name)))
    handles.append(Line2D([], [], ls="", marker="o", ms=10, mfc="0.35",
                          mec="white" if kind == "classification" else "0.25",
                          label=figure_text("train")))
    if has_test:
        handles.append(Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec="0.35", mew=2.2,
                              label=figure_text("test")))
    if kind == "classification":
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0,
                  fontsize=style.FONT_SIZE["legend"], frameon=False)
        return
    # regression: the value scale goes on the right, the train/test key above the plot
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2,
              borderaxespad=0.2, fontsize=style.FONT_SIZE["legend"], frameon=False)
    scale = ScalarMappable(Normalize(-vmax, vmax), style.diverging_cmap())
    colorbar = ax.get_figure().colorbar(scale, ax=ax, shrink=0.85, pad=0.03)
    colorbar.set_label("target y (dots)", fontsize=style.FONT_SIZE["label"])
    colorbar.ax.tick_params(labelsize=style.FONT_SIZE["tick"])


def _check_grid(grid_probs, kind: str) -> np.ndarray:
    probs = checks.finite_array("grid_probs", grid_probs, ndim=(2, 3) if kind == "classification" else 2)
    if kind == "regression":
        return probs.astype(float)
    if probs.min() < -1e-6 or probs.max() > 1 + 1e-6:
        raise ValueError(f"grid_probs must hold probabilities in [0, 1]; received values from "
                         f"{probs.min():.3g} to {probs.max():.3g}. For a model that outputs "
                         f"real values pass kind='regression'.")
    if probs.ndim == 3 and not 2 <= probs.shape[2] <= style.MAX_CLASSES:
        raise ValueError(f"grid_probs of shape (R, R, K) needs 2 ≤ K ≤ {style.MAX_CLASSES} "
                         f"classes. Received shape {probs.shape}. For a binary model pass "
                         f"P(class 1) as an (R, R) array.")
    return probs.astype(float)


def _check_data(x_name: str, X, y_name: str, y, kind: str, n_classes: int):
    """X as (N, 2) floats and y as (N,) labels 0..K-1 (or values for regression)."""
    X = _check_points(x_name, X)
    y = checks.finite_array(y_name, y, ndim=(1, 2))
    if y.ndim == 2:
        if y.shape[1] == 1:
            y = y[:, 0]
        elif kind == "classification":
            y = y.argmax(axis=1)                     # one-hot rows → class index
        else:
            raise ValueError(f"{y_name} must be one value per sample, shape (N,) or (N, 1). "
                             f"Received shape {y.shape}.")
    checks.same_length(x_name, X, y_name, y)
    if kind == "classification":
        if not (np.all(y == np.round(y)) and y.min() >= 0 and y.max() < n_classes):
            found = np.unique(y)[:8]
            raise ValueError(f"{y_name} must hold class labels 0..{n_classes - 1} to match "
                             f"grid_probs ({n_classes} classes). Received labels {found.tolist()}"
                             f"{' ...' if len(np.unique(y)) > 8 else ''}.")
        return X, y.astype(int)
    return X, y.astype(float)
