"""The Layer base class: configuration, weights, forward and backward.

Life cycle (as in Keras):

1. ``__init__`` stores the configuration (``units``, ``activation`` …) and validates it;
2. ``build(input_shape, rng, dtype)`` creates the weights once the input size is known;
3. ``forward(x)`` computes the output and keeps in ``self.cache`` what backward will need;
4. ``backward(dout)`` takes dL/d(output), writes dL/d(weight) into ``self.grads`` and returns dL/dx.

Weights live in ``self.weights`` (name → array, e.g. ``{"W": …, "b": …}``) and are also attributes
(``self.W``); their gradients are ``self.grads[name]`` and ``self.dW``.  A model may later *rebind*
them to views of one flat buffer (see ``bind``), so layers must update gradients in place
(``self.dW[...] = …``) and read weights through the attributes at call time.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks, initializers, regularizers

__all__ = ["Layer"]


def _shape(name: str, shape) -> tuple | None:
    """Validate an ``input_shape`` such as ``(4,)`` or ``(None, 3)`` (no batch dimension)."""
    if shape is None:
        return None
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not shape:
        raise TypeError(f"{name} must be a tuple of sizes without the batch dimension, e.g. (4,) "
                        f"for 4 features. Received: {name}={shape!r}.")
    for size in shape:
        if size is not None:
            checks.positive_int(f"{name} entries", size)
    return tuple(None if s is None else int(s) for s in shape)


class Layer:
    """Base of every layer. Subclasses override ``build``, ``forward``, ``backward``."""

    #: the axes of one input sample, after the batch axis; recurrent layers take ("time", "features")
    input_axes: tuple[str, ...] = ("features",)
    #: False when nothing needs dL/dx (the model's first layer): backward may then skip it
    input_grad: bool = True

    def __init__(self, input_shape=None, name: str | None = None):
        self.input_shape = _shape("input_shape", input_shape)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name must be a string. Received: name={name!r}.")
        self.name = name
        self.built = False
        self.output_shape: tuple | None = None
        self.weights: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.regularizers: dict[str, regularizers.Regularizer] = {}
        self.cache = None

    # ---- building -------------------------------------------------------------------------------
    def build(self, input_shape: tuple, rng: np.random.Generator, dtype=np.float64) -> None:
        """Create the weights for inputs of ``input_shape`` (no batch dimension)."""
        self.input_shape = tuple(input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        self.built = True

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        return tuple(input_shape)

    def add_weight(self, name: str, shape: tuple, initializer, rng, dtype, regularizer=None):
        """Create weight ``name`` of ``shape`` and its zero gradient ``d<name>``."""
        value = np.asarray(initializers.get(initializer)(tuple(shape), rng), dtype=dtype)
        self.weights[name] = value
        self.grads[name] = np.zeros_like(value)
        if regularizer is not None:
            self.regularizers[name] = regularizer
        setattr(self, name, value)
        setattr(self, "d" + name, self.grads[name])
        return value

    def bind(self, weights: dict, grads: dict) -> None:
        """Point the weights and gradients at new arrays (views of a model's flat buffer)."""
        for name in self.weights:
            weights[name][...] = self.weights[name]
            self.weights[name], self.grads[name] = weights[name], grads[name]
            setattr(self, name, weights[name])
            setattr(self, "d" + name, grads[name])

    # ---- computing ------------------------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """dout = dL/d(output) → dL/dx (None allowed when ``input_grad`` is False)."""
        raise NotImplementedError

    def __call__(self, x, training: bool = False):
        return self.forward(x, training=training)

    # ---- describing -----------------------------------------------------------------------------
    def count_params(self) -> int:
        return int(sum(w.size for w in self.weights.values()))

    def get_config(self) -> dict:
        """Everything ``__init__`` needs to rebuild this layer (JSON-serialisable)."""
        return {"input_shape": self.input_shape, "name": self.name}

    @classmethod
    def from_config(cls, config: dict) -> "Layer":
        return cls(**config)

    def _describe(self) -> str:
        return ""

    def __repr__(self) -> str:
        inner = self._describe()
        return f"{type(self).__name__}({inner})"
