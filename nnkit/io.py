"""The model file: one ``.npz`` with the weights as arrays and the architecture as JSON text.

``save_model`` writes it; ``read_model_file`` reads and checks it (``nnkit.saving.load_model``
builds the model from that).  Reading never unpickles (``allow_pickle=False``), so a model file
cannot run code.  This module knows no model class: models import it, not the other way round.
"""
from __future__ import annotations

import json
import zipfile

import numpy as np



__all__ = ["save_model", "read_model_file", "check_not_keras_file"]

FORMAT = "nnkit-model"
VERSION = 1


def check_not_keras_file(path, who: str = "model.save", parameter: str = "path") -> None:
    """Refuse a Keras file name (``.keras``, ``.h5``, ``.weights.h5``): nnkit writes ``.npz`` only.

    Without it, ``model.save("m.keras")`` would write nnkit's ``.npz`` under a Keras name, and
    Keras (or a learner) would later fail to read it.  ``who`` and ``parameter`` name the caller
    in the message (``ModelCheckpoint``'s ``filepath``, ``model.save``'s ``path``).
    """
    path = str(path)
    if path.endswith((".keras", ".h5")):
        stem = path.rsplit(".", 2 if path.endswith(".weights.h5") else 1)[0]
        raise ValueError(f"{who} writes nnkit's .npz model file, not Keras's "
                         f"{path[len(stem):]!r}. Received: {parameter}={path!r}; use "
                         f"{parameter}={stem + '.npz'!r} (load it with nnkit.models.load_model).")


def save_model(model, path) -> None:
    """Write ``model`` to ``path`` (the name is used as given; ``.npz`` is not appended).

    A Keras name (``.keras``, ``.h5``) is refused: see ``check_not_keras_file``.
    """
    check_not_keras_file(path)
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
                             "from_logits": model.loss.from_logits, "metrics": model.metrics}
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


def read_model_file(path) -> tuple[dict, dict, str]:
    """(config, arrays, not_model) of a model file, its format and version checked.

    ``not_model`` starts every error message about this file.
    """
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
    return config, arrays, not_model
