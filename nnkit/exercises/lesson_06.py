"""Lesson 06 · An MLP on iris: the forward pass by hand, and counting parameters.

- ``check_mlp_forward(my_forward)``: ``my_forward(x, weights)`` computes the lesson's formula
  ``h_l = f_l(h_{l-1} W_l + b_l)`` for ``weights = model.get_weights() = [W_1, b_1, …, W_L, b_L]``,
  ReLU on the hidden layers and softmax on the last.  x: (N, D) → (N, K) class probabilities.
- ``check_count_params(my_count)``: ``my_count(sizes)`` for layer sizes ``[n_0, n_1, …, n_L]``
  returns the number of weights and biases, what ``model.summary()`` prints as "Total params".
"""
from __future__ import annotations

import numpy as np

from nnkit.i18n import N_, _
from nnkit.exercises.feedback import (Hint, as_whole_number, call, checker, expect_close,
                                      expect_shape, matches, named, register_solution)

__all__ = ["check_mlp_forward", "check_count_params"]


# ---- the reference answers (shown only through solution(name)) -----------------------------------
@register_solution("mlp_forward")
def mlp_forward(x, weights):
    """x: (N, D); weights: [W_1 (D, H_1), b_1 (H_1,), …, W_L (H_{L-1}, K), b_L (K,)] → (N, K)."""
    h = x
    n_layers = len(weights) // 2
    for l in range(n_layers):
        W, b = weights[2 * l], weights[2 * l + 1]
        z = h @ W + b                                   # one row per sample: z = h W + b
        if l < n_layers - 1:
            h = np.maximum(0, z)                        # hidden layers: ReLU
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            h = e / e.sum(axis=1, keepdims=True)        # last layer: softmax over each row
    return h


@register_solution("count_params")
def count_params(sizes):
    """sizes: [n_0, n_1, …, n_L] (inputs, hidden units …, outputs) → number of weights + biases."""
    total = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        total += n_in * n_out + n_out                  # W: (n_in, n_out) and b: (n_out,)
    return total


# ---- mlp_forward ---------------------------------------------------------------------------------
def _weights(sizes, seed):
    rng = np.random.default_rng(seed)
    weights = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        weights += [rng.normal(0, 1, (n_in, n_out)), rng.normal(0, 1, n_out)]
    return weights


def _softmax(z, axis=1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _variants(x, weights):
    """Outputs of the usual mistakes, each with the hint it deserves."""
    L = len(weights) // 2

    def run(hidden, last, bias=True):
        h = x
        for l in range(L):
            z = h @ weights[2 * l] + (weights[2 * l + 1] if bias else 0)
            h = hidden(z) if l < L - 1 else last(z)
        return h

    relu = lambda z: np.maximum(0, z)  # noqa: E731
    return [
        (run(relu, lambda z: z),
         N_("your output is the last layer's z = h W + b itself: apply softmax to it, so that each "
            "row becomes class probabilities that sum to 1.")),
        (run(relu, lambda z: _softmax(relu(z))),
         N_("you applied ReLU to the last layer before softmax. The last layer uses softmax only: "
            "f_L = softmax.")),
        (run(relu, relu),
         N_("the last layer uses ReLU; it should use softmax, so each row is a probability "
            "distribution over the classes.")),
        (run(lambda z: z, _softmax),
         N_("your hidden layers are linear: apply ReLU to each hidden layer's z, h = max(0, z).")),
        (run(relu, _softmax, bias=False),
         N_("the biases b seem to be missing: each layer computes z = h W + b.")),
        (run(relu, lambda z: _softmax(z, axis=0)),
         N_("your softmax normalises each column; it should normalise each row (axis=1), one row "
            "per sample: e = np.exp(z); e / e.sum(axis=1, keepdims=True).")),
    ]


@checker("mlp_forward")
def check_mlp_forward(my_forward) -> str:
    """Check ``my_forward(x, weights)`` on a 4-6-5-3 and a 2-3-2 network with random weights."""
    advice = _("in nnkit each row of x is one sample, so the formula's W h becomes h @ W, with "
               "W of shape (inputs, units); weights alternate W, b, W, b, …")
    for sizes, n, seed in [([4, 6, 5, 3], 5, 0), ([2, 3, 2], 4, 1)]:
        rng = np.random.default_rng(seed + 100)
        x = rng.normal(0, 1, (n, sizes[0]))
        weights = _weights(sizes, seed)
        layers = "-".join(map(str, sizes))
        what = named(my_forward, _("(x, weights) for a {layers} network").format(layers=layers))
        got = call(my_forward, x, weights, what=what, advice=advice)
        expected = mlp_forward(x, weights)
        got = expect_shape(got, expected.shape, what,
                           _("One row per sample (N = {n}) and one column per class "
                             "(K = {k}).").format(n=n, k=sizes[-1]))
        for wrong, hint in _variants(x, weights):
            if matches(got, wrong) and not matches(got, expected):
                raise Hint(_("For the {layers} network, {hint}").format(layers=layers,
                                                                        hint=_(hint)))
        sums = got.sum(axis=1)
        if not np.allclose(sums, 1.0):
            raise Hint(_("for the {layers} network the rows of your output sum to {sums}…; "
                         "softmax rows sum to 1.").format(layers=layers,
                                                          sums=np.round(sums[:3], 3).tolist()))
        expect_close(got, expected, what, rtol=1e-6)
    return _("your forward pass gives the same probabilities as the formula "
             "h_l = f_l(h_{l-1} W_l + b_l) for networks of any depth.")


# ---- count_params --------------------------------------------------------------------------------
@checker("count_params")
def check_count_params(my_count) -> str:
    """Check ``my_count(sizes)`` against the number of weights and biases for a few networks."""
    for sizes in ([2, 3, 1], [4, 64, 64, 3], [64, 32, 10], [3, 5, 5, 5, 2]):
        what = named(my_count, f"({sizes})")
        got = call(my_count, list(sizes), what=what)
        expected = count_params(sizes)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        value = as_whole_number(got, what)
        if value == expected:
            continue
        if value == sum(a * b for a, b in pairs):
            raise Hint(_("{what} returned {got}: the weights W alone. Add the biases: every "
                         "unit of a Dense layer has one bias b, so a layer from n_in to n_out "
                         "has n_in·n_out + n_out parameters.").format(what=what, got=got))
        if value == sum((a + 1) * b for a, b in pairs) + sizes[0]:
            raise Hint(_("{what} returned {got}, {extra} too many: the input layer only holds "
                         "the features, it has no biases of its own.").format(
                what=what, got=got, extra=sizes[0]))
        if value == sum(a * b + a for a, b in pairs):
            raise Hint(_("{what} returned {got}: you added n_in biases per layer. There is "
                         "one bias per unit of the layer, so n_out biases.").format(
                what=what, got=got))
        if value == sum(sizes):
            raise Hint(_("{what} returned {got}, the number of neurons. Count the "
                         "connections: a layer from n_in to n_out has an (n_in, n_out) weight "
                         "matrix W and n_out biases.").format(what=what, got=got))
        raise Hint(_("{what} returned {got}; it should be {expected}. Layer by layer: "
                     "{sum}.").format(what=what, got=got, expected=expected,
                                      sum=" + ".join(f"({a}·{b} + {b})" for a, b in pairs)))
    return _("your count matches model.summary()'s \"Total params\": "
             "Σ_l (n_{l-1}·n_l + n_l), weights plus biases.")
