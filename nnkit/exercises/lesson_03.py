"""Lesson 03 · Loss functions: write the categorical cross-entropy.

    L = -(1/N) Σ_n Σ_k y_nk · log p_nk        y: (N, K) one-hot   p: (N, K) probabilities

(log is the natural logarithm.)  Only the true class's probability counts, so for one sample
L = -log p_true: 0 when the network is sure and right, large when it is sure and wrong.

The check compares the learner's function with this formula on small batches and recognises
the usual slips: a missing minus sign, a sum over the batch instead of the mean, the mean taken
over all N·K entries, log₁₀ instead of ln, y and p swapped, and log(0) for a probability of 0.
"""
from __future__ import annotations

import numpy as np

from nnkit.exercises.feedback import Hint, as_array, call, checker, register_solution

__all__ = ["check_cross_entropy"]

EPS = 1e-12


@register_solution("cross_entropy")
def cross_entropy(y, p):
    """L = -(1/N) Σ_n Σ_k y_nk log p_nk; y: (N, K) one-hot, p: (N, K). Returns a number."""
    p = np.clip(p, 1e-12, 1.0)                     # log(0) = -inf: keep p away from 0
    return -np.sum(y * np.log(p)) / len(y)


# three samples, three classes: a confident right answer, an unsure one, a confident wrong one
Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
P = np.array([[0.90, 0.05, 0.05], [0.30, 0.40, 0.30], [0.70, 0.20, 0.10]])


def _reference(y, p):
    return float(-np.sum(y * np.log(np.clip(p, EPS, 1.0))) / len(y))


def _scalar(value, what: str) -> float:
    arr = as_array(value, what)
    if arr.size != 1:
        raise Hint(f"{what} returned an array of shape {arr.shape}; a loss is ONE number for the "
                   f"whole batch: sum over classes, then average over the samples "
                   f"(e.g. -np.sum(y * np.log(p)) / len(y)).")
    return float(arr.reshape(()))


@checker("cross_entropy")
def check_cross_entropy(my_cross_entropy) -> str:
    """Check ``my_cross_entropy(y, p)`` (y one-hot (N, K), p probabilities (N, K)) → a number."""
    what = "my_cross_entropy(y, p)"
    with np.errstate(divide="ignore", invalid="ignore"):     # log(0): reported below, not warned
        got = _scalar(call(my_cross_entropy, Y, P, what=what), what)
    want = _reference(Y, P)
    N, K = Y.shape
    slips = [
        (-want, "your loss is negative. log p ≤ 0 for a probability, so the formula has a minus "
                "sign in front: L = -(1/N) Σ y log p. A loss is never below 0."),
        (want * N, f"your loss is {N}× too large: you summed over the batch. Divide by the "
                   f"number of samples N = len(y) (the mean), so the loss does not grow with the "
                   f"batch size."),
        (want / K, f"your loss is {K}× too small: np.mean(y * np.log(p)) averages over all N·K "
                   f"entries. Sum over the classes k, then divide by N only."),
        (-want / K, "two slips: the minus sign is missing, and np.mean averages over all N·K "
                    "entries. Write -np.sum(y * np.log(p)) / len(y)."),
        (want / np.log(10), "you used log base 10. Cross-entropy uses the natural log, np.log."),
        (want / np.log(2), "you used log base 2 (bits). Here we use the natural log, np.log."),
        (float(-np.sum(np.log(P)) / N), "you summed log p over EVERY class. Multiply by the "
                                        "one-hot y first, so only the true class's "
                                        "probability counts: Σ_k y_k log p_k."),
        (float(-np.sum((1 - Y) * np.log(P)) / N), "you used (1 - y): that counts the wrong "
                                                  "classes. Only the true class (y = 1) counts."),
        (float(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / N),
         "that is the two-class (binary) cross-entropy, y log p + (1 - y) log(1 - p), applied to "
         "every entry. With K classes and one-hot y, only Σ_k y_k log p_k counts: drop the "
         "(1 - y) log(1 - p) term."),
        (float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P))),
         "that is the two-class (binary) cross-entropy, averaged over all N·K entries. With K "
         "classes and one-hot y: -np.sum(y * np.log(p)) / len(y)."),
    ]
    for value, hint in slips:
        if np.isclose(got, value, rtol=1e-6):
            raise Hint(hint)
    if not np.isfinite(got):
        raise Hint(f"{what} returned {got}. Did you swap the arguments (y log p, not p log y)? "
                   f"log(0) = -inf for the zeros of the one-hot y.")
    if not np.isclose(got, want, rtol=1e-6):
        raise Hint(f"{what} returned {got:.6g} on the example batch; it should be {want:.6g} "
                   f"= -(log 0.9 + log 0.4 + log 0.1) / 3. Check each sample: only the true "
                   f"class's probability enters, as -log p_true.")
    # one sample, shape (1, K): must not assume N == K or N > 1
    one = _scalar(call(my_cross_entropy, Y[:1], P[:1], what="my_cross_entropy on one sample"),
                  "my_cross_entropy on one sample")
    if not np.isclose(one, -np.log(0.9), rtol=1e-6):
        raise Hint(f"on a batch of one sample (y = [1, 0, 0], p = [0.9, 0.05, 0.05]) your loss is "
                   f"{one:.6g}; it should be -log 0.9 = {-np.log(0.9):.6g}. Divide by the number "
                   f"of rows, len(y) or y.shape[0], not by a fixed number.")
    # a probability of exactly 0 for the true class must not give inf or nan
    p0 = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    y0 = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = as_array(call(my_cross_entropy, y0, p0, what="my_cross_entropy with a p of 0"),
                        "my_cross_entropy with a p of 0")
    if not np.all(np.isfinite(zero)):
        return ("your cross-entropy is right. One more thing to know: when the network gives "
                "the true class probability 0, log(0) = -inf and your loss is "
                f"{float(zero.reshape(-1)[0])}. Real code clips p first, "
                "np.clip(p, 1e-12, 1) — as nnkit.losses does.")
    return ("L = -(1/N) Σ y log p, averaged over the batch, and safe at p = 0. It matches "
            "nnkit.losses.get('categorical_crossentropy').")
