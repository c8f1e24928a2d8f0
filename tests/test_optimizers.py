"""Optimizers step by step: one (or two) updates of a tiny θ with a known gradient g.

The expected numbers are computed here from the update rules as written in the lesson (and in
Keras 3), never read off nnkit.  θ = [1, -2, 0.5] and g = [0.5, -0.25, 2] throughout.
"""
import math

import numpy as np
import pytest

from nnkit import layers, models, optimizers, regularizers

THETA = [1.0, -2.0, 0.5]
G = [0.5, -0.25, 2.0]


def step(optimizer, grads, theta=THETA, sizes=None):
    """Apply one update per gradient in ``grads``; return θ after each."""
    theta = np.array(theta, dtype=float)
    optimizer.build(sizes or [theta.size])
    after = []
    for g in grads:
        optimizer.apply(theta, np.array(g, dtype=float))
        after.append(theta.copy())
    return after


# ---------------------------------------------------------------- the update rules
def test_sgd_one_step():
    # θ ← θ - α g with α = 0.1:  [1 - 0.05, -2 + 0.025, 0.5 - 0.2]
    (theta,) = step(optimizers.SGD(learning_rate=0.1), [G])
    np.testing.assert_allclose(theta, [0.95, -1.975, 0.3], rtol=1e-15)


def test_sgd_momentum_two_steps():
    # α = 0.1, μ = 0.9, v starts at 0; second gradient g2 = [1, 1, -1]
    # step 1: v = -α g       = [-0.05, 0.025, -0.2];  θ = [0.95, -1.975, 0.3]
    # step 2: v = μ v - α g2 = [-0.045 - 0.1, 0.0225 - 0.1, -0.18 + 0.1] = [-0.145, -0.0775, -0.08]
    #         θ = θ + v      = [0.805, -2.0525, 0.22]
    first, second = step(optimizers.SGD(learning_rate=0.1, momentum=0.9), [G, [1, 1, -1]])
    np.testing.assert_allclose(first, [0.95, -1.975, 0.3], rtol=1e-14)
    np.testing.assert_allclose(second, [0.805, -2.0525, 0.22], rtol=1e-14)


def test_sgd_nesterov_two_steps():
    # the same velocities, but θ moves by μ v - α g (a look-ahead along the new velocity)
    # step 1: v = [-0.05, 0.025, -0.2];       θ += 0.9 v - 0.1 g  = [-0.095, 0.0475, -0.38]
    # step 2: v = [-0.145, -0.0775, -0.08];   θ += 0.9 v - 0.1 g2 = [-0.2305, -0.16975, 0.028]
    first, second = step(optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True),
                         [G, [1, 1, -1]])
    np.testing.assert_allclose(first, [0.905, -1.9525, 0.12], rtol=1e-14)
    np.testing.assert_allclose(second, [0.905 - 0.2305, -1.9525 - 0.16975, 0.12 + 0.028],
                               rtol=1e-14)


def test_rmsprop_one_step():
    # s = ρ·0 + (1 - ρ) g²;  θ ← θ - α g / sqrt(s + ε)   (Keras: ε inside the root)
    lr, rho, eps = 0.01, 0.9, 1e-7
    (theta,) = step(optimizers.RMSprop(learning_rate=lr, rho=rho, epsilon=eps), [G])
    expected = [t - lr * g / math.sqrt((1 - rho) * g * g + eps) for t, g in zip(THETA, G)]
    np.testing.assert_allclose(theta, expected, rtol=1e-15)
    # each weight moved by ≈ α / sqrt(1 - ρ) ≈ 0.0316, whatever the size of its gradient
    np.testing.assert_allclose(np.abs(theta - THETA), lr / math.sqrt(1 - rho), rtol=1e-5)


def test_adam_keras_defaults():
    opt = optimizers.get("adam")
    assert (opt.learning_rate, opt.beta_1, opt.beta_2, opt.epsilon) == (0.001, 0.9, 0.999, 1e-7)


def test_adam_two_steps():
    lr, b1, b2, eps = 0.001, 0.9, 0.999, 1e-7
    g2 = [1.0, 1.0, -1.0]
    first, second = step(optimizers.Adam(), [G, g2])
    # written out for each weight, as in Keras 3 (ε outside the root, bias-corrected α_t)
    expected, m, v = [], [0.0] * 3, [0.0] * 3
    theta = list(THETA)
    for t, g in enumerate([G, g2], start=1):
        alpha_t = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        for i in range(3):
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2
            theta[i] -= alpha_t * m[i] / (math.sqrt(v[i]) + eps)
        expected.append(list(theta))
    np.testing.assert_allclose(first, expected[0], rtol=1e-14)
    np.testing.assert_allclose(second, expected[1], rtol=1e-14)
    # Adam's first step moves every weight by ≈ α against the sign of its gradient (a hair less:
    # ε = 1e-7 against sqrt(v) = sqrt(0.001) |g| ≈ 0.008 for the smallest g shortens it by ~1e-5)
    np.testing.assert_allclose(first - np.array(THETA), -lr * np.sign(G), rtol=5e-5)


def test_optimizer_counts_its_steps():
    opt = optimizers.Adam()
    step(opt, [G, G, G])
    assert opt.iterations == 3


# ---------------------------------------------------------------- clipping
def test_clipvalue_clips_each_entry():
    # α = 1, so θ moves by exactly the clipped gradient: [0.5, -0.25, 2] → [0.5, -0.25, 1]
    (theta,) = step(optimizers.SGD(learning_rate=1.0, clipvalue=1.0), [G])
    np.testing.assert_allclose(theta, np.array(THETA) - [0.5, -0.25, 1.0])


def test_clipnorm_rescales_each_weight_on_its_own():
    # two weights: the first has g = [3, 4] (norm 5), the second g = [0.6] (norm 0.6)
    # clipnorm = 1: the first is scaled to norm 1, [0.6, 0.8]; the second is already under 1
    theta0 = [0.0, 0.0, 0.0]
    (theta,) = step(optimizers.SGD(learning_rate=1.0, clipnorm=1.0), [[3.0, 4.0, 0.6]],
                    theta=theta0, sizes=[2, 1])
    np.testing.assert_allclose(theta, [-0.6, -0.8, -0.6])


def test_global_clipnorm_rescales_all_weights_together():
    # the same gradient, norm sqrt(9 + 16 + 0.36) = sqrt(25.36): everything scaled by 1/that
    (theta,) = step(optimizers.SGD(learning_rate=1.0, global_clipnorm=1.0), [[3.0, 4.0, 0.6]],
                    theta=[0.0, 0.0, 0.0], sizes=[2, 1])
    np.testing.assert_allclose(theta, -np.array([3.0, 4.0, 0.6]) / math.sqrt(25.36))
    assert np.linalg.norm(theta) == pytest.approx(1.0)


def test_small_gradients_are_not_clipped():
    for clip in [{"clipvalue": 5.0}, {"clipnorm": 5.0}, {"global_clipnorm": 5.0}]:
        (theta,) = step(optimizers.SGD(learning_rate=1.0, **clip), [G])
        np.testing.assert_allclose(theta, np.array(THETA) - G, err_msg=str(clip))


# ---------------------------------------------------------------- regularization in a model
def _linear_model(regularizer, learning_rate=0.1):
    """h = x W + b with W = [[1], [-2]], b = [0.5]; loss mse; plain SGD."""
    model = models.Sequential([layers.Dense(1, input_shape=(2,), kernel_regularizer=regularizer)],
                              seed=0)
    model.set_weights([np.array([[1.0], [-2.0]]), np.array([0.5])])
    model.compile(optimizer=optimizers.SGD(learning_rate=learning_rate), loss="mse")
    return model


X = np.array([[1.0, 2.0], [0.5, -1.0]])
Y = np.array([[0.0], [1.0]])
# h = X W + b = [[1 - 4 + 0.5], [0.5 + 2 + 0.5]] = [[-2.5], [3]];  h - y = [[-2.5], [2]]
# data loss = ((-2.5)² + 2²) / 2 = 5.125
# dL/dh = 2 (h - y) / N = [[-2.5], [2]];  dW = Xᵀ dL/dh = [[-2.5 + 1], [-5 - 2]] = [[-1.5], [-7]]
# db = -2.5 + 2 = -0.5
DATA_LOSS, DW, DB = 5.125, np.array([[-1.5], [-7.0]]), np.array([-0.5])
W0, B0 = np.array([[1.0], [-2.0]]), np.array([0.5])


@pytest.mark.parametrize("regularizer, penalty, dpenalty", [
    (None, 0.0, 0.0),
    # L2: 0.1 · (1² + 2²) = 0.5;  gradient 2 · 0.1 · W = [[0.2], [-0.4]]
    (regularizers.L2(0.1), 0.5, np.array([[0.2], [-0.4]])),
    # L1: 0.1 · (|1| + |-2|) = 0.3;  gradient 0.1 · sign(W) = [[0.1], [-0.1]]
    (regularizers.L1(0.1), 0.3, np.array([[0.1], [-0.1]])),
    (regularizers.L1L2(l1=0.1, l2=0.1), 0.8, np.array([[0.3], [-0.5]])),
])
def test_penalty_joins_the_loss_and_the_gradient(regularizer, penalty, dpenalty):
    model = _linear_model(regularizer)
    assert model.evaluate(X, Y, verbose=0) == pytest.approx(DATA_LOSS + penalty, rel=1e-14)
    loss = model.train_on_batch(X, Y)                          # measured before the step
    assert loss == pytest.approx(DATA_LOSS + penalty, rel=1e-14)
    W, b = model.get_weights()
    np.testing.assert_allclose(W, W0 - 0.1 * (DW + dpenalty), rtol=1e-14)
    np.testing.assert_allclose(b, B0 - 0.1 * DB, rtol=1e-14)  # biases are not penalised


def test_string_regularizers_use_keras_rate():
    assert regularizers.get("l2").l2 == 0.01
    assert regularizers.get("l1").l1 == 0.01
    W = np.array([[3.0, -4.0]])
    assert regularizers.get("l2").penalty(W) == pytest.approx(0.01 * 25)
