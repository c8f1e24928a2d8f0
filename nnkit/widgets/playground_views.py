"""The Playground's static pictures: the decision boundary, the network of neuron pictures, the
loss curves — drawn with Pillow for the widget's ``image/png`` (nbconvert, GitHub, a lesson not yet
run) and for tests.  The live pictures are drawn by the browser from compact data
(``nnkit.widgets.live``); both use the colours of ``nnkit.plots.style``.

* **Boundary.**  What the model predicts over the plane (orange → white → blue, or one colour per
  class), the training points on top, the test points hollow when shown.
* **Network.**  As in TensorFlow Playground, each neuron *is* a small picture of its output
  over the input plane (orange < 0 < blue; one forward pass over the grid yields all of them,
  ``Sequential.layer_outputs``), and each line is a weight: colour = sign, width = |w|.
  The small square at a neuron's lower left is its bias.
* **Curves.**  Training and test loss per epoch, a ``render.LineChart``.
"""
from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from nnkit.labs.state import FEATURE_LABELS
from nnkit.plots import style
from nnkit.widgets import render

__all__ = ["Sizes", "NORMAL", "PRESENTER", "NetworkPicture", "neuron_pictures",
           "boundary_picture", "network_picture", "curves_picture"]


@dataclass(frozen=True)
class Sizes:
    """Pixel sizes of one Playground layout (normal, or presenter for a projector)."""

    plot: int            # side of the boundary's plot area
    network: tuple       # (width, height) of the network picture
    chart: tuple         # (width, height) of the loss curves
    font: int            # text in the pictures
    node: int            # largest side of a neuron picture
    point: float         # radius of a data point
    css_font: int        # text of the controls
    column: int          # width of the data column


NORMAL = Sizes(plot=340, network=(430, 330), chart=(395, 125), font=14, node=44, point=4.0,
               css_font=14, column=200)
PRESENTER = Sizes(plot=520, network=(640, 470), chart=(590, 175), font=20, node=64, point=6.0,
                  css_font=19, column=285)


# ---- the network picture (pure Pillow) ----------------------------------------------------------

class NetworkPicture:
    """Columns of neuron pictures joined by one line per weight, drawn with Pillow.

    layer_sizes:  units per column, inputs first, e.g. (2, 4, 2, 1);
    input_labels: a name per input (written to its left); titles: one per column.
    ``image(pictures, weights)`` draws a frame: pictures[c][j] is an RGB Pillow image for unit j
    of column c (any size; scaled to the node), weights a list of (W, b), W: (n_in, n_out).
    """

    def __init__(self, layer_sizes, input_labels, titles, size=(470, 340), node: int = 46,
                 font_size: int = 14):
        self.layer_sizes = tuple(int(n) for n in layer_sizes)
        self.size = (int(size[0]), int(size[1]))
        width, height = self.size
        f = render.font(font_size)
        probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
        label_room = 6 + max(probe.textlength(t, font=f) for t in input_labels)
        top = font_size + 12
        room = height - top - 6                                   # height for the nodes
        most = max(self.layer_sizes)
        self.node = max(6, int(min(node, room / most * 0.8)))
        spacing = min(room / most, self.node * 1.35)
        pitch = (width - label_room) / len(self.layer_sizes)
        self.centres = []                                          # per column: (n, 2) centres
        for c, n in enumerate(self.layer_sizes):
            x = label_room + pitch * (c + 0.5)
            ys = top + room / 2 + (np.arange(n) - (n - 1) / 2) * spacing
            self.centres.append(np.column_stack([np.full(n, x), ys]))
        self.base = Image.new("RGB", self.size, (255, 255, 255))
        draw = ImageDraw.Draw(self.base)
        for c, title in enumerate(titles):
            draw.text((self.centres[c][0, 0], 2), title, fill=(40, 40, 40), font=f, anchor="mt")
        for (x, y), text in zip(self.centres[0], input_labels):
            draw.text((x - self.node / 2 - 5, y), text, fill=(20, 20, 20), font=f, anchor="rm")

    def image(self, pictures, weights) -> Image.Image:
        canvas = self.base.copy()
        draw = ImageDraw.Draw(canvas)
        half = self.node / 2
        largest = max((float(np.abs(W).max()) for W, _ in weights), default=0.0)
        scale = largest if largest > 0 else 1.0
        for c, (W, _) in enumerate(weights):                       # lines: weakest first
            start, end = self.centres[c], self.centres[c + 1]
            w = W.ravel()
            colours = render.value_rgb(w, scale, "full").tolist()
            widths = (1 + np.rint(7 * np.minimum(np.abs(w) / scale, 1.0))).astype(int).tolist()
            n_out = W.shape[1]
            for k in np.argsort(np.abs(w), kind="stable").tolist():
                i, j = divmod(k, n_out)
                draw.line([(start[i, 0] + half, start[i, 1]), (end[j, 0] - half, end[j, 1])],
                          fill=tuple(colours[k]), width=widths[k])
        side = self.node
        for column, centres in zip(pictures, self.centres):
            for picture, (x, y) in zip(column, centres):
                if picture.size != (side, side):
                    picture = picture.resize((side, side), Image.BILINEAR)
                box = (int(round(x - half)), int(round(y - half)))
                canvas.paste(picture, box)
                draw.rectangle([box[0] - 1, box[1] - 1, box[0] + side, box[1] + side],
                               outline=(90, 90, 90), width=1)
        square = max(5, side // 5)                                 # biases: lower-left squares
        for c, (_, b) in enumerate(weights):
            colours = render.value_rgb(b, scale, "full").tolist()
            for (x, y), colour in zip(self.centres[c + 1], colours):
                x0, y1 = int(round(x - half)) - square // 2, int(round(y + half)) + square // 2
                draw.rectangle([x0, y1 - square, x0 + square, y1], fill=tuple(colour),
                               outline=(60, 60, 60), width=1)
        return canvas


def _unit_images(values: np.ndarray, grid_shape, step: int, floor: float) -> list[Image.Image]:
    """values: (R·R, U) over the grid (row 0 at the bottom) → U RGB images, full diverging scale.

    Each unit is drawn at full colour where |value| ≥ max(floor, its largest |value|).
    """
    r, c = grid_shape
    v = values.reshape(r, c, -1)[::-step, ::step]                  # flip: row 0 at the top
    vmax = np.maximum(np.abs(v).max(axis=(0, 1)), floor)
    rgb = render.value_rgb(v / vmax, 1.0, "full")                   # (r', c', U, 3)
    return [Image.fromarray(np.ascontiguousarray(rgb[:, :, u])) for u in range(v.shape[2])]


def neuron_pictures(experiment, side: int) -> list[list[Image.Image]]:
    """One picture per unit, column by column: the features, each hidden layer, the output.

    Hidden units: their output h over the plane, orange (< 0) … white (0) … blue (> 0), at full
    colour where |h| ≥ max(1, largest |h| of that unit).  Output units: the boundary's colours.
    """
    step = max(1, experiment.grid_shape[0] // max(side, 1))        # no more pixels than shown
    outs = experiment.grid_outputs()
    columns = [_feature_images(experiment, step)]
    for h in outs[:-1]:
        columns.append(_unit_images(h, experiment.grid_shape, step, 1.0))
    columns.append(_output_images(experiment, outs[-1], step))
    return columns


_FEATURE_PICTURES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _feature_images(experiment, step: int) -> list[Image.Image]:
    """The inputs' pictures; they change only with the data or the features, so kept here
    (per experiment, until its grid of features or the picture size changes)."""
    cache = _FEATURE_PICTURES.get(experiment)
    if cache is None or cache[0] is not experiment.x_grid or cache[1] != step:
        x = experiment.x_grid
        cache = (x, step, _unit_images(x, experiment.grid_shape, step, 1e-12))
        _FEATURE_PICTURES[experiment] = cache
    return cache[2]


def _output_images(experiment, out: np.ndarray, step: int) -> list[Image.Image]:
    r, c = experiment.grid_shape
    v = out.reshape(r, c, -1)[::-step, ::step]
    data = experiment.data
    if data.kind == "regression":
        vmax = float(np.abs(data.y_train).max()) or 1.0
        return [Image.fromarray(render.value_rgb(v[:, :, 0], vmax))]
    if v.shape[2] == 1:
        return [Image.fromarray(render.class_rgb(v[:, :, 0]))]
    n = v.shape[2]                                                 # unit k: white → class k
    return [Image.fromarray(render.class_ramp_rgb(v[:, :, k], k, n)) for k in range(n)]


# ---- the static pictures -------------------------------------------------------------------------

def boundary_picture(experiment, sizes: Sizes) -> Image.Image:
    """The decision boundary with its data (test data hollow if shown) and axes, RGB."""
    data, state = experiment.data, experiment.state
    frame = _axes_frame(sizes.plot, tuple(data.extent), sizes.font)
    X, colours, hollow = data.X_train, _point_colours(data, data.y_train), None
    if state.show_test:
        X = np.concatenate([data.X_train, data.X_test])
        colours = np.concatenate([colours, _point_colours(data, data.y_test)])
        hollow = np.arange(len(X)) >= len(data.X_train)
    rim = (255, 255, 255) if data.kind == "classification" else (60, 60, 60)
    points = render.PointLayer(X, colours, data.extent, (sizes.plot, sizes.plot), hollow=hollow,
                               radius=sizes.point, rim=rim)
    return frame.compose(Image.fromarray(boundary_rgb(experiment)), [points.image])


@functools.lru_cache(maxsize=16)
def _axes_frame(side: int, extent: tuple, font_size: int) -> render.AxesFrame:
    """Frames never change once drawn (``compose`` copies), so equal ones are shared."""
    return render.AxesFrame(side, extent, font_size=font_size)


def boundary_rgb(experiment) -> np.ndarray:
    """The boundary's background, (R, R, 3) uint8 with row 0 at the TOP."""
    grid = experiment.output_grid()[::-1]
    data = experiment.data
    if data.kind == "regression":
        return render.value_rgb(grid, float(np.abs(data.y_train).max()) or 1.0)
    return render.class_rgb(grid, experiment.state.discretize)


def _point_colours(data, y) -> np.ndarray:
    if data.kind == "regression":
        vmax = float(np.abs(data.y_train).max()) or 1.0
        return render.value_rgb(np.asarray(y).ravel(), vmax, "full")
    return np.array(style.CLASS_COLORS, dtype=np.uint8)[np.asarray(y, dtype=int)]


def network_picture(experiment, sizes: Sizes) -> Image.Image:
    """The network as neuron pictures and weight lines (``NetworkPicture``), RGB."""
    state, model = experiment.state, experiment.model
    units = (len(state.features),) + tuple(layer.units for layer in model.layers)
    n_hidden = len(state.hidden_layers)
    titles = ["inputs"] + [f"layer {l}" for l in range(1, n_hidden + 1)] + ["output"]
    labels = [FEATURE_LABELS[f] for f in state.features]
    picture = NetworkPicture(units, labels, titles, sizes.network, sizes.node, sizes.font)
    weights = [(layer.W, layer.b) for layer in model.layers]
    return picture.image(neuron_pictures(experiment, picture.node), weights)


def curves_picture(experiment, sizes: Sizes) -> Image.Image:
    """Training and test loss per epoch, RGB."""
    chart = render.LineChart(sizes.chart, [("training", style.TRAIN_COLOR),
                                           ("test", style.VALIDATION_COLOR)],
                             ylabel="loss", xlabel="epoch", font_size=sizes.font)
    history = experiment.history
    return chart.image([history["loss"], history["test_loss"]])
