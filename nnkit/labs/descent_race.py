"""The logic of the gradient-descent explorer: loss surfaces and optimizers walking down them.

    race = DescentRace("bowl", learning_rate=0.9)
    race.step(50)                          # 50 updates of SGD, momentum and Adam
    race.walks["sgd"].status               # "converged", "oscillating", "diverged", …

No widgets here (``nnkit.widgets.descent`` draws and controls this).  The optimizers are
nnkit's own (``nnkit.optimizers``), applied to a two-number θ: the same code that trains the
networks.  The surfaces:

* ``bowl``       L = θ₁² + θ₂²                       curvature λ = 2 everywhere,
                                                      so plain gradient descent converges exactly
                                                      when α < 2/λ = 1
* ``ravine``     L = 0.1 θ₁² + 2 θ₂²                 steep across, almost flat along: zig-zags
* ``rosenbrock`` L = (1 − θ₁)² + 100 (θ₂ − θ₁²)²      a curved, flat-bottomed valley
* ``saddle``     L = θ₁² − θ₂² + θ₂⁴ / 4              a saddle at 0 between two minima
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnkit import checks, optimizers

__all__ = ["Surface", "SURFACES", "Descent", "DescentRace", "OPTIMIZER_NAMES",
           "DIVERGED_LOSS"]

OPTIMIZER_NAMES = ("sgd", "momentum", "adam")
DIVERGED_LOSS = 1e8            # a loss beyond this (or a step to infinity) counts as diverged
CONVERGED_DISTANCE = 1e-3      # this close to a minimum counts as arrived


@dataclass(frozen=True)
class Surface:
    """A loss surface L(θ) over θ = (θ₁, θ₂), with its gradient and a good place to look at it."""

    name: str
    formula: str                         # LaTeX
    extent: tuple[float, float, float, float]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    loss_min: float
    learning_rate: float                 # a default that shows the surface's character
    adam_learning_rate: float
    max_steps: int
    smoothness: float | None = None      # curvature λ of a quadratic: α < 2/λ converges

    def loss(self, theta: np.ndarray) -> np.ndarray:
        """L at θ: (..., 2) → (...)."""
        x, y = theta[..., 0], theta[..., 1]
        if self.name == "bowl":
            return x * x + y * y
        if self.name == "ravine":
            return 0.1 * x * x + 2.0 * y * y
        if self.name == "rosenbrock":
            return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2
        return x * x - y * y + 0.25 * y ** 4                     # saddle

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        """∇L at θ: (2,) → (2,)."""
        x, y = float(theta[0]), float(theta[1])
        if self.name == "bowl":
            return np.array([2.0 * x, 2.0 * y])
        if self.name == "ravine":
            return np.array([0.2 * x, 4.0 * y])
        if self.name == "rosenbrock":
            return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])
        return np.array([2.0 * x, -2.0 * y + y ** 3])

    def grid(self, resolution: int = 160) -> np.ndarray:
        """(R, R) losses on a grid over ``extent``, row 0 at the bottom."""
        x_min, x_max, y_min, y_max = self.extent
        xs, ys = np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
        return self.loss(np.stack(np.meshgrid(xs, ys), axis=-1))


SURFACES = {s.name: s for s in (
    Surface("bowl", r"L = \theta_1^2 + \theta_2^2", (-3.0, 3.0, -3.0, 3.0), (-2.5, 2.0),
            ((0.0, 0.0),), 0.0, 0.1, 0.3, 200, smoothness=2.0),
    Surface("ravine", r"L = 0.1\,\theta_1^2 + 2\,\theta_2^2", (-3.0, 3.0, -2.0, 2.0), (-2.8, 1.5),
            ((0.0, 0.0),), 0.0, 0.3, 0.3, 200, smoothness=4.0),
    Surface("rosenbrock", r"L = (1-\theta_1)^2 + 100\,(\theta_2-\theta_1^2)^2",
            (-2.0, 2.0, -1.0, 3.0), (-1.2, 1.0), ((1.0, 1.0),), 0.0, 0.002, 0.1, 3000),
    Surface("saddle", r"L = \theta_1^2 - \theta_2^2 + \tfrac14\theta_2^4", (-3.0, 3.0, -2.5, 2.5),
            (-2.5, 0.01), ((0.0, 2 ** 0.5), (0.0, -(2 ** 0.5))), -1.0, 0.1, 0.1, 300),
)}


class Descent:
    """One optimizer walking down a surface: θ, its path, its losses and what is happening."""

    def __init__(self, name: str, surface: Surface, start, optimizer: optimizers.Optimizer):
        self.name, self.surface, self.optimizer = name, surface, optimizer
        self.theta = np.array(start, dtype=float)
        self.optimizer.build([2])
        self.path = [self.theta.copy()]
        self.losses = [float(surface.loss(self.theta))]
        self.status = "running"            # running, oscillating, converged, diverged, stuck
        self.stopped_at: int | None = None
        self.oscillated = False

    @property
    def steps(self) -> int:
        return len(self.path) - 1

    @property
    def done(self) -> bool:
        return self.status in ("converged", "diverged", "stuck")

    def step(self) -> None:
        """One update θ ← optimizer(θ, ∇L(θ)); then classify where the walk is going."""
        if self.done:
            return
        with np.errstate(over="ignore", invalid="ignore"):
            grad = self.surface.gradient(self.theta)
            self.optimizer.apply(self.theta, grad)
            loss = float(self.surface.loss(self.theta))
        self.path.append(self.theta.copy())
        self.losses.append(loss)
        if not math.isfinite(loss) or loss > DIVERGED_LOSS or not np.all(np.isfinite(self.theta)):
            self._stop("diverged")
        elif min(math.dist(self.theta, m) for m in self.surface.minima) < CONVERGED_DISTANCE:
            self._stop("converged")
        elif np.hypot(*self.surface.gradient(self.theta)) < 1e-7:
            self._stop("stuck")            # flat but no minimum: the saddle point
        else:
            self.oscillated |= self._oscillating()
            self.status = "oscillating" if self._oscillating() else "running"

    def _stop(self, status: str) -> None:
        self.status, self.stopped_at = status, self.steps

    def _oscillating(self, window: int = 8) -> bool:
        """Most of the last steps reverse the one before (a zig-zag, or bouncing across)."""
        if len(self.path) < window + 2:
            return False
        moves = np.diff(np.array(self.path[-window - 2:]), axis=0)
        turns = np.einsum("ij,ij->i", moves[1:], moves[:-1]) < 0
        return int(turns.sum()) >= window // 2

    def describe(self) -> str:
        """A few words for the panel title: "converged in 41 steps", "diverged at step 7"…"""
        if self.status == "converged":
            how = " (after oscillating)" if self.oscillated else ""
            return f"converged in {self.stopped_at} steps{how}"
        if self.status == "diverged":
            return f"diverged at step {self.stopped_at}"
        if self.status == "stuck":
            return f"stuck at a flat point, step {self.stopped_at}"
        if self.steps >= self.surface.max_steps:
            return f"still {self.status} after {self.steps} steps"
        return f"{self.status} · step {self.steps}"


class DescentRace:
    """SGD, momentum and Adam from the same start on one surface; the logic of the explorer.

    learning_rate: α of SGD and momentum;  momentum: μ;  adam_learning_rate: α of Adam
    (Adam's steps are about α long whatever the gradient, so it needs its own).
    """

    def __init__(self, surface: str = "bowl", learning_rate: float | None = None,
                 momentum: float = 0.9, adam_learning_rate: float | None = None, start=None,
                 optimizers_shown=OPTIMIZER_NAMES):
        self.surface = SURFACES[checks.one_of("surface", surface, list(SURFACES))]
        s = self.surface
        self.learning_rate = checks.positive_float(
            "learning_rate", s.learning_rate if learning_rate is None else learning_rate)
        self.momentum = checks.fraction("momentum", momentum)
        self.adam_learning_rate = checks.positive_float(
            "adam_learning_rate", s.adam_learning_rate if adam_learning_rate is None
            else adam_learning_rate)
        self.start = tuple(s.start if start is None else start)
        self.optimizers_shown = tuple(optimizers_shown)
        self.restart()

    def restart(self) -> None:
        """Every optimizer back to the start with fresh state."""
        makers = {"sgd": lambda: optimizers.SGD(self.learning_rate),
                  "momentum": lambda: optimizers.SGD(self.learning_rate, momentum=self.momentum),
                  "adam": lambda: optimizers.Adam(self.adam_learning_rate)}
        self.walks = {name: Descent(name, self.surface, self.start, makers[name]())
                      for name in self.optimizers_shown}

    def step(self, steps: int = 1) -> list[Descent]:
        """``steps`` updates of every walk still going; returns the walks that diverged now."""
        newly = []
        for _ in range(steps):
            for walk in self.walks.values():
                if walk.done or walk.steps >= self.surface.max_steps:
                    continue
                walk.step()
                if walk.status == "diverged":
                    newly.append(walk)
        return newly

    @property
    def finished(self) -> bool:
        return all(w.done or w.steps >= self.surface.max_steps for w in self.walks.values())
