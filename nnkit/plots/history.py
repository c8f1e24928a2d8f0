"""Lesson 00's picture of §1, the history: a timeline of the ideas this course teaches.

    timeline()                      # a new figure; or timeline(ax) to draw on your own Axes

Each milestone is a dot at its year on a time axis (to scale) and one line of text (evenly
spaced, joined to its dot), naming who, what, and the lesson that teaches it.  The credits follow
the original publications, listed in ``MILESTONES`` with their sources — in particular
backpropagation's 1986 paper is Rumelhart, Hinton & Williams, Nature 323, 533–536 (the course
text's own reference [3]), not the three people its §1 names.
"""
from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.text import Text

from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new

__all__ = ["Milestone", "MILESTONES", "timeline", "TimelineArtists"]


@dataclass(frozen=True)
class Milestone:
    """One step in the history: ``year``, ``who``, ``what`` (a few words), the ``lesson`` file
    that teaches it ("" when no lesson does) and the ``source`` it is credited from."""

    year: int
    who: str
    what: str
    lesson: str
    source: str


MILESTONES: tuple[Milestone, ...] = (
    Milestone(1943, "McCulloch & Pitts", "a neuron as a threshold unit",
              "01_neurons_and_activations.ipynb",
              "A logical calculus of the ideas immanent in nervous activity. "
              "Bulletin of Mathematical Biophysics 5, 115–133"),
    Milestone(1949, "Hebb", "learning = strengthening connections", "",
              "The Organization of Behavior (Wiley)"),
    Milestone(1958, "Rosenblatt", "the perceptron learns its weights", "",
              "The perceptron: a probabilistic model for information storage and organization in "
              "the brain. Psychological Review 65(6), 386–408"),
    Milestone(1969, "Minsky & Papert", "one layer cannot learn XOR",
              "07_playground.ipynb", "Perceptrons (MIT Press)"),
    Milestone(1974, "Werbos", "backpropagation, in a PhD thesis",
              "05_backpropagation.ipynb",
              "Beyond Regression: New Tools for Prediction and Analysis in the Behavioral "
              "Sciences. PhD thesis, Harvard University"),
    Milestone(1986, "Rumelhart, Hinton & Williams", "backprop trains hidden layers",
              "05_backpropagation.ipynb",
              "Learning representations by back-propagating errors. Nature 323, 533–536"),
    Milestone(1989, "LeCun et al.", "a convolutional net reads ZIP codes",
              "12_convolution_and_images.ipynb",
              "Backpropagation applied to handwritten zip code recognition. "
              "Neural Computation 1(4), 541–551"),
    Milestone(1997, "Hochreiter & Schmidhuber", "LSTM: memory over long delays",
              "08_rnn_and_lstm.ipynb",
              "Long short-term memory. Neural Computation 9(8), 1735–1780"),
    Milestone(2012, "Krizhevsky, Sutskever & Hinton", "AlexNet wins ImageNet",
              "12_convolution_and_images.ipynb",
              "ImageNet classification with deep convolutional neural networks. "
              "Advances in Neural Information Processing Systems 25 (NIPS 2012)"),
    Milestone(2014, "Kingma & Ba", "the Adam optimizer",
              "04_gradient_descent.ipynb",
              "Adam: a method for stochastic optimization. arXiv:1412.6980 (ICLR 2015)"),
    Milestone(2017, "Vaswani et al.", "the Transformer (attention)", "09_applications.ipynb",
              "Attention is all you need. Advances in Neural Information Processing Systems 30"),
)


@dataclass
class TimelineArtists(Picture):
    ax: Axes
    labels: list[Text]             # one line per milestone, top (oldest) to bottom


def _lesson_tag(lesson: str) -> str:
    return f"lesson {lesson[:2]}" if lesson else "not taught here"


def timeline(ax: Axes | None = None, milestones: tuple[Milestone, ...] = MILESTONES,
             first_year: int = 1940, last_year: int = 2020,
             fontsize: int = style.FONT_SIZE["annotation"]) -> TimelineArtists:
    """Draw ``milestones`` on a vertical time axis, oldest at the top.

    ax:        an Axes, or None for a new 11 × 7.5-inch figure (legible on a projector).
    first_year, last_year: the time axis's range; every milestone must fall inside it.
    Returns the artists; ``.labels[k]`` is milestone k's line of text.
    """
    if not milestones:
        raise ValueError("milestones is empty: pass at least one Milestone (or leave the default).")
    outside = [m.year for m in milestones if not first_year <= m.year <= last_year]
    if outside:
        raise ValueError(f"milestones with years {outside} fall outside first_year={first_year} "
                         f"… last_year={last_year}: widen the range.")
    ax = axes_or_new(ax, (11, 7.5))
    span = last_year - first_year
    n = len(milestones)
    # the time axis runs down the left (x = 0); text lines are evenly spaced on the right
    ax.plot([0, 0], [first_year, last_year], color="0.35", lw=style.LINE_WIDTH, zorder=1)
    for decade in range(first_year - first_year % 10, last_year + 1, 10):
        if decade >= first_year:
            ax.plot([-0.04, 0], [decade, decade], color="0.35", lw=2)
            ax.text(-0.06, decade, f"{decade}", ha="right", va="center",
                    fontsize=style.FONT_SIZE["tick"], color="0.3")
    blue = style.to_unit(style.POSITIVE_COLOR)
    orange = style.to_unit(style.NEGATIVE_COLOR)
    labels = []
    for k, m in enumerate(sorted(milestones, key=lambda m: m.year)):
        y_text = first_year + span * (k + 0.5) / n
        color = blue if m.lesson else orange
        ax.scatter([0], [m.year], s=style.MARKER_AREA * 1.4, color=color, zorder=3,
                   edgecolor="white", linewidth=1.5)
        ax.plot([0, 0.12, 0.18], [m.year, y_text, y_text], color=color, lw=1.5, zorder=2)
        labels.append(ax.text(
            0.2, y_text, f"{m.year}   {m.who} — {m.what}   ({_lesson_tag(m.lesson)})",
            ha="left", va="center", fontsize=fontsize,
            fontweight="bold" if m.year == 1986 else "normal"))
    ax.set_xlim(-0.3, 2.1)
    ax.set_ylim(last_year + span * 0.02, first_year - span * 0.02)     # oldest at the top
    ax.set_axis_off()
    ax.set_title("Neural networks, 1943–2017: who did what, and where this course teaches it",
                 fontsize=style.FONT_SIZE["title"], loc="left")
    return TimelineArtists(ax, labels)
