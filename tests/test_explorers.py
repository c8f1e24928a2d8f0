"""NeuronExplorer, ActivationExplorer and LossExplorer, driven without a browser.

Each test changes a setting (through ``set`` or through the control itself, the path a drag
takes), then checks what the learner would see: the numbers, the formula text and the data in
the figure's artists, against values computed here by hand.
"""
import math

import numpy as np
import pytest

from nnkit import losses
from nnkit.widgets.explorers import ActivationExplorer, LossExplorer, NeuronExplorer


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


# One widget of each kind for the module (building a figure is the slow part); every test
# first sets all the settings it relies on.
@pytest.fixture(scope="module")
def neuron():
    ex = NeuronExplorer()
    ex.widget                                  # builds the controls
    yield ex
    ex.close()


@pytest.fixture(scope="module")
def activation():
    return ActivationExplorer()


@pytest.fixture(scope="module")
def loss():
    return LossExplorer()


NEURON = dict(w1=1.0, w2=-0.5, b=0.5, activation="sigmoid", x1=1.0, x2=1.0)


# ---- NeuronExplorer ------------------------------------------------------------------------------

def test_neuron_numbers_follow_the_lesson_formula():
    ex = NeuronExplorer(w1=1.0, w2=-0.5, b=0.5, activation="sigmoid", x1=1.0, x2=1.0)
    # z = 1·1 + (−0.5)·1 + 0.5 = 1,  h = σ(1) = 0.7311
    assert ex.z == pytest.approx(1.0)
    assert ex.h == pytest.approx(sigmoid(1.0))
    assert "= 1$$" in ex.formula.value and "0.731" in ex.formula.value


def test_neuron_sliders_move_the_surface_and_the_decision_line(neuron):
    ex = neuron
    ex.set(**NEURON)
    before = ex.view.png
    ex.set(w1=2.0, w2=1.0, b=-1.0)
    # the image holds h = σ(2 x1 + x2 − 1) on the grid: check a corner and the centre
    image = np.asarray(ex.plane.image.get_array())
    r = image.shape[0]
    assert image[0, 0] == pytest.approx(sigmoid(2 * -3 + -3 - 1))          # bottom-left (−3, −3)
    assert image[r // 2, r // 2] == pytest.approx(sigmoid(-1.0))           # the centre (0, 0)
    # the decision line is z = 0: both ends satisfy 2 x1 + x2 − 1 = 0 and lie on the border
    x1s, x2s = ex.plane.decision_line.get_data()
    np.testing.assert_allclose(2 * np.asarray(x1s) + np.asarray(x2s) - 1, 0, atol=1e-12)
    assert np.allclose(ex.decision_line[0], x1s)
    # w points from the line towards larger outputs
    foot, tip = np.array(ex.plane.arrow.xyann), np.array(ex.plane.arrow.xy)
    assert np.dot(tip - foot, [2.0, 1.0]) > 0
    assert ex.view.png != before


def test_neuron_control_drag_takes_the_same_path_as_set(neuron):
    ex = neuron
    ex.set(**NEURON)
    ex.controls["b"].value = -2.0              # what a drag of the slider does
    assert ex.b == -2.0 and "(-2)" in ex.formula.value
    ex.set(activation="relu")
    assert ex.controls["activation"].value == "relu"           # and set moves the control
    assert np.asarray(ex.plane.image.get_array()).min() >= 0   # ReLU never goes below 0


def test_neuron_without_weights_has_no_decision_line(neuron):
    ex = neuron
    ex.set(**{**NEURON, "w1": 0.0, "w2": 0.0, "b": 1.0})
    assert len(ex.decision_line[0]) == 0
    assert "no decision line" in ex.message_text


def test_neuron_bad_values_change_nothing_and_say_what_is_allowed(neuron):
    ex = neuron
    ex.set(**NEURON)
    with pytest.raises(ValueError, match=r"w2 must lie in \[-3, 3\].*w2=7"):
        ex.set(w1=0.5, w2=7)
    assert ex.w1 == 1.0                        # all checked before any change
    with pytest.raises(ValueError, match="Did you mean 'tanh'"):
        ex.set(activation="tahn")
    with pytest.raises(ValueError, match="Unknown setting 'weight'"):
        ex.set(weight=1)


def test_a_bad_value_from_a_control_is_a_message_not_a_traceback(neuron):
    ex = neuron
    ex._from_control("w1", float("nan"))
    assert ex.message_level == "error" and "w1" in ex.message_text


# ---- ActivationExplorer --------------------------------------------------------------------------

def test_sigmoid_far_out_is_saturated_and_marked():
    ex = ActivationExplorer("sigmoid", z=4.0)
    s = sigmoid(4.0)
    assert ex.h == pytest.approx(s)
    assert ex.slope == pytest.approx(s * (1 - s))            # σ' = h (1 − h) = 0.0177
    assert ex.saturated                                      # 0.0177 < 0.1 · 0.25
    assert "Saturated" in ex.formula.value and "0.0177" in ex.formula.value
    # the shaded strip is opaque where |z| is large and clear at 0; the tangent has slope σ'(4)
    strip = ex.artists.shades[0].get_array()[0]
    grid = ex.artists.z
    assert strip[np.argmin(abs(grid - 4.5)), 3] > 0 and strip[np.argmin(abs(grid)), 3] == 0
    (za, zb), (ha, hb) = ex.artists.tangent.get_data()
    assert (hb - ha) / (zb - za) == pytest.approx(ex.slope)


def test_moving_z_to_the_middle_unsaturates_sigmoid(activation):
    ex = activation
    ex.set(activation="sigmoid", z=4.0)
    assert ex.saturated
    ex.set(z=0.0)
    assert not ex.saturated and ex.slope == pytest.approx(0.25)
    assert ex.artists.points[1].get_data()[1][0] == pytest.approx(0.25)


def test_relu_is_dead_on_the_left_and_leaky_relu_is_not(activation):
    ex = activation
    ex.set(activation="relu", z=-2.0)
    assert ex.slope == 0 and ex.dead and not ex.saturated and "stops completely" in ex.formula.value
    assert ex.verdict == "dead (z < 0: output 0, gradient 0)"          # dead, not "saturated"
    assert ex.artists.derivative_ax.get_legend().get_texts()[0].get_text() == "dead: f′ = 0"
    ex.set(activation="leaky_relu")
    assert ex.slope == pytest.approx(0.2) and not ex.saturated
    ex.set(z=2.0, activation="relu")
    assert ex.slope == 1 and not ex.saturated
    assert ex.artists.ax.get_title().startswith("relu")


def test_activation_errors_name_the_choice(activation):
    ex = activation
    with pytest.raises(ValueError, match="Allowed: 'sigmoid', 'tanh'"):
        ex.set(activation="softmax")
    with pytest.raises(ValueError, match=r"z must lie in \[-6, 6\]"):
        ex.set(z=10)


# ---- LossExplorer --------------------------------------------------------------------------------

def test_losses_are_nnkits_own_and_match_the_formulas():
    ex = LossExplorer(y=1, h=0.2)
    assert ex.losses["mse"] == pytest.approx((0.2 - 1) ** 2)
    assert ex.losses["crossentropy"] == pytest.approx(-math.log(0.2))
    bce, _ = losses.get("binary_crossentropy")(np.array([[1.0]]), np.array([[0.2]]))
    assert ex.losses["crossentropy"] == pytest.approx(bce)
    # the markers sit on the curves at h
    x, y = ex.artists.markers["crossentropy"].get_data()
    assert x[0] == 0.2 and y[0] == pytest.approx(-math.log(0.2))


def test_a_confident_mistake_is_punished_by_crossentropy_not_by_mse(loss):
    ex = loss
    ex.set(y=1, h=0.5)
    ex.set(h=0.01)                                    # sure it is 0, but it is 1
    L, g = ex.losses, ex.gradients
    assert L["mse"] < 1.0 < 4.0 < L["crossentropy"]   # 0.98 vs −log 0.01 = 4.6
    assert g["crossentropy"] == pytest.approx(-0.99)  # h − y: a full push
    assert abs(g["mse"]) < 0.02                       # 2(h−y)h(1−h) ≈ −0.0196: almost none
    assert "confident mistake" in ex.formula.value
    # the same on the picture: the gradient markers
    assert ex.artists.markers["crossentropy_gradient"].get_data()[1][0] == pytest.approx(-0.99)


def test_switching_the_target_mirrors_the_curves(loss):
    ex = loss
    ex.set(y=1, h=0.3)
    ce_1 = np.asarray(ex.artists.curves["crossentropy"].get_data()[1]).copy()
    ex.set(y=0)
    ce_0 = np.asarray(ex.artists.curves["crossentropy"].get_data()[1])
    np.testing.assert_allclose(ce_0, ce_1[::-1], rtol=1e-9)    # −log(1−h) mirrors −log h
    assert ex.artists.target_line.get_xdata()[0] == 0


def test_loss_errors(loss):
    ex = loss
    with pytest.raises(ValueError, match="y must be the target class, 0 or 1"):
        ex.set(y=2)
    with pytest.raises(ValueError, match=r"h must lie in \[0.001, 0.999\]"):
        ex.set(h=1.0)
