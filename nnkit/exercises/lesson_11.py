"""Lesson 11 · From nnkit to Keras and PyTorch: moving trained weights between libraries.

- ``check_to_torch(my_to_torch)``: ``my_to_torch(weights)`` takes ``model.get_weights()`` of an
  nnkit (or Keras) MLP, ``[W_1 (in, out), b_1 (out,), …]``, and returns the same numbers in the
  order and layout PyTorch's ``nn.Linear`` keeps them: ``[weight_1 (out, in), bias_1 (out,), …]``.
  Keras's ``Dense`` kernel has nnkit's (in, out) layout, so Keras needs no change at all.
"""
from __future__ import annotations

import numpy as np

from nnkit.exercises.feedback import (Hint, call, checker, expect_close, named,
                                      register_solution)

__all__ = ["check_to_torch"]


@register_solution("to_torch")
def to_torch(weights):
    """[W_1 (in, out), b_1, …] → [W_1ᵀ (out, in), b_1, …] for nn.Linear's weight and bias."""
    converted = []
    for i, w in enumerate(weights):
        w = np.asarray(w)
        converted.append(w.T.copy() if i % 2 == 0 else w.copy())   # W: transpose; b: as it is
    return converted


@checker("to_torch")
def check_to_torch(my_to_torch) -> str:
    """Check ``my_to_torch(weights)`` on the weights of a 4-8-3 MLP."""
    rng = np.random.default_rng(11)
    weights = [rng.normal(size=(4, 8)), rng.normal(size=8), rng.normal(size=(8, 3)),
               rng.normal(size=3)]
    what = named(my_to_torch, "(weights)")
    got = call(my_to_torch, weights, what=what)
    if got is None:
        raise Hint(f"{what} returned None — is a `return` missing?")
    try:
        got = list(got)
    except TypeError:
        raise Hint(f"{what} returned a {type(got).__name__}; return a list of arrays, one per "
                   f"weight, in the same order as get_weights().") from None
    expected = to_torch(weights)
    if len(got) != len(expected):
        raise Hint(f"{what} returned {len(got)} arrays; a 4-8-3 MLP has {len(expected)}: "
                   f"weight and bias for each of its two Linear layers, in that order.")
    names = ["weight of layer 1", "bias of layer 1", "weight of layer 2", "bias of layer 2"]
    for name, mine, want, original in zip(names, got, expected, weights):
        mine = np.asarray(mine, dtype=float)
        if mine.shape == original.shape and original.ndim == 2:
            raise Hint(f"the {name} has shape {mine.shape}, nnkit's (in, out) layout. "
                       f"nn.Linear({original.shape[0]}, {original.shape[1]}).weight has shape "
                       f"{want.shape} = (out_features, in_features): transpose it, W.T.")
        if mine.shape != want.shape:
            raise Hint(f"the {name} has shape {mine.shape}; nn.Linear keeps it as {want.shape}.")
        expect_close(mine, want, f"the {name}")
    return ("each W is transposed to nn.Linear's (out_features, in_features) and each bias "
            "is kept: torch's layer now computes x Wᵀ + b = the same numbers as nnkit's h W + b.")
