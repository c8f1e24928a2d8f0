"""The shared machinery of the live widgets, without a browser: the fast picture path
(``nnkit.widgets.render``) and the training runner (``nnkit.widgets.runner``).

Pictures are checked on known inputs — a pixel where a point must be, a line at the height its
value asks for, the same colours as ``nnkit.plots.shading`` — and the runner with counting
stand-ins for ``train`` and ``draw``.
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
from nnkit.widgets.runner import Runner, close_widgets


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


# ---- the runner ---------------------------------------------------------------------------------

class Counting:
    """Stand-ins for a widget's train/draw/reset that count their calls."""

    def __init__(self, losses=None, fail_at=None):
        self.trained = self.drawn = self.resets = 0
        self.losses = list(losses or [])
        self.fail_at = fail_at
        self.reports = []

    def train(self, steps):
        self.trained += steps
        if self.fail_at is not None and self.trained >= self.fail_at:
            raise ValueError("learning_rate must be positive")
        return self.losses.pop(0) if self.losses else 1.0

    def draw(self):
        self.drawn += 1

    def reset(self):
        self.resets += 1

    def report(self, text, level):
        self.reports.append((text, level))


def make_runner(stub, **kwargs):
    return Runner(stub.train, stub.draw, reset=stub.reset, report=stub.report, **kwargs)


def tick(runner):
    """What the browser's clock does when it may tick: one step, up to ``max``."""
    runner.clock.value += 1                         # clipped at max: no tick unless asked for


def test_run_trains_every_frame_and_draws_once_at_the_end():
    stub = Counting()
    runner = make_runner(stub, steps_per_frame=3)
    assert runner.run(5) is True
    assert (stub.trained, stub.drawn, runner.frames) == (15, 1, 5)
    runner.run(4, draw_every=2)
    assert stub.drawn == 1 + 2


def test_ticks_train_only_while_playing():
    stub = Counting()
    runner = make_runner(stub)
    tick(runner)
    assert stub.trained == 0                        # paused: a late tick does nothing
    runner.play_button.click()
    assert runner.playing and runner.play_button.description == "Pause"
    tick(runner)
    tick(runner)
    assert (stub.trained, stub.drawn) == (2, 2)
    runner.play_button.click()
    assert not runner.playing and runner.play_button.description == "Play"
    tick(runner)
    assert stub.trained == 2


def test_the_clock_runs_one_tick_ahead_and_no_more():
    stub = Counting()
    runner = make_runner(stub, interval=20)
    runner.play()
    assert runner.clock.playing and runner.clock.max == runner.clock.value + 1
    tick(runner)
    assert stub.trained == 1 and runner.clock.max == runner.clock.value + 1
    runner.clock.value = runner.clock.value              # a repeated value is not a new tick
    assert stub.trained == 1
    runner.clock.playing = False                         # the browser stopped itself at max...
    assert runner.clock.playing and runner.playing       # ...and is asked for the next tick
    runner.pause()
    assert not runner.clock.playing
    tick(runner)                                         # the tick that was in flight: ignored
    tick(runner)                                         # and none beyond it
    assert runner.clock.value == runner.clock.max and stub.trained == 1


def test_divergence_pauses_and_run_reports_it():
    stub = Counting(losses=[0.5, math.nan])
    runner = make_runner(stub)
    runner.play()
    tick(runner)
    assert runner.playing
    tick(runner)
    assert not runner.playing                       # NaN: paused within the frame
    stub2 = Counting(losses=[0.5, math.inf, 0.1])
    runner2 = make_runner(stub2)
    assert runner2.run(3) is False
    assert stub2.trained == 2 and stub2.drawn == 1  # stopped, and drew the last picture once


def test_an_error_in_a_frame_pauses_and_is_reported_in_words():
    stub = Counting(fail_at=2)
    runner = make_runner(stub)
    runner.play()
    tick(runner)
    tick(runner)                                    # raises inside: must not escape
    assert not runner.playing
    assert stub.reports == [("Training stopped: learning_rate must be positive", "error")]
    assert isinstance(runner.last_error, ValueError)


def test_step_and_reset_buttons():
    stub = Counting()
    runner = make_runner(stub, steps_per_frame=2)
    runner.play()
    runner.step_button.click()
    assert not runner.playing and stub.trained == 2 and stub.drawn == 1
    runner.reset_button.click()
    assert stub.resets == 1 and runner.frames == 0


def test_runner_checks_its_arguments():
    stub = Counting()
    with pytest.raises(ValueError, match="steps_per_frame"):
        make_runner(stub, steps_per_frame=0)
    with pytest.raises(TypeError, match="interval"):
        make_runner(stub, interval=2.5)
    with pytest.raises(ValueError, match="frames"):
        make_runner(stub).run(0)


def test_close_leaves_no_widget_behind():
    before = len(_instances)
    runner = make_runner(Counting())
    box = widgets.VBox([widgets.HBox([widgets.Button(), widgets.IntSlider()])])
    assert len(_instances) > before
    runner.close()
    close_widgets(box)
    assert len(_instances) == before
