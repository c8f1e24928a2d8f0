"""Checking data against a model before any training: shapes, dtypes and targets.

Every message names the argument, its shape and what the model expects, e.g. "x has shape
(5, 3): 3 features per sample, but the model expects 4 features".  ``Sequential`` calls these
once per ``fit`` / ``evaluate`` / ``predict`` (``model.prepare`` for a training run).
"""
from __future__ import annotations

import numpy as np

from nnkit import checks

__all__ = ["check_x", "check_y", "check_validation", "output_shape_for", "shape_text",
           "sample_weights"]


def shape_text(shape) -> str:
    """(None, 64): the output shape with the batch axis shown as None, as Keras prints it."""
    return str((None,) + tuple(shape))


def check_x(model, x, name: str = "x", input_shape: tuple | None = None) -> np.ndarray:
    """x as an array of the model's dtype, checked against the model's input shape (or against
    ``input_shape`` while the model is not built). Never builds the model."""
    if not model.layers:
        raise ValueError("The model has no layers yet: add some with model.add(...).")
    axes = ("batch",) + model.layers[0].input_axes      # e.g. (batch, time, features)
    arr = np.asarray(x) if not isinstance(x, np.ndarray) else x
    if getattr(arr, "ndim", len(axes)) != len(axes):
        hint = ""
        want = model.input_shape if model.built else input_shape
        if np.ndim(arr) == len(axes) - 1 and (want is None or all(
                w is None or w == s for w, s in zip(want, np.shape(arr)))):
            hint = (f" One sample? Give it a batch axis: {name}.reshape(1, -1)" if len(axes) == 2
                    else f" One sequence? Give it a batch axis: {name}[None]  (or "
                         f"{name}.reshape(1, *{name}.shape))") + "."
        raise ValueError(f"{type(model.layers[0]).__name__} expects {len(axes)}-D input "
                         f"({', '.join(axes)}), but {name} has shape {np.shape(arr)} "
                         f"({np.ndim(arr)}-D).{hint}")
    if 0 in np.shape(arr)[1:]:
        empty = [a for a, size in zip(axes[1:], np.shape(arr)[1:]) if size == 0][0]
        empty = {"time": "time steps"}.get(empty, empty)
        raise ValueError(f"{name} has shape {np.shape(arr)}: 0 {empty} per sample. Each sample "
                         f"needs at least one ({', '.join(axes)}).")
    x = checks.finite_array(name, x, dtype=model.dtype)
    want = model.input_shape if model.built else input_shape
    if want is not None and any(w is not None and w != s for w, s in zip(want, x.shape[1:])):
        wrong = [axis for axis, w, s in zip(axes[1:], want, x.shape[1:])
                 if w is not None and w != s]
        given = {"time": f"{x.shape[1]} time steps", "features": f"{x.shape[-1]} features"}
        expected = {"time": f"{want[0]} time steps", "features": f"{want[-1]} features"}
        for axis, g, w in zip(axes[1:], x.shape[1:], want):     # images: height, width, channels
            given.setdefault(axis, f"{g} {axis}")
            expected.setdefault(axis, f"{w} {axis}")
        raise ValueError(
            f"{name} has shape {x.shape}: {' and '.join(given[a] for a in wrong)} per sample, "
            f"but the model expects {' and '.join(expected[a] for a in wrong)} (samples of "
            f"shape {want}, the input_shape of its first layer).")
    return x


def check_y(model, y, n: int, name: str = "y", input_shape: tuple | None = None) -> np.ndarray:
    """Targets reshaped to one row per output row: (M, K) or (M,) for sparse labels.

    ``input_shape`` (x's sample shape) is needed only while the model is not built.
    """
    y = checks.finite_array(name, y)
    if len(y) != n:
        raise ValueError(f"x and {name} must have the same number of samples. Received x with "
                         f"{n} and {name} with {len(y)}.")
    out_shape = output_shape_for(model, input_shape)  # a None time axis: x's own length
    lead = tuple(out_shape[:-1])                      # e.g. (T,) for return_sequences
    if y.ndim < 1 + len(lead) or any(w is not None and w != s
                                     for w, s in zip(lead, y.shape[1:])):
        hint = ""
        if lead and y.ndim <= 2:
            sparse = model.loss.name.startswith("sparse")        # class numbers: no last axis
            wanted = (len(y),) + lead + (() if sparse else (out_shape[-1],))
            hint = _lead_axes_hint(model, name, out_shape, wanted)
        raise ValueError(f"{name} has shape {y.shape}, but for x with samples of shape "
                         f"{tuple(input_shape) if input_shape is not None else model.input_shape} "
                         f"the model outputs {shape_text(out_shape)} per batch.{hint}")
    if y.ndim > len(out_shape) + 1:                    # more axes than the output has
        raise ValueError(
            f"{name} has shape {y.shape}, but the model outputs {shape_text(out_shape)} per "
            f"batch: one target of shape {tuple(out_shape)} per sample (or class numbers "
            f"{shape_text(out_shape[:-1])} for sparse_categorical_crossentropy)."
            + (" For one target per time step, give the last recurrent layer "
               "return_sequences=True." if not lead and model.layers[0].input_axes[0] == "time"
               else ""))
    rows = y.reshape((-1,) + y.shape[1 + len(lead):])
    rows = model.loss.check_targets(rows, out_shape[-1])
    return np.asarray(rows, dtype=np.intp if rows.dtype.kind in "iu" else model.dtype)


def _lead_axes_hint(model, name: str, out_shape: tuple, wanted: tuple) -> str:
    """Why the output has more axes than one target per sample, from the layers really present:
    a Dense straight after Conv2D/MaxPooling2D (Flatten forgotten), or return_sequences=True."""
    image_layers = ("Conv2D", "MaxPooling2D")
    for before, layer in zip(model.layers, model.layers[1:]):
        if type(before).__name__ in image_layers and type(layer).__name__ == "Dense":
            return (f" The model's output is {len(out_shape) + 1}-D (N, H, W, C) = "
                    f"{shape_text(out_shape)}: a Dense after a {type(before).__name__} acts on "
                    f"the last axis (the channels) only, once per pixel, so the images are never "
                    f"flattened. Add layers.Flatten() before the Dense "
                    f"({layer.name!r}) for one output per image.")
    if any(getattr(layer, "return_sequences", False) for layer in model.layers):
        return (f" The last recurrent layer has return_sequences=True: one output per time "
                f"step, so {name} needs shape {wanted}. For one target per sequence, use "
                f"return_sequences=False on the last recurrent layer.")
    if any(type(layer).__name__ in image_layers for layer in model.layers):
        return (f" The model's output {shape_text(out_shape)} still has image axes (H, W): add "
                f"layers.Flatten() after the last Conv2D/MaxPooling2D for one output per image.")
    return f" For these samples {name} needs shape {wanted}."


def output_shape_for(model, input_shape: tuple | None) -> tuple:
    """The output shape (no batch axis) for samples of ``input_shape``, built or not.

    A ``None`` time axis (sequences of any length) becomes the samples' own length."""
    if input_shape is None:
        return model.output_shape
    shape = tuple(input_shape)
    for layer in model.layers:
        shape = layer.compute_output_shape(shape)
    return shape


def check_validation(model, x: np.ndarray, validation_data, validation_split: float) -> tuple:
    """``fit``'s validation arguments, checked: (n_val, None, None) for a split of the last
    n_val samples, (0, x_val, y_val) for validation data, or (0, None, None)."""
    if validation_data is not None and validation_split:
        raise ValueError("Give either validation_data or validation_split, not both.")
    if validation_split:
        n_val = int(round(len(x) * validation_split))
        if n_val < 1 or n_val >= len(x):
            raise ValueError(f"validation_split={validation_split} leaves {n_val} of {len(x)} "
                             "samples for validation; it must leave at least one on each side.")
        return n_val, None, None
    if validation_data is None:
        return 0, None, None
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        raise TypeError("validation_data must be a pair (x_val, y_val).")
    xv = check_x(model, validation_data[0], "validation_data[0]", input_shape=x.shape[1:])
    yv = check_y(model, validation_data[1], len(xv), "validation_data[1]", xv.shape[1:])
    return 0, xv, yv


def sample_weights(loss, y: np.ndarray, n: int, units: int, sample_weight=None,
                   class_weight=None) -> np.ndarray | None:
    """``fit``'s sample_weight (N,) and class_weight {class: weight} as one weight per sample.

    y: the checked targets as rows (class numbers, one-hot rows or 0/1 columns); a class is the
    class number, the argmax of a one-hot row, or for one sigmoid output y rounded (0 or 1).
    """
    weights = None
    if sample_weight is not None:
        weights = checks.finite_array("sample_weight", sample_weight, ndim=1)
        if len(weights) != n:
            raise ValueError(f"sample_weight needs one weight per sample, shape ({n},). "
                             f"Received shape {weights.shape}.")
        if weights.min() < 0:
            raise ValueError(f"sample_weight must be ≥ 0; it holds {weights.min():g}.")
        if not weights.any():
            raise ValueError("sample_weight is zero for every sample, so there is nothing to "
                             "learn from: give at least one sample a weight above 0.")
        weights = weights.astype(float)
    if class_weight is None:
        return weights
    if not isinstance(class_weight, dict):
        raise TypeError(f"class_weight must be a dict {{class: weight}}, e.g. {{0: 1.0, 1: 5.0}}."
                        f" Received: {class_weight!r}.")
    if loss.fused_activation is None:
        raise ValueError(f"class_weight is for classification; loss={loss.name!r} has no classes."
                         f" Use sample_weight to weight samples.")
    rows = y if y.ndim == 1 else (y.argmax(axis=1) if y.shape[1] > 1 else (y[:, 0] > 0.5))
    rows = rows.astype(np.intp)
    n_classes = max(units, 2)
    table = np.ones(n_classes)
    for key, value in class_weight.items():
        if not isinstance(key, (int, np.integer)) or not 0 <= key < n_classes:
            raise ValueError(f"class_weight keys are class numbers 0 … {n_classes - 1}. "
                             f"Received key {key!r}.")
        table[key] = checks.non_negative_float(f"class_weight[{key}]", value)
    per_row = table[rows]
    if len(per_row) != n:                 # one per time step: weight a sample by its mean
        per_row = per_row.reshape(n, -1).mean(axis=1)
    return per_row if weights is None else per_row * weights
