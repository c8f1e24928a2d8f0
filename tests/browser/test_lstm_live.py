"""Lesson 08's LSTM explorer in JupyterLab: the gate heatmaps are drawn, the time-step slider
moves the highlighted step (in the picture, in the equations beside it, and in the kernel)."""
from __future__ import annotations

import re

import pytest

import harness
import live
import pixels

# In the kernel: the explorer's shown step (lesson 08 shows one LSTMExplorer).
EXPLORER_STEP = """[e.step for e in __import__("gc").get_objects()
   if type(e).__name__ == "LSTMExplorer"][0]"""


def lesson_08() -> str:
    found = sorted(harness.LESSONS.glob("08_*.ipynb"))
    if not found:
        pytest.skip("lesson 08 is not written yet")
    return found[0].name


def test_lstm_heatmaps_and_time_step(open_notebook):
    name = lesson_08()
    notebook = open_notebook(name)
    notebook.run_all()
    notebook.wait_until_run(timeout=240)
    assert not notebook.errors(), notebook.errors()
    page = notebook.page
    slider = page.locator(".widget-slider", has_text="time step t").first
    slider.wait_for(timeout=30_000)
    root = page.locator(".nnkit-lesson", has=slider).first
    picture = root.locator(".widget-image").first
    picture.scroll_into_view_if_needed()

    drawn = harness.wait_for(lambda: (i := pixels.ink(picture))["colours"] > 10 and i,
                             timeout=30, what="gate heatmaps with colours")
    assert drawn["ink"] > 0.2 * drawn["pixels"], f"the gate heatmaps look blank: {drawn}"

    step = int(live.slider_value(slider))
    last = int(float(slider.locator(".noUi-handle").first.get_attribute("aria-valuemax")))
    moves = 3 if step + 3 <= last else -3                   # three steps, whichever way fits
    pixels.snapshot(picture, "gates")
    src = picture.get_attribute("src")
    live.nudge_slider(slider, presses=3, key="ArrowRight" if moves > 0 else "ArrowLeft")
    new_step = int(live.slider_value(slider))
    assert new_step == step + moves, f"the slider moved from {step} to {new_step}"
    harness.wait_for(lambda: notebook.server.evaluate(name, EXPLORER_STEP) == new_step,
                     timeout=15, what=f"the explorer's step {new_step} in the kernel")
    harness.wait_for(lambda: re.search(rf"\bt = {new_step}\b", root.inner_text()), timeout=15,
                     what=f"the equations for step t = {new_step}")
    harness.wait_for(lambda: picture.get_attribute("src") != src, timeout=15,
                     what="a new picture after moving the time step")
    moved = harness.wait_for(
        lambda: (d := pixels.snapshot(picture, "gates")) and d["changed"] and d,
        timeout=5, what="pixels changed by the highlight")
    # the highlight is an outline around one time step: the change spans the old and the new step
    assert moved["x1"] - moved["x0"] > 2, f"the highlight did not move sideways: {moved}"
    harness.record_figure("LSTM explorer: pixels changed by moving the time step",
                          f"{moved['changed']} in x {moved['x0']}…{moved['x1']} of "
                          f"{moved['width']}")
