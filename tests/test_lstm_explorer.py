"""LSTMExplorer and nnkit.plots.lstm_gates, driven without a browser.

The central claim, through the view: after training on the memory task (remember the sign
shown at t = 0 through 18 steps of ±1 distractors), the forget gate of the unit that carries the
sign, as *plotted*, stays above 0.8 through the hold — and that unit's plotted cell state keeps
the sign: one colour for a stored +1, the other for a stored −1.
"""
import numpy as np
import pytest

from nnkit.plots.lstm import (GATES, cell_scale, highlight_lstm_step, lstm_gates,
                              update_lstm_gates)
from nnkit.widgets.lstm_explorer import LSTMExplorer


def fake_trace(N=2, T=5, H=3, seed=0):
    rng = np.random.default_rng(seed)
    trace = {k: rng.uniform(0, 1, (N, T, H)) for k in "ifo"}
    trace.update({k: rng.uniform(-1, 1, (N, T, H)) for k in "gh"})
    trace["c"] = rng.uniform(-3, 3, (N, T, H))
    return trace


# ---- the plot function ---------------------------------------------------------------------------

def test_lstm_gates_draws_units_by_time_for_one_sample():
    trace = fake_trace()
    x = np.arange(2 * 5 * 2, dtype=float).reshape(2, 5, 2)
    art = lstm_gates(trace, sample=1, x=x, step=3, unit=2, feature_names=["a", "b"])
    for key in GATES:                                  # row j = unit j, column t = step t
        np.testing.assert_array_equal(art.images[key].get_array(), trace[key][1].T)
    np.testing.assert_array_equal(art.images["x"].get_array(), x[1].T)
    top = np.abs(trace["c"][1]).max()                   # c's colours: ± max |c| of this sample
    assert top <= art.c_scale < top + 0.1
    assert art.images["c"].norm.vmax == art.c_scale and art.images["f"].norm.vmax == 1.0
    assert art.colorbars["c"].get_ticks()[-1] == art.c_scale
    # the outlines: step 3 in every panel, unit 2 in every gate panel
    assert all(m.get_x() == 2.5 and m.get_visible() for m in art.step_marks)
    assert all(m.get_y() == 1.5 for m in art.unit_marks)
    assert [t.get_text() for t in art.axes["x"].get_yticklabels()] == ["a", "b"]
    assert art._repr_png_()[:4] == b"\x89PNG"


def test_update_and_highlight_change_the_same_artists():
    art = lstm_gates(fake_trace(seed=0), sample=0)
    image = art.images["f"]
    new = fake_trace(seed=1)
    update_lstm_gates(art, new, sample=0, c_scale=8.0)
    assert art.images["f"] is image
    np.testing.assert_array_equal(image.get_array(), new["f"][0].T)
    assert art.images["c"].norm.vmax == 8.0
    highlight_lstm_step(art, None, None)
    assert not any(m.get_visible() for m in art.step_marks + art.unit_marks)
    with pytest.raises(ValueError, match=r"step must lie in 0 … 4"):
        highlight_lstm_step(art, 5, 0)
    with pytest.raises(ValueError, match="keep the drawn shape"):
        update_lstm_gates(art, fake_trace(T=6), 0)


def test_lstm_gates_errors_say_what_is_needed():
    with pytest.raises(TypeError, match="A SimpleRNN's trace has only z and h"):
        lstm_gates({"z": np.zeros((1, 2, 3)), "h": np.zeros((1, 2, 3))})
    with pytest.raises(ValueError, match=r"sample must lie in 0 … 1"):
        lstm_gates(fake_trace(), sample=2)
    with pytest.raises(ValueError, match="x has 4 time steps but the trace has 5"):
        lstm_gates(fake_trace(), x=np.zeros((2, 4, 1)))
    assert cell_scale(np.array([0.3])) == 0.3 and cell_scale(np.array([-5.0, 2.0])) == 5.0
    assert cell_scale(np.array([3.731, -1.0])) == 3.8 and cell_scale(np.zeros(3)) == 1.0


# ---- the explorer ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def trained():
    """The memory task, seeded, trained for 500 Adam steps (about half a second)."""
    ex = LSTMExplorer(task="memory", seed=0)
    ex.train(500)
    yield ex
    ex.close()


def test_after_training_the_plotted_forget_gate_of_the_carrying_unit_holds(trained):
    ex = trained
    assert ex.lab.evaluate()["accuracy"] >= 0.95
    unit = ex.carrying_unit()
    ex.set(unit=unit, step=10)
    assert all(m.get_y() == unit - 0.5 for m in ex.artists.unit_marks)
    hold = ex.lab.hold                                   # t = 1 … 18
    plotted_f, plotted_c = [], []
    for sample in range(8):
        ex.set(sample=sample)
        plotted_f.append(ex.artists.images["f"].get_array()[unit, hold])
        plotted_c.append(ex.artists.images["c"].get_array()[unit, hold])
    plotted_f = np.array(plotted_f)                      # (samples, hold steps)
    assert plotted_f.mean() > 0.8
    assert plotted_f.mean(axis=0).min() > 0.8            # at every step of the hold
    # the shown samples alternate stored +1, −1: the carried c keeps opposite signs all along
    stored = 2.0 * ex.lab.y_shown - 1.0
    signs = np.sign(np.array(plotted_c).mean(axis=1)) * stored
    assert abs(signs.sum()) == 8


def test_the_equations_are_the_plotted_numbers(trained):
    ex = trained
    ex.set(sample=1, step=7, unit=2)
    n = ex.equation_numbers
    trace = ex.trace
    for gate in "ifog":
        assert n[gate]["value"] == pytest.approx(trace[gate][1, 7, 2])
        assert n[gate]["a"] == pytest.approx(n[gate]["x"] + n[gate]["h"] + n[gate]["b"])
    assert n["c_prev"] == pytest.approx(trace["c"][1, 6, 2])
    assert n["c"] == pytest.approx(trace["c"][1, 7, 2])
    assert n["h"] == pytest.approx(trace["h"][1, 7, 2])
    text = ex.equations.value
    assert "step t = 7, unit j = 2" in text
    assert r"c_t &= f_t \odot c_{t-1} + i_t \odot g_t" in text
    assert f"{n['h']:.3g}" in text


def test_frames_train_and_redraw_like_play():
    ex = LSTMExplorer(task="memory", seed=1, steps_per_frame=4)
    png = ex.picture()
    before = ex.artists.images["i"].get_array().copy()
    assert ex.run(3)
    assert ex.steps == 12 and ex.view.frames == 3
    assert not np.array_equal(ex.artists.images["i"].get_array(), before)
    assert ex.picture() != png
    assert ex.status_text().startswith("training step 12 · loss ")
    ex.reset()
    assert ex.steps == 0
    np.testing.assert_allclose(ex.artists.images["i"].get_array(), before)
    ex.close()


def test_a_frame_is_the_gates_as_colour_indices():
    """What the browser draws is the trace of the shown sample: f's cell (unit j, step t) is
    index round(255·f) of the gate table, c's is on the ± c_scale diverging table."""
    ex = LSTMExplorer(task="memory", seed=0, units=3, seq_len=8)
    ex.train(20)
    ex.set(sample=2, step=5, unit=1)
    frame = ex._produce(0, False)
    trace = ex.trace
    f = frame.images[2]                                    # panels: x, i, f, o, g, c, h
    assert f.lut == "gate" and f.values.shape == (3, 8)     # (H, T), unit H−1 on top
    assert f.values[3 - 1 - 1, 5] == round(255 * trace["f"][2, 5, 1])
    c = frame.images[5]
    scale = ex.artists.c_scale
    expected = round(127.5 * (np.clip(trace["c"][2, 5, 1] / scale, -1, 1) + 1))
    assert c.lut == "signed" and abs(int(c.values[1, 5]) - expected) <= 1
    assert frame.text == ex.status_text()
    assert {"panel": 3, "xy": [4.5, -0.5, 5.5, 2.5], "width": 3} in frame.rects   # step 5
    message, buffers = frame.encode()
    assert len(buffers) == 7 and sum(map(len, buffers)) < 200    # compact: no PNG
    assert f"|c| = " in ex.view.layout_info["panels"][5]["title"]
    ex.close()


def test_tasks_and_sizes_rebuild_the_network_and_the_picture():
    ex = LSTMExplorer(task="memory", seed=0)
    ex.widget
    # errors first: they name the setting and change nothing
    with pytest.raises(ValueError, match=r"unit must lie in 0 … 3"):
        ex.set(unit=4)
    with pytest.raises(ValueError, match="Did you mean 'memory'"):
        ex.set(task="memroy")
    with pytest.raises(ValueError, match=r"units must lie in 1 … 12"):
        ex.set(units=40)
    assert (ex.task, ex.units, ex.unit) == ("memory", 4, 0)
    # unit is checked against the new number of units
    ex.set(task="sine", units=6, seq_len=12, unit=5)
    assert ex.unit == 5
    assert ex.artists.images["f"].get_array().shape == (6, 12)
    assert ex.artists.images["x"].get_array().shape == (1, 12)
    assert ex.controls["unit"].max == 5 and ex.controls["step"].max == 11
    ex.controls["step"].value = 3                      # a drag of the slider
    assert ex.step == 3 and all(m.get_x() == 2.5 for m in ex.artists.step_marks)
    ex.train(5)
    assert ex.lab.model.loss.name == "mse"
    ex.close()


def test_divergence_pauses_with_the_playground_words():
    # Adam's steps are about α long, so only an absurd α makes the output overflow
    ex = LSTMExplorer(task="sine", seed=0)
    ex.set(learning_rate=1e300)
    assert not ex.run(5)
    assert ex.steps == 1                                 # the bad step changed nothing
    assert ex.message_level == "error"
    assert ex.message_text == ("The loss became infinite at step 2: the learning rate 1e+300 is "
                               "too high for this network. Training stopped; the weights are those "
                               "before the bad step. Try a lower learning rate, e.g. 0.01.")
    assert not ex.view.is_playing
    ex.close()
