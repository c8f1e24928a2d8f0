"""Lesson 07 · The Playground: four guided experiments, each with a checkable challenge.

Each check reads a Playground (``pg``) after the learner changed its settings and trained it:
its settings (``pg.state``), how long it trained (``pg.epoch``) and its results on the training
and the test points (``pg.accuracy``, ``pg.test_accuracy``, ``pg.loss``, ``pg.test_loss``).
Nothing is trained here — the check judges what the learner's network did, and when it falls
short it says which setting to look at.

- ``check_xor_hidden_layer(pg)``: XOR from the raw inputs x₁, x₂ needs a hidden layer;
- ``check_spiral(pg)``: the spiral needs depth or extra input features;
- ``check_overfitting(pg)``: make a network memorise noise — high training, low test accuracy;
- ``check_regularization(pg, baseline)``: L1 beats ``baseline`` (the overfitting run) on the
  test points, with the same data.
"""
from __future__ import annotations

from nnkit.exercises.feedback import Hint, checker, register_solution

__all__ = ["check_xor_hidden_layer", "check_spiral", "check_overfitting", "check_regularization"]

XOR_ACCURACY = 0.90
SPIRAL_ACCURACY = 0.90
OVERFIT_GAP = 0.10
DATA_SETTINGS = ("dataset", "noise", "train_fraction", "n_samples", "data_seed")


# ---- reference answers (shown only through solution(name)) ---------------------------------------
@register_solution("xor_hidden_layer")
def xor_hidden_layer(pg):
    """One hidden layer of 4 tanh units draws the two lines XOR needs."""
    pg.set(hidden_layers=[4], learning_rate=0.1)
    pg.train(300)


@register_solution("spiral")
def spiral(pg):
    """Depth: three ReLU layers of 8 units bend the boundary around the arms.

    (Or features: pg.set(features=["x1", "x2", "sin(x1)", "sin(x2)"], hidden_layers=[8, 8]).)
    """
    pg.set(hidden_layers=[8, 8, 8], activation="relu", learning_rate=0.03)
    pg.train(300)


@register_solution("overfitting")
def overfitting(pg):
    """Noisy points, few of them for training, a big network, trained until it fits them all.

    Adam at 0.01 settles into every training point; at 0.03 it keeps jumping around them.
    """
    pg.set(noise=0.5, train_fraction=0.1, hidden_layers=[8, 8, 8], activation="relu",
           optimizer="adam", learning_rate=0.01)
    pg.train(300)


@register_solution("regularization")
def regularization(pg):
    """The overfitting run again, with an L1 penalty λ Σ|w| on the weights.

    Rates from about 0.01 to 0.1 help here; below that the network still memorises every
    training point, above it the penalty flattens the boundary.
    """
    pg.set(regularization="l1", regularization_rate=0.03)
    pg.train(300)


# ---- helpers ---------------------------------------------------------------------------------------
def _read(pg, what: str):
    """The settings of a Playground, with a hint if ``pg`` is not one."""
    state = getattr(pg, "state", None)
    if state is None or not hasattr(pg, "test_accuracy") or not hasattr(pg, "epoch"):
        raise Hint(f"{what} needs a Playground, e.g. {what}(pg) after "
                   f"pg = Playground(dataset=…). Received: a {type(pg).__name__}.")
    return state


def _trained(pg, what: str) -> None:
    if pg.epoch == 0:
        raise Hint(f"this network has not trained yet (epoch 0). Train it first — press Play and "
                   f"wait a few seconds, or run pg.train(300) — then {what}(pg) again.")
    if getattr(pg, "diverged", False):
        raise Hint(f"training diverged (the loss became NaN or infinite): the learning rate "
                   f"{pg.state.learning_rate:g} is too high for this network. Lower it, press "
                   f"Reset, and train again.")


def _layers(state) -> str:
    layers = list(state.hidden_layers)
    return "no hidden layer" if not layers else f"hidden layers {layers}"


def _points(gap: float) -> str:
    n = round(100 * gap)
    return f"{n} point{'' if n == 1 else 's'}"


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def _percent1(value: float) -> str:
    """One decimal, so that two close accuracies never read as the same number."""
    return f"{100 * value:.1f}%"


# ---- 1 · XOR needs a hidden layer -------------------------------------------------------------------
@checker("xor_hidden_layer", takes_function=False)
def check_xor_hidden_layer(pg) -> str:
    """XOR, inputs x₁ and x₂ only, at least 90% test accuracy."""
    state = _read(pg, "check_xor_hidden_layer")
    if state.dataset != "xor":
        raise Hint(f"this Playground shows the {state.dataset!r} data; the challenge is XOR. "
                   f"pg.set(dataset='xor') — or use the Playground of experiment 1.")
    if tuple(state.features) != ("x1", "x2"):
        extra = [f for f in state.features if f not in ("x1", "x2")]
        note = (" With x₁x₂ as an input, one neuron is enough — the product is exactly the XOR "
                "pattern. That is the other lesson of this experiment!" if "x1*x2" in extra else "")
        raise Hint(f"the challenge allows only the raw inputs x₁ and x₂; this network also gets "
                   f"{extra}.{note} Set features=['x1', 'x2'] and let hidden neurons build what "
                   f"it needs.")
    if not state.hidden_layers:
        raise Hint("with no hidden layer the network is one neuron, and one neuron splits the "
                   "plane with one straight line. XOR's blue squares sit on opposite corners: no "
                   "single line separates them. Add a hidden layer, e.g. hidden_layers=[4].")
    _trained(pg, "check_xor_hidden_layer")
    if pg.test_accuracy < XOR_ACCURACY:
        small = min(state.hidden_layers) <= 2
        too_fast = _too_fast(pg, state)
        if too_fast:
            advice = too_fast
        else:
            advice = ("Layers of 1–2 units often get stuck on XOR — try 3 or 4 units, "
                      if small else "Train longer (more epochs), ")
            advice += f"or raise the learning rate a step (now {state.learning_rate:g})."
        raise Hint(f"{_layers(state)}: {_percent(pg.test_accuracy)} of the test points right after "
                   f"{pg.epoch} epochs; the goal is {_percent(XOR_ACCURACY)}. {advice}")
    units = sum(state.hidden_layers)
    return (f"{_layers(state)} ({units} hidden neuron{'s' if units > 1 else ''}): "
            f"{_percent(pg.test_accuracy)} of the test points right. Each hidden neuron draws one "
            f"line; the output neuron combines them into the two diagonal regions of XOR.")


# ---- 2 · the spiral needs depth or features --------------------------------------------------------
@checker("spiral", takes_function=False)
def check_spiral(pg) -> str:
    """The spiral, at least 90% test accuracy, any network and features."""
    state = _read(pg, "check_spiral")
    if state.dataset != "spiral":
        raise Hint(f"this Playground shows the {state.dataset!r} data; the challenge is the "
                   f"spiral: pg.set(dataset='spiral').")
    _trained(pg, "check_spiral")
    if pg.test_accuracy >= SPIRAL_ACCURACY:
        route = ("extra input features" if set(state.features) - {"x1", "x2"} else
                 f"depth ({len(state.hidden_layers)} hidden layers)")
        return (f"{_percent(pg.test_accuracy)} of the test points right, through {route}. Each "
                f"layer can fold the plane once more, and the spiral needs several folds — or "
                f"inputs such as sin x₁ that already wave like its arms.")
    if pg.accuracy < SPIRAL_ACCURACY:
        has_features = bool(set(state.features) - {"x1", "x2"})
        too_fast = _too_fast(pg, state)
        if too_fast:
            advice = too_fast
        elif len(state.hidden_layers) < 2 and not has_features:
            advice = ("A spiral winds around twice; a network with at most one hidden layer on "
                      "x₁, x₂ cannot bend its boundary that often. Add layers (e.g. [8, 8, 8]) "
                      "or input features (sin x₁, sin x₂).")
        elif state.activation in ("sigmoid", "linear"):
            advice = (f"With {state.activation} units the deep layers learn slowly or not at all "
                      f"(lesson 05); try relu or tanh.")
        else:
            advice = _spiral_advice(pg, state, has_features)
        raise Hint(f"{_layers(state)}, features {list(state.features)}: only "
                   f"{_percent(pg.accuracy)} of the training points right after {pg.epoch} "
                   f"epochs — the network has not even fitted its own data. {advice}")
    smoother = []
    if set(state.features) - {"x1", "x2"}:
        smoother.append("fewer features")
    if sum(state.hidden_layers) > 8:
        smoother.append("fewer neurons")
    smoother.append("a little regularization" if state.regularization == "none"
                    or state.regularization_rate == 0 else
                    f"a larger regularization_rate (now {state.regularization_rate:g})")
    raise Hint(f"{_percent(pg.accuracy)} right on the training points but {_percent(pg.test_accuracy)} "
               f"on the test points: the boundary fits the training points by wiggling between "
               f"them. {_or(smoother).capitalize()} make{'s' if len(smoother) == 1 else ''} it "
               f"smoother.")


def _or(ideas: list) -> str:
    return ideas[0] if len(ideas) == 1 else ", ".join(ideas[:-1]) + " or " + ideas[-1]


# A learning rate above this is high for the optimizer (momentum multiplies SGD's steps by 10).
HIGH_RATE = {"sgd": 1.0, "momentum": 0.3, "adam": 0.1}
GOOD_RATE = {"sgd": 0.03, "momentum": 0.03, "adam": 0.01}


def _too_fast(pg, state) -> str | None:
    """Advice to LOWER the learning rate when the loss jumps around or the rate is high."""
    from nnkit.diagnosis import format_number, oscillation, suggest_learning_rate
    rate, optimizer = state.learning_rate, state.optimizer
    good = GOOD_RATE.get(optimizer, 0.03)
    swings = oscillation((getattr(pg, "history", None) or {}).get("loss", []))
    high = rate > HIGH_RATE.get(optimizer, 1.0)
    if swings is None and not high:
        return None
    lower = suggest_learning_rate(rate, good)
    if swings is not None:
        shown = " → ".join(format_number(v) for v in swings)
        why = (f"The training loss jumps up and down ({shown}) instead of falling: each step "
               f"overshoots.")
    else:
        why = f"A learning rate of {rate:g} is high for {optimizer!r}: its steps overshoot."
    return (f"{why} Lower the learning rate (now {rate:g}; e.g. {lower:g}), press Reset and "
            f"train again.")


def _spiral_advice(pg, state, has_features: bool) -> str:
    """What helps a deep enough network fit the spiral — only settings not already in use."""
    ideas = []
    if pg.epoch < 600:
        ideas.append(f"more epochs ({pg.epoch} so far; try {pg.epoch + 300})")
    if state.activation != "relu":
        ideas.append(f"activation='relu' (now {state.activation!r})")
    if state.optimizer != "adam":
        ideas.append(f"optimizer='adam' (now {state.optimizer!r}) with learning_rate=0.01")
    if min(state.hidden_layers) < 8:
        ideas.append(f"wider layers ({_layers(state)}; try [8, 8, 8])")
    elif len(state.hidden_layers) < 3:
        ideas.append(f"one more layer ({_layers(state)}; try [8, 8, 8])")
    if not has_features:
        ideas.append("input features such as sin(x1), sin(x2)")
    if not ideas:
        ideas.append("New seed (other first weights), then Play again")
    return "Try " + _or(ideas) + "."


# ---- 3 · noise and a small training set overfit ----------------------------------------------------
@checker("overfitting", takes_function=False)
def check_overfitting(pg) -> str:
    """Make the network overfit: training accuracy ≥ 95% and at least 10 points above test."""
    state = _read(pg, "check_overfitting")
    if state.kind != "classification":
        raise Hint("pick a classification data set (circle, xor, gauss, moons, spiral) so that "
                   "the accuracy can be compared.")
    _trained(pg, "check_overfitting")
    gap = pg.accuracy - pg.test_accuracy
    if gap >= OVERFIT_GAP and pg.accuracy >= 0.95:
        return (f"training {_percent(pg.accuracy)} but test {_percent(pg.test_accuracy)}, and the "
                f"test loss ({pg.test_loss:.2f}) is far above the training loss "
                f"({pg.loss:.2f}): the network has memorised its {len(pg.data.X_train)} noisy "
                f"training points instead of learning the pattern. That is overfitting.")
    goal = (f"the goal is a network right on ≥ 95% of its training points and at least "
            f"{100 * OVERFIT_GAP:.0f} points worse on the test points")
    if pg.accuracy < 0.95:
        advice = _memorise_advice(pg, state)
        raise Hint(f"training {_percent(pg.accuracy)}, test {_percent(pg.test_accuracy)}: {goal}, "
                   f"and this network does not fit its own training points yet. {advice}")
    raise Hint(f"training {_percent(pg.accuracy)}, test {_percent(pg.test_accuracy)}: the gap is "
               f"{_points(gap)}; {goal}. {_overfit_advice(pg, state)}")


def _memorise_advice(pg, state) -> str:
    """What helps a network fit every training point — only settings not already in use."""
    ideas = []
    if pg.epoch < 300:
        ideas.append(f"longer training ({pg.epoch} epochs so far; try 300)")
    if sum(state.hidden_layers) < 16:
        ideas.append(f"a bigger network ({_layers(state)}; try [8, 8, 8])")
    if state.optimizer != "adam":
        ideas.append(f"optimizer='adam' (now {state.optimizer!r})")
    elif state.learning_rate > 0.01:
        ideas.append(f"a smaller learning rate (now {state.learning_rate:g}; try 0.01): Adam at a "
                     f"large rate keeps jumping around the points instead of settling into them")
    if not ideas:
        ideas.append(f"train {pg.epoch} epochs more")
    return "To memorise them it needs " + ", ".join(ideas) + "."


def _overfit_advice(pg, state) -> str:
    """What makes a network that fits its training points overfit — only what is not yet set."""
    ideas = []
    if state.noise < 0.5:
        ideas.append(f"more noise (now {state.noise:g}; try 0.5)")
    if state.train_fraction > 0.1:
        ideas.append(f"fewer training points (train_fraction now {state.train_fraction:g}; "
                     f"try 0.1)")
    if sum(state.hidden_layers) < 16:
        ideas.append(f"a bigger network ({_layers(state)}; try [8, 8, 8])")
    if pg.epoch < 300:
        ideas.append(f"longer training ({pg.epoch} epochs so far; try 300)")
    if not ideas:
        return ("Noise, training fraction, size and training time are all at their overfitting "
                "settings already: try New seed, or the other data set (circle or gauss).")
    return "Overfitting needs " + ", ".join(ideas) + "."


# ---- 4 · regularization helps -----------------------------------------------------------------------
# L1 rates that beat the overfitting run on the lesson's own data (gauss, noise 0.5, 10 % training
# points, [8, 8, 8] relu, Adam 0.03, 300 epochs), measured: 0.003–0.1 pass (0.003 and 0.005 only
# just: 86 % and 89 % against 85 %); from 0.2 on every weight is crushed (54 % training accuracy).
L1_RANGE = (0.01, 0.1)


def _l1_range(rate: float) -> str:
    low, high = L1_RANGE
    return (f"regularization_rate (now {rate:g}): between {low:g} and {high:g} works on the "
            f"lesson's overfitting data, e.g. 0.03")


@checker("regularization", takes_function=False)
def check_regularization(pg, baseline=None) -> str:
    """L1 regularization gives a lower test loss than ``baseline`` on the same data."""
    state = _read(pg, "check_regularization")
    if baseline is None:
        raise Hint("pass the overfitting Playground too, to compare with: "
                   "check_regularization(pg_l1, baseline=pg_overfit).")
    base = _read(baseline, "check_regularization")
    if baseline is pg:
        raise Hint("pg and baseline are the same Playground. Compare two: the overfitting one "
                   "(baseline) and a second one with regularization.")
    different = [name for name in DATA_SETTINGS if getattr(state, name) != getattr(base, name)]
    if different:
        raise Hint(f"the two Playgrounds have different data ({', '.join(different)}), so their "
                   f"test losses cannot be compared. Change only the regularization.")
    if state.regularization == "none" or state.regularization_rate == 0:
        raise Hint(f"this Playground has no regularization: set regularization='l1' and a "
                   f"regularization_rate between {L1_RANGE[0]:g} and {L1_RANGE[1]:g}, e.g. "
                   f"0.03, then train again.")
    if state.regularization != "l1":
        raise Hint(f"this Playground uses {state.regularization.upper()}; the challenge asks for "
                   f"L1. L2 (λ Σw²) pulls each weight toward zero in proportion to its size, so the "
                   f"pull fades as a weight gets small and weights shrink but never reach zero; "
                   f"L1 (λ Σ|w|) pulls every weight with the same force however small it is, so "
                   f"it drives the weights the network does not need to zero. Set "
                   f"regularization='l1' and train again.")
    _trained(pg, "check_regularization")
    _trained(baseline, "check_regularization")
    rate = state.regularization_rate
    if pg.accuracy < 0.7:
        raise Hint(f"the penalty is so strong that the network cannot fit even its training "
                   f"points ({_percent(pg.accuracy)} right): the weights are pushed to almost "
                   f"zero and the boundary flattens out. Try a smaller {_l1_range(rate)}.")
    memorising = pg.accuracy >= 0.99        # still fits every training point: the penalty is weak
    if pg.test_loss < baseline.test_loss and pg.test_accuracy >= baseline.test_accuracy:
        return (f"with L1 at rate {rate:g} the test loss is {pg.test_loss:.2f} instead of "
                f"{baseline.test_loss:.2f}, and the test accuracy {_percent(pg.test_accuracy)} "
                f"instead of {_percent(baseline.test_accuracy)}. The penalty pulls every weight toward "
                f"zero, so the boundary cannot bend around every noisy point.")
    longer = (f", and train as long as the baseline ({baseline.epoch} epochs)"
              if pg.epoch < baseline.epoch else "")
    losses = f"test loss {baseline.test_loss:.2f} → {pg.test_loss:.2f}"
    accuracies = (f"test accuracy {_percent1(baseline.test_accuracy)} → "
                  f"{_percent1(pg.test_accuracy)}")
    side = "larger" if rate < L1_RANGE[0] else "smaller" if rate > L1_RANGE[1] else None
    if memorising:
        if side == "smaller":
            raise Hint(f"{losses}, {accuracies}: the network still gets {_percent(pg.accuracy)} "
                       f"of its training points right although the penalty is strong. Try a "
                       f"{_l1_range(rate)}{longer}.")
        raise Hint(f"{losses}, {accuracies}: the network still gets {_percent(pg.accuracy)} of "
                   f"its training points right, so it is still memorising them — the penalty "
                   f"is too weak to change the boundary. Try a larger {_l1_range(rate)}{longer}.")
    word = side or ("smaller" if rate > 0.03 else "larger")
    if pg.test_loss < baseline.test_loss:
        raise Hint(f"{losses}, but {accuracies}: the penalty already costs training points "
                   f"({_percent(pg.accuracy)} right) and the network became unsure everywhere "
                   f"rather than right. Try a {word} {_l1_range(rate)}{longer}.")
    raise Hint(f"{losses}: not below the baseline's, although the penalty already costs training "
               f"points ({_percent(pg.accuracy)} right). Try a {word} {_l1_range(rate)}{longer}.")
