"""Sequential: a stack of layers you compile, fit, evaluate and predict with, as in Keras.

The Keras-facing half: ``compile`` chooses the optimizer, loss and metrics; ``fit`` trains
through ``nnkit.training`` (the one loop); ``evaluate``, ``predict``, ``gradients``,
``train_on_batch``, ``save``, ``summary``; and ``load_model``.  The network it computes with —
layers, the flat weight vector, forward, loss, backward and ``train_step`` — is
``nnkit.network.Network``.
"""
from __future__ import annotations

import numpy as np

from nnkit import (checks, data_checks, describe, diagnosis, io, keras_names, losses,
                   optimizers, pairings, training)
from nnkit import metrics as metrics_module
from nnkit.callbacks import History
from nnkit.diagnosis import TrainingDiverged, TrainingWarning
from nnkit.i18n import _
from nnkit.layers import LAYERS
from nnkit.network import Network

__all__ = ["Sequential", "TrainingDiverged", "TrainingWarning", "load_model"]


class Sequential(Network):
    """A linear stack of layers.

    >>> model = Sequential([Dense(8, activation="tanh", input_shape=(2,)), Dense(1, "sigmoid")],
    ...                    seed=0)
    >>> model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

    ``seed`` fixes everything random: the initial weights and the shuffling in ``fit``. The same
    seed gives the same training run, bit for bit. ``seed=None`` draws one (see ``model.seed``).
    Building, the forward and backward passes and the weights are ``Network``'s
    (``nnkit.network``).
    """

    # ---- compiling -------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics: list | None = None,
                **kwargs) -> None:
        """Choose the optimizer, the loss and the metrics reported during training.

        An output activation that does not fit the loss (e.g. sigmoid into categorical
        cross-entropy) is refused here with both fixes (``nnkit.pairings``).
        """
        keras_names.refuse("compile", kwargs)
        optimizer = optimizers.get(optimizer)
        if loss is None:
            raise ValueError("compile needs a loss, e.g. loss='categorical_crossentropy' "
                             f"(allowed: {', '.join(losses.LOSSES)}).")
        loss = losses.get(loss)
        metric_names = metrics_module.check(metrics, loss)
        previous = self.loss
        self.loss = loss
        try:
            pairings.check(self)
        finally:
            self.loss = previous
        self.optimizer, self.loss, self.metrics = optimizer, loss, metric_names
        self._update_fused()
        if self._theta is not None:
            self.optimizer.build(self._sizes, self.dtype)

    def _check_compiled(self, what: str) -> None:
        if self.loss is None:
            raise ValueError(f"{what} needs a compiled model: call model.compile(optimizer='adam', "
                             "loss=...) first.")
        pairings.check(self)                  # layers may have been added after compile

    # ---- checking data ---------------------------------------------------------------------------
    def _check_y(self, y, n: int, name: str = "y", input_shape: tuple | None = None) -> np.ndarray:
        """Targets as rows for the loss (see ``nnkit.data_checks.check_y``)."""
        return data_checks.check_y(self, y, n, name, input_shape)

    def prepare(self, x, y, name: str = "", what: str = "training") -> tuple[np.ndarray, np.ndarray]:
        """Check (x, y) once and return them as ``train_step`` takes them: x as an array of the
        model's dtype, y one target per sample in the loss's form. Builds the model if needed."""
        self._check_compiled(what)
        x = self._check_x(x, f"{name}x" if name else "x")
        y = self._check_y(y, len(x), f"{name}y" if name else "y", input_shape=x.shape[1:])
        self._build_for(x)
        return x, self._per_sample(y, len(x))

    # ---- one step by hand ------------------------------------------------------------------------
    def gradients(self, x, y) -> tuple[float, list[np.ndarray]]:
        """The loss on (x, y) and the gradient of every weight, without changing any weight.

        Returns ``(L, [dW_1, db_1, dW_2, db_2, …])`` in the order of ``get_weights()``; the loss
        includes the regularization penalties, as in training.  This is what one training step
        computes before the optimizer moves the weights (lesson §3.4, steps 1–3).
        """
        x, y = self.prepare(x, y, what="gradients")
        y = self._to_rows(y)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = self._forward(x, training=True)
            L, grad = self._loss(out, y)
            self._backward(grad, out.shape)
        return float(L), [g.copy() for layer in self.layers for g in layer.grads.values()]

    def train_on_batch(self, x, y) -> float | list[float]:
        """One optimizer step on one batch; returns the loss (and metrics, if compiled with any).

        The loss is measured before the step. A non-finite loss leaves the weights unchanged.
        """
        x, y = self.prepare(x, y, what="train_on_batch")
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            L = self.train_step(x, y)
        if not self.metrics:
            return L
        return [L] + list(self.metrics_of([self.last_output], [y]).values())

    def metrics_of(self, outputs: list, targets: list) -> dict[str, float]:
        """The compiled metrics over several training steps: their ``last_output`` and their
        prepared y, all at once (``fit`` asks once per epoch, where it reports them)."""
        rows = outputs[0] if len(outputs) == 1 else np.concatenate(outputs)
        rows = rows.reshape(-1, rows.shape[-1])
        y = self._to_rows(targets[0] if len(targets) == 1 else np.concatenate(targets))
        if self._fused or self.loss.from_logits:
            rows = self._probabilities(rows)
        return {m: self._metric(m, y, rows) for m in self.metrics}

    def _metric(self, name: str, y: np.ndarray, h: np.ndarray) -> float:
        return metrics_module.metric(name, self.loss, y, h)

    # ---- fit / evaluate / predict ----------------------------------------------------------------
    def fit(self, x, y, epochs: int = 1, batch_size: int | None = 32, validation_data=None,
            validation_split: float = 0.0, shuffle: bool = True, verbose="auto",
            callbacks: list | None = None, class_weight: dict | None = None,
            sample_weight=None, initial_epoch: int = 0, **kwargs) -> History:
        """Train for ``epochs`` passes over (x, y) in mini-batches of ``batch_size``.

        x: (N, D) or (N, T, F); y: targets for the compiled loss.  Returns a ``History`` whose
        ``history`` dict holds per-epoch ``loss``, metrics and ``val_*`` values.  If the loss
        becomes NaN or infinite, training stops with a ``TrainingDiverged`` warning that names the
        epoch and step, and the weights stay as they were before that step.

        As in Keras: ``sample_weight`` (N,) weights each sample's loss and ``class_weight``
        ({class: weight}) each class's (both: their product); the reported training loss is
        the weighted one, validation is unweighted.  ``initial_epoch`` resumes the count
        (epochs initial_epoch … epochs-1 run); ``epochs=0`` returns an empty History;
        ``verbose='auto'`` is 1.
        """
        keras_names.refuse("fit", kwargs)
        self._check_compiled("fit")
        epochs = checks.non_negative_int("epochs", epochs)
        initial_epoch = checks.non_negative_int("initial_epoch", initial_epoch)
        batch_size = checks.positive_int("batch_size", 32 if batch_size is None else batch_size)
        validation_split = checks.fraction("validation_split", validation_split)
        shuffle = checks.boolean("shuffle", shuffle)
        verbose = 1 if verbose == "auto" else checks.one_of("verbose", verbose, [0, 1, 2, "auto"])
        callbacks = training.check_callbacks(callbacks)
        x = self._check_x(x)
        y = self._check_y(y, len(x), input_shape=x.shape[1:])
        n_val, xv, yv = data_checks.check_validation(self, x, validation_data, validation_split)
        units = data_checks.output_shape_for(self, x.shape[1:])[-1]
        weights = data_checks.sample_weights(self.loss, y, len(x), units, sample_weight,
                                             class_weight)
        self._build_for(x)                                 # every argument is fine: build now
        if epochs <= initial_epoch:                        # as Keras: nothing to train
            self.history = History()
            return self.history
        y = self._per_sample(y, len(x))
        val = None
        if n_val:                                          # the last samples, as in Keras
            val = (x[-n_val:], y[-n_val:])
            x, y = x[:-n_val], y[:-n_val]
            weights = None if weights is None else weights[:-n_val]
        elif xv is not None:
            val = (xv, self._per_sample(yv, len(xv)))

        def validate():
            return {"val_" + k: v for k, v in self.measure(*val).items()}

        def describe(history, stopped):
            tests = history.history.get("val_loss")
            where = None if stopped is None else _("epoch {epoch}, step {step}").format(
                epoch=stopped[0] + 1, step=stopped[1] + 1)
            return diagnosis.diagnose(history.history["loss"], test_losses=tests, model=self,
                                      inputs=x, stopped=where,
                                      start=initial_epoch + 1)

        self.history = training.fit(self, x, y, epochs=epochs, batch_size=batch_size,
                                    rng=self.shuffle_rng if shuffle else None,
                                    callbacks=callbacks, verbose=verbose,
                                    validate=validate if val is not None else None,
                                    describe=describe, initial_epoch=initial_epoch,
                                    weights=weights)
        return self.history

    def measure(self, x: np.ndarray, y: np.ndarray, penalty: bool = True) -> dict[str, float]:
        """Loss and metrics on prepared (x, y) without training (``penalty=False``: the data
        term of the loss alone, as the Playground shows it)."""
        y_rows = self._to_rows(y)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            out = self._forward(x)
            L, _ = self._loss(out, y_rows, penalty)
        rows = out.reshape(-1, out.shape[-1])
        if self.loss.from_logits:
            rows = self._probabilities(rows)
        logs = {"loss": float(L)}
        logs.update({m: self._metric(m, y_rows, rows) for m in self.metrics})
        return logs

    def evaluate(self, x, y, batch_size: int | None = None, verbose="auto",
                 return_dict: bool = False, **kwargs):
        """Loss (and metrics) on (x, y) without training: ``loss`` or ``[loss, accuracy, …]``."""
        keras_names.refuse("evaluate", kwargs)
        self._check_compiled("evaluate")
        verbose = 1 if verbose == "auto" else checks.one_of("verbose", verbose, [0, 1, 2, "auto"])
        if batch_size is not None:
            checks.positive_int("batch_size", batch_size)
        x = self._check_x(x)
        y = self._check_y(y, len(x), input_shape=x.shape[1:])
        self._build_for(x)
        logs = self.measure(x, self._per_sample(y, len(x)))
        if verbose:
            print(" - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))
        if return_dict:
            return logs
        return logs["loss"] if not self.metrics else list(logs.values())

    def predict(self, x, batch_size: int | None = None, verbose="auto", **kwargs) -> np.ndarray:
        """The network's output for x: (N, K) (or (N, T, K) with return_sequences)."""
        keras_names.refuse("predict", kwargs)
        if batch_size is not None:
            checks.positive_int("batch_size", batch_size)
        x = self._check_x(x)
        self._build_for(x)
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward(x).copy()

    # ---- saving and describing -------------------------------------------------------------------
    def save(self, path) -> None:
        """Save architecture, weights, compile settings and optimizer state (see nnkit.io)."""
        io.save_model(self, path)

    def summary(self, print_fn=print) -> None:
        """Print a table of layers, output shapes and parameter counts (as Keras does).

        ``print_fn`` receives the table's text instead of ``print``, e.g. ``lines.append``.
        Like Keras, an unbuilt model has no table yet: a ValueError says how to build it.
        """
        print_fn(describe.summary_text(self))

    def __repr__(self):
        inner = ", ".join(repr(layer) for layer in self.layers)
        return f"Sequential([{inner}], seed={self.seed})"


def load_model(path) -> Sequential:
    """Read a model written by ``model.save(path)``; compiled again if it was compiled.

    The file's format is ``nnkit.io``'s (which knows no model class); the model is built back
    here, beside ``Sequential`` (Keras: ``keras.models.load_model``).
    """
    config, arrays, not_model = io.read_model_file(path)
    layers = []
    for spec in config["layers"]:
        if spec["class"] not in LAYERS:
            raise ValueError(not_model + f"Unknown layer class {spec['class']!r}.")
        layer_config = dict(spec["config"])
        if layer_config.get("input_shape") is not None:
            layer_config["input_shape"] = tuple(layer_config["input_shape"])
        layers.append(LAYERS[spec["class"]].from_config(layer_config))
    model = Sequential(layers, seed=config["seed"], dtype=config["dtype"], name=config["name"])
    n_weights = len([k for k in arrays if k.startswith("weight_")])
    model.set_weights([arrays[f"weight_{i}"] for i in range(n_weights)])
    if config["compile"] is not None:
        c = config["compile"]
        model.compile(optimizer=optimizers.from_config(c["optimizer"]),
                      loss=losses.LOSSES[c["loss"]](from_logits=c.get("from_logits", False)),
                      metrics=c["metrics"])
        state = {k[len("optimizer_"):]: v for k, v in arrays.items() if k.startswith("optimizer_")}
        model.optimizer.set_state(state)
    return model
