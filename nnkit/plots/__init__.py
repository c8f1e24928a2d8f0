"""Pictures of networks and their training, in plain matplotlib.

Every function draws on the ``ax`` it is given (or on a new figure when ``ax=None``) and returns
its artists, so a live view can call the matching ``update_*`` instead of redrawing:

    decision_boundary / update_decision_boundary / update_data_points   (+ grid, data_extent)
    loss_curves / update_loss_curves
    network_diagram / update_network_diagram
    activation_functions
    confusion_matrix

Colours and sizes live in ``nnkit.plots.style``; grid → RGB colouring in ``nnkit.plots.shading``.
"""
from nnkit.plots.boundary import (DecisionBoundaryArtists, data_extent, decision_boundary, grid,
                                  update_data_points, update_decision_boundary)
from nnkit.plots.confusion import ConfusionMatrixArtists, confusion_matrix
from nnkit.plots.curves import LossCurvesArtists, loss_curves, update_loss_curves
from nnkit.plots.functions import ActivationFunctionsArtists, activation_functions
from nnkit.plots.network import NetworkDiagramArtists, network_diagram, update_network_diagram

__all__ = [
    "grid", "data_extent", "decision_boundary", "update_decision_boundary", "update_data_points",
    "loss_curves", "update_loss_curves",
    "network_diagram", "update_network_diagram",
    "activation_functions",
    "confusion_matrix",
    "DecisionBoundaryArtists", "LossCurvesArtists", "NetworkDiagramArtists",
    "ActivationFunctionsArtists", "ConfusionMatrixArtists",
]
