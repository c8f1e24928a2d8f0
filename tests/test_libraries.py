"""``installed`` / ``keras_installed``: lesson 11 asks before a Keras or PyTorch cell."""
import sys

from nnkit.exercises import libraries


def test_an_installed_module_is_found_without_importing_it(capsys):
    sys.modules.pop("json.tool", None)
    assert libraries.installed("json.tool") is True
    assert "json.tool" not in sys.modules                 # looked up, not imported
    assert capsys.readouterr().out == ""


def test_a_missing_library_says_what_to_pip_install(capsys, monkeypatch):
    monkeypatch.setattr(libraries.importlib.util, "find_spec", lambda name: None)
    assert libraries.installed("torch") is False
    out = capsys.readouterr().out
    assert "PyTorch is not installed here" in out and "pip install torch" in out


def test_keras_needs_its_back_end_too(capsys, monkeypatch):
    present = {"keras"}
    monkeypatch.setattr(libraries.importlib.util, "find_spec",
                        lambda name: object() if name in present else None)
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    assert libraries.keras_installed() is False
    assert "back end (jax)" in capsys.readouterr().out
    present.add("jax")
    assert libraries.keras_installed() is True
