"""The logic of the LSTMExplorer: a sequence task, an LSTM that learns it, and what it computes.

    task = LSTMTask("memory", units=4, seed=0)
    task.train(300)                       # 300 Adam steps on random mini-batches
    trace = task.trace()                  # {"i","f","o","g","c","h"}: (samples shown, T, H)
    task.carrying_unit()                  # the unit whose cell state holds the stored sign
    task.equations(sample=0, step=5, unit=2)   # every number of §3.6 for one unit and step

No widgets here; ``lstm_explorer.py`` draws and controls this.  The tasks
(``nnkit.datasets.sequences``) and their networks, LSTM(units) → Dense(1):

* ``memory``: see a sign once, hold it through ±1 distractors, say it at the end —
  sigmoid output, binary cross-entropy, accuracy;
* ``sine``:   predict the next value of a noisy sine wave — linear output, mean squared error;
* ``adding``: add the two marked numbers of the sequence — linear output, mean squared error.
"""
from __future__ import annotations

import math

import numpy as np

from nnkit import checks, diagnosis, layers, models, optimizers, training
from nnkit.datasets import sequences

__all__ = ["LSTMTask", "TASKS", "FEATURE_NAMES", "GATE_BLOCKS"]

TASKS = ("memory", "sine", "adding")
FEATURE_NAMES = {"memory": ["value", "store", "recall"], "sine": ["x"], "adding": ["number", "mark"]}
GATE_BLOCKS = {"i": 0, "f": 1, "g": 2, "o": 3}      # the order of the LSTM's weight blocks
DEFAULT_LEARNING_RATE = 0.01
N_TRAIN, N_SHOWN, N_CHECK = 512, 8, 200


class LSTMTask:
    """Data, model and training for one sequence task; the numbers the explorer shows.

    task: "memory", "sine" or "adding";  units: H;  learning_rate: Adam's α (with clipnorm 1);
    seq_len: T;  batch_size: samples per step;  seed: data, weights and batches.
    """

    def __init__(self, task: str = "memory", units: int = 4,
                 learning_rate: float = DEFAULT_LEARNING_RATE, seq_len: int = 20,
                 batch_size: int = 32, seed: int = 0):
        self.task = checks.one_of("task", task, TASKS)
        self.units = checks.positive_int("units", units)
        self.learning_rate = checks.positive_float("learning_rate", learning_rate)
        self.seq_len = checks.positive_int("seq_len", seq_len)
        if self.seq_len < 3:
            raise ValueError(f"seq_len must be at least 3 (store, hold, recall). "
                             f"Received: seq_len={seq_len}.")
        self.batch_size = checks.positive_int("batch_size", batch_size)
        self.seed = checks.non_negative_int("seed", seed)
        self.rebuild()

    # ---- building -------------------------------------------------------------------------------
    def _data(self, n: int, seed: int):
        T = self.seq_len
        if self.task == "memory":
            return sequences.memory(n, seq_len=T, seed=seed)
        if self.task == "sine":
            return sequences.sine(n, seq_len=T, seed=seed)
        return sequences.adding(n, seq_len=T, seed=seed)

    def rebuild(self) -> None:
        """New data and a new model for the current task, units and length (weights from seed)."""
        self.X, self.y = self._data(N_TRAIN, self.seed)
        shown_X, shown_y = self._data(64, self.seed + 1000)
        if self.task == "memory":                       # alternate the stored signs: +, −, +, …
            ones, zeros = np.flatnonzero(shown_y == 1), np.flatnonzero(shown_y == 0)
            order = np.ravel(np.column_stack([ones[:N_SHOWN // 2], zeros[:N_SHOWN // 2]]))
        else:
            order = np.arange(N_SHOWN)
        self.X_shown, self.y_shown = shown_X[order], shown_y[order]
        self.X_check, self.y_check = self._data(N_CHECK, self.seed + 2000)
        output = (layers.Dense(1, activation="sigmoid") if self.task == "memory"
                  else layers.Dense(1))
        self.model = models.Sequential([layers.LSTM(self.units, input_shape=self.X.shape[1:]),
                                        output], seed=self.seed)
        self.model.compile(optimizer=optimizers.Adam(self.learning_rate, clipnorm=1.0),
                           loss="binary_crossentropy" if self.task == "memory" else "mse",
                           metrics=["accuracy"] if self.task == "memory" else ["mae"])
        self._x, self._y = self.model.prepare(self.X, self.y)   # checked once
        self.reset()

    def reset(self) -> None:
        """Back to the first weights (same seed) and a fresh optimizer; the data stay."""
        self.model.reset()
        self._batches = np.random.default_rng([self.seed, 7])
        self.steps = 0
        self.history: dict[str, list] = {"step": [], "loss": []}
        self.diverged = False
        self.diagnosis: diagnosis.Diagnosis | None = None
        self._trace = None

    def set_learning_rate(self, learning_rate: float) -> None:
        """Tell the running optimizer (the weights and Adam's moments are kept)."""
        self.learning_rate = checks.positive_float("learning_rate", learning_rate)
        self.model.optimizer.learning_rate = self.learning_rate

    # ---- training -------------------------------------------------------------------------------
    def train(self, steps: int = 1) -> float:
        """``steps`` optimizer steps on random mini-batches; returns the last loss.

        The steps run through ``nnkit.training.run_batches`` — the loop of ``fit``'s epochs.
        A NaN or infinite loss stops at once (the weights are those before the bad step),
        sets ``diverged`` and ``diagnosis`` (what happened, in ``fit``'s words) and is returned.
        """
        steps = checks.positive_int("steps", steps)
        n, size = len(self._x), self.batch_size
        batches = ((self._x[b], self._y[b]) for b in
                   (self._batches.integers(0, n, size) for _ in range(steps)))
        return self._after(training.run_batches(self.model, batches, with_metrics=False))

    def train_epochs(self, epochs: int = 1) -> float:
        """``epochs`` passes over the training sequences, shuffled, exactly as ``model.fit(X, y,
        epochs, batch_size)`` trains (the same ``run_epoch``); returns the last epoch's loss."""
        epochs = checks.positive_int("epochs", epochs)
        loss = float("nan")
        for _ in range(epochs):
            loss = self._after(training.run_epoch(self.model, self._x, self._y, self.batch_size,
                                                  rng=self.model.shuffle_rng))
            if self.diverged:
                break
        return loss

    def _after(self, logs: dict) -> float:
        """Count the steps done, record the loss, or say why training stopped."""
        self.steps += logs["steps"]
        if logs["stopped"] is not None:
            self.diverged = True
            self.diagnosis = diagnosis.diverged(logs["loss"], f"step {self.steps + 1}",
                                                model=self.model,
                                                default_learning_rate=DEFAULT_LEARNING_RATE)
            return logs["loss"]
        self.diverged = False
        self.history["step"].append(self.steps)
        self.history["loss"].append(logs["last"])
        losses = self.history["loss"]     # one entry per train() call: name the last one's step
        self.diagnosis = diagnosis.diagnose(losses, model=self.model, unit="step",
                                            start=self.steps - len(losses) + 1,
                                            default_learning_rate=DEFAULT_LEARNING_RATE)
        self._trace = None
        return logs["last"]

    # ---- what the network does ------------------------------------------------------------------
    def trace(self) -> dict[str, np.ndarray]:
        """The gates of the shown samples: {"i","f","o","g","c","h"} → (N_SHOWN, T, H)."""
        if self._trace is None:
            self._trace = self.model.trace(self.X_shown)
            self._outputs = self.model.layers[-1].forward(self._trace["h"][:, -1])
        return self._trace

    @property
    def predictions(self) -> np.ndarray:
        """The network's answer for each shown sample: (N_SHOWN,)."""
        self.trace()
        return self._outputs[:, 0].copy()

    def evaluate(self) -> dict[str, float]:
        """Loss (and accuracy or mean absolute error) on held-out sequences."""
        values = self.model.evaluate(self.X_check, self.y_check, verbose=0, return_dict=True)
        return {k: float(v) for k, v in values.items()}

    @property
    def hold(self) -> slice:
        """Memory task: the steps between the store (t = 0) and the recall (t = T-1)."""
        return slice(1, self.seq_len - 1)

    def carrying_unit(self) -> int:
        """The unit whose cell state c_t tracks the stored sign best through the hold.

        For each hold step, |correlation| over held-out samples between a unit's c_t and the
        stored ±1, averaged over the hold (the same measure as tests/test_recurrent.py).  For
        sine and adding: the unit whose c varies most.
        """
        c = self.model.trace(self.X_check)["c"]
        if self.task != "memory":
            return int(np.argmax(c.std(axis=(0, 1))))
        c = c[:, self.hold]
        stored = 2.0 * self.y_check - 1.0
        cz = (c - c.mean(axis=0)) / (c.std(axis=0) + 1e-12)
        vz = (stored - stored.mean()) / stored.std()
        corr = np.abs(np.mean(cz * vz[:, None, None], axis=0)).mean(axis=0)
        return int(np.argmax(corr))

    def equations(self, sample: int, step: int, unit: int) -> dict:
        """Every number of the lesson's LSTM equations for one sample, step and unit.

        For each gate k in i, f, o, g: ``{"x": W_xk x_t, "h": W_hk h_{t-1}, "b": b_k,
        "a": their sum, "value": k_t}`` (the unit's entries), plus ``c_prev``, ``c``, ``h``,
        ``tanh_c``, ``x_t`` and ``h_prev`` — recomputed here from the weights, so they can be
        checked against the trace.
        """
        trace = self.trace()
        lstm = self.model.layers[0]
        H = self.units
        x_t = self.X_shown[sample, step]
        h_prev = trace["h"][sample, step - 1] if step > 0 else np.zeros(H)
        c_prev = float(trace["c"][sample, step - 1, unit]) if step > 0 else 0.0
        numbers = {"x_t": x_t, "h_prev": h_prev, "c_prev": c_prev}
        for gate, block in GATE_BLOCKS.items():
            column = block * H + unit
            parts = {"x": float(x_t @ lstm.W_x[:, column]), "h": float(h_prev @ lstm.W_h[:, column]),
                     "b": float(lstm.b[column])}
            parts["a"] = parts["x"] + parts["h"] + parts["b"]
            parts["value"] = (math.tanh(parts["a"]) if gate == "g"
                              else 0.5 * (1.0 + math.tanh(0.5 * parts["a"])))
            numbers[gate] = parts
        i, f, o, g = (numbers[k]["value"] for k in "ifog")
        numbers["c"] = f * c_prev + i * g
        numbers["tanh_c"] = math.tanh(numbers["c"])
        numbers["h"] = o * numbers["tanh_c"]
        return numbers
