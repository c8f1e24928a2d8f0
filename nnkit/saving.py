"""Saving and loading whole models: ``save_model(model, path)`` and ``load_model(path)``.

The file format lives in ``nnkit.io``, which knows no model class; building a ``Sequential``
back from a file happens here, above both — so ``models`` and ``io`` never import each other
in a circle.
"""
from __future__ import annotations

from nnkit import losses, optimizers
from nnkit.io import read_model_file, save_model
from nnkit.layers import LAYERS
from nnkit.models import Sequential

__all__ = ["save_model", "load_model"]


def load_model(path) -> Sequential:
    """Read a model written by ``model.save(path)``; compiled again if it was compiled."""
    config, arrays, not_model = read_model_file(path)
    layers = []
    for spec in config["layers"]:
        if spec["class"] not in LAYERS:
            raise ValueError(not_model + f"Unknown layer class {spec['class']!r}.")
        layer_config = dict(spec["config"])
        if layer_config.get("input_shape") is not None:
            layer_config["input_shape"] = tuple(layer_config["input_shape"])
        layers.append(LAYERS[spec["class"]].from_config(layer_config))
    model = Sequential(layers, seed=config["seed"], dtype=config["dtype"], name=config["name"])
    n_weights = len([k for k in arrays if k.startswith("weight_")])
    model.set_weights([arrays[f"weight_{i}"] for i in range(n_weights)])
    if config["compile"] is not None:
        c = config["compile"]
        model.compile(optimizer=optimizers.from_config(c["optimizer"]),
                      loss=losses.LOSSES[c["loss"]](from_logits=c.get("from_logits", False)),
                      metrics=c["metrics"])
        state = {k[len("optimizer_"):]: v for k, v in arrays.items() if k.startswith("optimizer_")}
        model.optimizer.set_state(state)
    return model
