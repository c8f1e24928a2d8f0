"""The shared machinery of the widgets, without a browser: the fast picture path
(``nnkit.widgets.render``: PNG encoding, the font), the panel view every animated lesson widget plays through
(``nnkit.widgets.live.panels``) and ``close_widgets``.

PNGs are checked pixel for pixel, and the panel view with a counting producer, its frames caught
on their way to the browser.
"""
from __future__ import annotations

import io

import ipywidgets as widgets
import numpy as np
import pytest
from ipywidgets.widgets.widget import _instances
from PIL import Image

from nnkit.plots.shading import class_shading
from nnkit.widgets import render
from nnkit.widgets.binding import close_widgets
from nnkit.widgets.live.panels import PanelFrame, PanelImage, PanelView, lut_indices, nice_ticks


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)))


# ---- PNG encoding -------------------------------------------------------------------------------

@pytest.mark.parametrize("channels", [3, 4])
def test_png_bytes_round_trips_every_pixel(channels):
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 256, (13, 17, channels), dtype=np.uint8)
    assert np.array_equal(decode(render.png_bytes(rgb)), rgb)
    assert np.array_equal(decode(render.png_bytes(Image.fromarray(rgb))), rgb)


def test_png_bytes_accepts_other_modes_and_refuses_bad_shapes():
    grey = Image.fromarray(np.arange(64, dtype=np.uint8).reshape(8, 8))
    assert np.array_equal(decode(render.png_bytes(grey)), np.asarray(grey))
    with pytest.raises(ValueError, match=r"\(H, W, 3\).*shape \(4, 4\)"):
        render.png_bytes(np.zeros((4, 4), np.uint8))


def test_png_of_a_smooth_heatmap_is_small():
    x = np.linspace(-6, 6, 100)
    p = 1 / (1 + np.exp(-(x[None] ** 2 + x[:, None] ** 2 - 16)))
    assert len(render.png_bytes(class_shading(p))) < 8000        # a boundary's picture


def test_font_is_the_plots_font_and_is_shared():
    regular, bold = render.font(14), render.font(14, bold=True)
    assert regular.getname() == ("DejaVu Sans", "Book") and bold.getname()[1] == "Bold"
    assert render.font(14) is regular                             # loaded once
    assert render.font(20).getbbox("M")[3] > regular.getbbox("M")[3]


# ---- the panel view: the one clock of the animated widgets ---------------------------------------

class Counting:
    """A producer that counts its steps; a frame carries its step count as a one-point series."""

    def __init__(self, stop_at=None, fail_at=None):
        self.steps, self.calls, self.stop_at, self.fail_at = 0, [], stop_at, fail_at

    def __call__(self, steps, full):
        self.calls.append((steps, full))
        self.steps += steps
        if self.fail_at is not None and self.steps >= self.fail_at:
            raise ValueError("learning_rate must be positive")
        frame = PanelFrame(series={"s": (0, [[self.steps, self.steps]])},
                           titles={0: f"step {self.steps}"}, text=f"step {self.steps}",
                           stop=self.stop_at is not None and self.steps >= self.stop_at)
        if full:
            frame.images[0] = PanelImage(np.full((2, 3), 7, np.uint8), "gray")
        return frame


LAYOUT = {"width": 200, "height": 100, "panels": [{"box": [10, 10, 80, 80], "xlim": [0, 1],
                                                   "ylim": [0, 1]}],
          "series": {"s": {"panel": 0, "color": [0, 0, 0]}}}
GRAY = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)


def make_view(producer, **kwargs):
    view = PanelView(producer, LAYOUT, {"gray": GRAY}, **kwargs)
    sent = []
    view.send = lambda message, buffers=None: sent.append((message, buffers or []))
    return view, sent


def frames(sent):
    return [m for m, _ in sent if m.get("type") == "frame"]


def test_a_frame_travels_as_json_and_compact_buffers():
    frame = PanelFrame(images={2: PanelImage(np.arange(6, dtype=np.uint8).reshape(2, 3), "gray",
                                             (0, 3, 0, 2))},
                       series={"a": (5, np.array([[1.0, 2.0], [3.0, 4.0]]))},
                       titles={1: "converged"}, rects=[{"panel": 0, "xy": [0, 0, 1, 1]}],
                       text="step 7")
    message, buffers = frame.encode()
    assert message["images"] == [{"panel": 2, "h": 2, "w": 3, "lut": "gray",
                                  "extent": [0.0, 3.0, 0.0, 2.0], "smooth": False}]
    assert message["series"] == [{"key": "a", "start": 5, "n": 2}]
    assert message["titles"] == {"1": "converged"} and message["text"] == "step 7"
    np.testing.assert_array_equal(np.frombuffer(buffers[0], np.uint8), np.arange(6))
    np.testing.assert_array_equal(np.frombuffer(buffers[1], np.float32), [1, 2, 3, 4])
    assert "rects" not in PanelFrame().encode()[0]           # absent: the browser keeps its own
    with pytest.raises(ValueError, match="uint8"):
        PanelImage(np.zeros((2, 2)), "gray")


def test_lut_indices_and_ticks():
    np.testing.assert_array_equal(lut_indices(np.array([-2.0, -1.0, 0.0, 1.0, 5.0, np.nan]),
                                              -1.0, 1.0), [0, 0, 128, 255, 255, 0])
    assert nice_ticks(-3, 3) == [[-2.0, "-2"], [0.0, "0"], [2.0, "2"]]
    assert nice_ticks(-1, 3) == [[-1.0, "-1"], [0.0, "0"], [1.0, "1"], [2.0, "2"], [3.0, "3"]]
    assert [v for v, _ in nice_ticks(0, 3000)] == [0, 1000, 2000, 3000]


def test_run_trains_without_a_browser_and_sends_one_full_still():
    producer = Counting()
    view, sent = make_view(producer, steps_per_frame=3)
    sent.clear()
    view.run(4)
    assert producer.steps == 12 and view.frames == 4
    [still] = frames(sent)                               # only the last picture travels
    assert still["still"] and still["id"] == 0 and still["images"][0]["lut"] == "gray"
    with pytest.raises(ValueError, match="frames"):
        view.run(0)


def test_the_window_holds_frames_back_until_the_browser_acknowledges():
    producer = Counting()
    view, sent = make_view(producer, steps_per_frame=1, window=4, ack_every=2)
    view.play()                                          # no event loop here: we tick
    assert view.playing and view.loop.playing
    for _ in range(10):
        view.loop.tick()
    played = [m for m in frames(sent) if not m["still"]]
    assert [m["id"] for m in played] == [1, 2, 3, 4] and view.loop.stalls == 6
    view._handle({"type": "ack", "id": 2, "session": view.loop.session})
    view._handle({"type": "ack", "id": 4, "session": view.loop.session - 1})   # stale: ignored
    view.loop.tick(); view.loop.tick(); view.loop.tick()
    assert [m["id"] for m in frames(sent) if not m["still"]][-2:] == [5, 6]
    assert producer.steps == 6


def test_pause_stops_within_one_frame_and_shows_the_state_now():
    producer = Counting()
    paused = []
    view, sent = make_view(producer, steps_per_frame=2, on_pause=lambda: paused.append(1))
    view._handle({"type": "play"})                       # the browser's Play button
    view.loop.tick()
    view._handle({"type": "pause"})
    steps = producer.steps
    for _ in range(5):
        view.loop.tick()
    assert producer.steps == steps == 2 and not view.playing and paused == [1]
    last = frames(sent)[-1]
    assert last["still"] and last["text"] == "step 2"    # the picture now: the kernel's state


def test_a_frame_that_says_stop_pauses_and_an_error_is_told_in_words():
    producer = Counting(stop_at=4)
    view, sent = make_view(producer, steps_per_frame=2)
    view.play()
    for _ in range(5):
        view.loop.tick()
    assert producer.steps == 4 and not view.playing
    assert frames(sent)[-1]["still"]                     # what the browser keeps showing
    failing = Counting(fail_at=3)
    view, sent = make_view(failing, steps_per_frame=2)
    view.play()
    view.loop.tick(); view.loop.tick()
    assert not view.playing
    assert sent[-1][0] == {"type": "error",
                           "text": "Training stopped: learning_rate must be positive"}
    assert view.errors == ["ValueError: learning_rate must be positive"]


def test_the_panel_view_checks_its_arguments():
    with pytest.raises(ValueError, match=r"luts\['gray'\] must be a \(256, 3\) uint8"):
        PanelView(Counting(), LAYOUT, {"gray": np.zeros((10, 3), np.uint8)})
    with pytest.raises(ValueError, match="ack_every must be less than window"):
        PanelView(Counting(), LAYOUT, {"gray": GRAY}, window=4, ack_every=4)
    view, _ = make_view(lambda steps, full: "a picture")
    view.play()
    view.loop.tick()
    assert view.errors == ["TypeError: produce must return a PanelFrame. Received: str."]


def test_close_leaves_no_widget_behind():
    before = len(_instances)
    box = widgets.VBox([widgets.HBox([widgets.Button(), widgets.IntSlider()])])
    assert len(_instances) > before
    close_widgets(box)
    assert len(_instances) == before
