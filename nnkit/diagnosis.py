"""What is going wrong in a training run, in plain words — the one voice of every nnkit tool.

``diagnose`` reads a loss history (and, if given, the model and its inputs) and names what is
happening, with the numbers and the one change most likely to help::

    found = diagnose(history.history["loss"], model=model, inputs=x)
    found.cause    # "non-finite", "exploding", "oscillating", "penalty", "unscaled",
                   # "plateau" or "overfitting"
    found.text     # "The loss jumps up and down (0.846 → 0.687 → 1.83 → 2.4 → 0.646): …"

``fit`` warns with it, and every widget shows the same sentence in its status line.  Numbers
are written by ``format_number`` everywhere: ``3.4e+60``, never 61 digits.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from nnkit.i18n import _

__all__ = ["Diagnosis", "diagnose", "diverged", "format_number", "oscillation",
           "suggest_learning_rate", "TrainingWarning", "TrainingDiverged"]

DEFAULT_LEARNING_RATE = 0.03
RATES = (0.00001, 0.00003, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
UNSCALED = 50.0          # an input beyond ±50: not scaled (the Playground's x₁² reaches 36)
EXPLODED = 1000.0        # the loss grew a thousand-fold: exploding
CRUSHED = 0.01           # every weight below this under a penalty: the penalty dominates
PLATEAU_EPOCHS = 20
SMALL_LEARNING_RATE = 3e-4   # below this, a loss that has not moved is blamed on the step size
SWING_EPOCHS = 20         # the oscillation test looks at the last 20 epochs


class TrainingWarning(RuntimeWarning):
    """Training went the wrong way (the message says how, with the numbers and what to try)."""


class TrainingDiverged(TrainingWarning):
    """The loss became NaN or infinite; training stopped and the weights were kept."""


@dataclass(frozen=True)
class Diagnosis:
    """cause: a short name (see the module); text: the sentence; stops: training cannot go on."""

    cause: str
    text: str

    @property
    def stops(self) -> bool:
        return self.cause == "non-finite"

    def __str__(self) -> str:
        return self.text


def format_number(value: float, digits: int = 3) -> str:
    """A measured number for a sentence or a formula: 0.801, 1.39, 12.5, 250, 3.4e+60, 2e-05,
    NaN, infinite — ``digits`` significant figures (fewer for the very large and very small);
    −0 is written 0."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return _("infinite") if value > 0 else _("-infinite")
    size = abs(value)
    if size == 0:
        return "0"
    if size >= 1e4 or size < 1e-3:
        return f"{value:.{max(digits - 1, 1)}g}"
    if size >= 10 ** (digits - 1):
        return f"{value:.0f}"
    return f"{value:.{digits}g}"


def suggest_learning_rate(learning_rate: float, default: float = DEFAULT_LEARNING_RATE) -> float:
    """What to try when the learning rate is too high: ``default``, or a tenth when below it."""
    if learning_rate > default:
        return default
    lower = [r for r in RATES if r <= learning_rate / 10 * 1.0001]
    return lower[-1] if lower else RATES[0]


# ---- what the diagnosis reads from a model ------------------------------------------------------

def _setting(model) -> dict:
    """Learning rate, penalty rates, kernel weights and hidden activations of an nnkit model."""
    if model is None:
        return {}
    optimizer = getattr(model, "optimizer", None)
    l1 = l2 = 0.0
    kernels, hidden = [], []
    for i, layer in enumerate(getattr(model, "layers", ())):
        for key, reg in getattr(layer, "regularizers", {}).items():
            l1, l2 = max(l1, reg.l1), max(l2, reg.l2)
            kernels.append(layer.weights[key])
        activation = getattr(layer, "activation", None)
        if i < len(model.layers) - 1 and activation is not None:
            hidden.append(activation.name)
    return {"learning_rate": getattr(optimizer, "learning_rate", None),
            "sgd": type(optimizer).__name__ == "SGD", "l1": l1, "l2": l2,
            "kernels": kernels, "hidden": hidden}


def _unscaled(inputs) -> tuple[int, float] | None:
    """(feature index, its largest |value|) if some input feature reaches beyond ±50."""
    if inputs is None:
        return None
    x = np.asarray(inputs)
    if x.size == 0 or x.dtype.kind not in "fiu":
        return None
    reach = np.abs(x.reshape(-1, x.shape[-1])).max(axis=0)
    j = int(np.argmax(reach))
    return (j, float(reach[j])) if reach[j] > UNSCALED else None


def _too_strong_l2(s: dict) -> bool:
    """SGD with L2: each step multiplies W by 1 − 2·α·λ; beyond −1 the weights grow each step."""
    return bool(s.get("sgd")) and s.get("l2", 0) * (s.get("learning_rate") or 0) > 1.0


def _lower_rate(rate: float, learning_rate: float | None = None) -> float:
    """A regularization rate to try: small enough that 2·α·λ ≤ 0.1 and at most 0.03."""
    limit = 0.03 if not learning_rate else min(0.03, 0.05 / learning_rate)
    lower = [r for r in RATES if r <= min(limit, rate / 10) * 1.0001]
    return lower[-1] if lower else RATES[0]


def _cure(s: dict, unscaled, default_lr: float, subject: str | None = None) -> tuple:
    """(why, fix): the one change most likely to help when the loss grows — the penalty, the
    inputs or the learning rate, in that order."""
    if _too_strong_l2(s):
        lr, l2 = s["learning_rate"], s["l2"]
        return (_("the L2 regularization rate {l2} is too strong for the learning rate {lr} "
                  "(each step multiplies the weights by 1 − 2·{lr}·{l2} = {factor}, so they grow "
                  "instead of shrinking)").format(l2=f"{l2:g}", lr=f"{lr:g}",
                                                  factor=format_number(1 - 2 * lr * l2)),
                _("Lower the regularization rate, e.g. to {rate}.").format(
                    rate=f"{_lower_rate(l2, lr):g}"))
    if unscaled is not None:
        j, reach = unscaled
        return (_("the inputs are not scaled (feature {j} reaches {reach}), so every step is "
                  "huge whatever the learning rate").format(j=j, reach=format_number(reach)),
                _("Scale the inputs to mean 0 and standard deviation 1: "
                  "x = (x - x.mean(axis=0)) / x.std(axis=0)."))
    lr = s.get("learning_rate")
    if lr is None:
        return _("the steps are too large"), _("Try a lower learning rate.")
    return (_("the learning rate {lr} is too high for {subject}").format(
                lr=f"{lr:g}", subject=_("this network") if subject is None else subject),
            _("Try a lower learning rate, e.g. {rate}.").format(
                rate=f"{suggest_learning_rate(lr, default_lr):g}"))


def diverged(loss: float, where: str, *, model=None, inputs=None, learning_rate=None,
             default_learning_rate: float = DEFAULT_LEARNING_RATE,
             subject: str | None = None, stopped: str | None = None,
             weights_kept: bool = True) -> Diagnosis:
    """The loss became NaN/infinite at ``where`` ("epoch 3, step 2"); training stopped there.

    ``learning_rate`` overrides the model's (for widgets without a model); ``subject``,
    ``stopped`` and ``weights_kept`` fit the words to a widget ("the bowl", "SGD stopped");
    by default "this network" and "Training stopped", in the language of ``nnkit.set_language``.
    """
    s = _setting(model)
    if learning_rate is not None:
        s["learning_rate"] = learning_rate
    what = "NaN" if math.isnan(loss) else _("infinite") if math.isinf(loss) else \
        _("larger than {value}").format(value=format_number(loss))
    why, fix = _cure(s, _unscaled(inputs), default_learning_rate, subject)
    stopped = _("Training stopped") if stopped is None else stopped
    kept = _("; the weights are those before the bad step") if weights_kept else ""
    return Diagnosis("non-finite", _("The loss became {what} at {where}: {why}. {stopped}{kept}. "
                                     "{fix}").format(what=what, where=where, why=why,
                                                     stopped=stopped, kept=kept, fix=fix))


def diagnose(losses, *, test_losses=None, model=None, inputs=None, stopped: str | None = None,
             unit: str = "epoch", start: int = 0,
             default_learning_rate: float = DEFAULT_LEARNING_RATE,
             accuracy: float | None = None) -> Diagnosis | None:
    """What the loss history says, or None when all looks well.

    losses: the training loss per epoch (``unit``), first entry = before training or epoch 1;
    test_losses: the test (validation) loss per epoch, for overfitting;
    model: read for the learning rate, the regularization rates, the weights and activations;
    inputs: the training inputs, to notice unscaled features;
    stopped: where a non-finite loss stopped training ("epoch 3, step 2"), if it did;
    start: the epoch of the first entry (0 when the history begins before training, as the
    Playground's does; 1 for ``fit``'s).
    """
    losses = losses if isinstance(losses, list) else list(losses)
    s = _setting(model)
    if stopped is not None or (losses and not math.isfinite(losses[-1])):
        return diverged(losses[-1] if losses else math.nan,
                        stopped or _at(unit, start + len(losses) - 1),
                        model=model, inputs=inputs, default_learning_rate=default_learning_rate)
    if len(losses) < 2:
        return None
    first, last = float(losses[0]), float(losses[-1])
    if first > 0 and last > EXPLODED * first:
        why, fix = _cure(s, _unscaled(inputs), default_learning_rate)
        return Diagnosis("exploding", _("The loss grew from {first} to {last} by {when}: {why}. "
                                        "{fix}").format(first=format_number(first),
                                                        last=format_number(last),
                                                        when=_at(unit, start + len(losses) - 1),
                                                        why=why, fix=fix))
    swings = oscillation(losses)
    if swings is not None:
        shown = " → ".join(format_number(v) for v in swings)
        why, fix = _cure(s, _unscaled(inputs), default_learning_rate)
        return Diagnosis("oscillating", _("The loss jumps up and down ({shown}): {why}, so each "
                                          "step overshoots. {fix}").format(shown=shown, why=why,
                                                                           fix=fix))
    crushed = _crushed(s, len(losses))
    if crushed is not None:
        kind, rate, biggest = crushed
        acc = _(", accuracy {accuracy}").format(accuracy=f"{accuracy:.2f}") \
            if accuracy is not None else ""
        return Diagnosis("penalty", _("The {kind} penalty dominates the loss: with regularization "
                                      "rate {rate} every weight is below {crushed} and the loss "
                                      "stays at {last}{acc} — the network can only guess. Lower "
                                      "the regularization rate, e.g. to {lower}.").format(
            kind=kind, rate=f"{rate:g}", crushed=f"{CRUSHED:g}", last=format_number(last),
            acc=acc, lower=f"{_lower_rate(rate, s.get('learning_rate')):g}"))
    over = _overfitting(losses, test_losses, s, start)
    if over is not None:
        return over
    unscaled = _unscaled(inputs) if len(losses) > 2 and last > 0.9 * first else None
    if unscaled is not None:
        j, reach = unscaled
        return Diagnosis("unscaled", _("The loss has barely moved ({first} → {last}) and the "
                                       "inputs are not scaled (feature {j} reaches {reach}). "
                                       "Scale the inputs to mean 0 and standard deviation 1: "
                                       "x = (x - x.mean(axis=0)) / x.std(axis=0).").format(
            first=format_number(first), last=format_number(last), j=j,
            reach=format_number(reach)))
    return _plateau(losses, s, unit)


def oscillation(losses) -> list | None:
    """The last five losses if the loss jumps up and down instead of falling, else None.

    losses: one number per epoch, the first before or after the first epoch.  The losses looked
    at must still average above half the first loss — mini-batch noise around a loss far below
    where it began (batch_size=1) is no alarm — and either sign is enough:
    - big swings: over the last 9 losses, several rises by more than a tenth of the first loss,
      the direction turning at least every other step (learning rate 10 with sigmoid:
      0.74 → 1.39 → 1.04 → 0.73);
    - small swings that go nowhere: over the last 20 epochs a quarter of the steps or more go
      up, the second half is not lower than the first by more than two typical steps, and a
      typical step is above 2 % of the first loss (the spiral at learning rate 3:
      0.62 → 0.66 → 0.71 → 0.65 …).
    """
    window = [float(v) for v in losses[-(SWING_EPOCHS + 1):]]  # plain Python is quicker here
    if len(window) < 4:
        return None
    first = abs(float(losses[0])) + 1e-12
    if _big_swings(window[-9:], first) or _stuck_swings(window, first):
        return window[-5:]
    return None


def _big_swings(window: list, first: float) -> bool:
    diffs = [b - a for a, b in zip(window, window[1:])]
    rises = sum(d > 0.1 * first for d in diffs)
    turns = sum(a * b < 0 for a, b in zip(diffs, diffs[1:]))
    return (rises >= 1 + len(diffs) // 4 and turns >= len(diffs) // 2
            and sum(window) / len(window) > 0.5 * first)


def _stuck_swings(window: list, first: float) -> bool:
    if len(window) < SWING_EPOCHS + 1:
        return False
    steps = [b - a for a, b in zip(window, window[1:])]
    typical = sum(abs(d) for d in steps) / len(steps)
    half = len(window) // 2
    drop = sum(window[:half]) / half - sum(window[half:]) / (len(window) - half)
    return (sum(d > 0 for d in steps) >= len(steps) // 4 and drop <= 2 * typical
            and typical > 0.02 * first and sum(window) / len(window) > 0.5 * first)


def _crushed(s: dict, epochs: int):
    """(kind, rate, largest |W|) if a penalty keeps every kernel weight below 0.01."""
    rate = max(s.get("l1", 0.0), s.get("l2", 0.0))
    kernels = s.get("kernels") or []
    if rate <= 0 or not kernels or epochs < 5:
        return None
    biggest = max(float(np.abs(W).max()) if W.size else 0.0 for W in kernels)
    if biggest >= CRUSHED:
        return None
    return ("L2" if s["l2"] >= s["l1"] else "L1", rate, biggest)


def _overfitting(losses: list, test_losses, s: dict, start: int) -> Diagnosis | None:
    if test_losses is None or len(test_losses) < 10 or len(test_losses) != len(losses):
        return None
    test = np.asarray(test_losses, dtype=float)
    best = int(test.argmin())
    rise = test[-1] - test[best]
    if len(test) - 1 - best < 5 or not test[-1] > 1.5 * test[best] \
            or not rise > 0.1 * abs(test[0]) or not losses[-1] < 0.5 * test[-1] \
            or not losses[-1] < losses[best]:
        return None
    rate = max(s.get("l1", 0.0), s.get("l2", 0.0))
    fix = (_("Try a higher regularization rate, e.g. {rate}.").format(rate=f"{rate * 10:g}")
           if rate > 0 else _("Try L2 regularization, e.g. rate 0.03."))
    return Diagnosis("overfitting", _("The test loss rose from {best} (epoch {epoch}) to {last} "
                                      "while the training loss fell to {train}: the network "
                                      "learns the training points by heart (overfitting). "
                                      "{fix}").format(
        best=format_number(test[best]), epoch=start + best, last=format_number(test[-1]),
        train=format_number(losses[-1]), fix=fix))


def _plateau(losses: list, s: dict, unit: str) -> Diagnosis | None:
    """The loss has not moved for 20 epochs and is still where it began."""
    if len(losses) <= PLATEAU_EPOCHS or not s.get("hidden"):
        return None
    recent = losses[-PLATEAU_EPOCHS:]
    first, last = losses[0], losses[-1]
    if max(recent) - min(recent) > 0.01 * abs(last) or last < 0.9 * first:
        return None
    hidden, lr = s["hidden"], s.get("learning_rate")
    if lr is not None and lr < SMALL_LEARNING_RATE:
        why = _("the learning rate {lr} is too small: each step barely moves the weights").format(
            lr=f"{lr:g}")
        fix = _("Try a higher learning rate, e.g. {rate}.").format(
            rate=f"{min(lr * 100, DEFAULT_LEARNING_RATE):g}")
    elif "relu" in hidden:
        why, fix = (_("its ReLUs may have died (output 0 for every point, so no gradient flows)"),
                    _("Try new initial weights (another seed) or the activation 'leaky_relu'."))
    else:
        why = _("its gradients are too small to move the weights (vanishing gradients)")
        fix = (_("Try a higher learning rate, e.g. {rate}.").format(rate=f"{min(lr * 10, 1.0):g}")
               if lr else _("Try a higher learning rate."))
    return Diagnosis("plateau", _("The loss has stayed near {last} for {count} {units} and is "
                                  "still {share} of where it began: the network is not learning "
                                  "— {why}. {fix}").format(
        last=format_number(last), count=PLATEAU_EPOCHS, units=_units(unit),
        share=f"{last / first:.0%}", why=why, fix=fix))


def _at(unit: str, number: int) -> str:
    """ "epoch 12" / "step 12" in the current language (other units as given)."""
    if unit == "epoch":
        return _("epoch {n}").format(n=number)
    if unit == "step":
        return _("step {n}").format(n=number)
    return f"{unit} {number}"


def _units(unit: str) -> str:
    """ "epochs" / "steps" in the current language (other units with an s)."""
    return {"epoch": _("epochs"), "step": _("steps")}.get(unit, f"{unit}s")
