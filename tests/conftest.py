"""Shared set-up for every test: matplotlib draws off-screen, and no test leaves a figure open."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def no_pyplot_figure_left_open():
    yield
    assert plt.get_fignums() == [], "a test left a pyplot figure open"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the real-browser tests last.

    Playwright's sync API keeps an asyncio loop running in pytest's thread from the first browser
    test to the end of the session, and the live widgets tick on a running loop (in a kernel, the
    kernel's).  The unit tests drive the frame loop by hand and expect no loop: run them first.
    """
    browser = [item for item in items if item.nodeid.startswith("tests/browser/")]
    if browser:
        ids = {id(item) for item in browser}
        items[:] = [item for item in items if id(item) not in ids] + browser
