"""The palette and sizes every nnkit picture shares, as plain data.

Everything here is numbers (RGB tuples, point sizes, lookup tables), so the widgets' fast PNG
renderer can colour a grid exactly as the matplotlib plots do.  The colours are the Okabe–Ito
set, which stays distinguishable under the common forms of colour blindness; two classes are
orange (class 0) and blue (class 1), as in TensorFlow Playground, and the diverging scale runs
orange (negative) → white (zero) → blue (positive), so "blue" means class 1, a positive weight
and a positive output everywhere in the course.

Sizes are chosen for a projector at the back of a classroom: text ≥ 12 pt, lines ≥ 2.5 pt.
"""
from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from nnkit import checks

__all__ = [
    "CLASS_COLORS", "NEGATIVE_COLOR", "POSITIVE_COLOR", "WHITE", "TRAIN_COLOR", "VALIDATION_COLOR",
    "MAX_CLASSES", "BACKGROUND_STRENGTH", "FONT_SIZE", "LINE_WIDTH", "MARKER_AREA",
    "class_colors", "confidence_lut", "probability_lut", "diverging_lut",
    "diverging_cmap", "sequential_cmap", "to_unit",
]

# --- colours (0–255 RGB) ------------------------------------------------------------------------
CLASS_COLORS: tuple[tuple[int, int, int], ...] = (
    (230, 159, 0),    # orange          class 0
    (0, 114, 178),    # blue            class 1
    (0, 158, 115),    # bluish green    class 2
    (204, 121, 167),  # reddish purple  class 3
    (86, 180, 233),   # sky blue        class 4
    (213, 94, 0),     # vermillion      class 5
)
MAX_CLASSES = len(CLASS_COLORS)
NEGATIVE_COLOR = CLASS_COLORS[0]   # orange: negative weight / value, class 0
POSITIVE_COLOR = CLASS_COLORS[1]   # blue:   positive weight / value, class 1
WHITE = (255, 255, 255)
TRAIN_COLOR = CLASS_COLORS[1]      # loss curves: train solid blue ...
VALIDATION_COLOR = CLASS_COLORS[5]  # ... validation dashed vermillion

# The decision-boundary background is the class colour mixed with white; at full confidence it
# takes this share of the class colour, so the (full-colour) data points stay visible on top.
BACKGROUND_STRENGTH = 0.6

# --- sizes (points) -----------------------------------------------------------------------------
FONT_SIZE = {"tick": 12, "label": 14, "legend": 12, "title": 15, "annotation": 13}
LINE_WIDTH = 3.0
MARKER_AREA = 70.0     # scatter marker area in points², about a 9-pt-wide dot


def class_colors(n_classes: int) -> list[tuple[int, int, int]]:
    """The first ``n_classes`` class colours as 0–255 RGB tuples (``n_classes`` ≤ 6)."""
    n_classes = checks.positive_int("n_classes", n_classes)
    if n_classes > MAX_CLASSES:
        raise ValueError(f"n_classes must be at most {MAX_CLASSES}: beyond that the colours are "
                         f"no longer told apart reliably. Received: n_classes={n_classes}.")
    return list(CLASS_COLORS[:n_classes])


def to_unit(rgb) -> tuple[float, ...]:
    """A 0–255 RGB tuple as matplotlib's 0–1 floats."""
    return tuple(c / 255.0 for c in rgb)


def _mix_with_white(rgb, share: np.ndarray) -> np.ndarray:
    """(len(share), 3) floats: white · (1 - share) + rgb · share."""
    share = np.asarray(share, dtype=float)[:, None]
    return np.array(WHITE, float) * (1.0 - share) + np.array(rgb, float) * share


def confidence_lut(n_classes: int) -> np.ndarray:
    """Background colours by class and confidence: uint8 array of shape (n_classes, 256, 3).

    ``lut[k, i]`` is the colour of a grid cell whose most likely class is ``k`` with confidence
    level ``i / 255`` (0: a tie, looks white; 255: certain, ``BACKGROUND_STRENGTH`` of the class
    colour).  ``nnkit.plots.shading.class_shading`` shows how the level is computed.
    """
    levels = np.linspace(0.0, 1.0, 256) * BACKGROUND_STRENGTH
    lut = np.stack([_mix_with_white(rgb, levels) for rgb in class_colors(n_classes)])
    return np.round(lut).astype(np.uint8)


def probability_lut() -> np.ndarray:
    """Binary background colours: uint8 (256, 3), indexed by ``round(255 · P(class 1))``.

    Index 0 is confident orange (class 0), 128 is nearly white, 255 is confident blue (class 1);
    it is ``confidence_lut(2)`` folded around P = 0.5.
    """
    p = np.linspace(0.0, 1.0, 256)
    strength = np.abs(2.0 * p - 1.0) * BACKGROUND_STRENGTH
    lut = np.where((p >= 0.5)[:, None], _mix_with_white(POSITIVE_COLOR, strength),
                   _mix_with_white(NEGATIVE_COLOR, strength))
    return np.round(lut).astype(np.uint8)


def diverging_lut() -> np.ndarray:
    """Full-strength diverging scale: uint8 (256, 3), orange (−max) → white (0) → blue (+max).

    Index ``round(255 · (v / vmax + 1) / 2)`` for a value ``v`` in [−vmax, vmax].
    """
    t = np.linspace(-1.0, 1.0, 256)
    lut = np.where((t >= 0)[:, None], _mix_with_white(POSITIVE_COLOR, np.abs(t)),
                   _mix_with_white(NEGATIVE_COLOR, np.abs(t)))
    return np.round(lut).astype(np.uint8)


def diverging_cmap() -> LinearSegmentedColormap:
    """The diverging scale as a matplotlib colormap (for weights, signed outputs, colorbars)."""
    return LinearSegmentedColormap.from_list(
        "nnkit_diverging", [to_unit(NEGATIVE_COLOR), to_unit(WHITE), to_unit(POSITIVE_COLOR)])


def sequential_cmap() -> LinearSegmentedColormap:
    """White → blue, for counts and magnitudes (e.g. a confusion matrix)."""
    return LinearSegmentedColormap.from_list("nnkit_sequential",
                                             [to_unit(WHITE), to_unit(POSITIVE_COLOR)])
