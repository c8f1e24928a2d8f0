"""The live view's kernel side, without a browser: frame messages, flow control, the recording.

The browser half (drawing, clicks, hover, the timeline) is tested in
``tests/browser/test_live_view_browser.py``.
"""
from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest

from nnkit.plots import style
from nnkit.widgets.live import (Frame, FrameLoop, LiveView, PlanarTrainer, Recording,
                                boundary_lut, diverging_lut, encode)
from nnkit.widgets.live.frames import boundary_indices, diverging_indices


@pytest.fixture
def trainer():
    return PlanarTrainer("circle", hidden_layers=(4, 2), seed=0)


class FakeFrontEnd:
    """Receives frames like live_view.js: shows them in order, acks every ``every``-th."""

    def __init__(self, every=4, acking=True):
        self.every, self.acking = every, acking
        self.received, self.loop, self.last_ack = [], None, 0
        self.most_in_flight = 0

    def send(self, frame, frame_id, session):
        self.received.append((frame_id, session, frame))
        self.most_in_flight = max(self.most_in_flight, self.loop.in_flight)

    def draw_all(self):
        for frame_id, session, _ in self.received:
            if self.acking and frame_id - self.last_ack >= self.every:
                self.last_ack = frame_id
                self.loop.ack(frame_id)


# ---- frames: what travels ------------------------------------------------------------------------

def test_frame_message_buffers_have_the_documented_shapes_and_dtypes(trainer):
    frame = trainer.produce(3)
    message, buffers = encode(frame, frame_id=7, session=2)
    assert message["type"] == "frame" and message["id"] == 7 and message["session"] == 2
    assert message["epoch"] == 3 and message["loss_start"] == 0
    R, n, r = message["R"], message["n"], message["r"]
    assert (R, n, r) == (100, 2 + 4 + 2 + 1, 25)
    grid, thumbs, weights, losses = buffers
    assert np.frombuffer(grid, np.uint8).size == R * R
    assert np.frombuffer(thumbs, np.uint8).size == n * r * r
    w = np.frombuffer(weights, np.float32)
    assert w.size == 2 * 4 + 4 + 4 * 2 + 2 + 2 * 1 + 1                      # W then b per layer
    np.testing.assert_array_equal(w, np.concatenate([a.ravel() for a in
                                                     trainer.model.get_weights()]))
    pairs = np.frombuffer(losses, np.float32).reshape(-1, 2)
    assert pairs.shape == (3, 2) and np.all(np.isfinite(pairs))               # only new points
    assert sum(len(b) for b in buffers) < 20_000                              # compact: no PNG
    later = trainer.produce(2)
    assert later.loss_start == 3 and later.losses.shape == (2, 2)


def test_frame_refuses_arrays_that_are_not_colour_indices():
    with pytest.raises(ValueError, match="grid must be a uint8"):
        Frame(epoch=0, grid=np.zeros((4, 4)))
    with pytest.raises(ValueError, match="square"):
        Frame(epoch=0, grid=np.zeros((4, 5), np.uint8))


def test_colour_tables_are_the_static_plots_own():
    np.testing.assert_array_equal(boundary_lut(2), style.probability_lut())
    np.testing.assert_array_equal(diverging_lut(), style.diverging_lut())
    idx = boundary_indices(np.array([0.0, 0.5, 1.0]))
    np.testing.assert_array_equal(idx, [0, 128, 255])
    np.testing.assert_array_equal(diverging_indices(np.array([-2.0, 0.0, 1.0]), 1.0), [0, 128, 255])
    three = boundary_lut(3)
    k = boundary_indices(np.array([[0.1, 0.8, 0.1]]), n_classes=3)
    # the winner (class 1) at nearly full confidence: close to that class's background colour
    assert np.abs(three[k[0]].astype(int) - style.confidence_lut(3)[1, 179]).max() < 12


# ---- the frame loop: flow control ------------------------------------------------------------------

def test_the_loop_never_runs_more_than_the_window_ahead_of_a_silent_front_end():
    front = FakeFrontEnd(acking=False)
    loop = FrameLoop(lambda steps: steps, front.send, window=8, steps_per_frame=1)
    front.loop = loop
    loop.play()                                    # no event loop here: we tick by hand
    sent = [loop.tick() for _ in range(50)]
    assert sum(sent) == 8 and loop.in_flight == 8 and loop.stalls == 42
    loop.ack(4)
    assert [loop.tick() for _ in range(10)].count(True) == 4


def test_an_acking_front_end_keeps_frames_flowing_within_the_window():
    front = FakeFrontEnd(every=4)
    loop = FrameLoop(lambda steps: steps, front.send, window=8, steps_per_frame=1)
    front.loop = loop
    loop.play()
    for _ in range(200):
        loop.tick()
        front.draw_all()
    assert loop.frames == 200 and loop.stalls == 0
    assert front.most_in_flight <= 8


def test_acks_from_nowhere_are_ignored_and_play_forgets_old_frames():
    front = FakeFrontEnd(acking=False)
    loop = FrameLoop(lambda steps: steps, front.send, window=4, steps_per_frame=1)
    front.loop = loop
    loop.play()
    for _ in range(10):
        loop.tick()
    loop.ack(99)                                   # never sent: ignored
    assert loop.in_flight == 4
    loop.pause()
    assert not loop.tick()
    loop.play()                                    # a new session starts with an empty window
    assert loop.session == 2 and loop.in_flight == 0 and loop.tick()
    assert front.received[-1][1] == 2


def test_steps_per_frame_adapt_to_the_time_a_frame_takes():
    now = [0.0]

    def produce(steps):                            # 1 ms per step on a fake clock
        now[0] += steps * 0.001
        return steps

    loop = FrameLoop(produce, lambda *a: None, rate=50, window=10**6, busy=0.5, max_steps=100,
                     clock=lambda: now[0])
    loop.play()
    for _ in range(100):
        loop.tick()
    assert 5 <= loop.steps <= 10                   # budget 0.5 / 50 s = 10 ms = 10 steps
    heavy = FrameLoop(lambda s: (now.__setitem__(0, now[0] + 0.05 * s), s)[1], lambda *a: None,
                      rate=50, window=10**6, clock=lambda: now[0])
    heavy.steps = 8
    heavy.play()
    heavy.tick()
    assert heavy.steps == 1                        # a slow frame: back to the fewest steps


def test_an_error_in_the_producer_pauses_and_is_reported():
    reported = []

    def produce(steps):
        raise FloatingPointError("the loss became NaN")

    loop = FrameLoop(produce, lambda *a: None, on_error=reported.append)
    loop.play()
    assert not loop.tick() and not loop.playing
    assert "NaN" in str(reported[0])


def run_on_a_loop_of_its_own(scenario):
    """``asyncio.run(scenario())`` in a thread of its own; returns (result, that thread's ident).

    In a whole-suite run the browser tests' Playwright (sync API) keeps an event loop running in
    pytest's thread, where ``asyncio.run`` is refused; a kernel's loop is likewise its own thread's.
    """
    done = {}

    def target():
        done["ident"] = threading.get_ident()
        try:
            done["result"] = asyncio.run(scenario())
        except BaseException as error:            # re-raised in the test's thread below
            done["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    if "error" in done:
        raise done["error"]
    return done["result"], done["ident"]


def test_the_clock_runs_on_the_event_loop_and_pause_stops_it_within_a_frame():
    async def scenario():
        front = FakeFrontEnd(every=4)
        loop = FrameLoop(lambda steps: steps, front.send, rate=100, window=8, steps_per_frame=1)
        front.loop = loop
        loop.play()

        async def browser():                       # draws (and acks) every 5 ms
            while loop.playing:
                front.draw_all()
                await asyncio.sleep(0.005)

        drawing = asyncio.create_task(browser())
        await asyncio.sleep(0.3)
        loop.pause()
        frames = loop.frames
        await asyncio.sleep(0.1)
        await drawing
        return loop, front, frames

    (loop, front, frames_at_pause), _ = run_on_a_loop_of_its_own(scenario)
    assert frames_at_pause >= 10                  # 100 ticks/s for 0.3 s, on a busy machine
    assert loop.frames == frames_at_pause          # nothing after the pause
    assert front.most_in_flight <= 8


# ---- the recording: bounded memory, exact replays ---------------------------------------------------

def test_recording_2000_epochs_of_the_default_network_stays_far_under_20_MB(trainer):
    for _ in range(2000):
        trainer.recording.add(trainer.epoch + 1, trainer.snapshot())
        trainer.epoch += 1
    rec = trainer.recording
    assert len(rec) == 2001 and rec.nbytes <= 20_000_000
    assert rec.nbytes < 1_000_000


def test_recording_thins_late_epochs_to_stay_under_its_bound():
    rec = Recording(keep_all=100, max_bytes=200 * (400 + 120))
    w = np.zeros(100, np.float32)                  # 400 bytes a snapshot
    for epoch in range(5000):
        rec.add(epoch, w + epoch)
        assert rec.nbytes <= rec.max_bytes
    assert rec.epochs[:100] == list(range(100))    # the first epochs are all kept
    assert rec.stride > 1 and rec.epochs[-1] > 4000   # the whole run is still covered
    epoch, weights = rec.at(4321)
    assert epoch <= 4321 and weights[0] == epoch   # the weights of the epoch it says


def test_scrubbing_shows_the_recorded_epochs_weights_and_boundary(trainer):
    trainer.produce(10)
    live_at_10 = trainer.produce(0)
    trainer.produce(40)
    now = trainer.model.get_weights()
    frame = trainer.replay(10)
    assert frame.replay and frame.epoch == 10
    np.testing.assert_array_equal(frame.weights, trainer.recording.at(10)[1])
    np.testing.assert_array_equal(frame.grid, live_at_10.grid)
    np.testing.assert_array_equal(frame.thumbs, live_at_10.thumbs)
    assert not np.array_equal(frame.grid, trainer.produce(0).grid)  # it learned since
    for a, b in zip(now, trainer.model.get_weights()):
        np.testing.assert_array_equal(a, b)        # the live model is left as it was


# ---- the widget's messages ---------------------------------------------------------------------------

class Captured(LiveView):
    """A LiveView whose messages to the browser are kept instead of sent."""

    def send(self, content, buffers=None):
        self.sent_messages = getattr(self, "sent_messages", []) + [(content, buffers)]


def test_a_click_adds_a_point_that_the_next_frame_trains_on(trainer):
    view = Captured(trainer)
    n = len(trainer.X)
    view._handle({"type": "add", "x": 1.5, "y": -2.0, "label": 0})
    assert len(trainer.X) == n + 1 and trainer.y[-1] == 0
    assert len(np.frombuffer(view.points_xy, np.float32)) == 2 * (n + 1)
    content, buffers = view.sent_messages[-1]     # paused: a still picture at once
    assert content["still"] and content["type"] == "frame" and content["id"] == 0
    removed_near = trainer.remove_points(1.5, -2.0, 0.01)
    assert removed_near == 1


def test_scrub_and_hover_messages_answer_with_a_picture(trainer):
    view = Captured(trainer)
    view.run(12)
    view._handle({"type": "scrub", "epoch": 5, "request": 3})
    content, buffers = view.sent_messages[-1]
    assert content["replay"] and content["epoch"] == 5 and content["request"] == 3
    np.testing.assert_array_equal(np.frombuffer(buffers[2], np.float32),
                                  trainer.recording.at(5)[1])
    view._handle({"type": "focus", "node": 3})
    content, _ = view.sent_messages[-1]
    assert trainer.focus == 3 and content["lut"] == "diverging"
    view._handle({"type": "focus", "node": -1})
    assert trainer.focus is None and view.sent_messages[-1][0]["lut"] == "boundary"


def test_messages_from_a_comm_thread_are_handled_on_the_kernels_loop(trainer):
    async def scenario():
        view = Captured(trainer)                   # made inside the loop, as in a cell
        handled_on = []
        original = view._dispatch
        view._dispatch = lambda content: (handled_on.append(threading.get_ident()),
                                          original(content))
        thread = threading.Thread(target=view._on_msg, args=(view, {"type": "play"}, []))
        thread.start()
        thread.join()
        await asyncio.sleep(0.2)
        playing = view.loop.playing
        view._on_msg(view, {"type": "pause"}, [])
        frames = view.loop.frames
        await asyncio.sleep(0.1)
        return view, handled_on, playing, frames

    (view, handled_on, playing, frames), loop_thread = run_on_a_loop_of_its_own(scenario)
    assert handled_on[0] == loop_thread            # the loop's thread, not the comm's
    assert playing and frames > 0
    assert view.loop.frames == frames and not view.playing


def test_a_view_drawn_after_training_gets_the_whole_loss_history(trainer):
    view = Captured(trainer)
    view.run(12)                                   # trained before any view listened
    view._handle({"type": "hello"})
    content, buffers = view.sent_messages[-1]
    losses = np.frombuffer(buffers[3], np.float32).reshape(-1, 2)
    assert content["loss_start"] == 0 and len(losses) == len(trainer.losses) == 12
    assert losses[:, 0].tolist() == pytest.approx([t for t, _ in trainer.losses])


def test_play_sends_the_first_frame_at_once_before_the_playing_state(trainer):
    """Play → first picture: the frame is the kernel's first message after the click (the
    ``playing`` trait follows it), and the clock's next tick comes one period later."""
    async def scenario():
        view = Captured(trainer, rate=20)
        order = []
        view.observe(lambda change: order.append("playing trait"), names="playing")
        original = view.send
        view.send = lambda content, buffers=None: (order.append(content.get("id")),
                                                   original(content, buffers))
        view._handle({"type": "play"})              # as the browser's message, on the loop
        at_once = view.loop.frames
        await asyncio.sleep(0.02)                   # well within a period of 50 ms
        soon = view.loop.frames
        await asyncio.sleep(0.2)
        view._handle({"type": "pause"})
        return order, at_once, soon, view.loop.frames

    (order, at_once, soon, later), _ = run_on_a_loop_of_its_own(scenario)
    assert at_once == 1 and order[:2] == [1, "playing trait"]
    assert soon == 1 and later >= 3


def test_live_frames_tell_the_browser_how_far_the_kernel_counts_as_acknowledged(trainer):
    view = Captured(trainer, window=8, ack_every=4)
    view.loop.play()                                # no event loop here: tick by hand
    for _ in range(3):
        view.loop.tick()
    view._handle({"type": "ack", "id": view.loop.sent, "session": view.loop.session})
    view._handle({"type": "ack", "id": 10**6, "session": view.loop.session - 1})   # stale
    view.loop.tick()
    content, buffers = view.sent_messages[-1]
    assert content["acked"] == 3 and content["id"] == 4 and not content.get("still")
    assert [len(b) for b in buffers[:2]] == [100 * 100, 9 * 25 * 25]
    with pytest.raises(ValueError, match="ack_every must be less than window"):
        LiveView(trainer, window=4, ack_every=4)
