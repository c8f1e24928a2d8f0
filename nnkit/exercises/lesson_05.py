"""Lesson 05 · Backpropagation: write the backward pass of a Dense layer and pass a gradient check;
then an initialization experiment (``init_experiment``, ``check_init_conclusions``, at the end).

The linear part of a Dense layer, for a batch of N rows, and its backward pass (the chain rule
in array form; ``dout`` = ∂L/∂z arrives from the layer above):

    z  = x W + b          x: (N, D)   W: (D, H)   b: (H,)   z, dout: (N, H)
    dx = dout Wᵀ          (N, D)
    dW = xᵀ dout          (D, H)
    db = Σ_n dout         (H,)

Every gradient has the shape of what it is the gradient of — the quickest test of an answer.
The check uses N = 4, D = 3, H = 5, three different sizes, so a missing transpose or a sum over
the wrong axis shows up as a wrong shape.  It then compares the learner's dx, dW, db with
central differences (``nnkit.gradcheck``) and prints the relative errors.
"""
from __future__ import annotations

import numpy as np

from nnkit import gradcheck
from nnkit.exercises.feedback import Hint, _LearnerError, as_array, call, checker, matches, \
    register_solution

__all__ = ["check_dense_backward"]

N, D, H = 4, 3, 5


@register_solution("dense_backward")
def dense_backward(dout, x, W):
    """dout: (N, H) = ∂L/∂z, x: (N, D), W: (D, H) → dx: (N, D), dW: (D, H), db: (H,)."""
    dx = dout @ W.T                                # (N, H) @ (H, D)
    dW = x.T @ dout                                # (D, N) @ (N, H)
    db = dout.sum(axis=0)                          # add the rows: one number per unit
    return dx, dW, db


def _data(seed: int = 3):
    rng = np.random.default_rng(seed)
    x, W, b = rng.normal(size=(N, D)), rng.normal(size=(D, H)), rng.normal(size=H)
    dout = rng.normal(size=(N, H))
    return dout, x, W, b


SHAPES = (f"the shapes: x ({N}, {D}), W ({D}, {H}), dout ({N}, {H}); "
          f"dx = dout @ W.T is ({N}, {D}), dW = x.T @ dout is ({D}, {H}), "
          f"db = dout.sum(axis=0) is ({H},).")


def _check_dx(dx, dout, x, W) -> None:
    want = dout @ W.T
    if dx.shape == (D, N) and matches(dx, want.T):
        raise Hint(f"dx has shape {dx.shape}, the transpose of what it should be: ({N}, {D}), "
                   f"one row per sample like x. Write dx = dout @ W.T.")
    if dx.shape != want.shape:
        raise Hint(f"dx has shape {dx.shape}; it should be ({N}, {D}), the shape of x. "
                   f"dx = dout @ W.T — {SHAPES}")
    if matches(dx, want / N):
        raise Hint(f"dx is {N}× too small: do not divide by N here. The 1/N of the mean loss is "
                   f"already inside dout.")
    if not matches(dx, want):
        raise Hint("dx has the right shape but wrong values. Each input x_d feeds every unit "
                   "through W[d, :], so dx = dout @ W.T.")


def _check_dW(dW, dout, x, W) -> None:
    want = x.T @ dout
    if dW.shape == (H, D) and matches(dW, want.T):
        raise Hint(f"dW has shape {dW.shape}, the transpose of W's shape ({D}, {H}). You "
                   f"computed doutᵀ x; the gradient is xᵀ dout: dW = x.T @ dout.")
    if dW.shape != want.shape:
        raise Hint(f"dW has shape {dW.shape}; it should be ({D}, {H}), the shape of W. The "
                   f"transpose goes on x: dW = x.T @ dout — {SHAPES}")
    if matches(dW, want / N):
        raise Hint(f"dW is {N}× too small: you averaged over the batch. dout already holds the "
                   f"1/N of the mean loss, so the layer sums: dW = x.T @ dout.")
    if not matches(dW, want):
        raise Hint("dW has the right shape but wrong values. Weight W[d, h] multiplies x[:, d] "
                   "into z[:, h], so its gradient is Σ_n x[n, d] · dout[n, h] = (x.T @ dout)[d, h].")


def _check_db(db, dout) -> None:
    want = dout.sum(axis=0)
    if db.shape == (N,) and matches(db, dout.sum(axis=1)):
        raise Hint(f"db has shape ({N},) — one number per sample. b has one entry per unit "
                   f"({H},): sum over the samples, axis=0: db = dout.sum(axis=0).")
    if db.size == 1:
        raise Hint(f"db is a single number; it should have shape ({H},), one entry per unit like "
                   f"b. Sum over the rows only: dout.sum(axis=0).")
    if db.shape == (1, H):
        raise Hint(f"db has shape (1, {H}); b has shape ({H},), one number per unit. Sum over "
                   f"the rows into a flat array: dout.sum(axis=0), without keepdims=True.")
    if db.shape != want.shape:
        raise Hint(f"db has shape {db.shape}; it should be ({H},), the shape of b.")
    if matches(db, want / N):
        raise Hint(f"db is {N}× too small: you averaged (dout.mean(axis=0)). The 1/N is already "
                   f"in dout, so the layer sums: db = dout.sum(axis=0).")
    if not matches(db, want):
        raise Hint("db has the right shape but wrong values: b is added to every row of z, so "
                   "its gradient is the sum of dout's rows, dout.sum(axis=0).")


def _unpack(result):
    if result is None:
        raise Hint("my_dense_backward returned None — end it with `return dx, dW, db`.")
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Hint("my_dense_backward should return three arrays, in this order: "
                   "`return dx, dW, db`.")
    names = ("dx", "dW", "db")
    arrays = [as_array(a, f"{name} (returned {k + 1}. of 3)") for k, (a, name) in
              enumerate(zip(result, names))]
    shapes = [a.shape for a in arrays]
    right = [(N, D), (D, H), (H,)]
    if shapes != right and sorted(map(str, shapes)) == sorted(map(str, right)):
        raise Hint(f"the three arrays come in another order (shapes {shapes}). Return them as "
                   f"dx, dW, db (shapes {right}).")
    return arrays


def _gradient_check(my_dense_backward, dout, x, W, b) -> dict[str, float]:
    """Relative errors of the learner's dx, dW, db against central differences of Σ z ⊙ dout."""
    x, W, b = x.copy(), W.copy(), b.copy()

    def f():
        return float(np.sum((x @ W + b) * dout))

    dx, dW, db = (np.asarray(a, float) for a in my_dense_backward(dout.copy(), x.copy(), W.copy()))
    return {"dx": gradcheck.relative_error(dx, gradcheck.numerical_gradient(f, x)),
            "dW": gradcheck.relative_error(dW, gradcheck.numerical_gradient(f, W)),
            "db": gradcheck.relative_error(db, gradcheck.numerical_gradient(f, b))}


@checker("dense_backward")
def check_dense_backward(my_dense_backward) -> str:
    """Check ``my_dense_backward(dout, x, W) -> (dx, dW, db)`` and run a gradient check on it."""
    dout, x, W, b = _data()
    try:
        result = call(my_dense_backward, dout, x, W, what="my_dense_backward(dout, x, W)")
    except _LearnerError as err:
        if isinstance(err.error, ValueError) and "matmul" in str(err.error) \
                or "shapes" in str(err.error) and "not aligned" in str(err.error):
            raise Hint(f"a matrix product failed: its shapes do not line up. Write down each "
                       f"shape first — {SHAPES} (NumPy said: {err.error})") from None
        raise
    dx, dW, db = _unpack(result)
    _check_dW(dW, dout, x, W)
    _check_db(db, dout)
    _check_dx(dx, dout, x, W)
    errors = _gradient_check(my_dense_backward, dout, x, W, b)
    worst = max(errors.values())
    if worst > 1e-6:                                # values matched, so this should not happen
        raise Hint(f"the gradient check disagrees: relative errors {errors}.")
    return (f"dx, dW and db are right, and the gradient check agrees: the largest relative "
            f"error is {worst:.0e}, far below 1e-6. This is exactly Dense.backward_from_z in "
            f"nnkit.")


# ---- exercise 2: an initialization experiment -----------------------------------------------------
#
# Six Dense layers of 100 units, one batch of 200 random inputs (each feature with spread 1), and
# five ways to draw the first weights.  ``init_experiment(name)`` measures, layer by layer, the
# spread (standard deviation) of the activations h_l, the share of tanh units stuck near ±1, and
# how many *different* units the first hidden layer has.  The learner reads the numbers and names
# what happens; ``check_init_conclusions`` compares with the verdict the numbers give.
#
#     zeros           every unit computes the same thing: symmetry, never broken by training
#     small (σ=0.01)  each layer multiplies the spread by about σ·sqrt(fan_in) = 0.1: vanishing
#     large (σ=1)     z has spread ≈ 10, tanh(z) = ±1: saturated, its slope 1 - h² ≈ 0
#     glorot / he     Var(W) = 2/(fan_in + fan_out) (tanh) or 2/fan_in (ReLU): the spread holds

from nnkit import layers as _layers  # noqa: E402
from nnkit.models import Sequential  # noqa: E402

__all__ += ["check_init_conclusions", "init_experiment", "init_verdict", "INITIALIZATIONS"]

DEPTH, WIDTH, SAMPLES = 6, 100, 200
CONCLUSIONS = ("identical", "vanishing", "saturated", "steady")
#: words a learner may reasonably write for one of CONCLUSIONS (compared in lower case)
SYNONYMS = {"exploding": "saturated", "explode": "saturated", "explodes": "saturated",
            "exploded": "saturated", "stable": "steady", "symmetric": "identical"}


def _normal(std: float):
    def normal(shape, rng):
        return rng.normal(0.0, std, size=shape)
    normal.__name__ = f"normal_{std:g}"
    return normal


#: name → (kernel_initializer, activation)
INITIALIZATIONS = {
    "zeros": ("zeros", "tanh"),
    "small": (_normal(0.01), "tanh"),
    "large": (_normal(1.0), "tanh"),
    "glorot": ("glorot_uniform", "tanh"),
    "he": ("he_normal", "relu"),
}


def init_experiment(name: str, depth: int = DEPTH, width: int = WIDTH, seed: int = 0) -> dict:
    """Run one initialization: ``{"std": [spread of h_1 … h_depth], "saturated": [share of
    tanh units with |h| > 0.99 per layer], "distinct_units": how many different columns h_1 has}``."""
    if name not in INITIALIZATIONS:
        raise ValueError(f"name must be one of {', '.join(INITIALIZATIONS)}. Received: {name!r}.")
    initializer, activation = INITIALIZATIONS[name]
    model = Sequential([_layers.Dense(width, activation=activation, input_shape=(width,),
                                      kernel_initializer=initializer)] +
                       [_layers.Dense(width, activation=activation, kernel_initializer=initializer)
                        for _ in range(depth - 1)], seed=seed)
    x = np.random.default_rng(seed).normal(0.0, 1.0, size=(SAMPLES, width))
    outs = model.layer_outputs(x)
    first = np.round(outs[0], 12)
    return {"std": [float(h.std()) for h in outs],
            "saturated": [float(np.mean(np.abs(h) > 0.99)) if activation == "tanh" else 0.0
                          for h in outs],                   # ReLU has no ±1 to get stuck at
            "distinct_units": int(len(np.unique(first.T, axis=0)))}


def init_verdict(result: dict) -> str:
    """What the numbers of ``init_experiment`` say, as one word of ``CONCLUSIONS``."""
    std = result["std"]
    if result["distinct_units"] == 1:
        return "identical"
    if result["saturated"][-1] > 0.5:
        return "saturated"
    if std[-1] < 0.05 * std[0] or std[-1] < 1e-3:
        return "vanishing"
    return "steady"


def _spread(result) -> str:
    return " → ".join(f"{s:.2g}" for s in result["std"])


WHY_INIT = {
    "identical": "every hidden unit starts with the same weights, so all compute the same output "
                 "and receive the same gradient: they stay copies of each other forever (symmetry). "
                 "Random weights break the symmetry",
    "vanishing": "each layer multiplies the spread by about σ·sqrt(fan_in) = 0.01·10 = 0.1, so "
                 "after six layers almost nothing of the input is left — and the gradients shrink "
                 "the same way on the way back",
    "saturated": "z = Σ w x has spread about σ·sqrt(fan_in) = 10, so tanh(z) is ±1 almost "
                 "everywhere and its slope 1 - h² is about 0: the gradients vanish through the "
                 "saturated units",
    "steady": "the variance of W is matched to the layer's size (Glorot: 2/(fan_in + fan_out) for "
              "tanh; He: 2/fan_in for ReLU), so the spread of the activations stays of the same "
              "order from layer to layer (with tanh it shrinks slowly, not tenfold per layer)",
}


@register_solution("init_conclusions")
def init_conclusions():
    """What each initialization does to the activations of a deep network."""
    return {"zeros": "identical", "small": "vanishing", "large": "saturated",
            "glorot": "steady", "he": "steady"}


@checker("init_conclusions", takes_function=False)
def check_init_conclusions(conclusions) -> str:
    """Check a dict ``{"zeros": …, "small": …, "large": …, "glorot": …, "he": …}``, each one of
    "identical", "vanishing", "saturated", "steady", against the experiment's numbers."""
    if not isinstance(conclusions, dict):
        raise Hint(f"give your conclusions as a dict, e.g. {{'zeros': 'identical', …}}. "
                   f"Received: {type(conclusions).__name__}.")
    missing = [name for name in INITIALIZATIONS if name not in conclusions]
    if missing:
        raise Hint(f"your dict has no conclusion for {', '.join(map(repr, missing))}: one word "
                   f"for each of {', '.join(map(repr, INITIALIZATIONS))}.")
    words, notes = {}, []
    for name in INITIALIZATIONS:
        given = conclusions[name]
        word = given.strip().lower() if isinstance(given, str) else given
        if word in SYNONYMS:
            notes.append(f"you wrote {given!r} for {name!r}; the checker calls it "
                         f"{SYNONYMS[word]!r}" + (": with tanh nothing can explode — the "
                         "activations stick at ±1 and the gradients through them vanish"
                         if SYNONYMS[word] == "saturated" else ""))
            word = SYNONYMS[word]
        if word not in CONCLUSIONS:
            raise Hint(f"for {name!r} you wrote {given!r}; choose one of "
                       f"{', '.join(map(repr, CONCLUSIONS))}.")
        words[name] = word
    for name in INITIALIZATIONS:
        result = init_experiment(name)
        truth, word = init_verdict(result), words[name]
        if word != truth:
            numbers = (f"the first hidden layer has {result['distinct_units']} different unit(s)"
                       if truth == "identical" else
                       f"the spread goes {_spread(result)} layer by layer, and "
                       f"{result['saturated'][-1]:.0%} of the last layer's units are stuck "
                       f"near ±1")
            raise Hint(f"{name!r}: you wrote {conclusions[name]!r}, but look at the numbers: "
                       f"{numbers}. That is {truth!r}: {WHY_INIT[truth]}.")
    note = f" (Note: {'; '.join(notes)}.)" if notes else ""
    return ("zeros → identical units (symmetry), σ = 0.01 → vanishing, σ = 1 → saturated, "
            "Glorot (tanh) and He (ReLU) → the spread holds. That is why nnkit and Keras start "
            "Dense layers with glorot_uniform, and why ReLU networks use he_normal." + note)
