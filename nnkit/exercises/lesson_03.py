"""Lesson 03 · Loss functions: write the categorical cross-entropy, then its gradient.

    L = -(1/N) Σ_n Σ_k y_nk · log p_nk        y: (N, K) one-hot   p: (N, K) probabilities

(log is the natural logarithm.)  Only the true class's probability counts, so for one sample
L = -log p_true: 0 when the network is sure and right, large when it is sure and wrong.

The check compares the learner's function with this formula on small batches and recognises
the usual slips: a missing minus sign, a sum over the batch instead of the mean, the mean taken
over all N·K entries, log₁₀ instead of ln, y and p swapped, and log(0) for a probability of 0.

Exercise 2, ``check_softmax_cross_entropy_gradient``: ∂L/∂z = (softmax(z) - y)/N, derived through
the softmax's Jacobian and checked against central finite differences of the loss.
"""
from __future__ import annotations

import numpy as np

from nnkit.exercises.feedback import (Hint, as_array, call, checker, expect_close, matches,
                                     named, register_solution)

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


# ---- exercise 2: the gradient of softmax + cross-entropy ------------------------------------------
#
#     L = -(1/N) Σ_n Σ_k y_nk log ŷ_nk,   ŷ = softmax(z)   ⇒   ∂L/∂z = (ŷ - y) / N
#
# Derivation (one sample): ∂ŷ_k/∂z_j = ŷ_k (δ_kj - ŷ_j), ∂L/∂ŷ_k = -y_k / ŷ_k, so
# ∂L/∂z_j = Σ_k (-y_k / ŷ_k) ŷ_k (δ_kj - ŷ_j) = -y_j + ŷ_j Σ_k y_k = ŷ_j - y_j   (Σ_k y_k = 1).
# The check compares with central finite differences of the loss itself.

__all__ += ["check_softmax_cross_entropy_gradient"]

#: logits of five samples, three classes: four ordinary rows (N = 4 ≠ K = 3, so a transposed
#: answer shows in its shape) and one with large logits, where a naive exp overflows
Z_GRAD = np.array([[2.0, 1.0, 0.1], [0.5, -1.0, 2.0], [-0.3, 0.8, 0.0], [1.2, -0.4, 0.7],
                   [1000.0, 998.0, 990.0]])
Y_GRAD = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0],
                   [0.0, 1.0, 0.0]])


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _loss_from_logits(y, z):
    """L = -(1/N) Σ y log softmax(z), through log-sum-exp (finite for any z)."""
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.sum(y * log_p) / len(y))


def finite_difference_gradient(y, z, eps: float = 1e-6) -> np.ndarray:
    """∂L/∂z by central differences: (L(z + ε e_j) - L(z - ε e_j)) / 2ε for every entry j."""
    z = np.array(z, dtype=float)
    grad = np.zeros_like(z)
    for index in np.ndindex(z.shape):
        old = z[index]
        z[index] = old + eps
        plus = _loss_from_logits(y, z)
        z[index] = old - eps
        minus = _loss_from_logits(y, z)
        z[index] = old
        grad[index] = (plus - minus) / (2 * eps)
    return grad


@register_solution("softmax_cross_entropy_gradient")
def softmax_cross_entropy_gradient(z, y):
    """∂L/∂z = (softmax(z) - y) / N;  z: (N, K) logits, y: (N, K) one-hot → (N, K)."""
    e = np.exp(z - z.max(axis=1, keepdims=True))       # minus the row's max: exp stays finite
    y_hat = e / e.sum(axis=1, keepdims=True)
    return (y_hat - y) / len(z)


@checker("softmax_cross_entropy_gradient")
def check_softmax_cross_entropy_gradient(my_gradient) -> str:
    """Check ``my_gradient(z, y)`` (logits (N, K), one-hot (N, K)) → ∂L/∂z, shape (N, K)."""
    z, y = Z_GRAD[:4], Y_GRAD[:4]                         # the ordinary rows first: (4, 3)
    N, K = z.shape
    what = named(my_gradient, "(z, y)")
    with np.errstate(all="ignore"):
        got = as_array(call(my_gradient, z, y, what=what), what)
    numeric = finite_difference_gradient(y, z)
    if got.shape == (K, N) and (matches(got.T, numeric) or matches(got.T, -numeric)
                                or matches(got.T, numeric * N)):
        raise Hint(f"{what} has shape {got.shape}: your gradient is transposed — (K, N), one "
                   f"row per class. ∂L/∂z has the shape of z, {(N, K)}: one row per sample, one "
                   f"column per class. Drop the .T (or the transposes) and return (ŷ - y) / N.")
    if got.shape != (N, K):
        raise Hint(f"{what} has shape {got.shape}; ∂L/∂z has one entry per logit, the shape of "
                   f"z: {(N, K)}.")
    p = _softmax(z)
    slips = [
        (numeric * N, f"your gradient is {N}× too large (N = {N} samples): the loss is a MEAN "
                      f"over the batch, so its gradient carries the same 1/N: (ŷ - y) / N."),
        (-numeric, "your gradient has the wrong sign: it points uphill. ∂L/∂z = (ŷ - y)/N is "
                   "positive for the wrong classes (their logits should go down)."),
        (-numeric * N, f"the sign is wrong AND the 1/N is missing: write (ŷ - y) / N, "
                       f"ŷ = softmax(z), N = {N}."),
        (-y * (1 - p) / N, "you used only the diagonal of the softmax Jacobian, "
                           "∂ŷ_k/∂z_k = ŷ_k(1 - ŷ_k). Every logit z_j moves every ŷ_k "
                           "(∂ŷ_k/∂z_j = -ŷ_k ŷ_j for k ≠ j), so sum over k: "
                           "∂L/∂z_j = Σ_k ∂L/∂ŷ_k · ∂ŷ_k/∂z_j — the sum collapses to ŷ_j - y_j."),
        (-y * (1 - p), "you used only the diagonal of the softmax Jacobian, ŷ_k(1 - ŷ_k), and "
                       "left out the 1/N. Sum over k: Σ_k ∂L/∂ŷ_k ∂ŷ_k/∂z_j = ŷ_j - y_j, then "
                       "divide by N."),
        (-y / p / N, "that is ∂L/∂ŷ = -y/ŷ / N, the gradient with respect to the probabilities. "
                     "Go one step further through the softmax to the logits z: the chain rule "
                     "gives (ŷ - y)/N."),
        ((z - y) / N, "you used z itself as the prediction. ŷ = softmax(z) first, then (ŷ - y)/N."),
        ((np.exp(z) / np.exp(z).sum(axis=0, keepdims=True) - y) / N,
         "your softmax normalizes each COLUMN (over the samples, axis=0). Each sample's "
         "probabilities sum to 1 over its classes: sum along axis=1, with keepdims=True."),
    ]
    for value, hint in slips:
        if matches(got, value):
            raise Hint(hint)
    if not matches(got, numeric, rtol=1e-5):
        error = float(np.max(np.abs(got - numeric)))
        raise Hint(f"{what} differs from the finite-difference gradient by up to {error:.3g}. "
                   f"Write ŷ = softmax(z) (each row sums to 1) and return (ŷ - y) / N.")
    with np.errstate(all="ignore"):
        big = as_array(call(my_gradient, Z_GRAD, Y_GRAD, what=what), what)
    if big.shape != Z_GRAD.shape or not np.all(np.isfinite(big)):
        return ("your gradient equals the finite differences, ∂L/∂z = (ŷ - y)/N. One more thing: "
                "with logits like [1000, 998, 990], np.exp overflows and you get nan. Subtract each "
                "row's max first, np.exp(z - z.max(axis=1, keepdims=True)) — softmax does not "
                "change, as nnkit's losses do.")
    expect_close(big, finite_difference_gradient(Y_GRAD, Z_GRAD), what=what, rtol=1e-4, atol=1e-7)
    return ("∂L/∂z = (ŷ - y)/N agrees with the finite differences, even for logits near 1000. "
            "This is the fused gradient nnkit's losses use (with_logits).")
