"""Tests for nnkit.layers.conv (Conv2D, MaxPooling2D) and nnkit.saliency.input_gradients.

Each promise is checked against an independent computation: scipy.signal.correlate2d for the
convolution, plain loops over windows for max pooling, central finite differences for every
gradient, and Keras's output-size rule written out by hand.
"""
import math

import numpy as np
import pytest
from scipy.signal import correlate2d

from nnkit import Sequential, gradcheck, load_model
from nnkit.optimizers import Adam
from nnkit.layers import LAYERS, Conv2D, Dense, Flatten, Input, MaxPooling2D
from nnkit.saliency import input_gradients

PADDINGS = ["valid", "same"]
STRIDES = [1, 2, (2, 1), 3]


def keras_pad(n, k, s, padding):
    """(before, after, output size) along one axis, Keras/TensorFlow's rule."""
    if padding == "valid":
        return 0, 0, (n - k) // s + 1
    out = math.ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2, out


def conv_by_scipy(x, K, b, stride, padding):
    """z[n, :, :, f] = b_f + Σ_c correlate2d(x[n, :, :, c], K[:, :, c, f]) at every s-th position."""
    N, H, W, C = x.shape
    kh, kw, _, F = K.shape
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    t, bt, Ho = keras_pad(H, kh, sh, padding)
    l, r, Wo = keras_pad(W, kw, sw, padding)
    out = np.zeros((N, Ho, Wo, F))
    for n in range(N):
        for f in range(F):
            total = sum(correlate2d(np.pad(x[n, :, :, c], ((t, bt), (l, r))), K[:, :, c, f],
                                    mode="valid") for c in range(C))
            out[n, :, :, f] = total[::sh, ::sw][:Ho, :Wo] + b[f]
    return out


def pool_by_loops(x, p, stride, padding):
    N, H, W, C = x.shape
    sh, sw = stride
    t, _, Ho = keras_pad(H, p[0], sh, padding)
    l, _, Wo = keras_pad(W, p[1], sw, padding)
    out = np.empty((N, Ho, Wo, C))
    for i in range(Ho):
        for j in range(Wo):
            r0, c0 = i * sh - t, j * sw - l
            window = x[:, max(r0, 0):r0 + p[0], max(c0, 0):c0 + p[1], :]
            out[:, i, j, :] = window.max(axis=(1, 2))
    return out


# ---- forward against independent computations ----------------------------------------------------
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("kernel", [3, (2, 3), 1])
def test_conv_forward_matches_scipy_correlate2d(padding, stride, kernel):
    rng = np.random.default_rng(0)
    layer = Conv2D(4, kernel, strides=stride, padding=padding)
    layer.build((7, 8, 3), rng)
    layer.b[...] = rng.normal(size=4)
    x = rng.normal(size=(2, 7, 8, 3))
    np.testing.assert_allclose(layer.forward(x), conv_by_scipy(x, layer.K, layer.b, stride, padding),
                               atol=1e-12)
    assert layer.forward(x).shape[1:] == layer.output_shape


def test_conv_one_value_by_hand():
    """One 3 × 3 patch times the kernel, summed, plus the bias — the lesson's hand computation."""
    x = np.arange(16, dtype=float).reshape(1, 4, 4, 1)
    layer = Conv2D(1, 3)
    layer.build((4, 4, 1), np.random.default_rng(0))
    layer.K[..., 0, 0] = [[1, 0, -1], [1, 0, -1], [1, 0, -1]]
    layer.b[...] = 0.5
    # patch at (0, 1): rows 0-2, columns 1-3 → Σ (col 1 - col 3) = 3 · (-2) = -6, plus 0.5
    assert layer.forward(x)[0, 0, 1, 0] == pytest.approx(-5.5)


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("pool, stride", [(2, None), (3, None), ((2, 3), (1, 2)), (3, 2), (2, 1)])
def test_max_pooling_matches_loops(padding, pool, stride):
    x = np.random.default_rng(1).normal(size=(3, 7, 9, 2))
    layer = MaxPooling2D(pool, strides=stride, padding=padding)
    layer.build(x.shape[1:], None)
    p = layer.pool_size
    np.testing.assert_array_equal(layer.forward(x), pool_by_loops(x, p, layer.strides, padding))


# ---- gradients against finite differences -------------------------------------------------------
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("stride", STRIDES)
@pytest.mark.parametrize("activation, use_bias", [(None, True), ("tanh", False)])
def test_conv_gradients(padding, stride, activation, use_bias):
    rng = np.random.default_rng(2)
    layer = Conv2D(3, (3, 2), strides=stride, padding=padding, activation=activation,
                   use_bias=use_bias)
    layer.build((7, 6, 2), rng)
    errors = gradcheck.check_layer(layer, rng.normal(size=(2, 7, 6, 2)))
    assert set(errors) == {"x", "K"} | ({"b"} if use_bias else set())
    assert max(errors.values()) < 1e-5, errors


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("pool, stride", [(2, None), (3, None), ((2, 3), (1, 2)), (3, 2), (2, 1)])
def test_max_pooling_gradients(padding, pool, stride):
    rng = np.random.default_rng(3)
    layer = MaxPooling2D(pool, strides=stride, padding=padding)
    layer.build((7, 6, 2), rng)
    # distinct values far apart: a ±ε step never changes which one is the maximum
    x = rng.permutation(2 * 7 * 6 * 2).reshape(2, 7, 6, 2) * 0.1
    errors = gradcheck.check_layer(layer, x)
    assert errors["x"] < 1e-6, errors


def test_max_pooling_sends_gradient_to_the_maximum_only():
    x = np.array([[1., 5.], [3., 2.]]).reshape(1, 2, 2, 1)
    layer = MaxPooling2D(2)
    layer.build((2, 2, 1), None)
    assert layer.forward(x).item() == 5.0
    np.testing.assert_array_equal(layer.backward(np.full((1, 1, 1, 1), 7.0))[0, :, :, 0],
                                  [[0, 7], [0, 0]])


def test_model_gradients_through_conv_pool_flatten_dense():
    model = Sequential([Input(shape=(6, 6, 1)), Conv2D(2, 3, padding="same", activation="relu"),
                        MaxPooling2D(2), Conv2D(3, 2, activation="tanh"), Flatten(),
                        Dense(3, activation="softmax")], seed=0)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(4).normal(size=(5, 6, 6, 1))
    errors = gradcheck.check_model(model, x, np.array([0, 1, 2, 1, 0]))
    assert max(errors.values()) < 1e-5, errors


# ---- shapes, parameters, saving ------------------------------------------------------------------
@pytest.mark.parametrize("layer, shape, expected", [
    (Conv2D(8, 3), (8, 8, 1), (6, 6, 8)),
    (Conv2D(8, 3, padding="same"), (8, 8, 1), (8, 8, 8)),
    (Conv2D(4, 3, strides=2), (8, 8, 3), (3, 3, 4)),
    (Conv2D(4, 3, strides=2, padding="same"), (7, 8, 3), (4, 4, 4)),
    (Conv2D(5, (1, 4)), (3, 9, 2), (3, 6, 5)),
    (MaxPooling2D(), (8, 8, 8), (4, 4, 8)),
    (MaxPooling2D(2), (7, 7, 3), (3, 3, 3)),
    (MaxPooling2D(2, padding="same"), (7, 7, 3), (4, 4, 3)),
    (MaxPooling2D(3, strides=1), (5, 6, 2), (3, 4, 2)),
])
def test_output_shapes_follow_keras(layer, shape, expected):
    assert layer.compute_output_shape(shape) == expected


def test_parameter_count_and_summary():
    model = Sequential([Input(shape=(8, 8, 1)), Conv2D(8, 3, padding="same", activation="relu"),
                        MaxPooling2D(2), Conv2D(16, 3, activation="relu"), Flatten(),
                        Dense(10, activation="softmax")], seed=0)
    counts = [layer.count_params() for layer in model.layers]
    assert counts == [3 * 3 * 1 * 8 + 8, 0, 3 * 3 * 8 * 16 + 16, 0, 2 * 2 * 16 * 10 + 10]
    lines = []
    model.summary(print_fn=lines.append)
    assert "conv2d (Conv2D)" in lines[0] and "(None, 4, 4, 8)" in lines[0]
    assert "max_pooling2d (MaxPooling2D)" in lines[0]
    assert f"Total params: {sum(counts):,}" in lines[0]
    assert model.layers[0].K.shape == (3, 3, 1, 8)            # Keras's kernel layout


def test_save_and_load_round_trip(tmp_path):
    model = Sequential([Conv2D(3, (3, 2), strides=(2, 1), padding="same", activation="relu",
                               input_shape=(8, 8, 1)),
                        MaxPooling2D((2, 1), strides=1, padding="same"), Flatten(),
                        Dense(4, activation="softmax")], seed=3)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(5).random((6, 8, 8, 1))
    model.fit(x, np.arange(6) % 4, epochs=2, verbose=0)
    model.save(tmp_path / "cnn.npz")
    again = load_model(tmp_path / "cnn.npz")
    assert [type(l).__name__ for l in again.layers] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]
    assert again.layers[0].strides == (2, 1) and again.layers[1].pool_size == (2, 1)
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    assert LAYERS["Conv2D"] is Conv2D and LAYERS["MaxPooling2D"] is MaxPooling2D


def test_training_lowers_the_loss():
    """Vertical vs horizontal bars: a tiny CNN learns them (loss falls below half its start)."""
    rng = np.random.default_rng(6)
    x = rng.normal(scale=0.1, size=(40, 6, 6, 1))
    y = np.arange(40) % 2
    for n in range(40):
        k = rng.integers(6)
        if y[n]:
            x[n, :, k, 0] += 1
        else:
            x[n, k, :, 0] += 1
    model = Sequential([Conv2D(2, 3, activation="relu", input_shape=(6, 6, 1)), Flatten(),
                        Dense(2, activation="softmax")], seed=0)
    model.compile(optimizer=Adam(learning_rate=0.02), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, y, epochs=40, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] == 1.0


# ---- errors ------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, error, words", [
    (lambda: Conv2D(0, 3), ValueError, "filters"),
    (lambda: Conv2D(8), TypeError, "kernel_size"),
    (lambda: Conv2D(8, (3, 3, 3)), ValueError, "kernel_size"),
    (lambda: Conv2D(8, 3, strides=0), ValueError, "strides"),
    (lambda: Conv2D(8, 3, padding="full"), ValueError, "padding"),
    (lambda: Conv2D(8, 3, use_bias="yes"), TypeError, "use_bias"),
    (lambda: Conv2D(8, 3, activation="swish!"), ValueError, "swish!"),
    (lambda: Conv2D(8, 3, data_format="channels_first"), TypeError, "data_format"),
    (lambda: Conv2D(8, 5, input_shape=(4, 4, 1)), ValueError, "larger than the image"),
    (lambda: Conv2D(8, 3, input_shape=(8, 8)), ValueError, "(height, width, channels)"),
    (lambda: MaxPooling2D(0), ValueError, "pool_size"),
    (lambda: MaxPooling2D(2, padding="SAME"), ValueError, "padding"),
    (lambda: MaxPooling2D(2.5), TypeError, "pool_size"),
    (lambda: MaxPooling2D(9, input_shape=(8, 8, 1)), ValueError, "larger than the image"),
])
def test_bad_arguments_name_the_parameter(make, error, words):
    with pytest.raises(error) as info:
        make()
    assert words in str(info.value)


@pytest.mark.parametrize("make, given", [
    (lambda: Conv2D(8, 3, strides=(0, 1)), "strides=(0, 1)"),
    (lambda: Conv2D(8, (3, -2)), "kernel_size=(3, -2)"),
    (lambda: MaxPooling2D((2, 0)), "pool_size=(2, 0)"),
    (lambda: MaxPooling2D(2, strides=[1, 0]), "strides=(1, 0)"),
])
def test_a_bad_pair_is_reported_as_given(make, given):
    with pytest.raises(ValueError) as info:
        make()
    assert f"Received: {given}." in str(info.value)
    assert "pair of positive integers" in str(info.value)


def test_a_pair_with_a_non_integer_stays_a_type_error():
    with pytest.raises(TypeError, match=r"Received: strides=\(1, 1\.5\)"):
        Conv2D(8, 3, strides=(1, 1.5))


@pytest.mark.parametrize("make", [lambda: Conv2D(2, 3), lambda: Dense(3)])
def test_gradcheck_builds_an_unbuilt_layer_from_x(make):
    x = np.random.default_rng(1).normal(size=(2, 5, 5, 1))
    layer = make()
    if isinstance(layer, Dense):
        x = x.reshape(2, -1)
    errors = gradcheck.check_layer(layer, x, seed=3)
    assert layer.built and layer.input_shape == x.shape[1:]
    assert set(errors) == {"x"} | set(layer.weights) and max(errors.values()) < 1e-6
    again = make()
    gradcheck.check_layer(again, x, seed=3)                 # the seed fixes the weights
    for name, w in layer.weights.items():
        np.testing.assert_array_equal(w, again.weights[name])


def test_gradcheck_refuses_x_without_a_batch_axis():
    with pytest.raises(ValueError, match=r"batch x of shape \(N, …\)"):
        gradcheck.check_layer(Dense(2), np.zeros(4))


def test_input_of_the_wrong_rank_is_refused():
    model = Sequential([Conv2D(2, 3, input_shape=(8, 8, 1)), Flatten(), Dense(2)], seed=0)
    with pytest.raises(ValueError, match="4-D input"):
        model.predict(np.zeros((3, 64)))
    with pytest.raises(ValueError, match="3 channels per sample, but the model expects 1 channels"):
        model.predict(np.zeros((3, 8, 8, 3)))


# ---- saliency ----------------------------------------------------------------------------------
def test_input_gradients_match_finite_differences_of_the_logit():
    model = Sequential([Input(shape=(6, 6, 1)), Conv2D(2, 3, activation="tanh", padding="same"),
                        MaxPooling2D(2), Flatten(), Dense(3, activation="softmax")], seed=0)
    x = np.random.default_rng(7).normal(size=(2, 6, 6, 1))
    before = model.get_weights()
    saliency = input_gradients(model, x, 1)
    dense = model.layers[-1]

    def logit_sum():                     # S_1 = z_1, the score before the softmax, summed over n
        out = x
        for layer in model.layers[:-1]:
            out = layer.forward(out)
        return float(np.sum(out @ dense.W[:, 1] + dense.b[1]))

    np.testing.assert_allclose(saliency, gradcheck.numerical_gradient(logit_sum, x), atol=1e-8)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.layers[0].input_grad is False          # restored after the call


def test_input_gradients_of_an_output_without_softmax():
    model = Sequential([Dense(2, activation="sigmoid", input_shape=(3,))], seed=0)
    x = np.array([[0.5, -1.0, 2.0]])
    h = model.predict(x)[0, 0]
    expected = h * (1 - h) * model.layers[0].W[:, 0]   # ∂σ(z_0)/∂x = σ'(z_0) W[:, 0]
    np.testing.assert_allclose(input_gradients(model, x, 0)[0], expected)


def test_input_gradients_refuse_a_class_that_is_not_there():
    model = Sequential([Dense(3, activation="softmax", input_shape=(2,))], seed=0)
    with pytest.raises(ValueError, match="class_index"):
        input_gradients(model, np.zeros((1, 2)), 3)
