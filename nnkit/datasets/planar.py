"""Two-dimensional toy data sets in the spirit of TensorFlow Playground.

Every set returns ``X: (N, 2)`` float64 points and either class labels ``y: (N,)`` int64 (0/1 for
the binary sets, 0 … K-1 for ``blobs``) or regression targets ``y: (N, 1)`` float64 in about
[-1, 1].  The rows come shuffled, the classes balanced (sizes differ by at most one).  As in the
Playground, the pictures fill the square [-6, 6]²: at ``noise=0`` (``gauss`` and ``blobs`` aside,
whose tails are Gaussian) every point lies inside it; noise pushes some points a little outside.

``noise`` is a fraction in [0, 0.5], like the Playground's 0–50 % slider.  It moves each point by a
random amount whose size grows with ``noise``; the label stays the one of the clean point, as if the
measurement of x were noisy.  At ``noise=0`` every set is exactly what its docstring says.

The generation rules are written from the description of each picture, one short function each.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.datasets.seeding import make_rng

__all__ = [
    "circle", "xor", "gauss", "spiral", "moons", "blobs", "plane", "multi_gauss",
    "curve", "sin_curve", "cubic_curve", "abs_curve", "CURVES", "make_planar", "PLANAR", "CLASSIFICATION", "REGRESSION",
]

MAX_NOISE = 0.5


def _validate(n_samples, noise, seed) -> tuple[int, float, np.random.Generator]:
    n_samples = checks.positive_int("n_samples", n_samples)
    noise = checks.non_negative_float("noise", noise)
    if noise > MAX_NOISE:
        raise ValueError(f"noise must lie in [0, {MAX_NOISE}] (a fraction, like the Playground's "
                         f"0–50 %). Received: noise={noise}. For 30 %, pass noise=0.3.")
    return n_samples, noise, make_rng(seed)


def _class_sizes(n_samples: int, n_classes: int) -> list[int]:
    """Split N into K counts that differ by at most one, e.g. 7 into 2 → [4, 3]."""
    return [len(range(k, n_samples, n_classes)) for k in range(n_classes)]


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator):
    order = rng.permutation(len(y))
    return X[order], y[order]


def _polar(r: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """(r, angle) of shape (N,) → points (N, 2)."""
    return np.column_stack([r * np.cos(angle), r * np.sin(angle)])


def circle(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """A disc inside a ring: class 1 at radius 0–2.5, class 0 at radius 3.5–5.

    Noise moves each coordinate by up to ±5·noise (uniform).  Returns X: (N, 2), y: (N,) in {0, 1}.
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    n_inside, n_ring = _class_sizes(n_samples, 2)
    r = np.concatenate([rng.uniform(0.0, 2.5, n_inside), rng.uniform(3.5, 5.0, n_ring)])
    X = _polar(r, rng.uniform(0.0, 2 * np.pi, n_samples))
    y = np.concatenate([np.ones(n_inside, np.int64), np.zeros(n_ring, np.int64)])
    X += rng.uniform(-1.0, 1.0, X.shape) * 5.0 * noise
    return _shuffled(X, y, rng)


def xor(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Four squares: y = 1 where x1 and x2 have different signs, y = 0 where they agree.

    Each |coordinate| lies in [0.3, 5.3] (a gap of 0.3 around the axes); noise moves each coordinate
    by up to ±5·noise.  Returns X: (N, 2), y: (N,) in {0, 1}.
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    n_same, n_differ = _class_sizes(n_samples, 2)
    y = np.concatenate([np.zeros(n_same, np.int64), np.ones(n_differ, np.int64)])
    sign1 = rng.choice([-1.0, 1.0], n_samples)
    sign2 = np.where(y == 1, -sign1, sign1)
    X = rng.uniform(0.3, 5.3, (n_samples, 2)) * np.column_stack([sign1, sign2])
    X += rng.uniform(-1.0, 1.0, X.shape) * 5.0 * noise
    return _shuffled(X, y, rng)


def gauss(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Two Gaussian blobs: class 1 around (2, 2), class 0 around (-2, -2).

    The standard deviation grows with the noise: σ = 0.7 + 2.6·noise (0.7 … 2.0), so at 50 % the
    blobs overlap.  Returns X: (N, 2), y: (N,) in {0, 1}.
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    n1, n0 = _class_sizes(n_samples, 2)
    y = np.concatenate([np.ones(n1, np.int64), np.zeros(n0, np.int64)])
    centres = np.where(y[:, None] == 1, 2.0, -2.0)
    X = centres + rng.normal(0.0, 0.7 + 2.6 * noise, (n_samples, 2))
    return _shuffled(X, y, rng)


def spiral(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Two interleaved spirals, the hardest Playground picture.

    A point at position t ∈ [0, 1) along its arm sits at radius r = 5t and angle θ = 3.5π·t + kπ
    (1.75 turns; arm k = 1 is arm 0 turned half a turn), so walking out from the centre along any
    ray you cross the classes in turn.  Noise moves each coordinate by up to ±2·noise.
    Returns X: (N, 2), y: (N,) in {0, 1}.
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    n0, n1 = _class_sizes(n_samples, 2)
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    t = rng.uniform(0.0, 1.0, n_samples)
    X = _polar(5.0 * t, 3.5 * np.pi * t + np.pi * y)
    X += rng.uniform(-1.0, 1.0, X.shape) * 2.0 * noise
    return _shuffled(X, y, rng)


def moons(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Two interlocking half-moons (like scikit-learn's ``make_moons``, scaled ×3 and centred).

    Class 0 is the upper arc (cos a, sin a), class 1 the lower arc (1 - cos a, 0.5 - sin a) for
    a ∈ [0, π]; both are then shifted by (-0.5, -0.25) and scaled by 3, so x1 ∈ [-4.5, 4.5].
    Noise adds Gaussian jitter of standard deviation 2.4·noise.
    Returns X: (N, 2), y: (N,) in {0, 1}.
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    n0, n1 = _class_sizes(n_samples, 2)
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    a = rng.uniform(0.0, np.pi, n_samples)
    upper = np.column_stack([np.cos(a), np.sin(a)])
    lower = np.column_stack([1.0 - np.cos(a), 0.5 - np.sin(a)])
    X = 3.0 * (np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25])
    X += rng.normal(0.0, 2.4 * noise, X.shape)
    return _shuffled(X, y, rng)


def blobs(n_samples: int = 200, n_classes: int = 3, noise: float = 0.0, seed: int | None = None):
    """K Gaussian blobs for multi-class lessons (softmax), K = ``n_classes`` from 2 to 6.

    Blob k is centred at radius 4, angle 2πk/K + π/2, with σ = 0.6 + 2·noise.
    Returns X: (N, 2), y: (N,) in {0, …, K-1}.
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    n_classes = checks.positive_int("n_classes", n_classes)
    if not 2 <= n_classes <= 6:
        raise ValueError(f"n_classes must be between 2 and 6. Received: n_classes={n_classes}.")
    y = np.concatenate([np.full(size, k, np.int64)
                        for k, size in enumerate(_class_sizes(n_samples, n_classes))])
    angles = 2 * np.pi * np.arange(n_classes) / n_classes + np.pi / 2
    centres = _polar(np.full(n_classes, 4.0), angles)                       # (K, 2)
    X = centres[y] + rng.normal(0.0, 0.6 + 2.0 * noise, (n_samples, 2))
    return _shuffled(X, y, rng)


def plane(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Regression on a tilted plane: y = (x1 + x2) / 12, for x uniform in [-6, 6]².

    Noise moves each coordinate by up to ±6·noise after y is computed.
    Returns X: (N, 2), y: (N, 1) float64 in [-1, 1].
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    X = rng.uniform(-6.0, 6.0, (n_samples, 2))
    y = (X[:, :1] + X[:, 1:]) / 12.0
    X += rng.uniform(-1.0, 1.0, X.shape) * 6.0 * noise
    return X, y


# (c1, c2, sign) of the bumps of multi_gauss: a 3 × 2 grid with signs like a chessboard.
BUMPS = np.array([[-4.0, 2.5, 1.0], [0.0, 2.5, -1.0], [4.0, 2.5, 1.0],
                  [-4.0, -2.5, -1.0], [0.0, -2.5, 1.0], [4.0, -2.5, -1.0]])


def multi_gauss(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Regression on six signed Gaussian bumps: y = Σ_k s_k · exp(-|x - c_k|² / (2·1.5²)).

    The centres c_k and signs s_k are the rows of ``BUMPS`` (a chessboard of hills and valleys);
    x is uniform in [-6, 6]².  Noise moves each coordinate by up to ±6·noise after y is computed.
    Returns X: (N, 2), y: (N, 1) float64 in about [-1, 1].
    """
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    X = rng.uniform(-6.0, 6.0, (n_samples, 2))
    sq_dist = ((X[:, None, :] - BUMPS[None, :, :2]) ** 2).sum(axis=2)        # (N, 6)
    y = (BUMPS[:, 2] * np.exp(-sq_dist / (2 * 1.5 ** 2))).sum(axis=1, keepdims=True)
    X += rng.uniform(-1.0, 1.0, X.shape) * 6.0 * noise
    return X, y


# The curves of ``curve`` (x₂ = f(x₁) in the [-6, 6]² square): what each name draws.
CURVES = {
    "sin": ("x₂ = 3·sin x₁", lambda x: 3.0 * np.sin(x)),
    "cubic": ("x₂ = 3·(u³ − u), u = x₁/4", lambda x: 3.0 * ((x / 4.0) ** 3 - x / 4.0)),
    "abs": ("x₂ = |x₁| − 3", lambda x: np.abs(x) - 3.0),
}
CURVE_GAP = 0.25                    # no point closer than this (vertically) to the curve at noise 0


def curve(n_samples: int = 200, noise: float = 0.0, seed: int | None = None, *, name: str = "sin"):
    """Points above (class 1) and below (class 0) a curve x₂ = f(x₁) from ``CURVES``.

    x₁ is uniform in [-6, 6]; class 1 has x₂ uniform between f(x₁) + 0.25 and 6, class 0
    between -6 and f(x₁) − 0.25 (every f stays within ±5.7 there).  A boundary has to bend to
    the curve.  Noise moves each coordinate by up to ±6·noise after labelling.
    Returns X: (N, 2), y: (N,) in {0, 1}.
    """
    checks.one_of("name", name, CURVES)
    n_samples, noise, rng = _validate(n_samples, noise, seed)
    f = CURVES[name][1]
    n_above, n_below = _class_sizes(n_samples, 2)
    x1 = rng.uniform(-6.0, 6.0, n_samples)
    fx = f(x1)
    t = rng.uniform(0.0, 1.0, n_samples)
    above = fx[:n_above] + CURVE_GAP + t[:n_above] * (6.0 - fx[:n_above] - CURVE_GAP)
    below = -6.0 + t[n_above:] * (fx[n_above:] - CURVE_GAP + 6.0)
    X = np.column_stack([x1, np.concatenate([above, below])])
    y = np.concatenate([np.ones(n_above, np.int64), np.zeros(n_below, np.int64)])
    X += rng.uniform(-1.0, 1.0, X.shape) * 6.0 * noise
    return _shuffled(X, y, rng)


def sin_curve(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Above/below x₂ = 3·sin x₁ (``curve(name="sin")``)."""
    return curve(n_samples, noise, seed, name="sin")


def cubic_curve(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Above/below x₂ = 3·(u³ − u) with u = x₁/4 (``curve(name="cubic")``)."""
    return curve(n_samples, noise, seed, name="cubic")


def abs_curve(n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Above/below x₂ = |x₁| − 3 (``curve(name="abs")``)."""
    return curve(n_samples, noise, seed, name="abs")


PLANAR = {
    "circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral, "moons": moons,
    "blobs": blobs, "plane": plane, "multi_gauss": multi_gauss,
    "sin": sin_curve, "cubic": cubic_curve, "abs": abs_curve,
}
CLASSIFICATION = ("circle", "xor", "gauss", "spiral", "moons", "blobs", "sin", "cubic", "abs")
REGRESSION = ("plane", "multi_gauss")


def make_planar(name: str, n_samples: int = 200, noise: float = 0.0, seed: int | None = None):
    """Build the set called ``name`` (one of ``PLANAR``); what a widget's data menu calls.

    Returns (X, y) exactly as the named function does (``blobs`` with its default 3 classes).
    """
    checks.one_of("name", name, PLANAR)
    return PLANAR[name](n_samples=n_samples, noise=noise, seed=seed)
