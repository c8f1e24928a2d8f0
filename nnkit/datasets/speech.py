"""Synthetic spoken vowels for lesson 13 (§5.3 speech recognition, 语音识别) — made on the fly.

A vowel is a buzz shaped by the throat and mouth (the source–filter model of speech):

1. **source** — the vocal folds open and close f0 times a second (f0, the pitch, 基频): a train of
   pulses at f0, softened so that higher harmonics are weaker;
2. **filter** — the vocal tract resonates at a few frequencies, the **formants** F1, F2, F3
   (共振峰); each is a two-pole digital resonator (Klatt 1980)::

       y[n] = A·x[n] + B·y[n-1] + C·y[n-2],
       C = -exp(-2π·bw/fs),  B = 2·exp(-π·bw/fs)·cos(2π·F/fs),  A = 1 - B - C

   (F the formant frequency, bw its bandwidth, both in Hz; fs the sample rate);
3. **spectrogram** (声谱图) — ``scipy.signal.spectrogram``: the power in each frequency band of
   each short, overlapping window, in decibels.  A vowel shows as dark horizontal bands at its
   formants; which vowel it is depends mostly on F1 and F2.

The formant table is the average of adult men in Peterson & Barney (1952), "Control methods used
in a study of the vowels", J. Acoust. Soc. Am. 24(2), 175–184, Table II.  Each synthetic speaker
scales all three formants by one random factor (shorter vocal tracts — women, children — have
higher formants) and each formant by a smaller random jitter, so the classes overlap a little, as
real speakers' vowels do.  The bandwidths (80, 100, 150 Hz) are typical magnitudes, not from the
table.  Klatt, D. H. (1980), "Software for a cascade/parallel formant synthesizer", J. Acoust.
Soc. Am. 67(3), 971–995, gives the resonator.

Nothing is downloaded; ``seed`` makes it reproducible: the same seed gives identical arrays.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nnkit import checks
from nnkit.datasets.seeding import make_rng

__all__ = ["VOWELS", "FORMANTS", "VowelSet", "make_vowels", "synthesize_vowel"]

#: The five vowels (IPA symbol, the English word Peterson & Barney recorded it in).
VOWELS = ("i (heed)", "ɛ (head)", "ɑ (hod)", "u (who'd)", "ɝ (heard)")

#: (F1, F2, F3) in Hz, adult men, Peterson & Barney (1952), Table II — one row per vowel in VOWELS.
FORMANTS = np.array([[270, 2290, 3010],
                     [530, 1840, 2480],
                     [730, 1090, 2440],
                     [300, 870, 2240],
                     [490, 1350, 1690]], dtype=float)

BANDWIDTHS = np.array([80.0, 100.0, 150.0])    # Hz, of F1, F2, F3
SAMPLE_RATE = 8000                              # Hz: telephone quality, frequencies up to 4 kHz
WINDOW = 128                                    # samples per spectrogram window: 16 ms
HOP = 64                                        # samples between windows: 8 ms
HIGHEST_FORMANT = 3800.0                        # Hz: below fs / 2 = 4000 Hz, where a resonator folds


class VowelSet(NamedTuple):
    """What ``make_vowels`` returns (N clips, T spectrogram frames, F frequency bands, S samples).

    x:           (N, T, F) float — log-power spectrograms in dB (10·log10 of the power),
                 frame by frame: ``x[n, t]`` is the spectrum of clip n around time ``times[t]``.
    y:           (N,) int — the vowel of each clip, an index into ``classes``.
    waves:       (N, S) float — the sound itself, pressure in arbitrary units (peak ≤ about 1).
    times:       (T,) float — the centre of each spectrogram frame, in seconds.
    frequencies: (F,) float — the centre of each frequency band, in Hz (0 to sample_rate / 2).
    formants:    (N, 3) float — the F1, F2, F3 each clip was made with, in Hz.
    pitch:       (N,) float — the pitch f0 of each clip, in Hz.
    classes:     the vowel names (``VOWELS``).
    sample_rate: samples per second of ``waves``, in Hz.
    """
    x: np.ndarray
    y: np.ndarray
    waves: np.ndarray
    times: np.ndarray
    frequencies: np.ndarray
    formants: np.ndarray
    pitch: np.ndarray
    classes: tuple
    sample_rate: int


def synthesize_vowel(formants, f0: float, n_samples: int, sample_rate: int = SAMPLE_RATE,
                     rng: np.random.Generator | None = None) -> np.ndarray:
    """One vowel: a pulse train at pitch ``f0`` (Hz) through resonators at ``formants`` (Hz).

    formants: (3,) F1, F2, F3 in Hz.  The pitch wobbles by ±2 % (vibrato) when ``rng`` is given.
    Returns (n_samples,) float, scaled to a peak of 1.
    """
    from scipy import signal        # here, not at the top: scipy.signal takes a while to import
    t = np.arange(n_samples) / sample_rate
    wobble = np.zeros(n_samples) if rng is None else \
        0.02 * np.sin(2 * np.pi * rng.uniform(3, 6) * t + rng.uniform(0, 2 * np.pi))
    phase = np.cumsum(f0 * (1 + wobble)) / sample_rate            # glottal cycles so far
    pulses = np.diff(np.floor(phase), prepend=0.0)                # 1 at the start of each cycle
    source = signal.lfilter([1.0], [1.0, -1.9, 0.9025], pulses)   # two poles at 0.95: soft pulses
    sound = source
    for frequency, bandwidth in zip(formants, BANDWIDTHS):        # the vocal tract, in cascade
        c = -np.exp(-2 * np.pi * bandwidth / sample_rate)
        b = 2 * np.exp(-np.pi * bandwidth / sample_rate) * np.cos(2 * np.pi * frequency / sample_rate)
        sound = signal.lfilter([1 - b - c], [1.0, -b, -c], sound)
    sound = np.diff(sound, prepend=0.0)                           # radiation from the lips
    return sound / np.abs(sound).max()


def make_vowels(n_samples: int = 500, *, noise: float = 0.05, duration: float = 0.35,
                seed: int | None = None) -> VowelSet:
    """Clips of five synthetic spoken vowels, and their spectrograms (see the module docstring).

    Each clip lasts ``duration`` seconds and holds one vowel, spoken with

    - a random pitch f0 from 85 to 255 Hz (low men's to children's voices);
    - random formants: the table's (Peterson & Barney 1952) × a speaker factor from 0.85 to 1.25,
      × an own factor from 0.92 to 1.08 per formant, at most 3 800 Hz (below fs / 2);
    - a random length (40 % to 85 % of the clip), start and loudness (peak 0.3 to 1), with 20 ms
      fade-in and fade-out;
    - background noise: white Gaussian noise of standard deviation ``noise`` over the whole clip.

    The classes take turns (clip n is vowel n mod 5), so every class has n_samples / 5 clips, ± 1.
    Returns a ``VowelSet`` (x: (N, T, F) spectrograms in dB, y: (N,) labels, waves: (N, S), …);
    with the defaults T = 42 frames of 8 ms and F = 65 bands of 62.5 Hz.
    """
    from scipy import signal

    n_samples = checks.positive_int("n_samples", n_samples)
    noise = checks.non_negative_float("noise", noise)
    duration = checks.real("duration", duration, 0.1, 2.0)
    rng = make_rng(seed)
    n_points = int(round(duration * SAMPLE_RATE))
    fade = int(0.02 * SAMPLE_RATE)
    y = np.arange(n_samples) % len(VOWELS)
    waves = np.zeros((n_samples, n_points))
    formants, pitch = np.zeros((n_samples, 3)), np.zeros(n_samples)
    for n, vowel in enumerate(y):
        formants[n] = FORMANTS[vowel] * rng.uniform(0.85, 1.25) * rng.uniform(0.92, 1.08, 3)
        formants[n] = np.minimum(formants[n], HIGHEST_FORMANT)   # a resonance must stay below fs/2
        pitch[n] = rng.uniform(85, 255)
        length = int(rng.uniform(0.4, 0.85) * n_points)
        start = rng.integers(0, n_points - length + 1)
        sound = synthesize_vowel(formants[n], pitch[n], length, rng=rng)
        ramp = np.ones(length)
        ramp[:fade] = ramp[-fade:][::-1] = 0.5 - 0.5 * np.cos(np.pi * np.arange(fade) / fade)
        waves[n, start:start + length] = rng.uniform(0.3, 1.0) * ramp * sound
    waves += rng.normal(0.0, noise, waves.shape)
    frequencies, times, power = signal.spectrogram(waves, fs=SAMPLE_RATE, window="hann",
                                                   nperseg=WINDOW, noverlap=WINDOW - HOP, axis=-1)
    x = 10 * np.log10(power + 1e-10)                    # (N, F, T) in dB; the floor avoids log(0)
    return VowelSet(x.transpose(0, 2, 1), y, waves, times, frequencies, formants, pitch, VOWELS,
                    SAMPLE_RATE)
