"""Does the output layer fit the loss?  Checked at ``compile`` (and again before training).

A cross-entropy reads the network's outputs as probabilities: categorical cross-entropy as one
distribution over the classes (a softmax: each row ≥ 0 and summing to 1), binary cross-entropy as
the probability of class 1 (a sigmoid: each value in (0, 1)).  Given anything else the loss is
still a number and it still goes down — a sigmoid output "wins" by pushing every class towards 1,
a linear output is clipped to [1e-7, 1 - 1e-7] — so the curve looks like learning while the
number means nothing: a worse model can report a lower loss than a better one.

**An error, not a warning** — on purpose, where Keras accepts these pairings.  A warning scrolls
past while the loss curve keeps improving, and a learner trusts the curve; the minutes spent
training a meaningless number are the lesson's minutes lost.  The error names the output
activation and the loss, says why the number would be meaningless, and gives the two fixes: the
activation that matches the loss, or a linear output with ``from_logits=True`` (the loss then
applies the softmax/sigmoid itself, as PyTorch's ``CrossEntropyLoss`` does).  The pairings it
refuses:

* sigmoid, linear, relu, tanh … into categorical cross-entropy without ``from_logits``;
* anything but sigmoid (or softmax) into binary cross-entropy without ``from_logits``;
* softmax over more than two units into binary cross-entropy (the K outputs compete for one
  sum of 1, while the loss scores each unit as its own yes/no probability: with one-hot targets
  the "accuracy" thresholds every unit at 0.5 and reports a number no argmax prediction has);
* softmax over one unit (its output is always 1.0), whatever the loss;
* softmax or sigmoid with ``from_logits=True`` (the squashing would be applied twice).
"""
from __future__ import annotations

from nnkit import losses

__all__ = ["output_activation", "check"]

PASS_THROUGH = ("Dropout", "Flatten")     # layers that keep the values' meaning


def output_activation(layers: list) -> tuple[str, object] | None:
    """(activation name, layer that applies it) of the model's output, or None if unknown."""
    for layer in reversed(layers):
        if type(layer).__name__ in PASS_THROUGH:
            continue
        if type(layer).__name__ == "LSTM":
            return "tanh", layer                     # h = o ⊙ tanh(c)
        activation = getattr(layer, "activation", None)
        return (activation.name, layer) if activation is not None else None
    return None


def _units(model) -> int | None:
    shape = model.layers[-1].output_shape
    if shape is not None:
        return shape[-1]
    return getattr(model.layers[-1], "units", None)


def check(model) -> None:
    """Raise ValueError if the output layer's activation does not fit ``model.loss``."""
    loss = model.loss
    found = output_activation(model.layers) if model.layers else None
    if loss is None or found is None:
        return
    act, layer = found
    units = _units(model)
    where = f"The output layer {layer.name or type(layer).__name__} has activation={act!r}"
    if act == "softmax" and units == 1:
        raise ValueError(
            f"{where} over 1 unit: a softmax over a single value is always 1.0, so the model "
            f"cannot learn anything and loss={loss.name!r} measures nothing. For two classes use "
            f"Dense(1, activation='sigmoid') with loss='binary_crossentropy', or Dense(2, "
            f"activation='softmax') with loss='sparse_categorical_crossentropy'.")
    if loss.fused_activation is None:                # mse: any output is a value
        return
    name = type(loss).__name__
    if loss.from_logits:
        if act in ("softmax", "sigmoid"):
            raise ValueError(
                f"{where}, and the loss is {name}(from_logits=True), which applies the "
                f"{loss.fused_activation} itself: the outputs would be squashed twice and the loss "
                f"would mean nothing. Either give the output layer no activation (logits, "
                f"activation=None), or use {name}() without from_logits.")
        return
    if act == "softmax" and loss.fused_activation == "sigmoid" and units is not None and units > 2:
        raise ValueError(
            f"{where} over {units} units, but loss={loss.name!r} reads each output on its own as "
            f"the probability of a yes/no label: a softmax makes the {units} outputs compete (they "
            f"sum to 1), binary cross-entropy scores them as {units} independent questions, and "
            f"the accuracy it reports thresholds each unit at 0.5, so neither number says how often "
            f"the most probable class is right. Two fixes: exactly one class per sample (one-of-K) "
            f"→ keep the softmax and compile with loss='categorical_crossentropy' (one-hot y) or "
            f"'sparse_categorical_crossentropy' (integer y); several labels per sample "
            f"(multi-label) → keep binary_crossentropy and give the output layer "
            f"activation='sigmoid'.")
    good = ("softmax",) if loss.fused_activation == "softmax" else ("sigmoid", "softmax")
    if act in good:
        return
    want = loss.fused_activation
    reads = ("one probability distribution over the classes (each row ≥ 0, summing to 1)"
             if want == "softmax" else "probabilities of class 1, each between 0 and 1")
    why = {"sigmoid": "sigmoid outputs do not sum to 1, so the loss can fall by pushing every "
                      "class towards 1 and a worse model can report the lower loss",
           "linear": "linear outputs are not probabilities (they can be negative or above 1; "
                     "they are clipped to [1e-7, 1 - 1e-7] first), so the number it trains "
                     "means nothing"}.get(act, f"{act} outputs are not probabilities, so the "
                                               f"number it trains means nothing")
    raise ValueError(
        f"{where}, but loss={loss.name!r} reads the outputs as {reads}: {why}. Two fixes: "
        f"give the output layer activation={want!r}, or keep it linear (activation=None, the "
        f"logits) and compile with loss=nnkit.losses.{name}(from_logits=True). (Keras accepts "
        f"this pairing; nnkit refuses it on purpose.)")
