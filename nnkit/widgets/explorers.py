"""Three small explorers for the first lessons: one neuron, one activation, one loss.

Each is a ``LessonWidget``: settings changed with ``set(...)`` (or the controls), one figure
built once and updated in place, and the lesson's formula with the current numbers filled in.

    NeuronExplorer(w1=1.0, w2=-0.5, b=0.2, activation="sigmoid")      lesson §2.1 / §3.1
    ActivationExplorer(activation="sigmoid", z=2.0)                     derivatives, saturation
    LossExplorer(y=1, h=0.05)                                           lesson §3.2

Everything a picture shows is also a number on the object (``explorer.h``, ``explorer.slope``,
``explorer.losses``…), so a lesson under nbval can print it and a test can check it; those
numbers are computed by the explorer's ``lab`` (``nnkit.labs.explorers``), which needs no widget.
"""
from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from nnkit.diagnosis import format_number as number
from nnkit.i18n import _
from nnkit.plots.fonts import figure_text
from nnkit.labs.explorers import ACTIVATION_CHOICES, ActivationLab, LossLab, NeuronLab
from nnkit.plots import activation as activation_plot
from nnkit.plots import loss as loss_plot
from nnkit.plots import neuron as neuron_plot
from nnkit.widgets.figure_view import FigureView
from nnkit.widgets.lesson import SLIDER_STYLE, LessonWidget, slider_layout

__all__ = ["NeuronExplorer", "ActivationExplorer", "LossExplorer", "ACTIVATION_CHOICES"]

SYMBOL = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{relu}",
          "leaky_relu": r"\mathrm{leaky\,relu}", "linear": r"\mathrm{linear}"}
DPI = 80


def _slider(description: str, value: float, low: float, high: float, step: float,
            fmt: str = ".2f") -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               readout_format=fmt, continuous_update=True, style=SLIDER_STYLE,
                               layout=slider_layout())


def _choice(options, value, description: str) -> widgets.ToggleButtons:
    return widgets.ToggleButtons(options=list(options), value=value, description=description,
                                 style={"description_width": "150px", "button_width": "112px"})


# =================================================================================================
class NeuronExplorer(LessonWidget):
    """One neuron with two inputs: h = f(w₁x₁ + w₂x₂ + b) over the plane, and at one input x.

    Settings: ``w1, w2, b`` (−3 … 3), ``activation`` (sigmoid, tanh, relu, leaky_relu, linear),
    ``x1, x2`` (−3 … 3, the probed input).  Numbers: ``z``, ``h``, ``decision_line``.
    """

    SETTINGS = NeuronLab.SETTINGS
    RANGE = NeuronLab.RANGE

    def __init__(self, w1: float = 1.0, w2: float = -0.5, b: float = 0.5,
                 activation: str = "sigmoid", x1: float = 1.0, x2: float = 1.0):
        super().__init__()
        self.lab = NeuronLab(w1=w1, w2=w2, b=b, activation=activation, x1=x1, x2=x2)
        figure = Figure(figsize=(12.5, 5.2), dpi=DPI, layout="constrained")
        plane_ax = figure.add_subplot(1, 2, 1)
        surface_ax = figure.add_subplot(1, 2, 2, projection="3d")
        self.plane = neuron_plot.neuron_plane(plane_ax, self.w, self.b, self.activation,
                                              probe=self.x,
                                              title=figure_text("output h over the inputs"))
        self.surface = neuron_plot.neuron_surface(surface_ax, self.w, self.b, self.activation,
                                                  probe=self.x,
                                                  title=figure_text("the same output as a surface"))
        p, s = self.plane, self.surface
        self.view = FigureView(figure, [p.image, *p.level_lines, p.decision_line, p.arrow, p.probe,
                                        s.surface, s.decision_line, s.probe])
        self._scale = None
        self.formula = widgets.HTMLMath()
        self.draw()

    @property
    def decision_line(self) -> tuple[np.ndarray, np.ndarray]:
        """(x1s, x2s): the ends of the line z = 0 inside the plotted square (empty if w = 0)."""
        r = self.RANGE
        return neuron_plot.line_through(self.w, self.b, 0.0, (-r, r, -r, r))

    # ---- pictures -------------------------------------------------------------------------------
    def draw(self, changed: set | None = None) -> None:
        f = self.function
        neuron_plot.update_neuron_plane(self.plane, self.w, self.b, f, probe=self.x)
        neuron_plot.update_neuron_surface(self.surface, self.w, self.b, f, probe=self.x)
        scale = neuron_plot.output_range(f, self.w, self.b, self.plane.extent)
        self.view.refresh(full=scale != self._scale)     # a new colour scale: new colour bar
        self._scale = scale
        self.formula.value = self.formula_text()
        self.report("" if self.w1 or self.w2 else
                    _("w = (0, 0): the output is f(b) everywhere, so there is no decision line."))

    def formula_text(self) -> str:
        """The lesson's neuron with this input's numbers, as LaTeX for HTMLMath."""
        f = SYMBOL[self.activation]
        side = (_("on the decision line") if self.z == 0 else
                _("on the side w points to (z &gt; 0)") if self.z > 0 else
                _("on the other side (z &lt; 0)"))
        return (f"$$z = w_1x_1 + w_2x_2 + b = ({number(self.w1)})({number(self.x1)}) + "
                f"({number(self.w2)})({number(self.x2)}) + ({number(self.b)}) = {number(self.z)}$$"
                f"$$h = {f}(z) = {f}({number(self.z)}) = {number(self.h)}$$"
                "<div>" + _("The input x = ({x1}, {x2}) lies {side}.").format(
                    x1=number(self.x1), x2=number(self.x2), side=side) + "</div>")

    def _layout(self):
        sliders = [self._bind(n, _slider(label, getattr(self, n), -self.RANGE, self.RANGE, 0.1))
                   for n, label in (("w1", _("weight w₁")), ("w2", _("weight w₂")),
                                    ("b", _("bias b")), ("x1", _("input x₁")),
                                    ("x2", _("input x₂")))]
        choice = self._bind("activation", _choice(ACTIVATION_CHOICES, self.activation,
                                                  _("activation f")))
        return widgets.VBox([choice, widgets.HBox([widgets.VBox(sliders[:3]),
                                                   widgets.VBox(sliders[3:])]),
                             self.view.image, self.formula, self.message])


# =================================================================================================
class ActivationExplorer(LessonWidget):
    """An activation f and its derivative f′, with the saturated (or dead) z ranges shaded.

    Settings: ``activation``, ``z`` (−6 … 6).  Numbers: ``h`` = f(z), ``slope`` = f′(z),
    ``dead`` (f′(z) = 0 exactly: ReLU for z ≤ 0 passes no gradient at all), ``saturated``
    (0 < f′(z) < 0.1 · max f′: sigmoid or tanh far from 0), and ``verdict``, the one-line
    reading of both ("dead (z < 0: output 0, gradient 0)", "saturated …", "active …").
    """

    SETTINGS = ActivationLab.SETTINGS
    RANGE = ActivationLab.RANGE

    def __init__(self, activation: str = "sigmoid", z: float = 4.0):
        super().__init__()
        self.lab = ActivationLab(activation=activation, z=z)
        figure = Figure(figsize=(12.5, 4.8), dpi=DPI, layout="constrained")
        self.artists = a = activation_plot.activation_detail(figure.subplots(1, 2),
                                                             self.activation, self.z,
                                                             z_range=self.RANGE)
        self.view = FigureView(figure, [a.tangent, *a.points])
        self.formula = widgets.HTMLMath()
        self.draw()

    def draw(self, changed: set | None = None) -> None:
        activation_plot.update_activation_detail(self.artists, self.activation, self.z)
        self.view.refresh(full=changed is None or "activation" in changed)
        self.formula.value = self.formula_text()

    def formula_text(self) -> str:
        z, h, d = number(self.z), number(self.h), number(self.slope)
        h_exact = number(self.h, 6 if abs(self.h) > 0.99 else 3)   # so 1 − h is not 1 − 1
        positive = r"1 \; (z > 0)"
        relu_side = positive if self.z > 0 else r"0 \; (z \le 0)"
        leaky_side = (positive if self.z > 0 else
                      number(getattr(self.function, "negative_slope", 0.2)) + r" \; (z \le 0)")
        derivative = {
            "sigmoid": rf"\sigma'(z) = h\,(1-h) = {h_exact}\times(1-{h_exact}) = {d}",
            "tanh": rf"\tanh'(z) = 1-h^2 = 1-({h_exact})^2 = {d}",
            "relu": rf"\mathrm{{relu}}'(z) = {relu_side}",
            "leaky_relu": rf"\mathrm{{leaky\,relu}}'(z) = {leaky_side}",
            "linear": r"\mathrm{linear}'(z) = 1",
        }[self.activation]
        f = SYMBOL[self.activation]
        if self.dead:
            verdict = _("<b>Dead</b> ({where}: output {h}, gradient 0): a gradient arriving here "
                        "is multiplied by 0 — it stops completely, and the weights feeding this "
                        "neuron learn nothing from this input.").format(
                where="z &lt; 0" if self.z < 0 else "z = 0", h=number(self.h))
        elif self.saturated:
            verdict = _("<b>Saturated</b>: a gradient arriving here is multiplied by {d} — about "
                        "{times}× smaller.").format(d=d, times=max(1, round(1 / self.slope)))
        else:
            verdict = _("Active, not saturated: the gradient passes on multiplied by {d}.").format(
                d=d)
        return (f"$$h = {f}({z}) = {h}$$ $${derivative}$$"
                f"<div>{verdict} " + _("(Backprop: dz = dout ⊙ f′(z).)") + "</div>")

    def _layout(self):
        choice = self._bind("activation", _choice(ACTIVATION_CHOICES, self.activation,
                                                  _("activation f")))
        z = self._bind("z", _slider(_("input z"), self.z, *self.RANGE, 0.05))
        return widgets.VBox([choice, z, self.view.image, self.formula, self.message])


# =================================================================================================
class LossExplorer(LessonWidget):
    """Target y and prediction h → MSE and cross-entropy, their curves and their push dL/dz.

    Settings: ``y`` (0 or 1), ``h`` (0.001 … 0.999).  Numbers: ``losses`` — computed by
    ``nnkit.losses`` itself — and ``gradients`` (dL/dz through the sigmoid).
    """

    SETTINGS = LossLab.SETTINGS

    def __init__(self, y: int = 1, h: float = 0.1):
        super().__init__()
        self.lab = LossLab(y=y, h=h)
        figure = Figure(figsize=(12.5, 4.8), dpi=DPI, layout="constrained")
        self.artists = a = loss_plot.loss_comparison(figure.subplots(1, 2), self.y, self.h)
        self.view = FigureView(figure, [*a.mistakes, a.mistake_label, *a.curves.values(),
                                        *a.gradients.values(), *a.markers.values(),
                                        a.target_line])
        self.formula = widgets.HTMLMath()
        self.draw()

    def draw(self, changed: set | None = None) -> None:
        loss_plot.update_loss_comparison(self.artists, self.y, self.h)
        self.view.refresh(full=changed is None or "y" in changed)    # the axis label says y
        self.formula.value = self.formula_text()

    def formula_text(self) -> str:
        y, h = self.y, self.h
        L, g = self.losses, self.gradients
        ce_term = rf"-\log({number(h)})" if y == 1 else rf"-\log(1-{number(h)})"
        wrong = abs(h - y) > 0.5
        confident = abs(h - y) > 0.9
        verdict = (_("A <b>confident mistake</b>: cross-entropy is {loss}× the squared error and "
                     "pushes {push}× harder, while the squared error's push is fading.").format(
                       loss=number(L['crossentropy'] / L['mse'], 2),
                       push=number(abs(g['crossentropy']) / max(abs(g['mse']), 1e-12), 2))
                   if confident else
                   _("A mistake: both losses are large.") if wrong else
                   _("Close to the target: both losses are small."))
        return (rf"$$\text{{MSE}}: L = (h-y)^2 = ({number(h)}-{y})^2 = {number(L['mse'])}"
                rf"\qquad \frac{{dL}}{{dz}} = 2(h-y)\,h(1-h) = {number(g['mse'])}$$"
                rf"$$\text{{CE}}: L = -[y\log h + (1-y)\log(1-h)] = {ce_term} = "
                rf"{number(L['crossentropy'])}\qquad \frac{{dL}}{{dz}} = h-y = "
                rf"{number(g['crossentropy'])}$$<div>{verdict}</div>")

    def _layout(self):
        y = self._bind("y", _choice((0, 1), self.y, _("target y")))
        h = self._bind("h", _slider(_("prediction h"), self.h, 0.001, 0.999, 0.001, ".3f"))
        return widgets.VBox([y, h, self.view.image, self.formula, self.message])
