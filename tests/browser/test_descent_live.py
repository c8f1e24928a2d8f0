"""The gradient-descent race in JupyterLab, on the Playground's path: the kernel's frame clock and
a canvas drawn in the browser from the new points of each path (``PanelView``).

Plays (pictures change at the printed rate), Pause stops (no frame of the clock after the click;
the kernel stops producing), and the picture on screen is the kernel's state: the walkers the
browser drew stand where the kernel's optimizers are, in the optimizers' colours.
"""
from __future__ import annotations

import time

import nbformat
import pytest

import harness
import panels

NOTEBOOK = "_descent_live.ipynb"
CELLS = [
    "import os\nos.environ.setdefault('OPENBLAS_NUM_THREADS', '1')",
    "from nnkit.widgets import GradientDescentExplorer\n"
    "race = GradientDescentExplorer(surface='rosenbrock')\n"
    "race",
    "1 + 1",
]


@pytest.fixture(scope="module")
def race_notebook(notebook_dir) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = harness.KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    nbformat.write(nb, notebook_dir / NOTEBOOK)
    return NOTEBOOK


def test_the_race_plays_pauses_and_shows_the_kernels_walkers(open_notebook, race_notebook,
                                                             shots_dir):
    notebook = open_notebook(race_notebook)
    notebook.run_all()
    notebook.wait_until_run(timeout=90)
    assert not notebook.errors(), notebook.errors()
    view = panels.PanelCanvas(notebook.page)
    ev = lambda code: notebook.server.evaluate(race_notebook, code)  # noqa: E731
    assert ev("race.steps['sgd']") == 0

    played = view.play(seconds=2.0)
    assert played["pictures"] > 10, f"Play: the pictures hardly changed: {played}"
    ms = view.main_thread_ms_per_frame(1.0)
    paused = view.pause()
    # after the click: at most the still of the kernel's state (and a frame already in flight)
    assert paused["pictures_after_click"] <= 2 and paused["button"] == "Play", paused
    frames = ev("race.view.frames")
    time.sleep(0.5)
    assert ev("race.view.frames") == frames, "the kernel kept producing after Pause"
    assert not ev("race.view.is_playing")

    # the picture is the kernel's state: each walker where the kernel's optimizer is
    shown = view.frame()
    for name in ("sgd", "momentum", "adam"):
        path = ev(f"race.paths[{name!r}].tolist()")
        assert shown["lengths"][name] == len(path) > 1
        assert shown["heads"][name] == pytest.approx(path[-1], rel=1e-5, abs=1e-6)
    panel = ev("race.view.layout_info['panels'][0]")
    x, y = panels.to_canvas(panel, *shown["heads"]["sgd"])
    sgd = ev("__import__('nnkit').widgets.live.panels.rgb("
             "__import__('nnkit').plots.descent.PATH_COLORS['sgd'])")
    near = [view.pixel(x + dx, y + dy) for dx in range(-4, 5, 2) for dy in range(-4, 5, 2)]
    assert any(all(abs(a - b) <= 3 for a, b in zip(px, sgd)) for px in near), \
        f"SGD's walker is not drawn there: {sorted(set(near))}"   # (other marks may sit on top)
    assert shown["titles"]["0"] == ev("race.race.walks['sgd'].describe()")
    view.root.screenshot(path=str(shots_dir / "descent_race.png"))
    print(f"\n[descent] {played}\n[descent] {paused}\n[descent] main thread {ms:.2f} ms/picture")
    harness.record_figure("Descent race (rosenbrock): pictures/s shown",
                          f"{played['pictures_per_s']:.1f}")
    harness.record_figure("Descent race: main-thread ms per picture", f"{ms:.2f}")
    harness.record_figure("Descent race: draw ms per picture", f"{played['draw_ms']:.2f}")
