"""Lesson 08 · RNN and LSTM: predict what the gates do at the moment a memory is stored.

The memory task (``nnkit.datasets.memory``): a ±1 value arrives at every step, but only the one
at the *store* step (flagged) must be remembered, through the distractors, until the recall at
the last step.  Before looking at a trained LSTM's gates, the learner predicts, for the unit
that carries the memory, what each gate does at the store step compared with the other steps:

    my_prediction = {"input": "opens", "forget": "stays", "output": "closes"}   # for example
    check_gate_prediction(my_prediction, model, X, y, store_index)

The check finds the carrying unit (``memory_unit``), measures each gate at the store step
against its average over the other steps (``gate_changes``), and for each wrong guess says what
the network really did, with the numbers — the trace decides, not a textbook.
"""
from __future__ import annotations

import numpy as np

from nnkit.exercises.feedback import Hint, checker, register_solution

__all__ = ["check_gate_prediction", "memory_unit", "gate_changes"]

GATES = {"input": "i", "forget": "f", "output": "o"}
WORDS = ("opens", "closes", "stays")
THRESHOLD = 0.1          # a change of the gate's mean value larger than this counts
WHY = {
    ("forget", "closes"): "the cell still holds whatever the distractors wrote before; to store "
                          "the new sign cleanly, the LSTM first wipes the old content (f → 0)",
    ("forget", "opens"): "the unit keeps adding the new input on top of what it already holds",
    ("input", "opens"): "the new sign has to get into the cell: i → 1 lets the candidate g in",
    ("input", "closes"): "this unit writes through its candidate g rather than through i",
    ("output", "opens"): "the unit shows the stored sign in h at once, so the gates of the next "
                         "steps — which read h — can keep it",
    ("output", "closes"): "the unit hides its cell from h while it is being rewritten",
}


@register_solution("gate_prediction")
def gate_prediction():
    """One reading of the trained LSTM of lesson 08 (check it against the heatmaps!)."""
    return {"input": "opens", "forget": "closes", "output": "opens"}


def memory_unit(model, X, y) -> int:
    """The LSTM unit whose cell state c_t follows the stored sign best just before the recall.

    X: (N, T, 3) memory-task inputs, y: (N,) stored bits.  For each of the last 5 steps before
    the recall: |correlation| over the samples between c_t of a unit and the stored ±1; the unit
    with the largest mean wins.
    """
    c = np.asarray(model.trace(X)["c"], dtype=float)           # (N, T, H)
    stored = 2.0 * np.asarray(y, dtype=float) - 1.0
    T = c.shape[1]
    steps = range(max(0, T - 6), T - 1)
    cz = c - c.mean(axis=0)
    sz = stored - stored.mean()
    denominator = np.sqrt((cz ** 2).sum(axis=0) * (sz ** 2).sum()) + 1e-12      # (T, H)
    corr = np.abs(np.einsum("nth,n->th", cz, sz) / denominator)
    return int(corr[list(steps)].mean(axis=0).argmax())


def gate_changes(model, X, y, store_index) -> dict[str, tuple[float, float]]:
    """For the memory unit: each gate's mean at the store step and over the other steps.

    Returns ``{"input": (at_store, elsewhere), "forget": …, "output": …}``; "elsewhere"
    leaves out the store and the recall steps.
    """
    trace = model.trace(X)
    unit = memory_unit(model, X, y)
    store_index = np.asarray(store_index, dtype=int)
    rows = np.arange(len(store_index))
    out = {}
    for word, key in GATES.items():
        a = np.asarray(trace[key][:, :, unit], dtype=float)
        mask = np.ones_like(a, dtype=bool)
        mask[rows, store_index] = False
        mask[:, -1] = False
        out[word] = (float(a[rows, store_index].mean()), float(a[mask].mean()))
    return out


def _verdict(at_store: float, elsewhere: float) -> str:
    change = at_store - elsewhere
    return "opens" if change > THRESHOLD else "closes" if change < -THRESHOLD else "stays"


@checker("gate_prediction", takes_function=False)
def check_gate_prediction(prediction, model=None, X=None, y=None, store_index=None) -> str:
    """Compare a prediction {"input"|"forget"|"output": "opens"|"closes"|"stays"} with the trace."""
    if not isinstance(prediction, dict):
        raise Hint('give your prediction as a dict, e.g. {"input": "opens", "forget": "stays", '
                   '"output": "closes"}.')
    if model is None or X is None or y is None or store_index is None:
        raise Hint("the check needs the trained LSTM and the data to look at: "
                   "check_gate_prediction(my_prediction, lstm, X_test, y_test, store_test).")
    names = {str(k).lower(): v for k, v in prediction.items()}
    names = {{"i": "input", "f": "forget", "o": "output"}.get(k, k): v for k, v in names.items()}
    unknown = sorted(set(names) - set(GATES))
    if unknown:
        raise Hint(f"the gates are called input, forget and output; {unknown} is not one of them.")
    missing = [g for g in GATES if g not in names]
    if missing:
        raise Hint(f"predict all three gates — {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} "
                   f"missing.")
    if all(word == "?" for word in names.values()):
        raise Hint("replace each '?' with your prediction — 'opens', 'closes' or 'stays' — for "
                   "the input, forget and output gate at the store step. Reason with the "
                   "equations c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t and h_t = o_t ⊙ tanh(c_t).")
    for gate, word in names.items():
        if not isinstance(word, str) or word.lower() not in WORDS:
            raise Hint(f"for the {gate} gate write 'opens', 'closes' or 'stays' (compared with the "
                       f"other steps). Received: {word!r}.")
    changes = gate_changes(model, X, y, store_index)
    wrong = []
    for gate, (at_store, elsewhere) in changes.items():
        truth = _verdict(at_store, elsewhere)
        guess = names[gate].lower()
        if guess != truth:
            why = WHY.get((gate, truth), "its value barely changes at the store step")
            wrong.append(f"The {gate} gate {truth} (you said {guess}): {at_store:.2f} at the "
                         f"store step against {elsewhere:.2f} on average at the other steps — "
                         f"{why}.")
    if wrong:
        raise Hint(f"{len(wrong)} of your 3 predictions differ from what this network does. Find "
                   f"the store step in the heatmaps and look:\n  • " + "\n  • ".join(wrong))
    summary = ", ".join(f"{gate} {at:.2f} (elsewhere {other:.2f})"
                        for gate, (at, other) in changes.items())
    return (f"right for all three gates of the memory unit at the store step: {summary}. "
            f"The gates are switches the network learned to flip on the store flag.")
