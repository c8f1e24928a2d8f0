"""Lesson 09's temperature widget: what a character model writes at a chosen temperature.

    sampler = TextGenerator(generate, text_model)      # the lesson's generate(model, start, …)
    sampler                                            # controls + the text, live in a notebook
    sampler.set(temperature=1.5)                       # what a drag of the slider does
    sampler.text                                       # the text written at those settings

The text itself comes from the lesson's own ``generate`` function, asked by
``nnkit.labs.text_sampling``; this module only wires the controls to it and shows the result — as live text in JupyterLab, and as a picture (``image/png``)
of the same text for a reader without a kernel (GitHub, nbconvert).
"""
from __future__ import annotations

import html
import io
from typing import Callable

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnkit.labs.text_sampling import SEED_RANGE, TextLab
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, slider_layout
from nnkit.i18n import _

__all__ = ["TextGenerator"]


class TextGenerator(LessonWidget):
    """Sliders for the temperature τ and the random seed, a box for the start, and the text.

    generate: the lesson's ``generate(model, start, length=…, temperature=…, seed=…) -> str``,
              which continues ``start`` by ``length`` characters sampled at temperature τ.
    model:    the trained character model handed to ``generate``.
    length:   characters written after the start.
    temperature, seed, start: the first settings (``set`` changes them later).
    The settings and the text are the ``lab``'s (``nnkit.labs.text_sampling.TextLab``).
    """

    SETTINGS = TextLab.SETTINGS

    def __init__(self, generate: Callable[..., str], model, length: int = 200,
                 temperature: float = 0.5, seed: int = 0, start: str = "The Rabbit"):
        super().__init__()
        self.lab = TextLab(generate, model, length, temperature, seed, start)
        self._picture: tuple | None = None            # (settings, png) of the last picture
        self.output = widgets.HTML(layout=widgets.Layout(max_width="900px"))
        self.draw()

    def draw(self, changed: set | None = None) -> None:
        """Show the text the lab wrote for the current settings."""
        self.output.value = (f'<pre style="font-size:16px;line-height:1.4;white-space:pre-wrap">'
                             f'{html.escape(self.wrapped())}</pre>')

    # ---- display --------------------------------------------------------------------------------
    def _layout(self) -> widgets.Widget:
        temperature = widgets.FloatLogSlider(value=self.temperature, base=10, min=-1, max=0.4,
                                             step=0.05, description=_("temperature"),
                                             continuous_update=False, readout_format=".2f",
                                             style=SLIDER_STYLE, layout=slider_layout())
        seed = widgets.IntSlider(value=self.seed, min=SEED_RANGE[0], max=SEED_RANGE[1],
                                 description=_("seed"), continuous_update=False,
                                 style=SLIDER_STYLE, layout=slider_layout())
        start = widgets.Text(value=self.start, description=_("start"), continuous_update=False,
                             style=SLIDER_STYLE, layout=slider_layout())
        for name, control in (("temperature", temperature), ("seed", seed), ("start", start)):
            self._bind(name, control)
        return widgets.VBox([temperature, seed, start, self.message, self.output])

    def picture(self) -> bytes:
        """The settings and the text as a PNG (for readers without a kernel)."""
        key = (self.temperature, self.seed, self.start, self.text)
        if self._picture is None or self._picture[0] != key:
            self._picture = (key, _text_png(self._caption(), self.wrapped()))
        return self._picture[1]

    def _caption(self) -> str:
        return (f"temperature {self.temperature:.2f}   ·   seed {self.seed}   ·   "
                f"start {self.start!r}")

    def __repr__(self) -> str:
        return repr(self.lab).replace("TextLab", "TextGenerator")


def _text_png(caption: str, text: str) -> bytes:
    """A caption line and a block of monospaced text, drawn by matplotlib as a PNG."""
    lines = text.count("\n") + 1
    figure = Figure(figsize=(10.5, 0.75 + 0.3 * lines), dpi=100)
    FigureCanvasAgg(figure)
    figure.text(0.015, 1 - 0.32 / figure.get_figheight(), caption, fontsize=14, va="top",
                color="#1b4f72", weight="bold")
    figure.text(0.015, 1 - 0.7 / figure.get_figheight(), text, fontsize=13, va="top",
                family="monospace", linespacing=1.45)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()
