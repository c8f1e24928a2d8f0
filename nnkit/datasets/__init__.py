"""Data sets for the lessons — all generated or shipped with the package, nothing is downloaded.

- ``tabular``:   ``load_iris``, ``load_digits`` (from scikit-learn's bundled files);
- ``planar``:    the TensorFlow-Playground pictures (``circle``, ``xor``, ``spiral`` …),
                  and ``make_planar`` to build one by name;
- ``sequences``: ``sine``, ``memory``, ``adding`` for recurrent networks;
- ``text``:      ``load_text``, ``char_sequences``, ``encode``, ``decode`` for character models;
- ``labels``:    ``to_categorical`` (integer labels → one-hot rows);
- ``speech``:    ``make_vowels``, five synthetic spoken vowels and their spectrograms.

Every random set takes ``seed``: the same seed gives identical arrays.
"""
from nnkit.datasets.labels import to_categorical
from nnkit.datasets.planar import (
    CLASSIFICATION, CURVES, PLANAR, REGRESSION, blobs, circle, curve, gauss, make_planar, moons,
    multi_gauss, plane, spiral, xor,
)
from nnkit.datasets.sequences import adding, memory, sine
from nnkit.datasets.speech import make_vowels
from nnkit.datasets.tabular import IRIS_CLASSES, IRIS_FEATURES, load_digits, load_iris
from nnkit.datasets.text import char_sequences, decode, encode, load_text

__all__ = [
    "to_categorical",
    "CLASSIFICATION", "PLANAR", "REGRESSION", "blobs", "circle", "gauss", "make_planar", "moons",
    "multi_gauss", "plane", "spiral", "xor", "curve", "CURVES",
    "adding", "memory", "sine",
    "make_vowels",
    "IRIS_CLASSES", "IRIS_FEATURES", "load_digits", "load_iris",
    "char_sequences", "decode", "encode", "load_text",
]
