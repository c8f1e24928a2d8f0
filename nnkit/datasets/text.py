"""Text for next-character prediction: the shipped passage, a vocabulary, and one-hot windows.

The text is the opening chapter of Lewis Carroll's *Alice's Adventures in Wonderland* (1865), in
the public domain, shipped as ``nnkit/datasets/data/alice.txt`` (about 5 KB, plain ASCII, one
paragraph per line; italics are not marked).  Nothing is downloaded.

A character model reads ``T`` characters and predicts the next one:
``"Alice was beginnin" → "g"``.  ``vocab`` is the sorted list of the characters that occur, and a
character's index in it is its class.
"""
from __future__ import annotations

from importlib import resources

import numpy as np

from nnkit import checks

__all__ = ["load_text", "char_sequences", "encode", "decode"]

TEXT_FILE = "alice.txt"


def load_text() -> str:
    """Return the shipped passage of *Alice's Adventures in Wonderland* (~5000 characters)."""
    return (resources.files("nnkit.datasets") / "data" / TEXT_FILE).read_text(encoding="utf-8")


def _check_text(name: str, text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string. Received: {name} of type {type(text).__name__}.")
    return text


def _check_vocab(vocab) -> list[str]:
    if not isinstance(vocab, (list, tuple)) or not all(
            isinstance(c, str) and len(c) == 1 for c in vocab):
        raise TypeError(f"vocab must be a list of single characters, e.g. the vocab returned by "
                        f"char_sequences. Received: vocab of type {type(vocab).__name__}.")
    return list(vocab)


def encode(text: str, vocab: list[str]) -> np.ndarray:
    """Characters → indices: codes (len(text),) int64 with ``vocab[codes[i]] == text[i]``."""
    text = _check_text("text", text)
    index = {c: i for i, c in enumerate(_check_vocab(vocab))}
    unknown = sorted(set(text) - set(index))
    if unknown:
        raise ValueError(f"text contains characters that are not in vocab: {unknown[:10]}. "
                         f"Build the vocab from a text that contains them, or remove them first.")
    return np.array([index[c] for c in text], dtype=np.int64)


def decode(codes, vocab: list[str]) -> str:
    """Indices → characters: codes (L,) integers in [0, len(vocab)) → a string of length L."""
    vocab = _check_vocab(vocab)
    codes = checks.finite_array("codes", codes, ndim=1, allow_empty=True)
    if codes.size and (not np.all(np.mod(codes, 1) == 0) or codes.min() < 0
                       or codes.max() >= len(vocab)):
        raise ValueError(f"codes must be whole numbers in [0, {len(vocab)}) to index vocab. "
                         f"Received values from {codes.min()} to {codes.max()}.")
    return "".join(vocab[int(i)] for i in codes)


def char_sequences(text: str | None = None, seq_len: int = 25, step: int = 3):
    """Cut ``text`` into one-hot windows of ``seq_len`` characters, each labelled with the next one.

    Window n starts at character n·step.  text: None → ``load_text()``.  V = len(vocab).
    Returns X: (N, T, V) float64 one-hot (each row sums to 1), y: (N,) int64 indices of the next
    character, and vocab: the sorted list of the V characters (use it with ``encode``/``decode``).
    """
    text = load_text() if text is None else _check_text("text", text)
    seq_len = checks.positive_int("seq_len", seq_len)
    step = checks.positive_int("step", step)
    if len(text) <= seq_len:
        raise ValueError(f"seq_len must be shorter than the text, which has {len(text)} "
                         f"characters. Received: seq_len={seq_len}.")
    vocab = sorted(set(text))
    codes = encode(text, vocab)
    starts = np.arange(0, len(text) - seq_len, step)                  # (N,)
    windows = codes[starts[:, None] + np.arange(seq_len)]             # (N, T)
    X = np.eye(len(vocab))[windows]                                    # (N, T, V)
    y = codes[starts + seq_len]
    return X, y, vocab
