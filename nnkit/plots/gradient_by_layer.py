"""How much gradient reaches each layer of a deep network: the vanishing gradient (lesson 05).

One backward pass through a deep stack of Dense layers, the same network for each activation
except the activation itself; for every layer the mean size of its weight gradient, mean |∂L/∂W|,
on a log scale.  Each layer's backward pass multiplies by its activation's slope f'(z)
(``dz = dout ⊙ f'(z)``): the sigmoid's is at most 0.25, so with sigmoids the gradient shrinks
layer after layer on its way back to the input; with ReLU (slope 1 where active) it does not.

    sizes = layer_gradient_sizes("sigmoid")           # (10,): layer 1 (next to the input) first
    artists = gradient_by_layer(None, ["sigmoid", "relu"])
    artists.sizes["sigmoid"][0] / artists.sizes["sigmoid"][-1]    # first layer / last layer
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from nnkit import checks, layers
from nnkit.models import Sequential
from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new, label_axes
from nnkit.plots.fonts import figure_text

__all__ = ["layer_gradient_sizes", "gradient_by_layer", "GradientByLayerArtists"]

COLORS = {"sigmoid": style.CLASS_COLORS[0], "relu": style.CLASS_COLORS[1]}


def layer_gradient_sizes(activation: str = "sigmoid", depth: int = 10, units: int = 16,
                         samples: int = 64, seed: int = 0) -> np.ndarray:
    """mean |∂L/∂W| of every layer after one backward pass: (depth,), layer 1 first.

    The network: ``depth - 1`` hidden Dense layers of ``units`` units with ``activation``, then
    one sigmoid output, binary cross-entropy; its inputs x: (samples, 2) are normal numbers and
    the target is 1 where x₁·x₂ > 0.  Weights and data come from ``seed``.
    """
    depth = checks.positive_int("depth", depth)
    if depth < 2:
        raise ValueError(f"depth must be at least 2 (hidden layers, then the output). "
                         f"Received: depth={depth}.")
    x = np.random.default_rng(seed).normal(size=(checks.positive_int("samples", samples), 2))
    y = (x[:, :1] * x[:, 1:] > 0).astype(float)                       # (samples, 1)
    units = checks.positive_int("units", units)
    model = Sequential([layers.Dense(units, activation=activation, input_shape=(2,))]
                       + [layers.Dense(units, activation=activation) for _ in range(depth - 2)]
                       + [layers.Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    h = x
    for layer in model.layers:                        # 1. forward pass, every layer keeps its cache
        h = layer.forward(h)
    output = model.layers[-1]
    _, dz = model.loss.with_logits(y, output.logits)  # 2. loss: dz = (ŷ - y) / N at the output
    dout = output.backward_from_z(dz)                 # 3. backward pass, last layer first
    for layer in model.layers[-2::-1]:
        dout = layer.backward(dout)
    return np.array([float(np.abs(layer.dW).mean()) for layer in model.layers])


@dataclass
class GradientByLayerArtists(Picture):
    """What ``gradient_by_layer`` drew, and the numbers it drew (keyed by activation)."""

    ax: Axes
    lines: dict[str, Line2D] = field(default_factory=dict)
    sizes: dict[str, np.ndarray] = field(default_factory=dict)     # (depth,) mean |∂L/∂W|


def gradient_by_layer(ax: Axes | None, activations=("sigmoid", "relu"), depth: int = 10,
                      seed: int = 0, title: str = "How much gradient reaches each layer"
                      ) -> GradientByLayerArtists:
    """Plot mean |∂L/∂W| per layer (log scale) for the same deep network with each activation.

    ax:          the Axes to draw on, or None for a new figure.
    activations: hidden-layer activations to compare, e.g. ("sigmoid", "relu").
    depth, seed: see ``layer_gradient_sizes``.
    """
    if isinstance(activations, str):
        activations = [activations]
    ax = axes_or_new(ax, figsize=(9.0, 4.5))
    artists = GradientByLayerArtists(ax)
    for k, name in enumerate(activations):
        sizes = layer_gradient_sizes(name, depth=depth, seed=seed)
        rgb = COLORS.get(name, style.CLASS_COLORS[k % len(style.CLASS_COLORS)])
        artists.sizes[name] = sizes
        artists.lines[name], = ax.plot(range(1, depth + 1), sizes, "o-", lw=style.LINE_WIDTH,
                                       ms=9, color=style.to_unit(rgb),
                                       label=figure_text("{name} hidden layers").format(name=name))
    ax.set_yscale("log")
    ax.set_xticks(range(1, depth + 1))
    ax.legend(fontsize=style.FONT_SIZE["legend"])
    ax.grid(alpha=0.3)
    label_axes(ax, figure_text("layer (1 = next to the input, {depth} = output)").format(
        depth=depth), figure_text("mean |∂L/∂W|"), title)
    return artists
