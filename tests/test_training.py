"""One training path: fit, the Playground and the LSTM task train through ``nnkit.training``.

Shown by behaviour: the same seed, data and settings give the same weights, bit for bit, whichever
door the training came through.  And ``model.gradients`` is what finite differences say.
"""
import re
import warnings

import numpy as np
import pytest

import nnkit
from nnkit import gradcheck, layers, models, optimizers, training
from nnkit.widgets import Playground
from nnkit.labs.lstm_task import LSTMTask


def playground_like_model(seed: int) -> models.Sequential:
    """The Playground's default network, written with the public API alone."""
    model = models.Sequential([layers.Dense(4, activation="tanh", input_shape=(2,)),
                               layers.Dense(2, activation="tanh"),
                               layers.Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=optimizers.SGD(0.03), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def test_the_playground_after_n_epochs_is_fit_after_n_epochs_weight_for_weight():
    pg = Playground(dataset="circle", seed=3)
    X, y = pg.data.X_train, pg.data.y_train
    model = playground_like_model(seed=3)
    np.testing.assert_array_equal(np.concatenate([w.ravel() for w in model.get_weights()]),
                                  np.concatenate([w.ravel() for w in pg.model.get_weights()]))
    pg.train(7)                                      # 7 frames of Play
    model.fit(pg.features(X), y, epochs=7, batch_size=pg.state.batch_size, verbose=0)
    for mine, theirs in zip(model.get_weights(), pg.model.get_weights()):
        np.testing.assert_array_equal(mine, theirs)
    assert pg.epoch == 7 and len(model.history.history["loss"]) == 7


def test_the_lstm_task_after_n_epochs_is_fit_after_n_epochs_weight_for_weight():
    task = LSTMTask("sine", units=3, seq_len=8, seed=2)
    model = models.Sequential([layers.LSTM(3, input_shape=task.X.shape[1:]), layers.Dense(1)],
                              seed=2)
    model.compile(optimizer=optimizers.Adam(task.learning_rate, clipnorm=1.0), loss="mse",
                  metrics=["mae"])
    task.train_epochs(2)
    model.fit(task.X, task.y, epochs=2, batch_size=task.batch_size, verbose=0)
    for mine, theirs in zip(model.get_weights(), task.model.get_weights()):
        np.testing.assert_array_equal(mine, theirs)
    assert task.steps == 2 * int(np.ceil(len(task.X) / task.batch_size))


def test_one_epoch_function_serves_fit_and_a_frame():
    """``run_epoch`` by hand, epoch by epoch, is ``fit``: the loop has one body."""
    pg = Playground(dataset="xor", seed=1)
    a, b = playground_like_model(1), playground_like_model(1)
    x, y = a.prepare(pg.features(pg.data.X_train), pg.data.y_train)
    logs = [training.run_epoch(a, x, y, 10, rng=a.shuffle_rng)["loss"] for _ in range(3)]
    history = b.fit(x, y, epochs=3, batch_size=10, verbose=0)
    assert logs == history.history["loss"]
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)


def sequence_model(loss: str, seed: int) -> models.Sequential:
    """One output per time step: LSTM(return_sequences) → Dense, so rows are N·T."""
    units, activation = (3, "softmax") if loss != "mse" else (1, None)
    model = models.Sequential([layers.LSTM(4, return_sequences=True, input_shape=(5, 2)),
                               layers.Dense(units, activation=activation)], seed=seed)
    model.compile(optimizer="adam", loss=loss,
                  metrics=["accuracy"] if loss != "mse" else ["mae"])
    return model


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "mse"])
def test_the_epochs_metrics_are_those_of_every_steps_output_in_order(loss):
    """fit measures its metrics once per epoch, on what every step computed: equal to measuring
    each batch's output (probabilities, row by row) against its own targets, by hand."""
    rng = np.random.default_rng(5)
    x = rng.normal(size=(23, 5, 2))                            # 23: the last batch is short
    y = rng.integers(0, 3, (23, 5)) if loss != "mse" else rng.normal(size=(23, 5, 1))
    fitted, by_hand = sequence_model(loss, seed=6), sequence_model(loss, seed=6)
    history = fitted.fit(x, y, epochs=2, batch_size=8, verbose=0)
    xs, ys = by_hand.prepare(x, y)
    for epoch in range(2):
        hits, errors, rows = 0, 0.0, 0
        for xb, yb in training.epoch_batches(xs, ys, 8, by_hand.shuffle_rng):
            by_hand.train_step(xb, yb)
            out = by_hand.last_output.reshape(-1, by_hand.last_output.shape[-1])
            if loss == "mse":
                errors += np.abs(out - yb.reshape(-1, 1)).sum()
            else:                                             # the softmax the loss applied
                h = np.exp(out - out.max(axis=1, keepdims=True))
                hits += np.count_nonzero(h.argmax(axis=1) == yb.reshape(-1))
            rows += len(out)
        assert rows == 23 * 5
        name, expected = ("mae", errors / rows) if loss == "mse" else ("accuracy", hits / rows)
        assert history.history[name][epoch] == pytest.approx(expected, rel=1e-12)
    for wa, wb in zip(fitted.get_weights(), by_hand.get_weights()):
        np.testing.assert_array_equal(wa, wb)


# ---------------------------------------------------------------- model.gradients
@pytest.mark.parametrize("regularizer", [None, "l2"])
def test_gradients_are_finite_differences_and_change_no_weight(regularizer):
    rng = np.random.default_rng(0)
    x, labels = rng.normal(size=(12, 3)), rng.integers(0, 3, 12)
    model = models.Sequential([layers.Dense(5, activation="tanh", input_shape=(3,),
                                            kernel_regularizer=regularizer),
                               layers.Dense(3, activation="softmax")], seed=4)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    before = model.get_weights()
    L, grads = model.gradients(x, labels)
    assert [g.shape for g in grads] == [w.shape for w in before]
    for w, w0 in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, w0)                    # nothing moved
    assert model.optimizer.iterations == 0 if hasattr(model.optimizer, "iterations") else True
    weights = [w for layer in model.layers for w in layer.weights.values()]

    def loss():
        return model.gradients(x, labels)[0]

    assert L == pytest.approx(loss())
    for g, w in zip(grads, weights):
        numerical = gradcheck.numerical_gradient(loss, w, eps=1e-6)
        assert gradcheck.relative_error(g, numerical) < 1e-6
    assert L == pytest.approx(model.evaluate(x, labels, verbose=0))


# ---------------------------------------------------------------- History
def test_history_holds_the_epoch_that_stopped_training_even_the_first():
    x = np.random.default_rng(0).normal(size=(32, 2)) * 1e100
    model = models.Sequential([layers.Dense(1, input_shape=(2,))], seed=0)
    model.compile(optimizer=optimizers.SGD(1.0), loss="mse", metrics=["mae"])
    with pytest.warns(nnkit.TrainingDiverged):
        history = model.fit(x, x[:, :1] * 3, epochs=5, verbose=0)
    assert len(history.history["loss"]) == 1 and not np.isfinite(history.history["loss"][0])
    assert np.isnan(history.history["mae"][0])
    assert history.epoch == [0]
