"""Every epoch's weights, in bounded memory: what the timeline under the live view replays.

    rec = Recording(keep_all=500, max_bytes=20_000_000)
    rec.add(epoch, weights)          # weights: (P,) float32 (a copy is kept)
    epoch, weights = rec.at(120)     # the recorded epoch nearest at or before 120

The first ``keep_all`` epochs are all kept.  Later epochs are kept every ``stride``-th; when
the kept snapshots would pass ``max_bytes``, every other late snapshot is dropped and the stride
doubles — so memory stays under the bound however long the network trains, and a long run is
covered evenly from start to end.  The default 4-2 network (25 weights, 100 bytes an epoch)
keeps all of 2,000 epochs in about 0.3 MB.
"""
from __future__ import annotations

import bisect

import numpy as np

from nnkit import checks

__all__ = ["Recording"]

OVERHEAD = 120          # bytes of Python bookkeeping per snapshot (an ndarray header, a list slot)


class Recording:
    """Weights by epoch; ``nbytes`` is what the snapshots take (payload + bookkeeping)."""

    def __init__(self, keep_all: int = 500, max_bytes: int = 20_000_000):
        self.keep_all = checks.non_negative_int("keep_all", keep_all)
        self.max_bytes = checks.positive_int("max_bytes", max_bytes)
        self.stride = 1
        self.epochs: list[int] = []
        self.weights: list[np.ndarray] = []
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self.epochs)

    @property
    def last_epoch(self) -> int | None:
        return self.epochs[-1] if self.epochs else None

    def clear(self) -> None:
        self.stride, self.epochs, self.weights, self.nbytes = 1, [], [], 0

    def add(self, epoch: int, weights: np.ndarray) -> bool:
        """Record the weights after ``epoch`` epochs; returns whether they were kept."""
        epoch = int(epoch)
        if self.epochs and epoch <= self.epochs[-1]:          # training went back (a reset)
            self._drop_from(epoch)
        if epoch >= self.keep_all and (epoch - self.keep_all) % self.stride:
            return False
        w = np.array(weights, dtype=np.float32).ravel()
        size = w.nbytes + OVERHEAD
        if size > self.max_bytes:
            raise ValueError(f"One snapshot ({size} bytes) is larger than max_bytes="
                             f"{self.max_bytes}: raise max_bytes.")
        while self.nbytes + size > self.max_bytes and self._thin():
            if (epoch - self.keep_all) % self.stride:
                return False
        if self.nbytes + size > self.max_bytes:
            return False                                     # nothing left to thin
        self.epochs.append(epoch)
        self.weights.append(w)
        self.nbytes += size
        return True

    def _thin(self) -> bool:
        """Drop every other late snapshot (stride doubles); False if there is none to drop."""
        late = [i for i, e in enumerate(self.epochs) if e >= self.keep_all]
        if not late:
            return False
        self.stride *= 2
        keep = [i for i, e in enumerate(self.epochs)
                if e < self.keep_all or (e - self.keep_all) % self.stride == 0]
        self.epochs = [self.epochs[i] for i in keep]
        self.weights = [self.weights[i] for i in keep]
        self.nbytes = sum(w.nbytes + OVERHEAD for w in self.weights)
        return True

    def _drop_from(self, epoch: int) -> None:
        i = bisect.bisect_left(self.epochs, epoch)
        del self.epochs[i:], self.weights[i:]
        self.nbytes = sum(w.nbytes + OVERHEAD for w in self.weights)

    def at(self, epoch: int) -> tuple[int, np.ndarray]:
        """(recorded epoch, weights) for the latest snapshot at or before ``epoch`` (the first
        one if ``epoch`` comes before it)."""
        if not self.epochs:
            raise LookupError("Nothing is recorded yet: train first.")
        i = max(bisect.bisect_right(self.epochs, int(epoch)) - 1, 0)
        return self.epochs[i], self.weights[i]
