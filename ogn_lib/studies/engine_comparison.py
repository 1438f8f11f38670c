"""LAMMPS and HOOMD-blue side by side, for the systems both run (KA-LJ and silica).

Two comparisons, for the ground-truth page:

- **The same liquid, made independently**: each engine makes the system's long NVE run
  (the ``msd`` group: random start, minimisation, Langevin at T, NVE recorded) from its own
  random start; the two agree within their statistical noise if the engines simulate the
  same physics. Measured alike on both (:func:`~ogn_lib.analysis.system_validation.system_level`,
  the measures of the validation page): energies per atom as each engine logged them,
  g(r), the diffusion coefficients, tau_alpha; ratios HOOMD-blue / LAMMPS, each with its
  interval over consecutive windows of the runs (:mod:`ogn_lib.analysis.run_windows`).
  How far two runs of one engine differ is measured too: LAMMPS's run of the temperature
  scan at the liquid's own temperature (``cage-scan``, another seed) over the ``msd`` run,
  read from its record (:mod:`ogn_lib.studies.recorded_measures`: the scan's MD takes
  longer than the rest of the comparison).
- **The same start**: a held-out LAMMPS frame run on by HOOMD-blue and, for the chaos
  floor, restarted in LAMMPS from the same saved state; the position RMSE of each against
  the original LAMMPS trajectory, and of one against the other. Both restarts begin from
  the same float32 numbers, so what separates them is the engines alone, amplified by
  chaos; what separates either from the original is the float32 rounding of the saved
  frame (the chaos floor).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.energies import EnergySeries
from ogn_lib.analysis.run_windows import logged_energies, window_ratios
from ogn_lib.analysis.scores import position_rmse
from ogn_lib.analysis.system_validation import VALIDATION_SETTINGS, SystemLevel, system_level
from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import Trajectory, read_trajectory
from ogn_lib.md.baselines import same_start
from ogn_lib.md.engines import engine_label
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.studies.recorded_measures import ENGINE_LIQUID_GROUP, engine_control_ratios

COMPARED_ENGINES = ("lammps", "hoomd")
"""The engines compared; the ratios are the second's over the first's."""

SAME_START_GROUP = "test"
"""The held-out LAMMPS trajectories whose first frame both engines run on from."""


@dataclass(frozen=True)
class EngineRun:
    """One engine's long run of a liquid and its measures."""

    engine: str
    label: str
    """The engine and its release, e.g. ``'HOOMD-blue 4.8.2'``."""
    energies: EnergySeries
    measures: SystemLevel
    trajectory: Trajectory


SAME_START_CURVES = ("LAMMPS restarted vs original", "HOOMD-blue vs original",
                     "HOOMD-blue vs LAMMPS restarted")
"""The position RMSE curves of a same-start comparison (the first is the chaos floor)."""


@dataclass(frozen=True)
class SameStart:
    """Position RMSE (length unit) per MD step after the start: the runs from the saved
    first frame against the original LAMMPS trajectory and against each other
    (:data:`SAME_START_CURVES`)."""

    md_steps: np.ndarray
    position_rmse: dict[str, np.ndarray]


@dataclass(frozen=True)
class EngineComparison:
    """Both engines on one system."""

    system: str
    runs: dict[str, EngineRun]
    ratios: dict[str, Measurement]
    """Each measure of HOOMD-blue's run over LAMMPS's (the validation page's names), with
    the mean potential energy per atom and the mean temperature, over the windows of
    :func:`~ogn_lib.analysis.run_windows.window_ratios`."""
    control_ratios: dict[str, Measurement]
    """The same ratios of a second LAMMPS run over the first."""
    same_start: SameStart


def engine_run(profile: str, name: str, engine: str, reference: SystemLevel | None = None,
               seed: int = 1) -> EngineRun:
    """``engine``'s long run of liquid ``name`` at base seed ``seed`` (made if missing),
    measured; with the ``reference`` engine's measures, at its q and shell cutoff."""
    path, = ensure_group(profile, f"{name}-{ENGINE_LIQUID_GROUP}", engine=engine,
                         base_seed=seed)
    trajectory = read_trajectory(path)
    return EngineRun(engine, engine_label(engine), logged_energies(trajectory),
                     system_level(trajectory, VALIDATION_SETTINGS[name], reference), trajectory)


def window_measurements(ratios: dict[str, np.ndarray]) -> dict[str, Measurement]:
    """Each quantity's ratios over the windows
    (:func:`~ogn_lib.analysis.run_windows.window_ratios`) as one value with its
    interval."""
    return {quantity: Measurement.over(values, "windows") for quantity, values in ratios.items()}


def same_start_rmse(profile: str, name: str, period_steps: int = 10, seed: int = 1
                    ) -> SameStart:
    """Both engines from the first frame of the system's first held-out LAMMPS trajectory
    of base seed ``seed`` to its end (:data:`SAME_START_GROUP`); RMSE every
    ``period_steps`` MD steps."""
    truth = read_trajectory(ensure_group(profile, f"{name}-{SAME_START_GROUP}",
                                         base_seed=seed)[0])
    start, system = truth.configuration(0), SYSTEMS[name]
    n_steps = int(truth.steps[-1] - truth.steps[0]) // period_steps * period_steps
    original = [truth.configuration(int(np.searchsorted(truth.steps, truth.steps[0] + step)))
                for step in range(0, n_steps + 1, period_steps)]
    lammps, hoomd = (same_start(system, start, n_steps, period_steps, engine).frames
                     for engine in COMPARED_ENGINES)
    pairs = dict(zip(SAME_START_CURVES, ((lammps, original), (hoomd, original),
                                         (hoomd, lammps))))
    return SameStart(
        md_steps=np.arange(len(original)) * period_steps,
        position_rmse={label: np.array([position_rmse(a, b) for a, b in zip(*pair)])
                       for label, pair in pairs.items()})


def compare_engines(profile: str, name: str, seed: int = 1,
                    remeasure: bool = False) -> EngineComparison:
    """Both engines on liquid ``name`` (``lj`` or ``silica``), as the module says, on the
    runs of base seed ``seed``; makes the runs it needs. The second LAMMPS run's ratios
    come from their record
    (:func:`~ogn_lib.studies.recorded_measures.engine_control_ratios`; ``remeasure``:
    measured again). HOOMD-blue must be installed (an ImportError says how)."""
    first, second = COMPARED_ENGINES
    lammps = engine_run(profile, name, first, seed=seed)
    hoomd = engine_run(profile, name, second, lammps.measures, seed)
    return EngineComparison(
        system=name, runs={first: lammps, second: hoomd},
        ratios=window_measurements(window_ratios(hoomd.trajectory, lammps.trajectory,
                                                 VALIDATION_SETTINGS[name])),
        control_ratios=window_measurements(
            engine_control_ratios(profile, name, seed, remeasure)),
        same_start=same_start_rmse(profile, name, seed=seed))
