"""GradientDescentExplorer without a browser: the 2/λ rule on the bowl, and the three regimes.

On the bowl L = θ₁² + θ₂² the gradient is 2θ, so one SGD step is θ ← (1 − 2α) θ: the distance
to the minimum is multiplied by |1 − 2α| each step.  Below α = 1 (= 2/λ with curvature λ = 2) it shrinks
(smoothly for α < 0.5, bouncing across the minimum for 0.5 < α < 1), above it grows.
"""
import numpy as np
import pytest

from nnkit.widgets.descent import GradientDescentExplorer
from nnkit.labs.descent_race import SURFACES, DescentRace


@pytest.fixture(scope="module")
def explorer():
    ex = GradientDescentExplorer(surface="bowl")
    yield ex
    ex.close()


def test_the_bowl_is_two_smooth(explorer):
    assert explorer.smoothness == 2.0


def test_above_two_over_L_sgd_diverges_and_the_widget_says_so(explorer):
    explorer.set(surface="bowl", learning_rate=1.05)       # 2/λ = 1
    explorer.run()
    assert explorer.status["sgd"] == "diverged"
    assert explorer.message_level == "error"
    text = explorer.message_text
    assert "The loss became" in text and "learning rate 1.05 is too high" in text
    assert "2/λ = 1" in text and "e.g. 0.9" in text
    assert "diverged at step" in explorer.artists.titles["sgd"].get_text()
    # the drawn path grows: each step is 1.1× further from the minimum than the one before
    x, y = explorer.artists.paths["sgd"].get_data()
    distances = np.hypot(x, y)
    assert distances[-1] > 1000 * distances[0]
    np.testing.assert_allclose(distances[1:6] / distances[:5], 1.1)


def test_below_two_over_L_sgd_converges(explorer):
    explorer.set(learning_rate=0.9)
    assert explorer.message_text == ""                     # a new race clears the message
    explorer.run()
    assert explorer.status["sgd"] == "converged"
    walk = explorer.race.walks["sgd"]
    assert walk.oscillated                                 # 1 − 2·0.9 = −0.8: it bounces across
    assert "after oscillating" in explorer.artists.titles["sgd"].get_text()
    explorer.set(learning_rate=0.1)                        # 1 − 0.2 = 0.8: straight down
    explorer.run()
    assert explorer.status["sgd"] == "converged" and not explorer.race.walks["sgd"].oscillated


def test_at_the_edge_sgd_keeps_oscillating(explorer):
    explorer.set(learning_rate=0.999)
    explorer.run(20)
    assert explorer.status["sgd"] == "oscillating"


def test_sgd_path_is_nnkits_update_rule(explorer):
    explorer.set(learning_rate=0.3, start1=-2.0, start2=1.0)
    explorer.step()                                        # one frame
    steps = explorer.steps_per_frame
    theta = np.array([-2.0, 1.0])
    expected = [theta]
    for _ in range(steps):
        theta = theta - 0.3 * 2 * theta                    # θ ← θ − α ∇L, ∇L = 2θ
        expected.append(theta)
    np.testing.assert_allclose(explorer.paths["sgd"], expected)
    x, y = explorer.artists.paths["sgd"].get_data()
    assert len(x) == steps + 1                             # the frame drew what it computed


def test_momentum_and_adam_start_together_and_differ(explorer):
    explorer.set(learning_rate=0.05, momentum=0.9, adam_learning_rate=0.2, start1=-2.5, start2=2.0)
    explorer.run(10)
    paths = explorer.paths
    for name in ("sgd", "momentum", "adam"):
        np.testing.assert_allclose(paths[name][0], [-2.5, 2.0])
    # Adam's first step has length α·√2 (each coordinate moves by about α)
    assert np.linalg.norm(paths["adam"][1] - paths["adam"][0]) == pytest.approx(0.2 * 2 ** 0.5,
                                                                                  rel=1e-3)
    assert not np.allclose(paths["momentum"][-1], paths["sgd"][-1])


def test_reset_goes_back_to_the_start(explorer):
    explorer.run(5)
    explorer.restart()
    assert all(len(p) == 1 for p in explorer.paths.values())
    assert len(explorer.artists.paths["sgd"].get_data()[0]) == 1


def test_a_new_surface_brings_its_defaults_and_map(explorer):
    explorer.set(surface="rosenbrock")
    s = SURFACES["rosenbrock"]
    assert (explorer.start1, explorer.start2) == s.start
    assert explorer.learning_rate == s.learning_rate
    assert explorer.artists.images["sgd"].get_extent() == list(s.extent)
    assert explorer.artists.minima[0].get_data()[0][0] == 1.0
    explorer.set(surface="saddle", start1=-2.0)            # start checked against the new map
    assert explorer.start1 == -2.0


def test_every_regime_is_reachable_on_the_ravine():
    """Converge (small α), zig-zag across the ravine (medium α), diverge (α > 2/λ = 0.5)."""
    outcomes = {}
    for lr in (0.1, 0.45, 0.55):
        race = DescentRace("ravine", learning_rate=lr, optimizers_shown=("sgd",))
        race.step(40)
        outcomes[lr] = (race.walks["sgd"].status, race.walks["sgd"].oscillated)
    assert outcomes[0.1] == ("running", False)
    assert outcomes[0.45][1] is True
    race = DescentRace("ravine", learning_rate=0.55, optimizers_shown=("sgd",))
    race.step(400)
    assert race.walks["sgd"].status == "diverged"


def test_errors_name_the_setting(explorer):
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        explorer.set(learning_rate=-0.1)
    with pytest.raises(ValueError, match="Did you mean 'bowl'"):
        explorer.set(surface="bowls")
    with pytest.raises(ValueError, match="momentum must lie in"):
        explorer.set(momentum=1.0)
    with pytest.raises(ValueError, match=r"start2 must lie on the map"):
        explorer.set(surface="bowl", start2=9)


# ---- the live picture: frames for the browser (``PanelView``) ---------------------------------

def test_frames_carry_only_the_new_points_of_each_path():
    ex = GradientDescentExplorer(surface="ravine")
    sent = []
    ex.view.send = lambda message, buffers=None: sent.append((message, buffers or []))
    full = ex._produce(0, True)
    assert set(full.images) == {0, 1, 2}                    # the three maps, once
    bands = full.images[0].values
    assert bands.dtype == np.uint8 and bands.shape == (160, 160)
    assert bands[-1, 80] > bands[80, 80]     # row 0 at the top: the bottom edge is above the valley
    start, path = full.series["sgd"]
    assert start == 0 and path.shape == (1, 2)
    ex.view.play()
    ex.view.loop.tick()                                      # one frame of the clock
    message, buffers = [m for m in sent if m[0].get("type") == "frame"][-1]
    entries = {e["key"]: e for e in message["series"]}
    steps = ex.steps_per_frame
    assert entries["sgd"] == {"key": "sgd", "start": 1, "n": steps}     # only the new points
    k = [e["key"] for e in message["series"]].index("sgd")
    xy = np.frombuffer(buffers[k], np.float32).reshape(-1, 2)           # no images: series only
    np.testing.assert_allclose(xy, ex.paths["sgd"][1:], rtol=1e-6)
    loss = np.frombuffer(buffers[k + 1], np.float32).reshape(-1, 2)     # (step, log10 L − L_min)
    np.testing.assert_allclose(loss[:, 1], np.log10(ex.losses["sgd"][1:]), rtol=1e-5)
    assert message["titles"]["0"] == ex.race.walks["sgd"].describe()
    ex.view.pause()
    assert not ex.view.is_playing
    ex.close()


def test_the_race_pauses_itself_when_every_optimizer_has_stopped():
    ex = GradientDescentExplorer(surface="bowl", learning_rate=1.05)
    ex.view.send = lambda message, buffers=None: None
    ex.view.play()
    for _ in range(400):
        if not ex.view.is_playing:
            break
        ex.view.loop.tick()
        ex.view.loop.ack(ex.view.loop.sent)                 # the browser drew it
    assert not ex.view.is_playing and ex.race.finished
    assert ex.status["sgd"] == "diverged" and "learning rate 1.05 is too high" in ex.message_text
    # the static picture was redrawn on the pause: the figure shows the finished race
    assert "diverged at step" in ex.artists.titles["sgd"].get_text()
    assert ex.picture()[:4] == b"\x89PNG"
    ex.close()


def test_play_after_the_end_runs_a_new_race():
    ex = GradientDescentExplorer(surface="bowl")
    sent = []
    ex.view.send = lambda message, buffers=None: sent.append(message)
    ex.run()
    assert ex.race.finished
    ex.view.play()
    ex.view.loop.tick()
    frame = [m for m in sent if m.get("type") == "frame"][-1]
    assert {e["key"]: e["start"] for e in frame["series"]}["sgd"] == 0   # drawn from the start
    assert ex.steps["sgd"] == ex.steps_per_frame and ex.view.is_playing
    ex.close()
