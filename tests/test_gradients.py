"""Backprop against finite differences: every layer × activation × loss, and whole models.

A gradient is right when it agrees with the central difference (f(θ+ε) - f(θ-ε)) / 2ε to a relative
error of 1e-6 in float64 (``nnkit.gradcheck``).  The file opens with one layer worked out by hand.
"""
import numpy as np
import pytest

from nnkit import gradcheck, layers, losses, models, regularizers

TOLERANCE = 1e-6
# Step of the central difference for whole models: its error is ~ε² (truncation) + u·|L|/ε
# (rounding, u = 1e-16), smallest near ε = 1e-5 in float64.
EPS = 1e-5
ACTIVATIONS = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"]


def away_from_zero(rng, shape, low=0.2, high=2.0):
    """Random numbers with |value| in [low, high]: no ReLU kink within a finite-difference step."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def built(layer, input_shape, seed=0):
    layer.build(input_shape, np.random.default_rng(seed))
    return layer


# ---------------------------------------------------------------- a 2×2 example by hand
def test_dense_relu_forward_and_backward_by_hand():
    # Two samples (rows of x), two inputs, two units; W is (inputs, units).
    #
    #   x = [[1,  2],      W = [[1, -1],      b = [0.5, -0.5]
    #        [3, -1]]           [2,  1]]
    #
    # forward   z = x W + b
    #             row 1: [1·1 + 2·2,  1·(-1) + 2·1]    + b = [5,  1] + b = [5.5,  0.5]
    #             row 2: [3·1 - 1·2,  3·(-1) - 1·1]    + b = [1, -4] + b = [1.5, -4.5]
    #           h = relu(z) = [[5.5, 0.5],
    #                          [1.5, 0  ]]
    #
    # backward with dout = dL/dh = [[ 1, 2],
    #                               [-1, 1]]
    #           dz = dout ⊙ relu'(z)   (relu'(z) = 1 where z > 0: only z[1, 1] = -4.5 is cut)
    #              = [[ 1, 2],
    #                 [-1, 0]]
    #           dW = xᵀ dz = [[1, 3],  @ dz = [[1·1 + 3·(-1),  1·2 + 3·0],  = [[-2, 2],
    #                         [2, -1]]         [2·1 - 1·(-1),  2·2 - 1·0]]     [ 3, 4]]
    #           db = Σ over samples of dz = [1 - 1, 2 + 0] = [0, 2]
    #           dx = dz Wᵀ = [[ 1, 2], @ [[ 1, 2],  = [[1 - 2, 2 + 2],   = [[-1,  4],
    #                         [-1, 0]]    [-1, 1]]     [-1 + 0, -2 + 0]]    [-1, -2]]
    layer = built(layers.Dense(2, activation="relu"), (2,))
    layer.W[...] = [[1, -1], [2, 1]]
    layer.b[...] = [0.5, -0.5]
    x = np.array([[1.0, 2.0], [3.0, -1.0]])

    h = layer.forward(x)
    np.testing.assert_array_equal(h, [[5.5, 0.5], [1.5, 0.0]])

    dx = layer.backward(np.array([[1.0, 2.0], [-1.0, 1.0]]))
    np.testing.assert_array_equal(layer.dW, [[-2, 2], [3, 4]])
    np.testing.assert_array_equal(layer.db, [0, 2])
    np.testing.assert_array_equal(dx, [[-1, 4], [-1, -2]])


# ---------------------------------------------------------------- one layer at a time
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense_gradients_match_finite_differences(activation):
    rng = np.random.default_rng(1)
    layer = built(layers.Dense(3, activation=activation), (4,), seed=2)
    x = away_from_zero(rng, (5, 4))
    z = x @ layer.W + layer.b
    assert np.abs(z).min() > 1e-3          # no ReLU kink within ε of any z
    errors = gradcheck.check_layer(layer, x)
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) <= TOLERANCE, errors


@pytest.mark.parametrize("activation", ["tanh", "relu", "softmax"])
def test_dense_on_sequences_applies_one_W_at_every_step(activation):
    # x: (N, T, D) = (3, 4, 2) is treated as N·T = 12 rows through the same W
    rng = np.random.default_rng(3)
    layer = built(layers.Dense(3, activation=activation), (4, 2), seed=4)
    x = away_from_zero(rng, (3, 4, 2))
    assert np.abs(x @ layer.W).min() > 1e-3
    assert layer.forward(x).shape == (3, 4, 3)
    errors = gradcheck.check_layer(layer, x)
    assert max(errors.values()) <= TOLERANCE, errors


def test_dense_without_bias():
    layer = built(layers.Dense(3, activation="tanh", use_bias=False), (4,))
    assert set(layer.weights) == {"W"}
    errors = gradcheck.check_layer(layer, np.random.default_rng(5).normal(size=(6, 4)))
    assert max(errors.values()) <= TOLERANCE, errors


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_layer_gradients(activation):
    layer = built(layers.Activation(activation), (5,))
    x = away_from_zero(np.random.default_rng(6), (4, 5))
    errors = gradcheck.check_layer(layer, x)
    assert set(errors) == {"x"}
    assert errors["x"] <= TOLERANCE, errors


# ---------------------------------------------------------------- losses
def _targets_and_outputs(name, rng, n=6, k=3):
    """(loss, y, h): y in the loss's format, h a valid output (probabilities away from 0 and 1)."""
    loss = losses.get(name)
    labels = rng.integers(0, k, size=n)
    if name == "mse":
        return loss, rng.normal(size=(n, k)), rng.normal(size=(n, k))
    if name == "binary_crossentropy":
        return loss, rng.integers(0, 2, size=(n, 1)).astype(float), rng.uniform(0.05, 0.95, (n, 1))
    h = rng.uniform(0.1, 1.0, size=(n, k))
    h /= h.sum(axis=1, keepdims=True)
    y = labels if name.startswith("sparse") else np.eye(k)[labels]
    return loss, y, h


@pytest.mark.parametrize("name", sorted(losses.LOSSES))
def test_loss_gradient_dh(name):
    loss, y, h = _targets_and_outputs(name, np.random.default_rng(7))
    assert gradcheck.check_loss(loss, y, h) <= TOLERANCE


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy"])
def test_fused_loss_gradient_dz(name):
    # with_logits takes z (before sigmoid/softmax) and returns dL/dz = (h - y) / N
    loss, y, _ = _targets_and_outputs(name, np.random.default_rng(8))
    z = np.random.default_rng(9).normal(size=(len(y), 1 if name.startswith("binary") else 3))
    assert gradcheck.check_loss(loss, y, z, logits=True) <= TOLERANCE


# ---------------------------------------------------------------- whole models
def _model(output_layers, input_shape=(3,), reg=None, seed=0):
    hidden = layers.Dense(4, activation="tanh", input_shape=input_shape, kernel_regularizer=reg)
    return models.Sequential([hidden] + output_layers, seed=seed)


PAIRS = {
    # name: (output layers, loss, fused?)
    "mse after linear": (lambda: [layers.Dense(2)], "mse", False),
    "mse after sigmoid": (lambda: [layers.Dense(2, activation="sigmoid")], "mse", False),
    "mse after softmax": (lambda: [layers.Dense(3, activation="softmax")], "mse", False),
    "bce after sigmoid": (lambda: [layers.Dense(1, activation="sigmoid")],
                          "binary_crossentropy", True),
    "cce after softmax": (lambda: [layers.Dense(3, activation="softmax")],
                          "categorical_crossentropy", True),
    "sparse cce after softmax": (lambda: [layers.Dense(3, activation="softmax")],
                                 "sparse_categorical_crossentropy", True),
    "cce after Dense + Activation('softmax')": (
        lambda: [layers.Dense(3), layers.Activation("softmax")], "categorical_crossentropy", True),
    # a linear output with from_logits=True: not fused, the loss takes the logits (PyTorch's way)
    "cce after linear (from_logits)": (lambda: [layers.Dense(3)], "categorical_crossentropy",
                                       False),
    "sparse cce after linear (from_logits)": (lambda: [layers.Dense(3)],
                                              "sparse_categorical_crossentropy", False),
    "bce after linear (from_logits)": (lambda: [layers.Dense(1)], "binary_crossentropy", False),
}
REGULARIZERS = {"none": None, "l1": regularizers.L1(0.01), "l2": regularizers.L2(0.01),
                "l1_l2": regularizers.L1L2(l1=0.01, l2=0.02)}


def _targets(loss, n, units, rng, lead=()):
    labels = rng.integers(0, units, size=(n,) + lead)
    if loss == "mse":
        return rng.normal(size=(n,) + lead + (units,))
    if loss == "binary_crossentropy":
        return rng.integers(0, 2, size=(n,) + lead + (1,)).astype(float)
    if loss.startswith("sparse"):
        return labels
    return np.eye(units)[labels]


@pytest.mark.parametrize("reg", sorted(REGULARIZERS))
@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_model_gradients(pair, reg):
    make_output, loss, fused = PAIRS[pair]
    model = _model(make_output(), reg=REGULARIZERS[reg])
    model.compile(optimizer="sgd", loss=losses.LOSSES[loss](from_logits=True)
                  if pair.endswith("(from_logits)") else loss)
    assert model._fused == fused          # the pair takes the path we mean to check
    rng = np.random.default_rng(10)
    x = rng.normal(size=(5, 3))
    y = _targets(loss, 5, model.output_shape[-1], rng)
    before = model.get_weights()
    errors = gradcheck.check_model(model, x, y, eps=EPS)
    assert len(errors) == 2 * len([l for l in model.layers if l.weights])
    assert max(errors.values()) <= TOLERANCE, errors
    for w, w0 in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, w0)


@pytest.mark.parametrize("loss", ["mse", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy"])
def test_model_gradients_on_sequences(loss):
    # x: (N, T, D); the output (N, T, K) has a target at every time step
    out = layers.Dense(2) if loss == "mse" else layers.Dense(3, activation="softmax")
    model = _model([out], input_shape=(4, 3), reg=regularizers.L2(0.01))
    model.compile(optimizer="sgd", loss=loss)
    rng = np.random.default_rng(11)
    x = rng.normal(size=(5, 4, 3))
    y = _targets(loss, 5, model.output_shape[-1], rng, lead=(4,))
    assert model.predict(x).shape == (5, 4, model.output_shape[-1])
    errors = gradcheck.check_model(model, x, y, eps=EPS)
    assert max(errors.values()) <= TOLERANCE, errors


def test_gradcheck_notices_a_wrong_gradient():
    # the check itself can fail: a layer whose backward forgets f'(z) is caught
    class Forgetful(layers.Dense):
        def backward(self, dout):
            return self.backward_from_z(dout.copy())       # skips dz = dout ⊙ f'(z)

    layer = built(Forgetful(3, activation="tanh"), (4,))
    errors = gradcheck.check_layer(layer, np.random.default_rng(12).normal(size=(5, 4)))
    assert errors["W"] > 1e-3
