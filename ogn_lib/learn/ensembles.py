"""What a rollout does to the velocities after each prediction: the ensemble it samples.

- :class:`NVE`: the network's velocities as predicted (the raw learned dynamics);
- :class:`EnergyRescaledNVE`: velocities about the centre of mass scaled by
  alpha = sqrt(1 - (E_new - E_0) / K_new) so that the total energy stays at its start
  value E_0, with the potential energy from a learned
  :class:`~ogn_lib.learn.energy_model.PotentialEnergyModel` (FlashMD's rescaling, force-field
  free);
- :class:`CSVR`: the canonical-sampling velocity-rescaling thermostat of Bussi, Donadio and
  Parrinello (J. Chem. Phys. 126, 014101, 2007), applied once per prediction over its k dt;
- :class:`Langevin`: the exact Ornstein-Uhlenbeck velocity update of Langevin dynamics,
  once per prediction.

Every one keeps the total momentum: the rescalings act on velocities about the centre of
mass, and the Langevin noise has its net momentum removed. Each ensemble is a settings
object; :meth:`begin` returns the step function of one rollout, which holds that rollout's
state (start energy, random stream), so one ensemble can drive many rollouts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ogn_lib import thermo
from ogn_lib.configuration import Configuration
from ogn_lib.learn.energy_model import PotentialEnergyModel, load_energy_model
from ogn_lib.learn.simulator import SimulatorSpec
from ogn_lib.units import unit_system

Step = Callable[[Configuration], Configuration]
"""A rollout's velocity update: the predicted state in, the state to continue from out."""


class EnsembleError(RuntimeError):
    """The ensemble cannot be kept (e.g. the energy has left what rescaling can restore)."""


def _with_thermal_velocities_scaled(state: Configuration, alpha: float) -> Configuration:
    centre = thermo.centre_of_mass_velocity(state.masses, state.velocities)
    return replace(state, velocities=centre + alpha * (state.velocities - centre))


@dataclass(frozen=True)
class NVE:
    """The raw learned dynamics: nothing is changed after a prediction."""

    name = "nve"

    def begin(self, start: Configuration, step_time: float) -> Step:
        return lambda state: state


@dataclass(frozen=True)
class EnergyRescaledNVE:
    """Total energy held at its start value by rescaling the thermal velocities.

    ``mvv2e`` turns mass x velocity^2 into the energy unit of ``energy_model``
    (:attr:`ogn_lib.units.UnitSystem.mvv2e`)."""

    energy_model: PotentialEnergyModel
    mvv2e: float
    name = "nve-rescaled"

    def total_energy(self, state: Configuration) -> float:
        """Learned potential plus thermal kinetic energy (energy unit)."""
        return (self.energy_model.potential_energy(state)
                + thermo.thermal_kinetic_energy(state.masses, state.velocities, self.mvv2e))

    def begin(self, start: Configuration, step_time: float) -> Step:
        start_energy = self.total_energy(start)

        def step(state: Configuration) -> Configuration:
            kinetic = thermo.thermal_kinetic_energy(state.masses, state.velocities, self.mvv2e)
            excess = self.energy_model.potential_energy(state) + kinetic - start_energy
            if not kinetic > 0 or excess >= kinetic:
                raise EnsembleError(
                    f"step {state.step}: the total energy is {excess:.4g} above its start "
                    f"value with only {kinetic:.4g} kinetic energy; no rescaling of the "
                    "velocities restores it (the rollout has left the training data)")
            return _with_thermal_velocities_scaled(state, math.sqrt(1.0 - excess / kinetic))

        return step


@dataclass(frozen=True)
class _Thermostat:
    """A thermostat's settings: ``temperature`` as k_B T in the energy unit, the
    ``coupling_time`` in the time unit, ``mvv2e`` (mass x velocity^2 -> energy) and the
    ``seed`` of its noise."""

    temperature: float
    coupling_time: float
    mvv2e: float = 1.0
    seed: int = 0

    def __post_init__(self):
        if not (math.isfinite(self.temperature) and self.temperature > 0):
            raise ValueError(f"thermostat temperature {self.temperature}: give a positive "
                             "k_B T in the system's energy unit (e.g. 0.9 for KA-LJ)")
        if not (math.isfinite(self.coupling_time) and self.coupling_time > 0):
            raise ValueError(f"thermostat coupling time {self.coupling_time}: give a "
                             "positive time in the system's time unit (e.g. 100 MD steps)")


@dataclass(frozen=True)
class CSVR(_Thermostat):
    """Bussi's stochastic velocity rescaling towards ``temperature`` with coupling time
    ``coupling_time``; canonical for any coupling."""

    name = "nvt-csvr"

    def begin(self, start: Configuration, step_time: float) -> Step:
        random = np.random.default_rng(self.seed)
        n_free = thermo.degrees_of_freedom(start.n_atoms)
        target = 0.5 * n_free * self.temperature
        decay = math.exp(-step_time / self.coupling_time)

        def step(state: Configuration) -> Configuration:
            kinetic = thermo.thermal_kinetic_energy(state.masses, state.velocities, self.mvv2e)
            first = random.standard_normal()
            others = 2.0 * random.standard_gamma(0.5 * (n_free - 1))  # chi^2, n_free - 1
            ratio = target / (n_free * kinetic)
            alpha_squared = (decay + (1.0 - decay) * ratio * (first**2 + others)
                             + 2.0 * first * math.sqrt(decay * (1.0 - decay) * ratio))
            sign = math.copysign(1.0, first + math.sqrt(decay / ((1.0 - decay) * ratio)))
            return _with_thermal_velocities_scaled(state, sign * math.sqrt(alpha_squared))

        return step


@dataclass(frozen=True)
class Langevin(_Thermostat):
    """Langevin friction 1/``coupling_time`` and matching noise at ``temperature``, applied
    exactly over each prediction's k dt; the noise's net momentum is removed so that the
    total momentum is kept."""

    name = "nvt-langevin"

    def begin(self, start: Configuration, step_time: float) -> Step:
        random = np.random.default_rng(self.seed)
        decay = math.exp(-step_time / self.coupling_time)
        spread = np.sqrt((1.0 - decay**2) * self.temperature
                         / (self.mvv2e * start.masses))[:, None]

        def step(state: Configuration) -> Configuration:
            velocities = (decay * state.velocities
                          + spread * random.standard_normal(state.velocities.shape))
            change = velocities - state.velocities
            velocities = velocities - thermo.centre_of_mass_velocity(state.masses, change)
            return replace(state, velocities=velocities)

        return step


Ensemble = NVE | EnergyRescaledNVE | CSVR | Langevin

ENSEMBLE_NAMES = ("nve", "nve-rescaled", "nvt-csvr", "nvt-langevin")
"""The ensembles a rollout runs in, by the name ``ogn rollout --ensemble`` takes."""

DEFAULT_COUPLING_MD_STEPS = 100
"""A thermostat's coupling time when none is given: 100 MD steps, loose enough that the
thermostat leaves the dynamics of a few hundred steps nearly Newtonian, tight enough that
it holds the temperature over a rollout of thousands."""


def check_options(name: str, *, temperature: float | None, coupling_time: float | None,
                  energy_model: bool) -> None:
    """Refuse, in one line, settings that ensemble ``name`` does not take or lacks (the
    command line's option follows each Python keyword)."""
    if name not in ENSEMBLE_NAMES:
        raise ValueError(f"ensemble {name!r}: choose one of {', '.join(ENSEMBLE_NAMES)}")
    thermostat = name.startswith("nvt")
    if thermostat != (temperature is not None):
        raise ValueError(f"ensemble {name} " + (
            "needs a temperature (temperature=, --temperature)" if thermostat else
            "takes no temperature; use nvt-csvr or nvt-langevin"))
    if coupling_time is not None and not thermostat:
        raise ValueError(f"a coupling time (coupling_time=, --coupling-time) is a "
                         f"thermostat's; ensemble {name} has none (use nvt-csvr or "
                         "nvt-langevin)")
    if (name == "nve-rescaled") != energy_model:
        raise ValueError("ensemble nve-rescaled needs an energy model (energy_model=, "
                         "--energy-model; fit one with `ogn fit-energy`)" if not energy_model
                         else f"an energy model is used by nve-rescaled, not ensemble {name}")


def make_ensemble(name: str, *, dt: float, boltzmann: float, mvv2e: float = 1.0,
                  temperature: float | None = None, coupling_time: float | None = None,
                  energy_model: PotentialEnergyModel | None = None,
                  seed: int = 0) -> Ensemble:
    """The ensemble ``name`` (:data:`ENSEMBLE_NAMES`) for a system of MD step ``dt`` whose
    units have ``boltzmann`` (k_B in energy per temperature unit) and ``mvv2e``: a
    thermostat at ``temperature`` (temperature unit) with ``coupling_time`` (time unit;
    default :data:`DEFAULT_COUPLING_MD_STEPS` MD steps) and noise from ``seed``; the
    energy-rescaled NVE holding the energy of ``energy_model``."""
    check_options(name, temperature=temperature, coupling_time=coupling_time,
                  energy_model=energy_model is not None)
    if name == "nve":
        return NVE()
    if name == "nve-rescaled":
        return EnergyRescaledNVE(energy_model, mvv2e=mvv2e)
    kind = {"nvt-csvr": CSVR, "nvt-langevin": Langevin}[name]
    return kind(temperature=boltzmann * temperature,
                coupling_time=coupling_time or DEFAULT_COUPLING_MD_STEPS * dt,
                mvv2e=mvv2e, seed=seed)


def rollout_ensemble(name: str, spec: SimulatorSpec, units: str | dict, *,
                     temperature: float | None = None, coupling_time: float | None = None,
                     energy_model: Path | None = None, seed: int = 0) -> Ensemble:
    """The ensemble ``name`` for a rollout of a simulator of ``spec`` in the unit system
    ``units`` (a sidecar's, :func:`ogn_lib.units.unit_system`): ``temperature`` and
    ``coupling_time`` in its units; ``energy_model`` a file of ``ogn fit-energy``, refused
    when fitted to another system or other types."""
    check_options(name, temperature=temperature, coupling_time=coupling_time,
                  energy_model=energy_model is not None)
    model = None
    if energy_model is not None:
        model, _, _ = load_energy_model(energy_model)
        fitted = (model.spec.system, tuple(model.spec.type_names))
        simulated = (spec.system, tuple(spec.type_names))
        if fitted != simulated:
            raise ValueError(f"energy model {energy_model} was fitted to system "
                             f"{fitted[0]!r} with types {list(fitted[1])}, the checkpoint "
                             f"simulates {simulated[0]!r} with {list(simulated[1])}; fit one "
                             "to this system's trajectories with `ogn fit-energy`")
    system_units = unit_system(units)
    return make_ensemble(name, dt=spec.dt, boltzmann=system_units.boltzmann,
                         mvv2e=system_units.mvv2e, temperature=temperature,
                         coupling_time=coupling_time, energy_model=model, seed=seed)
