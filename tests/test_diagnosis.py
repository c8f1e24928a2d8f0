"""One diagnosis, one voice: each way training goes wrong, provoked on a small case, is named by
``nnkit.diagnosis`` with its numbers and the one change most likely to help — and ``fit`` warns
the very sentence the Playground's status line shows.

The four learners' reports of issue 11 are among the cases: a History without 'loss' after a
first-epoch divergence (test_training.py), a 61-digit loss in the Playground's hint, learning
rate 10 with sigmoid that oscillates in silence, and an L2 rate of 10 blamed on the learning rate.
"""
import re
import warnings

import numpy as np
import pytest

from nnkit import diagnosis, layers, models, optimizers, regularizers
from nnkit.diagnosis import TrainingDiverged, TrainingWarning, format_number
from nnkit.widgets import Playground


def fit_like(pg: Playground, epochs: int, regularizer=None, validation: bool = False):
    """The Playground's network, data and settings, trained by ``fit``; returns the warnings.

    verbose=2: with ``verbose=0`` fit warns only a loss that stopped being finite or exploded.
    """
    s = pg.state
    regression = s.kind == "regression"
    model = models.Sequential(seed=s.seed)
    shape = (len(s.features),)
    for units in s.hidden_layers:
        model.add(layers.Dense(units, activation=s.activation, input_shape=shape,
                               kernel_regularizer=regularizer))
        shape = (units,)
    model.add(layers.Dense(1, "linear" if regression else "sigmoid", input_shape=shape,
                           kernel_regularizer=regularizer))
    optimizer = (optimizers.Adam(s.learning_rate) if s.optimizer == "adam"
                 else optimizers.SGD(s.learning_rate))
    model.compile(optimizer=optimizer, loss="mse" if regression else "binary_crossentropy")
    val = (pg.features(pg.data.X_test), pg.data.y_test) if validation else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(pg.features(pg.data.X_train), pg.data.y_train, epochs=epochs,
                            batch_size=s.batch_size, verbose=2, validation_data=val)
    return history, [w for w in caught if issubclass(w.category, TrainingWarning)]


def train_quietly(pg: Playground, epochs: int) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingDiverged)
        pg.train(epochs)


def test_numbers_are_written_one_way():
    assert format_number(3.3798341753155395e+60) == "3.4e+60"
    assert [format_number(v) for v in (0.801, 1.3912, 12.25, 250.4, 0.00002, 0.0)] == \
        ["0.801", "1.39", "12.2", "250", "2e-05", "0"]
    assert format_number(float("nan")) == "NaN" and format_number(float("inf")) == "infinite"


def test_an_exploding_loss_is_named_without_61_digits():
    pg = Playground(dataset="plane", learning_rate=1)
    pg.train(3)
    assert pg.experiment.diagnosis.cause == "exploding"
    assert "grew from 0.801 to 3.4e+60 by epoch 3" in pg.status
    assert "learning rate 1 is too high" in pg.status and "e.g. 0.03" in pg.status
    for text in (pg.status, repr(pg), pg.stats.value):
        assert not re.search(r"\d{10}", text), text


def test_learning_rate_10_with_sigmoid_oscillates_and_says_so():
    pg = Playground(activation="sigmoid", learning_rate=10)
    pg.train(10)
    assert np.round(pg.history["loss"][:4], 2).tolist() == [0.74, 1.39, 1.04, 0.73]
    assert pg.experiment.diagnosis.cause == "oscillating"
    assert pg.status.startswith("The loss jumps up and down (")
    assert "learning rate 10 is too high" in pg.status and "e.g. 0.03" in pg.status
    _, warned = fit_like(pg, 10)
    assert len(warned) == 1 and str(warned[0].message).startswith("The loss jumps up and down")
    assert "learning rate 10 is too high" in str(warned[0].message)


def test_an_infinite_loss_gets_the_same_sentence_from_fit_and_the_playground():
    pg = Playground(dataset="plane", activation="sigmoid", learning_rate=10)
    train_quietly(pg, 50)
    assert pg.diverged and pg.experiment.diagnosis.cause == "non-finite"
    history, warned = fit_like(pg, 50)
    assert [w.category for w in warned] == [TrainingDiverged]
    assert str(warned[0].message) == pg.status
    assert history.stopped_reason == pg.status


def test_an_l2_rate_that_makes_training_diverge_is_blamed_not_the_learning_rate():
    pg = Playground(regularization="l2", regularization_rate=10, learning_rate=0.3)
    train_quietly(pg, 20)
    assert pg.diverged
    assert "L2 regularization rate 10 is too strong" in pg.status
    assert "Lower the regularization rate" in pg.status
    assert "learning rate 0.3 is too high" not in pg.status
    _, warned = fit_like(pg, 20, regularizers.L2(10))
    assert str(warned[0].message) == pg.status


def test_an_l2_penalty_that_crushes_every_weight_is_named():
    pg = Playground(regularization="l2", regularization_rate=10, learning_rate=0.03)
    pg.train(20)
    assert max(np.abs(w).max() for w in pg.model.get_weights()[::2]) < 0.01
    assert pg.accuracy < 0.6
    found = pg.experiment.diagnosis
    assert found.cause == "penalty"
    assert "L2 penalty dominates" in pg.status and "regularization rate 10" in pg.status
    assert "learning rate" not in pg.status
    _, warned = fit_like(pg, 20, regularizers.L2(10))
    assert "L2 penalty dominates" in str(warned[0].message)


def test_unscaled_inputs_get_scale_them_not_a_smaller_learning_rate():
    """The report: after the advice "try 0.0001" the loss reached 8e70 and nothing was said."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 2)) * [1000.0, 1.0]              # feature 0 in the thousands
    y = x @ np.array([[0.002], [1.0]])
    model = models.Sequential([layers.Dense(1, input_shape=(2,))], seed=0)
    model.compile(optimizer=optimizers.SGD(0.0001), loss="mse")
    with pytest.warns(TrainingWarning) as caught:
        history = model.fit(x, y, epochs=20, batch_size=100, verbose=0)
    assert np.isfinite(history.history["loss"]).all()           # huge, yet still finite
    assert history.history["loss"][-1] > 1e50
    text = str(caught[0].message)
    assert history.diagnosis.cause == "exploding" and text.startswith("The loss grew from")
    assert "inputs are not scaled (feature 0 reaches" in text and "x.std(axis=0)" in text
    assert "lower learning rate" not in text and "too high" not in text
    scaled = (x - x.mean(axis=0)) / x.std(axis=0)              # the advice, followed
    model.reset()
    model.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = model.fit(scaled, y, epochs=20, batch_size=100, verbose=0)
    assert history.history["loss"][-1] < 0.01 * history.history["loss"][0]


def test_overfitting_is_named_by_fit_and_the_playground_alike():
    pg = Playground(dataset="gauss", noise=0.5, train_fraction=0.1, hidden_layers=[8, 8, 8],
                    activation="relu", optimizer="adam", learning_rate=0.03)
    pg.train(150)
    assert pg.experiment.diagnosis.cause == "overfitting"
    assert "overfitting" in pg.status and "Try L2 regularization" in pg.status
    history, warned = fit_like(pg, 150, validation=True)
    assert history.diagnosis.cause == "overfitting"
    # the same sentence; fit's training loss is the mean over the epoch's batches, so its
    # last digits may differ from the Playground's loss measured after the epoch
    words = lambda text: re.sub(r"\d[\d.e+-]*", "#", text)                     # noqa: E731
    assert words(str(warned[0].message)) == words(pg.status)


def test_a_plateau_of_a_deep_sigmoid_network_is_named():
    pg = Playground(activation="sigmoid", hidden_layers=[8] * 6, learning_rate=0.001)
    pg.train(40)
    assert pg.experiment.diagnosis.cause == "plateau"
    assert "vanishing gradients" in pg.status and "higher learning rate" in pg.status
    _, warned = fit_like(pg, 40)
    assert "vanishing gradients" in str(warned[0].message)


@pytest.mark.parametrize("settings", [{}, {"dataset": "xor"}, {"dataset": "spiral"},
                                      {"dataset": "xor", "hidden_layers": [],
                                       "learning_rate": 0.1}])
def test_healthy_runs_say_nothing(settings):
    pg = Playground(**settings)
    pg.train(200)
    assert pg.status == "" and pg.experiment.diagnosis is None


def test_the_diagnosis_reads_plain_histories_too():
    assert diagnosis.diagnose([0.7, 0.5, 0.4]) is None
    found = diagnosis.diagnose([0.7, 0.5, float("nan")], stopped="epoch 3, step 4")
    assert found.cause == "non-finite" and found.stops
    assert found.text.startswith("The loss became NaN at epoch 3, step 4:")


def test_verbose_0_keeps_the_gentler_signs_in_the_history_without_a_warning():
    pg = Playground(activation="sigmoid", learning_rate=10)
    model = models.Sequential([layers.Dense(4, "sigmoid", input_shape=(2,)),
                               layers.Dense(2, "sigmoid"), layers.Dense(1, "sigmoid")],
                              seed=pg.state.seed)
    model.compile(optimizer=optimizers.SGD(10), loss="binary_crossentropy")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = model.fit(pg.features(pg.data.X_train), pg.data.y_train, epochs=10,
                            batch_size=10, verbose=0)
    assert history.diagnosis.cause == "oscillating"


def alarms(losses) -> list:
    """The epochs at which ``oscillation`` would cry out, reading the history as it grows."""
    return [end - 1 for end in range(2, len(losses) + 1) if diagnosis.oscillation(losses[:end])]


def test_the_spiral_at_learning_rate_3_jumps_in_small_swings_and_is_named():
    """The lesson-07 trial: swings of a few hundredths around 0.66, below a tenth of the first."""
    pg = Playground(dataset="spiral")
    pg.train(300)
    pg.set(learning_rate=3.0)
    pg.train(300)
    last = pg.history["loss"][-21:]
    typical = np.abs(np.diff(last)).mean()
    assert typical < 0.1 * pg.history["loss"][0]           # swings below the old rule's tenth
    assert pg.experiment.diagnosis.cause == "oscillating"
    assert pg.status.startswith("The loss jumps up and down (")
    assert "learning rate 3 is too high" in pg.status and "e.g. 0.03" in pg.status
    assert not alarms(pg.history["loss"][:301])                             # before: quiet
    after = [epoch for epoch in alarms(pg.history["loss"]) if epoch > 320]
    assert len(after) >= 0.9 * 280                                          # after: it says so


@pytest.mark.parametrize("settings, epochs", [
    ({}, 300),                                                  # the default Playground
    ({"batch_size": 1}, 100),                                   # mini-batch noise 0.03 ↔ 0.13
    ({"batch_size": 1, "learning_rate": 0.1}, 100),             # noisy, then converged at 0.001
    ({"dataset": "circle", "activation": "relu", "hidden_layers": [8, 8]}, 600),  # converged
])
def test_mini_batch_noise_and_converged_runs_never_raise_the_oscillation_alarm(settings, epochs):
    pg = Playground(**settings)
    pg.train(epochs)
    assert alarms(pg.history["loss"]) == []


def test_the_course_iris_fit_never_raises_the_oscillation_alarm():
    from nnkit.datasets import load_iris
    x, labels = load_iris(shuffle=True, seed=0)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    model = models.Sequential([layers.Dense(64, "relu", input_shape=(4,)),
                               layers.Dense(64, "relu"), layers.Dense(3, "softmax")], seed=0)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    history = model.fit(x, np.eye(3)[labels], epochs=100, batch_size=8, verbose=0)
    assert history.diagnosis is None and alarms(history.history["loss"]) == []


def test_oscillation_shows_the_last_five_losses_and_ignores_a_steady_fall():
    stuck = [0.69] * 10 + [0.64, 0.67, 0.71, 0.62, 0.66] * 4 + [0.64]
    assert diagnosis.oscillation(stuck) == [0.67, 0.71, 0.62, 0.66, 0.64]
    assert diagnosis.oscillation([0.69 - 0.01 * i for i in range(30)]) is None
    noisy_but_low = [0.75] + [0.03, 0.13, 0.05, 0.11] * 6         # far below where it began
    assert diagnosis.oscillation(noisy_but_low) is None


def test_a_plateau_at_a_tiny_learning_rate_blames_the_rate_not_dead_relus():
    """Found by a fresh-user trial: every ReLU alive, the loss still — the step is too small."""
    pg = Playground(activation="relu", learning_rate=0.00001, seed=0)
    pg.train(30)
    assert "learning rate 1e-05 is too small" in pg.status and "died" not in pg.status
    X = np.random.default_rng(0).normal(size=(200, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    model = models.Sequential([layers.Dense(8, activation="relu", input_shape=(2,)),
                               layers.Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=optimizers.SGD(1e-6), loss="binary_crossentropy")
    history = model.fit(X, y, epochs=60, verbose=0)
    assert history.diagnosis.cause == "plateau"
    assert "too small" in history.diagnosis.text and "died" not in history.diagnosis.text


def test_the_lstm_task_reads_its_history_with_the_one_diagnosis():
    """Not only NaN: after every train() call the task asks diagnosis.diagnose, as fit does."""
    from nnkit.labs.lstm_task import LSTMTask
    task = LSTMTask("memory", units=4, learning_rate=0.01, seed=0)
    task.history["loss"].append(1e-6)       # as if the loss had once been tiny: now it has "grown"
    task.history["step"].append(0)
    task.train(2)
    assert task.diagnosis is not None and task.diagnosis.cause == "exploding"
    assert "step 2" in task.diagnosis.text and "learning rate 0.01" in task.diagnosis.text


def test_added_points_with_bad_labels_are_refused_in_words():
    pg = Playground(seed=0)
    for y in ([0, 1], ["a"], [0.5], [2], [float("nan")]):
        with pytest.raises(ValueError, match="^y must"):
            pg.experiment.add_points([[1.0, 2.0]], y)
    assert len(pg.experiment.state.edits) == 0
