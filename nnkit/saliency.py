"""Saliency maps (course text §6.2, interpretability; lesson 12): which input pixels move a class score.

For an input x and a class c, the saliency map is the gradient of the class score with respect to
the input (Simonyan, Vedaldi & Zisserman, "Deep Inside Convolutional Networks", 2014, §3):

    M = ∂S_c / ∂x          same shape as x

where S_c is the score of class c *before* the softmax (the logit z_c; with any other output
activation, the output h_c itself).  It is one backward pass, started at the output with a one-hot
gradient instead of the loss's: backprop as in training, but stopped at the input instead of at
the weights.  A large |M| says: changing this pixel a little would change the score a lot.
It says nothing about pixels that matter only together, and nothing about *why* (see lesson 12).
"""
from __future__ import annotations

import numpy as np

from nnkit import checks

__all__ = ["input_gradients"]


def input_gradients(model, x, class_index: int) -> np.ndarray:
    """∂S_c/∂x for each sample of x: (N, …) → (N, …), the same shape as x.

    model:       a built ``Sequential`` (compiled or not); its weights are not changed, but the
                 gradient buffers (what ``model.gradients`` returns) are overwritten.
    x:           a batch of inputs, as for ``predict``.
    class_index: c, the output unit whose score is differentiated (0 ≤ c < number of outputs).
    """
    x = model._check_x(x)
    model._build_for(x)
    K = model.output_shape[-1]
    checks.non_negative_int("class_index", class_index)
    if class_index >= K or len(model.output_shape) != 1:
        raise ValueError(f"class_index must be one of the model's {K} outputs, 0 … {K - 1}. "
                         f"Received: class_index={class_index}.")
    first, last = model.layers[0], model.layers[-1]
    keep = first.input_grad
    first.input_grad = True                   # normally skipped: nobody needs dL/dx in training
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            model._forward(x)
        onehot = np.zeros((len(x), K), dtype=model.dtype)
        onehot[:, class_index] = 1.0
        before_softmax = getattr(getattr(last, "activation", None), "name", None) == "softmax"
        if before_softmax and hasattr(last, "backward_from_z"):
            grad = last.backward_from_z(onehot)           # start at the logit z_c
            rest = model.layers[-2::-1]
        else:
            grad, rest = onehot, model.layers[::-1]     # start at the output h_c
        for layer in rest:
            grad = layer.backward(grad)
    finally:
        first.input_grad = keep
    return grad
