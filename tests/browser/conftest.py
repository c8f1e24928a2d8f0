"""Fixtures for the real-browser tests: JupyterLab on loopback, headless Chromium, screenshots.

Session-wide: one scratch folder (printed at the start), one isolated Jupyter home, one JupyterLab
serving a COPY of ``lessons/`` (outputs cleared), one Chromium.  Per test: ``open_notebook(path)``
opens a notebook in a fresh page; on failure every page the test opened is saved as a PNG and
the path is shown in the report (with NNKIT_BROWSER_SHOTS=1, every page is saved at the end
of its test).  Figures measured by the tests are printed at the end.

Needs Python ``playwright`` and Debian's ``/usr/bin/chromium`` (never ``playwright install``);
without them the suite is skipped, except under CI (``CI`` set), where that is an error.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

import harness

HERE = Path(__file__).parent
PAGES = pytest.StashKey[list]()          # the pages a test opened, for screenshots on failure
SHOTS = pytest.StashKey[Path]()          # where those screenshots go

try:
    from playwright.sync_api import sync_playwright
except ImportError:                      # the reason is reported by `browser`
    sync_playwright = None


def missing_browser() -> str | None:
    if sync_playwright is None:
        return "Python playwright is not installed (pip install -e '.[test]')"
    if not os.access(harness.CHROMIUM, os.X_OK):
        return f"no {harness.CHROMIUM} (apt-get install chromium)"
    return None


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "browser: real-browser test (JupyterLab or Voilà + headless Chromium)")


def pytest_collection_modifyitems(config, items):
    reason = missing_browser()
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
            if reason and not os.environ.get("CI"):
                item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


# ------------------------------------------------------------------------------- session
@pytest.fixture(scope="session")
def scratch(request) -> Path:
    """Everything the suite writes: notebooks copy, Jupyter home, logs, screenshots, browser tmp.

    Its own temp folder (not pytest's tmp_path, which a concurrent pytest run may prune); removed
    at the end unless a test failed (or NNKIT_BROWSER_SHOTS is set), so screenshots and logs stay.
    """
    root = Path(tempfile.mkdtemp(prefix="nnkit-browser-"))
    print(f"\n[browser] scratch folder: {root}")
    yield root
    if request.session.testsfailed or os.environ.get("NNKIT_BROWSER_SHOTS"):
        print(f"\n[browser] kept for a look (screenshots, lab.log): {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def notebook_dir(scratch) -> Path:
    """A copy of lessons/ (outputs cleared), plus scratch notebooks the tests write."""
    target = scratch / "notebooks"
    target.mkdir()
    if harness.LESSONS.is_dir():
        harness.copy_notebooks(harness.LESSONS, target)
    return target


@pytest.fixture(scope="session")
def browser(scratch):
    reason = missing_browser()
    if reason and os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but: {reason}")
    if reason:
        pytest.skip(reason)
    tmp = scratch / "chromium-tmp"          # Playwright keeps its profiles under TMPDIR
    tmp.mkdir()
    saved = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=harness.CHROMIUM, headless=True,
                                        args=harness.CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the session: pages share its HTTP cache, not their workspaces."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


@pytest.fixture(scope="session")
def lab(browser, notebook_dir, scratch):
    """JupyterLab on 127.0.0.1:<free port> with a random token, serving ``notebook_dir``."""
    start = time.perf_counter()
    server = harness.JupyterServer.lab(notebook_dir, scratch / "jupyter-home", scratch / "lab.log")
    harness.record_figure("JupyterLab server start (s)", round(time.perf_counter() - start, 2))
    yield server
    server.stop()


# ------------------------------------------------------------------------------- per test
@pytest.fixture
def open_notebook(request, context, lab):
    """``open_notebook("07_….ipynb")`` → a LabNotebook in a fresh page, kernel idle."""
    opened: list[harness.LabNotebook] = []
    request.node.stash[PAGES] = []

    def opener(path: str, timeout: float = 90) -> harness.LabNotebook:
        notebook = harness.LabNotebook.open(context, lab, path, timeout=timeout)
        opened.append(notebook)
        request.node.stash[PAGES].append(notebook.page)
        return notebook

    yield opener
    for i, notebook in enumerate(opened):
        if os.environ.get("NNKIT_BROWSER_SHOTS") and not notebook.page.is_closed():
            path = request.config.stash[SHOTS] / f"{request.node.name}-{i}-done.png"
            notebook.page.screenshot(path=str(path), full_page=True)
        if notebook.console_errors:
            print(f"[browser] console errors in {notebook.path}:", *notebook.console_errors[:5],
                  sep="\n  ")
        notebook.close()


@pytest.fixture
def new_page(request, context):
    """A bare page (for Voilà), screenshotted on failure like the notebooks."""
    page = context.new_page()
    page.set_default_timeout(30_000)
    request.node.stash.setdefault(PAGES, []).append(page)
    yield page
    if os.environ.get("NNKIT_BROWSER_SHOTS"):
        page.screenshot(path=str(request.config.stash[SHOTS] / f"{request.node.name}-done.png"))
    page.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    shots = item.config.stash.get(SHOTS, None)
    if report.failed and report.when in ("setup", "call") and shots is not None:
        for i, page in enumerate(item.stash.get(PAGES, [])):
            if page.is_closed():
                continue
            path = shots / f"{item.name.replace('/', '_')}-{i}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
                report.sections.append(("screenshot", str(path)))
                print(f"\n[browser] screenshot of the failure: {path}")
            except Exception as err:           # a crashed page cannot be photographed
                report.sections.append(("screenshot", f"failed: {err}"))
    return report


@pytest.fixture(scope="session", autouse=True)
def shots_dir(request, scratch) -> Path:
    """Where screenshots go (set up for every browser test, so a failure can be photographed)."""
    shots = scratch / "screenshots"
    shots.mkdir(exist_ok=True)
    request.config.stash[SHOTS] = shots
    return shots


def pytest_terminal_summary(terminalreporter):
    if not harness.FIGURES:
        return
    terminalreporter.section("nnkit browser figures (measured, not asserted)")
    for name, value in harness.FIGURES.items():
        terminalreporter.write_line(f"{name}: {value}")
    path = os.environ.get("NNKIT_FIGURES_JSON")
    if path:
        Path(path).write_text(json.dumps(harness.FIGURES, indent=1))
