"""The Playground served by Voilà (presenter mode: no code, only the app) renders and plays.

Served: ``lessons/presenter/playground.ipynb`` if the lessons provide one, else a scratch notebook
with what the README's "For instructors" section shows; both by the ``voila`` command and by the
Voilà extension inside JupyterLab (the route a Binder ``?urlpath=voila/render/...`` link opens).
"""
from __future__ import annotations

import time

import nbformat
import pytest

import harness
from test_live_view_browser import LiveCanvas

PRESENTER_NOTEBOOK = """\
from nnkit.widgets import Playground
Playground(presenter=True, dataset="xor", hide=["regularization"])"""


@pytest.fixture(scope="module")
def presenter_notebook(notebook_dir) -> str:
    """The notebook to present, relative to the served folder."""
    if (harness.LESSONS / "presenter" / "playground.ipynb").exists():
        return "presenter/playground.ipynb"                      # the served copy of lessons/
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = harness.KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(PRESENTER_NOTEBOOK)]
    nbformat.write(nb, notebook_dir / "_presenter.ipynb")
    return "_presenter.ipynb"


@pytest.fixture(scope="module", params=["voila command", "JupyterLab /voila/render"])
def voila_url(request, notebook_dir, scratch, presenter_notebook) -> str:
    """The page that presents the notebook: ``voila notebook.ipynb`` on a port of its own, or
    the Voilà extension of the JupyterLab server (what a Binder link with
    ``?urlpath=voila/render/...`` opens)."""
    if request.param == "JupyterLab /voila/render":
        lab = request.getfixturevalue("lab")
        yield lab.url(f"/voila/render/{presenter_notebook}")
        return
    start = time.perf_counter()
    server = harness.JupyterServer.voila(notebook_dir / presenter_notebook, scratch / "voila-home",
                                         scratch / "voila.log")
    harness.record_figure("Voilà server start (s)", round(time.perf_counter() - start, 2))
    yield server.url("/")
    server.stop()


def test_voila_playground_renders_and_plays(voila_url, new_page, request):
    page = new_page
    how = request.node.callspec.params["voila_url"]
    start = time.perf_counter()
    page.goto(voila_url, timeout=120_000)
    root = page.locator(".nnkit-playground").first
    root.wait_for(timeout=120_000)                  # Voilà runs the notebook, then shows widgets
    shown = time.perf_counter() - start
    assert not page.locator(".jp-OutputArea-output, pre", has_text="Traceback").count()
    assert not page.locator("text=Error displaying widget").count()
    assert not page.locator(".jp-InputArea, .jp-CodeMirrorEditor").count(), "Voilà shows code"

    view = LiveCanvas(page, root_selector=".nnkit-playground .nnkit-live")
    colours = {tuple(c) for c in view.sample()}
    assert len(colours) > 4, f"the boundary looks blank: {len(colours)} colours"
    assert view.epoch() == 0
    played = view.play(seconds=2.0)
    assert view.epoch() > 0 and played["pictures"] > 5, f"Voilà: not training ({played})"
    paused = view.pause()
    assert paused["pictures_after_click"] == 0, f"Voilà: still drawing after Pause: {paused}"
    harness.record_figure(f"Voilà ({how}): page → Playground shown (s)", f"{shown:.1f}")
    harness.record_figure(f"Voilà ({how}): pictures per second while playing",
                          f"{played['pictures_per_s']:.1f} at {played['refreshes_per_s']:.0f} "
                          f"refreshes/s")
    print(f"\n[voila: {how}] shown after {shown:.1f} s; {played}; {paused}")
