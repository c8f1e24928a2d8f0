"""Spectrograms (声谱图) for lesson 13: time across, frequency up, power as darkness.

    spectrogram(ax, x, times, frequencies, title=...)                 # one clip
    spectrogram_grid(axes, vowels, formants=None)                     # one clip per class

``x`` is what ``nnkit.datasets.make_vowels`` returns per clip: (T, F) log-power in dB.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new, label_axes
from nnkit.plots.fonts import figure_text

__all__ = ["spectrogram", "spectrogram_grid", "SpectrogramArtists"]

CMAP = "gray_r"          # dark = loud, as on paper spectrograms
FORMANT_COLOR = "#D55E00"
DYNAMIC_RANGE = 50.0     # dB shown below the loudest point of a picture


@dataclass
class SpectrogramArtists(Picture):
    ax: Axes
    image: AxesImage
    marks: list


def spectrogram(ax: Axes | None, x, times, frequencies, title: str = "",
                formants=None, vmax: float | None = None) -> SpectrogramArtists:
    """Draw one spectrogram x: (T, F) dB over times: (T,) s and frequencies: (F,) Hz.

    formants: optional (K,) frequencies in Hz, marked by short ticks on the right-hand edge.
    vmax: the dB drawn black (default: the loudest point); ``DYNAMIC_RANGE`` dB below is white.
    """
    x, times, frequencies = np.asarray(x, float), np.asarray(times, float), np.asarray(frequencies, float)
    if x.ndim != 2 or x.shape != (len(times), len(frequencies)):
        raise ValueError(f"x must be (T, F) = ({len(times)}, {len(frequencies)}), one row per time "
                         f"and one column per frequency. Received: x of shape {x.shape}.")
    ax = axes_or_new(ax, (5, 4))
    vmax = float(x.max()) if vmax is None else float(vmax)
    step_t = times[1] - times[0] if len(times) > 1 else 1.0
    step_f = frequencies[1] - frequencies[0] if len(frequencies) > 1 else 1.0
    extent = (times[0] - step_t / 2, times[-1] + step_t / 2,
              (frequencies[0] - step_f / 2) / 1000, (frequencies[-1] + step_f / 2) / 1000)
    image = ax.imshow(x.T, origin="lower", aspect="auto", cmap=CMAP, extent=extent,
                      vmin=vmax - DYNAMIC_RANGE, vmax=vmax, interpolation="nearest")
    marks = []
    if formants is not None:
        for k, f in enumerate(np.asarray(formants, float), start=1):
            marks.append(ax.annotate(f"F{k}", xy=(1.0, f / 1000), xycoords=("axes fraction", "data"),
                                     xytext=(6, 0), textcoords="offset points", va="center",
                                     color=FORMANT_COLOR, fontsize=style.FONT_SIZE["annotation"],
                                     fontweight="bold",
                                     arrowprops=dict(arrowstyle="-", color=FORMANT_COLOR, lw=2)))
    label_axes(ax, figure_text("time (s)"), figure_text("frequency (kHz)"), title)
    return SpectrogramArtists(ax, image, marks)


def spectrogram_grid(axes, vowels, index=None, mark_formants: bool = True) -> list[SpectrogramArtists]:
    """One spectrogram per class of ``vowels`` (a ``VowelSet``), in the given row of axes.

    index: which clip to show for each class (default: the first clip of that class).
    mark_formants: tick each clip's own F1, F2, F3 (``vowels.formants``) on the right-hand edge.
    All pictures share one grey scale, so loudness can be compared.
    """
    axes = list(np.ravel(axes))
    n_classes = len(vowels.classes)
    if len(axes) != n_classes:
        raise ValueError(f"axes must hold one Axes per class ({n_classes}). Received {len(axes)}.")
    if index is None:
        index = [int(np.flatnonzero(vowels.y == k)[0]) for k in range(n_classes)]
    vmax = float(vowels.x[index].max())
    artists = []
    for k, (ax, n) in enumerate(zip(axes, index)):
        symbol, word = vowels.classes[vowels.y[n]].split(" ", 1)
        artists.append(spectrogram(ax, vowels.x[n], vowels.times, vowels.frequencies,
                                   title=f"/{symbol}/ {word}",
                                   formants=vowels.formants[n] if mark_formants else None,
                                   vmax=vmax))
        if k:
            ax.set_ylabel("")
    return artists
