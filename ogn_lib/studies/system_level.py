"""System-level measures that need the MD engine (S4): the energies of any trajectory's
frames by the engine's force field, predicted or true alike, and one raw rollout measured
against its truth with them and with the RMSD ratio of :mod:`ogn_lib.analysis.energies`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.dynamics import rmsd_curve
from ogn_lib.analysis.energies import EnergySeries, rmsd_ratio
from ogn_lib.data.trajectory import Trajectory
from ogn_lib.md.lammps import evaluate_energies
from ogn_lib.md.systems import System


def energy_series(system: System, trajectory: Trajectory) -> EnergySeries:
    """Potential energy from the MD engine's force field on each frame's positions and
    kinetic energy from its velocities, both per atom."""
    if trajectory.metadata.system != system.name:
        raise ValueError(f"trajectory of {trajectory.metadata.system!r} cannot be "
                         f"evaluated with the {system.name!r} force field; pass its system")
    energies = evaluate_energies(system, (trajectory.configuration(i)
                                          for i in range(trajectory.n_frames)))
    n_atoms = len(trajectory.typeids)
    return EnergySeries(
        md_steps=trajectory.steps - trajectory.steps[0],
        potential=np.array([e["potential_energy"] for e in energies]) / n_atoms,
        kinetic=np.array([e["kinetic_energy"] for e in energies]) / n_atoms)


@dataclass(frozen=True)
class SystemLevelStart:
    """One raw rollout from the first frame of a true trajectory, over its whole length:
    D_rollout / D_true at each lag of ``rmsd_ratios`` (MD steps -> ratio), both energy
    series, and the rollout itself."""

    rollout: Trajectory
    rmsd_ratios: dict
    rollout_energies: EnergySeries
    truth_energies: EnergySeries


def system_level_start(rollout: Trajectory, truth: Trajectory, system: System,
                       lags_md_steps: tuple[int, ...]) -> SystemLevelStart:
    """Measure a raw rollout from the first frame of ``truth`` (over
    :func:`ogn_lib.analysis.energies.predictions_over` the truth) against the truth as S4
    does."""
    predicted, true = rmsd_curve(rollout), rmsd_curve(truth)
    ratios = {lag: (rmsd_ratio(predicted, true, lag * system.dt)
                    if predicted.time[0] <= lag * system.dt <= predicted.time[-1]
                    else float("nan")) for lag in lags_md_steps}
    return SystemLevelStart(rollout, ratios, energy_series(system, rollout),
                            energy_series(system, truth))
