"""Live, interactive widgets for Jupyter: the Playground, the LSTM explorer and the lesson widgets.

Every animated widget plays on one clock (``live.FrameLoop``) and is drawn by the browser from
compact frames (``live/``); readers without a kernel (nbconvert, GitHub) get a picture of
each widget (``image/png``).  Each has a Python API that needs no browser.
"""
from nnkit.widgets.architecture_explorer import ArchitectureExplorer
from nnkit.widgets.backprop import BackpropStepper
from nnkit.widgets.boundary_comparison import BoundaryComparison
from nnkit.widgets.descent import GradientDescentExplorer
from nnkit.widgets.explorers import ActivationExplorer, LossExplorer, NeuronExplorer
from nnkit.widgets.lstm_explorer import LSTMExplorer
from nnkit.widgets.playground import Playground
from nnkit.widgets.quiz import Quiz
from nnkit.widgets.text_generator import TextGenerator
from nnkit.labs.state import PlaygroundState

__all__ = ["Playground", "PlaygroundState", "LSTMExplorer", "NeuronExplorer", "ActivationExplorer",
           "LossExplorer", "GradientDescentExplorer", "BackpropStepper", "Quiz",
           "ArchitectureExplorer", "TextGenerator", "BoundaryComparison"]
