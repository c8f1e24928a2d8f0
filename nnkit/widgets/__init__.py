"""Live, interactive widgets for Jupyter: the Playground, the LSTM explorer and the lesson widgets.

Every widget trains through one ``Runner`` (``runner.py``) and draws its pictures through one
fast picture path (``render.py``); each has a Python API that needs no browser.
"""
from nnkit.widgets.backprop import BackpropStepper
from nnkit.widgets.descent import GradientDescentExplorer
from nnkit.widgets.explorers import ActivationExplorer, LossExplorer, NeuronExplorer
from nnkit.widgets.lstm_explorer import LSTMExplorer
from nnkit.widgets.playground import Playground
from nnkit.widgets.runner import Runner
from nnkit.labs.state import PlaygroundState

__all__ = ["Playground", "PlaygroundState", "LSTMExplorer", "NeuronExplorer", "ActivationExplorer",
           "LossExplorer", "GradientDescentExplorer", "BackpropStepper", "Runner"]
