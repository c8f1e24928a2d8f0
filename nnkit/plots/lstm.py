"""Inside an LSTM: every gate of every unit at every time step, as units × time heatmaps.

The six arrays are the lesson's (§3.6), read from one forward pass (``model.trace(x)``)::

    i_t = σ(W_xi x_t + W_hi h_{t-1} + b_i)     input gate        0 … 1
    f_t = σ(W_xf x_t + W_hf h_{t-1} + b_f)     forget gate       0 … 1
    o_t = σ(W_xo x_t + W_ho h_{t-1} + b_o)     output gate       0 … 1
    g_t = tanh(W_xg x_t + W_hg h_{t-1} + b_g)  candidate value  -1 … 1
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t            cell state        any sign and size
    h_t = o_t ⊙ tanh(c_t)                      output           -1 … 1

One panel per array, stacked so that time runs left to right through all of them: column ``t``
of every panel is one step, row ``j`` one unit.  A memory shows up as a row of ``c`` that keeps
its colour.  Gates are white (closed, 0) → blue (open, 1); g and h run orange (−1) → white (0) →
blue (+1); c has no fixed range, so its colours are scaled to the data: by default ± max |c| of
the drawn sample, the number written at the ends of its colour bar.  The input sequence, if
given, is on top.

    artists = lstm_gates(model.trace(X), sample=0, x=X)      # a new figure
    update_lstm_gates(artists, model.trace(X), sample=0)      # after more training
    highlight_lstm_step(artists, step=5, unit=2)              # outline one step and one unit
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from nnkit import checks
from nnkit.plots import style
from nnkit.plots.fonts import figure_text
from nnkit.i18n import N_

__all__ = ["lstm_gates", "update_lstm_gates", "highlight_lstm_step", "LSTMGatesArtists",
           "GATES", "GATE_NAMES", "cell_scale"]

GATES = ("i", "f", "o", "g", "c", "h")
GATE_NAMES = {"i": N_("input gate"), "f": N_("forget gate"), "o": N_("output gate"),
              "g": N_("candidate g"), "c": N_("cell state"), "h": N_("output h")}
SIGMOID_GATES = ("i", "f", "o")            # 0 … 1: white → blue
MAX_ANNOTATED_STEPS = 30                   # input numbers are written in the cells up to this T


@dataclass
class LSTMGatesArtists:
    """What ``lstm_gates`` drew, kept so a live view can change it in place."""

    figure: Figure
    axes: dict[str, Axes]                   # "x" (if the input is shown) and each of GATES
    images: dict[str, AxesImage]            # one (H, T) image per gate; "x": (D, T)
    step_marks: list[Rectangle]             # one outline per panel around the highlighted step
    unit_marks: list[Rectangle]             # one outline per gate panel around the highlighted unit
    input_texts: list[Text] = field(default_factory=list)   # the numbers in the input cells
    colorbars: dict = field(default_factory=dict)           # one per panel, by key
    shape: tuple[int, int] = (0, 0)         # (T, H)
    c_scale: float = 1.0                    # |c| drawn at full colour
    step: int | None = None
    unit: int | None = None

    def _repr_png_(self) -> bytes | None:
        if self.figure.canvas.manager is not None:    # a pyplot figure: pyplot shows it
            return None
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()

    @property
    def dynamic(self) -> list:
        """The artists a training frame changes (the six heatmaps) and the highlights."""
        return [self.images[k] for k in GATES] + self.step_marks + self.unit_marks


def cell_scale(c: np.ndarray) -> float:
    """The |c| drawn at full colour: max |c| of ``c``, rounded up to two significant figures.

    c: the cell states to be drawn, e.g. (T, H) of one sample.  The colours run from −scale
    (orange) through 0 (white) to +scale (blue), so the largest |c| shown is at full colour and
    the colour bar's end label is that number (3.8, not a fixed 8).  All zeros: 1.
    """
    top = float(np.max(np.abs(c))) if np.size(c) else 0.0
    if not np.isfinite(top) or top <= 0:
        return 1.0
    digits = 1 - int(np.floor(np.log10(top)))            # two significant figures
    return float(np.ceil(round(top * 10.0 ** digits, 9)) / 10.0 ** digits)   # 0.3 stays 0.3


def lstm_gates(trace: dict, sample: int = 0, x: np.ndarray | None = None, *,
               step: int | None = None, unit: int | None = None, feature_names=None,
               axes=None, c_scale: float | None = None, title: str = "") -> LSTMGatesArtists:
    """Draw the input and the six gate arrays of one sample as units × time heatmaps.

    trace:  ``{"i", "f", "o", "g", "c", "h"}`` → (N, T, H) arrays (``model.trace(x)``), or
            (T, H) arrays of one sample.
    sample: which of the N samples to draw.
    x:      (N, T, D) (or (T, D)) the inputs of the trace, drawn on top; None: no input panel.
    step, unit: outline time step ``step`` in every panel and unit ``unit`` in every gate panel.
    feature_names: D names for the input rows, e.g. ["value", "store", "recall"].
    axes:   a sequence of 6 Axes (i, f, o, g, c, h), or 7 with the input's first; None: a new
            figure (``matplotlib.figure.Figure``, not managed by pyplot).
    c_scale: |c| drawn at full colour (larger values show at full colour; the colour bar's
            arrows say so); default ``cell_scale`` of this sample's c: its own max |c|.
    """
    gates = _check_trace(trace, sample)
    T, H = gates["i"].shape
    xs = None if x is None else _check_input(x, sample, T)
    n_panels = 6 + (xs is not None)
    figure, ax_list = _axes(axes, n_panels, T, H, 0 if xs is None else xs.shape[1])
    named = dict(zip((["x"] if xs is not None else []) + list(GATES), ax_list))
    c_scale = cell_scale(gates["c"]) if c_scale is None else checks.positive_float("c_scale", c_scale)

    images: dict[str, AxesImage] = {}
    colorbars = {}
    fs = style.FONT_SIZE
    for key in GATES:
        ax = named[key]
        cmap, norm = _colours(key, c_scale)
        images[key] = ax.imshow(gates[key].T, cmap=cmap, norm=norm, aspect="auto",
                                interpolation="nearest", origin="lower")
        ax.set_ylabel(f"{key}", fontsize=fs["title"] + 3, rotation=0, ha="right", va="center",
                      labelpad=10, fontweight="bold")
        ax.set_yticks(_unit_ticks(H))
        colorbar = figure.colorbar(images[key], ax=ax, pad=0.01, fraction=0.04, aspect=6,
                                   extend="both" if key == "c" else "neither")
        colorbar.ax.tick_params(labelsize=fs["tick"] - 1)
        colorbar.set_ticks(_bar_ticks(key, c_scale))
        if key == "c":
            colorbar.set_label("|c| at full colour", fontsize=fs["tick"] - 3, labelpad=2)
            colorbar.formatter = FuncFormatter(_bar_number)      # kept when the ticks change
        colorbars[key] = colorbar
        ax.text(1.0, 1.02, figure_text(GATE_NAMES[key]), transform=ax.transAxes, ha="right",
                va="bottom",
                fontsize=fs["annotation"], color="0.25")

    input_texts: list[Text] = []
    if xs is not None:
        ax = named["x"]
        D = xs.shape[1]
        vmax = max(1.0, float(np.max(np.abs(xs))))
        images["x"] = ax.imshow(xs.T, cmap=style.diverging_cmap(), norm=Normalize(-vmax, vmax),
                                aspect="auto", interpolation="nearest", origin="lower")
        names = _feature_names(feature_names, D)
        ax.set_yticks(range(D), names, fontsize=fs["tick"])
        ax.set_ylabel("x", fontsize=fs["title"] + 3, rotation=0, ha="right", va="center",
                      labelpad=10, fontweight="bold")
        colorbar = figure.colorbar(images["x"], ax=ax, pad=0.01, fraction=0.04, aspect=6)
        colorbar.ax.tick_params(labelsize=fs["tick"] - 1)
        colorbar.set_ticks([-vmax, 0, vmax])
        if T <= MAX_ANNOTATED_STEPS:
            for t in range(T):
                for d in range(D):
                    input_texts.append(ax.text(t, d, _short(xs[t, d]), ha="center", va="center",
                                               fontsize=fs["tick"] - (2 if T > 20 else 0),
                                               color=_ink(xs[t, d] / vmax)))
        ax.text(1.0, 1.02, figure_text("input sequence"), transform=ax.transAxes, ha="right",
                va="bottom",
                fontsize=fs["annotation"], color="0.25")
    for k, ax in enumerate(ax_list):
        ax.set_xlim(-0.5, T - 0.5)
        ax.tick_params(labelsize=fs["tick"], length=3)
        ax.set_xticks(_step_ticks(T))
        ax.tick_params(labelbottom=k == len(ax_list) - 1)
    ax_list[-1].set_xlabel(figure_text("time step t"), fontsize=fs["label"])
    if title:
        ax_list[0].set_title(title, fontsize=fs["title"], loc="left")

    step_marks = [ax.add_patch(Rectangle((-0.5, -0.5), 1, 1, fill=False, ec="black", lw=2.5,
                                         visible=False, zorder=5, clip_on=False))
                  for ax in ax_list]
    unit_marks = [named[k].add_patch(Rectangle((-0.5, -0.5), T, 1, fill=False, ec="black", lw=1.5,
                                               ls=(0, (3, 2)), visible=False, zorder=5))
                  for k in GATES]
    artists = LSTMGatesArtists(figure, named, images, step_marks, unit_marks, input_texts,
                               colorbars, (T, H), c_scale)
    highlight_lstm_step(artists, step, unit)
    return artists


def update_lstm_gates(artists: LSTMGatesArtists, trace: dict, sample: int = 0,
                      x: np.ndarray | None = None, c_scale: float | None = None) -> list:
    """Put one sample's new gate values (and, if given, its inputs) into the existing images.

    The trace must keep the drawn (T, H).  c keeps the colour scale it was drawn with (values
    beyond it show at full colour, the colour bar's arrows) unless ``c_scale`` gives a new one;
    then the colour bar changes too, and a blitting view must redraw its background.
    Returns the changed images.
    """
    gates = _check_trace(trace, sample)
    if gates["i"].shape != artists.shape:
        raise ValueError(f"the trace must keep the drawn shape (T, H) = {artists.shape}. Received "
                         f"{gates['i'].shape}. For another length or unit count, draw a new plot.")
    for key in GATES:
        artists.images[key].set_data(gates[key].T)
    changed = [artists.images[k] for k in GATES]
    if c_scale is not None and c_scale != artists.c_scale:
        c_scale = checks.positive_float("c_scale", c_scale)
        artists.images["c"].norm.vmin, artists.images["c"].norm.vmax = -c_scale, c_scale
        if "c" in artists.colorbars:
            artists.colorbars["c"].set_ticks(_bar_ticks("c", c_scale))
        artists.c_scale = c_scale
    if x is not None:
        if "x" not in artists.images:
            raise ValueError("x was given, but the plot was drawn without an input panel "
                             "(lstm_gates(..., x=None)).")
        xs = _check_input(x, sample, artists.shape[0])
        artists.images["x"].set_data(xs.T)
        vmax = artists.images["x"].norm.vmax
        for text, value in zip(artists.input_texts, xs.ravel()):   # (t, d) order, as drawn
            text.set_text(_short(value))
            text.set_color(_ink(value / vmax))
        changed.append(artists.images["x"])
    return changed


def highlight_lstm_step(artists: LSTMGatesArtists, step: int | None = None,
                        unit: int | None = None) -> list:
    """Outline time step ``step`` in every panel and unit ``unit`` in every gate; None hides it."""
    T, H = artists.shape
    if step is not None:
        step = checks.non_negative_int("step", step)
        if step >= T:
            raise ValueError(f"step must lie in 0 … {T - 1} (the sequence has {T} steps). "
                             f"Received: step={step}.")
    if unit is not None:
        unit = checks.non_negative_int("unit", unit)
        if unit >= H:
            raise ValueError(f"unit must lie in 0 … {H - 1} (the layer has {H} units). "
                             f"Received: unit={unit}.")
    for mark in artists.step_marks:
        ax = mark.axes
        low, high = ax.get_ylim()
        mark.set_bounds(step - 0.5 if step is not None else -0.5, low, 1.0, high - low)
        mark.set_visible(step is not None)
    for mark in artists.unit_marks:
        mark.set_bounds(-0.5, (unit if unit is not None else 0) - 0.5, T, 1.0)
        mark.set_visible(unit is not None)
    artists.step, artists.unit = step, unit
    return artists.step_marks + artists.unit_marks


# --- helpers ------------------------------------------------------------------------------------

def _check_trace(trace, sample: int) -> dict[str, np.ndarray]:
    """Each gate of one sample as a (T, H) float array."""
    if not isinstance(trace, dict) or any(k not in trace for k in GATES):
        have = sorted(trace) if isinstance(trace, dict) else type(trace).__name__
        raise TypeError(f"trace must be a dict with the keys {', '.join(GATES)} (an LSTM's "
                        f"model.trace(x)). Received: {have}. A SimpleRNN's trace has only z and h.")
    arrays = {k: np.asarray(trace[k], dtype=float) for k in GATES}
    shape = arrays["i"].shape
    if any(a.shape != shape for a in arrays.values()) or len(shape) not in (2, 3):
        raise ValueError("every trace entry must have the same shape, (N, T, H) or (T, H). "
                         f"Received: {', '.join(f'{k}{a.shape}' for k, a in arrays.items())}.")
    if len(shape) == 2:
        return arrays
    sample = checks.non_negative_int("sample", sample)
    if sample >= shape[0]:
        raise ValueError(f"sample must lie in 0 … {shape[0] - 1} (the trace holds {shape[0]} "
                         f"samples). Received: sample={sample}.")
    return {k: a[sample] for k, a in arrays.items()}


def _check_input(x, sample: int, T: int) -> np.ndarray:
    x = checks.finite_array("x", x, ndim=(2, 3)).astype(float)
    if x.ndim == 3:
        if not 0 <= sample < len(x):
            raise ValueError(f"sample must lie in 0 … {len(x) - 1} (x holds {len(x)} samples). "
                             f"Received: sample={sample}.")
        x = x[sample]
    if x.shape[0] != T:
        raise ValueError(f"x has {x.shape[0]} time steps but the trace has {T}: pass the inputs "
                         f"the trace was computed from.")
    return x


def _axes(axes, n_panels: int, T: int, H: int, D: int):
    if axes is None:
        heights = ([max(1.2, 0.45 * D + 0.5)] if n_panels == 7 else []) + [max(1.0, 0.13 * H + 0.2)] * 6
        figure = Figure(figsize=(max(8.0, min(13.0, 4.0 + 0.35 * T)), sum(heights) + 1.0),
                        layout="constrained")
        ax_list = list(figure.subplots(n_panels, 1, sharex=True,
                                       gridspec_kw={"height_ratios": heights}))
        return figure, ax_list
    ax_list = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(ax_list) != n_panels or not all(isinstance(a, Axes) for a in ax_list):
        raise TypeError(f"axes must be {n_panels} matplotlib Axes ({'x, ' if n_panels == 7 else ''}"
                        f"i, f, o, g, c, h), or None for a new figure. Received: {axes!r:.80}.")
    return ax_list[0].get_figure(root=True), ax_list


def _colours(key: str, c_scale: float):
    if key in SIGMOID_GATES:
        return style.sequential_cmap(), Normalize(0.0, 1.0)
    vmax = c_scale if key == "c" else 1.0
    return style.diverging_cmap(), Normalize(-vmax, vmax)


def _bar_ticks(key: str, c_scale: float) -> list[float]:
    """0 and 1 for a gate; −1, 0, 1 for g and h; −scale, 0, +scale for c (its max |c|)."""
    if key in SIGMOID_GATES:
        return [0.0, 1.0]
    vmax = c_scale if key == "c" else 1.0
    return [-vmax, 0.0, vmax]


def _bar_number(value: float, _position=None) -> str:
    """A colour-bar label for c: two significant figures, 0 as "0" (3.8, −3.8, not 3.800)."""
    return f"{value:.2g}" if value else "0"


def _unit_ticks(H: int) -> list[int]:
    """Unit numbers on the y axis: all of them up to 4 units, else about four."""
    return list(range(H)) if H <= 4 else list(range(0, H, int(np.ceil(H / 4))))


def _step_ticks(T: int) -> list[int]:
    every = 1 if T <= 12 else 2 if T <= 24 else 5 if T <= 60 else 10
    return list(range(0, T, every))


def _feature_names(names, D: int) -> list[str]:
    if names is None:
        return [f"x[{d}]" for d in range(D)]
    names = [str(n) for n in names]
    if len(names) != D:
        raise ValueError(f"feature_names must have one name per input feature ({D}). "
                         f"Received {len(names)}: {names!r}.")
    return names


def _short(value: float) -> str:
    """A cell label: integers as "+1" / "0", other numbers to two decimals."""
    if value == round(value):
        return f"{value:+.0f}" if value else "0"
    return f"{value:.2f}"


def _ink(t: float) -> str:
    """Text colour readable on the diverging scale at t = value / vmax."""
    return "white" if abs(t) > 0.6 else "0.15"
