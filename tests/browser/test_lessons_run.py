"""Every lesson opens and runs in JupyterLab (Run All) without an error output.

The lessons are found when the tests are collected, so a new lesson is checked as soon as it
exists.  Outputs are cleared in the served copy, so every output on the page is from this run.
A cell tagged ``raises-exception`` (a lesson showing an error on purpose) may show a traceback.

Two lessons run at a time, each in its own page and kernel: loading JupyterLab and starting a
kernel is mostly waiting, so this halves the suite's time on two cores.  The runs happen once,
in a module fixture; each lesson's test then reports its own result (and screenshot).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import nbformat
import pytest

import harness

# Lessons 00, 07 and 08 are run (Run All, no error output) by their live tests, which then go on
# to play with their widgets; running them here as well would cost a minute of the suite's five.
LIVE_TESTED = ("00_", "07_", "08_")
LESSON_NAMES = sorted(p.name for p in harness.LESSONS.glob("*.ipynb")
                      if not p.name.startswith(LIVE_TESTED))
AT_ONCE = 2
TIMEOUT = 240                  # seconds for one lesson to open and run


@dataclass
class LessonRun:
    name: str
    notebook: harness.LabNotebook | None = None
    stage: str = "opening"               # opening → running → done
    started: float = field(default_factory=time.perf_counter)
    open_s: float = 0.0
    run_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    failure: str = ""                    # a timeout or a crash, with what the page showed
    screenshot: str = ""


def allowed_tracebacks(path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if "raises-exception" in c.get("metadata", {}).get("tags", []))


def advance(run: LessonRun) -> None:
    """One look at a lesson's page; move it to its next stage when it is ready."""
    notebook, now = run.notebook, time.perf_counter()
    if run.stage == "opening" and notebook.ready():
        run.open_s, run.stage = now - run.started, "running"
        notebook.run_all()
    elif run.stage == "running" and notebook.run_finished():
        run.run_s, run.stage = now - run.started - run.open_s, "done"
        run.errors = notebook.errors()
    elif now - run.started > TIMEOUT:
        run.stage, run.failure = "done", (f"not {run.stage.replace('ing', 'ed')} within "
                                          f"{TIMEOUT} s; prompts: {notebook.prompts()}")


@pytest.fixture(scope="module")
def lesson_runs(context, lab, notebook_dir, shots_dir) -> dict[str, LessonRun]:
    write_canary(notebook_dir / CANARY)
    pending, active, finished = [CANARY, *LESSON_NAMES], [], {}
    while pending or active:
        while pending and len(active) < AT_ONCE:
            run = LessonRun(pending.pop(0))
            run.notebook = harness.LabNotebook.start(context, lab, run.name)
            active.append(run)
        for run in list(active):
            try:
                advance(run)
            except Exception as err:                      # a crashed page: report, go on
                run.stage, run.failure = "done", f"{type(err).__name__}: {err}"
            if run.stage != "done":
                continue
            active.remove(run)
            finished[run.name] = run
            if run.name == CANARY:
                run.notebook.close()
                continue
            if run.failure or run.errors:
                run.screenshot = str(shots_dir / f"lesson-{run.name}.png")
                try:
                    run.notebook.page.screenshot(path=run.screenshot)
                except Exception as err:
                    run.screenshot = f"(none: {err})"
            run.notebook.close()
            harness.record_figure(f"{run.name}: open → idle, Run All (s)",
                                  f"{run.open_s:.1f}, {run.run_s:.1f}")
        time.sleep(0.2)
    return finished


@pytest.mark.parametrize("lesson", LESSON_NAMES or
                         [pytest.param("none", marks=pytest.mark.skip(reason="no lessons yet"))])
def test_lesson_runs_without_errors(lesson_runs, notebook_dir, lesson):
    run = lesson_runs[lesson]
    where = f"\n(screenshot: {run.screenshot})" if run.screenshot else ""
    assert not run.failure, f"{lesson}: {run.failure}{where}"
    allowed = allowed_tracebacks(notebook_dir / lesson)
    assert len(run.errors) <= allowed, (f"{lesson}: error output(s):\n"
                                        + "\n---\n".join(run.errors) + where)


# A notebook that fails on purpose, run with the lessons: the check above must catch it.
CANARY = "_raises.ipynb"
CANARY_CELLS = [
    "import ipywidgets as widgets\nwidgets.IntSlider(description='ok')",
    "1 / 0",
    "print('never reached')",
]


def write_canary(path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = harness.KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CANARY_CELLS]
    nbformat.write(nb, path)


def test_an_error_output_is_detected(lesson_runs):
    """The check can fail: a notebook that raises is reported, with its traceback."""
    run = lesson_runs[CANARY]
    assert not run.failure, run.failure
    assert len(run.errors) == 1 and "ZeroDivisionError" in run.errors[0], run.errors
