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

Training is ``Sequential.fit``'s: one ``train`` epoch is one call of ``nnkit.training.run_epoch``
(the function ``fit`` calls once per epoch) on arrays ``model.prepare`` checked once, so the
Playground's model after N epochs is ``fit``'s after N epochs, weight for weight.  What goes
wrong is named by ``nnkit.diagnosis`` — the words ``fit`` warns with.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnkit import checks, diagnosis, layers, optimizers, regularizers, training
from nnkit.datasets.grids import data_extent, grid
from nnkit.datasets.planar import blobs, make_planar
from nnkit.models import Sequential
from nnkit.labs.state import (DATA, FEATURES, MODEL, OPTIMIZER, OWN, VIEW, PlaygroundState,
                              effect_of)

__all__ = ["Experiment", "PlaygroundData", "feature_matrix", "build_model", "problem_text"]

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
    data = PlaygroundData(X[:n_train], y[:n_train], X[n_train:], y[n_train:], state.kind,
                          state.classes, extent)
    data.X_train, data.y_train = edited(data.X_train, data.y_train, state.edits)
    return data


def edited(X: np.ndarray, y: np.ndarray, edits) -> tuple[np.ndarray, np.ndarray]:
    """Training points X (N, 2), y (N,) or (N, 1) after the learner's ``edits``, in order:
    ``("add", x1, x2, y)`` appends a point, ``("remove", x1, x2, radius)`` drops every point
    within ``radius`` of (x1, x2)."""
    for kind, x1, x2, last in edits:
        if kind == "add":
            X = np.concatenate([X, [[x1, x2]]])
            y = np.concatenate([y, np.full((1,) + y.shape[1:], last, dtype=y.dtype)])
        else:
            keep = np.hypot(X[:, 0] - x1, X[:, 1] - x2) > last
            X, y = X[keep], y[keep]
    return X, y


def picture_pass(model: Sequential, x: np.ndarray) -> list[np.ndarray]:
    """``model.layer_outputs(x)`` in float32, for pictures: ``[h_1, …, output]``, each (N, units).

    A picture's colours have 8 bits; float32 matmuls and tanh/exp cost a fraction of float64's,
    and this grid pass is most of a live frame's work.  Dense layers (the Playground's); any
    other model takes the ordinary float64 pass.
    """
    if not all(hasattr(layer, "W") and hasattr(layer, "activation") for layer in model.layers):
        return model.layer_outputs(x)
    outs, out = [], np.asarray(x, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        for layer in model.layers:
            z = out @ layer.W.astype(np.float32)
            if layer.use_bias:
                z += layer.b.astype(np.float32)
            out = layer.activation.forward(z)
            outs.append(out)
    return outs


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


def build_model(state: PlaygroundState, n_classes: int,
                penalty: regularizers.Regularizer | None = None) -> Sequential:
    """A compiled Sequential for the state's features, hidden layers and problem.

    Every Dense layer shares the one ordinary ``Regularizer`` ``penalty`` (rates 0 when there is
    none), so the regularization can change during training without rebuilding (see ``apply``).
    """
    penalty = penalty or regularizers.Regularizer(*penalty_rates(state))
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
    return model


def problem_text(state: PlaygroundState) -> str:
    """The problem in a few words: "2 classes · sigmoid, cross-entropy"."""
    if state.kind == "regression":
        return "regression · linear output, MSE"
    if state.classes == 2:
        return "2 classes · sigmoid, cross-entropy"
    return f"{state.classes} classes · softmax, cross-entropy"


def suggest_learning_rate(learning_rate: float) -> float:
    """What to try after a divergence: the default 0.03, or a tenth when already below it."""
    return diagnosis.suggest_learning_rate(learning_rate, DEFAULT_LEARNING_RATE)


# ---- the experiment -----------------------------------------------------------------------------

class Experiment:
    """Data, features, model and history for one ``PlaygroundState``; trains epoch by epoch.

    The state is shared, not copied: the Playground changes it with ``state.set(...)`` and
    then calls ``apply(changed)``, which rebuilds only what the change requires.
    """

    def __init__(self, state: PlaygroundState, resolution: int = 100):
        self.state = state
        self.resolution = checks.positive_int("resolution", resolution)
        self.diverged = False
        self._stopped = None               # (loss, "epoch 3, step 2") when the loss blew up
        self._make_data()
        self._make_model()

    # ---- rebuilding -----------------------------------------------------------------------------
    def apply(self, changed: set[str]) -> str:
        """Bring data/model in line with the state after ``changed`` settings changed.

        Returns the effect it had, as each setting declares it in ``state.py``: ``DATA`` (new
        points, new model), ``MODEL`` (new initial weights), ``OPTIMIZER`` (fresh optimizer,
        same weights), ``LIVE`` (told the running optimizer / penalty) or ``VIEW`` (nothing to
        train differently).
        """
        state = self.state
        relevant = set(changed)
        if state.dataset != "blobs" and "dataset" not in changed:
            relevant.discard("n_classes")
        if state.dataset == OWN and "dataset" not in changed:
            relevant -= {"noise", "n_samples"}
        effect = effect_of(relevant) or VIEW
        if effect == DATA and "edits" not in changed:
            state.edits = ()                      # new points: the old edits do not apply
        if effect == DATA:
            self._make_data()
            self._make_model()
        elif effect == MODEL:
            if "features" in relevant:
                self._make_features()
            self._make_model()
        else:
            self.penalty.l1, self.penalty.l2 = penalty_rates(state)
            if effect == OPTIMIZER:
                model = self.model
                model.compile(optimizer=make_optimizer(state), loss=model.loss,
                              metrics=model.metrics)
            else:
                self.model.optimizer.learning_rate = state.learning_rate
            self._diagnosis = None                # the advice may depend on the new rates
        return effect

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
        self.penalty = regularizers.Regularizer(*penalty_rates(self.state))
        self.model = build_model(self.state, self.data.n_classes, self.penalty)
        # checked once: features as floats, targets (N, 1) floats or (N,) class numbers
        self.x_train, self._y_train = self.model.prepare(self.x_train, self.data.y_train)
        self.x_test, self._y_test = self.model.prepare(self.x_test, self.data.y_test, "test ")
        self._clear()

    def _clear(self) -> None:
        self.epoch = 0
        self.history = {"loss": [], "test_loss": []}
        if self.state.kind == "classification":
            self.history.update(accuracy=[], test_accuracy=[])
        self.diverged, self._stopped, self._diagnosis = False, None, None
        self._grid_cache = None
        self._record()          # epoch 0: the untrained network's losses

    def reset(self) -> None:
        """Back to the initial weights (same seed → same weights) and a fresh optimizer."""
        self.model.reset()
        self._clear()

    def add_points(self, X, y) -> None:
        """Add training points and keep the weights (a click on the live boundary).

        X (n, 2) raw points; y (n,) class labels (or (n, 1) values for regression).  The next
        epoch trains on them; they are kept in ``state.edits``, so ``to_json`` saves them.
        """
        X = checks.finite_array("X", X, ndim=2)
        if X.shape[1] != 2:
            raise ValueError(f"X must hold points (x1, x2), shape (N, 2). Received shape {X.shape}.")
        data = self.data
        labels = np.asarray(y)
        wanted = (f"class labels 0..{data.n_classes - 1}" if data.kind == "classification"
                  else "target values")
        if labels.dtype.kind not in "biuf" or labels.size != len(X):
            raise ValueError(f"y must hold one of the {wanted} per point of X ({len(X)} points). "
                             f"Received: y={labels.tolist()!r}.")
        y = labels.reshape((len(X),) + data.y_train.shape[1:])
        if not np.all(np.isfinite(y)) or (data.kind == "classification" and (
                np.any(y != np.round(y)) or y.min(initial=0) < 0
                or y.max(initial=0) >= data.n_classes)):
            raise ValueError(f"y must be {wanted}. Received: {np.unique(y).tolist()}.")
        y = y.astype(data.y_train.dtype)
        cast = int if data.kind == "classification" else float
        self.state.edits += tuple(("add", float(a), float(b), cast(np.ravel(v)[0]))
                                  for (a, b), v in zip(X, y))
        self._set_training(np.concatenate([data.X_train, X]), np.concatenate([data.y_train, y]))

    def remove_points(self, x1: float, x2: float, radius: float) -> int:
        """Remove the training points within ``radius`` of (x1, x2); returns how many."""
        data = self.data
        near = np.hypot(data.X_train[:, 0] - x1, data.X_train[:, 1] - x2) <= radius
        if near.any():
            self.state.edits += (("remove", float(x1), float(x2), float(radius)),)
            self._set_training(data.X_train[~near], data.y_train[~near])
        return int(near.sum())

    def _set_training(self, X, y) -> None:
        self.data.X_train, self.data.y_train = X, y
        x = feature_matrix(X, self.state.features)
        self.x_train, self._y_train = self.model.prepare(x, y)
        self._diagnosis = None

    # ---- training -------------------------------------------------------------------------------
    def train(self, epochs: int = 1) -> float:
        """Train ``epochs`` passes over the training points; returns the last training loss.

        Each epoch is one ``nnkit.training.run_epoch`` — ``fit``'s epoch.  If the loss becomes
        NaN or infinite, training stops before that step changes the weights, ``diverged``
        turns True, ``message`` says what happened and the non-finite loss is returned.
        """
        epochs = checks.positive_int("epochs", epochs)
        model, x, y = self.model, self.x_train, self._y_train
        self._grid_cache = self._diagnosis = None
        for _ in range(epochs):
            logs = training.run_epoch(model, x, y, self.state.batch_size, rng=model.shuffle_rng,
                                      with_metrics=False)       # _record measures them
            if logs["stopped"] is not None:
                self.diverged = True
                self._stopped = (logs["loss"], f"epoch {self.epoch + 1}, step {logs['stopped'] + 1}")
                return logs["loss"]
            self.epoch += 1
            self._record()
        self.diverged, self._stopped = False, None   # training goes on (e.g. at a lower rate)
        return self.history["loss"][-1]

    @property
    def diagnosis(self) -> diagnosis.Diagnosis | None:
        """What ``nnkit.diagnosis`` reads in this run (None when all looks well)."""
        if self._diagnosis is None:
            losses = self.history["loss"]
            if self._stopped is not None:
                losses = losses + [self._stopped[0]]
            self._diagnosis = diagnosis.diagnose(
                losses, test_losses=self.history["test_loss"] if not self.diverged else None,
                model=self.model, inputs=self.x_train,
                stopped=self._stopped[1] if self._stopped else None,
                default_learning_rate=DEFAULT_LEARNING_RATE, accuracy=self.accuracy) or False
        return self._diagnosis or None

    @property
    def message(self) -> str:
        """The status line's words when the loss blew up ("" otherwise)."""
        found = self.diagnosis
        return found.text if found is not None and found.stops else ""

    @property
    def hint(self) -> str:
        """The status line's words when training goes the wrong way without blowing up."""
        found = self.diagnosis
        return found.text if found is not None and not found.stops else ""

    def _record(self) -> None:
        train = self.model.measure(self.x_train, self._y_train, penalty=False)
        test = self.model.measure(self.x_test, self._y_test, penalty=False)
        self.history["loss"].append(train["loss"])
        self.history["test_loss"].append(test["loss"])
        if "accuracy" in self.history:
            self.history["accuracy"].append(train["accuracy"])
            self.history["test_accuracy"].append(test["accuracy"])

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
            self._grid_cache = picture_pass(self.model, self.x_grid)
        return self._grid_cache

    def output_grid(self) -> np.ndarray:
        """What the boundary picture shows, row 0 at the bottom: (R, R) P(class 1) or value,
        or (R, R, K) class probabilities."""
        out = self.grid_outputs()[-1]
        r, c = self.grid_shape
        return out.reshape(r, c) if out.shape[1] == 1 else out.reshape(r, c, out.shape[1])
