"""Checkpoints that hold only tensors and plain data, written atomically.

A checkpoint is a dict of tensors, numbers, strings, lists and dicts saved with
``torch.save`` and read back with ``torch.load(weights_only=True)``, which refuses any
pickled object that could run code. It is written to a partial file and renamed, so an
interrupted write never replaces a good checkpoint.
"""

from __future__ import annotations

import os
import pickle
import zipfile
from pathlib import Path

import torch

from ogn_lib.files import partial_path
from ogn_lib.learn.network import OGNNetwork
from ogn_lib.learn.simulator import LearnedSimulator, NetworkFactory, SimulatorSpec

FORMAT = "ogn-checkpoint-1"


class CheckpointError(RuntimeError):
    """A checkpoint is unreadable, unsafe, or does not fit the requested use."""


def save_checkpoint(path: Path, simulator: LearnedSimulator, **extra) -> None:
    """Write the simulator (spec + weights) and ``extra`` plain-data entries atomically."""
    save_plain_data(path, {"format": FORMAT, "spec": simulator.spec.to_dict(),
                           "model": simulator.network.state_dict(), **extra})


def save_plain_data(path: Path, payload: dict) -> None:
    """``torch.save`` a dict of tensors and plain data atomically (partial file, then
    rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    try:
        torch.save(payload, partial)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def load_checkpoint(path: Path) -> dict:
    """The checkpoint's contents; refuses files that hold anything but plain data."""
    return load_plain_data(path, FORMAT, "checkpoint", "`ogn train`")


def load_plain_data(path: Path, expected_format: str, what: str, writer: str) -> dict:
    """A ``torch.save`` file of plain data whose ``format`` is ``expected_format``;
    ``what`` names such a file in messages ("checkpoint") and ``writer`` is the command
    that writes it ("`ogn train`")."""
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path}: no such {what}; write one with {writer}")
    if not path.is_file():
        raise CheckpointError(f"{path}: a folder, not a {what}; give the .pt file "
                              f"that {writer} wrote")
    try:
        is_archive = zipfile.is_zipfile(path)
        payload = torch.load(path, map_location="cpu", weights_only=True) if is_archive else None
    except pickle.UnpicklingError as error:
        raise CheckpointError(
            f"{path}: refused, it holds objects other than tensors and plain data, which "
            f"could run code when loaded ({_unsupported(error)}). Only load files "
            f"written by {writer}.") from error
    except (RuntimeError, EOFError, KeyError, ValueError) as error:
        raise CheckpointError(f"{path}: unreadable {what} ({str(error).splitlines()[0]}); "
                              "it may be truncated. Retrain or restore it.") from error
    except OSError as error:
        raise CheckpointError(f"{path}: cannot be read ({error.strerror}); check the path "
                              "and its permissions") from error
    if not is_archive:
        raise CheckpointError(
            f"{path}: not a {what} ({path.stat().st_size} bytes that are not the zip "
            f"archive torch.save writes: empty, truncated or another kind of file). Write "
            f"it again with {writer} or restore it.")
    found = payload.get("format") if isinstance(payload, dict) else None
    family = expected_format.rpartition("-")[0]
    if isinstance(found, str) and found != expected_format and found.startswith(family + "-"):
        raise CheckpointError(f"{path}: an ogn {what} of an older format ({found}, this "
                              f"version reads {expected_format}); write it again with {writer}")
    if found != expected_format:
        raise CheckpointError(f"{path}: not an ogn {what} (expected format "
                              f"{expected_format}); give one written by {writer}")
    return payload


def _unsupported(error: pickle.UnpicklingError) -> str:
    """What torch's long refusal names as the object it would not load."""
    for line in str(error).splitlines():
        _, found, rest = line.partition("Unsupported")
        if found:
            return (found + rest).split(" was not")[0].split(". ")[0].strip()
    return "not plain data"


def load_simulator(path: Path, system: str | None = None, k_steps: int | None = None,
                   network_factory: NetworkFactory = OGNNetwork) -> LearnedSimulator:
    """A trained simulator in evaluation mode; ``system`` and ``k_steps``, when given, must
    match what it was trained for, and ``network_factory`` must build the network it was
    trained with."""
    payload = load_checkpoint(path)
    try:
        spec = SimulatorSpec.from_dict(payload["spec"])
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{path}: its simulator spec is missing or malformed "
                              f"({type(error).__name__}: {error}); retrain it with "
                              "`ogn train`") from error
    if system is not None and spec.system != system:
        raise CheckpointError(f"{path}: trained for system {spec.system!r}, not {system!r}; "
                              f"use a checkpoint trained on {system}")
    if k_steps is not None and spec.k_steps != k_steps:
        raise CheckpointError(f"{path}: predicts k = {spec.k_steps} MD steps, not "
                              f"k = {k_steps}; use a checkpoint trained with k = {k_steps}")
    simulator = LearnedSimulator(spec, network_factory(spec.model))
    try:
        simulator.network.load_state_dict(payload["model"])
    except (KeyError, RuntimeError) as error:
        lines = str(error).strip().splitlines()
        detail = (lines[1] if len(lines) > 1 else lines[0]).strip()
        raise CheckpointError(f"{path}: its weights do not fit the network its spec "
                              f"describes ({detail}); retrain it with `ogn train`, or "
                              "load it with the network it was trained with") from error
    return simulator.eval()
