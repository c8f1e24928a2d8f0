"""GradientDescentExplorer: SGD, momentum and Adam race down one loss surface (lesson §3.3).

    explorer = GradientDescentExplorer(surface="bowl", learning_rate=0.9)
    explorer                               # in a notebook: the maps, Play / Step / Reset, sliders
    explorer.run()                         # without a browser: every frame until all have stopped
    explorer.status                        # {"sgd": "converged", "momentum": …, "adam": …}
    explorer.set(learning_rate=1.05)       # above 2/λ = 1 on the bowl: SGD diverges and says so

Each frame is a few optimizer steps and one redraw, driven by the shared ``Runner`` (the browser's
clock ticks; the kernel stays free between frames).  Changing a setting starts the race again.
The surfaces, the walks and their classification live in ``descent_race.py``.
"""
from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from nnkit import checks
from nnkit.plots import descent as descent_plot
from nnkit.labs.descent_race import DIVERGED_LOSS, OPTIMIZER_NAMES, SURFACES, DescentRace
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import (LessonWidget, divergence_message, number,
                                  slider_layout)
from nnkit.widgets.runner import Runner

__all__ = ["GradientDescentExplorer"]

FRAMES_PER_RACE = 80          # a race takes about this many frames, whatever the surface
LABELS = descent_plot.OPTIMIZER_LABELS
RULES = {"sgd": r"\theta \leftarrow \theta - \alpha\,\nabla L",
         "momentum": r"v \leftarrow \mu v - \alpha\,\nabla L,\;\; \theta \leftarrow \theta + v",
         "adam": r"\theta \leftarrow \theta - \alpha_t\, \hat m / (\sqrt{\hat v} + \epsilon)"}


class GradientDescentExplorer(LessonWidget):
    """Paths of SGD, momentum and Adam from the same start on a 2-D loss surface, animated.

    Settings: ``surface`` ("bowl", "ravine", "rosenbrock", "saddle"), ``learning_rate`` (α of SGD
    and momentum), ``momentum`` (μ), ``adam_learning_rate`` (Adam's α), ``start1``, ``start2``
    (the common start θ⁽⁰⁾).  A new surface brings its own default α's and start.

    Numbers: ``status`` and ``steps`` per optimizer, ``paths`` (n, 2) arrays, ``losses``,
    ``message_text`` (the divergence message, if any).
    """

    SETTINGS = ("surface", "learning_rate", "momentum", "adam_learning_rate", "start1", "start2")

    def __init__(self, surface: str = "bowl", learning_rate: float | None = None,
                 momentum: float = 0.9, adam_learning_rate: float | None = None,
                 start=None, interval: int = 60):
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
        self.runner = Runner(self._train, self._draw_frame, reset=self.restart, report=self.report,
                             steps_per_frame=self._steps_per_frame(), interval=interval)
        figure = Figure(figsize=(13.0, 8.0), dpi=80, layout="constrained")
        self.artists = self._plot(figure)
        self.view = FigureView(figure, self.artists.dynamic)
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
        self.race = self._new_race()
        self._messages = []
        self.report("")
        self._draw_frame()

    def _train(self, steps: int) -> float:
        for walk in self.race.step(steps):             # one message per optimizer that blew up
            self._messages.append(self._divergence(walk))
            self.report(" ".join(self._messages), "error")
        if self.race.finished:
            self.runner.pause()
        finite = [w.losses[-1] for w in self.race.walks.values() if math.isfinite(w.losses[-1])]
        return min(finite) if finite else 0.0

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

    def run(self, frames: int | None = None) -> bool:
        """``frames`` frames now, without a browser (None: until every optimizer has stopped)."""
        if frames is None:
            left = max(SURFACES[self.surface].max_steps - min(self.steps.values()), 1)
            frames = math.ceil(left / self.runner.steps_per_frame)
        return self.runner.run(frames)

    def step(self) -> bool:
        """One frame (the Step button)."""
        return self.runner.step()

    # ---- pictures -------------------------------------------------------------------------------
    def _plot(self, figure: Figure):
        s = SURFACES[self.surface]
        return descent_plot.descent_paths(
            _axes(figure), s.grid(), s.extent,
            {n: w.path for n, w in self.race.walks.items()}, minima=s.minima,
            loss_min=s.loss_min, max_steps=s.max_steps)

    def draw(self, changed: set | None = None) -> None:
        """After a settings change: a new race (and, for a new surface, a new map)."""
        s = SURFACES[self.surface]
        if changed is None or "surface" in changed:
            descent_plot.set_descent_surface(self.artists, s.grid(), s.extent, minima=s.minima,
                                             loss_min=s.loss_min, max_steps=s.max_steps,
                                             start=(self.start1, self.start2))
            self.runner.steps_per_frame = self._steps_per_frame()
        playing = self.runner.playing
        self.runner.pause()
        self.race = self._new_race()
        self._messages = []
        self.report("")
        self._draw_frame(full=True)
        self.rules.value = self.rules_text()
        if changed and playing:
            self.runner.play()                           # keep animating with the new settings

    def _draw_frame(self, full: bool = False) -> None:
        walks = self.race.walks
        descent_plot.update_descent_paths(
            self.artists, {n: w.path for n, w in walks.items()},
            {n: w.losses for n, w in walks.items()},
            {n: w.describe() for n, w in walks.items()})
        for name, walk in walks.items():                 # keep long paths light to draw
            self.artists.paths[name].set_markevery(max(1, walk.steps // 120))
        self.view.refresh(full=full)

    def rules_text(self) -> str:
        s = SURFACES[self.surface]
        lines = [f"$${s.formula}$$"]
        if s.smoothness is not None:
            lines.append(f"<div>Curvature at most λ = {number(s.smoothness)} (the largest "
                         f"second derivative of L): plain gradient descent converges for "
                         f"α &lt; 2/λ = {number(2 / s.smoothness)}, and diverges above it. "
                         f"Now α = {number(self.learning_rate)}.</div>")
        rules = ", ".join(f"{LABELS[n]}: ${RULES[n]}$" for n in OPTIMIZER_NAMES)
        lines.append(f"<div>{rules}</div>")
        return "".join(lines)

    def _layout(self):
        surface = self._bind("surface", widgets.ToggleButtons(
            options=list(SURFACES), value=self.surface, description="surface",
            style={"description_width": "150px", "button_width": "110px"}))
        wide = {"description_width": "190px"}
        log = dict(base=10, readout_format=".3g", style=wide, layout=slider_layout("400px"),
                   continuous_update=False)
        lr = self._bind("learning_rate", widgets.FloatLogSlider(
            value=self.learning_rate, min=-4, max=1, step=0.01,
            description="α (SGD, momentum)", **log))
        adam = self._bind("adam_learning_rate", widgets.FloatLogSlider(
            value=self.adam_learning_rate, min=-4, max=1, step=0.01, description="α (Adam)", **log))
        mu = self._bind("momentum", widgets.FloatSlider(
            value=self.momentum, min=0.0, max=0.99, step=0.01, description="momentum μ",
            continuous_update=False, style=wide, layout=slider_layout("400px")))
        x_min, x_max, y_min, y_max = SURFACES[self.surface].extent
        starts = [self._bind(n, widgets.FloatSlider(
            value=getattr(self, n), min=low, max=high, step=0.05, description=label,
            continuous_update=False, style=wide, layout=slider_layout("400px")))
            for n, label, low, high in (("start1", "start θ₁", x_min, x_max),
                                        ("start2", "start θ₂", y_min, y_max))]
        controls = widgets.HBox([widgets.VBox([lr, adam, mu]), widgets.VBox(starts)])
        return widgets.VBox([surface, controls, self.runner.controls, self.message,
                             self.view.image, self.rules])

    def close(self) -> None:
        self.runner.close()
        super().close()


def _axes(figure: Figure) -> list:
    grid = figure.add_gridspec(2, len(OPTIMIZER_NAMES), height_ratios=[3.0, 1.5])
    axes = [figure.add_subplot(grid[0, k]) for k in range(len(OPTIMIZER_NAMES))]
    return axes + [figure.add_subplot(grid[1, :])]
