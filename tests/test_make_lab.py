"""`make lab`, the README's first command, starts JupyterLab on the lessons — as root too.

The test starts ``make lab`` exactly as a learner does (CI runs it as root, where Jupyter refuses
to start without ``--allow-root``), with ``LAB_ARGS`` for a free port, no browser and a known
token; waits until the server answers; checks that the repository root is JupyterLab's root
(README.md and examples/ in the file browser) and that lesson 00 is the page it opens; then stops
the whole process group (make, jupyter, its kernels).  About ten seconds; ``make test-quick``
leaves it out (marker ``server``).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

REPO = Path(__file__).resolve().parents[1]
LESSON_URL = "/lab/tree/lessons/00_start_here.ipynb"
STAMP = REPO / ".venv" / ".installed"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def stop(proc: subprocess.Popen, shutdown_url: str) -> None:
    """Shut the server down as File ▸ Shut Down does (kernels first), so make ends normally;
    if it does not within 30 s, end its whole process group (make, jupyter, kernels)."""
    if proc.poll() is not None:
        return
    try:
        urllib.request.urlopen(urllib.request.Request(shutdown_url, method="POST"), timeout=10)
        proc.wait(timeout=30)
        return
    except (OSError, subprocess.TimeoutExpired):
        pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def make_lab_command(extra: str = "") -> list[str]:
    # -o: never rebuild .venv inside a test (`make test` has just made sure it is up to date)
    return ["make", "--no-print-directory", "-C", str(REPO), "-o", str(STAMP), "lab",
            f"LAB_ARGS={extra}"]


def test_make_lab_passes_allow_root_only_to_root():
    dry = subprocess.run(make_lab_command() + ["-n"], capture_output=True, text=True, check=True)
    command = dry.stdout
    assert "jupyter lab" in command and "lessons/00_start_here.ipynb" in command
    assert ("--allow-root" in command) == (os.getuid() == 0), command
    if os.getuid() == 0 and shutil.which("setpriv"):
        # and, from root, the same Makefile read by an ordinary user (nobody): no --allow-root
        as_user = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                  *make_lab_command(), "-n"], capture_output=True, text=True)
        if as_user.returncode == 0:
            assert "jupyter lab" in as_user.stdout and "--allow-root" not in as_user.stdout


@pytest.fixture
def jupyter_home():
    root = Path(tempfile.mkdtemp(prefix="nnkit-make-lab-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_make_lab_serves_the_repository_and_opens_lesson_00(jupyter_home):
    if not (REPO / ".venv" / "bin" / "jupyter").exists():
        pytest.fail("`make lab` needs .venv: run `make setup` (or `make test`) first")
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTER_RUNTIME_DIR=str(jupyter_home / "runtime"),
               JUPYTER_CONFIG_DIR=str(jupyter_home / "config"),
               JUPYTER_DATA_DIR=str(jupyter_home / "data"),
               IPYTHONDIR=str(jupyter_home / "ipython"))
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --port-retries=0 "
            f"--IdentityProvider.token={token} "
            f"--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate")
    log = open(jupyter_home / "lab.log", "w+")
    proc = subprocess.Popen(make_lab_command(args), stdout=log, stderr=subprocess.STDOUT,
                            env=env, start_new_session=True)     # its own process group
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"`make lab` stopped (exit {proc.returncode}):\n{log.read()[-3000:]}")
            try:
                if get(f"{base}/api/status?token={token}", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("`make lab` did not answer within 120 s")
            time.sleep(0.5)

        status, page = get(f"{base}{LESSON_URL}?token={token}")
        assert status == 200 and b"JupyterLab" in page

        status, body = get(f"{base}/api/contents/README.md?content=0&token={token}")
        assert status == 200, body[:300]
        assert json.loads(body)["path"] == "README.md"              # the repository is the root
        status, body = get(f"{base}/api/contents?content=1&token={token}")
        names = {item["name"] for item in json.loads(body)["content"]}
        assert {"README.md", "examples", "lessons"} <= names, names
        status, body = get(f"{base}/api/contents/lessons/00_start_here.ipynb?content=0"
                           f"&token={token}")
        assert status == 200 and json.loads(body)["type"] == "notebook"

        # The page the browser would open (no browser here: Jupyter still writes it down).
        opened = list((jupyter_home / "runtime").glob("jpserver-file-to-run-*-open.html"))
        assert len(opened) == 1, opened
        href = re.search(r'href="([^"]+)"', opened[0].read_text()).group(1)
        assert href.startswith(f"{base}{LESSON_URL}"), href
    finally:
        stop(proc, f"{base}/api/shutdown?token={token}")
        log.close()
    assert proc.returncode == 0, "make lab should end normally when the server is shut down"
    with pytest.raises(OSError):                                    # stopped: the port is free
        get(f"{base}/api/status", timeout=2)
