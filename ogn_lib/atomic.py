"""Atomic file writes: write under a partial name of the writer's own, then rename.

Every file of the project (trajectories, sidecars, checkpoints, movies, notebooks) is
written this way, so a file under its final name is always whole, and two processes
making the same file never write into one another's partial file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def partial_path(path: Path) -> Path:
    """A unique sibling of ``path`` to write into before ``os.replace(partial, path)``;
    the suffix is kept (``S02.partial-123-ab12cd34.ipynb``) so tools that look at it work."""
    path = Path(path)
    tag = f".partial-{os.getpid()}-{secrets.token_hex(4)}"
    return path.with_name(f"{path.stem}{tag}{path.suffix}")
