"""What every lesson widget shares: settings changed through ``set``, controls bound to them.

A lesson widget is three things kept apart, as in ipywidgets' own ``interact``:

* its **logic** — a plain object with the numbers (a neuron, a loss, three optimizers…), which
  tests and lessons can drive without a browser: its ``lab`` from ``nnkit.labs``, whose
  settings and numbers the widget shows as its own (``explorer.h`` is ``explorer.lab.h``);
* its **pictures** — matplotlib figures built once (``nnkit.plots``) and updated in place, shown
  through a ``FigureView``;
* its **controls** — sliders and buttons.  A control only calls ``set(name=value)``; ``set``
  checks every value first (a bad one changes nothing and the error says what is allowed),
  applies them, moves the controls to match and redraws once.

So ``explorer.set(learning_rate=0.5)`` in a notebook cell and a drag of the slider take exactly
the same path, and under nbval (where nothing in the browser ever fires) the Python API does all.
"""
from __future__ import annotations

import base64
import html
import math

import ipywidgets as widgets

from nnkit import checks, diagnosis
from nnkit.i18n import _
from nnkit.widgets.binding import Bound
from nnkit.widgets.binding import close_widgets
from nnkit.widgets.render import figure_png

__all__ = ["LessonWidget", "PlayingWidget", "STYLE", "slider_layout", "divergence_message",
           "with_picture"]

# Projector sizes for every control inside a lesson widget (scoped by the CSS class).
STYLE = """<style>
.nnkit-lesson .widget-label, .nnkit-lesson .widget-readout, .nnkit-lesson .widget-dropdown select,
.nnkit-lesson .widget-toggle-button, .nnkit-lesson .widget-button, .nnkit-lesson .widget-checkbox
{ font-size: 16px; }
.nnkit-lesson .widget-html-content, .nnkit-lesson .widget-htmlmath-content
{ font-size: 17px; line-height: 1.45; }
</style>"""

MESSAGE_COLORS = {"info": "#1b4f72", "error": "#a33c00"}


def slider_layout(width: str = "360px") -> widgets.Layout:
    return widgets.Layout(width=width)


SLIDER_STYLE = {"description_width": "150px"}


def divergence_message(what, where: str, learning_rate: float, suggestion: float,
                       subject: str | None = None, stopped: str | None = None,
                       weights_kept: bool = True) -> str:
    """The words every nnkit tool uses when training blows up: ``nnkit.diagnosis.diverged``.

    what: "NaN", "infinite" or the (finite) loss it went beyond; suggestion: the learning rate
    to try.  ``divergence_message("infinite", "step 12", 1.5, 0.1)`` says: "The loss became
    infinite at step 12: the learning rate 1.5 is too high for this network. Training stopped;
    the weights are those before the bad step. Try a lower learning rate, e.g. 0.1."
    """
    loss = {"NaN": math.nan, "infinite": math.inf}.get(what) if isinstance(what, str) else what
    text = diagnosis.diverged(loss, where, learning_rate=learning_rate, subject=subject,
                              stopped=stopped, weights_kept=weights_kept).text
    fix = _("Try a lower learning rate, e.g. {rate}.")       # the last sentence: this suggestion
    told = fix.format(rate=f"{diagnosis.suggest_learning_rate(learning_rate):g}")
    return text[:len(text) - len(told)] + fix.format(rate=f"{suggestion:g}") \
        if text.endswith(told) else text


def with_picture(bundle: dict, png: bytes | None) -> dict:
    """A widget's display bundle plus ``image/png``: its picture for readers without a kernel.

    JupyterLab, Notebook and Voilà show the live widget (``application/vnd.jupyter.widget-view+
    json``); GitHub, nbconvert and a notebook opened before it was run show the picture instead —
    the state the widget had when the cell displayed it.
    """
    bundle = dict(bundle or {})
    if png:
        bundle["image/png"] = base64.b64encode(png).decode("ascii")
    return bundle


class LessonWidget(Bound):
    """Base class: named settings, their controls, a message line and the displayed box.

    Subclasses define ``SETTINGS`` (the names ``set`` accepts), ``draw()`` (update the pictures)
    and ``_layout()`` (return the top-level box); the settings are checked and applied by their
    ``lab`` (``nnkit.labs``), or, without one, by ``_check(name, value)`` (return the value
    validated, or raise) and ``_apply(values)`` (change the logic).
    """

    SETTINGS: tuple[str, ...] = ()
    lab = None          # the logic (an nnkit.labs.Settings), for a widget that has one

    def __init__(self):
        super().__init__()
        self.message = widgets.HTML("")
        self.message_text, self.message_level = "", "info"
        self._box: widgets.Widget | None = None

    def __getattr__(self, name: str):
        """A setting or number the widget does not hold itself is its lab's: ``explorer.h``."""
        lab = self.__dict__.get("lab")
        if lab is None or name.startswith("_"):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(lab, name)

    def __dir__(self):
        """The widget's own names and its lab's (for tab completion)."""
        return sorted(set(super().__dir__()) | set(dir(self.__dict__.get("lab"))))

    # ---- settings -------------------------------------------------------------------------------
    def set(self, **values) -> None:
        """Change settings by name (the same ones the controls show); all checked before any change.

        >>> explorer.set(learning_rate=0.1, momentum=0.9)
        """
        for name in values:
            checks.one_of("setting", name, self.SETTINGS)
        checked = self._check_all(values)
        if not checked:
            return
        self._apply(checked)
        self._sync_controls()
        self.draw(set(checked))

    @property
    def settings(self) -> dict:
        """The current value of every setting, by name."""
        return {name: getattr(self, name) for name in self.SETTINGS}

    def _check(self, name: str, value):
        if self.lab is None:
            raise NotImplementedError
        return self.lab.check(name, value)

    def _check_all(self, values: dict) -> dict:
        """Every value checked (override when one setting's range depends on another's)."""
        return {name: self._check(name, value) for name, value in values.items()}

    def _apply(self, values: dict) -> None:
        if self.lab is not None:
            self.lab.apply(values)
            return
        for name, value in values.items():
            setattr(self, name, value)

    def draw(self, changed: set | None = None) -> None:
        """Update the pictures after the settings in ``changed`` changed (None: everything)."""
        raise NotImplementedError

    # ---- controls -------------------------------------------------------------------------------
    def _bind(self, name: str, control: widgets.Widget) -> widgets.Widget:
        """Let ``control`` (whose value is the setting ``name``) call ``set(name=value)``."""
        self.controls[name] = control
        return self._observe(control, lambda value: self._from_control(name, value))

    def _from_control(self, name: str, value) -> None:
        try:
            self.set(**{name: value})
        except Exception as err:                      # a message in the widget, not a traceback
            self.report(str(err), "error")

    def _sync_controls(self) -> None:
        """Move every control to its setting's value without firing ``set`` again."""
        self._show_values({name: getattr(self, name) for name in self.controls})

    def report(self, text: str, level: str = "info") -> None:
        """Show ``text`` in the message line ("info" or "error"; "" clears it)."""
        level = checks.one_of("level", level, list(MESSAGE_COLORS))
        self.message_text, self.message_level = text, level
        if not text:
            self.message.value = ""
            return
        weight = "600" if level == "error" else "400"
        icon = "⚠ " if level == "error" else ""
        self.message.value = (f'<div style="font-size:17px;color:{MESSAGE_COLORS[level]};'
                              f'font-weight:{weight};max-width:900px">{icon}'
                              f'{html.escape(text)}</div>')

    # ---- display --------------------------------------------------------------------------------
    @property
    def widget(self) -> widgets.Widget:
        """The whole widget as one ipywidgets box (built on first use)."""
        if self._box is None:
            box = self._layout()
            box.add_class("nnkit-lesson")
            self._box = widgets.VBox([widgets.HTML(STYLE), box])
        return self._box

    def _layout(self) -> widgets.Widget:
        raise NotImplementedError

    def picture(self) -> bytes | None:
        """The widget's figure as it is now, as PNG bytes (already drawn: costs nothing)."""
        view = getattr(self, "view", None)
        return None if view is None else (view.png or view.refresh())

    def _repr_mimebundle_(self, **kwargs):
        return with_picture(self.widget._repr_mimebundle_(**kwargs), self.picture())

    def close(self) -> None:
        """Close every widget this object made (the figures are plain objects, nothing to close)."""
        close_widgets(self._box, self.message, *self.controls.values(),
                      *(getattr(self, "view", None) and [self.view.image] or []))


class PlayingWidget(LessonWidget):
    """A lesson widget that animates: ``view`` (a ``PanelView``) plays it on the kernel's frame
    clock; ``figure`` (matplotlib) is its picture for readers without a kernel, drawn when asked
    for (set ``_png = None`` when it changes)."""

    _png: bytes | None = None

    def play(self) -> None:
        """Play in the browser (the Play button)."""
        self.view.play()

    def pause(self) -> None:
        self.view.pause()

    def _from_control(self, name, value) -> None:
        """A control moved: handled on the kernel's loop, between two frames."""
        self.view.on_loop(lambda: LessonWidget._from_control(self, name, value))

    def picture(self) -> bytes:
        """The figure as a PNG, drawn when asked for."""
        if self._png is None:
            self._png = figure_png(self.figure)
        return self._png

    def close(self) -> None:
        """Stop playing and close every widget this object made."""
        self.view.pause()
        view, self.view = self.view, None         # the base class closes a FigureView's image
        super().close()
        view.close()
