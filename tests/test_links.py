"""`make links`: the Binder badge and the nbgitpuller link formed from the clone's own origin.

Run on a real temporary clone whose origin is set to made-up addresses of each kind (https and
git@ on GitHub, GitLab and another host), and the links compared with the forms mybinder.org and
nbgitpuller document: ``/v2/gh/OWNER/REPO/<ref>``, ``/v2/gl/<url-encoded path>/<ref>``,
``/v2/git/<url-encoded clone URL>/<ref>``; ``/hub/user-redirect/git-pull?repo=…&branch=…&urlpath=…``.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
LESSON = "lessons/00_start_here.ipynb"

spec = importlib.util.spec_from_file_location("links", REPO / "binder" / "links.py")
links = importlib.util.module_from_spec(spec)
spec.loader.exec_module(links)

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None,
                                reason="needs git and make (.ci/run installs both)")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                           "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def clone():
    """A clone of a small repository holding the Makefile, README.md and binder/links.py."""
    root = Path(tempfile.mkdtemp(prefix="nnkit-links-"))
    source = root / "source"
    (source / "binder").mkdir(parents=True)
    for name in ("Makefile", "README.md", "binder/links.py"):
        shutil.copy(REPO / name, source / name)
    git(source, "init", "-q")
    git(source, "checkout", "-q", "-b", "course")
    git(source, "add", ".")
    git(source, "commit", "-q", "-m", "start")
    git(root, "clone", "-q", str(source), "clone")
    yield root / "clone"
    shutil.rmtree(root, ignore_errors=True)


def make_links(clone: Path, origin: str, *extra: str) -> dict[str, str]:
    git(clone, "remote", "set-url", "origin", origin)
    proc = subprocess.run(["make", "--no-print-directory", "-C", str(clone), "links", *extra],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if ": " in line and not
             line.startswith(("python", "make"))]
    return {line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip() for line in lines}


@pytest.mark.parametrize("origin", ["https://github.com/ada-l/nn-course.git",
                                    "https://github.com/ada-l/nn-course",
                                    "git@github.com:ada-l/nn-course.git",
                                    "ssh://git@github.com/ada-l/nn-course.git"])
def test_github_origin_gives_the_gh_badge_and_the_clone_url(clone, origin):
    out = make_links(clone, origin)
    assert out["Binder"] == ("https://mybinder.org/v2/gh/ada-l/nn-course/HEAD"
                             "?urlpath=lab%2Ftree%2Flessons%2F00_start_here.ipynb")
    assert out["badge"] == f"[![Binder](https://mybinder.org/badge_logo.svg)]({out['Binder']})"
    assert out["Binder 中文"] == out["Binder"].replace("lessons%2F", "lessons%2Fzh%2F")
    pull = urlsplit(out["nbgitpuller"])
    query = {k: v[0] for k, v in parse_qs(pull.query).items()}
    assert pull.path == "/hub/user-redirect/git-pull"
    assert query == {"repo": "https://github.com/ada-l/nn-course.git", "branch": "course",
                     "urlpath": f"lab/tree/nn-course/{LESSON}"}


@pytest.mark.parametrize("origin, spec", [
    ("git@gitlab.com:group/sub/nn-course.git", "gl/group%2Fsub%2Fnn-course"),
    ("https://codeberg.org/ada-l/nn-course.git",
     "git/https%3A%2F%2Fcodeberg.org%2Fada-l%2Fnn-course.git"),
    ("git@git.example.edu:teach/nn-course.git",
     "git/https%3A%2F%2Fgit.example.edu%2Fteach%2Fnn-course.git"),
])
def test_other_hosts_use_gitlab_or_plain_git_forms(clone, origin, spec):
    out = make_links(clone, origin, "WRITE=")
    binder = urlsplit(out["Binder"])
    assert binder.path == f"/v2/{spec}/HEAD"
    assert unquote(binder.query) == f"urlpath=lab/tree/{LESSON}"
    assert parse_qs(urlsplit(out["nbgitpuller"]).query)["urlpath"] == [
        f"lab/tree/nn-course/{LESSON}"]


def test_write_puts_the_badge_into_the_clones_readme(clone):
    readme = clone / "README.md"
    before = readme.read_text()
    out = make_links(clone, "git@github.com:ada-l/nn-course.git", "WRITE=1")
    after = readme.read_text()
    assert out["README.md"] == "badge updated"
    assert out["badge"] in after.splitlines()
    # only the badge line changed
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(changed) == 1 and changed[0][0].startswith("[![Binder](")
    assert make_links(clone, "git@github.com:ada-l/nn-course.git",
                      "WRITE=1")["README.md"] == "badge already points here"


def test_no_usable_origin_is_an_error_that_says_what_to_do(clone):
    git(clone, "remote", "set-url", "origin", "/srv/some/local/path")
    proc = subprocess.run(["make", "--no-print-directory", "-C", str(clone), "links"],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "origin must be a remote repository address" in proc.stderr
    assert "git remote set-url origin https://github.com/OWNER/REPO.git" in proc.stderr
    assert "remote add" not in proc.stderr                   # origin exists: adding it would fail


def test_a_missing_remote_is_to_be_added(clone, capsys):
    assert links.main(["--repo", str(clone), "--remote", "upstream"]) == 1
    err = capsys.readouterr().err
    assert "git remote add upstream https://github.com/OWNER/REPO.git" in err
    assert "set-url" not in err


def test_hub_address_goes_into_the_nbgitpuller_link():
    url = links.nbgitpuller_url("github.com", "ada-l/nn-course", "main", "https://hub.example.edu/")
    assert url.startswith("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2F")
