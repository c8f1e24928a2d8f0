"""A Playground state made real: the data, its features, an nnkit model, and its training.

``Experiment`` knows no widgets.  The Playground, the tests and the lessons all drive it the
same way::

    exp = Experiment(PlaygroundState(dataset="xor"))
    exp.train(epochs=50)                 # one epoch = one pass over the training points
    exp.loss, exp.test_loss, exp.epoch   # numbers after the last epoch
    outs = exp.grid_outputs()            # every layer's output over the input plane, one pass

The output layer and the loss follow the problem (lesson §3.2):

* two classes  → Dense(1, sigmoid) + binary cross-entropy        (P(class 1) per point)
* K classes    → Dense(K, softmax) + sparse categorical cross-entropy
* regression   → Dense(1, linear)  + mean squared error

Inputs are the chosen features of each point, computed from its raw coordinates as in
TensorFlow Playground (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂ — no rescaling), so
``model.predict(exp.features(X))`` is what the pictures show.

Training follows ``Sequential.fit`` step for step (shuffle with the model's seed, mini-batches,
forward, loss, backward, update) but calls ``model._train_step`` on arrays checked once, which
keeps an epoch of the default network near a millisecond.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnkit import checks, layers, optimizers, regularizers
from nnkit.datasets.planar import make_planar, blobs
from nnkit.models import Sequential
from nnkit.plots.boundary import data_extent, grid
from nnkit.widgets.state import (DATA_FIELDS, FEATURES, LEARNING_RATES, MODEL_FIELDS, OWN,
                                 OPTIMIZER_FIELDS, PlaygroundState)

__all__ = ["Experiment", "PlaygroundData", "feature_matrix", "build_model"]

PLANE_EXTENT = (-6.0, 6.0, -6.0, 6.0)     # TensorFlow Playground's square
DEFAULT_LEARNING_RATE = 0.03


# ---- data ---------------------------------------------------------------------------------------

@dataclass(eq=False)
class PlaygroundData:
    """Points split into training and test data, as the pictures and the model see them.

    X_train: (N, 2), y_train: (N,) class labels or (N, 1) values; X_test, y_test likewise.
    extent: (x1_min, x1_max, x2_min, x2_max) of the pictures.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    kind: str
    n_classes: int
    extent: tuple


def make_data(state: PlaygroundState) -> PlaygroundData:
    """Generate (or take the learner's) points and split them by ``train_fraction``."""
    if state.dataset == OWN:
        X, y = state.own_data.X, state.own_data.y
        order = np.random.default_rng(state.data_seed).permutation(len(X))
        X, y = X[order], y[order]
        extent = data_extent(X, margin=0.1)
    else:
        if state.dataset == "blobs":
            X, y = blobs(state.n_samples, state.n_classes, state.noise, seed=state.data_seed)
        else:
            X, y = make_planar(state.dataset, state.n_samples, state.noise, seed=state.data_seed)
        extent = PLANE_EXTENT
    n_train = min(max(1, int(round(len(X) * state.train_fraction))), len(X) - 1)
    return PlaygroundData(X[:n_train], y[:n_train], X[n_train:], y[n_train:], state.kind,
                          state.classes, extent)


def feature_matrix(X: np.ndarray, features) -> np.ndarray:
    """Raw points X (N, 2) → the chosen input features (N, F), in the order of ``FEATURES``."""
    x1, x2 = X[:, 0], X[:, 1]
    table = {"x1": lambda: x1, "x2": lambda: x2, "x1^2": lambda: x1 * x1,
             "x2^2": lambda: x2 * x2, "x1*x2": lambda: x1 * x2,
             "sin(x1)": lambda: np.sin(x1), "sin(x2)": lambda: np.sin(x2)}
    return np.column_stack([table[f]() for f in FEATURES if f in features])


# ---- the model ----------------------------------------------------------------------------------

def make_optimizer(state: PlaygroundState) -> optimizers.Optimizer:
    if state.optimizer == "adam":
        return optimizers.Adam(state.learning_rate)
    momentum = 0.9 if state.optimizer == "momentum" else 0.0
    return optimizers.SGD(state.learning_rate, momentum=momentum)


def penalty_rates(state: PlaygroundState) -> tuple[float, float]:
    """(l1, l2) of the weight penalty the state asks for."""
    rate = state.regularization_rate
    return (rate if state.regularization == "l1" else 0.0,
            rate if state.regularization == "l2" else 0.0)


def build_model(state: PlaygroundState, n_classes: int) -> Sequential:
    """A compiled Sequential for the state's features, hidden layers and problem.

    Every Dense layer shares one ``Regularizer`` (rates 0 when there is none), so the
    regularization can change during training without rebuilding (see ``apply``).
    """
    penalty = regularizers.Regularizer(*penalty_rates(state))
    n_inputs = len(state.features)
    model = Sequential(seed=state.seed, name="playground")
    shape = (n_inputs,)
    for units in state.hidden_layers:
        model.add(layers.Dense(units, activation=state.activation, input_shape=shape,
                               kernel_regularizer=penalty))
        shape = (units,)
    if state.kind == "regression":
        output = layers.Dense(1, "linear", input_shape=shape, kernel_regularizer=penalty)
        loss = "mse"
    elif n_classes == 2:
        output = layers.Dense(1, "sigmoid", input_shape=shape, kernel_regularizer=penalty)
        loss = "binary_crossentropy"
    else:
        output = layers.Dense(n_classes, "softmax", input_shape=shape, kernel_regularizer=penalty)
        loss = "sparse_categorical_crossentropy"
    model.add(output)
    model.compile(optimizer=make_optimizer(state), loss=loss,
                  metrics=["accuracy"] if state.kind == "classification" else ["mae"])
    model._playground_penalty = penalty
    return model


def suggest_learning_rate(learning_rate: float) -> float:
    """What to try after a divergence: the default 0.03, or a tenth when already below it."""
    if learning_rate > DEFAULT_LEARNING_RATE:
        return DEFAULT_LEARNING_RATE
    lower = [lr for lr in LEARNING_RATES if lr <= learning_rate / 10 * 1.0001]
    return lower[-1] if lower else LEARNING_RATES[0]


# ---- the experiment -----------------------------------------------------------------------------

class Experiment:
    """Data, features, model and history for one ``PlaygroundState``; trains epoch by epoch.

    The state is shared, not copied: the Playground changes it with ``state.set(...)`` and
    then calls ``apply(changed)``, which rebuilds only what the change requires.
    """

    def __init__(self, state: PlaygroundState, resolution: int = 100):
        self.state = state
        self.resolution = checks.positive_int("resolution", resolution)
        self.message = ""                  # plain words for the status line ("" = all well)
        self.diverged = False
        self._make_data()
        self._make_model()

    # ---- rebuilding -----------------------------------------------------------------------------
    def apply(self, changed: set[str]) -> str:
        """Bring data/model in line with the state after ``changed`` settings changed.

        Returns what was done: "data" (new points, new model), "model" (new initial weights),
        "optimizer" (fresh optimizer, same weights), "live" (told the running optimizer /
        penalty) or "view" (nothing to train differently).
        """
        state = self.state
        relevant = set(changed)
        if state.dataset != "blobs" and "dataset" not in changed:
            relevant.discard("n_classes")
        if state.dataset == OWN and "dataset" not in changed:
            relevant -= {"noise", "n_samples"}
        if relevant & DATA_FIELDS:
            self._make_data()
            self._make_model()
            return "data"
        if relevant & MODEL_FIELDS:
            if relevant & {"features"}:
                self._make_features()
            self._make_model()
            return "model"
        model = self.model
        l1, l2 = penalty_rates(state)
        model._playground_penalty.l1, model._playground_penalty.l2 = l1, l2
        if relevant & OPTIMIZER_FIELDS:
            model.compile(optimizer=make_optimizer(state), loss=model.loss, metrics=model.metrics)
            return "optimizer"
        model.optimizer.learning_rate = state.learning_rate
        return "live" if relevant & {"learning_rate", "batch_size", "regularization",
                                     "regularization_rate"} else "view"

    def _make_data(self) -> None:
        self.data = make_data(self.state)
        self.grid_points, self.grid_shape = grid(self.data.extent, self.resolution)
        self._make_features()

    def _make_features(self) -> None:
        features = self.state.features
        self.x_train = feature_matrix(self.data.X_train, features)
        self.x_test = feature_matrix(self.data.X_test, features)
        self.x_grid = feature_matrix(self.grid_points, features)

    def _make_model(self) -> None:
        self.model = build_model(self.state, self.data.n_classes)
        # targets in the shape the loss wants, checked once: (N, 1) floats or (N,) class numbers
        self._y_train = self.model._check_y(self.data.y_train, len(self.x_train))
        self._y_test = self.model._check_y(self.data.y_test, len(self.x_test))
        self._clear()

    def _clear(self) -> None:
        self.epoch = 0
        self.history = {"loss": [], "test_loss": []}
        if self.state.kind == "classification":
            self.history.update(accuracy=[], test_accuracy=[])
        self.message, self.diverged = "", False
        self._grid_cache = None
        self._record()          # epoch 0: the untrained network's losses

    def reset(self) -> None:
        """Back to the initial weights (same seed → same weights) and a fresh optimizer."""
        self.model.reset()
        self._clear()

    # ---- training -------------------------------------------------------------------------------
    def train(self, epochs: int = 1) -> float:
        """Train ``epochs`` passes over the training points; returns the last training loss.

        If the loss becomes NaN or infinite, training stops before that step changes the
        weights, ``diverged`` turns True, ``message`` says what happened and the non-finite
        loss is returned.
        """
        epochs = checks.positive_int("epochs", epochs)
        model, x, y = self.model, self.x_train, self._y_train
        batch_size, n = self.state.batch_size, len(x)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for _ in range(epochs):
                order = model._shuffle_rng.permutation(n)
                xs, ys = x[order], y[order]
                for start in range(0, n, batch_size):
                    stop = start + batch_size
                    L = model._train_step(xs[start:stop], ys[start:stop])
                    if not math.isfinite(L):
                        self._diverge(L)
                        return L
                self.epoch += 1
                self._record()
        self._grid_cache = None
        if self.diverged:                    # training goes on (e.g. at a lower rate): all well
            self.diverged, self.message = False, ""
        return self.history["loss"][-1]

    def _diverge(self, L: float) -> None:
        lr = self.state.learning_rate
        what = "NaN" if math.isnan(L) else "infinite"
        self.diverged = True
        self._grid_cache = None
        self.message = (f"The loss became {what} in epoch {self.epoch + 1}: the learning rate "
                        f"{lr:g} is too high for this network. Training paused; the weights are "
                        f"those before the bad step. Press Reset and try "
                        f"{suggest_learning_rate(lr):g}.")

    @property
    def hint(self) -> str:
        """Plain words when training goes the wrong way without diverging, else "".

        A classification loss stays finite even at a learning rate of 10 (the fused
        sigmoid/softmax cross-entropy never takes log 0), so there the warning sign is a
        training loss that climbed well above where it started.
        """
        losses = self.history["loss"]
        if self.diverged or len(losses) < 3 or not losses[-1] > 1.5 * losses[0]:
            return ""
        lr = self.state.learning_rate
        return (f"The training loss rose from {losses[0]:.3f} to {losses[-1]:.3f} by epoch "
                f"{self.epoch}: the learning rate {lr:g} is probably too high. Try "
                f"{suggest_learning_rate(lr):g}.")

    def _evaluate(self, x: np.ndarray, y: np.ndarray) -> tuple[float, float | None]:
        """(data loss without the penalty, accuracy or None) on checked features x."""
        model = self.model
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            out = model._forward(x)
            if model._fused:
                L, _ = model.loss.with_logits(y, model.layers[-1].logits)
            else:
                L, _ = model.loss(y, out)
        if self.state.kind != "classification":
            return float(L), None
        if out.shape[1] == 1:
            hits = np.count_nonzero((out[:, 0] > 0.5) == (y[:, 0] > 0.5))
        else:
            hits = np.count_nonzero(out.argmax(axis=1) == y)
        return float(L), hits / len(y)

    def _record(self) -> None:
        loss, acc = self._evaluate(self.x_train, self._y_train)
        test_loss, test_acc = self._evaluate(self.x_test, self._y_test)
        self.history["loss"].append(loss)
        self.history["test_loss"].append(test_loss)
        if acc is not None:
            self.history["accuracy"].append(acc)
            self.history["test_accuracy"].append(test_acc)

    # ---- reading --------------------------------------------------------------------------------
    @property
    def loss(self) -> float:
        """Training loss after the last epoch (without the regularization penalty)."""
        return self.history["loss"][-1]

    @property
    def test_loss(self) -> float:
        return self.history["test_loss"][-1]

    @property
    def accuracy(self) -> float | None:
        """Share of training points classified right (None for regression)."""
        return self.history["accuracy"][-1] if "accuracy" in self.history else None

    @property
    def test_accuracy(self) -> float | None:
        return self.history["test_accuracy"][-1] if "test_accuracy" in self.history else None

    def features(self, X) -> np.ndarray:
        """The model's inputs for raw points X (N, 2): ``model.predict(exp.features(X))``."""
        X = checks.finite_array("X", X, ndim=2)
        if X.shape[1] != 2:
            raise ValueError(f"X must hold points (x1, x2), shape (N, 2). "
                             f"Received shape {X.shape}.")
        return feature_matrix(X.astype(float), self.state.features)

    def grid_outputs(self) -> list[np.ndarray]:
        """Every layer's output over the grid, ``[h_1, …, output]``, each (R·R, units).

        One forward pass for all neurons; cached until the weights change.
        """
        if self._grid_cache is None:
            self._grid_cache = self.model.layer_outputs(self.x_grid)
        return self._grid_cache

    def output_grid(self) -> np.ndarray:
        """What the boundary picture shows, row 0 at the bottom: (R, R) P(class 1) or value,
        or (R, R, K) class probabilities."""
        out = self.grid_outputs()[-1]
        r, c = self.grid_shape
        return out.reshape(r, c) if out.shape[1] == 1 else out.reshape(r, c, out.shape[1])
