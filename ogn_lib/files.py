"""Files: atomic writes (text, JSON), content hashes, locks, and whether two paths name
one file.

Atomic: write under a partial name of the writer's own, then rename.

Every file of the project (trajectories, sidecars, checkpoints, movies, notebooks) is
written this way, so a file under its final name is always whole, and two processes
making the same file never write into one another's partial file. A process killed
outright (``kill -9``, a power cut) leaves its partial file behind; the next writer of the
same file removes it.
"""

from __future__ import annotations

import fcntl
import functools
import glob
import hashlib
import json
import os
import re
import secrets
from contextlib import contextmanager
from pathlib import Path


def partial_path(path: Path) -> Path:
    """A unique sibling of ``path`` to write into before ``os.replace(partial, path)``;
    the suffix is kept (``S02.partial-123-ab12cd34.ipynb``) so tools that look at it work.
    The partial files of ``path`` that ended processes left behind are removed first."""
    path = Path(path)
    remove_abandoned_partials(path)
    tag = f".partial-{os.getpid()}-{secrets.token_hex(4)}"
    return path.with_name(f"{path.stem}{tag}{path.suffix}")


def remove_abandoned_partials(path: Path) -> list[Path]:
    """Delete the partial files of ``path`` whose writer (the process id in their name) no
    longer runs on this machine, and return them; those of running writers stay. (A folder
    that several machines write at once would lose the partial files of the others.)"""
    path = Path(path)
    pattern = re.compile(re.escape(path.stem) + r"\.partial-(\d+)-[0-9a-f]{8}"
                         + re.escape(path.suffix))
    removed = []
    for candidate in path.parent.glob(f"{glob.escape(path.stem)}.partial-*"):
        match = pattern.fullmatch(candidate.name)
        if match and not _process_runs(int(match[1])):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through its partial file and an atomic rename."""
    path = Path(path)
    partial = partial_path(path)
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


@contextmanager
def exclusive(path: Path):
    """Hold an exclusive lock on ``path`` (through ``<path>.lock`` beside it) while making
    it: a second process making the same file, say two notebooks executed at once that
    train the same model, waits and then finds the file made instead of training it too.
    The lock is released when the holder exits, even when it is killed."""
    lock = Path(path).with_name(Path(path).name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256_by_version(path: Path) -> str:
    """:func:`file_sha256`, read again only when the file's size or modification time
    changes (a potential file hashed for every trajectory or run that names it)."""
    stat = Path(path).stat()
    return _file_sha256_of_version(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _file_sha256_of_version(path: str, size: int, mtime_ns: int) -> str:
    return file_sha256(Path(path))


def write_json_atomic(path: Path, payload: dict) -> None:
    """Write JSON to ``path`` through a temporary file and an atomic rename."""
    write_text_atomic(path, json.dumps(payload, indent=2, sort_keys=True) + "\n")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through symbolic or hard links too)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
