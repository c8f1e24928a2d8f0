"""One rule for randomness in every data set: ``seed`` → ``np.random.default_rng(seed)``.

The same seed gives the same arrays on every run and machine, so a lesson's picture is the learner's
picture; ``seed=None`` draws fresh entropy and gives new data each call.
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["make_rng"]


def make_rng(seed: int | None) -> np.random.Generator:
    """Return a NumPy ``Generator`` for ``seed`` (an integer ≥ 0, or None for fresh randomness)."""
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer ≥ 0 or None. Received: seed={seed!r} "
                        f"(type {type(seed).__name__}).")
    if seed < 0:
        raise ValueError(f"seed must be an integer ≥ 0 or None. Received: seed={seed}.")
    return np.random.default_rng(int(seed))
