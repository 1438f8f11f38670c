"""Accuracy against a swept condition of the test liquid (S5-S7), made: the learned
simulator and every baseline scored from each start of each test trajectory
(:func:`ogn_lib.studies.accuracy_curves.accuracy_curves`), grouped by the trajectories'
value of the swept protocol parameter and reduced by :mod:`ogn_lib.analysis.sweeps`.
"""

from __future__ import annotations

from pathlib import Path

from ogn_lib.analysis.sweeps import PARAMETERS, AccuracySweep, sweep_from_curves
from ogn_lib.data.trajectory import Trajectory
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.studies.accuracy_curves import accuracy_curves


def _parameter(trajectory: Trajectory, parameter: str) -> float:
    try:
        return float((trajectory.metadata.parameters or {})[parameter])
    except KeyError:
        raise ValueError(f"trajectory metadata has no protocol parameter {parameter!r}: "
                         "pass ground-truth trajectories made by ogn_lib.data.catalogue") from None


def accuracy_sweep(simulator: LearnedSimulator, trajectories: list[Trajectory],
                   parameter: str, md_steps: int = 100,
                   start_frames: tuple[int, ...] = (0,),
                   cache: Path | None = None) -> AccuracySweep:
    """Score the simulator and every baseline ``md_steps`` MD steps after each start frame
    of each trajectory, grouped by the trajectories' value of ``parameter``; the runs are
    kept in ``cache`` when given (:func:`~ogn_lib.studies.accuracy_curves.accuracy_curves`)."""
    if parameter not in PARAMETERS:
        raise ValueError(f"parameter {parameter!r}: choose one of {PARAMETERS}")
    if not trajectories:
        raise ValueError("no trajectories given; pass the test trajectories of the sweep")
    k = simulator.spec.k_steps
    if md_steps % k:
        raise ValueError(f"md_steps={md_steps} is not a multiple of k = {k}; choose a "
                         f"multiple of {k}")
    runs = {}
    for trajectory in trajectories:
        runs.setdefault(_parameter(trajectory, parameter), []).extend(
            accuracy_curves(simulator, trajectory, start, md_steps // k, cache=cache)
            for start in start_frames)
    return sweep_from_curves(parameter, runs)
