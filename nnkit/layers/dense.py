"""Dense (fully connected) layer and a stand-alone Activation layer.

The lesson's forward pass (§3.1) for one layer, for a batch of N samples at once:

    z = x @ W + b          x: (N, D)   W: (D, H)   b: (H,)   z: (N, H)
    h = f(z)               h: (N, H)

and its backward pass, the chain rule in array form, given dout = dL/dh of shape (N, H):

    dz = dout ⊙ f'(z)      (N, H)
    dW = xᵀ @ dz           (D, H)
    db = Σ_n dz            (H,)
    dx = dz @ Wᵀ           (N, D)

Inputs with more leading axes, e.g. (N, T, D) after a recurrent layer with
``return_sequences=True``, are treated as N·T rows: the same W is applied at every time step.
"""
from __future__ import annotations

import numpy as np

from nnkit import activations, checks, initializers, regularizers
from nnkit.keras_names import refuse
from nnkit.layers.base import Layer

__all__ = ["Dense", "Activation"]


class Dense(Layer):
    """``h = activation(x @ W + b)`` with ``units`` outputs.

    >>> Dense(64, activation="relu", input_shape=(4,))
    Dense(units=64, activation='relu')
    """

    def __init__(self, units: int | None = None, activation=None, input_shape=None,
                 kernel_initializer="glorot_uniform", use_bias: bool = True,
                 kernel_regularizer=None, name: str | None = None, input_dim: int | None = None,
                 **kwargs):
        refuse("Dense", kwargs)
        if input_dim is not None:                  # Keras's Dense(32, input_dim=2)
            if input_shape is not None:
                raise ValueError("Give either input_shape or input_dim, not both. Received: "
                                 f"input_shape={input_shape!r}, input_dim={input_dim!r}.")
            input_shape = (checks.positive_int("input_dim", input_dim),)
        self.units = checks.positive_int("units", units)
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.use_bias = checks.boolean("use_bias", use_bias)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        super().__init__(input_shape=input_shape, name=name)

    def build(self, input_shape, rng, dtype=np.float64):
        D = input_shape[-1]
        if D is None:
            raise ValueError("Dense needs a known number of input features (last axis of "
                             f"input_shape). Received input_shape={input_shape}.")
        self.add_weight("W", (D, self.units), self.kernel_initializer, rng, dtype,
                        self.kernel_regularizer)
        if self.use_bias:
            self.add_weight("b", (self.units,), "zeros", rng, dtype)
        super().build(input_shape, rng, dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    @property
    def input_axes(self):
        """("features",), or ("time", "features") when given samples of shape (T, D)."""
        rank = 1 if self.input_shape is None else len(self.input_shape)
        return ("time",) * (rank - 1) + ("features",)

    def forward(self, x, training=False):
        """x: (N, ..., D) → h: (N, ..., H)."""
        lead = x.shape[:-1]
        x2 = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])      # (N·…, D)
        z = x2 @ self.W
        if self.use_bias:
            z += self.b
        h = self.activation.forward(z)
        self.cache = (x2, z, h, lead)
        return h if x.ndim == 2 else h.reshape(lead + (self.units,))

    def forward_logits(self, x):
        """Training with a fused loss: z = x @ W + b as rows (N·…, H), no activation — the loss
        applies the softmax/sigmoid itself (``with_logits``), so it is not computed twice."""
        lead = x.shape[:-1]
        x2 = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
        z = x2 @ self.W
        if self.use_bias:
            z += self.b
        self.cache = (x2, z, None, lead)
        return z

    def backward(self, dout):
        """dout: (N, ..., H) = dL/dh → dx: (N, ..., D); fills dW, db."""
        _, z, h, _ = self.cache
        if dout.ndim != 2:                             # (N, T, H) → rows (N·T, H)
            dout = dout.reshape(z.shape)
        return self.backward_from_z(self.activation.backward(dout, z, h))

    def backward_from_z(self, dz):
        """The linear part of backward, given dz = dL/dz: (N·…, H).

        A loss fused with this layer's activation (softmax + cross-entropy) starts here.
        """
        x2, _, _, lead = self.cache
        np.dot(x2.T, dz, out=self.dW)                  # dW = xᵀ dz
        if self.use_bias:
            np.add.reduce(dz, axis=0, out=self.db)     # db = Σ_n dz  (= dz.sum(axis=0))
        if not self.input_grad:                        # first layer: nobody needs dx
            return None
        dx = dz @ self.W.T                             # dx = dz Wᵀ
        return dx if len(lead) == 1 else dx.reshape(lead + (x2.shape[1],))

    @property
    def logits(self) -> np.ndarray:
        """The last forward pass's z = x @ W + b, as (N·…, H)."""
        return self.cache[1]

    def get_config(self):
        return super().get_config() | {
            "units": self.units,
            "activation": self.activation.get_config(),
            "kernel_initializer": initializers.name_of(self.kernel_initializer),
            "use_bias": self.use_bias,
            "kernel_regularizer": (None if self.kernel_regularizer is None
                                   else self.kernel_regularizer.get_config()),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["activation"] = activations.from_config(config["activation"])
        if config["kernel_regularizer"] is not None:
            config["kernel_regularizer"] = regularizers.Regularizer(**config["kernel_regularizer"])
        return cls(**config)

    def _describe(self):
        return f"units={self.units}, activation={self.activation.name!r}"


class Activation(Layer):
    """Applies an activation on its own: ``h = f(x)``; no weights."""

    def __init__(self, activation, input_shape=None, name: str | None = None, **kwargs):
        refuse("Activation", kwargs)
        self.activation = activations.get(activation)
        super().__init__(input_shape=input_shape, name=name)

    def forward(self, x, training=False):
        h = self.activation.forward(x)
        self.cache = (x, h)
        return h

    def forward_logits(self, x):
        """Training with a fused loss: the input z as rows, no activation (see Dense)."""
        self.cache = (x, None)
        return x.reshape(-1, x.shape[-1])

    def backward(self, dout):
        x, h = self.cache
        return self.activation.backward(dout, x, h)

    @property
    def logits(self) -> np.ndarray:
        """The last input z, as rows (N·…, K)."""
        x = self.cache[0]
        return x.reshape(-1, x.shape[-1])

    def backward_from_z(self, dz):
        """dz: (N·…, K), already dL/dz (fused loss) → dx of the input's shape."""
        return dz.reshape(self.cache[0].shape)

    def get_config(self):
        return super().get_config() | {"activation": self.activation.get_config()}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["activation"] = activations.from_config(config["activation"])
        return cls(**config)

    def _describe(self):
        return f"{self.activation.name!r}"
