"""Saving and loading whole models: ``save_model(model, path)`` and ``load_model(path)``.

The file format lives in ``nnkit.io``, which knows no model class (``save_model`` writes it);
building a ``Sequential`` back from a file is ``nnkit.models.load_model``, beside the class it
builds.  This module puts the two under one name, so ``io`` and ``models`` never import each
other in a circle.
"""
from __future__ import annotations

from nnkit.io import save_model
from nnkit.models import load_model

__all__ = ["save_model", "load_model"]
