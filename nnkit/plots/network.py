"""The network as a diagram: units in columns, one line per weight.

A Dense layer computes ``h = f(x @ W + b)`` with ``W: (n_in, n_out)``, ``b: (n_out,)``, so
weight ``W[i, j]`` connects unit ``i`` of one column to unit ``j`` of the next.  Each line's
colour is the sign of its weight (blue +, orange −, white ≈ 0) and its width is ``|w|``
relative to the largest ``|w|`` in the network.  The small square on each unit's lower left
is its bias ``b[j]``, coloured on the same scale.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import offset_copy

from nnkit import checks
from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new
from nnkit.plots.fonts import figure_text

__all__ = ["network_diagram", "update_network_diagram", "NetworkDiagramArtists"]

MIN_WIDTH, MAX_WIDTH = 0.4, 8.0   # line width (points) of a zero and of the largest weight


@dataclass
class NetworkDiagramArtists(Picture):
    """What ``network_diagram`` drew; ``update_network_diagram`` recolours it in place."""

    ax: Axes
    lines: LineCollection          # Σ n_in·n_out segments, layer by layer, each W in row-major order
    units: PathCollection          # every unit, column by column, top to bottom
    biases: PathCollection         # one square per non-input unit, in the same order
    texts: list[Text]              # titles and input/output labels
    layer_sizes: tuple[int, ...]   # units per column: (n_in, n_hidden..., n_out)
    scale: float | None            # fixed |w| for the widest line, or None: the current largest


def network_diagram(ax: Axes | None, weights, *, input_labels=None, output_labels=None,
                    layer_titles=None, scale: float | None = None, legend: bool = True,
                    title: str = "") -> NetworkDiagramArtists:
    """Draw a Dense network from its weights.

    ax:      the Axes to draw on, or None for a new figure.
    weights: list of (W, b) pairs, W: (n_in, n_out), b: (n_out,), one per layer (a flat list
             [W0, b0, W1, b1, ...] as Keras's ``model.get_weights()`` returns works too).
    input_labels, output_labels: a name per input / output unit, written beside it.
    layer_titles: one title per column (input + each layer), e.g. ["x", "tanh", "sigmoid"];
             default "input", "hidden 1", ..., "output".
    scale:   the |w| drawn at full width and colour; default the largest |w| of the network,
             recomputed at each update (fix it to compare pictures across training).
    legend:  a key below the diagram: what blue, orange and the squares mean.
    """
    pairs = _check_weights(weights)
    sizes = (pairs[0][0].shape[0],) + tuple(W.shape[1] for W, _ in pairs)
    if scale is not None:
        scale = checks.positive_float("scale", scale)
    n_columns = len(sizes)
    if layer_titles is None:
        layer_titles = ["input"] + [f"hidden {l}" for l in range(1, n_columns - 1)] + ["output"]
    layer_titles = _check_labels("layer_titles", layer_titles, n_columns, "one per column "
                                 "(the input and each layer)")
    input_labels = _check_labels("input_labels", input_labels, sizes[0], "one per input")
    output_labels = _check_labels("output_labels", output_labels, sizes[-1], "one per output")

    ax = axes_or_new(ax, figsize=(2.4 * n_columns + 1.2, min(7.0, 0.6 * max(sizes) + 1.8)))
    top = max(sizes) / 2.0 + 0.35                                     # y of the layer titles
    left = 0.9 if input_labels else 0.45
    right = 0.9 if output_labels else 0.45
    ax.set_xlim(-left, n_columns - 1 + right)
    ax.set_ylim(-max(sizes) / 2.0 - 0.1, top + 0.6)
    ax.set_axis_off()
    positions = [_column(l, n) for l, n in enumerate(sizes)]          # (n, 2) each
    segments = []                                   # W[i, j]: unit i of column l → unit j of l+1
    for column_in, column_out in zip(positions[:-1], positions[1:]):
        for start in column_in:                     # i, then j: the row-major order of W.ravel()
            for end in column_out:
                segments.append((start, end))
    lines = LineCollection(segments, zorder=1, capstyle="round")
    ax.add_collection(lines)

    diameter = float(np.clip(0.5 * _points_per_unit_height(ax), 6.0, 30.0))   # unit circle, points
    all_units = np.concatenate(positions)
    units = ax.scatter(all_units[:, 0], all_units[:, 1], s=diameter ** 2, facecolors="white",
                       edgecolors="0.25", linewidths=2.0, zorder=2)
    corner = offset_copy(ax.transData, fig=ax.get_figure(root=True), x=-0.5 * diameter,
                         y=-0.5 * diameter, units="points")      # just off the lower-left rim
    biased = np.concatenate(positions[1:])
    biases = ax.scatter(biased[:, 0], biased[:, 1], s=(0.42 * diameter) ** 2, marker="s",
                        edgecolors="0.25", linewidths=1.2, zorder=3, transform=corner)

    texts = []
    for l, text in enumerate(layer_titles or []):
        texts.append(ax.text(l, top, text, ha="center", va="bottom",
                             fontsize=style.FONT_SIZE["label"], fontweight="bold"))
    for (x, y), text in zip(positions[0], input_labels or []):
        texts.append(ax.text(x - 0.18, y, text, ha="right", va="center",
                             fontsize=style.FONT_SIZE["annotation"]))
    for (x, y), text in zip(positions[-1], output_labels or []):
        texts.append(ax.text(x + 0.18, y, text, ha="left", va="center",
                             fontsize=style.FONT_SIZE["annotation"]))
    if title:
        ax.set_title(title, fontsize=style.FONT_SIZE["title"])
    if legend:
        _add_legend(ax)

    artists = NetworkDiagramArtists(ax, lines, units, biases, texts, sizes, scale)
    _paint(artists, pairs)
    return artists


def update_network_diagram(artists: NetworkDiagramArtists, weights) -> list:
    """Recolour and re-width the lines and bias squares for new weights of the same shapes.

    Nothing is added or removed.  Returns ``[artists.lines, artists.biases]``.
    """
    pairs = _check_weights(weights)
    sizes = (pairs[0][0].shape[0],) + tuple(W.shape[1] for W, _ in pairs)
    if sizes != artists.layer_sizes:
        raise ValueError(f"weights must keep the layer sizes the diagram was drawn with, "
                         f"{artists.layer_sizes}. Received layer sizes {sizes}. Draw a new "
                         f"diagram for a different network.")
    _paint(artists, pairs)
    return [artists.lines, artists.biases]


def _paint(artists: NetworkDiagramArtists, pairs) -> None:
    """Set every line's colour and width, and every bias square's colour, from the weights."""
    w = np.concatenate([W.ravel() for W, _ in pairs])                  # same order as the segments
    b = np.concatenate([b for _, b in pairs])
    largest = float(np.abs(w).max())
    scale = artists.scale if artists.scale is not None else (largest if largest > 0 else 1.0)
    colormap, norm = style.diverging_cmap(), Normalize(-scale, scale, clip=True)
    artists.lines.set_color(colormap(norm(w)))
    artists.lines.set_linewidths(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.minimum(np.abs(w) / scale, 1.0))
    artists.biases.set_facecolors(colormap(norm(b)))


def _add_legend(ax: Axes) -> None:
    def line(rgb, label):
        return Line2D([], [], color=style.to_unit(rgb), lw=5, label=label)
    bias = Line2D([], [], ls="", marker="s", ms=10, mfc="0.85", mec="0.25",
                  label=figure_text("bias b (same colours)"))
    ax.legend(handles=[line(style.POSITIVE_COLOR, "w > 0"), line(style.NEGATIVE_COLOR, "w < 0"), bias],
              loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, frameon=False,
              fontsize=style.FONT_SIZE["legend"], handlelength=2.5)


def _points_per_unit_height(ax: Axes) -> float:
    """How many points one data unit of y spans on the page (the spacing between two units)."""
    figure = ax.get_figure(root=True)
    height_points = ax.get_position().height * figure.get_figheight() * 72.0
    low, high = ax.get_ylim()
    return height_points / (high - low)


def _column(l: int, n: int) -> np.ndarray:
    """Positions (n, 2) of n units in column l, one unit apart, centred on y = 0, top first."""
    return np.column_stack([np.full(n, float(l)), (n - 1) / 2.0 - np.arange(n)])


def _check_weights(weights) -> list[tuple[np.ndarray, np.ndarray]]:
    """A list of (W, b) pairs with W (n_in, n_out), b (n_out,) and chained sizes."""
    if isinstance(weights, np.ndarray) or not hasattr(weights, "__len__") or len(weights) == 0:
        raise TypeError("weights must be a non-empty list of (W, b) pairs, W: (n_in, n_out), "
                        f"b: (n_out,). Received: weights of type {type(weights).__name__}"
                        f"{' (empty)' if hasattr(weights, '__len__') and not len(weights) else ''}.")
    items = list(weights)
    flat = all(isinstance(a, np.ndarray) for a in items) and len(items) % 2 == 0 and \
        all(a.ndim == 2 for a in items[0::2]) and all(a.ndim == 1 for a in items[1::2])
    if flat:                                        # Keras's get_weights(): [W0, b0, W1, b1, ...]
        items = list(zip(items[0::2], items[1::2]))
    pairs = []
    for l, item in enumerate(items):
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise TypeError(f"weights[{l}] must be a (W, b) pair. Received: an object of type "
                            f"{type(item).__name__}.")
        W, b = (np.asarray(a, dtype=float) for a in item)
        if W.ndim != 2 or b.ndim != 1 or b.shape[0] != W.shape[1]:
            raise ValueError(f"weights[{l}] must be (W, b) with W: (n_in, n_out) and b: (n_out,). "
                             f"Received W of shape {W.shape} and b of shape {b.shape}.")
        if pairs and pairs[-1][0].shape[1] != W.shape[0]:
            raise ValueError(f"weights[{l}][0] (W) has {W.shape[0]} rows but the layer before has "
                             f"{pairs[-1][0].shape[1]} units: W of layer l must be (n_out of "
                             f"layer l-1, n_out).")
        if not (np.isfinite(W).all() and np.isfinite(b).all()):
            raise ValueError(f"weights[{l}] contains NaN or infinite values (did training diverge? "
                             f"try a smaller learning_rate).")
        pairs.append((W, b))
    return pairs


def _check_labels(name: str, labels, n: int, what: str):
    if labels is None:
        return None
    if isinstance(labels, str) or len(labels) != n:
        raise ValueError(f"{name} must be a list of {n} strings, {what}. Received: {name}={labels!r}.")
    return [str(t) for t in labels]
