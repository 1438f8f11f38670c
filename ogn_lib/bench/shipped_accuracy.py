"""Benchmark: the shipped Fast-OGNs against the accuracy bars, on held-out test trajectories.

For each data set: position RMSE per atom after 25/50/100/200 MD steps (20 for the k = 10
systems) beside no motion and MD at k x dt, mean over starts; the rollout's kinetic
temperature over the truth's over the first :data:`HORIZON_MD_STEPS` MD steps; and, from
one :data:`ENERGY_MD_STEPS`-MD-step rollout, the total-energy drift over the mean kinetic
energy (no correction applied). :func:`shipped_accuracy` gives a data set's entry of
``book/data/shipped_accuracy.json``; :func:`merged_report` keeps the entries measured
before, or a section of them apart (``book/data/pair_once_accuracy.json``).
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ogn_lib.analysis.accuracy import mean_curves
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import Trajectory, read_trajectory
from ogn_lib.learn.presets import data_system
from ogn_lib.learn.rollout import rollout_trajectory
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.learn.trained_models import Provenance, load_shipped
from ogn_lib.md.systems import SYSTEMS, System
from ogn_lib.studies.accuracy_curves import curves_over_starts
from ogn_lib.studies.system_level import energy_series

HORIZON_MD_STEPS = 400
ENERGY_MD_STEPS = 2000


def accuracy_scores(simulator: LearnedSimulator, truths: list[Trajectory], n_starts: int,
                    system: System) -> dict:
    """The simulator's position RMSE beside the baselines and its temperature ratio from
    ``n_starts`` starts over ``truths``, and the energy drift of one rollout from the
    first truth's first frame by ``system``'s force field."""
    k = simulator.spec.k_steps
    curves = curves_over_starts(simulator, truths, n_starts, HORIZON_MD_STEPS // k)
    steps = list(curves[0].md_steps)
    first = 25 if k == 5 else 20
    report = [n for n in (first, 50, 100, 200) if n in steps]
    means = mean_curves(curves)
    ratio = np.nanmean([c.temperature["OGN"] / c.temperature["truth"] for c in curves], axis=0)
    rollout = rollout_trajectory(simulator, truths[0].configuration(0), ENERGY_MD_STEPS // k)
    return {
        "md_steps": report, "starts": n_starts,
        "position_rmse": {name: [float(means[name][steps.index(n)]) for n in report]
                          for name in ("OGN", "no motion", "MD k×dt")},
        "temperature_ratio_400_steps": {"mean": float(np.nanmean(ratio)),
                                        "min": float(np.nanmin(ratio)),
                                        "max": float(np.nanmax(ratio))},
        "energy_drift_over_mean_kinetic_2000_steps":
            energy_series(system, rollout).relative_total_drift,
        "rollout_blow_up": rollout.metadata.blow_up}


def model_record(provenance: Provenance) -> dict:
    """The shipped model's final test loss, commit and training time (minutes)."""
    return {"test_loss": provenance.test_loss[-1], "commit": provenance.commit,
            "training_minutes": provenance.wall_seconds / 60,
            "training_cpu_minutes": (None if provenance.cpu_seconds is None
                                     else provenance.cpu_seconds / 60)}


def shipped_accuracy(name: str, n_starts: int, root: Path | None = None) -> dict:
    """:func:`accuracy_scores` of data set ``name``'s shipped quick Fast-OGN (under
    ``root``, default ``data/shipped``) on its quick test trajectories (made if missing),
    with the model's record and the seconds it took."""
    started = time.perf_counter()
    simulator, provenance = load_shipped("quick", name, "fast", root)
    truths = [read_trajectory(path) for path in ensure_group("quick", f"{name}-test")]
    scores = accuracy_scores(simulator, truths, n_starts, SYSTEMS[data_system(name)])
    return {"model": model_record(provenance), **scores,
            "seconds": time.perf_counter() - started}


def merged_report(previous: dict, results: dict, section: str | None = None) -> dict:
    """``previous`` with ``results`` (data set -> entry) put in, replacing entries of the
    same data sets: at the top level, or within ``section``."""
    if section is None:
        return {**previous, **results}
    return {**previous, section: {**previous.get(section, {}), **results}}
