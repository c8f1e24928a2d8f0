"""The logic of the live widgets, with no widgets: importable without ipywidgets or matplotlib.

- ``state``:          ``PlaygroundState``, every Playground setting, validated, as JSON;
- ``experiment``:     ``Experiment``, a state made real — data, features, model, training;
- ``lstm_task``:      ``LSTMTask``, a sequence task and an LSTM that learns it;
- ``descent_race``:   ``DescentRace``, optimizers walking down a loss surface;
- ``backprop_steps``: ``BackpropSteps``, every number of one backpropagation step;
- ``explorers``:      ``NeuronLab``, ``ActivationLab``, ``LossLab`` — lessons 01 and 03;
- ``architecture``:   ``ArchitectureLab`` and ``train_mlp``, one MLP per setting (lesson 06);
- ``text_sampling``:  ``TextLab``, a character model's text at a temperature (lesson 09);
- ``boundaries``:     ``BoundaryLab``, classifiers compared on planar data (lesson 10);
- ``settings``:       ``Settings``, the checked named settings these labs share.

``nnkit.widgets`` draws these and gives them controls; tests, scripts and lessons can drive
them directly.  Training goes through ``nnkit.training`` and its words come from
``nnkit.diagnosis``, as for ``Sequential.fit``.
"""
from nnkit.labs.architecture import ArchitectureLab, train_mlp
from nnkit.labs.backprop_steps import BackpropSteps
from nnkit.labs.boundaries import BoundaryLab
from nnkit.labs.descent_race import DescentRace
from nnkit.labs.experiment import Experiment
from nnkit.labs.explorers import ActivationLab, LossLab, NeuronLab
from nnkit.labs.lstm_task import LSTMTask
from nnkit.labs.state import PlaygroundState
from nnkit.labs.text_sampling import TextLab

__all__ = ["PlaygroundState", "Experiment", "LSTMTask", "DescentRace", "BackpropSteps",
           "NeuronLab", "ActivationLab", "LossLab", "ArchitectureLab", "train_mlp", "TextLab",
           "BoundaryLab"]
