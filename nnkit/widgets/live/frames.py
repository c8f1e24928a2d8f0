"""What one live picture is made of, and how it travels: a ``Frame`` of small arrays.

A frame is data, not a picture: the browser colours it (``live_view.js``).  Everything is an
index into a colour table built here from ``nnkit.plots.style``, so the live view and a static
matplotlib figure show the same colours.

    Frame.grid     (R, R) uint8, row 0 at the TOP: the main picture, indices into a table
                   (``grid_lut``: "boundary" = ``boundary_lut``, "diverging" = ``diverging_lut``)
    Frame.thumbs   (n, r, r) uint8: one small picture per neuron, column by column (inputs,
                   hidden layers, output); hidden/inputs use the diverging table, the output
                   column the boundary table
    Frame.weights  (P,) float32: for each layer, W (n_in × n_out, row-major) then b (n_out)
    Frame.losses   (k, 2) float32: the NEW (training, test) loss points since the last frame,
                   the first of them for epoch ``loss_start`` (0-based); NaN = no test loss

``encode`` turns a frame into one message (a dict of numbers) plus four binary buffers; about
16 KB for the default 4-2 network at R = 100, r = 25.  Never a PNG.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnkit.plots import style

__all__ = ["Frame", "encode", "boundary_lut", "diverging_lut", "boundary_indices",
           "diverging_indices"]


@dataclass
class Frame:
    """One picture's data (shapes in the module notes).  ``epoch``: epochs trained so far."""

    epoch: int
    grid: np.ndarray
    thumbs: np.ndarray = field(default_factory=lambda: np.zeros((0, 0, 0), np.uint8))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    losses: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float32))
    loss_start: int = 0
    grid_lut: str = "boundary"
    replay: bool = False          # a recorded epoch (timeline), not the live state

    def __post_init__(self):
        self.grid = _uint8("grid", self.grid, 2)
        if self.grid.shape[0] != self.grid.shape[1]:
            raise ValueError(f"grid must be square (R, R). Received shape {self.grid.shape}.")
        self.thumbs = _uint8("thumbs", self.thumbs, 3)
        self.weights = np.ascontiguousarray(self.weights, dtype=np.float32).ravel()
        losses = np.asarray(self.losses, dtype=np.float32)
        if losses.ndim == 1:
            losses = np.column_stack([losses, np.full(len(losses), np.nan, np.float32)])
        if losses.ndim != 2 or losses.shape[1] != 2:
            raise ValueError(f"losses must be (k, 2) (training, test) or (k,). "
                             f"Received shape {np.shape(self.losses)}.")
        self.losses = np.ascontiguousarray(losses)
        if self.grid_lut not in ("boundary", "diverging"):
            raise ValueError(f"grid_lut must be 'boundary' or 'diverging'. "
                             f"Received: {self.grid_lut!r}.")


def _uint8(name, a, ndim):
    a = np.asarray(a)
    if a.dtype != np.uint8 or a.ndim != ndim:
        raise ValueError(f"{name} must be a uint8 array with {ndim} axes (colour-table indices). "
                         f"Received dtype {a.dtype}, shape {a.shape}.")
    return np.ascontiguousarray(a)


def encode(frame: Frame, frame_id: int, session: int) -> tuple[dict, list[bytes]]:
    """frame → (message, [grid, thumbs, weights, losses] as bytes) for ``Widget.send``."""
    n, r = (frame.thumbs.shape[0], frame.thumbs.shape[1]) if frame.thumbs.size else (0, 0)
    message = {"type": "frame", "id": int(frame_id), "session": int(session),
               "epoch": int(frame.epoch), "R": int(frame.grid.shape[0]), "n": int(n), "r": int(r),
               "lut": frame.grid_lut, "loss_start": int(frame.loss_start),
               "replay": bool(frame.replay)}
    buffers = [frame.grid.tobytes(), frame.thumbs.tobytes(), frame.weights.tobytes(),
               frame.losses.tobytes()]
    return message, buffers


# ---- colour tables: the plots' own ------------------------------------------------------------

def boundary_lut(n_classes: int = 2) -> np.ndarray:
    """(256, 3) uint8: the decision boundary's colours.

    Two classes: ``style.probability_lut`` (index ``round(255 · P(class 1))``).  K > 2 classes:
    256 // K levels per class, index ``k · (256 // K) + level`` (level 0: a tie, white).
    """
    if n_classes == 2:
        return style.probability_lut()
    levels = 256 // n_classes
    full = style.confidence_lut(n_classes)                 # (K, 256, 3)
    pick = np.rint(np.linspace(0, 255, levels)).astype(int)
    lut = np.full((256, 3), 255, np.uint8)
    lut[:levels * n_classes] = full[:, pick].reshape(-1, 3)
    return lut


def diverging_lut() -> np.ndarray:
    """(256, 3) uint8: orange (−max) → white → blue (+max), ``style.diverging_lut``."""
    return style.diverging_lut()


def boundary_indices(probs: np.ndarray, n_classes: int = 2) -> np.ndarray:
    """Indices into ``boundary_lut(n_classes)``: probs (…,) or (…, 1) P(class 1) for two
    classes, (…, K) class probabilities for K > 2 → uint8 (…,)."""
    probs = np.asarray(probs)
    if n_classes == 2:
        if probs.ndim and probs.shape[-1] == 1:
            probs = probs[..., 0]
        return np.rint(255 * np.clip(probs, 0.0, 1.0)).astype(np.uint8)
    if probs.shape[-1] != n_classes:
        raise ValueError(f"probs must end in an axis of n_classes={n_classes} probabilities. "
                         f"Received shape {probs.shape}.")
    winner = probs.argmax(axis=-1)
    top = np.take_along_axis(probs, winner[..., None], axis=-1)[..., 0]
    strength = np.clip((top - 1.0 / n_classes) / (1.0 - 1.0 / n_classes), 0.0, 1.0)
    levels = 256 // n_classes
    return (winner * levels + np.rint(strength * (levels - 1))).astype(np.uint8)


def diverging_indices(values: np.ndarray, vmax) -> np.ndarray:
    """Signed values in [−vmax, vmax] → uint8 indices into ``diverging_lut``
    (``vmax`` broadcasts, e.g. one per unit on the last axis)."""
    t = np.clip(np.asarray(values) / vmax, -1.0, 1.0)
    return np.rint(127.5 * (t + 1.0)).astype(np.uint8)
