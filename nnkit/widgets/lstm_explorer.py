"""LSTMExplorer: train an LSTM on a sequence task and watch its gates (lesson §3.6).

    explorer = LSTMExplorer(task="memory")
    explorer                              # in a notebook: Play / Step / Reset, the six heatmaps
    explorer.train(500)                   # without a browser (or explorer.run(frames))
    explorer.set(unit=explorer.carrying_unit(), step=10)
    explorer.equation_numbers             # §3.6 for that unit and step, every number filled in

For one chosen sample the picture shows the input sequence and, as units × time heatmaps, the
input gate i, forget gate f, output gate o, candidate g, cell state c and output h.  A time-step
slider outlines one step (and one unit) and the panel beside it writes the lesson's six
equations with that step's numbers.  On the memory task, after training, the unit that carries
the stored sign keeps its c at one colour through the distractors: that is the memory.  The c
panel's colours are scaled to the shown sample (± its max |c|, written on the colour bar).

Play animates like the Playground: the kernel's frame clock (``FrameLoop``) runs a few Adam
steps and one ``model.trace`` of the shown samples per frame and sends the seven heatmaps as
uint8 colour-table indices; the browser draws them (``PanelView``, ``live/panels.js``).  The
matplotlib figure of ``nnkit.plots.lstm`` is the same picture for readers without a kernel (the
widget's PNG) and for the Python API; it and the equations are redrawn when not playing.
"""
from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnkit import checks
from nnkit.diagnosis import format_number
from nnkit.i18n import _
from nnkit.labs.lstm_task import (DEFAULT_LEARNING_RATE, FEATURE_NAMES, N_SHOWN, TASKS,
                                  LSTMTask)
from nnkit.plots import lstm as lstm_plot
from nnkit.plots import style
from nnkit.widgets.binding import BUTTON_LAYOUT
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, PlayingWidget, slider_layout
from nnkit.widgets.live.panels import PanelFrame, PanelImage, PanelView, lut_indices

__all__ = ["LSTMExplorer"]

MAX_UNITS, MAX_SEQ_LEN = 12, 40
FONT, PLOT_WIDTH = 15, 500            # the browser's picture, in CSS pixels
LUTS = {"gate": np.rint(255 * style.sequential_cmap()(np.arange(256))[:, :3]).astype(np.uint8),
        "signed": style.diverging_lut()}


class LSTMExplorer(PlayingWidget):
    """A sequence task, an LSTM learning it, and its gates for one sample, step and unit.

    Settings: ``task`` ("memory", "sine", "adding"), ``units`` (H, 1 … 12) and ``seq_len``
    (T, 3 … 40) start a new network; ``learning_rate`` (Adam's α) changes the running optimizer;
    ``sample`` (0 … 7), ``step`` (t) and ``unit`` (j) choose what is shown.
    Numbers: ``trace`` (the plotted arrays), ``predictions``, ``loss``, ``steps``,
    ``carrying_unit()``, ``equation_numbers``.  ``view`` is the live picture (``PanelView``),
    ``artists`` the matplotlib figure's.
    """

    SETTINGS = ("task", "units", "learning_rate", "seq_len", "sample", "step", "unit")
    REBUILD = {"task", "units", "seq_len"}

    def __init__(self, task: str = "memory", units: int = 4,
                 learning_rate: float = DEFAULT_LEARNING_RATE, seq_len: int = 20,
                 steps_per_frame: int | None = 5, seed: int = 0, rate: float = 60.0):
        super().__init__()
        self.task = checks.one_of("task", task, TASKS)
        self.units = self._check("units", units)
        self.seq_len = self._check("seq_len", seq_len)
        self.learning_rate = self._check("learning_rate", learning_rate)
        self.seed = checks.non_negative_int("seed", seed)
        self.sample, self.unit = 0, 0
        self.step = self.seq_len // 2
        self.lab = LSTMTask(self.task, self.units, self.learning_rate, self.seq_len, seed=self.seed)
        self._png: bytes | None = None
        self._plot()
        self.view = PanelView(self._produce, self._panel_layout(), LUTS, rate=rate,
                              steps_per_frame=steps_per_frame, max_steps=32,
                              on_pause=self._draw_static, picture=self.picture)
        self.equations = widgets.HTMLMath()
        self.draw()

    # ---- numbers --------------------------------------------------------------------------------
    @property
    def trace(self) -> dict:
        """The plotted arrays for all shown samples: {"i","f","o","g","c","h"}: (8, T, H)."""
        return self.lab.trace()

    @property
    def predictions(self):
        return self.lab.predictions

    @property
    def steps(self) -> int:
        return self.lab.steps

    @property
    def loss(self) -> float:
        return self.lab.history["loss"][-1] if self.lab.history["loss"] else math.nan

    @property
    def equation_numbers(self) -> dict:
        """The numbers of the six equations for the shown sample, step and unit."""
        return self.lab.equations(self.sample, self.step, self.unit)

    def carrying_unit(self) -> int:
        """The unit whose cell state holds the stored sign best (memory task; see LSTMTask)."""
        return self.lab.carrying_unit()

    # ---- settings -------------------------------------------------------------------------------
    def _check(self, name, value):
        if name == "task":
            return checks.one_of("task", value, TASKS)
        if name == "learning_rate":
            return checks.positive_float("learning_rate", value, hint=" Try 0.003 to 0.03.")
        value = checks.non_negative_int(name, value)
        limits = {"units": (1, MAX_UNITS), "seq_len": (3, MAX_SEQ_LEN),
                  "sample": (0, N_SHOWN - 1),
                  "step": (0, getattr(self, "seq_len", MAX_SEQ_LEN) - 1),
                  "unit": (0, getattr(self, "units", MAX_UNITS) - 1)}[name]
        if not limits[0] <= value <= limits[1]:
            raise ValueError(f"{name} must lie in {limits[0]} … {limits[1]}. "
                             f"Received: {name}={value}.")
        return value

    def _check_all(self, values: dict) -> dict:
        """unit and step are checked against the new units and seq_len, if those change too."""
        old = self.units, self.seq_len
        try:
            self.units = self._check("units", values.get("units", self.units))
            self.seq_len = self._check("seq_len", values.get("seq_len", self.seq_len))
            return {name: self._check(name, value) for name, value in values.items()}
        finally:
            self.units, self.seq_len = old

    def _apply(self, values: dict) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        if self.REBUILD & set(values):
            self.view.pause()
            self.unit = min(self.unit, self.units - 1)
            self.step = min(self.step, self.seq_len - 1)
            self.lab = LSTMTask(self.task, self.units, self.learning_rate, self.seq_len,
                                seed=self.seed)
            self._plot()
        elif "learning_rate" in values:
            self.lab.set_learning_rate(self.learning_rate)

    def _sync_controls(self) -> None:
        with self._quiet():
            for name, top in (("step", self.seq_len - 1), ("unit", self.units - 1)):
                if name in self.controls:
                    self.controls[name].max = max(top, 0)
        super()._sync_controls()

    # ---- training -------------------------------------------------------------------------------
    def train(self, steps: int) -> float:
        """``steps`` training steps now (no browser needed), then one redraw."""
        self.view.pause()
        loss = self._train(checks.positive_int("steps", steps))
        self._draw_static(rescale=True)
        self.view.show()
        return loss

    def run(self, frames: int) -> bool:
        """``frames`` frames now, as Play would do them, without a browser.  Returns False if
        training stopped (it diverged: the message line says why)."""
        self.view.run(frames)
        self._draw_static()
        return not self.lab.diverged

    def reset(self) -> None:
        """Back to the first weights (the Reset button)."""
        self.view.pause()
        self.lab.reset()
        self.report("")
        self._draw_static(rescale=True)
        self.view.show()

    def _train(self, steps: int) -> float:
        loss = self.lab.train(steps)
        if self.lab.diagnosis is not None:           # the words fit warns with
            self.report(self.lab.diagnosis.text, "error")
        return loss

    # ---- pictures -------------------------------------------------------------------------------
    def _produce(self, steps: int, full: bool) -> PanelFrame:
        """``steps`` Adam steps, then the seven heatmaps of the shown sample."""
        if steps and not self.lab.diverged:
            self._train(steps)
        trace, k = self.lab.trace(), self.sample
        T, H = self.seq_len, self.units
        extent = (-0.5, T - 0.5, -0.5, None)
        frame = PanelFrame(text=self.status_text(), rects=self._rects(),
                           stop=steps > 0 and self.lab.diverged)
        x = self.lab.X_shown[k]                               # (T, D), row 0 drawn at the top
        frame.images[0] = PanelImage(lut_indices(x.T[::-1], -self._x_scale, self._x_scale),
                                     "signed", extent[:3] + (x.shape[1] - 0.5,))
        for panel, key in enumerate(lstm_plot.GATES, start=1):
            values = trace[key][k].T[::-1]                    # (H, T): unit H−1 at the top
            if key in ("i", "f", "o"):
                indices, lut = lut_indices(values, 0.0, 1.0), "gate"
            else:
                top = self.artists.c_scale if key == "c" else 1.0
                indices, lut = lut_indices(values, -top, top), "signed"
            frame.images[panel] = PanelImage(indices, lut, extent[:3] + (H - 0.5,))
        return frame

    def _rects(self) -> list:
        """The outlines: the shown step in every panel, the shown unit in every gate panel."""
        t, j, T = self.step, self.unit, self.seq_len
        D = self.lab.X.shape[2]
        rects = [{"panel": 0, "xy": [t - 0.5, -0.5, t + 0.5, D - 0.5], "width": 3}]
        for panel in range(1, 7):
            rects.append({"panel": panel, "xy": [t - 0.5, -0.5, t + 0.5, self.units - 0.5],
                          "width": 3})
            rects.append({"panel": panel, "xy": [-0.5, j - 0.5, T - 0.5, j + 0.5], "width": 1.5,
                          "color": [60, 60, 60]})
        return rects

    def _panel_layout(self) -> dict:
        """Seven panels stacked, time left to right: x, then i, f, o, g, c, h."""
        T, H, D = self.seq_len, self.units, self.lab.X.shape[2]
        self._x_scale = max(1.0, float(np.max(np.abs(self.lab.X_shown))))
        every = 1 if T <= 12 else 2 if T <= 24 else 5
        steps = [[t, str(t)] for t in range(0, T, every)]
        unit_ticks = [[j, str(j)] for j in lstm_plot._unit_ticks(H)]
        names = FEATURE_NAMES[self.task]
        left, y, gap = 92, FONT + 14, FONT + 16
        panels = []
        bars = {"gate": [[0, "0"], [1, "1"]], "signed": [[0, "−1"], [0.5, "0"], [1, "1"]]}
        for key in ("x",) + lstm_plot.GATES:
            height = max(46, 22 * D) if key == "x" else max(48, 12 * H)
            if key == "x":
                title, yticks, ylim = "x   " + _("input sequence"), [[d, names[d]] for d in range(D)], D
                bar = [[0, f"−{self._x_scale:g}"], [0.5, "0"], [1, f"{self._x_scale:g}"]]
            else:
                title, yticks, ylim = f"{key}   {_(lstm_plot.GATE_NAMES[key])}", unit_ticks, H
                bar = bars["gate" if key in ("i", "f", "o") else "signed"]
                if key == "c":
                    scale = format_number(self.artists.c_scale)
                    title += "   " + _c_note(scale)
                    bar = [[0, f"−{scale}"], [0.5, "0"], [1, scale]]
            panels.append({"box": [left, y, PLOT_WIDTH, height], "xlim": [-0.5, T - 0.5],
                           "ylim": [-0.5, ylim - 0.5], "yticks": yticks,
                           "xticks": steps if key == "h" else [], "title": title,
                           "title_align": "left",
                           "xlabel": _("time step t") if key == "h" else "",
                           "colorbar": {"lut": "gate" if key in ("i", "f", "o") else "signed",
                                        "ticks": bar}})
            y += height + gap
        return {"width": left + PLOT_WIDTH + 90, "height": y + FONT + 16, "font": FONT,
                "panels": panels}

    def _plot(self) -> None:
        """A new matplotlib figure (the static picture) for the current network."""
        self.figure = Figure(figsize=(9.6, 8.4), dpi=80, layout="constrained")
        FigureCanvasAgg(self.figure)
        lab = self.lab
        self.artists = lstm_plot.lstm_gates(
            lab.trace(), self.sample, lab.X_shown, step=self.step, unit=self.unit,
            feature_names=FEATURE_NAMES[self.task], axes=_axes(self.figure, self.lab.X.shape[2]),
            c_scale=1.0)
        self._png = None

    def draw(self, changed: set | None = None) -> None:
        """After a settings change: the shown sample, step and unit, and the numbers."""
        self._draw_static(rescale=True, layout=changed is None or bool(changed & self.REBUILD))
        self.view.show()

    def _c_label_changed(self) -> bool:
        return _c_note(format_number(self.artists.c_scale)) not in \
            self.view.layout_info["panels"][5]["title"]

    def _draw_static(self, rescale: bool = False, layout: bool = False) -> None:
        """The matplotlib figure, the status and the equations as they are now (not while
        playing).  The colour scale of c changes only when asked (a setting, ``train``, Reset):
        during Play the colour bar stays put."""
        trace = self.lab.trace()
        scale = lstm_plot.cell_scale(trace["c"][self.sample]) if rescale else None
        lstm_plot.update_lstm_gates(self.artists, trace, self.sample, c_scale=scale,
                                    x=self.lab.X_shown)
        lstm_plot.highlight_lstm_step(self.artists, self.step, self.unit)
        self._png = None
        self.equations.value = self.equations_text() if hasattr(self, "equations") else ""
        if getattr(self, "view", None) is not None and (layout or self._c_label_changed()):
            self.view.set_layout(self._panel_layout(), LUTS)     # the browser draws anew

    def status_text(self) -> str:
        """The status line: "training step 500 · loss 0.0312 · sample 0: …, prediction 0.98"."""
        lab, k = self.lab, self.sample
        target = lab.y_shown[k]
        if self.task == "memory":
            shown = _("stored {sign} → target {target}").format(
                sign="+1" if target == 1 else "−1", target=int(target))
        else:
            shown = _("target {target}").format(target=format_number(float(target[0])))
        loss = "—" if math.isnan(self.loss) else format_number(self.loss)
        return _("training step {steps} · loss {loss} · sample {k}: {shown}, prediction "
                 "{prediction}").format(steps=f"{lab.steps:,}", loss=loss, k=k, shown=shown,
                                        prediction=format_number(float(lab.predictions[k])))

    def equations_text(self) -> str:
        """§3.6 for the shown unit and step, numbers filled in (LaTeX for HTMLMath)."""
        n = self.equation_numbers
        t, j = self.step, self.unit
        x_t = ", ".join(format_number(v) for v in n["x_t"])
        rows = ["<div>" + _("sample {k}, step t = {t}, unit j = {j}: ").format(
                    k=self.sample, t=t, j=j) + f"x<sub>t</sub> = ({x_t})</div>"]
        names = {"i": (r"\sigma", "i"), "f": (r"\sigma", "f"), "o": (r"\sigma", "o"),
                 "g": (r"\tanh", "g")}
        lines = []
        for gate, (f, k) in names.items():           # the lesson's line, then its numbers
            p = n[gate]
            lines.append(rf"{k}_t &= {f}(W_{{x{k}}}x_t + W_{{h{k}}}h_{{t-1}} + b_{k}) \\"
                         rf"&= {f}({_sum(p['x'], p['h'], p['b'])}) = "
                         rf"\mathbf{{{format_number(p['value'])}}}")
        i, f, o, g = (n[k]["value"] for k in "ifog")
        lines.append(rf"c_t &= f_t \odot c_{{t-1}} + i_t \odot g_t \\ &= {_n(f)}\cdot{_n(n['c_prev'])}"
                     rf" + {_n(i)}\cdot{_n(g)} = \mathbf{{{format_number(n['c'])}}}")
        lines.append(rf"h_t &= o_t \odot \tanh(c_t) \\ &= {_n(o)}\cdot\tanh({format_number(n['c'])}) = "
                     rf"\mathbf{{{format_number(n['h'])}}}")
        rows.append(r"$$\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}$$")
        return "".join(rows)

    def _layout(self):
        task = self._bind("task", widgets.ToggleButtons(
            options=list(TASKS), value=self.task, description=_("task"),
            style={"description_width": "60px", "button_width": "96px"}))
        shown = [self._bind(name, widgets.IntSlider(
            value=getattr(self, name), min=0, max=top, description=label,
            style={"description_width": "110px"}, layout=slider_layout("330px")))
            for name, label, top in (("sample", _("sample"), N_SHOWN - 1),
                                     ("step", _("time step t"), self.seq_len - 1),
                                     ("unit", _("unit j"), self.units - 1))]
        carrying = widgets.Button(description=_("show the carrying unit"), icon="search",
                                  layout=widgets.Layout(width="auto", height="36px"),
                                  tooltip=_("The unit whose cell state holds the stored value"))
        carrying.on_click(lambda _: self.view.on_loop(
            lambda: LessonWidget._from_control(self, "unit", self.carrying_unit())))
        self.buttons = {"carrying": carrying}
        network = [
            self._bind("units", widgets.IntSlider(
                value=self.units, min=1, max=MAX_UNITS, description=_("units H"),
                continuous_update=False, style=SLIDER_STYLE, layout=slider_layout())),
            self._bind("learning_rate", widgets.FloatLogSlider(
                value=self.learning_rate, base=10, min=-4, max=0, step=0.1, readout_format=".3g",
                description=_("learning rate"), continuous_update=False, style=SLIDER_STYLE,
                layout=slider_layout())),
            self._bind("seq_len", widgets.IntSlider(
                value=self.seq_len, min=3, max=MAX_SEQ_LEN, description=_("sequence length T"),
                continuous_update=False, style=SLIDER_STYLE, layout=slider_layout()))]
        buttons = []
        for label, icon, tip, act in ((_("Step"), "step-forward", _("One frame of training"),
                                       lambda: self.run(1)),
                                      (_("Reset"), "undo", _("Back to the initial weights"),
                                       self.reset)):
            button = widgets.Button(description=label, icon=icon, tooltip=tip,
                                    layout=widgets.Layout(**BUTTON_LAYOUT))
            button.on_click(lambda _, act=act: self.view.on_loop(act))
            buttons.append(button)
        self.buttons.update(step=buttons[0], reset=buttons[1])
        side = widgets.VBox([*shown, carrying, self.equations],
                            layout=widgets.Layout(min_width="360px", max_width="520px",
                                                  padding="0 0 0 12px", overflow="auto"))
        return widgets.VBox([widgets.HBox([task, *buttons]), self.message,
                             widgets.HBox([self.view, side],        # narrow: side goes below
                                          layout=widgets.Layout(flex_flow="row wrap")),
                             widgets.HBox(network)])


def _n(value: float) -> str:
    """A number inside the formulas: three significant figures, negatives in brackets."""
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text


def _sum(*values: float) -> str:
    """0.3 − 0.12 + 1: a sum written with its signs, not as 0.3 + (−0.12) + 1."""
    text = format_number(values[0])
    for value in values[1:]:
        text += (r" - " if value < 0 else " + ") + format_number(abs(value))
    return text


def _axes(figure: Figure, n_features: int) -> list:
    heights = [max(1.1, 0.42 * n_features + 0.5)] + [0.95] * 6
    return list(figure.subplots(7, 1, sharex=True, gridspec_kw={"height_ratios": heights}))


def _c_note(scale: str) -> str:
    """The c panel's title note, "(full colour at |c| = 2.5)", in the chosen language."""
    return _("(full colour at |c| = {scale})").format(scale=scale)
