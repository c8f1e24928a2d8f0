"""The kernel's frame clock with flow control: pictures at the display rate, never piling up.

    loop = FrameLoop(produce, send, rate=60, window=8)
    loop.play()          # an asyncio task on the kernel's event loop ticks ``rate`` times a second
    loop.ack(frame_id)   # the browser has drawn (or dropped) every frame up to frame_id
    loop.pause()         # no frame is produced after this returns

Why the clock is in the kernel (``shared/browser-testing.md``): a design in which the browser
asks for each frame waits for a round trip per frame, and a 40 ms delayed-ACK stall on the
kernel's websocket caps it near 19 pictures a second.  Here the kernel produces a frame every
tick *if* fewer than ``window`` frames are unacknowledged; the browser acknowledges every few
frames it has shown.  So frames flow at the display rate on a quick machine and stop after
``window`` frames when the browser falls behind (or is gone) — nothing piles up, and Pause
(handled between two ticks) stops production within one frame.

Steps per frame adapt (``steps_per_frame=None``): each frame may keep the kernel busy for
``busy`` of the tick; a frame that took longer lowers the steps, a quick one raises them, so
the picture rate holds while training runs as fast as that share of the machine allows.

Threads: every method here must run on the kernel's event-loop thread; ``LiveView`` hands the
browser's messages (which may arrive on a comm subshell thread) over with
``loop.call_soon_threadsafe``.  Without an event loop (scripts, tests) call ``tick()`` yourself.
"""
from __future__ import annotations

import asyncio
import time
from typing import Callable

from nnkit import checks

__all__ = ["FrameLoop"]


class FrameLoop:
    """produce(steps) -> Frame; send(frame, frame_id, session) ships it to the browser.

    rate:    ticks per second (the display rate);  window: unacknowledged frames allowed;
    steps_per_frame: an int (fixed) or None (adaptive, between min_steps and max_steps);
    busy:    share of a tick a frame may take when adapting;  loop: the event loop to tick on
             (None: the running one when ``play`` is called, if any);  on_error(err): called when
             ``produce`` raises (the loop pauses first).
    """

    def __init__(self, produce: Callable, send: Callable, *, rate: float = 60.0, window: int = 8,
                 steps_per_frame: int | None = None, min_steps: int = 1, max_steps: int = 64,
                 busy: float = 0.5, loop: asyncio.AbstractEventLoop | None = None,
                 on_error: Callable | None = None, clock: Callable[[], float] = time.perf_counter):
        self.produce, self.send = produce, send
        self.rate = checks.positive_float("rate", rate)
        if not 0 < self.rate <= 240:
            raise ValueError(f"rate must lie in (0, 240] pictures per second. Received: {rate}.")
        self.window = checks.positive_int("window", window)
        self.min_steps = checks.positive_int("min_steps", min_steps)
        self.max_steps = checks.positive_int("max_steps", max_steps)
        if self.max_steps < self.min_steps:
            raise ValueError(f"max_steps={max_steps} must be at least min_steps={min_steps}.")
        self.adaptive = steps_per_frame is None
        self.steps = self.min_steps if self.adaptive else checks.positive_int("steps_per_frame",
                                                                              steps_per_frame)
        if not 0 < busy <= 1:
            raise ValueError(f"busy must lie in (0, 1] (a share of a tick). Received: {busy}.")
        self.busy = float(busy)
        self.loop, self.on_error, self.clock = loop, on_error, clock
        self.playing = False
        self.session = 0              # +1 on every Play: acks and frames of older plays are stale
        self.sent = 0                 # id of the last frame sent (ids grow across sessions)
        self.acked = 0                # highest id the browser acknowledged
        self.ticks = self.frames = self.stalls = 0
        self.frame_seconds: list[float] = []     # recent produce() durations, for benchmarks
        self.last_error: BaseException | None = None
        self._task = None

    # ---- flow control -------------------------------------------------------------------------
    @property
    def in_flight(self) -> int:
        """Frames sent in this session and not yet acknowledged."""
        return self.sent - self.acked

    def ack(self, frame_id: int) -> None:
        """The browser has handled (drawn or dropped) every frame up to ``frame_id``."""
        frame_id = int(frame_id)
        if self.acked < frame_id <= self.sent:
            self.acked = frame_id

    def tick(self) -> bool:
        """One tick of the clock: produce and send a frame if playing and the window allows."""
        if not self.playing:
            return False
        self.ticks += 1
        if self.in_flight >= self.window:
            self.stalls += 1
            return False
        start = self.clock()
        try:
            frame = self.produce(self.steps)
        except Exception as err:               # never a stack trace in the widget
            self.last_error = err
            self.pause()
            if self.on_error is not None:
                self.on_error(err)
            return False
        seconds = self.clock() - start
        self.frame_seconds = (self.frame_seconds + [seconds])[-240:]
        self._adapt(seconds)
        self.sent += 1
        self.frames += 1
        self.send(frame, self.sent, self.session)
        return True

    def _adapt(self, seconds: float) -> None:
        if not self.adaptive:
            return
        budget = self.busy / self.rate
        if seconds > budget and self.steps > self.min_steps:
            self.steps = max(self.min_steps, int(self.steps * budget / seconds))
        elif seconds < 0.6 * budget and self.steps < self.max_steps:
            self.steps = min(self.max_steps, self.steps + max(1, self.steps // 4))

    # ---- play / pause -------------------------------------------------------------------------
    def play(self) -> None:
        """Start ticking (a new session: frames still in flight from before are forgotten).

        With an event loop the first frame is produced and sent here, at once — before
        anything else the caller sends — and the clock's next tick comes a period later.
        """
        if self.playing:
            return
        self.playing = True
        self.session += 1
        self.acked = self.sent
        loop = self.loop
        if loop is None:
            try:
                loop = self.loop = asyncio.get_running_loop()
            except RuntimeError:
                return                         # no event loop: the caller ticks
        self.tick()
        if self.playing:                       # (an error in the first frame pauses)
            self._task = loop.create_task(self._run(self.session, loop.time() + 1 / self.rate))

    def pause(self) -> None:
        """Stop: no frame is produced after this (a task waiting for its tick just ends)."""
        self.playing = False
        task, self._task = self._task, None
        if task is not None and not task.done() and task is not _current_task():
            task.cancel()

    async def _run(self, session: int, due: float) -> None:
        period = 1.0 / self.rate
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, due - loop.time()))
        while self.playing and self.session == session:
            self.tick()
            due += period
            now = loop.time()
            if due < now - period:              # fell behind (a slow frame, a busy cell): no burst
                due = now
            await asyncio.sleep(max(0.0, due - now))


def _current_task():
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None
