"""The Playground's producer for the live view: one ``Experiment`` described as ``Frame``s.

    producer = ExperimentProducer(Experiment(PlaygroundState(dataset="xor")))
    frame = producer.produce(3)     # 3 epochs (``training.run_epoch`` each), then the picture
    LiveView(producer)              # the browser draws it (protocol: ``demo.py``)

One step is one epoch of ``Experiment.train`` — the Playground's frame.  What each picture
shows, as the Playground's static pictures do:

* two classes: the grid is ``round(255 · P(class 1))`` in the boundary table;
* K classes: the winning class and its strength in the K-class boundary table; output unit k's
  thumbnail is P(class k) in class k's part of that table (one ramp per output unit);
* regression: the value v in the boundary table's orange → white → blue, ``vmax`` = the
  largest |y| of the training points (no third table needed);
* ``discretize``: every grid cell at full colour of its class (or the sign of the value);
* the features' and hidden units' thumbnails: the unit's output, orange (< 0) … blue (> 0),
  full colour where |h| ≥ max(1, its largest |h|).

``train`` (default ``experiment.train``) is what one step calls, so the Playground can put its
status line around it.  Every epoch's weights go to ``recording`` (the timeline).
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.i18n import _
from nnkit.labs.state import FEATURE_LABELS
from nnkit.widgets.live.frames import Frame, boundary_indices, diverging_indices
from nnkit.widgets.live.recording import Recording

__all__ = ["ExperimentProducer"]


class ExperimentProducer:
    """Frames of an ``Experiment`` (module notes); ``thumb`` = side of a neuron's picture."""

    def __init__(self, experiment, *, thumb: int = 25, train=None,
                 recording: Recording | None = None, play_button: bool = True):
        self.experiment = experiment
        self.play_button = bool(play_button)         # False: the host has its own Play
        self.thumb = checks.positive_int("thumb", thumb)
        R = experiment.resolution
        if R % self.thumb:
            raise ValueError(f"thumb must divide the experiment's resolution ({R}). "
                             f"Received: thumb={thumb}.")
        self.train = train if train is not None else experiment.train
        self.recording = recording if recording is not None else Recording()
        self.focus: int | None = None
        self._sent_history = None            # the history dict the losses were sent from
        self._sent = 0                       # how many of its loss points the view has
        self.recording.add(0, self.snapshot())

    # ---- what the view asks ---------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        return self.experiment.epoch

    @property
    def n_classes(self) -> int:
        data = self.experiment.data
        return 2 if data.kind == "regression" else int(data.n_classes)

    def layout(self) -> dict:
        exp = self.experiment
        hidden = list(exp.state.hidden_layers)
        n_out = exp.model.layers[-1].units
        return {"layers": [len(exp.state.features), *hidden, n_out],
                "labels": [FEATURE_LABELS[f] for f in exp.state.features],
                "titles": ([_("inputs")] + [_("layer {n}").format(n=i + 1) for i in range(len(hidden))]
                           + [_("output")]),
                "extent": [float(e) for e in exp.data.extent], "n_classes": self.n_classes,
                "kind": exp.data.kind, "xlabel": "x₁", "ylabel": "x₂",
                "play_button": self.play_button,
                "hide": [v for v in ("network", "curves", "hidden_layers") if v in exp.state.hide]}

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """The training points: X (N, 2) and a colour per point (a class; regression: v > 0)."""
        data = self.experiment.data
        return data.X_train, self._labels(data.y_train)

    def test_points(self) -> tuple[np.ndarray, np.ndarray]:
        """The test points, drawn hollow when "show test data" is on (else none)."""
        data = self.experiment.data
        if not self.experiment.state.show_test:
            return np.zeros((0, 2), np.float32), np.zeros(0, np.uint8)
        return data.X_test, self._labels(data.y_test)

    def _labels(self, y) -> np.ndarray:
        y = np.asarray(y)
        if self.experiment.data.kind == "regression":
            return (y.reshape(len(y)) > 0).astype(np.uint8)
        return y.reshape(len(y)).astype(np.uint8)

    def snapshot(self) -> np.ndarray:
        """(P,) float32: every layer's W (row-major) then b — ``Frame.weights``."""
        with np.errstate(over="ignore"):                 # a diverged run: inf, as it is
            return np.concatenate([w.ravel() for w in self.experiment.model.get_weights()]
                                  ).astype(np.float32)

    # ---- frames ---------------------------------------------------------------------------------
    def produce(self, steps: int) -> Frame:
        """Train ``steps`` epochs (0: none), record them, and describe the picture."""
        exp = self.experiment
        for _ in range(int(steps)):
            before = exp.epoch
            self.train(1)
            if exp.diverged or exp.epoch == before:
                break
            self.recording.add(exp.epoch, self.snapshot())
        if exp.epoch == 0:
            self.recording.add(0, self.snapshot())       # a reset or a new model: a new timeline
        history = exp.history
        if history is not self._sent_history or len(history["loss"]) < self._sent:
            self._sent_history, self._sent = history, 0  # a new run: the curves start again
        start = self._sent
        losses = np.column_stack([history["loss"][start:], history["test_loss"][start:]])
        self._sent = len(history["loss"])
        with np.errstate(over="ignore"):
            losses = losses.astype(np.float32).reshape(-1, 2)
        return self._frame(losses, start)

    def losses_so_far(self) -> np.ndarray:
        """(epochs + 1, 2) float32: training and test loss of every epoch so far (a new view)."""
        history = self.experiment.history
        with np.errstate(over="ignore"):
            return np.column_stack([history["loss"], history["test_loss"]]).astype(np.float32)

    def replay(self, epoch: int) -> Frame:
        """The picture at the recorded epoch at or before ``epoch``; the model is left as it was."""
        exp = self.experiment
        recorded, flat = self.recording.at(epoch)
        now = exp.model.get_weights()
        exp.model.set_weights(self._unflatten(flat, now))
        exp._grid_cache = None
        try:
            frame = self._frame(np.zeros((0, 2), np.float32), self._sent, weights=flat)
        finally:
            exp.model.set_weights(now)
            exp._grid_cache = None
        frame.epoch, frame.replay = recorded, True
        return frame

    @staticmethod
    def _unflatten(flat, like) -> list[np.ndarray]:
        out, i = [], 0
        for w in like:
            out.append(np.asarray(flat[i:i + w.size], dtype=w.dtype).reshape(w.shape))
            i += w.size
        return out

    def _frame(self, losses, start, weights=None) -> Frame:
        exp = self.experiment
        R = exp.resolution
        step = R // self.thumb
        outs = exp.grid_outputs()
        maps = [exp.x_grid] + outs[:-1]                 # features, hidden layers: (R·R, units)
        columns = []
        for m in maps:
            small = _top_down(m, R)[::step, ::step]
            vmax = np.maximum(np.abs(small).max(axis=(0, 1)), 1.0)
            columns.append(np.moveaxis(diverging_indices(small, vmax), -1, 0))
        out = _top_down(outs[-1], R)                    # (R, R, units)
        columns.append(self._output_thumbs(out[::step, ::step]))
        thumbs = np.concatenate(columns)
        grid, lut = self._boundary(out), "boundary"
        if self.focus is not None and 0 <= self.focus < sum(c.shape[0] for c in columns[:-1]):
            units = np.concatenate([_top_down(m, R) for m in maps], axis=2)
            values = units[:, :, self.focus]
            grid = diverging_indices(values, max(float(np.abs(values).max()), 1.0))
            lut = "diverging"
        return Frame(epoch=exp.epoch, grid=np.ascontiguousarray(grid),
                     thumbs=np.ascontiguousarray(thumbs),
                     weights=self.snapshot() if weights is None else weights,
                     losses=losses, loss_start=start, grid_lut=lut)

    def _boundary(self, out: np.ndarray) -> np.ndarray:
        """(R, R, units) outputs → (R, R) indices into ``boundary_lut(n_classes)``."""
        exp, K = self.experiment, self.n_classes
        if exp.data.kind == "regression":
            v = out[:, :, 0]
            if exp.state.discretize:
                v = np.sign(v) * self._vmax()
            return self._value_indices(v)
        if out.shape[2] == 1:
            p = out[:, :, 0]
            if exp.state.discretize:
                p = (p >= 0.5).astype(p.dtype)
            return boundary_indices(p)
        if exp.state.discretize:
            out = np.eye(K, dtype=out.dtype)[out.argmax(axis=2)]
        return boundary_indices(out, K)

    def _output_thumbs(self, out: np.ndarray) -> np.ndarray:
        """(r, r, units) → (units, r, r): one picture per output unit."""
        exp, K = self.experiment, self.n_classes
        if exp.data.kind == "regression":
            return self._value_indices(out[:, :, 0])[None]
        if out.shape[2] == 1:
            return boundary_indices(out[:, :, 0])[None]
        levels = 256 // K                                   # unit k: class k's ramp, white → k
        strength = np.clip(out, 0.0, 1.0)
        k = np.arange(K)
        idx = k * levels + np.rint(strength * (levels - 1))
        return np.moveaxis(idx.astype(np.uint8), -1, 0)

    def _vmax(self) -> float:
        return float(np.abs(self.experiment.data.y_train).max()) or 1.0

    def _value_indices(self, v: np.ndarray) -> np.ndarray:
        t = np.clip(np.nan_to_num(v / self._vmax()), -1.0, 1.0)   # a diverged (NaN) value → white
        return np.rint(127.5 * (t + 1.0)).astype(np.uint8)

    # ---- the learner's own data -----------------------------------------------------------------
    def add_point(self, x1: float, x2: float, label: int) -> None:
        """A training point of class ``label`` (regression: +|y|max for 1, −|y|max for 0)."""
        exp = self.experiment
        if exp.data.kind == "regression":
            value = self._vmax() if int(label) else -self._vmax()
            exp.add_points([[x1, x2]], [[value]])
        else:
            exp.add_points([[x1, x2]], [int(label)])
        exp._grid_cache = None

    def remove_points(self, x1: float, x2: float, radius: float) -> int:
        """Remove the training points within ``radius`` of (x1, x2); returns how many."""
        return self.experiment.remove_points(x1, x2, radius)


def _top_down(values: np.ndarray, R: int) -> np.ndarray:
    """(R·R, units) over the experiment's grid (row 0 at the bottom) → (R, R, units), row 0 at
    the top, as ``Frame.grid``."""
    return values.reshape(R, R, -1)[::-1]
