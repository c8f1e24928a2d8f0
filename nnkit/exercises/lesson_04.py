"""Lesson 04 · Gradient descent: one SGD step, and a learning rate that makes SGD diverge.

    W_new = W_old - α ∇L                     (the course's update rule, §3.3)

``check_sgd_step(my_sgd_step)`` tries ``my_sgd_step(w, grad, learning_rate)`` on arrays and on
a single number and names the usual slips: a plus sign (walking uphill), a forgotten α, the
step returned instead of the new weights, an in-place update without ``return``.

``check_diverging_learning_rate(alpha)`` runs plain gradient descent and momentum (μ = 0.9)
with nnkit's own optimizers on the ravine of the gradient-descent explorer,

    L(θ) = 0.1 θ₁² + 2 θ₂²,   ∇L = (0.2 θ₁, 4 θ₂),   start θ = (-2.8, 1.5),

for 200 steps.  Across the ravine the curvature is λ = 4 (the second derivative of L along θ₂;
written λ because L is the loss), so each SGD step multiplies θ₂ by (1 - 4α): SGD converges for
α < 2/λ = 0.5 and blows up above.  Momentum tolerates up to 2(1 + μ)/λ = 0.95.  The challenge is
an α in between: SGD diverges, momentum does not.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from nnkit import optimizers
from nnkit.exercises.feedback import Hint, as_array, call, checker, expect_close, matches, \
    register_solution

__all__ = ["check_sgd_step", "check_diverging_learning_rate", "ravine_walk"]

START = (-2.8, 1.5)
STEPS = 200


@register_solution("sgd_step")
def sgd_step(w, grad, learning_rate):
    """One step of gradient descent: move every weight against its gradient."""
    return w - learning_rate * grad


@register_solution("diverging_learning_rate")
def diverging_learning_rate():
    """On the ravine: SGD diverges above 2/λ = 0.5; momentum (μ = 0.9) survives up to 0.95."""
    return 0.7


def ravine_walk(learning_rate: float, momentum: float = 0.0, steps: int = STEPS) -> np.ndarray:
    """Losses of gradient descent on L = 0.1 θ₁² + 2 θ₂² from (-2.8, 1.5): (steps + 1,).

    Uses ``nnkit.optimizers.SGD`` (with ``momentum``), the optimizer that trains the networks.
    Stops early (the rest is inf) once the loss passes 1e8.
    """
    opt = optimizers.SGD(learning_rate, momentum=momentum)
    opt.build([2])
    theta = np.array(START, dtype=float)
    losses = np.full(steps + 1, np.inf)
    losses[0] = 0.1 * theta[0] ** 2 + 2.0 * theta[1] ** 2
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            opt.apply(theta, np.array([0.2 * theta[0], 4.0 * theta[1]]))
            losses[t] = 0.1 * theta[0] ** 2 + 2.0 * theta[1] ** 2
            if not losses[t] < 1e8:
                losses[t:] = np.inf
                break
    return losses


def _diverges(losses: np.ndarray) -> bool:
    """The walk ends far above where it started: the steps grow instead of shrinking."""
    return not losses[-1] < 10 * losses[0]


@checker("sgd_step")
def check_sgd_step(my_sgd_step) -> str:
    """Check ``my_sgd_step(w, grad, learning_rate)`` → the new weights w - α·grad."""
    w = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    grad = np.array([[0.2, -0.4, 1.0], [-2.0, 0.5, 0.1]])
    lr = 0.1
    got = call(my_sgd_step, w, grad, lr, what="my_sgd_step(w, grad, 0.1)")
    if got is None:
        raise Hint("my_sgd_step returned None. If you changed w in place (w -= …), add "
                   "`return w` at the end; or simply return w - learning_rate * grad.")
    got = as_array(got, "my_sgd_step(w, grad, 0.1)")
    if got.shape != w.shape:
        raise Hint(f"my_sgd_step returned shape {got.shape}; the new weights have the shape of "
                   f"w, {w.shape}. Every weight moves by its own gradient entry, elementwise.")
    slips = [
        (w + lr * grad, "your step goes uphill: w + α·grad increases the loss. Gradient DEScent "
                        "moves against the gradient: w - learning_rate * grad."),
        (w - grad, "the learning rate is missing: w - grad takes a full gradient step. Scale it: "
                   "w - learning_rate * grad."),
        (-lr * grad, "you returned only the step, -α·grad. Return the new weights: "
                     "w - learning_rate * grad."),
        (w - grad / lr, "you divided by the learning rate; multiply: w - learning_rate * grad."),
        (w - lr * w, "you used w where the gradient belongs: w - learning_rate * grad."),
    ]
    for candidate, hint in slips:
        if matches(got, candidate):
            raise Hint(hint)
    expect_close(got, w - lr * grad, what="my_sgd_step(w, grad, 0.1)")
    one = call(my_sgd_step, 3.0, 2.0, 0.5, what="my_sgd_step(3.0, 2.0, 0.5)")
    expect_close(as_array(one, "my_sgd_step(3.0, 2.0, 0.5)").reshape(()), 2.0,
                 what="my_sgd_step(3.0, 2.0, 0.5)")
    return ("w ← w - α·∇L. This is exactly what nnkit.optimizers.SGD does to every weight of a "
            "model at once (θ -= α g in optimizers.py).")


@checker("diverging_learning_rate", takes_function=False)
def check_diverging_learning_rate(alpha) -> str:
    """Check a learning rate at which SGD diverges on the ravine but momentum (μ = 0.9) does not."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not math.isfinite(alpha):
        raise Hint(f"give the learning rate as a number, e.g. check_diverging_learning_rate(0.3). "
                   f"Received: {alpha!r}.")
    alpha = float(alpha)
    if alpha <= 0:
        raise Hint(f"a learning rate must be positive (received {alpha:g}): a negative one walks "
                   f"uphill from the very first step.")
    sgd = ravine_walk(alpha)
    momentum = ravine_walk(alpha, momentum=0.9)
    factor = 1 - 4 * alpha
    if not _diverges(sgd):
        return _hint_sgd_converges(alpha, factor, sgd)
    if _diverges(momentum):
        raise Hint(f"at α = {alpha:g} both diverge — momentum too. Momentum's velocity lets it "
                   f"tolerate larger steps than plain SGD, up to α = 2(1 + μ)/λ = 0.95 for μ = 0.9 "
                   f"and the curvature λ = 4 here, but not beyond. Look between the two limits: SGD's (where 1 - 4α "
                   f"passes -1) and momentum's.")
    return (f"at α = {alpha:g} plain SGD diverges — each step multiplies θ₂ by 1 - 4α = "
            f"{factor:g}, |{factor:g}| > 1, so it overshoots the ravine further every time — while "
            f"momentum (μ = 0.9) still reaches the minimum. SGD's limit is α = 2/λ = 0.5 (λ = 4, "
            f"the curvature across); momentum's is 2(1 + μ)/λ = 0.95.")


def _hint_sgd_converges(alpha: float, factor: float, losses: np.ndarray) -> str:
    if math.isclose(factor, -1.0, abs_tol=1e-9):
        raise Hint(f"α = {alpha:g} is exactly the edge: 1 - 4α = -1, so SGD bounces between "
                   f"θ₂ = +1.5 and -1.5 forever — it neither converges nor diverges. A little "
                   f"more and it diverges.")
    if abs(factor) < 1 and factor >= 0:
        raise Hint(f"at α = {alpha:g} plain SGD converges smoothly (loss {losses[0]:.2f} → "
                   f"{losses[-1]:.2g}). Each step multiplies θ₂ by 1 - 4α = {factor:.2f}; it "
                   f"converges while that factor lies between -1 and 1. Try larger α.")
    if factor < -1:                    # past the limit, but too slowly to show in 200 steps
        raise Hint(f"at α = {alpha:g} the factor 1 - 4α = {factor:.4f} is only just past -1: "
                   f"SGD's zig-zag does grow, but so slowly that in {STEPS} steps its loss only "
                   f"goes from {losses[0]:.3g} to {losses[-1]:.3g} — no visible divergence yet. "
                   f"Go a little higher, so that each step makes the zig-zag clearly larger.")
    raise Hint(f"at α = {alpha:g} plain SGD zig-zags across the ravine (each step multiplies θ₂ "
               f"by 1 - 4α = {factor:.2f}) but still converges: the factor lies between -1 and 1. "
               f"Go a little higher, until it passes -1.")
