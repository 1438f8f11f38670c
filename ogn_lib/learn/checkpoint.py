"""Checkpoints that hold only tensors and plain data, written atomically.

A checkpoint is a dict of tensors, numbers, strings, lists and dicts saved with
``torch.save`` and read back with ``torch.load(weights_only=True)``, which refuses any
pickled object that could run code. It is written to a partial file and renamed, so an
interrupted write never replaces a good checkpoint.
"""

from __future__ import annotations

import os
import pickle
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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT, "spec": simulator.spec.to_dict(),
               "model": simulator.network.state_dict(), **extra}
    partial = partial_path(path)
    torch.save(payload, partial)
    os.replace(partial, path)


def load_checkpoint(path: Path) -> dict:
    """The checkpoint's contents; refuses files that hold anything but plain data."""
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path}: no such checkpoint; train one with `ogn train`")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        raise CheckpointError(
            f"{path}: refused, it holds objects other than tensors and plain data, which "
            f"could run code when loaded ({str(error).splitlines()[0]}). Only load "
            "checkpoints written by `ogn train`.") from error
    except (RuntimeError, EOFError) as error:
        raise CheckpointError(f"{path}: unreadable checkpoint ({error}); it may be "
                              "truncated. Retrain or restore it.") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not an ogn checkpoint (expected format {FORMAT})")
    return payload


def load_simulator(path: Path, system: str | None = None, k_steps: int | None = None,
                   network_factory: NetworkFactory = OGNNetwork) -> LearnedSimulator:
    """A trained simulator in evaluation mode; ``system`` and ``k_steps``, when given, must
    match what it was trained for, and ``network_factory`` must build the network it was
    trained with."""
    payload = load_checkpoint(path)
    spec = SimulatorSpec.from_dict(payload["spec"])
    if system is not None and spec.system != system:
        raise CheckpointError(f"{path}: trained for system {spec.system!r}, not {system!r}; "
                              f"use a checkpoint trained on {system}")
    if k_steps is not None and spec.k_steps != k_steps:
        raise CheckpointError(f"{path}: predicts k = {spec.k_steps} MD steps, not "
                              f"k = {k_steps}; use a checkpoint trained with k = {k_steps}")
    simulator = LearnedSimulator(spec, network_factory(spec.model))
    simulator.network.load_state_dict(payload["model"])
    return simulator.eval()
