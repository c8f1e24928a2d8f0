"""Optimizer paths on a 2-D loss surface, one panel per optimizer, and their losses step by step.

Gradient descent (lesson §3.3) walks downhill, ``θ_new = θ_old − α ∇L(θ_old)``; the picture puts
that walk on the map of L so the learner sees *where* each step goes.  The surface is shaded in
bands from light (low) to dark grey (high) between contour lines spaced on a log scale; each
optimizer's path is a coloured line with a dot per step, from the common start (white circle)
towards the minimum (star).
A last panel plots L − L_min against the step, on a log scale, for all of them.

    artists = descent_paths(None, values, extent, {"sgd": path, "adam": path2}, minima=[(0, 0)])
    update_descent_paths(artists, {"sgd": longer_path, "adam": longer_path2})

``values``: (R, C) losses on a grid over ``extent`` (row 0 at the bottom); ``path``: (n, 2).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text

from nnkit import checks
from nnkit.plots import style
from nnkit.plots.fonts import figure_text
from nnkit.i18n import N_

__all__ = ["descent_paths", "update_descent_paths", "set_descent_surface", "DescentPathsArtists",
           "PATH_COLORS", "OPTIMIZER_LABELS"]

PATH_COLORS = {"sgd": style.to_unit(style.CLASS_COLORS[5]),        # vermillion
               "momentum": style.to_unit(style.CLASS_COLORS[3]),   # reddish purple
               "adam": style.to_unit(style.CLASS_COLORS[2])}       # bluish green
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": N_("momentum"), "adam": "Adam"}
LANDSCAPE = LinearSegmentedColormap.from_list("nnkit_landscape", ["#ffffff", "#8c8c8c"])
FLOOR = 1e-6          # L − L_min below this is drawn at the floor of the log scales


@dataclass
class DescentPathsArtists:
    """What ``descent_paths`` drew, kept so a live view can grow the paths in place."""

    figure: Figure
    axes: dict[str, Axes]               # one map per optimizer, and "loss"
    images: dict[str, AxesImage]        # the shaded surface on each map
    contours: dict[str, object]         # ContourSet per map (replaced by set_descent_surface)
    paths: dict[str, Line2D]
    heads: dict[str, Line2D]            # the current position, a big dot
    starts: list[Line2D]
    minima: list[Line2D]
    loss_lines: dict[str, Line2D]
    titles: dict[str, Text]             # the status line under each map's name
    loss_min: float

    @property
    def dynamic(self) -> list:
        """What a frame changes: the paths, their heads, the loss curves and the titles."""
        return ([*self.paths.values(), *self.heads.values(), *self.loss_lines.values()]
                + list(self.titles.values()))

    def _repr_png_(self) -> bytes | None:
        import io
        if self.figure.canvas.manager is not None:
            return None
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()


def descent_paths(axes, values: np.ndarray, extent, paths: dict, *, minima=(), loss_min: float = 0.0,
                  losses: dict | None = None, max_steps: int = 100, titles: dict | None = None,
                  loss_range=None) -> DescentPathsArtists:
    """Draw each optimizer's path on its own map of the surface, and their losses per step.

    axes:    a sequence of len(paths) + 1 Axes (maps, then the loss panel), or None: a new figure.
    values:  (R, C) the loss on a grid over ``extent`` = (x_min, x_max, y_min, y_max).
    paths:   name → (n, 2) positions θ_0 … θ_{n-1}; names from "sgd", "momentum", "adam" get
             their usual colours.
    minima:  points to mark with a star;  loss_min: the lowest value of the surface.
    losses:  name → (n,) losses along each path (default: none drawn yet).
    max_steps, loss_range: the loss panel's fixed x range and (low, high) y range.
    """
    names = list(paths)
    if not 1 <= len(names) <= 3:
        raise ValueError(f"paths must hold 1 to 3 optimizers. Received {len(names)}: {names}.")
    if axes is None:
        figure = Figure(figsize=(4.3 * len(names) + 0.4, 8.4), layout="constrained")
        grid = figure.add_gridspec(2, len(names), height_ratios=[3.0, 1.6])
        axes = [figure.add_subplot(grid[0, k]) for k in range(len(names))]
        axes.append(figure.add_subplot(grid[1, :]))
    axes = list(np.ravel(np.asarray(axes, dtype=object)))
    if len(axes) != len(names) + 1 or not all(isinstance(a, Axes) for a in axes):
        raise TypeError(f"axes must be {len(names) + 1} Axes: one map per optimizer and one for "
                        f"the losses, or None for a new figure.")
    figure = axes[0].get_figure(root=True)
    fs = style.FONT_SIZE
    named = dict(zip(names + ["loss"], axes))
    art = DescentPathsArtists(figure, named, {}, {}, {}, {}, [], [], {}, {}, float(loss_min))
    for name in names:
        ax = named[name]
        colour = PATH_COLORS.get(name, "black")
        art.paths[name], = ax.plot([], [], "-o", color=colour, lw=2.5, ms=4.5, zorder=4)
        art.heads[name], = ax.plot([], [], "o", color=colour, ms=13, mec="black", mew=1.5, zorder=6)
        ax.set_title(figure_text(OPTIMIZER_LABELS.get(name, name)), fontsize=fs["title"] + 1,
                     color=colour,
                     fontweight="bold", pad=26)
        art.titles[name] = ax.text(0.5, 1.015, "", transform=ax.transAxes, ha="center",
                                   va="bottom", fontsize=fs["annotation"], color="0.15")
        ax.tick_params(labelsize=fs["tick"])
        ax.set_xlabel("$θ_1$", fontsize=fs["label"])
        art.starts.append(ax.plot([], [], "o", ms=12, mfc="white", mec="black", mew=2, zorder=5)[0])
        art.minima.append(ax.plot([], [], "*", ms=20, mfc="gold", mec="black", mew=1.2, zorder=5)[0])
    named[names[0]].set_ylabel("$θ_2$", fontsize=fs["label"])
    loss_ax = named["loss"]
    for name in names:
        art.loss_lines[name], = loss_ax.plot([], [], color=PATH_COLORS.get(name, "black"), lw=2.5,
                                             label=OPTIMIZER_LABELS.get(name, name))
    loss_ax.set_yscale("log")
    loss_ax.grid(True, which="major", alpha=0.3)
    loss_ax.tick_params(labelsize=fs["tick"])
    loss_ax.set_xlabel(figure_text("step"), fontsize=fs["label"])
    loss_ax.set_ylabel("L − L_min", fontsize=fs["label"])
    loss_ax.legend(fontsize=fs["legend"], loc="upper right", ncol=len(names))
    set_descent_surface(art, values, extent, minima=minima, loss_min=loss_min,
                        max_steps=max_steps, loss_range=loss_range)
    update_descent_paths(art, paths, losses, titles)
    return art


def set_descent_surface(artists: DescentPathsArtists, values: np.ndarray, extent, *, minima=(),
                        loss_min: float = 0.0, max_steps: int = 100, loss_range=None,
                        start=None) -> None:
    """Show another surface (or extent) on every map: new shading, contours, minima, limits."""
    values = checks.finite_array("values", values, ndim=2).astype(float)
    x_min, x_max, y_min, y_max = (float(e) for e in extent)
    height = np.maximum(values - loss_min, 0.0) + FLOOR
    edges = np.geomspace(max(FLOOR, np.percentile(height, 1)), height.max(), 14)
    levels = edges[1:-1]
    # flat bands between the contour lines, like a map's (and a PNG of bands stays small)
    norm = BoundaryNorm(np.concatenate([[0.0], levels, [np.inf]]), LANDSCAPE.N, clip=True)
    artists.loss_min = float(loss_min)
    minima = np.asarray(minima, dtype=float).reshape(-1, 2)
    for k, (name, ax) in enumerate((n, a) for n, a in artists.axes.items() if n != "loss"):
        if name in artists.images:
            artists.images[name].set_data(height)
            artists.images[name].set_extent((x_min, x_max, y_min, y_max))
            artists.images[name].set_norm(norm)
            artists.contours[name].remove()
        else:
            artists.images[name] = ax.imshow(height, origin="lower", extent=(x_min, x_max, y_min, y_max),
                                             cmap=LANDSCAPE, norm=norm, aspect="auto",
                                             interpolation="nearest", zorder=0)
        xs = np.linspace(x_min, x_max, values.shape[1])
        ys = np.linspace(y_min, y_max, values.shape[0])
        artists.contours[name] = ax.contour(xs, ys, height, levels=levels, colors="0.45",
                                            linewidths=0.9, zorder=1)
        artists.minima[k].set_data(minima[:, 0], minima[:, 1])
        if start is not None:
            artists.starts[k].set_data([start[0]], [start[1]])
        ax.set_xlim(x_min, x_max)
        ax.set_ylim(y_min, y_max)
        ax.set_aspect("equal")
    loss_ax = artists.axes["loss"]
    loss_ax.set_xlim(0, checks.positive_int("max_steps", max_steps))
    low, high = loss_range if loss_range is not None else (FLOOR, 10 * float(height.max()))
    loss_ax.set_ylim(low, high)


def update_descent_paths(artists: DescentPathsArtists, paths: dict, losses: dict | None = None,
                         titles: dict | None = None) -> list:
    """Grow (or restart) the paths and loss curves; ``titles``: name → status text per map."""
    for name, path in paths.items():
        if name not in artists.paths:
            raise ValueError(f"no panel for optimizer {name!r}; the plot has "
                             f"{', '.join(map(repr, artists.paths))}.")
        path = np.asarray(path, dtype=float).reshape(-1, 2)
        artists.paths[name].set_data(path[:, 0], path[:, 1])
        artists.heads[name].set_data(path[-1:, 0], path[-1:, 1])
        if len(path):
            for start in artists.starts:
                start.set_data(path[:1, 0], path[:1, 1])
        if losses is not None and name in losses:
            L = np.asarray(losses[name], dtype=float) - artists.loss_min
            artists.loss_lines[name].set_data(np.arange(len(L)), np.maximum(L, FLOOR))
    for name, text in (titles or {}).items():
        artists.titles[name].set_text(text)
    return artists.dynamic
