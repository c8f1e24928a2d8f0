"""Moved to ``nnkit.labs.experiment`` (logic that needs no widgets); this name is kept for old imports."""
import sys

from nnkit.labs import experiment as _moved

sys.modules[__name__] = _moved
