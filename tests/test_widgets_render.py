"""The shared machinery of the widgets, without a browser: the fast picture path
(``nnkit.widgets.render``), the panel view every animated lesson widget plays through
(``nnkit.widgets.live.panels``) and ``close_widgets``.

Pictures are checked on known inputs — a pixel where a point must be, a line at the height its
value asks for, the same colours as ``nnkit.plots.shading`` — and the panel view with a counting
producer, its frames caught on their way to the browser.
"""
from __future__ import annotations

import io
import math

import ipywidgets as widgets
import numpy as np
import pytest
from ipywidgets.widgets.widget import _instances
from PIL import Image

from nnkit.plots import style
from nnkit.plots.shading import class_shading, value_shading
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
    assert len(render.png_bytes(render.class_rgb(p))) < 8000     # the boundary's per-frame cost


# ---- colours: identical to the plots' shading ---------------------------------------------------

def test_class_rgb_matches_the_plots_shading():
    rng = np.random.default_rng(1)
    binary = rng.random((20, 30))
    binary[0, :3] = [0.0, 0.5, 1.0]                           # the edges and an exact tie
    three = rng.dirichlet([1, 1, 1], (20, 30))
    for probs in (binary, three):
        for discretize in (False, True):
            assert np.array_equal(render.class_rgb(probs, discretize),
                                  class_shading(probs, discretize))


def test_value_rgb_matches_the_plots_shading_and_uses_the_palette():
    values = np.linspace(-3, 3, 60).reshape(3, 20)
    assert np.array_equal(render.value_rgb(values, 2.0), value_shading(values, 2.0))
    full = render.value_rgb(np.array([-1.0, 0.0, 1.0]), 1.0, "full")
    assert tuple(full[0]) == style.NEGATIVE_COLOR and tuple(full[2]) == style.POSITIVE_COLOR
    assert (full[1] >= 250).all()                                   # zero: white


# ---- points, frames, charts ---------------------------------------------------------------------

def test_point_layer_puts_points_where_their_coordinates_say():
    xy = np.array([[0.0, 0.0], [5.0, 5.0]])
    colours = np.array([style.CLASS_COLORS[0], style.CLASS_COLORS[1]], np.uint8)
    layer = render.PointLayer(xy, colours, (-5, 5, -5, 5), (101, 101), hollow=[False, True],
                              radius=5)
    rgba = np.asarray(layer.image)
    assert tuple(rgba[50, 50]) == style.CLASS_COLORS[0] + (255,)      # filled dot at the centre
    assert rgba[0, 100, 3] == 0 or tuple(rgba[0, 100, :3]) != style.CLASS_COLORS[1]  # ring: hollow
    ring = rgba[:8, 93:, :3].reshape(-1, 3)
    assert (ring == style.CLASS_COLORS[1]).all(axis=1).any()          # ... but drawn top right
    assert rgba[50, 0, 3] == 0 and rgba[100, 0, 3] == 0               # transparent elsewhere


def test_axes_frame_is_transparent_inside_and_composes_the_background_there():
    frame = render.AxesFrame(100, (-6, 6, -6, 6), font_size=14)
    left, top = frame.box
    inside = np.asarray(frame.image)[top + 10:top + 90, left + 10:left + 90]
    assert (inside[..., 3] == 0).all()
    assert np.asarray(frame.image)[frame.size[1] - 1, 0, 3] == 255    # opaque margin
    red = Image.new("RGB", (10, 10), (255, 0, 0))
    picture = np.asarray(frame.compose(red))
    assert tuple(picture[top + 50, left + 50]) == (255, 0, 0)
    assert picture.shape == (frame.size[1], frame.size[0], 3)
    assert render._ticks(-6, 6) == [-6, -4, -2, 0, 2, 4, 6]


@pytest.mark.parametrize("value, top", [(0.7, 0.8), (1.17, 1.2), (3.1, 4.0), (0.0021, 0.0025),
                                        (10.0, 10.0), (0.0, 1.0), (math.nan, 1.0)])
def test_nice_ceiling(value, top):
    assert render.nice_ceiling(value) == pytest.approx(top)


def test_line_chart_draws_each_value_at_its_height():
    blue, red = (0, 0, 255), (255, 0, 0)
    chart = render.LineChart((300, 120), [("train", blue), ("test", red)], font_size=14)
    picture = np.asarray(chart.image([[1.0, 1.0, 1.0], [0.5, 0.5, 0.5]]))  # top of the axis: 1
    x0, y0, x1, y1 = chart._box
    column = picture[:, int((x0 + x1) / 2)]
    blue_rows = np.flatnonzero((column == blue).all(axis=1))
    red_rows = np.flatnonzero((column == red).all(axis=1))
    assert abs(blue_rows.mean() - y0) <= 2                          # 1.0 at the top
    assert abs(red_rows.mean() - (y0 + y1) / 2) <= 2                # 0.5 half way down


def test_line_chart_leaves_a_gap_for_nan_and_copes_with_empty_series():
    blue = (0, 0, 255)
    chart = render.LineChart((300, 120), [("train", blue)])
    values = [1.0] * 10 + [math.nan] * 10 + [1.0] * 10
    picture = np.asarray(chart.image([values]))
    x0, y0, x1, y1 = chart._box
    middle = picture[:, int(x0 + (x1 - x0) * 14.5 / 29)]
    assert not (middle == blue).all(axis=1).any()
    empty = chart.image([[]])
    assert empty.size == (300, 120)


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
