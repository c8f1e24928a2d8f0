"""Errors at the door: a bad argument raises ValueError or TypeError whose message names the
parameter, echoes the value and, where there is one, suggests the fix — and it is raised before
anything changes, so the model, its weights and its optimizer are exactly as they were.
"""
import contextlib
import math

import numpy as np
import pytest

from nnkit import activations, initializers, layers, losses, models, optimizers

X = np.random.default_rng(0).normal(size=(12, 4))
LABELS = np.arange(12) % 3
ONE_HOT = np.eye(3)[LABELS]


def compiled(loss="categorical_crossentropy", seed=0):
    model = models.Sequential([layers.Dense(5, activation="relu", input_shape=(4,)),
                               layers.Dense(3, activation="softmax")], seed=seed)
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    y = LABELS if loss.startswith("sparse") else ONE_HOT
    model.fit(X, y, epochs=1, batch_size=4, verbose=0)        # the optimizer has some state
    return model


def snapshot(model):
    opt = model.optimizer
    return {"weights": model.get_weights(),
            "optimizer": None if opt is None else (type(opt), opt.get_config(),
                                                   {k: np.copy(v) for k, v in opt.get_state().items()}),
            "loss": model.loss, "metrics": list(model.metrics), "history": model.history,
            "built": model.built, "seed": model.seed}


def assert_same(before, after):
    assert after.keys() == before.keys()
    for a, b in zip(before["weights"], after["weights"]):
        np.testing.assert_array_equal(a, b)
    if before["optimizer"] is None:
        assert after["optimizer"] is None
    else:
        (cls, config, state), (cls2, config2, state2) = before["optimizer"], after["optimizer"]
        assert (cls, config) == (cls2, config2)
        assert state.keys() == state2.keys()
        for k in state:
            np.testing.assert_array_equal(state[k], state2[k])
    for key in ("loss", "metrics", "history", "built", "seed"):
        assert after[key] is before[key] or after[key] == before[key], key


@contextlib.contextmanager
def refused(model, error, *fragments):
    """Expect ``error`` with every fragment in its message, and the model untouched."""
    before = snapshot(model)
    with pytest.raises(error) as caught:
        yield
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in: {message}"
    assert_same(before, snapshot(model))


def raises(error, call, *fragments):
    with pytest.raises(error) as caught:
        call()
    for fragment in fragments:
        assert fragment in str(caught.value), f"{fragment!r} not in: {caught.value}"


# ---------------------------------------------------------------- unknown names
@pytest.mark.parametrize("call, fragments", [
    (lambda: layers.Dense(2, activation="relu2"), ["activation", "'relu2'", "Did you mean 'relu'"]),
    (lambda: layers.Dense(2, activation="Sigmod"), ["'Sigmod'", "Did you mean 'sigmoid'"]),
    (lambda: layers.Activation("sofmax"), ["activation", "'sofmax'", "Did you mean 'softmax'"]),
    (lambda: activations.get("tanhh"), ["'tanhh'", "'tanh'"]),
    (lambda: losses.get("categorical_crossentropyy"),
     ["loss", "'categorical_crossentropyy'", "Did you mean 'categorical_crossentropy'"]),
    (lambda: losses.get("mse2"), ["loss", "'mse2'", "Did you mean 'mse'"]),
    (lambda: optimizers.get("adma"), ["optimizer", "'adma'", "Did you mean 'adam'"]),
    (lambda: optimizers.get("rmsprob"), ["optimizer", "'rmsprob'", "Did you mean 'rmsprop'"]),
    (lambda: layers.Dense(2, kernel_initializer="glorot_unifrom"),
     ["kernel_initializer", "'glorot_unifrom'", "Did you mean 'glorot_uniform'"]),
    (lambda: layers.Dense(2, kernel_initializer="He_Normall"),
     ["kernel_initializer", "'He_Normall'", "Did you mean 'he_normal'"]),
])
def test_unknown_names_suggest_the_closest(call, fragments):
    raises(ValueError, call, *fragments, "Allowed:")


def test_names_are_case_insensitive():
    assert layers.Dense(2, activation="ReLU").activation.name == "relu"
    assert isinstance(optimizers.get("Adam"), optimizers.Adam)
    assert initializers.get("He_Normal") is initializers.he_normal


def test_compile_with_an_unknown_name_changes_nothing():
    model = compiled()
    with refused(model, ValueError, "'adma'", "'adam'"):
        model.compile(optimizer="adma", loss="mse")
    with refused(model, ValueError, "'msee'", "'mse'"):
        model.compile(optimizer="sgd", loss="msee")
    with refused(model, ValueError, "metric", "'acuracy'", "'accuracy'"):
        model.compile(optimizer="sgd", loss="mse", metrics=["acuracy"])
    with refused(model, ValueError, "compile needs a loss"):
        model.compile(optimizer="sgd")


# ---------------------------------------------------------------- numbers out of range
@pytest.mark.parametrize("units, error", [(0, ValueError), (-3, ValueError), (True, TypeError),
                                          (2.5, TypeError), ("8", TypeError), (None, TypeError)])
def test_units_must_be_a_positive_integer(units, error):
    raises(error, lambda: layers.Dense(units), "units", f"units={units!r}", "positive integer")


@pytest.mark.parametrize("make", [optimizers.SGD, optimizers.RMSprop, optimizers.Adam])
@pytest.mark.parametrize("rate", [0, -0.1, math.nan, math.inf, -math.inf])
def test_learning_rate_must_be_positive_and_finite(make, rate):
    raises(ValueError, lambda: make(learning_rate=rate), "learning_rate",
           f"learning_rate={float(rate)}")


def test_learning_rate_too_small_suggests_typical_values():
    raises(ValueError, lambda: optimizers.Adam(learning_rate=0), "Typical values are 0.001 to 0.1")
    raises(TypeError, lambda: optimizers.Adam(learning_rate="0.01"), "learning_rate", "'0.01'")


def test_changing_the_learning_rate_to_a_bad_value_keeps_the_old_one():
    model = compiled()
    with refused(model, ValueError, "learning_rate=-1.0"):
        model.optimizer.learning_rate = -1
    assert model.optimizer.learning_rate == 0.001


@pytest.mark.parametrize("kwargs, error, fragments", [
    ({"epochs": -1}, ValueError, ["epochs", "epochs=-1"]),
    ({"epochs": -5}, ValueError, ["epochs", "epochs=-5"]),
    ({"epochs": 2.0}, TypeError, ["epochs", "epochs=2.0"]),
    ({"batch_size": 0}, ValueError, ["batch_size", "batch_size=0"]),
    ({"batch_size": 1.5}, TypeError, ["batch_size", "batch_size=1.5"]),
    ({"validation_split": 1.0}, ValueError, ["validation_split", "validation_split=1.0", "[0, 1)"]),
    ({"validation_split": -0.2}, ValueError, ["validation_split", "validation_split=-0.2"]),
    ({"validation_split": 0.01}, ValueError, ["validation_split=0.01", "0 of 12"]),
    ({"validation_split": 0.2, "validation_data": (X, ONE_HOT)}, ValueError, ["not both"]),
    ({"verbose": 3}, ValueError, ["verbose", "3"]),
    ({"callbacks": [print]}, TypeError, ["callbacks", "Callback"]),
])
def test_fit_arguments_out_of_range_change_nothing(kwargs, error, fragments):
    model = compiled()
    with refused(model, error, *fragments):
        model.fit(X, ONE_HOT, **{"verbose": 0, **kwargs})


# ---------------------------------------------------------------- data that does not fit
@pytest.mark.parametrize("x, y, fragments", [
    (X, ONE_HOT[:-1], ["x and y", "same number of samples", "x with 12", "y with 11"]),
    (X[:, :3], ONE_HOT, ["x has shape (12, 3)", "3 features", "expects", "(4,)"]),
    (X[0], ONE_HOT, ["2-D", "x has shape (4,)"]),
    (np.where(np.arange(48).reshape(12, 4) == 5, np.nan, X), ONE_HOT,
     ["x contains 1 NaN or infinite", "nan_to_num"]),
    (X, np.where(np.arange(36).reshape(12, 3) == 0, np.inf, ONE_HOT),
     ["y contains 1 NaN or infinite"]),
    (np.zeros((0, 4)), np.zeros((0, 3)), ["x is empty", "at least one sample"]),
    (X, LABELS, ["categorical_crossentropy", "one-hot", "(12,)",
                 "loss='sparse_categorical_crossentropy'", "to_categorical(y, 3)"]),
    (X, ONE_HOT * 2, ["probability distribution"]),
])
def test_bad_data_for_fit_changes_nothing(x, y, fragments):
    model = compiled()
    with refused(model, ValueError, *fragments):
        model.fit(x, y, verbose=0)
    with refused(model, ValueError, *fragments):
        model.train_on_batch(x, y)
    with refused(model, ValueError, *fragments):
        model.evaluate(x, y, verbose=0)


@pytest.mark.parametrize("y, fragments", [
    (ONE_HOT, ["sparse_categorical_crossentropy", "(12, 3)", "one-hot",
               "loss='categorical_crossentropy'", "y.argmax(axis=1)"]),
    (LABELS + 1, ["0 … 2", "3 unit(s)", "4 units"]),
    (LABELS + 0.5, ["whole class numbers"]),
])
def test_bad_labels_for_the_sparse_loss(y, fragments):
    model = compiled("sparse_categorical_crossentropy")
    with refused(model, ValueError, *fragments):
        model.fit(X, y, verbose=0)


def test_binary_crossentropy_needs_targets_in_0_1():
    model = models.Sequential([layers.Dense(1, activation="sigmoid", input_shape=(4,))], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    with refused(model, ValueError, "between 0 and 1", "from 0 to 2",
                 "sparse_categorical_crossentropy"):
        model.fit(X, LABELS, verbose=0)


def test_bad_validation_data_changes_nothing():
    model = compiled()
    with refused(model, ValueError, "validation_data[0]", "3 features"):
        model.fit(X, ONE_HOT, validation_data=(X[:, :3], ONE_HOT), verbose=0)
    with refused(model, ValueError, "validation_data[1]", "same number of samples"):
        model.fit(X, ONE_HOT, validation_data=(X, ONE_HOT[:5]), verbose=0)
    with refused(model, TypeError, "validation_data", "pair"):
        model.fit(X, ONE_HOT, validation_data=X, verbose=0)


def test_predict_checks_its_input():
    model = compiled()
    with refused(model, ValueError, "3 features"):
        model.predict(X[:, :3])
    with refused(model, ValueError, "NaN"):
        model.predict(np.full((2, 4), np.nan))


# ---------------------------------------------------------------- using a model too early
@pytest.mark.parametrize("call", [
    lambda m: m.fit(X, ONE_HOT, verbose=0),
    lambda m: m.evaluate(X, ONE_HOT, verbose=0),
    lambda m: m.train_on_batch(X, ONE_HOT),
])
def test_fit_and_evaluate_need_compile(call):
    model = models.Sequential([layers.Dense(3, activation="softmax", input_shape=(4,))], seed=0)
    with refused(model, ValueError, "compile", "model.compile(optimizer='adam', loss=...)"):
        call(model)


def test_a_failed_call_leaves_an_unbuilt_model_unbuilt():
    # x is the wrong way round (4 samples of 12 features) and y does not match it: the model must
    # not be built for 12 features, or the corrected call would fail for a reason never shown
    model = models.Sequential([layers.Dense(5, activation="relu"),
                               layers.Dense(3, activation="softmax")], seed=0)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    with refused(model, ValueError, "same number of samples"):
        model.fit(X.T, ONE_HOT, verbose=0)
    assert not model.built
    model.fit(X, ONE_HOT, epochs=1, verbose=0)
    twin = models.Sequential([layers.Dense(5, activation="relu"),
                              layers.Dense(3, activation="softmax")], seed=0)
    twin.compile(optimizer="adam", loss="categorical_crossentropy")
    twin.fit(X, ONE_HOT, epochs=1, verbose=0)
    for a, b in zip(model.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_compile_on_an_empty_model_then_add_layers():
    model = models.Sequential(seed=0)
    model.compile(optimizer="sgd", loss="mse")
    model.add(layers.Dense(2, input_shape=(4,)))
    assert model.evaluate(X, np.zeros((12, 2)), verbose=0) >= 0


def test_empty_model_and_unbuilt_model_errors():
    raises(ValueError, lambda: models.Sequential().predict(X), "no layers", "model.add")
    model = models.Sequential([layers.Dense(2)], seed=0)
    with refused(model, ValueError, "reset needs a built model"):
        model.reset(seed=5)
    raises(TypeError, lambda: models.Sequential().add("dense"), "layers.Dense(8)", "'dense'")


# ---------------------------------------------------------------- weights
def test_set_weights_checks_everything_before_changing_anything():
    model = compiled()
    good = model.get_weights()
    with refused(model, ValueError, "4 arrays"):
        model.set_weights(good[:2])
    bad_shape = good[:-1] + [np.zeros(4)]
    with refused(model, ValueError, "weights[3]", "(4,)", "(3,)"):
        model.set_weights(bad_shape)
    with_nan = [w.copy() for w in good]
    with_nan[2][0, 0] = np.nan
    with refused(model, ValueError, "weights[2]", "NaN"):
        model.set_weights(with_nan)


# ---------------------------------------------------------------- other constructors
@pytest.mark.parametrize("call, error, fragments", [
    (lambda: optimizers.SGD(momentum=1.5), ValueError, ["momentum", "1.5", "[0, 1)"]),
    (lambda: optimizers.SGD(nesterov="yes"), TypeError, ["nesterov", "'yes'"]),
    (lambda: optimizers.Adam(beta_1=1.0), ValueError, ["beta_1", "1.0"]),
    (lambda: optimizers.Adam(clipnorm=0), ValueError, ["clipnorm", "clipnorm=0"]),
    (lambda: layers.Dense(2, input_shape=(0,)), ValueError, ["input_shape", "0"]),
    (lambda: layers.Dense(2, input_shape="4"), TypeError, ["input_shape", "'4'", "(4,)"]),
    (lambda: layers.Dense(2, use_bias=1), TypeError, ["use_bias", "1"]),
    (lambda: layers.Dense(2, kernel_regularizer="l3"), ValueError,
     ["kernel_regularizer", "'l3'", "'l1'"]),
    (lambda: models.Sequential(seed=-1), ValueError, ["seed", "seed=-1"]),
    (lambda: models.Sequential(dtype="int32"), ValueError, ["dtype", "'int32'", "float32"]),
])
def test_constructors_validate_their_arguments(call, error, fragments):
    raises(error, call, *fragments)
