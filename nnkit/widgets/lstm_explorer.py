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

Each frame is a few Adam steps, one ``model.trace`` of the shown samples and a redraw of the six
images over a cached background (``FigureView``), driven by the shared ``Runner``.
"""
from __future__ import annotations

import math

import ipywidgets as widgets
from matplotlib.figure import Figure

from nnkit import checks
from nnkit.plots import lstm as lstm_plot
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import (SLIDER_STYLE, LessonWidget, number,
                                  slider_layout)
from nnkit.labs.lstm_task import (DEFAULT_LEARNING_RATE, FEATURE_NAMES, N_SHOWN, TASKS,
                                     LSTMTask)
from nnkit.widgets.runner import Runner

__all__ = ["LSTMExplorer"]

MAX_UNITS, MAX_SEQ_LEN = 12, 40
EQUATIONS_EVERY = 10          # while playing, rewrite the equations every this many frames


class LSTMExplorer(LessonWidget):
    """A sequence task, an LSTM learning it, and its gates for one sample, step and unit.

    Settings: ``task`` ("memory", "sine", "adding"), ``units`` (H, 1 … 12) and ``seq_len``
    (T, 3 … 40) start a new network; ``learning_rate`` (Adam's α) changes the running optimizer;
    ``sample`` (0 … 7), ``step`` (t) and ``unit`` (j) choose what is shown.
    Numbers: ``trace`` (the plotted arrays), ``predictions``, ``loss``, ``steps``,
    ``carrying_unit()``, ``equation_numbers``.
    """

    SETTINGS = ("task", "units", "learning_rate", "seq_len", "sample", "step", "unit")
    REBUILD = {"task", "units", "seq_len"}

    def __init__(self, task: str = "memory", units: int = 4,
                 learning_rate: float = DEFAULT_LEARNING_RATE, seq_len: int = 20,
                 steps_per_frame: int = 5, seed: int = 0, interval: int = 50):
        super().__init__()
        self.task = checks.one_of("task", task, TASKS)
        self.units = self._check("units", units)
        self.seq_len = self._check("seq_len", seq_len)
        self.learning_rate = self._check("learning_rate", learning_rate)
        self.seed = checks.non_negative_int("seed", seed)
        self.sample, self.unit = 0, 0
        self.step = self.seq_len // 2
        self.lab = LSTMTask(self.task, self.units, self.learning_rate, self.seq_len, seed=self.seed)
        self.runner = Runner(self._train, self._draw_frame, reset=self.reset, report=self.report,
                             steps_per_frame=steps_per_frame, interval=interval)
        self.view = FigureView(*self._plot())
        self.status = widgets.HTML()
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
            return super()._check_all(values)
        finally:
            self.units, self.seq_len = old

    def _apply(self, values: dict) -> None:
        for name, value in values.items():
            setattr(self, name, value)
        if self.REBUILD & set(values):
            self.runner.pause()
            self.unit = min(self.unit, self.units - 1)
            self.step = min(self.step, self.seq_len - 1)
            self.lab = LSTMTask(self.task, self.units, self.learning_rate, self.seq_len,
                                seed=self.seed)
            self.runner.frames = 0
            self.view.replace(*self._plot())
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
        loss = self._train(checks.positive_int("steps", steps))
        self._draw_frame(rescale=True)
        return loss

    def run(self, frames: int) -> bool:
        """``frames`` frames of the runner without a browser (as Play would do them)."""
        return self.runner.run(frames)

    def reset(self) -> None:
        """Back to the first weights (the Reset button)."""
        self.runner.pause()
        self.lab.reset()
        self.report("")
        self._draw_frame(rescale=True)

    def _train(self, steps: int) -> float:
        loss = self.lab.train(steps)
        if self.lab.diagnosis is not None:           # the words fit warns with
            self.report(self.lab.diagnosis.text, "error")
        return loss

    # ---- pictures -------------------------------------------------------------------------------
    def _plot(self):
        figure = Figure(figsize=(9.6, 8.4), dpi=80, layout="constrained")
        lab = self.lab
        self.artists = lstm_plot.lstm_gates(
            lab.trace(), self.sample, lab.X_shown, step=self.step, unit=self.unit,
            feature_names=FEATURE_NAMES[self.task], axes=_axes(figure, self.lab.X.shape[2]),
            c_scale=1.0)
        return figure, self.artists.dynamic

    def draw(self, changed: set | None = None) -> None:
        """After a settings change: the shown sample, step and unit, and the numbers."""
        full = changed is None or bool(changed & self.REBUILD)
        background = ()
        if full or "sample" in changed:                  # the input panel shows another sample
            lstm_plot.update_lstm_gates(self.artists, self.lab.trace(), self.sample,
                                        x=self.lab.X_shown)
            x_axes = self.artists.axes["x"]
            background = [self.artists.images["x"], *self.artists.input_texts,
                          *x_axes.spines.values()]
        lstm_plot.highlight_lstm_step(self.artists, self.step, self.unit)
        self._draw_frame(full=full, equations=True, rescale=True, background=background)

    def _draw_frame(self, full: bool = False, equations: bool = False,
                    rescale: bool = False, background=()) -> None:
        """One picture of the current network.  The colour scale of c changes only when asked
        (a settings change, ``train``, Reset): during Play the colour bar stays put."""
        trace = self.lab.trace()
        # c at full colour = max |c| of the shown sample (the colour bar says which)
        scale = lstm_plot.cell_scale(trace["c"][self.sample]) if rescale else None
        if scale is not None and scale != self.artists.c_scale:
            full = True
        lstm_plot.update_lstm_gates(self.artists, trace, self.sample, c_scale=scale)
        self.view.refresh(full=full, background=background)
        self.status.value = self.status_text()
        if equations or not self.runner.playing or self.runner.frames % EQUATIONS_EVERY == 0:
            self.equations.value = self.equations_text()

    def status_text(self) -> str:
        lab, k = self.lab, self.sample
        target = lab.y_shown[k]
        if self.task == "memory":
            shown = f"stored {'+1' if target == 1 else '−1'} → target {int(target)}"
        else:
            shown = f"target {number(float(target[0]))}"
        loss = "—" if math.isnan(self.loss) else number(self.loss)
        return (f'<div style="font-size:18px">training step <b>{lab.steps}</b> · loss '
                f'<b>{loss}</b> · sample {k}: {shown}, prediction '
                f'<b>{number(float(lab.predictions[k]))}</b></div>')

    def equations_text(self) -> str:
        """§3.6 for the shown unit and step, numbers filled in (LaTeX for HTMLMath)."""
        n = self.equation_numbers
        t, j = self.step, self.unit
        x_t = ", ".join(number(v, 2) for v in n["x_t"])
        rows = [f"<div>sample {self.sample}, step t = {t}, unit j = {j}: "
                f"x<sub>t</sub> = ({x_t})</div>"]
        names = {"i": (r"\sigma", "i"), "f": (r"\sigma", "f"), "o": (r"\sigma", "o"),
                 "g": (r"\tanh", "g")}
        lines = []
        for gate, (f, k) in names.items():           # the lesson's line, then its numbers
            p = n[gate]
            lines.append(rf"{k}_t &= {f}(W_{{x{k}}}x_t + W_{{h{k}}}h_{{t-1}} + b_{k}) \\"
                         rf"&= {f}({_sum(p['x'], p['h'], p['b'])}) = "
                         rf"\mathbf{{{number(p['value'])}}}")
        i, f, o, g = (n[k]["value"] for k in "ifog")
        lines.append(rf"c_t &= f_t \odot c_{{t-1}} + i_t \odot g_t \\ &= {_n(f)}\cdot{_n(n['c_prev'])}"
                     rf" + {_n(i)}\cdot{_n(g)} = \mathbf{{{number(n['c'])}}}")
        lines.append(rf"h_t &= o_t \odot \tanh(c_t) \\ &= {_n(o)}\cdot\tanh({number(n['c'])}) = "
                     rf"\mathbf{{{number(n['h'])}}}")
        rows.append(r"$$\begin{aligned}" + r" \\[4pt] ".join(lines) + r"\end{aligned}$$")
        return "".join(rows)

    def _layout(self):
        task = self._bind("task", widgets.ToggleButtons(
            options=list(TASKS), value=self.task, description="task",
            style={"description_width": "60px", "button_width": "96px"}))
        shown = [self._bind(name, widgets.IntSlider(
            value=getattr(self, name), min=0, max=top, description=label,
            style={"description_width": "110px"}, layout=slider_layout("330px")))
            for name, label, top in (("sample", "sample", N_SHOWN - 1),
                                     ("step", "time step t", self.seq_len - 1),
                                     ("unit", "unit j", self.units - 1))]
        carrying = widgets.Button(description="show the carrying unit", icon="search",
                                  layout=widgets.Layout(width="auto", height="36px"),
                                  tooltip="The unit whose cell state holds the stored value")
        carrying.on_click(lambda _: self.set(unit=self.carrying_unit()))
        self.buttons = {"carrying": carrying}
        network = [
            self._bind("units", widgets.IntSlider(
                value=self.units, min=1, max=MAX_UNITS, description="units H",
                continuous_update=False, style=SLIDER_STYLE, layout=slider_layout())),
            self._bind("learning_rate", widgets.FloatLogSlider(
                value=self.learning_rate, base=10, min=-4, max=0, step=0.1, readout_format=".3g",
                description="learning rate", continuous_update=False, style=SLIDER_STYLE,
                layout=slider_layout())),
            self._bind("seq_len", widgets.IntSlider(
                value=self.seq_len, min=3, max=MAX_SEQ_LEN, description="sequence length T",
                continuous_update=False, style=SLIDER_STYLE, layout=slider_layout()))]
        self.view.image.layout = widgets.Layout(width="60%", height="auto", min_width="480px")
        side = widgets.VBox([*shown, carrying, self.equations],
                            layout=widgets.Layout(width="40%", min_width="360px",
                                                  padding="0 0 0 12px", overflow="auto"))
        return widgets.VBox([widgets.HBox([task, self.runner.controls]), self.status,
                             self.message, widgets.HBox([self.view.image, side]),
                             widgets.HBox(network)])

    def close(self) -> None:
        self.runner.close()
        super().close()


def _n(value: float) -> str:
    """A number inside the formulas: three significant figures, negatives in brackets."""
    text = number(value, 3)
    return f"({text})" if text.startswith("-") else text


def _sum(*values: float) -> str:
    """0.3 − 0.12 + 1: a sum written with its signs, not as 0.3 + (−0.12) + 1."""
    text = number(values[0], 3)
    for value in values[1:]:
        text += (r" - " if value < 0 else " + ") + number(abs(value), 3)
    return text


def _axes(figure: Figure, n_features: int) -> list:
    heights = [max(1.1, 0.42 * n_features + 0.5)] + [0.95] * 6
    return list(figure.subplots(7, 1, sharex=True, gridspec_kw={"height_ratios": heights}))
