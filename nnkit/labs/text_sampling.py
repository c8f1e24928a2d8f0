"""Lesson 09's temperature experiment: what a character model writes at a chosen temperature.

    lab = TextLab(generate, text_model)     # the lesson's generate(model, start, …)
    lab.set(temperature=1.5, seed=3)        # written again at once
    lab.text                                # the text at those settings

The text comes from the lesson's own ``generate`` function; this module holds the settings,
checks them and asks for the text.  ``nnkit.widgets.TextGenerator`` gives it sliders.
"""
from __future__ import annotations

import textwrap
from typing import Callable

from nnkit import checks
from nnkit.labs.settings import Settings

__all__ = ["TextLab", "TEMPERATURE_RANGE", "SEED_RANGE"]

TEMPERATURE_RANGE = (0.1, 2.5)       # 10^-1 … 10^0.4, the slider's log scale
SEED_RANGE = (0, 20)
LINE_WIDTH = 90                      # characters per line, for reading only


class TextLab(Settings):
    """The temperature τ, the random seed and the start, and the text written with them.

    generate: the lesson's ``generate(model, start, length=…, temperature=…, seed=…) -> str``,
              which continues ``start`` by ``length`` characters sampled at temperature τ.
    model:    the trained character model handed to ``generate``.
    length:   characters written after the start.
    Settings: ``temperature`` (0.1 … 2.5), ``seed`` (0 … 20), ``start`` (some text).
    """

    SETTINGS = ("temperature", "seed", "start")

    def __init__(self, generate: Callable[..., str], model, length: int = 200,
                 temperature: float = 0.5, seed: int = 0, start: str = "The Rabbit"):
        if not callable(generate):
            raise TypeError(f"generate must be a function generate(model, start, length=…, "
                            f"temperature=…, seed=…). Received: {type(generate).__name__}.")
        self.generate, self.model = generate, model
        self.length = checks.positive_int("length", length)
        self.set(temperature=temperature, seed=seed, start=start)

    def check(self, name: str, value):
        if name == "temperature":
            value = checks.positive_float("temperature", value)
            lo, hi = TEMPERATURE_RANGE
            if not lo - 1e-9 <= value <= hi + 1e-9:
                raise ValueError(f"temperature must be between {lo} and {hi}. "
                                 f"Received: temperature={value}.")
            return value
        if name == "seed":
            value = checks.non_negative_int("seed", value)
            if value > SEED_RANGE[1]:
                raise ValueError(f"seed must be between {SEED_RANGE[0]} and {SEED_RANGE[1]}. "
                                 f"Received: seed={value}.")
            return value
        if not isinstance(value, str) or not value:
            raise ValueError(f"start must be some text to continue, e.g. 'The Rabbit'. "
                             f"Received: start={value!r}.")
        return value

    def apply(self, values: dict) -> None:
        """Take the settings, then write the text for them."""
        super().apply(values)
        self.text = self.generate(self.model, self.start, length=self.length,
                                  temperature=self.temperature, seed=self.seed)

    def wrapped(self) -> str:
        """The text with line breaks every ~90 characters (for reading only)."""
        return textwrap.fill(self.text, width=LINE_WIDTH)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(temperature={self.temperature:g}, seed={self.seed}, "
                f"start={self.start!r}, length={self.length})")
