"""Grid of predictions → RGB picture, in NumPy only (the same colours as the plots' palette).

A decision-boundary background is coloured by *which* class the model prefers and *how sure*
it is.  For K classes with probabilities p (summing to 1) the confidence is

    strength = (max_k p_k - 1/K) / (1 - 1/K)        0 at a K-way tie, 1 when certain,

so for two classes it is |2 P(class 1) - 1|.  The colour is ``style.confidence_lut(K)``
at that strength.  The widgets' fast renderer calls these functions, so a live PNG and a
matplotlib figure show identical pixels.
"""
from __future__ import annotations

import numpy as np

from nnkit.plots import style

__all__ = ["class_shading", "value_shading"]


def class_shading(grid_probs: np.ndarray, discretize: bool = False) -> np.ndarray:
    """Colour a grid of class probabilities.

    grid_probs: (R, C) P(class 1) for a binary model, or (R, C, K) probabilities of K classes.
    discretize: True paints hard class regions (every cell at full strength).
    Returns (R, C, 3) uint8 RGB.
    """
    probs = np.asarray(grid_probs, dtype=float)
    if probs.ndim == 2:                            # binary: stack (P(class 0), P(class 1))
        probs = np.stack([1.0 - probs, probs], axis=-1)
    n_classes = probs.shape[-1]
    winner = probs.argmax(axis=-1)                 # (R, C) the preferred class k
    if discretize:
        level = np.full(winner.shape, 255)
    else:
        strength = (probs.max(axis=-1) - 1.0 / n_classes) / (1.0 - 1.0 / n_classes)
        level = np.rint(255 * np.clip(strength, 0.0, 1.0)).astype(int)
    return style.confidence_lut(n_classes)[winner, level]


def value_shading(values: np.ndarray, vmax: float) -> np.ndarray:
    """Colour a grid of real outputs (regression): orange < 0 < blue, white at 0.

    values: (R, C); vmax: the |value| drawn at full strength (larger values are clipped).
    Returns (R, C, 3) uint8 RGB, as light as a class background (``style.BACKGROUND_STRENGTH``).
    """
    t = np.clip(np.asarray(values, dtype=float) / vmax, -1.0, 1.0)
    lut = style.probability_lut()                  # orange → white → blue, background strength
    return lut[np.rint(255 * (t + 1.0) / 2.0).astype(int)]
