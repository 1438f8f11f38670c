"""System-level validation of the shipped Fast-OGNs: each rolled out from several
independent MD states in every ensemble a user runs (raw NVE, energy-rescaled NVE, CSVR),
measured alike with the truth from the same start (:mod:`ogn_lib.analysis.system_validation`),
each ratio and energy measure with its interval over the starts.

The starts (:func:`validation_truths`): for KA-LJ the held-out test trajectories (265
atoms, 2000 MD steps each, independent LAMMPS runs), for the glass the held-out quench of
one base seed after another, and for silica, Si and Cu-Zr consecutive windows of their
long (``msd``) MD run, each window far longer than the liquid's tau_alpha.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import freud
import numpy as np

from ogn_lib.analysis.energies import EnergySeries
from ogn_lib.analysis.structure import structure_factor_peak
from ogn_lib.analysis.system_validation import (
    VALIDATION_SETTINGS,
    SystemLevel,
    ValidationSettings,
    md_step_window,
    ratios,
    system_level,
)
from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import Trajectory, read_trajectory
from ogn_lib.keyed_arrays import content_key, keyed_arrays
from ogn_lib.learn.energy_model import EnergyFit, PotentialEnergyModel
from ogn_lib.learn.ensembles import CSVR, NVE, EnergyRescaledNVE
from ogn_lib.learn.presets import data_system
from ogn_lib.learn.rollout_cache import cached_rollout
from ogn_lib.learn.trained_models import load_shipped
from ogn_lib.md.systems import SYSTEMS, System
from ogn_lib.paths import chosen_cache, rollouts_folder
from ogn_lib.studies.profile_models import energy_model_for
from ogn_lib.studies.system_level import energy_series

MODES = ("nve", "nve-rescaled", "nvt-csvr")
"""The rollout ensembles a validation compares (:mod:`ogn_lib.learn.ensembles`)."""

THERMOSTAT_COUPLING_MD_STEPS = 200
"""Coupling time of the CSVR rollouts, in MD steps."""

N_STARTS = 4
"""Independent starts of every validation: the fewest the verdicts accept from rollouts."""

TRUTH_GROUPS = {"lj": "test", "lj-glass": "test"}
"""The trajectory group whose runs give a data set's starts, where it is not ``msd`` (a
liquid's long MD run, cut into windows)."""

TEMPERATURE = "mean kinetic energy (temperature)"


@dataclass(frozen=True)
class ModeRun:
    """One rollout of a validation and what it measured."""

    trajectory: Trajectory
    energies: EnergySeries
    measures: SystemLevel
    ratios: dict[str, float]


@dataclass(frozen=True)
class StartValidation:
    """The truth from one start and the rollouts from its first frame in each mode."""

    truth: Trajectory
    truth_energies: EnergySeries
    truth_measures: SystemLevel
    runs: dict[str, ModeRun]

    def temperature_ratio(self, mode: str) -> float:
        """Mean kinetic energy of the rollout over the truth's."""
        return (float(np.mean(self.runs[mode].energies.kinetic))
                / float(np.mean(self.truth_energies.kinetic)))


@dataclass(frozen=True)
class SystemValidation:
    """A shipped Fast-OGN of data set ``system`` validated from several starts."""

    system: str
    md_steps: int
    k_steps: int
    starts: list[StartValidation]
    energy_fit: EnergyFit
    settings: ValidationSettings

    def ratios(self, mode: str) -> dict[str, Measurement]:
        """Every measure of ``mode``'s rollouts over the truth's, the temperature first,
        with its interval over the starts (a measure some start lacks has no value)."""
        names = [TEMPERATURE] + list(dict.fromkeys(
            name for start in self.starts for name in start.runs[mode].ratios))
        values = {name: [start.temperature_ratio(mode) if name == TEMPERATURE
                         else start.runs[mode].ratios.get(name, float("nan"))
                         for start in self.starts] for name in names}
        return {name: Measurement.over(found, model="fast") for name, found in values.items()}

    def energy(self, mode: str | None) -> dict[str, Measurement]:
        """The total energy's largest excursion and fitted drift, each over the mean
        kinetic energy, of ``mode``'s rollouts (None: of the truth), over the starts."""
        series = [start.truth_energies if mode is None else start.runs[mode].energies
                  for start in self.starts]
        return {"excursion": Measurement.over([s.relative_largest_excursion for s in series],
                                              model=None if mode is None else "fast"),
                "drift": Measurement.over([s.relative_fitted_drift for s in series],
                                          model=None if mode is None else "fast")}

    def blown_up(self) -> dict[str, int]:
        """Per mode, how many of the rollouts stopped early."""
        return {mode: sum(bool(s.runs[mode].trajectory.metadata.blow_up) for s in self.starts)
                for mode in MODES}


def validation_truths(profile: str, name: str, md_steps: int,
                      n_starts: int = N_STARTS) -> list[Trajectory]:
    """``n_starts`` true trajectories of ``md_steps`` MD steps of data set ``name``: every
    window of ``md_steps`` of each run of its group (:data:`TRUTH_GROUPS`, else ``msd``),
    base seed after base seed (made when missing)."""
    group = f"{name}-{TRUTH_GROUPS.get(name, 'msd')}"
    truths: list[Trajectory] = []
    for seed in range(1, n_starts + 1):
        for path in ensure_group(profile, group, base_seed=seed):
            source = read_trajectory(path)
            span = int(source.steps[-1] - source.steps[0])
            truths += [md_step_window(source, start, md_steps)
                       for start in range(0, span - md_steps + 1, md_steps)]
            if len(truths) >= n_starts:
                return truths[:n_starts]
    raise ValueError(f"the {group} runs of {n_starts} base seeds hold {len(truths)} windows of "
                     f"{md_steps} MD steps; ask for fewer MD steps or starts")


def ensembles(system: System, energy_model: PotentialEnergyModel, temperature: float | None,
              seed: int) -> dict:
    """The rollout ensembles of :data:`MODES` for ``system``: the rescaled one holds the
    energy of ``energy_model``, the thermostat ``temperature`` (the truth's; None: the
    system's) with random numbers from ``seed``."""
    units = system.units
    target = system.temperature if temperature is None else temperature
    return {"nve": NVE(),
            "nve-rescaled": EnergyRescaledNVE(energy_model, mvv2e=units.mvv2e),
            "nvt-csvr": CSVR(units.boltzmann * target,
                             coupling_time=THERMOSTAT_COUPLING_MD_STEPS * system.dt,
                             mvv2e=units.mvv2e, seed=seed)}


def truth_peak(truth: Trajectory, settings: ValidationSettings, cache: Path | None) -> float:
    """The main peak of the truth's S(q) in the settings' range, where F_s(q, t) of the
    truth and of its rollouts is taken: seconds of freud's Debye sums per start, so kept
    in ``cache`` when given."""
    def peak() -> float:
        return structure_factor_peak(truth, *settings.q_range)

    if cache is None:
        return peak()
    key = content_key({"measure": "structure_factor_peak", "freud": freud.__version__,
                       "q_range": list(settings.q_range),
                       "defaults": list(structure_factor_peak.__defaults__)},
                      [("box_lengths", truth.box_lengths), ("positions", truth.positions)])
    return float(keyed_arrays(cache, "sq-peak", key, lambda: {"q": np.array(peak())})["q"])


def validate_system(profile: str, name: str, md_steps: int = 2000, seed: int = 1,
                    n_starts: int = N_STARTS, cache: bool | Path = True) -> SystemValidation:
    """Roll out the shipped ``profile`` Fast-OGN of data set ``name`` (a liquid, or
    ``lj-glass``) for ``md_steps`` MD steps in each of :data:`MODES` from the first frame
    of each of :func:`validation_truths` and measure rollouts and truth alike. ``seed``
    seeds the thermostat (one more per start). Each rollout is kept in the profile's
    rollout cache (:func:`~ogn_lib.learn.rollout_cache.cached_rollout`): the raw NVE
    rollouts of KA-LJ are S3's and S4's while the Fast-OGN stands in there, computed once.
    The engine's energies of every trajectory
    (:func:`~ogn_lib.studies.system_level.energy_series`) and each truth's S(q) peak
    (:func:`truth_peak`) are kept in the profile's cache folder (``cache=True``), in another
    folder, or nowhere (``False``: computed afresh)."""
    system = SYSTEMS[data_system(name)]
    settings = VALIDATION_SETTINGS.get(name, VALIDATION_SETTINGS[system.name])
    simulator, _ = load_shipped(profile, name, "fast")
    k = simulator.spec.k_steps
    energy_model, energy_fit = energy_model_for(profile, name)
    kept = chosen_cache(profile, cache)
    starts = []
    for index, source in enumerate(validation_truths(profile, name, md_steps, n_starts)):
        # The truth every k MD steps, as the rollout records, where its frames allow.
        truth = md_step_window(source, 0, md_steps,
                               period_steps=math.lcm(k, source.metadata.period_steps))
        modes = ensembles(system, energy_model, truth.metadata.temperature, seed + index)
        truth_measures = system_level(truth, settings, q=truth_peak(truth, settings, kept))
        runs = {}
        for mode, ensemble in modes.items():
            rollout = cached_rollout(simulator, truth.configuration(0), md_steps // k,
                                     rollouts_folder(profile), ensemble)
            measures = system_level(rollout, settings, truth_measures)
            runs[mode] = ModeRun(rollout, energy_series(system, rollout, kept), measures,
                                 ratios(measures, truth_measures, settings))
        starts.append(StartValidation(truth, energy_series(system, truth, kept),
                                      truth_measures, runs))
    return SystemValidation(name, md_steps, k, starts, energy_fit, settings)
