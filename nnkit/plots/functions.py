"""Activation functions h = f(z) side by side, each with its derivative f'(z) dashed.

The math comes from ``nnkit.activations`` (the same code the layers run), so the picture shows
exactly what the network computes.  With ``saturation=True`` the z ranges where f'(z) falls
below a tenth of its peak are shaded: there the gradient barely flows back (the "vanishing
gradient" of sigmoid and tanh, the "dead" side of ReLU).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from nnkit import activations, checks
from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new, label_axes
from nnkit.plots.fonts import figure_text

__all__ = ["activation_functions", "ActivationFunctionsArtists", "SATURATION_THRESHOLD"]

SATURATION_THRESHOLD = 0.1   # shade where f'(z) < 0.1 · max f'(z)
ELEMENTWISE = tuple(name for name in activations.ACTIVATIONS if name != "softmax")


@dataclass
class ActivationFunctionsArtists(Picture):
    """What ``activation_functions`` drew, keyed by activation name."""

    ax: Axes
    lines: dict[str, Line2D]                       # f(z)
    derivative_lines: dict[str, Line2D] = field(default_factory=dict)    # f'(z), dashed
    saturation: dict[str, list[Rectangle]] = field(default_factory=dict)  # shaded z ranges


def activation_functions(ax: Axes | None,
                         names=("sigmoid", "tanh", "relu", "leaky_relu", "linear"),
                         derivative: bool = True, z: np.ndarray | None = None, *,
                         saturation: bool = False, ylim=(-1.5, 2.5),
                         title: str = "") -> ActivationFunctionsArtists:
    """Plot each activation f(z) (solid) and, if ``derivative``, f'(z) (dashed, same colour).

    ax:     the Axes to draw on, or None for a new figure.
    names:  activation names (see ``nnkit.activations``; softmax is not elementwise, so not here)
            or Activation objects, e.g. ``LeakyReLU(negative_slope=0.1)``.  At most 6.
    z:      (n,) the inputs to plot over; default 401 points on [-5, 5].
    saturation: shade where f'(z) < 0.1 · max f'(z), in the activation's colour (with several
            activations each gets its own horizontal band of the plot); the legend then stands
            to the right of the plot, so it hides none of the bands.
    ylim:   the y range, so ReLU and linear do not dwarf sigmoid; None to fit all curves.
    """
    if isinstance(names, (str, activations.Activation)):
        names = [names]
    functions = [_check_activation(name) for name in names]
    if not 1 <= len(functions) <= style.MAX_CLASSES:
        raise ValueError(f"names must list 1 to {style.MAX_CLASSES} activations (one colour "
                         f"each). Received {len(functions)}: {list(names)!r}.")
    derivative = checks.boolean("derivative", derivative)
    saturation = checks.boolean("saturation", saturation)
    z = np.linspace(-5.0, 5.0, 401) if z is None else \
        np.sort(checks.finite_array("z", z, ndim=1).astype(float))

    ax = axes_or_new(ax, figsize=(9.6, 5.0) if saturation else (7.5, 5.0))
    ax.axhline(0.0, color="0.6", lw=1.0, zorder=0)
    ax.axvline(0.0, color="0.6", lw=1.0, zorder=0)
    artists = ActivationFunctionsArtists(ax, {})
    n = len(functions)
    for k, (f, rgb) in enumerate(zip(functions, style.CLASS_COLORS)):
        color = style.to_unit(rgb)
        artists.lines[f.name], = ax.plot(z, f.forward(z), color=color, lw=style.LINE_WIDTH,
                                         label=f.name, zorder=3)
        slope = f.derivative(z)
        if derivative:
            artists.derivative_lines[f.name], = ax.plot(*_break_jumps(f, z, slope), color=color,
                                                        ls="--", lw=style.LINE_WIDTH * 0.8, zorder=2)
        if saturation:   # one horizontal band per activation, so overlapping shades do not mix
            band = dict(ymin=1 - (k + 1) / n, ymax=1 - k / n)
            artists.saturation[f.name] = [
                ax.axvspan(lo, hi, **band, color=color, alpha=0.18, lw=0, zorder=0)
                for lo, hi in _runs(z, slope < SATURATION_THRESHOLD * slope.max())]

    handles = list(artists.lines.values())
    if derivative:
        handles.append(Line2D([], [], color="0.3", ls="--", lw=style.LINE_WIDTH * 0.8,
                              label=figure_text("derivative f′(z)")))
    if saturation:
        handles.append(Rectangle((0, 0), 1, 1, color="0.3", alpha=0.15,
                                 label=f"f′ < {SATURATION_THRESHOLD:g}·max f′"))
    if saturation:        # the shaded strips fill the whole height: the legend goes beside them
        ax.legend(handles=handles, fontsize=style.FONT_SIZE["legend"], loc="upper left",
                  bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, handlelength=2.5)
    else:
        ax.legend(handles=handles, fontsize=style.FONT_SIZE["legend"], loc="upper left",
                  ncol=1 if len(handles) <= 3 else 2, handlelength=2.5)   # 2 columns: stays short
    ax.set_xlim(z[0], z[-1])
    if ylim is not None:
        ax.set_ylim(*ylim)
    else:                                          # fit the curves, with headroom for the legend
        low, high = ax.get_ylim()
        ax.set_ylim(low, high + 0.35 * (high - low))
    ax.grid(True, alpha=0.3)
    label_axes(ax, "z", "h = f(z)" + (figure_text("   and   f′(z)") if derivative else ""), title)
    return artists


def _check_activation(name) -> activations.Activation:
    if isinstance(name, activations.Activation):
        function = name
    elif isinstance(name, str) and name.lower() == "softmax":
        raise ValueError("names contains 'softmax', which is not elementwise: each output "
                         "depends on every z, so it has no curve f(z). Plot it over classes "
                         f"instead. Allowed here: {', '.join(map(repr, ELEMENTWISE))}.")
    elif isinstance(name, str):
        function = activations.get(checks.one_of("names", name.lower(), ELEMENTWISE))
    else:
        raise TypeError(f"names must hold activation names ({', '.join(map(repr, ELEMENTWISE))}) "
                        f"or Activation objects. Received: {name!r} (type {type(name).__name__}).")
    if function.name == "softmax":
        raise ValueError("names contains a Softmax object; softmax is not elementwise and has no "
                         "curve f(z).")
    return function


def _break_jumps(f: activations.Activation, z: np.ndarray, y: np.ndarray):
    """``(z, y)`` with a NaN (a gap in the line) where f' really jumps, e.g. ReLU's at 0.

    Without the gap matplotlib would draw a vertical segment, as if f' took every value in
    between.  A large step between neighbours is a jump only if it survives bisection: a smooth
    f' sampled coarsely shrinks its step as the interval shrinks, a discontinuous one does not.
    """
    span = np.ptp(y)
    candidates = np.flatnonzero(np.abs(np.diff(y)) > span / 3) if span > 0 else []
    jumps = np.array([i for i in candidates if _jumps_within(f, z[i], z[i + 1], span / 3)], dtype=int)
    middle = (z[jumps] + z[jumps + 1]) / 2
    return np.insert(z, jumps + 1, middle), np.insert(y.astype(float), jumps + 1, np.nan)


def _jumps_within(f: activations.Activation, a: float, b: float, step: float) -> bool:
    """True if f' changes by more than ``step`` across an arbitrarily small part of [a, b]."""
    for _ in range(40):                            # the interval shrinks by 2⁴⁰
        da, dm, db = f.derivative(np.array([a, (a + b) / 2, b]))
        if abs(dm - da) >= abs(db - dm):
            b = (a + b) / 2
        else:
            a = (a + b) / 2
    da, db = f.derivative(np.array([a, b]))
    return abs(db - da) > step


def _runs(z: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    """The (start, end) z of each contiguous stretch where ``mask`` is True."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return [(z[start], z[end - 1]) for start, end in zip(edges[0::2], edges[1::2])]
