"""One activation in detail: f(z) beside f'(z), the saturation regions shaded, one z probed.

Backpropagation multiplies the gradient arriving at a neuron by f'(z) (lesson §3.4:
``dz = dout ⊙ f'(z)``).  Where f'(z) is tiny the gradient all but stops: the neuron is
*saturated* (sigmoid and tanh far from 0: f'(z) small but not 0) or *dead* (ReLU for z < 0:
f'(z) = 0, nothing passes).  The shaded regions are where f'(z) < 0.1 · max f'(z), the rule
``nnkit.plots.activation_functions`` uses too; the legend says which of the two it is.

    artists = activation_detail(None, "sigmoid", z=2.5)   # a new figure, two panels
    update_activation_detail(artists, "relu", z=-1.0)

For several activations on one plot, see ``nnkit.plots.activation_functions``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from nnkit import activations, checks
from nnkit.plots import style
from nnkit.plots.canvas import Picture, label_axes
from nnkit.plots.functions import SATURATION_THRESHOLD
from nnkit.plots.fonts import figure_text

__all__ = ["activation_detail", "update_activation_detail", "ActivationDetailArtists",
           "saturated", "Z_RANGE"]

Z_RANGE = (-6.0, 6.0)
SHADE = (0.45, 0.45, 0.45, 0.22)            # RGBA of a saturated stretch
LIMITS = {"sigmoid": (-0.15, 1.15), "tanh": (-1.25, 1.25)}   # f's y range; others: from data


@dataclass
class ActivationDetailArtists(Picture):
    """What ``activation_detail`` drew on its two Axes."""

    ax: Axes                         # f(z)
    derivative_ax: Axes              # f'(z)
    curve: Line2D
    derivative: Line2D
    tangent: Line2D                  # the slope f'(z₀) drawn through (z₀, f(z₀))
    points: list[Line2D]             # the probe on each panel
    threshold: Line2D                # 0.1 · max f' on the derivative panel
    shades: list[AxesImage]          # saturated stretches, one strip per panel
    z: np.ndarray


def saturated(activation, z: np.ndarray) -> np.ndarray:
    """True where f'(z) < 0.1 · max f' over ``z`` (the gradient is all but stopped)."""
    f = activations.get(activation)
    slope = f.derivative(np.asarray(z, dtype=float))
    peak = float(slope.max())
    return slope < SATURATION_THRESHOLD * peak if peak > 0 else np.zeros(len(slope), bool)


def activation_detail(axes, activation="sigmoid", z: float = 0.0, *,
                      z_range=Z_RANGE, points: int = 601) -> ActivationDetailArtists:
    """Draw f(z) (left) and f'(z) (right) with the saturated stretches shaded and ``z`` probed.

    axes:   two Axes (f, then f′), or None for a new figure.
    activation: a name ("sigmoid", "tanh", "relu", "leaky_relu", "linear") or Activation.
    z:      the probed input, marked on both panels with the tangent of f there.
    """
    if axes is None:
        figure = Figure(figsize=(12.0, 4.6), layout="constrained")
        axes = figure.subplots(1, 2)
    ax, dax = _two_axes(axes)
    z_low, z_high = (float(v) for v in z_range)
    grid = np.linspace(z_low, z_high, checks.positive_int("points", points))
    colour = style.to_unit(style.POSITIVE_COLOR)
    curve, = ax.plot([], [], color=colour, lw=style.LINE_WIDTH + 0.5, zorder=3)
    derivative, = dax.plot([], [], color=style.to_unit(style.VALIDATION_COLOR),
                           lw=style.LINE_WIDTH + 0.5, zorder=3)
    tangent, = ax.plot([], [], color="0.2", lw=1.8, ls=(0, (5, 3)), zorder=2)
    probe = [a.plot([], [], "o", ms=12, mfc="white", mec="black", mew=2.5, zorder=5)[0]
             for a in (ax, dax)]
    threshold, = dax.plot([], [], color="0.35", lw=1.2, ls=":", zorder=2)
    shades = [a.imshow(np.zeros((1, len(grid), 4)), extent=(z_low, z_high, 0, 1), aspect="auto",
                       interpolation="nearest", zorder=0) for a in (ax, dax)]
    for a in (ax, dax):
        a.axhline(0, color="0.6", lw=1.0, zorder=1)
        a.axvline(0, color="0.6", lw=1.0, zorder=1)
        a.set_xlim(z_low, z_high)
        a.grid(True, alpha=0.3)
    label_axes(ax, "z", "h = f(z)")
    label_axes(dax, "z", "f′(z)")
    shaded = figure_text("saturated: f′ < {threshold}·max f′")
    dax.legend(handles=[Patch(color=SHADE, label=shaded.format(
                            threshold=f"{SATURATION_THRESHOLD:g}")),
                        Line2D([], [], color="0.35", lw=1.2, ls=":",
                               label=figure_text("that threshold"))],
               loc="upper left", fontsize=style.FONT_SIZE["legend"], framealpha=0.9)
    artists = ActivationDetailArtists(ax, dax, curve, derivative, tangent, probe, threshold,
                                      shades, grid)
    update_activation_detail(artists, activation, z)
    return artists


def update_activation_detail(artists: ActivationDetailArtists, activation="sigmoid",
                             z: float = 0.0) -> list:
    """Show another activation and/or probe another z, in the same artists."""
    f = _elementwise(activation)
    z0 = _number("z", z)
    grid = artists.z
    h, slope = f.forward(grid), f.derivative(grid)
    artists.curve.set_data(grid, h)
    artists.derivative.set_data(grid, slope)
    artists.ax.set_title(f"{f.name}:  h = f(z)", fontsize=style.FONT_SIZE["title"])
    artists.derivative_ax.set_title(figure_text("its derivative f′(z)"),
                                    fontsize=style.FONT_SIZE["title"])

    low, high = LIMITS.get(f.name, (min(-1.0, h.min() - 0.5), h.max() + 0.5))
    artists.ax.set_ylim(low, high)
    d_high = max(1.0, float(slope.max())) * 1.25 if slope.max() > 0.3 else float(slope.max()) * 1.6
    artists.derivative_ax.set_ylim(-0.08 * d_high, d_high)
    artists.threshold.set_data(grid[[0, -1]], [SATURATION_THRESHOLD * slope.max()] * 2)

    mask = saturated(f, grid)
    legend = artists.derivative_ax.get_legend()
    if legend is not None:            # a flat stretch (ReLU's left side) is dead, not saturated
        dead = mask.any() and not slope[mask].any()
        legend.get_texts()[0].set_text(
            figure_text("dead: f′ = 0") if dead else figure_text(
                "saturated: f′ < {threshold}·max f′").format(threshold=f"{SATURATION_THRESHOLD:g}"))
    strip = np.zeros((1, len(grid), 4))
    strip[0, mask] = SHADE
    for shade, a in zip(artists.shades, (artists.ax, artists.derivative_ax)):
        shade.set_data(strip)
        shade.set_extent((grid[0], grid[-1], *a.get_ylim()))

    h0 = float(f.forward(np.array([z0]))[0])
    d0 = float(f.derivative(np.array([z0]))[0])
    half = 1.5                                           # tangent drawn over z₀ ± 1.5
    artists.tangent.set_data([z0 - half, z0 + half], [h0 - half * d0, h0 + half * d0])
    artists.points[0].set_data([z0], [h0])
    artists.points[1].set_data([z0], [d0])
    return [artists.curve, artists.derivative, artists.tangent, *artists.points,
            artists.threshold, *artists.shades]


def _elementwise(activation) -> activations.Activation:
    f = activations.get(activation)
    if f.name == "softmax":
        raise ValueError("activation='softmax' is not elementwise, so it has no curve f(z). "
                         "Choose 'sigmoid', 'tanh', 'relu', 'leaky_relu' or 'linear'.")
    return f


def _two_axes(axes) -> tuple[Axes, Axes]:
    items = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(items) != 2 or not all(isinstance(a, Axes) for a in items):
        raise TypeError("axes must be two matplotlib Axes (for f and f′), e.g. from "
                        "plt.subplots(1, 2), or None for a new figure.")
    return items[0], items[1]


def _number(name: str, value) -> float:
    """``value`` as a float if it is a finite real number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number. Received: {name}={value!r}.")
    return float(value)
