"""Lesson 09 · Applications: accuracy per digit, and the temperature of a text generator.

- ``check_per_class_accuracy(my_fn)``: ``my_fn(y_true, y_pred, n_classes)`` → (K,) for each
  class k, the share of its samples predicted as k (the confusion matrix's diagonal divided by
  its row sums; also called *recall*).
- ``check_temperature(my_reweight)``: ``my_reweight(p, temperature)`` → the distribution
  p_i^{1/τ} / Σ_j p_j^{1/τ} for temperature τ: τ < 1 sharpens p (safer text), τ > 1 flattens
  it (wilder text).
"""
from __future__ import annotations

import numpy as np

from nnkit.i18n import _
from nnkit.exercises.feedback import (Hint, as_array, call, checker, expect_close, expect_shape,
                                      matches, named, register_solution)

__all__ = ["check_per_class_accuracy", "check_temperature"]


# ---- the reference answers -----------------------------------------------------------------------
@register_solution("per_class_accuracy")
def per_class_accuracy(y_true, y_pred, n_classes):
    """y_true, y_pred: (N,) labels in 0..K-1 → (K,) share of each true class predicted right."""
    accuracy = np.zeros(n_classes)
    for k in range(n_classes):
        of_class_k = y_true == k                             # the samples whose true class is k
        accuracy[k] = np.mean(y_pred[of_class_k] == k)
    return accuracy


@register_solution("temperature")
def reweight(p, temperature):
    """p: (n_chars,) probabilities; temperature τ > 0 → (n_chars,) ∝ p^(1/τ), summing to 1."""
    logits = np.log(p) / temperature                # dividing log p by τ is raising p to 1/τ
    e = np.exp(logits - logits.max())
    return e / e.sum()


# ---- per_class_accuracy --------------------------------------------------------------------------
@checker("per_class_accuracy")
def check_per_class_accuracy(my_fn) -> str:
    """Check ``my_fn(y_true, y_pred, n_classes)`` on a small 3-class and a random 10-class case."""
    rng = np.random.default_rng(9)
    y10 = np.repeat(np.arange(10), 12)
    p10 = np.where(rng.random(y10.size) < 0.8, y10, rng.integers(0, 10, y10.size))
    cases = [(np.array([0, 0, 0, 0, 1, 1, 2, 2, 2, 2]),     # class 0: 3 of 4 right, class 1: 2 of
              np.array([0, 0, 0, 1, 1, 1, 2, 2, 0, 1]), 3),  # 2, class 2: 2 of 4
             (y10, p10, 10)]
    for y_true, y_pred, k in cases:
        what = named(my_fn, f"(y_true, y_pred, {k})")
        got = call(my_fn, y_true, y_pred, k, what=what)
        expected = per_class_accuracy(y_true, y_pred, k)
        got = expect_shape(got, (k,), what, _("One number per class."))
        counts = np.array([[np.sum((y_true == i) & (y_pred == j)) for j in range(k)]
                           for i in range(k)])
        precision = np.diag(counts) / np.maximum(counts.sum(axis=0), 1)
        if matches(got, precision) and not matches(got, expected):
            raise Hint(_("{what} divided by how often each class was *predicted* (the column "
                         "sums of the confusion matrix): that is precision. Divide by how many "
                         "samples *are* of class k — the row sums.").format(what=what))
        if matches(got, np.diag(counts)):
            raise Hint(_("{what} returned counts {counts}; turn them into shares by dividing by "
                         "the number of samples of each class.").format(
                what=what, counts=got.astype(int).tolist()))
        if matches(got, np.full(k, np.mean(y_true == y_pred))):
            raise Hint(_("{what} returned the overall accuracy for every class; count the hits "
                         "among class k's samples only (mask = y_true == k).").format(what=what))
        expect_close(got, expected, what)
    return _("for each class you divided its correct predictions by how many samples it has — "
             "the diagonal of the confusion matrix over its row sums.")


# ---- temperature ---------------------------------------------------------------------------------
@checker("temperature")
def check_temperature(my_reweight) -> str:
    """Check ``my_reweight(p, temperature)`` for 1, 0.5 and 2 on a four-character distribution."""
    p = np.array([0.5, 0.25, 0.15, 0.10])
    for T in (1.0, 0.5, 2.0):
        what = named(my_reweight, f"(p, {T})")
        got = as_array(call(my_reweight, p, T, what=what), what)
        expected = reweight(p, T)
        got = expect_shape(got, p.shape, what, _("One probability per character."))
        total = got.sum()
        if not np.isclose(total, 1.0):
            raise Hint(_("{what} sums to {total}; a distribution must sum to 1 — divide by the "
                         "sum at the end.").format(what=what, total=f"{total:.3g}"))
        if T != 1.0 and matches(got, reweight(p, 1 / T)):
            direction = _("flatter") if T < 1 else _("sharper")
            raise Hint(_("at temperature {T} your distribution became {direction} (largest p "
                         "went from {before} to {after}). A low temperature should sharpen p and "
                         "a high one flatten it: raise p to the power 1/temperature, not "
                         "temperature.").format(T=T, direction=direction, before=f"{p.max():.2f}",
                                                after=f"{got.max():.2f}"))
        if T != 1.0 and matches(got, p):
            raise Hint(_("{what} returned p unchanged; the temperature should change it: "
                         "p_i^(1/τ) / Σ_j p_j^(1/τ) with τ the temperature.").format(what=what))
        expect_close(got, expected, what)
    return _("temperature 0.5 makes the likely characters likelier (safer text), 2 gives the "
             "unlikely ones a chance (more surprising text), and 1 leaves p as it is.")
