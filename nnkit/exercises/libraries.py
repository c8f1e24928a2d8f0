"""Lesson 11's question before a Keras or PyTorch cell: is that library installed here?

    if installed("torch"):            # False, and one line saying how to install it, if not
        import torch

Keras and PyTorch are large downloads, so nnkit does not require them; a lesson cell that uses
one asks first, and where it is missing the cell still shows its code and says what to install.
Only the standard library is used here: nothing is imported to find out, nothing is downloaded.
"""
from __future__ import annotations

import importlib.util
import os

from nnkit.i18n import _
__all__ = ["installed", "keras_installed"]

#: module → (the library's name, what to pip install)
KNOWN = {"torch": ("PyTorch", "torch"), "keras": ("Keras", "keras"),
         "tensorflow": ("TensorFlow", "tensorflow"), "jax": ("JAX", "jax")}


def installed(module: str, name: str | None = None, pip_name: str | None = None) -> bool:
    """True if ``module`` can be imported here (it is looked up, not imported); else say how to get it."""
    if importlib.util.find_spec(module) is not None:
        return True
    known_name, known_pip = KNOWN.get(module, (module, module))
    print(_("{name} is not installed here — the code is shown; run `pip install {pip}` to try "
            "it.").format(name=name or known_name, pip=pip_name or known_pip))
    return False


def keras_installed() -> bool:
    """Keras 3 and the library it computes with: TensorFlow, unless KERAS_BACKEND says jax or torch."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    return (installed("keras", "Keras", "keras tensorflow")
            and installed(backend, _("Keras's back end ({backend})").format(backend=backend),
                          backend))
