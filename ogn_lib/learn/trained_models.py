"""Trained weights the project ships, each with the provenance of its training.

Shipped checkpoints live in the repository under ``data/shipped/<profile>/`` as
``<name>-<preset>.pt`` (weights, spec and loss history; no optimizer state) and
``<name>-<preset>.json`` (the provenance: the exact command, the commit, the SHA-256 of
the training and test data, the loss per epoch, the hardware and the wall time, and the
SHA-256 of the checkpoint itself). :func:`trained_simulator` is what the notebooks call:
the shipped model when there is one, otherwise a model trained here (resumably).

A model is named for the data it learns from: a system's liquid (``lj``, ``silica``, ``si``,
``cuzr``) or a data set of :data:`~ogn_lib.learn.presets.DATA_SETS` (``lj-glass``), whose
trajectory groups are ``<name>-train`` and ``<name>-test``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shlex
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch

from ogn_lib.data.sidecar import read_metadata
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import exclusive, file_sha256, write_json_atomic
from ogn_lib.learn.checkpoint import (
    CheckpointError,
    load_checkpoint,
    load_simulator,
    save_checkpoint,
)
from ogn_lib.learn.distributed import Placement
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import (
    PRESETS,
    data_system,
    graph_cutoff,
    model_config,
    training_config,
)
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.learn.training import TrainingConfig, train
from ogn_lib.machine import describe_machine
from ogn_lib.paths import SHIPPED_ROOT, data_root
from ogn_lib.revision import code_revision

TEST_LOSS_TOLERANCE = 0.02
"""Relative tolerance between a shipped model's recorded test loss and the loss it gives on
test data regenerated on another machine (LAMMPS may round differently there)."""


@dataclass(frozen=True)
class Provenance:
    """Where a shipped checkpoint came from."""

    system: str
    """The model's name: its system, or its data set (``lj-glass``)."""
    preset: str
    profile: str
    command: str
    commit: str
    tree_clean: bool
    training_data_sha256: str
    test_data_sha256: str
    training: dict
    train_loss: list
    test_loss: list
    epoch_seconds: list
    wall_seconds: float
    hardware: dict
    checkpoint_sha256: str
    cpu_seconds: float | None = None
    """CPU time of the training process, in seconds; None for models trained before it
    was recorded (or resumed across that change)."""
    continued: list[dict] | None = None
    """For a model that continued earlier trainings (fine-tuning), oldest first: each
    one's ``epochs`` and settings (``training``); their losses, epoch times and CPU time
    come first, in that order, in the lists and sums above."""
    recording: str | None = None
    """The key of the recorded training (``scripts/recorded_training.py``) whose final
    weights these are; None for a model trained otherwise."""

    @property
    def batches(self) -> int:
        """Batches of the whole training, those of the trainings it continued included."""
        own = self.training["epochs"] * self.training["batches_per_epoch"]
        return own + sum(each["epochs"] * each["training"]["batches_per_epoch"]
                         for each in self.continued or [])

    def to_dict(self) -> dict:
        return asdict(self)


def shipped_path(profile: str, name: str, preset: str, root: Path | None = None) -> Path:
    return (root or SHIPPED_ROOT) / profile / f"{name}-{preset}.pt"


def provenance_path(checkpoint: Path) -> Path:
    return Path(checkpoint).with_suffix(".json")


def working_checkpoint(profile: str, name: str, preset: str,
                       epochs: int | None = None) -> Path:
    """Where training writes its resumable checkpoint (with optimizer state); a run of
    other than the profile's number of ``epochs`` has its own file."""
    suffix = "" if epochs is None else f"-{epochs}epochs"
    return data_root() / profile / "models" / f"{name}-{preset}{suffix}.pt"


def data_sha256(paths: list[Path]) -> str:
    """One hash over the trajectories' own SHA-256 (read from their validated sidecars)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(read_metadata(path).gsd_sha256.encode())
    return digest.hexdigest()


def hardware() -> dict:
    """The machine a model was trained on, and on how many processes (torchrun's
    ``WORLD_SIZE``)."""
    return describe_machine(torch, processes=int(os.environ.get("WORLD_SIZE", "1")))


def with_epochs(config: TrainingConfig, epochs: int | None) -> TrainingConfig:
    """``config`` over ``epochs`` (None: its own); a shorter run keeps the schedule's
    shape, its warm-up shrinking with it."""
    if epochs is None:
        return config
    return replace(config, epochs=epochs,
                   warmup_batches=config.warmup_batches * epochs // config.epochs)


def folder_trajectories(folder: Path) -> tuple[list[Path], list[Path]]:
    """The training and test trajectories of a user's data folder: every ``.gsd`` file of
    ``folder/train`` and ``folder/test`` (ogn trajectories, e.g. from ``ogn convert``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"{folder} is {'a file' if folder.exists() else 'missing'}, not a "
                         "folder; give a folder that holds train/*.gsd and test/*.gsd")
    paths = tuple(sorted((folder / role).glob("*.gsd")) for role in ("train", "test"))
    for role, found in zip(("train", "test"), paths):
        if not found:
            raise ValueError(f"{folder / role} holds no .gsd trajectory; put the training "
                             f"trajectories in {folder / 'train'} and held-out ones in "
                             f"{folder / 'test'} (bring in other programs' files with "
                             "`ogn convert`)")
    described = {path: read_metadata(path) for found in paths for path in found}
    first = next(iter(described))
    for path, metadata in described.items():
        for key in ("system", "dt", "period_steps"):
            if getattr(metadata, key) != getattr(described[first], key):
                raise ValueError(f"{path} has {key} = {getattr(metadata, key)}, {first} "
                                 f"{getattr(described[first], key)}; a data folder holds "
                                 "trajectories of one system, MD step and recording period")
    return paths


def folder_system(folder: Path) -> str:
    """The one system whose trajectories a user's data folder holds
    (:func:`folder_trajectories` refuses a folder of several)."""
    return read_metadata(folder_trajectories(folder)[0][0]).system


def folder_model(folder: Path, profile: str, preset: str) -> Path:
    """Where :func:`train_on_folder` keeps the finished model of a user's data folder."""
    return shipped_path(profile, folder_system(folder), preset, root=Path(folder) / "models")


def folder_checkpoint(folder: Path, preset: str) -> Path:
    """Where :func:`train_on_folder` keeps its resumable checkpoint by default."""
    return Path(folder) / "models" / f"{folder_system(folder)}-{preset}.pt"


def train_on_folder(folder: Path, preset: str, profile: str = "quick",
                    checkpoint: Path | None = None, seed: int = 0,
                    cutoff: float | None = None, k_steps: int | None = None,
                    epochs: int | None = None, resume: bool = False,
                    placement: Placement | None = None,
                    progress: bool = True) -> tuple[Path, dict]:
    """Train a preset on a user's trajectories (:func:`folder_trajectories`) of one system,
    any system: the profile's network sizes and training, the system's graph ``cutoff``
    and stride ``k_steps`` where ogn knows them, else as given. The resumable checkpoint
    goes to ``checkpoint`` (default ``folder/models/<system>-<preset>.pt``); once training
    has finished, the model is kept with its provenance in ``folder/models/<profile>/``, as
    a shipped one (:func:`ship`). Returns that model's path and the history."""
    train_paths, test_paths = folder_trajectories(folder)
    system = folder_system(folder)
    k_steps = k_steps or PRESETS[preset].k_steps(system)
    train_pairs = PairSet([read_trajectory(path) for path in train_paths], k_steps)
    test_pairs = PairSet([read_trajectory(path) for path in test_paths], k_steps)
    model = model_config(preset, profile, len(train_pairs.type_names),
                         graph_cutoff(system) if cutoff is None else cutoff, system)
    config = with_epochs(replace(training_config(profile, preset, system), seed=seed), epochs)
    checkpoint = Path(checkpoint or folder_checkpoint(folder, preset))
    placement = placement or Placement()
    with exclusive(checkpoint) if placement.world_size == 1 else nullcontext():
        history = train(model, train_pairs, test_pairs, config, checkpoint, resume=resume,
                        progress=progress, placement=placement)
    if not placement.is_writer:
        return checkpoint, history
    kept = ship(profile, system, preset, checkpoint, (train_paths, test_paths),
                root=Path(folder) / "models")
    return kept, history


def ship(profile: str, name: str, preset: str, checkpoint: Path,
         data: tuple[list[Path], list[Path]], root: Path | None = None,
         command: str | None = None, continued: Sequence[Path] = (),
         recording: str | None = None) -> Path:
    """Copy a finished training checkpoint into the shipped folder (weights, spec and
    history only) and write its provenance beside it. ``data`` is the (training, test)
    trajectory files it was trained on; ``continued``, the finished checkpoints of the
    trainings it continued, oldest first (the last one's weights are those its training
    started from), whose histories then come first in the shipped one; ``recording``, the
    key of the recorded training it is, if any."""
    payload = load_checkpoint(checkpoint)
    history = payload["history"]
    training = json.loads(payload["training"])
    if len(history["test_loss"]) < training["epochs"]:
        raise CheckpointError(
            f"{checkpoint}: trained {len(history['test_loss'])} of {training['epochs']} "
            "epochs; finish it with `ogn train ... --resume` before shipping")
    earlier = []
    for path in reversed(continued):
        before = load_checkpoint(path)
        if before["spec"] != payload["spec"]:
            raise CheckpointError(f"{checkpoint} does not continue {path}: they hold "
                                  "different models; give the checkpoints it continued")
        epochs = len(before["history"]["test_loss"])
        earlier.insert(0, {"epochs": epochs, "training": json.loads(before["training"])})
        before["history"].setdefault("cpu_seconds", [float("nan")] * epochs)
        history = {key: before["history"][key] + values for key, values in history.items()}
    simulator = load_simulator(checkpoint, system=data_system(name))
    # The state of the code that trained it, read before the new files change the tree.
    commit, tree_clean = code_revision()
    target = shipped_path(profile, name, preset, root)
    save_checkpoint(target, simulator, history=history, training=payload["training"])
    train_paths, test_paths = data
    provenance = Provenance(
        system=name, preset=preset, profile=profile,
        command=command or shlex.join(["ogn", *sys.argv[1:]]),
        commit=commit, tree_clean=tree_clean,
        training_data_sha256=data_sha256(train_paths),
        test_data_sha256=data_sha256(test_paths), training=training,
        train_loss=history["train_loss"], test_loss=history["test_loss"],
        epoch_seconds=history["seconds"], wall_seconds=float(sum(history["seconds"])),
        hardware=hardware(), checkpoint_sha256=file_sha256(target),
        cpu_seconds=_total_cpu_seconds(history), continued=earlier or None,
        recording=recording)
    write_json_atomic(provenance_path(target), provenance.to_dict())
    return target


def _total_cpu_seconds(history: dict) -> float | None:
    """The training's CPU time in seconds, when every epoch recorded one."""
    total = float(sum(history.get("cpu_seconds", [float("nan")])))
    return None if math.isnan(total) else total


def read_provenance(checkpoint: Path) -> Provenance:
    path = provenance_path(checkpoint)
    if not path.exists():
        raise CheckpointError(f"{checkpoint}: no provenance {path.name} beside it; ship "
                              "models with `ogn train ... --ship`")
    try:
        return Provenance(**json.loads(path.read_text()))
    except (json.JSONDecodeError, UnicodeDecodeError, TypeError) as error:
        raise CheckpointError(
            f"{path}: not the provenance of {Path(checkpoint).name} ({error}); restore it "
            "with `git checkout`, ship the model again, or move the JSON away") from error


def verified_provenance(checkpoint: Path) -> Provenance:
    """The provenance beside ``checkpoint``, after checking the checkpoint's bytes against
    the SHA-256 it records: a shipped model is used only as it was shipped."""
    provenance = read_provenance(checkpoint)
    actual = file_sha256(checkpoint)
    if actual != provenance.checkpoint_sha256:
        raise CheckpointError(
            f"{checkpoint}: SHA-256 {actual[:12]} differs from its provenance "
            f"({str(provenance.checkpoint_sha256)[:12]}); the file was changed or "
            "truncated. Restore it with `git checkout` or retrain and ship it again")
    return provenance


def load_checked(checkpoint: Path, system: str | None = None) -> LearnedSimulator:
    """The simulator in ``checkpoint`` (trained for ``system`` when given), after checking
    its bytes against the provenance beside it where there is one; what ``ogn rollout``
    and the ASE driver load."""
    checkpoint = Path(checkpoint)
    if checkpoint.suffix == ".json":
        raise ValueError(f"checkpoint {checkpoint}: a JSON file (a shipped model's "
                         "provenance?), not a checkpoint; give the .pt file beside it")
    if checkpoint.is_file() and provenance_path(checkpoint).exists():
        verified_provenance(checkpoint)
    return load_simulator(checkpoint, system=system)


def load_shipped(profile: str, name: str, preset: str,
                 root: Path | None = None) -> tuple[LearnedSimulator, Provenance]:
    """The shipped simulator of data set ``name`` and its provenance, after checking the
    file against the SHA-256 the provenance records."""
    path = shipped_path(profile, name, preset, root)
    if not path.exists():
        raise CheckpointError(
            f"{path}: no shipped {preset}-OGN for {name} ({profile}); train it with "
            f"`{train_command(profile, name, preset)} --ship`")
    provenance = verified_provenance(path)
    return (load_simulator(path, system=data_system(name),
                           k_steps=PRESETS[preset].k_steps(name)),
            provenance)


def train_command(profile: str, name: str, preset: str) -> str:
    """The ``ogn train`` command line that trains the model of data set ``name``."""
    system = data_system(name)
    data = "" if system == name else f" --{name.removeprefix(system + '-')}"
    return f"ogn train --system {system}{data} --preset {preset} --profile {profile}"


