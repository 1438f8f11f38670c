"""LAMMPS and HOOMD-blue side by side, for the systems both run (KA-LJ and silica).

Two comparisons, for the ground-truth page:

- **The same liquid, made independently**: each engine makes the system's long NVE run
  (the ``msd`` group: random start, minimisation, Langevin at T, NVE recorded) from its own
  random start; the two agree within their statistical noise if the engines simulate the
  same physics. Measured alike on both (:func:`~ogn_lib.analysis.system_validation.system_level`,
  the measures of the validation page): energies per atom as each engine logged them,
  g(r), the diffusion coefficients, tau_alpha; ratios HOOMD-blue / LAMMPS, each with its
  interval over :data:`WINDOWS` consecutive windows of the runs (window i of one engine's
  run over window i of the other's). How far two runs of one engine differ is measured
  too: LAMMPS's run of the temperature scan at the
  liquid's own temperature (``cage-scan``, another seed) over the ``msd`` run.
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
from ogn_lib.analysis.scores import position_rmse
from ogn_lib.analysis.system_validation import (
    VALIDATION_SETTINGS,
    SystemLevel,
    md_step_window,
    ratios,
    system_level,
)
from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import Trajectory, read_trajectory
from ogn_lib.md.baselines import same_start
from ogn_lib.md.engines import engine_label
from ogn_lib.md.systems import SYSTEMS

COMPARED_ENGINES = ("lammps", "hoomd")
"""The engines compared; the ratios are the second's over the first's."""

LIQUID_GROUP = "msd"
"""The group each engine makes of a liquid for the comparison: its long NVE run."""

CONTROL_GROUP = "cage-scan"
"""LAMMPS's temperature scan, whose run at the liquid's temperature is a second LAMMPS run
of the same liquid (another seed): the spread between two runs of one engine."""

WINDOWS = 4
"""Consecutive windows of equal length that each long run is cut into for the ratios'
intervals (the verdicts ask for at least four repetitions)."""

SAME_START_GROUP = "test"
"""The held-out LAMMPS trajectories whose first frame both engines run on from."""


def logged_energies(trajectory: Trajectory) -> EnergySeries:
    """The energies per atom that the engine logged with each frame (its own force
    field's, not re-evaluated)."""
    missing = {"potential_energy", "kinetic_energy"} - set(trajectory.energies)
    if missing:
        raise ValueError(f"{trajectory.metadata.system} trajectory logs no "
                         f"{', '.join(sorted(missing))}; make it with `ogn generate`")
    n_atoms = len(trajectory.typeids)
    return EnergySeries(md_steps=trajectory.steps - trajectory.steps[0],
                        potential=np.asarray(trajectory.energies["potential_energy"]) / n_atoms,
                        kinetic=np.asarray(trajectory.energies["kinetic_energy"]) / n_atoms)


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
    the mean potential energy per atom and the mean temperature, over :data:`WINDOWS`
    windows."""
    control_ratios: dict[str, Measurement]
    """The same ratios of a second LAMMPS run (:data:`CONTROL_GROUP`) over the first."""
    same_start: SameStart


def engine_run(profile: str, name: str, engine: str, reference: SystemLevel | None = None
               ) -> EngineRun:
    """``engine``'s long run of liquid ``name`` (made if missing), measured; with the
    ``reference`` engine's measures, at its q and shell cutoff."""
    path, = ensure_group(profile, f"{name}-{LIQUID_GROUP}", engine=engine)
    return _measured(read_trajectory(path), engine, reference)


def control_run(profile: str, name: str, reference: SystemLevel) -> EngineRun:
    """LAMMPS's second run of liquid ``name``: the :data:`CONTROL_GROUP` run at the
    liquid's own temperature, measured as ``reference`` was."""
    twin, = ensure_group(profile, f"{name}-{CONTROL_GROUP}",
                         temperature=SYSTEMS[name].temperature)
    return _measured(read_trajectory(twin), "lammps", reference)


def _measured(trajectory: Trajectory, engine: str, reference: SystemLevel | None) -> EngineRun:
    name = trajectory.metadata.system
    return EngineRun(engine, engine_label(engine), logged_energies(trajectory),
                     system_level(trajectory, VALIDATION_SETTINGS[name], reference), trajectory)


def windows(trajectory: Trajectory, n_windows: int = WINDOWS) -> list[Trajectory]:
    """``trajectory`` cut into ``n_windows`` consecutive windows of equal MD steps, each
    a whole number of frames."""
    span = int(trajectory.steps[-1] - trajectory.steps[0])
    length = span // n_windows // trajectory.metadata.period_steps * (
        trajectory.metadata.period_steps)
    if length < 1:
        raise ValueError(f"{span} MD steps cannot be cut into {n_windows} windows")
    return [md_step_window(trajectory, i * length, length) for i in range(n_windows)]


def window_ratios(name: str, run: EngineRun, reference: EngineRun) -> dict[str, Measurement]:
    """:func:`run_ratios` of each window of ``run`` over the same window of
    ``reference``, each measure with its interval over the windows."""
    per_window = []
    for mine, theirs in zip(windows(run.trajectory), windows(reference.trajectory)):
        theirs_run = _measured(theirs, reference.engine, None)
        per_window.append(run_ratios(name, _measured(mine, run.engine, theirs_run.measures),
                                     theirs_run))
    names = list(dict.fromkeys(quantity for found in per_window for quantity in found))
    return {quantity: Measurement.over([found.get(quantity, float("nan"))
                                        for found in per_window], "windows")
            for quantity in names}


def run_ratios(name: str, run: EngineRun, reference: EngineRun) -> dict[str, float]:
    """Each measure of ``run`` of liquid ``name`` over ``reference``'s, with the mean
    potential energy per atom and the mean temperature (mean kinetic energy per atom)."""
    result = ratios(run.measures, reference.measures, VALIDATION_SETTINGS[name])
    result["mean potential energy per atom"] = (float(np.mean(run.energies.potential))
                                                / float(np.mean(reference.energies.potential)))
    result["mean temperature"] = (float(np.mean(run.energies.kinetic))
                                  / float(np.mean(reference.energies.kinetic)))
    return result


def same_start_rmse(profile: str, name: str, period_steps: int = 10) -> SameStart:
    """Both engines from the first frame of the system's first held-out LAMMPS trajectory
    to its end (:data:`SAME_START_GROUP`); RMSE every ``period_steps`` MD steps."""
    truth = read_trajectory(ensure_group(profile, f"{name}-{SAME_START_GROUP}")[0])
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


def compare_engines(profile: str, name: str) -> EngineComparison:
    """Both engines on liquid ``name`` (``lj`` or ``silica``), as the module says; makes
    the runs it needs. HOOMD-blue must be installed (an ImportError says how)."""
    first, second = COMPARED_ENGINES
    lammps = engine_run(profile, name, first)
    hoomd = engine_run(profile, name, second, reference=lammps.measures)
    control = control_run(profile, name, reference=lammps.measures)
    return EngineComparison(system=name, runs={first: lammps, second: hoomd},
                            ratios=window_ratios(name, hoomd, lammps),
                            control_ratios=window_ratios(name, control, lammps),
                            same_start=same_start_rmse(profile, name))
