"""The checkers of lessons 01–05, 07 and 08: a right answer passes, a typical slip gets its hint.

Each test feeds a checker the kind of answer a learner writes — the reference, then the usual
mistakes (e^z for e^(-z), a missing transpose in dW, a sum where the mean belongs …) — and reads
the message it prints.  A check never raises on a wrong answer, so "Run All" reaches the end of a
lesson; its result is true only when the answer passed.
"""
import math

import numpy as np
import pytest

from nnkit import exercises
from nnkit.exercises import feedback


def passes(check, answer, *args, capsys=None):
    result = check(answer, *args)
    return bool(result), result.message


def hint_of(check, answer, *args) -> str:
    result = check(answer, *args)
    assert not result, f"expected a hint, but {check.__name__} passed: {result.message}"
    return result.message


def stub(*args, **kwargs):
    raise NotImplementedError


# ---------------------------------------------------------------- lesson 01: sigmoid
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_sigmoid_right_answer_passes(capsys):
    assert exercises.check_sigmoid(sigmoid)
    assert "✓ Correct" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, words", [
    (lambda z: 1 / (1 + np.exp(z)), "np.exp(-z)"),            # e^{x} instead of e^{-x}
    (lambda z: 1 + np.exp(-z), "denominator"),                # forgot 1 / (…)
    (lambda z: 1 / 1 + np.exp(-z), "parentheses"),            # precedence
    (lambda z: 1 / (1 + math.exp(-z)), "np.exp"),             # math.exp cannot take arrays
    (lambda z: 1 - sigmoid(z), "falls as z grows"),
])
def test_sigmoid_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_sigmoid, wrong)


def test_sigmoid_stub_says_what_to_do():
    message = hint_of(exercises.check_sigmoid, stub)
    assert "NotImplementedError" in message and "solution('sigmoid')" in message


def test_sigmoid_result_instead_of_function():
    assert "without the parentheses" in hint_of(exercises.check_sigmoid, sigmoid(0.0))


def test_sigmoid_derivative():
    assert exercises.check_sigmoid_derivative(lambda z: sigmoid(z) * (1 - sigmoid(z)))
    assert "OUTPUT h" in hint_of(exercises.check_sigmoid_derivative, lambda z: z * (1 - z))
    assert "with a minus" in hint_of(exercises.check_sigmoid_derivative,
                                     lambda z: sigmoid(z) * (1 + sigmoid(z)))
    assert "σ(z) itself" in hint_of(exercises.check_sigmoid_derivative, sigmoid)


# ---------------------------------------------------------------- lesson 02: forward pass
def forward(x, W1, b1, W2, b2):
    return sigmoid(np.tanh(x @ W1 + b1) @ W2 + b2)


def test_forward_pass_right_answer_passes():
    assert exercises.check_forward_pass(forward)


@pytest.mark.parametrize("wrong, words", [
    (lambda x, W1, b1, W2, b2: sigmoid(np.tanh(W1 @ x + b1) @ W2 + b2), "x @ W1, not W1 @ x"),
    (lambda x, W1, b1, W2, b2: sigmoid(np.tanh(x @ W1) @ W2 + b2), "bias b1 is missing"),
    (lambda x, W1, b1, W2, b2: sigmoid((x @ W1 + b1) @ W2 + b2), "hidden layer is missing"),
    (lambda x, W1, b1, W2, b2: np.tanh(x @ W1 + b1) @ W2 + b2, "needs its activation"),
    (lambda x, W1, b1, W2, b2: forward(x, W1, b1, W2, b2)[:, 0], "(5, 1)"),
    (lambda x, W1, b1, W2, b2: np.tanh(sigmoid(x @ W1 + b1) @ W2 + b2), "swapped"),
])
def test_forward_pass_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_forward_pass, wrong)


def test_forward_pass_weights_are_the_same_for_everyone():
    a, b = exercises.weights_2_3_1(), exercises.weights_2_3_1()
    assert {k: v.shape for k, v in a.items()} == {"W1": (2, 3), "b1": (3,), "W2": (3, 1),
                                                  "b2": (1,)}
    assert all(np.array_equal(a[k], b[k]) for k in a)


# ---------------------------------------------------------------- lesson 03: cross-entropy
def cross_entropy(y, p):
    return -np.sum(y * np.log(np.clip(p, 1e-12, 1))) / len(y)


def test_cross_entropy_right_answer_passes(capsys):
    assert exercises.check_cross_entropy(cross_entropy)
    assert "safe at p = 0" in capsys.readouterr().out


def test_cross_entropy_without_clipping_passes_with_a_note(capsys):
    assert exercises.check_cross_entropy(lambda y, p: -np.sum(y * np.log(p)) / len(y))
    assert "np.clip" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, words", [
    (lambda y, p: -np.sum(y * np.log(p)), "summed over the batch"),       # no average
    (lambda y, p: np.sum(y * np.log(p)) / len(y), "minus sign"),
    (lambda y, p: -np.mean(y * np.log(p)), "all N·K entries"),
    (lambda y, p: -np.sum(y * np.log10(p)) / len(y), "natural log"),
    (lambda y, p: -np.sum(y * np.log(p), axis=1), "ONE number"),
    (lambda y, p: -np.sum(p * np.log(y)) / len(y), "swap the arguments"),
    (lambda y, p: -np.sum(y * np.log(p)) / 3, "len(y)"),                  # fixed N
    (lambda y, p: -np.sum(np.log(p)) / len(y), "one-hot y"),
])
def test_cross_entropy_slips_get_their_hint(wrong, words):
    with np.errstate(divide="ignore", invalid="ignore"):
        assert words in hint_of(exercises.check_cross_entropy, wrong)


# ---------------------------------------------------------------- lesson 05: Dense backward
def dense_backward(dout, x, W):
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def test_dense_backward_right_answer_passes_the_gradient_check(capsys):
    assert exercises.check_dense_backward(dense_backward)
    assert "gradient check agrees" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, words", [
    (lambda d, x, W: (d @ W.T, d.T @ x, d.sum(0)), "dW = x.T @ dout"),      # missing transpose
    (lambda d, x, W: (d @ W.T, x @ d, d.sum(0)), "shapes do not line up"),
    (lambda d, x, W: (d @ W.T, x.T @ d / len(x), d.sum(0)), "averaged over the batch"),
    (lambda d, x, W: (d @ W.T, x.T @ d, d.mean(0)), "4× too small"),
    (lambda d, x, W: (d @ W.T, x.T @ d, d.sum(1)), "axis=0"),
    (lambda d, x, W: (d @ W.T, x.T @ d, d.sum()), "single number"),
    (lambda d, x, W: ((d @ W.T).T, x.T @ d, d.sum(0)), "dx = dout @ W.T"),
    (lambda d, x, W: (x.T @ d, d.sum(0), d @ W.T), "dx, dW, db"),
    (lambda d, x, W: None, "return dx, dW, db"),
])
def test_dense_backward_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_dense_backward, wrong)


# ---------------------------------------------------------------- solutions
@pytest.mark.parametrize("name, check", [
    ("sigmoid", "check_sigmoid"), ("sigmoid_derivative", "check_sigmoid_derivative"),
    ("forward_2_3_1", "check_forward_pass"), ("cross_entropy", "check_cross_entropy"),
    ("dense_backward", "check_dense_backward"),
])
def test_every_reference_solution_passes_its_own_check(name, check):
    assert getattr(exercises, check)(feedback.reference(name))
    assert "def " in exercises.solution(name)
