"""nnkit.quantization: symmetric per-tensor quantization, sizes in bytes, multiply-add counts.

Worked example (8 bits, levels 2^7 - 1 = 127):
    W = [[0.5, -1.27], [0.03, 0.9]]    max|W| = 1.27  →  s = 1.27 / 127 = 0.01
    q = round(W / s) = [[50, -127], [3, 90]],   Ŵ = s·q = W (every weight is a whole step here)
"""
import numpy as np
import pytest

from nnkit import layers, models
from nnkit.quantization import multiply_adds, quantize, quantize_array, size_in_bytes


def small_model(seed=0, compiled=True):
    model = models.Sequential([layers.Dense(8, input_shape=(64,), activation="relu"),
                               layers.Dense(3, activation="softmax")], seed=seed)
    if compiled:
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    return model


def test_the_worked_example():
    q, s = quantize_array(np.array([[0.5, -1.27], [0.03, 0.9]]), bits=8)
    assert s == pytest.approx(0.01)
    assert q.dtype == np.int8
    np.testing.assert_array_equal(q, [[50, -127], [3, 90]])


@pytest.mark.parametrize("bits", [2, 3, 4, 8, 12, 16])
def test_every_weight_moves_by_at_most_half_a_step_and_the_largest_lands_on_the_last_level(bits):
    W = np.random.default_rng(bits).normal(0, 0.3, (40, 17))
    q, s = quantize_array(W, bits)
    levels = 2 ** (bits - 1) - 1
    assert s == pytest.approx(np.abs(W).max() / levels)
    assert np.abs(W - s * q).max() <= s / 2 + 1e-12
    assert np.abs(q).max() == levels and np.abs(q).min() >= 0
    assert q[np.unravel_index(np.abs(W).argmax(), W.shape)] == np.sign(W.flat[np.abs(W).argmax()]) * levels
    assert q.dtype == (np.int8 if bits <= 8 else np.int16)
    np.testing.assert_array_equal(q, np.round(W / s))         # nearest step, never truncated


def test_an_all_zero_array_gets_scale_one_and_zeros():
    q, s = quantize_array(np.zeros((3, 2)), bits=8)
    assert s == 1.0 and not q.any()


@pytest.mark.parametrize("bits", [1, 17, 0, 8.0, True, "8"])
def test_bits_outside_2_to_16_are_refused_by_name(bits):
    with pytest.raises((ValueError, TypeError), match="bits"):
        quantize_array(np.ones(3), bits)
    with pytest.raises((ValueError, TypeError), match="bits"):
        quantize(small_model(), bits)


def test_quantize_returns_a_new_model_with_s_times_q_and_leaves_the_original_alone():
    model = small_model()
    before = model.get_weights()
    small, n_bytes = quantize(model, bits=4)
    for original, after, new in zip(before, model.get_weights(), small.get_weights()):
        np.testing.assert_array_equal(original, after)           # untouched
        q, s = quantize_array(original, 4)
        np.testing.assert_allclose(new, s * q)
        assert len(np.unique(new)) <= 15                          # at most 2·7 + 1 values
    assert small is not model and small.layers[0] is not model.layers[0]
    assert [type(l) for l in small.layers] == [type(l) for l in model.layers]
    assert small.loss.name == model.loss.name and small.metrics == model.metrics


def test_sixteen_bits_predict_almost_exactly_what_the_original_predicts():
    model = small_model()
    x = np.random.default_rng(1).uniform(0, 1, (50, 64))
    small, _ = quantize(model, bits=16)
    np.testing.assert_allclose(small.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-3)
    coarse, _ = quantize(model, bits=2)
    assert np.abs(coarse.predict(x, verbose=0) - model.predict(x, verbose=0)).max() > 1e-2


def test_quantized_model_trains_and_evaluates_like_any_model():
    model = small_model()
    x = np.random.default_rng(2).uniform(0, 1, (30, 64))
    y = np.arange(30) % 3
    small, _ = quantize(model, bits=8)
    loss, accuracy = small.evaluate(x, y, verbose=0)
    assert np.isfinite(loss) and 0 <= accuracy <= 1
    small.fit(x, y, epochs=1, verbose=0)                          # its own optimizer, fresh


def test_an_uncompiled_model_gives_an_uncompiled_copy_and_an_unbuilt_one_is_refused():
    small, _ = quantize(small_model(compiled=False), bits=8)
    assert small.loss is None and small.predict(np.zeros((1, 64)), verbose=0).shape == (1, 3)
    unbuilt = models.Sequential([layers.Dense(3)])
    with pytest.raises(ValueError, match="built"):
        quantize(unbuilt)
    with pytest.raises(TypeError, match="Sequential"):
        quantize("model")


def test_size_in_bytes_counts_bits_per_weight_plus_a_four_byte_scale_per_array():
    model = small_model()                         # arrays: W1 64·8, b1 8, W2 8·3, b2 3
    sizes = [512, 8, 24, 3]
    assert size_in_bytes(model, 8) == sum(sizes) + 4 * 4 == 563
    assert size_in_bytes(model, 4) == (256 + 4 + 12 + 2) + 16          # half bytes, rounded up
    assert size_in_bytes(model, 3) == sum(-(-n * 3 // 8) for n in sizes) + 16
    assert quantize(model, bits=8).n_bytes == 563
    assert model.count_params() * 8 / size_in_bytes(model, 8) == pytest.approx(8, rel=0.03)


def test_multiply_adds_is_lesson_10s_sum_and_refuses_recurrent_layers():
    model = models.Sequential([layers.Dense(32, input_shape=(64,), activation="relu"),
                               layers.Dropout(0.2), layers.Dense(10, activation="softmax")], seed=0)
    assert multiply_adds(model) == 64 * 32 + 32 * 10
    lstm = models.Sequential([layers.LSTM(4, input_shape=(None, 3)), layers.Dense(1)], seed=0)
    with pytest.raises(ValueError, match="LSTM"):
        multiply_adds(lstm)


def test_multiply_adds_counts_conv2d_windows_and_pooling_as_free():
    # Lesson 12's CNN on 8×8×1 digits: conv 8·8 outputs × 3·3·1·16, pool 0,
    # conv 4·4 outputs × 3·3·16·32, dense 512·10.
    cnn = models.Sequential([layers.Input(shape=(8, 8, 1)),
                             layers.Conv2D(16, 3, padding="same", activation="relu"),
                             layers.MaxPooling2D(2),
                             layers.Conv2D(32, 3, padding="same", activation="relu"),
                             layers.Flatten(), layers.Dense(10, activation="softmax")], seed=0)
    assert multiply_adds(cnn) == 8 * 8 * 9 * 16 + 4 * 4 * 9 * 16 * 32 + 512 * 10 == 88_064
    # 'valid' padding and a stride shrink H'·W': 9×9 → 4×4 with a 3×3 window, stride 2.
    strided = models.Sequential([layers.Conv2D(5, (3, 2), strides=2, input_shape=(9, 9, 2))],
                                seed=0)
    assert strided.layers[0].output_shape == (4, 4, 5)
    assert multiply_adds(strided) == 4 * 4 * 3 * 2 * 2 * 5


def test_size_in_bytes_accepts_32_bits_as_plain_float32_and_quantize_does_not():
    model = small_model()
    assert size_in_bytes(model, 32) == 4 * model.count_params()          # no scale: not quantized
    with pytest.raises(ValueError, match=r"2 to 16\b.*size_in_bytes\(model, 32\)"):
        quantize(model, bits=32)
    for bits in (0, 1, 17, 31, 33):
        with pytest.raises(ValueError, match=r"from 2 to 16, or 32"):
            size_in_bytes(model, bits)
        with pytest.raises(ValueError, match=r"from 2 to 16 ") as caught:
            quantize_array(np.ones(3), bits)
        assert "1 or more" not in str(caught.value)
