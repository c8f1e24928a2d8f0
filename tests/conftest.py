"""Shared set-up for every test: matplotlib draws off-screen, and no test leaves a figure open."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def no_pyplot_figure_left_open():
    yield
    assert plt.get_fignums() == [], "a test left a pyplot figure open"
