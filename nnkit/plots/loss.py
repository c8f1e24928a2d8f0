"""Mean squared error beside cross-entropy for one sigmoid output (lesson §3.2).

For a target y ∈ {0, 1} and a prediction h = σ(z) ∈ (0, 1)::

    MSE  L = (h − y)²                            dL/dz = 2 (h − y) · h (1 − h)
    CE   L = −[y log h + (1 − y) log(1 − h)]     dL/dz = h − y

The left panel is the loss against h, the right panel the gradient that reaches the neuron's
weighted sum z.  A *confident mistake* (y = 1, h → 0) is where they part: cross-entropy grows
without bound and keeps pushing with dL/dz → −1, while MSE stays below 1 and its push
2 (h − y) h (1 − h) fades to 0 — the sigmoid's flat tail swallows it, and learning stalls.

    artists = loss_comparison(None, y=1, h=0.05)
    update_loss_comparison(artists, y=0, h=0.9)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from nnkit import checks
from nnkit.plots import style
from nnkit.plots.canvas import Picture, label_axes
from nnkit.plots.fonts import figure_text

__all__ = ["loss_comparison", "update_loss_comparison", "LossComparisonArtists",
           "mse_curve", "crossentropy_curve", "LOSS_COLORS", "CE_LIMIT"]

LOSS_COLORS = {"mse": style.to_unit(style.CLASS_COLORS[0]),          # orange
               "crossentropy": style.to_unit(style.CLASS_COLORS[1])}  # blue
CE_LIMIT = 6.0        # the loss panel's top; −log h passes it at h ≈ 0.0025
CONFIDENT = 0.1       # a prediction within 0.1 of the wrong class is a confident mistake
MISTAKE_COLOR = style.to_unit(style.CLASS_COLORS[5])     # vermillion


def mse_curve(y: float, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(L, dL/dz) of the squared error through a sigmoid, elementwise over predictions h."""
    return (h - y) ** 2, 2.0 * (h - y) * h * (1.0 - h)


def crossentropy_curve(y: float, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(L, dL/dz) of binary cross-entropy through a sigmoid, elementwise over predictions h."""
    return -(y * np.log(h) + (1.0 - y) * np.log(1.0 - h)), h - y


@dataclass
class LossComparisonArtists(Picture):
    """What ``loss_comparison`` drew: a curve and a marker per loss on each panel."""

    ax: Axes                          # L(h)
    gradient_ax: Axes                 # dL/dz
    curves: dict[str, Line2D]         # "mse", "crossentropy" on the loss panel
    gradients: dict[str, Line2D]      # the same on the gradient panel
    markers: dict[str, Line2D]        # "<loss>", "<loss>_gradient": the current h
    target_line: Line2D               # where h = y (no loss)
    mistakes: list[Rectangle]         # the confident-mistake stretch, shaded on both panels
    mistake_label: Text
    h: np.ndarray


def loss_comparison(axes, y: float = 1.0, h: float = 0.2, *, points: int = 500) -> LossComparisonArtists:
    """Draw MSE and cross-entropy against the prediction h for target y, and their dL/dz.

    axes: two Axes (loss, gradient), or None for a new figure.
    y:    the target, 0 or 1 (a probability in between works too);  h: the prediction, in (0, 1).
    """
    if axes is None:
        figure = Figure(figsize=(12.0, 4.8), layout="constrained")
        axes = figure.subplots(1, 2)
    items = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(items) != 2 or not all(isinstance(a, Axes) for a in items):
        raise TypeError("axes must be two matplotlib Axes (loss, gradient), e.g. from "
                        "plt.subplots(1, 2), or None for a new figure.")
    ax, gax = items
    grid = np.linspace(1e-3, 1 - 1e-3, checks.positive_int("points", points))
    curves, gradients, markers = {}, {}, {}
    names = {"mse": "MSE  (h − y)²", "crossentropy": figure_text("cross-entropy")}
    for key, colour in LOSS_COLORS.items():
        curves[key], = ax.plot([], [], color=colour, lw=style.LINE_WIDTH + 0.5, label=names[key])
        gradients[key], = gax.plot([], [], color=colour, lw=style.LINE_WIDTH + 0.5, label=names[key])
        markers[key], = ax.plot([], [], "o", ms=13, mfc=colour, mec="black", mew=2, zorder=5)
        markers[key + "_gradient"], = gax.plot([], [], "o", ms=13, mfc=colour, mec="black",
                                               mew=2, zorder=5)
    target_line = ax.axvline(0, color="0.3", lw=1.5, ls="--", zorder=1)
    mistakes = [a.axvspan(0, CONFIDENT, color=MISTAKE_COLOR, alpha=0.12, lw=0, zorder=0)
                for a in (ax, gax)]
    mistake_label = ax.text(0, CE_LIMIT * 0.97, figure_text("confident\nmistake"), ha="left",
                            va="top",
                            fontsize=style.FONT_SIZE["annotation"], color=MISTAKE_COLOR)
    gax.axhline(0, color="0.6", lw=1.0)
    for a in (ax, gax):
        a.set_xlim(0, 1)
        a.grid(True, alpha=0.3)
    ax.set_ylim(-0.1, CE_LIMIT)
    gax.set_ylim(-1.1, 1.1)
    label_axes(ax, figure_text("prediction h"), figure_text("loss L"),
               figure_text("how much is the prediction punished?"))
    label_axes(gax, figure_text("prediction h"), "dL/dz",
               figure_text("how hard is the neuron pushed?"))
    ax.legend(fontsize=style.FONT_SIZE["legend"], loc="upper center")
    artists = LossComparisonArtists(ax, gax, curves, gradients, markers, target_line, mistakes,
                                    mistake_label, grid)
    update_loss_comparison(artists, y, h)
    return artists


def update_loss_comparison(artists: LossComparisonArtists, y: float = 1.0, h: float = 0.2) -> list:
    """Redraw the curves for target ``y`` and move the markers to prediction ``h``."""
    y = checks.fraction("y", y, high_open=False)
    h = checks.fraction("h", h, low_open=True)
    grid = artists.h
    for key, curve in (("mse", mse_curve), ("crossentropy", crossentropy_curve)):
        L, dz = curve(y, grid)
        artists.curves[key].set_data(grid, L)
        artists.gradients[key].set_data(grid, dz)
        L0, dz0 = curve(y, np.array([h]))
        artists.markers[key].set_data([h], [min(float(L0[0]), CE_LIMIT * 0.98)])
        artists.markers[key + "_gradient"].set_data([h], [float(dz0[0])])
    artists.target_line.set_xdata([y, y])
    for a in (artists.ax, artists.gradient_ax):
        a.set_xlabel(figure_text("prediction h   (target y = {y})").format(y=f"{y:g}"),
                     fontsize=style.FONT_SIZE["label"])
    start = 0.0 if y >= 0.5 else 1.0 - CONFIDENT          # the end far from the target
    for span in artists.mistakes:
        span.set_x(start)
        span.set_width(CONFIDENT)
    artists.mistake_label.set_position((start + 0.01, CE_LIMIT * 0.97))
    return [*artists.curves.values(), *artists.gradients.values(), *artists.markers.values(),
            artists.target_line, *artists.mistakes, artists.mistake_label]
