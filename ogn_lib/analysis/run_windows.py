"""Two long MD runs of one liquid compared window by window: each run cut into
:data:`WINDOWS` consecutive windows of equal length, window i of one measured alike with
window i of the other (:func:`~ogn_lib.analysis.system_validation.system_level`, at the
second's q and shell cutoff), and the ratios of their measures and of their logged mean
energies, one per window, so that each ratio has an interval over the windows. The
ground-truth page compares HOOMD-blue's run with LAMMPS's this way, and two LAMMPS runs.
"""

from __future__ import annotations

import numpy as np

from ogn_lib.analysis.energies import EnergySeries
from ogn_lib.analysis.system_validation import (
    SystemLevel,
    ValidationSettings,
    md_step_window,
    ratios,
    system_level,
)
from ogn_lib.data.trajectory import Trajectory

WINDOWS = 4
"""Consecutive windows of equal length that each long run is cut into for the ratios'
intervals (the verdicts ask for at least four repetitions)."""


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


def windows(trajectory: Trajectory, n_windows: int = WINDOWS) -> list[Trajectory]:
    """``trajectory`` cut into ``n_windows`` consecutive windows of equal MD steps, each
    a whole number of frames."""
    span = int(trajectory.steps[-1] - trajectory.steps[0])
    length = span // n_windows // trajectory.metadata.period_steps * (
        trajectory.metadata.period_steps)
    if length < 1:
        raise ValueError(f"{span} MD steps cannot be cut into {n_windows} windows")
    return [md_step_window(trajectory, i * length, length) for i in range(n_windows)]


def run_ratios(measures: SystemLevel, energies: EnergySeries, reference: SystemLevel,
               reference_energies: EnergySeries, settings: ValidationSettings
               ) -> dict[str, float]:
    """Each measure of a run over the ``reference`` run's
    (:func:`~ogn_lib.analysis.system_validation.ratios`), with the mean potential energy
    per atom and the mean temperature (mean kinetic energy per atom)."""
    result = ratios(measures, reference, settings)
    result["mean potential energy per atom"] = (float(np.mean(energies.potential))
                                                / float(np.mean(reference_energies.potential)))
    result["mean temperature"] = (float(np.mean(energies.kinetic))
                                  / float(np.mean(reference_energies.kinetic)))
    return result


def window_ratios(trajectory: Trajectory, reference: Trajectory, settings: ValidationSettings,
                  n_windows: int = WINDOWS) -> dict[str, np.ndarray]:
    """:func:`run_ratios` of each window of ``trajectory`` over the same window of
    ``reference`` (measured with ``settings``): each quantity's ``(n_windows,)`` ratios
    (NaN in a window that lacks it)."""
    per_window = []
    for mine, theirs in zip(windows(trajectory, n_windows), windows(reference, n_windows)):
        reference_measures = system_level(theirs, settings)
        per_window.append(run_ratios(system_level(mine, settings, reference_measures),
                                     logged_energies(mine), reference_measures,
                                     logged_energies(theirs), settings))
    names = list(dict.fromkeys(quantity for found in per_window for quantity in found))
    return {quantity: np.array([found.get(quantity, np.nan) for found in per_window])
            for quantity in names}
