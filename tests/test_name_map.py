"""The README's name map is generated from nnkit.keras_names.NAME_MAP and names only what exists."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from nnkit.keras_names import NAME_MAP, name_map_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def resolve(dotted: str):
    """``nnkit.models.Sequential.fit`` → the object, importing modules as needed."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


@pytest.mark.parametrize("what, nnkit_name, keras, torch", NAME_MAP)
def test_every_nnkit_name_exists(what, nnkit_name, keras, torch):
    assert callable(resolve(nnkit_name)), nnkit_name


def test_readme_shows_the_table_from_the_code():
    text = README.read_text(encoding="utf-8")
    start = text.index("-->\n", text.index("<!-- name map")) + 4
    end = text.index("<!-- end of name map -->")
    assert text[start:end].strip() == name_map_markdown(), \
        "README's name map is stale: paste the output of python -m nnkit.keras_names"
