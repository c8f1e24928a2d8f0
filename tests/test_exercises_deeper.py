"""The deeper exercises of lessons 03, 04, 05 and 08: a right answer passes, each typical slip gets
its own hint.

    softmax + cross-entropy gradient (03)   checked against central finite differences
    momentum and Adam updates (04)          checked against nnkit.optimizers on the same gradients
    initialization experiment (05)          the learner's conclusions against the measured numbers
    one LSTM step (08)                      checked against layers.LSTM on the same weights

The slips are written here the way a learner writes them — not taken from the checkers' own
tables — so a test fails if a checker stops recognising one.
"""
import numpy as np
import pytest

from nnkit import exercises, layers, optimizers
from nnkit.exercises import lesson_03, lesson_04, lesson_05, lesson_08
from nnkit.exercises.feedback import reference


def hint_of(check, answer, *args) -> str:
    result = check(answer, *args)
    assert not result, f"expected a hint, but {check.__name__} passed: {result.message}"
    return result.message


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------- lesson 03: ∂L/∂z = (ŷ - y)/N
def test_finite_differences_agree_with_the_closed_form():
    # independent of the checker: a 2-sample, 3-class case by hand, ŷ - y over N = 2
    z = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    by_hand = (softmax(z) - y) / 2                 # row 0: [1/3, -2/3, 1/3] / 2
    assert np.allclose(by_hand[0], [1 / 6, -1 / 3, 1 / 6])
    assert np.allclose(lesson_03.finite_difference_gradient(y, z), by_hand, atol=1e-8)


def test_softmax_gradient_right_answers_pass(capsys):
    assert exercises.check_softmax_cross_entropy_gradient(
        reference("softmax_cross_entropy_gradient"))
    assert "near 1000" in capsys.readouterr().out
    # a naive softmax passes too, with a note on overflow
    naive = exercises.check_softmax_cross_entropy_gradient(
        lambda z, y: (np.exp(z) / np.exp(z).sum(axis=1, keepdims=True) - y) / len(z))
    assert naive and "overflows" in naive.message


@pytest.mark.parametrize("wrong, words", [
    (lambda z, y: softmax(z) - y, "4× too large"),                         # forgot the 1/N
    (lambda z, y: (y - softmax(z)) / len(z), "wrong sign"),
    (lambda z, y: -y * (1 - softmax(z)) / len(z), "only the diagonal of the softmax Jacobian"),
    (lambda z, y: -y / softmax(z) / len(z), "∂L/∂ŷ"),
    (lambda z, y: (z - y) / len(z), "softmax(z) first"),
    (lambda z, y: softmax(z)[:, :2], "shape"),
    (lambda z, y: ((softmax(z) - y) / len(z)).T, "transposed"),            # (K, N), not (N, K)
    (lambda z, y: (np.exp(z) / np.exp(z).sum(axis=0) - y) / len(z), "each COLUMN"),
])
def test_softmax_gradient_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_softmax_cross_entropy_gradient, wrong)


# ---------------------------------------------------------------- lesson 04: momentum and Adam
def test_nnkit_walk_is_nnkits_optimizer_step_by_step():
    # one momentum step by hand: v = -α g, w = w0 + v; the second adds μ v
    path = lesson_04.nnkit_walk(optimizers.SGD(learning_rate=0.1, momentum=0.9),
                                gradients=np.array([[1.0], [1.0]]), w=np.array([0.0]))
    assert np.allclose(path.ravel(), [-0.1, -0.1 + (-0.09 - 0.1)])


def test_momentum_right_answer_passes_and_the_opposite_velocity_convention_too():
    assert exercises.check_momentum_step(reference("momentum_step"))

    def flipped(w, grad, velocity, learning_rate, momentum):     # v ← μ v + α g; w ← w - v
        velocity = momentum * velocity + learning_rate * grad
        return w - velocity, velocity
    result = exercises.check_momentum_step(flipped)
    assert result and "opposite sign" in result.message


def _momentum(update):
    def step(w, grad, velocity, learning_rate, momentum):
        return update(w, grad, velocity, learning_rate, momentum)
    return step


@pytest.mark.parametrize("wrong, words", [
    (_momentum(lambda w, g, v, a, mu: (w + mu * v + a * g, mu * v + a * g)), "uphill"),
    (_momentum(lambda w, g, v, a, mu: (w + v, mu * v - a * g)), "OLD velocity"),
    (_momentum(lambda w, g, v, a, mu: (w - a * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g)),
     "averaging form"),
    (_momentum(lambda w, g, v, a, mu: (w - a * g, v)), "still 0"),
    (_momentum(lambda w, g, v, a, mu: (w - a * g, -a * g)), "plain SGD"),
    (_momentum(lambda w, g, v, a, mu: w - a * g), "should return 2 arrays"),
])
def test_momentum_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_momentum_step, wrong)


def test_adam_right_answers_pass_in_both_places_of_epsilon():
    assert exercises.check_adam_step(reference("adam_step"))
    assert exercises.check_adam_step(lesson_04._keras_adam_step)      # nnkit's own form


def adam(correct=True, betas_swapped=False, eps_inside=False, eps=True, g_in_v=False,
         swap_return=False, t_from_zero=False, return_hats=False, sign=-1.0):
    def step(w, grad, m, v, t, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        b1, b2 = (beta_2, beta_1) if betas_swapped else (beta_1, beta_2)
        t = t - 1 if t_from_zero else t
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * (grad if g_in_v else grad ** 2)
        m_hat, v_hat = (m / (1 - b1 ** t), v / (1 - b2 ** t)) if correct else (m, v)
        if eps_inside:
            w = w - learning_rate * m_hat / np.sqrt(v_hat + epsilon)
        else:
            w = w + sign * learning_rate * m_hat / (np.sqrt(v_hat) + (epsilon if eps else 0.0))
        if return_hats:
            m, v = m_hat, v_hat
        return (w, v, m) if swap_return else (w, m, v)
    return step


@pytest.mark.parametrize("wrong, words", [
    (adam(correct=False), "bias correction is missing"),
    (adam(betas_swapped=True), "β₁ and β₂ are swapped"),
    (adam(swap_return=True), "m and v are swapped"),
    (adam(eps_inside=True), "ε is inside the square root"),
    (adam(eps=False), "divides 0 by 0"),
    (adam(g_in_v=True), "SQUARED gradient"),
    (adam(t_from_zero=True), "t = 0"),
    (adam(return_hats=True), "bias-corrected m̂ and v̂ as the new state"),
    (adam(sign=+1.0), "wrong way — uphill"),
])
def test_adam_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_adam_step, wrong)


# ---------------------------------------------------------------- lesson 05: initialization
def test_init_experiment_measures_what_the_lesson_says():
    zeros, small, large, glorot, he = (lesson_05.init_experiment(n) for n in
                                       ("zeros", "small", "large", "glorot", "he"))
    assert zeros["distinct_units"] == 1 and max(zeros["std"]) == 0
    ratios = np.array(small["std"][1:]) / np.array(small["std"][:-1])
    assert np.allclose(ratios, 0.1, rtol=0.15)          # σ·sqrt(fan_in) = 0.01 · 10 per layer
    assert min(large["saturated"]) > 0.5
    assert 0.2 < glorot["std"][-1] < glorot["std"][0] < 1       # shrinks slowly, not tenfold
    assert 0.5 < he["std"][-1] / he["std"][0] < 2 and he["saturated"] == [0.0] * 6
    assert [lesson_05.init_verdict(r) for r in (zeros, small, large, glorot, he)] == \
        ["identical", "vanishing", "saturated", "steady", "steady"]


def test_init_conclusions_right_answer_passes():
    assert exercises.check_init_conclusions(reference("init_conclusions")())


@pytest.mark.parametrize("change, words", [
    ({"zeros": "vanishing"}, "1 different unit(s)"),
    ({"small": "steady"}, "9.4e-07"),
    ({"large": "steady"}, "stuck near ±1"),
    ({"glorot": "vanishing"}, "same order"),
    ({"he": "saturated"}, "2/fan_in for ReLU"),
    ({"he": "exploding"}, "2/fan_in for ReLU"),          # a synonym of 'saturated': wrong here
    ({"he": "boom"}, "choose one of"),
])
def test_init_conclusion_slips_show_the_deciding_numbers(change, words):
    answer = reference("init_conclusions")() | change
    assert words in hint_of(exercises.check_init_conclusions, answer)


def test_init_conclusions_take_any_case_and_exploding_for_saturated():
    answer = {"zeros": "Identical", "small": " VANISHING", "large": "exploding",
              "glorot": "Steady", "he": "steady"}
    result = exercises.check_init_conclusions(answer)
    assert result and "the checker calls it 'saturated'" in result.message
    assert "note" not in exercises.check_init_conclusions(
        reference("init_conclusions")()).message.lower()


def test_init_conclusions_missing_or_not_a_dict():
    assert "'he'" in hint_of(exercises.check_init_conclusions, {"zeros": "identical"})
    assert "dict" in hint_of(exercises.check_init_conclusions, ["identical"])


# ---------------------------------------------------------------- lesson 08: one LSTM step
def test_lstm_step_reference_reproduces_layers_lstm_written_independently():
    # the layer's gates by the lesson's column equations, W_xi = W_x[:, :H]ᵀ etc.
    layer, x = lesson_08._test_layer(seed=5)
    H = layer.units
    h = c = np.zeros((H, x.shape[0]))
    sig = lambda a: 1 / (1 + np.exp(-a))                                       # noqa: E731
    for t in range(x.shape[1]):
        blocks = [layer.W_x[:, k * H:(k + 1) * H].T @ x[:, t].T + layer.W_h[:, k * H:(k + 1) * H].T @ h
                  + layer.b[k * H:(k + 1) * H, None] for k in range(4)]
        i, f, g, o = sig(blocks[0]), sig(blocks[1]), np.tanh(blocks[2]), sig(blocks[3])
        c = f * c + i * g
        h = o * np.tanh(c)
    hs, cs = lesson_08.run_lstm_steps(reference("lstm_step"), layer, x)
    assert np.allclose(hs[:, -1], h.T) and np.allclose(cs[:, -1], c.T)
    assert np.allclose(hs[:, -1], layer.forward(x))


def test_lstm_step_right_answer_passes_also_on_another_lstm():
    assert exercises.check_lstm_step(reference("lstm_step"))
    layer = layers.LSTM(2, input_shape=(7, 3))
    layer.build((7, 3), np.random.default_rng(2))
    x = np.random.default_rng(3).normal(size=(3, 7, 3))
    assert exercises.check_lstm_step(reference("lstm_step"), layer, x)


def lstm(order="ifgo", g=np.tanh, h_tanh=True, forget_h=False, swap=False, c_formula="f*c+i*g"):
    def step(x_t, h_prev, c_prev, W_x, W_h, b):
        H = h_prev.shape[1]
        a = x_t @ W_x + h_prev @ W_h + b
        gate = {name: a[:, k * H:(k + 1) * H] for k, name in enumerate(order)}
        sig = lambda v: 1 / (1 + np.exp(-v))                                   # noqa: E731
        i, f = sig(gate["i"]), sig(gate["f"])
        if c_formula == "i*c+f*g":
            c_t = i * c_prev + f * g(gate["g"])
        else:
            c_t = f * (h_prev if forget_h else c_prev) + i * g(gate["g"])
        h_t = sig(gate["o"]) * (np.tanh(c_t) if h_tanh else c_t)
        return (c_t, h_t) if swap else (h_t, c_t)
    return step


@pytest.mark.parametrize("wrong, words", [
    (lstm(order="ifog"), "gate order is i, f, o, g"),
    (lstm(order="fiog"), "gate order is f, i, o, g"),
    (lstm(order="gifo"), "gate order is g, i, f, o"),
    (lstm(g=lambda v: 1 / (1 + np.exp(-v))), "through tanh"),
    (lstm(h_tanh=False), "squash the cell with tanh"),
    (lstm(forget_h=True), "old CELL c_{t-1}, not the old output h_{t-1}"),
    (lstm(swap=True), "you return (c_t, h_t)"),
    (lstm(c_formula="i*c+f*g"), "f and i are swapped in the cell"),    # right slices, wrong formula
    (lambda x_t, h, c, W_x, W_h, b: h, "two arrays"),
])
def test_lstm_step_slips_get_their_hint(wrong, words):
    assert words in hint_of(exercises.check_lstm_step, wrong)


def test_a_learning_rate_of_zero_is_told_it_makes_no_step():
    hint = hint_of(exercises.check_diverging_learning_rate, 0)
    assert "no step at all" in hint and "uphill" not in hint
    assert "uphill" in hint_of(exercises.check_diverging_learning_rate, -0.2)


def test_every_new_solution_has_source_to_show():
    for name in ("softmax_cross_entropy_gradient", "momentum_step", "adam_step",
                 "init_conclusions", "lstm_step"):
        assert "return" in exercises.solution(name)
