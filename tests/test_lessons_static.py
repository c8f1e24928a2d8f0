"""The stored lessons, read as files: what GitHub, nbconvert and nbval see before anything runs.

* nbval's markers are cell tags (``nbval-check-output``, ``nbval-ignore-output``, ``nbval-skip``,
  ``raises-exception``), so no code cell opens with a ``# NBVAL…`` comment a learner must read;
* every widget output carries a picture (``image/png``) beside its live view, so a reader without
  a kernel sees the widget instead of a blank;
* every lesson names the ``python3`` kernel and is stored executed: each code cell has its
  execution count (nbval compares the stored outputs, a reader sees them);
* no lesson stores saved widget state (``metadata.widgets``): it is large and a kernel is needed
  to use the widgets anyway.
"""
from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest
from PIL import Image

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
PATHS = sorted(LESSONS.glob("*.ipynb")) + sorted(LESSONS.glob("*/*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NBVAL_TAGS = {"nbval-check-output", "nbval-ignore-output", "nbval-skip", "raises-exception",
              "nbval-raises-exception"}
# A comment nbval would read, or one left over: "# NBVAL_CHECK_OUTPUT", "#nbval-skip", …
NBVAL_COMMENT = re.compile(r"^\s*#\s*nbval", re.IGNORECASE)


def lesson_id(path: Path) -> str:
    return str(path.relative_to(LESSONS))


@pytest.fixture(params=PATHS, ids=lesson_id)
def lesson(request):
    path = request.param
    return path, nbformat.read(path, as_version=4)


def code_cells(nb):
    return [(i, cell) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]


def test_there_are_lessons():
    assert len(PATHS) >= 12, [p.name for p in PATHS]


def test_nbval_markers_are_tags_not_comments(lesson):
    path, nb = lesson
    bad = [i for i, cell in code_cells(nb)
           if cell.source.strip() and NBVAL_COMMENT.match(cell.source.lstrip().splitlines()[0])]
    assert not bad, f"{path.name}: cells {bad} start with a '# NBVAL' comment; use a cell tag"
    anywhere = [i for i, cell in code_cells(nb)
                if any(NBVAL_COMMENT.match(line) for line in cell.source.splitlines())]
    assert not anywhere, f"{path.name}: cells {anywhere} still carry a '# NBVAL' comment line"


def test_nbval_tags_are_spelled_as_nbval_reads_them(lesson):
    path, nb = lesson
    unknown = {(i, tag) for i, cell in code_cells(nb) for tag in cell.metadata.get("tags", [])
               if tag.lower().startswith(("nbval", "raises")) and tag not in NBVAL_TAGS}
    assert not unknown, f"{path.name}: tags nbval does not know: {sorted(unknown)}"


def test_every_widget_output_has_a_picture(lesson):
    path, nb = lesson
    missing, broken = [], []
    for i, cell in code_cells(nb):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW not in data:
                continue
            if "image/png" not in data:
                missing.append(i)
                continue
            try:
                png = base64.b64decode(data["image/png"], validate=True)
                width, height = Image.open(io.BytesIO(png)).size
            except Exception as err:                 # not base64, or not a picture
                broken.append((i, str(err)[:80]))
                continue
            if width < 200 or height < 100:
                broken.append((i, f"{width}×{height} px"))
    assert not missing, (f"{path.name}: the widget outputs of cells {missing} have no image/png; "
                         f"re-execute the lesson so they store the widget's picture")
    assert not broken, f"{path.name}: widget pictures that are not pictures: {broken}"


def test_stored_executed_with_the_python3_kernel(lesson):
    path, nb = lesson
    kernelspec = nb.metadata.get("kernelspec", {})
    assert kernelspec.get("name") == "python3", f"{path.name}: kernelspec {kernelspec!r}"
    assert kernelspec.get("language", "python") == "python"
    not_run = [i for i, cell in code_cells(nb)
               if cell.source.strip() and cell.get("execution_count") is None]
    assert not not_run, f"{path.name}: code cells {not_run} were never executed"
    counts = [cell.execution_count for _, cell in code_cells(nb) if cell.get("execution_count")]
    assert counts == sorted(counts), (f"{path.name}: cells stored out of order "
                                      f"(execution counts {counts}); run the lesson top to bottom")


def test_no_saved_widget_state(lesson):
    """The live widgets need their kernel anyway; their pictures travel as image/png. Saved widget
    state (``metadata.widgets``, written by nbconvert) only made lesson 07 six times as large."""
    path, nb = lesson
    assert "widgets" not in nb.metadata, (
        f"{path.name} stores widget state; drop it: del nb.metadata['widgets'] (or run nbconvert "
        f"with --ExecutePreprocessor.store_widget_state=False)")


# Markdown links and images: [text](target) and <img src="target">; the web and anchors are not
# followed, a relative target must exist beside the lesson (lessons/zh/ links one folder deeper).
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<img[^>]*\ssrc=\"([^\"]+)\"")


def test_relative_links_point_to_files_that_exist(lesson):
    path, nb = lesson
    broken = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for found in LINK.finditer(cell.source):
            target = (found.group(1) or found.group(2)).split("#")[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
                continue                                      # an anchor, http:, mailto: …
            if not (path.parent / unquote(target)).exists():
                broken.append(f"cell {i}: {target}")
    assert not broken, f"{lesson_id(path)}: links to missing files: {broken}"
