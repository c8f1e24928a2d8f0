"""The Playground's producer: an Experiment described as live-view frames (no browser)."""
import numpy as np
import pytest

from nnkit.labs.experiment import Experiment
from nnkit.labs.state import PlaygroundState
from nnkit.widgets.live.experiment_producer import ExperimentProducer
from nnkit.widgets.live.frames import boundary_indices


def producer(**settings):
    state = PlaygroundState()
    state.set(**settings)
    return ExperimentProducer(Experiment(state))


def test_frame_shapes_follow_the_network_and_the_grid_is_the_boundary_top_down():
    p = producer(features=["x1", "x2", "sin(x1)"], hidden_layers=[3, 2])
    frame = p.produce(2)
    assert p.layout()["layers"] == [3, 3, 2, 1]
    assert frame.grid.shape == (100, 100) and frame.grid.dtype == np.uint8
    assert frame.thumbs.shape == (3 + 3 + 2 + 1, 25, 25)
    assert frame.weights.shape == (3 * 3 + 3 + 3 * 2 + 2 + 2 * 1 + 1,)
    assert frame.epoch == 2 and frame.loss_start == 0 and frame.losses.shape == (3, 2)
    np.testing.assert_allclose(frame.losses[:, 0], p.experiment.history["loss"], rtol=1e-6)
    expected = boundary_indices(p.experiment.output_grid()[::-1])    # row 0 at the top
    np.testing.assert_array_equal(frame.grid, expected)


def test_only_new_loss_points_travel_and_a_reset_starts_the_curves_again():
    p = producer()
    p.produce(3)
    frame = p.produce(2)
    assert frame.loss_start == 4 and frame.losses.shape == (2, 2)
    p.experiment.reset()
    frame = p.produce(0)
    assert frame.loss_start == 0 and frame.losses.shape == (1, 2) and frame.epoch == 0
    assert p.recording.epochs == [0]                     # the later epochs are dropped


def test_replay_shows_the_recorded_epoch_and_leaves_the_model_as_it_was():
    p = producer(dataset="xor")
    at_two = p.produce(2).grid.copy()
    now = p.produce(20)
    weights = [w.copy() for w in p.experiment.model.get_weights()]
    replayed = p.replay(2)
    assert replayed.replay and replayed.epoch == 2
    np.testing.assert_array_equal(replayed.grid, at_two)
    assert (replayed.grid != now.grid).any()
    for before, after in zip(weights, p.experiment.model.get_weights()):
        np.testing.assert_array_equal(before, after)
    np.testing.assert_array_equal(p.produce(0).grid, now.grid)


def test_k_classes_one_ramp_per_output_unit():
    p = producer(dataset="blobs", n_classes=3)
    frame = p.produce(1)
    assert p.layout()["n_classes"] == 3 and p.layout()["layers"][-1] == 3
    levels = 256 // 3
    outputs = frame.thumbs[-3:]
    for k in range(3):                                   # unit k's indices lie in class k's part
        assert outputs[k].min() >= k * levels and outputs[k].max() < (k + 1) * levels


def test_regression_values_and_discretize():
    p = producer(dataset="plane")
    frame = p.produce(5)
    v = p.experiment.output_grid()[::-1]
    vmax = float(np.abs(p.experiment.data.y_train).max())
    assert p.layout()["kind"] == "regression"
    np.testing.assert_array_equal(frame.grid, np.rint(127.5 * (np.clip(v / vmax, -1, 1) + 1)))
    p = producer(dataset="circle", discretize=True)
    assert set(np.unique(p.produce(3).grid)) <= {0, 255}


def test_hovering_a_hidden_neuron_shows_it_large():
    p = producer()
    p.focus = 2                                          # the first neuron of layer 1
    frame = p.produce(0)
    assert frame.grid_lut == "diverging"
    h = p.experiment.grid_outputs()[0][:, 0].reshape(100, 100)[::-1]
    assert np.corrcoef(frame.grid.ravel().astype(float), h.ravel())[0, 1] > 0.99


def test_thumb_must_divide_the_resolution():
    state = PlaygroundState()
    with pytest.raises(ValueError, match="thumb must divide"):
        ExperimentProducer(Experiment(state), thumb=30)


def test_a_click_adds_a_training_point_the_next_epoch_learns_from():
    p = producer(dataset="xor", n_samples=100)
    p.produce(1)
    n = len(p.experiment.data.X_train)
    p.add_point(4.0, 4.0, 0)
    X, labels = p.points()
    assert len(X) == n + 1 and labels[-1] == 0 and tuple(X[-1]) == (4.0, 4.0)
    assert p.experiment.x_train.shape[0] == n + 1
    before = p.produce(0).grid[10, 90]                     # near (4, 4), row 0 at the top
    for _ in range(40):
        p.add_point(4.0, 4.0, 0)
    after = p.produce(30).grid[10, 90]
    assert after < before                                  # towards class 0 (orange)
    assert p.remove_points(4.0, 4.0, 0.01) == 41 and len(p.points()[0]) == n
    with pytest.raises(ValueError, match="class labels 0..1"):
        p.add_point(0.0, 0.0, 3)


def test_test_points_only_when_shown():
    p = producer()
    assert len(p.test_points()[0]) == 0
    p.experiment.state.set(show_test=True)
    assert len(p.test_points()[0]) == len(p.experiment.data.X_test) > 0


@pytest.mark.parametrize("name", ["sin", "cubic", "abs"])
def test_the_playground_offers_data_drawn_from_a_function(name):
    from nnkit.widgets import Playground
    pg = Playground(dataset=name, hidden_layers=[8, 8], learning_rate=0.1, seed=1)
    try:
        options = [value for _, value in pg.data_controls.dataset.options]
        assert name in options and pg.model.layers[-1].units == 1
        start = pg.loss
        pg.train(60)
        assert pg.loss < 0.6 * start and pg.test_accuracy > 0.85
    finally:
        pg.close()
