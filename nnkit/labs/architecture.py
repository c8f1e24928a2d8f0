"""Lesson 06's architecture experiment: one MLP trained per setting, its curves and its score.

    lab = ArchitectureLab(X_train, Y_train, X_test, Y_test)
    lab.set(hidden_layers=0, learning_rate=0.01)     # a new network, trained at once
    lab.result                                       # (parameters, test accuracy)
    lab.history.history["val_loss"]                  # the curves ``ArchitectureExplorer`` draws

Every change of a setting builds a new network ``D → units × hidden_layers → K`` (softmax out)
and trains it with Adam — ``train_mlp``, the same code as the lesson's model and its seed table.
"""
from __future__ import annotations

from nnkit import checks, layers, models, optimizers
from nnkit.labs.settings import Settings

__all__ = ["ArchitectureLab", "train_mlp", "UNITS", "LEARNING_RATES", "ACTIVATIONS",
           "MAX_HIDDEN_LAYERS", "MAX_EPOCHS"]

UNITS = (2, 4, 8, 16, 32, 64)
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1)
ACTIVATIONS = ("relu", "tanh", "sigmoid")
MAX_HIDDEN_LAYERS = 3
MAX_EPOCHS = 300


def train_mlp(X, Y, hidden_layers: int = 2, units: int = 64, activation: str = "relu",
              learning_rate: float = 0.001, epochs: int = 100, seed: int = 0,
              batch_size: int = 32, validation_split: float = 0.2):
    """Build and train one MLP; returns ``(model, history)``.

    X: (N, D) inputs; Y: (N, K) one-hot labels.  The network is ``hidden_layers`` Dense layers
    of ``units`` units with ``activation``, then Dense(K, softmax), trained with
    Adam(``learning_rate``) on categorical cross-entropy; the last ``validation_split`` of the
    rows is kept aside for the validation curves, as in Keras.
    """
    net = models.Sequential(seed=seed)
    for _ in range(checks.non_negative_int("hidden_layers", hidden_layers)):
        net.add(layers.Dense(units, activation=activation))
    net.add(layers.Dense(Y.shape[1], activation="softmax"))
    net.compile(optimizer=optimizers.Adam(learning_rate=learning_rate),
                loss="categorical_crossentropy", metrics=["accuracy"])
    history = net.fit(X, Y, epochs=epochs, batch_size=batch_size,
                      validation_split=validation_split, verbose=0)
    return net, history


class ArchitectureLab(Settings):
    """An MLP's architecture and training as settings; each change trains a new network.

    X_train: (N, D), Y_train: (N, K) one-hot — trained on (with 20% kept for validation);
    X_test: (M, D), Y_test: (M, K) — only evaluated, for the test accuracy.
    Settings: ``hidden_layers`` (0 … 3), ``units`` (UNITS), ``activation`` (ACTIVATIONS),
    ``learning_rate`` (LEARNING_RATES), ``epochs`` (1 … 300), ``seed`` (0 … 9).
    Numbers: ``model``, ``history`` and ``test_accuracy`` of the last network; ``result``.
    """

    SETTINGS = ("hidden_layers", "units", "activation", "learning_rate", "epochs", "seed")

    def __init__(self, X_train, Y_train, X_test, Y_test, *, hidden_layers: int = 2,
                 units: int = 64, activation: str = "relu", learning_rate: float = 0.001,
                 epochs: int = 100, seed: int = 0):
        self.X_train = checks.finite_array("X_train", X_train, ndim=2)
        self.Y_train = checks.finite_array("Y_train", Y_train, ndim=2)
        self.X_test = checks.finite_array("X_test", X_test, ndim=2)
        self.Y_test = checks.finite_array("Y_test", Y_test, ndim=2)
        checks.same_length("X_train", self.X_train, "Y_train", self.Y_train)
        checks.same_length("X_test", self.X_test, "Y_test", self.Y_test)
        self.set(hidden_layers=hidden_layers, units=units, activation=activation,
                 learning_rate=learning_rate, epochs=epochs, seed=seed)

    def check(self, name, value):
        if name in ("units", "activation", "learning_rate"):
            allowed = {"units": UNITS, "activation": ACTIVATIONS, "learning_rate": LEARNING_RATES}
            return checks.one_of(name, value, allowed[name])
        low, high = {"hidden_layers": (0, MAX_HIDDEN_LAYERS), "epochs": (1, MAX_EPOCHS),
                     "seed": (0, 9)}[name]
        checks.real(name, checks.non_negative_int(name, value), low, high)   # whole, in range
        return int(value)

    def apply(self, values: dict) -> None:
        """Take the settings, then build and train the network they describe."""
        super().apply(values)
        self.model, self.history = train_mlp(
            self.X_train, self.Y_train, self.hidden_layers, self.units, self.activation,
            self.learning_rate, self.epochs, self.seed)
        self.test_accuracy = float(self.model.evaluate(self.X_test, self.Y_test, verbose=0)[1])

    @property
    def result(self) -> tuple[int, float]:
        """(number of parameters, test accuracy rounded to 3 decimals) of the last network."""
        return self.model.count_params(), round(self.test_accuracy, 3)

    @property
    def sizes(self) -> str:
        """The layer sizes, input to output: "4-64-64-3"."""
        return "-".join(map(str, [self.X_train.shape[1]] + [self.units] * self.hidden_layers
                            + [self.Y_train.shape[1]]))

    def __repr__(self) -> str:
        settings = ", ".join(f"{name}={value!r}" for name, value in self.settings.items())
        return f"{type(self).__name__}({settings})"
