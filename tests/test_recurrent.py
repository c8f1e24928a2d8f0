"""Tests for nnkit.layers.recurrent: SimpleRNN and LSTM, their gate traces, BPTT and training.

Each promise is checked against an independent computation: the lesson's equations written out
one sample and one step at a time, numbers worked by hand, or central finite differences.
"""
import numpy as np
import pytest

from nnkit import Sequential, gradcheck, load_model
from nnkit.datasets import memory
from nnkit.layers import LAYERS, LSTM, Dense, SimpleRNN
from nnkit.optimizers import SGD, Adam


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_by_the_lesson(x, W_x, W_h, b):
    """The lesson's six equations, one sample and one step at a time, with the lesson's matrices.

    nnkit stores the gate blocks side by side in the order i, f, g, o, Keras-shaped: the lesson's
    W_xi (H, D) is W_x[:, :H]ᵀ, W_hi (H, H) is W_h[:, :H]ᵀ, b_i is b[:H], and so on.
    """
    N, T, _ = x.shape
    H = W_h.shape[0]
    Wx = {k: W_x[:, j * H:(j + 1) * H].T for j, k in enumerate("ifgo")}
    Wh = {k: W_h[:, j * H:(j + 1) * H].T for j, k in enumerate("ifgo")}
    bb = {k: b[j * H:(j + 1) * H] for j, k in enumerate("ifgo")}
    out = {k: np.zeros((N, T, H)) for k in "ifogch"}
    for n in range(N):
        h, c = np.zeros(H), np.zeros(H)
        for t in range(T):
            x_t = x[n, t]
            i = sigmoid(Wx["i"] @ x_t + Wh["i"] @ h + bb["i"])
            f = sigmoid(Wx["f"] @ x_t + Wh["f"] @ h + bb["f"])
            o = sigmoid(Wx["o"] @ x_t + Wh["o"] @ h + bb["o"])
            g = np.tanh(Wx["g"] @ x_t + Wh["g"] @ h + bb["g"])
            c = f * c + i * g
            h = o * np.tanh(c)
            for k, v in zip("ifogch", (i, f, o, g, c, h)):
                out[k][n, t] = v
    return out


def built(layer, input_shape=(4, 2), seed=0, dtype=np.float64):
    layer.build(input_shape, np.random.default_rng(seed), dtype)
    return layer


# ---------------------------------------------------------------- worked examples
def test_lstm_worked_example_by_hand():
    # One unit, zero weights; biases chosen so that every gate is 0.5:
    #   i = f = o = σ(0) = 0.5,   g = tanh(ln(3) / 2) = (3 - 1) / (3 + 1) = 0.5
    # so c_t = 0.5 c_{t-1} + 0.5 · 0.5:   c_0 = 0.25,  c_1 = 0.375,  c_2 = 0.4375
    # and h_t = 0.5 tanh(c_t).
    layer = built(LSTM(1, return_sequences=True), (3, 1))
    layer.W_x[...] = 0.0
    layer.W_h[...] = 0.0
    layer.b[...] = [0.0, 0.0, np.log(3) / 2, 0.0]               # b_i, b_f, b_g, b_o
    h = layer.forward(np.array([[[5.0], [-2.0], [7.0]]]))        # x is ignored: W_x = 0
    c = np.array([0.25, 0.375, 0.4375])
    np.testing.assert_allclose(h[0, :, 0], 0.5 * np.tanh(c))
    trace = layer.trace
    np.testing.assert_allclose(trace["c"][0, :, 0], c)
    for gate in "ifog":
        np.testing.assert_allclose(trace[gate], 0.5)


def test_simple_rnn_worked_example_by_hand():
    # h_t = x_t · 1 + h_{t-1} · 0.5 (linear): x = 1, 2, 3  →  h = 1, 2 + 0.5 = 2.5, 3 + 1.25 = 4.25
    layer = built(SimpleRNN(1, activation="linear", return_sequences=True), (3, 1))
    layer.W_x[...] = 1.0
    layer.W_h[...] = 0.5
    h = layer.forward(np.array([[[1.0], [2.0], [3.0]]]))
    np.testing.assert_allclose(h[0, :, 0], [1.0, 2.5, 4.25])


@pytest.mark.parametrize("return_sequences", [False, True])
def test_lstm_forward_matches_the_lessons_equations(return_sequences):
    rng = np.random.default_rng(1)
    layer = built(LSTM(3, return_sequences=return_sequences), (5, 2))
    layer.b[...] = rng.normal(size=12)
    x = rng.normal(size=(4, 5, 2))
    out = layer.forward(x)
    want = lstm_by_the_lesson(x, layer.W_x, layer.W_h, layer.b)
    np.testing.assert_allclose(out, want["h"] if return_sequences else want["h"][:, -1])
    trace = layer.trace
    for k in "ifogch":
        np.testing.assert_allclose(trace[k], want[k], err_msg=k)


def test_simple_rnn_forward_matches_a_step_by_step_loop():
    rng = np.random.default_rng(2)
    layer = built(SimpleRNN(3, return_sequences=True), (5, 2))
    layer.b[...] = rng.normal(size=3)
    x = rng.normal(size=(4, 5, 2))
    h, want = np.zeros((4, 3)), []
    for t in range(5):
        h = np.tanh(x[:, t] @ layer.W_x + h @ layer.W_h + layer.b)
        want.append(h)
    np.testing.assert_allclose(layer.forward(x), np.stack(want, axis=1))
    np.testing.assert_allclose(layer.trace["h"], np.stack(want, axis=1))


# ---------------------------------------------------------------- gradient checks (BPTT)
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("make", [lambda rs: LSTM(3, return_sequences=rs),
                                  lambda rs: LSTM(3, return_sequences=rs, unit_forget_bias=False),
                                  lambda rs: SimpleRNN(3, return_sequences=rs),
                                  lambda rs: SimpleRNN(3, "sigmoid", return_sequences=rs),
                                  lambda rs: SimpleRNN(3, "linear", return_sequences=rs)],
                         ids=["lstm", "lstm-b_f=0", "rnn-tanh", "rnn-sigmoid", "rnn-linear"])
def test_layer_gradients_match_finite_differences(make, return_sequences):
    rng = np.random.default_rng(3)
    layer = built(make(return_sequences), (4, 2))
    layer.b[...] = rng.normal(0, 0.5, layer.b.shape)
    errors = gradcheck.check_layer(layer, rng.normal(size=(3, 4, 2)))
    assert set(errors) == {"x", "W_x", "W_h", "b"}
    assert max(errors.values()) <= 1e-6, errors


@pytest.mark.parametrize("recurrent", [LSTM, SimpleRNN])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_model_gradients_through_a_dense_on_top(recurrent, return_sequences):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5, 7, 2))
    y = rng.integers(0, 3, size=(5, 7) if return_sequences else (5,))
    model = Sequential([recurrent(4, return_sequences=return_sequences, input_shape=(7, 2)),
                        Dense(3, activation="softmax")], seed=5)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    # the loss is a mean over rows: with ε < 1e-4 rounding noise swamps the tiniest entries
    errors = gradcheck.check_model(model, x, y, eps=1e-4)
    assert len(errors) == 5                                    # W_x, W_h, b, then Dense W, b
    assert max(errors.values()) <= 1e-6, errors


def test_model_gradients_through_stacked_lstms():
    rng = np.random.default_rng(6)
    model = Sequential([LSTM(3, return_sequences=True, input_shape=(None, 2)), LSTM(2),
                        Dense(1)], seed=7)
    model.compile(optimizer="adam", loss="mse")
    errors = gradcheck.check_model(model, rng.normal(size=(4, 5, 2)), rng.normal(size=(4, 1)),
                                   eps=1e-4)
    assert max(errors.values()) <= 1e-6, errors


# ---------------------------------------------------------------- gate traces
def test_trace_is_every_gate_per_sample_step_and_unit():
    rng = np.random.default_rng(8)
    model = Sequential([LSTM(5, input_shape=(6, 2)), Dense(1, activation="sigmoid")], seed=0)
    x = rng.normal(size=(4, 6, 2))
    trace = model.trace(x)
    assert list(trace) == ["i", "f", "o", "g", "c", "h"]
    assert all(v.shape == (4, 6, 5) for v in trace.values())
    # the equations hold between the named arrays …
    c_prev = np.concatenate([np.zeros((4, 1, 5)), trace["c"][:, :-1]], axis=1)
    np.testing.assert_allclose(trace["c"], trace["f"] * c_prev + trace["i"] * trace["g"])
    np.testing.assert_allclose(trace["h"], trace["o"] * np.tanh(trace["c"]))
    # … and the last h is what the layer passed on
    np.testing.assert_allclose(trace["h"][:, -1], model.layer_outputs(x)[0])


def test_trace_costs_one_forward_pass_and_no_recomputation(monkeypatch):
    rng = np.random.default_rng(9)
    model = Sequential([LSTM(3, input_shape=(4, 2))], seed=0)
    layer = model.layers[0]
    calls = []
    forward = layer.forward
    layer.forward = lambda x, training=False: calls.append(1) or forward(x, training)
    model.trace(rng.normal(size=(2, 4, 2)))
    assert len(calls) == 1

    def computed(*args, **kwargs):
        raise AssertionError("the trace computed a gate again")

    for name in ("tanh", "exp", "dot", "matmul", "multiply"):
        monkeypatch.setattr(np, name, computed)
    trace = layer.trace                                          # reading it only copies
    monkeypatch.undo()
    assert len(calls) == 1 and trace["f"].shape == (2, 4, 3)


def test_trace_is_kept_when_the_next_pass_runs():
    rng = np.random.default_rng(10)
    model = Sequential([LSTM(3, input_shape=(4, 2))], seed=0)
    first = model.trace(x1 := rng.normal(size=(2, 4, 2)))
    snapshot = {k: v.copy() for k, v in first.items()}
    model.trace(rng.normal(size=(2, 4, 2)))
    for k in first:
        np.testing.assert_array_equal(first[k], snapshot[k])
    np.testing.assert_allclose(model.trace(x1)["h"], snapshot["h"])


def test_trace_picks_a_layer_and_simple_rnn_has_one_too():
    rng = np.random.default_rng(11)
    model = Sequential([SimpleRNN(3, return_sequences=True, input_shape=(4, 2), name="rnn"),
                        LSTM(2, name="memory"), Dense(1)], seed=0)
    x = rng.normal(size=(2, 4, 2))
    assert set(model.trace(x)) == {"z", "h"}
    assert model.trace(x, layer="memory")["i"].shape == (2, 4, 2)
    assert model.trace(x, layer=1)["c"].shape == (2, 4, 2)


def test_trace_before_any_forward_pass_says_what_to_do():
    with pytest.raises(ValueError, match="run a forward pass first"):
        LSTM(2).trace


# ---------------------------------------------------------------- Dense on top
def test_many_to_one_and_many_to_many_shapes():
    x = np.zeros((4, 6, 3))
    one = Sequential([LSTM(5, input_shape=(6, 3)), Dense(2)], seed=0)
    many = Sequential([LSTM(5, return_sequences=True, input_shape=(6, 3)), Dense(2)], seed=0)
    assert one.output_shape == (2,) and one.predict(x).shape == (4, 2)
    assert many.output_shape == (6, 2) and many.predict(x).shape == (4, 6, 2)


def test_many_to_many_applies_the_same_dense_at_every_step():
    rng = np.random.default_rng(12)
    model = Sequential([SimpleRNN(4, return_sequences=True, input_shape=(5, 2)),
                        Dense(3, activation="tanh")], seed=1)
    x = rng.normal(size=(2, 5, 2))
    out = model.predict(x)
    h = model.trace(x)["h"]
    dense = model.layers[1]
    for t in range(5):
        np.testing.assert_allclose(out[:, t], np.tanh(h[:, t] @ dense.W + dense.b))


def test_many_to_many_learns_to_echo_the_sign_of_each_step():
    rng = np.random.default_rng(13)
    x = rng.choice([-1.0, 1.0], size=(128, 8, 1))
    y = (x[..., 0] > 0).astype(int)                              # a label per step: (N, T)
    model = Sequential([LSTM(4, return_sequences=True, input_shape=(8, 1)),
                        Dense(2, activation="softmax")], seed=2)
    model.compile(optimizer=Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    assert model.evaluate(x, y, verbose=0)[1] == 1.0


# ---------------------------------------------------------------- gradient clipping
@pytest.mark.parametrize("recurrent", [LSTM, SimpleRNN])
def test_clipnorm_bounds_each_weights_step(recurrent):
    rng = np.random.default_rng(14)
    x, y = rng.normal(size=(8, 30, 2)), rng.normal(size=(8, 1)) * 10
    model = Sequential([recurrent(6, input_shape=(30, 2)), Dense(1)], seed=3)
    model.layers[0].W_h[...] *= 3.0                             # exploding gradients through time
    model.compile(optimizer=SGD(learning_rate=1.0, clipnorm=0.01), loss="mse")
    before = model.get_weights()
    model.train_on_batch(x, y)
    steps = [np.linalg.norm(new - old) for new, old in zip(model.get_weights(), before)]
    assert max(steps) <= 0.01 * (1 + 1e-9)                     # ‖Δw‖ = lr · ‖clipped g‖ ≤ 0.01
    assert min(steps) > 0.009                                   # every gradient was large: clipped
    assert all(np.isfinite(w).all() for w in model.get_weights())


# ---------------------------------------------------------------- bad input, clear errors
def model_and_weights():
    model = Sequential([LSTM(3, input_shape=(5, 2)), Dense(1)], seed=0)
    model.compile(optimizer="adam", loss="mse")
    return model, model.get_weights()


def assert_unchanged(model, weights):
    for new, old in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(new, old)
    assert model.optimizer.iterations == 0


@pytest.mark.parametrize("shape", [(4, 2), (4,), (4, 5, 2, 1)])
def test_input_not_3d_names_the_expected_axes_and_the_shape(shape):
    model, weights = model_and_weights()
    for call in (model.predict, lambda x: model.fit(x, np.zeros((4, 1)), verbose=0)):
        with pytest.raises(ValueError, match=r"\(batch, time, features\)") as err:
            call(np.zeros(shape))
        assert str(shape) in str(err.value)
    with pytest.raises(ValueError, match=r"expected input of shape \(batch, time, features\)"):
        model.layers[0].forward(np.zeros(shape))
    assert_unchanged(model, weights)


def test_input_not_3d_leaves_an_unbuilt_model_unbuilt():
    model = Sequential([LSTM(3), Dense(1)], seed=0)
    with pytest.raises(ValueError, match=r"\(batch, time, features\).*\(6, 2\)"):
        model.predict(np.zeros((6, 2)))
    assert not model.built


def test_wrong_number_of_features():
    model, weights = model_and_weights()
    with pytest.raises(ValueError, match=r"\(4, 5, 3\).*3 features.*2 features"):
        model.predict(np.zeros((4, 5, 3)))
    with pytest.raises(ValueError, match=r"built for 2 features.*\(4, 5, 3\)"):
        model.layers[0].forward(np.zeros((4, 5, 3)))
    assert_unchanged(model, weights)


def test_zero_time_steps():
    model = Sequential([LSTM(3, input_shape=(None, 2)), Dense(1)], seed=0)
    model.compile(optimizer="adam", loss="mse")
    weights = model.get_weights()
    with pytest.raises(ValueError, match="0 time steps"):
        model.fit(np.zeros((4, 0, 2)), np.zeros((4, 1)), verbose=0)
    layer = model.layers[0]
    cache = layer.cache
    with pytest.raises(ValueError, match="0 time steps"):
        layer.forward(np.zeros((4, 0, 2)))
    assert layer.cache is cache
    assert_unchanged(model, weights)


@pytest.mark.parametrize("cls", [LSTM, SimpleRNN])
@pytest.mark.parametrize("units, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError),
                                          ("8", TypeError), (True, TypeError)])
def test_units_must_be_a_positive_integer(cls, units, error):
    with pytest.raises(error, match=r"units must be a positive integer.*units="):
        cls(units)


def test_other_arguments_are_checked_when_the_layer_is_made():
    with pytest.raises(ValueError, match="softmax"):
        SimpleRNN(4, activation="softmax")                     # mixes units: not a step activation
    with pytest.raises(ValueError, match="Did you mean 'tanh'"):
        SimpleRNN(4, activation="tanhh")
    with pytest.raises(TypeError, match="return_sequences must be True or False"):
        LSTM(4, return_sequences="yes")
    with pytest.raises(TypeError, match="unit_forget_bias"):
        LSTM(4, unit_forget_bias=1)


def test_input_shape_must_be_time_and_features():
    with pytest.raises(ValueError, match=r"\(time, features\).*input_shape=\(5,\)"):
        LSTM(4, input_shape=(5,))
    with pytest.raises(ValueError, match="Dense layer outputs one vector per sample"):
        Sequential([Dense(4, input_shape=(3,)), SimpleRNN(2)])
    with pytest.raises(ValueError, match="no weights yet"):
        LSTM(2).forward(np.zeros((1, 3, 2)))


# ---------------------------------------------------------------- construction, config, saving
def test_weights_shapes_initialisation_and_gate_order():
    layer = built(LSTM(4), (None, 3))
    H = 4
    assert layer.W_x.shape == (3, 4 * H) and layer.W_h.shape == (H, 4 * H)
    assert layer.b.shape == (4 * H,)
    np.testing.assert_allclose(layer.W_h @ layer.W_h.T, np.eye(H), atol=1e-12)  # orthogonal rows
    np.testing.assert_array_equal(layer.b, [0] * H + [1] * H + [0] * 2 * H)   # i, f, g, o: b_f = 1
    assert not built(LSTM(4, unit_forget_bias=False), (None, 3)).b.any()
    rnn = built(SimpleRNN(4), (None, 3))
    np.testing.assert_allclose(rnn.W_h @ rnn.W_h.T, np.eye(4), atol=1e-12)
    assert layer.count_params() == 3 * 16 + 4 * 16 + 16


def test_repr_and_config_round_trip():
    assert repr(LSTM(32)) == "LSTM(units=32)"
    assert repr(SimpleRNN(8, "relu", return_sequences=True)) == \
        "SimpleRNN(units=8, activation='relu', return_sequences=True)"
    for layer in (LSTM(3, return_sequences=True, unit_forget_bias=False, input_shape=(None, 2)),
                  SimpleRNN(5, activation="sigmoid", name="rnn")):
        copy = type(layer).from_config(layer.get_config())
        assert copy.get_config() == layer.get_config()
    assert LAYERS["LSTM"] is LSTM and LAYERS["SimpleRNN"] is SimpleRNN


@pytest.mark.parametrize("recurrent", [LSTM(4, return_sequences=True), SimpleRNN(4, "relu")])
def test_save_and_load_round_trip(tmp_path, recurrent):
    rng = np.random.default_rng(15)
    x = rng.normal(size=(6, 5, 2))
    many = recurrent.return_sequences
    y = rng.integers(0, 2, size=(6, 5) if many else (6,))
    model = Sequential([recurrent, Dense(2, activation="softmax")], seed=4)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=2, verbose=0)
    model.save(tmp_path / "model.npz")
    loaded = load_model(tmp_path / "model.npz")
    assert repr(loaded) == repr(model)
    assert loaded.layers[0].get_config() == model.layers[0].get_config()
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))
    # the optimizer's state came back too: one more epoch moves both models alike
    for m in (model, loaded):
        m.fit(x, y, epochs=1, verbose=0, shuffle=False)
    for new, old in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_allclose(new, old, rtol=1e-12)


def test_float32_models_match_float64():
    rng = np.random.default_rng(16)
    x = rng.normal(size=(3, 7, 2))
    outs = {}
    for dtype in ("float32", "float64"):
        model = Sequential([LSTM(4, return_sequences=True, input_shape=(None, 2)), Dense(1)],
                           seed=0, dtype=dtype)
        model.compile(optimizer="adam", loss="mse")
        model.train_on_batch(x, np.ones((3, 7, 1)))
        outs[dtype] = model.predict(x)
        assert outs[dtype].dtype == dtype
        assert all(w.dtype == dtype for w in model.get_weights())
    np.testing.assert_allclose(outs["float32"], outs["float64"], atol=1e-5)


def test_any_sequence_length_when_time_is_none():
    model = Sequential([LSTM(3, input_shape=(None, 1)), Dense(1)], seed=0)
    assert model.predict(np.zeros((2, 3, 1))).shape == (2, 1)
    assert model.predict(np.zeros((5, 11, 1))).shape == (5, 1)


# ---------------------------------------------------------------- learning
def carrying_unit(trace, stored, hold):
    """The unit whose cell state c_t, step by step through the hold, tracks the stored value best.

    For every hold step: |correlation| over the samples between c_t of a unit and the stored ±1;
    averaged over the hold.  Returns (unit, its mean |correlation|).
    """
    c = trace["c"][:, hold]                                      # (N, steps, H)
    cz = (c - c.mean(axis=0)) / (c.std(axis=0) + 1e-12)
    vz = (stored - stored.mean()) / stored.std()
    corr = np.abs(np.mean(cz * vz[:, None, None], axis=0)).mean(axis=0)   # (H,)
    return int(np.argmax(corr)), float(corr.max())


def test_lstm_learns_the_memory_task_and_its_carrying_unit_keeps_the_forget_gate_open():
    # Remember the sign shown at step 0 through 18 steps of ±1 distractors; answer at step 19.
    # The carrying unit is found from the trained model, not named in advance.  With this set-up
    # every seed 0-9 learns the task and the carrier's mean f over the hold is 0.83-0.95.  It is
    # a property of trained models, not a law: with 8 units it sits near 0.8, and when trained
    # with random store steps it is lower still (c is then refreshed through an open input gate).
    T = 20
    x, y = memory(512, seq_len=T, seed=0)
    model = Sequential([LSTM(3, input_shape=(T, 3)), Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=Adam(0.01, clipnorm=1.0), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, y, epochs=40, batch_size=32, verbose=0)
    x_new, y_new = memory(500, seq_len=T, seed=1)               # sequences it has never seen
    assert model.evaluate(x_new, y_new, verbose=0)[1] >= 0.95

    trace = model.trace(x_new)
    hold = slice(1, T - 1)                                      # after the store, before the recall
    unit, corr = carrying_unit(trace, 2.0 * y_new - 1.0, hold)
    assert corr > 0.9                                            # its c_t really holds the value …
    assert trace["f"][:, hold, unit].mean() > 0.8                # … and its forget gate stays open


def test_on_a_long_delay_the_lstm_remembers_and_the_simple_rnn_does_not():
    # Train on stores at random steps of 50-step sequences; test on the longest delay (48 steps).
    # The SimpleRNN gets 16 units (320 weights) against the LSTM's 8 (384): about the same size.
    T = 50
    x, y = memory(512, seq_len=T, store_step=None, seed=0)
    x_long, y_long = memory(500, seq_len=T, store_step=0, seed=1)
    accuracy = {}
    for recurrent in (LSTM(8, input_shape=(None, 3)), SimpleRNN(16, input_shape=(None, 3))):
        model = Sequential([recurrent, Dense(1, activation="sigmoid")], seed=0)
        model.compile(optimizer=Adam(0.01, clipnorm=1.0), loss="binary_crossentropy",
                      metrics=["accuracy"])
        model.fit(x, y, epochs=30, batch_size=32, verbose=0)
        accuracy[type(recurrent).__name__] = model.evaluate(x_long, y_long, verbose=0)[1]
    assert accuracy["LSTM"] >= 0.95, accuracy
    assert accuracy["SimpleRNN"] < 0.7, accuracy                 # near chance (0.5)
