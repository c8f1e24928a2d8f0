"""The Playground served by Voilà (presenter mode: no code, only the app) renders and plays.

Served: ``lessons/presenter/playground.ipynb`` if the lessons provide one, else a scratch notebook
with what the README's "For instructors" section shows.
"""
from __future__ import annotations

import time

import nbformat
import pytest

import harness
import live

PRESENTER_NOTEBOOK = """\
from nnkit.widgets import Playground
Playground(presenter=True, dataset="xor", hide=["regularization"])"""


@pytest.fixture(scope="module")
def voila(notebook_dir, scratch):
    shipped = harness.LESSONS / "presenter" / "playground.ipynb"
    if shipped.exists():
        notebook = notebook_dir / "presenter" / "playground.ipynb"      # the served copy
    else:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = harness.KERNELSPEC
        nb.cells = [nbformat.v4.new_code_cell(PRESENTER_NOTEBOOK)]
        notebook = notebook_dir / "_presenter.ipynb"
        nbformat.write(nb, notebook)
    start = time.perf_counter()
    server = harness.JupyterServer.voila(notebook, scratch / "voila-home", scratch / "voila.log")
    harness.record_figure("Voilà server start (s)", round(time.perf_counter() - start, 2))
    yield server
    server.stop()


def test_voila_playground_renders_and_plays(voila, new_page):
    page = new_page
    start = time.perf_counter()
    page.goto(voila.url("/"), timeout=120_000)
    root = page.locator(".nnkit-playground").first
    root.wait_for(timeout=120_000)                  # Voilà runs the notebook, then shows widgets
    shown = time.perf_counter() - start
    assert not page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                            has_text="Traceback").count()
    assert not page.locator("pre, .jp-RenderedText", has_text="Traceback").count()
    assert not page.locator("text=Error displaying widget").count()
    assert not page.locator(".jp-InputArea, .jp-CodeMirrorEditor").count(), "Voilà shows code"

    boundary = root.locator(".widget-gridbox .widget-image").first
    drawn = harness.wait_for(lambda: (i := harness.ink(boundary))["colours"] > 4 and i,
                             timeout=30, what="a boundary picture with colours")
    assert drawn["ink"] > 100, f"the boundary looks blank: {drawn}"
    pg = live.LiveWidget(page, counter=root.locator(".nnkit-epoch").first, picture=boundary,
                         buttons=root)
    assert pg.epoch() == 0
    played = pg.play(seconds=2.0)
    assert played.epochs_advanced > 0 and played.pictures > 0, f"Voilà: not training ({played})"
    paused = pg.pause()
    assert paused.frames_after_click <= 1, f"Voilà: still drawing after Pause: {paused}"
    harness.record_figure("Voilà: page → Playground shown (s)", f"{shown:.1f}")
    harness.record_figure("Voilà: pictures per second while playing", f"{played.pictures_per_second:.1f}")
    print(f"\n[voila] shown after {shown:.1f} s; {played}; {paused}")
