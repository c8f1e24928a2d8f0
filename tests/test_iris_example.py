"""The course's iris example (examples/iris_mlp.py), run as the course wrote it, for five seeds.

The example's code is imported from the file, not copied, so this test runs exactly what a learner
reads.  The seed reaches the model through ``models.Sequential(seed=seed)``, the example's one
extra argument.
"""
import pathlib
import runpy
import subprocess
import sys

import pytest

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "iris_mlp.py"


@pytest.fixture(scope="module")
def main():
    return runpy.run_path(str(EXAMPLE))["main"]          # defines main(); does not run it


@pytest.mark.parametrize("seed", range(5))
def test_course_example_reaches_93_percent_on_the_test_set(main, seed, capsys):
    loss, accuracy = main(seed=seed)
    assert accuracy >= 0.93                              # at most 2 of the 30 test flowers wrong
    out = capsys.readouterr()
    assert f"Loss: {loss}, Accuracy: {accuracy}" in out.out     # the course's last line
    assert "100/100" in out.err                                 # fit's progress bar ran to the end


def test_same_seed_same_result(main, capsys):
    assert main(seed=11) == main(seed=11)


def test_example_runs_as_a_script(tmp_path):
    # from another directory, as `python examples/iris_mlp.py` would be run by a learner
    done = subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Accuracy: " in done.stdout.splitlines()[-1]
