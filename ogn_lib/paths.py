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


def folder_from_environment(variable: str, default: Path) -> Path:
    """``$variable`` if set, else ``default``; refuses a variable set to nothing (a typo
    that would otherwise write into the current folder) or to something not a folder."""
    value = os.environ.get(variable)
    if value is None:
        return Path(default)
    if not value.strip():
        raise ValueError(f"${variable} is set but empty; unset it to use {default}, or set "
                         "it to a folder")
    folder = Path(value)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"${variable}={value} is a file, not a folder; point it at a "
                         f"folder (it is made when missing) or unset it to use {default}")
    return folder


def data_root() -> Path:
    """``$OGN_DATA_DIR`` if set, else the repository's ``data/`` folder."""
    return folder_from_environment("OGN_DATA_DIR", REPOSITORY_ROOT / "data")


def rollouts_folder(profile: str) -> Path:
    """Where a profile's cached rollouts are kept (:mod:`ogn_lib.learn.rollout_cache`)."""
    return data_root() / profile / "rollouts"


def cache_folder(profile: str) -> Path:
    """Where a profile's runs kept at full precision (learned rollouts' states, MD
    baselines) and the energies of trajectories are kept, each by a hash of what
    determines it (:mod:`ogn_lib.keyed_arrays`)."""
    return data_root() / profile / "cache"


def chosen_cache(profile: str, cache: bool | Path) -> Path | None:
    """The folder a study of ``profile`` keeps its runs in: the profile's
    (:func:`cache_folder`) for True, ``cache`` itself for a folder, none for False."""
    if cache is True:
        return cache_folder(profile)
    return Path(cache) if cache else None


def results_root() -> Path:
    """``$OGN_RESULTS_DIR`` if set, else the repository's ``results/`` folder."""
    return folder_from_environment("OGN_RESULTS_DIR", REPOSITORY_ROOT / "results")
