"""Lesson 07's Playground in JupyterLab, clicked like a learner would, and the figures for the note.

Play → the epoch counter advances and the boundary picture changes; a new learning rate reaches
the model while it trains; Pause → counter and picture stop within one frame; Reset → epoch 0.
Lesson 00: the time from opening it to the first moving boundary.

The kernel's side (the model's learning rate) is read over the kernel's websocket
(``JupyterServer.evaluate``), through the Playground's public API — no test hooks in the widget.
"""
from __future__ import annotations

import time

import nbformat
import pytest

import harness
import live
import pixels

# In the kernel: the Playground the test is driving (the one playing when first asked).
FIND_PLAYING = """\
import gc as _gc
from nnkit.widgets import Playground as _Playground
_nnkit_test_pg = next(p for p in _gc.get_objects() if isinstance(p, _Playground) and p.playing)
print(_nnkit_test_pg.epoch)"""


def lesson(prefix: str) -> str | None:
    found = sorted(harness.LESSONS.glob(f"{prefix}_*.ipynb"))
    return found[0].name if found else None


def playground_in(page, index: int = 0):
    """The ``index``-th Playground on the page → (its box, a LiveWidget on its epoch readout and
    boundary picture, its learning-rate dropdown)."""
    root = page.locator(".nnkit-playground").nth(index)
    root.wait_for(timeout=60_000)
    root.scroll_into_view_if_needed()
    counter = root.locator(".nnkit-epoch").first
    # the boundary: the background <img> of the grid cell whose overlay holds the points
    boundary = root.locator(".widget-gridbox .widget-image").first
    rate = root.locator(".widget-dropdown", has_text="Learning rate").locator("select").first
    return root, live.LiveWidget(page, counter=counter, picture=boundary, buttons=root), rate


@pytest.fixture(scope="module")
def playground_notebook() -> str:
    """Lesson 07 (``07_*.ipynb``); its first Playground is the one played with."""
    name = lesson("07")
    if name is None:
        pytest.skip("lesson 07 is not written yet")
    return name


def test_playground_plays_pauses_and_resets(open_notebook, playground_notebook):
    notebook = open_notebook(playground_notebook)
    notebook.run_all()
    notebook.wait_until_run(timeout=180)
    assert not notebook.errors(), notebook.errors()
    page = notebook.page
    root, pg, rate = playground_in(page)
    drawn = harness.wait_for(lambda: (i := pixels.ink(pg.picture))["colours"] > 4 and i,
                             timeout=30, what="a boundary picture with colours")
    assert drawn["ink"] > 100, f"the boundary looks blank: {drawn}"
    start_epoch = pg.epoch()
    first_src = pg.picture.get_attribute("src")

    # Play: the counter advances, the boundary changes
    played = pg.play(seconds=2.0)
    assert played.epochs_advanced > 0, f"Play: the epoch counter did not advance ({played})"
    assert pg.picture.get_attribute("src") != first_src, "Play: the boundary picture is unchanged"
    assert pg.epoch() > start_epoch

    # a new learning rate reaches the model while it trains
    kernel = notebook.server
    harness.wait_for(lambda: kernel.execute(playground_notebook, FIND_PLAYING), timeout=15,
                     what="the playing Playground in the kernel")
    frame_ms = kernel.evaluate(playground_notebook, "sorted(_nnkit_test_pg.runner.frame_seconds)"
                               "[len(_nnkit_test_pg.runner.frame_seconds) // 2] * 1000")
    before = kernel.evaluate(playground_notebook, "_nnkit_test_pg.model.optimizer.learning_rate")
    options = [float(v) for v in rate.locator("option").evaluate_all("os => os.map(o => o.label)")]
    chosen = next(v for v in (0.1, 0.3, 0.01) if v in options and v != before)
    rate.select_option(label=f"{chosen:g}")
    harness.wait_for(
        lambda: kernel.evaluate(playground_notebook, "_nnkit_test_pg.model.optimizer.learning_rate")
        == pytest.approx(chosen), timeout=10, what=f"learning rate {chosen} in the model")
    assert pg.button_text() == "Pause", "changing the learning rate stopped the training"

    # Pause: counter and picture stop within one frame
    paused = pg.pause()
    assert paused.frames_after_click <= 1, f"Pause: still drawing after the click: {paused}"
    stopped_at = pg.epoch()
    assert not pg.still_moving(0.6), "Pause: the Playground went on training"
    assert pg.epoch() == stopped_at

    # Reset: back to epoch 0, in the page and in the kernel
    root.locator("button.widget-button", has_text="Reset").click()
    harness.wait_for(lambda: pg.epoch() == 0, timeout=10, what="epoch 0 after Reset")
    assert kernel.evaluate(playground_notebook, "_nnkit_test_pg.epoch") == 0

    harness.record_figure("Playground pictures per second while playing (target ≥ 20)",
                          f"{played.pictures_per_second:.1f}")
    harness.record_figure("Playground pause latency: click → button back / last update (ms)",
                          f"{paused.acknowledged_ms:.0f} / {paused.last_update_ms:.0f}, "
                          f"{paused.frames_after_click} frame(s) after the click")
    harness.record_figure("Playground click on Play → first new boundary (ms)",
                          f"{played.first_picture_ms:.0f}")
    harness.record_figure("Playground frame in the kernel, median (ms)", f"{frame_ms:.1f}")
    print(f"\n[playground] {played}\n[playground] {paused}")


def test_time_to_first_moving_boundary(open_notebook):
    """Lesson 00 as a newcomer meets it: open it, run its first Playground cell, press Play.

    Then Run All: the whole lesson runs without an error output (this is lesson 00's run check).
    """
    name = lesson("00")
    if name is None:
        pytest.skip("lesson 00 is not written yet")
    nb = nbformat.read(harness.LESSONS / name, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    first = next((i for i, source in enumerate(code) if "Playground(" in source), None)
    start = time.perf_counter()
    notebook = open_notebook(name)
    opened = time.perf_counter() - start
    if first is not None:
        notebook.run_cell(first)
        _, pg, _ = playground_in(notebook.page)
        shown = time.perf_counter() - start
        played = pg.play(seconds=0.5)
        paused = pg.pause()
        total = shown + played.first_picture_ms / 1000
        harness.record_figure("Lesson 00: open → first moving boundary (s)",
                              f"{total:.1f} (open → idle {opened:.1f}, run the Playground "
                              f"cell → shown {shown - opened:.1f}, Play → moving "
                              f"{played.first_picture_ms / 1000:.2f})")
        harness.record_figure("Lesson 00: pause latency (ms)", f"{paused.acknowledged_ms:.0f}")
    notebook.run_all()
    notebook.wait_until_run(timeout=180)
    assert not notebook.errors(), notebook.errors()
    assert first is not None, f"{name} shows no Playground"
