"""Sequence tasks for recurrent networks: ``X: (N, T, F)`` — N sequences, T steps, F features.

- ``sine``:   predict the next value of a noisy sine wave (regression, y: (N, 1));
- ``memory``: remember a sign seen once, answer at the end (classification, y: (N,) in {0, 1});
- ``adding``: add the two marked numbers of a long sequence (regression, y: (N, 1)).

Each one is seeded: the same ``seed`` gives identical arrays.  Text for next-character prediction
lives in ``nnkit.datasets.text``.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.datasets.seeding import make_rng

__all__ = ["sine", "memory", "adding"]


def _seq_len(seq_len, minimum: int) -> int:
    seq_len = checks.positive_int("seq_len", seq_len)
    if seq_len < minimum:
        raise ValueError(f"seq_len must be at least {minimum} for this task. "
                         f"Received: seq_len={seq_len}.")
    return seq_len


def sine(n_samples: int = 200, seq_len: int = 20, noise: float = 0.05, period: float = 20.0,
         seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Windows of a sine wave with a random phase φ; the target is the next, clean value.

    x_t = sin(2π·t / period + φ) + ε_t,  ε_t ~ Normal(0, noise²),  for t = 0 … T-1;
    y   = sin(2π·T / period + φ)  (no noise: the best a model can do is denoise and extrapolate).

    period: steps per cycle (> 0).  Returns X: (N, T, 1) float64, y: (N, 1) float64.
    """
    n_samples = checks.positive_int("n_samples", n_samples)
    seq_len = _seq_len(seq_len, 1)
    noise = checks.non_negative_float("noise", noise)
    period = checks.positive_float("period", period, " It counts steps per cycle, e.g. 20.")
    rng = make_rng(seed)
    phase = rng.uniform(0.0, 2 * np.pi, (n_samples, 1))
    clean = np.sin(2 * np.pi * np.arange(seq_len + 1) / period + phase)    # (N, T + 1)
    X = clean[:, :seq_len] + rng.normal(0.0, noise, (n_samples, seq_len))
    return X[:, :, None], clean[:, seq_len:]


def memory(n_samples: int = 512, seq_len: int = 10, store_step: int | None = 0,
           seed: int | None = None, return_store_index: bool = False):
    """The "remember a value" task: see a sign once, keep it through distractors, say it at the end.

    Three features per step:

    - feature 0, the value: a random sign ±1 at every step (distractors), except at the recall step
      where it is 0;
    - feature 1, the store flag: 1 only at the store step — the value there is the one to remember;
    - feature 2, the recall flag: 1 only at the last step, t = T-1.

    Target y = 1 if the stored value is +1, 0 if it is -1 (exactly balanced).  The distractors have
    the same ±1 values as the stored one, so only the store flag tells them apart: the input gate
    must open at the store step, and the forget gate must hold the cell value for the
    ``T - 1 - store_step`` steps until the recall.  A model that reads only the last step is at
    chance.

    store_step: the store position, 0 … T-2 (default 0: the longest gap); None → random per sample.
    return_store_index: also return ``store_index: (N,)`` int64, each sample's store step.
    Returns X: (N, T, 3) float64, y: (N,) int64 [, store_index: (N,) int64].
    """
    n_samples = checks.positive_int("n_samples", n_samples)
    seq_len = _seq_len(seq_len, 2)
    if store_step is not None:
        store_step = checks.non_negative_int("store_step", store_step)
        if store_step > seq_len - 2:
            raise ValueError(f"store_step must lie in 0 … seq_len-2 = {seq_len - 2} (the last step "
                             f"is the recall). Received: store_step={store_step} with "
                             f"seq_len={seq_len}. Pass None for a random store step.")
    return_store_index = checks.boolean("return_store_index", return_store_index)
    rng = make_rng(seed)

    y = rng.permutation(np.arange(n_samples) % 2).astype(np.int64)
    if store_step is None:
        store_index = rng.integers(0, seq_len - 1, n_samples)
    else:
        store_index = np.full(n_samples, store_step)
    store_index = store_index.astype(np.int64)

    rows = np.arange(n_samples)
    X = np.zeros((n_samples, seq_len, 3))
    X[:, :, 0] = rng.choice([-1.0, 1.0], (n_samples, seq_len))
    X[rows, store_index, 0] = 2.0 * y - 1.0       # y = 1 ↔ +1, y = 0 ↔ -1
    X[rows, store_index, 1] = 1.0
    X[:, -1, 0] = 0.0
    X[:, -1, 2] = 1.0
    if return_store_index:
        return X, y, store_index
    return X, y


def adding(n_samples: int = 512, seq_len: int = 20,
           seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The adding problem (Hochreiter & Schmidhuber, 1997): sum the two marked numbers.

    Feature 0: numbers uniform in [0, 1); feature 1: a marker, 1 at exactly two steps — one in the
    first half (t < T // 2) and one in the second half — and 0 elsewhere.
    Target y = the sum of the two marked numbers, in [0, 2).  Always predicting 1 gives a mean
    squared error of about 1/6 ≈ 0.167: the baseline a recurrent network has to beat.
    Returns X: (N, T, 2) float64, y: (N, 1) float64.
    """
    n_samples = checks.positive_int("n_samples", n_samples)
    seq_len = _seq_len(seq_len, 2)
    rng = make_rng(seed)
    half = seq_len // 2
    X = np.zeros((n_samples, seq_len, 2))
    X[:, :, 0] = rng.uniform(0.0, 1.0, (n_samples, seq_len))
    rows = np.arange(n_samples)
    X[rows, rng.integers(0, half, n_samples), 1] = 1.0
    X[rows, rng.integers(half, seq_len, n_samples), 1] = 1.0
    y = (X[:, :, 0] * X[:, :, 1]).sum(axis=1, keepdims=True)
    return X, y
