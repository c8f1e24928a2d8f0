"""The one binding base of every widget: controls that call back, and values shown quietly.

A control bound with ``_observe`` calls its callback with each new value the learner gives it.
When the widget shows a value itself (after ``set`` from code, a Reset, a refused value), it
does so inside ``_quiet()``, so the control does not call back — one quiet flag, here, for the
Playground's control groups and for every lesson widget alike.

    class Explorer(Bound):
        def __init__(self):
            super().__init__()
            self._observe(slider, lambda value: self.set(w=value))
        def _sync(self):
            with self._quiet():
                slider.value = self.w
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

import ipywidgets as widgets

__all__ = ["Bound", "close_widgets", "BUTTON_LAYOUT"]

BUTTON_LAYOUT = dict(width="auto", min_width="96px", height="40px")   # Play, Step, Reset…


def close_widgets(*roots) -> None:
    """Close widgets together with their children, layouts and styles.

    ``Widget.close()`` closes only the widget itself: its ``layout`` and ``style`` (widgets too)
    and a box's children stay registered, and pile up when a lesson builds widgets in a loop.
    Give each widget its own Layout — a shared one is closed here with the first owner.
    """
    seen, stack = set(), [w for w in roots if w is not None]
    while stack:
        widget = stack.pop()
        if not isinstance(widget, widgets.Widget) or id(widget) in seen:
            continue
        seen.add(id(widget))
        stack.extend(getattr(widget, "children", ()) or ())
        for part in ("layout", "style"):
            sub = getattr(widget, part, None)
            if isinstance(sub, widgets.Widget):
                stack.append(sub)
        widget.close()


class Bound:
    """Controls by name (``controls``), each bound to a callback that showing a value skips."""

    def __init__(self):
        self._syncing = False
        self.controls: dict[str, widgets.Widget] = {}

    def _observe(self, control: widgets.Widget, callback: Callable) -> widgets.Widget:
        """control.value changes → ``callback(new value)``, unless the widget is showing one."""
        def changed(change):
            if not self._syncing:
                callback(change["new"])
        control.observe(changed, names="value")
        return control

    @contextmanager
    def _quiet(self):
        """Change controls without their callbacks firing (nested use is fine)."""
        before, self._syncing = self._syncing, True
        try:
            yield
        finally:
            self._syncing = before

    def _show_values(self, values: dict) -> None:
        """Move the named controls to ``values`` quietly (only those that differ)."""
        with self._quiet():
            for name, value in values.items():
                control = self.controls[name]
                if control.value != value:
                    control.value = value
