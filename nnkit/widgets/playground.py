"""The Playground: TensorFlow Playground in a notebook, on nnkit — and a Python API without one.

    from nnkit.widgets import Playground
    pg = Playground()                       # circle, inputs x₁ x₂, layers [4, 2], tanh, lr 0.03
    pg                                      # the app: press Play
    pg.train(100); pg.loss, pg.epoch        # the same, from code (tests, lessons under nbval)
    pg.set(dataset="spiral", hidden_layers=[8, 8, 8], learning_rate=0.1)
    pg.model                                # an ordinary nnkit Sequential: predict, save, ...
    Playground.from_json(pg.to_json())      # the same configuration, the same initial weights
    Playground(data=(X, y))                 # your own points: X (N, 2), y labels or values

How the pieces fit (DESIGN.md, "How data flows through a live widget")
-----------------------------------------------------------------------
control → ``set(**changes)`` → ``PlaygroundState.set`` (all values checked before any changes)
→ ``Experiment.apply`` rebuilds only what the change needs (``state.py`` says what, per setting:
new points, new initial weights, a fresh optimizer, or just a number the running training picks
up) → the views redraw.  The Python API calls the same ``set``: a test exercises a click.

Pictures: a ``LiveView`` (``nnkit.widgets.live``) draws them in the browser from compact data
that ``ExperimentProducer`` makes.  While playing the kernel's ``FrameLoop`` ticks every
``interval`` ms: one frame = **one epoch** (as TensorFlow Playground's step), sent only while the
browser keeps up; between frames the kernel is idle, so Pause, controls and new cells run.  In
the view: click adds a point (kept in ``state.edits``), hover a neuron, drag the timeline back,
− / + over a layer's column.  Readers without a kernel (nbconvert, GitHub) get one matplotlib
figure instead, ``figure()`` (``nnkit.plots.playground``), drawn only when a notebook asks.

Bad states: a NaN/infinite loss pauses training and the status line says when and what to try;
a bad value from a control is refused with the same words the Python API would raise — no
stack trace ever reaches the learner.
"""
from __future__ import annotations

import html
import time
import warnings

import ipywidgets as widgets
import numpy as np

from nnkit import checks
from nnkit.diagnosis import TrainingDiverged, format_number
from nnkit.i18n import _
from nnkit.plots.fonts import figure_text
from nnkit.labs.experiment import Experiment, problem_text
from nnkit.widgets.controls import STACKED_CSS, DataControls, NetworkControls, TrainingControls
from nnkit.plots.playground import playground_figure
from nnkit.widgets import render
from nnkit.widgets.lesson import with_picture
from nnkit.widgets.live.experiment_producer import ExperimentProducer
from nnkit.widgets.live.view import LiveView
from nnkit.widgets.binding import BUTTON_LAYOUT, close_widgets
from nnkit.labs.state import DATA, FEATURE_LABELS, MAX_UNITS, MODEL, OWN, OwnData, PlaygroundState

__all__ = ["Playground"]

SIZES = {False: (14, 200), True: (19, 285)}   # presenter? → (text px, data column width px)

CSS = """
.nnkit-playground {{ --jp-widgets-font-size: {font}px; --jp-widgets-inline-height: {line}px;
  font-size: {font}px; }}
.nnkit-playground :is(.widget-html, .widget-label, .nnkit-count) {{ font-size: {font}px; }}
.nnkit-playground .nnkit-title {{ font-weight: bold; letter-spacing: 0.06em; color: #333;
  text-transform: uppercase; font-size: {font}px; }}
.nnkit-playground .nnkit-label {{ color: #555; font-size: {small}px; }}
.nnkit-playground .nnkit-count {{ font-weight: bold; }}
.nnkit-playground .nnkit-note .widget-html-content {{ line-height: 1.35; }}
.nnkit-playground :is(.nnkit-epoch, .nnkit-stats b) {{ font-size: {big}px; color: #222; }}
.nnkit-playground .nnkit-stats {{ font-size: {font}px; line-height: 1.5; }}
.nnkit-playground .nnkit-status {{ font-size: {font}px; padding: 4px 8px; border-radius: 4px; }}
.nnkit-playground .nnkit-error {{ background: #fde8e1; color: #8a2a00; }}
.nnkit-playground .nnkit-info {{ background: #eef5fb; color: #1f3b57; }}
"""


def _from_experiment(name: str, doc: str) -> property:
    """A read-only attribute of the Playground that is its experiment's ``name``."""
    return property(lambda self: getattr(self.experiment, name), doc=doc)


class Playground:
    """A neural network you can play with: data, network, training and live pictures.

    data:      your own points ``(X, y)``: X (N, 2); y (N,) class labels 0..K-1 (K ≤ 6) or
               float values (regression).  Default: the generated sets of ``dataset``.
    presenter: larger pictures and text for a projector.
    hide:      controls to hide for a class, e.g. ``["optimizer", "regularization"]``
               (names in ``nnkit.labs.state.HIDEABLE``).
    interval:  milliseconds between frames while playing (16: about 60 pictures a second).
    settings:  any ``PlaygroundState`` setting, e.g. ``dataset="xor"``, ``hidden_layers=[8]``.
    """

    def __init__(self, data=None, *, presenter: bool = False, hide=(), interval: int = 16,
                 resolution: int = 100, state: PlaygroundState | None = None, **settings):
        presenter = checks.boolean("presenter", presenter)
        interval = checks.positive_int("interval", interval)
        if state is None:
            state = PlaygroundState()
            if data is not None:
                settings = {"own_data": OwnData.from_pair(data), "dataset": OWN} | settings
            state.set(hide=hide, **settings)          # validated: errors name the setting
        elif not isinstance(state, PlaygroundState):
            raise TypeError(f"state must be a PlaygroundState (e.g. from Playground.from_json). "
                            f"Received: {type(state).__name__}.")
        elif settings or data is not None or hide:
            raise TypeError("Give either state= or settings (data, hide, dataset=…), not both: "
                            "change a state with state.set(...) first.")
        self.state, self.presenter = state, presenter
        self.experiment = Experiment(state, resolution)
        self.producer = ExperimentProducer(self.experiment, train=self._train_frame)
        self.view = LiveView(self.producer, presenter=presenter, steps_per_frame=1,
                             rate=min(240.0, 1000.0 / max(interval, 1)),
                             unit_buttons=(1, MAX_UNITS))
        self._numbers_at, self._closed = 0.0, False   # when the numbers were last shown
        self._build_widgets()
        self._rebuilt(DATA)
        self.draw()

    # ---- the Python API -------------------------------------------------------------------------
    def set(self, **changes) -> None:
        """Change settings as the controls do; all values are checked before any changes.

        ``pg.set(learning_rate=0.1)`` takes effect at the next step; data, features, layers,
        activation and seed changes rebuild the model (new initial weights, epoch 0).
        ``data=(X, y)`` switches to your own points.
        """
        if "data" in changes:
            own = OwnData.from_pair(changes.pop("data"))
            changes = {"own_data": own, "dataset": OWN} | changes
        changed = self.state.set(**changes)
        if not changed:
            return
        with self.view._lock:
            done = self.experiment.apply(changed)
            self._rebuilt(done, changed)
            if done in (DATA, MODEL) or changed & {"show_test", "hide"}:
                self.view.rebuild()                    # a new network or new points: all of it
                self._show_numbers()
            elif "discretize" in changed:              # the boundary's look (LIVE, OPTIMIZER:
                self.view.show()                       # the same weights, nothing to redraw)

    def train(self, epochs: int = 1) -> float:
        """Train ``epochs`` epochs now (no browser needed) and redraw; returns the training loss.

        One epoch = one pass over the training points in mini-batches of ``batch_size``.  A
        NaN/infinite loss stops there with a ``TrainingDiverged`` warning (and the status line).
        """
        epochs = checks.positive_int("epochs", epochs)
        with self.view._lock:
            self.view.show(self.producer.produce(epochs))
            self._show_numbers()
        if self.experiment.diverged:
            warnings.warn(self.experiment.message, TrainingDiverged, stacklevel=2)
            return self._last_bad_loss
        return self.loss

    def step(self) -> None:
        """One frame (one epoch), as the Step button (pauses first)."""
        self.view.pause()
        self.train(1)

    def play(self) -> None:
        """Start the kernel's frame clock (needs a displayed widget; ``train`` does not)."""
        self.view.play()

    def pause(self) -> None:
        self.view.pause()

    def reset(self) -> None:
        """Back to the initial weights of the current seed, epoch 0 (the Reset button)."""
        with self.view._lock:
            self.experiment.reset()
            self._report("", "info")
            self.draw()

    def new_seed(self) -> None:
        """Different initial weights: seed + 1 (the New seed button)."""
        self.set(seed=self.state.seed + 1)

    def regenerate(self) -> None:
        """New random points of the same kind: data_seed + 1 (the Regenerate button)."""
        self.set(data_seed=self.state.data_seed + 1)

    # what the experiment knows, read-only (``pg.loss``, ``pg.history``, …)
    model = _from_experiment("model", "The nnkit ``Sequential``; its inputs: ``pg.features(X)``.")
    epoch = _from_experiment("epoch", "Epochs trained since the last rebuild or Reset.")
    loss = _from_experiment("loss", "Training loss after the last epoch (without the penalty).")
    test_loss = _from_experiment("test_loss", "Test loss after the last epoch.")
    accuracy = _from_experiment("accuracy", "Training accuracy (None for regression).")
    test_accuracy = _from_experiment("test_accuracy", "Test accuracy (None for regression).")
    history = _from_experiment("history", "Per epoch from 0: loss, test_loss (accuracy, …).")
    data = _from_experiment("data", "The points: .X_train, .y_train, .X_test, .y_test, .extent.")
    diverged = _from_experiment("diverged", "True once the loss became NaN or infinite.")

    status = property(lambda self: self._status_text, doc="The status line's text ('': all well).")
    playing = property(lambda self: self.view.loop.playing, doc="True while the frame clock runs.")

    def features(self, X) -> np.ndarray:
        """The model's inputs for raw points X (N, 2): the chosen features, in order."""
        return self.experiment.features(X)

    def predict(self, X) -> np.ndarray:
        """``model.predict(features(X))``: P(class 1) (N, 1), probabilities (N, K) or values."""
        return self.model.predict(self.features(X))

    def to_json(self) -> str:
        """Every setting as JSON; ``Playground.from_json(text)`` rebuilds the same Playground."""
        return self.state.to_json()

    @classmethod
    def from_json(cls, text: str, *, presenter: bool = False, interval: int = 16) -> "Playground":
        """A Playground with exactly the settings ``to_json`` saved (same seed → same weights)."""
        return cls(state=PlaygroundState.from_json(text), presenter=presenter, interval=interval)

    def figure(self):
        """A matplotlib Figure of the pictures now: network, boundary, loss (what is shown)."""
        exp = self.experiment
        title = (figure_text("Epoch {epoch}   training loss {loss}   test loss {test_loss}").format(
                     epoch=f"{exp.epoch:,}", loss=format_number(exp.loss),
                     test_loss=format_number(exp.test_loss))
                 + ("" if exp.accuracy is None else
                    "   " + figure_text("accuracy: training {train}, test {test}").format(
                        train=f"{exp.accuracy:.0%}", test=f"{exp.test_accuracy:.0%}")))
        labels = [FEATURE_LABELS[f] for f in self.state.features]
        return playground_figure(exp, input_labels=labels, hide=self.state.hide,
                                 title="\n".join(filter(None, [title, self.status])),
                                 scale=1.35 if self.presenter else 1.0)

    def close(self) -> None:
        """Stop, and close every widget (layouts and styles too)."""
        if self._closed:
            return
        self._closed = True
        self.view.loop.pause()
        for group in self.groups:
            group.close()
        close_widgets(self.widget, self.view)

    # ---- frames ---------------------------------------------------------------------------------
    def _train_frame(self, epochs: int) -> float:
        """What one step of the producer does: train, and say so in the status line."""
        exp = self.experiment
        loss = exp.train(epochs)
        if exp.diverged:
            self._last_bad_loss = loss
            self.view._pause()                      # inside the loop's tick: stops the clock
            self._report(exp.message, "error")
            self._show_numbers()
        else:
            hint, level = exp.hint, self._status_level    # hint: the loss climbs, no NaN yet
            if level in ("diverged", "hint") or (hint and level != "error"):
                self._report(hint, "hint" if hint else "info")
        if not self.view.loop.playing or time.perf_counter() - self._numbers_at > 0.25:
            self._show_numbers()                    # while playing: 4 times a second is enough
        return loss

    def draw(self) -> None:
        """Show the current model's pictures and numbers (no training)."""
        self.view.show()
        self._show_numbers()

    def _show_numbers(self) -> None:
        exp = self.experiment
        self._numbers_at = time.perf_counter()
        self.epoch_label.value = ("<span class='nnkit-epoch'>"
                                  + _("Epoch {epoch}").format(epoch=f"<b>{exp.epoch:,}</b>")
                                  + "</span>")
        self.stats.value = _stats_html(exp)

    def _report(self, text: str, level: str = "info") -> None:
        """Show ``text`` in the status line; level "info", "hint" or "error" ("" hides it)."""
        self._status_text = text
        self._status_level = "diverged" if level == "error" and self.experiment.diverged else level
        css = "nnkit-error" if level in ("error", "hint") else "nnkit-info"
        self.status_line.value = (f"<div class='nnkit-status {css}'>{html.escape(text)}</div>"
                                  if text else "")

    def _from_control(self, **changes) -> None:
        """A control changed: like ``set``, but a refusal is shown in words, never raised."""
        try:
            self.set(**changes)                      # syncs the controls once if it changed
        except (ValueError, TypeError) as err:
            self._report(str(err), "error")
        except Exception as err:                     # a bug: still no stack trace for the learner
            self._report(_("That change did not work ({error}). The Playground kept its "
                           "previous settings.").format(error=f"{type(err).__name__}: {err}"),
                         "error")
        else:
            if self._status_level == "error":
                self._report("", "info")
            return
        self._sync_controls()                        # refused: show the state as it really is

    # ---- building -------------------------------------------------------------------------------
    def _rebuilt(self, done: str, changed=frozenset()) -> None:
        """After ``Experiment.apply`` did ``done``: refresh what depends on it."""
        if done in (DATA, MODEL) and self._status_level in ("diverged", "hint"):
            self._report("", "info")                 # a fresh network: the warning is over
        if "hide" in changed:
            self._apply_hide()
        self.problem.value = f"<span class='nnkit-label'>{problem_text(self.state)}</span>"
        self._sync_controls()

    def _sync_controls(self) -> None:
        """Every control shows the state's value (without calling ``set`` back)."""
        for group in self.groups:
            group.sync()

    def _build_widgets(self) -> None:
        font, column = SIZES[self.presenter]
        self._status_text, self._status_level, self._last_bad_loss = "", "info", float("nan")
        apply = self._from_control
        self.data_controls = DataControls(self.state, apply, width=f"{column - 10}px")
        self.network_controls = NetworkControls(self.state, apply)
        self.training_controls = TrainingControls(self.state, apply)
        self.groups = [self.data_controls, self.network_controls, self.training_controls]
        # (Play/Pause is the live view's own button: the browser drops its queue at once)
        def button(text, icon, tip, action, **size):
            b = widgets.Button(description=text, icon=icon, tooltip=tip,
                               layout=widgets.Layout(**(size or BUTTON_LAYOUT)))
            b.on_click(lambda _: action())
            return b
        self.step_button = button(_("Step"), "step-forward", _("One epoch of training"), self.step)
        self.reset_button = button(_("Reset"), "undo", _("Back to the initial weights"), self.reset)
        self.new_seed_button = button(_("New seed"), "random", _("Different initial weights"),
                                      lambda: self._from_control(seed=self.state.seed + 1),
                                      width="auto", height="40px")
        self.view.observe(lambda change: change["new"] or self._show_numbers(), names="playing")
        self.view.on_units = self.network_controls.change_units    # − / + over a column
        self.epoch_label = widgets.HTML(layout=widgets.Layout(margin="0 16px", min_width="150px"))
        self.problem = widgets.HTML(layout=widgets.Layout(margin="0 0 6px 0"))
        self.problem.add_class("nnkit-note")
        self.stats = widgets.HTML(layout=widgets.Layout(min_height="3.2em"))
        self.status_line = widgets.HTML(layout=widgets.Layout(width="100%"))
        css = (CSS.format(font=font, small=font - 1, big=font + 4, line=int(font * 2.1))
               + STACKED_CSS)
        t, n = self.training_controls, self.network_controls
        top = widgets.HBox(
            [self.step_button, self.reset_button, self.new_seed_button, self.epoch_label,
             t.controls["learning_rate"], n.controls["activation"], t.controls["optimizer"],
             t.controls["regularization"], t.controls["regularization_rate"]],
            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-end"))

        def title(text, extra=""):
            return widgets.HTML(f"{extra}<span class='nnkit-title'>{text}</span>")
        d = self.data_controls.controls
        data_column = widgets.VBox(
            [title(_("Data"), f"<style>{css}</style>"), d["dataset"], self.problem, d["n_classes"],
             d["train_fraction"], d["noise"], d["n_samples"], t.controls["batch_size"],
             d["regenerate"]],
            layout=widgets.Layout(width=f"{column}px", margin="0 12px 0 0"))
        show = widgets.HBox([d["show_test"], d["discretize"]])
        network_and_output = widgets.VBox(
            [title(_("Features and network")), n.controls["features"], n.controls["hidden_layers"],
             title(_("Output")), widgets.HBox([self.stats, show],
                                           layout=widgets.Layout(align_items="center")),
             self.view])
        main = widgets.HBox([data_column, network_and_output],
                            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"))
        self.widget = widgets.VBox([top, self.status_line, main],
                                   layout=widgets.Layout(padding="6px"))
        self.widget.add_class("nnkit-playground")
        if self.presenter:
            self.widget.add_class("nnkit-presenter")
        self._hideable = {**d, **n.controls, **t.controls,
                          "new_seed": self.new_seed_button, "step": self.step_button,
                          "reset": self.reset_button, "stats": self.stats}
        self._apply_hide()

    def _apply_hide(self) -> None:
        """Hide controls; "network" and "curves" are parts of the live view (its layout)."""
        for group in self.groups:
            group.hide(self.state.hide)
        for name in ("new_seed", "step", "reset", "stats"):
            self._hideable[name].layout.display = "none" if name in self.state.hide else None

    # ---- display --------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        """The live widget, plus one PNG of ``figure()`` for readers without a kernel."""
        if self._closed:
            return {"text/plain": repr(self) + " (closed)"}
        return with_picture(self.widget._repr_mimebundle_(**kwargs),
                            render.figure_png(self.figure()))

    def __repr__(self) -> str:
        s = self.state
        return (f"Playground(dataset={s.dataset!r}, features={list(s.features)}, "
                f"hidden_layers={list(s.hidden_layers)}, activation={s.activation!r}, "
                f"learning_rate={s.learning_rate:g}, epoch={self.epoch}, "
                f"loss={format_number(self.loss)}, test_loss={format_number(self.test_loss)})")


def _stats_html(exp: Experiment) -> str:
    def number(v):
        return format_number(v) if np.isfinite(v) else "—"
    text = (_("Test loss {test_loss}").format(test_loss=f"<b>{number(exp.test_loss)}</b>")
            + " &nbsp; " + _("Training loss {loss}").format(loss=f"<b>{number(exp.loss)}</b>"))
    if exp.accuracy is not None:
        text += "<br>" + _("Accuracy: test {test} &nbsp; training {train}").format(
            test=f"{exp.test_accuracy:.0%}", train=f"{exp.accuracy:.0%}")
    return f"<div class='nnkit-stats'>{text}</div>"
