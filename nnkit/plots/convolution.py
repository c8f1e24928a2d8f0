"""Lesson 09's picture of a convolution: the input, the kernel k, and the feature map x ⋆ k.

    convolution(axes, image, kernel, feature_map, label=7)

Each value of the feature map is drawn at the centre pixel of the patch it comes from, so it
lines up with the input: a 3 × 3 kernel on an 8 × 8 image gives a 6 × 6 map, framed by a
one-pixel border where the kernel does not fit.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

from nnkit.plots.canvas import Picture
from nnkit.plots.style import diverging_cmap
from nnkit.plots.fonts import figure_text

__all__ = ["convolution", "ConvolutionArtists"]


@dataclass
class ConvolutionArtists(Picture):
    ax: Axes                       # the input's axes (``.figure`` is the whole picture)
    image: AxesImage
    kernel: AxesImage
    feature_map: AxesImage


def convolution(axes, image: np.ndarray, kernel: np.ndarray, feature_map: np.ndarray,
                label=None, fontsize: int = 15) -> ConvolutionArtists:
    """Draw input, kernel and feature map on three Axes, left to right.

    axes:        three matplotlib Axes (e.g. ``plt.subplots(1, 3)[1]``).
    image:       (H, W) grey levels in [0, 1]; kernel: (k, k) weights, written in its cells;
    feature_map: (H - k + 1, W - k + 1), the "valid" correlation of image and kernel.
    label:       what the image shows, for its title (None: no label).
    """
    axes = list(np.ravel(axes))
    if len(axes) != 3:
        raise ValueError(f"axes must be three Axes (input, kernel, feature map). "
                         f"Received: {len(axes)}.")
    image, kernel, feature_map = (np.asarray(a, dtype=float) for a in (image, kernel, feature_map))
    for name, a in (("image", image), ("kernel", kernel), ("feature_map", feature_map)):
        if a.ndim != 2:
            raise ValueError(f"{name} must be a 2-D array. Received: shape {a.shape}.")
    (h, w), (kh, kw) = image.shape, kernel.shape
    if feature_map.shape != (h - kh + 1, w - kw + 1):
        raise ValueError(f"feature_map must have shape {(h - kh + 1, w - kw + 1)}, the 'valid' "
                         f"positions of a {kernel.shape} kernel on a {image.shape} image. "
                         f"Received: {feature_map.shape}.")
    ax_in, ax_k, ax_map = axes
    name = f"a {label}  " if label is not None else ""
    shown_in = ax_in.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    ax_in.set_title(figure_text("input: {name}({h} × {w})").format(name=name, h=h, w=w),
                    fontsize=fontsize)

    k_limit = 1.5 * max(np.abs(kernel).max(), 1e-12)
    shown_k = ax_k.imshow(kernel, cmap=diverging_cmap(), vmin=-k_limit, vmax=k_limit)
    for (i, j), weight in np.ndenumerate(kernel):
        ax_k.text(j, i, f"{weight:g}", ha="center", va="center", fontsize=fontsize + 5)
    ax_k.set_title(figure_text("kernel k  ({h} × {w})").format(h=kh, w=kw), fontsize=fontsize)

    limit = max(np.abs(feature_map).max(), 1e-12)
    top, left = kh // 2, kw // 2              # the centre of the first patch, in input pixels
    fh, fw = feature_map.shape
    shown_map = ax_map.imshow(feature_map, cmap=diverging_cmap(), vmin=-limit, vmax=limit,
                              extent=(left - 0.5, left + fw - 0.5, top + fh - 0.5, top - 0.5))
    ax_map.set_xlim(-0.5, w - 0.5)
    ax_map.set_ylim(h - 0.5, -0.5)
    ax_map.set_title(figure_text("feature map x ⋆ k  ({h} × {w})").format(h=fh, w=fw),
                     fontsize=fontsize)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    return ConvolutionArtists(ax_in, shown_in, shown_k, shown_map)
