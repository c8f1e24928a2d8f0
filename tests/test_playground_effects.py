"""Each Playground setting declares its effect beside its definition (``nnkit.labs.state``), and
a change does exactly that much: counted here, call by call."""
from collections import Counter

import pytest

from nnkit.labs import state as st
from nnkit.widgets import Playground


@pytest.fixture
def counted(monkeypatch):
    pg = Playground()
    calls = Counter()

    def count(obj, name, label):
        method = getattr(obj, name)

        def wrapper(*args, **kwargs):
            calls[label] += 1
            return method(*args, **kwargs)
        monkeypatch.setattr(obj, name, wrapper)

    for i, group in enumerate(pg.groups):
        count(group, "sync", f"sync {i}")
    count(pg.view, "rebuild", "view rebuild")     # the live view: layout, points, a picture
    count(pg.view, "_send_frame", "frame")        # every picture the browser is sent
    count(pg, "draw", "draw")
    yield pg, calls
    pg.close()


def test_every_setting_declares_its_effect():
    assert st.effect_of({"learning_rate"}) == st.LIVE
    assert st.effect_of({"optimizer"}) == st.OPTIMIZER
    assert st.effect_of({"seed", "learning_rate"}) == st.MODEL        # the strongest wins
    assert st.effect_of({"noise", "seed"}) == st.DATA
    assert st.effect_of({"show_test"}) == st.VIEW and st.effect_of(set()) is None
    every = st.DATA_FIELDS | st.MODEL_FIELDS | st.OPTIMIZER_FIELDS | st.LIVE_FIELDS | \
        st.VIEW_FIELDS
    assert every == set(st.PlaygroundState().to_dict()) | {"own_data"}


def test_a_learning_rate_change_syncs_the_controls_once_and_redraws_nothing(counted):
    pg, calls = counted
    pg.training_controls.learning_rate.value = 0.1            # the learner picks 0.1
    assert pg.state.learning_rate == 0.1 and pg.model.optimizer.learning_rate == 0.1
    assert calls == Counter({"sync 0": 1, "sync 1": 1, "sync 2": 1})   # no picture sent


def test_an_optimizer_change_keeps_the_weights_and_redraws_nothing(counted):
    pg, calls = counted
    weights = pg.model.get_weights()
    pg.set(optimizer="adam")
    assert type(pg.model.optimizer).__name__ == "Adam"
    assert all((a == b).all() for a, b in zip(weights, pg.model.get_weights()))
    assert calls["draw"] == calls["frame"] == calls["view rebuild"] == 0


def test_a_data_change_redraws_every_view_once(counted):
    pg, calls = counted
    pg.data_controls.noise_percent.value = 20
    assert pg.state.noise == 0.2
    assert calls["view rebuild"] == calls["frame"] == 1       # one new layout, one picture
    assert calls["sync 0"] == calls["sync 1"] == calls["sync 2"] == 1


def test_a_refused_value_shows_the_state_again(counted):
    pg, calls = counted
    pg._from_control(batch_size=0)
    assert "batch_size" in pg.status and pg.state.batch_size == 10
    assert calls["draw"] == 0 and calls["sync 0"] == 1
