"""Named settings, every value checked before any is changed — the base of the lesson labs.

    class Neuron(Settings):
        SETTINGS = ("w1", "b")
        def check(self, name, value):             # the value validated, or an error that
            return checks.real(name, value)        # names the setting and what is allowed

    neuron.set(w1=2.0, b=-1.0)     # both checked first: a bad one changes nothing

A lesson widget (``nnkit.widgets``) holds one of these as ``lab``: its sliders call ``set``,
and every number it shows is read from the lab.
"""
from __future__ import annotations

from nnkit import checks

__all__ = ["Settings"]


class Settings:
    """``SETTINGS``: the names ``set`` accepts; ``check(name, value)``; ``apply(values)``."""

    SETTINGS: tuple[str, ...] = ()

    def check(self, name: str, value):
        """``value`` validated for the setting ``name`` (converted if need be), or raise."""
        raise NotImplementedError

    def check_all(self, values: dict) -> dict:
        """Every value checked (override when one setting's range depends on another's)."""
        for name in values:
            checks.one_of("setting", name, self.SETTINGS)
        return {name: self.check(name, value) for name, value in values.items()}

    def apply(self, values: dict) -> None:
        """Take checked values (override to recompute what depends on them)."""
        for name, value in values.items():
            setattr(self, name, value)

    def set(self, **values) -> dict:
        """Change settings by name, all checked before any change; returns the checked values."""
        checked = self.check_all(values)
        if checked:
            self.apply(checked)
        return checked

    @property
    def settings(self) -> dict:
        """The current value of every setting, by name."""
        return {name: getattr(self, name) for name in self.SETTINGS}
