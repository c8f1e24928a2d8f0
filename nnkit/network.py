"""The network itself: a stack of layers as one function of one flat weight vector.

This is the half of ``Sequential`` that computes (``nnkit.models`` adds the Keras-facing half:
compile, fit, evaluate, predict, save).  One training step (lesson §3.4, the four steps of
backpropagation):

1. forward pass  — each layer in turn: ``out = layer.forward(out)``;
2. loss          — ``L, dout = loss(y, out)`` (fused with softmax/sigmoid: ``dz = (h - y) / N``);
3. backward pass — each layer in reverse: ``dout = layer.backward(dout)`` fills its dW, db;
4. update        — the optimizer moves every weight against its gradient.

All weights are views into one flat vector ``theta`` (P,) and all gradients into one flat
``grad`` (P,) (see ``_allocate``), so step 4 is a few whole-array operations whatever the number
of layers.  P = ``count_params()``.
"""
from __future__ import annotations

import math

import numpy as np

from nnkit import activations, checks, data_checks, describe, losses, optimizers, utils
from nnkit.callbacks import History
from nnkit.layers import Input, Layer

__all__ = ["Network"]


class Network:
    """Layers, their weights in one flat buffer, and the forward/backward passes through them.

    ``Sequential`` (``nnkit.models``) is a Network you compile and fit; build one through it:
    ``Sequential([...], seed=0)``.  ``seed`` fixes the initial weights and fit's batch order.
    """

    # ---- building --------------------------------------------------------------------------------
    def __init__(self, layers: list | None = None, seed: int | None = None,
                 dtype="float64", name: str = "sequential"):
        if seed is None:                       # nnkit.utils.set_random_seed fixes these too
            seed = utils.draw_seed()
        self.seed = checks.non_negative_int("seed", seed)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be 'float32' or 'float64'. Received: dtype={dtype!r}.")
        self.name = name
        self.layers: list[Layer] = []
        self.optimizer: optimizers.Optimizer | None = None
        self.loss: losses.Loss | None = None
        self.metrics: list[str] = []
        self.stop_training = False
        self.history: History | None = None
        self._theta = self._grad = None
        self._fused = False
        self._input = None                 # the shape of an Input(shape=...) given first
        self._init_rng = np.random.default_rng([self.seed, 0])
        self.shuffle_rng = np.random.default_rng([self.seed, 1])   # fit's batch order
        for layer in layers or []:
            self.add(layer)

    def add(self, layer: Layer) -> None:
        """Append ``layer``; builds it at once if the input shape is known.

        ``layers.Input(shape=...)`` may come first: the next layer takes its shape (Keras 3).
        """
        if isinstance(layer, Input):
            if self.layers or self._input is not None:
                raise ValueError(f"{layer!r} must come first in the model, before any layer.")
            self._input = layer.shape
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add needs a layer such as layers.Dense(8). Received: "
                            f"{layer!r} (type {type(layer).__name__}).")
        if self.layers and layer.input_shape is not None and layer.built is False \
                and self.layers[-1].output_shape is not None \
                and tuple(layer.input_shape) != tuple(self.layers[-1].output_shape):
            raise ValueError(f"{layer!r} was given input_shape={layer.input_shape}, but the layer "
                             f"before it outputs {self.layers[-1].output_shape}.")
        if any(existing is layer for existing in self.layers):
            raise ValueError(f"{layer!r} is already in this model; make a new layer object for "
                             "each position.")
        if not self.layers and self._input is not None:
            if layer.input_shape is not None and tuple(layer.input_shape) != self._input:
                raise ValueError(f"{layer!r} was given input_shape={layer.input_shape}, but the "
                                 f"Input before it has shape={self._input}.")
            layer.input_shape = self._input
            if hasattr(layer, "_check_shape"):
                layer._check_shape(self._input)
        given_name = layer.name
        layer.name = layer.name or describe.default_name(layer, {l.name for l in self.layers})
        self.layers.append(layer)
        first_shape = self.layers[0].input_shape
        if first_shape is not None:
            try:
                self.build(first_shape)
            except Exception:                      # leave the model as it was before add
                self.layers.pop()
                layer.name = given_name
                raise

    @property
    def built(self) -> bool:
        return bool(self.layers) and all(layer.built for layer in self.layers) \
            and self._theta is not None

    @property
    def input_shape(self) -> tuple | None:
        return self.layers[0].input_shape if self.layers else None

    @property
    def output_shape(self) -> tuple | None:
        return self.layers[-1].output_shape if self.layers else None

    def build(self, input_shape) -> None:
        """Create every layer's weights for inputs of ``input_shape`` (no batch dimension)."""
        if not self.layers:
            raise ValueError("The model has no layers yet: add some with model.add(...).")
        shape = tuple(input_shape)
        for layer in self.layers:
            if not layer.built:
                layer.build(shape, self._init_rng, self.dtype)
            shape = layer.output_shape
        self._allocate()

    def _allocate(self) -> None:
        """Move every weight and gradient into one flat buffer (values are kept)."""
        sizes = [w.size for layer in self.layers for w in layer.weights.values()]
        self._theta = np.empty(sum(sizes), dtype=self.dtype)
        self._grad = np.zeros(sum(sizes), dtype=self.dtype)
        offset = 0
        for layer in self.layers:
            views, gviews = {}, {}
            for key, w in layer.weights.items():
                views[key] = self._theta[offset:offset + w.size].reshape(w.shape)
                gviews[key] = self._grad[offset:offset + w.size].reshape(w.shape)
                offset += w.size
            layer.bind(views, gviews)
        self._sizes = sizes
        self._update_fused()
        for i, layer in enumerate(self.layers):   # the input needs no gradient: skip dx there
            layer.input_grad = i > 0
        self._penalties = [(layer.weights[k], layer.grads[k], reg)
                           for layer in self.layers for k, reg in layer.regularizers.items()]
        if self.optimizer is not None:
            self.optimizer.build(sizes, self.dtype)

    def _update_fused(self) -> None:
        """Set ``_fused``: True when output activation and loss combine into dz = (h - y) / N."""
        last = self.layers[-1] if self.layers else None     # compile may come before add
        self._fused = (self.loss is not None and self.loss.fused_activation is not None
                and hasattr(last, "backward_from_z")
                and getattr(last, "activation", None) is not None
                and last.activation.name == self.loss.fused_activation)

    def reset(self, seed: int | None = None) -> None:
        """Draw the initial weights again (same seed → same weights) and clear the optimizer.

        ``seed=None`` keeps the model's seed, so ``reset()`` returns to the very first weights.
        """
        if seed is not None:
            seed = checks.non_negative_int("seed", seed)
        if not self.built:
            raise ValueError("reset needs a built model: give the first layer an input_shape, or "
                             "call fit/predict once.")
        if seed is not None:
            self.seed = seed
        self._init_rng = np.random.default_rng([self.seed, 0])
        self.shuffle_rng = np.random.default_rng([self.seed, 1])
        input_shape = self.input_shape
        for layer in self.layers:
            layer.built = False
            layer.weights, layer.grads = {}, {}
        self.build(input_shape)

    # ---- inputs and targets ---------------------------------------------------------------------
    def _check_x(self, x, name: str = "x", input_shape: tuple | None = None) -> np.ndarray:
        """x checked against the model's input shape (see ``nnkit.data_checks.check_x``)."""
        return data_checks.check_x(self, x, name, input_shape)

    def _build_for(self, x: np.ndarray) -> None:
        """Build the model for samples shaped like x's, if it is not built yet.

        Called only once every argument has passed its checks, so a call that fails leaves an
        unbuilt model unbuilt (not built for the shape of a mistaken x).
        """
        if not self.built:
            self.build(x.shape[1:])

    def _per_sample(self, rows: np.ndarray, n: int) -> np.ndarray:
        """Rows (N·T, …) from _check_y back to one entry per sample (N, T, …) for shuffling."""
        return rows.reshape((n, -1) + rows.shape[1:]) if len(self.output_shape) > 1 else rows

    def _to_rows(self, y: np.ndarray) -> np.ndarray:
        """Per-sample targets (N, T, …) to rows (N·T, …); unchanged for one output per sample."""
        return y.reshape((-1,) + y.shape[2:]) if len(self.output_shape) > 1 else y

    # ---- forward, loss, backward: one training step ----------------------------------------------
    def _forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        out = x
        for layer in self.layers:
            out = layer.forward(out, training=training)
        return out

    def _loss(self, out: np.ndarray, y: np.ndarray, penalty: bool = True,
              weights: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """Loss on rows and the gradient that starts backward (dz if fused, else dL/dout).

        weights: one per row (M,) or None; the loss is then mean(w_n l_n) (``losses``).
        """
        logits = self._fused or self.loss.from_logits
        rows = self.layers[-1].logits if self._fused else out.reshape(-1, out.shape[-1])
        L, grad = (self.loss.with_logits if logits else self.loss)(y, rows)
        if weights is not None:
            grad *= weights[:, None]
            L = float(np.mean(weights * self.loss.per_row(y, rows, logits)))
        if penalty:
            for W, _, reg in self._penalties:
                L += reg.penalty(W)
        return L, grad

    def _backward(self, grad: np.ndarray, out_shape: tuple) -> None:
        layers = self.layers
        if self._fused:
            dout = layers[-1].backward_from_z(grad)
            rest = layers[-2::-1]
        else:
            dout = grad.reshape(out_shape)
            rest = layers[::-1]
        for layer in rest:
            dout = layer.backward(dout)
        for W, dW, reg in self._penalties:
            reg.add_gradient(W, dW)

    def train_step(self, x: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> float:
        """One optimizer step on one batch of prepared arrays; returns the loss before the step.

        x, y: as ``prepare`` returns them (checked once for a whole training run; this step
        checks nothing).  If the loss or a gradient is not finite, the weights are left exactly
        as they were and the non-finite loss is returned.  This is the step ``fit``, the
        Playground and the LSTM explorer all take (``nnkit.training``).  weights: one per sample
        (N,), from ``fit``'s sample_weight/class_weight, or None.
        """
        y = self._to_rows(y)
        if weights is not None and len(y) != len(weights):          # one per time step
            weights = np.repeat(weights, len(y) // len(weights))
        layers = self.layers
        out = x
        for layer in layers[:-1]:
            out = layer.forward(out, training=True)
        if self._fused:                # the loss computes softmax/sigmoid itself: z is enough
            out = layers[-1].forward_logits(out)
        else:
            out = layers[-1].forward(out, training=True)
        self._last_out = out
        L, grad = self._loss(out, y, weights=weights)
        if not math.isfinite(L):
            return L
        self._backward(grad, out.shape)
        if not math.isfinite(np.dot(self._grad, self._grad)):   # ‖g‖² is NaN/inf iff some g is
            return math.inf
        self.optimizer.apply(self._theta, self._grad)
        return L

    @property
    def last_output(self) -> np.ndarray:
        """What the last ``train_step`` computed at the output: h, or with a fused loss the
        logits z (its softmax/sigmoid is left to the loss)."""
        return self._last_out

    def _probabilities(self, rows: np.ndarray) -> np.ndarray:
        """Logits rows (M, K) → the softmax/sigmoid the loss applies to them."""
        with np.errstate(over="ignore", under="ignore"):
            return activations.ACTIVATIONS[self.loss.fused_activation]().forward(rows)

    # ---- looking inside --------------------------------------------------------------------------
    def layer_outputs(self, x) -> list[np.ndarray]:
        """Every layer's output for x, in one forward pass: ``[h_1, h_2, …, output]``.

        This is how a picture of every hidden neuron over an input grid costs a single pass.
        """
        x = self._check_x(x)
        self._build_for(x)
        outs, out = [], x
        with np.errstate(over="ignore", invalid="ignore"):
            for layer in self.layers:
                out = layer.forward(out)
                outs.append(out)
        return outs

    def trace(self, x, layer: int | str | None = None) -> dict[str, np.ndarray]:
        """Run x forward and return a recurrent layer's trace: its gates per sample, step and unit.

        ``layer`` picks the recurrent layer by index or name; default: the first one.
        """
        recurrent = [l for l in self.layers if hasattr(type(l), "trace")]
        if not recurrent:
            raise ValueError("trace needs a recurrent layer (LSTM or SimpleRNN) in the model.")
        if layer is None:
            chosen = recurrent[0]
        elif isinstance(layer, str):
            names = [l.name for l in recurrent]
            chosen = recurrent[names.index(checks.one_of("layer", layer, names))]
        else:
            checks.non_negative_int("layer", layer)
            if layer >= len(self.layers) or not hasattr(type(self.layers[layer]), "trace"):
                raise ValueError(f"layer={layer} is not a recurrent layer; recurrent layers are at "
                                 f"{[self.layers.index(l) for l in recurrent]}.")
            chosen = self.layers[layer]
        self.layer_outputs(x)
        return chosen.trace

    # ---- weights ---------------------------------------------------------------------------------
    def get_weights(self) -> list[np.ndarray]:
        """Copies of every weight array, layer by layer (``[W_1, b_1, W_2, b_2, …]``)."""
        return [w.copy() for layer in self.layers for w in layer.weights.values()]

    def set_weights(self, weights: list) -> None:
        """Set every weight from a list shaped like ``get_weights()`` (checked before any change)."""
        current = [w for layer in self.layers for w in layer.weights.values()]
        if not isinstance(weights, (list, tuple)) or len(weights) != len(current):
            raise ValueError(f"set_weights needs a list of {len(current)} arrays (as get_weights() "
                             f"returns). Received {len(weights) if hasattr(weights, '__len__') else weights!r}.")
        arrays = []
        for i, (new, old) in enumerate(zip(weights, current)):
            new = checks.finite_array(f"weights[{i}]", new, allow_empty=True)
            if new.shape != old.shape:
                raise ValueError(f"weights[{i}] has shape {new.shape}; the model's weight there "
                                 f"has shape {old.shape}.")
            arrays.append(new)
        for new, old in zip(arrays, current):
            old[...] = new

    def count_params(self) -> int:
        return int(sum(layer.count_params() for layer in self.layers))
