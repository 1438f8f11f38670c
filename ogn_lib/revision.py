"""Which state of the code made a result: the git commit of the repository and whether its
working tree was clean, as a shipped model's provenance and the book's run record keep
them."""

from __future__ import annotations

import subprocess

from ogn_lib.paths import REPOSITORY_ROOT


def git(*args: str) -> str:
    """``git args`` in the repository, its output stripped; empty where git or the
    repository is missing (a copy without ``.git``)."""
    try:
        return subprocess.run(["git", *args], cwd=REPOSITORY_ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def code_revision(*paths: str) -> tuple[str, bool]:
    """(commit, whether the working tree is clean) of the repository now, the tree limited
    to ``paths`` where given (``"ogn_lib"``: the library's code); the commit is empty
    outside a git checkout."""
    return git("rev-parse", "HEAD"), git("status", "--porcelain", "--", *paths) == ""
