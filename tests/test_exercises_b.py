"""The checkers of lessons 06, 09, 10, 11 and the feedback they share: a right answer passes, a
typical slip gets its own hint, and the stub as shipped gets "still raises NotImplementedError".

Each right answer here is written independently of the reference (a different way to the same
numbers), and the parameter count is compared with a real nnkit model's ``count_params()``.
"""
import numpy as np
import pytest

from nnkit import exercises, layers, models
from nnkit.exercises import feedback


def hint_of(check, answer) -> str:
    result = check(answer)
    assert not result, f"expected a hint, but {check.__name__} passed: {result.message}"
    assert result.message.startswith("✗ Not yet — ")
    return result.message


def passes(check, answer) -> bool:
    result = check(answer)
    assert result.message.startswith("✓ Correct — "), result.message
    return bool(result)


def stub(*args, **kwargs):
    raise NotImplementedError("your code here")


def softmax_rows(z):
    e = np.exp(z)                                     # inputs here are small: no shift needed
    return e / e.sum(axis=1)[:, None]


# ---------------------------------------------------------------- feedback
def test_a_check_prints_its_message_and_returns_a_result(capsys):
    result = exercises.check_count_params(lambda sizes: sum(a * b + b for a, b in
                                                            zip(sizes, sizes[1:])))
    assert result and result.passed and result.name == "count_params"
    assert capsys.readouterr().out.strip() == result.message


def test_the_stub_as_shipped_gets_a_clear_message_not_an_exception():
    message = hint_of(exercises.check_mlp_forward, stub)
    assert "still raises NotImplementedError" in message
    assert "solution('mlp_forward')" in message          # where to look when stuck


def test_passing_the_result_instead_of_the_function_is_explained():
    message = hint_of(exercises.check_count_params, 4675)
    assert "not its result" in message and "without the parentheses" in message
    assert "received None" in hint_of(exercises.check_count_params, None)


def test_an_error_in_the_learners_code_is_reported_with_advice():
    message = hint_of(exercises.check_mlp_forward, lambda x, w: w[0] @ x)   # W h, not h W
    assert "raised ValueError" in message and "h @ W" in message


def test_a_bug_in_a_checker_is_not_hidden():
    @feedback.checker("broken")
    def check_broken(answer):
        return 1 / 0

    with pytest.raises(ZeroDivisionError):
        check_broken(lambda: None)


def test_learner_cannot_spoil_the_checkers_data_by_writing_into_it():
    def vandal(x, weights):
        weights[0][...] = 0                          # changes its input in place
        x[...] = 0
        return stub()

    hint_of(exercises.check_mlp_forward, vandal)
    assert passes(exercises.check_mlp_forward, exercises.lesson_06.mlp_forward)


def test_solution_returns_source_text_without_the_decorator():
    text = exercises.solution("mlp_forward")
    assert text.startswith("def mlp_forward(x, weights):")
    assert "@register_solution" not in text
    assert text._repr_markdown_().startswith("```python\n")
    namespace = {"np": np}
    exec(text, namespace)                             # the shown source runs as it is
    assert passes(exercises.check_mlp_forward, namespace["mlp_forward"])


def test_solution_of_an_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="'count_params'"):
        exercises.solution("count_parameters")


def test_a_result_shows_nothing_more_when_it_ends_a_cell():
    result = feedback.CheckResult("x", True, "✓ Correct — fine")
    assert result._ipython_display_() is None
    assert repr(result) == "CheckResult('x', passed=True)"


# ---------------------------------------------------------------- lesson 06: mlp_forward
def my_forward(x, weights):
    """Written as a learner might: pairs of (W, b), ReLU except after the last pair."""
    pairs = list(zip(weights[::2], weights[1::2]))
    h = x
    for W, b in pairs[:-1]:
        h = np.where(h @ W + b > 0, h @ W + b, 0.0)
    W, b = pairs[-1]
    return softmax_rows(h @ W + b)


def test_mlp_forward_right_answer_passes():
    assert passes(exercises.check_mlp_forward, my_forward)


def test_mlp_forward_agrees_with_a_trained_nnkit_model():
    model = models.Sequential([layers.Dense(5, "relu", input_shape=(4,)),
                               layers.Dense(3, "softmax")], seed=3)
    x = np.random.default_rng(0).normal(size=(6, 4))
    np.testing.assert_allclose(my_forward(x, model.get_weights()), model.predict(x), rtol=1e-10)
    np.testing.assert_allclose(exercises.lesson_06.mlp_forward(x, model.get_weights()),
                               model.predict(x), rtol=1e-10)


def relu(z):
    return np.maximum(0, z)


def forward_with(hidden, last, bias=True):
    def forward(x, weights):
        h, L = x, len(weights) // 2
        for l in range(L):
            z = h @ weights[2 * l] + (weights[2 * l + 1] if bias else 0)
            h = hidden(z) if l < L - 1 else last(z)
        return h
    return forward


@pytest.mark.parametrize("wrong, words", [
    (forward_with(relu, lambda z: z), "apply softmax"),                           # no softmax
    (forward_with(relu, lambda z: softmax_rows(relu(z))), "ReLU to the last layer"),
    (forward_with(relu, relu), "the last layer uses ReLU"),
    (forward_with(lambda z: z, softmax_rows), "hidden layers are linear"),
    (forward_with(relu, softmax_rows, bias=False), "biases b seem to be missing"),
    (forward_with(relu, lambda z: np.exp(z) / np.exp(z).sum(axis=0)), "each row (axis=1)"),
    (lambda x, w: my_forward(x, w).T, "has shape (3, 5); it should be (5, 3)"),
    (lambda x, w: None, "returned None"),
])
def test_mlp_forward_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_mlp_forward, wrong)


def test_mlp_forward_hard_coded_for_three_layers_fails_on_the_two_layer_network():
    def three_layers(x, w):
        h = relu(x @ w[0] + w[1])
        h = relu(h @ w[2] + w[3])
        return softmax_rows(h @ w[4] + w[5])

    message = hint_of(exercises.check_mlp_forward, three_layers)
    assert "2-3-2 network raised IndexError" in message


# ---------------------------------------------------------------- lesson 06: count_params
def my_count(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def test_count_params_right_answer_passes_and_matches_nnkit():
    assert passes(exercises.check_count_params, my_count)
    model = models.Sequential([layers.Dense(64, "relu", input_shape=(4,)),
                               layers.Dense(64, "relu"), layers.Dense(3, "softmax")], seed=0)
    assert my_count([4, 64, 64, 3]) == model.count_params() == 4675


def test_count_params_accepts_a_numpy_integer():
    assert passes(exercises.check_count_params, lambda s: np.int64(my_count(s)))


@pytest.mark.parametrize("wrong, words", [
    (lambda s: sum(a * b for a, b in zip(s, s[1:])), "the weights W alone"),
    (lambda s: my_count(s) + s[0], "no biases of its own"),
    (lambda s: sum(a * b + a for a, b in zip(s, s[1:])), "n_out biases"),
    (lambda s: sum(s), "the number of neurons"),
    (lambda s: 2 * my_count(s), "(2·3 + 3) + (3·1 + 1)"),
    (lambda s: str(my_count(s)), "returned str '13'; it should return one whole number"),
])
def test_count_params_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_count_params, wrong)


# ---------------------------------------------------------------- lesson 09: per-class accuracy
def my_per_class(y_true, y_pred, n_classes):
    from sklearn.metrics import confusion_matrix
    cm = confusion_matrix(y_true, y_pred, labels=range(n_classes))
    return np.diag(cm) / cm.sum(axis=1)


def test_per_class_accuracy_right_answer_passes():
    assert passes(exercises.check_per_class_accuracy, my_per_class)


def precision(y_true, y_pred, k):
    return np.array([np.mean(y_true[y_pred == c] == c) for c in range(k)])


@pytest.mark.parametrize("wrong, words", [
    (precision, "that is precision"),
    (lambda t, p, k: np.array([np.sum((t == c) & (p == c)) for c in range(k)]), "into shares"),
    (lambda t, p, k: np.full(k, np.mean(t == p)), "overall accuracy"),
    (lambda t, p, k: my_per_class(t, p, k)[:-1], "One number per class"),
])
def test_per_class_accuracy_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_per_class_accuracy, wrong)


# ---------------------------------------------------------------- lesson 09: temperature
def my_reweight(p, temperature):
    q = p ** (1 / temperature)
    return q / q.sum()


def test_temperature_right_answer_passes():
    assert passes(exercises.check_temperature, my_reweight)


@pytest.mark.parametrize("wrong, words", [
    (lambda p, T: my_reweight(p, 1 / T), "raise p to the power 1/temperature, not temperature"),
    (lambda p, T: p ** (1 / T), "divide by the sum"),
    (lambda p, T: p, "returned p unchanged"),
    (lambda p, T: np.log(p) / T, "sums to"),
])
def test_temperature_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_temperature, wrong)


def test_temperature_hint_says_which_way_the_distribution_went():
    message = hint_of(exercises.check_temperature, lambda p, T: my_reweight(p, 1 / T))
    assert "at temperature 0.5 your distribution became flatter" in message


# ---------------------------------------------------------------- lesson 10: multiply-adds
def my_multiply_adds(sizes):
    return int(np.dot(sizes[:-1], sizes[1:]))


def test_multiply_adds_right_answer_passes():
    assert passes(exercises.check_multiply_adds, my_multiply_adds)


@pytest.mark.parametrize("wrong, words", [
    (my_count, "number of parameters"),
    (lambda s: int(np.prod(s)), "product of all the sizes"),
    (lambda s: sum(s), "number of neurons"),
    (lambda s: my_multiply_adds(s) * 2, "3·4 + 4·2"),
])
def test_multiply_adds_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_multiply_adds, wrong)


# ---------------------------------------------------------------- lesson 11: to_torch
def my_to_torch(weights):
    return [w.T if w.ndim == 2 else w for w in weights]


def test_to_torch_right_answer_passes():
    assert passes(exercises.check_to_torch, my_to_torch)


def test_to_torch_layout_computes_what_nnkit_computes():
    """nn.Linear computes x Wᵀ + b with its (out, in) weight: check that with NumPy alone."""
    model = models.Sequential([layers.Dense(8, "relu", input_shape=(4,)),
                               layers.Dense(3, "softmax")], seed=1)
    x = np.random.default_rng(2).normal(size=(5, 4))
    w1, b1, w2, b2 = my_to_torch(model.get_weights())
    logits = np.maximum(0, x @ w1.T + b1) @ w2.T + b2
    np.testing.assert_allclose(softmax_rows(logits - logits.max(axis=1, keepdims=True)),
                               model.predict(x), rtol=1e-10)


@pytest.mark.parametrize("wrong, words", [
    (lambda w: w, "transpose it, W.T"),
    (lambda w: my_to_torch(w)[:2], "returned 2 arrays"),
    (lambda w: [my_to_torch(w)[i] for i in (2, 3, 0, 1)],
     "shape (3, 8); nn.Linear keeps it as (8, 4)"),
    (lambda w: 5, "return a list of arrays"),
])
def test_to_torch_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_to_torch, wrong)
