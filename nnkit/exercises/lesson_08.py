"""Lesson 08 · RNN and LSTM: predict what the gates do at the moment a memory is stored; then
compute one LSTM step by hand (``check_lstm_step``, at the end).

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


# ---- exercise 2: one LSTM step, by hand -----------------------------------------------------------
#
#     a_t = x_t W_x + h_{t-1} W_h + b                (N, 4H): the four gates' inputs side by side
#     i, f, g, o = the four H-wide blocks of a_t, in THIS order (nnkit, Keras, PyTorch)
#     i, f, o = σ(·);  g = tanh(·);   c_t = f ⊙ c_{t-1} + i ⊙ g;   h_t = o ⊙ tanh(c_t)
#
# The check runs the learner's step over a short sequence with the weights of a real
# ``layers.LSTM`` and compares every h_t and c_t with what the layer itself computes.

from itertools import permutations  # noqa: E402

from nnkit import layers  # noqa: E402
from nnkit.exercises.feedback import as_array, call  # noqa: E402

__all__ += ["check_lstm_step", "run_lstm_steps"]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@register_solution("lstm_step")
def lstm_step(x_t, h_prev, c_prev, W_x, W_h, b):
    """One LSTM step for a batch.  x_t: (N, D), h_prev, c_prev: (N, H), W_x: (D, 4H),
    W_h: (H, 4H), b: (4H,)  →  (h_t, c_t), each (N, H)."""
    H = h_prev.shape[1]
    a = x_t @ W_x + h_prev @ W_h + b                       # (N, 4H): i | f | g | o
    i = _sigmoid(a[:, :H])                                 # input gate
    f = _sigmoid(a[:, H:2 * H])                            # forget gate
    g = np.tanh(a[:, 2 * H:3 * H])                         # candidate value
    o = _sigmoid(a[:, 3 * H:])                             # output gate
    c_t = f * c_prev + i * g                               # the cell keeps f of the old, adds i of g
    h_t = o * np.tanh(c_t)                                 # the output shows o of the squashed cell
    return h_t, c_t


def run_lstm_steps(step, layer, x, what: str = "my_lstm_step") -> tuple[np.ndarray, np.ndarray]:
    """Run ``step`` over x: (N, T, D) with ``layer``'s weights from h = c = 0.
    Returns every h_t and c_t, each (N, T, H)."""
    N, T, _ = x.shape
    H = layer.units
    h, c = np.zeros((N, H)), np.zeros((N, H))
    hs, cs = [], []
    for t in range(T):
        with np.errstate(all="ignore"):
            out = call(step, x[:, t], h, c, layer.W_x, layer.W_h, layer.b,
                       what=f"{what}(x_t, h_prev, c_prev, W_x, W_h, b) at t = {t}")
        if not isinstance(out, tuple) or len(out) != 2:
            raise Hint(f"{what} should return two arrays, (h_t, c_t). Received: "
                       f"{type(out).__name__}.")
        h, c = (as_array(v, what) for v in out)
        if h.shape != (N, H) or c.shape != (N, H):
            raise Hint(f"{what} returned shapes {h.shape} and {c.shape}; h_t and c_t are both "
                       f"(N, H) = {(N, H)}: one row per sample, one column per unit.")
        hs.append(h)
        cs.append(c)
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


def _variant(order="ifgo", g_act=np.tanh, forget=True, h_from="tanh_c", c_prev_is_h=False,
             gates_swapped_in_c=False):
    """A step with one slip: another gate order, σ for g, no forget gate, h without tanh,
    c_t = i ⊙ c_prev + f ⊙ g (f and i swapped in the cell's formula) …"""

    def step(x_t, h_prev, c_prev, W_x, W_h, b):
        H = h_prev.shape[1]
        a = x_t @ W_x + h_prev @ W_h + b
        block = {name: a[:, k * H:(k + 1) * H] for k, name in enumerate(order)}
        i, f, o = _sigmoid(block["i"]), _sigmoid(block["f"]), _sigmoid(block["o"])
        g = g_act(block["g"])
        old = h_prev if c_prev_is_h else c_prev
        if gates_swapped_in_c:
            f, i = i, f
        c_t = (f * old if forget else old) + i * g
        h_t = {"tanh_c": o * np.tanh(c_t), "c": o * c_t, "tanh_c_prev": o * np.tanh(c_prev)}[h_from]
        return h_t, c_t

    return step


def _swapped(*args):
    h_t, c_t = lstm_step(*args)
    return c_t, h_t


def _test_layer(seed: int = 0):
    """A small LSTM (H = 3, D = 2) with random weights and biases, and a 5-step input."""
    rng = np.random.default_rng(seed)
    layer = layers.LSTM(3, input_shape=(5, 2))
    layer.build((5, 2), rng)
    layer.b[...] = rng.normal(0.0, 0.8, size=layer.b.shape)    # every gate away from 0.5
    x = rng.normal(0.0, 1.0, size=(4, 5, 2))
    return layer, x


@checker("lstm_step")
def check_lstm_step(my_lstm_step, layer=None, x=None) -> str:
    """Check ``my_lstm_step(x_t, h_prev, c_prev, W_x, W_h, b)`` → (h_t, c_t) against
    ``layers.LSTM`` on the same weights (a small test LSTM, or ``layer`` on input ``x``)."""
    if layer is None:
        layer, x = _test_layer()
    x = np.asarray(x, dtype=float)
    hs, cs = run_lstm_steps(my_lstm_step, layer, x)
    layer.forward(x)
    want_h, want_c = layer.trace["h"], layer.trace["c"]          # every step: (N, T, H) each
    if np.allclose(hs, want_h, atol=1e-9) and np.allclose(cs, want_c, atol=1e-9):
        return (f"your step gives the same h_t and c_t as layers.LSTM at all {x.shape[1]} steps "
                f"of {x.shape[0]} sequences: a = x W_x + h W_h + b, blocks i, f, g, o; "
                f"c = f⊙c + i⊙g; h = o⊙tanh(c).")
    slips = [
        (_swapped, "you return (c_t, h_t): the order is (h_t, c_t) — the output first, then "
                   "the cell."),
        (_variant(g_act=_sigmoid), "g, the candidate value, goes through tanh (values in -1…1, "
                                   "so the cell can store a negative number); i, f and o use σ."),
        (_variant(forget=False), "the forget gate is missing: c_t = f ⊙ c_{t-1} + i ⊙ g."),
        # same numbers as slicing the blocks f, i, g, o: checked first, since the formula
        # mix-up is the likelier slip when the slicing follows the lesson
        (_variant(gates_swapped_in_c=True),
         "f and i are swapped in the cell: you compute c_t = i ⊙ c_prev + f ⊙ g. The forget "
         "gate keeps part of the OLD cell and the input gate lets in the candidate: "
         "c_t = f ⊙ c_prev + i ⊙ g. (If your formula reads that way already, your slices are "
         "swapped instead: a[:, :H] is i, a[:, H:2H] is f.)"),
        (_variant(h_from="c"), "h_t = o ⊙ tanh(c_t): squash the cell with tanh before the "
                               "output gate scales it."),
        (_variant(h_from="tanh_c_prev"), "h_t uses the NEW cell: compute c_t first, then "
                                         "h_t = o ⊙ tanh(c_t)."),
        (_variant(c_prev_is_h=True), "the forget gate scales the old CELL c_{t-1}, not the old "
                                     "output h_{t-1}: c_t = f ⊙ c_{t-1} + i ⊙ g."),
    ]
    for order in ("".join(p) for p in permutations("ifgo")):
        if order != "ifgo":
            edges = ("", "H", "2H", "3H", "")
            blocks = ", ".join(f"{name} = a[:, {edges[k]}:{edges[k + 1]}]"
                               for k, name in enumerate(order))
            slips.append((_variant(order=order),
                          f"your gate order is {', '.join(order)} ({blocks}). nnkit, Keras and "
                          f"PyTorch store the blocks as i, f, g, o: a[:, :H] is the input "
                          f"gate, a[:, H:2H] forget, a[:, 2H:3H] the candidate g, a[:, 3H:] "
                          f"output."))
    for slip, hint in slips:
        h_s, c_s = run_lstm_steps(slip, layer, x)
        if np.allclose(hs, h_s, atol=1e-9) and np.allclose(cs, c_s, atol=1e-9):
            raise Hint(hint)
    bad_c = ~np.isclose(cs, want_c, atol=1e-9)
    t = int(np.argwhere(bad_c.any(axis=(0, 2)))[0][0]) if bad_c.any() else None
    if t is not None:
        raise Hint(f"your c_t first differs from layers.LSTM at step t = {t}. Check "
                   f"a = x_t @ W_x + h_prev @ W_h + b (rows are samples), the blocks i, f, g, o, "
                   f"and c_t = f ⊙ c_prev + i ⊙ g.")
    raise Hint("your c_t is right but h_t is not: h_t = o ⊙ tanh(c_t), with o = σ(a[:, 3H:]).")
