"""Every exercise of lessons 01–05, answered inside its own lesson: the reference passes, a slip gets its hint.

Each lesson runs in a real kernel up to its exercise (``tests/lesson_kernel.py``); then, in the same
kernel, the learner's function is replaced by the reference answer (``reference(name)``) and the
lesson's *own* check cell runs — and, where the lesson has one, the cell after it that uses the
answer on the lesson's objects (lesson 02 compares with the model, lesson 04 replays the race in
the lesson's explorer, lesson 05 puts the answer inside a Dense layer).  Then typical wrong answers
go through the same check, and each must get the hint that names its slip — never one that points
the wrong way or asks for what is already there.

One kernel per lesson (a module-scoped fixture); one test per exercise reads its part of the output.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from lesson_kernel import LESSONS, run_lesson_then

IMPORT = "from nnkit.exercises.feedback import reference"


def cell_source(lesson: str, containing: str) -> str:
    """The source of the lesson's one code cell that contains ``containing``."""
    nb = nbformat.read(Path(LESSONS) / lesson, as_version=4)
    hits = [c.source for c in nb.cells if c.cell_type == "code" and containing in c.source]
    assert len(hits) == 1, f"{lesson}: {len(hits)} code cells contain {containing!r}"
    return hits[0]


def run_sections(lesson: str, before: str, sections: dict[str, str]) -> dict[str, str]:
    """Run ``lesson`` up to ``before``, then each section's code; its printed text, by section."""
    extras = [f'print("@@{name}")\n{code}' for name, code in sections.items()]
    text = run_lesson_then(lesson, before=before, extra=[IMPORT] + extras)
    return {chunk.partition("\n")[0]: chunk.partition("\n")[2] for chunk in text.split("@@")[1:]}


def verdicts(text: str) -> list[str]:
    """The check messages in ``text``: lines starting with ✓ or ✗."""
    return [line for line in text.splitlines() if line.startswith(("✓", "✗"))]


# ---- lesson 01: σ and σ' --------------------------------------------------------------------------
L01 = "01_neurons_and_activations.ipynb"


@pytest.fixture(scope="module")
def lesson_01():
    check_cell = cell_source(L01, "check_sigmoid(my_sigmoid)")
    return run_sections(L01, "check_sigmoid(my_sigmoid)", {
        "reference": 'my_sigmoid = reference("sigmoid")\n'
                     'my_sigmoid_derivative = reference("sigmoid_derivative")\n' + check_cell,
        # the lesson's own z and nnkit's sigmoid, from section 2
        "on_lesson_z": 'print(np.allclose(my_sigmoid(z), sig(z)), '
                       'np.allclose(my_sigmoid_derivative(z), sig.derivative(z)))',
        "exp_plus_z": "def my_sigmoid(z):\n    return 1 / (1 + np.exp(z))\n" + check_cell,
        "z_not_h": 'my_sigmoid = reference("sigmoid")\n'
                   "def my_sigmoid_derivative(z):\n    return z * (1 - z)\n" + check_cell,
        "sigmoid_still_a_stub": "def my_sigmoid(z):\n    raise NotImplementedError\n"
                                "def my_sigmoid_derivative(z):\n"
                                "    return my_sigmoid(z) * (1 - my_sigmoid(z))\n" + check_cell,
    })


def test_lesson_01_sigmoid_reference_passes_in_the_lesson(lesson_01):
    first = verdicts(lesson_01["reference"])[0]
    assert first.startswith("✓ Correct") and "σ(0) = 0.5" in first
    assert lesson_01["on_lesson_z"].split() == ["True", "True"]
    hint = verdicts(lesson_01["exp_plus_z"])[0]
    assert hint.startswith("✗") and "σ(-z)" in hint and "np.exp(-z)" in hint


def test_lesson_01_sigmoid_derivative_reference_passes_in_the_lesson(lesson_01):
    second = verdicts(lesson_01["reference"])[1]
    assert second.startswith("✓ Correct") and "σ'(0) = 0.25" in second
    hint = verdicts(lesson_01["z_not_h"])[1]
    assert hint.startswith("✗") and "OUTPUT h = σ(z)" in hint
    # the derivative's own raise line is gone: the hint must point at my_sigmoid, not at it
    stub = verdicts(lesson_01["sigmoid_still_a_stub"])[1]
    assert "calls my_sigmoid, which still raises NotImplementedError" in stub
    assert "replace the `raise NotImplementedError` line" not in stub


# ---- lesson 02: the 2-3-1 forward pass ------------------------------------------------------------
L02 = "02_forward_pass.ipynb"


@pytest.fixture(scope="module")
def lesson_02():
    check_cell = cell_source(L02, "check_forward_pass(my_forward)")
    compare_cell = cell_source(L02, "mine = my_forward(x, **w)")
    return run_sections(L02, "check_forward_pass(my_forward)", {
        "reference": 'my_forward = reference("forward_2_3_1")\n' + check_cell + "\n" + compare_cell,
        "no_output_activation": "def my_forward(x, W1, b1, W2, b2):\n"
                                "    return np.tanh(x @ W1 + b1) @ W2 + b2\n" + check_cell,
        "hidden_only": "def my_forward(x, W1, b1, W2, b2):\n"
                       "    return np.tanh(x @ W1 + b1)\n" + check_cell,
    })


def test_lesson_02_forward_reference_passes_and_matches_the_lessons_model(lesson_02):
    out = lesson_02["reference"]
    assert verdicts(out)[0].startswith("✓ Correct")
    difference = float(re.search(r"largest difference: (\S+)", out).group(1))
    assert difference < 1e-12                      # the lesson's x and weights, against model.predict
    assert "σ(z₂)" in verdicts(lesson_02["no_output_activation"])[0]
    hidden = verdicts(lesson_02["hidden_only"])[0]
    assert "hidden layer's output h₁" in hidden and "W @ x" not in hidden


# ---- lesson 03: cross-entropy ---------------------------------------------------------------------
L03 = "03_loss_functions.ipynb"


@pytest.fixture(scope="module")
def lesson_03():
    check_cell = cell_source(L03, "check_cross_entropy(my_cross_entropy)")
    compare_cell = cell_source(L03, "yours: {my_cross_entropy(Y, P)")
    return run_sections(L03, "check_cross_entropy(my_cross_entropy)", {
        "reference": 'my_cross_entropy = reference("cross_entropy")\n' + check_cell + "\n"
                     + compare_cell,
        "no_minus": "def my_cross_entropy(y, p):\n    return np.sum(y * np.log(p)) / len(y)\n"
                    + check_cell,
        "binary_form": "def my_cross_entropy(y, p):\n"
                       "    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / len(y)\n"
                       + check_cell,
    })


def test_lesson_03_cross_entropy_reference_passes_and_equals_nnkit_on_the_lessons_batch(lesson_03):
    out = lesson_03["reference"]
    assert verdicts(out)[0].startswith("✓ Correct")
    yours, theirs = re.search(r"yours: (\S+)\s+nnkit: (\S+)", out).groups()
    assert yours == theirs == "0.9608"             # section 4's batch: -(log .7 + log .8 + log .1)/3
    assert "minus sign" in verdicts(lesson_03["no_minus"])[0]
    assert "binary" in verdicts(lesson_03["binary_form"])[0]


# ---- lesson 04: one SGD step; a diverging learning rate -------------------------------------------
L04 = "04_gradient_descent.ipynb"


@pytest.fixture(scope="module")
def lesson_04():
    sgd_cell = cell_source(L04, "check_sgd_step(my_sgd_step)")
    alpha_check = "check_diverging_learning_rate(my_alpha)"
    replay_cell = cell_source(L04, "explorer.set(learning_rate=my_alpha)")
    return run_sections(L04, alpha_check, {
        "sgd_reference": 'my_sgd_step = reference("sgd_step")\n' + sgd_cell,
        "sgd_uphill": "def my_sgd_step(w, grad, learning_rate):\n"
                      "    return w + learning_rate * grad\n" + sgd_cell,
        "alpha_reference": 'my_alpha = reference("diverging_learning_rate")()\n' + alpha_check
                           + "\n" + replay_cell,
        "alpha_shipped": "my_alpha = 0.3\n" + alpha_check,
        "alpha_too_large": "my_alpha = 1.2\n" + alpha_check,
        "alpha_just_past_the_edge": "my_alpha = 0.5001\n" + alpha_check,
    })


def test_lesson_04_sgd_step_reference_passes_in_the_lesson(lesson_04):
    assert verdicts(lesson_04["sgd_reference"])[0].startswith("✓ Correct")
    assert "uphill" in verdicts(lesson_04["sgd_uphill"])[0]


def test_lesson_04_diverging_rate_reference_passes_and_diverges_in_the_lessons_explorer(lesson_04):
    out = lesson_04["alpha_reference"]
    assert verdicts(out)[0].startswith("✓ Correct")
    status = out.strip().splitlines()[-1]          # the replay in the lesson's own explorer
    assert "'sgd': 'diverged'" in status and "'momentum': 'converged'" in status
    shipped = verdicts(lesson_04["alpha_shipped"])[0]          # 0.3: go higher, not lower
    assert "higher" in shipped and "lower" not in shipped and "smaller" not in shipped
    assert "both diverge" in verdicts(lesson_04["alpha_too_large"])[0]
    edge = verdicts(lesson_04["alpha_just_past_the_edge"])[0]  # -1.0004 is not "between -1 and 1"
    assert "just past -1" in edge and "between -1 and 1" not in edge


# ---- lesson 05: Dense's backward pass -------------------------------------------------------------
L05 = "05_backpropagation.ipynb"


@pytest.fixture(scope="module")
def lesson_05():
    check_cell = cell_source(L05, "check_dense_backward(my_dense_backward)")
    inside_cell = cell_source(L05, "class MyDense(layers.Dense)")
    return run_sections(L05, "check_dense_backward(my_dense_backward)", {
        "reference": 'my_dense_backward = reference("dense_backward")\n' + check_cell + "\n"
                     + inside_cell,
        "dW_transposed": "def my_dense_backward(dout, x, W):\n"
                         "    return dout @ W.T, dout.T @ x, dout.sum(axis=0)\n" + check_cell,
        "db_mean": "def my_dense_backward(dout, x, W):\n"
                   "    return dout @ W.T, x.T @ dout, dout.mean(axis=0)\n" + check_cell,
    })


def test_lesson_05_dense_backward_reference_passes_inside_the_lessons_layer(lesson_05):
    out = lesson_05["reference"]
    assert verdicts(out)[0].startswith("✓ Correct")
    errors = dict(re.findall(r"'(\w+)': '([0-9.e+-]+)'", out))    # MyDense under gradcheck
    assert sorted(errors) == ["W", "b", "x"] and all(float(e) < 1e-7 for e in errors.values())
    assert "x.T @ dout" in verdicts(lesson_05["dW_transposed"])[0]
    db = verdicts(lesson_05["db_mean"])[0]
    assert "4× too small" in db and "dout.sum(axis=0)" in db       # N = 4 in the check


# ---- lesson 00: the history (§1) and the list of lessons ------------------------------------------
L00 = "00_start_here.ipynb"


def lesson_cells(lesson: str) -> list:
    return nbformat.read(Path(LESSONS) / lesson, as_version=4).cells


def test_lesson_00_lists_every_lesson_including_12_and_13():
    text = "\n".join(c.source for c in lesson_cells(L00) if c.cell_type == "markdown")
    for path in sorted(Path(LESSONS).glob("[0-9][0-9]_*.ipynb")):
        if path.name != L00:
            assert f"]({path.name})" in text, f"lesson 00 does not link {path.name}"
    assert "](12_convolution_and_images.ipynb)" in text
    assert "](13_speech_and_the_future.ipynb)" in text


def test_lesson_00_history_credits_1986_correctly_and_says_the_course_text_is_wrong():
    text = "\n".join(c.source for c in lesson_cells(L00) if c.cell_type == "markdown")
    assert "Rumelhart, Hinton and Williams" in text or "Rumelhart, Hinton & Williams" in text
    assert "*Nature* 323, 533–536" in text and "reference [3]" in text
    assert "Arbib" in text and "wrong" in text and "Werbos" in text and "1974" in text
    # every milestone's lesson is linked in the table, and every credit appears
    from nnkit.plots.history import MILESTONES
    for m in MILESTONES:
        assert f"| {m.year} | {m.who} |" in text
        if m.lesson:
            assert f"]({m.lesson})" in text


def test_lesson_00_shows_the_timeline_and_its_checked_list():
    cells = [c for c in lesson_cells(L00) if c.cell_type == "code"]
    picture = [c for c in cells if "timeline()" in c.source]
    assert len(picture) == 1 and "image/png" in picture[0].outputs[0]["data"]
    listing = [c for c in cells if "for m in MILESTONES" in c.source]
    assert len(listing) == 1 and "nbval-check-output" in listing[0].metadata["tags"]
    printed = listing[0].outputs[0]["text"]
    assert "1986  Rumelhart, Hinton & Williams" in printed and "→ 05_backpropagation" in printed


def test_the_timeline_draws_one_line_per_milestone_in_order_of_year():
    from nnkit.plots.history import MILESTONES, Milestone, timeline
    artists = timeline()
    lines = [t.get_text() for t in artists.labels]
    assert len(lines) == len(MILESTONES)
    years = [int(line.split()[0]) for line in lines]
    assert years == sorted(years) and years[0] == 1943
    assert any(line.startswith("1986") and "Rumelhart, Hinton & Williams" in line for line in lines)
    assert all(t.get_fontsize() >= 12 for t in artists.labels)          # projector-legible
    assert artists._repr_png_()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="outside first_year=1940"):
        timeline(milestones=(Milestone(1900, "x", "y", "", "z"),))


# ---- lessons 03, 04, 05: the deeper exercises, inside their lessons --------------------------------
@pytest.fixture(scope="module")
def deeper_03_05():
    """Lessons 03, 04, 05 each run up to the NEW exercise; reference and slips in the same kernel."""
    out = {}
    grad_check = cell_source(L03, "check_softmax_cross_entropy_gradient(my_softmax_ce_gradient)")
    grad_compare = cell_source(L03, "same as finite differences:")
    out.update(run_sections(L03, "check_softmax_cross_entropy_gradient(my_softmax_ce_gradient)", {
        "grad_reference": 'my_softmax_ce_gradient = reference("softmax_cross_entropy_gradient")\n'
                          + grad_check + "\n" + grad_compare,
        "grad_no_mean": "def my_softmax_ce_gradient(z, y):\n"
                        "    e = np.exp(z - z.max(axis=1, keepdims=True))\n"
                        "    return e / e.sum(axis=1, keepdims=True) - y\n" + grad_check,
        "grad_diagonal": "def my_softmax_ce_gradient(z, y):\n"
                         "    p = activations.get('softmax')(z)\n"
                         "    return (-y / p) * p * (1 - p) / len(z)\n" + grad_check,
    }))
    momentum_check = cell_source(L04, "check_momentum_step(my_momentum_step)")
    adam_check = cell_source(L04, "check_adam_step(my_adam_step)")
    adam_demo = cell_source(L04, "g_sizes = np.array")
    out.update(run_sections(L04, "check_momentum_step(my_momentum_step)", {
        "momentum_reference": 'my_momentum_step = reference("momentum_step")\n' + momentum_check,
        "momentum_old_velocity": "def my_momentum_step(w, grad, velocity, learning_rate, momentum):\n"
                                 "    return w + velocity, momentum * velocity - learning_rate * grad\n"
                                 + momentum_check,
        "adam_reference": 'my_adam_step = reference("adam_step")\n' + adam_check + "\n" + adam_demo,
        "adam_no_correction": "def my_adam_step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9,"
                              " beta_2=0.999, epsilon=1e-7):\n"
                              "    m = beta_1 * m + (1 - beta_1) * grad\n"
                              "    v = beta_2 * v + (1 - beta_2) * grad ** 2\n"
                              "    return w - learning_rate * m / (np.sqrt(v) + epsilon), m, v\n"
                              + adam_check,
    }))
    init_run = cell_source(L05, "results = {name: init_experiment(name)")
    init_check = cell_source(L05, "check_init_conclusions(my_conclusions)")
    answer_line = init_check.splitlines()[0]
    out.update(run_sections(L05, "check_init_conclusions(my_conclusions)", {
        "init_reference": init_run + '\nmy_conclusions = reference("init_conclusions")()\n'
                          + init_check.replace(answer_line, ""),
        "init_glorot_vanishing": 'my_conclusions = dict(reference("init_conclusions")(), '
                                 'glorot="vanishing")\n' + init_check.replace(answer_line, ""),
    }))
    return out


def test_lesson_03_softmax_gradient_reference_passes_and_matches_nnkit_and_finite_differences(
        deeper_03_05):
    out = deeper_03_05["grad_reference"]
    assert verdicts(out)[0].startswith("✓ Correct")
    assert "same as finite differences: True   same as nnkit: True" in out
    no_mean = verdicts(deeper_03_05["grad_no_mean"])[0]
    assert no_mean.startswith("✗") and "4× too large" in no_mean and "1/N" in no_mean
    diagonal = verdicts(deeper_03_05["grad_diagonal"])[0]
    assert "only the diagonal of the softmax Jacobian" in diagonal and "sum over k" in diagonal


def test_lesson_04_momentum_and_adam_references_pass_in_the_lesson(deeper_03_05):
    assert verdicts(deeper_03_05["momentum_reference"])[0].startswith("✓ Correct")
    assert "OLD velocity" in verdicts(deeper_03_05["momentum_old_velocity"])[0]
    out = deeper_03_05["adam_reference"]
    assert verdicts(out)[0].startswith("✓ Correct")
    moved = re.search(r"moved the weights by \[(\S+) (\S+)\]", out).groups()
    assert all(abs(float(m) - 0.03) < 1e-3 for m in moved)          # ≈ α per step, whatever |g|
    assert "bias correction is missing" in verdicts(deeper_03_05["adam_no_correction"])[0]


def test_lesson_05_init_conclusions_reference_passes_on_the_lessons_experiment(deeper_03_05):
    assert verdicts(deeper_03_05["init_reference"])[0].startswith("✓ Correct")
    hint = verdicts(deeper_03_05["init_glorot_vanishing"])[0]
    assert hint.startswith("✗") and "'glorot': you wrote 'vanishing'" in hint and "'steady'" in hint
