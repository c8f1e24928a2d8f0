"""The Playground without a browser: its state, its Python API, and every control on the real
ipywidgets (set ``.value``, ``.click()``), checking that the model, the data and the pictures
changed as a learner would expect.

A tick of the kernel's frame clock is ``tick(pg)`` (the loop's ``tick``, then the browser's
acknowledgement); what the browser is sent is read by ``shown(pg)``.
"""
from __future__ import annotations

import ctypes
import gc
import json
import math
import tracemalloc
import weakref

import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets.widgets.widget import _instances

from nnkit import Sequential, TrainingDiverged, optimizers
from nnkit.datasets import make_planar
from nnkit.widgets import Playground, PlaygroundState
from nnkit.plots.playground import neuron_pictures
from nnkit.plots import style
from nnkit.plots.shading import class_shading
from nnkit.labs.state import FEATURES, HIDEABLE


@pytest.fixture
def pg():
    playground = Playground()
    yield playground
    playground.close()


def tick(pg):
    """One tick of the kernel's frame clock, drawn by the browser; nothing unless playing."""
    loop = pg.view.loop
    loop.tick()
    loop.ack(loop.sent)


def shown(pg) -> dict:
    """The last frame the browser was sent: its message and its buffers by name."""
    sent = []
    send = pg.view.send
    pg.view.send = lambda message, buffers=None: sent.append((message, buffers))
    try:
        pg.view.show()
    finally:
        pg.view.send = send
    message, buffers = sent[-1]
    return {"message": message, **dict(zip(["grid", "thumbs", "weights", "losses"], buffers))}


def same_weights(a, b) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))




# ---- defaults and the state ---------------------------------------------------------------------

def test_defaults_are_tensorflow_playgrounds(pg):
    s = pg.state
    assert (s.dataset, s.noise, s.train_fraction, s.features) == ("circle", 0.0, 0.5, ("x1", "x2"))
    assert (s.hidden_layers, s.activation, s.learning_rate) == ((4, 2), "tanh", 0.03)
    assert (s.batch_size, s.optimizer, s.regularization) == (10, "sgd", "none")
    units = [layer.units for layer in pg.model.layers]
    assert units == [4, 2, 1] and pg.model.layers[-1].activation.name == "sigmoid"
    assert pg.model.loss.name == "binary_crossentropy"
    assert isinstance(pg.model.optimizer, optimizers.SGD)
    assert pg.model.optimizer.learning_rate == 0.03
    assert pg.epoch == 0 and len(pg.data.X_train) == len(pg.data.X_test) == 250


def test_set_checks_every_value_before_changing_any():
    state = PlaygroundState()
    with pytest.raises(ValueError, match=r"batch_size must be a whole number from 1 to 64\. "
                                         r"Received: batch_size=0"):
        state.set(learning_rate=0.1, batch_size=0)
    assert state.learning_rate == 0.03                         # untouched
    with pytest.raises(ValueError, match="Unknown setting 'lerning_rate'. Did you mean "
                                         "'learning_rate'"):
        state.set(lerning_rate=0.1)
    with pytest.raises(ValueError, match=r"learning_rate must be a number from 1e-05 to 10.*100"):
        state.set(learning_rate=100)
    with pytest.raises(ValueError, match=r"hidden_layers\[1\] must be a whole number from 1 to 16"):
        state.set(hidden_layers=[4, 0])
    with pytest.raises(ValueError, match="at most 6 layers"):
        state.set(hidden_layers=[2] * 7)
    with pytest.raises(ValueError, match="Unknown activation 'tanhh'. Did you mean 'tanh'"):
        state.set(activation="tanhh")
    with pytest.raises(ValueError, match="features must name at least one input"):
        state.set(features=[])
    with pytest.raises(ValueError, match=r"noise must be a number from 0 to 0.5 \(a fraction"):
        state.set(noise=30)
    assert state.set(activation="ReLU", regularization=None) == {"activation"}
    assert state.activation == "relu" and state.regularization == "none"


def test_invalid_values_from_code_raise_the_cores_clear_errors(pg):
    with pytest.raises(ValueError, match="optimizer"):
        pg.set(optimizer="rmsprop")
    with pytest.raises(TypeError, match=r"seed must be an integer ≥ 0\. Received: seed='one'"):
        pg.set(seed="one")
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        pg.train(0)
    assert pg.state == PlaygroundState()                        # nothing changed


# ---- JSON ---------------------------------------------------------------------------------------

def test_json_round_trip_reproduces_weights_and_training():
    settings = dict(dataset="xor", noise=0.1, features=["x1", "x2", "x1*x2"],
                    hidden_layers=[6, 3], activation="relu", learning_rate=0.1,
                    optimizer="adam", batch_size=16, regularization="l2",
                    regularization_rate=0.001, seed=7, data_seed=3, show_test=True,
                    hide=["optimizer"])
    a = Playground(**settings)
    text = a.to_json()
    b = Playground.from_json(text)
    assert b.state == a.state and b.to_json() == text
    assert json.loads(text)["settings"]["hidden_layers"] == [6, 3]
    assert same_weights(a.model.get_weights(), b.model.get_weights())
    assert np.array_equal(a.data.X_train, b.data.X_train)
    a.train(15)
    b.train(15)
    assert same_weights(a.model.get_weights(), b.model.get_weights())
    assert a.history == b.history
    a.close()
    b.close()


def test_json_keeps_the_learners_added_and_removed_points():
    a = Playground(dataset="xor", n_samples=100)
    n = len(a.data.X_train)
    a.producer.add_point(4.0, 4.0, 0)                  # as a click on the boundary does
    a.producer.add_point(-4.5, 3.0, 1)
    near = a.data.X_train[0]
    removed = a.producer.remove_points(float(near[0]), float(near[1]), 0.3)   # a drag
    assert removed >= 1 and len(a.data.X_train) == n + 2 - removed
    a.train(3)
    text = a.to_json()
    assert [e[0] for e in json.loads(text)["settings"]["edits"]] == ["add", "add", "remove"]
    b = Playground.from_json(text)
    assert b.state == a.state and b.to_json() == text
    assert np.array_equal(a.data.X_train, b.data.X_train)
    assert np.array_equal(a.data.y_train, b.data.y_train)
    assert b.data.X_train[n - removed].tolist() == [4.0, 4.0]   # order kept: the edits replay
    b.train(3)
    assert a.history["loss"][1:] == pytest.approx(b.history["loss"][1:])   # [0]: before the edits
    a.set(data_seed=1)                                 # new points: the old edits do not apply
    assert a.state.edits == () and len(a.data.X_train) == n
    regression = Playground(dataset="plane", n_samples=60)
    regression.producer.add_point(1.0, 2.0, 1)
    again = Playground.from_json(regression.to_json())
    assert np.array_equal(again.data.y_train, regression.data.y_train)
    with pytest.raises(ValueError, match=r"edits\[0\]"):
        PlaygroundState(edits=[("move", 1.0, 2.0, 0)])
    for pg in (a, b, regression, again):
        pg.close()


def test_from_json_refuses_text_that_is_not_a_playground():
    with pytest.raises(ValueError, match="not JSON"):
        Playground.from_json("{oops")
    with pytest.raises(ValueError, match='"nnkit": "playground"'):
        Playground.from_json('{"a": 1}')
    with pytest.raises(ValueError, match="version 1"):
        Playground.from_json('{"nnkit": "playground", "version": 9, "settings": {}}')
    bad = PlaygroundState().to_json().replace('"batch_size":10', '"batch_size":99')
    with pytest.raises(ValueError, match="batch_size.*99"):
        Playground.from_json(bad)


# ---- training through the Python API ------------------------------------------------------------

def test_training_learns_the_circle_and_changes_the_pictures(pg):
    before = shown(pg)
    start = pg.loss
    loss = pg.train(150)
    assert pg.epoch == 150 and loss == pg.loss
    assert pg.loss < 0.25 * start and pg.test_accuracy > 0.9
    assert len(pg.history["loss"]) == len(pg.history["test_loss"]) == 151   # epoch 0 too
    after = shown(pg)
    for part in ("grid", "thumbs", "weights"):
        assert after[part] != before[part]
    assert after["message"]["epoch"] == 150
    boundary = next(ax for ax in pg.figure().axes if ax.images)  # the static figure's boundary
    picture = np.asarray(boundary.images[0].get_array())        # row 0 at the bottom
    h, w, _ = picture.shape
    centre, corner = picture[h // 2 - 5, w // 2 + 5], picture[3, w - 4]
    assert centre[2] > centre[0] and corner[0] > corner[2]      # blue centre, orange ring
    assert np.array_equal(picture, class_shading(pg.experiment.output_grid()))


def test_one_picture_per_neuron_from_one_grid_pass(pg, monkeypatch):
    import nnkit.labs.experiment as experiment_module
    pg.set(hidden_layers=[5, 3, 2], features=["x1", "x2", "x1^2"])
    calls = []
    forward = experiment_module.picture_pass
    monkeypatch.setattr(experiment_module, "picture_pass",
                        lambda model, x: calls.append(len(x)) or forward(model, x))
    pg.experiment._grid_cache = None
    columns = neuron_pictures(pg.experiment, 40)
    assert [len(c) for c in columns] == [3, 5, 3, 2, 1]
    assert calls == [100 * 100]                                  # every neuron, one pass
    # the pictures' float32 pass is the model's own forward pass, to float32 precision
    pg.train(5)
    exact = pg.model.layer_outputs(pg.experiment.x_grid)
    fast = forward(pg.model, pg.experiment.x_grid)
    assert all(f.dtype == np.float32 for f in fast)
    assert all(np.allclose(f, e, atol=1e-5) for f, e in zip(fast, exact))
    hidden = [np.asarray(p) for p in columns[1]]
    assert all(not np.array_equal(hidden[0], p) for p in hidden[1:])


def test_static_figure_is_drawn_only_for_a_notebook_and_shows_what_is_shown(monkeypatch):
    import nnkit.widgets.playground as playground_module
    calls = []
    draw = playground_module.playground_figure
    monkeypatch.setattr(playground_module, "playground_figure",
                        lambda *a, **k: calls.append(k["hide"]) or draw(*a, **k))
    pg = Playground(dataset="xor", hidden_layers=[3], seed=0)
    pg.train(3)
    pg.set(learning_rate=0.1)
    assert calls == []                                          # training draws no figure
    assert "image/png" in pg._repr_mimebundle_() and len(calls) == 1
    figure = pg.figure()
    network = figure.axes[0]                                    # a picture on every neuron
    assert len(network.artists) == 2 + 3 + 1
    assert len(figure.axes) == 3 and figure.texts[0].get_text().startswith("Epoch 3 ")
    pg.set(hide=["network", "curves"])
    assert len(pg.figure().axes) == 1
    pg.close()


def test_neuron_pictures_use_the_plots_colours(pg):
    inputs, *hidden, (output,) = neuron_pictures(pg.experiment, 25)
    x1 = inputs[0]                                              # x₁ grows to the right
    assert x1.shape == (25, 25, 3) and x1.dtype == np.uint8
    assert tuple(x1[12, 0]) == style.NEGATIVE_COLOR               # x₁ = −6, its largest |x₁|
    assert x1[12, -1, 2] > 150 > x1[12, -1, 0]                    # x₁ = 5.5: nearly full blue
    grid = pg.experiment.output_grid()[::-4, ::4]               # row 0 at the top, every 4th
    assert np.array_equal(output, class_shading(grid))          # the boundary's own colours


def test_model_is_an_ordinary_nnkit_model(pg):
    pg.train(20)
    assert isinstance(pg.model, Sequential)
    X = np.array([[0.0, 0.0], [5.0, 0.0]])
    assert np.array_equal(pg.predict(X), pg.model.predict(pg.features(X)))
    loss, accuracy = pg.model.evaluate(pg.features(pg.data.X_test), pg.data.y_test, verbose=0)
    assert (loss, accuracy) == (pytest.approx(pg.test_loss), pytest.approx(pg.test_accuracy))


def test_multi_class_blobs_use_softmax_and_learn():
    pg = Playground(dataset="blobs", n_classes=4, learning_rate=0.1)
    last = pg.model.layers[-1]
    assert last.units == 4 and last.activation.name == "softmax"
    assert pg.model.loss.name == "sparse_categorical_crossentropy"
    pg.train(20)
    assert pg.test_accuracy > 0.95
    assert "4 classes" in pg.problem.value
    pg.close()


def test_regression_uses_a_linear_output_and_mse():
    pg = Playground(dataset="plane")
    assert pg.model.layers[-1].activation.name == "linear" and pg.model.loss.name == "mse"
    assert pg.accuracy is None and "Accuracy" not in pg.stats.value
    assert pg.data_controls.discretize.disabled
    start = pg.test_loss
    pg.train(30)
    assert pg.test_loss < 0.1 * start
    pg.close()


# ---- every control ------------------------------------------------------------------------------

def test_data_controls_change_the_data_and_rebuild(pg):
    d = pg.data_controls
    pg.train(3)
    X = pg.data.X_train.copy()
    d.dataset.value = "spiral"
    assert pg.state.dataset == "spiral" and pg.epoch == 0
    assert not np.array_equal(pg.data.X_train, X)
    X = pg.data.X_train.copy()
    d.noise_percent.value = 20
    assert pg.state.noise == 0.2 and not np.array_equal(pg.data.X_train, X)
    d.train_percent.value = 70
    assert len(pg.data.X_train) == 350 and len(pg.data.X_test) == 150
    d.n_samples.value = 200
    assert len(pg.data.X_train) + len(pg.data.X_test) == 200
    X = pg.data.X_train.copy()
    d.regenerate.click()
    assert pg.state.data_seed == 1 and not np.array_equal(pg.data.X_train, X)
    d.dataset.value = "blobs"
    d.n_classes.value = 5
    assert pg.model.layers[-1].units == 5


def test_view_checkboxes_change_only_the_pictures(pg):
    d = pg.data_controls
    weights = pg.model.get_weights()
    background = shown(pg)["grid"]
    assert pg.view.test_xy == b""
    d.show_test.value = True                                     # hollow test points
    assert pg.state.show_test and len(pg.view.test_xy) == 8 * len(pg.data.X_test) > 0
    d.discretize.value = True
    grid = shown(pg)["grid"]
    assert pg.state.discretize and grid != background and set(grid) <= {0, 255}
    assert same_weights(weights, pg.model.get_weights())


def test_network_controls_change_the_architecture(pg):
    n = pg.network_controls
    n.features[FEATURES.index("x1^2")].value = True
    assert pg.state.features == ("x1", "x2", "x1^2") and pg.model.input_shape == (3,)
    n.add_layer.click()
    assert pg.state.hidden_layers == (4, 2, 2) and len(pg.model.layers) == 4
    pg.view._handle({"type": "units", "layer": 0, "delta": +1})  # the browser's + over layer 1
    pg.view._handle({"type": "units", "layer": 1, "delta": -1})  # − over layer 2
    pg.view._handle({"type": "units", "layer": 1, "delta": -1})  # refused: 1 neuron at least
    assert [layer.units for layer in pg.model.layers] == [5, 1, 2, 1]
    assert pg.view.layout_info["layers"] == [3, 5, 1, 2, 1]       # the view's columns follow
    assert pg.view.layout_info["unit_buttons"] == [1, 16]
    n.remove_layer.click()
    n.remove_layer.click()
    n.remove_layer.click()
    assert pg.state.hidden_layers == () and len(pg.model.layers) == 1
    assert n.remove_layer.disabled
    n.activation.value = "relu"
    n.add_layer.click()
    assert pg.model.layers[0].activation.name == "relu" and pg.model.layers[0].units == 4


def test_training_controls_change_training_but_keep_the_weights(pg):
    t = pg.training_controls
    pg.train(5)
    weights = pg.model.get_weights()
    t.learning_rate.value = 0.3
    assert pg.model.optimizer.learning_rate == 0.3 and pg.epoch == 5
    t.optimizer.value = "adam"
    assert isinstance(pg.model.optimizer, optimizers.Adam)
    assert pg.model.optimizer.learning_rate == 0.3
    t.regularization.value = "l2"
    assert pg.state.regularization_rate == 0.001                  # L2 at rate 0 would do nothing
    assert pg.model.layers[0].kernel_regularizer.l2 == 0.001
    t.regularization_rate.value = 0.03
    assert pg.model.layers[1].kernel_regularizer.l2 == 0.03
    t.batch_size.value = 25
    assert same_weights(weights, pg.model.get_weights()) and pg.epoch == 5
    iterations = pg.model.optimizer.iterations
    pg.train(1)
    assert pg.model.optimizer.iterations - iterations == 250 // 25


def test_buttons_play_step_reset_and_new_seed(pg):
    initial = pg.model.get_weights()
    pg.view._handle({"type": "play"})                    # the live view's Play button
    assert pg.playing and pg.view.playing
    tick(pg)
    tick(pg)
    assert pg.epoch == 2
    pg.view._handle({"type": "pause"})
    assert not pg.playing and not pg.view.playing
    tick(pg)
    assert pg.epoch == 2
    pg.step_button.click()
    assert pg.epoch == 3 and "Epoch <b>3</b>" in pg.epoch_label.value
    pg.reset_button.click()
    assert pg.epoch == 0 and same_weights(initial, pg.model.get_weights())
    pg.new_seed_button.click()
    assert pg.state.seed == 1 and not same_weights(initial, pg.model.get_weights())


def test_changing_the_architecture_while_playing_rebuilds_cleanly(pg):
    pg.play()
    tick(pg)
    pg.network_controls.add_layer.click()
    assert pg.playing and pg.epoch == 0
    tick(pg)
    tick(pg)
    assert pg.epoch == 2 and math.isfinite(pg.loss)
    assert [layer.units for layer in pg.model.layers] == [4, 2, 2, 1]
    pg.pause()


def test_a_refused_control_value_is_shown_in_words_not_raised(pg):
    x1, x2 = pg.network_controls.features[0], pg.network_controls.features[1]
    x1.value = False
    x2.value = False                                              # no inputs left: refused
    assert pg.state.features == ("x2",) and x2.value is True      # the control shows the truth
    assert "features must name at least one input" in pg.status
    assert "nnkit-error" in pg.status_line.value
    pg.network_controls.features[2].value = True                  # a good change clears it
    assert pg.status == ""


def test_hide_hides_those_controls():
    pg = Playground(dataset="blobs",
                    hide=["optimizer", "regularization", "features", "new_seed", "curves"])
    def hidden():
        return ({name for name, w in pg._hideable.items() if w.layout.display == "none"}
                | set(pg.view.layout_info["hide"]))          # network, curves: in the live view
    assert hidden() == {"optimizer", "regularization", "features", "new_seed", "curves"}
    pg.set(hide=[])
    assert hidden() == set()
    with pytest.raises(ValueError, match="Unknown name in hide 'optimiser'"):
        pg.set(hide=["optimiser"])
    assert set(pg._hideable) | {"network", "curves"} == set(HIDEABLE)
    pg.set(hide=HIDEABLE)
    assert hidden() == set(HIDEABLE)
    pg.close()


def test_presenter_size_is_larger():
    small, big = Playground(), Playground(presenter=True)
    def pixels(pg):
        figure = pg.figure()
        return figure.get_size_inches() * figure.dpi
    assert np.all(pixels(big) > 1.3 * pixels(small))
    assert "nnkit-presenter" in big.widget._dom_classes
    small.close()
    big.close()


# ---- your own data ------------------------------------------------------------------------------

def test_own_data_classification_and_regression():
    X, y = make_planar("moons", 120, 0.1, seed=1)
    pg = Playground(data=(X, y), learning_rate=0.1)
    assert pg.state.dataset == "own" and pg.state.kind == "classification"
    assert len(pg.data.X_train) + len(pg.data.X_test) == 120
    assert ("your data", "own") in pg.data_controls.dataset.options
    pg.train(100)
    assert pg.test_accuracy > 0.85
    pg.data_controls.dataset.value = "circle"                      # and back to your data
    pg.data_controls.dataset.value = "own"
    assert len(pg.data.X_train) == 60
    values = np.sin(X[:, :1])
    pg.set(data=(X, values))
    assert pg.state.kind == "regression" and pg.model.loss.name == "mse"
    again = Playground.from_json(pg.to_json())
    assert np.array_equal(again.data.X_train, pg.data.X_train)
    pg.close()
    again.close()


@pytest.mark.parametrize("data, error, match", [
    (np.zeros((20, 2)), TypeError, r"data must be a pair \(X, y\)"),
    ((np.zeros((20, 3)), np.zeros(20, int)), ValueError, r"2 columns.*\(20, 3\)"),
    ((np.zeros((5, 2)), np.arange(5) % 2), ValueError, "at least 10 points"),
    ((np.full((20, 2), np.nan), np.arange(20) % 2), ValueError, "NaN"),
    ((np.zeros((20, 2)), np.arange(19) % 2), ValueError, "same number of samples"),
    ((np.zeros((20, 2)), np.arange(20) % 8), ValueError, r"labels 0..K-1 with 2 ≤ K ≤ 6"),
    ((np.zeros((20, 2)), np.zeros(20, int)), ValueError, "at least two classes"),
])
def test_bad_own_data_is_refused_clearly(data, error, match):
    with pytest.raises(error, match=match):
        Playground(data=data)


# ---- bad states ---------------------------------------------------------------------------------

def test_divergence_pauses_says_when_and_reset_recovers():
    pg = Playground(dataset="plane", activation="sigmoid", learning_rate=10)
    initial = pg.model.get_weights()
    pg.play()
    for _ in range(20):
        tick(pg)
        if not pg.playing:
            break
    assert not pg.playing and pg.diverged
    epoch = pg.epoch + 1
    assert f"The loss became infinite at epoch {epoch}, step " in pg.status
    assert "learning rate 10 is too high" in pg.status and "e.g. 0.03" in pg.status
    assert "nnkit-error" in pg.status_line.value
    assert all(np.isfinite(w).all() for w in pg.model.get_weights())
    pg.reset_button.click()
    assert pg.status == "" and pg.epoch == 0 and not pg.diverged
    assert same_weights(initial, pg.model.get_weights())
    pg.training_controls.learning_rate.value = 0.03
    pg.train(10)
    assert math.isfinite(pg.loss) and pg.loss < pg.history["loss"][0]
    pg.close()


def test_divergence_through_the_python_api_warns():
    pg = Playground(dataset="plane", activation="sigmoid", learning_rate=10)
    with pytest.warns(TrainingDiverged, match="infinite at epoch"):
        loss = pg.train(50)
    assert not math.isfinite(loss) and pg.epoch < 50
    pg.close()


# ---- resources ----------------------------------------------------------------------------------

def _rss_bytes() -> int:
    """Resident memory after handing freed heap pages back to the system (glibc keeps them)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096
    except OSError:                                         # not Linux/glibc: skip that check
        return 0


def test_two_hundred_playgrounds_leave_nothing_behind():
    """Create and close 200: no figure, no widget, no Playground left behind; memory flat."""
    def cycle(n):
        alive = []
        for _ in range(n):
            pg = Playground()
            alive.append(weakref.ref(pg))
            pg.close()
        del pg
        gc.collect()
        return sum(ref() is not None for ref in alive)

    cycle(5)                                                        # warm caches (fonts, frames)
    widgets_before = len(_instances)
    tracemalloc.start()
    assert cycle(10) == 0                                           # each one garbage-collected
    traced_10 = tracemalloc.get_traced_memory()[0]
    assert cycle(15) == 0
    traced_25 = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    rss_25 = _rss_bytes()
    assert cycle(175) == 0
    rss_200 = _rss_bytes()
    assert plt.get_fignums() == []
    assert len(_instances) == widgets_before
    assert traced_25 - traced_10 < 300_000, f"{(traced_25 - traced_10) / 1e3:.0f} kB in 15 more"
    assert rss_200 - rss_25 < 20_000_000, f"RSS grew {(rss_200 - rss_25) / 1e6:.1f} MB"
