"""The clock every animated lesson widget shares, in a real browser, on a minimal widget.

The LSTM explorer and the descent race play through ``PanelView`` (the kernel's ``FrameLoop``
and a canvas drawn by the browser), as the Playground's live view does.  This checks that path
alone, with a notebook written here, so a failure points at the clock rather than at a lesson:
Play, Pause within a frame, a slider and a new cell reaching the kernel while it plays, and the
picture on screen carrying the kernel's count of the frame shown.
"""
from __future__ import annotations

import time

import nbformat
import pytest

import harness
import live
import panels

CLOCK_NOTEBOOK = '''\
import numpy as np
import ipywidgets as widgets
from IPython.display import display
from nnkit.widgets.live.panels import PanelFrame, PanelImage, PanelView

state = {"steps": 0, "learning_rate": 0.1}
rate = widgets.FloatSlider(value=0.1, min=0.01, max=1.0, step=0.01, description="learning rate")
rate.observe(lambda change: state.update(learning_rate=change["new"]), names="value")

def produce(steps, full):
    state["steps"] += steps
    n = state["steps"]
    image = np.full((4, 4), n % 256, np.uint8)            # a picture that changes every frame
    return PanelFrame(images={0: PanelImage(image, "gray", (0, 1, 0, 1))},
                      series={"count": (0, [[n % 100 / 100, 0.5]])}, text=f"step {n}")

layout = {"width": 260, "height": 200, "font": 15,
          "panels": [{"box": [40, 20, 160, 160], "xlim": [0, 1], "ylim": [0, 1], "title": ""}],
          "series": {"count": {"panel": 0, "color": [213, 94, 0], "head": 6}}}
gray = np.repeat(np.arange(256, dtype=np.uint8)[:, None], 3, axis=1)
view = PanelView(produce, layout, {"gray": gray}, steps_per_frame=1)
display(widgets.VBox([view, rate]))
'''


@pytest.fixture(scope="module")
def clock_notebook(notebook_dir) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = harness.KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(CLOCK_NOTEBOOK), nbformat.v4.new_code_cell("1 + 1")]
    path = notebook_dir / "_clock_live.ipynb"
    nbformat.write(nb, path)
    return path.name


def test_the_clock_plays_pauses_and_keeps_the_kernel_free(open_notebook, clock_notebook):
    notebook = open_notebook(clock_notebook)
    notebook.run_all()
    notebook.wait_until_run(timeout=60)
    assert not notebook.errors()
    view = panels.PanelCanvas(notebook.page)
    ev = lambda code: notebook.server.evaluate(clock_notebook, code)  # noqa: E731

    played = view.play(seconds=2.0)
    assert played["pictures"] > 10, f"Play: the pictures hardly changed: {played}"
    # while playing, a slider reaches the kernel and a new cell runs
    slider = notebook.page.locator(".widget-slider", has_text="learning rate").first
    live.nudge_slider(slider, presses=5)
    shown = float(live.slider_value(slider))
    assert shown > 0.1
    harness.wait_for(lambda: ev('state["learning_rate"]') == pytest.approx(shown), timeout=10,
                     what="the learning rate in the kernel while playing")
    start = time.perf_counter()
    assert ev("1 + 1") == 2
    cell_ms = 1000 * (time.perf_counter() - start)
    ms = view.main_thread_ms_per_frame(1.0)

    paused = view.pause()
    assert paused["pictures_after_click"] <= 2 and paused["button"] == "Play", paused
    steps = ev('state["steps"]')
    time.sleep(0.5)
    assert ev('state["steps"]') == steps, "the kernel kept producing after Pause"
    # the frame on screen is the kernel's state now (Pause sends it as the last picture)
    assert view.frame()["text"] == f"step {steps}"
    x, y = panels.to_canvas(ev("view.layout_info['panels'][0]"), 0.25, 0.25)
    assert view.pixel(x, y) == (steps % 256,) * 3, "the picture is not the kernel's last frame"
    print(f"\n[clock] {played}\n[clock] {paused}\n[clock] `1 + 1` while playing: {cell_ms:.0f} ms"
          f" (with the harness' own round trip); main thread {ms:.2f} ms/picture")
    harness.record_figure("PanelView bare clock: pictures/s shown",
                          f"{played['pictures_per_s']:.1f}")
    harness.record_figure("PanelView bare clock: main-thread ms per picture", f"{ms:.2f}")
