"""Test-loss curves of OGN variants, trained in front of the reader (S1 A, S8, S9, S10).

A :class:`LossCurveStudy` names one variant (system, preset, and optionally another
number of message-passing layers or MD steps per prediction). :func:`loss_curve` trains
it on the ground-truth training trajectories and returns the test loss of every epoch;
the checkpoint is named by a hash of everything that determines it (study, network
sizes, training settings, profile, seed), so a finished training is reused, an
interrupted one resumes, and a changed setting trains anew.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import exclusive
from ogn_lib.learn.network import ModelConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import CURVE_TRAINING, PRESETS, graph_cutoff, model_config
from ogn_lib.learn.training import TrainingConfig, train
from ogn_lib.md.systems import get_system
from ogn_lib.paths import data_root


@dataclass(frozen=True)
class LossCurveStudy:
    """One variant of a loss-curve figure."""

    system: str
    preset: str
    n_layers: int | None = None
    """Message-passing layers; the preset's when None."""
    k_steps: int | None = None
    """MD steps per prediction; the preset's when None."""
    train_group: str = "train"
    test_group: str = "test"

    @property
    def resolved_k_steps(self) -> int:
        return self.k_steps or PRESETS[self.preset].k_steps(self.system)

    @property
    def label(self) -> str:
        layers = self.n_layers or PRESETS[self.preset].n_layers
        return f"{self.system} {self.preset} M={layers} k={self.resolved_k_steps}"


def _pairs(profile: str, group: str, k_steps: int, seed: int) -> PairSet:
    paths = ensure_group(profile, group, base_seed=seed)
    return PairSet([read_trajectory(path) for path in paths], k_steps)


def study_model(study: LossCurveStudy, profile: str) -> ModelConfig:
    """The network ``study`` trains: its preset's in ``profile``, with the study's number of
    message-passing layers."""
    model = model_config(study.preset, profile, len(get_system(study.system).type_names),
                         graph_cutoff(study.system), study.system)
    return model if study.n_layers is None else replace(model, n_layers=study.n_layers)


def curve_name(study: LossCurveStudy, profile: str, model: ModelConfig,
               training: TrainingConfig, seed: int) -> str:
    """The file stem of a training: the study's label and a hash of everything that
    determines it (study, network sizes, training settings, profile, seed)."""
    payload = json.dumps({"study": asdict(study), "model": model.to_dict(),
                          "training": training.to_dict(), "profile": profile,
                          "seed": seed}, sort_keys=True)
    key = hashlib.sha256(payload.encode()).hexdigest()[:12]
    return f"{study.label.replace(' ', '-').replace('=', '')}-{key}"


def loss_curve(study: LossCurveStudy, profile: str, seed: int = 1,
               training: TrainingConfig | None = None, retrain: bool = False,
               folder: Path | None = None, until: int | None = None) -> dict:
    """Train ``study`` (or reuse its finished training) and return its history:
    ``train_loss``, ``test_loss``, ``seconds`` and ``cpu_seconds`` per epoch. The
    checkpoint goes to ``folder`` (default: the profile's ``models/curves``); ``until``
    pauses the training after that many epochs, to be resumed by the next call."""
    training = replace(training or CURVE_TRAINING[profile], seed=seed)
    k_steps = study.resolved_k_steps
    train_pairs = _pairs(profile, f"{study.system}-{study.train_group}", k_steps, seed)
    test_pairs = _pairs(profile, f"{study.system}-{study.test_group}", k_steps, seed)
    model = study_model(study, profile)
    folder = data_root() / profile / "models" / "curves" if folder is None else Path(folder)
    checkpoint = folder / f"{curve_name(study, profile, model, training, seed)}.pt"
    with exclusive(checkpoint):
        if retrain:
            checkpoint.unlink(missing_ok=True)
        return train(model, train_pairs, test_pairs, training, checkpoint, resume=True,
                     progress=False, until=until)


def plateau_onset(final_losses: dict[int, float], tolerance: float = 0.2) -> int:
    """The smallest swept value (e.g. number of layers) whose final loss is within
    ``tolerance`` (a fraction) of the lowest final loss of the sweep: where the curve of
    final loss against the parameter flattens out."""
    if not final_losses:
        raise ValueError("no final losses given: pass {parameter value: final test loss}")
    if tolerance < 0:
        raise ValueError(f"tolerance {tolerance} is negative; give a fraction such as 0.2")
    best = min(final_losses.values())
    return min(value for value, loss in final_losses.items() if loss <= best * (1 + tolerance))
