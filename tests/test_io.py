"""Saving and loading: a loaded model predicts, trains and reports exactly as the saved one would,
and a file that is not an nnkit model is refused with a ValueError that says so — never unpickled.
"""
import json
import zipfile

import numpy as np
import pytest

import nnkit
from nnkit import layers, models, optimizers, regularizers

rng = np.random.default_rng(0)
X = rng.normal(size=(30, 4))
Y = np.eye(3)[rng.integers(0, 3, size=30)]


def trained_model(optimizer=None):
    model = models.Sequential([
        layers.Dense(8, activation="relu", input_shape=(4,), kernel_regularizer=regularizers.L2(0.01)),
        layers.Dense(8, activation="leaky_relu", kernel_initializer="he_normal"),
        layers.Dense(3),
        layers.Activation("softmax"),
    ], seed=3, name="round_trip")
    model.compile(optimizer=optimizer or optimizers.Adam(learning_rate=0.01, clipnorm=1.0),
                  loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, Y, epochs=3, batch_size=8, verbose=0)
    return model


def assert_same_weights(a, b):
    assert len(a) == len(b)
    for wa, wb in zip(a, b):
        np.testing.assert_array_equal(wa, wb)


# ---------------------------------------------------------------- round trip
def test_saved_model_predicts_identically(tmp_path):
    model = trained_model()
    model.save(tmp_path / "model.npz")
    loaded = nnkit.load_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert repr(loaded) == repr(model)
    tables = []
    loaded.summary(print_fn=tables.append)
    model.summary(print_fn=tables.append)
    assert tables[0] == tables[1]
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]


def test_compile_settings_are_restored(tmp_path):
    model = trained_model()
    model.save(tmp_path / "model.npz")
    loaded = nnkit.load_model(tmp_path / "model.npz")
    assert type(loaded.optimizer) is optimizers.Adam
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.loss.name == "categorical_crossentropy"
    assert loaded.metrics == ["accuracy"]
    assert loaded.layers[0].kernel_regularizer.l2 == 0.01
    assert loaded.evaluate(X, Y, verbose=0) == model.evaluate(X, Y, verbose=0)


@pytest.mark.parametrize("optimizer", [
    optimizers.Adam(learning_rate=0.01),
    optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    optimizers.RMSprop(learning_rate=0.01),
], ids=["adam", "nesterov", "rmsprop"])
def test_continued_training_matches_an_unsaved_twin(tmp_path, optimizer):
    # the optimizer's state (step count, momentum, running averages) travels with the weights
    model = trained_model(optimizer)
    assert model.optimizer.iterations == 12                  # 3 epochs × 4 batches
    model.save(tmp_path / "model.npz")
    loaded = nnkit.load_model(tmp_path / "model.npz")
    assert loaded.optimizer.iterations == 12
    fresh = nnkit.load_model(tmp_path / "model.npz")
    fresh.compile(optimizer=type(optimizer)(**{k: v for k, v in optimizer.get_config().items()
                                               if k != "name"}),
                  loss="categorical_crossentropy")    # same weights, optimizer state forgotten

    # shuffle=False: the order of the batches is not part of the saved state
    for m in (model, loaded, fresh):
        m.fit(X, Y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    assert_same_weights(loaded.get_weights(), model.get_weights())
    assert not np.array_equal(fresh.get_weights()[0], model.get_weights()[0])


def test_uncompiled_model_round_trip(tmp_path):
    model = models.Sequential([layers.Dense(2, activation="tanh", input_shape=(3,))], seed=1)
    model.save(tmp_path / "m.npz")
    loaded = nnkit.load_model(tmp_path / "m.npz")
    assert loaded.loss is None and loaded.optimizer is None
    assert_same_weights(loaded.get_weights(), model.get_weights())


def test_file_is_written_at_exactly_the_given_path(tmp_path):
    model = trained_model()
    for name in ["weights", "model.nnkit", "model.npz"]:
        model.save(tmp_path / name)
        assert (tmp_path / name).is_file()
        assert not (tmp_path / (name + ".npz")).exists()
        nnkit.load_model(str(tmp_path / name))                 # str paths work too
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.nnkit", "model.npz", "weights"]


def test_saving_an_unbuilt_model_is_refused(tmp_path):
    with pytest.raises(ValueError, match="built"):
        models.Sequential([layers.Dense(2)]).save(tmp_path / "m.npz")
    assert not (tmp_path / "m.npz").exists()


# ---------------------------------------------------------------- files that are not models
def _not_a_model(path):
    with pytest.raises(ValueError, match="not an nnkit model file") as caught:
        nnkit.load_model(path)
    message = str(caught.value)
    assert str(path) in message
    assert len(message) < 400                                 # readable, not a byte dump
    return message


def test_a_text_file_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("hello, I am not a model\n")
    _not_a_model(tmp_path / "notes.txt")


def test_an_empty_file_is_refused(tmp_path):
    (tmp_path / "empty.npz").write_bytes(b"")
    _not_a_model(tmp_path / "empty.npz")


def test_a_plain_npy_array_is_refused(tmp_path):
    np.save(tmp_path / "x.npy", np.ones(3))
    _not_a_model(tmp_path / "x.npy")


def test_an_npz_without_config_is_refused(tmp_path):
    np.savez(tmp_path / "arrays.npz", weight_0=np.ones((2, 2)))
    assert "configuration" in _not_a_model(tmp_path / "arrays.npz")


def test_an_npz_from_another_program_is_refused(tmp_path):
    np.savez(tmp_path / "other.npz", config=np.array(json.dumps({"format": "something-else"})))
    _not_a_model(tmp_path / "other.npz")
    np.savez(tmp_path / "list.npz", config=np.array("[1, 2, 3]"))
    _not_a_model(tmp_path / "list.npz")
    np.savez(tmp_path / "text.npz", config=np.array("not json at all"))
    _not_a_model(tmp_path / "text.npz")


def test_an_object_array_is_refused_not_unpickled(tmp_path):
    # np.savez pickles object arrays; loading them would run pickle, which nnkit never does
    model = trained_model()
    model.save(tmp_path / "model.npz")
    with np.load(tmp_path / "model.npz") as data:
        arrays = dict(data)
    arrays["weight_0"] = np.array([{"payload": 1}], dtype=object)
    np.savez(tmp_path / "evil.npz", **arrays)
    assert "pickle" in _not_a_model(tmp_path / "evil.npz")


@pytest.mark.parametrize("damage", ["truncated", "flipped bytes", "missing keys"])
def test_a_damaged_model_file_is_refused(tmp_path, damage):
    model = trained_model()
    path = tmp_path / "model.npz"
    model.save(path)
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[:len(raw) // 2])
    elif damage == "flipped bytes":                      # inside the first stored array
        path.write_bytes(raw[:100] + bytes(b ^ 0xFF for b in raw[100:140]) + raw[140:])
    else:
        config = json.loads(str(np.load(path)["config"]))
        del config["layers"]
        with np.load(path) as data:
            arrays = dict(data)
        arrays["config"] = np.array(json.dumps(config))
        np.savez(path, **arrays)
    _not_a_model(path)


def test_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        nnkit.load_model(tmp_path / "nope.npz")


def test_the_file_is_a_plain_zip_of_npy_arrays(tmp_path):
    # open with any zip tool: config.npy holds JSON, weight_<i>.npy the arrays
    model = trained_model()
    model.save(tmp_path / "model.npz")
    with zipfile.ZipFile(tmp_path / "model.npz") as z:
        names = set(z.namelist())
    assert {"config.npy", "weight_0.npy", "weight_5.npy", "optimizer_iterations.npy"} <= names
