"""Moved to ``nnkit.labs.state`` (logic that needs no widgets); this name is kept for old imports."""
import sys

from nnkit.labs import state as _moved

sys.modules[__name__] = _moved
