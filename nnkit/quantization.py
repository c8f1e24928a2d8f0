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
    multiply_adds(model)         → multiply-adds of one sample's forward pass (Dense layers)
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from nnkit import checks, losses, optimizers
from nnkit.layers import LAYERS, Dense
from nnkit.models import Sequential

__all__ = ["QuantizedModel", "quantize", "quantize_array", "size_in_bytes", "multiply_adds"]

SCALE_BYTES = 4          # one float32 scale s per weight array


class QuantizedModel(NamedTuple):
    """``quantize``'s answer: the new model (weights Ŵ = s·q) and the bytes its weights need."""
    model: Sequential
    n_bytes: int


def _bits(bits) -> int:
    bits = checks.positive_int("bits", bits)
    if not 2 <= bits <= 16:
        raise ValueError(f"bits must be from 2 to 16 (8 is the usual choice; 32 would be float32, "
                         f"no quantization). Received: bits={bits}.")
    return bits


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

    (For comparison: float32 is 4 bytes per weight, nnkit's default float64 is 8.)
    """
    bits = _bits(bits)
    weights = model.get_weights()
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
    """Multiply-adds of one sample's forward pass: Σ over Dense layers of n_in · n_out.

    (Lesson 10's formula C = Σ_l n_{l-1} n_l.)  Layers without weights (Activation, Dropout,
    Flatten) cost none here; any other layer with weights is refused — count it by hand.
    """
    if not model.built:
        raise ValueError("multiply_adds needs a built model: give the first layer an input_shape.")
    total = 0
    for layer in model.layers:
        if isinstance(layer, Dense):
            total += layer.W.size                   # n_in · n_out products, each added to a sum
        elif layer.weights:
            raise ValueError(f"multiply_adds counts Dense layers only; {layer.name} is a "
                             f"{type(layer).__name__}. For an LSTM, count 4·(D + H)·H per time step.")
    return int(total)
