"""Lesson 13: the quantization exercise's reference passes its check on the lesson's own objects,
and each typical slip gets the hint written for it.

The first test runs the lesson's cells in a real kernel up to the exercise's check, puts the
reference answer (``reference("quantize")``) where the learner's function goes, runs the lesson's
own check cell, and compares the answer on the lesson's trained vowel network with
``nnkit.quantization.quantize_array``.  The slips are checked without a kernel.
"""
from __future__ import annotations

import nbformat
import numpy as np
import pytest

from lesson_kernel import LESSONS, run_lesson_then
from nnkit.exercises.feedback import reference
from nnkit.exercises.lesson_13 import check_quantize

L13 = "13_speech_and_the_future.ipynb"
PASS, FAIL = "✓ Correct", "✗ Not yet"


def cell_source(lesson: str, containing: str) -> str:
    for cell in nbformat.read(LESSONS / lesson, as_version=4).cells:
        if cell.cell_type == "code" and containing in cell.source:
            return cell.source
    raise AssertionError(f"{lesson} has no code cell containing {containing!r}")


def sections(text: str) -> dict[str, str]:
    """Split printed text at lines '=== name' into {name: what followed}."""
    out, name = {}, None
    for line in text.splitlines(keepends=True):
        if line.startswith("=== "):
            name = line[4:].strip()
            out[name] = ""
        elif name is not None:
            out[name] += line
    return out


def test_quantize_reference_passes_and_matches_the_library_on_the_lessons_network():
    check = cell_source(L13, "check_quantize(my_quantize)")
    printed = sections(run_lesson_then(L13, before="check_quantize(my_quantize)", extra=[
        'from nnkit.exercises.feedback import reference\n'
        'my_quantize = reference("quantize")\nprint("=== reference")',
        check,
        # what the lesson says after the check: same q and s as quantize_array on W1, and no
        # weight moves by more than half a step
        'q, s = my_quantize(W1, 8)\nq_lib, s_lib = quantize_array(W1, 8)\n'
        'print("=== on the lesson\'s network")\n'
        'print(W1.shape, bool(np.array_equal(q, q_lib)), bool(np.isclose(s, s_lib)),\n'
        '      bool(np.abs(W1 - s * q).max() <= s / 2 + 1e-12), int(np.abs(q).max()))',
        # a typical slip, in the same kernel: the largest weight instead of the largest in size
        'def my_quantize(W, bits):\n'
        '    s = W.max() / (2 ** (bits - 1) - 1)\n'
        '    return np.round(W / s), s\n'
        'print("=== max W")',
        check,
    ]))
    assert printed["reference"].startswith(PASS), printed["reference"]
    assert printed["on the lesson's network"].strip() == "(2730, 32) True True True 127"
    hint = printed["max W"]
    assert hint.startswith(FAIL) and "max|W|" in hint and "-1.27" in hint, hint


def levels(bits):
    return 2 ** (bits - 1) - 1


def scaled(divisor):
    """A slip that divides max|W| by divisor(bits) instead of 2^(b-1) - 1."""
    def my_quantize(W, bits):
        s = np.abs(W).max() / divisor(bits)
        return np.round(W / s), s
    return my_quantize


def right_scale(make_q):
    def my_quantize(W, bits):
        s = np.abs(W).max() / levels(bits)
        return make_q(W / s), s
    return my_quantize


SLIPS = {
    "divides by 2^b": (scaled(lambda b: 2 ** b), "divide by 2^(b-1) - 1 = 127"),
    "divides by 2^(b-1)": (scaled(lambda b: 2 ** (b - 1)), "max|W| / 128 (2^(b-1))"),
    "divides by 2^b - 1": (scaled(lambda b: 2 ** b - 1), "max|W| / 255 (2^b - 1)"),
    "scale upside down": (lambda W, b: (np.round(W / (np.abs(W).max() / levels(b))),
                                        levels(b) / np.abs(W).max()), "upside down"),
    "no rounding": (right_scale(lambda z: z), "np.round"),
    "truncates": (right_scale(lambda z: z.astype(int)), "cut towards zero"),
    "floors": (right_scale(np.floor), "rounded down (np.floor)"),
    "returns s·q": (lambda W, b: (reference("quantize")(W, b)[0] * reference("quantize")(W, b)[1],
                                  reference("quantize")(W, b)[1]), "did you return s·q"),
    "returns s, q": (lambda W, b: reference("quantize")(W, b)[::-1], "returned the scale first"),
    "returns q only": (lambda W, b: reference("quantize")(W, b)[0], "`return q, s`"),
    "scale per row": (lambda W, b: (np.round(W / (np.abs(W).max(axis=-1, keepdims=True) / levels(b))),
                                    np.abs(W).max(axis=-1, keepdims=True) / levels(b)),
                      "one number for the whole array"),
}


@pytest.mark.parametrize("slip", sorted(SLIPS))
def test_each_typical_slip_gets_its_hint(slip, capsys):
    answer, words = SLIPS[slip]
    result = check_quantize(answer)
    message = capsys.readouterr().out
    assert not result and message.startswith(FAIL), message
    assert words in message, message


def test_the_reference_and_an_int8_answer_pass(capsys):
    assert check_quantize(reference("quantize"))
    assert check_quantize(lambda W, b: (quantize_int8(W, b), np.abs(W).max() / levels(b)))
    assert capsys.readouterr().out.count(PASS) == 2


def quantize_int8(W, bits):
    return np.round(W / (np.abs(W).max() / levels(bits))).astype(np.int8)
