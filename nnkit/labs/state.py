"""The Playground's settings as one plain object: validated at the door, saved as JSON.

``PlaygroundState`` holds every setting a learner can change — the data, the features, the
network, the training — and nothing else: no widgets, no model.  ``Experiment``
(``experiment.py``) turns a state into data and an nnkit model; the widgets only edit a state.

    state = PlaygroundState()                        # TensorFlow Playground's defaults
    changed = state.set(dataset="xor", learning_rate=0.1)   # all checked before any change
    text = state.to_json()                           # what the Playground's URL holds
    PlaygroundState.from_json(text) == state         # True

``set`` validates *all* the new values before it changes any, so a bad value leaves the state
as it was and the error names the setting, echoes the value and says what is allowed.
"""
from __future__ import annotations

import dataclasses
import json
import numbers
from dataclasses import dataclass, field

import numpy as np

from nnkit import checks
from nnkit.datasets.planar import PLANAR, REGRESSION

__all__ = ["PlaygroundState", "OwnData", "FEATURES", "FEATURE_LABELS", "LEARNING_RATES",
           "REGULARIZATION_RATES", "ACTIVATIONS", "OPTIMIZERS", "REGULARIZATIONS", "HIDEABLE",
           "DATA_FIELDS", "MODEL_FIELDS", "OPTIMIZER_FIELDS", "LIVE_FIELDS", "VIEW_FIELDS",
           "DATA", "MODEL", "OPTIMIZER", "LIVE", "VIEW", "effect_of"]

# ---- the choices, as TensorFlow Playground offers them ------------------------------------------
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1^2": "x₁²", "x2^2": "x₂²", "x1*x2": "x₁x₂",
                  "sin(x1)": "sin x₁", "sin(x2)": "sin x₂"}
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "leaky_relu")
OPTIMIZERS = ("sgd", "momentum", "adam")          # momentum: SGD with μ = 0.9
REGULARIZATIONS = ("none", "l1", "l2")
DATASETS = tuple(PLANAR)                          # circle, xor, gauss, spiral, moons, blobs, ...
OWN = "own"                                       # the dataset name of Playground(data=(X, y))
MAX_LAYERS, MAX_UNITS, MAX_BATCH = 6, 16, 64
MIN_SAMPLES, MAX_SAMPLES = 10, 2000

# Controls a lesson can hide with Playground(hide=[...]): the settings, plus the buttons.
HIDEABLE = ("dataset", "n_classes", "noise", "train_fraction", "n_samples", "regenerate",
            "show_test", "discretize", "features", "hidden_layers", "activation",
            "learning_rate", "optimizer", "batch_size", "regularization", "regularization_rate",
            "new_seed", "step", "reset", "curves", "network", "stats")

# What a change of a setting asks for — each setting declares one beside its definition below
# (Experiment.apply does it; the Playground redraws only for DATA, MODEL and VIEW):
DATA = "data"              # new points and a new model; every picture changes
MODEL = "model"            # new initial weights; every picture changes
OPTIMIZER = "optimizer"    # a fresh optimizer, the same weights; no picture changes
LIVE = "live"              # the running training is told; no picture changes
VIEW = "view"              # only the pictures change
EFFECTS = (DATA, MODEL, OPTIMIZER, LIVE, VIEW)    # the strongest first


def _setting(default, effect: str, **kwargs):
    """A state field whose change asks for ``effect``."""
    return field(default=default, metadata={"effect": effect}, **kwargs)


@dataclass(frozen=True, eq=False)
class OwnData:
    """A learner's own points: X (N, 2) floats; y (N,) class labels 0..K-1 or (N, 1) values.

    ``kind`` is "classification" when y holds integers (or whole numbers 0..5, or one-hot
    rows), else "regression".  Build it with ``OwnData.from_arrays(X, y)``, which checks both.
    """

    X: np.ndarray
    y: np.ndarray
    kind: str
    n_classes: int                   # K for classification, 0 for regression

    @classmethod
    def from_arrays(cls, X, y) -> "OwnData":
        X = checks.finite_array("data[0] (X)", X, ndim=2).astype(np.float64)
        if X.shape[1] != 2:
            raise ValueError(f"data[0] (X) must have 2 columns, the coordinates x1 and x2 of each "
                             f"point. Received shape {X.shape}.")
        if len(X) < MIN_SAMPLES:
            raise ValueError(f"data needs at least {MIN_SAMPLES} points to split into training "
                             f"and test data. Received {len(X)}.")
        y = checks.finite_array("data[1] (y)", y, ndim=(1, 2))
        checks.same_length("data[0] (X)", X, "data[1] (y)", y)
        if y.ndim == 2 and y.shape[1] > 1:                    # one-hot rows → class numbers
            if not np.all((y == 0) | (y == 1)) or not np.all(y.sum(axis=1) == 1):
                raise ValueError(f"data[1] (y) has shape {y.shape}: several columns must be "
                                 "one-hot rows (a single 1 per row). For regression pass one "
                                 "value per point, shape (N,) or (N, 1).")
            y = y.argmax(axis=1)
        y = y.reshape(len(y))
        whole = np.all(y == np.round(y))
        if y.dtype.kind in "biu" or (whole and y.min() >= 0 and y.max() <= 5
                                     and len(np.unique(y)) <= 6):
            labels = y.astype(np.int64)
            k = int(labels.max()) + 1
            if labels.min() < 0 or not 2 <= k <= 6 or len(np.unique(labels)) < 2:
                raise ValueError(f"data[1] (y) must hold class labels 0..K-1 with 2 ≤ K ≤ 6 "
                                 f"(at least two classes present). Received labels "
                                 f"{np.unique(labels)[:8].tolist()}. For regression pass "
                                 f"float values such as y.astype(float) / y.max().")
            return cls(X, labels, "classification", k)
        return cls(X, y.astype(np.float64).reshape(-1, 1), "regression", 0)

    @classmethod
    def from_pair(cls, data) -> "OwnData":
        """``Playground(data=(X, y))``'s pair, checked: X (N, 2), y (N,)."""
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            length = f" of length {len(data)}" if hasattr(data, "__len__") else ""
            raise TypeError(f"data must be a pair (X, y): X of shape (N, 2), y of shape (N,). "
                            f"Received: an object of type {type(data).__name__}{length}.")
        return cls.from_arrays(*data)

    def to_dict(self) -> dict:
        y = self.y.ravel()
        return {"X": self.X.tolist(), "y": y.tolist(), "kind": self.kind}

    @classmethod
    def from_dict(cls, d) -> "OwnData":
        if not isinstance(d, dict) or "X" not in d or "y" not in d:
            raise ValueError("own_data in the JSON must be an object with 'X' and 'y' lists.")
        y = np.asarray(d["y"], dtype=np.int64 if d.get("kind") == "classification" else float)
        return cls.from_arrays(np.asarray(d["X"], dtype=float), y)

    def __eq__(self, other):
        return (isinstance(other, OwnData) and self.kind == other.kind
                and np.array_equal(self.X, other.X) and np.array_equal(self.y, other.y))


@dataclass
class PlaygroundState:
    """Every setting of a Playground; the defaults are TensorFlow Playground's.

    data:     ``dataset`` (circle, xor, gauss, spiral, moons, blobs; plane, multi_gauss for
              regression; "own" for Playground(data=(X, y))), ``n_classes`` (blobs only),
              ``noise`` 0–0.5, ``train_fraction`` 0.1–0.9, ``n_samples``, ``data_seed``.
    network:  ``features`` (from FEATURES), ``hidden_layers`` (0–6 layers of 1–16 units),
              ``activation``, ``seed`` (the initial weights: same seed, same weights).
    training: ``learning_rate`` 0.00001–10, ``optimizer`` sgd/momentum/adam, ``batch_size``
              1–64, ``regularization`` none/l1/l2 and its ``regularization_rate``.
    view:     ``show_test``, ``discretize``, ``hide`` (controls hidden from the learner).
    edits:    the learner's own changes to the training points, in order: ``("add", x1, x2,
              y)`` (a click on the boundary) and ``("remove", x1, x2, radius)``; a new data
              setting starts from fresh points and clears them.
    """

    dataset: str = _setting("circle", DATA)
    n_classes: int = _setting(3, DATA)
    noise: float = _setting(0.0, DATA)
    train_fraction: float = _setting(0.5, DATA)
    n_samples: int = _setting(500, DATA)
    data_seed: int = _setting(0, DATA)
    features: tuple = _setting(("x1", "x2"), MODEL)
    hidden_layers: tuple = _setting((4, 2), MODEL)
    activation: str = _setting("tanh", MODEL)
    seed: int = _setting(0, MODEL)
    learning_rate: float = _setting(0.03, LIVE)
    optimizer: str = _setting("sgd", OPTIMIZER)
    batch_size: int = _setting(10, LIVE)
    regularization: str = _setting("none", LIVE)
    regularization_rate: float = _setting(0.0, LIVE)
    show_test: bool = _setting(False, VIEW)
    discretize: bool = _setting(False, VIEW)
    hide: tuple = _setting((), VIEW)
    own_data: OwnData | None = _setting(None, DATA, repr=False)
    edits: tuple = _setting((), DATA, repr=False)

    def __post_init__(self):
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name, value in self._validated(values).items():
            object.__setattr__(self, name, value)

    # ---- derived facts --------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """"classification" or "regression" — decides the output layer and the loss."""
        if self.dataset == OWN:
            return self.own_data.kind
        return "regression" if self.dataset in REGRESSION else "classification"

    @property
    def classes(self) -> int:
        """K: 2 for the binary sets, n_classes for blobs, 0 for regression."""
        if self.dataset == OWN:
            return self.own_data.n_classes
        if self.kind == "regression":
            return 0
        return self.n_classes if self.dataset == "blobs" else 2

    # ---- changing -------------------------------------------------------------------------------
    def set(self, **changes) -> set[str]:
        """Change settings; returns the names whose value actually changed.

        Every value is checked before any is changed: a bad one raises and changes nothing.
        """
        names = [f.name for f in dataclasses.fields(self)]
        for name in changes:
            checks.one_of("setting", name, names)
        values = {name: getattr(self, name) for name in names} | changes
        values = self._validated(values)
        changed = {name for name in changes if not _same(getattr(self, name), values[name])}
        for name in changed:
            setattr(self, name, values[name])
        return changed

    def copy(self) -> "PlaygroundState":
        return dataclasses.replace(self)

    def to_dict(self) -> dict:
        """Plain JSON-ready values (tuples as lists; own data as lists of numbers)."""
        d = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "own_data":
                if value is not None:
                    d["own_data"] = value.to_dict()
            elif f.name == "edits":
                d["edits"] = [list(edit) for edit in value]
            else:
                d[f.name] = list(value) if isinstance(value, tuple) else value
        return d

    def to_json(self) -> str:
        return json.dumps({"nnkit": "playground", "version": 1, "settings": self.to_dict()},
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "PlaygroundState":
        """The state ``to_json`` wrote (errors say which setting is wrong)."""
        if not isinstance(text, (str, bytes)):
            raise TypeError(f"from_json needs the text pg.to_json() returned. Received an "
                            f"object of type {type(text).__name__}.")
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"from_json needs the text pg.to_json() returned; this is not JSON "
                             f"({err.msg} at character {err.pos}).") from None
        if not isinstance(doc, dict) or doc.get("nnkit") != "playground" or "settings" not in doc:
            raise ValueError("from_json needs the text pg.to_json() returned: a JSON object with "
                             "\"nnkit\": \"playground\" and its \"settings\".")
        if doc.get("version") != 1:
            raise ValueError(f"This Playground reads version 1 of the JSON; the text has "
                             f"version {doc.get('version')!r}. Update nnkit to read it.")
        settings = dict(doc["settings"])
        names = [f.name for f in dataclasses.fields(cls)]
        for name in settings:
            checks.one_of("setting", name, names)
        if settings.get("own_data") is not None:
            settings["own_data"] = OwnData.from_dict(settings["own_data"])
        return cls(**settings)

    # ---- validation -----------------------------------------------------------------------------
    @staticmethod
    def _validated(v: dict) -> dict:
        """All values checked and normalised (tuples, lower-case names, floats); raises if bad."""
        v = dict(v)
        own = v.get("own_data")
        if own is not None and not isinstance(own, OwnData):
            raise TypeError("own_data must be an OwnData; pass your arrays as "
                            "Playground(data=(X, y)).")
        allowed = DATASETS + ((OWN,) if own is not None else ())
        v["dataset"] = checks.one_of("dataset", _lower(v["dataset"]), allowed)
        v["n_classes"] = _int_in("n_classes", v["n_classes"], 2, 6)
        v["noise"] = _float_in("noise", v["noise"], 0.0, 0.5, " (a fraction: 0.3 for 30 %)")
        v["train_fraction"] = _float_in("train_fraction", v["train_fraction"], 0.1, 0.9,
                                        " (0.5: half the points train, half test)")
        v["n_samples"] = _int_in("n_samples", v["n_samples"], MIN_SAMPLES, MAX_SAMPLES)
        v["data_seed"] = checks.non_negative_int("data_seed", v["data_seed"])
        v["seed"] = checks.non_negative_int("seed", v["seed"])
        v["features"] = _features(v["features"])
        v["hidden_layers"] = _hidden_layers(v["hidden_layers"])
        v["activation"] = checks.one_of("activation", _lower(v["activation"]), ACTIVATIONS)
        v["learning_rate"] = _float_in("learning_rate", v["learning_rate"], LEARNING_RATES[0],
                                       LEARNING_RATES[-1], "; typical values are 0.003 to 0.3")
        v["optimizer"] = checks.one_of("optimizer", _lower(v["optimizer"]), OPTIMIZERS)
        v["batch_size"] = _int_in("batch_size", v["batch_size"], 1, MAX_BATCH)
        reg = "none" if v["regularization"] is None else _lower(v["regularization"])
        v["regularization"] = checks.one_of("regularization", reg, REGULARIZATIONS)
        v["regularization_rate"] = _float_in("regularization_rate", v["regularization_rate"],
                                             0.0, REGULARIZATION_RATES[-1], "")
        v["show_test"] = checks.boolean("show_test", v["show_test"])
        v["discretize"] = checks.boolean("discretize", v["discretize"])
        v["hide"] = _names("hide", v["hide"], HIDEABLE)
        v["edits"] = _edits(v["edits"])
        return v


# ---- checks for the kinds of setting ------------------------------------------------------------

def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _same(a, b) -> bool:
    if isinstance(a, OwnData) or isinstance(b, OwnData):
        return a is b or (a is not None and a == b)
    return a == b and type(a) is type(b)


def _fields_with(effect: str) -> frozenset:
    return frozenset(f.name for f in dataclasses.fields(PlaygroundState)
                     if f.metadata["effect"] == effect)


DATA_FIELDS, MODEL_FIELDS = _fields_with(DATA), _fields_with(MODEL)
OPTIMIZER_FIELDS, LIVE_FIELDS, VIEW_FIELDS = (_fields_with(OPTIMIZER), _fields_with(LIVE),
                                              _fields_with(VIEW))
_EFFECT = {f.name: f.metadata["effect"] for f in dataclasses.fields(PlaygroundState)}


def effect_of(changed) -> str | None:
    """The strongest effect the settings in ``changed`` ask for (None when nothing changed)."""
    asked = {_EFFECT[name] for name in changed}
    return next((effect for effect in EFFECTS if effect in asked), None)


def _float_in(name: str, value, low: float, high: float, hint: str) -> float:
    value = checks.real(name, value)             # a finite number (the core's words), then:
    if not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}{hint}. "
                         f"Received: {name}={value!r}.")
    return value


def _int_in(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number from {low} to {high}. Received: "
                        f"{name}={value!r} (type {type(value).__name__}).")
    if not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}. "
                         f"Received: {name}={value}.")
    return int(value)


def _names(name: str, values, allowed) -> tuple:
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name} must be a list of names, e.g. {name}=[{allowed[0]!r}]. "
                        f"Received: {name}={values!r}.")
    picked = {checks.one_of(f"name in {name}", _lower(n), allowed) for n in values}
    return tuple(n for n in allowed if n in picked)      # canonical order: stable JSON


def _edits(values) -> tuple:
    """``[("add", x1, x2, y), ("remove", x1, x2, radius), …]`` → a tuple of checked tuples."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"edits must be a list of point edits, e.g. [('add', 1.0, 2.0, 0)]. "
                        f"Received: edits={values!r}.")
    out = []
    for i, edit in enumerate(values):
        if (isinstance(edit, (str, bytes)) or not hasattr(edit, "__len__") or len(edit) != 4
                or edit[0] not in ("add", "remove")):
            raise ValueError(f"edits[{i}] must be ('add', x1, x2, y) or ('remove', x1, x2, "
                             f"radius). Received: {edit!r}.")
        kind, x1, x2, last = edit
        x1, x2 = checks.real(f"edits[{i}] x1", x1), checks.real(f"edits[{i}] x2", x2)
        if kind == "remove":
            last = checks.non_negative_float(f"edits[{i}] radius", last)
        elif isinstance(last, numbers.Integral) and not isinstance(last, bool):
            last = int(last)                        # a class label
        else:
            last = checks.real(f"edits[{i}] y", last)      # a regression value
        out.append((kind, x1, x2, last))
    return tuple(out)


def _features(values) -> tuple:
    features = _names("features", values, FEATURES)
    if not features:
        raise ValueError("features must name at least one input, e.g. features=['x1', 'x2']. "
                         f"Allowed: {', '.join(repr(f) for f in FEATURES)}.")
    return features


def _hidden_layers(values) -> tuple:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"hidden_layers must be a list of neuron counts, one per hidden layer, "
                        f"e.g. [4, 2]. Received: hidden_layers={values!r}.")
    values = list(values)
    if len(values) > MAX_LAYERS:
        raise ValueError(f"hidden_layers may have at most {MAX_LAYERS} layers. Received "
                         f"{len(values)}: hidden_layers={values}.")
    for i, units in enumerate(values):
        _int_in(f"hidden_layers[{i}]", units, 1, MAX_UNITS)
    return tuple(int(u) for u in values)
