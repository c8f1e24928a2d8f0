"""Lesson 04 · Gradient descent: one SGD step, a learning rate that makes SGD diverge, and
momentum's and Adam's updates written by the learner (checked against nnkit.optimizers).

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
    if alpha == 0:
        raise Hint("with α = 0 there is no step at all: w ← w - 0·∇L leaves every weight where it "
                   "starts, so nothing can diverge (nor learn). Try a positive α, e.g. 0.3.")
    if alpha < 0:
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


# ---- exercises 3 and 4: momentum and Adam, written by the learner ---------------------------------
#
#   momentum   v ← μ v - α g;        w ← w + v                               (v starts at 0)
#   Adam       m ← β₁ m + (1 - β₁) g;    v ← β₂ v + (1 - β₂) g²              (m, v start at 0)
#              m̂ = m / (1 - β₁ᵗ);  v̂ = v / (1 - β₂ᵗ);  w ← w - α m̂ / (sqrt(v̂) + ε)    t = 1, 2, …
#
# The checks feed the learner's step the same gradients as nnkit.optimizers.SGD(momentum=μ) and
# nnkit.optimizers.Adam, step after step, each time passing back what the learner's step returned,
# and compare the weights.  nnkit (like Keras) folds the bias correction into the learning rate,
# α_t = α sqrt(1 - β₂ᵗ)/(1 - β₁ᵗ), which moves ε a little; with ε = 1e-7 and these gradients the
# two forms agree to 1e-6, and the tiny-gradient probe accepts both.

__all__ += ["check_momentum_step", "check_adam_step"]

#: six steps of gradients for five weights, fixed (the same for every learner)
GRADIENTS = np.random.default_rng(4).normal(0.0, 1.0, size=(6, 5))
W_START = np.array([0.5, -1.0, 2.0, 0.0, 1.5])
MOMENTUM_ARGS = {"learning_rate": 0.1, "momentum": 0.9}
ADAM_ARGS = {"learning_rate": 0.01, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}


@register_solution("momentum_step")
def momentum_step(w, grad, velocity, learning_rate, momentum):
    """One momentum step: returns (new w, new velocity); all arrays of w's shape."""
    velocity = momentum * velocity - learning_rate * grad      # v ← μ v - α g
    return w + velocity, velocity                              # w ← w + v


@register_solution("adam_step")
def adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    """One Adam step at step number t (1, 2, …): returns (new w, new m, new v)."""
    m = beta_1 * m + (1 - beta_1) * grad                       # running mean of g
    v = beta_2 * v + (1 - beta_2) * grad ** 2                  # running mean of g²
    m_hat = m / (1 - beta_1 ** t)                              # bias correction: m, v start at 0
    v_hat = v / (1 - beta_2 ** t)
    return w - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), m, v


def nnkit_walk(optimizer: optimizers.Optimizer, gradients=GRADIENTS, w=W_START) -> np.ndarray:
    """The weights after each step when ``optimizer`` gets ``gradients``: (steps, D)."""
    theta = np.array(w, dtype=float)
    optimizer.build([theta.size])
    path = []
    for g in gradients:
        optimizer.apply(theta, np.array(g, dtype=float))
        path.append(theta.copy())
    return np.array(path)


def _walk(step, states: int, what: str, gradients=GRADIENTS, w=W_START, with_t=False, **args):
    """Run a learner-style step function; returns (weights per step, first step's states)."""
    w = np.array(w, dtype=float)
    state = [np.zeros_like(w) for _ in range(states)]
    path, first = [], None
    for t, g in enumerate(gradients, start=1):
        extra = (t,) if with_t else ()
        with np.errstate(all="ignore"):
            out = call(step, w, np.array(g), *state, *extra, *args.values(), what=what)
        if not isinstance(out, tuple) or len(out) != states + 1:
            names = "(w, velocity)" if states == 1 else "(w, m, v)"
            raise Hint(f"{what} should return {states + 1} arrays, {names}: the new weights and "
                       f"the new state to pass to the next step. Received: {type(out).__name__}"
                       f"{'' if not isinstance(out, tuple) else f' of length {len(out)}'}.")
        arrays = [as_array(a, what) for a in out]
        for a in arrays:
            if a.shape != w.shape:
                raise Hint(f"{what} returned an array of shape {a.shape}; every one should have "
                           f"w's shape {w.shape} (one value per weight).")
        w, state = arrays[0], arrays[1:]
        path.append(w)
        first = first if first is not None else state
    return np.array(path), first


def _slip_momentum_sign(w, grad, velocity, learning_rate, momentum):
    velocity = momentum * velocity + learning_rate * grad
    return w + velocity, velocity


def _slip_momentum_old_velocity(w, grad, velocity, learning_rate, momentum):
    return w + velocity, momentum * velocity - learning_rate * grad


def _slip_momentum_average(w, grad, velocity, learning_rate, momentum):
    velocity = momentum * velocity + (1 - momentum) * grad
    return w - learning_rate * velocity, velocity


def _slip_momentum_none(w, grad, velocity, learning_rate, momentum):
    return w - learning_rate * grad, -learning_rate * grad


@checker("momentum_step")
def check_momentum_step(my_momentum_step) -> str:
    """Check ``my_momentum_step(w, grad, velocity, learning_rate, momentum)`` → (w, velocity)."""
    what = "my_momentum_step(w, grad, velocity, 0.1, 0.9)"
    got, first_state = _walk(my_momentum_step, 1, what, **MOMENTUM_ARGS)
    want = nnkit_walk(optimizers.SGD(**MOMENTUM_ARGS))
    if not np.all(np.isfinite(got)):
        raise Hint(f"{what} gives weights that are not finite numbers (nan or inf).")
    slips = [
        (_slip_momentum_sign, "your steps go uphill: the velocity should gather MINUS the "
                              "gradient, v ← μ v - α g, then w ← w + v."),
        (_slip_momentum_old_velocity, "you move w with the OLD velocity. First update the "
                                      "velocity, v ← μ v - α g, then move with the new one: "
                                      "w ← w + v."),
        (_slip_momentum_average, "that is the averaging form v ← μ v + (1 - μ) g (Adam's m). "
                                 "Momentum here (nnkit, Keras) gathers the steps themselves: "
                                 "v ← μ v - α g, then w ← w + v."),
        (_slip_momentum_none, "your steps are plain SGD steps: the velocity does not remember "
                              "the earlier ones. Keep μ v from the last step: v ← μ v - α g."),
    ]
    velocity_1 = first_state[0]
    if matches(got[0], want[0]) and not matches(got, want) and matches(velocity_1, 0 * velocity_1):
        raise Hint("the first step is right but the velocity you return is still 0: return the "
                   "NEW velocity, (w + v, v), so the next step can use it.")
    for slip, hint in slips:
        if matches(got, _walk(slip, 1, what, **MOMENTUM_ARGS)[0]):
            raise Hint(hint)
    if not matches(got, want):
        step = int(np.argmax(~np.all(np.isclose(got, want, rtol=1e-6, atol=1e-9), axis=1)))
        raise Hint(f"after step {step + 1} your weights differ from nnkit.optimizers.SGD("
                   f"learning_rate=0.1, momentum=0.9) on the same gradients: {got[step].round(6)} "
                   f"instead of {want[step].round(6)}. v ← μ v - α g; w ← w + v.")
    note = ("" if matches(velocity_1, -0.1 * GRADIENTS[0]) else
            " (Your velocity has the opposite sign — v ← μ v + α g with w ← w - v — the same "
            "steps; nnkit and Keras store -α g.)")
    return ("your six momentum steps match nnkit.optimizers.SGD(momentum=0.9) on the same "
            "gradients: v ← μ v - α g, w ← w + v." + note)


def _slip_adam_no_correction(w, grad, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    m = beta_1 * m + (1 - beta_1) * grad
    v = beta_2 * v + (1 - beta_2) * grad ** 2
    return w - learning_rate * m / (np.sqrt(v) + epsilon), m, v


def _slip_adam_betas_swapped(w, grad, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    return adam_step(w, grad, m, v, t, learning_rate, beta_2, beta_1, epsilon)


def _slip_adam_eps_inside(w, grad, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    m = beta_1 * m + (1 - beta_1) * grad
    v = beta_2 * v + (1 - beta_2) * grad ** 2
    m_hat, v_hat = m / (1 - beta_1 ** t), v / (1 - beta_2 ** t)
    return w - learning_rate * m_hat / np.sqrt(v_hat + epsilon), m, v


def _keras_adam_step(w, grad, m, v, t, learning_rate, beta_1, beta_2, epsilon):
    """nnkit's (Keras's) form: α_t = α sqrt(1 - β₂ᵗ)/(1 - β₁ᵗ); w ← w - α_t m / (sqrt(v) + ε)."""
    m = beta_1 * m + (1 - beta_1) * grad
    v = beta_2 * v + (1 - beta_2) * grad ** 2
    alpha_t = learning_rate * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    return w - alpha_t * m / (np.sqrt(v) + epsilon), m, v


@checker("adam_step")
def check_adam_step(my_adam_step) -> str:
    """Check ``my_adam_step(w, grad, m, v, t, learning_rate, beta_1, beta_2, epsilon)``
    → (w, m, v), against nnkit.optimizers.Adam on the same gradients."""
    what = "my_adam_step(w, grad, m, v, t, learning_rate=0.01, …)"
    got, (m1, v1) = _walk(my_adam_step, 2, what, with_t=True, **ADAM_ARGS)
    g1 = GRADIENTS[0]
    if matches(m1, (1 - 0.999) * g1 ** 2) and matches(v1, (1 - 0.9) * g1):
        raise Hint("your m and v are swapped: m is the running mean of g (with β₁ = 0.9), v the "
                   "running mean of g² (with β₂ = 0.999). Return them in the order (w, m, v).")
    if matches(m1, (1 - 0.9) * g1) and matches(v1, (1 - 0.999) * g1):
        raise Hint("your v averages g, not g²: v ← β₂ v + (1 - β₂) g² — the SQUARED gradient, "
                   "so sqrt(v) measures how large the gradients are.")
    if matches(m1, g1) and matches(v1, g1 ** 2):          # m̂ = m/(1 - β₁) = g after step 1
        raise Hint("you return the bias-corrected m̂ and v̂ as the new state: after step 1 your m "
                   "is g itself and your v is g². m̂ and v̂ are only for this step's update; "
                   "return the running averages m and v themselves, (w, m, v), and correct "
                   "them again at the next step with that step's t.")
    want = nnkit_walk(optimizers.Adam(**ADAM_ARGS))
    if np.allclose(got - W_START, W_START - want, rtol=1e-4, atol=1e-6):   # either ε form
        raise Hint("your steps have the right size but go the wrong way — uphill: every weight "
                   "moves as far as Adam's, in the opposite direction. Adam steps AGAINST the "
                   "gradient: m ← β₁ m + (1 - β₁) g, then w ← w - α m̂ / (sqrt(v̂) + ε) (minus).")
    slips = [
        (_slip_adam_no_correction, "the bias correction is missing. m and v start at 0, so early "
                                   "on they are too small: divide by (1 - β₁ᵗ) and (1 - β₂ᵗ), "
                                   "m̂ = m/(1 - β₁ᵗ), v̂ = v/(1 - β₂ᵗ), and step with m̂/(sqrt(v̂) + ε). "
                                   "(Your first step is about 3.2× too large.)"),
        (_slip_adam_betas_swapped, "β₁ and β₂ are swapped: m (the mean of g) uses β₁ = 0.9, "
                                   "v (the mean of g²) uses β₂ = 0.999 — also in the corrections."),
    ]
    for slip, hint in slips:
        if matches(got, _walk(slip, 2, what, with_t=True, **ADAM_ARGS)[0]):
            raise Hint(hint)
    if not np.all(np.isfinite(got)):
        raise Hint(f"{what} gives weights that are not finite numbers (nan or inf). Is t used as "
                   f"given (1 on the first step)? With t = 0, 1 - β₁ᵗ = 0 and m̂ divides by zero.")
    close = np.isclose(got, want, rtol=1e-6, atol=1e-7)       # the two ε forms differ by < 1e-7
    if not close.all():
        step = int(np.argmax(~close.all(axis=1)))
        raise Hint(f"after step {step + 1} your weights differ from nnkit.optimizers.Adam("
                   f"learning_rate=0.01) on the same gradients by up to "
                   f"{np.max(np.abs(got[step] - want[step])):.3g}: {got[step].round(6)} instead "
                   f"of {want[step].round(6)}. Check each line against the formulas above.")
    # where ε matters: one gradient exactly 0 (sqrt(v̂) = 0), one tiny
    tiny = np.zeros((3, 5)) + GRADIENTS[:3]
    tiny[:, 3], tiny[:, 4] = 0.0, 1e-9
    got_tiny, _ = _walk(my_adam_step, 2, what, gradients=tiny, with_t=True, **ADAM_ARGS)
    if not np.all(np.isfinite(got_tiny)):
        raise Hint("with a gradient of exactly 0, v̂ = 0 and your step divides 0 by 0. That is "
                   "what ε is for: w ← w - α m̂ / (sqrt(v̂) + ε).")
    def moved(path):                     # how far the weight with the 1e-9 gradient moved
        return path[:, 4] - W_START[4]

    forms = [moved(_walk(f, 2, what, gradients=tiny, with_t=True, **ADAM_ARGS)[0])
             for f in (adam_step, _keras_adam_step, _slip_adam_eps_inside)]
    if not any(np.allclose(moved(got_tiny), f, rtol=1e-3, atol=0) for f in forms[:2]):
        if np.allclose(moved(got_tiny), forms[2], rtol=1e-3, atol=0):
            raise Hint("ε is inside the square root, sqrt(v̂ + ε). It belongs outside: "
                       "sqrt(v̂) + ε. For a tiny gradient (1e-9) sqrt(ε) = 3e-4 swamps it, and "
                       "the step shrinks a hundredfold.")
        raise Hint("your steps are right for ordinary gradients but not for a gradient of 1e-9: "
                   "check where ε goes — w ← w - α m̂ / (sqrt(v̂) + ε).")
    return ("your six Adam steps match nnkit.optimizers.Adam on the same gradients, with the bias "
            "correction and ε in its place (sqrt(v̂) + ε).")
