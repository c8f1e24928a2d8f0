"""Points of the plane for pictures and models: a grid over an extent, and the extent of some data.

    points, shape = grid((-6, 6, -6, 6), 100)     # (10000, 2) cell centres, shape (100, 100)
    model.predict(points).reshape(shape)          # a picture, row 0 at the bottom
    data_extent(X, margin=0.1)                    # (x1_min, x1_max, x2_min, x2_max) around X

NumPy only: the Playground's logic (``nnkit.labs``) and the pictures (``nnkit.plots``) both use it.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks

__all__ = ["grid", "data_extent", "check_extent", "check_points"]


def grid(extent, resolution: int = 100) -> tuple[np.ndarray, tuple[int, int]]:
    """Points covering ``extent = (x1_min, x1_max, x2_min, x2_max)`` on a resolution × resolution grid.

    Returns ``points`` (R*R, 2), the centres of the grid cells row by row from the bottom (x2_min)
    up, and ``shape`` = (R, R), so ``model.predict(points).reshape(shape)`` is the picture with
    row 0 at the bottom — what ``decision_boundary`` expects.
    """
    x1_min, x1_max, x2_min, x2_max = check_extent(extent)
    r = checks.positive_int("resolution", resolution)
    x1 = x1_min + (np.arange(r) + 0.5) * (x1_max - x1_min) / r    # cell centres, so the image
    x2 = x2_min + (np.arange(r) + 0.5) * (x2_max - x2_min) / r    # covers exactly the extent
    x1_grid, x2_grid = np.meshgrid(x1, x2)                          # [i, j] = (x1[j], x2[i])
    return np.column_stack([x1_grid.ravel(), x2_grid.ravel()]), (r, r)


def data_extent(X: np.ndarray, margin: float = 0.1) -> tuple[float, float, float, float]:
    """``(x1_min, x1_max, x2_min, x2_max)`` around the points X (N, 2), widened by ``margin`` × range."""
    X = check_points("X", X)
    margin = checks.non_negative_float("margin", margin)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * np.maximum(hi - lo, 1e-9) + (hi == lo)    # a single point still gets a box
    return (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))


def check_extent(extent) -> tuple[float, float, float, float]:
    """The four numbers (x1_min, x1_max, x2_min, x2_max), checked."""
    try:
        values = [float(v) for v in extent]
    except (TypeError, ValueError):
        raise TypeError(f"extent must be four numbers (x1_min, x1_max, x2_min, x2_max). "
                        f"Received: extent={extent!r}.") from None
    if len(values) != 4 or not np.all(np.isfinite(values)):
        raise ValueError(f"extent must be four finite numbers (x1_min, x1_max, x2_min, x2_max). "
                         f"Received: extent={extent!r}.")
    x1_min, x1_max, x2_min, x2_max = values
    if not (x1_min < x1_max and x2_min < x2_max):
        raise ValueError(f"extent must satisfy x1_min < x1_max and x2_min < x2_max. "
                         f"Received: extent={extent!r}.")
    return x1_min, x1_max, x2_min, x2_max


def check_points(name: str, X) -> np.ndarray:
    """X as (N, 2) floats, checked: points of the plane."""
    X = checks.finite_array(name, X, ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"{name} must have 2 columns (x1, x2) to be drawn in the plane. "
                         f"Received shape {X.shape}.")
    return X.astype(float)
