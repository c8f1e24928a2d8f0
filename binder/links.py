"""The Binder badge and the nbgitpuller link for THIS clone, formed from its ``origin`` remote.

    python binder/links.py                       # print both (what `make links` runs)
    python binder/links.py --hub hub.example.org # the nbgitpuller link for your JupyterHub
    python binder/links.py --write               # also put the badge into README.md

A fork's README must point at the fork, so nothing here is written by hand: the badge is
``https://mybinder.org/v2/<provider>/<repository>/HEAD?urlpath=<lesson 00>`` where the provider
and the repository come from ``git remote get-url origin``:

* ``https://github.com/OWNER/REPO(.git)`` or ``git@github.com:OWNER/REPO(.git)`` → ``gh/OWNER/REPO``
* the same on gitlab.com → ``gl/OWNER%2FREPO``
* any other host → ``git/<the https clone URL, URL-encoded>`` (mybinder.org clones it with git)

and the nbgitpuller link is ``https://HUB/hub/user-redirect/git-pull?repo=…&branch=…&urlpath=…``,
which clones the repository into a folder named REPO in each student's home.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

LESSON = "lessons/00_start_here.ipynb"
LESSON_ZH = "lessons/zh/00_start_here.ipynb"   # the Chinese lesson 00
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"

# scp-like "git@host:owner/repo.git", "ssh://git@host[:port]/owner/repo.git", "https://host/owner/repo"
_SCP = re.compile(r"^(?:[\w.+-]+@)?(?P<host>[\w.-]+):(?!//)(?P<path>[^\s]+?)(?:\.git)?/?$")
_URL = re.compile(r"^(?:https?|ssh|git)://(?:[^@/\s]+@)?(?P<host>[\w.-]+)(?::\d+)?/"
                  r"(?P<path>[^\s]+?)(?:\.git)?/?$")


def parse_remote(url: str) -> tuple[str, str]:
    """``origin``'s URL → (host, "owner/repo"), for https, ssh and scp-like (git@) addresses.

    >>> parse_remote("git@github.com:ada/nnkit.git")
    ('github.com', 'ada/nnkit')
    """
    url = url.strip()
    match = _URL.match(url) or _SCP.match(url)
    if match is None or "/" not in match["path"]:
        raise ValueError(f"origin must be a remote repository address such as "
                         f"https://github.com/OWNER/REPO.git or git@github.com:OWNER/REPO.git. "
                         f"Received: {url!r}.")
    return match["host"].lower(), match["path"].strip("/")


def https_clone_url(host: str, path: str) -> str:
    return f"https://{host}/{path}.git"


def binder_url(host: str, path: str, lesson: str = LESSON) -> str:
    """The mybinder.org address that builds this repository and opens ``lesson`` in JupyterLab."""
    if host == "github.com":
        spec = f"gh/{path}"
    elif host == "gitlab.com":
        spec = f"gl/{quote(path, safe='')}"
    else:
        spec = f"git/{quote(https_clone_url(host, path), safe='')}"
    return f"https://mybinder.org/v2/{spec}/HEAD?urlpath={quote('lab/tree/' + lesson, safe='')}"


def badge(host: str, path: str) -> str:
    """The README's first line: the Binder badge as Markdown."""
    return f"[![Binder]({BADGE_IMAGE})]({binder_url(host, path)})"


def nbgitpuller_url(host: str, path: str, branch: str, hub: str = "<your-hub>",
                    lesson: str = LESSON) -> str:
    """The JupyterHub link that clones (later: updates) the repository and opens ``lesson``."""
    folder = path.rsplit("/", 1)[-1]                   # nbgitpuller clones into the repo's name
    hub = re.sub(r"^https?://", "", hub).rstrip("/")
    return (f"https://{hub}/hub/user-redirect/git-pull"
            f"?repo={quote(https_clone_url(host, path), safe='')}&branch={quote(branch, safe='')}"
            f"&urlpath={quote(f'lab/tree/{folder}/{lesson}', safe='')}")


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def current_branch(repo: Path) -> str:
    """The checked-out branch ("main" for a detached checkout)."""
    try:
        return git(repo, "symbolic-ref", "--short", "-q", "HEAD") or "main"
    except RuntimeError:
        return "main"


def write_badge(readme: Path, line: str) -> bool:
    """Replace the README's Binder badge line with ``line``; True if the file changed."""
    text = readme.read_text(encoding="utf-8")
    new, count = re.subn(r"^\[!\[Binder\]\([^)]*\)\]\([^)]*\)$", line, text, count=1,
                         flags=re.MULTILINE)
    if count == 0:
        raise ValueError(f"{readme} has no line starting with '[![Binder](' to replace")
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1],
                        help="the clone (default: the one this script is in)")
    parser.add_argument("--remote", default="origin")
    parser.add_argument("--branch", help="for nbgitpuller (default: the checked-out branch)")
    parser.add_argument("--hub", default="<your-hub>", help="your JupyterHub's address")
    parser.add_argument("--write", action="store_true", help="put the badge into README.md")
    args = parser.parse_args(argv)
    try:
        url = git(args.repo, "remote", "get-url", args.remote)
    except RuntimeError as err:                     # no such remote: add it
        print(f"links: {err}\nSet the remote first: git remote add {args.remote} "
              f"https://github.com/OWNER/REPO.git", file=sys.stderr)
        return 1
    try:
        host, path = parse_remote(url)
    except ValueError as err:                       # it exists (e.g. a local path): point it away
        print(f"links: {err}\nPoint the remote at your hosted repository: git remote set-url "
              f"{args.remote} https://github.com/OWNER/REPO.git", file=sys.stderr)
        return 1
    branch = args.branch or current_branch(args.repo)
    print(f"repository: {https_clone_url(host, path)} (remote {args.remote}, branch {branch})")
    print(f"Binder:     {binder_url(host, path)}")
    print(f"Binder 中文: {binder_url(host, path, LESSON_ZH)}")
    print(f"badge:      {badge(host, path)}")
    print(f"nbgitpuller: {nbgitpuller_url(host, path, branch, args.hub)}")
    if args.write:
        changed = write_badge(args.repo / "README.md", badge(host, path))
        print("README.md: badge " + ("updated" if changed else "already points here"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
