"""Saving and loading models: one ``.npz`` file with the weights as arrays and the architecture as
JSON text.  Loading never unpickles (``allow_pickle=False``), so a model file cannot run code.
"""
from __future__ import annotations

import json
import zipfile

import numpy as np

from nnkit import losses, optimizers

__all__ = ["save_model", "load_model"]

FORMAT = "nnkit-model"
VERSION = 1


def save_model(model, path) -> None:
    """Write ``model`` to ``path`` (the name is used as given; ``.npz`` is not appended)."""
    if not model.built:
        raise ValueError("save needs a built model: give the first layer an input_shape, or call "
                         "fit/predict once.")
    config = {
        "format": FORMAT, "version": VERSION, "name": model.name, "seed": model.seed,
        "dtype": model.dtype.name,
        "layers": [{"class": type(l).__name__, "config": l.get_config()} for l in model.layers],
        "compile": None,
    }
    arrays = {f"weight_{i}": w for i, w in enumerate(model.get_weights())}
    if model.loss is not None:
        config["compile"] = {"optimizer": model.optimizer.get_config(), "loss": model.loss.name,
                             "metrics": model.metrics}
        for key, value in model.optimizer.get_state().items():
            arrays[f"optimizer_{key}"] = value
    arrays["config"] = np.array(json.dumps(config))
    with open(path, "wb") as f:
        np.savez(f, **arrays)


def _read(path, not_model: str) -> tuple:
    """The JSON configuration and the arrays of a model file, or a ValueError saying why not."""
    open(path, "rb").close()                 # a missing file raises FileNotFoundError, as usual
    if not zipfile.is_zipfile(path):
        raise ValueError(not_model + "It is not a .npz archive (or it was cut short).")
    try:
        with np.load(path, allow_pickle=False) as data:
            config = json.loads(str(data["config"])) if "config" in data.files else None
            arrays = {k: data[k] for k in data.files if k != "config"}
    except json.JSONDecodeError:
        raise ValueError(not_model + "Its configuration is not JSON.") from None
    except (OSError, EOFError, zipfile.BadZipFile) as err:
        raise ValueError(not_model + f"It is damaged: {str(err)[:80]}") from None
    except ValueError as err:   # object arrays need pickle: refused
        raise ValueError(not_model + f"It holds data that would need pickle to load, which nnkit "
                         f"never does ({err}).") from None
    if config is None:
        raise ValueError(not_model + "It has no nnkit configuration.")
    return config, arrays


def load_model(path):
    """Read a model written by ``model.save(path)``; compiled again if it was compiled."""
    from nnkit.layers import LAYERS
    from nnkit.models import Sequential

    not_model = (f"{path!s} is not an nnkit model file (expected a .npz written by "
                 f"model.save). ")
    config, arrays = _read(path, not_model)
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        found = config.get("format") if isinstance(config, dict) else type(config).__name__
        raise ValueError(not_model + f"Its format is {found!r}.")
    if config.get("version", 0) > VERSION:
        raise ValueError(f"{path!s} was saved by a newer nnkit (format version "
                         f"{config['version']}); upgrade nnkit to load it.")
    missing = [key for key in ("name", "seed", "dtype", "layers", "compile") if key not in config]
    if missing:
        raise ValueError(not_model + f"Its configuration lacks {', '.join(missing)}: the file "
                         "is damaged.")
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
                      loss=losses.get(c["loss"]), metrics=c["metrics"])
        state = {k[len("optimizer_"):]: v for k, v in arrays.items() if k.startswith("optimizer_")}
        model.optimizer.set_state(state)
    return model
