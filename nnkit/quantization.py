"""Smaller networks for small devices (§6.2 compute and edge devices, 边缘设备): counting the work,
and storing the weights in 8 bits instead of 64.

**Symmetric per-tensor quantization** (量化) to b bits keeps one float, the scale s, per weight
array W and replaces every weight by a small integer q::

    s = max|W| / (2^(b-1) - 1)                       e.g. b = 8:  s = max|W| / 127
    q = clip(round(W / s), -(2^(b-1) - 1), 2^(b-1) - 1)      an integer in [-127, 127]
    Ŵ = s · q                                        what the quantized network computes with

Each weight then moves by at most s / 2 (half a step), and the array takes b bits per weight plus
one 4-byte float for s.  Source: Krishnamoorthi (2018), "Quantizing deep convolutional networks for
efficient inference: A whitepaper", arXiv:1806.08342, §2 (symmetric uniform quantizer); Nagel et al.
(2021), "A White Paper on Neural Network Quantization", arXiv:2106.08295, §2.

This module quantizes the *weights* only and computes with Ŵ in floating point ("fake
quantization"), which gives the accuracy the integer network would have; real int8 inference also
quantizes the activations and multiplies integers.  Every weight array is quantized, biases too
(real deployments often keep biases in 32 bits; they are few).

    quantize(model, bits=8)      → QuantizedModel(model, n_bytes): a new model with Ŵ, its size
    quantize_array(W, bits=8)    → (q, s)
    size_in_bytes(model, bits)   → bytes to store the weights at ``bits`` per weight
    multiply_adds(model)         → multiply-adds of one sample's forward pass (Dense, Conv2D)
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from nnkit import checks, losses, optimizers
from nnkit.layers import LAYERS, Conv2D, Dense
from nnkit.models import Sequential

__all__ = ["QuantizedModel", "quantize", "quantize_array", "size_in_bytes", "multiply_adds"]

SCALE_BYTES = 4          # one float32 scale s per weight array


class QuantizedModel(NamedTuple):
    """``quantize``'s answer: the new model (weights Ŵ = s·q) and the bytes its weights need."""
    model: Sequential
    n_bytes: int


def _bits(bits, float32: bool = False) -> int:
    """``bits`` checked: an integer from 2 to 16 (and 32, plain float32, when ``float32``)."""
    allowed = "2 to 16, or 32 for plain float32" if float32 else "2 to 16"
    if isinstance(bits, bool) or not isinstance(bits, numbers.Integral):
        raise TypeError(f"bits must be an integer from {allowed}. Received: bits={bits!r} "
                        f"(type {type(bits).__name__}).")
    if not (2 <= bits <= 16 or (float32 and bits == 32)):
        hint = ("" if float32 else " For the float32 size without quantizing, use "
                "size_in_bytes(model, 32).")
        raise ValueError(f"bits must be an integer from {allowed} (8 is the usual choice).{hint} "
                         f"Received: bits={bits}.")
    return int(bits)


def quantize_array(w, bits: int = 8) -> tuple[np.ndarray, float]:
    """Symmetric quantization of one weight array: w (any shape) → (q same shape, integers; s).

    s = max|w| / (2^(b-1) - 1); q = clip(round(w / s), ±(2^(b-1) - 1)).  An all-zero w gets s = 1.
    q is int8 for b ≤ 8, int16 above.  ``s * q`` is the quantized w.
    """
    bits = _bits(bits)
    w = checks.finite_array("w", w, allow_empty=True)
    levels = 2 ** (bits - 1) - 1                          # 127 for 8 bits
    largest = float(np.abs(w).max()) if w.size else 0.0
    scale = largest / levels if largest > 0 else 1.0
    q = np.clip(np.round(w / scale), -levels, levels)
    return q.astype(np.int8 if bits <= 8 else np.int16), scale


def size_in_bytes(model, bits: int = 8) -> int:
    """Bytes to store every weight of ``model`` at ``bits`` bits, plus one 4-byte scale per array.

    ``bits`` from 2 to 16, or 32: plain float32, 4 bytes per weight and no scale (nnkit's default
    float64 is 8 bytes per weight).
    """
    bits = _bits(bits, float32=True)
    weights = model.get_weights()
    if bits == 32:
        return int(sum(4 * w.size for w in weights))
    return int(sum(math.ceil(w.size * bits / 8) + SCALE_BYTES for w in weights))


def _copy(model: Sequential) -> Sequential:
    """A new Sequential with the same layers, weights and compile settings (no optimizer state)."""
    if not model.built:
        raise ValueError("quantize needs a built model: give the first layer an input_shape, or "
                         "call fit/predict once.")
    layers = []
    for layer in model.layers:
        config = dict(layer.get_config())
        if config.get("input_shape") is not None:
            config["input_shape"] = tuple(config["input_shape"])
        layers.append(LAYERS[type(layer).__name__].from_config(config))
    copy = Sequential(layers, seed=model.seed, dtype=model.dtype.name, name=model.name)
    if model.loss is not None:
        copy.compile(optimizer=optimizers.from_config(model.optimizer.get_config()),
                     loss=losses.LOSSES[model.loss.name](from_logits=model.loss.from_logits),
                     metrics=list(model.metrics))
    return copy


def quantize(model: Sequential, bits: int = 8) -> QuantizedModel:
    """A copy of ``model`` whose every weight array W is replaced by Ŵ = s·q at ``bits`` bits.

    The original is untouched.  Returns ``QuantizedModel(model, n_bytes)``; unpack it as
    ``small, n_bytes = quantize(model, bits=8)`` and evaluate ``small`` like any model.
    """
    bits = _bits(bits)
    if not isinstance(model, Sequential):
        raise TypeError(f"model must be an nnkit Sequential. Received: {type(model).__name__}.")
    copy = _copy(model)
    new_weights = []
    for w in model.get_weights():
        q, scale = quantize_array(w, bits)
        new_weights.append(scale * q.astype(w.dtype))
    copy.set_weights(new_weights)
    return QuantizedModel(copy, size_in_bytes(model, bits))


def multiply_adds(model: Sequential) -> int:
    """Multiply-adds of one sample's forward pass.

    Dense: n_in · n_out (lesson 10's C = Σ_l n_{l-1} n_l).  Conv2D: H'·W'·k_h·k_w·C·F — each of
    the H'·W'·F outputs is a sum of k_h·k_w·C products.  MaxPooling2D, Activation, Dropout,
    Flatten: 0 (comparisons or copies, no multiplications).  Any other layer with weights (an
    LSTM) is refused — count it by hand.
    """
    if not model.built:
        raise ValueError("multiply_adds needs a built model: give the first layer an input_shape.")
    total = 0
    for layer in model.layers:
        if isinstance(layer, Dense):
            total += layer.W.size                   # n_in · n_out products, each added to a sum
        elif isinstance(layer, Conv2D):
            Ho, Wo, _ = layer.output_shape
            total += Ho * Wo * layer.K.size         # H'·W' windows × (k_h·k_w·C·F)
        elif layer.weights:
            raise ValueError(f"multiply_adds counts Dense and Conv2D layers only; {layer.name} is "
                             f"a {type(layer).__name__}. For an LSTM, count 4·(D + H)·H per time "
                             f"step.")
    return int(total)
