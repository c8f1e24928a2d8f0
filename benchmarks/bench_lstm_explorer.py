"""Frame time of the LSTMExplorer while it trains, against two ways of drawing the same picture.

    python benchmarks/bench_lstm_explorer.py [--frames 200] [--repeats 3]

A frame is what one tick of Play does: ``steps_per_frame`` (5) Adam steps on the memory task
(LSTM(4), T = 20, batch 32), one ``model.trace`` of the 8 shown samples and the seven heatmaps
made ready for the browser.  Rows:

* explorer      — one tick of the explorer's frame clock (``view.loop.tick()``): the heatmaps
                  as uint8 colour-table indices, encoded into one message and its buffers (what
                  the widget sends; the browser draws them);
* picture only  — the same frame without the training: ``model.trace``, the heatmaps and the
                  message (what the picture path adds to the training's own time);
* redraw        — the matplotlib figure kept, ``set_data`` on the images, then a full
                  ``canvas.draw()`` and a PNG (a figure built once, redrawn: a PNG per frame);
* from scratch  — a new ``lstm_gates`` figure every frame, saved with ``savefig`` (the naive way).

Each row trains the same seeded network the same number of steps.  Prints the median frame time
(ms) — wall clock, and the CPU time of this process (the same unless other programs compete for
the cores) — each row's ratio to the explorer, and the bytes the explorer sends per frame.
Target: picture only ≤ 2 ms median (CPU), a quarter of the clock's budget at 60 pictures/s
(half a tick, 8.3 ms); the training's share is the learner's choice (``steps_per_frame``).
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


SENT_BYTES: list[int] = []


def explorer_frames(frames: int) -> list[Clock]:
    ex = LSTMExplorer(task="memory", seed=0, steps_per_frame=STEPS_PER_FRAME)
    view = ex.view
    view.send = lambda message, buffers=(): SENT_BYTES.append(
        len(str(message)) + sum(len(b) for b in buffers))      # the wire, without a browser
    view.play()                                        # no event loop here: we tick
    times = []
    for _ in range(frames):
        with Clock() as clock:
            view.loop.tick()                           # train + trace + heatmaps + message
        view.loop.ack(view.loop.sent)                  # the browser drew it
        times.append(clock)
    ex.close()
    return times


def picture_frames(frames: int) -> list[Clock]:
    ex = LSTMExplorer(task="memory", seed=0, steps_per_frame=STEPS_PER_FRAME)
    times = []
    for _ in range(frames):
        with Clock() as clock:
            ex.lab._trace = None                       # as after a training step
            ex._produce(0, False).encode()
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
    rows = {"explorer": explorer_frames, "picture only": picture_frames,
            "redraw": redraw_frames, "from scratch": scratch_frames}
    frames = {"explorer": args.frames, "picture only": args.frames,
              "redraw": max(20, args.frames // 5),
              "from scratch": max(10, args.frames // 20)}
    medians = {}
    for name, run in rows.items():
        repeats = [run(frames[name]) for _ in range(args.repeats)]
        medians[name] = tuple(1e3 * float(np.median([np.median([getattr(c, kind) for c in r])
                                                     for r in repeats]))
                              for kind in ("wall", "cpu"))
    base_wall, base_cpu = medians["explorer"]
    print(f"LSTMExplorer frame ({STEPS_PER_FRAME} Adam steps + trace + the heatmaps), "
          f"median of {args.repeats} repeats:")
    print(f"  {'':13} {'wall':>9}   {'CPU':>9}   ratio (wall)")
    for name, (wall, cpu) in medians.items():
        print(f"  {name:<13} {wall:6.1f} ms   {cpu:6.1f} ms   "
              f"{wall / base_wall:5.1f}× the explorer")
    print(f"explorer sends {int(np.median(SENT_BYTES))} bytes per frame (message + buffers)")
    picture_cpu = medians["picture only"][1]
    verdict = "meets" if picture_cpu <= 2 else "MISSES"
    print(f"picture only {picture_cpu:.2f} ms (CPU) {verdict} the target of ≤ 2 ms")


if __name__ == "__main__":
    main()
