"""The shared training runner in a real browser, on a minimal widget of its own.

The Playground and the LSTM explorer train through ``nnkit.widgets.Runner``; this checks the runner
alone (Play, Pause within a frame, a slider reaching the kernel between frames, Reset), with a
notebook written here, so a failure points at the runner rather than at a lesson.  It also
measures how fast a bare ``ipywidgets.Play`` ticks here: the ceiling of every frame rate.
"""
from __future__ import annotations

import time

import nbformat
import pytest

import harness
import live

RUNNER_NOTEBOOK = '''\
import time
import numpy as np
import ipywidgets as widgets
from IPython.display import display
from nnkit.widgets import Runner
from nnkit.widgets.render import png_bytes

state = {"epoch": 0, "learning_rate": 0.1}
epoch = widgets.Label("Epoch 0")
picture = widgets.Image(format="png", width=160, height=160)
rate = widgets.FloatSlider(value=0.1, min=0.01, max=1.0, step=0.01, description="learning rate")
rate.observe(lambda change: state.update(learning_rate=change["new"]), names="value")
rng = np.random.default_rng(0)

def train(steps):
    time.sleep(0.005)                        # a small model's few steps
    state["epoch"] += steps
    return 1.0 / state["epoch"]

def draw():
    epoch.value = f"Epoch {state['epoch']}"
    picture.value = png_bytes(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8))

def reset():
    state["epoch"] = 0
    draw()

runner = Runner(train, draw, reset=reset, interval=50)
draw()

ticks = []                                   # a bare clock: the ceiling of any frame rate
bare = widgets.Play(interval=25, max=10**9)
bare.observe(lambda change: ticks.append(time.perf_counter()), names="value")
display(widgets.VBox([runner.controls, epoch, picture, rate, bare]))
'''


@pytest.fixture(scope="module")
def runner_notebook(notebook_dir) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = harness.KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(RUNNER_NOTEBOOK)]
    path = notebook_dir / "_runner_live.ipynb"
    nbformat.write(nb, path)
    return path.name


def test_runner_plays_pauses_and_resets(open_notebook, runner_notebook):
    notebook = open_notebook(runner_notebook)
    notebook.run_all()
    notebook.wait_until_run(timeout=60)
    assert not notebook.errors()
    page = notebook.page
    widget = live.LiveWidget(page, counter=page.locator(".widget-label", has_text="Epoch").first,
                             picture=page.locator(".widget-image").first)
    assert widget.epoch() == 0

    played = widget.play(seconds=2.0)
    assert played.epochs_advanced > 0, "Play: the epoch counter did not advance"
    assert played.pictures > 0, "Play: the picture did not change"

    paused = widget.pause()
    assert paused.frames_after_click <= 1, f"Pause: still drawing after the click: {paused}"
    assert not widget.still_moving(0.5), "Pause: updates went on after the pause"

    slider = page.locator(".widget-slider", has_text="learning rate").first
    live.nudge_slider(slider, presses=5)
    shown = float(live.slider_value(slider))
    assert shown > 0.1, f"the slider did not move ({shown})"
    harness.wait_for(lambda: notebook.server.evaluate(runner_notebook, 'state["learning_rate"]')
                     == pytest.approx(shown), timeout=10, what="the learning rate in the kernel")

    page.locator("button.widget-button", has_text="Reset").click()
    harness.wait_for(lambda: widget.epoch() == 0, timeout=10, what="epoch back to 0 after Reset")
    print(f"\n[runner] {played}\n[runner] {paused}")

    # The ceiling of any frame rate: ipywidgets sends a widget's next change only after the
    # kernel has finished with the previous one, so one round trip browser → kernel → browser
    # bounds the ticks per second of a bare Play, whatever its interval.
    bare = page.locator(".widget-play:visible button")
    bare.first.click()                                    # ▶
    time.sleep(2.0)
    bare.nth(1).click()                                   # ❚❚
    count, span = notebook.server.evaluate(runner_notebook,
                                           "[len(ticks), ticks[-1] - ticks[0] if ticks else 0]")
    assert count > 1, "a bare ipywidgets.Play never ticked"
    harness.record_figure("ipywidgets.Play alone (interval 25 ms): ticks/s reaching the kernel",
                          f"{(count - 1) / span:.1f}")
    harness.record_figure("Runner test widget (interval 50 ms): pictures/s",
                          f"{played.pictures_per_second:.1f}")

