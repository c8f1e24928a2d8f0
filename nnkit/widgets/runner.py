"""The training runner every live widget shares: Play / Pause / Step / Reset on the browser's clock.

How a widget stays responsive while it trains
---------------------------------------------
A ``for`` loop in a cell keeps the kernel busy, so a click on Pause waits for the loop to end.
Threads and asyncio tasks interleave, but both have been fragile across ipykernel releases and
do not exist in every frontend.  Here the *browser* keeps time instead: a hidden
``ipywidgets.Play`` ticks every ``interval`` ms, and each tick asks the kernel for one **frame** —
``steps_per_frame`` optimizer steps, then one redraw.  Between frames the kernel is idle, so a
click or a slider is handled before the next frame, in JupyterLab, Notebook and Voilà alike.

If the kernel falls behind (a slow machine, a big network), ticks queue up.  A tick that arrives
less than half an interval after the previous frame finished is dropped, so a backlog drains in
microseconds and Pause still lands within a frame.

Without a browser (tests, nbval, scripts) nothing ticks: ``run(frames)`` does the same frames
synchronously, and ``step()`` does one.
"""
from __future__ import annotations

import math
import time
from typing import Callable

import ipywidgets as widgets

from nnkit import checks

__all__ = ["Runner"]

BUTTON = widgets.Layout(width="auto", min_width="96px", height="40px")


class Runner:
    """Drives ``train(steps) -> loss`` and ``draw()`` frame by frame.

    train:  runs ``steps`` optimizer steps and returns the last loss (NaN/inf = diverged).
    draw:   updates the widget's pictures from the current model.
    reset:  called by the Reset button (after pausing).
    report: shows a message to the user, ``report(text, level)`` with level "info"/"error";
            the runner uses it for divergence and for errors inside a frame (no stack traces).
    """

    def __init__(self, train: Callable[[int], float], draw: Callable[[], None],
                 reset: Callable[[], None] | None = None,
                 report: Callable[[str, str], None] | None = None,
                 steps_per_frame: int = 1, interval: int = 50):
        self._train, self._draw = train, draw
        self._reset, self._report = reset, report or (lambda text, level: None)
        self.steps_per_frame = checks.positive_int("steps_per_frame", steps_per_frame)
        self.frames = 0
        self.last_error: BaseException | None = None
        self._frame_end = 0.0
        self.frame_seconds: list[float] = []      # recent frame durations, for the benchmarks

        self.clock = widgets.Play(value=0, min=0, max=2**31 - 2, step=1, repeat=True,
                                  interval=checks.positive_int("interval", interval),
                                  layout=widgets.Layout(display="none"))
        self.clock.observe(self._on_tick, names="value")
        self.play_button = widgets.Button(description="Play", icon="play", button_style="success",
                                          tooltip="Train continuously", layout=BUTTON)
        self.step_button = widgets.Button(description="Step", icon="step-forward",
                                          tooltip="One frame of training", layout=BUTTON)
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Back to the initial weights", layout=BUTTON)
        self.play_button.on_click(lambda _: self.toggle())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        buttons = [self.play_button, self.step_button] + ([self.reset_button] if reset else [])
        self.controls = widgets.HBox(buttons + [self.clock])

    # ---- state ----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.clock.playing

    def play(self) -> None:
        if not self.playing:
            self.clock.playing = True
        self._show_playing(True)

    def pause(self) -> None:
        if self.playing:
            self.clock.playing = False
        self._show_playing(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def _show_playing(self, playing: bool) -> None:
        self.play_button.description = "Pause" if playing else "Play"
        self.play_button.icon = "pause" if playing else "play"
        self.play_button.button_style = "warning" if playing else "success"

    # ---- frames ---------------------------------------------------------------------------------
    def _on_tick(self, change) -> None:
        if not self.playing:
            return                                   # a tick that was in flight when we paused
        if time.perf_counter() - self._frame_end < self.clock.interval / 2000:
            return                                   # backlog: the kernel fell behind; skip
        self._frame()

    def _frame(self, draw: bool = True) -> bool:
        """One frame: train, then draw. Returns False (and pauses) if training must stop."""
        start = time.perf_counter()
        try:
            loss = self._train(self.steps_per_frame)
            if draw:
                self._draw()
        except Exception as err:                     # never a stack trace in the widget
            self.last_error = err
            self.pause()
            self._report(f"Training stopped: {err}", "error")
            return False
        finally:
            self._frame_end = time.perf_counter()
            self.frame_seconds = (self.frame_seconds + [self._frame_end - start])[-200:]
        self.frames += 1
        if loss is not None and not math.isfinite(loss):
            self.pause()
            return False
        return True

    def step(self) -> bool:
        """One frame now (the Step button); pauses first if playing."""
        self.pause()
        return self._frame()

    def run(self, frames: int, draw_every: int | None = None) -> bool:
        """``frames`` frames synchronously, drawing after the last (or every ``draw_every``).

        This is the browser-free path for lessons under nbval, scripts and tests.
        Returns False if training stopped early (divergence or an error).
        """
        frames = checks.positive_int("frames", frames)
        for i in range(frames):
            draw = (i == frames - 1) or (draw_every is not None and (i + 1) % draw_every == 0)
            if not self._frame(draw=draw):
                self._draw_safely()
                return False
        return True

    def _draw_safely(self) -> None:
        try:
            self._draw()
        except Exception as err:
            self.last_error = err

    def reset(self) -> None:
        self.pause()
        if self._reset is not None:
            self._reset()
        self.frames = 0

    def close(self) -> None:
        """Stop ticking and close the runner's widgets."""
        self.pause()
        self.clock.unobserve(self._on_tick, names="value")
        for w in (self.clock, self.play_button, self.step_button, self.reset_button, self.controls):
            w.close()
