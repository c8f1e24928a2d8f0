"""Lesson 10 · FAQ: why networks need compute — counting the multiply-adds of a forward pass.

- ``check_multiply_adds(my_count)``: ``my_count(sizes)`` for layer sizes ``[n_0, n_1, …, n_L]``
  returns the multiply-adds one sample costs on its way forward: Σ_l n_{l-1}·n_l (each layer is a
  matrix product h W of a (1, n_{l-1}) row with an (n_{l-1}, n_l) matrix).  Training costs
  about three times that per sample per epoch (forward, then dW and dx on the way back).
"""
from __future__ import annotations

from nnkit.i18n import _
from nnkit.exercises.feedback import (Hint, as_whole_number, call, checker, named,
                                      register_solution)

__all__ = ["check_multiply_adds"]


@register_solution("multiply_adds")
def multiply_adds(sizes):
    """sizes: [n_0, …, n_L] → multiply-adds for one sample's forward pass, Σ_l n_{l-1}·n_l."""
    total = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        total += n_in * n_out               # z = h W: n_out sums of n_in products each
    return total


@checker("multiply_adds")
def check_multiply_adds(my_count) -> str:
    """Check ``my_count(sizes)`` on a few networks, from tiny to wide."""
    from math import prod

    for sizes in ([3, 4, 2], [4, 64, 64, 3], [2, 8, 8, 8, 1], [64, 256, 10]):
        what = named(my_count, f"({sizes})")
        got = call(my_count, list(sizes), what=what)
        expected = multiply_adds(sizes)
        value = as_whole_number(got, what)
        if value == expected:
            continue
        pairs = list(zip(sizes[:-1], sizes[1:]))
        if value == sum(a * b + b for a, b in pairs):
            raise Hint(_("{what} returned {got}: that is the number of parameters (weights and "
                         "biases). Adding a bias is not a multiply-add; count n_in·n_out per "
                         "layer.").format(what=what, got=got))
        if value == prod(sizes):
            raise Hint(_("{what} returned {got}, the product of all the sizes. The layers are "
                         "computed one after another, so their costs add up: Σ "
                         "n_in·n_out.").format(what=what, got=got))
        if value == sum(sizes):
            raise Hint(_("{what} returned {got}, the number of neurons. Each neuron does one "
                         "multiply-add per input, so a layer costs n_in·n_out.").format(
                what=what, got=got))
        raise Hint(_("{what} returned {got}; it should be {expected}: {sum}.").format(
            what=what, got=got, expected=expected,
            sum=" + ".join(f"{a}·{b}" for a, b in pairs)))
    return _("one sample's forward pass costs Σ n_{l-1}·n_l multiply-adds, so doubling every "
             "hidden layer's width roughly quadruples the work between hidden layers.")
