"""Layers: ``Dense``, ``Activation`` and the recurrent ``SimpleRNN`` and ``LSTM``."""
from nnkit.layers.base import Layer
from nnkit.layers.dense import Activation, Dense
from nnkit.layers.recurrent import LSTM, SimpleRNN

__all__ = ["Layer", "Dense", "Activation", "SimpleRNN", "LSTM"]

#: class name → class, for loading saved models
LAYERS = {cls.__name__: cls for cls in (Dense, Activation, SimpleRNN, LSTM)}
