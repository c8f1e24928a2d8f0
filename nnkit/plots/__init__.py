"""Pictures of networks and their training, in plain matplotlib.

Every function draws on the ``ax`` it is given (or on a new figure when ``ax=None``) and returns
its artists, so a live view can call the matching ``update_*`` instead of redrawing:

    decision_boundary / update_decision_boundary / update_data_points   (+ grid, data_extent)
    loss_curves / update_loss_curves
    network_diagram / update_network_diagram
    activation_functions
    confusion_matrix
    lstm_gates / update_lstm_gates / highlight_lstm_step
    and one draw/update pair per lesson widget: neuron, activation, loss, descent, backprop

Colours and sizes live in ``nnkit.plots.style``; grid → RGB colouring in ``nnkit.plots.shading``.
"""
from nnkit.plots import fonts   # noqa: F401  (figures follow nnkit.set_language)
from nnkit.plots.boundary import (DecisionBoundaryArtists, data_extent, decision_boundary, grid,
                                  update_data_points, update_decision_boundary)
from nnkit.plots.confusion import ConfusionMatrixArtists, confusion_matrix
from nnkit.plots.curves import LossCurvesArtists, loss_curves, update_loss_curves
from nnkit.plots.functions import ActivationFunctionsArtists, activation_functions
from nnkit.plots.network import NetworkDiagramArtists, network_diagram, update_network_diagram
from nnkit.plots.lstm import LSTMGatesArtists, highlight_lstm_step, lstm_gates, update_lstm_gates
from nnkit.plots.neuron import neuron_plane, neuron_surface, update_neuron_plane, update_neuron_surface
from nnkit.plots.activation import activation_detail, update_activation_detail
from nnkit.plots.loss import loss_comparison, update_loss_comparison
from nnkit.plots.descent import descent_paths, set_descent_surface, update_descent_paths
from nnkit.plots.backprop import backprop_diagram, update_backprop_diagram

__all__ = [
    "grid", "data_extent", "decision_boundary", "update_decision_boundary", "update_data_points",
    "loss_curves", "update_loss_curves",
    "network_diagram", "update_network_diagram",
    "activation_functions",
    "confusion_matrix",
    "lstm_gates", "update_lstm_gates", "highlight_lstm_step",
    "neuron_plane", "neuron_surface", "update_neuron_plane", "update_neuron_surface",
    "activation_detail", "update_activation_detail",
    "loss_comparison", "update_loss_comparison",
    "descent_paths", "set_descent_surface", "update_descent_paths",
    "backprop_diagram", "update_backprop_diagram",
    "DecisionBoundaryArtists", "LossCurvesArtists", "NetworkDiagramArtists",
    "ActivationFunctionsArtists", "ConfusionMatrixArtists", "LSTMGatesArtists",
]
