"""Layers without weights that reshape or regularize: ``Input``, ``Dropout`` and ``Flatten``.

``Input(shape=(4,))`` is not a layer that computes anything: as the first entry of a
``Sequential`` it only states the shape of one sample, as in Keras 3::

    Sequential([Input(shape=(4,)), Dense(8, activation="relu"), Dense(3, activation="softmax")])

**Dropout** (Srivastava et al., 2014), only while training: each input value is kept with
probability ``1 - rate`` and the kept ones are scaled by ``1 / (1 - rate)`` so the expected value is
unchanged ("inverted dropout")::

    mask = (u >= rate) / (1 - rate)     u ~ Uniform(0, 1), same shape as x: (N, …)
    h    = x ⊙ mask                     backward: dx = dout ⊙ mask

At inference (``predict``, ``evaluate``) it passes x through unchanged.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.keras_names import refuse
from nnkit.layers.base import Layer, _shape

__all__ = ["Input", "Dropout", "Flatten"]


class Input:
    """The shape of one sample, without the batch axis: ``Input(shape=(4,))`` or ``(None, 3)``.

    Put it first in ``Sequential([...])``; the next layer gets it as its ``input_shape``.
    """

    def __init__(self, shape=None, batch_size=None, name: str | None = None, **kwargs):
        if shape is None:
            raise TypeError("Input needs shape=, the shape of one sample without the batch axis, "
                            "e.g. Input(shape=(4,)) for 4 features or Input(shape=(None, 3)) for "
                            "sequences of 3 features.")
        refuse("Input", kwargs)
        self.shape = _shape("shape", shape)
        self.name = name

    def __repr__(self):
        return f"Input(shape={self.shape})"


class Dropout(Layer):
    """Sets a random fraction ``rate`` of its inputs to 0 during training; identity otherwise.

    >>> Dropout(0.5)
    Dropout(rate=0.5)

    ``seed`` fixes the masks; ``seed=None`` takes one from the model's seed when it is built.
    """

    def __init__(self, rate: float, seed: int | None = None, input_shape=None,
                 name: str | None = None, **kwargs):
        refuse("Dropout", kwargs)
        self.rate = checks.fraction("rate", rate)          # the fraction dropped, in [0, 1)
        self.seed = None if seed is None else checks.non_negative_int("seed", seed)
        self.rng = None                            # drawn at build: the same masks after reset
        super().__init__(input_shape=input_shape, name=name)

    @property
    def input_axes(self):
        rank = 1 if self.input_shape is None else len(self.input_shape)
        return ("time",) * (rank - 1) + ("features",)

    def build(self, input_shape, rng, dtype=np.float64):
        seed = self.seed if self.seed is not None else int(rng.integers(2**31))  # model's seed
        self.rng = np.random.default_rng(seed)
        super().build(input_shape, rng, dtype)

    def forward(self, x, training=False):
        """x: (N, …) → x ⊙ mask while training (mask kept for backward), x otherwise."""
        if not training or self.rate == 0:
            self.cache = None
            return x
        if self.rng is None:                       # used outside a model: seeded by ``seed``
            self.rng = np.random.default_rng(self.seed)
        mask = (self.rng.random(x.shape) >= self.rate).astype(x.dtype)
        mask *= 1.0 / (1.0 - self.rate)
        self.cache = mask
        return x * mask

    def backward(self, dout):
        """dx = dout ⊙ mask (the same mask as the forward pass)."""
        return dout if self.cache is None else dout * self.cache

    def get_config(self):
        return super().get_config() | {"rate": self.rate, "seed": self.seed}

    def _describe(self):
        return f"rate={self.rate}"


class Flatten(Layer):
    """Joins every axis after the batch axis into one: (N, d1, d2, …) → (N, d1·d2·…)."""

    def __init__(self, input_shape=None, name: str | None = None, **kwargs):
        refuse("Flatten", kwargs)
        super().__init__(input_shape=input_shape, name=name)

    @property
    def input_axes(self):
        rank = 1 if self.input_shape is None else len(self.input_shape)
        return ("time",) * (rank - 1) + ("features",)

    def compute_output_shape(self, input_shape):
        if any(s is None for s in input_shape):
            raise ValueError(f"Flatten needs every axis of its input known; received input_shape="
                             f"{tuple(input_shape)}. A sequence of any length (None) cannot be "
                             f"flattened: use an LSTM with return_sequences=False instead.")
        return (int(np.prod(input_shape)),)

    def forward(self, x, training=False):
        self.cache = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dout):
        return dout.reshape(self.cache)
