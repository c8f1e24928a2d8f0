"""Every lesson opens and runs in JupyterLab (Run All) without an error output.

The lessons are found when the tests are collected, so a new lesson is checked as soon as it
exists.  Outputs are cleared in the served copy, so every output on the page is from this run.
A cell tagged ``raises-exception`` (a lesson showing an error on purpose) may show a traceback.
"""
from __future__ import annotations

import time

import nbformat
import pytest

import harness

# Lessons 00, 07 and 08 are run (Run All, no error output) by their live tests, which go on to
# play with their widgets; running them twice would cost a minute of the suite's five.
LIVE_TESTED = ("00_", "07_", "08_")
LESSON_NAMES = sorted(p.name for p in harness.LESSONS.glob("*.ipynb")
                      if not p.name.startswith(LIVE_TESTED))


def expected_tracebacks(path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if "raises-exception" in c.get("metadata", {}).get("tags", []))


@pytest.mark.parametrize("lesson", LESSON_NAMES or
                         [pytest.param("none", marks=pytest.mark.skip(reason="no lessons yet"))])
def test_lesson_runs_without_errors(open_notebook, notebook_dir, lesson):
    notebook = open_notebook(lesson)
    opened = time.perf_counter() - notebook.opened_at
    notebook.run_all()
    seconds = notebook.wait_until_run(timeout=180)
    errors = notebook.errors()
    allowed = expected_tracebacks(notebook_dir / lesson)
    assert len(errors) <= allowed, f"{lesson}: error output(s):\n" + "\n---\n".join(errors)
    prompts = notebook.prompts()
    assert all("*" not in p for p in prompts), f"{lesson}: cells still running: {prompts}"
    harness.record_figure(f"{lesson}: open → idle, Run All (s)", f"{opened:.1f}, {seconds:.1f}")


ERROR_NOTEBOOK = [
    "import ipywidgets as widgets\nwidgets.IntSlider(description='ok')",
    "1 / 0",
    "print('never reached')",
]


def test_an_error_output_is_detected(open_notebook, notebook_dir):
    """The check above can fail: a notebook that raises is reported, with its traceback."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = harness.KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(source) for source in ERROR_NOTEBOOK]
    nbformat.write(nb, notebook_dir / "_raises.ipynb")
    notebook = open_notebook("_raises.ipynb")
    notebook.run_all()
    notebook.wait_until_run(timeout=60)
    errors = notebook.errors()
    assert len(errors) == 1 and "ZeroDivisionError" in errors[0], errors
    assert notebook.page.locator(".widget-slider").count() == 1
