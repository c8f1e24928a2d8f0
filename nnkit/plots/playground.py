"""The Playground as one matplotlib figure: what a reader without a kernel sees.

The live Playground draws in the browser; nbconvert, GitHub and a lesson not yet run show this
figure instead (the widget's ``image/png``), drawn from the same experiment with the plots' own
functions and colours:

* left, the network (``network_diagram``: one line per weight, colour = sign, width = |w|),
  each neuron drawn as a small picture of its output over the input plane, as in TensorFlow
  Playground (orange < 0 < blue; the output neuron in the boundary's colours);
* right, the decision boundary with the points (``decision_boundary``), and below it the
  training and test loss per epoch (``loss_curves``, epoch 0 = the initial weights).

    figure = playground_figure(pg.experiment, input_labels=["x₁", "x₂"])

``experiment`` is a ``nnkit.labs.experiment.Experiment`` (read only: its data, state, model,
history and ``grid_outputs()``, every layer's output over the grid from one forward pass).
"""
from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.offsetbox import AnnotationBbox, OffsetImage

from nnkit.plots import style
from nnkit.plots.boundary import decision_boundary
from nnkit.plots.curves import loss_curves
from nnkit.plots.fonts import figure_text
from nnkit.plots.network import network_diagram
from nnkit.plots.shading import class_shading, value_shading

__all__ = ["playground_figure", "neuron_pictures"]


def playground_figure(experiment, *, input_labels, hide=(), title: str = "",
                      scale: float = 1.0) -> Figure:
    """One figure: network of neuron pictures | boundary over loss curves.

    input_labels: a name per model input (the features, e.g. "x₁", "sin x₂").
    hide:  parts left out: "network" and/or "curves".   title: text above (wrapped to fit).
    scale: 1.0, or larger for a projector (more pixels per inch: larger text and pictures).
    """
    show_network, show_curves = "network" not in hide, "curves" not in hide
    # fixed places in inches (a layout engine would cost more than the drawing itself)
    net, side = (5.9 if show_network else 0.0), 4.2
    low = 2.45 if show_curves else 0.6                          # bottom of the boundary
    width = net + side + 0.95
    lines = [part for line in title.splitlines() for part in textwrap.wrap(line, int(8 * width))]
    top = 0.3 + 0.27 * len(lines)
    height = low + side + top
    figure = Figure(figsize=(width, height), dpi=100 * scale)

    def place(x, y, w, h):
        return figure.add_axes((x / width, y / height, w / width, h / height))
    if lines:
        figure.text(0.1 / width, 1 - 0.1 / height, "\n".join(lines), ha="left", va="top",
                    fontsize=style.FONT_SIZE["label"])
    if show_network:
        _draw_network(place(0.05, 0.1, net - 0.1, height - top - 0.1), experiment, input_labels)
    axes = [place(net + 0.75, low, side, side)]
    if show_curves:
        axes.append(place(net + 0.75, 0.55, side, 1.2))
    data, state = experiment.data, experiment.state
    test = (data.X_test, data.y_test) if state.show_test else (None, None)
    regression = data.kind == "regression"
    decision_boundary(axes[0], experiment.output_grid(), data.extent, data.X_train, data.y_train,
                      *test, kind=data.kind, discretize=state.discretize and not regression,
                      legend=False)
    if show_curves:
        history = experiment.history
        curves = loss_curves(axes[1], {"loss": history["loss"],
                                       "test_loss": history["test_loss"]}, xlabel="epoch")
        for line in (curves.train_line, curves.validation_line):    # entry e = epoch e
            line.set_xdata(np.arange(len(line.get_ydata())))
        axes[1].set_xlim(0, max(1, len(history["loss"]) - 1))
        axes[1].set_ylim(bottom=0)
    return figure


def _draw_network(ax, experiment, input_labels) -> None:
    """The network diagram, a picture of each neuron over its circle."""
    model, hidden = experiment.model, len(experiment.state.hidden_layers)
    titles = ([figure_text("inputs")] + [figure_text("layer {n}").format(n=l)
                                         for l in range(1, hidden + 1)] + [figure_text("output")])
    diagram = network_diagram(ax, [(layer.W, layer.b) for layer in model.layers],
                              input_labels=list(input_labels), layer_titles=titles, legend=False)
    side = float(np.sqrt(diagram.units.get_sizes()[0])) * 1.5      # points, a bit over the circle
    pictures = [p for column in neuron_pictures(experiment) for p in column]
    for picture, xy in zip(pictures, diagram.units.get_offsets()):
        image = OffsetImage(picture, zoom=side / picture.shape[0], interpolation="nearest")
        ax.add_artist(AnnotationBbox(image, tuple(xy), frameon=True, pad=0.0, zorder=2.5,
                                     bboxprops={"edgecolor": "0.35", "linewidth": 0.8}))


def neuron_pictures(experiment, side: int = 25) -> list[list[np.ndarray]]:
    """One (side', side', 3) uint8 picture per unit, column by column: inputs, each layer, output.

    Inputs and hidden units: their value over the plane, orange (< 0) … white … blue (> 0), at
    full colour where |value| ≥ max(1, its largest |value|) (inputs: their own largest).
    Output units: the boundary's colours (one unit per class: white → that class's colour).
    """
    r, c = experiment.grid_shape
    step = max(1, r // side)

    def plane(values):                        # (R·R, U) → (r', c', U), row 0 at the top
        return values.reshape(r, c, -1)[::-step, ::step]

    def signed(values, floor):
        v = plane(values)
        t = v / np.maximum(np.abs(v).max(axis=(0, 1)), floor)
        rgb = style.diverging_lut()[np.rint(255 * (np.clip(t, -1, 1) + 1) / 2).astype(int)]
        return [rgb[:, :, u] for u in range(v.shape[2])]

    outs = experiment.grid_outputs()
    columns = [signed(experiment.x_grid, 1e-12)] + [signed(h, 1.0) for h in outs[:-1]]
    out, data = plane(outs[-1]), experiment.data
    if data.kind == "regression":
        columns.append([value_shading(out[:, :, 0], float(np.abs(data.y_train).max()) or 1.0)])
    elif out.shape[2] == 1:
        columns.append([class_shading(out[:, :, 0])])
    else:                                     # unit k: P(class k), white → the colour of class k
        n = out.shape[2]
        level = np.rint(255 * np.clip(out, 0.0, 1.0)).astype(int)
        lut = style.confidence_lut(n)
        columns.append([lut[k][level[:, :, k]] for k in range(n)])
    return columns
