"""Rollouts kept as files, named by a hash of everything that determines them.

Two pages that roll the same model out from the same start in the same ensemble (S4 and the
validation page, while the Fast-OGN stands in for S4's Reference-OGN, both roll the shipped
KA-LJ Fast-OGN out for 2000 MD steps in raw NVE from the first held-out test runs) compute
it once, and a page executed again reads its rollouts back: :func:`cached_rollout` writes the rollout
as an ogn trajectory whose sidecar holds its key, and later calls read it back. The key
(:func:`rollout_key`) hashes the simulator's spec and weights, the start (every array and
its step), the number of predictions, the ensemble's settings (an energy model's weights
too) and the torch version, so a changed model, start or setting rolls out anew. The file
is validated by content (its SHA-256, in the sidecar) and by that key before it is used; a
file that fails either is made again. Every call returns the rollout as read from its file,
so a first and a later call give the same numbers.

The accuracy curves and atom-by-atom comparisons score a rollout's states as the rollout
holds them, in float64, which a trajectory file would round to float32:
:func:`cached_rollout_states` keeps those at full precision
(:mod:`ogn_lib.kept_runs`), under the same key, and gives back what
:func:`~ogn_lib.learn.rollout.rollout_until_blow_up` gives, bit for bit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch

from ogn_lib.configuration import Configuration
from ogn_lib.data.sidecar import TrajectoryError, sidecar_path
from ogn_lib.data.trajectory import Trajectory, read_trajectory
from ogn_lib.files import exclusive
from ogn_lib.kept_runs import configuration_arrays, kept_run
from ogn_lib.keyed_arrays import content_key, feed
from ogn_lib.learn.ensembles import NVE, Ensemble
from ogn_lib.learn.rollout import ensemble_record, rollout, rollout_until_blow_up
from ogn_lib.learn.simulator import LearnedSimulator

FORMAT = 2
"""Bumped when the way a rollout is computed, stored or keyed changes, so old files are
remade (2: arrays hashed by :func:`~ogn_lib.keyed_arrays.feed`)."""

STATES_FORMAT = 1
"""Bumped when the way :func:`cached_rollout_states` stores states changes."""

RAW = NVE()
"""The default ensemble: the learned dynamics without correction."""


def _module_digest(module: torch.nn.Module, digest) -> None:
    """Feed every parameter and buffer of ``module`` (name, dtype, shape, bytes) to
    ``digest``."""
    for name, tensor in sorted(module.state_dict().items()):
        feed(digest, name, tensor.detach().cpu().numpy())


def rollout_key(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
                ensemble: Ensemble = RAW) -> str:
    """The SHA-256 (hex) of everything that determines a rollout."""
    digest = hashlib.sha256()
    digest.update(json.dumps({"format": FORMAT, "torch": torch.__version__,
                              "spec": simulator.spec.to_dict(),
                              "n_predictions": int(n_predictions),
                              "ensemble": ensemble_record(ensemble),
                              "type_names": list(start.type_names), "step": int(start.step)},
                             sort_keys=True, default=str).encode())
    _module_digest(simulator, digest)
    energy_model = getattr(ensemble, "energy_model", None)
    if energy_model is not None:
        _module_digest(energy_model, digest)
    for name, array in configuration_arrays(start):
        feed(digest, name, array)
    return digest.hexdigest()


def rollout_path(folder: Path, key: str) -> Path:
    return Path(folder) / f"rollout-{key[:20]}.gsd"


def cached_rollout(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
                   folder: Path, ensemble: Ensemble = RAW) -> Trajectory:
    """The rollout of ``simulator`` from ``start`` (``n_predictions`` predictions in
    ``ensemble``) as a trajectory, read from ``folder`` when an earlier call made it, else
    rolled out, written there and read back. One process makes a given rollout at a time
    (a lock beside the file); a blow-up ends it early as :func:`~ogn_lib.learn.rollout.
    rollout` records it."""
    key = rollout_key(simulator, start, n_predictions, ensemble)
    path = rollout_path(folder, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(path):
        if path.exists():
            try:
                found = read_trajectory(path)
                if found.metadata.key == key:
                    return found
            except TrajectoryError:
                pass  # truncated, changed or of another key: made again below
            path.unlink()
            sidecar_path(path).unlink(missing_ok=True)
        rollout(simulator, start, n_predictions, path, {"key": key}, ensemble)
        return read_trajectory(path)


def cached_rollout_states(simulator: LearnedSimulator, start: Configuration,
                          n_predictions: int, folder: Path, ensemble: Ensemble = RAW
                          ) -> tuple[list[Configuration], str | None]:
    """:func:`~ogn_lib.learn.rollout.rollout_until_blow_up` (the predicted states, float64,
    and why the rollout stopped early), read from ``folder`` when an earlier call made it,
    else rolled out and kept there."""
    key = content_key({"states format": STATES_FORMAT,
                       "rollout": rollout_key(simulator, start, n_predictions, ensemble)})
    return kept_run(folder, "states", key,
                    lambda: rollout_until_blow_up(simulator, start, n_predictions, ensemble))
