"""Layers: ``Dense``, ``Activation``, ``Dropout``, ``Flatten``, the recurrent ``SimpleRNN`` and
``LSTM``, the image layers ``Conv2D`` and ``MaxPooling2D``, and ``Input`` (the shape of one
sample, first in a ``Sequential``)."""
from nnkit.layers.base import Layer
from nnkit.layers.conv import Conv2D, MaxPooling2D
from nnkit.layers.core import Dropout, Flatten, Input
from nnkit.layers.dense import Activation, Dense
from nnkit.layers.recurrent import LSTM, SimpleRNN

__all__ = ["Layer", "Input", "Dense", "Activation", "Dropout", "Flatten", "SimpleRNN", "LSTM",
           "Conv2D", "MaxPooling2D"]

#: class name → class, for loading saved models
LAYERS = {cls.__name__: cls for cls in (Dense, Activation, Dropout, Flatten, SimpleRNN, LSTM,
                                         Conv2D, MaxPooling2D)}
