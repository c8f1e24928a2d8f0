"""ArchitectureExplorer: train one MLP per setting and show its training curves (lesson 06).

    explorer = ArchitectureExplorer(X_train, Y_train, X_test, Y_test)
    explorer                          # in a notebook: sliders for layers, units, activation,
                                      # learning rate, epochs and seed
    explorer.set(hidden_layers=0, learning_rate=0.01)   # what moving two sliders does
    explorer.result                   # (parameters, test accuracy) of that network

Every change of a setting builds a new network ``4 → units × hidden_layers → 3`` (softmax out)
and trains it with Adam — ``nnkit.labs.architecture``: ``train_mlp``, the same code as the
lesson's model and its seed table — and this widget redraws the loss and accuracy curves of its
training and validation flowers.  The titles give the parameter count and the test accuracy.
"""
from __future__ import annotations

import ipywidgets as widgets
from matplotlib.figure import Figure

from nnkit.labs.architecture import (ACTIVATIONS, LEARNING_RATES, MAX_EPOCHS, MAX_HIDDEN_LAYERS,
                                    UNITS, ArchitectureLab, train_mlp)
from nnkit.plots.curves import loss_curves, update_loss_curves
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, slider_layout
from nnkit.i18n import _
from nnkit.plots.fonts import figure_text

__all__ = ["ArchitectureExplorer", "train_mlp"]

DPI = 80


class ArchitectureExplorer(LessonWidget):
    """Sliders for an MLP's architecture and training; each change trains a new network.

    X_train: (N, D), Y_train: (N, K) one-hot — trained on (with 20% kept for validation);
    X_test: (M, D), Y_test: (M, K) — only evaluated, for the test accuracy in the title.
    Settings: ``hidden_layers`` (0 … 3), ``units`` (2, 4, … 64), ``activation`` (relu, tanh,
    sigmoid), ``learning_rate`` (0.001 … 0.1), ``epochs`` (10 … 300), ``seed`` (0 … 9).
    Numbers: ``result`` = (parameters, test accuracy); ``model`` and ``history`` of the last run.
    """

    SETTINGS = ArchitectureLab.SETTINGS

    def __init__(self, X_train, Y_train, X_test, Y_test, *, hidden_layers: int = 2,
                 units: int = 64, activation: str = "relu", learning_rate: float = 0.001,
                 epochs: int = 100, seed: int = 0):
        super().__init__()
        self.lab = ArchitectureLab(X_train, Y_train, X_test, Y_test, hidden_layers=hidden_layers,
                                   units=units, activation=activation,
                                   learning_rate=learning_rate, epochs=epochs, seed=seed)
        figure = Figure(figsize=(13, 4), dpi=DPI, layout="constrained")
        ax_loss, ax_accuracy = figure.subplots(1, 2)
        empty = {"loss": [], "val_loss": [], "accuracy": [], "val_accuracy": []}
        self.curves = (loss_curves(ax_loss, empty), loss_curves(ax_accuracy, empty,
                                                                metric="accuracy"))
        self.view = FigureView(figure)
        self.draw()

    # ---- pictures -------------------------------------------------------------------------------
    def draw(self, changed: set | None = None) -> None:
        loss, accuracy = self.curves
        for artists in self.curves:
            update_loss_curves(artists, self.history)
        accuracy.ax.set_ylim(0, 1.05)
        loss.ax.set_title(figure_text("{sizes} ({activation}): {count} parameters").format(
            sizes=self.sizes, activation=self.activation, count=f"{self.model.count_params():,}"))
        accuracy.ax.set_title(figure_text("test accuracy {accuracy}").format(
            accuracy=f"{self.test_accuracy:.3f}"))
        self.view.refresh(full=True)

    def _layout(self):
        def slider(name, description, **kwargs):
            kind = widgets.SelectionSlider if "options" in kwargs else widgets.IntSlider
            return self._bind(name, kind(value=getattr(self, name), description=description,
                                         continuous_update=False, style=SLIDER_STYLE,
                                         layout=slider_layout(), **kwargs))

        controls = [
            slider("hidden_layers", _("hidden layers"), min=0, max=MAX_HIDDEN_LAYERS),
            slider("units", _("units"), options=list(UNITS)),
            self._bind("activation", widgets.ToggleButtons(
                options=list(ACTIVATIONS), value=self.activation, description=_("activation"),
                style={"description_width": "150px", "button_width": "90px"})),
            slider("learning_rate", _("learning rate"), options=list(LEARNING_RATES)),
            slider("epochs", _("epochs"), min=10, max=MAX_EPOCHS, step=10),
            slider("seed", _("seed"), min=0, max=9),
        ]
        return widgets.VBox([widgets.HBox([widgets.VBox(controls[:3]), widgets.VBox(controls[3:])]),
                             self.view.image, self.message])

    def __repr__(self) -> str:
        return repr(self.lab).replace("ArchitectureLab", "ArchitectureExplorer")
