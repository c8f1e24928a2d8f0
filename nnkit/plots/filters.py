"""Lesson 12's pictures of a trained CNN: its filters, the feature maps of one image, a saliency map.

    kernels(axes, K)                      one small picture per filter K[:, :, c, f]
    feature_maps(axes, maps)              one picture per channel of a layer's output (H', W', F)
    saliency(axes, image, M, label=…)     the image beside M = ∂S_c/∂x (nnkit.saliency)

Weights and gradients are signed: drawn with the course's diverging colours on one symmetric scale
shared by all the pictures of a call (blue > 0, orange < 0, white 0), so they compare at a glance.
Feature maps after ReLU are ≥ 0: drawn in grey levels on one shared scale (black = largest).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

from nnkit.plots.canvas import Picture
from nnkit.plots.style import diverging_cmap
from nnkit.plots.fonts import figure_text

__all__ = ["kernels", "feature_maps", "saliency", "FilterArtists"]


@dataclass
class FilterArtists(Picture):
    ax: Axes                       # the first Axes (``.figure`` is the whole picture)
    images: list[AxesImage]


def _axes(axes, n: int, what: str) -> list[Axes]:
    axes = list(np.ravel(axes))
    if len(axes) < n:
        raise ValueError(f"{what} needs at least {n} Axes, one per picture. Received: {len(axes)}.")
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[n:]:                          # spare Axes in a grid: leave them empty
        ax.axis("off")
    return axes


def kernels(axes, K: np.ndarray, channel: int = 0, fontsize: int = 14) -> FilterArtists:
    """Draw filter f's weights K[:, :, channel, f] on axes[f], for every filter f.

    K: (k_h, k_w, C, F), a Conv2D's kernel (``layer.K`` or ``get_weights()[0]``).
    """
    K = np.asarray(K, dtype=float)
    if K.ndim != 4:
        raise ValueError(f"K must be a Conv2D kernel of shape (k_h, k_w, C, F). Received: shape "
                         f"{K.shape}.")
    if not 0 <= channel < K.shape[2]:
        raise ValueError(f"channel must be in 0 … {K.shape[2] - 1}. Received: channel={channel}.")
    F = K.shape[3]
    axes = _axes(axes, F, "kernels")
    limit = max(np.abs(K[:, :, channel, :]).max(), 1e-12)
    images = []
    for f in range(F):
        images.append(axes[f].imshow(K[:, :, channel, f], cmap=diverging_cmap(), vmin=-limit,
                                     vmax=limit))
        axes[f].set_title(figure_text("filter {n}").format(n=f), fontsize=fontsize)
    return FilterArtists(axes[0], images)


def feature_maps(axes, maps: np.ndarray, fontsize: int = 14) -> FilterArtists:
    """Draw channel f of ``maps`` (H', W', F) — one image's output of a layer — on axes[f]."""
    maps = np.asarray(maps, dtype=float)
    if maps.ndim != 3:
        raise ValueError(f"maps must be one image's feature maps, shape (height, width, F); for "
                         f"a batch take maps[0]. Received: shape {maps.shape}.")
    F = maps.shape[2]
    axes = _axes(axes, F, "feature_maps")
    low, high = min(maps.min(), 0.0), max(maps.max(), 1e-12)
    images = []
    for f in range(F):
        images.append(axes[f].imshow(maps[:, :, f], cmap="gray_r", vmin=low, vmax=high))
        axes[f].set_title(figure_text("map {n}").format(n=f), fontsize=fontsize)
    return FilterArtists(axes[0], images)


def saliency(axes, image: np.ndarray, saliency_map: np.ndarray, label=None,
             class_index=None, fontsize: int = 15) -> FilterArtists:
    """The image on axes[0] and its saliency map M = ∂S_c/∂x on axes[1], both (H, W).

    label: what the image shows (title); class_index: c, the class whose score S_c was
    differentiated (title of M).
    """
    image, M = np.asarray(image, dtype=float), np.asarray(saliency_map, dtype=float)
    if image.ndim != 2 or M.shape != image.shape:
        raise ValueError(f"image and saliency_map must be 2-D arrays of one shape (H, W). "
                         f"Received: {image.shape} and {M.shape}.")
    axes = _axes(axes, 2, "saliency")
    shown = axes[0].imshow(image, cmap="gray_r", vmin=0, vmax=max(image.max(), 1e-12))
    axes[0].set_title(figure_text("input") if label is None else
                      figure_text("input: a {label}").format(label=label), fontsize=fontsize)
    limit = max(np.abs(M).max(), 1e-12)
    heat = axes[1].imshow(M, cmap=diverging_cmap(), vmin=-limit, vmax=limit)
    score = f"S_{class_index}" if class_index is not None else "S_c"
    axes[1].set_title(f"∂{score}/∂x", fontsize=fontsize)
    return FilterArtists(axes[0], [shown, heat])
