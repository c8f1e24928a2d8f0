"""One neuron over the input plane: h = f(w₁x₁ + w₂x₂ + b) seen from above and as a surface.

The lesson's neuron (§2.1, §3.1) with two inputs::

    z = w₁ x₁ + w₂ x₂ + b          (the weighted sum)
    h = f(z)                       (the activation)

Everything about the picture follows from z being linear in x: the lines of equal output are
the straight lines z = const, all perpendicular to w = (w₁, w₂).  The **decision line** is
z = 0 (where a sigmoid neuron says 0.5, a tanh or ReLU neuron 0); w points from it towards
larger outputs, and |w| sets how fast the output changes across it (a steep or gentle step).

    artists = neuron_plane(ax, w=(1.0, -0.5), b=0.2, activation="sigmoid")
    update_neuron_plane(artists, w=(2.0, 1.0), b=0.0, activation="tanh")
    surface = neuron_surface(ax3d, w=(1.0, -0.5), b=0.2, activation="sigmoid")
    update_neuron_surface(surface, w=(2.0, 1.0), b=0.0, activation="tanh")
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from nnkit import activations, checks
from nnkit.plots import style
from nnkit.plots.canvas import Picture, axes_or_new, label_axes
from nnkit.plots.fonts import figure_text

__all__ = ["neuron_plane", "update_neuron_plane", "neuron_surface", "update_neuron_surface",
           "NeuronPlaneArtists", "NeuronSurfaceArtists", "output_range", "line_through",
           "LEVELS"]

LEVELS = (-2.0, -1.0, 1.0, 2.0)        # the thin lines of equal z drawn beside the decision line
EXTENT = (-3.0, 3.0, -3.0, 3.0)


@dataclass
class NeuronPlaneArtists(Picture):
    """What ``neuron_plane`` drew: the output as an image, z = 0 bold, z = ±1, ±2 thin."""

    ax: Axes
    image: AxesImage
    decision_line: Line2D          # z = 0
    level_lines: list[Line2D]      # z = LEVELS
    arrow: Annotation              # w, drawn from the point of the decision line nearest 0
    probe: Line2D                  # one input point x (empty when there is none)
    extent: tuple
    resolution: int


@dataclass
class NeuronSurfaceArtists(Picture):
    """What ``neuron_surface`` drew on a 3-D Axes."""

    ax: Axes
    surface: object                # Poly3DCollection, one quad per grid cell
    decision_line: object          # Line3D at height f(0) along z = 0
    probe: object                  # Line3D: the input point lifted to its output
    extent: tuple
    resolution: int


def output_range(activation: activations.Activation, w, b: float, extent=EXTENT):
    """(low, high, centre) of the colour scale for this neuron's outputs over the plane.

    Bounded activations keep their own range (sigmoid 0…1 around 0.5, tanh −1…1); unbounded
    ones get ±(the largest |h| on the plane, rounded up to 1, 2, 5, 10, …) so the scale only
    moves in steps.
    """
    name = activation.name
    if name == "sigmoid":
        return 0.0, 1.0, 0.5
    if name == "tanh":
        return -1.0, 1.0, 0.0
    corners = np.array([[extent[0], extent[2]], [extent[0], extent[3]],
                        [extent[1], extent[2]], [extent[1], extent[3]]])
    top = float(np.max(np.abs(activation.forward(corners @ np.asarray(w, float) + b))))
    return -_nice(top), _nice(top), 0.0


def line_through(w, b: float, level: float, extent=EXTENT) -> tuple[np.ndarray, np.ndarray]:
    """The part of the line w₁x₁ + w₂x₂ + b = level inside ``extent``: (x1s, x2s), maybe empty."""
    w1, w2 = float(w[0]), float(w[1])
    x1_min, x1_max, x2_min, x2_max = extent
    if w1 == 0 and w2 == 0:
        return np.empty(0), np.empty(0)
    points = []
    if w2 != 0:                                 # meet the left and right edges
        for x1 in (x1_min, x1_max):
            points.append((x1, (level - b - w1 * x1) / w2))
    if w1 != 0:                                 # meet the bottom and top edges
        for x2 in (x2_min, x2_max):
            points.append(((level - b - w2 * x2) / w1, x2))
    eps = 1e-9
    inside = [(x1, x2) for x1, x2 in points
              if x1_min - eps <= x1 <= x1_max + eps and x2_min - eps <= x2 <= x2_max + eps]
    if len(inside) < 2:
        return np.empty(0), np.empty(0)
    inside.sort()
    (a1, a2), (c1, c2) = inside[0], inside[-1]
    return np.array([a1, c1]), np.array([a2, c2])


def neuron_plane(ax: Axes | None, w=(1.0, -0.5), b: float = 0.0, activation="sigmoid", *,
                 probe=None, extent=EXTENT, resolution: int = 121, colorbar: bool = True,
                 title: str = "") -> NeuronPlaneArtists:
    """Shade h = f(w·x + b) over the plane, with the decision line z = 0 and the vector w.

    ax:        the Axes to draw on, or None for a new figure.
    w:         (w₁, w₂) the weights; b the bias; activation a name or Activation.
    probe:     (x₁, x₂) an input point to mark, or None.
    extent:    (x1_min, x1_max, x2_min, x2_max) of the plane.
    """
    f, w, b = _check_neuron(w, b, activation)
    resolution = checks.positive_int("resolution", resolution)
    ax = axes_or_new(ax, figsize=(6.0, 5.0))
    low, high, _ = output_range(f, w, b, extent)
    image = ax.imshow(_outputs(f, w, b, extent, resolution), origin="lower", extent=extent,
                      cmap=style.diverging_cmap(), norm=Normalize(low, high), aspect="equal",
                      interpolation="bilinear", zorder=0)
    levels = [ax.plot([], [], color="0.25", lw=1.2, ls=(0, (4, 3)), zorder=2)[0] for _ in LEVELS]
    decision, = ax.plot([], [], color="black", lw=style.LINE_WIDTH + 0.5, zorder=3,
                        label=figure_text("decision line z = 0"))
    arrow = ax.annotate("", xy=(0, 0), xytext=(0, 0), zorder=4,
                        arrowprops=dict(arrowstyle="-|>", color="black", lw=2.5,
                                        mutation_scale=22))
    probe_marker, = ax.plot([], [], "o", ms=13, mfc="white", mec="black", mew=2.5, zorder=5,
                            label=figure_text("input x"))
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    label_axes(ax, "$x_1$", "$x_2$", title)
    key = [Line2D([], [], color="black", lw=style.LINE_WIDTH + 0.5, label="z = 0"),
           Line2D([], [], color="0.25", lw=1.2, ls=(0, (4, 3)), label="z = ±1, ±2"),
           Line2D([], [], color="black", lw=0, marker=r"$\rightarrow$", ms=16, label="w"),
           Line2D([], [], ls="", marker="o", ms=11, mfc="white", mec="black", mew=2,
                  label=figure_text("input x"))]
    ax.legend(handles=key, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=4,
              fontsize=style.FONT_SIZE["legend"], frameon=False, handlelength=2.2)
    if colorbar:
        bar = ax.get_figure().colorbar(image, ax=ax, shrink=0.9, pad=0.03)
        bar.set_label(figure_text("output h"), fontsize=style.FONT_SIZE["label"])
        bar.ax.tick_params(labelsize=style.FONT_SIZE["tick"])
    artists = NeuronPlaneArtists(ax, image, decision, levels, arrow, probe_marker,
                                 tuple(float(e) for e in extent), resolution)
    update_neuron_plane(artists, w, b, f, probe=probe)
    return artists


def update_neuron_plane(artists: NeuronPlaneArtists, w, b: float, activation="sigmoid", *,
                        probe=None) -> list:
    """Recolour the plane and move the lines and the arrow for new w, b (and activation)."""
    f, w, b = _check_neuron(w, b, activation)
    extent = artists.extent
    artists.image.set_data(_outputs(f, w, b, extent, artists.resolution))
    low, high, _ = output_range(f, w, b, extent)
    artists.image.norm.vmin, artists.image.norm.vmax = low, high
    artists.decision_line.set_data(*line_through(w, b, 0.0, extent))
    for line, level in zip(artists.level_lines, LEVELS):
        line.set_data(*line_through(w, b, level, extent))
    norm = float(np.hypot(*w))
    if norm > 0:                            # from the line's point nearest the origin, along w
        foot = -b * w / norm**2
        tip = foot + w / norm * min(1.2, 0.25 * (extent[1] - extent[0]))
        artists.arrow.xy, artists.arrow.xyann = tuple(tip), tuple(foot)
        inside = extent[0] <= foot[0] <= extent[1] and extent[2] <= foot[1] <= extent[3]
        artists.arrow.set_visible(bool(inside))
    else:
        artists.arrow.set_visible(False)
    if probe is None:
        artists.probe.set_data([], [])
    else:
        p = _check_point(probe)
        artists.probe.set_data([p[0]], [p[1]])
    return [artists.image, artists.decision_line, *artists.level_lines, artists.arrow,
            artists.probe]


def neuron_surface(ax: Axes, w=(1.0, -0.5), b: float = 0.0, activation="sigmoid", *,
                   probe=None, extent=EXTENT, resolution: int = 25,
                   title: str = "") -> NeuronSurfaceArtists:
    """The output h = f(w·x + b) as a surface over the plane, on a 3-D Axes.

    ax: an Axes made with ``projection="3d"`` (e.g. ``fig.add_subplot(projection="3d")``).
    resolution: grid points per side (the surface has (resolution - 1)² quads).
    """
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection

    if getattr(ax, "name", "") != "3d":
        raise TypeError("neuron_surface needs a 3-D Axes: fig.add_subplot(projection='3d'). "
                        f"Received: an Axes of type {type(ax).__name__}.")
    f, w, b = _check_neuron(w, b, activation)
    resolution = checks.positive_int("resolution", resolution)
    surface = Poly3DCollection(np.zeros((1, 4, 3)), edgecolor=(0.2, 0.2, 0.2, 0.35),
                               linewidth=0.4)
    ax.add_collection3d(surface)
    decision, = ax.plot([], [], [], color="black", lw=style.LINE_WIDTH + 0.5, zorder=10)
    probe_marker, = ax.plot([], [], [], "o", ms=11, mfc="white", mec="black", mew=2.5, zorder=11)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    fs = style.FONT_SIZE
    ax.set_xlabel("$x_1$", fontsize=fs["label"], labelpad=4)
    ax.set_ylabel("$x_2$", fontsize=fs["label"], labelpad=4)
    ax.set_zlabel("h", fontsize=fs["label"], labelpad=2)
    ax.tick_params(labelsize=fs["tick"] - 2, pad=0)
    ax.view_init(elev=28, azim=-55)
    ax.set_box_aspect(None, zoom=1.15)
    if title:
        ax.set_title(title, fontsize=fs["title"])
    artists = NeuronSurfaceArtists(ax, surface, decision, probe_marker,
                                   tuple(float(e) for e in extent), resolution)
    update_neuron_surface(artists, w, b, f, probe=probe)
    return artists


def update_neuron_surface(artists: NeuronSurfaceArtists, w, b: float, activation="sigmoid", *,
                          probe=None) -> list:
    """Move the surface, the decision line and the probe for new w, b (and activation)."""
    f, w, b = _check_neuron(w, b, activation)
    extent, r = artists.extent, artists.resolution
    x1 = np.linspace(extent[0], extent[1], r)
    x2 = np.linspace(extent[2], extent[3], r)
    X1, X2 = np.meshgrid(x1, x2)
    H = f.forward(w[0] * X1 + w[1] * X2 + b)
    corners = [(slice(None, -1), slice(None, -1)), (slice(None, -1), slice(1, None)),
               (slice(1, None), slice(1, None)), (slice(1, None), slice(None, -1))]
    quads = np.stack([np.stack([X1[c], X2[c], H[c]], axis=-1) for c in corners], axis=2)
    quads = quads.reshape(-1, 4, 3)                              # (quads, 4 corners, xyz)
    low, high, _ = output_range(f, w, b, extent)
    colours = style.diverging_cmap()(Normalize(low, high)(quads[:, :, 2].mean(axis=1)))
    artists.surface.set_verts(quads)
    artists.surface.set_facecolor(colours)
    ax = artists.ax
    if f.name in ("sigmoid", "tanh"):
        ax.set_zlim(low, high)
    else:                                   # unbounded: the outputs on the plane, and f(0)
        top, bottom = max(float(H.max()), 0.0), min(float(H.min()), 0.0)
        pad = 0.05 * max(top - bottom, 1.0)
        ax.set_zlim(bottom - pad, top + pad)
    line1, line2 = line_through(w, b, 0.0, extent)
    height = float(f.forward(np.zeros(1))[0])
    artists.decision_line.set_data_3d(line1, line2, np.full(len(line1), height))
    if probe is None:
        artists.probe.set_data_3d([], [], [])
    else:
        p = _check_point(probe)
        h = float(f.forward(np.array([w @ p + b]))[0])
        artists.probe.set_data_3d([p[0]], [p[1]], [h])
    return [artists.surface, artists.decision_line, artists.probe]


# --- helpers ------------------------------------------------------------------------------------

def _check_neuron(w, b, activation):
    f = activations.get(activation)
    if f.name == "softmax":
        raise ValueError("activation='softmax' needs several outputs; one neuron has one. Use "
                         "'sigmoid', 'tanh', 'relu', 'leaky_relu' or 'linear'.")
    w = checks.finite_array("w", w, ndim=1).astype(float)
    if w.shape != (2,):
        raise ValueError(f"w must hold two weights (w1, w2), one per input. Received shape "
                         f"{w.shape}.")
    b = _number("b", b)
    return f, w, b


def _check_point(probe) -> np.ndarray:
    p = checks.finite_array("probe", probe, ndim=1).astype(float)
    if p.shape != (2,):
        raise ValueError(f"probe must be one input point (x1, x2). Received shape {p.shape}.")
    return p


def _outputs(f, w, b, extent, resolution) -> np.ndarray:
    """(R, R) outputs at the cell centres, row 0 at the bottom."""
    x1 = np.linspace(extent[0], extent[1], resolution)
    x2 = np.linspace(extent[2], extent[3], resolution)
    return f.forward(w[0] * x1[None, :] + w[1] * x2[:, None] + b)


def _nice(value: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50, … that is ≥ value."""
    step = 1.0
    while step < value:
        for factor in (2.0, 2.5, 2.0):          # 1 → 2 → 5 → 10 → 20 → 50 …
            step *= factor
            if step >= value:
                break
    return step


def _number(name: str, value) -> float:
    """``value`` as a float if it is a finite real number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number. Received: {name}={value!r}.")
    return float(value)
