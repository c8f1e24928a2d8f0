"""Lessons 09–11: each reference solution passes its check on the objects its lesson builds.

Each test runs the lesson's own cells in a real kernel up to its exercise's check, puts the
reference answer (``reference(name)``) where the learner's function goes, and runs the lesson's
own check cell — and the cell that uses the answer afterwards, where there is one.  Then a typical
wrong answer, in the same kernel, gets the hint written for that slip.

The lessons' widgets (lesson 09's text generator, lesson 10's boundary comparison) are checked on
the same objects: their display carries a picture (``image/png``) of their current state, and
``set`` changes what they show.
"""
from __future__ import annotations

import nbformat
import pytest

from lesson_kernel import LESSONS, run_lesson_then

L09, L10, L11 = ("09_applications.ipynb", "10_faq.ipynb",
                 "11_from_nnkit_to_keras_and_pytorch.ipynb")
PASS, FAIL = "✓ Correct", "✗ Not yet"


def cell_source(lesson: str, containing: str, after: int = 0) -> str:
    """The source of the lesson's code cell containing ``containing`` (or the ``after``-th next)."""
    cells = [c for c in nbformat.read(LESSONS / lesson, as_version=4).cells
             if c.cell_type == "code"]
    for i, cell in enumerate(cells):
        if containing in cell.source:
            return cells[i + after].source
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


# ---------------------------------------------------------------- lesson 09 · per-class accuracy
def test_per_class_accuracy_reference_passes_on_lesson_09s_digits():
    check = cell_source(L09, "check_per_class_accuracy(my_per_class_accuracy)")
    printed = sections(run_lesson_then(L09, before="check_per_class_accuracy(my_per_class_accuracy)", extra=[
        'from nnkit.exercises.feedback import reference\n'
        'my_per_class_accuracy = reference("per_class_accuracy")\nprint("=== reference")',
        check,
        # the lesson's suggestion after the check: one share per digit, each in [0, 1], and the
        # mean of the shares weighted by each digit's count is the overall accuracy
        'shares = my_per_class_accuracy(y_test, predicted, 10)\n'
        'counts = np.bincount(y_test, minlength=10)\n'
        'print("=== on the lesson\'s digits")\n'
        'print(shares.shape, bool(((shares >= 0) & (shares <= 1)).all()),\n'
        '      bool(np.isclose((shares * counts).sum() / counts.sum(), np.mean(predicted == y_test))))',
        # a typical slip: dividing by how often each class was predicted (precision)
        'def my_per_class_accuracy(y_true, y_pred, n_classes):\n'
        '    return np.array([np.mean(y_true[y_pred == k] == k) for k in range(n_classes)])\n'
        'print("=== precision")',
        check,
    ]))
    assert printed["reference"].startswith(PASS), printed["reference"]
    assert printed["on the lesson's digits"].strip() == "(10,) True True"
    hint = printed["precision"]
    assert hint.startswith(FAIL) and "that is precision" in hint and "row sums" in hint, hint


# ---------------------------------------------------------------- lesson 09 · temperature
def test_temperature_reference_passes_and_the_widget_shows_the_lesson_model():
    check = cell_source(L09, "check_temperature(my_reweight)")
    printed = sections(run_lesson_then(L09, before="check_temperature(my_reweight)", extra=[
        'from nnkit.exercises.feedback import reference\n'
        'my_reweight = reference("temperature")\nprint("=== reference")',
        check,
        # on the lesson's own model: the next-character distribution after "Alice was "
        'p = text_model.predict(np.eye(n_chars)[encode("Alice was "[-T:], vocab)][None])[0]\n'
        'cold, hot = my_reweight(p, 0.5), my_reweight(p, 2.0)\n'
        'print("=== on the lesson\'s model")\n'
        'print(bool(np.isclose(cold.sum(), 1)), bool(cold.max() > p.max() > hot.max()))',
        'def my_reweight(p, temperature):\n'
        '    q = p ** temperature\n'
        '    return q / q.sum()\n'
        'print("=== power the wrong way")',
        check,
        # the lesson's widget: a picture in its display, and set() changes the text
        'import base64, io\nfrom PIL import Image\n'
        'bundle = temperature_widget._repr_mimebundle_()\n'
        'size = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))).size\n'
        'before = temperature_widget.text\n'
        'temperature_widget.set(temperature=2.0, seed=3)\n'
        'print("=== widget")\n'
        'print("application/vnd.jupyter.widget-view+json" in bundle, size[0] >= 600,\n'
        '      temperature_widget.text != before, temperature_widget.text.startswith("The Rabbit"))',
    ]))
    assert printed["reference"].startswith(PASS), printed["reference"]
    assert printed["on the lesson's model"].strip() == "True True"
    hint = printed["power the wrong way"]
    assert hint.startswith(FAIL) and "not temperature" in hint and "became flatter" in hint, hint
    assert printed["widget"].strip() == "True True True True"


# ---------------------------------------------------------------- lesson 10 · multiply-adds
def test_multiply_adds_reference_passes_and_the_speed_estimate_runs():
    check = cell_source(L10, "check_multiply_adds(my_multiply_adds)")
    printed = sections(run_lesson_then(L10, before="check_multiply_adds(my_multiply_adds)", extra=[
        'from nnkit.exercises.feedback import reference\n'
        'my_multiply_adds = reference("multiply_adds")\nprint("=== reference")',
        check,
        # the estimate the lesson suggests after the check, on its own timings
        'rate = 3 * len(X_train) * my_multiply_adds([64, 512, 512, 10]) / seconds[-1]\n'
        'print("=== speed")\n'
        'print(my_multiply_adds([64, 512, 512, 10]) == 64 * 512 + 512 * 512 + 512 * 10, widths[-1],\n'
        '      bool(1e6 < rate < 1e13))',
        'def my_multiply_adds(sizes):\n'
        '    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))\n'
        'print("=== counted the biases")',
        check,
    ]))
    assert printed["reference"].startswith(PASS), printed["reference"]
    assert printed["speed"].strip() == "True 512 True"
    hint = printed["counted the biases"]
    assert hint.startswith(FAIL) and "number of parameters" in hint, hint


def test_lesson_10s_comparison_widget_draws_what_it_reports():
    printed = sections(run_lesson_then(L10, before='comparison.set(dataset="spiral")', extra=[
        'import base64, io\nfrom PIL import Image\n'
        'def picture():\n'
        '    png = base64.b64decode(comparison._repr_mimebundle_()["image/png"])\n'
        '    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))\n'
        'moons = picture()\n'
        'comparison.set(dataset="xor")\n'
        'xor = picture()\n'
        'print("=== widget")\n'
        'print(moons.shape == xor.shape, moons.shape[1] >= 600, bool(np.mean(np.any(moons != xor, axis=2)) > 0.2),\n'
        '      list(comparison.accuracies) == ["MLP (nnkit, 2-16-16-1)", "SVM (RBF kernel)",\n'
        '                                      "decision tree", "k-NN (k = 15)"],\n'
        '      comparison.accuracies == BoundaryComparison(fit_four, dataset="xor").accuracies)',
        'try:\n    comparison.set(dataset="swirl")\nexcept ValueError as err:\n'
        '    print("=== bad data set")\n    print(err)',
    ]))
    assert printed["widget"].strip() == "True True True True True"
    assert "swirl" in printed["bad data set"] and "spiral" in printed["bad data set"]


# ---------------------------------------------------------------- lesson 11 · to PyTorch's layout
def test_to_torch_reference_passes_and_moves_lesson_11s_weights():
    check = cell_source(L11, "passed = check_to_torch(my_to_torch)")
    compare = cell_source(L11, "passed = check_to_torch(my_to_torch)", after=1)
    assert "if not passed" in compare
    printed = sections(run_lesson_then(L11, before="passed = check_to_torch(my_to_torch)", extra=[
        'from nnkit.exercises.feedback import reference\n'
        'my_to_torch = reference("to_torch")\nprint("=== reference")',
        check,
        'print("=== the lesson\'s comparison")',
        compare,
        'def my_to_torch(weights):\n    return [w.copy() for w in weights]\n'
        'print("=== not transposed")',
        check,
    ]))
    assert printed["reference"].startswith(PASS), printed["reference"]
    assert "x Aᵀ + b in NumPy predicts what nnkit predicts: True" in printed["the lesson's comparison"]
    hint = printed["not transposed"]
    assert hint.startswith(FAIL) and "transpose it, W.T" in hint, hint


@pytest.mark.parametrize("lesson", [L09, L10, L11])
def test_no_lesson_cell_defines_widget_plumbing(lesson):
    """The ipywidgets wiring lives in nnkit: the lessons build their widgets with one call."""
    nb = nbformat.read(LESSONS / lesson, as_version=4)
    plumbing = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                and ("import ipywidgets" in c.source or "widgets.interactive" in c.source
                     or "importlib" in c.source)]
    assert not plumbing, f"{lesson}: cells {plumbing} still wire widgets by hand"
