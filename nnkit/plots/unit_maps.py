"""What each unit of a small two-input network computes over the plane (lesson 02).

One panel per unit of the first hidden layer, coloured by its output (blue +1, orange −1: each
draws a straight line), and a last panel for the network's output ŷ.  The values come from one
forward pass over a grid of inputs, ``model.layer_outputs(points)``, which returns every layer's
output at once; the points ``x`` are drawn on every panel, coloured by that unit's value there.

    artists = unit_maps(model, x, extent=(-4, 4, -4, 4))
    artists.axes[0].get_title()            # "hidden unit 1 (tanh)"
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nnkit import checks
from nnkit.i18n import N_
from nnkit.plots.boundary import DecisionBoundaryArtists, decision_boundary, grid
from nnkit.plots.canvas import Picture
from nnkit.plots.fonts import figure_text

__all__ = ["unit_maps", "UnitMapsArtists"]


@dataclass
class UnitMapsArtists(Picture):
    """The panels ``unit_maps`` drew: one per hidden unit, then the output (``ax``)."""

    ax: Axes                                           # the output's panel
    axes: list[Axes] = field(default_factory=list)     # every panel, hidden units first
    panels: list[DecisionBoundaryArtists] = field(default_factory=list)
    hidden: np.ndarray | None = None                   # (R·R, H) hidden outputs on the grid
    output: np.ndarray | None = None                   # (R·R, 1) ŷ on the grid


def unit_maps(model, x, extent=(-4.0, 4.0, -4.0, 4.0), resolution: int = 120,
              output_name: str = N_("output ŷ (σ)")) -> UnitMapsArtists:
    """Draw each first-layer unit of ``model`` and its output over ``extent``, with points ``x``.

    model:  a built nnkit ``Sequential`` with 2 inputs, a hidden Dense layer of H units and a
            single-unit output (e.g. lesson 02's 2-3-1 network).
    x:      (N, 2) points marked on every panel.
    extent: (x1_min, x1_max, x2_min, x2_max) of the grid; ``resolution`` points per side.
    """
    x = checks.finite_array("x", x, ndim=2)
    if x.shape[1] != 2:
        raise ValueError(f"x must hold points of the plane, shape (N, 2). Received shape {x.shape}.")
    points, shape = grid(extent, resolution=resolution)
    on_grid, on_x = model.layer_outputs(points), model.layer_outputs(x)   # every layer's output
    hidden_grid, out_grid = on_grid[0], on_grid[-1]
    hidden_x, out_x = on_x[0], on_x[-1]
    units = hidden_grid.shape[1]
    figure = Figure(figsize=(4.25 * (units + 1), 4.6), layout="constrained")
    axes = list(figure.subplots(1, units + 1))
    activation = model.layers[0].activation.name
    artists = UnitMapsArtists(axes[-1], axes, hidden=hidden_grid, output=out_grid)
    for j in range(units):
        artists.panels.append(decision_boundary(
            axes[j], hidden_grid[:, j].reshape(shape), extent, x, hidden_x[:, j], kind="regression",
            vmax=1.0, legend=False, title=figure_text("hidden unit {j} ({activation})").format(
                j=j + 1, activation=activation)))
    artists.panels.append(decision_boundary(
        axes[-1], out_grid.reshape(shape), extent, x, (out_x[:, 0] > 0.5).astype(int),
        legend=False, title=figure_text(output_name)))
    return artists
