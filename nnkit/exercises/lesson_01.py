"""Lesson 01 · Neurons and activations: write the sigmoid σ(z) and its derivative σ'(z).

    σ(z)  = 1 / (1 + e^(-z))
    σ'(z) = σ(z) · (1 - σ(z))

Each check tries the learner's function on a handful of inputs (a number, an array, large ±z)
and, when the answer is off, looks for the usual slips — e^(+z) instead of e^(-z), a missing
``1 / (…)``, ``math.exp`` that cannot take arrays, the derivative written with z where the
formula has σ(z) — and names the slip in its hint.
"""
from __future__ import annotations

import numpy as np

from nnkit.i18n import _
from nnkit.exercises.feedback import Hint, _LearnerError, as_array, call, checker, expect_close, \
    matches, named, register_solution

__all__ = ["check_sigmoid", "check_sigmoid_derivative"]

Z = np.array([-6.0, -2.0, -0.5, 0.0, 0.5, 2.0, 6.0])


@register_solution("sigmoid")
def sigmoid(z):
    """σ(z) = 1 / (1 + e^(-z)), elementwise; works for numbers and arrays."""
    return 1.0 / (1.0 + np.exp(-z))


@register_solution("sigmoid_derivative")
def sigmoid_derivative(z):
    """σ'(z) = σ(z) (1 - σ(z))."""
    h = 1.0 / (1.0 + np.exp(-z))
    return h * (1.0 - h)


def _true_sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))   # never overflows


def _on_array(function, what: str) -> np.ndarray:
    """The learner's ``function`` on the array Z, with a hint if it only handles single numbers."""
    try:
        return as_array(call(function, Z, what=f"{what}(z)"), f"{what}(z) for an array z")
    except _LearnerError as err:
        text = str(err.error)
        if isinstance(err.error, TypeError) and any(
                words in text for words in ("size-1", "length-1", "0-dimensional", "scalar",
                                            "must be real")):
            raise Hint(_("{what} works on one number but not on an array: math.exp takes a "
                         "single number. Use np.exp, which works elementwise on whole "
                         "arrays.").format(what=what)) from None
        raise


@checker("sigmoid")
def check_sigmoid(my_sigmoid) -> str:
    """Check ``my_sigmoid(z)`` = 1 / (1 + e^(-z)) on numbers and arrays."""
    at_zero = as_array(call(my_sigmoid, 0.0, what="my_sigmoid(0.0)"), "my_sigmoid(0.0)")
    if at_zero.shape not in ((), (1,)):
        raise Hint(_("my_sigmoid(0.0) returned an array of shape {shape}; for a single number "
                     "it should return a single number.").format(shape=at_zero.shape))
    at_zero = float(at_zero.reshape(()))
    if np.isclose(at_zero, 2.0):
        raise Hint(_("my_sigmoid(0) returned 2.0, which is 1 + e^0: the denominator alone. "
                     "Either the 1 / (…) is missing, or its parentheses are: 1 / 1 + np.exp(-z) "
                     "divides 1 by 1 before it adds. Divide 1 by the whole denominator: "
                     "1 / (1 + np.exp(-z))."))
    if np.isclose(at_zero, 1.0):
        raise Hint(_("my_sigmoid(0) returned 1.0, but σ(0) = 1 / (1 + e^0) = 1/2: the "
                     "denominator needs both terms, 1 + e^(-z). Write 1 / (1 + np.exp(-z))."))
    got = _on_array(my_sigmoid, "my_sigmoid")
    want = _true_sigmoid(Z)
    if got.shape != Z.shape:
        raise Hint(_("my_sigmoid(z) for z of shape {z_shape} returned shape {shape}; a sigmoid "
                     "works elementwise, so the output has the shape of the input.").format(
            z_shape=Z.shape, shape=got.shape))
    if matches(got, _true_sigmoid(-Z)):
        raise Hint(_("your σ(z) is σ(-z) = 1 - σ(z): it falls as z grows. The exponent needs a "
                     "minus sign: np.exp(-z), not np.exp(z)."))
    if matches(got, 1.0 / (1.0 + np.exp(-Z)) ** 2) or matches(got, np.exp(-Z) / (1.0 + np.exp(-Z))):
        raise Hint(_("close, but not σ: check the numerator and the powers. "
                     "σ(z) = 1 / (1 + e^(-z))."))
    if matches(got, 1.0 / (1.0 + 10.0 ** (-Z))):
        raise Hint(_("you used 10^(-z); the sigmoid uses e^(-z) = np.exp(-z)."))
    expect_close(got, want, what="my_sigmoid(z)")
    return _("σ(0) = 0.5, σ rises from 0 to 1, and it works on whole arrays. Compare with "
             "nnkit's: nnkit.activations.get('sigmoid')(z).")


def _raised_in(error: BaseException) -> str:
    """The name of the function in which ``error`` was raised (the last frame of its traceback)."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name if tb is not None else ""


@checker("sigmoid_derivative")
def check_sigmoid_derivative(my_sigmoid_derivative) -> str:
    """Check ``my_sigmoid_derivative(z)`` = σ(z) (1 - σ(z)) on numbers and arrays."""
    what = named(my_sigmoid_derivative, "(0.0)")
    try:
        at_zero = call(my_sigmoid_derivative, 0.0, what=what)
    except _LearnerError as err:
        inner = _raised_in(err.error)
        if isinstance(err.error, NotImplementedError) and \
                inner not in ("", getattr(my_sigmoid_derivative, "__name__", "")):
            raise Hint(_("{what} calls {inner}, which still raises NotImplementedError: write "
                         "{inner} first (check_sigmoid tells you when it is right), run its "
                         "cell, then this check again.").format(what=what, inner=inner)) from None
        raise
    at_zero = as_array(at_zero, "my_sigmoid_derivative(0.0)")
    at_zero = float(at_zero.reshape(-1)[0]) if at_zero.size else float("nan")
    if np.isclose(at_zero, 0.0):
        raise Hint(_("my_sigmoid_derivative(0) returned 0, but the sigmoid is steepest at 0: "
                     "σ'(0) = σ(0)(1 - σ(0)) = 0.25. Did you write z * (1 - z)? The formula "
                     "h (1 - h) uses the OUTPUT h = σ(z), not the input z."))
    got = _on_array(my_sigmoid_derivative, "my_sigmoid_derivative")
    s = _true_sigmoid(Z)
    want = s * (1.0 - s)
    if got.shape != Z.shape:
        raise Hint(_("my_sigmoid_derivative(z) for z of shape {z_shape} returned shape {shape}; "
                     "the derivative is elementwise, same shape as z.").format(
            z_shape=Z.shape, shape=got.shape))
    if matches(got, Z * (1.0 - Z)):
        raise Hint(_("you computed z (1 - z). The formula h (1 - h) is written with the output "
                     "h = σ(z): first h = sigmoid(z), then h * (1 - h)."))
    if matches(got, s):
        raise Hint(_("you returned σ(z) itself. Its slope is σ(z) · (1 - σ(z))."))
    if matches(got, s * (1.0 + s)) or matches(got, s * s):
        raise Hint(_("check the second factor: σ'(z) = σ(z) · (1 - σ(z)), with a minus."))
    if matches(got, -want):
        raise Hint(_("your derivative is negative, but σ only ever rises, so σ'(z) > 0 "
                     "everywhere. Check the signs: σ(z) · (1 - σ(z))."))
    expect_close(got, want, what="my_sigmoid_derivative(z)")
    return _("σ'(0) = 0.25 is the largest slope σ ever has; far from 0 the slope is almost 0 "
             "(the neuron saturates, and little gradient flows back through it).")
