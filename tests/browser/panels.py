"""A ``PanelView`` (``nnkit.widgets.live.panels``) on a page: Play, Pause, pictures counted per
display refresh, and the colour of a point of a panel, read back from the canvas.

Used by the browser tests of the gradient-descent race, the LSTM explorer and the bare clock.
"""
from __future__ import annotations

import time

import harness

# Counts, at every display refresh, whether the view showed a new picture (its nnkitShown count
# changed): pictures *shown*, not frames received.  Clicks are recorded with the count then.
COUNT_JS = """root => {
  const s = window.__panels = {refreshes: 0, changes: [], last: root.nnkitShown, on: true,
                               clicks: [], shownAtClick: []};
  document.addEventListener('click', () => { s.clicks.push(performance.now());
                                             s.shownAtClick.push(root.nnkitShown); }, true);
  const step = () => { if (!s.on) return; s.refreshes++;
    if (root.nnkitShown !== s.last) { s.last = root.nnkitShown; s.changes.push(performance.now()); }
    requestAnimationFrame(step); };
  requestAnimationFrame(step);
}"""

# The colour of the canvas at CSS pixel (x, y) of the panel canvas.
PIXEL_JS = """([canvas, x, y]) => {
  const dpr = canvas.width / parseFloat(canvas.style.width);
  const d = canvas.getContext('2d').getImageData(Math.floor(x * dpr), Math.floor(y * dpr), 1, 1).data;
  return [d[0], d[1], d[2]];
}"""


def to_canvas(panel: dict, x: float, y: float) -> tuple[float, float]:
    """Data (x, y) of a panel (its layout dict from the kernel) → CSS pixels in the canvas."""
    bx, by, bw, bh = panel["box"]
    (x0, x1), (y0, y1) = panel["xlim"], panel["ylim"]
    return bx + (x - x0) / (x1 - x0) * bw, by + (y1 - y) / (y1 - y0) * bh


class PanelCanvas:
    """The n-th panel view on the page."""

    def __init__(self, page, nth: int = 0):
        self.page = page
        self.root = page.locator(".nnkit-panels").nth(nth)
        self.root.wait_for(timeout=60_000)
        self.root.scroll_into_view_if_needed()
        self.play_button = self.root.locator(".nnkit-panels-play")
        self.canvas = self.root.locator("canvas.nnkit-panels-canvas")
        self.text = self.root.locator(".nnkit-panels-text")
        harness.wait_for(lambda: self.shown() >= 1, 30, what="the first picture of the panels")
        self.root.evaluate(COUNT_JS)

    def shown(self) -> int:
        return int(self.root.evaluate("el => el.nnkitShown || 0"))

    def frame(self) -> dict:
        """The frame on screen: {id, text, titles, heads: {key: [x, y]}, lengths}."""
        return self.root.evaluate("el => el.nnkitFrame")

    def counted(self) -> dict:
        return self.page.evaluate("({...window.__panels})")

    def now(self) -> float:
        return self.page.evaluate("performance.now()")

    def pixel(self, x: float, y: float) -> tuple[int, int, int]:
        return tuple(self.canvas.evaluate(f"c => ({PIXEL_JS})([c, {x}, {y}])"))

    def play(self, seconds: float = 3.0) -> dict:
        """Click Play, watch ``seconds``: pictures shown per second, Play → first picture."""
        before = self.counted()
        self.play_button.click()
        clicked = self.counted()["clicks"][-1]
        harness.wait_for(lambda: any(t > clicked for t in self.counted()["changes"]), 10,
                         what="a new picture after Play")
        time.sleep(seconds)
        after = self.counted()
        changes = [t for t in after["changes"] if t > clicked]
        span = (changes[-1] - changes[0]) / 1000
        refreshes = after["refreshes"] - before["refreshes"]
        return {"pictures_per_s": (len(changes) - 1) / span if span > 0 else 0.0,
                "refreshes_per_s": refreshes / ((self.now() - clicked) / 1000),
                "first_picture_ms": changes[0] - clicked, "pictures": len(changes),
                "draw_ms": float(self.root.evaluate("el => el.nnkitDrawMs || 0"))}

    def pause(self, settle: float = 1.0) -> dict:
        """Click Pause; count what is still shown after the click (the still of the kernel's
        state now is one picture; anything more would be frames that kept coming)."""
        assert self.play_button.inner_text().strip() == "Pause"
        self.play_button.click()
        counted = self.counted()
        clicked, shown_at_click = counted["clicks"][-1], counted["shownAtClick"][-1]
        time.sleep(settle)
        after = [t for t in self.counted()["changes"] if t > clicked]
        return {"pictures_after_click": self.shown() - shown_at_click,
                "last_change_after_click_ms": (after[-1] - clicked) if after else 0.0,
                "button": self.play_button.inner_text().strip()}

    def main_thread_ms_per_frame(self, seconds: float = 2.0) -> float:
        """Main-thread time per picture while playing: what the page spent in script, layout and
        style recalculation (Chromium's Performance metrics, JupyterLab's own work included),
        divided by the pictures shown meanwhile."""
        client = self.page.context.new_cdp_session(self.page)
        client.send("Performance.enable")

        def script_seconds():
            got = {m["name"]: m["value"] for m in client.send("Performance.getMetrics")["metrics"]}
            return got["ScriptDuration"] + got["LayoutDuration"] + got["RecalcStyleDuration"]

        start, shown = script_seconds(), self.shown()
        time.sleep(seconds)
        spent, pictures = script_seconds() - start, self.shown() - shown
        client.detach()
        return 1000 * spent / max(pictures, 1)
