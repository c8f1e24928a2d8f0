"""Run a lesson's own cells in a real kernel, then more code in the same kernel.

Used to test each exercise's reference solution on exactly the objects its lesson builds::

    out = run_lesson_then("07_playground.ipynb", before="check_overfitting(pg_circle)",
                          extra=['reference("overfitting")(pg_circle)',
                                 'print(check_overfitting(pg_circle))'])

``before`` is a piece of source text: the lesson runs up to (not including) the first code cell
that contains it. The extra cells run after, in the same kernel; their printed text is returned.
Cells tagged ``raises-exception`` may raise, as under nbval; any other error fails the test.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

LESSONS = Path(__file__).resolve().parents[1] / "lessons"


def lesson_cells_before(path: Path, before: str) -> list:
    """The lesson's code cells up to the first one whose source contains ``before``."""
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if before in cell.source:
            return cells
        cells.append(cell)
    raise AssertionError(f"{path.name} has no code cell containing {before!r}")


def run_lesson_then(lesson: str | Path, before: str, extra: list[str], timeout: int = 180) -> str:
    """Run ``lesson`` up to the cell containing ``before``, then ``extra``; the extras' stdout."""
    path = Path(lesson)
    if not path.is_absolute():
        path = LESSONS / path
    cells = [nbformat.v4.new_code_cell(c.source, metadata={"tags": c.metadata.get("tags", [])})
             for c in lesson_cells_before(path, before)]
    extras = [nbformat.v4.new_code_cell(source) for source in extra]
    nb = nbformat.v4.new_notebook(cells=cells + extras,
                                  metadata={"kernelspec": {"name": "python3",
                                                           "display_name": "Python 3",
                                                           "language": "python"}})
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    text = []
    for cell in extras:
        for output in cell.outputs:
            if output.output_type == "stream" and output.name == "stdout":
                text.append(output.text)
            elif output.output_type == "execute_result" and "text/plain" in output.data:
                text.append(output.data["text/plain"] + "\n")
    return "".join(text)
