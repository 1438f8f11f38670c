"""Where the project's files live: the repository and its data, results and shipped
weights. The one place that derives the repository root from this file's location."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
"""The repository (an editable install runs from it)."""

SHIPPED_ROOT = REPOSITORY_ROOT / "data" / "shipped"
"""Shipped weights are committed, so they stay in the repository whatever
``$OGN_DATA_DIR`` says."""


def data_root() -> Path:
    """``$OGN_DATA_DIR`` if set, else the repository's ``data/`` folder."""
    return Path(os.environ.get("OGN_DATA_DIR", REPOSITORY_ROOT / "data"))


def results_root() -> Path:
    """``$OGN_RESULTS_DIR`` if set, else the repository's ``results/`` folder."""
    return Path(os.environ.get("OGN_RESULTS_DIR", REPOSITORY_ROOT / "results"))
