"""The training runner every live widget shares: Play / Pause / Step / Reset on the browser's clock.

How a widget stays responsive while it trains
---------------------------------------------
A ``for`` loop in a cell keeps the kernel busy, so a click on Pause waits for the loop to end.
Threads and asyncio tasks interleave, but both have been fragile across ipykernel releases and
do not exist in every frontend.  Here the *browser* keeps time instead: a hidden
``ipywidgets.Play`` ticks, and each tick asks the kernel for one **frame** — ``steps_per_frame``
optimizer steps, then one redraw.  Between frames the kernel is idle, so a click or a slider is
handled before the next frame, in JupyterLab, Notebook and Voilà alike.

One tick at a time (ping-pong).  A free-running clock would keep ticking while a slow frame
runs; the ticks would queue up in front of a Pause click.  So the clock may only ever run one
tick ahead: the kernel sets the Play widget's ``max`` to the next value, the browser ticks once
and stops at ``max``, and the kernel, when the frame is drawn, raises ``max`` by one and
restarts it.  Frames therefore come as fast as the kernel *and* the browser manage, at most one
per ``interval`` ms, and a click waits for at most the frame under way.  (The browser stopping
itself at ``max`` reports ``playing=False``; while the learner wants to play, the runner simply
restarts it — ``Runner.playing`` is the learner's wish, not the clock's.)  Measured in
JupyterLab on a busy 2-core machine: with a free-running clock 4 frames still ran after a Pause
click (0.4 s); one tick ahead, at most the frame under way.

Without a browser (tests, nbval, scripts) nothing ticks: ``run(frames)`` does the same frames
synchronously, and ``step()`` does one.
"""
from __future__ import annotations

import math
import time
from typing import Callable

import ipywidgets as widgets
from traitlets import Bool, CInt

from nnkit import checks

__all__ = ["Runner", "close_widgets"]

BUTTON_LAYOUT = dict(width="auto", min_width="96px", height="40px")
BUTTON = widgets.Layout(**BUTTON_LAYOUT)   # kept for old imports; each button now gets its own


def close_widgets(*roots) -> None:
    """Close widgets together with their children, layouts and styles.

    ``Widget.close()`` closes only the widget itself: its ``layout`` and ``style`` (widgets too)
    and a box's children stay registered, and pile up when a lesson builds widgets in a loop.
    Give each widget its own Layout — a shared one is closed here with the first owner.
    """
    seen, stack = set(), [w for w in roots if w is not None]
    while stack:
        widget = stack.pop()
        if not isinstance(widget, widgets.Widget) or id(widget) in seen:
            continue
        seen.add(id(widget))
        stack.extend(getattr(widget, "children", ()) or ())
        for part in ("layout", "style"):
            sub = getattr(widget, part, None)
            if isinstance(sub, widgets.Widget):
                stack.append(sub)
        widget.close()


class Clock(widgets.Play):
    """A Play widget whose ticks are not echoed back to the browser (one message less each)."""

    value = CInt(0, help="Tick counter").tag(sync=True, echo_update=False)
    playing = Bool(False, help="Whether the browser is ticking").tag(sync=True,
                                                                      echo_update=False)


class Runner:
    """Drives ``train(steps) -> loss`` and ``draw()`` frame by frame.

    train:  runs ``steps`` optimizer steps and returns the last loss (NaN/inf = diverged).
    draw:   updates the widget's pictures from the current model.
    reset:  called by the Reset button (after pausing).
    report: shows a message to the user, ``report(text, level)`` with level "info"/"error";
            the runner uses it for divergence and for errors inside a frame (no stack traces).
    interval: the least time between two frames, in ms.
    ahead:  ticks the browser may send before the kernel answered the first (1: a click waits
            for at most the frame under way; 2 overlaps a frame with the next tick's round
            trip — more frames on a slow connection, a click may wait one frame more).
    """

    def __init__(self, train: Callable[[int], float], draw: Callable[[], None],
                 reset: Callable[[], None] | None = None,
                 report: Callable[[str, str], None] | None = None,
                 steps_per_frame: int = 1, interval: int = 50, ahead: int = 1):
        self._train, self._draw = train, draw
        self._reset, self._report = reset, report or (lambda text, level: None)
        self.steps_per_frame = checks.positive_int("steps_per_frame", steps_per_frame)
        self.frames = 0
        self.last_error: BaseException | None = None
        self.frame_seconds: list[float] = []      # recent frame durations, for the benchmarks
        self.ahead = checks.positive_int("ahead", ahead)   # ticks the clock may run ahead
        self._playing = False                     # the learner's wish (the clock stops per tick)
        self._done = 0                            # the last tick answered

        self.clock = Clock(value=0, min=0, max=0, step=1, repeat=False,
                           interval=checks.positive_int("interval", interval),
                           layout=widgets.Layout(display="none"))
        self.clock.observe(self._on_tick, names="value")
        self.clock.observe(self._on_clock_stopped, names="playing")
        self.play_button = widgets.Button(description="Play", icon="play", button_style="success",
                                          tooltip="Train continuously",
                                          layout=widgets.Layout(**BUTTON_LAYOUT))
        self.step_button = widgets.Button(description="Step", icon="step-forward",
                                          tooltip="One frame of training",
                                          layout=widgets.Layout(**BUTTON_LAYOUT))
        self.reset_button = widgets.Button(description="Reset", icon="undo",
                                           tooltip="Back to the initial weights",
                                           layout=widgets.Layout(**BUTTON_LAYOUT))
        self.play_button.on_click(lambda _: self.toggle())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        buttons = [self.play_button, self.step_button] + ([self.reset_button] if reset else [])
        self.controls = widgets.HBox(buttons + [self.clock])

    # ---- state ----------------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        """True between Play and Pause (whatever the browser's clock is doing this instant)."""
        return self._playing

    def play(self) -> None:
        if not self._playing:
            self._playing = True
            self._done = self.clock.value         # ticks that came while paused count as answered
            self._ask_for_tick()
        self._show_playing(True)

    def pause(self) -> None:
        if self._playing:
            self._playing = False
            if self.clock.playing:
                self.clock.playing = False
            else:
                self.clock.send_state("playing")  # make sure the browser's clock stops too
        self._show_playing(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def _show_playing(self, playing: bool) -> None:
        self.play_button.description = "Pause" if playing else "Play"
        self.play_button.icon = "pause" if playing else "play"
        self.play_button.button_style = "warning" if playing else "success"

    # ---- the clock ------------------------------------------------------------------------------
    def _ask_for_tick(self) -> None:
        """Let the browser's clock run ``ahead`` (1) more ticks (it stops itself at ``max``).

        ``max`` is sent first, then ``playing``: a clock restarted before its new ``max``
        arrived would start over from ``min``.
        """
        clock = self.clock
        clock.max = self._done + self.ahead
        if clock.playing:
            clock.send_state("playing")           # it may have stopped already: restart it
        else:
            clock.playing = True

    def _on_clock_stopped(self, change) -> None:
        if not change["new"] and self._playing and self.clock.value == self._done:
            self._ask_for_tick()                  # it stopped at max before the frame ended

    def _on_tick(self, change) -> None:
        value = change["new"]
        if not self._playing or value <= self._done:
            return                                # a tick in flight when we paused, or a repeat
        self._done = value
        if self._frame() and self._playing:
            self._ask_for_tick()

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
            self.frame_seconds = (self.frame_seconds + [time.perf_counter() - start])[-200:]
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
        """Pause and call the widget's reset (the Reset button); errors are reported in words."""
        self.pause()
        if self._reset is not None:
            try:
                self._reset()
            except Exception as err:                 # a button never shows a stack trace
                self.last_error = err
                self._report(f"Reset did not work: {err}", "error")
        self.frames = 0

    def close(self) -> None:
        """Stop ticking and close the runner's widgets."""
        self.pause()
        self.clock.unobserve(self._on_tick, names="value")
        self.clock.unobserve(self._on_clock_stopped, names="playing")
        close_widgets(self.controls, self.clock, self.play_button, self.step_button,
                      self.reset_button)
