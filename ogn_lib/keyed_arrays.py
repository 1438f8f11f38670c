"""Arrays kept as files, named by a hash of everything that determines them.

What a page computes the same way on every build (an MD run from a saved start, a learned
rollout held at full precision, the energies of a trajectory's frames by the MD engine's
force field) is computed once: :func:`keyed_arrays` writes the arrays ``make()`` returns to
``<folder>/<kind>-<key>.npz`` and later calls read them back. The caller's key
(:func:`content_key`) hashes every input of the computation, the versions of the code that
does it included, so a changed input computes anew. A file is used only when it loads
without pickles, holds the key it is named for, and its arrays hash to the SHA-256 stored
beside them; otherwise it is made again. Files are written whole or not at all
(:func:`~ogn_lib.files.partial_path`), one process makes a given file at a time (a lock
beside it), and every call returns the arrays as read from the file, so a first and a later
call give the same numbers, bit for bit (NPY keeps dtype and bytes as they are).
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from ogn_lib.files import exclusive, partial_path

KEY = "_key"
"""The entry of a file that holds the key it was made for."""

CONTENT = "_sha256"
"""The entry that holds the SHA-256 of the file's other arrays (:func:`arrays_sha256`)."""


def feed(digest, name: str, array) -> None:
    """Feed ``array``'s name, dtype, shape and bytes to ``digest`` (hashlib)."""
    array = np.ascontiguousarray(array)
    digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
    digest.update(array.tobytes())


def content_key(record: dict, arrays: Iterable[tuple[str, np.ndarray]] = ()) -> str:
    """The SHA-256 (hex) of ``record`` (JSON-able settings and versions; other values by
    their ``str``) and of each ``(name, array)``."""
    digest = hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode())
    for name, array in arrays:
        feed(digest, name, array)
    return digest.hexdigest()


def arrays_sha256(arrays: dict[str, np.ndarray]) -> str:
    """The SHA-256 of the arrays of a file, in the order of their names."""
    digest = hashlib.sha256()
    for name in sorted(arrays):
        feed(digest, name, arrays[name])
    return digest.hexdigest()


def keyed_path(folder: Path, kind: str, key: str) -> Path:
    return Path(folder) / f"{kind}-{key[:20]}.npz"


def read_keyed(path: Path, key: str) -> dict[str, np.ndarray] | None:
    """The arrays of ``path`` when it holds ``key`` and its content hash matches, else
    None (missing, truncated, of another key, or changed)."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    found_key, found_sha = arrays.pop(KEY, None), arrays.pop(CONTENT, None)
    if found_key is None or found_sha is None or str(found_key) != key:
        return None
    return arrays if str(found_sha) == arrays_sha256(arrays) else None


def write_keyed(path: Path, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` with ``key`` and their content hash to ``path``, whole or not at
    all."""
    for name in (KEY, CONTENT):
        if name in arrays:
            raise ValueError(f"array name {name!r} is the store's own; rename the array")
    arrays = {name: np.asarray(value) for name, value in arrays.items()}
    partial = partial_path(path)
    try:
        with open(partial, "wb") as handle:
            np.savez(handle, **arrays, **{KEY: np.array(key), CONTENT:
                                          np.array(arrays_sha256(arrays))})
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def keyed_arrays(folder: Path, kind: str, key: str,
                 make: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays ``make()`` returns for ``key``, read from ``folder`` when an earlier call
    made them, else made, written there and read back."""
    path = keyed_path(folder, kind, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(path):
        found = read_keyed(path, key)
        if found is not None:
            return found
        write_keyed(path, key, make())
        found = read_keyed(path, key)
    if found is None:
        raise OSError(f"{path} could not be read back after writing it; check the disk "
                      "and the folder's permissions")
    return found
