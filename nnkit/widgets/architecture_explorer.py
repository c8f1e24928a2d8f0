"""ArchitectureExplorer: train one MLP per setting and show its training curves (lesson 06).

    explorer = ArchitectureExplorer(X_train, Y_train, X_test, Y_test)
    explorer                          # in a notebook: sliders for layers, units, activation,
                                      # learning rate, epochs and seed
    explorer.set(hidden_layers=0, learning_rate=0.01)   # what moving two sliders does
    explorer.result                   # (parameters, test accuracy) of that network

Every change of a setting builds a new network ``4 → units × hidden_layers → 3`` (softmax out),
trains it with Adam — ``train_mlp``, the same code as the lesson's model — and redraws the loss
and accuracy curves of its training and validation flowers.  The titles give the parameter count
and the test accuracy.  ``train_mlp`` is also what the lesson's seed table calls.
"""
from __future__ import annotations

import ipywidgets as widgets
from matplotlib.figure import Figure

from nnkit import checks, layers, models, optimizers
from nnkit.plots.curves import loss_curves, update_loss_curves
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, slider_layout

__all__ = ["ArchitectureExplorer", "train_mlp"]

UNITS = (2, 4, 8, 16, 32, 64)
LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1)
ACTIVATIONS = ("relu", "tanh", "sigmoid")
MAX_HIDDEN_LAYERS = 3
DPI = 80


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


class ArchitectureExplorer(LessonWidget):
    """Sliders for an MLP's architecture and training; each change trains a new network.

    X_train: (N, D), Y_train: (N, K) one-hot — trained on (with 20% kept for validation);
    X_test: (M, D), Y_test: (M, K) — only evaluated, for the test accuracy in the title.
    Settings: ``hidden_layers`` (0 … 3), ``units`` (2, 4, … 64), ``activation`` (relu, tanh,
    sigmoid), ``learning_rate`` (0.001 … 0.1), ``epochs`` (10 … 300), ``seed`` (0 … 9).
    Numbers: ``result`` = (parameters, test accuracy); ``model`` and ``history`` of the last run.
    """

    SETTINGS = ("hidden_layers", "units", "activation", "learning_rate", "epochs", "seed")

    def __init__(self, X_train, Y_train, X_test, Y_test, *, hidden_layers: int = 2,
                 units: int = 64, activation: str = "relu", learning_rate: float = 0.001,
                 epochs: int = 100, seed: int = 0):
        super().__init__()
        self.X_train = checks.finite_array("X_train", X_train, ndim=2)
        self.Y_train = checks.finite_array("Y_train", Y_train, ndim=2)
        self.X_test = checks.finite_array("X_test", X_test, ndim=2)
        self.Y_test = checks.finite_array("Y_test", Y_test, ndim=2)
        checks.same_length("X_train", self.X_train, "Y_train", self.Y_train)
        checks.same_length("X_test", self.X_test, "Y_test", self.Y_test)
        values = dict(hidden_layers=hidden_layers, units=units, activation=activation,
                      learning_rate=learning_rate, epochs=epochs, seed=seed)
        for name, value in values.items():
            setattr(self, name, self._check(name, value))
        figure = Figure(figsize=(13, 4), dpi=DPI, layout="constrained")
        ax_loss, ax_accuracy = figure.subplots(1, 2)
        empty = {"loss": [], "val_loss": [], "accuracy": [], "val_accuracy": []}
        self.curves = (loss_curves(ax_loss, empty), loss_curves(ax_accuracy, empty,
                                                                metric="accuracy"))
        ax_accuracy.set_ylim(0, 1.05)
        self.view = FigureView(figure)
        self._train()
        self.draw()

    # ---- logic ----------------------------------------------------------------------------------
    def _check(self, name, value):
        if name in ("units", "activation", "learning_rate"):
            allowed = {"units": UNITS, "activation": ACTIVATIONS, "learning_rate": LEARNING_RATES}
            return checks.one_of(name, value, allowed[name])
        low, high = {"hidden_layers": (0, MAX_HIDDEN_LAYERS), "epochs": (1, 300),
                     "seed": (0, 9)}[name]
        checks.real(name, checks.non_negative_int(name, value), low, high)   # whole, in range
        return int(value)

    def _apply(self, values: dict) -> None:
        super()._apply(values)
        self._train()

    def _train(self) -> None:
        self.model, self.history = train_mlp(
            self.X_train, self.Y_train, self.hidden_layers, self.units, self.activation,
            self.learning_rate, self.epochs, self.seed)
        self.test_accuracy = float(self.model.evaluate(self.X_test, self.Y_test, verbose=0)[1])

    @property
    def result(self) -> tuple[int, float]:
        """(number of parameters, test accuracy rounded to 3 decimals) of the last network."""
        return self.model.count_params(), round(self.test_accuracy, 3)

    # ---- pictures -------------------------------------------------------------------------------
    def draw(self, changed: set | None = None) -> None:
        loss, accuracy = self.curves
        for artists in self.curves:
            update_loss_curves(artists, self.history)
        accuracy.ax.set_ylim(0, 1.05)
        sizes = "-".join(map(str, [self.X_train.shape[1]] + [self.units] * self.hidden_layers
                             + [self.Y_train.shape[1]]))
        loss.ax.set_title(f"{sizes} ({self.activation}): {self.model.count_params():,} parameters")
        accuracy.ax.set_title(f"test accuracy {self.test_accuracy:.3f}")
        self.view.refresh(full=True)

    def _layout(self):
        def slider(name, description, **kwargs):
            kind = widgets.SelectionSlider if "options" in kwargs else widgets.IntSlider
            return self._bind(name, kind(value=getattr(self, name), description=description,
                                         continuous_update=False, style=SLIDER_STYLE,
                                         layout=slider_layout(), **kwargs))

        controls = [
            slider("hidden_layers", "hidden layers", min=0, max=MAX_HIDDEN_LAYERS),
            slider("units", "units", options=list(UNITS)),
            self._bind("activation", widgets.ToggleButtons(
                options=list(ACTIVATIONS), value=self.activation, description="activation",
                style={"description_width": "150px", "button_width": "90px"})),
            slider("learning_rate", "learning rate", options=list(LEARNING_RATES)),
            slider("epochs", "epochs", min=10, max=300, step=10),
            slider("seed", "seed", min=0, max=9),
        ]
        return widgets.VBox([widgets.HBox([widgets.VBox(controls[:3]), widgets.VBox(controls[3:])]),
                             self.view.image, self.message])

    def __repr__(self) -> str:
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.SETTINGS)
        return f"ArchitectureExplorer({settings})"
