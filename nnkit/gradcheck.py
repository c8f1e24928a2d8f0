"""Gradient checking: compare backprop's gradients with central finite differences.

For a scalar function f and a small step ε, the numerical derivative along entry i is

    ∂f/∂θ_i ≈ (f(θ + ε e_i) - f(θ - ε e_i)) / (2 ε)

and backprop is right when the relative error |a - n| / max(|a|, |n|) is tiny (≤ 1e-6 in
float64).  For a layer we check the scalar ``f = Σ out ⊙ dout`` with a fixed random ``dout``,
so every output's gradient is exercised at once (as in CS231n's ``eval_numerical_gradient_array``).
"""
from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "relative_error", "check_layer", "check_loss", "check_model"]


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f()`` with respect to array ``x``.

    ``x`` is changed in place entry by entry (and restored), so ``f`` can read it directly.
    """
    grad = np.zeros_like(x, dtype=float)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        plus = f()
        flat[i] = old - eps
        minus = f()
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| / max(|a|, |b|), with a floor of 1e-12 so zeros compare as equal."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(1e-12, np.maximum(np.abs(a), np.abs(b)))))


def check_layer(layer, x: np.ndarray, seed: int = 0, eps: float = 1e-5) -> dict[str, float]:
    """Relative errors of a layer's dx and every d<weight>: ``{"x": …, "W": …, "b": …}``.

    x: a batch, shape (N, …).  A layer not built yet is built here for samples of x's shape
    ``x.shape[1:]``, its weights drawn from ``np.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    x = np.array(x, dtype=np.float64)
    if x.ndim < 2:
        raise ValueError(f"check_layer needs a batch x of shape (N, …), one sample per row. "
                         f"Received x with shape {x.shape}; for one sample use x.reshape(1, -1).")
    if not layer.built:
        layer.build(x.shape[1:], np.random.default_rng(seed), dtype=np.float64)
    layer.input_grad = True                  # we want dx even for a model's first layer
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)

    def f():
        return float(np.sum(layer.forward(x) * dout))

    layer.forward(x)
    analytic = {"x": layer.backward(dout)}
    analytic.update({k: g.copy() for k, g in layer.grads.items()})
    errors = {"x": relative_error(analytic["x"], numerical_gradient(f, x, eps))}
    for name, w in layer.weights.items():
        errors[name] = relative_error(analytic[name], numerical_gradient(f, w, eps))
    return errors


def check_loss(loss, y: np.ndarray, h: np.ndarray, eps: float = 1e-6, logits: bool = False) -> float:
    """Relative error of ``loss(y, h)``'s dh (or ``with_logits``'s dz when ``logits=True``)."""
    h = np.array(h, dtype=np.float64)
    compute = loss.with_logits if logits else loss
    _, analytic = compute(y, h)
    return relative_error(analytic, numerical_gradient(lambda: compute(y, h)[0], h, eps))


def check_model(model, x: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> dict[str, float]:
    """Relative error of a compiled model's gradient for every weight (loss incl. penalties).

    Keys are ``"<layer name>.<weight>"``.  The model's weights are left unchanged.
    """
    _, grads = model.gradients(x, y)          # backprop's answer; no weight changes
    x, y = model.prepare(x, y)

    def f():
        return model.measure(x, y)["loss"]

    errors = {}
    analytic = iter(grads)
    for layer in model.layers:
        for name, w in layer.weights.items():
            errors[f"{layer.name}.{name}"] = relative_error(next(analytic),
                                                            numerical_gradient(f, w, eps))
    return errors
