"""The Binder environment works: a fresh environment built from ``binder/`` runs every lesson.

repo2docker's Python build, without Docker: a new virtual environment (never
``--system-site-packages``) gets ``pip install -r binder/requirements.txt``, then
``binder/postBuild`` runs with that environment first on ``PATH``, then
``pytest --nbval-lax lessons`` runs in it.  It works on a copy of the repository, so nothing is
written into the working tree.

A second BLAS kernel: on x86-64 the lessons run here with ``OPENBLAS_CORETYPE=Prescott`` (an old,
plain SSE3 kernel every x86-64 CPU can run), while ``make test`` runs them in ``.venv`` with the
default kernel OpenBLAS picks for this CPU.  A checked lesson output must hold on both: it may
state a verdict, a rounded figure or an assertion, never the digits of a chaotic run.  On other
CPUs (e.g. ARM) the variable means something else, so the lessons run with the default kernel.

It takes one to three minutes (installing the pinned wheels, then the lessons); leave it out
with ``-m "not binder"`` while working on something else.
"""
from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.binder

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
# The second kernel (see the module notes); x86-64 only.
# If the machine itself already forces Prescott (some set OPENBLAS_CORETYPE because OpenBLAS misreads
# their CPU; it is never unset here), the second kernel is Nehalem (SSE4.2, also on every x86-64 in use).
X86_64 = platform.machine().lower() in ("x86_64", "amd64")
FORCED = os.environ.get("OPENBLAS_CORETYPE", "").strip().lower()
SECOND_KERNEL = ("Nehalem" if FORCED == "prescott" else "Prescott") if X86_64 else None
BLAS_KERNEL = ("import numpy, threadpoolctl; print(' '.join(sorted({str(i.get('architecture')) "
               "for i in threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas'})))")
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "*.egg-info", "build",
                                    "dist", ".pytest_cache", ".ipynb_checkpoints")


def binder_python() -> str:
    """The interpreter runtime.txt asks for (``python-3.11`` → this one if it is 3.11)."""
    runtime = (BINDER / "runtime.txt").read_text().strip()        # e.g. "python-3.11"
    version = runtime.removeprefix("python-")
    if version == f"{sys.version_info.major}.{sys.version_info.minor}":
        return sys.executable          # `-m venv` run from a venv uses the base interpreter
    found = shutil.which(f"python{version}")
    if found is None:
        pytest.skip(f"binder/runtime.txt asks for {runtime!r}; no python{version} on this machine")
    return found


def run(step: str, args: list, timings: dict, **kwargs) -> subprocess.CompletedProcess:
    """Run one build step and time it; on failure show the end of its output."""
    start = time.perf_counter()
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    timings[step] = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-6000:]
        pytest.fail(f"{step} failed (exit {proc.returncode}): {' '.join(map(str, args))}\n{tail}",
                    pytrace=False)
    return proc


def write_smoke_notebook(folder: Path) -> None:
    """When there are no lessons: one notebook that imports nnkit and trains a Playground."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    cell = nbformat.v4.new_code_cell(
        "import nnkit\n"
        "from nnkit.widgets import Playground\n"
        "pg = Playground(seed=0)\n"
        "pg.train(3)\n"
        "print(pg.epoch)")
    cell.metadata["tags"] = ["nbval-check-output"]
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="3\n")]
    cell.execution_count = 1
    nb.cells = [cell]
    nbformat.write(nb, folder / "smoke.ipynb")


@pytest.fixture
def scratch():
    """Our own temp folder (a concurrent pytest run may prune pytest's tmp_path)."""
    root = Path(tempfile.mkdtemp(prefix="nnkit-binder-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_binder_environment_runs_the_lessons(scratch):
    repo, venv, home = scratch / "repo", scratch / "venv", scratch / "home"
    shutil.copytree(REPO, repo, ignore=NOT_COPIED)
    lessons = sorted(p for p in (repo / "lessons").rglob("*.ipynb")       # lessons/zh/ too
                     if ".ipynb_checkpoints" not in p.parts)
    if not lessons:
        write_smoke_notebook(repo / "lessons")

    env = dict(os.environ, VIRTUAL_ENV=str(venv),
               PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_PROGRESS_BAR="off",
               # Jupyter, IPython and matplotlib settings of their own
               JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), IPYTHONDIR=str(home / "ipython"),
               MPLCONFIGDIR=str(home / "mpl"))
    for name in ("PYTHONPATH", "PYTHONHOME", "JUPYTER_PATH", "PYTHONSTARTUP"):
        env.pop(name, None)                        # nothing of the outer environment leaks in
    python = venv / "bin" / "python"
    timings: dict[str, float] = {}

    run("venv", [binder_python(), "-m", "venv", venv], timings, env=env, timeout=120)
    run("pip install -r binder/requirements.txt",
        [python, "-m", "pip", "install", "--quiet", "--no-compile",
         "-r", repo / "binder" / "requirements.txt"], timings, env=env, timeout=1200)
    run("postBuild", ["bash", repo / "binder" / "postBuild"], timings, env=env, cwd=repo,
        timeout=300)
    run("pip check", [python, "-m", "pip", "check"], timings, env=env, timeout=120)
    where = run("import nnkit", [python, "-c", "import nnkit; print(nnkit.__file__)"], timings,
                env=env, cwd=scratch, timeout=120).stdout.strip()
    assert Path(where).is_relative_to(repo), f"nnkit imported from {where}, not from the copy"

    default_kernel = run("BLAS kernel (this machine's)", [python, "-c", BLAS_KERNEL], timings, env=env,
                         timeout=120).stdout.strip()
    kernel = f"default OpenBLAS kernel ({default_kernel}); not x86-64, so no second kernel"
    if SECOND_KERNEL:
        env["OPENBLAS_CORETYPE"] = SECOND_KERNEL
        forced = run(f"BLAS kernel ({SECOND_KERNEL})", [python, "-c", BLAS_KERNEL], timings, env=env,
                     timeout=120).stdout.strip()
        assert forced and forced != default_kernel, (
            f"OPENBLAS_CORETYPE={SECOND_KERNEL} did not change the OpenBLAS kernel "
            f"({default_kernel!r} → {forced!r}): the lessons would run twice on the same one")
        kernel = (f"OPENBLAS_CORETYPE={SECOND_KERNEL} (OpenBLAS kernel {forced}; "
                  f"`make test`'s own pass uses the default, {default_kernel})")

    proc = run("pytest --nbval-lax lessons",
               [python, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q", "lessons"],
               timings, env=env, cwd=repo, timeout=1200)
    summary = proc.stdout.strip().splitlines()[-1]
    print(f"\n[binder env] {len(lessons) or 'a smoke'} notebook(s), {kernel}: {summary}")
    print("[binder env] " + ", ".join(f"{step} {s:.1f} s" for step, s in timings.items()))
