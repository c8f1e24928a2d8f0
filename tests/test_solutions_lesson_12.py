"""Lesson 12: the reference cross-correlation passes its check on the lesson's own objects.

The lesson runs in a real kernel up to its exercise's check; the reference answer
(``reference("correlate2d")``) takes the learner's place, the lesson's check cell runs, and the
answer is compared with the lesson's Conv2D feature map ``z`` of Part 2 (what the lesson suggests
after the check).  Then typical slips, in the same kernel, get the hints written for them.
"""
from __future__ import annotations

from lesson_kernel import run_lesson_then

L12 = "12_convolution_and_images.ipynb"
CHECK = "check_correlate2d(my_correlate2d)"
PASS, FAIL = "✓ Correct", "✗ Not yet"


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


def test_correlate2d_reference_passes_and_matches_lesson_12s_conv2d():
    printed = sections(run_lesson_then(L12, before=CHECK, extra=[
        'from nnkit.exercises.feedback import reference\n'
        'my_correlate2d = reference("correlate2d")\nprint("=== reference")',
        CHECK,
        'print("=== against Conv2D")\n'
        'print(np.allclose(my_correlate2d(image, kernel), z[0, :, :, 0]))',
        # slips: the flipped kernel (convolution of mathematics), 'same' padding, one row short
        'print("=== flipped")\n'
        'my_correlate2d = lambda im, k: reference("correlate2d")(im, k[::-1, ::-1])\n' + CHECK,
        'print("=== same")\n'
        'my_correlate2d = lambda im, k: correlate2d(im, k, mode="same")\n' + CHECK,
        'print("=== one short")\n'
        'my_correlate2d = lambda im, k: reference("correlate2d")(im, k)[:-1, :-1]\n' + CHECK,
    ]))
    assert printed["reference"].startswith(PASS), printed["reference"]
    assert printed["against Conv2D"].strip() == "True"
    assert printed["flipped"].startswith(FAIL) and "flipped the kernel" in printed["flipped"]
    assert printed["same"].startswith(FAIL) and "padded the image" in printed["same"]
    assert printed["one short"].startswith(FAIL) and "one off" in printed["one short"]
