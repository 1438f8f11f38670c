"""System-level measures that need the MD engine (S4): the energies of any trajectory's
frames by the engine's force field, predicted or true alike, and one raw rollout measured
against its truth with them and with the RMSD ratio of :mod:`ogn_lib.analysis.energies`.

The engine evaluates every frame anew (a few milliseconds each; most of the validation
page's measuring when its rollouts are kept): with a ``cache`` folder the energies of a
trajectory are kept there, named by a hash of its frames, the system and the engine's
release (:func:`energies_key`), and read back bit for bit by later calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ogn_lib.analysis.dynamics import rmsd_curve
from ogn_lib.analysis.energies import EnergySeries, rmsd_ratio
from ogn_lib.data.trajectory import Trajectory
from ogn_lib.keyed_arrays import content_key, keyed_arrays
from ogn_lib.md.engines import md_record
from ogn_lib.md.lammps import evaluate_energies
from ogn_lib.md.systems import System

ENERGIES_FORMAT = 1
"""Bumped when the way the engine evaluates or this module keeps energies changes."""

FRAME_ARRAYS = ("box_lengths", "positions", "velocities", "images", "typeids", "masses",
                "steps")
"""The arrays of a trajectory that its energies depend on."""


def energies_key(system: System, trajectory: Trajectory) -> str:
    """The SHA-256 (hex) of everything that determines the engine's energies of
    ``trajectory``'s frames."""
    return content_key({"format": ENERGIES_FORMAT, **md_record(system, "lammps"),
                        "type_names": list(trajectory.type_names)},
                       [(name, getattr(trajectory, name)) for name in FRAME_ARRAYS])


def engine_energies(system: System, trajectory: Trajectory) -> dict[str, np.ndarray]:
    """Total potential and kinetic energy of each frame by the engine (system's energy
    unit)."""
    energies = evaluate_energies(system, (trajectory.configuration(i)
                                          for i in range(trajectory.n_frames)))
    return {name: np.array([e[name] for e in energies])
            for name in ("potential_energy", "kinetic_energy")}


def energy_series(system: System, trajectory: Trajectory,
                  cache: Path | None = None) -> EnergySeries:
    """Potential energy from the MD engine's force field on each frame's positions and
    kinetic energy from its velocities, both per atom; kept in ``cache`` when given."""
    if trajectory.metadata.system != system.name:
        raise ValueError(f"trajectory of {trajectory.metadata.system!r} cannot be "
                         f"evaluated with the {system.name!r} force field; pass its system")
    energies = (engine_energies(system, trajectory) if cache is None else
                keyed_arrays(cache, "energies", energies_key(system, trajectory),
                             lambda: engine_energies(system, trajectory)))
    n_atoms = len(trajectory.typeids)
    return EnergySeries(
        md_steps=trajectory.steps - trajectory.steps[0],
        potential=energies["potential_energy"] / n_atoms,
        kinetic=energies["kinetic_energy"] / n_atoms)


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
                       lags_md_steps: tuple[int, ...],
                       cache: Path | None = None) -> SystemLevelStart:
    """Measure a raw rollout from the first frame of ``truth`` (over
    :func:`ogn_lib.analysis.energies.predictions_over` the truth) against the truth as S4
    does; the energies are kept in ``cache`` when given."""
    predicted, true = rmsd_curve(rollout), rmsd_curve(truth)
    ratios = {lag: (rmsd_ratio(predicted, true, lag * system.dt)
                    if predicted.time[0] <= lag * system.dt <= predicted.time[-1]
                    else float("nan")) for lag in lags_md_steps}
    return SystemLevelStart(rollout, ratios, energy_series(system, rollout, cache),
                            energy_series(system, truth, cache))
