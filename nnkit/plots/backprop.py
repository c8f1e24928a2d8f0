"""A 2-2-1 network with its numbers written on it, stage by stage of one training step.

Nodes are the inputs x₁, x₂, the hidden neurons h₁, h₂, the output ŷ and the loss L; every line
carries its weight, written beside it and parallel to it (never across another line).  Forward
stages write z and h into the neurons (blue); backward stages write the gradients δ = ∂L/∂z into
the neurons and ∂L/∂w beside each weight (vermillion); the update shows each weight's new value.
The layer being worked on is drawn bold.

    artists = backprop_diagram(ax, numbers, "forward_hidden")
    update_backprop_diagram(artists, numbers, "backward_output")

``numbers`` is the dict of ``nnkit.labs.backprop_steps.BackpropSteps.compute()``: ``x`` (2,),
``w1`` (2, 2) as w1[i, j] from x_j into h_i, ``b1`` (2,), ``w2`` (2,), ``b2``, ``z1``, ``h1``,
``z2``, ``y_hat``, ``y``, ``L``, ``delta1``, ``delta2``, ``dw1``, ``db1``, ``dw2``, ``db2``,
``new_w1``, ``new_b1``, ``new_w2``, ``new_b2``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.text import Text

from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new
from nnkit.plots.fonts import figure_text

__all__ = ["backprop_diagram", "update_backprop_diagram", "BackpropDiagramArtists", "STAGE_ORDER"]

STAGE_ORDER = ("start", "forward_hidden", "forward_output", "loss", "backward_output",
               "backward_hidden", "update")
FORWARD = style.to_unit(style.POSITIVE_COLOR)          # blue
BACKWARD = style.to_unit(style.VALIDATION_COLOR)       # vermillion
POSITIONS = {"x1": (0.0, 2.2), "x2": (0.0, -2.2), "h1": (7.4, 2.2), "h2": (7.4, -2.2),
             "y": (12.8, 0.0), "L": (16.2, 0.0)}
BELOW = ("x2", "h2")                  # these nodes write their numbers underneath, the rest above
EDGES = (("x1", "h1"), ("x2", "h1"), ("x1", "h2"), ("x2", "h2"), ("h1", "y"), ("h2", "y"))
RADIUS = 0.62
# Where each weight is written: the fraction t of the way along its line, and the side of the
# line (+1 above it, −1 below).  Every label runs parallel to its own line, just beside it, on
# the side that faces away from the other lines: the top line's above, the bottom one's below,
# and the two crossing x→h lines' on the side of the triangle that only they border, before
# the crossing (t < 0.5).  So no label sits on a line, and each is next to its own.
LABEL_PLACES = {("x1", "h1"): (0.5, +1), ("x2", "h2"): (0.5, -1),
                ("x1", "h2"): (0.34, +1), ("x2", "h1"): (0.34, -1),
                ("h1", "y"): (0.45, +1), ("h2", "y"): (0.45, -1)}
LABEL_GAP = 0.12                      # between a line and its label, in data units


@dataclass
class BackpropDiagramArtists(Picture):
    """What ``backprop_diagram`` drew: circles, lines and the texts ``update`` rewrites."""

    ax: Axes
    nodes: dict[str, Circle]
    node_texts: dict[str, Text]       # above (or below) each node: its values at this stage
    edges: dict[tuple, Line2D]
    edge_texts: dict[tuple, Text]     # weight (and gradient / new value) beside each line
    bias_texts: dict[str, Text]       # b of h1, h2, y, next to its node's values
    stage_text: Text


def backprop_diagram(ax: Axes | None, numbers: dict, stage: str = "start") -> BackpropDiagramArtists:
    """Draw the 2-2-1 network with the numbers of ``stage`` (one of ``STAGE_ORDER``)."""
    ax = axes_or_new(ax, figsize=(13.0, 6.6))
    fs = style.FONT_SIZE
    size = fs["annotation"] + 1
    edges, edge_texts = {}, {}
    for a, b in EDGES:
        (xa, ya), (xb, yb) = POSITIONS[a], POSITIONS[b]
        edges[a, b], = ax.plot([xa, xb], [ya, yb], color="0.55", lw=2.0, zorder=1)
        t, side = LABEL_PLACES[a, b]
        length = math.hypot(xb - xa, yb - ya)
        normal = (-(yb - ya) / length, (xb - xa) / length)        # points to the line's left: up
        edge_texts[a, b] = ax.text(
            xa + t * (xb - xa) + side * LABEL_GAP * normal[0],
            ya + t * (yb - ya) + side * LABEL_GAP * normal[1], "",
            rotation=math.degrees(math.atan2(yb - ya, xb - xa)), rotation_mode="anchor",
            ha="center", va="bottom" if side > 0 else "top", fontsize=fs["annotation"], zorder=4,
            linespacing=1.15)
    (xy, yy), (xl, yl) = POSITIONS["y"], POSITIONS["L"]
    edges["y", "L"], = ax.plot([xy + RADIUS, xl - RADIUS], [yy, yl], color="0.55", lw=2.0,
                               ls="--", zorder=1)
    nodes, node_texts = {}, {}
    labels = {"x1": "$x_1$", "x2": "$x_2$", "h1": "$h_1$", "h2": "$h_2$", "y": "$\\hat y$",
              "L": "$L$"}
    for name, (px, py) in POSITIONS.items():
        nodes[name] = ax.add_patch(Circle((px, py), RADIUS, fc="white", ec="0.3", lw=2.0, zorder=2))
        ax.text(px, py, labels[name], ha="center", va="center", fontsize=fs["title"] + 4, zorder=3)
        below = name in BELOW
        offset = -(RADIUS + 0.12) if below else RADIUS + 0.12
        node_texts[name] = ax.text(px, py + offset, "", ha="center", va="top" if below else "bottom",
                                   fontsize=size, zorder=4, linespacing=1.3)
    stage_text = ax.text(0.0, 1.0, "", transform=ax.transAxes, ha="left", va="top",
                         fontsize=fs["title"], fontweight="bold")
    ax.set_xlim(-1.3, 17.5)
    ax.set_ylim(-5.0, 5.0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    artists = BackpropDiagramArtists(ax, nodes, node_texts, edges, edge_texts, {}, stage_text)
    update_backprop_diagram(artists, numbers, stage)
    return artists


def update_backprop_diagram(artists: BackpropDiagramArtists, numbers: dict, stage: str) -> list:
    """Rewrite every number for ``stage`` and embolden the layer being worked on."""
    if stage not in STAGE_ORDER:
        raise ValueError(f"stage must be one of {', '.join(map(repr, STAGE_ORDER))}. "
                         f"Received: stage={stage!r}.")
    n, k = numbers, STAGE_ORDER.index(stage)
    f = _fmt
    backward, update = k >= 4, stage == "update"

    def parameter(symbol: str, value: float, grad: float, new: float, grad_shown: bool) -> str:
        if update:
            return f"{symbol}: {f(value)} → {f(new)}"
        if grad_shown:
            return f"{symbol} = {f(value)}\n∂L/∂{symbol} = {f(grad)}"
        return f"{symbol} = {f(value)}"

    blocks = {"x1": [f"x₁ = {f(n['x'][0])}"], "x2": [f"x₂ = {f(n['x'][1])}"],
              "h1": [], "h2": [], "y": [], "L": [f"y = {f(n['y'])}"]}
    colours = {name: "0.1" for name in blocks}
    for i, name in enumerate(("h1", "h2")):
        blocks[name].append(parameter("b", n["b1"][i], n["db1"][i], n["new_b1"][i], k >= 5))
        if k >= 1:
            blocks[name].append(f"z = {f(n['z1'][i])}, h = {f(n['h1'][i])}")
        if k >= 5:
            blocks[name].append(f"δ = ∂L/∂z = {f(n['delta1'][i])}")
    blocks["y"].append(parameter("b", n["b2"], n["db2"], n["new_b2"], k >= 4))
    if k >= 2:
        blocks["y"].append(f"z = {f(n['z2'])}, ŷ = {f(n['y_hat'])}")
    if k >= 4:
        blocks["y"].append(f"δ = ∂L/∂z = {f(n['delta2'])}")
    if k >= 3:
        blocks["L"].append(f"L = {f(n['L'])}")
    if update:
        blocks["L"].append(figure_text("then: {loss}").format(loss=f(n['L_after'])))
    for name in ("h1", "h2"):
        colours[name] = BACKWARD if k >= 5 and not update else "0.1"
    colours["y"] = BACKWARD if k >= 4 and not update else "0.1"
    for name, text in artists.node_texts.items():
        lines = blocks[name]                  # b is written next to its node, above or below
        text.set_text("\n".join(lines[::-1] if name in ("h1", "y") else lines))
        text.set_color(colours[name])

    for (a, b), text in artists.edge_texts.items():
        if b == "y":
            j = 0 if a == "h1" else 1
            w, dw, new, grad_shown = n["w2"][j], n["dw2"][j], n["new_w2"][j], k >= 4
        else:
            i, j = (0 if b == "h1" else 1), (0 if a == "x1" else 1)
            w, dw, new, grad_shown = n["w1"][i, j], n["dw1"][i, j], n["new_w1"][i, j], k >= 5
        text.set_text(parameter("w", w, dw, new, grad_shown))
        text.set_color(FORWARD if update else BACKWARD if grad_shown else "0.1")

    active = {1: ("h1", "h2"), 2: ("y",), 3: ("L",), 4: ("y",), 5: ("h1", "h2")}.get(k, ())
    colour = FORWARD if update else BACKWARD if backward else FORWARD
    for name, circle in artists.nodes.items():
        on = name in active or (update and name not in ("x1", "x2", "L"))
        circle.set_edgecolor(colour if on else "0.3")
        circle.set_linewidth(4.0 if on else 2.0)
    for (a, b), line in artists.edges.items():
        on = b in active or (update and b != "L") or (stage == "loss" and b == "L")
        line.set_color(colour if on else "0.55")
        line.set_linewidth(3.5 if on else 2.0)
    return [*artists.node_texts.values(), *artists.edge_texts.values(),
            *artists.nodes.values(), *artists.edges.values()]


def _fmt(value: float) -> str:
    """Four significant figures, the way the formulas print them (−0 as 0)."""
    text = f"{float(value):.4g}"
    return "0" if text == "-0" else text.replace("-", "−")
