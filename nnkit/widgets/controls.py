"""Reusable groups of controls, each bound to a state object and a function that changes it.

A group never changes a model or a picture itself.  A control's new value becomes a call
``apply(setting=value)``; the widget that owns the group (the Playground, a lesson widget)
validates it, changes its state and redraws.  When the state changes some other way (the
Python API, a Reset), ``group.sync(state)`` shows the new values without calling ``apply``
again.  Every group offers its widgets by setting name in ``controls`` (for layout and for
``hide``) and closes all of them, layouts and styles included, with ``close()``.

    data = DataControls(state, apply=pg.set)
    data.controls["noise"]          # a labelled slider
    data.sync(state)                # after state.set(...)

The bound state needs the attributes a group reads (``PlaygroundState`` has them all).
"""
from __future__ import annotations

from typing import Callable

import ipywidgets as widgets

from nnkit.labs.state import (ACTIVATIONS, FEATURE_LABELS, FEATURES, LEARNING_RATES,
                              MAX_LAYERS, MAX_UNITS, REGULARIZATION_RATES)
from nnkit.i18n import N_, _, ngettext
from nnkit.widgets.binding import Bound
from nnkit.widgets.binding import close_widgets

__all__ = ["ControlGroup", "DataControls", "NetworkControls", "TrainingControls", "labelled",
           "STACKED_CSS", "DATASET_NAMES"]

# Shown names, marked with N_ and translated with _() where a control is built (so they follow
# nnkit.set_language called after import).
DATASET_NAMES = {"circle": N_("circle"), "xor": N_("exclusive or (xor)"),
                 "gauss": N_("two Gaussians"), "spiral": N_("spiral"), "moons": N_("moons"),
                 "blobs": N_("blobs (several classes)"), "sin": N_("above/below x₂ = 3 sin x₁"),
                 "cubic": N_("above/below a cubic"), "abs": N_("above/below x₂ = |x₁| − 3"),
                 "plane": N_("plane (regression)"), "multi_gauss": N_("hills (regression)"),
                 "own": N_("your data")}
ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "linear": N_("linear"),
                    "leaky_relu": "leaky ReLU"}
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": N_("SGD + momentum"), "adam": "Adam"}
REGULARIZATION_NAMES = {"none": N_("none"), "l1": "L1", "l2": "L2"}


def labelled(text: str, control: widgets.Widget, width: str | None = None) -> widgets.Widget:
    """Give ``control`` a caption that sits above it (CSS class ``nnkit-stacked``).

    The caption is the control's own ``description`` — no extra widgets — and a stylesheet
    (``STACKED_CSS``, part of the Playground's) moves it above the control, as TensorFlow
    Playground shows them.  Without the stylesheet it stays on the left, still readable.
    """
    control.description = text
    control.style.description_width = "initial"
    control.add_class("nnkit-stacked")
    if width is not None:
        control.layout.width = width
    return control


STACKED_CSS = """
.nnkit-stacked.widget-inline-hbox { flex-wrap: wrap; height: auto; }
.nnkit-stacked.widget-inline-hbox > .widget-label { flex: 0 0 100%; width: 100%; max-width: 100%;
  text-align: left; color: #555; margin: 0 0 2px 0; line-height: 1.3; }
.nnkit-stacked.widget-inline-hbox > select, .nnkit-stacked .slider-container { flex: 1 1 auto; }
"""


def _rate_options(rates, current: float) -> list[tuple[str, float]]:
    values = sorted(set(rates) | {current})
    return [(f"{v:g}", v) for v in values]


class ControlGroup(Bound):
    """Base: ``controls`` by setting name, quiet ``sync``, ``hide`` and ``close``."""

    def __init__(self, state, apply: Callable[..., None]):
        super().__init__()
        self.state = state
        self._apply = apply
        self.widget: widgets.Box | None = None

    def _bind(self, control: widgets.Widget, setting: str, convert=None) -> None:
        """control.value changes → apply(setting=convert(value)), unless we are syncing."""
        self._observe(control, lambda value: self._apply(
            **{setting: value if convert is None else convert(value)}))

    def sync(self, state=None) -> None:
        """Show ``state``'s values (default: the bound state) without calling apply."""
        with self._quiet():
            self._show(state or self.state)

    def _show(self, state) -> None:
        raise NotImplementedError

    def hide(self, names) -> None:
        """Hide the controls named in ``names``, show the others."""
        for name, control in self.controls.items():
            control.layout.display = "none" if name in names else None

    def close(self) -> None:
        close_widgets(self.widget, *self.controls.values())


class DataControls(ControlGroup):
    """dataset, n_classes (blobs), training share, noise, number of points, regenerate,
    show test data, discretize output."""

    def __init__(self, state, apply, width: str = "215px"):
        super().__init__(state, apply)
        options = [(_(DATASET_NAMES[name]), name) for name in DATASET_NAMES
                   if name != "own" or state.own_data is not None]
        self.dataset = widgets.Dropdown(options=options, layout=widgets.Layout(width="100%"))
        def slider(**kwargs):                    # each control needs a Layout of its own
            return widgets.IntSlider(continuous_update=False,
                                     layout=widgets.Layout(width="100%"), **kwargs)
        self.n_classes = slider(min=2, max=6)
        self.train_percent = slider(min=10, max=90, step=10)
        self.noise_percent = slider(min=0, max=50, step=5)
        self.n_samples = slider(min=10, max=2000, step=10)
        self.regenerate = widgets.Button(description=_("Regenerate"), icon="refresh",
                                         tooltip=_("New random points (a new data seed)"),
                                         layout=widgets.Layout(width="auto", height="36px"))
        self.show_test = widgets.Checkbox(description=_("Show test data"), indent=False)
        self.discretize = widgets.Checkbox(description=_("Discretize output"), indent=False)
        self._bind(self.dataset, "dataset")
        self._bind(self.n_classes, "n_classes")
        self._bind(self.train_percent, "train_fraction", lambda v: v / 100)
        self._bind(self.noise_percent, "noise", lambda v: v / 100)
        self._bind(self.n_samples, "n_samples")
        self._bind(self.show_test, "show_test")
        self._bind(self.discretize, "discretize")
        self.regenerate.on_click(lambda _: self._apply(data_seed=self.state.data_seed + 1))
        self.controls = {
            "dataset": labelled(_("Data set"), self.dataset, width),
            "n_classes": labelled(_("Classes"), self.n_classes, width),
            "train_fraction": labelled(_("Training data (%)"), self.train_percent, width),
            "noise": labelled(_("Noise (%)"), self.noise_percent, width),
            "n_samples": labelled(_("Number of points"), self.n_samples, width),
            "regenerate": self.regenerate,
            "show_test": self.show_test,
            "discretize": self.discretize,
        }
        self.widget = widgets.VBox(list(self.controls.values()))
        self.sync()

    def _show(self, state) -> None:
        self.dataset.value = state.dataset
        self.n_classes.value = state.n_classes
        self.train_percent.value = int(round(state.train_fraction * 100))
        self.noise_percent.value = int(round(state.noise * 100))
        self.n_samples.value = state.n_samples
        self.show_test.value = state.show_test
        self.discretize.value = state.discretize
        self.discretize.disabled = state.kind == "regression"
        own = state.dataset == "own"
        self.noise_percent.disabled = self.n_samples.disabled = own
        self._show_classes(state)

    def _show_classes(self, state) -> None:
        """The number of classes matters only for blobs: shown then (unless hidden)."""
        wanted = state.dataset == "blobs" and "n_classes" not in state.hide
        self.n_classes.layout.display = None if wanted else "none"

    def hide(self, names) -> None:
        super().hide(names)
        self._show_classes(self.state)


class NetworkControls(ControlGroup):
    """Input features (toggles), hidden layers (+/−), activation; ``change_units`` for the
    neurons per layer (its − / + sit over the network picture's columns, in the live view)."""

    def __init__(self, state, apply):
        super().__init__(state, apply)
        small = dict(width="34px", height="30px", padding="0px")
        self.features = [widgets.ToggleButton(description=FEATURE_LABELS[f], tooltip=f,
                                              layout=widgets.Layout(width="auto", min_width="46px"))
                         for f in FEATURES]
        for toggle in self.features:
            self._observe(toggle, self._on_feature)
        self.add_layer = widgets.Button(icon="plus", tooltip=_("Add a hidden layer"),
                                        layout=widgets.Layout(**small))
        self.remove_layer = widgets.Button(icon="minus", tooltip=_("Remove the last hidden layer"),
                                           layout=widgets.Layout(**small))
        self.layer_count = widgets.HTML()
        self.add_layer.on_click(lambda _: self._change_layers(+1))
        self.remove_layer.on_click(lambda _: self._change_layers(-1))
        self.activation = widgets.Dropdown(
            options=[(_(ACTIVATION_NAMES[a]), a) for a in ACTIVATIONS],
            layout=widgets.Layout(width="8.5em"))
        self._bind(self.activation, "activation")
        self.controls = {
            "features": widgets.HBox([widgets.HTML("<span class='nnkit-label'>" + _("Inputs") + "</span>",
                                                   layout=widgets.Layout(margin="0 6px 0 0"))]
                                     + self.features,
                                     layout=widgets.Layout(flex_flow="row wrap",
                                                           align_items="center")),
            "hidden_layers": widgets.HBox([self.remove_layer, self.add_layer, self.layer_count],
                                          layout=widgets.Layout(align_items="center")),
            "activation": labelled(_("Activation"), self.activation),
        }
        self.widget = widgets.VBox([self.controls["features"], self.controls["hidden_layers"]])
        self.sync()

    def _on_feature(self, _value) -> None:
        picked = [f for f, toggle in zip(FEATURES, self.features) if toggle.value]
        self._apply(features=picked)

    def _change_layers(self, delta: int) -> None:
        layers = list(self.state.hidden_layers)
        if delta > 0:
            layers.append(layers[-1] if layers else 4)
        elif layers:
            layers.pop()
        if len(layers) <= MAX_LAYERS:
            self._apply(hidden_layers=layers)

    def change_units(self, layer: int, delta: int) -> None:
        """One neuron more (delta +1) or less (−1) in hidden layer ``layer`` (0-based)."""
        layers = list(self.state.hidden_layers)
        if 0 <= layer < len(layers) and 1 <= layers[layer] + delta <= MAX_UNITS:
            layers[layer] += delta
            self._apply(hidden_layers=layers)

    def _show(self, state) -> None:
        for f, toggle in zip(FEATURES, self.features):
            toggle.value = f in state.features
            toggle.button_style = "info" if toggle.value else ""
        layers = state.hidden_layers
        n = len(layers)
        self.layer_count.value = ngettext("{count} hidden layer", "{count} hidden layers",
                                          n).format(count=f"<span class='nnkit-count'>{n}</span>")
        self.add_layer.disabled = n >= MAX_LAYERS
        self.remove_layer.disabled = n == 0
        self.activation.value = state.activation


class TrainingControls(ControlGroup):
    """learning rate, optimizer, batch size, regularization and its rate."""

    def __init__(self, state, apply):
        super().__init__(state, apply)
        self.learning_rate = widgets.Dropdown(options=_rate_options(LEARNING_RATES, 0.03),
                                              layout=widgets.Layout(width="8em"))
        self.optimizer = widgets.Dropdown(options=[(_(v), k) for k, v in OPTIMIZER_NAMES.items()],
                                          layout=widgets.Layout(width="10.5em"))
        self.regularization = widgets.Dropdown(
            options=[(_(v), k) for k, v in REGULARIZATION_NAMES.items()],
            layout=widgets.Layout(width="8.5em"))
        self.regularization_rate = widgets.Dropdown(
            options=_rate_options(REGULARIZATION_RATES, 0.0), layout=widgets.Layout(width="10em"))
        self.batch_size = widgets.IntSlider(min=1, max=64, continuous_update=False,
                                            layout=widgets.Layout(width="100%"))
        self._bind(self.learning_rate, "learning_rate")
        self._bind(self.optimizer, "optimizer")
        self._observe(self.regularization, self._on_regularization)
        self._bind(self.regularization_rate, "regularization_rate")
        self._bind(self.batch_size, "batch_size")
        self.controls = {
            "learning_rate": labelled(_("Learning rate"), self.learning_rate),
            "optimizer": labelled(_("Optimizer"), self.optimizer),
            "regularization": labelled(_("Regularization"), self.regularization),
            "regularization_rate": labelled(_("Regularization rate"), self.regularization_rate),
            "batch_size": labelled(_("Batch size"), self.batch_size),
        }
        self.widget = widgets.HBox(list(self.controls.values()),
                                   layout=widgets.Layout(flex_flow="row wrap"))
        self.sync()

    def _on_regularization(self, value) -> None:
        """Choosing L1/L2 while the rate is 0 would change nothing: start at 0.001 then."""
        changes = {"regularization": value}
        if value != "none" and self.state.regularization_rate == 0:
            changes["regularization_rate"] = 0.001
        self._apply(**changes)

    def _show(self, state) -> None:
        options = _rate_options(LEARNING_RATES, state.learning_rate)
        if list(self.learning_rate.options) != options:
            self.learning_rate.options = options
        self.learning_rate.value = state.learning_rate
        options = _rate_options(REGULARIZATION_RATES, state.regularization_rate)
        if list(self.regularization_rate.options) != options:
            self.regularization_rate.options = options
        self.regularization_rate.value = state.regularization_rate
        self.regularization_rate.disabled = state.regularization == "none"
        self.optimizer.value = state.optimizer
        self.regularization.value = state.regularization
        self.batch_size.value = state.batch_size
