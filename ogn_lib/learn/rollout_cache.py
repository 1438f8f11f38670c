"""Rollouts kept as files, named by a hash of everything that determines them.

A rollout is made once and read back by every later call with the same key
(:func:`rollout_key`: the simulator's spec and weights, the start, every array and its
step, the number of predictions, the ensemble's settings, an energy model's weights too,
and the torch version), so a changed model, start or setting rolls out anew.
:func:`cached_rollout_states` keeps the predicted states at full precision, float64, as
the rollout holds them (:mod:`ogn_lib.kept_runs`, validated by content and key; a damaged
or foreign file is made again), and gives back what
:func:`~ogn_lib.learn.rollout.rollout_until_blow_up` gives, bit for bit: the accuracy
curves and atom-by-atom comparisons score them. :func:`cached_rollout` gives the same
states as a trajectory held in memory, for the analyses that read trajectories (energies,
RMSD), so that pages scoring a rollout and pages reading it as a trajectory share one
rollout (S3 and S4 roll the same model out over the 2000 MD steps of the first held-out
KA-LJ runs, and so does the validation page while the Fast-OGN stands in for their
Reference-OGN), and a page executed again reads them back.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch

from ogn_lib.configuration import Configuration
from ogn_lib.data.trajectory import Trajectory
from ogn_lib.kept_runs import configuration_arrays, kept_run
from ogn_lib.keyed_arrays import content_key, feed
from ogn_lib.learn.ensembles import NVE, Ensemble
from ogn_lib.learn.rollout import ensemble_record, rollout_until_blow_up, states_as_trajectory
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


def states_key(key: str) -> str:
    """The key under which the states of the rollout of :func:`rollout_key` ``key`` are
    kept (:mod:`ogn_lib.kept_runs`, kind ``states``)."""
    return content_key({"states format": STATES_FORMAT, "rollout": key})


def cached_rollout(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
                   folder: Path, ensemble: Ensemble = RAW) -> Trajectory:
    """The rollout of ``simulator`` from ``start`` (``n_predictions`` predictions in
    ``ensemble``) as a trajectory held in memory, made from the states
    :func:`cached_rollout_states` keeps (so a page that scores them and one that reads the
    trajectory share one rollout); a blow-up ends it early, its reason in
    ``metadata.blow_up``, and ``metadata.key`` is :func:`rollout_key`."""
    key = rollout_key(simulator, start, n_predictions, ensemble)
    states, blow_up = _kept_states(simulator, start, n_predictions, folder, ensemble, key)
    return states_as_trajectory(simulator, start, states, blow_up, n_predictions, ensemble,
                                {"key": key})


def cached_rollout_states(simulator: LearnedSimulator, start: Configuration,
                          n_predictions: int, folder: Path, ensemble: Ensemble = RAW
                          ) -> tuple[list[Configuration], str | None]:
    """:func:`~ogn_lib.learn.rollout.rollout_until_blow_up` (the predicted states, float64,
    and why the rollout stopped early), read from ``folder`` when an earlier call made it,
    else rolled out and kept there."""
    return _kept_states(simulator, start, n_predictions, folder, ensemble,
                        rollout_key(simulator, start, n_predictions, ensemble))


def _kept_states(simulator, start, n_predictions, folder, ensemble, key):
    return kept_run(folder, "states", states_key(key),
                    lambda: rollout_until_blow_up(simulator, start, n_predictions, ensemble))
