"""Loss curves trained to the end once, recorded with their provenance, and read by the
pages (issue 28): S8's six layer counts, S9's four k and S10's three glass k.

Each curve is a :class:`~ogn_lib.studies.loss_curves.LossCurveStudy` trained with
:data:`~ogn_lib.learn.presets.RECORDED_CURVE_TRAINING`, in chunks of :data:`CHUNK_EPOCHS`
epochs on one core in the background (``scripts/recorded_curves.py``). Its checkpoint and
its record (``<name>.pt``, ``<name>.json`` in :data:`CURVES_FOLDER`, the name holding a
hash of everything that determines the training) are committed as it goes, so that the
training survives a new machine. The record holds the history, the study, the training
settings, the commit and the hash of the data; a page reads it once every epoch is
trained (:func:`recorded_curve`), and otherwise trains the short curve in front of the
reader, saying so.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, replace
from pathlib import Path

from ogn_lib.analysis.claims import GLASS_TIMESTEPS, LAYER_COUNTS, TIMESTEPS
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.presets import RECORDED_CURVE_TRAINING
from ogn_lib.learn.trained_models import data_sha256
from ogn_lib.learn.training import TrainingConfig
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.revision import code_revision
from ogn_lib.studies.loss_curves import LossCurveStudy, curve_name, loss_curve, study_model

CURVES_FOLDER = REPOSITORY_ROOT / "data" / "training" / "recorded" / "curves"
CHUNK_EPOCHS = 5
"""Epochs between two records of a curve in training: an interruption loses at most these."""

CURVE_SETS: dict[str, dict[int, LossCurveStudy]] = {
    "S08": {m: LossCurveStudy("lj", "reference", n_layers=m) for m in LAYER_COUNTS},
    "S09": {k: LossCurveStudy("lj", "fast", n_layers=2, k_steps=k) for k in TIMESTEPS},
    "S10": {k: LossCurveStudy("lj", "fast", n_layers=2, k_steps=k, train_group="glass-train",
                              test_group="glass-test") for k in GLASS_TIMESTEPS},
}
"""The curves of each section, by the value the figure sweeps (layers, or k)."""


def record_path(study: LossCurveStudy, profile: str, seed: int,
                folder: Path = CURVES_FOLDER) -> Path:
    """Where the record of ``study``'s recorded training is (it may not exist yet)."""
    training = replace(RECORDED_CURVE_TRAINING[profile], seed=seed)
    model = study_model(study, profile)
    return folder / f"{curve_name(study, profile, model, training, seed)}.json"


def recorded_curve(study: LossCurveStudy, profile: str, seed: int = 1,
                   folder: Path = CURVES_FOLDER) -> dict | None:
    """The history of ``study``'s recorded training when all its epochs are trained, else
    None (not recorded for this profile, or still in training)."""
    if profile not in RECORDED_CURVE_TRAINING:
        return None
    path = record_path(study, profile, seed, folder)
    if not path.exists():
        return None
    entry = json.loads(path.read_text())
    complete = len(entry["history"]["test_loss"]) == entry["training"]["epochs"]
    return entry["history"] if complete else None


def record_curve(study: LossCurveStudy, profile: str, seed: int = 1,
                 folder: Path = CURVES_FOLDER, log=print) -> dict:
    """Train ``study`` with the recorded settings, :data:`CHUNK_EPOCHS` epochs at a time
    (resuming from its checkpoint), writing its record after each chunk; returns the
    record."""
    training = replace(RECORDED_CURVE_TRAINING[profile], seed=seed)
    path = record_path(study, profile, seed, folder)
    data = [*ensure_group(profile, f"{study.system}-{study.train_group}", base_seed=seed),
            *ensure_group(profile, f"{study.system}-{study.test_group}", base_seed=seed)]
    done = 0
    while done < training.epochs:
        done = min(done + CHUNK_EPOCHS, training.epochs)
        history = loss_curve(study, profile, seed, training, folder=folder, until=done)
        done = len(history["test_loss"])
        commit, clean = code_revision("ogn_lib")
        entry = {"study": asdict(study), "label": study.label, "profile": profile,
                 "seed": seed, "training": training.to_dict(), "history": history,
                 "cpu_hours": sum(history["cpu_seconds"]) / 3600, "commit": commit,
                 "tree_clean": clean, "data_sha256": data_sha256(data),
                 "command": f"python scripts/recorded_curves.py --profile {profile}"}
        write_json_atomic(path, entry)
        log(f"{time.strftime('%H:%M:%S')} {study.label}: epoch {done} of "
            f"{training.epochs}, {entry['cpu_hours']:.2f} CPU-h, test loss "
            f"{history['test_loss'][-1]:.5f}")
    return entry


def record_sections(sections: list[str], profile: str, seed: int = 1,
                    folder: Path = CURVES_FOLDER, log=print) -> None:
    """Record every curve of ``sections`` (keys of :data:`CURVE_SETS`), in order; a curve
    already recorded to the end is skipped."""
    unknown = [section for section in sections if section not in CURVE_SETS]
    if unknown:
        raise ValueError(f"no recorded curves for {unknown}; choose from "
                         f"{', '.join(CURVE_SETS)}")
    for section in sections:
        for study in CURVE_SETS[section].values():
            if recorded_curve(study, profile, seed, folder) is None:
                record_curve(study, profile, seed, folder, log)


def section_curves(section: str, profile: str, seed: int = 1, retrain: bool = False,
                   short_training: TrainingConfig | None = None,
                   folder: Path = CURVES_FOLDER) -> tuple[dict[int, dict], bool]:
    """The histories a section's page draws, by swept value, and whether they are the
    recorded ones: recorded when every curve of ``section`` is recorded to the end and
    ``retrain`` is False; otherwise the short trainings of ``short_training`` (the
    profile's :data:`~ogn_lib.learn.presets.CURVE_TRAINING` by default), trained in front
    of the reader (``retrain`` trains them anew)."""
    studies = CURVE_SETS[section]
    if not retrain:
        recorded = {value: recorded_curve(study, profile, seed, folder)
                    for value, study in studies.items()}
        if all(history is not None for history in recorded.values()):
            return recorded, True
    return {value: loss_curve(study, profile, seed, short_training, retrain=retrain)
            for value, study in studies.items()}, False
