"""Every widget displays as the live ipywidgets view AND as a PNG of its current state.

A reader without a kernel — GitHub, nbconvert, a lesson opened before it was run — cannot show
``application/vnd.jupyter.widget-view+json``; it shows the ``image/png`` beside it. So each
bundle must carry a PNG that decodes, has the size of a real picture, and changes when the
widget's state changes (a picture taken once and never again would pass a "has a PNG" test).
"""
from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from nnkit.widgets import (ActivationExplorer, ArchitectureExplorer, BackpropStepper,
                           BoundaryComparison, GradientDescentExplorer, LossExplorer,
                           LSTMExplorer, NeuronExplorer, Playground, TextGenerator)
from nnkit.widgets.lesson import with_picture

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def picture(widget) -> np.ndarray:
    """The bundle's image/png, decoded to an (H, W, 3) array (checks the bundle on the way)."""
    bundle = widget._repr_mimebundle_()
    assert WIDGET_VIEW in bundle, "the live view must stay first for JupyterLab"
    assert isinstance(bundle["image/png"], str), "image/png is stored base64-encoded text"
    image = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"], validate=True)))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGB"))


def changed_pixels(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of pixels that differ (pictures of different sizes differ everywhere)."""
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.any(a != b, axis=2)))


def _flowers(seed: int = 0):
    """Iris-like data for the ArchitectureExplorer: (X_train, Y_train, X_test, Y_test)."""
    labels = np.arange(60) % 3
    x = np.random.default_rng(seed).normal(size=(60, 4)) + 2.0 * labels[:, None]
    return x, np.eye(3)[labels], x, np.eye(3)[labels]


def _write(model, start, length, temperature, seed):
    """A stand-in for lesson 09's generate: random letters, one text per seed."""
    return start + "".join(np.random.default_rng(seed).choice(list("abcde "), length))


def _two_classifiers(X, y):
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.tree import DecisionTreeClassifier
    return {"tree": DecisionTreeClassifier(random_state=0).fit(X, y),
            "k-NN": KNeighborsClassifier(5).fit(X, y)}


# (build, change the state the way a lesson does)
WIDGETS = {
    "ArchitectureExplorer": (lambda: ArchitectureExplorer(*_flowers(), epochs=10),
                             lambda w: w.set(hidden_layers=0)),
    "TextGenerator": (lambda: TextGenerator(_write, None, length=400), lambda w: w.set(seed=3)),
    "BoundaryComparison": (lambda: BoundaryComparison(_two_classifiers, n_samples=100,
                                                      resolution=40),
                           lambda w: w.set(dataset="xor")),
    "Playground": (lambda: Playground(dataset="xor", seed=1), lambda w: w.train(30)),
    "LSTMExplorer": (LSTMExplorer, lambda w: w.set(sample=3)),
    "NeuronExplorer": (NeuronExplorer, lambda w: w.set(w1=-2.0, b=1.0)),
    "ActivationExplorer": (ActivationExplorer, lambda w: w.set(activation="relu", z=-3.0)),
    "LossExplorer": (LossExplorer, lambda w: w.set(h=0.9)),
    "GradientDescentExplorer": (GradientDescentExplorer, lambda w: w.run(20)),
    "BackpropStepper": (BackpropStepper, lambda w: (w.next(), w.next())),
}


@pytest.fixture(params=sorted(WIDGETS))
def widget_and_change(request):
    build, change = WIDGETS[request.param]
    widget = build()
    yield widget, change
    widget.close()


def test_every_widget_class_is_covered():
    import nnkit.widgets as w
    shown = {name for name in w.__all__ if hasattr(getattr(w, name), "_repr_mimebundle_")}
    assert shown == set(WIDGETS) | {"Quiz"}      # a quiz's picture is its questions: below


def test_quiz_picture_shows_the_questions_not_the_answers():
    from nnkit.exercises.quizzes.lesson_05 import QUIZ
    from nnkit.widgets import Quiz
    quiz = Quiz(QUIZ)
    before = picture(quiz)
    assert before.shape[0] > 100 and len(np.unique(before.reshape(-1, 3), axis=0)) > 5
    quiz.answer(0, 0)                            # an answer is not shown to a static reader
    assert changed_pixels(before, picture(quiz)) == 0.0


def test_bundle_has_a_png_of_a_real_picture(widget_and_change):
    widget, _ = widget_and_change
    rgb = picture(widget)
    height, width, _ = rgb.shape
    assert 300 <= width <= 2000 and 200 <= height <= 1600, rgb.shape
    # A real picture, not a blank page: several colours, and some ink on the white.
    assert len(np.unique(rgb.reshape(-1, 3), axis=0)) > 20
    assert np.mean(rgb.min(axis=2) < 200) > 0.01


def test_png_shows_the_current_state(widget_and_change):
    widget, change = widget_and_change
    before = picture(widget)
    assert changed_pixels(before, picture(widget)) == 0.0       # same state: same picture
    change(widget)
    after = picture(widget)
    assert changed_pixels(before, after) > 0.001


def test_lesson_widget_png_is_the_figure_the_live_view_shows():
    explorer = NeuronExplorer()
    try:
        explorer.set(w2=1.5)
        bundle = explorer._repr_mimebundle_()
        assert base64.b64decode(bundle["image/png"]) == explorer.view.image.value
    finally:
        explorer.close()


def test_playground_picture_says_the_epoch_and_hides_what_is_hidden():
    full = Playground(dataset="circle", seed=0)
    bare = Playground(dataset="circle", seed=0, hide=["network", "curves"])
    try:
        big, small = picture(full), picture(bare)
        # Without the network picture and the curves, the picture loses a column and a row.
        assert small.shape[1] < big.shape[1] - 200 and small.shape[0] < big.shape[0]
        full.train(5)
        assert changed_pixels(big, picture(full)) > 0.01          # the epoch line, the colours
    finally:
        full.close()
        bare.close()


def test_with_picture_keeps_the_bundle_and_adds_base64_png():
    png = b"\x89PNG fake"
    bundle = with_picture({"text/plain": "Box()"}, png)
    assert bundle == {"text/plain": "Box()", "image/png": base64.b64encode(png).decode()}
    assert with_picture({"text/plain": "x"}, None) == {"text/plain": "x"}
