"""Moved to ``nnkit.labs.lstm_task`` (logic that needs no widgets); this name is kept for old imports."""
import sys

from nnkit.labs import lstm_task as _moved

sys.modules[__name__] = _moved
