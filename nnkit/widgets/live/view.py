"""``LiveView``: the live pictures drawn by the browser from compact data (an anywidget).

    from nnkit.widgets.live import LiveView, PlanarTrainer
    view = LiveView(PlanarTrainer("circle"), presenter=True)
    view                   # Play: pictures at the display rate; click adds a point, …
    view.run(100)          # without a browser: 100 frames now (tests, nbval)

The browser side is ``live_view.js`` (no build step): the decision boundary with its points and
axes, the network (a small picture per neuron, a line per weight: colour = sign, width = |w|),
the loss curves, a timeline slider, Play/Pause and the class to add.  The kernel side is a
``FrameLoop`` (the clock, with flow control) around a producer (see ``demo.py`` for the
protocol).  What travels (``frames.py``): per frame one message with four binary buffers; the
colour tables and the points as synced byte traits, sent when they change.

Messages from the browser: ``play``, ``pause``, ``ack`` (every few frames drawn), ``add`` /
``remove`` (points), ``scrub`` (timeline), ``focus`` (hover a neuron), ``units`` (the − / +
over a hidden layer's column, with ``unit_buttons``: passed to ``on_units(layer, delta)``),
``hello`` (a view was drawn: it gets the current picture and, if the producer has
``losses_so_far()``, the whole loss history).  With JupyterLab 4.6 and ipykernel 7 they may
arrive on a comm subshell thread; every one is handed to the kernel's event loop (captured when
the widget is made), so the loop, the producer and the model are only ever touched from that
one thread.
"""
from __future__ import annotations

import asyncio
import pathlib
import threading

import anywidget
import numpy as np
import traitlets

from nnkit import checks
from nnkit.i18n import N_, _
from nnkit.plots import style
from nnkit.widgets.live.frames import Frame, boundary_lut, diverging_lut, encode
from nnkit.widgets.live.loop import FrameLoop

__all__ = ["LiveView", "NORMAL", "PRESENTER"]

HERE = pathlib.Path(__file__).parent
# pixel sizes: the boundary's plot side, the network and chart boxes, text (as the Playground's)
NORMAL = {"plot": 340, "network": [430, 330], "chart": [395, 125], "font": 14, "node": 44,
          "point": 4.0}
PRESENTER = {"plot": 520, "network": [640, 470], "chart": [590, 175], "font": 20, "node": 64,
             "point": 6.0}

# The words the browser draws (live_view.js reads them from the ``labels`` trait by key; "{x}"
# is filled in there).  Marked with N_ and translated when a view is made, so they follow
# nnkit.set_language called after import.
LIVE_LABELS = {
    "play": N_("Play"), "pause": N_("Pause"), "epoch": N_("Epoch {epoch}"),
    "click_adds": N_("Click adds:"), "class": N_("class {k}"),
    "class_tip": N_("A click on the picture adds a point of class {k}; shift-click or drag removes"),
    "timeline": N_("Timeline: drag back to see how the network learned"), "live": N_("live"),
    "replay": N_("epoch {epoch} (replay)"), "scrubbing": N_("epoch {epoch} …"),
    "less": N_("One neuron less in layer {n}"), "more": N_("One neuron more in layer {n}"),
    "training": N_("training"), "test": N_("test"), "loss": N_("loss"), "epochs": N_("epoch"),
}


def live_labels() -> dict:
    """``LIVE_LABELS`` in the language of ``nnkit.set_language`` (key → shown text)."""
    return {key: _(text) for key, text in LIVE_LABELS.items()}


class LiveView(anywidget.AnyWidget):
    """Live pictures of a producer's training (module notes); ``loop`` is its ``FrameLoop``."""

    # the text, not the path: anywidget watches a path's file for changes through a global
    # signal that holds every widget made from it (none would ever be freed)
    _esm = (HERE / "live_view.js").read_text(encoding="utf-8")
    _css = (HERE / "live_view.css").read_text(encoding="utf-8")

    layout_info = traitlets.Dict().tag(sync=True)        # network, labels, extent, sizes
    luts = traitlets.Bytes(b"").tag(sync=True)           # boundary (256×3) + diverging (256×3)
    class_colors = traitlets.List().tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)             # the words drawn: live_labels()
    points_xy = traitlets.Bytes(b"").tag(sync=True)      # float32 (N, 2)
    points_label = traitlets.Bytes(b"").tag(sync=True)   # uint8 (N,)
    test_xy = traitlets.Bytes(b"").tag(sync=True)        # float32 (M, 2): hollow points
    test_label = traitlets.Bytes(b"").tag(sync=True)     # uint8 (M,)
    playing = traitlets.Bool(False).tag(sync=True)
    epoch = traitlets.Int(0).tag(sync=True)              # updated on pause, not every frame
    rate = traitlets.Float(60.0).tag(sync=True)
    # the browser acks every n-th frame: each browser→kernel message costs the page a kernel
    # busy/idle status (JupyterLab redraws its status bar and favicon), so few and cumulative
    ack_every = traitlets.Int(8).tag(sync=True)

    def __init__(self, producer, *, presenter: bool = False, rate: float = 60.0, window: int = 16,
                 steps_per_frame: int | None = None, max_steps: int = 64, ack_every: int = 8,
                 unit_buttons: tuple[int, int] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.labels = live_labels()
        self.producer = producer
        self.unit_buttons = None if unit_buttons is None else [int(n) for n in unit_buttons]
        self.on_units = None           # on_units(layer, delta): a − or + over a hidden layer
        try:                                   # the kernel's loop: a cell runs inside it
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None                  # a script or a test: tick by hand or run()
        self._loop_thread = threading.get_ident()
        self._lock = threading.RLock()
        self.loop = FrameLoop(self._produce, self._send_frame, rate=rate, window=window,
                              steps_per_frame=steps_per_frame, max_steps=max_steps,
                              loop=self._loop, on_error=self._on_error)
        self.messages_sent = 0
        self.errors: list[str] = []
        self._sizes = dict(PRESENTER if checks.boolean("presenter", presenter) else NORMAL)
        self._read_layout()
        self.rate = float(rate)
        self.ack_every = checks.positive_int("ack_every", ack_every)
        if self.ack_every >= window:
            raise ValueError(f"ack_every must be less than window (the browser must ack before "
                             f"the window fills). Received: ack_every={ack_every}, "
                             f"window={window}.")
        self.on_msg(self._on_msg)

    def _read_layout(self) -> None:
        """The producer's layout, colour tables and points → the synced traits (one message)."""
        info = dict(self.producer.layout())
        info["sizes"] = self._sizes
        if self.unit_buttons:
            info["unit_buttons"] = self.unit_buttons
        n_classes = int(info.get("n_classes", 2))
        with self.hold_sync():
            self.luts = boundary_lut(n_classes).tobytes() + diverging_lut().tobytes()
            self.class_colors = [list(c) for c in style.class_colors(n_classes)]
            self._sync_points()
            self.layout_info = info

    # ---- the Python API --------------------------------------------------------------------------
    def play(self) -> None:
        self._call(self._play)

    def pause(self) -> None:
        self._call(self._pause)

    def run(self, frames: int) -> None:
        """``frames`` frames now, synchronously (no browser needed); the last is shown."""
        frames = checks.positive_int("frames", frames)
        with self._lock:
            self._pause()
            frame = None
            for _ in range(frames):
                frame = self._produce(self.loop.steps)
            self._send_still(frame)

    def show(self, frame: Frame | None = None) -> None:
        """Show ``frame`` (default: the producer's picture now, no training) as a still."""
        with self._lock:
            self._send_still(self.producer.produce(0) if frame is None else frame)

    def rebuild(self) -> None:
        """The producer's network or data changed: redraw the whole view (layout, points)."""
        with self._lock:
            self._read_layout()
            self._send_still(self.producer.produce(0))

    # ---- the browser's messages ------------------------------------------------------------------
    def _on_msg(self, _widget, content, buffers) -> None:
        if self._loop is not None and threading.get_ident() != self._loop_thread:
            self._loop.call_soon_threadsafe(self._handle, content)     # a comm subshell thread
        else:
            self._handle(content)

    def _handle(self, content: dict) -> None:
        with self._lock:
            try:
                self._dispatch(content)
            except Exception as err:           # a click never shows a stack trace
                self._on_error(err)

    def _dispatch(self, content: dict) -> None:
        kind = content.get("type")
        p = self.producer
        if kind == "ack":
            if content.get("session") == self.loop.session:
                self.loop.ack(content["id"])
        elif kind == "play":
            self._play()
        elif kind == "pause":
            self._pause()
        elif kind == "hello":                  # a view was drawn: all of the loss curves too
            frame = self._produce(0)
            if hasattr(p, "losses_so_far"):
                frame.losses, frame.loss_start = p.losses_so_far(), 0
            self._send_still(frame)
        elif kind == "focus":
            node = content.get("node")
            p.focus = None if node is None or node < 0 else int(node)
            if not self.loop.playing:
                self._send_still(self._produce(0))
        elif kind == "scrub":
            self._pause()
            frame = p.replay(int(content["epoch"]))
            self._send_still(frame, request=content.get("request"))
        elif kind == "units":
            if self.on_units is not None:
                self.on_units(int(content["layer"]), int(content["delta"]))
        elif kind in ("add", "remove"):
            if kind == "add":
                p.add_point(float(content["x"]), float(content["y"]), int(content["label"]))
            else:
                p.remove_points(float(content["x"]), float(content["y"]), float(content["radius"]))
            self._sync_points()
            if not self.loop.playing:
                self._send_still(self._produce(0))

    # ---- on the kernel's loop --------------------------------------------------------------------
    def _call(self, fn) -> None:
        if self._loop is not None and threading.get_ident() != self._loop_thread:
            self._loop.call_soon_threadsafe(fn)
        else:
            with self._lock:
                fn()

    def _play(self) -> None:
        self.loop.play()
        self.playing = self.loop.playing

    def _pause(self) -> None:
        self.loop.pause()
        self.playing = False
        self.epoch = int(getattr(self.producer, "epoch", self.epoch))

    def _produce(self, steps: int) -> Frame:
        return self.producer.produce(steps)

    def _send_frame(self, frame: Frame, frame_id: int, session: int, **extra) -> None:
        message, buffers = encode(frame, frame_id, session)
        message["acked"] = self.loop.acked      # the browser acks once ack_every are unacked
        message.update(extra)
        self.send(message, buffers)
        self.messages_sent += 1

    def _send_still(self, frame: Frame | None, request=None) -> None:
        """A picture outside the flow (paused, a hover, a scrub): id 0, shown at once."""
        if frame is None:
            return
        self.epoch = int(getattr(self.producer, "epoch", self.epoch))
        self._send_frame(frame, 0, self.loop.session, still=True, request=request)

    def _sync_points(self) -> None:
        X, y = self.producer.points()
        self.points_xy = np.ascontiguousarray(X, dtype=np.float32).tobytes()
        self.points_label = np.ascontiguousarray(y, dtype=np.uint8).tobytes()
        test = getattr(self.producer, "test_points", None)      # drawn hollow, if shown
        X, y = test() if test is not None else (np.zeros((0, 2)), np.zeros(0))
        self.test_xy = np.ascontiguousarray(X, dtype=np.float32).tobytes()
        self.test_label = np.ascontiguousarray(y, dtype=np.uint8).tobytes()

    def _on_error(self, err: BaseException) -> None:
        self.loop.pause()
        self.playing = False
        self.errors.append(f"{type(err).__name__}: {err}")
        self.send({"type": "error", "text": _("Training stopped: {error}").format(error=err)})
