"""Getting an Axes to draw on, and dressing it for a projector.

Every plot takes ``ax``.  Given an Axes it draws there and touches nothing else; given ``None``
it makes its own ``matplotlib.figure.Figure`` (not a pyplot figure, so nothing is left open
behind the learner's back).  The artists it returns then show that figure when they are the
last value of a notebook cell (``_repr_png_``).
"""
from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nnkit.plots import style
from nnkit.plots.fonts import figure_text

__all__ = ["axes_or_new", "Picture", "label_axes"]


def axes_or_new(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new stand-alone Figure of ``figsize`` inches."""
    if ax is None:
        return Figure(figsize=figsize, layout="constrained").add_subplot()
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes (e.g. from plt.subplots()) or None for a "
                        f"new figure. Received: ax of type {type(ax).__name__}.")
    return ax


class Picture:
    """Mixin for the artists a plot returns: ``.figure``, and a notebook picture of it.

    The picture is offered only for figures pyplot does not manage (those made with ``ax=None``);
    pyplot already shows its own figures at the end of a cell, and once is enough.
    """

    ax: Axes

    @property
    def figure(self) -> Figure:
        return self.ax.figure

    def _repr_png_(self) -> bytes | None:
        figure = self.ax.get_figure(root=True)
        if figure.canvas.manager is not None:        # a pyplot figure: pyplot displays it
            return None
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()


def label_axes(ax: Axes, xlabel: str = "", ylabel: str = "", title: str = "") -> None:
    """Set labels and title at projector sizes, and enlarge the tick labels."""
    if xlabel:                  # figure_text: the kit's own words follow nnkit.set_language
        ax.set_xlabel(figure_text(xlabel), fontsize=style.FONT_SIZE["label"])
    if ylabel:
        ax.set_ylabel(figure_text(ylabel), fontsize=style.FONT_SIZE["label"])
    if title:
        ax.set_title(figure_text(title), fontsize=style.FONT_SIZE["title"])
    ax.tick_params(which="both", labelsize=style.FONT_SIZE["tick"])
