"""scikit-learn estimators around nnkit models: ``NNClassifier`` and ``NNRegressor``.

Shaped like scikeras's ``KerasClassifier``/``KerasRegressor`` and scikit-learn's ``MLPClassifier``:
the network is described by constructor parameters, so ``clone``, ``Pipeline``, ``GridSearchCV``
and ``cross_val_score`` work as with any estimator::

    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from nnkit.sklearn import NNClassifier

    pipe = make_pipeline(StandardScaler(), NNClassifier(hidden_layer_sizes=(16,), epochs=50))
    search = GridSearchCV(pipe, {"nnclassifier__learning_rate": [0.003, 0.03]}, cv=3)

The network: ``Dense(units, activation)`` for each entry of ``hidden_layer_sizes`` (each followed
by ``Dropout(dropout)`` if dropout > 0), then the output layer —
``Dense(1, 'sigmoid')`` + binary cross-entropy for two classes, ``Dense(K, 'softmax')`` + sparse
categorical cross-entropy for K > 2, ``Dense(1)`` + mean squared error for regression.
After ``fit``: ``model_`` (the nnkit ``Sequential``), ``history_`` (its History), ``classes_``.
The seed is ``random_state`` (an int), scikit-learn's and scikeras's name for it; it becomes the
``seed`` of the nnkit model (weights, shuffling, dropout), so the same ``random_state`` trains
the same network.

scikit-learn is imported here only: ``import nnkit`` never imports it.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

from nnkit import layers, optimizers
from nnkit.models import Sequential

try:                                    # scikit-learn ≥ 1.6
    from sklearn.utils.validation import validate_data
except ImportError:                     # older: the estimator's own method
    def validate_data(estimator, *args, **kwargs):
        return estimator._validate_data(*args, **kwargs)

__all__ = ["NNClassifier", "NNRegressor"]


class _NNEstimator(BaseEstimator):
    """What both estimators share: the parameters, building the network and fitting it."""

    def __init__(self, hidden_layer_sizes=(32,), activation="relu", optimizer="adam",
                 learning_rate=0.01, epochs=100, batch_size=32, dropout=0.0, random_state=0,
                 verbose=0):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.dropout = dropout
        self.random_state = random_state
        self.verbose = verbose

    def _network(self, n_features: int, output: layers.Layer) -> Sequential:
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, (int, np.integer)) else tuple(sizes)
        stack = [layers.Input(shape=(n_features,))]
        for units in sizes:
            stack.append(layers.Dense(units, activation=self.activation))
            if self.dropout:
                stack.append(layers.Dropout(self.dropout))
        return Sequential(stack + [output], seed=self.random_state)

    def _optimizer(self):
        if isinstance(self.optimizer, str):
            optimizers.get(self.optimizer)                    # the name checked, with its list
            return optimizers.OPTIMIZERS[self.optimizer.lower()](learning_rate=self.learning_rate)
        raise TypeError(f"optimizer must be a name ({', '.join(sorted(optimizers.OPTIMIZERS))}); "
                        f"set its step size with learning_rate=. Received: "
                        f"optimizer={self.optimizer!r}.")

    def _fit(self, X, targets, output, loss, sample_weight):
        model = self._network(X.shape[1], output)
        model.compile(optimizer=self._optimizer(), loss=loss)
        if sample_weight is not None:
            sample_weight = column_or_1d(np.asarray(sample_weight, dtype=float))
        self.history_ = model.fit(X, targets, epochs=self.epochs, batch_size=self.batch_size,
                                  sample_weight=sample_weight, verbose=self.verbose)
        self.model_ = model
        return self

    def _outputs(self, X) -> np.ndarray:
        check_is_fitted(self, "model_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self.model_.predict(X)


class NNClassifier(ClassifierMixin, _NNEstimator):
    """A feed-forward network classifier: sigmoid output for 2 classes, softmax for more.

    Labels may be any values (strings, numbers); ``classes_`` holds them in sorted order.
    ``predict_proba(X)``: (N, n_classes); ``predict(X)``: (N,) labels.
    """

    def fit(self, X, y, sample_weight=None):
        """Train on X (N, D) and labels y (N,); returns self."""
        X, y = validate_data(self, X, y, dtype=np.float64)
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self._encoder = LabelEncoder().fit(y)
        self.classes_ = self._encoder.classes_
        if len(self.classes_) < 2:
            raise ValueError(f"NNClassifier needs samples of at least 2 classes; y holds only one "
                             f"class, {np.asarray(self.classes_[0]).item()!r}.")
        codes = self._encoder.transform(y)
        if len(self.classes_) == 2:
            output, loss = layers.Dense(1, activation="sigmoid"), "binary_crossentropy"
        else:
            output = layers.Dense(len(self.classes_), activation="softmax")
            loss = "sparse_categorical_crossentropy"
        return self._fit(X, codes, output, loss, sample_weight)

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities (N, n_classes), columns in the order of ``classes_``."""
        h = self._outputs(X)
        return np.hstack([1 - h, h]) if h.shape[1] == 1 else h

    def predict(self, X) -> np.ndarray:
        """The most probable label for each row of X: (N,)."""
        check_is_fitted(self, "model_")
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class NNRegressor(RegressorMixin, _NNEstimator):
    """A feed-forward network for one numeric target: linear output, mean squared error.

    ``predict(X)``: (N,) values.  Scale y as well as X (e.g. ``TransformedTargetRegressor``)
    when y is far from 0 or much larger than 1.
    """

    def fit(self, X, y, sample_weight=None):
        """Train on X (N, D) and targets y (N,); returns self."""
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        y = column_or_1d(y, warn=True).astype(np.float64)
        return self._fit(X, y, layers.Dense(1), "mse", sample_weight)

    def predict(self, X) -> np.ndarray:
        """Predicted values (N,)."""
        return self._outputs(X)[:, 0]
