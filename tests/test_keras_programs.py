"""Keras beginner programs run with only the import line changed.

Each program below is written as one writes it for Keras 3 (``import keras`` / ``from keras import
…``); the one changed line is marked ``# Keras: …``.  Each asserts the score a Keras run of the same
program reaches, with a margin.  The data come from scikit-learn's bundled sets (no download).
"""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, make_moons
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def scaled_split(X, y, seed=0):
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed,
                                                        stratify=y)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_binary_classification_with_input_dim():
    import nnkit as keras                                    # Keras: import keras
    from nnkit import layers                                 # Keras: from keras import layers
    X_train, X_test, y_train, y_test = scaled_split(*load_breast_cancer(return_X_y=True))
    keras.utils.set_random_seed(0)
    model = keras.Sequential([layers.Dense(16, input_dim=30, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)
    loss, acc = model.evaluate(X_test, y_test, verbose=0)
    assert acc >= 0.93 and loss < 0.2


def test_multiclass_one_hot_with_input_first():
    import nnkit as keras                                    # Keras: import keras
    X_train, X_test, y_train, y_test = scaled_split(*load_iris(return_X_y=True))
    Y_train = keras.utils.to_categorical(y_train, 3)
    Y_test = keras.utils.to_categorical(y_test, 3)
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input(shape=(4,)),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                  loss="categorical_crossentropy", metrics=["categorical_accuracy"])
    history = model.fit(X_train, Y_train, epochs=60, batch_size=16, verbose=0)
    assert "categorical_accuracy" in history.history
    assert model.evaluate(X_test, Y_test, verbose=0)[1] >= 0.9


def test_multiclass_integer_labels_with_flatten():
    from nnkit import layers, models                         # Keras: from keras import layers, models
    digits = load_digits()
    X = digits.images / 16.0                                 # (N, 8, 8) pictures
    X_train, X_test, y_train, y_test = train_test_split(X, digits.target, test_size=0.25,
                                                        random_state=0)
    model = models.Sequential([layers.Input(shape=(8, 8)), layers.Flatten(),
                               layers.Dense(64, activation="relu"),
                               layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["sparse_categorical_accuracy"])
    model.fit(X_train, y_train, epochs=15, batch_size=32, verbose=0)
    assert model.evaluate(X_test, y_test, verbose=0)[1] >= 0.93


def test_logits_with_from_logits_loss():
    import nnkit as keras                                    # Keras: import keras
    X_train, X_test, y_train, y_test = scaled_split(*load_iris(return_X_y=True))
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(4,)),
                              keras.layers.Dense(3)])         # logits, as PyTorch models end
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=150, batch_size=16, verbose=0)
    assert model.evaluate(X_test, y_test, verbose=0)[1] >= 0.9
    logits = model.predict(X_test[:5], verbose=0)
    assert not np.allclose(logits.sum(axis=1), 1.0)          # predict gives the logits


def test_regression_with_metric_long_names():
    import nnkit as keras                                    # Keras: import keras
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(400, 3))
    y = 2 * X[:, 0] - X[:, 1] ** 2 + 0.5 * X[:, 2] + 3 + 0.05 * rng.normal(size=400)
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input(shape=(3,)),
                              keras.layers.Dense(32, activation=keras.activations.relu),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mean_squared_error",
                  metrics=["mean_absolute_error", "mape"])
    history = model.fit(X[:300], y[:300], epochs=250, batch_size=32, verbose=0)
    assert {"loss", "mean_absolute_error", "mape"} <= set(history.history)
    loss, mae, mape = model.evaluate(X[300:], y[300:], verbose=0)
    assert mae < 0.15 and mape < 6.0


def test_dropout_model():
    from nnkit import layers, models, utils                  # Keras: from keras import …
    X, y = make_moons(600, noise=0.2, random_state=0)
    utils.set_random_seed(4)
    model = models.Sequential([layers.Dense(64, activation="relu", input_shape=(2,)),
                               layers.Dropout(0.3),
                               layers.Dense(64, activation="relu"),
                               layers.Dropout(0.3),
                               layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
    model.fit(X[:400], y[:400], epochs=60, batch_size=32, verbose=0)
    assert model.evaluate(X[400:], y[400:], verbose=0)[1] >= 0.93
    first = model.predict(X[400:], verbose=0)
    np.testing.assert_array_equal(first, model.predict(X[400:], verbose=0))  # no dropout here


def test_class_weight_on_imbalanced_data():
    from nnkit import layers, models                         # Keras: from keras import layers, models
    rng = np.random.default_rng(5)
    X = np.concatenate([rng.normal(0, 1, (570, 2)), rng.normal(1.3, 1, (30, 2))])
    y = np.r_[np.zeros(570), np.ones(30)]

    def recall(class_weight):
        model = models.Sequential([layers.Dense(8, activation="relu", input_shape=(2,)),
                                   layers.Dense(1, activation="sigmoid")], seed=5)
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=40, batch_size=32, verbose=0, class_weight=class_weight)
        return float(np.mean(model.predict(X[y == 1]) > 0.5))

    plain, weighted = recall(None), recall({0: 1.0, 1: 19.0})
    assert plain <= 0.2 and weighted >= 0.6                  # the rare class is found


def test_checkpoint_keeps_the_best_model(tmp_path):
    import nnkit as keras                                    # Keras: import keras
    X_train, X_test, y_train, y_test = scaled_split(*load_breast_cancer(return_X_y=True))
    path = str(tmp_path / "best.npz")                        # Keras: "best.keras"
    keras.utils.set_random_seed(6)
    model = keras.Sequential([keras.Input(shape=(30,)),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.05),
                  loss="binary_crossentropy", metrics=["accuracy"])
    checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
    history = model.fit(X_train, y_train, validation_data=(X_test, y_test), epochs=25,
                        verbose=0, callbacks=[checkpoint])
    best = keras.models.load_model(path)
    best_loss = best.evaluate(X_test, y_test, verbose=0)[0]
    assert best_loss == pytest.approx(min(history.history["val_loss"]), rel=1e-9)
    assert best.evaluate(X_test, y_test, verbose=0)[1] >= 0.93


def test_lstm_on_sequences_of_any_length():
    from nnkit import layers, models                         # Keras: from keras import layers, models
    rng = np.random.default_rng(7)
    X = rng.normal(size=(400, 10, 1))
    y = (X.sum(axis=(1, 2)) > 0).astype(float)               # is the sum positive?
    model = models.Sequential([layers.LSTM(8, input_shape=(None, 1)),
                               layers.Dense(1, activation="sigmoid")], seed=7)
    model.compile(optimizer=models_adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X[:300], y[:300], epochs=15, batch_size=32, verbose=0)
    assert model.evaluate(X[300:], y[300:], verbose=0)[1] >= 0.9
    longer = rng.normal(size=(50, 20, 1))                    # longer sequences, same model
    accuracy = np.mean((model.predict(longer)[:, 0] > 0.5) == (longer.sum(axis=(1, 2)) > 0))
    assert accuracy >= 0.8


def models_adam(rate):
    from nnkit import optimizers
    return optimizers.Adam(learning_rate=rate)


def test_early_stopping_and_validation_split():
    import nnkit as keras                                    # Keras: import keras
    X_train, X_test, y_train, y_test = scaled_split(*load_breast_cancer(return_X_y=True))
    keras.utils.set_random_seed(8)
    model = keras.Sequential([keras.layers.Dense(64, activation="relu", input_shape=(30,)),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.03), loss="binary_crossentropy",
                  metrics=["binary_accuracy"])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3,
                                         restore_best_weights=True)
    history = model.fit(X_train, y_train, validation_split=0.2, epochs=200, verbose=0,
                        callbacks=[stop])
    assert len(history.history["loss"]) < 200
    assert model.evaluate(X_test, y_test, verbose=0)[1] >= 0.93


def test_resume_training_with_initial_epoch_and_sample_weight():
    from nnkit import layers, models, optimizers             # Keras: from keras import …
    X_train, X_test, y_train, y_test = scaled_split(*load_iris(return_X_y=True))
    weights = np.where(y_train == 2, 2.0, 1.0)
    model = models.Sequential([layers.Dense(16, activation="tanh", input_shape=(4,)),
                               layers.Dense(3, activation="softmax")], seed=9)
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["acc"])
    first = model.fit(X_train, y_train, epochs=20, sample_weight=weights, verbose=0)
    second = model.fit(X_train, y_train, epochs=60, initial_epoch=20, sample_weight=weights,
                       verbose="auto")
    assert first.epoch == list(range(20)) and second.epoch == list(range(20, 60))
    assert second.history["loss"][-1] < first.history["loss"][0]
    assert model.evaluate(X_test, y_test, verbose=0)[1] >= 0.9


def test_same_seed_same_run():
    import nnkit as keras                                    # Keras: import keras
    X, y = make_moons(200, noise=0.2, random_state=1)

    def run():
        keras.utils.set_random_seed(42)
        model = keras.Sequential([keras.layers.Dense(8, activation="tanh", input_shape=(2,)),
                                  keras.layers.Dropout(0.2),
                                  keras.layers.Dense(1, activation="sigmoid")])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
                      loss="binary_crossentropy")
        return model.fit(X, y, epochs=5, verbose=0).history["loss"], model.get_weights()

    (loss_a, w_a), (loss_b, w_b) = run(), run()
    assert loss_a == loss_b
    for a, b in zip(w_a, w_b):
        np.testing.assert_array_equal(a, b)


def test_zero_epochs_and_summary():
    from nnkit import layers, models                         # Keras: from keras import layers, models
    model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    history = model.fit(np.zeros((4, 4)), np.eye(3)[[0, 1, 2, 0]], epochs=0, verbose=0)
    assert history.history == {} and history.epoch == []
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 15" in lines[0]
