"""The one training loop: epochs × mini-batches over anything with ``train_step(x, y) -> loss``.

``Sequential.fit``, the Playground and the LSTM task all train through these functions, so one
Playground frame is one call of the same ``run_epoch`` that ``fit`` calls once per epoch (as in
scikit-learn's MLP, whose one epoch function serves ``fit`` and ``partial_fit``)::

    x, y = model.prepare(x, y)                      # checked once, not once per batch
    logs = run_epoch(model, x, y, batch_size=32, rng=model.shuffle_rng)
    logs["loss"]                                    # the mean batch loss of the epoch

A *learner* is any object with ``train_step(x, y) -> float`` (one optimizer step on one batch,
the loss measured before the step; a NaN/infinite loss means nothing was changed).  It may also
have ``metrics``, ``last_output`` and ``metrics_of(outputs, ys) -> dict`` (the metrics of the
steps taken, asked once per epoch), ``stop_training`` and ``optimizer.learning_rate``.

If a step's loss is not finite, the epoch stops there: its logs hold that loss (NaN or ∞, as
Keras records NaN) and ``logs["stopped"]`` says at which step.  ``fit`` records that epoch in the
History too, so ``history.history["loss"]`` always exists and ends with the loss that stopped it.
"""
from __future__ import annotations

import math
import warnings
from typing import Callable, Iterable

import numpy as np

from nnkit import diagnosis
from nnkit.callbacks import Callback, History

__all__ = ["run_batches", "run_epoch", "fit", "Progress", "epoch_batches", "check_callbacks"]

QUIET = dict(over="ignore", invalid="ignore", divide="ignore", under="ignore")
ALWAYS_WARNED = ("non-finite", "exploding")     # even with verbose=0


def epoch_batches(x: np.ndarray, y: np.ndarray, batch_size: int,
                  rng: np.random.Generator | None = None,
                  weights: np.ndarray | None = None) -> Iterable[tuple]:
    """One pass over (x, y) in mini-batches: shuffled by ``rng`` (a permutation), or in order.

    With ``weights`` (one per sample) each batch is (x, y, w), else (x, y)."""
    n = len(x)
    if rng is not None:
        order = rng.permutation(n)
        x, y = x[order], y[order]
        weights = None if weights is None else weights[order]
    for start in range(0, n, batch_size):
        end = start + batch_size
        if weights is None:
            yield x[start:end], y[start:end]
        else:
            yield x[start:end], y[start:end], weights[start:end]


def run_batches(learner, batches: Iterable[tuple], begin_hooks=(), end_hooks=(),
                with_metrics: bool = True) -> dict:
    """``train_step`` on every batch; returns the logs: mean ``loss`` and metrics, weighted by
    batch size, plus ``last`` (the last batch's loss), ``steps`` (batches done) and ``stopped``
    (the step whose loss was not finite, or None).  Stops at a non-finite loss, which then is
    the logged ``loss``.  ``with_metrics=False`` skips the metrics (the Playground measures its
    own after each epoch)."""
    metrics_of = getattr(learner, "metrics_of", None) \
        if with_metrics and getattr(learner, "metrics", None) else None
    total, n, step, L = 0.0, 0, -1, math.nan
    outputs, targets = [], []
    with np.errstate(**QUIET):
        for step, batch in enumerate(batches):
            xb, yb = batch[0], batch[1]
            for cb in begin_hooks:
                cb.on_batch_begin(step, {"size": len(xb)})
            L = learner.train_step(*batch)
            if not math.isfinite(L):
                logs = {"loss": float(L)}
                logs.update({k: math.nan for k in getattr(learner, "metrics", ())})
                return {**logs, "last": float(L), "steps": step, "stopped": step}
            total += L * len(xb)
            n += len(xb)
            if metrics_of is not None:            # measured once, at the end of the epoch
                outputs.append(learner.last_output)
                targets.append(yb)
            for cb in end_hooks:
                cb.on_batch_end(step, {"size": len(xb), "loss": L})
        logs = {"loss": total / n if n else math.nan}
        if metrics_of is not None and outputs:
            logs.update(metrics_of(outputs, targets))
    return {**logs, "last": float(L), "steps": step + 1, "stopped": None}


def run_epoch(learner, x: np.ndarray, y: np.ndarray, batch_size: int,
              rng: np.random.Generator | None = None, begin_hooks=(), end_hooks=(),
              with_metrics: bool = True, weights: np.ndarray | None = None) -> dict:
    """One epoch: every sample once, in mini-batches of ``batch_size`` (shuffled by ``rng``).

    x, y: prepared arrays (``model.prepare``), one entry per sample; weights: one per sample
    (passed to ``train_step`` as its third argument) or None.  Returns ``run_batches``'s logs.
    """
    return run_batches(learner, epoch_batches(x, y, batch_size, rng, weights), begin_hooks,
                       end_hooks, with_metrics)


def fit(learner, x: np.ndarray, y: np.ndarray, *, epochs: int, batch_size: int,
        rng: np.random.Generator | None = None, callbacks: list | None = None, verbose: int = 0,
        validate: Callable[[], dict] | None = None, describe: Callable | None = None,
        initial_epoch: int = 0, weights: np.ndarray | None = None) -> History:
    """Epochs ``initial_epoch`` … ``epochs - 1`` of ``run_epoch`` with callbacks and a progress
    bar; returns the History (empty, as in Keras, when there is no epoch to run).

    weights: one per sample, or None (see ``run_epoch``).

    validate: called after each finished epoch, returns ``{"val_loss": …, …}`` to log.
    describe: ``describe(history, stopped=(epoch, step, loss) or None)`` → a ``Diagnosis`` or
    None, kept as ``history.diagnosis``.  A loss that stopped being finite (``TrainingDiverged``)
    or grew a thousand-fold (``TrainingWarning``) is always warned; the gentler signs
    (oscillating, a dominating penalty, a plateau, overfitting) only when ``verbose`` > 0 —
    ``verbose=0`` asks for silence, as in Keras.
    """
    history = History()
    if epochs <= initial_epoch:
        return history
    callbacks = [history] + check_callbacks(callbacks)
    for cb in callbacks:
        cb.set_model(learner)
    begin_hooks = [cb for cb in callbacks if cb.uses("on_batch_begin")]
    end_hooks = [cb for cb in callbacks if cb.uses("on_batch_end")]
    progress = Progress(epochs - initial_epoch, verbose)
    learner.stop_training = False
    history.history["loss"] = []
    for name in getattr(learner, "metrics", ()):
        history.history[name] = []
    stopped = None
    for cb in callbacks:
        cb.on_train_begin({})
    for epoch in range(initial_epoch, epochs):
        for cb in callbacks:
            cb.on_epoch_begin(epoch, {})
        logs = run_epoch(learner, x, y, batch_size, rng, begin_hooks, end_hooks, weights=weights)
        step = logs.pop("stopped")
        del logs["steps"], logs["last"]
        if step is not None:                         # recorded, as Keras records NaN
            stopped = (epoch, step, logs["loss"])
            history.on_epoch_end(epoch, logs)
            learner.stop_training = True
            break
        if validate is not None:
            logs.update(validate())
        for cb in callbacks:
            cb.on_epoch_end(epoch, logs)
        progress.update(epoch, epochs, logs)
        if learner.stop_training:
            break
    progress.close()
    found = describe(history, stopped) if describe is not None else None
    history.diagnosis = found
    if found is not None:
        if stopped is not None:
            history.stopped_reason = found.text
        if verbose or found.cause in ALWAYS_WARNED:
            category = diagnosis.TrainingDiverged if found.stops else diagnosis.TrainingWarning
            warnings.warn(found.text, category, stacklevel=3)
    if stopped is None:
        for cb in callbacks:
            cb.on_train_end(history.history)
    return history


def check_callbacks(callbacks) -> list:
    """The callbacks as a list, each checked to be a ``Callback``."""
    callbacks = list(callbacks or [])
    for cb in callbacks:
        if not isinstance(cb, Callback):
            raise TypeError(f"callbacks must be Callback objects (e.g. EarlyStopping()). "
                            f"Received: {cb!r}.")
    return callbacks


class Progress:
    """Per-epoch progress: a tqdm bar (verbose=1), one line per epoch (2) or nothing (0)."""

    def __init__(self, epochs: int, verbose: int):
        self.verbose = verbose
        self.bar = None
        if verbose == 1:
            from tqdm.auto import tqdm
            self.bar = tqdm(total=epochs, unit="epoch", desc="fit", leave=True)

    def update(self, epoch: int, epochs: int, logs: dict) -> None:
        if self.bar is not None:
            self.bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()}, refresh=False)
            self.bar.update(1)
        elif self.verbose == 2:
            print(f"Epoch {epoch + 1}/{epochs} - " + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
