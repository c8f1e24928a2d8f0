"""Live, interactive widgets for Jupyter: the Playground, the LSTM explorer and the lesson widgets.

Every widget trains through one ``Runner`` (``runner.py``) and draws its heatmaps through one
fast picture path (``render.py``); each has a Python API that needs no browser.
"""
from nnkit.widgets.playground import Playground
from nnkit.widgets.runner import Runner
from nnkit.widgets.state import PlaygroundState

__all__ = ["Playground", "PlaygroundState", "Runner"]
