"""Keras's ``keras.utils`` helpers: ``to_categorical`` and ``set_random_seed``.

``set_random_seed(42)`` makes what follows reproducible, as in Keras: it seeds Python's
``random`` and NumPy's global ``np.random``, and every ``Sequential(seed=None)`` made after it
takes its seed from a generator started at 42 — so the same program gives the same models,
weights and training runs.  (nnkit's own way is ``Sequential(seed=0)`` per model.)
"""
from __future__ import annotations

import random

import numpy as np

from nnkit import checks
from nnkit.datasets.labels import to_categorical

__all__ = ["to_categorical", "set_random_seed", "draw_seed"]

_seeds: np.random.Generator | None = None      # set by set_random_seed


def set_random_seed(seed: int) -> None:
    """Seed Python's ``random``, NumPy's ``np.random`` and the seeds of models made next."""
    global _seeds
    seed = checks.non_negative_int("seed", seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    _seeds = np.random.default_rng([seed, 7])


def draw_seed() -> int:
    """A model's seed when none is given: the next from ``set_random_seed``'s generator, or a
    fresh one from the operating system if it was never called."""
    if _seeds is not None:
        return int(_seeds.integers(2**31))
    return int(np.random.SeedSequence().entropy % (2**31))
