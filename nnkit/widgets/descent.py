"""GradientDescentExplorer: SGD, momentum and Adam race down one loss surface (lesson §3.3).

    explorer = GradientDescentExplorer(surface="bowl", learning_rate=0.9)
    explorer                               # in a notebook: the maps, Play / Step / Reset, sliders
    explorer.run()                         # without a browser: every frame until all have stopped
    explorer.status                        # {"sgd": "converged", "momentum": …, "adam": …}
    explorer.set(learning_rate=1.05)       # above 2/λ = 1 on the bowl: SGD diverges and says so

The race animates like the Playground: the kernel's frame clock (``FrameLoop``) runs a few
optimizer steps per frame and sends only the new points of each path; the browser draws the
maps and the loss panel (``PanelView``, ``live/panels.js``).  The matplotlib figure of
``nnkit.plots.descent`` is the same picture for readers without a kernel (the widget's PNG) and
for the Python API; it is redrawn when the race is not playing.  Changing a setting starts the
race again.  The surfaces, the walks and their classification live in ``labs/descent_race.py``.
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
from nnkit.labs.descent_race import DIVERGED_LOSS, OPTIMIZER_NAMES, SURFACES, DescentRace
from nnkit.plots import descent as descent_plot
from nnkit.widgets.binding import BUTTON_LAYOUT
from nnkit.widgets.lesson import PlayingWidget, divergence_message, slider_layout
from nnkit.widgets.live.panels import PanelFrame, PanelImage, PanelView, nice_ticks, rgb

__all__ = ["GradientDescentExplorer"]

FRAMES_PER_RACE = 240         # a race takes about this many frames (4 s at 60 pictures/s)
LABELS = descent_plot.OPTIMIZER_LABELS
RULES = {"sgd": r"\theta \leftarrow \theta - \alpha\,\nabla L",
         "momentum": r"v \leftarrow \mu v - \alpha\,\nabla L,\;\; \theta \leftarrow \theta + v",
         "adam": r"\theta \leftarrow \theta - \alpha_t\, \hat m / (\sqrt{\hat v} + \epsilon)"}
MAP_SIDE, FONT = 250, 15      # the browser's pictures, in CSS pixels
LANDSCAPE_LUT = np.rint(255 * descent_plot.LANDSCAPE(np.arange(256))[:, :3]).astype(np.uint8)


class GradientDescentExplorer(PlayingWidget):
    """Paths of SGD, momentum and Adam from the same start on a 2-D loss surface, animated.

    Settings: ``surface`` ("bowl", "ravine", "rosenbrock", "saddle"), ``learning_rate`` (α of SGD
    and momentum), ``momentum`` (μ), ``adam_learning_rate`` (Adam's α), ``start1``, ``start2``
    (the common start θ⁽⁰⁾).  A new surface brings its own default α's and start.

    Numbers: ``status`` and ``steps`` per optimizer, ``paths`` (n, 2) arrays, ``losses``,
    ``message_text`` (the divergence message, if any).  ``view`` is the live picture
    (``PanelView``), ``artists`` the matplotlib figure's.
    """

    SETTINGS = ("surface", "learning_rate", "momentum", "adam_learning_rate", "start1", "start2")

    def __init__(self, surface: str = "bowl", learning_rate: float | None = None,
                 momentum: float = 0.9, adam_learning_rate: float | None = None,
                 start=None, rate: float = 60.0):
        super().__init__()
        surface = checks.one_of("surface", surface, list(SURFACES))
        s = SURFACES[surface]
        start = s.start if start is None else start
        if not isinstance(start, (tuple, list)) or len(start) != 2:
            raise TypeError(f"start must be a point (θ1, θ2). Received: start={start!r}.")
        self.surface = surface
        self.learning_rate, self.adam_learning_rate = s.learning_rate, s.adam_learning_rate
        self.momentum, self.start1, self.start2 = 0.9, *s.start
        values = {"learning_rate": learning_rate, "momentum": momentum,
                  "adam_learning_rate": adam_learning_rate, "start1": start[0], "start2": start[1]}
        self._apply({k: self._check(k, v) for k, v in values.items() if v is not None})
        self.race = self._new_race()
        self._messages: list[str] = []
        self._sent: dict[str, int] = {}               # points of each path already sent
        self._png: bytes | None = None
        self.figure = Figure(figsize=(13.0, 8.0), dpi=80, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.artists = self._plot(self.figure)
        self.view = PanelView(self._produce, self._panel_layout(), {"landscape": LANDSCAPE_LUT},
                              rate=rate, steps_per_frame=self._steps_per_frame(),
                              on_pause=self._draw_static, picture=self.picture)
        self.rules = widgets.HTMLMath()
        self.draw()

    # ---- numbers --------------------------------------------------------------------------------
    @property
    def status(self) -> dict[str, str]:
        """Per optimizer: running, oscillating, converged, diverged or stuck."""
        return {n: w.status for n, w in self.race.walks.items()}

    @property
    def steps(self) -> dict[str, int]:
        return {n: w.steps for n, w in self.race.walks.items()}

    @property
    def paths(self) -> dict:
        return {n: np.array(w.path) for n, w in self.race.walks.items()}

    @property
    def losses(self) -> dict:
        return {n: list(w.losses) for n, w in self.race.walks.items()}

    @property
    def smoothness(self) -> float | None:
        """λ, the largest curvature of a quadratic surface (bowl 2, ravine 4), else None.

        Plain gradient descent converges on it exactly when α < 2/λ.  (Written λ, not L: L is
        the loss.)
        """
        return SURFACES[self.surface].smoothness

    # ---- settings -------------------------------------------------------------------------------
    def _check(self, name, value):
        if name == "surface":
            return checks.one_of("surface", value, list(SURFACES))
        if name in ("learning_rate", "adam_learning_rate"):
            return checks.positive_float(name, value, hint=" Try values from 0.001 to 1.")
        if name == "momentum":
            return checks.fraction("momentum", value)
        value = checks.real(name, value)
        x_min, x_max, y_min, y_max = SURFACES[self.surface].extent
        low, high = (x_min, x_max) if name == "start1" else (y_min, y_max)
        if not low <= value <= high:
            raise ValueError(f"{name} must lie on the map of the {self.surface}, in "
                             f"[{low:g}, {high:g}]. Received: {name}={value:g}.")
        return value

    def _apply(self, values: dict) -> None:
        if "surface" in values and values["surface"] != self.surface:
            s = SURFACES[values["surface"]]            # a new surface brings its own defaults
            self.surface = s.name
            self.learning_rate, self.adam_learning_rate = s.learning_rate, s.adam_learning_rate
            self.start1, self.start2 = s.start
        for name, value in values.items():
            setattr(self, name, value)

    def _check_all(self, values: dict) -> dict:
        """The start is checked against the map of the new surface, if that changes too."""
        old = self.surface
        try:
            self.surface = self._check("surface", values.get("surface", self.surface))
            return super()._check_all(values)
        finally:
            self.surface = old

    def _new_race(self) -> DescentRace:
        return DescentRace(self.surface, self.learning_rate, self.momentum,
                           self.adam_learning_rate, (self.start1, self.start2))

    def _sync_controls(self) -> None:
        """Fit the start sliders to the current map before moving the controls."""
        x_min, x_max, y_min, y_max = SURFACES[self.surface].extent
        with self._quiet():
            for name, low, high in (("start1", x_min, x_max), ("start2", y_min, y_max)):
                if name in self.controls:
                    slider = self.controls[name]
                    slider.min, slider.max = min(slider.min, low), max(slider.max, high)
                    slider.value = getattr(self, name)
                    slider.min, slider.max = low, high
        super()._sync_controls()

    def _steps_per_frame(self) -> int:
        return max(1, SURFACES[self.surface].max_steps // FRAMES_PER_RACE)

    # ---- running --------------------------------------------------------------------------------
    def restart(self) -> None:
        """All optimizers back to the start (the Reset button)."""
        self.view.pause()
        self.race = self._new_race()
        self._messages = []
        self.report("")
        self._draw_static()
        self.view.show()

    def _train(self, steps: int) -> None:
        for walk in self.race.step(steps):             # one message per optimizer that blew up
            self._messages.append(self._divergence(walk))
            self.report(" ".join(self._messages), "error")

    def _divergence(self, walk) -> str:
        loss = walk.losses[-1]
        if math.isfinite(loss):
            loss = DIVERGED_LOSS                       # "larger than 1e+08"
        lr = self.adam_learning_rate if walk.name == "adam" else self.learning_rate
        curvature = self.smoothness                      # λ
        if curvature is not None and walk.name == "sgd":
            suggestion = round(0.9 * 2 / curvature, 3)
            bound = f" (on the {self.surface}, α must stay below 2/λ = {2 / curvature:g})"
        else:
            suggestion, bound = lr / 10, ""
        text = divergence_message(loss,
                                  f"step {walk.stopped_at} of {LABELS[walk.name]}", lr,
                                  suggestion, subject=f"the {self.surface}",
                                  stopped=f"{LABELS[walk.name]} stopped", weights_kept=False)
        return text[:-1] + bound + "."

    @property
    def steps_per_frame(self) -> int:
        """Optimizer steps per frame: about ``FRAMES_PER_RACE`` frames per race."""
        return self.view.loop.steps

    def run(self, frames: int | None = None) -> bool:
        """``frames`` frames now, without a browser (None: until every optimizer has stopped).
        Returns False if a frame failed (the error is in the message line)."""
        if frames is None:
            left = max(SURFACES[self.surface].max_steps - min(self.steps.values()), 1)
            frames = math.ceil(left / self.steps_per_frame)
        errors = len(self.view.errors)
        self.view.run(frames)
        self._draw_static()
        return len(self.view.errors) == errors

    def step(self) -> bool:
        """One frame (the Step button); pauses first if playing."""
        return self.run(1)

    # ---- pictures -------------------------------------------------------------------------------
    def _produce(self, steps: int, full: bool) -> PanelFrame:
        """``steps`` more steps of the race; the new points of each path and loss curve.
        Play after the race has ended starts a new one (its paths are sent from the start)."""
        if steps and self.race.finished:
            self.race, self._messages, self._sent = self._new_race(), [], {}
            self.report("")
        if steps:
            self._train(steps)
        s, frame = SURFACES[self.surface], PanelFrame()
        if full:
            self._sent = {}
            for k, name in enumerate(OPTIMIZER_NAMES):
                image = self.artists.images[name]      # the figure's bands: the same colours
                bands = np.asarray(image.norm(image.get_array()), dtype=np.int64)
                frame.images[k] = PanelImage(np.clip(bands, 0, 255).astype(np.uint8)[::-1],
                                             "landscape", s.extent[:2] + s.extent[2:])
        for name, walk in self.race.walks.items():
            sent = self._sent.get(name, 0)
            path = np.asarray(walk.path[sent:], dtype=np.float32).reshape(-1, 2)
            height = np.maximum(np.asarray(walk.losses[sent:]) - s.loss_min, descent_plot.FLOOR)
            with np.errstate(divide="ignore", invalid="ignore"):
                logs = np.log10(height)
            frame.series[name] = (sent, path)
            frame.series[name + " loss"] = (sent, np.column_stack(
                [np.arange(sent, sent + len(logs)), logs]))
            self._sent[name] = len(walk.path)
        frame.titles = {k: self.race.walks[n].describe() for k, n in enumerate(OPTIMIZER_NAMES)}
        frame.stop = steps > 0 and self.race.finished
        return frame

    def _panel_layout(self) -> dict:
        """The browser's panels: three maps in a row, the loss per step under them."""
        s = SURFACES[self.surface]
        x_min, x_max, y_min, y_max = s.extent
        side_h = round(MAP_SIDE * (y_max - y_min) / (x_max - x_min))
        left, gap, top = 70, 46, 2 * FONT + 24
        panels = []
        for k, name in enumerate(OPTIMIZER_NAMES):
            panels.append({"box": [left + k * (MAP_SIDE + gap), top, MAP_SIDE, side_h],
                           "xlim": [x_min, x_max], "ylim": [y_min, y_max],
                           "xticks": nice_ticks(x_min, x_max), "yticks": nice_ticks(y_min, y_max),
                           "xlabel": "θ₁", "ylabel": "θ₂" if k == 0 else "",
                           "title": _(LABELS[name]),
                           "title_color": rgb(descent_plot.PATH_COLORS[name]),
                           "subtitle": True})
        width = left + 3 * MAP_SIDE + 2 * gap + 20
        loss_top = top + side_h + 2 * FONT + 40
        low = int(np.floor(np.log10(descent_plot.FLOOR)))
        high = int(np.ceil(np.log10(10 * max(float(np.max(s.grid()) - s.loss_min), 1e-3))))
        every = max(1, (high - low) // 5)
        panels.append({"box": [left, loss_top, width - left - 20, 170],
                       "xlim": [0, s.max_steps], "ylim": [low, high],
                       "xticks": nice_ticks(0, s.max_steps),
                       "yticks": [[e, _power_of_ten(e)] for e in range(low, high + 1, every)],
                       "xlabel": _("step"), "ylabel": "L − L_min", "ylabel_gap": 58, "grid": True,
                       "legend": [[_(LABELS[n]), rgb(descent_plot.PATH_COLORS[n]), []]
                                  for n in OPTIMIZER_NAMES]})
        series = {}
        for k, name in enumerate(OPTIMIZER_NAMES):
            colour = rgb(descent_plot.PATH_COLORS[name])
            series[name] = {"panel": k, "color": colour, "width": 2.5, "dot": 2.5, "head": 8}
            series[name + " loss"] = {"panel": 3, "color": colour, "width": 2.5}
        start = [[self.start1, self.start2]]
        marks = [m for k in range(3) for m in (
            {"panel": k, "xy": [list(m) for m in s.minima], "shape": "star", "size": 11,
             "color": [255, 215, 0]},
            {"panel": k, "xy": start, "shape": "ring", "size": 7})]
        return {"width": width, "height": loss_top + 170 + 2 * FONT + 20, "font": FONT,
                "panels": panels, "series": series, "marks": marks}

    def _plot(self, figure: Figure):
        s = SURFACES[self.surface]
        return descent_plot.descent_paths(
            _axes(figure), s.grid(), s.extent,
            {n: w.path for n, w in self.race.walks.items()}, minima=s.minima,
            loss_min=s.loss_min, max_steps=s.max_steps)

    def draw(self, changed: set | None = None) -> None:
        """After a settings change: a new race (and, for a new surface, a new map)."""
        s = SURFACES[self.surface]
        playing = self.view.is_playing
        self.view.pause()
        if changed is None or "surface" in changed:
            descent_plot.set_descent_surface(self.artists, s.grid(), s.extent, minima=s.minima,
                                             loss_min=s.loss_min, max_steps=s.max_steps,
                                             start=(self.start1, self.start2))
            self.view.loop.steps = self._steps_per_frame()
        self.race = self._new_race()
        self._messages = []
        self.report("")
        self._draw_static()
        self.view.set_layout(self._panel_layout(), {"landscape": LANDSCAPE_LUT})
        self.view.show()
        self.rules.value = self.rules_text()
        if changed and playing:
            self.view.play()                             # keep animating with the new settings

    def _draw_static(self) -> None:
        """The matplotlib figure as the race is now (the PNG for readers without a kernel)."""
        walks = self.race.walks
        descent_plot.update_descent_paths(
            self.artists, {n: w.path for n, w in walks.items()},
            {n: w.losses for n, w in walks.items()},
            {n: w.describe() for n, w in walks.items()})
        for name, walk in walks.items():                 # keep long paths light to draw
            self.artists.paths[name].set_markevery(max(1, walk.steps // 120))
        self._png = None

    def rules_text(self) -> str:
        s = SURFACES[self.surface]
        lines = [f"$${s.formula}$$"]
        if s.smoothness is not None:
            lines.append("<div>" + _(
                "Curvature at most λ = {smoothness} (the largest second derivative of L): plain "
                "gradient descent converges for α &lt; 2/λ = {limit}, and diverges above it. "
                "Now α = {lr}.").format(smoothness=format_number(s.smoothness),
                                        limit=format_number(2 / s.smoothness),
                                        lr=format_number(self.learning_rate)) + "</div>")
        rules = ", ".join(f"{_(LABELS[n])}: ${RULES[n]}$" for n in OPTIMIZER_NAMES)
        lines.append(f"<div>{rules}</div>")
        return "".join(lines)

    def _layout(self):
        surface = self._bind("surface", widgets.ToggleButtons(
            options=list(SURFACES), value=self.surface, description=_("surface"),
            style={"description_width": "150px", "button_width": "110px"}))
        wide = {"description_width": "190px"}
        log = dict(base=10, readout_format=".3g", style=wide, layout=slider_layout("400px"),
                   continuous_update=False)
        lr = self._bind("learning_rate", widgets.FloatLogSlider(
            value=self.learning_rate, min=-4, max=1, step=0.01,
            description=_("α (SGD, momentum)"), **log))
        adam = self._bind("adam_learning_rate", widgets.FloatLogSlider(
            value=self.adam_learning_rate, min=-4, max=1, step=0.01, description="α (Adam)", **log))
        mu = self._bind("momentum", widgets.FloatSlider(
            value=self.momentum, min=0.0, max=0.99, step=0.01, description=_("momentum μ"),
            continuous_update=False, style=wide, layout=slider_layout("400px")))
        x_min, x_max, y_min, y_max = SURFACES[self.surface].extent
        starts = [self._bind(n, widgets.FloatSlider(
            value=getattr(self, n), min=low, max=high, step=0.05, description=label,
            continuous_update=False, style=wide, layout=slider_layout("400px")))
            for n, label, low, high in (("start1", _("start θ₁"), x_min, x_max),
                                        ("start2", _("start θ₂"), y_min, y_max))]
        controls = widgets.HBox([widgets.VBox([lr, adam, mu]), widgets.VBox(starts)])
        buttons = []
        for label, icon, tip, act in ((_("Step"), "step-forward", _("One frame of the race"),
                                       self.step),
                                      (_("Reset"), "undo", _("Every optimizer back to the start"),
                                       self.restart)):
            button = widgets.Button(description=label, icon=icon, tooltip=tip,
                                    layout=widgets.Layout(**BUTTON_LAYOUT))
            button.on_click(lambda _, act=act: self.view.on_loop(act))
            buttons.append(button)
        self.buttons = dict(zip(("step", "reset"), buttons))
        return widgets.VBox([surface, controls, widgets.HBox(buttons), self.message,
                             self.view, self.rules])


def _axes(figure: Figure) -> list:
    grid = figure.add_gridspec(2, len(OPTIMIZER_NAMES), height_ratios=[3.0, 1.5])
    axes = [figure.add_subplot(grid[0, k]) for k in range(len(OPTIMIZER_NAMES))]
    return axes + [figure.add_subplot(grid[1, :])]


def _power_of_ten(exponent: int) -> str:
    """10⁻⁶, 10⁰, 10³: a log axis' tick label."""
    digits = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"10{digits}"
