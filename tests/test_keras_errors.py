"""What Keras code gets wrong here is explained, not trained: the issue's bad cases, each with the
message it must give; Dropout checked against finite differences."""
from __future__ import annotations

import numpy as np
import pytest

from nnkit import activations, callbacks, gradcheck, layers, losses, models, optimizers

rng = np.random.default_rng(0)
X3, Y3 = rng.normal(size=(30, 4)), rng.integers(0, 3, size=30)


def model_ending(*output, input_shape=(4,)):
    return models.Sequential([layers.Dense(8, activation="relu", input_shape=input_shape),
                              *output], seed=0)


# ---------------------------------------------------------------- pairings refused at compile
@pytest.mark.parametrize("output, loss, fragments", [
    (layers.Dense(3, activation="sigmoid"), "sparse_categorical_crossentropy",
     ["activation='sigmoid'", "'sparse_categorical_crossentropy'", "do not sum to 1",
      "activation='softmax'", "SparseCategoricalCrossentropy(from_logits=True)"]),
    (layers.Dense(3), "categorical_crossentropy",
     ["activation='linear'", "'categorical_crossentropy'", "not probabilities",
      "activation='softmax'", "CategoricalCrossentropy(from_logits=True)"]),
    (layers.Dense(1), "binary_crossentropy",
     ["activation='linear'", "'binary_crossentropy'", "means nothing",
      "activation='sigmoid'", "BinaryCrossentropy(from_logits=True)"]),
    (layers.Dense(1, activation="softmax"), "binary_crossentropy",
     ["softmax", "over 1 unit", "always 1.0", "activation='sigmoid'"]),
    (layers.Dense(3, activation="softmax"), losses.CategoricalCrossentropy(from_logits=True),
     ["from_logits=True", "squashed twice", "activation=None"]),
    (layers.Dense(3, activation="softmax"), "binary_crossentropy",
     ["activation='softmax' over 3 units", "'binary_crossentropy'", "sum to 1",
      "loss='categorical_crossentropy'", "'sparse_categorical_crossentropy'", "multi-label",
      "activation='sigmoid'"]),
])
def test_wrong_pairing_is_refused_at_compile(output, loss, fragments):
    model = model_ending(output)
    with pytest.raises(ValueError) as caught:
        model.compile(optimizer="adam", loss=loss)
    for fragment in fragments:
        assert fragment in str(caught.value), (fragment, str(caught.value))
    assert model.loss is None                                # nothing half-compiled


def test_pairing_checked_again_when_layers_come_after_compile():
    model = models.Sequential(seed=0)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.add(layers.Dense(3, activation="sigmoid", input_shape=(4,)))
    with pytest.raises(ValueError, match="activation='sigmoid'"):
        model.fit(X3, np.eye(3)[Y3], verbose=0)


@pytest.mark.parametrize("output, loss", [
    (layers.Dense(3, activation="softmax"), "sparse_categorical_crossentropy"),
    (layers.Dense(1, activation="sigmoid"), "binary_crossentropy"),
    (layers.Dense(3), losses.SparseCategoricalCrossentropy(from_logits=True)),
    (layers.Dense(2, activation="sigmoid"), "mse"),               # regression: anything goes
    (layers.Dense(2, activation="softmax"), "binary_crossentropy"),  # two classes, one-hot
    (layers.Dense(3, activation="sigmoid"), "binary_crossentropy"),  # multi-label
])
def test_fitting_pairings_compile(output, loss):
    model_ending(output).compile(optimizer="adam", loss=loss)


# ---------------------------------------------------------------- targets against the output
@pytest.mark.parametrize("time_steps", [6, None])
@pytest.mark.parametrize("batch_size", [32, 1])
@pytest.mark.parametrize("units, loss", [(1, "binary_crossentropy"),
                                         (3, "sparse_categorical_crossentropy")])
def test_one_target_per_sequence_with_return_sequences(time_steps, batch_size, units, loss):
    x = rng.normal(size=(20, 6, 4))
    y = rng.integers(0, 2, size=(20, 1)).astype(float)
    model = models.Sequential([layers.LSTM(5, input_shape=(time_steps, 4), return_sequences=True),
                               layers.Dense(units, activation="sigmoid" if units == 1
                                            else "softmax")], seed=0)
    model.compile(optimizer="adam", loss=loss)
    for call in (lambda: model.fit(x, y, batch_size=batch_size, verbose=0),
                 lambda: model.evaluate(x, y, verbose=0)):
        with pytest.raises(ValueError) as caught:
            call()
        text = str(caught.value)
        assert "y has shape (20, 1)" in text and f"(None, 6, {units})" in text
        assert "return_sequences=False" in text
        assert ("(20, 6)" if loss.startswith("sparse") else "(20, 6, 1)") in text


@pytest.mark.parametrize("batch_size", [32, 1])
def test_a_target_per_time_step_for_one_output_per_sequence(batch_size):
    model = models.Sequential([layers.LSTM(3, input_shape=(None, 4)),
                               layers.Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    x, y = rng.normal(size=(10, 6, 4)), rng.integers(0, 2, size=(10, 6, 1))
    with pytest.raises(ValueError) as caught:
        model.fit(x, y, batch_size=batch_size, verbose=0)
    assert "y has shape (10, 6, 1)" in str(caught.value)
    assert "return_sequences=True" in str(caught.value)


@pytest.mark.parametrize("labels", ["sparse", "one-hot"])
def test_dense_straight_after_conv2d_is_told_to_flatten_not_about_recurrent_layers(labels):
    model = models.Sequential([layers.Conv2D(8, 3, input_shape=(8, 8, 1)),
                               layers.Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer="adam", loss=f"{'sparse_' if labels == 'sparse' else ''}"
                                         "categorical_crossentropy")
    x, y = rng.normal(size=(6, 8, 8, 1)), rng.integers(0, 10, size=6)
    with pytest.raises(ValueError) as caught:
        model.fit(x, y if labels == "sparse" else np.eye(10)[y], verbose=0)
    text = str(caught.value)
    assert "return_sequences" not in text and "recurrent" not in text
    assert "4-D (N, H, W, C) = (None, 6, 6, 10)" in text
    assert "a Dense after a Conv2D acts on the last axis" in text
    assert "layers.Flatten() before the Dense" in text


def test_a_conv_output_without_dense_still_names_flatten():
    model = models.Sequential([layers.Conv2D(4, 3, input_shape=(8, 8, 1)),
                               layers.MaxPooling2D(2)], seed=0)
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError) as caught:
        model.fit(rng.normal(size=(5, 8, 8, 1)), np.zeros((5, 4)), verbose=0)
    assert "layers.Flatten() after the last Conv2D/MaxPooling2D" in str(caught.value)
    assert "return_sequences" not in str(caught.value)


def test_one_sample_gets_the_reshape_hint():
    model = models.Sequential([layers.Dense(2, input_shape=(7,))], seed=0)
    with pytest.raises(ValueError, match=r"x\.reshape\(1, -1\)"):
        model.predict(np.zeros(7))


# ---------------------------------------------------------------- Keras's behaviour, small
def test_summary_of_an_unbuilt_model_says_so():
    with pytest.raises(ValueError, match="not yet been built"):
        models.Sequential([layers.Dense(3)]).summary()


@pytest.mark.parametrize("make, fragments", [
    (lambda: optimizers.SGD(lr=0.01), ["lr=0.01", "Keras 1/2", "learning_rate"]),
    (lambda: layers.Dense(3, init="uniform"), ["init", "kernel_initializer"]),
    (lambda: layers.Dense(output_dim=3), ["output_dim", "units"]),
    (lambda: model_ending(layers.Dense(1)).fit(X3, Y3, nb_epoch=3), ["nb_epoch", "epochs"]),
    (lambda: model_ending(layers.Dense(1)).fit(X3, Y3, steps_per_epoch=3),
     ["steps_per_epoch", "on purpose", "batch_size and epochs"]),
])
def test_old_or_unsupported_keywords_name_the_way(make, fragments):
    with pytest.raises(TypeError) as caught:
        make()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_an_activation_function_nnkit_cannot_differentiate():
    with pytest.raises(TypeError, match="backward pass"):
        layers.Dense(3, activation=lambda z: z)
    assert layers.Dense(3, activation=activations.relu).activation.name == "relu"


def test_checkpoint_to_a_keras_file_names_the_npz_way():
    with pytest.raises(ValueError, match=r"'best\.npz'"):
        callbacks.ModelCheckpoint("best.keras")


@pytest.mark.parametrize("name, npz", [("m.keras", "m.npz"), ("m.h5", "m.npz"),
                                       ("m.weights.h5", "m.npz")])
def test_save_to_a_keras_file_is_refused_like_the_checkpoint(tmp_path, name, npz):
    model = model_ending(layers.Dense(1))
    path = tmp_path / name
    with pytest.raises(ValueError) as caught:
        model.save(path)
    message = str(caught.value)
    assert "nnkit's .npz model file" in message and repr(str(tmp_path / npz)) in message
    assert "load_model" in message
    assert not path.exists()                                 # nothing written under that name
    with pytest.raises(ValueError) as checkpoint:
        callbacks.ModelCheckpoint(str(path))
    assert repr(str(tmp_path / npz)) in str(checkpoint.value)       # the same check, one text


def test_metric_names_and_their_values():
    model = model_ending(layers.Dense(1))
    model.compile(optimizer="adam", loss="mse", metrics=["mae", "mean_squared_error", "mape"])
    y = rng.normal(size=(30, 1)) + 5
    loss, mae, mse, mape = model.evaluate(X3, y, verbose=0)
    h = model.predict(X3)
    assert mae == pytest.approx(np.mean(np.abs(h - y)))
    assert mse == pytest.approx(loss) and mape == pytest.approx(100 * np.mean(np.abs(h - y) / y))
    with pytest.raises(ValueError, match="binary_accuracy"):
        model.compile(optimizer="adam", loss="mse", metrics=["mean_abs_error"])


def test_weights_scale_the_loss_as_keras_does():
    model = model_ending(layers.Dense(3, activation="softmax"))
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    model.build((4,))
    w = rng.uniform(0, 2, size=30)
    x, y = model.prepare(X3, Y3)
    per_row = model.loss.per_row(y, model.predict(X3))
    weighted = model.train_step(x, y, w)        # the loss is measured before the step
    assert weighted == pytest.approx(np.mean(w * per_row))


# ---------------------------------------------------------------- Dropout
def test_dropout_gradient_in_training_mode_with_a_fixed_mask():
    model = models.Sequential([layers.Dense(6, activation="tanh", input_shape=(3,)),
                               layers.Dropout(0.4, seed=1), layers.Dense(2)], seed=0)
    model.compile(optimizer="sgd", loss="mse")
    x, y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    drop = model.layers[1]
    real_forward = drop.forward

    def same_mask_in_training_mode(h, training=False):      # Dropout's own code, one mask
        drop.rng = np.random.default_rng(1)
        return real_forward(h, training=True)

    drop.forward = same_mask_in_training_mode
    drop.forward(np.ones((5, 6)))
    mask = drop.cache
    assert 0 < np.count_nonzero(mask == 0) < mask.size           # some dropped, some kept
    np.testing.assert_allclose(mask[mask > 0], 1 / 0.6)
    errors = gradcheck.check_model(model, x, y)
    assert max(errors.values()) <= 1e-6, errors


def test_dropout_is_a_no_op_in_inference_and_seeded():
    x = rng.normal(size=(50, 10))
    drop = layers.Dropout(0.5, seed=3)
    np.testing.assert_array_equal(drop(x), x)
    a = drop(x, training=True)
    assert np.mean(a == 0) == pytest.approx(0.5, abs=0.1)
    np.testing.assert_array_equal(layers.Dropout(0.5, seed=3)(x, training=True), a)
    np.testing.assert_array_equal(drop.backward(np.ones_like(x)), (a != 0) * 2.0)


def test_reset_gives_the_same_dropout_masks_again():
    model = models.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dropout(0.5),
                               layers.Dense(1)], seed=4)
    model.compile(optimizer="sgd", loss="mse")
    x, y = rng.normal(size=(16, 3)), rng.normal(size=(16, 1))
    first = model.fit(x, y, epochs=3, verbose=0).history["loss"]
    model.reset()
    assert model.fit(x, y, epochs=3, verbose=0).history["loss"] == first


def test_dropout_flatten_and_from_logits_survive_save_and_load(tmp_path):
    model = models.Sequential([layers.Input(shape=(2, 2)), layers.Flatten(),
                               layers.Dense(8, activation="relu"), layers.Dropout(0.25, seed=2),
                               layers.Dense(3)], seed=0)
    model.compile(optimizer="adam", loss=losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    x = rng.normal(size=(30, 2, 2))
    model.fit(x, Y3, epochs=2, verbose=0)
    model.save(tmp_path / "m.npz")
    again = models.load_model(tmp_path / "m.npz")
    assert again.loss.from_logits and again.layers[2].rate == 0.25
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    assert again.evaluate(x, Y3, verbose=0) == model.evaluate(x, Y3, verbose=0)


@pytest.mark.parametrize("name, logits", [(name, logits) for name in sorted(losses.LOSSES)
                                           for logits in (False, True)
                                           if not (logits and name == "mse")])
def test_per_row_losses_average_to_the_loss(name, logits):
    loss = losses.LOSSES[name]()
    z = rng.normal(size=(6, 3 if "categorical" in name else 1))
    labels = rng.integers(0, z.shape[1], size=6)
    y = {"mse": z + 1, "binary_crossentropy": (z > 0.3) * 1.0,
         "categorical_crossentropy": np.eye(3)[labels]}.get(name, labels)
    out = z if logits else (activations.softmax(z) if "categorical" in name
                            else activations.sigmoid(z) if name.startswith("binary") else z)
    whole = (loss.with_logits if logits else loss)(y, out)[0]
    assert np.mean(loss.per_row(y, out, logits)) == pytest.approx(whole, rel=1e-9)


def test_checkpoint_every_epoch_names_files_by_epoch(tmp_path):
    model = model_ending(layers.Dense(3, activation="softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    every = callbacks.ModelCheckpoint(str(tmp_path / "m_{epoch:02d}.npz"), monitor="loss")
    model.fit(X3, Y3, epochs=3, verbose=0, callbacks=[every])
    assert [p.name for p in sorted(tmp_path.iterdir())] == ["m_01.npz", "m_02.npz", "m_03.npz"]
    np.testing.assert_array_equal(models.load_model(every.saved[-1]).predict(X3),
                                  model.predict(X3))
    best = callbacks.ModelCheckpoint(str(tmp_path / "b.npz"), save_best_only=True)
    with pytest.raises(ValueError, match="'val_loss'.*validation_data"):
        model.fit(X3, Y3, epochs=1, verbose=0, callbacks=[best])


def test_one_hot_hint_uses_the_name_maps_to_categorical():
    from nnkit.keras_names import NAME_MAP
    public = next(row[1] for row in NAME_MAP if row[0] == "one-hot labels")
    model = model_ending(layers.Dense(3, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with pytest.raises(ValueError) as caught:
        model.fit(X3, Y3, verbose=0)
    assert f"{public}(y, 3)" in str(caught.value)
