"""Sequential end to end: it learns, it repeats itself given a seed, and it reports what it does.

Learning is judged by accuracy on problems whose answer we know (XOR needs a hidden layer); every
other expected value is computed here from the formulas, not read off the model.
"""
import re
import warnings

import numpy as np
import pytest

import nnkit
from nnkit import callbacks, layers, models, optimizers

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])


def xor_model(hidden=True, seed=0):
    stack = [layers.Dense(8, activation="tanh", input_shape=(2,)),
             layers.Dense(1, activation="sigmoid")] if hidden else \
            [layers.Dense(1, activation="sigmoid", input_shape=(2,))]
    model = models.Sequential(stack, seed=seed)
    model.compile(optimizer=optimizers.Adam(learning_rate=0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def blobs(n=40, seed=0):
    """Two Gaussian blobs in 2-D, labels 0/1 (linearly separable)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.normal(scale=0.5, size=(n, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)
    return x, y.astype(float)


def iris_like_model(seed=0):
    model = models.Sequential(seed=seed)
    model.add(layers.Dense(64, input_shape=(4,), activation="relu"))
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def assert_same_weights(a, b):
    assert len(a) == len(b)
    for wa, wb in zip(a, b):
        np.testing.assert_array_equal(wa, wb)


# ---------------------------------------------------------------- learning
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_hidden_layer_learns_xor(seed):
    model = xor_model(hidden=True, seed=seed)
    model.fit(XOR_X, XOR_Y, epochs=300, batch_size=4, verbose=0)
    loss, accuracy = model.evaluate(XOR_X, XOR_Y, verbose=0)
    assert accuracy == 1.0
    np.testing.assert_array_equal(model.predict(XOR_X)[:, 0] > 0.5, XOR_Y == 1)


def test_without_a_hidden_layer_xor_cannot_be_learned():
    # one line can put at most 3 of XOR's 4 corners on the right side
    model = xor_model(hidden=False)
    model.fit(XOR_X, XOR_Y, epochs=300, batch_size=4, verbose=0)
    assert model.evaluate(XOR_X, XOR_Y, verbose=0)[1] <= 0.75


# ---------------------------------------------------------------- reproducibility
def test_same_seed_same_run_bit_for_bit():
    x, y = blobs()
    a, b, c = xor_model(seed=7), xor_model(seed=7), xor_model(seed=8)
    assert_same_weights(a.get_weights(), b.get_weights())
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])
    for model in (a, b, c):
        model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    assert_same_weights(a.get_weights(), b.get_weights())
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_a_model_built_on_first_use_gets_the_same_weights():
    eager = models.Sequential([layers.Dense(3, input_shape=(2,)), layers.Dense(1)], seed=5)
    lazy = models.Sequential([layers.Dense(3), layers.Dense(1)], seed=5)
    assert not lazy.built
    lazy.predict(XOR_X)
    assert_same_weights(eager.get_weights(), lazy.get_weights())


def test_reset_returns_to_the_first_weights_and_repeats_the_run():
    x, y = blobs()
    model = xor_model(seed=3)
    initial = model.get_weights()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    trained = model.get_weights()
    model.reset()
    assert_same_weights(model.get_weights(), initial)
    assert model.optimizer.iterations == 0
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert_same_weights(model.get_weights(), trained)        # the same shuffles, the same steps


def test_unseeded_models_differ_and_report_their_seed():
    a, b = models.Sequential(), models.Sequential()
    assert a.seed != b.seed
    assert isinstance(a.seed, int)


# ---------------------------------------------------------------- fit's history and output
def test_history_with_validation_data():
    x, y = blobs()
    xv, yv = blobs(seed=1)
    model = xor_model()
    history = model.fit(x, y, epochs=3, batch_size=8, validation_data=(xv, yv), verbose=0)
    assert model.history is history
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(values) == 3 for values in history.history.values())
    assert history.epoch == [0, 1, 2]
    val_loss, val_accuracy = model.evaluate(xv, yv, verbose=0)
    assert history.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-12)
    assert history.history["val_accuracy"][-1] == val_accuracy


def test_history_with_validation_split_holds_out_the_last_samples():
    x, y = blobs()
    model = xor_model()
    history = model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    val_loss, _ = model.evaluate(x[-10:], y[-10:], verbose=0)      # 25 % of 40 = the last 10
    assert history.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-12)


def test_history_holds_plain_numbers():
    # printed in a notebook, history.history reads [0.5, 0.75], not [np.float64(0.5), …]
    x, y = blobs()
    history = xor_model().fit(x, y, epochs=2, validation_split=0.25, verbose=0)
    assert all(type(v) is float for values in history.history.values() for v in values)


def test_regression_metrics_by_hand():
    # h = x W + b with W = [[2]], b = [1]:  x = [0, 1, 2] → h = [1, 3, 5];  y = [1, 2, 7]
    # errors h - y = [0, 1, -2]:  mse = (0 + 1 + 4) / 3 = 5/3,  mae = (0 + 1 + 2) / 3 = 1
    model = models.Sequential([layers.Dense(1, input_shape=(1,))], seed=0)
    model.set_weights([np.array([[2.0]]), np.array([1.0])])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae", "mse"])
    loss, mae, mse = model.evaluate([[0.0], [1.0], [2.0]], [1.0, 2.0, 7.0], verbose=0)
    assert (loss, mae) == (pytest.approx(5 / 3), pytest.approx(1.0))
    assert mse == loss


def test_epoch_loss_is_the_mean_of_the_batch_losses():
    x, y = blobs(n=20)
    batch_losses = []
    record = callbacks.LambdaCallback(
        on_batch_end=lambda batch, logs: batch_losses.append((logs["size"], logs["loss"])))
    history = xor_model().fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[record])
    assert [size for size, _ in batch_losses] == [8, 8, 4]
    mean = sum(size * loss for size, loss in batch_losses) / 20
    assert history.history["loss"][0] == pytest.approx(mean, rel=1e-12)


def test_verbose_0_prints_nothing(capsys):
    x, y = blobs()
    model = xor_model()
    model.fit(x, y, epochs=2, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_verbose_1_shows_a_progress_bar(capsys):
    x, y = blobs()
    xor_model().fit(x, y, epochs=3, verbose=1)
    err = capsys.readouterr().err
    assert re.search(r"3/3 \[", err), err                       # tqdm's "3/3 [00:00<00:00, …]"
    assert "epoch" in err and "loss=" in err


def test_verbose_2_prints_one_line_per_epoch(capsys):
    x, y = blobs()
    xor_model().fit(x, y, epochs=3, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" - ")[0] for line in lines] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    assert all("loss: " in line and "accuracy: " in line for line in lines)


# ---------------------------------------------------------------- callbacks
class Counter(callbacks.Callback):
    def __init__(self):
        self.calls = {}

    def _count(self, hook):
        self.calls[hook] = self.calls.get(hook, 0) + 1

    def on_train_begin(self, logs=None): self._count("train_begin")
    def on_train_end(self, logs=None): self._count("train_end")
    def on_epoch_begin(self, epoch, logs=None): self._count("epoch_begin")
    def on_epoch_end(self, epoch, logs=None): self._count("epoch_end")
    def on_batch_begin(self, batch, logs=None): self._count("batch_begin")
    def on_batch_end(self, batch, logs=None): self._count("batch_end")


def test_every_hook_is_called_the_right_number_of_times():
    x, y = blobs(n=20)                                    # 20 samples, batches of 8: 3 per epoch
    counter = Counter()
    model = xor_model()
    model.fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=[counter])
    assert counter.model is model
    assert counter.calls == {"train_begin": 1, "train_end": 1, "epoch_begin": 4, "epoch_end": 4,
                             "batch_begin": 12, "batch_end": 12}
    assert model.optimizer.iterations == 12


def test_lambda_callbacks_take_the_arguments_keras_gives():
    # Keras: on_train_* get (logs); on_epoch_* get (epoch, logs); on_batch_* get (batch, logs)
    calls = []
    hooks = callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append(("train_begin", logs)),
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_batch_begin=lambda batch, logs: calls.append(("batch_begin", batch)),
        on_batch_end=lambda batch, logs: calls.append(("batch_end", batch)),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", sorted(logs))),
        on_train_end=lambda logs: calls.append(("train_end", sorted(logs))))
    x, y = blobs(n=10)
    xor_model().fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[hooks])
    assert calls == [("train_begin", {}), ("epoch_begin", 0), ("batch_begin", 0),
                     ("batch_end", 0), ("batch_begin", 1), ("batch_end", 1),
                     ("epoch_end", ["accuracy", "loss"]), ("train_end", ["accuracy", "loss"])]


def test_stop_training_from_a_callback_ends_after_that_epoch():
    def stop_at_epoch_1(epoch, logs):
        if epoch == 1:
            model.stop_training = True

    x, y = blobs()
    model = xor_model()
    history = model.fit(x, y, epochs=10, verbose=0,
                        callbacks=[callbacks.LambdaCallback(on_epoch_end=stop_at_epoch_1)])
    assert history.epoch == [0, 1]


def _weights_each_epoch():
    saved = []
    keep = callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: saved.append(
        keep.model.get_weights()))
    return keep, saved


@pytest.mark.parametrize("restore", [True, False])
def test_early_stopping(restore):
    # validation labels are the opposite of the training labels: the better the model learns,
    # the worse val_loss gets, so it should stop `patience` epochs after its best one
    x, y = blobs()
    model = xor_model(hidden=False)
    keep, saved = _weights_each_epoch()
    stopper = callbacks.EarlyStopping(monitor="val_loss", patience=2,
                                      restore_best_weights=restore)
    history = model.fit(x, y, epochs=30, batch_size=8, validation_data=(x, 1 - y), verbose=0,
                        callbacks=[keep, stopper])
    val_loss = history.history["val_loss"]
    best = int(np.argmin(val_loss))
    assert len(val_loss) == best + 2 + 1 < 30
    assert stopper.stopped_epoch == len(val_loss) - 1
    assert_same_weights(model.get_weights(), saved[best] if restore else saved[-1])


# ---------------------------------------------------------------- one step, by hand
def test_train_on_batch_makes_exactly_one_sgd_step():
    x = np.array([[1.0, 2.0], [-1.0, 0.5], [0.5, -1.5]])
    y = np.array([1.0, 0.0, 0.0])
    model = models.Sequential([layers.Dense(1, activation="sigmoid", input_shape=(2,))], seed=0)
    model.compile(optimizer=optimizers.SGD(learning_rate=0.5), loss="binary_crossentropy",
                  metrics=["accuracy"])
    W, b = model.get_weights()
    # forward, loss and the fused gradient dz = (h - y) / N, written out
    h = 1 / (1 + np.exp(-(x @ W + b)))[:, 0]
    loss = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
    dz = (h - y) / 3
    W_after = W - 0.5 * (x.T @ dz)[:, None]
    b_after = b - 0.5 * dz.sum()

    returned_loss, accuracy = model.train_on_batch(x, y)
    assert returned_loss == pytest.approx(loss, rel=1e-12)          # before the step
    assert accuracy == np.mean((h > 0.5) == (y == 1))
    assert model.optimizer.iterations == 1
    np.testing.assert_allclose(model.get_weights()[0], W_after, rtol=1e-12)
    np.testing.assert_allclose(model.get_weights()[1], b_after, rtol=1e-12)


# ---------------------------------------------------------------- describing the model
def test_summary_lists_layers_shapes_and_parameter_counts():
    model = iris_like_model()
    printed = []
    model.summary(print_fn=printed.append)
    text = printed[0]
    # W (4·64) + b (64) = 320;  64·64 + 64 = 4160;  64·3 + 3 = 195;  total 4675
    rows = [line.split() for line in text.splitlines() if "(Dense)" in line]
    assert rows == [["dense", "(Dense)", "(None,", "64)", "320"],
                    ["dense_1", "(Dense)", "(None,", "64)", "4,160"],
                    ["dense_2", "(Dense)", "(None,", "3)", "195"]]
    assert "Total params: 4,675" in text
    assert model.count_params() == 4675


def test_summary_prints(capsys):
    iris_like_model().summary()
    assert "Total params: 4,675" in capsys.readouterr().out


def test_reprs_describe_the_model():
    model = models.Sequential([layers.Dense(2, activation="relu", input_shape=(3,)),
                               layers.Activation("softmax")], seed=4)
    assert repr(model) == ("Sequential([Dense(units=2, activation='relu'), "
                           "Activation('softmax')], seed=4)")


# ---------------------------------------------------------------- weights and outputs
def test_get_weights_returns_copies_and_set_weights_sets_them():
    model = iris_like_model()
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(4, 64), (64,), (64, 64), (64,), (64, 3), (3,)]
    weights[0][...] = 123.0                                        # a copy: the model is untouched
    assert not (model.get_weights()[0] == 123.0).any()
    model.set_weights([np.zeros_like(w) for w in weights])
    # all-zero weights: every logit is 0, so softmax gives 1/3 to each class
    np.testing.assert_allclose(model.predict(np.ones((2, 4))), np.full((2, 3), 1 / 3))


def test_predict_shapes_and_copies():
    model = iris_like_model()
    x = np.random.default_rng(0).normal(size=(5, 4))
    p = model.predict(x)
    assert p.shape == (5, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert model.predict(x[:1]).shape == (1, 3)
    p[...] = 0                                                     # not a view into the model
    assert model.predict(x).sum() == pytest.approx(5.0)


def test_predict_on_sequences():
    model = models.Sequential([layers.Dense(4, activation="tanh", input_shape=(6, 3)),
                               layers.Dense(2, activation="softmax")], seed=0)
    assert model.predict(np.zeros((5, 6, 3))).shape == (5, 6, 2)


def test_layer_outputs_are_every_hidden_layer():
    model = iris_like_model()
    x = np.random.default_rng(1).normal(size=(5, 4))
    outputs = model.layer_outputs(x)
    assert [o.shape for o in outputs] == [(5, 64), (5, 64), (5, 3)]
    W1, b1 = model.get_weights()[:2]
    np.testing.assert_allclose(outputs[0], np.maximum(x @ W1 + b1, 0))
    np.testing.assert_allclose(outputs[-1], model.predict(x))


# ---------------------------------------------------------------- divergence
def test_a_huge_learning_rate_stops_fit_with_a_warning_and_keeps_the_weights():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3))
    y = x @ np.array([[1.0], [2.0], [3.0]])
    model = models.Sequential([layers.Dense(1, input_shape=(3,))], seed=0)
    model.compile(optimizer=optimizers.SGD(learning_rate=10.0), loss="mse")
    seen = []                                          # (epoch, batch, weights before the step)
    epoch = callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: seen.append((e, None, None)))
    batch = callbacks.LambdaCallback(on_batch_begin=lambda b, logs: seen.append(
        (seen[-1][0], b, model.get_weights())))

    with pytest.warns(nnkit.TrainingDiverged) as caught:
        history = model.fit(x, y, epochs=100, batch_size=8, verbose=0, callbacks=[epoch, batch])

    last_epoch, last_batch, weights_before = seen[-1]
    message = str(caught[0].message)
    assert f"epoch {last_epoch + 1}, step {last_batch + 1}" in message
    assert "lower learning rate" in message and "10" in message
    # every finished epoch, and the one that stopped training with its non-finite loss
    assert len(history.history["loss"]) == last_epoch + 1
    assert not np.isfinite(history.history["loss"][-1])
    assert np.isfinite(history.history["loss"][:-1]).all()
    assert history.stopped_reason == message
    assert_same_weights(model.get_weights(), weights_before)
    assert all(np.isfinite(w).all() for w in model.get_weights())
    # and the model still answers with those weights
    W, b = weights_before
    np.testing.assert_allclose(model.predict(x[:2]), x[:2] @ W + b)


def test_a_sensible_learning_rate_does_not_warn():
    x, y = blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        xor_model().fit(x, y, epochs=3, verbose=0)
