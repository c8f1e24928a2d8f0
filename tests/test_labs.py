"""The widgets' logic stands without the widgets: ``nnkit.labs`` imports with neither ipywidgets
nor matplotlib installed, and the old ``nnkit.widgets.<module>`` names still reach it."""
import subprocess
import sys
import textwrap


def test_nnkit_labs_imports_without_ipywidgets_or_matplotlib():
    code = textwrap.dedent("""
        import sys

        class Refuse:                       # as if neither package were installed
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("ipywidgets", "matplotlib", "traitlets", "PIL"):
                    raise ModuleNotFoundError(f"No module named {name!r}")
                return None

        sys.meta_path.insert(0, Refuse())
        import nnkit.labs
        from nnkit.labs import DescentRace, Experiment, LSTMTask, PlaygroundState
        exp = Experiment(PlaygroundState(dataset="xor"))
        exp.train(3)
        task = LSTMTask("sine", units=2, seq_len=5)
        task.train(2)
        race = DescentRace("bowl")
        race.step(3)
        from nnkit.labs import (ActivationLab, ArchitectureLab, BoundaryLab, LossLab,
                                NeuronLab, TextLab)
        import numpy as np
        assert NeuronLab(w1=1, w2=0, b=0, x1=0, x2=0).h == 0.5
        assert ActivationLab("relu", -1.0).dead and LossLab(1, 0.5).gradients["crossentropy"] == -0.5
        text = TextLab(lambda model, start, **kw: start + "!" * kw["length"], None, length=3)
        assert text.text == "The Rabbit!!!"
        x = np.random.default_rng(0).normal(size=(20, 4))
        y = np.eye(3)[np.arange(20) % 3]
        arch = ArchitectureLab(x, y, x, y, hidden_layers=1, units=2, epochs=2)
        assert arch.result[0] == 4 * 2 + 2 + 2 * 3 + 3
        loaded = sorted(m for m in sys.modules
                        if m.split(".")[0] in ("ipywidgets", "matplotlib", "traitlets", "PIL"))
        assert not loaded, loaded
        assert exp.epoch == 3 and task.steps == 2
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


# ---- the lesson widgets' labs: the numbers without a widget, and the widgets reading them ------

import numpy as np                                                      # noqa: E402
import pytest                                                           # noqa: E402

from nnkit import activations                                           # noqa: E402
from nnkit.labs import (ActivationLab, ArchitectureLab, BoundaryLab, LossLab,  # noqa: E402
                        NeuronLab, TextLab, train_mlp)
from nnkit.labs.explorers import SATURATION_THRESHOLD                   # noqa: E402


def test_settings_are_all_checked_before_any_changes():
    lab = NeuronLab(w1=1.0, w2=-0.5, b=0.5)
    with pytest.raises(ValueError, match="w2"):
        lab.set(w1=2.0, w2=7.0)                                   # w2 beyond ±3
    assert (lab.w1, lab.w2) == (1.0, -0.5)                        # w1 untouched too
    with pytest.raises(ValueError, match="setting"):
        lab.set(weight=1.0)
    assert lab.set(w1=2.0, x1=0.5, x2=0.0) == {"w1": 2.0, "x1": 0.5, "x2": 0.0}
    assert lab.z == pytest.approx(2.0 * 0.5 + 0.5)
    assert lab.h == pytest.approx(1 / (1 + np.exp(-1.5)))
    assert lab.output(np.array([[0.5, 0.0], [0.0, 1.0]])) == pytest.approx(
        1 / (1 + np.exp(-np.array([1.5, 0.0]))))


def test_activation_lab_reads_the_slope_as_the_plots_shade_it():
    from nnkit.plots.functions import SATURATION_THRESHOLD as shaded
    assert SATURATION_THRESHOLD == shaded
    sigmoid = ActivationLab("sigmoid", 5.0)
    assert sigmoid.peak_slope == pytest.approx(0.25)
    assert sigmoid.slope == pytest.approx(activations.get("sigmoid").derivative(np.array([5.0]))[0])
    assert sigmoid.saturated and not sigmoid.dead and sigmoid.verdict.startswith("saturated")
    relu = ActivationLab("relu", -1.0)
    assert relu.dead and not relu.saturated and relu.verdict.startswith("dead (z < 0")
    assert ActivationLab("tanh", 0.5).verdict.startswith("active")


def test_loss_lab_matches_the_formulas():
    lab = LossLab(y=1, h=0.05)
    assert lab.losses["mse"] == pytest.approx(0.95 ** 2)
    assert lab.losses["crossentropy"] == pytest.approx(-np.log(0.05))
    assert lab.gradients == pytest.approx({"mse": 2 * -0.95 * 0.05 * 0.95, "crossentropy": -0.95})
    with pytest.raises(ValueError, match="y must be the target class"):
        lab.set(y=True)


def small_iris_like(seed: int = 0):
    rng = np.random.default_rng(seed)
    labels = np.arange(60) % 3
    x = rng.normal(size=(60, 4)) + 2.0 * labels[:, None]
    return x, np.eye(3)[labels]


def test_architecture_lab_trains_what_train_mlp_trains():
    x, y = small_iris_like()
    lab = ArchitectureLab(x, y, x, y, hidden_layers=1, units=4, learning_rate=0.03, epochs=20)
    model, history = train_mlp(x, y, 1, 4, "relu", 0.03, 20, 0)
    assert history.history["loss"] == pytest.approx(lab.history.history["loss"])
    assert lab.result == (4 * 4 + 4 + 4 * 3 + 3, round(lab.test_accuracy, 3))
    assert lab.test_accuracy == pytest.approx(model.evaluate(x, y, verbose=0)[1])
    assert lab.sizes == "4-4-3" and lab.test_accuracy > 1 / 3 + 0.2      # it has learned
    before = lab.history
    with pytest.raises(ValueError, match="units"):
        lab.set(units=5)
    assert lab.history is before                                  # a refused value trains nothing
    lab.set(hidden_layers=0)
    assert lab.sizes == "4-3" and lab.result[0] == 4 * 3 + 3


def test_text_lab_asks_the_lessons_generate_with_the_settings():
    asked = []

    def generate(model, start, length, temperature, seed):
        asked.append((model, start, length, temperature, seed))
        return start + "x" * length

    lab = TextLab(generate, "model", length=5, temperature=0.5, seed=0)
    lab.set(temperature=1.5, seed=3)
    assert asked == [("model", "The Rabbit", 5, 0.5, 0), ("model", "The Rabbit", 5, 1.5, 3)]
    assert lab.text == "The Rabbitxxxxx"
    with pytest.raises(ValueError, match="temperature must be between 0.1 and 2.5"):
        lab.set(temperature=3.0)
    assert len(asked) == 2


def test_boundary_lab_scores_and_maps_every_model():
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.tree import DecisionTreeClassifier

    def fit(X, y):
        return {"tree": DecisionTreeClassifier(random_state=0).fit(X, y),
                "k-NN": KNeighborsClassifier(5).fit(X, y)}

    lab = BoundaryLab(fit, "moons", 0.1, n_samples=200, resolution=30)
    X_train, y_train, X_test, y_test = lab.split
    assert len(X_train) == len(X_test) == 100
    assert set(lab.maps) == {"tree", "k-NN"} and lab.maps["tree"].shape == (30, 30)
    assert lab.accuracies["k-NN"] == round(fit(X_train, y_train)["k-NN"].score(X_test, y_test), 2)
    assert lab.accuracies["k-NN"] > 0.9
    assert lab.compare("moons", 0.1) == lab.accuracies            # the same data, the same numbers
    with pytest.raises(ValueError, match="noise must be one of"):
        lab.set(noise=0.15)


def test_the_lesson_widgets_show_their_labs_numbers():
    from nnkit.widgets import (ActivationExplorer, ArchitectureExplorer, BoundaryComparison,
                               TextGenerator)
    explorer = ActivationExplorer("relu", -1.0)
    assert isinstance(explorer.lab, ActivationLab) and explorer.dead
    explorer.set(activation="sigmoid", z=5.0)
    assert (explorer.lab.activation, explorer.lab.z) == ("sigmoid", 5.0)
    assert explorer.slope == explorer.lab.slope and "slope" in dir(explorer)
    with pytest.raises(ValueError, match="z"):
        explorer.set(z=10.0)
    assert explorer.z == 5.0
    x, y = small_iris_like()
    arch = ArchitectureExplorer(x, y, x, y, hidden_layers=0, epochs=5)
    assert arch.result == arch.lab.result and "ArchitectureExplorer(hidden_layers=0" in repr(arch)
    sampler = TextGenerator(lambda model, start, **kw: start[::-1], None)
    sampler.set(start="abc")
    assert sampler.text == "cba" and "cba" in sampler.output.value
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        sampler.nothing
    assert BoundaryComparison.SETTINGS == BoundaryLab.SETTINGS
