"""Moved to ``nnkit.labs.descent_race`` (logic that needs no widgets); this name is kept for old imports."""
import sys

from nnkit.labs import descent_race as _moved

sys.modules[__name__] = _moved
