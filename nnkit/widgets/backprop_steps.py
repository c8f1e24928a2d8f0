"""Moved to ``nnkit.labs.backprop_steps`` (logic that needs no widgets); this name is kept for old imports."""
import sys

from nnkit.labs import backprop_steps as _moved

sys.modules[__name__] = _moved
