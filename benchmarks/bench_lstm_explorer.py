"""Frame time of the LSTMExplorer while it trains, against two ways of drawing the same picture.

    python benchmarks/bench_lstm_explorer.py [--frames 200] [--repeats 3]

A frame is what one tick of Play does: ``steps_per_frame`` (5) Adam steps on the memory task
(LSTM(4), T = 20, batch 32), one ``model.trace`` of the 8 shown samples, the six heatmaps
updated, the picture rendered and encoded as PNG for the ``ipywidgets.Image``.  Rows:

* explorer      — ``LSTMExplorer.runner.step()``: cached background, heatmaps coloured and
                  copied in, outlines blitted, ``render.png_bytes`` (what the widget does);
* redraw        — the same figure kept, ``set_data`` on the images, then a full
                  ``canvas.draw()`` and the same PNG encoder (a figure built once, redrawn);
* from scratch  — a new ``lstm_gates`` figure every frame, saved with ``savefig`` (the naive way).

Each row trains the same seeded network the same number of steps.  Prints the median frame time
(ms) — wall clock, and the CPU time of this process (the same unless other programs compete for
the cores) — and each row's ratio to the explorer.  Target: explorer ≤ 50 ms median.
"""
from __future__ import annotations

import argparse
import io
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nnkit.plots import lstm as lstm_plot
from nnkit.widgets import render
from nnkit.widgets.lstm_explorer import LSTMExplorer
from nnkit.labs.lstm_task import FEATURE_NAMES

STEPS_PER_FRAME = 5


class Clock:
    """Wall-clock and process CPU time of one frame."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def explorer_frames(frames: int) -> list[Clock]:
    ex = LSTMExplorer(task="memory", seed=0, steps_per_frame=STEPS_PER_FRAME)
    ex.runner.step()                                   # warm up: the background is cached
    times = []
    for _ in range(frames):
        with Clock() as clock:
            ex.runner.step()                           # train + trace + six heatmaps + PNG
        times.append(clock)
    ex.close()
    return times


def redraw_frames(frames: int) -> list[Clock]:
    ex = LSTMExplorer(task="memory", seed=0, steps_per_frame=STEPS_PER_FRAME)
    lab, artists = ex.lab, ex.artists
    figure = artists.figure
    for artist in artists.dynamic:
        artist.set_animated(False)
    times = []
    for _ in range(frames):
        with Clock() as clock:
            lab.train(STEPS_PER_FRAME)
            lstm_plot.update_lstm_gates(artists, lab.trace(), 0)
            figure.canvas.draw()
            render.png_bytes(np.asarray(figure.canvas.buffer_rgba())[..., :3])
        times.append(clock)
    ex.close()
    return times


def scratch_frames(frames: int) -> list[Clock]:
    ex = LSTMExplorer(task="memory", seed=0, steps_per_frame=STEPS_PER_FRAME)
    lab = ex.lab
    times = []
    for _ in range(frames):
        with Clock() as clock:
            lab.train(STEPS_PER_FRAME)
            figure = Figure(figsize=(9.6, 8.4), dpi=80, layout="constrained")
            FigureCanvasAgg(figure)
            axes = figure.subplots(7, 1, sharex=True)
            lstm_plot.lstm_gates(lab.trace(), 0, lab.X_shown, step=10, unit=0,
                                 feature_names=FEATURE_NAMES["memory"], axes=axes)
            figure.savefig(io.BytesIO(), format="png")
        times.append(clock)
    ex.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    rows = {"explorer": explorer_frames, "redraw": redraw_frames, "from scratch": scratch_frames}
    frames = {"explorer": args.frames, "redraw": max(20, args.frames // 5),
              "from scratch": max(10, args.frames // 20)}
    medians = {}
    for name, run in rows.items():
        repeats = [run(frames[name]) for _ in range(args.repeats)]
        medians[name] = tuple(1e3 * float(np.median([np.median([getattr(c, kind) for c in r])
                                                     for r in repeats]))
                              for kind in ("wall", "cpu"))
    base_wall, base_cpu = medians["explorer"]
    print(f"LSTMExplorer frame ({STEPS_PER_FRAME} Adam steps + trace + six heatmaps + PNG), "
          f"median of {args.repeats} repeats:")
    print(f"  {'':13} {'wall':>9}   {'CPU':>9}   ratio (wall)")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:<13} {wall:6.1f} ms   {cpu:6.1f} ms   {wall / base_wall:5.1f}× the explorer")
    verdict = "meets" if base_wall <= 50 else "MISSES"
    print(f"explorer {base_wall:.1f} ms (wall) {verdict} the target of ≤ 50 ms")


if __name__ == "__main__":
    main()
