"""What the browser tests drive: a Jupyter server on loopback and a notebook in a Chromium page.

    server = JupyterServer.lab(notebook_dir, home, log)     # or JupyterServer.voila(...)
    notebook = LabNotebook.open(context, server, "07_playground.ipynb")   # a Playwright context
    notebook.run_all(); notebook.wait_until_run(); assert not notebook.errors()
    server.evaluate("07_playground.ipynb", "pg.epoch")     # the kernel's view, for checks
    server.stop()

The recipe and the pitfalls it avoids are in ``shared/browser-testing.md``; the numbers in
comments below (pitfall 3, …) refer to its list.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
LESSONS = REPO / "lessons"
CHROMIUM = os.environ.get("NNKIT_CHROMIUM", "/usr/bin/chromium")    # Debian's; never downloaded
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VENV_BIN = Path(sys.executable).parent          # jupyter, voila: beside the python running pytest
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
FIGURES: dict[str, object] = {}          # name → measured value; conftest prints them at the end


def record_figure(name: str, value) -> None:
    """Keep a measured figure for the end-of-run summary (measured, never asserted)."""
    FIGURES[name] = value


# JupyterLab user settings for a test run (file under the settings dir → its JSON).
LAB_SETTINGS = {
    # pitfall 1: the news toast ignores --LabApp.news_url=None
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    # pitfall 2: never write outputs into the notebooks
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # every cell in the DOM, so selectors see all outputs of a long lesson
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def jupyter_home(root: Path) -> dict[str, str]:
    """Environment variables that keep Jupyter, IPython and matplotlib inside ``root``."""
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=f"{root}/config", JUPYTER_DATA_DIR=f"{root}/data",
               JUPYTER_RUNTIME_DIR=f"{root}/runtime", IPYTHONDIR=f"{root}/ipython",
               MPLCONFIGDIR=f"{root}/mpl", JUPYTERLAB_SETTINGS_DIR=f"{root}/lab-settings",
               JUPYTERLAB_WORKSPACES_DIR=f"{root}/lab-workspaces", PYTHONUNBUFFERED="1")
    env.pop("JUPYTER_PATH", None)
    for name, body in LAB_SETTINGS.items():
        path = root / "lab-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body))
    return env


def copy_notebooks(source: Path, target: Path, clear_outputs: bool = True) -> list[Path]:
    """Copy a folder of notebooks (and their data files), outputs cleared so a run shows anew."""
    shutil.copytree(source, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    copied = sorted(target.rglob("*.ipynb"))
    for path in copied if clear_outputs else []:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, path)
    return copied


# ------------------------------------------------------------------------------- the servers
class JupyterServer:
    """A JupyterLab or Voilà process we started, on 127.0.0.1 with a random token."""

    def __init__(self, args: list[str], env: dict, log: Path, token: str, port: int, root: Path):
        self.token, self.port, self.root, self.log = token, port, root, log
        self.base = f"http://127.0.0.1:{port}"
        with open(log, "w") as out:
            self.proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        self._wait_until_up(timeout=60)

    @classmethod
    def lab(cls, notebook_dir: Path, home: Path, log: Path) -> "JupyterServer":
        port, token = free_port(), secrets.token_hex(16)
        args = [str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1",
                f"--port={port}", f"--ServerApp.token={token}", "--ServerApp.port_retries=0",
                f"--ServerApp.root_dir={notebook_dir}", "--allow-root",
                "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        return cls(args, jupyter_home(home), log, token, port, notebook_dir)

    @classmethod
    def voila(cls, notebook: Path, home: Path, log: Path) -> "JupyterServer":
        port, token = free_port(), secrets.token_hex(16)
        args = [str(VENV_BIN / "voila"), str(notebook), "--no-browser", f"--port={port}",
                "--Voila.ip=127.0.0.1", f"--token={token}", "--show_tracebacks=True"]
        return cls(args, jupyter_home(home), log, token, port, notebook.parent)

    def url(self, path: str, **query: str) -> str:
        query = {"token": self.token, **query}
        return f"{self.base}{path}?" + "&".join(f"{k}={v}" if v else k for k, v in query.items())

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; log: {self.log}\n"
                                   + self.log.read_text()[-3000:])
            try:
                urllib.request.urlopen(self.url("/api/status"), timeout=2)
                return
            except urllib.error.HTTPError:
                return                     # it answers (Voilà has no /api/status: 404 is fine)
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout} s; log: {self.log}")

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shut_down_kernel(self, notebook_path: str) -> None:
        """End the session (and kernel) of one notebook, so kernels never pile up."""
        for session in self.api("GET", "/api/sessions"):
            if session.get("path") == notebook_path:
                self.api("DELETE", f"/api/sessions/{session['id']}")

    def stop(self) -> None:
        """Kernels over REST first, then SIGTERM to our own pid (never a broad kill)."""
        if self.proc.poll() is None:
            try:
                for kernel in self.api("GET", "/api/kernels"):
                    self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except Exception:
                pass                       # Voilà has no kernels API; SIGTERM shuts its kernels
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)    # the group of the server we started
                self.proc.wait(timeout=10)

    # ---- the kernel's view, without test hooks in the widgets -----------------------------------
    def execute(self, notebook_path: str, code: str, timeout: float = 30) -> str:
        """Run ``code`` in the kernel of an open notebook; returns its stdout.

        A second client on the kernel's websocket: the kernel runs the request between two
        frames of training, like any click, and the notebook's own outputs are untouched.
        """
        import websocket                   # websocket-client, a dependency of jupyter_server

        session = next(s for s in self.api("GET", "/api/sessions") if s["path"] == notebook_path)
        kernel_id = session["kernel"]["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{self.port}/api/kernels/{kernel_id}/channels?token={self.token}",
            timeout=timeout)
        msg_id = uuid.uuid4().hex
        try:
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                           "session": uuid.uuid4().hex, "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": False}}))
            stdout, deadline = [], time.monotonic() + timeout
            while time.monotonic() < deadline:
                opcode, data = ws.recv_data()
                if opcode != websocket.ABNF.OPCODE_TEXT:
                    continue               # other clients' messages with binary buffers (images)
                msg = json.loads(data)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream" and content.get("name") == "stdout":
                    stdout.append(content["text"])
                elif kind == "error":
                    raise AssertionError("kernel probe failed:\n" + "\n".join(content["traceback"]))
                elif kind == "status" and content["execution_state"] == "idle":
                    return "".join(stdout)
            raise TimeoutError(f"kernel probe did not finish in {timeout} s")
        finally:
            ws.close()

    def evaluate(self, notebook_path: str, expression: str) -> object:
        """The value of a Python expression in the notebook's kernel, through JSON."""
        marker = "@@nnkit-test@@"
        out = self.execute(notebook_path,
                           f"import json as _j; print({marker!r} + _j.dumps({expression}))")
        return json.loads(out.split(marker, 1)[1])


# ------------------------------------------------------------------------------- in the page
class LabNotebook:
    """One notebook in a fresh page and a fresh workspace of JupyterLab (pitfall 6)."""

    def __init__(self, page, server: JupyterServer, path: str):
        self.page, self.server, self.path = page, server, path
        self.console_errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text[:300]))
        self.opened_at = time.perf_counter()
        self._expected: int | None = None              # code cells with code, read once

    @classmethod
    def start(cls, context, server: JupyterServer, path: str) -> "LabNotebook":
        """Begin opening ``path`` in a new page of ``context`` (a Playwright BrowserContext: one
        per session, whose HTTP cache makes every JupyterLab page after the first load fast)."""
        page = context.new_page()
        page.set_default_timeout(30_000)
        notebook = cls(page, server, path)
        workspace = "t" + secrets.token_hex(4)
        page.goto(server.url(f"/lab/workspaces/{workspace}/tree/{path}", reset=""),
                  wait_until="commit")
        return notebook

    @classmethod
    def open(cls, context, server: JupyterServer, path: str, timeout: float = 60) -> "LabNotebook":
        """Open ``path`` and wait until its kernel is idle."""
        notebook = cls.start(context, server, path)
        wait_for(notebook.ready, timeout, what=f"{path}: notebook open with an idle kernel")
        return notebook

    def ready(self) -> bool:
        """Is the notebook shown with its kernel idle?  The status bar's "| Idle" (pitfall 3),
        not the toolbar's; a "Select Kernel" dialog is accepted (pitfall 4)."""
        dialog = self.page.locator(".jp-Dialog .jp-mod-accept")
        if dialog.count():
            dialog.first.click()
        idle = self.page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first
        return self.page.locator(".jp-NotebookPanel .jp-Notebook").count() > 0 and idle.is_visible()

    def wait_idle(self, timeout: float = 60) -> None:
        wait_for(self.ready, timeout, what=f"{self.path}: kernel idle")

    def run_all(self) -> None:
        """Run ▸ Run All Cells (pitfall 5: no default shortcut in JupyterLab 4)."""
        self.page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        self.page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()

    def run_cell(self, index: int) -> None:
        """Run the ``index``-th code cell alone, as a learner does: select it, Shift+Enter."""
        cell = self.page.locator(".jp-NotebookPanel .jp-CodeCell").nth(index)
        cell.locator(".jp-InputPrompt").click()
        self.page.keyboard.press("Shift+Enter")

    def prompts(self) -> list[str]:
        """The execution prompt of every code cell: "[3]:", "[*]:" (running/queued), "[ ]:"."""
        return self.page.locator(".jp-NotebookPanel .jp-CodeCell .jp-InputPrompt").evaluate_all(
            "els => els.map(e => e.textContent.trim())")

    def run_finished(self) -> bool:
        """Has Run All finished (or stopped at an error)?  One look, no waiting."""
        if self._expected is None:
            nb = nbformat.read(self.server.root / self.path, as_version=4)
            self._expected = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
        prompts = self.prompts()
        if any("*" in p for p in prompts):
            return False
        ran = sum(1 for p in prompts if p[1:-2].strip().isdigit())
        return (self.page.locator(".jp-StatusBar-TextItem", has_text="| Idle").first.is_visible()
                and (ran >= self._expected or bool(self.errors())))

    def wait_until_run(self, timeout: float = 180) -> float:
        """Wait until Run All has finished (or stopped at an error); returns the seconds taken."""
        start = time.perf_counter()
        wait_for(self.run_finished, timeout, interval=0.2, what=f"{self.path}: Run All finished")
        return time.perf_counter() - start

    def errors(self) -> list[str]:
        """Error outputs: tracebacks on stderr, error outputs, widgets that failed to display."""
        return self.page.evaluate("""() => {
          const found = [];
          const outputs = document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output');
          for (const o of outputs) {
            const text = o.textContent || '';
            const mime = o.getAttribute('data-mime-type') || '';
            if ((mime === 'application/vnd.jupyter.stderr' && /Traceback/.test(text))
                || o.classList.contains('jp-mod-error') || /Error displaying widget/.test(text))
              found.push(text.slice(0, 1500));
          }
          return found; }""")

    def stderr(self) -> list[str]:
        """Everything on stderr (warnings included), for the report."""
        stderr = "[data-mime-type='application/vnd.jupyter.stderr']"
        return self.page.locator(f".jp-NotebookPanel .jp-OutputArea-output{stderr}"
                                 ).all_text_contents()

    def close(self) -> None:
        self.page.close()
        try:
            self.server.shut_down_kernel(self.path)
        except Exception:
            pass


# ------------------------------------------------------------------------------- waiting
def wait_for(predicate, timeout: float, interval: float = 0.05, what: str = "condition"):
    """Poll ``predicate()`` until truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not met within {timeout} s")
        time.sleep(interval)
