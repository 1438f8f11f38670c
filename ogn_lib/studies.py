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

from ogn_lib.atomic import exclusive
from ogn_lib.datasets import data_root, ensure_group
from ogn_lib.model import PRESETS, ModelConfig, model_config
from ogn_lib.systems import get_system
from ogn_lib.training import PairSet, TrainingConfig, train
from ogn_lib.trajectory import read_trajectory

CURVE_TRAINING = {
    "quick": TrainingConfig(epochs=8, batches_per_epoch=25, batch_size=4,
                            learning_rate=1e-3, final_learning_rate=1e-4),
    "paper": TrainingConfig(epochs=1000, batches_per_epoch=100, batch_size=4,
                            learning_rate=1e-3, final_learning_rate=1e-6),
}
"""Training of the loss-curve figures: ``quick`` is kept short (8 epochs of 25 batches)
so that the figures' trends can be trained on a laptop while the reader waits; ``paper``
is the supplement's 1000 epochs."""

PRESET_CURVE_TRAINING = {
    ("quick", "fast"): TrainingConfig(epochs=4, batches_per_epoch=5, batch_size=4,
                                      learning_rate=1e-3, final_learning_rate=3e-4,
                                      n_test_pairs=8),
    ("quick", "reference"): TrainingConfig(epochs=3, batches_per_epoch=2, batch_size=4,
                                           learning_rate=1e-3, final_learning_rate=3e-4,
                                           n_test_pairs=8),
    ("paper", "fast"): CURVE_TRAINING["paper"],
    ("paper", "reference"): CURVE_TRAINING["paper"],
}
"""Training of the Fast- against Reference-OGN curves of every system (S1 A): eight models
trained while the reader waits. ``quick`` only shows how each starts (20 batches of the
Fast-OGN, 6 of the Reference-OGN, which is ten layers at k = 1 and ~5x dearer per batch),
next to the full quick trainings recorded with the shipped models; ``paper`` is the
supplement's 1000 epochs."""

LAYER_CURVE_TRAINING = {
    "quick": TrainingConfig(epochs=5, batches_per_epoch=12, batch_size=4,
                            learning_rate=1e-3, final_learning_rate=3e-4, n_test_pairs=16),
    "paper": CURVE_TRAINING["paper"],
}
"""Training of the MPNN-layer sweep (S8): six OGNs of 1 to 10 layers at k = 1, the ten-layer
one ~4x dearer per batch than the two-layer ones of S9, so ``quick`` trains each for 60
batches (about 4 CPU-minutes for the six). The rate decays only to 3e-4: decayed to 1e-4
within 60 batches, every OGN was still near the no-skill loss of 1 at the end; ``paper``
is the supplement's 1000 epochs."""


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


def _checkpoint(study: LossCurveStudy, profile: str, model: ModelConfig,
                training: TrainingConfig, seed: int) -> Path:
    payload = json.dumps({"study": asdict(study), "model": asdict(model),
                          "training": training.to_dict(), "profile": profile,
                          "seed": seed}, sort_keys=True)
    key = hashlib.sha256(payload.encode()).hexdigest()[:12]
    name = study.label.replace(" ", "-").replace("=", "")
    return data_root() / profile / "models" / "curves" / f"{name}-{key}.pt"


def loss_curve(study: LossCurveStudy, profile: str, seed: int = 1,
               training: TrainingConfig | None = None, retrain: bool = False) -> dict:
    """Train ``study`` (or reuse its finished training) and return its history:
    ``train_loss``, ``test_loss`` and ``seconds`` per epoch."""
    system = get_system(study.system)
    training = replace(training or CURVE_TRAINING[profile], seed=seed)
    k_steps = study.resolved_k_steps
    train_pairs = _pairs(profile, f"{system.name}-{study.train_group}", k_steps, seed)
    test_pairs = _pairs(profile, f"{system.name}-{study.test_group}", k_steps, seed)
    model = model_config(study.preset, profile, len(train_pairs.type_names),
                         system.graph_cutoff)
    if study.n_layers is not None:
        model = replace(model, n_layers=study.n_layers)
    checkpoint = _checkpoint(study, profile, model, training, seed)
    with exclusive(checkpoint):
        if retrain:
            checkpoint.unlink(missing_ok=True)
        return train(model, train_pairs, test_pairs, training, checkpoint, resume=True,
                     progress=False)


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
