"""Weight penalties added to the loss: L1 ``l1 Σ|W|``, L2 ``l2 Σ W²``, or both.

``penalty(W)`` is the number added to the loss; ``gradient(W)`` is its derivative, added to dW.
"""
from __future__ import annotations

import numpy as np

from nnkit import checks

__all__ = ["Regularizer", "L1", "L2", "L1L2", "get"]


class Regularizer:
    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = checks.non_negative_float("l1", l1)
        self.l2 = checks.non_negative_float("l2", l2)

    def penalty(self, W: np.ndarray) -> float:
        total = 0.0
        if self.l1:
            total += self.l1 * np.abs(W).sum()
        if self.l2:
            total += self.l2 * (W * W).sum()
        return float(total)

    def add_gradient(self, W: np.ndarray, dW: np.ndarray) -> None:
        """dW += ∂penalty/∂W, in place:  l1 · sign(W) + 2 l2 · W."""
        if self.l1:
            dW += self.l1 * np.sign(W)
        if self.l2:
            dW += (2 * self.l2) * W

    def get_config(self) -> dict:
        return {"l1": self.l1, "l2": self.l2}

    def __repr__(self):
        return f"{type(self).__name__}(l1={self.l1}, l2={self.l2})"


class L1(Regularizer):
    def __init__(self, l1: float = 0.01):
        super().__init__(l1=l1)


class L2(Regularizer):
    def __init__(self, l2: float = 0.01):
        super().__init__(l2=l2)


L1L2 = Regularizer


def get(regularizer) -> Regularizer | None:
    """None, a Regularizer, or ``"l1"`` / ``"l2"`` (rate 0.01, as in Keras)."""
    if regularizer is None or isinstance(regularizer, Regularizer):
        return regularizer
    if isinstance(regularizer, str):
        name = checks.one_of("kernel_regularizer", regularizer.lower(), ["l1", "l2", "l1_l2"])
        return {"l1": L1, "l2": L2, "l1_l2": lambda: Regularizer(0.01, 0.01)}[name]()
    raise TypeError(f"kernel_regularizer must be None, 'l1', 'l2' or a Regularizer such as "
                    f"nnkit.regularizers.L2(0.01). Received: {regularizer!r}.")


# Keras's lower-case names: kernel_regularizer=regularizers.l2(0.01)
l1, l2, l1_l2 = L1, L2, L1L2
