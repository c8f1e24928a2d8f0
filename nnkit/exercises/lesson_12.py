"""Lesson 12 · Convolution and images: a 2-D cross-correlation written by hand.

- ``check_correlate2d(my_correlate2d)``: ``my_correlate2d(image, kernel)`` → the "valid"
  cross-correlation of an (H, W) image with a (k_h, k_w) kernel, shape (H - k_h + 1, W - k_w + 1):
  z[i, j] = Σ_u Σ_v image[i + u, j + v] · kernel[u, v] — what one filter of ``Conv2D`` computes
  on one channel (stride 1, padding "valid", no bias), and what ``scipy.signal.correlate2d``
  gives with ``mode="valid"``.
"""
from __future__ import annotations

import numpy as np

from nnkit.exercises.feedback import (Hint, call, checker, expect_close, expect_shape, matches,
                                      named, register_solution)

__all__ = ["check_correlate2d"]


@register_solution("correlate2d")
def correlate2d(image, kernel):
    """image: (H, W), kernel: (k_h, k_w) → (H - k_h + 1, W - k_w + 1), stride 1, no padding."""
    H, W = image.shape
    kh, kw = kernel.shape
    z = np.zeros((H - kh + 1, W - kw + 1))
    for i in range(H - kh + 1):
        for j in range(W - kw + 1):
            patch = image[i:i + kh, j:j + kw]          # the k_h × k_w patch under the kernel
            z[i, j] = np.sum(patch * kernel)           # one weighted sum, the same weights everywhere
    return z


CASES = [  # a small image a learner can check by hand; a non-square one with a non-square kernel
    (np.arange(16.0).reshape(4, 4), np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])),
    (np.random.default_rng(12).normal(size=(6, 5)), np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])),
]


def _padded_same(image, kernel):
    """The 'same' result (zeros around the image): the slip of padding when asked for 'valid'."""
    kh, kw = kernel.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    padded = np.pad(image, ((top, kh - 1 - top), (left, kw - 1 - left)))
    return correlate2d(padded, kernel)


@checker("correlate2d")
def check_correlate2d(my_correlate2d) -> str:
    """Check ``my_correlate2d(image, kernel)`` on a 4 × 4 and a 6 × 5 image."""
    for image, kernel in CASES:
        H, W = image.shape
        kh, kw = kernel.shape
        what = named(my_correlate2d, f"(image {H}×{W}, kernel {kh}×{kw})")
        got = np.asarray(call(my_correlate2d, image.copy(), kernel.copy(), what=what), dtype=float)
        expected = correlate2d(image, kernel)
        if got.shape == image.shape and matches(got, _padded_same(image, kernel)):
            raise Hint(f"{what} padded the image with zeros ('same' size {image.shape}). Here the "
                       f"kernel stays inside the image ('valid'): {expected.shape} positions.")
        if got.shape in ((H - kh, W - kw), (H - kh + 2, W - kw + 2)):
            raise Hint(f"{what} has shape {got.shape}, one off from {expected.shape}: the kernel "
                       f"fits at i = 0 … H - k_h, that is H - k_h + 1 positions "
                       f"(range(H - kh + 1)).")
        got = expect_shape(got, expected.shape, what,
                           "One value per position where the kernel fits: (H - k_h + 1, W - k_w + 1).")
        if matches(got, correlate2d(image, kernel[::-1, ::-1])):
            raise Hint(f"{what} flipped the kernel: that is the convolution of mathematics. Conv2D "
                       f"(like Keras and PyTorch) does not flip: multiply image[i + u, j + v] by "
                       f"kernel[u, v].")
        if kh == kw and matches(got, correlate2d(image, kernel.T)):
            raise Hint(f"{what} used the kernel transposed: kernel[u, v] goes with image[i + u, "
                       f"j + v], u along the rows and v along the columns.")
        expect_close(got, expected, what)
    return ("the same k_h × k_w weights, multiplied with every patch and summed: one filter of "
            "Conv2D on one channel. Conv2D adds the channels' sums and a bias, then the activation.")
