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


def hint_of(check, answer, *args, **kwargs) -> str:
    result = check(answer, *args, **kwargs)
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
    ("dense_backward", "check_dense_backward"), ("sgd_step", "check_sgd_step"),
])
def test_every_reference_solution_passes_its_own_check(name, check):
    assert getattr(exercises, check)(feedback.reference(name))
    assert "def " in exercises.solution(name)


# ---------------------------------------------------------------- lesson 04: gradient descent
def test_sgd_step():
    assert exercises.check_sgd_step(lambda w, g, lr: w - lr * g)


@pytest.mark.parametrize("wrong, words", [
    (lambda w, g, lr: w + lr * g, "uphill"),
    (lambda w, g, lr: w - g, "learning rate is missing"),
    (lambda w, g, lr: -lr * g, "only the step"),
    (lambda w, g, lr: None, "return w"),
])
def test_sgd_step_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_sgd_step, wrong)


def test_sgd_step_in_place_without_return():
    def in_place(w, g, lr):
        w -= lr * g
    assert "return w" in hint_of(exercises.check_sgd_step, in_place)


@pytest.mark.parametrize("alpha", [0.51, 0.7, 0.9])
def test_a_learning_rate_where_sgd_diverges_and_momentum_survives_passes(alpha):
    # along θ₂ one SGD step multiplies by 1 - 4α: |1 - 4α| > 1 for α > 0.5; momentum lasts to 0.95
    assert exercises.check_diverging_learning_rate(alpha)


@pytest.mark.parametrize("alpha, words", [
    (0.1, "converges smoothly"), (0.4, "zig-zags"), (0.5, "exactly the edge"),
    (1.5, "both diverge"), (-0.1, "must be positive"), ("0.7", "as a number"),
])
def test_learning_rates_that_do_not_answer_the_question_get_their_hint(alpha, words):
    assert words in hint_of(exercises.check_diverging_learning_rate, alpha)


def test_ravine_walk_uses_nnkit_sgd_and_matches_the_closed_form():
    # L = 0.1 θ₁² + 2 θ₂²: each step multiplies θ₁ by (1 - 0.2α) and θ₂ by (1 - 4α)
    alpha, steps = 0.1, 7
    losses = exercises.ravine_walk(alpha, steps=steps)
    t1, t2 = -2.8 * (1 - 0.2 * alpha) ** steps, 1.5 * (1 - 4 * alpha) ** steps
    assert losses[-1] == pytest.approx(0.1 * t1 ** 2 + 2 * t2 ** 2)


# ---------------------------------------------------------------- lesson 07: Playground challenges
from types import SimpleNamespace  # noqa: E402

from nnkit.labs.state import PlaygroundState  # noqa: E402


def fake_playground(epoch=300, accuracy=1.0, test_accuracy=1.0, loss=0.1, test_loss=0.1,
                    **settings):
    """What a check reads of a Playground: settings, epoch and results (no training needed)."""
    return SimpleNamespace(state=PlaygroundState(**settings), epoch=epoch, accuracy=accuracy,
                           test_accuracy=test_accuracy, loss=loss, test_loss=test_loss,
                           diverged=False, data=SimpleNamespace(X_train=np.zeros((50, 2))))


def test_xor_with_a_hidden_layer_passes():
    assert exercises.check_xor_hidden_layer(fake_playground(dataset="xor", hidden_layers=[4]))


@pytest.mark.parametrize("pg, words", [
    (fake_playground(dataset="xor", hidden_layers=[], test_accuracy=0.5), "one straight line"),
    (fake_playground(dataset="xor", hidden_layers=[], features=["x1*x2"]), "one neuron is enough"),
    (fake_playground(dataset="xor", hidden_layers=[2], test_accuracy=0.7), "3 or 4 units"),
    (fake_playground(dataset="xor", hidden_layers=[4], epoch=0), "not trained yet"),
    (fake_playground(dataset="circle", hidden_layers=[4]), "the challenge is XOR"),
    ("pg", "needs a Playground"),
])
def test_xor_challenge_hints(pg, words):
    assert words in hint_of(exercises.check_xor_hidden_layer, pg)


def test_spiral():
    deep = fake_playground(dataset="spiral", hidden_layers=[8, 8, 8], activation="relu",
                           test_accuracy=0.95)
    assert exercises.check_spiral(deep)
    shallow = fake_playground(dataset="spiral", hidden_layers=[4], accuracy=0.6,
                              test_accuracy=0.6)
    assert "Add layers" in hint_of(exercises.check_spiral, shallow)
    wiggly = fake_playground(dataset="spiral", hidden_layers=[8, 8], accuracy=1.0,
                             test_accuracy=0.8)
    assert "wiggling" in hint_of(exercises.check_spiral, wiggly)


def test_spiral_hints_suggest_only_settings_not_in_use():
    adam_relu = fake_playground(dataset="spiral", hidden_layers=[8, 8, 8], activation="relu",
                                optimizer="adam", learning_rate=0.01, epoch=300,
                                accuracy=0.8, test_accuracy=0.8)
    message = hint_of(exercises.check_spiral, adam_relu)
    advice = message.split("own data. ")[1]
    for already in ("relu", "adam", "[8, 8, 8]"):
        assert already not in advice, (already, message)
    assert "more epochs (300 so far" in advice and "sin(x1)" in advice


@pytest.mark.parametrize("optimizer, rate, lower", [("sgd", 3.0, "0.03"), ("adam", 0.3, "0.01")])
def test_spiral_with_a_high_learning_rate_is_told_to_lower_it(optimizer, rate, lower):
    pg = fake_playground(dataset="spiral", hidden_layers=[8, 8], activation="relu",
                         optimizer=optimizer, learning_rate=rate, accuracy=0.6, test_accuracy=0.6)
    message = hint_of(exercises.check_spiral, pg)
    assert f"Lower the learning rate (now {rate:g}; e.g. {lower})" in message
    assert "more epochs" not in message


def test_spiral_with_a_jumping_loss_shows_the_numbers():
    pg = fake_playground(dataset="spiral", hidden_layers=[8, 8], activation="relu",
                         learning_rate=0.3, accuracy=0.6, test_accuracy=0.6)
    pg.history = {"loss": [0.69] * 10 + [0.64, 0.67, 0.71, 0.62, 0.66] * 4 + [0.64]}
    assert "(0.67 → 0.71 → 0.62 → 0.66 → 0.64)" in hint_of(exercises.check_spiral, pg)
    pg.history = {"loss": [0.69 - 0.01 * i for i in range(30)]}     # falling smoothly: no jumping
    assert "jumps" not in hint_of(exercises.check_spiral, pg)


def test_overfitting():
    memorised = fake_playground(dataset="circle", noise=0.5, train_fraction=0.1,
                                hidden_layers=[8, 8, 8], accuracy=1.0, test_accuracy=0.7,
                                loss=0.01, test_loss=3.0)
    assert exercises.check_overfitting(memorised)
    honest = fake_playground(dataset="circle", accuracy=1.0, test_accuracy=0.99)
    message = hint_of(exercises.check_overfitting, honest)
    assert "more noise" in message and "fewer training points" in message


def test_regularization_compares_with_the_baseline_on_the_same_data():
    settings = dict(dataset="gauss", noise=0.5, train_fraction=0.1, hidden_layers=[8, 8, 8])
    baseline = fake_playground(**settings, accuracy=1.0, test_accuracy=0.85, test_loss=5.0)
    good = fake_playground(**settings, regularization="l1", regularization_rate=0.03,
                           accuracy=0.94, test_accuracy=0.94, test_loss=0.2)
    assert exercises.check_regularization(good, baseline=baseline)
    l2 = fake_playground(**settings, regularization="l2", regularization_rate=0.03,
                         accuracy=0.94, test_accuracy=0.94, test_loss=0.2)
    assert "asks for L1" in hint_of(exercises.check_regularization, l2, baseline)
    none = fake_playground(**settings)
    assert "no regularization" in hint_of(exercises.check_regularization, none, baseline)
    crushed = fake_playground(**settings, regularization="l1", regularization_rate=3.0,
                              accuracy=0.5, test_accuracy=0.5, test_loss=0.69)
    assert "smaller regularization_rate" in hint_of(exercises.check_regularization, crushed,
                                                    baseline)
    other_data = fake_playground(**(settings | {"noise": 0.2}), regularization="l1",
                                 regularization_rate=0.03, test_loss=0.1)
    assert "different data (noise)" in hint_of(exercises.check_regularization, other_data,
                                               baseline)
    assert "baseline=" in hint_of(exercises.check_regularization, good)


# ---------------------------------------------------------------- lesson 08: LSTM gates
class FakeLSTM:
    """A 'model' whose trace is built by hand: unit 1 stores the sign at each sample's store step,
    with the input gate opening, the forget gate closing and the output gate unchanged there."""

    def __init__(self, store_index, y, T=12):
        N, H = len(y), 3
        rng = np.random.default_rng(0)
        gates = {k: np.full((N, T, H), 0.5) for k in "ifo"}
        rows = np.arange(N)
        gates["i"][rows, store_index, 1] = 0.95
        gates["f"][rows, store_index, 1] = 0.05
        c = rng.normal(0, 0.1, (N, T, H))
        for n in rows:
            c[n, store_index[n]:, 1] = 2.0 * y[n] - 1.0
        self._trace = {**gates, "c": c, "g": np.zeros((N, T, H)), "h": np.zeros((N, T, H))}

    def trace(self, X):
        return self._trace


@pytest.fixture
def lstm_case():
    rng = np.random.default_rng(1)
    store = rng.integers(0, 10, 40)
    y = np.arange(40) % 2
    return FakeLSTM(store, y), np.zeros((40, 12, 3)), y, store


def test_memory_unit_and_gate_changes(lstm_case):
    model, X, y, store = lstm_case
    assert exercises.memory_unit(model, X, y) == 1
    changes = exercises.gate_changes(model, X, y, store)
    assert changes["input"] == pytest.approx((0.95, 0.5))
    assert changes["forget"] == pytest.approx((0.05, 0.5))
    assert changes["output"] == pytest.approx((0.5, 0.5))


def test_gate_prediction(lstm_case):
    right = {"input": "opens", "forget": "closes", "output": "stays"}
    assert exercises.check_gate_prediction(right, *lstm_case)
    assert exercises.check_gate_prediction({"i": "opens", "f": "closes", "o": "stays"}, *lstm_case)
    message = hint_of(exercises.check_gate_prediction,
                      {"input": "opens", "forget": "stays", "output": "stays"}, *lstm_case)
    assert "forget gate closes (you said stays): 0.05" in message and "wipes" in message
    assert "'opens', 'closes' or 'stays'" in hint_of(
        exercises.check_gate_prediction, {"input": "?", "forget": "?", "output": "?"}, *lstm_case)
    assert "output is missing" in hint_of(exercises.check_gate_prediction,
                                          {"input": "opens", "forget": "closes"}, *lstm_case)
    assert "trained LSTM" in hint_of(exercises.check_gate_prediction, right)


# ---------------------------------------------------------------- the reference answers, for real
def test_reference_learning_rate_passes():
    assert exercises.check_diverging_learning_rate(feedback.reference("diverging_learning_rate")())


def test_reference_settings_pass_on_real_playgrounds():
    from nnkit.widgets import Playground
    xor = Playground(dataset="xor", hidden_layers=[], learning_rate=0.1)
    feedback.reference("xor_hidden_layer")(xor)
    assert exercises.check_xor_hidden_layer(xor)
    overfit = Playground(dataset="gauss")
    feedback.reference("overfitting")(overfit)
    assert exercises.check_overfitting(overfit)
    regularized = Playground.from_json(overfit.to_json())
    feedback.reference("regularization")(regularized)
    assert exercises.check_regularization(regularized, baseline=overfit)
    for pg in (xor, overfit, regularized):
        pg.close()


def test_reference_gate_prediction_matches_the_lessons_lstm():
    from nnkit import Sequential, datasets, layers, optimizers
    T = 50
    X, y = datasets.memory(n_samples=512, seq_len=T, store_step=None, seed=0)
    Xt, yt, st = datasets.memory(n_samples=256, seq_len=T, store_step=None, seed=1,
                                 return_store_index=True)
    lstm = Sequential([layers.LSTM(8, input_shape=(T, 3)), layers.Dense(1, activation="sigmoid")],
                      seed=0)
    lstm.compile(optimizer=optimizers.Adam(learning_rate=0.02), loss="binary_crossentropy")
    lstm.fit(X, y, epochs=40, batch_size=64, verbose=0)
    assert exercises.check_gate_prediction(feedback.reference("gate_prediction")(), lstm, Xt, yt, st)


def test_every_solution_of_these_lessons_has_source_to_show():
    for name in ["sigmoid", "sigmoid_derivative", "forward_2_3_1", "cross_entropy", "sgd_step",
                 "diverging_learning_rate", "dense_backward", "xor_hidden_layer", "spiral",
                 "overfitting", "regularization", "gate_prediction"]:
        assert "def " in exercises.solution(name)
