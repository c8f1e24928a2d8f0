"""The live view (``nnkit.widgets.live``) in JupyterLab, clicked like a learner would.

Plays (pictures change at the printed rate, counted per display refresh), Pause stops at once
(no new picture after the click, the kernel stops producing), a click on the boundary adds a
point the kernel trains on, hovering a neuron enlarges it, and scrubbing the timeline back shows
the boundary recorded at that epoch (compared pixel by pixel with the kernel's recording).
``benchmarks/bench_live_browser.py`` uses the helpers here for its figures.
"""
from __future__ import annotations

import json
import time

import nbformat
import pytest

import harness

NOTEBOOK = "_live_view.ipynb"
CELLS = [
    "import os\nos.environ.setdefault('OPENBLAS_NUM_THREADS', '1')",
    "from nnkit.widgets.live import LiveView, PlanarTrainer\n"
    "trainer = PlanarTrainer('circle', hidden_layers=(4, 2), seed=0)\n"
    "view = LiveView(trainer, presenter=True)\n"
    "view",
    "1 + 1",
]

# Counts, at every display refresh, whether the view showed a new picture (its nnkitShown
# count changed): pictures *shown*, not frames received or drawn twice in one refresh.
COUNT_JS = """root => {
  const s = window.__live = {refreshes: 0, changes: [], last: root.nnkitShown, on: true,
                             clicks: [], shownAtClick: []};
  document.addEventListener('click', () => { s.clicks.push(performance.now());
                                             s.shownAtClick.push(root.nnkitShown); }, true);
  const step = () => { if (!s.on) return; s.refreshes++;
    if (root.nnkitShown !== s.last) { s.last = root.nnkitShown; s.changes.push(performance.now()); }
    requestAnimationFrame(step); };
  requestAnimationFrame(step);
}"""

# The colours the boundary canvas shows at the centres of a step×step sample of the grid's cells.
SAMPLE_JS = """([canvas, R, step]) => {
  const [left, top, side] = canvas.dataset.plot.split(',').map(Number);
  const dpr = canvas.width / parseFloat(canvas.style.width);
  const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const out = [];
  for (let i = 0; i < R; i += step) for (let j = 0; j < R; j += step) {
    const x = Math.floor((left + (j + 0.5) * side / R) * dpr), y = Math.floor((top + (i + 0.5) * side / R) * dpr);
    const k = 4 * (y * d.width + x);
    out.push([d.data[k], d.data[k + 1], d.data[k + 2]]);
  }
  return out;
}"""

KERNEL_VIEW = ("__import__('gc') and next(o for o in __import__('gc').get_objects() "
               "if type(o).__name__ == 'LiveView')")


def write_notebook(folder, name: str = NOTEBOOK, cells=CELLS) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = harness.KERNELSPEC
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    nbformat.write(nb, folder / name)
    return name


class LiveCanvas:
    """The live view on a page: its readouts, buttons and canvases."""

    def __init__(self, page, root_selector: str = ".nnkit-live"):
        self.page = page
        self.root = page.locator(root_selector).first
        self.root.wait_for(timeout=60_000)
        self.root.scroll_into_view_if_needed()
        self.play_button = self.root.locator(".nnkit-live-play")
        self.boundary = self.root.locator("canvas.nnkit-live-boundary")
        self.overlay = self.root.locator("canvas.nnkit-live-overlay")
        self.network = self.root.locator("canvas.nnkit-live-network")
        self.slider = self.root.locator("input.nnkit-live-slider")
        harness.wait_for(lambda: self.shown() >= 1, 30, what="the first picture of the live view")
        self.root.evaluate(COUNT_JS)

    def data(self, key: str) -> str | None:
        return self.root.get_attribute(f"data-{key}")

    def shown(self) -> int:
        """Pictures drawn so far (counted with every picture, unlike the data-shown readout)."""
        return int(self.root.evaluate("el => el.nnkitShown || 0"))

    def epoch(self) -> int:
        return int(self.data("epoch") or 0)

    def now(self) -> float:
        return self.page.evaluate("performance.now()")

    def counted(self) -> dict:
        return self.page.evaluate("({...window.__live})")

    def play(self, seconds: float = 3.0) -> dict:
        """Click Play, watch ``seconds``: pictures shown per second and per refresh, Play → first."""
        before = self.counted()
        time.sleep(1.0)                       # the refresh rate with nothing playing
        idle = self.counted()
        idle_rate = (idle["refreshes"] - before["refreshes"]) / 1.0
        before = idle
        self.play_button.click()
        clicked = self.counted()["clicks"][-1]
        harness.wait_for(lambda: any(t > clicked for t in self.counted()["changes"]), 10,
                         what="a new picture after Play")
        time.sleep(seconds)
        after = self.counted()
        changes = [t for t in after["changes"] if t > clicked]
        span = (changes[-1] - changes[0]) / 1000
        refreshes = after["refreshes"] - before["refreshes"]
        elapsed = (self.now() - clicked) / 1000
        return {"pictures_per_s": (len(changes) - 1) / span if span > 0 else 0.0,
                "refreshes_per_s": refreshes / elapsed,
                "shown_per_refresh": len(changes) / max(refreshes, 1),
                "first_picture_ms": changes[0] - clicked, "pictures": len(changes),
                "idle_refreshes_per_s": idle_rate,
                "draw_ms": float(self.root.evaluate("el => el.nnkitDrawMs || 0"))}

    def pause(self, settle: float = 1.0) -> dict:
        assert self.play_button.inner_text().strip() == "Pause"
        self.play_button.click()
        counted = self.counted()
        clicked, shown_at_click = counted["clicks"][-1], counted["shownAtClick"][-1]
        time.sleep(settle)
        after = [t for t in self.counted()["changes"] if t > clicked]
        return {"pictures_after_click": self.shown() - shown_at_click,
                "last_change_after_click_ms": (after[-1] - clicked) if after else 0.0,
                "button": self.play_button.inner_text().strip()}

    def sample(self, R: int = 100, step: int = 5) -> list:
        return self.boundary.evaluate(f"c => ({SAMPLE_JS})([c, {R}, {step}])")

    def plot_point(self, fx: float, fy: float) -> tuple[float, float]:
        """Page coordinates of the point at fractions (fx, fy) of the plot area (from top-left)."""
        left, top, side = (float(v) for v in self.boundary.get_attribute("data-plot").split(","))
        box = self.boundary.bounding_box()
        return box["x"] + left + fx * side, box["y"] + top + fy * side


def colour_distance(a: list, b: list) -> float:
    """Mean absolute difference per channel between two samples of colours."""
    return sum(abs(p - q) for u, v in zip(a, b) for p, q in zip(u, v)) / (3 * len(a))


@pytest.fixture
def live_notebook(open_notebook, notebook_dir):
    notebook = open_notebook(write_notebook(notebook_dir))
    notebook.run_all()
    notebook.wait_until_run(timeout=120)
    assert not notebook.errors(), notebook.errors()
    return notebook


def kernel(notebook, expression: str):
    return notebook.server.evaluate(notebook.path, expression)


def test_live_view_plays_and_pause_stops_at_once(live_notebook):
    view = LiveCanvas(live_notebook.page)
    assert view.data("points") == "100"
    start = view.epoch()
    played = view.play(seconds=3.0)
    assert played["pictures"] > 10, f"Play: hardly any new pictures: {played}"
    assert view.epoch() > start
    paused = view.pause()
    assert paused["pictures_after_click"] == 0, f"Pause: pictures after the click: {paused}"
    assert paused["button"] == "Play"
    frames = kernel(live_notebook, f"({KERNEL_VIEW}).loop.frames")
    time.sleep(0.5)
    assert kernel(live_notebook, f"({KERNEL_VIEW}).loop.frames") == frames, "the kernel went on"
    assert not kernel(live_notebook, f"({KERNEL_VIEW}).loop.playing")
    harness.record_figure("Live view pictures shown per second (JupyterLab, 4-2 circle)",
                          f"{played['pictures_per_s']:.1f} at {played['refreshes_per_s']:.0f} "
                          f"refreshes/s ({played['shown_per_refresh']:.2f} per refresh)")
    harness.record_figure("Live view Play → first picture (ms)", f"{played['first_picture_ms']:.0f}")
    harness.record_figure("Live view Pause: pictures after the click", paused["pictures_after_click"])
    print(f"\n[live view] {json.dumps(played)}\n[live view] {json.dumps(paused)}")


def test_live_view_click_hover_and_timeline(live_notebook):
    page = live_notebook.page
    view = LiveCanvas(page)
    view.play(seconds=1.5)
    view.pause(settle=0.3)
    trained = view.epoch()
    assert trained > 10

    # a click on the boundary adds a point of the chosen class, in the browser and the kernel
    n_points = kernel(live_notebook, "len(trainer.X)")
    view.root.locator(".nnkit-live-class[data-cls='0']").click()
    x, y = view.plot_point(0.5, 0.5)                               # the centre: (0, 0)
    page.mouse.click(x, y)
    harness.wait_for(lambda: view.data("points") == str(n_points + 1), 5, what="the new point drawn")
    harness.wait_for(lambda: kernel(live_notebook, "len(trainer.X)") == n_points + 1, 10,
                     what="the new point in the kernel")
    added = kernel(live_notebook, "[*map(float, trainer.X[-1]), int(trainer.y[-1])]")
    assert abs(added[0]) < 0.2 and abs(added[1]) < 0.2 and added[2] == 0
    # shift-click on it removes it (only it: the nearest point)
    page.keyboard.down("Shift")
    page.mouse.click(x, y)
    page.keyboard.up("Shift")
    harness.wait_for(lambda: kernel(live_notebook, "len(trainer.X)") == n_points, 10,
                     what="the point removed by shift-click")
    assert kernel(live_notebook, "[*map(float, trainer.X[-1])]") != added[:2]

    # hover a hidden neuron: its picture becomes the main picture, the kernel sends it large
    boundary = view.sample()
    box = view.network.bounding_box()
    shown = view.shown()
    centres = json.loads(view.network.get_attribute("data-nodes"))    # inputs first
    page.mouse.move(box["x"] + centres[2][0], box["y"] + centres[2][1])  # layer 1, neuron 1
    harness.wait_for(lambda: view.data("focus") == "2", 5, what="the hovered neuron in focus")
    focus = int(view.data("focus"))
    harness.wait_for(lambda: kernel(live_notebook, "trainer.focus") == focus, 5,
                     what="the kernel told about the hover")
    harness.wait_for(lambda: view.shown() > shown, 5, what="the enlarged neuron drawn")
    enlarged = view.sample()
    assert colour_distance(enlarged, boundary) > 10, "hover did not change the main picture"
    page.mouse.move(box["x"] - 40, box["y"] - 40)
    harness.wait_for(lambda: view.data("focus") == "-1", 5, what="focus back to the boundary")
    time.sleep(0.3)
    assert colour_distance(view.sample(), boundary) < 3

    # scrubbing back shows the boundary recorded at that epoch
    track = view.slider.bounding_box()                     # a click a tenth along the track
    page.mouse.click(track["x"] + 0.1 * track["width"], track["y"] + track["height"] / 2)
    target = int(view.slider.input_value())
    assert 0 < target < trained // 2, f"the timeline went to epoch {target} of {trained}"
    clicked = view.counted()["clicks"][-1]
    harness.wait_for(lambda: view.data("replay") == "1" and view.epoch() == target, 10,
                     what=f"the replay of epoch {target}")
    scrub_ms = next(t for t in view.counted()["changes"] if t > clicked) - clicked
    recorded = kernel(live_notebook, f"trainer.replay({target}).grid[::5, ::5].tolist()")
    lut = kernel(live_notebook, "__import__('nnkit.widgets.live', fromlist=['x'])"
                                ".boundary_lut(2).tolist()")
    expected = [lut[v] for row in recorded for v in row]
    now_grid = kernel(live_notebook, "trainer.produce(0).grid[::5, ::5].tolist()")
    live = [lut[v] for row in now_grid for v in row]
    replayed = view.sample()
    assert colour_distance(replayed, expected) < 4, "the replay is not the recorded boundary"
    assert colour_distance(live, expected) > 4 * max(colour_distance(replayed, expected), 1), \
        "epoch 5 and the latest epoch look alike: the comparison proves nothing"
    harness.record_figure("Live view scrub: click on the timeline → first replayed picture (ms)",
                          f"{scrub_ms:.0f}")
    print(f"\n[live view] trained {trained} epochs; scrub answered within {scrub_ms:.0f} ms")
