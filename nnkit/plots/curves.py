"""Learning curves: the loss (or a metric) epoch by epoch, for training and validation data.

``history`` is a dict like Keras's ``history.history``::

    {"loss": [0.69, 0.52, ...], "val_loss": [0.70, 0.58, ...], "accuracy": [...]}

Entry ``e`` (0-based) is the value after epoch ``e + 1``, so the curves start at epoch 1.
A validation curve is drawn from ``"val_<metric>"`` (or ``"test_<metric>"``) when present.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new, label_axes
from nnkit.plots.fonts import figure_text

__all__ = ["loss_curves", "update_loss_curves", "LossCurvesArtists"]

VALIDATION_PREFIXES = ("val_", "test_")   # Keras writes val_; a held-out test set may say test_


@dataclass
class LossCurvesArtists(Picture):
    """What ``loss_curves`` drew: one line for training, one for validation (maybe still empty)."""

    ax: Axes
    train_line: Line2D
    validation_line: Line2D
    metric: str                   # the history key of the training curve, e.g. "loss"


def loss_curves(ax: Axes | None, history, log: bool = False, *, metric: str = "loss",
                xlabel: str = "epoch", title: str = "") -> LossCurvesArtists:
    """Draw ``history[metric]`` (solid) and its validation twin ``history["val_" + metric]`` (dashed).

    ax:      the Axes to draw on, or None for a new figure.
    history: dict of lists (Keras's ``history.history``), or an object with a ``.history`` dict.
             The lists may be empty (a live view before the first epoch).
    log:     True puts the y axis on a log scale (losses that fall by orders of magnitude).
    metric:  which curve, e.g. "loss" or "accuracy".
    """
    if not isinstance(log, (bool, np.bool_)):
        raise TypeError(f"log must be True or False. Received: log={log!r}.")
    train, validation, validation_key = _series(history, metric)
    ax = axes_or_new(ax, figsize=(7.0, 4.5))
    train_line, = ax.plot(np.arange(1, len(train) + 1), train, color=style.to_unit(style.TRAIN_COLOR),
                          lw=style.LINE_WIDTH, label=figure_text("train"))
    validation_name = figure_text("test") if validation_key.startswith("test_") \
        else figure_text("validation")
    validation_line, = ax.plot(np.arange(1, len(validation) + 1), validation, ls="--",
                               color=style.to_unit(style.VALIDATION_COLOR), lw=style.LINE_WIDTH,
                               label=validation_name)
    if log:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(FuncFormatter(_plain_number))   # 0.1 rather than 10⁻¹
        ax.yaxis.set_minor_formatter(FuncFormatter(_plain_two_and_five))
    ax.grid(True, which="major", alpha=0.3)
    label_axes(ax, xlabel, metric, title)
    artists = LossCurvesArtists(ax, train_line, validation_line, metric)
    _refresh_legend(artists)
    return artists


def update_loss_curves(artists: LossCurvesArtists, history) -> list:
    """Put the new values of ``history`` into the existing lines and rescale the axes.

    Returns the two lines (handy for ``FuncAnimation``).
    """
    train, validation, _ = _series(history, artists.metric)
    artists.train_line.set_data(np.arange(1, len(train) + 1), train)
    artists.validation_line.set_data(np.arange(1, len(validation) + 1), validation)
    artists.ax.relim()
    artists.ax.autoscale_view()
    _refresh_legend(artists)
    return [artists.train_line, artists.validation_line]


def _refresh_legend(artists: LossCurvesArtists) -> None:
    """Legend entries for the lines that hold data; rebuilt only when that set changes."""
    shown = [line for line in (artists.train_line, artists.validation_line) if len(line.get_xdata())]
    legend = artists.ax.get_legend()
    current = [] if legend is None else [text.get_text() for text in legend.get_texts()]
    if [line.get_label() for line in shown] == current:
        return
    if legend is not None:
        legend.remove()
    if shown:
        artists.ax.legend(handles=shown, fontsize=style.FONT_SIZE["legend"], handlelength=3)


def _plain_number(value: float, _position=None) -> str:
    return f"{value:g}"


def _plain_two_and_five(value: float, _position=None) -> str:
    """Label the minor ticks 0.2, 0.5, 2, 5, ... and leave the others blank (less clutter)."""
    leading = value / 10.0 ** np.floor(np.log10(value)) if value > 0 else 0.0
    return f"{value:g}" if round(leading) in (2, 5) else ""


def _series(history, metric: str) -> tuple[np.ndarray, np.ndarray, str]:
    """(train values, validation values (maybe empty), the validation key looked for)."""
    if not isinstance(history, Mapping) and isinstance(getattr(history, "history", None), Mapping):
        history = history.history                # a History object rather than its dict
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a dict of lists like Keras's history.history, e.g. "
                        f"{{'loss': [...], 'val_loss': [...]}}. Received: history of type "
                        f"{type(history).__name__}.")
    if metric not in history:
        raise ValueError(f"history has no {metric!r} entry. Received keys: "
                         f"{', '.join(repr(k) for k in history) or 'none'}. Pass metric= one of them.")
    validation_key = next((p + metric for p in VALIDATION_PREFIXES if p + metric in history),
                          "val_" + metric)
    train = _values("history", metric, history[metric])
    validation = _values("history", validation_key, history.get(validation_key, []))
    return train, validation, validation_key


def _values(name: str, key: str, values) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)   # NaN is kept: a diverged run shows a gap
    except (TypeError, ValueError):
        raise TypeError(f"{name}[{key!r}] must be a list of numbers. Received: {values!r:.60}.") from None
    if array.ndim != 1:
        raise ValueError(f"{name}[{key!r}] must be a flat list of numbers, one per epoch. "
                         f"Received an array of shape {array.shape}.")
    return array
