"""Potential-energy models the project ships, each with the provenance of its fit.

The energy-rescaled rollouts hold the total energy of a small learned model
(:mod:`ogn_lib.learn.energy_model`) fitted to the potential energies MD saved with the
training trajectories: a minute or more of CPU per data set, the same numbers on every
machine that makes the same trajectories. So the fit of each quick data set is shipped as
the OGNs are, under ``data/shipped/energy/<profile>/<name>.pt`` with ``<name>.json``
beside it (the command, the commit, the SHA-256 of the training and test data, the
cutoff and descriptors, the fit's scores, its CPU seconds and machine, and the SHA-256 of
the model file). A shipped model is used only where the data it was fitted to are the
data here (their SHA-256), with the same cutoff and descriptors; otherwise the model is
fitted here (:func:`~ogn_lib.studies.profile_models.energy_model_for`).
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from ogn_lib.files import file_sha256, write_json_atomic
from ogn_lib.learn.checkpoint import CheckpointError
from ogn_lib.learn.energy_model import (
    DescriptorSettings,
    EnergyFit,
    PotentialEnergyModel,
    load_energy_model,
    save_energy_model,
)
from ogn_lib.machine import describe_machine
from ogn_lib.paths import SHIPPED_ROOT
from ogn_lib.revision import code_revision


@dataclass(frozen=True)
class EnergyProvenance:
    """Where a shipped energy model came from."""

    name: str
    """The data set it was fitted to: a system's liquid, or ``lj-glass``."""
    profile: str
    command: str
    commit: str
    tree_clean: bool
    training_data_sha256: str
    test_data_sha256: str
    cutoff: float
    """r_c of its descriptors, in the system's length unit."""
    settings: dict
    fit: dict
    cpu_seconds: float
    """CPU time of the fit, in seconds."""
    hardware: dict
    model_sha256: str


def shipped_energy_path(profile: str, name: str, root: Path | None = None) -> Path:
    """Where data set ``name``'s shipped energy model of ``profile`` lives."""
    return (root or SHIPPED_ROOT) / "energy" / profile / f"{name}.pt"


def ship_energy_model(profile: str, name: str, model: PotentialEnergyModel, fit: EnergyFit,
                      data_sha256: tuple[str, str], cpu_seconds: float,
                      root: Path | None = None, command: str | None = None) -> Path:
    """Write ``model`` (fitted to data whose training and test SHA-256 are
    ``data_sha256``, in ``cpu_seconds``) to the shipped folder with its provenance."""
    commit, tree_clean = code_revision()  # read before the new files change the tree
    path = shipped_energy_path(profile, name, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_energy_model(path, model, fit, data_sha256=data_sha256[0])
    provenance = EnergyProvenance(
        name=name, profile=profile, command=command or shlex.join(sys.argv),
        commit=commit, tree_clean=tree_clean, training_data_sha256=data_sha256[0],
        test_data_sha256=data_sha256[1], cutoff=model.spec.cutoff,
        settings=asdict(model.spec.settings), fit=asdict(fit),
        cpu_seconds=round(float(cpu_seconds), 1), hardware=describe_machine(),
        model_sha256=file_sha256(path))
    write_json_atomic(path.with_suffix(".json"), asdict(provenance))
    return path


def shipped_energy_provenance(profile: str, name: str, root: Path | None = None) -> dict:
    """The provenance of data set ``name``'s shipped energy model, after checking the
    model file's bytes against it; a missing or damaged file is refused with how to restore
    it."""
    path = shipped_energy_path(profile, name, root)
    provenance = path.with_suffix(".json")
    if not (path.exists() and provenance.exists()):
        raise CheckpointError(f"{path}: no shipped energy model with its provenance "
                              f"{provenance.name}; restore both with `git checkout`, or ship "
                              "it with `python scripts/ship_energy_models.py`")
    try:
        record = json.loads(provenance.read_text())
        recorded = str(record["model_sha256"])
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"{provenance}: not an energy model's provenance ({error}); "
                              "restore it with `git checkout`") from None
    if file_sha256(path) != recorded:
        raise CheckpointError(f"{path}: SHA-256 differs from its provenance ({recorded[:12]}); "
                              "the file was changed or truncated. Restore it with `git "
                              "checkout`, or ship the model again")
    return record


def shipped_energy_model(profile: str, name: str, data_sha256: tuple[str, str],
                         cutoff: float, settings: DescriptorSettings,
                         root: Path | None = None
                         ) -> tuple[PotentialEnergyModel, EnergyFit] | None:
    """Data set ``name``'s shipped energy model and its fit, when one is shipped and was
    fitted to training data and scored on test data of ``data_sha256`` (training, test)
    with ``cutoff`` and ``settings``; None otherwise (none shipped, or of other data or
    settings). A damaged shipped file is refused (:func:`shipped_energy_provenance`)."""
    path = shipped_energy_path(profile, name, root)
    if not (path.exists() or path.with_suffix(".json").exists()):
        return None
    record = shipped_energy_provenance(profile, name, root)
    model, fit, fitted_to = load_energy_model(path)
    found = ((fitted_to, record["test_data_sha256"]), model.spec.cutoff, model.spec.settings)
    return (model, fit) if found == (tuple(data_sha256), cutoff, settings) else None
