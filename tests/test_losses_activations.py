"""Activations and losses on inputs small enough to check by hand, and on extreme ones.

Expected values are worked out in the comments (or taken from Keras's documentation, where noted),
never copied from nnkit's output.
"""
import math

import numpy as np
import pytest

from nnkit import activations, losses

sigmoid, tanh, relu = activations.get("sigmoid"), activations.get("tanh"), activations.get("relu")
leaky_relu, softmax, linear = (activations.get("leaky_relu"), activations.get("softmax"),
                               activations.get("linear"))
mse, bce = losses.get("mse"), losses.get("binary_crossentropy")
cce, sparse_cce = losses.get("categorical_crossentropy"), losses.get("sparse_categorical_crossentropy")

# overflow, 0/0 and log(0) raise inside these tests; underflow to 0 (e.g. e^-1000) is fine
def strict():
    return np.errstate(over="raise", invalid="raise", divide="raise")


# ---------------------------------------------------------------- activations: values
def test_activation_values_at_known_points():
    assert sigmoid(0) == 0.5                                   # 1 / (1 + e⁰)
    assert sigmoid(math.log(3)) == pytest.approx(0.75)         # 1 / (1 + 1/3)
    assert tanh(0) == 0.0
    np.testing.assert_array_equal(relu([-2, 0, 3]), [0, 0, 3])
    np.testing.assert_allclose(leaky_relu([-2.0, 3.0]), [-0.4, 3.0])   # slope 0.2, as Keras
    np.testing.assert_array_equal(linear(np.array([-1.5, 2.0])), [-1.5, 2.0])


def test_sigmoid_and_tanh_are_related():
    # tanh(z) = 2 σ(2z) - 1: two formulas, one curve
    z = np.linspace(-6, 6, 25)
    np.testing.assert_allclose(tanh(z), 2 * sigmoid(2 * z) - 1, atol=1e-12)


def test_softmax_rows_are_probabilities():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-5.0, 10.0, 2.0]])
    h = softmax(z)
    np.testing.assert_allclose(h.sum(axis=1), 1.0)
    assert (h > 0).all()
    np.testing.assert_allclose(h[1], [1 / 3, 1 / 3, 1 / 3])
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(h[0], e / e.sum())
    np.testing.assert_allclose(softmax(z + 100.0), h)          # adding a constant changes nothing


def test_activations_stay_finite_at_extreme_inputs():
    with strict():
        np.testing.assert_array_equal(softmax(np.array([[1000.0, 0.0]])), [[1.0, 0.0]])
        np.testing.assert_array_equal(softmax(np.array([[-1000.0, 1000.0]])), [[0.0, 1.0]])
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])
        np.testing.assert_array_equal(tanh(np.array([-1000.0, 1000.0])), [-1.0, 1.0])


# ---------------------------------------------------------------- activations: derivatives
def test_derivatives_at_known_points():
    assert sigmoid.derivative(0.0) == 0.25                      # σ(1 - σ) = ½ · ½
    assert tanh.derivative(0.0) == 1.0                          # 1 - tanh² = 1
    np.testing.assert_array_equal(relu.derivative([-1.0, 2.0]), [0.0, 1.0])
    np.testing.assert_allclose(leaky_relu.derivative([-1.0, 2.0]), [0.2, 1.0])
    np.testing.assert_array_equal(linear.derivative([-1.0, 2.0]), [1.0, 1.0])


@pytest.mark.parametrize("name", ["linear", "sigmoid", "tanh", "relu", "leaky_relu"])
def test_derivative_is_the_slope_of_the_curve(name):
    f = activations.get(name)
    z = np.array([-2.5, -0.7, 0.3, 1.9])                       # away from relu's kink
    eps = 1e-6
    slope = (f(z + eps) - f(z - eps)) / (2 * eps)
    np.testing.assert_allclose(f.derivative(z), slope, rtol=1e-7, atol=1e-9)


def test_softmax_backward_is_the_jacobian_times_dout():
    # J_kj = ∂h_k/∂z_j = h_k (δ_kj - h_j);  dz = Jᵀ dout, one sample at a time
    rng = np.random.default_rng(0)
    z, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    h = softmax(z)
    for n in range(4):
        J = np.diag(h[n]) - np.outer(h[n], h[n])
        np.testing.assert_allclose(softmax.backward(dout, z, h)[n], J.T @ dout[n], atol=1e-14)


def test_softmax_has_no_elementwise_derivative():
    with pytest.raises(ValueError, match="backward"):
        softmax.derivative(np.zeros(3))


# ---------------------------------------------------------------- losses: values by hand
def test_mse_by_hand():
    # Keras's documented example: mean of (1-0)², (1-1)², (1-0)², (0-0)² = 2/4
    y = np.array([[0.0, 1.0], [0.0, 0.0]])
    h = np.array([[1.0, 1.0], [1.0, 0.0]])
    L, dh = mse(y, h)
    assert L == 0.5
    np.testing.assert_array_equal(dh, [[0.5, 0.0], [0.5, 0.0]])   # 2 (h - y) / (N K), N K = 4


def test_binary_crossentropy_by_hand():
    # Keras's documented example, 0.815: four terms -log(0.4), -log(0.4), -log(0.6), -log(0.4)
    y = np.array([[0.0, 1.0], [0.0, 0.0]])
    h = np.array([[0.6, 0.4], [0.4, 0.6]])
    L, _ = bce(y, h)
    assert L == pytest.approx(-(3 * math.log(0.4) + math.log(0.6)) / 4)
    assert L == pytest.approx(0.815, abs=5e-4)


def test_categorical_crossentropy_by_hand():
    # Keras's documented example, 1.177: -(log 0.95 + log 0.1) / 2
    y = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    h = np.array([[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]])
    L, dh = cce(y, h)
    assert L == pytest.approx(-(math.log(0.95) + math.log(0.1)) / 2)
    assert L == pytest.approx(1.177, abs=5e-4)
    np.testing.assert_allclose(dh[0], [0, -1 / 0.95 / 2, 0])    # -y / (h N)
    L_sparse, dh_sparse = sparse_cce(np.array([1, 2]), h)
    assert L_sparse == L
    np.testing.assert_array_equal(dh_sparse, dh)


def test_a_perfect_prediction_costs_almost_nothing_and_a_certain_mistake_a_lot():
    y = np.array([[0.0, 1.0]])
    assert cce(y, np.array([[0.0, 1.0]]))[0] < 1e-6
    assert cce(y, np.array([[1.0, 0.0]]))[0] == pytest.approx(-math.log(losses.EPSILON))
    assert bce(np.array([[1.0]]), np.array([[0.0]]))[0] == pytest.approx(-math.log(losses.EPSILON))


# ---------------------------------------------------------------- fused losses (from logits)
def test_losses_from_logits_equal_losses_from_probabilities():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(5, 3))
    labels = rng.integers(0, 3, size=5)
    y = np.eye(3)[labels]
    assert cce.with_logits(y, z)[0] == pytest.approx(cce(y, softmax(z))[0], rel=1e-12)
    assert sparse_cce.with_logits(labels, z)[0] == pytest.approx(cce(y, softmax(z))[0], rel=1e-12)
    yb = rng.integers(0, 2, size=(5, 1)).astype(float)
    zb = rng.normal(size=(5, 1))
    assert bce.with_logits(yb, zb)[0] == pytest.approx(bce(yb, sigmoid(zb))[0], rel=1e-12)


def test_fused_gradient_is_h_minus_y_over_n():
    # softmax + cross-entropy: the chain rule collapses to dz = (h - y) / N
    z = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
    y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(cce.with_logits(y, z)[1], (softmax(z) - y) / 2)
    np.testing.assert_allclose(sparse_cce.with_logits(np.array([0, 2]), z)[1], (softmax(z) - y) / 2)
    zb, yb = np.array([[0.3], [-1.2], [2.0]]), np.array([[1.0], [0.0], [1.0]])
    np.testing.assert_allclose(bce.with_logits(yb, zb)[1], (sigmoid(zb) - yb) / 3)


def test_fused_losses_stay_finite_at_logits_of_1000():
    # the worst mistakes: each costs |z| = 1000 nats; the gradient is still (h - y) / N
    with strict():
        L, dz = bce.with_logits(np.array([[1.0], [0.0]]), np.array([[-1000.0], [1000.0]]))
        assert L == pytest.approx(1000.0)
        np.testing.assert_allclose(dz, [[-0.5], [0.5]])
        # ...and the best predictions cost ≈ 0
        L, dz = bce.with_logits(np.array([[1.0], [0.0]]), np.array([[1000.0], [-1000.0]]))
        assert L == pytest.approx(0.0, abs=1e-300)
        np.testing.assert_allclose(dz, 0.0, atol=1e-300)

        z = np.array([[-1000.0, 1000.0], [1000.0, -1000.0]])
        y = np.array([[1.0, 0.0], [1.0, 0.0]])                 # first row wrong by 2000 nats
        L, dz = cce.with_logits(y, z)
        assert L == pytest.approx(1000.0)                      # (2000 + 0) / 2
        np.testing.assert_allclose(dz, [[-0.5, 0.5], [0.0, 0.0]])
        L_sparse, dz_sparse = sparse_cce.with_logits(np.array([0, 0]), z)
        assert L_sparse == pytest.approx(1000.0)
        np.testing.assert_allclose(dz_sparse, dz)


def test_losses_from_probabilities_stay_finite_at_0_and_1():
    # h exactly 0 or 1 would be log(0): probabilities are clipped to [ε, 1 - ε]
    with strict():
        for loss, y, h in [(bce, np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]])),
                           (cce, np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))]:
            L, dh = loss(y, h)
            assert math.isfinite(L) and np.isfinite(dh).all()


def test_loss_names_and_aliases():
    assert isinstance(losses.get("mean_squared_error"), losses.MeanSquaredError)
    assert isinstance(losses.get("Binary_Crossentropy"), losses.BinaryCrossentropy)
    assert isinstance(losses.get("sparse_categorical_crossentropy"),
                      losses.SparseCategoricalCrossentropy)
    assert activations.get(None).name == "linear"
