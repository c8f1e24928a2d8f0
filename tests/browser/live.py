"""Play, Pause and sliders of a live nnkit widget, measured in the page's own clock.

A live widget (the Playground, the LSTM explorer, anything on the kernel's ``FrameLoop``)
shows a counter (the epoch) and a picture; each frame of training changes both.  ``LiveWidget``
clicks its buttons like a person and reads back, from the browser, what a person would see.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass

import harness

# Watches an element and records, in the page's own clock (ms), every change a person would see:
# a new picture (an <img> finished loading a new src) or a new text.
WATCH_JS = """([el, key]) => {
  const log = (window.__nnkit ??= {})[key] = [];
  const record = () => log.push({t: performance.now(),
                                 v: el.tagName === 'IMG' ? el.src : el.textContent});
  if (el.tagName === 'IMG') el.addEventListener('load', record);
  else new MutationObserver(record).observe(el, {subtree: true, childList: true,
                                                 characterData: true, attributes: true});
}"""
# Every click anywhere, with the time the browser dispatched it.
CLICKS_JS = """() => {
  window.__nnkit_clicks = [];
  document.addEventListener('click', () => window.__nnkit_clicks.push(performance.now()), true);
}"""


def watch(locator, key: str) -> None:
    """Start recording the changes of one element under ``key`` (see ``changes``)."""
    locator.evaluate(f"el => ({WATCH_JS})([el, {json.dumps(key)}])")


def changes(page, key: str) -> list[dict]:
    """[{t: ms (page clock), v: new src or text}, …] since ``watch``."""
    return page.evaluate(f"() => (window.__nnkit ?? {{}})[{json.dumps(key)}] ?? []")


def page_now(page) -> float:
    return page.evaluate("performance.now()")


@dataclass
class Played:
    seconds: float                 # how long we watched
    epochs_advanced: int
    pictures: int                  # new pictures loaded by the <img> while playing
    pictures_per_second: float     # between the first and the last of them
    first_picture_ms: float        # click on Play → first new picture on screen

    def __str__(self):
        return (f"played {self.seconds:.1f} s: +{self.epochs_advanced} epochs, {self.pictures} "
                f"pictures, {self.pictures_per_second:.1f} pictures/s, first after "
                f"{self.first_picture_ms:.0f} ms")


@dataclass
class Paused:
    acknowledged_ms: float         # click on Pause → the button reads "Play" again
    last_update_ms: float          # click on Pause → the last new picture or epoch (0: none)
    frames_after_click: int        # frames that still reached the screen after the click

    def __str__(self):
        return (f"paused: button back after {self.acknowledged_ms:.0f} ms, last update "
                f"{self.last_update_ms:.0f} ms after the click, {self.frames_after_click} "
                f"frame(s) after the click")


def number_in(text: str) -> int:
    """The count in a readout like "Epoch 1,234", "epoch: 56 · loss 0.31", "training step 500"."""
    match = (re.search(r"(?:[Ee]poch|[Ss]tep)\D{0,5}?([\d,\u202f\u2009 ]*\d)", text)
             or re.search(r"\d+", text))
    if match is None:
        raise AssertionError(f"no epoch number in {text!r}")
    return int(re.sub(r"\D", "", match.group(match.lastindex or 0)))


class LiveWidget:
    def __init__(self, page, counter, picture, buttons=None):
        """counter, picture: locators of the epoch readout and the <img> that trains live;
        buttons: where to look for Play/Pause/Reset (default: the whole page)."""
        self.page, self.counter, self.picture = page, counter, picture
        self.buttons = buttons if buttons is not None else page
        self.counter.wait_for()
        self.picture.wait_for()
        self._play = self.buttons.locator("button.widget-button", has_text="Play").first
        self._play.wait_for()
        self._play_handle = self._play.element_handle()    # the same button, whatever it reads
        page.evaluate(CLICKS_JS)

    def epoch(self) -> int:
        return number_in(self.counter.inner_text())

    def button_text(self) -> str:
        return self._play_handle.inner_text().strip()

    def _since(self, key: str, t: float) -> list[dict]:
        return [c for c in changes(self.page, key) if c["t"] > t]

    def play(self, seconds: float = 3.0, timeout: float = 30) -> Played:
        """Click Play; watch for ``seconds`` after the first new picture."""
        watch(self.counter, "counter")
        watch(self.picture, "picture")
        epoch = self.epoch()
        self._play_handle.click()
        clicked = self.page.evaluate("window.__nnkit_clicks.at(-1)")
        harness.wait_for(lambda: self._since("picture", clicked), timeout=timeout,
                         what="a new picture after Play")
        time.sleep(seconds)
        pictures = self._since("picture", clicked)
        span = (pictures[-1]["t"] - pictures[0]["t"]) / 1000
        return Played(seconds=seconds, epochs_advanced=self.epoch() - epoch, pictures=len(pictures),
                      pictures_per_second=(len(pictures) - 1) / span if span > 0 else 0.0,
                      first_picture_ms=pictures[0]["t"] - clicked)

    def pause(self, settle: float = 1.0) -> Paused:
        """Click Pause (the same button) and see what still changes after the click."""
        assert self.button_text() == "Pause", f"not playing (button reads {self.button_text()!r})"
        watch(self._play_handle, "button")
        self._play_handle.click()
        clicked = self.page.evaluate("window.__nnkit_clicks.at(-1)")
        harness.wait_for(lambda: self.button_text() == "Play", timeout=10,
                         what="the Play button back after Pause")
        time.sleep(settle)
        acknowledged = [c["t"] for c in self._since("button", clicked) if c["v"].strip() == "Play"]
        updates = self._since("picture", clicked), self._since("counter", clicked)
        last = max((c["t"] for kind in updates for c in kind), default=clicked)
        return Paused(acknowledged_ms=(acknowledged[0] if acknowledged else clicked) - clicked,
                      last_update_ms=last - clicked,
                      frames_after_click=max(len(kind) for kind in updates))

    def still_moving(self, seconds: float) -> bool:
        """Does anything change during the next ``seconds``?"""
        now = page_now(self.page)
        time.sleep(seconds)
        return bool(self._since("picture", now) or self._since("counter", now))


def nudge_slider(slider, presses: int = 1, key: str = "ArrowRight") -> None:
    """Move an ipywidgets slider by ``presses`` steps with the keyboard (pitfall 7)."""
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for _ in range(presses):
        handle.press(key)


def slider_value(slider) -> str:
    """The readout beside the slider (aria-valuenow is rounded to one decimal)."""
    return slider.locator(".widget-readout").first.inner_text().strip()


class NotebookSeven(harness.LabNotebook):
    """A notebook in Notebook 7's own page, ``/notebooks/<path>``, served by the same Jupyter
    server as JupyterLab (the ``notebook`` package adds the route).  The notebook inside is
    JupyterLab's (same selectors, the same Run ▸ Run All menu); what differs is the page around
    it: no status bar, so "idle" is the toolbar's execution indicator."""

    IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle']"

    @classmethod
    def start(cls, context, server, path: str) -> "NotebookSeven":
        page = context.new_page()
        page.set_default_timeout(30_000)
        notebook = cls(page, server, path)
        page.goto(server.url(f"/notebooks/{path}"), wait_until="commit")
        return notebook

    def run_all(self) -> None:
        """Run ▸ Run All; again if no cell started within 10 s (the menu can open before the
        page takes clicks)."""
        for attempt in range(3):
            self._close_dialogs()
            super().run_all()
            try:
                harness.wait_for(lambda: any("*" in p or p[1:-2].strip().isdigit()
                                             for p in self.prompts()), 10, what="Run All started")
                return
            except TimeoutError:
                self.page.keyboard.press("Escape")
        raise TimeoutError(f"{self.path}: Run All did not start in Notebook 7")

    def _close_dialogs(self) -> None:
        """A dialog that opened late (a kernel choice) takes every click: accept it."""
        for _ in range(3):
            dialog = self.page.locator(".jp-Dialog")
            if not dialog.count():
                return
            accept = dialog.locator(".jp-mod-accept")
            if accept.count():
                accept.first.click()
            else:
                self.page.keyboard.press("Escape")
            self.page.wait_for_timeout(300)

    def ready(self) -> bool:
        self._close_dialogs()
        return (self.page.locator(".jp-NotebookPanel .jp-Notebook").count() > 0
                and self.page.locator(self.IDLE).count() > 0)

    def run_finished(self) -> bool:
        if self._expected is None:
            import nbformat
            nb = nbformat.read(self.server.root / self.path, as_version=4)
            self._expected = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
        prompts = self.prompts()
        if any("*" in p for p in prompts):
            return False
        ran = sum(1 for p in prompts if p[1:-2].strip().isdigit())
        return (self.page.locator(self.IDLE).count() > 0
                and (ran >= self._expected or bool(self.errors())))
