"""A fresh, untrained simulator for tests: its zero-initialised decoder predicts no velocity
change and no correction, so it moves atoms exactly as the constant-velocity baseline."""

from __future__ import annotations

from ogn_lib.learn.network import ModelConfig
from ogn_lib.learn.simulator import LearnedSimulator, Normalisation, SimulatorSpec


def untrained_simulator(system: str = "toy-lj", k_steps: int = 5, dt: float = 0.002,
                        cutoff: float = 1.4, closest_approach: float = 0.7) -> LearnedSimulator:
    """A tiny A/B simulator; ``closest_approach`` sets its overlap check (0: none)."""
    spec = SimulatorSpec(
        system=system, type_names=("A", "B"), k_steps=k_steps, dt=dt,
        model=ModelConfig(n_types=2, cutoff=cutoff, n_layers=2, latent_size=8, hidden_size=8,
                          n_radial=4),
        normalisation=Normalisation(velocity_std=1.0, delta_velocity_std=0.1,
                                    correction_std=1e-3, closest_approach=closest_approach))
    return LearnedSimulator(spec).eval()
