"""A producer to try the live view with: a small ``Sequential`` learning a planar data set.

    trainer = PlanarTrainer("circle", hidden_layers=(4, 2))     # TensorFlow Playground's default
    LiveView(trainer)                                           # press Play

It uses nnkit's public API only (``train_on_batch``, ``predict``, ``layer_outputs``,
``get_weights``/``set_weights``), so it shows what any producer must do:

    produce(steps) -> Frame   train ``steps`` epochs (0: none) and describe the picture
    replay(epoch) -> Frame    the picture at a recorded epoch (the timeline), optional
    points() -> (X, y)        the training points drawn over the boundary
    add_point(x1, x2, label) / remove_points(x1, x2, radius)   the learner's own data, optional
    focus                     None, or the index of the neuron to show large (hover)
    layout() -> dict          what the view needs to draw the network and the axes

One step is one epoch: a pass over the training points in shuffled mini-batches of
``batch_size`` (as in TensorFlow Playground).  Every epoch's weights go to ``recording``.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.datasets import make_planar
from nnkit.layers import Dense
from nnkit.models import Sequential
from nnkit.optimizers import SGD
from nnkit.widgets.live.frames import Frame, boundary_indices, diverging_indices
from nnkit.widgets.live.recording import Recording

__all__ = ["PlanarTrainer"]


class PlanarTrainer:
    """Binary classification of 2-D points, shown over ``extent`` on an R × R grid.

    dataset: a name from ``nnkit.datasets.PLANAR`` with two classes (circle, xor, spiral,
    moons, gauss);  half of ``n_samples`` points train, half test (as TensorFlow Playground).
    resolution: R, the grid's side;  thumb: r, the side of each neuron's small picture
    (R must be a multiple of r).
    """

    def __init__(self, dataset: str = "circle", hidden_layers=(4, 2), activation: str = "tanh",
                 learning_rate: float = 0.03, batch_size: int = 10, n_samples: int = 200,
                 noise: float = 0.0, seed: int = 0, resolution: int = 100, thumb: int = 25,
                 extent=(-6.0, 6.0, -6.0, 6.0), recording: Recording | None = None):
        self.resolution = checks.positive_int("resolution", resolution)
        self.thumb = checks.positive_int("thumb", thumb)
        if self.resolution % self.thumb:
            raise ValueError(f"resolution must be a multiple of thumb. Received: resolution="
                             f"{resolution}, thumb={thumb}.")
        self.batch_size = checks.positive_int("batch_size", batch_size)
        self.extent = tuple(float(e) for e in extent)
        X, y = make_planar(dataset, n_samples=n_samples, noise=noise, seed=seed)
        if y.ndim != 1 or set(np.unique(y)) - {0, 1}:
            raise ValueError(f"dataset must have two classes (0/1); {dataset!r} does not.")
        half = len(X) // 2
        self.X, self.y = X[:half].astype(np.float32), y[:half].astype(np.float32)
        self.X_test, self.y_test = X[half:].astype(np.float32), y[half:].astype(np.float32)
        self.hidden_layers = tuple(checks.positive_int("hidden_layers", h) for h in hidden_layers)
        layers = [Dense(self.hidden_layers[0], activation, input_shape=(2,))] if hidden_layers \
            else []
        layers += [Dense(h, activation) for h in self.hidden_layers[1:]]
        layers.append(Dense(1, "sigmoid", input_shape=None if layers else (2,)))
        self.model = Sequential(layers, seed=seed, dtype="float32")
        self.model.compile(optimizer=SGD(learning_rate), loss="binary_crossentropy")
        self.model.build((None, 2))
        self.rng = np.random.default_rng([seed, 7])
        self.epoch = 0
        self.losses: list[tuple[float, float]] = []      # (training, test) per epoch
        self.focus: int | None = None
        self.recording = recording if recording is not None else Recording()
        xmin, xmax, ymin, ymax = self.extent
        R = self.resolution
        xs = np.linspace(xmin, xmax, R, dtype=np.float32)
        ys = np.linspace(ymax, ymin, R, dtype=np.float32)          # row 0 at the top
        gx, gy = np.meshgrid(xs, ys)
        self.grid_points = np.column_stack([gx.ravel(), gy.ravel()])
        self.shapes = [w.shape for w in self.model.get_weights()]
        self.recording.add(0, self.snapshot())

    # ---- what the view asks -------------------------------------------------------------------
    def layout(self) -> dict:
        n_hidden = len(self.hidden_layers)
        return {"layers": [2, *self.hidden_layers, 1], "labels": ["x₁", "x₂"],
                "titles": ["inputs"] + [f"layer {i + 1}" for i in range(n_hidden)] + ["output"],
                "extent": list(self.extent), "n_classes": 2, "xlabel": "x₁", "ylabel": "x₂"}

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        return self.X, self.y.astype(np.uint8)

    def snapshot(self) -> np.ndarray:
        return np.concatenate([w.ravel() for w in self.model.get_weights()]).astype(np.float32)

    # ---- training -----------------------------------------------------------------------------
    def train_epoch(self) -> float:
        """One pass over the training points in shuffled mini-batches; the mean batch loss."""
        n = len(self.X)
        if n == 0:
            return float("nan")
        order = self.rng.permutation(n)
        total = 0.0
        for start in range(0, n, self.batch_size):
            rows = order[start:start + self.batch_size]
            total += self.model.train_on_batch(self.X[rows], self.y[rows]) * len(rows)
        return total / n

    def produce(self, steps: int) -> Frame:
        start = len(self.losses)
        for _ in range(int(steps)):
            train = self.train_epoch()
            self.epoch += 1
            self.losses.append((train, self._test_loss()))
            self.recording.add(self.epoch, self.snapshot())
        return self._frame(np.array(self.losses[start:], np.float32).reshape(-1, 2), start)

    def losses_so_far(self) -> np.ndarray:
        """(epochs, 2) float32: training and test loss of every epoch so far (a new view)."""
        return np.array(self.losses, np.float32).reshape(-1, 2)

    def replay(self, epoch: int) -> Frame:
        """The picture at the recorded epoch at or before ``epoch``; the model is left as it was."""
        recorded, flat = self.recording.at(epoch)
        now = self.model.get_weights()
        self.model.set_weights(self._unflatten(flat))
        try:
            frame = self._frame(np.zeros((0, 2), np.float32), len(self.losses), weights=flat)
        finally:
            self.model.set_weights(now)
        frame.epoch, frame.replay = recorded, True
        return frame

    def _unflatten(self, flat) -> list[np.ndarray]:
        out, i = [], 0
        for shape in self.shapes:
            size = int(np.prod(shape))
            out.append(np.asarray(flat[i:i + size]).reshape(shape))
            i += size
        return out

    def _test_loss(self) -> float:
        if len(self.X_test) == 0:
            return float("nan")
        p = np.clip(self.model.predict(self.X_test)[:, 0], 1e-7, 1 - 1e-7)
        y = self.y_test
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))

    def _frame(self, losses, start, weights=None) -> Frame:
        R, step = self.resolution, self.resolution // self.thumb
        outs = self.model.layer_outputs(self.grid_points)
        maps = [self.grid_points] + outs[:-1]                       # inputs, hidden layers
        columns = []
        for m in maps:
            small = m.reshape(R, R, -1)[::step, ::step]
            vmax = np.maximum(np.abs(small).max(axis=(0, 1)), 1.0)
            columns.append(np.moveaxis(diverging_indices(small, vmax), -1, 0))
        prob = outs[-1].reshape(R, R)
        columns.append(boundary_indices(prob[::step, ::step])[None])
        thumbs = np.concatenate(columns)
        grid, lut = boundary_indices(prob), "boundary"
        if self.focus is not None and 0 <= self.focus < len(thumbs) - 1:
            units = np.concatenate([m.reshape(R * R, -1) for m in maps], axis=1)
            values = units[:, self.focus].reshape(R, R)
            grid = diverging_indices(values, max(float(np.abs(values).max()), 1.0))
            lut = "diverging"
        return Frame(epoch=self.epoch, grid=grid, thumbs=thumbs,
                     weights=self.snapshot() if weights is None else weights,
                     losses=losses, loss_start=start, grid_lut=lut)

    # ---- the learner's own data -----------------------------------------------------------------
    def add_point(self, x1: float, x2: float, label: int) -> None:
        label = checks.one_of("label", int(label), [0, 1])
        self.X = np.vstack([self.X, np.array([[x1, x2]], np.float32)])
        self.y = np.append(self.y, np.float32(label))

    def remove_points(self, x1: float, x2: float, radius: float) -> int:
        """Remove the training points within ``radius`` of (x1, x2); returns how many."""
        near = np.hypot(self.X[:, 0] - x1, self.X[:, 1] - x2) <= radius
        self.X, self.y = self.X[~near], self.y[~near]
        return int(near.sum())
