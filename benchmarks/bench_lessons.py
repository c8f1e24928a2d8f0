"""How long each lesson takes to run from top to bottom (Run All), in a fresh kernel.

    python benchmarks/bench_lessons.py [--repeats 1] [lessons/07_playground.ipynb ...]

Each lesson runs with nbclient in a new ``python3`` kernel, its working directory ``lessons/``
as in JupyterLab; nothing is written back.  The time of a lesson is from its first cell to the
end of its last (what a learner waits for after Run All; the kernel's start, ~1 s, is printed
apart).  With ``--repeats`` > 1 each figure is the median.  One line per lesson, then the total.
Targets: ≤ 15 s a lesson and ≤ 90 s for the whole course on a 2-core machine.

OPENBLAS_NUM_THREADS is 1 unless set, as on Binder (``binder/start``): small matrices gain nothing
from more threads, and a shared machine's other work would slow them down.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")     # before the kernels inherit the environment

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

LESSONS = Path(__file__).resolve().parents[1] / "lessons"
LESSON_TARGET, TOTAL_TARGET = 15.0, 90.0


def run_lesson(path: Path) -> tuple[float, float, list[float]]:
    """(kernel start s, all cells s, each code cell's s) for one run of ``path``."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        kernel = time.perf_counter() - start
        cells = []
        begin = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            t = time.perf_counter()
            client.execute_cell(cell, index)      # raises on an error, unless tagged raises-exception
            cells.append((index, time.perf_counter() - t))
        total = time.perf_counter() - begin
    return kernel, total, cells


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=Path, help="default: every lesson")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args(argv)
    paths = ([p.resolve() for p in args.lessons] if args.lessons
             else sorted(LESSONS.glob("*.ipynb")) + sorted(LESSONS.glob("*/*.ipynb")))
    print(f"Run All per lesson, fresh kernel, median of {args.repeats}; "
          f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, "
          f"{os.cpu_count()} CPUs; target ≤ {LESSON_TARGET:g} s each, ≤ {TOTAL_TARGET:g} s in all")
    total, over = 0.0, []
    for path in paths:
        runs = [run_lesson(path) for _ in range(args.repeats)]
        seconds = statistics.median(r[1] for r in runs)
        kernel = statistics.median(r[0] for r in runs)
        index, slowest = max(runs[0][2], key=lambda c: c[1], default=(None, 0.0))
        verdict = "ok" if seconds <= LESSON_TARGET else f"OVER {LESSON_TARGET:g} s"
        if seconds > LESSON_TARGET:
            over.append(path.name)
        name = str(path.relative_to(LESSONS)) if path.is_relative_to(LESSONS) else path.name
        print(f"{name:45} {seconds:6.1f} s  {verdict:10} "
              f"(kernel start {kernel:.1f} s; slowest cell {index}: {slowest:.1f} s)", flush=True)
        total += seconds
    verdict = "ok" if total <= TOTAL_TARGET else f"OVER {TOTAL_TARGET:g} s"
    print(f"{'total (' + str(len(paths)) + ' lessons)':45} {total:6.1f} s  {verdict}")
    if over:
        print("over the per-lesson target: " + ", ".join(over))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
