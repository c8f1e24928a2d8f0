"""BackpropStepper: Next / Back through one training step of a 2-2-1 network (lesson §3.4).

    stepper = BackpropStepper()            # x = (0.05, 0.10), y = 0.01, round starting weights
    stepper.next(); stepper.next()         # forward: hidden layer, then output layer
    stepper.stage                          # "forward_output"
    stepper.formula_text()                 # the lesson's formulas with this stage's numbers
    stepper.gradients                      # ∂L/∂W as shown — equal to nnkit.gradcheck's

The four steps of the lesson, one screen each: forward pass (hidden, output), loss, backward
pass (output layer, then hidden layer) and the update.  After the update, Next starts the next
iteration with the new weights, and the loss drops.  The numbers come from ``BackpropSteps``.
"""
from __future__ import annotations

import ipywidgets as widgets
from matplotlib.figure import Figure

from nnkit import checks
from nnkit.diagnosis import format_number
from nnkit.plots import backprop as backprop_plot
from nnkit.labs.backprop_steps import LOSSES, STAGE_TITLES, STAGES, BackpropSteps
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, slider_layout
from nnkit.i18n import _

__all__ = ["BackpropStepper"]


def _button_layout() -> widgets.Layout:
    return widgets.Layout(width="auto", min_width="110px", height="40px")


def _n(value: float) -> str:
    """A number inside the formulas: four significant figures, negative ones in brackets."""
    text = format_number(value, 4)
    return f"({text})" if text.startswith("-") else text


class BackpropStepper(LessonWidget):
    """A 2-2-1 sigmoid network on one example, one stage of training at a time.

    Settings: ``learning_rate`` (α), ``loss`` ("mse" or "binary_crossentropy"), ``x1``, ``x2``,
    ``y``.  Changing x, y or the loss recomputes this iteration with the same weights.
    Buttons / methods: ``next()``, ``back()``, ``reset()``.  Numbers, read from the ``lab``
    (``BackpropSteps``): ``stage``, ``iteration``, ``numbers`` (every value of the step),
    ``gradients`` (∂L/∂W keyed like ``gradcheck.check_model``), and ``loss_value``.
    """

    SETTINGS = ("learning_rate", "loss", "x1", "x2", "y")

    def __init__(self, x=(0.05, 0.10), y: float = 0.01, loss: str = "mse",
                 learning_rate: float = 0.5, weights="example"):
        super().__init__()
        self.steps = self.lab = BackpropSteps(x, y, loss, learning_rate, weights)
        figure = Figure(figsize=(13.0, 6.6), dpi=80, layout="constrained")
        self.artists = backprop_plot.backprop_diagram(figure.add_subplot(), self.steps.numbers,
                                                      self.stage)
        self.view = FigureView(figure)
        self.formula = widgets.HTMLMath()
        self.title = widgets.HTML()
        self.draw()

    # ---- settings and numbers are the lab's (learning_rate, loss, y, stage, numbers…) ---------
    @property
    def x1(self) -> float:
        return float(self.steps.x[0])

    @property
    def x2(self) -> float:
        return float(self.steps.x[1])

    def _check(self, name, value):
        if name == "learning_rate":
            return checks.positive_float("learning_rate", value, hint=" Try 0.1 to 2.")
        if name == "loss":
            return checks.one_of("loss", value, LOSSES)
        if name == "y":
            return checks.fraction("y", value, high_open=False)
        return checks.real(name, value)

    def _apply(self, values: dict) -> None:
        s = self.steps
        s.learning_rate = values.get("learning_rate", s.learning_rate)
        s.loss = values.get("loss", s.loss)
        s.y = values.get("y", s.y)
        s.x = s.check_x([values.get("x1", s.x[0]), values.get("x2", s.x[1])])
        s.recompute()

    # ---- stepping -------------------------------------------------------------------------------
    @property
    def loss_value(self) -> float:
        return float(self.steps.numbers["L"])

    def next(self) -> str:
        self.steps.next()
        self.draw()
        return self.stage

    def back(self) -> str:
        self.steps.back()
        self.draw()
        return self.stage

    def reset(self) -> None:
        self.steps.reset()
        self.draw()

    # ---- pictures and formulas ------------------------------------------------------------------
    def draw(self, changed: set | None = None) -> None:
        backprop_plot.update_backprop_diagram(self.artists, self.steps.numbers, self.stage)
        self.view.refresh()
        k = STAGES.index(self.stage)
        self.title.value = ('<div style="font-size:20px;font-weight:600">' +
                            _("Iteration {iteration}, step {k} of {n}: {title}").format(
                                iteration=self.iteration, k=k, n=len(STAGES) - 1,
                                title=_(STAGE_TITLES[self.stage])) + '</div>')
        self.formula.value = self.formula_text()
        buttons = getattr(self, "buttons", {})
        if buttons:
            buttons["back"].disabled = k == 0
        self.report("")

    def formula_text(self) -> str:
        """The formulas of the current stage with every number filled in (LaTeX for HTMLMath)."""
        n, s = self.steps.numbers, self.stage
        x, w1, b1, w2, b2 = n["x"], n["w1"], n["b1"], n["w2"], n["b2"]
        rows = []
        if s == "start":
            rows.append(rf"x = ({_n(x[0])}, {_n(x[1])}),\quad y = {_n(n['y'])},\quad "
                        rf"\alpha = {_n(self.learning_rate)}")
            rows.append(r"h_l = f_l\Big(\sum_j W_{ij} h_{l-1} + b_l\Big),\quad f = \sigma")
        elif s == "forward_hidden":
            for i in range(2):
                rows.append(rf"z^{{(1)}}_{i + 1} = w^{{(1)}}_{{{i + 1}1}}x_1 + w^{{(1)}}_{{{i + 1}2}}x_2"
                            rf" + b^{{(1)}}_{i + 1} = {_n(w1[i, 0])}\cdot{_n(x[0])} + "
                            rf"{_n(w1[i, 1])}\cdot{_n(x[1])} + {_n(b1[i])} = {_n(n['z1'][i])}")
                rows.append(rf"h^{{(1)}}_{i + 1} = \sigma(z^{{(1)}}_{i + 1}) = \sigma({_n(n['z1'][i])})"
                            rf" = {_n(n['h1'][i])}")
        elif s == "forward_output":
            h1 = n["h1"]
            rows.append(rf"z^{{(2)}} = w^{{(2)}}_1 h_1 + w^{{(2)}}_2 h_2 + b^{{(2)}} = {_n(w2[0])}"
                        rf"\cdot{_n(h1[0])} + {_n(w2[1])}\cdot{_n(h1[1])} + {_n(b2)} = {_n(n['z2'])}")
            rows.append(rf"\hat y = \sigma(z^{{(2)}}) = \sigma({_n(n['z2'])}) = {_n(n['y_hat'])}")
        elif s == "loss":
            rows.append(self._loss_formula())
        elif s == "backward_output":
            rows.append(self._output_delta())
            rows.append(r",\qquad ".join(
                rf"\frac{{\partial L}}{{\partial w^{{(2)}}_{j + 1}}} = \delta^{{(2)}} h_{j + 1}"
                rf" = {_n(n['delta2'])}\cdot{_n(n['h1'][j])} = {_n(n['dw2'][j])}" for j in range(2)))
            rows.append(rf"\frac{{\partial L}}{{\partial b^{{(2)}}}} = \delta^{{(2)}} = {_n(n['db2'])}")
        elif s == "backward_hidden":
            for j in range(2):
                h = n["h1"][j]
                rows.append(rf"\delta^{{(1)}}_{j + 1} = w^{{(2)}}_{j + 1}\,\delta^{{(2)}}\cdot "
                            rf"h_{j + 1}(1-h_{j + 1}) = {_n(w2[j])}\cdot{_n(n['delta2'])}\cdot "
                            rf"{_n(h)}\,(1-{_n(h)}) = {_n(n['delta1'][j])}")
            for j in range(2):                             # one row per hidden neuron
                rows.append(r",\qquad ".join(
                    rf"\frac{{\partial L}}{{\partial w^{{(1)}}_{{{j + 1}{k + 1}}}}} = "
                    rf"\delta^{{(1)}}_{j + 1} x_{k + 1} = {_n(n['delta1'][j])}\cdot"
                    rf"{_n(x[k])} = {_n(n['dw1'][j, k])}" for k in range(2)))
            rows.append(rf"\frac{{\partial L}}{{\partial b^{{(1)}}_1}} = {_n(n['db1'][0])},\quad"
                        rf"\frac{{\partial L}}{{\partial b^{{(1)}}_2}} = {_n(n['db1'][1])}")
        else:                                                   # update
            a = _n(self.learning_rate)
            rows.append(r"W_{new} = W_{old} - \alpha\,\nabla L")
            rows.append(r",\qquad ".join(
                rf"w^{{(2)}}_{j + 1} = {_n(w2[j])} - {a}\cdot{_n(n['dw2'][j])} = "
                rf"{_n(n['new_w2'][j])}" for j in range(2)))
            for i in range(2):
                rows.append(r",\qquad ".join(
                    rf"w^{{(1)}}_{{{i + 1}{j + 1}}} = {_n(w1[i, j])} - {a}\cdot"
                    rf"{_n(n['dw1'][i, j])} = {_n(n['new_w1'][i, j])}" for j in range(2)))
            rows.append(rf"b^{{(2)}} = {_n(b2)} - {a}\cdot{_n(n['db2'])} = {_n(n['new_b2'])},\;\;"
                        rf"b^{{(1)}}_1 = {_n(n['new_b1'][0])},\;\; b^{{(1)}}_2 = {_n(n['new_b1'][1])}")
            rows.append(rf"\text{{loss before: }} {_n(n['L'])} \;\to\; \text{{after: }} "
                        rf"{_n(n['L_after'])}")
        return "".join(f"$${row}$$" for row in rows)

    def _loss_formula(self) -> str:
        n = self.steps.numbers
        if self.loss == "mse":
            return (rf"L = (\hat y - y)^2 = ({_n(n['y_hat'])} - {_n(n['y'])})^2 = {_n(n['L'])}")
        return (rf"L = -[y\log\hat y + (1-y)\log(1-\hat y)] = -[{_n(n['y'])}\log{_n(n['y_hat'])} + "
                rf"(1-{_n(n['y'])})\log(1-{_n(n['y_hat'])})] = {_n(n['L'])}")

    def _output_delta(self) -> str:
        n = self.steps.numbers
        yh, y = _n(n["y_hat"]), _n(n["y"])
        if self.loss == "mse":
            return (rf"\delta^{{(2)}} = \frac{{\partial L}}{{\partial \hat y}}\,\sigma'(z^{{(2)}}) = "
                    rf"2(\hat y - y)\cdot\hat y(1-\hat y) = 2({yh} - {y})\cdot{yh}\,(1-{yh}) = "
                    rf"{_n(n['delta2'])}")
        return (rf"\delta^{{(2)}} = \frac{{\partial L}}{{\partial \hat y}}\,\sigma'(z^{{(2)}}) = "
                rf"\frac{{\hat y - y}}{{\hat y(1-\hat y)}}\cdot\hat y(1-\hat y) = \hat y - y = "
                rf"{yh} - {y} = {_n(n['delta2'])}")

    def _layout(self):
        back = widgets.Button(description=_("Back"), icon="step-backward", layout=_button_layout())
        nxt = widgets.Button(description=_("Next"), icon="step-forward", button_style="primary",
                             layout=_button_layout())
        reset = widgets.Button(description=_("Reset"), icon="undo", layout=_button_layout(),
                               tooltip=_("Back to the first weights"))
        back.on_click(lambda _: self.back())
        nxt.on_click(lambda _: self.next())
        reset.on_click(lambda _: self.reset())
        self.buttons = {"back": back, "next": nxt, "reset": reset}
        back.disabled = self.steps.stage_index == 0
        lr = self._bind("learning_rate", widgets.FloatSlider(
            value=self.learning_rate, min=0.05, max=5.0, step=0.05,
            description=_("learning rate α"),
            style=SLIDER_STYLE, layout=slider_layout()))
        loss = self._bind("loss", widgets.ToggleButtons(
            options=list(LOSSES), value=self.loss, description=_("loss"),
            style={"description_width": "60px", "button_width": "240px"}))
        return widgets.VBox([widgets.HBox([back, nxt, reset]), self.title, self.view.image,
                             self.formula, widgets.HBox([lr, loss]), self.message])
