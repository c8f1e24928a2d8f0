"""Validation at the door: every public entry checks its arguments here first.

Each check raises ``ValueError`` or ``TypeError`` whose message names the parameter, echoes the
value, says what is allowed and, where it can, what to do.  Nothing here changes any state, so a
caller that validates before it acts leaves its object untouched when the input is bad.
"""
from __future__ import annotations

import difflib
import math
import numbers

import numpy as np

__all__ = [
    "positive_int", "non_negative_int", "real", "positive_float", "non_negative_float", "fraction",
    "one_of", "lookup", "finite_array", "same_length", "boolean",
]


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def positive_int(name: str, value, allow_none: bool = False):
    """Return ``value`` if it is an integer ≥ 1 (``bool`` is refused)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer. Received: {name}={_show(value)} "
                        f"(type {type(value).__name__}).")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (1 or more). Received: {name}={value}.")
    return int(value)


def non_negative_int(name: str, value):
    """Return ``value`` if it is an integer ≥ 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer ≥ 0. Received: {name}={_show(value)} "
                        f"(type {type(value).__name__}).")
    if value < 0:
        raise ValueError(f"{name} must be an integer ≥ 0. Received: {name}={value}.")
    return int(value)


def _real(name: str, value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {what}. Received: {name}={_show(value)} "
                        f"(type {type(value).__name__}).")
    value = float(value)
    if not math.isfinite(value):
        what = "a finite number" if what == "a number" else f"{what} (finite)"
        raise ValueError(f"{name} must be {what}. Received: {name}={value}.")
    return value


def real(name: str, value, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a float if it is a finite number in [low, high] (a control's range)."""
    value = _real(name, value, "a number")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}] (the control's range). "
                         f"Received: {name}={value:g}.")     # both bounds given, or neither
    return value


def positive_float(name: str, value, hint: str = "") -> float:
    """Return ``value`` as a float if it is finite and > 0."""
    value = _real(name, value, "a positive number")
    if value <= 0:
        raise ValueError(f"{name} must be a positive number (> 0). Received: {name}={value}.{hint}")
    return value


def non_negative_float(name: str, value) -> float:
    """Return ``value`` as a float if it is finite and ≥ 0."""
    value = _real(name, value, "a number ≥ 0")
    if value < 0:
        raise ValueError(f"{name} must be a number ≥ 0. Received: {name}={value}.")
    return value


def fraction(name: str, value, low_open: bool = False, high_open: bool = True) -> float:
    """Return ``value`` if it lies in [0, 1) (ends open or closed as asked)."""
    value = _real(name, value, "a number between 0 and 1")
    lo_ok = value > 0 if low_open else value >= 0
    hi_ok = value < 1 if high_open else value <= 1
    if not (lo_ok and hi_ok):
        interval = f"{'(' if low_open else '['}0, 1{')' if high_open else ']'}"
        raise ValueError(f"{name} must lie in {interval}. Received: {name}={value}.")
    return value


def boolean(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False. Received: {name}={_show(value)}.")
    return bool(value)


def one_of(name: str, value, allowed):
    """Return ``value`` if it is one of ``allowed``; suggest the closest otherwise."""
    allowed = list(allowed)
    if value in allowed:
        return value
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value.lower(), [str(a) for a in allowed], n=1, cutoff=0.5)
        if close:
            hint = f" Did you mean {close[0]!r}?"
    raise ValueError(f"Unknown {name} {_show(value)}.{hint} Allowed: "
                     f"{', '.join(repr(a) for a in allowed)}.")


def lookup(name: str, value, table: dict, base_class: type):
    """Resolve ``value`` (a name in ``table`` or an instance of ``base_class``) to an object.

    A string is looked up case-insensitively and the class found is instantiated with no arguments.
    """
    if isinstance(value, base_class):
        return value
    if isinstance(value, str):
        key = value.lower()
        if key in table:
            return table[key]()
        one_of(name, value, sorted(table))
    raise TypeError(f"{name} must be a name ({', '.join(repr(k) for k in sorted(table))}) or a "
                    f"{base_class.__name__} object. Received: {name}={_show(value)} "
                    f"(type {type(value).__name__}).")


def finite_array(name: str, x, ndim=None, dtype=None, allow_empty: bool = False) -> np.ndarray:
    """Return ``x`` as a numeric array after checking dimensions, emptiness and NaN/inf.

    ``ndim`` may be an int or a tuple of allowed ints.
    """
    if x is None:
        raise TypeError(f"{name} must be an array, not None.")
    try:
        arr = np.asarray(x, dtype=dtype)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{name} must be a numeric array. Received an object of type "
                        f"{type(x).__name__} that NumPy could not convert: {err}") from None
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must hold numbers. Received an array of dtype {arr.dtype}.")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be a {want} array. Received shape {arr.shape} "
                             f"({arr.ndim}-D).")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {arr.shape}). Pass at least one sample.")
    if np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s). Remove or impute them "
                         f"before training (e.g. x = np.nan_to_num(x)).")
    return arr


def same_length(x_name: str, x, y_name: str, y) -> None:
    if len(x) != len(y):
        raise ValueError(f"{x_name} and {y_name} must have the same number of samples. Received "
                         f"{x_name} with {len(x)} and {y_name} with {len(y)}.")
