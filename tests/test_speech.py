"""nnkit.datasets.speech (make_vowels, synthesize_vowel) and nnkit.plots.spectrogram.

The spectrogram is recomputed here from the waveform with NumPy's FFT, independently of
scipy.signal; the formants are found again in the sound's spectrum.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnkit.datasets import make_vowels  # noqa: E402
from nnkit.datasets.speech import (FORMANTS, HOP, SAMPLE_RATE, VOWELS, WINDOW,  # noqa: E402
                                   synthesize_vowel)
from nnkit.plots.spectrogram import spectrogram, spectrogram_grid  # noqa: E402


@pytest.fixture(scope="module")
def vowels():
    return make_vowels(60, noise=0.05, seed=3)


def test_shapes_units_and_balanced_classes(vowels):
    n_points = int(0.35 * SAMPLE_RATE)                       # 2800 samples of 1/8000 s
    n_frames = (n_points - WINDOW) // HOP + 1                # 42 windows of 128, every 64
    assert vowels.waves.shape == (60, n_points)
    assert vowels.x.shape == (60, n_frames, WINDOW // 2 + 1) == (60, 42, 65)
    assert vowels.y.dtype.kind == "i" and np.bincount(vowels.y).tolist() == [12] * 5
    np.testing.assert_allclose(vowels.frequencies, np.arange(65) * 62.5)          # Hz
    np.testing.assert_allclose(vowels.times, (WINDOW / 2 + HOP * np.arange(42)) / SAMPLE_RATE)
    assert vowels.classes == VOWELS and vowels.sample_rate == SAMPLE_RATE
    assert vowels.formants.shape == (60, 3) and vowels.pitch.shape == (60,)


def test_formants_and_pitch_lie_in_the_documented_ranges(vowels):
    ratio = vowels.formants / FORMANTS[vowels.y]             # speaker factor × own jitter
    assert np.all(ratio >= 0.85 * 0.92 - 1e-12) and np.all(ratio <= 1.25 * 1.08 + 1e-12)
    assert vowels.formants.max() <= 3800                     # below half the sample rate
    assert np.all((vowels.pitch >= 85) & (vowels.pitch <= 255))


def test_a_formant_above_3800_Hz_is_held_at_3800():
    many = make_vowels(200, seed=0)                          # /i/'s F3 3010 Hz × up to 1.35
    capped = many.formants[:, 2] == 3800
    assert capped.any() and np.all(many.y[capped] == 0)


def test_same_seed_same_clips_other_seed_other_clips():
    a, b, c = make_vowels(10, seed=1), make_vowels(10, seed=1), make_vowels(10, seed=2)
    np.testing.assert_array_equal(a.waves, b.waves)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.allclose(a.waves, c.waves)


def test_noise_is_white_gaussian_of_the_given_standard_deviation():
    clean, noisy = make_vowels(20, noise=0.0, seed=5), make_vowels(20, noise=0.1, seed=5)
    difference = noisy.waves - clean.waves                   # the same clips, the noise drawn last
    assert abs(difference.std() - 0.1) < 0.002 and abs(difference.mean()) < 0.002
    assert np.abs(clean.waves).max() <= 1.0
    assert np.mean(clean.waves == 0.0) > 0.1                 # silence before and after each vowel


def test_spectrogram_equals_a_hann_window_fft_of_the_wave(vowels):
    """x[n, t, f] = 10 log10 of the one-sided power density of window t (mean removed)."""
    n, t = 7, 20
    segment = vowels.waves[n, t * HOP: t * HOP + WINDOW]
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(WINDOW) / WINDOW)   # periodic Hann
    spectrum = np.fft.rfft((segment - segment.mean()) * window)
    density = np.abs(spectrum) ** 2 / (SAMPLE_RATE * (window ** 2).sum())
    density[1:-1] *= 2                                        # one-sided: fold negative frequencies
    np.testing.assert_allclose(vowels.x[n, t], 10 * np.log10(density + 1e-10), atol=1e-6)


@pytest.mark.parametrize("vowel", range(len(VOWELS)))
def test_the_sound_is_loud_at_F1_and_F2_and_quiet_between_them(vowel):
    """Harmonics of f0 = 100 Hz: where F1 and F2 lie far apart, the harmonics nearest them stand
    10 dB over the valley between them; the loudest harmonic sits at a formant."""
    f1, f2, _ = FORMANTS[vowel]
    sound = synthesize_vowel(FORMANTS[vowel], f0=100.0, n_samples=SAMPLE_RATE)   # 1 s
    level = 20 * np.log10(np.abs(np.fft.rfft(sound)) + 1e-12)   # 1 Hz per bin
    def harmonic(f):
        return level[int(round(f / 100)) * 100]
    valley = min(harmonic(f) for f in np.arange(f1 + 150, f2 - 150, 100)) if f2 - f1 > 800 \
        else None
    if valley is not None:
        assert harmonic(f1) > valley + 10 and harmonic(f2) > valley + 10
    # the loudest harmonic under 1.2 kHz is within 150 Hz of F1 (or of F2 when it is that low)
    loudest = 100 * (1 + np.argmax([level[100 * k] for k in range(1, 12)]))
    assert min(abs(loudest - f1), abs(loudest - f2)) <= 150


@pytest.mark.parametrize("kwargs, words", [
    ({"n_samples": 0}, "n_samples"), ({"n_samples": 2.5}, "n_samples"),
    ({"noise": -0.1}, "noise"), ({"duration": 5.0}, "duration"), ({"seed": -1}, "seed")])
def test_bad_arguments_are_named(kwargs, words):
    with pytest.raises((ValueError, TypeError), match=words):
        make_vowels(**{"n_samples": 5, **kwargs})


def test_spectrogram_grid_draws_one_picture_per_class_on_one_scale(vowels):
    fig, axes = plt.subplots(1, 5)
    artists = spectrogram_grid(axes, vowels)
    assert [a.ax.get_title() for a in artists] == ["/i/ (heed)", "/ɛ/ (head)", "/ɑ/ (hod)",
                                                   "/u/ (who'd)", "/ɝ/ (heard)"]
    first = [int(np.flatnonzero(vowels.y == k)[0]) for k in range(5)]
    for a, n in zip(artists, first):
        np.testing.assert_array_equal(a.image.get_array(), vowels.x[n].T)   # frequency up
        assert a.image.get_clim() == (vowels.x[first].max() - 50, vowels.x[first].max())
        assert [m.get_text() for m in a.marks] == ["F1", "F2", "F3"]
        np.testing.assert_allclose([m.xy[1] for m in a.marks], vowels.formants[n] / 1000)
    left, right, bottom, top = artists[0].image.get_extent()
    assert bottom < 0 < 4.0 < top and left < vowels.times[0] < vowels.times[-1] < right
    plt.close(fig)


def test_spectrogram_refuses_a_transposed_array(vowels):
    with pytest.raises(ValueError, match=r"x must be \(T, F\) = \(42, 65\)"):
        spectrogram(None, vowels.x[0].T, vowels.times, vowels.frequencies)
    with pytest.raises(ValueError, match="one Axes per class"):
        spectrogram_grid(plt.subplots(1, 3)[1], vowels)
    plt.close("all")


def test_spectrogram_without_axes_makes_its_own_figure(vowels):
    picture = spectrogram(None, vowels.x[0], vowels.times, vowels.frequencies, title="clip 0")
    assert picture._repr_png_().startswith(b"\x89PNG")
