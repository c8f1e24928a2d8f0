"""Lesson 11 · From nnkit to Keras and PyTorch: moving trained weights between libraries.

- ``check_to_torch(my_to_torch)``: ``my_to_torch(weights)`` takes ``model.get_weights()`` of an
  nnkit (or Keras) MLP, ``[W_1 (in, out), b_1 (out,), …]``, and returns the same numbers in the
  order and layout PyTorch's ``nn.Linear`` keeps them: ``[weight_1 (out, in), bias_1 (out,), …]``.
  Keras's ``Dense`` kernel has nnkit's (in, out) layout, so Keras needs no change at all.
"""
from __future__ import annotations

import numpy as np

from nnkit.i18n import _
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
        raise Hint(_("{what} returned None — is a `return` missing?").format(what=what))
    try:
        got = list(got)
    except TypeError:
        raise Hint(_("{what} returned a {type}; return a list of arrays, one per weight, in the "
                     "same order as get_weights().").format(what=what,
                                                            type=type(got).__name__)) from None
    expected = to_torch(weights)
    if len(got) != len(expected):
        raise Hint(_("{what} returned {n} arrays; a 4-8-3 MLP has {expected}: weight and bias "
                     "for each of its two Linear layers, in that order.").format(
            what=what, n=len(got), expected=len(expected)))
    names = [_("weight of layer 1"), _("bias of layer 1"), _("weight of layer 2"),
             _("bias of layer 2")]
    for name, mine, want, original in zip(names, got, expected, weights):
        mine = np.asarray(mine, dtype=float)
        if mine.shape == original.shape and original.ndim == 2:
            raise Hint(_("the {name} has shape {shape}, nnkit's (in, out) layout. "
                         "nn.Linear({n_in}, {n_out}).weight has shape {expected} = "
                         "(out_features, in_features): transpose it, W.T.").format(
                name=name, shape=mine.shape, n_in=original.shape[0], n_out=original.shape[1],
                expected=want.shape))
        if mine.shape != want.shape:
            raise Hint(_("the {name} has shape {shape}; nn.Linear keeps it as {expected}.").format(
                name=name, shape=mine.shape, expected=want.shape))
        expect_close(mine, want, _("the {name}").format(name=name))
    return _("each W is transposed to nn.Linear's (out_features, in_features) and each bias "
             "is kept: torch's layer now computes x Wᵀ + b = the same numbers as nnkit's h W + "
             "b.")
