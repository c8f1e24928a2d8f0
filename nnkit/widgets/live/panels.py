"""``PanelView``: a grid of plot panels drawn by the browser, on the kernel's frame clock.

The LSTM explorer and the gradient-descent race animate through this view; the Playground has
its own (``view.py``).  Both share the clock (``FrameLoop``: display rate, a window of
unacknowledged frames) and the idea: the kernel sends small arrays, the browser
(``panels.js``) colours and draws them.  Never a PNG per frame.

    view = PanelView(produce, layout, luts={"gates": table}, steps_per_frame=5)
    view.play(); view.pause()         # or the view's own Play button in the browser
    view.run(20)                      # without a browser: 20 frames now, the last one shown

What a panel can show (declared once in ``layout``, a dict of numbers and words):

    layout = {"width": W, "height": H, "font": 15,            # the canvas, in CSS pixels
              "panels": [{"box": [x, y, w, h],                # the plot area in the canvas
                          "xlim": [x0, x1], "ylim": [bottom, top],   # top may be < bottom
                          "xticks": [[value, "label"], …], "yticks": […],
                          "xlabel": "θ₁", "ylabel": "θ₂", "title": "SGD", "title_color": rgb,
                          "legend": [["SGD", rgb, dash], …],
                          "colorbar": {"lut": "gates", "ticks": [[0..1, "label"], …]}}, …],
              "series": {"sgd": {"panel": 0, "color": rgb, "width": 2.5, "dot": 0 or radius,
                                 "head": 0 or radius}, …},      # polylines that grow
              "marks": [{"panel": 0, "xy": [[x, y], …], "shape": "star" | "ring",
                         "color": rgb, "size": 9}, …]}         # fixed points (minima, start)

and what a frame carries (``PanelFrame``; only what changed):

    images  {panel: PanelImage(values (h, w) uint8 indices into a colour table, lut name,
             extent [x0, x1, y_bottom, y_top], smooth)}    row 0 is drawn at y_top
    series  {key: (start, xy (k, 2) float32)}              the points from index ``start`` on
    titles  {panel: text}  under the panel's title;   rects [{panel, xy: [x0, y0, x1, y1],
             color, width}]: outlines;   text: the status line above the panels

Buffers travel as bytes (images' uint8, series' float32); the colour tables (``luts``, 256×3
each) are a synced trait, built in Python from ``nnkit.plots.style``.  Messages from the
browser: ``play``, ``pause``, ``ack`` and ``hello`` (a view was drawn: send everything).  As in
``LiveView`` they may arrive on a comm subshell thread and are handed to the kernel's event
loop, so the producer only ever runs on that one thread.
"""
from __future__ import annotations

import asyncio
import base64
import pathlib
import threading
from dataclasses import dataclass, field
from typing import Callable

import anywidget
import numpy as np
import traitlets

from nnkit import checks
from nnkit.i18n import N_, _
from nnkit.widgets.live.loop import FrameLoop

__all__ = ["PanelView", "PanelFrame", "PanelImage", "lut_indices", "nice_ticks", "rgb"]

HERE = pathlib.Path(__file__).parent


@dataclass
class PanelImage:
    """A heat map: ``values`` (h, w) uint8 indices into the colour table ``lut``."""

    values: np.ndarray
    lut: str
    extent: tuple = (0.0, 1.0, 0.0, 1.0)      # x0, x1, y at the last row, y at row 0
    smooth: bool = False                     # True: interpolate between cells

    def __post_init__(self):
        values = np.asarray(self.values)
        if values.dtype != np.uint8 or values.ndim != 2:
            raise ValueError(f"values must be a (h, w) uint8 array (colour-table indices). "
                             f"Received dtype {values.dtype}, shape {values.shape}.")
        self.values = np.ascontiguousarray(values)


@dataclass
class PanelFrame:
    """One picture's changes (module notes).  ``stop``: the producer has finished (the race is
    over, training diverged): the view pauses after showing this frame."""

    images: dict = field(default_factory=dict)
    series: dict = field(default_factory=dict)
    titles: dict = field(default_factory=dict)
    rects: list | None = None
    text: str | None = None
    stop: bool = False

    def encode(self) -> tuple[dict, list[bytes]]:
        """→ (message, buffers): the images' bytes, then the series' bytes, in that order."""
        images, series, buffers = [], [], []
        for panel, image in self.images.items():
            h, w = image.values.shape
            images.append({"panel": int(panel), "h": int(h), "w": int(w), "lut": image.lut,
                           "extent": [float(e) for e in image.extent],
                           "smooth": bool(image.smooth)})
            buffers.append(image.values.tobytes())
        for key, (start, xy) in self.series.items():
            xy = np.ascontiguousarray(xy, dtype=np.float32).reshape(-1, 2)
            series.append({"key": key, "start": int(start), "n": int(len(xy))})
            buffers.append(xy.tobytes())
        message = {"type": "frame", "images": images, "series": series,
                   "titles": {str(k): v for k, v in self.titles.items()}}
        if self.rects is not None:
            message["rects"] = self.rects
        if self.text is not None:
            message["text"] = self.text
        return message, buffers


def lut_indices(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Values in [low, high] → uint8 indices 0 … 255 into a colour table (clipped; NaN → 0)."""
    t = (np.asarray(values, dtype=float) - low) / (high - low)
    return np.rint(255 * np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)).astype(np.uint8)


def nice_ticks(low: float, high: float, target: int = 5) -> list:
    """About ``target`` round tick values in [low, high], as [[value, "label"], …]."""
    span = float(high) - float(low)
    if not span > 0:
        return [[float(low), f"{low:g}"]]
    raw = span / target
    power = 10.0 ** np.floor(np.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    first = np.ceil(low / step) * step
    values = np.arange(first, high + step * 1e-9, step)
    return [[float(v), f"{round(v, 10):g}"] for v in values]


def rgb(colour) -> list[int]:
    """A colour as [r, g, b] in 0 … 255, from 0 … 1 floats (matplotlib) or 0 … 255 ints."""
    values = [float(c) for c in colour][:3]
    if all(v <= 1.0 for v in values) and any(isinstance(c, float) for c in colour):
        values = [255 * v for v in values]
    return [int(round(v)) for v in values]


# The words panels.js draws itself (the panels' titles, ticks and legends come in layout_info);
# marked with N_ and translated when a view is made, so they follow a later nnkit.set_language.
PANEL_LABELS = {"play": N_("Play"), "pause": N_("Pause")}


def panel_labels() -> dict:
    """``PANEL_LABELS`` in the language of ``nnkit.set_language`` (key → shown text)."""
    return {key: _(text) for key, text in PANEL_LABELS.items()}


class PanelView(anywidget.AnyWidget):
    """Panels drawn in the browser from ``produce(steps, full) -> PanelFrame`` (module notes).

    produce:  runs ``steps`` training steps (0: none) and returns what changed since the last
              frame it returned; ``full=True``: everything (a new view, a still picture).
    layout:   the panels (module notes);  luts: name → (256, 3) uint8 colour table.
    rate:     pictures per second at most;  window: unacknowledged frames allowed;
    steps_per_frame: an int, or None to adapt (up to ``max_steps``) to the machine.
    picture:  () -> PNG bytes of the same state (matplotlib), put beside the live view in the
              display bundle for readers without a kernel (GitHub, nbconvert).
    on_pause: called after the view stopped playing (Pause, a frame that said ``stop``,
              an error in ``produce``): e.g. to redraw what is not drawn while playing.
    """

    _esm = (HERE / "panels.js").read_text(encoding="utf-8")
    _css = (HERE / "panels.css").read_text(encoding="utf-8")

    layout_info = traitlets.Dict().tag(sync=True)
    luts = traitlets.Bytes(b"").tag(sync=True)           # k tables of 256×3, in lut_names order
    lut_names = traitlets.List().tag(sync=True)
    playing = traitlets.Bool(False).tag(sync=True)
    ack_every = traitlets.Int(4).tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)             # the bar's words: panel_labels()

    def __init__(self, produce: Callable, layout: dict, luts: dict, *, rate: float = 60.0,
                 window: int = 8, steps_per_frame: int | None = 1, max_steps: int = 64,
                 ack_every: int = 4, on_pause: Callable | None = None,
                 picture: Callable | None = None, **kwargs):
        super().__init__(**kwargs)
        self.labels = panel_labels()
        self.producer = produce
        self.on_pause, self.picture = on_pause, picture
        try:
            self._loop = asyncio.get_running_loop()          # the kernel's: cells run inside it
        except RuntimeError:
            self._loop = None                                # a script or a test
        self._loop_thread = threading.get_ident()
        self._lock = threading.RLock()
        self.loop = FrameLoop(self._produce, self._send_frame, rate=rate, window=window,
                              steps_per_frame=steps_per_frame, max_steps=max_steps,
                              loop=self._loop, on_error=self._on_error)
        self.ack_every = checks.positive_int("ack_every", ack_every)
        if self.ack_every >= window:
            raise ValueError(f"ack_every must be less than window (the browser must ack before "
                             f"the window fills). Received: ack_every={ack_every}, "
                             f"window={window}.")
        self.messages_sent = 0
        self.frames = 0                       # frames of training produced (played or run)
        self.errors: list[str] = []
        self.set_layout(layout, luts)
        self.on_msg(self._on_msg)

    def set_layout(self, layout: dict, luts: dict) -> None:
        """New panels (or colour tables): the browser draws the whole view again, then asks for
        a full frame."""
        for name, table in luts.items():
            table = np.asarray(table)
            if table.shape != (256, 3) or table.dtype != np.uint8:
                raise ValueError(f"luts[{name!r}] must be a (256, 3) uint8 colour table. "
                                 f"Received dtype {table.dtype}, shape {table.shape}.")
        with self.hold_sync():
            self.lut_names = list(luts)
            self.luts = b"".join(np.ascontiguousarray(t).tobytes() for t in luts.values())
            self.layout_info = dict(layout)

    def _repr_mimebundle_(self, **kwargs):
        """The live view, and a PNG of the same state for readers without a kernel."""
        bundle = super()._repr_mimebundle_(**kwargs)
        png = self.picture() if self.picture is not None else None
        if not png or bundle is None:
            return bundle
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        return dict(data, **{"image/png": base64.b64encode(png).decode("ascii")}), metadata

    # ---- the Python API ------------------------------------------------------------------------
    def play(self) -> None:
        self.on_loop(self._play)

    def pause(self) -> None:
        self.on_loop(self._pause)

    @property
    def is_playing(self) -> bool:
        return self.loop.playing

    def run(self, frames: int) -> PanelFrame | None:
        """``frames`` frames now, synchronously (no browser needed); the last is shown."""
        frames = checks.positive_int("frames", frames)
        with self._lock:
            self._pause(still=False)
            frame = None
            for _ in range(frames):
                frame = self._produce(self.loop.steps)
                if frame.stop:
                    break
            self._send_still(self.producer(0, True))
            return frame

    def show(self) -> None:
        """Show the producer's state now (no training), e.g. after a setting changed."""
        with self._lock:
            self._send_still(self.producer(0, True))

    # ---- the browser's messages ------------------------------------------------------------------
    def _on_msg(self, _widget, content, buffers) -> None:
        if self._loop is not None and threading.get_ident() != self._loop_thread:
            self._loop.call_soon_threadsafe(self._handle, content)     # a comm subshell thread
        else:
            self._handle(content)

    def _handle(self, content: dict) -> None:
        with self._lock:
            try:
                kind = content.get("type")
                if kind == "ack":
                    if content.get("session") == self.loop.session:
                        self.loop.ack(content["id"])
                elif kind == "play":
                    self._play()
                elif kind == "pause":
                    self._pause()
                elif kind == "hello":
                    self._send_still(self.producer(0, True))
            except Exception as err:                   # a click never shows a stack trace
                self._on_error(err)

    def on_loop(self, fn) -> None:
        """Run ``fn()`` on the kernel's event loop, between two frames (now, if this is that
        thread): for the host widget's own controls, whose messages may come on another."""
        if self._loop is not None and threading.get_ident() != self._loop_thread:
            self._loop.call_soon_threadsafe(fn)
        else:
            with self._lock:
                fn()

    # ---- on the kernel's loop -------------------------------------------------------------------
    def _play(self) -> None:
        self.loop.play()
        self.playing = self.loop.playing

    def _pause(self, still: bool = True) -> None:
        """Stop producing; the browser drops what it queued and is sent the state now."""
        was = self.loop.playing
        self.loop.pause()
        self.playing = False
        if was and still:
            self._send_still(self.producer(0, False))
        if was and self.on_pause is not None:
            self.on_pause()

    def _produce(self, steps: int) -> PanelFrame:
        frame = self.producer(steps, False)
        if not isinstance(frame, PanelFrame):
            raise TypeError(f"produce must return a PanelFrame. Received: "
                            f"{type(frame).__name__}.")
        self.frames += 1
        return frame

    def _send_frame(self, frame: PanelFrame, frame_id: int, session: int, still=False) -> None:
        message, buffers = frame.encode()
        message.update(id=int(frame_id), session=int(session), acked=self.loop.acked,
                       still=bool(still))
        self.send(message, buffers)
        self.messages_sent += 1
        if frame.stop and self.loop.playing:          # finished: shown as the still picture
            self.loop.pause()
            self.playing = False
            self._send_still(PanelFrame())
            if self.on_pause is not None:
                self.on_pause()

    def _send_still(self, frame: PanelFrame) -> None:
        """A picture outside the flow (paused, a setting, a new view): id 0, shown at once."""
        self._send_frame(frame, 0, self.loop.session, still=True)

    def _on_error(self, err: BaseException) -> None:
        self.loop.pause()
        self.playing = False
        self.errors.append(f"{type(err).__name__}: {err}")
        self.send({"type": "error", "text": _("Training stopped: {error}").format(error=err)})
        if self.on_pause is not None:
            self.on_pause()
