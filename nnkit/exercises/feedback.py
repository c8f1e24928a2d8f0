"""How an exercise check talks to the learner: "✓ Correct — …" or "✗ Not yet — <a hint>".

A checker is a small function decorated with ``@checker("name")``.  Its body calls the learner's
function through ``call`` and compares with ``expect_*`` helpers; the first difference raises
``Hint("what differs, and what to try")``.  The decorator turns that into a printed message::

    @register_solution("sigmoid")
    def sigmoid(z):                        # the reference answer, shown only on request
        return 1 / (1 + np.exp(-z))

    @checker("sigmoid")
    def check_sigmoid(my_sigmoid):
        got = call(my_sigmoid, 0.0, what=named(my_sigmoid, "(0.0)"))
        if np.isclose(got, 1.0):
            raise Hint("your sigmoid(0) returned 1.0; σ(0) should be 0.5 — did you write "
                       "1 + e^{-x} without the 1 / (…)?")
        expect_close(got, 0.5, what="my_sigmoid(0.0)")
        return "σ(0) = 0.5 and σ(z) → 1 for large z."

A check never raises on a wrong answer (so "Run All" reaches the end of a lesson); it prints one
message and returns a ``CheckResult``, which is true when the answer passed.  If the learner's
function still raises ``NotImplementedError`` (the stub as shipped), the message says so.
Errors inside the checker itself are *not* hidden: they are bugs and propagate.

``solution("sigmoid")`` returns the reference answer's source as text — asked for, never shown
by default.
"""
from __future__ import annotations

import inspect
import textwrap
from typing import Callable

import numpy as np

from nnkit.i18n import N_, _

__all__ = ["CheckResult", "Hint", "checker", "named", "call", "as_array", "as_whole_number",
           "expect_shape", "expect_close", "matches", "register_solution", "solution", "reference",
           "SOLUTIONS"]

PASS = N_("✓ Correct — ")       # shown in the language of nnkit.set_language
FAIL = N_("✗ Not yet — ")

#: name → reference function, filled by ``@register_solution`` in each ``lesson_XX`` module
SOLUTIONS: dict[str, Callable] = {}


class Hint(Exception):
    """Raised inside a checker at the first difference; its message is the hint shown."""


class _LearnerError(Exception):
    """The learner's function raised: wraps the original so the checker can explain it."""

    def __init__(self, what: str, error: BaseException, advice: str = ""):
        super().__init__(what)
        self.what, self.error, self.advice = what, error, advice


class CheckResult:
    """The outcome of one check: true if it passed.  ``message`` is what was printed."""

    def __init__(self, name: str, passed: bool, message: str):
        self.name, self.passed, self.message = name, passed, message

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"CheckResult({self.name!r}, passed={self.passed})"

    def _ipython_display_(self) -> None:
        """Show nothing when a check is the last line of a cell: the message is already printed."""


def checker(name: str, takes_function: bool = True):
    """Make ``body(answer, …) -> success text`` into a check that prints and returns a result.

    name:           the exercise's name, as ``solution(name)`` knows it.
    takes_function: True when the answer is the learner's function (the usual case); False when
                    it is a value, e.g. a number the learner read off a plot.
    """

    def wrap(body: Callable[..., str]) -> Callable[..., CheckResult]:
        def check(answer=None, *args, **kwargs) -> CheckResult:
            try:
                if answer is None or takes_function and not callable(answer):
                    raise Hint(_not_a_function(check.__name__, answer, takes_function))
                success = body(answer, *args, **kwargs)
            except Hint as hint:
                return _report(name, False, str(hint))
            except _LearnerError as err:
                return _report(name, False, _explain(err))
            return _report(name, True, success)

        check.__name__ = check.__qualname__ = body.__name__
        check.__doc__ = body.__doc__
        check.__module__ = body.__module__
        check.__wrapped__ = body
        return check

    return wrap


def _not_a_function(check_name: str, answer, takes_function: bool) -> str:
    if answer is None:
        what = _("your function itself, e.g. ") if takes_function else _("your answer, e.g. ")
        return _("{check} received None. Pass {what}{check}(my_answer) — did the cell that "
                 "defines it run, and does it return a value?").format(check=check_name, what=what)
    return _("{check} needs your function, not its result: write {check}(my_function) without "
             "the parentheses after my_function. Received a {type}.").format(
        check=check_name, type=type(answer).__name__)


def _explain(err: _LearnerError) -> str:
    e = err.error
    if isinstance(e, NotImplementedError):
        return _("{what} still raises NotImplementedError: replace the `raise "
                 "NotImplementedError` line with your code, run that cell, then this one "
                 "again.").format(what=err.what)
    text = _("{what} raised {error}: {message}").format(what=err.what, error=type(e).__name__,
                                                        message=e)
    return text + (f" — {err.advice}" if err.advice else "")


def _report(name: str, passed: bool, text: str) -> CheckResult:
    if passed:
        message = _(PASS) + text
    else:
        message = _(FAIL) + text
        if name in SOLUTIONS:
            message += "\n  " + _("(Stuck? {code} shows one answer.)").format(
                code=f"print(solution({name!r}))")
    print(message)
    return CheckResult(name, passed, message)


def named(function: Callable, arguments: str) -> str:
    """How a hint names the call: ``named(my_forward, "(x, weights)")`` → "my_forward(x, weights)".

    The learner's own function name is used, so the hint matches the cell they wrote; a lambda
    or a nameless callable becomes "your function(…)".
    """
    name = getattr(function, "__name__", "")
    if not name.isidentifier():
        name = _("your function")
    return f"{name}{arguments}"


def call(function: Callable, *args, what: str, advice: str = "", **kwargs):
    """Call the learner's ``function``; if it raises, the check reports it (naming ``what``).

    ``advice`` is added to that report when the error is not the stub's NotImplementedError,
    e.g. the usual cause of a shape error in this exercise.

    The arguments are copied first, so a function that changes its input in place cannot spoil
    the checker's own data.
    """
    args = [a.copy() if isinstance(a, np.ndarray) else
            [x.copy() if isinstance(x, np.ndarray) else x for x in a] if isinstance(a, list)
            else a for a in args]
    try:
        return function(*args, **kwargs)
    except Exception as error:  # noqa: BLE001 — the learner's code may raise anything
        raise _LearnerError(what, error, advice) from error


def as_array(value, what: str) -> np.ndarray:
    """``value`` as a float array, or a hint if it is not numbers (None: a missing return)."""
    if value is None:
        raise Hint(_("{what} returned None — is a `return` missing at the end of your "
                     "function?").format(what=what))
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Hint(_("{what} returned {type} {value}, not numbers.").format(
            what=what, type=type(value).__name__, value=f"{value!r:.60}")) from None


def expect_shape(value, shape: tuple, what: str, why: str = "") -> np.ndarray:
    """The value as an array of exactly ``shape``, or a hint naming both shapes."""
    arr = as_array(value, what)
    if arr.shape != tuple(shape):
        raise Hint(_("{what} has shape {shape}; it should be {expected}.").format(
            what=what, shape=arr.shape, expected=tuple(shape)) + (f" {why}" if why else ""))
    return arr


def expect_close(value, expected, what: str, rtol: float = 1e-6, atol: float = 1e-9) -> np.ndarray:
    """Compare numbers; the hint names the first entry that differs and both values."""
    expected = np.asarray(expected, dtype=float)
    arr = expect_shape(value, expected.shape, what)
    if not np.all(np.isfinite(arr)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(arr))[0])
        raise Hint(_("{what} contains {value} at index {where}: look for a division by zero or "
                     "an exp() of a large number.").format(
            what=what, value=arr[where] if arr.ndim else arr, where=where))
    bad = ~np.isclose(arr, expected, rtol=rtol, atol=atol)
    if bad.any():
        if arr.ndim == 0:
            raise Hint(_("{what} returned {value}; it should be {expected}.").format(
                what=what, value=f"{float(arr):.6g}", expected=f"{float(expected):.6g}"))
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise Hint(_("{what}{where} is {value}; it should be {expected} ({bad} of {size} entries "
                     "differ).").format(what=what, where=list(where), value=f"{arr[where]:.6g}",
                                        expected=f"{expected[where]:.6g}", bad=int(bad.sum()),
                                        size=bad.size))
    return arr


def as_whole_number(value, what: str) -> int:
    """An int from the learner's count (int, NumPy integer or a whole float), or a hint."""
    if value is None:
        raise Hint(_("{what} returned None — is a `return` missing at the end of your "
                     "function?").format(what=what))
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                      np.floating)):
        raise Hint(_("{what} returned {type} {value}; it should return one whole number.").format(
            what=what, type=type(value).__name__, value=f"{value!r:.40}"))
    if value != int(value):
        raise Hint(_("{what} returned {value}; a count is a whole number.").format(
            what=what, value=value))
    return int(value)


def matches(value, candidate, rtol: float = 1e-6) -> bool:
    """True if ``value`` equals ``candidate`` (same shape, close values): spots a known slip."""
    try:
        a, b = np.asarray(value, dtype=float), np.asarray(candidate, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=1e-9))


# ---- solutions -----------------------------------------------------------------------------------
def register_solution(name: str):
    """Decorator: record ``function`` as the reference answer called ``name``."""

    def record(function: Callable) -> Callable:
        if name in SOLUTIONS:
            raise ValueError(f"A solution called {name!r} is already registered "
                             f"(in {SOLUTIONS[name].__module__}). Pick another name.")
        SOLUTIONS[name] = function
        return function

    return record


def reference(name: str) -> Callable:
    """The reference answer ``name`` as a function (what the checks compare against)."""
    if name not in SOLUTIONS:
        known = ", ".join(repr(n) for n in sorted(SOLUTIONS)) or "none yet"
        raise ValueError(f"There is no solution called {name!r}. Known: {known}.")
    return SOLUTIONS[name]


class SolutionText(str):
    """Source code as a string that shows as code in a notebook, not as one long quoted line."""

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))

    def _repr_markdown_(self) -> str:
        return f"```python\n{self}```"


def solution(name: str) -> SolutionText:
    """The source of the reference answer ``name``, e.g. ``print(solution("mlp_forward"))``."""
    source = textwrap.dedent(inspect.getsource(reference(name)))
    lines = [line for line in source.splitlines(keepends=True)
             if not line.startswith("@register_solution")]
    return SolutionText("".join(lines))
