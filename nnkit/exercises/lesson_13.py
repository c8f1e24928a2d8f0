"""Lesson 13 · Speech, the future, brains: quantizing a weight array to b bits.

- ``check_quantize(my_quantize)``: ``my_quantize(W, bits)`` returns ``(q, s)``, the symmetric
  per-tensor quantization of W (any shape) — s = max|W| / (2^(b-1) - 1), q = round(W / s), whole
  numbers in [-(2^(b-1) - 1), 2^(b-1) - 1] — as ``nnkit.quantization.quantize_array`` computes it.
"""
from __future__ import annotations

import numpy as np

from nnkit.exercises.feedback import Hint, as_array, call, checker, matches, named, register_solution

__all__ = ["check_quantize"]


@register_solution("quantize")
def quantize(W, bits):
    """W: weights of any shape; bits: e.g. 8 → (q: whole numbers, same shape as W; s: the scale)."""
    levels = 2 ** (bits - 1) - 1            # 127 for 8 bits: the integers -127 … 127
    s = np.abs(W).max() / levels            # the largest |weight| becomes ±levels
    q = np.round(W / s)                     # the nearest step
    return q, s


CASES = [  # (W, bits): a negative weight is the largest in size; then a positive one; then 4 bits
    (np.array([[0.5, -1.27], [0.03, 0.9]]), 8),
    (np.array([0.2, -0.05, 0.7, 0.349, -0.3]), 8),
    (np.array([[0.5, -1.27], [0.03, 0.9]]), 4),
]


def _pair(got, what: str):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        shown = f"an array of shape {np.shape(got)}" if isinstance(got, np.ndarray) else \
            f"{type(got).__name__} {got!r:.40}"
        raise Hint(f"{what} returned {shown}; it should return two things, `return q, s`: the "
                   f"whole numbers q and the scale s.")
    q, s = got
    if np.ndim(q) == 0 and np.ndim(s) > 0:
        raise Hint(f"{what} returned the scale first: return q (the array) then s (one number), "
                   f"`return q, s`.")
    return as_array(q, what + "[0] (q)"), as_array(s, what + "[1] (s)")


@checker("quantize")
def check_quantize(my_quantize) -> str:
    """Check ``my_quantize(W, bits)`` at 8 and 4 bits, on arrays whose largest weight is ±."""
    for W, bits in CASES:
        what = named(my_quantize, f"(W, bits={bits})")
        q, s = _pair(call(my_quantize, W, bits, what=what), what)
        levels = 2 ** (bits - 1) - 1
        s_right = np.abs(W).max() / levels
        if q.shape != W.shape:
            raise Hint(f"{what}: q has shape {q.shape}; it should have W's shape {W.shape}, one "
                       f"whole number per weight.")
        if s.size != 1:
            raise Hint(f"{what}: s has shape {s.shape}; it should be one number for the whole "
                       f"array (per-tensor scale): s = max|W| / (2^(b-1) - 1).")
        s = float(s)
        if np.abs(q).max() <= 1.01 * np.abs(W).max():
            raise Hint(f"{what}: q is in the units of the weights (its largest entry is "
                       f"{np.abs(q).max():.4g}) — did you return s·q, or W itself? q is the whole "
                       f"numbers round(W / s), up to ±{levels} at {bits} bits.")
        if not np.isclose(s, s_right, rtol=1e-6):
            if np.isclose(s, W.max() / levels):
                raise Hint(f"{what}: s = {s:.6g} comes from the largest weight, max W = {W.max():g}; "
                           f"here the largest *in size* is {W.flat[np.abs(W).argmax()]:g}. "
                           f"Use max|W| (np.abs(W).max()), or that weight falls outside the range.")
            for wrong, name in ((2 ** bits, "2^b"), (2 ** bits - 1, "2^b - 1"),
                                (2 ** (bits - 1), "2^(b-1)")):
                if np.isclose(s, np.abs(W).max() / wrong):
                    raise Hint(f"{what}: s = max|W| / {wrong} ({name}); symmetric b-bit integers "
                               f"run from -(2^(b-1) - 1) to 2^(b-1) - 1, so divide by "
                               f"2^(b-1) - 1 = {levels}.")
            if np.isclose(s, levels / np.abs(W).max()):
                raise Hint(f"{what}: s = {s:.6g} is upside down: s = max|W| / {levels} is the size "
                           f"of one step in weight units (small), so that W ≈ s·q.")
            raise Hint(f"{what}: s = {s:.6g}; it should be max|W| / (2^(b-1) - 1) = "
                       f"{np.abs(W).max():g} / {levels} = {s_right:.6g}.")
        right = np.round(W / s_right)
        if not np.allclose(q, np.round(q)):
            raise Hint(f"{what}: q holds fractions such as {q.flat[np.argmax(np.abs(q - np.round(q)))]:.4g}; "
                       f"round W / s to the nearest whole number (np.round).")
        if matches(q, np.trunc(W / s_right)) and not matches(q, right):
            raise Hint(f"{what}: q is W / s cut towards zero (int(), astype(int) or np.trunc do "
                       f"that); round to the *nearest* whole number with np.round, which halves "
                       f"the largest error.")
        if matches(q, np.floor(W / s_right)) and not matches(q, right):
            raise Hint(f"{what}: q is W / s rounded down (np.floor); round to the nearest whole "
                       f"number with np.round.")
        bad = ~np.isclose(q, right)
        if bad.any():
            i = tuple(int(k) for k in np.argwhere(bad)[0])
            raise Hint(f"{what}: q{list(i)} is {q[i]:g}; W{list(i)} / s = {W[i] / s_right:.4g}, "
                       f"which rounds to {right[i]:g}.")
    return ("q = round(W / s) with s = max|W| / (2^(b-1) - 1): the largest weight lands on "
            "±(2^(b-1) - 1) and every weight moves by at most s / 2 when it becomes s·q.")
