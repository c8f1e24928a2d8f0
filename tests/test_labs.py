"""The widgets' logic stands without the widgets: ``nnkit.labs`` imports with neither ipywidgets
nor matplotlib installed, and the old ``nnkit.widgets.<module>`` names still reach it."""
import subprocess
import sys
import textwrap


def test_nnkit_labs_imports_without_ipywidgets_or_matplotlib():
    code = textwrap.dedent("""
        import sys

        class Refuse:                       # as if neither package were installed
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("ipywidgets", "matplotlib", "traitlets", "PIL"):
                    raise ModuleNotFoundError(f"No module named {name!r}")
                return None

        sys.meta_path.insert(0, Refuse())
        import nnkit.labs
        from nnkit.labs import DescentRace, Experiment, LSTMTask, PlaygroundState
        exp = Experiment(PlaygroundState(dataset="xor"))
        exp.train(3)
        task = LSTMTask("sine", units=2, seq_len=5)
        task.train(2)
        race = DescentRace("bowl")
        race.step(3)
        loaded = sorted(m for m in sys.modules
                        if m.split(".")[0] in ("ipywidgets", "matplotlib", "traitlets"))
        assert not loaded, loaded
        assert exp.epoch == 3 and task.steps == 2
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
