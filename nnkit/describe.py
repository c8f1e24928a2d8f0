"""How a model describes itself: default layer names and the summary table, as Keras prints them."""
from __future__ import annotations

from nnkit.data_checks import shape_text

__all__ = ["default_name", "summary_text"]


def default_name(layer, taken: set) -> str:
    """dense, dense_1, lstm, …: the class name in snake case, numbered when taken."""
    base = "".join("_" + c.lower() if c.isupper() else c for c in type(layer).__name__).lstrip("_")
    base = {"simple_r_n_n": "simple_rnn", "l_s_t_m": "lstm", "conv2_d": "conv2d",
            "max_pooling2_d": "max_pooling2d"}.get(base, base)
    name, i = base, 0
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    return name


def summary_text(model) -> str:
    """The table ``model.summary()`` prints: layers, output shapes, parameter counts."""
    if not model.built:
        raise ValueError(
            "This model has not yet been built, so it has no shapes or parameters to show. "
            "Build it by giving the first layer its input, e.g. Input(shape=(4,)) first or "
            "Dense(8, input_shape=(4,)), or by calling fit/predict once (as in Keras).")
    lines = [f'Model: "{model.name}"', "", f"{'Layer (type)':<30}{'Output Shape':<22}{'Param #':>10}",
             "=" * 62]
    for layer in model.layers:
        shape = shape_text(layer.output_shape)
        lines.append(f"{layer.name + ' (' + type(layer).__name__ + ')':<30}{shape:<22}"
                     f"{layer.count_params():>10,}")
    lines += ["=" * 62, f"Total params: {model.count_params():,}", ""]
    return "\n".join(lines)
