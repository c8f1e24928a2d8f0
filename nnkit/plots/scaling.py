"""Lesson 10's two measurements: accuracy against the amount of data, time against the size.

    accuracy_vs_data(ax, sizes, train_acc, test_acc)              # Q1: why so much data?
    time_vs_parameters(ax, parameters, milliseconds, widths)      # Q2: why so much compute?
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

from nnkit.plots.canvas import Picture, label_axes
from nnkit.plots.fonts import figure_text

__all__ = ["accuracy_vs_data", "time_vs_parameters", "ScalingArtists"]

SEEN, NEW = "#0072B2", "#D55E00"


@dataclass
class ScalingArtists(Picture):
    ax: Axes
    lines: list


def accuracy_vs_data(ax: Axes, sizes, train_acc, test_acc) -> ScalingArtists:
    """Mean training and test accuracy against the number of training examples (log scale).

    sizes: (S,) numbers of training examples; train_acc, test_acc: (S, R) accuracies of R
    repeats per size.  The band spans the lowest to the highest test accuracy of the repeats.
    """
    sizes = np.asarray(sizes)
    train_acc, test_acc = np.atleast_2d(train_acc), np.atleast_2d(test_acc)
    if train_acc.shape[0] != len(sizes) or test_acc.shape != train_acc.shape:
        raise ValueError(f"train_acc and test_acc must be ({len(sizes)}, repeats), one row per "
                         f"size. Received: {train_acc.shape} and {test_acc.shape}.")
    repeats = test_acc.shape[1]
    lines = ax.plot(sizes, train_acc.mean(axis=1), "o-", lw=3, color=SEEN,
                    label=figure_text("training images (seen)"))
    lines += ax.plot(sizes, test_acc.mean(axis=1), "s--", lw=3, color=NEW,
                     label=figure_text("test images (new)"))
    ax.fill_between(sizes, test_acc.min(axis=1), test_acc.max(axis=1), color=NEW, alpha=0.2,
                    label=figure_text("test: lowest to highest of {repeats} subsets").format(
                        repeats=repeats))
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes])
    ax.set_ylim(min(0.5, float(test_acc.min()) - 0.02), 1.02)
    ax.grid(alpha=0.3)
    label_axes(ax, figure_text("number of training images (log scale)"), figure_text("accuracy"),
               figure_text("More examples: the gap between seen and new closes"))
    ax.legend(fontsize=13, loc="lower right")
    return ScalingArtists(ax, lines)


def time_vs_parameters(ax: Axes, parameters, milliseconds, widths=None) -> ScalingArtists:
    """Time per epoch against parameters, both on log scales, with a line ∝ parameters.

    parameters, milliseconds: (S,) one pair per network; widths: (S,) labels "w = …" (optional).
    The dotted line goes through the median ms-per-parameter of the three largest networks.
    """
    parameters, ms = np.asarray(parameters, dtype=float), np.asarray(milliseconds, dtype=float)
    if parameters.shape != ms.shape or parameters.ndim != 1:
        raise ValueError(f"parameters and milliseconds must be two 1-D arrays of one length. "
                         f"Received: {parameters.shape} and {ms.shape}.")
    per_parameter = np.median(ms[-3:] / parameters[-3:])
    lines = ax.loglog(parameters, ms, "o-", lw=3, ms=9, color=SEEN,
                      label=figure_text("measured, one core"))
    lines += ax.loglog(parameters, per_parameter * parameters, ":", lw=3, color="0.4",
                       label=figure_text("proportional to the parameters"))
    if widths is not None:
        for w, p, t in zip(widths, parameters, ms):
            ax.annotate(f"w = {w}", (p, t), textcoords="offset points", xytext=(0, 12),
                        ha="center", fontsize=13)
    plain = FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 1 else f"{value:g}")
    ax.xaxis.set_major_formatter(plain)
    ax.yaxis.set_major_formatter(plain)
    ax.set_ylim(ms.min() / 3, ms.max() * 3)                 # room for the labels
    ax.grid(alpha=0.3, which="major")
    label_axes(ax, figure_text("parameters (log scale)"),
               figure_text("milliseconds per epoch (log scale)"),
               figure_text("Training time grows with the size of the network"))
    ax.legend(fontsize=13, loc="upper left")
    return ScalingArtists(ax, lines)
