"""nnkit: a small NumPy neural-network library for learning how neural networks work.

    from nnkit import layers, models
    model = models.Sequential()
    model.add(layers.Dense(64, input_shape=(4,), activation="relu"))
    model.add(layers.Dense(3, activation="softmax"))
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])

Keras code runs with the import line changed (``import nnkit as keras``: ``keras.Sequential``,
``keras.Input``, ``keras.layers``, ``keras.utils``, ``keras.callbacks`` …); the names nnkit, Keras
and PyTorch give the same things are in ``nnkit.keras_names.NAME_MAP``.  ``nnkit.sklearn`` holds
scikit-learn estimators (the only module that imports scikit-learn).

The numerical core (this package's top-level modules and ``layers``) uses NumPy only; pictures
live in ``nnkit.plots`` and interactive widgets in ``nnkit.widgets``.
"""
from nnkit import activations, callbacks, datasets, gradcheck, initializers, layers, losses, \
    models, optimizers, regularizers, training, utils
from nnkit.saving import load_model
from nnkit.layers import Input
from nnkit.models import Sequential, TrainingDiverged
from nnkit.i18n import set_language, get_language

__version__ = "0.1.0"

__all__ = ["activations", "callbacks", "gradcheck", "initializers", "layers", "losses", "models",
           "optimizers", "regularizers", "datasets", "utils", "Input", "Sequential", "load_model",
           "TrainingDiverged", "set_language", "get_language"]

