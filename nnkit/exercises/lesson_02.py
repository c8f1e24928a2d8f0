"""Lesson 02 · The forward pass: compute a 2-3-1 network by hand in NumPy.

    z₁ = x W₁ + b₁,   h₁ = tanh(z₁)        x: (N, 2)   W₁: (2, 3)   b₁: (3,)   h₁: (N, 3)
    z₂ = h₁ W₂ + b₂,  ŷ  = σ(z₂)           W₂: (3, 1)  b₂: (1,)     ŷ: (N, 1)

Rows are samples, so the lesson's ``W x`` (one column vector) becomes ``x @ W`` for a batch —
the layout nnkit and Keras use.  The check runs the learner's function on a batch of 5 points
(5 differs from 2 and 3, so a transposed product cannot pass by accident) and names the usual
slips: the product in the wrong order, a missing bias or activation, the activations swapped.
"""
from __future__ import annotations

import numpy as np

from nnkit.i18n import N_, _
from nnkit.exercises.feedback import Hint, _LearnerError, as_array, call, checker, expect_close, \
    matches, register_solution

__all__ = ["check_forward_pass", "weights_2_3_1"]


@register_solution("forward_2_3_1")
def forward_2_3_1(x, W1, b1, W2, b2):
    """x: (N, 2) → ŷ: (N, 1) for a tanh hidden layer of 3 units and a sigmoid output."""
    h1 = np.tanh(x @ W1 + b1)                      # (N, 3)
    return 1.0 / (1.0 + np.exp(-(h1 @ W2 + b2)))   # (N, 1)


def weights_2_3_1() -> dict[str, np.ndarray]:
    """The lesson's 2-3-1 network, the same for every learner: ``{"W1", "b1", "W2", "b2"}``.

    W1: (2, 3), b1: (3,), W2: (3, 1), b2: (1,).  Each hidden tanh unit is positive on one side
    of a line (its column of W1 points away from that side); the three lines enclose a triangle
    around the origin, and the sigmoid output is near 1 only where all three agree — inside it.
    """
    return {"W1": np.array([[0.0, 1.7, -1.7],
                            [-2.0, 1.0, 1.0]]),
            "b1": np.array([3.0, 3.0, 3.0]),
            "W2": np.array([[2.0], [2.0], [2.0]]),
            "b2": np.array([-4.0])}


def _random_weights(seed: int) -> dict[str, np.ndarray]:
    """Other weights for the check (rounded normal numbers), so no special values hide a slip."""
    rng = np.random.default_rng(seed)
    return {"W1": rng.normal(size=(2, 3)).round(2), "b1": rng.normal(size=3).round(2),
            "W2": rng.normal(size=(3, 1)).round(2), "b2": rng.normal(size=1).round(2)}


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _variants(x, W1, b1, W2, b2) -> list[tuple[np.ndarray, str]]:
    """Typical wrong answers, each with the hint that explains it."""
    def out(hidden, output, bias1=True, bias2=True):
        h1 = hidden(x @ W1 + (b1 if bias1 else 0))
        return output(h1 @ W2 + (b2 if bias2 else 0))
    same = lambda z: z  # noqa: E731
    return [
        (out(np.tanh, same),
         N_("your output is z₂ itself: the output layer needs its activation, ŷ = σ(z₂), so the "
            "answer is a probability between 0 and 1.")),
        (out(same, _sigmoid),
         N_("the hidden layer is missing its activation: h₁ = tanh(x W₁ + b₁). Without it the "
            "two layers collapse into one linear map.")),
        (out(_sigmoid, np.tanh),
         N_("the activations are swapped: tanh in the hidden layer, σ at the output.")),
        (out(_sigmoid, _sigmoid),
         N_("the hidden layer should use tanh (np.tanh), not the sigmoid.")),
        (out(np.tanh, np.tanh),
         N_("the output layer should use the sigmoid σ, not tanh: its output is a probability "
            "between 0 and 1.")),
        (out(np.tanh, _sigmoid, bias1=False),
         N_("the hidden layer's bias b1 is missing: z₁ = x @ W1 + b1.")),
        (out(np.tanh, _sigmoid, bias2=False),
         N_("the output layer's bias b2 is missing: z₂ = h₁ @ W2 + b2.")),
        (out(np.tanh, _sigmoid, False, False),
         N_("both biases are missing: each layer computes x @ W + b.")),
    ]


@checker("forward_2_3_1")
def check_forward_pass(my_forward) -> str:
    """Check ``my_forward(x, W1, b1, W2, b2)`` against the 2-3-1 forward pass on 5 points."""
    w = _random_weights(seed=7)
    x = np.array([[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [0.0, 0.0], [-2.0, -0.5]])
    args = (x, w["W1"], w["b1"], w["W2"], w["b2"])
    try:
        got = call(my_forward, *args, what="my_forward(x, W1, b1, W2, b2)")
    except _LearnerError as err:
        if isinstance(err.error, ValueError) and "matmul" in str(err.error):
            raise Hint(_("a matrix product failed because the shapes do not line up. Rows are "
                         "samples: x is (N, 2) and W1 is (2, 3), so x @ W1 is (N, 3); then "
                         "h1 @ W2 is (N, 1). Write x @ W1, not W1 @ x. "
                         "(NumPy said: {error})").format(error=err.error)) from None
        raise
    got = as_array(got, "my_forward(x, W1, b1, W2, b2)")
    want = forward_2_3_1(*args)
    if got.shape in ((1, 5), (5,)) and matches(got.reshape(5, 1), want):
        raise Hint(_("the numbers are right but the shape is {shape}: keep one row per "
                     "sample and one column per output unit, (5, 1). Did you transpose, "
                     "or index [:, 0]?").format(shape=got.shape))
    if got.shape == (5, 3) and matches(got, np.tanh(x @ w["W1"] + w["b1"])):
        raise Hint(_("you returned the hidden layer's output h₁, shape (5, 3): the output "
                     "layer is still missing — ŷ = σ(h₁ W₂ + b₂), i.e. 1 / (1 + np.exp(-(h1 @ W2 "
                     "+ b2)))."))
    if got.shape != want.shape:
        raise Hint(_("for 5 points the output has shape {shape}; it should be (5, 1) — one "
                     "row per sample, one column for the single output unit. Rows are samples, "
                     "so each layer is x @ W + b (not W @ x).").format(shape=got.shape))
    for candidate, hint in _variants(*args):
        if matches(got, candidate):
            raise Hint(_(hint))
    expect_close(got, want, what="my_forward(x, ...)")
    return _("your 2-3-1 forward pass matches, to the last digit. Next cell: nnkit's Dense "
             "layers compute the same numbers.")
