"""Two small tables shipped with scikit-learn (nothing is downloaded): iris and digits.

Both return the rows in scikit-learn's order (iris is sorted by class!) unless ``shuffle=True``.
Split them with ``sklearn.model_selection.train_test_split`` and scale them with
``sklearn.preprocessing.StandardScaler`` — the lessons show how.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks
from nnkit.datasets.seeding import make_rng

__all__ = ["load_iris", "load_digits", "IRIS_FEATURES", "IRIS_CLASSES"]

IRIS_FEATURES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")
IRIS_CLASSES = ("setosa", "versicolor", "virginica")


def _finish(X, y, shuffle, seed) -> tuple[np.ndarray, np.ndarray]:
    shuffle = checks.boolean("shuffle", shuffle)
    if not shuffle and seed is not None:
        raise ValueError(f"seed={seed!r} only takes effect with shuffle=True. Pass shuffle=True to "
                         f"shuffle the rows reproducibly, or leave seed as None.")
    rng = make_rng(seed) if shuffle else None
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)
    if rng is not None:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    return X, y


def load_iris(shuffle: bool = False, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fisher's iris flowers: 150 flowers, 4 measurements, 3 species (50 each).

    Returns X: (150, 4) float64 in centimetres (columns ``IRIS_FEATURES``) and
    y: (150,) int64 in {0, 1, 2} (``IRIS_CLASSES``).  The rows come sorted by class; pass
    ``shuffle=True`` (and a ``seed`` to repeat it) before taking the last rows for validation.
    """
    from sklearn import datasets  # imported here so `import nnkit` stays fast

    data = datasets.load_iris()
    return _finish(data.data, data.target, shuffle, seed)


def load_digits(shuffle: bool = False, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Handwritten digits, 8×8 pixels: 1797 images of 0–9 (about 180 of each).

    Returns X: (1797, 64) float64, pixel intensities 0–16 row by row (``X[n].reshape(8, 8)`` is the
    image; divide by 16 before training), and y: (1797,) int64 in {0, …, 9}.
    """
    from sklearn import datasets

    data = datasets.load_digits()
    return _finish(data.data, data.target, shuffle, seed)
