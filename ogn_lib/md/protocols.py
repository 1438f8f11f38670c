"""MD protocols that produce ground-truth trajectories: liquid and melt-quenched glass.

Each protocol is a frozen dataclass of its parameters and a ``run`` that takes a system,
a seed and a trajectory writer; the same parameters and seed give the same file.
"""

from __future__ import annotations

from dataclasses import dataclass

from ogn_lib.md.engines import open_simulation
from ogn_lib.md.systems import System


def _check_positive(**values) -> None:
    for name, value in values.items():
        if not value > 0:
            raise ValueError(f"{name}={value} must be positive")


@dataclass(frozen=True)
class LiquidProtocol:
    """Random start -> minimisation (push-off) -> Langevin at T -> NVE, recorded.

    Attributes:
        n_atoms: atoms in the cubic box.
        temperature: target temperature (system's temperature unit).
        number_density: atoms per length unit cubed.
        equilibration_steps: Langevin steps at T before recording.
        production_steps: recorded NVE steps; frames = production_steps / period + 1.
    """

    n_atoms: int
    temperature: float
    number_density: float
    equilibration_steps: int
    production_steps: int

    def __post_init__(self):
        _check_positive(n_atoms=self.n_atoms, temperature=self.temperature,
                        number_density=self.number_density,
                        production_steps=self.production_steps)

    def run(self, system: System, seed: int, writer, engine: str = "lammps",
            device: str = "cpu") -> dict:
        with open_simulation(engine, system, seed, device) as simulation:
            simulation.create_random_state(self.n_atoms, self.number_density)
            simulation.minimize()
            simulation.thermalize(self.temperature, self.equilibration_steps)
            simulation.run(self.production_steps, writer)
        return {}


@dataclass(frozen=True)
class MeltQuenchProtocol:
    """Melt at ``t_melt``, cool at a constant rate to ``t_glass`` and on to ``t_final``.

    The cooling is Nose-Hoover NVT with the set point ramped linearly, at the same rate
    over both legs; the set point, the kinetic temperature and the potential energy are
    logged throughout (S11). The
    state reached at ``t_glass`` is kept, held there for ``hold_steps`` and then recorded in
    NVE for ``production_steps`` (S10).
    """

    n_atoms: int
    number_density: float
    t_melt: float
    t_glass: float
    t_final: float
    cooling_rate: float
    """Temperature units per time unit (e.g. 1/tau in LJ units)."""
    equilibration_steps: int
    hold_steps: int
    production_steps: int
    log_period_steps: int = 100

    def __post_init__(self):
        _check_positive(n_atoms=self.n_atoms, number_density=self.number_density,
                        t_melt=self.t_melt, t_glass=self.t_glass, t_final=self.t_final,
                        cooling_rate=self.cooling_rate)
        if not self.t_melt > self.t_glass > self.t_final:
            raise ValueError(f"quench temperatures must fall: t_melt={self.t_melt} > "
                             f"t_glass={self.t_glass} > t_final={self.t_final}")

    def cooling_steps(self, system: System, t_from: float, t_to: float) -> int:
        steps = (t_from - t_to) / self.cooling_rate / system.dt
        return int(round(steps / self.log_period_steps)) * self.log_period_steps

    def run(self, system: System, seed: int, writer, engine: str = "lammps",
            device: str = "cpu") -> dict:
        with open_simulation(engine, system, seed, device) as simulation:
            simulation.create_random_state(self.n_atoms, self.number_density)
            simulation.minimize()
            simulation.thermalize(self.t_melt, self.equilibration_steps)
            first_leg = simulation.cool(
                self.t_melt, self.t_glass,
                self.cooling_steps(system, self.t_melt, self.t_glass), self.log_period_steps)
            glass = simulation.configuration()
            second_leg = simulation.cool(
                self.t_glass, self.t_final,
                self.cooling_steps(system, self.t_glass, self.t_final), self.log_period_steps)
        with open_simulation(engine, system, seed, device) as simulation:
            simulation.load(glass)
            simulation.hold(self.t_glass, self.hold_steps)
            simulation.run(self.production_steps, writer)
        joined = [[*map(float, a), *map(float, b)] for a, b in zip(first_leg, second_leg)]
        return {"quench": {"set_point": joined[0], "temperature": joined[1],
                           "potential_energy": joined[2], "cooling_rate": self.cooling_rate}}
