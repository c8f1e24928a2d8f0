"""How fast the live view (``nnkit.widgets.live``) draws in a real browser — figures, no asserts.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_live_browser.py [--seconds 5]

Headless Chromium (Debian's /usr/bin/chromium) drives JupyterLab, Notebook 7 and Voilà on
loopback with the browser tests' harness (``tests/browser/harness.py``).  For each case it prints:

- pictures shown per second while playing, counted once per display refresh (a refresh in which
  the view's ``data-shown`` readout changed), next to the refresh rate itself;
- the kernel's side: frames produced per second, ticks refused by the full window (the browser
  was behind), the median frame time and the adaptive steps (epochs) per frame;
- click on Play → first new picture (page clock);
- JupyterLab only: a ``1 + 1`` cell run while playing → its output shown (median of 3);
- Chromium's CPU per picture shown (ms; all its processes): on a shared machine this moves
  less with the load than pictures/s does;
- the machine's load average before and after (the machine is shared: read figures with it).
Notebook 7 (``/notebooks/…`` on the JupyterLab server) is measured if the ``notebook`` package
(the test extra) is installed.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

import harness                                          # noqa: E402
from live import NotebookSeven                          # noqa: E402
from test_live_view_browser import CELLS, KERNEL_VIEW, LiveCanvas, write_notebook  # noqa: E402

CASES = {
    "4-2 circle": "PlanarTrainer('circle', hidden_layers=(4, 2), seed=0)",
    "8-8-8 spiral (x₁, x₂)": "PlanarTrainer('spiral', hidden_layers=(8, 8, 8), seed=0)",
    # the Playground itself (one epoch per frame, as TensorFlow Playground)
    "Playground 4-2 circle": "Playground(presenter=True)",
    "Playground 8-8-8 spiral, sin features": (
        "Playground(presenter=True, dataset='spiral', hidden_layers=[8, 8, 8], "
        "features=['x1', 'x2', 'sin(x1)', 'sin(x2)'])"),
}

# A cell's output appears: the time (page clock) of the last Shift+Enter and of the output.
CELL_JS = """cell => {
  const s = window.__cell = {pressed: null, shown: null};
  document.addEventListener('keydown', e => { if (e.key === 'Enter' && e.shiftKey) {
    s.pressed = performance.now(); s.shown = null; } }, true);
  new MutationObserver(() => { if (s.pressed !== null && s.shown === null
      && /\\b2\\b/.test(cell.querySelector('.jp-OutputArea')?.textContent || ''))
    s.shown = performance.now(); }).observe(cell, {subtree: true, childList: true, characterData: true});
}"""


def cells_for(trainer: str, ack_every: int | None) -> list[str]:
    """ack_every None: the view's default."""
    if trainer.startswith("Playground("):
        ack = "" if ack_every is None else f"pg.view.ack_every = {ack_every}\n"
        return [CELLS[0], f"from nnkit.widgets import Playground\npg = {trainer}\n{ack}pg", CELLS[2]]
    ack = "" if ack_every is None else f", ack_every={ack_every}"
    return [CELLS[0], "from nnkit.widgets.live import LiveView, PlanarTrainer\n"
            f"trainer = {trainer}\nview = LiveView(trainer, presenter=True{ack})\n"
            "view", CELLS[2]]


def _descendants(root: int) -> dict[int, str]:
    """pid → command line of every process under ``root`` (read from /proc)."""
    parents, names = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                names[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (OSError, ValueError, IndexError):
                pass
    found, frontier = {}, {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found.keys()
        found.update({pid: names.get(pid, "") for pid in frontier})
    return found


def has_notebook7() -> bool:
    return shutil.which("jupyter-notebook") is not None or (harness.VENV_BIN / "jupyter-notebook").exists()


def cpu_seconds() -> dict[str, float]:
    """CPU seconds (user + system) so far of this script's browser and kernel processes."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {"browser": 0.0, "kernel": 0.0}
    for pid, cmd in _descendants(os.getpid()).items():
        kind = "browser" if "chromium" in cmd else "kernel" if "ipykernel" in cmd else None
        if kind:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                out[kind] += (int(fields[11]) + int(fields[12])) / tick
            except (OSError, ValueError):
                pass
    return out


def kernel_stats(server, path: str) -> dict:
    return server.evaluate(path, f"(lambda v: {{'frames': v.loop.frames, 'stalls': v.loop.stalls, "
                                 f"'ticks': v.loop.ticks, 'sent': v.loop.sent, 'acked': v.loop.acked, 'steps': v.loop.steps, 'epoch': v.producer.epoch, "
                                 f"'median_ms': 1000 * sorted(v.loop.frame_seconds)[len(v.loop.frame_seconds) // 2] "
                                 f"if v.loop.frame_seconds else 0}})({KERNEL_VIEW})")


def measure(view: LiveCanvas, server, path: str, seconds: float) -> dict:
    before = kernel_stats(server, path)
    cpu0 = cpu_seconds()
    t0 = time.perf_counter()
    played = view.play(seconds=seconds)
    wall = time.perf_counter() - t0
    cpu1 = cpu_seconds()
    after = kernel_stats(server, path)
    played["cpu"] = {k: (cpu1[k] - cpu0[k]) / wall for k in cpu0}
    played["browser_cpu_s"] = cpu1["browser"] - cpu0["browser"]
    if os.environ.get("NNKIT_BENCH_DEBUG"):
        print("  kernel before/after:", before, after, flush=True)
    played.update(kernel_frames_per_s=(after["frames"] - before["frames"]) / wall,
                  refused_ticks=after["stalls"] - before["stalls"],
                  ticks=after["ticks"] - before["ticks"], epochs=after["epoch"] - before["epoch"],
                  steps=after["steps"], kernel_frame_ms=after["median_ms"])
    return played


def cell_latency(notebook, repeats: int = 3) -> float:
    cell = notebook.page.locator(".jp-NotebookPanel .jp-CodeCell").nth(2)
    cell.evaluate(f"c => ({CELL_JS})(c)")
    times = []
    for _ in range(repeats):
        notebook.run_cell(2)
        harness.wait_for(lambda: notebook.page.evaluate("window.__cell.shown"), 10,
                         what="1 + 1 answered")
        s = notebook.page.evaluate("({...window.__cell})")
        times.append(s["shown"] - s["pressed"])
        time.sleep(0.3)
    return statistics.median(times)


def cpu_ms_per_picture(r: dict) -> float:
    """Chromium's CPU (all processes) from 1 s before Play to the end, per picture shown."""
    return 1000 * r["browser_cpu_s"] / max(r["pictures"], 1)


def line(name: str, r: dict) -> str:
    text = (f"{name:<42} {r['pictures_per_s']:5.1f} pictures/s shown at {r['refreshes_per_s']:4.0f} "
            f"refreshes/s ({r['shown_per_refresh']:.2f}/refresh; idle page {r['idle_refreshes_per_s']:.0f} "
            f"refreshes/s; draw {r['draw_ms']:.1f} ms); kernel {r['kernel_frames_per_s']:5.1f} "
            f"frames/s, {r['refused_ticks']}/{r['ticks']} ticks refused (window full), frame "
            f"{r['kernel_frame_ms']:.1f} ms, {r['steps']} epoch(s)/frame, +{r['epochs']} epochs; "
            f"Play → first picture {r['first_picture_ms']:.0f} ms")
    text += (f"; CPU while playing: browser {r['cpu']['browser']:.0%}, kernel "
             f"{r['cpu']['kernel']:.0%} of a core; browser {cpu_ms_per_picture(r):.0f} ms CPU "
             f"per picture")
    if "cell_ms" in r:
        text += f"; 1 + 1 while playing {r['cell_ms']:.0f} ms"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--ack-every", type=int, nargs="+", default=[None],
                        help="acknowledge every n-th frame (default: the view's own)")
    parser.add_argument("--only", choices=["lab", "notebook7", "voila"], default=None)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--screenshot", type=Path, default=None,
                        help="save a PNG of the view (4-2 circle, presenter size) after playing")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    root = Path(tempfile.mkdtemp(prefix="nnkit-bench-live-"))
    os.environ["TMPDIR"] = str(root)
    folder = root / "notebooks"
    folder.mkdir()
    load_before = os.getloadavg()
    results: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=harness.CHROMIUM, headless=True,
                                        args=harness.CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1900, "height": 1200})
            if args.only in (None, "lab"):
                lab = harness.JupyterServer.lab(folder, root / "home-lab", root / "lab.log")
                try:
                    for ack in args.ack_every:
                        for i, case in enumerate(args.cases):
                            trainer = CASES[case]
                            name = write_notebook(folder, f"live_{i}_{ack}.ipynb",
                                                  cells_for(trainer, ack))
                            nb = harness.LabNotebook.open(context, lab, name)
                            nb.run_all()
                            nb.wait_until_run(timeout=120)
                            assert not nb.errors(), nb.errors()
                            view = LiveCanvas(nb.page)
                            r = measure(view, lab, name, args.seconds)
                            if i == 0:
                                r["cell_ms"] = cell_latency(nb)
                            view.pause()
                            if i == 0 and args.screenshot:
                                view.root.screenshot(path=str(args.screenshot))
                            results.append(line(f"JupyterLab, {case}, ack every {ack or 'default'}", r))
                            print(results[-1], flush=True)
                            nb.close()
                finally:
                    lab.stop()
            if args.only in (None, "notebook7") and has_notebook7():
                lab = harness.JupyterServer.lab(folder, root / "home-nb7", root / "nb7.log")
                try:
                    for i, case in enumerate(args.cases):
                        name = write_notebook(folder, f"nb7_{i}.ipynb", cells_for(CASES[case], None))
                        nb = NotebookSeven.open(context, lab, name)
                        nb.run_all()
                        nb.wait_until_run(timeout=120)
                        assert not nb.errors(), nb.errors()
                        view = LiveCanvas(nb.page)
                        r = measure(view, lab, name, args.seconds)
                        view.pause()
                        results.append(line(f"Notebook 7, {case}", r))
                        print(results[-1], flush=True)
                        nb.close()
                finally:
                    lab.stop()
            if args.only in (None, "voila"):
                name = write_notebook(folder, "live_voila.ipynb",
                                      cells_for(CASES["Playground 4-2 circle"], None))
                voila = harness.JupyterServer.voila(folder / name, root / "home-voila",
                                                    root / "voila.log")
                try:
                    page = context.new_page()
                    page.set_default_timeout(60_000)
                    page.goto(voila.url("/"), timeout=120_000)
                    view = LiveCanvas(page)
                    cpu0, t0 = cpu_seconds(), time.perf_counter()
                    played = view.play(seconds=args.seconds)
                    wall, cpu1 = time.perf_counter() - t0, cpu_seconds()
                    played["cpu"] = {k: (cpu1[k] - cpu0[k]) / wall for k in cpu0}
                    played["browser_cpu_s"] = cpu1["browser"] - cpu0["browser"]
                    view.pause()
                    played.update(kernel_frames_per_s=float("nan"), refused_ticks="?", ticks="?",
                                  epochs="?", steps="?", kernel_frame_ms=float("nan"))
                    results.append(line("Voilà, Playground 4-2 circle", played))
                    print(results[-1], flush=True)
                    page.close()
                finally:
                    voila.stop()
            if not has_notebook7():
                results.append("Notebook 7: not measured (the notebook package is not installed)")
            browser.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"\nload average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} "
          f"(1 min; {os.cpu_count()} cores)")
    for r in results:
        print(r)


if __name__ == "__main__":
    main()
