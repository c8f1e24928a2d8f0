"""Callbacks: code that runs at the start and end of training, of each epoch and of each batch.

As in Keras, a callback is an object with any of the hooks below; ``fit(callbacks=[...])`` calls
them in order.  ``model.stop_training = True`` inside a hook ends training after the epoch.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks, io

__all__ = ["Callback", "LambdaCallback", "History", "EarlyStopping", "ModelCheckpoint"]


class Callback:
    """Base class; override the hooks you need. ``self.model`` is the model being trained."""

    model = None

    def set_model(self, model) -> None:
        self.model = model

    def on_train_begin(self, logs: dict | None = None): ...
    def on_train_end(self, logs: dict | None = None): ...
    def on_epoch_begin(self, epoch: int, logs: dict | None = None): ...
    def on_epoch_end(self, epoch: int, logs: dict | None = None): ...
    def on_batch_begin(self, batch: int, logs: dict | None = None): ...
    def on_batch_end(self, batch: int, logs: dict | None = None): ...

    def uses(self, hook: str) -> bool:
        """True if this callback overrides ``hook`` (fit skips hooks nobody uses)."""
        return getattr(type(self), hook) is not getattr(Callback, hook)


class LambdaCallback(Callback):
    """Callbacks from plain functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, **hooks):
        for name, function in hooks.items():
            if not hasattr(Callback, name) or not name.startswith("on_"):
                raise ValueError(f"Unknown hook {name!r}. Allowed: on_train_begin, on_train_end, "
                                 "on_epoch_begin, on_epoch_end, on_batch_begin, on_batch_end.")
            if not callable(function):
                raise TypeError(f"{name} must be a function. Received: {function!r}.")
            setattr(self, name, function)

    def uses(self, hook):
        return hook in self.__dict__


class History(Callback):
    """Records each epoch's logs: ``history.history["loss"]`` is the list of epoch losses."""

    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.stopped_reason: str | None = None

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


def _mode(mode: str, monitor: str) -> str:
    mode = checks.one_of("mode", mode, ["auto", "min", "max"])
    if mode == "auto":
        mode = "max" if "acc" in monitor else "min"
    return mode


def _monitored(owner: str, monitor: str, logs: dict) -> float:
    if monitor not in logs:
        raise ValueError(f"{owner} monitors {monitor!r}, but the logs only hold {sorted(logs)}. "
                         f"Pass validation_data (for val_*) or change monitor.")
    return logs[monitor]


class ModelCheckpoint(Callback):
    """Save the model after each epoch, or only when ``monitor`` improves (``save_best_only``).

    >>> ModelCheckpoint("best.npz", monitor="val_loss", save_best_only=True)

    ``filepath`` may hold ``{epoch}`` and log names, e.g. ``"model_{epoch:02d}.npz"``.  The file
    is nnkit's own ``.npz`` model file (``model.save``), read back by ``load_model``; Keras 3 writes
    ``.keras`` files, which nnkit does not (on purpose: one plain NumPy format).
    ``save_weights_only=True`` is the same file (it always holds the weights).
    """

    def __init__(self, filepath, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, mode: str = "auto", save_weights_only: bool = False,
                 save_freq="epoch", initial_value_threshold: float | None = None):
        filepath = str(filepath)
        io.check_not_keras_file(filepath, who="ModelCheckpoint", parameter="filepath")
        if save_freq != "epoch":
            raise ValueError(f"nnkit saves once per epoch: save_freq must be 'epoch'. Received: "
                             f"save_freq={save_freq!r}.")
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be a log name such as 'val_loss'. Received: {monitor!r}.")
        self.filepath, self.monitor = filepath, monitor
        self.verbose = checks.one_of("verbose", verbose, [0, 1])
        self.save_best_only = checks.boolean("save_best_only", save_best_only)
        self.save_weights_only = checks.boolean("save_weights_only", save_weights_only)
        self.mode = _mode(mode, monitor)
        self.initial = initial_value_threshold
        self.best = None
        self.saved: list[str] = []              # the files written, in order

    def on_train_begin(self, logs=None):
        if self.best is None and self.initial is not None:
            self.best = float(self.initial)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            value = _monitored("ModelCheckpoint", self.monitor, logs)
            better = self.best is None or (value < self.best if self.mode == "min"
                                           else value > self.best)
            if not better:
                return
            if self.verbose:
                print(f"Epoch {epoch + 1}: {self.monitor} improved to {value:.5f}, saving model "
                      f"to {path}")
            self.best = value
        self.model.save(path)
        self.saved.append(path)


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    With ``restore_best_weights=True`` the model ends with the weights of its best epoch.
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 mode: str = "auto", restore_best_weights: bool = False):
        if not isinstance(monitor, str):
            raise TypeError(f"monitor must be a metric name such as 'val_loss'. Received: {monitor!r}.")
        self.monitor = monitor
        self.min_delta = abs(checks.non_negative_float("min_delta", min_delta))
        self.patience = checks.non_negative_int("patience", patience)
        self.mode = _mode(mode, monitor)
        self.restore_best_weights = checks.boolean("restore_best_weights", restore_best_weights)
        self.stopped_epoch: int | None = None

    def on_train_begin(self, logs=None):
        self.best = np.inf if self.mode == "min" else -np.inf
        self.wait = 0
        self.best_weights = None
        self.stopped_epoch = None

    def _improved(self, value):
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch, logs=None):
        value = _monitored("EarlyStopping", self.monitor, logs or {})
        if self._improved(value):
            self.best, self.wait = value, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= max(self.patience, 1):
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                self.model.set_weights(self.best_weights)
