"""Lesson 08's LSTM explorer in JupyterLab, on the Playground's path (the kernel's frame clock, a
canvas drawn in the browser from uint8 heatmaps): it plays and pauses, the picture shown is the
kernel's state (a gate's cell has the colour of the kernel's gate value), and the time-step
slider moves the outlined step (in the picture, in the equations beside it, and in the kernel).
"""
from __future__ import annotations

import re
import time

import pytest

import harness
import live
import panels

# In the kernel: the explorer of lesson 08 (it shows one LSTMExplorer).
EXPLORER = "[e for e in __import__('gc').get_objects() if type(e).__name__ == 'LSTMExplorer'][0]"


def lesson_08() -> str:
    found = sorted(harness.LESSONS.glob("08_*.ipynb"))
    if not found:
        pytest.skip("lesson 08 is not written yet")
    return found[0].name


def test_lstm_plays_pauses_and_shows_the_kernels_gates(open_notebook, shots_dir):
    name = lesson_08()
    notebook = open_notebook(name)
    notebook.run_all()
    notebook.wait_until_run(timeout=240)
    assert not notebook.errors(), notebook.errors()
    ev = lambda code: notebook.server.evaluate(name, code)  # noqa: E731
    page = notebook.page
    slider = page.locator(".widget-slider", has_text="time step t").first
    slider.wait_for(timeout=30_000)
    root = page.locator(".nnkit-lesson", has=slider).first
    view = panels.PanelCanvas(page)            # the explorer is the lesson's first panel view
    assert root.locator(".nnkit-panels").count() == 1

    # the time step: the outline moves in the picture, the equations and the kernel
    step = int(live.slider_value(slider))
    last = int(float(slider.locator(".noUi-handle").first.get_attribute("aria-valuemax")))
    moves = 3 if step + 3 <= last else -3
    shown = view.shown()
    live.nudge_slider(slider, presses=3, key="ArrowRight" if moves > 0 else "ArrowLeft")
    new_step = step + moves
    assert int(live.slider_value(slider)) == new_step
    harness.wait_for(lambda: ev(f"{EXPLORER}.step") == new_step, timeout=15,
                     what=f"the explorer's step {new_step} in the kernel")
    harness.wait_for(lambda: re.search(rf"\bt = {new_step}\b", root.inner_text()), timeout=15,
                     what=f"the equations for step t = {new_step}")
    layout = ev(f"{EXPLORER}.view.layout_info['panels'][1]")        # the i panel
    H = ev(f"{EXPLORER}.units")

    def outlined(t: int) -> bool:                  # the outline's top edge is black at step t
        x, y = panels.to_canvas(layout, t, H - 0.5)
        return max(view.pixel(x, y)) < 40            # a 3-px line centred on the edge

    try:
        harness.wait_for(lambda: outlined(new_step) and not outlined(step), timeout=15,
                         what=f"the outline moved from step {step} to step {new_step}")
    except TimeoutError:
        x, y = panels.to_canvas(layout, new_step, H - 0.5)
        column = [view.pixel(x, y + d) for d in range(-3, 4)]
        raise AssertionError(f"no outline at step {new_step}: pixels at x={x}, y={y - 3}…{y + 3}"
                             f" are {column} (layout {layout})") from None
    assert view.shown() > shown

    played = view.play(seconds=2.0)
    assert played["pictures"] > 10, f"Play: the pictures hardly changed: {played}"
    ms = view.main_thread_ms_per_frame(1.0)
    paused = view.pause()
    assert paused["pictures_after_click"] <= 2 and paused["button"] == "Play", paused
    steps = ev(f"{EXPLORER}.steps")
    time.sleep(0.5)
    assert ev(f"{EXPLORER}.steps") == steps, "the kernel kept training after Pause"
    assert f"training step {steps:,} ·" in view.frame()["text"]

    # the picture is the kernel's state: f of unit j at step t, in the gate table's colour
    unit, step_now, sample = (ev(f"{EXPLORER}.{k}") for k in ("unit", "step", "sample"))
    j, t = (unit + 1) % H, (step_now + 2) % ev(f"{EXPLORER}.seq_len")
    value = ev(f"float({EXPLORER}.trace['f'][{sample}, {t}, {j}])")
    colour = ev(f"__import__('nnkit').widgets.lstm_explorer.LUTS['gate'][{round(255 * value)}]"
                f".tolist()")
    f_panel = ev(f"{EXPLORER}.view.layout_info['panels'][2]")
    x, y = panels.to_canvas(f_panel, t, j)
    assert view.pixel(x, y) == pytest.approx(tuple(colour), abs=3), (
        f"f[{sample}, {t}, {j}] = {value:.3f}: the cell is not coloured so")
    view.root.screenshot(path=str(shots_dir / "lstm_explorer.png"))
    print(f"\n[lstm] {played}\n[lstm] {paused}\n[lstm] main thread {ms:.2f} ms/picture")
    harness.record_figure("LSTM explorer: pictures/s shown", f"{played['pictures_per_s']:.1f}")
    harness.record_figure("LSTM explorer: main-thread ms per picture", f"{ms:.2f}")
    harness.record_figure("LSTM explorer: draw ms per picture", f"{played['draw_ms']:.2f}")
