"""NVE runs of every system conserve total energy; a broken MD step does not."""

import dataclasses

import numpy as np
import pytest
from md_helpers import small_trajectory

from ogn_lib.md import systems

# Largest |E(t) - E(0)| over 1000 NVE steps, in units of N k_B T. Measured with the
# systems' MD steps: lj 5e-4, silica 2e-4, si 7e-5, cuzr 2e-5; a 4x larger step gives
# lj: lost atoms, silica 1e-1, si 1e-3, cuzr 3e-4.
DRIFT_BOUND = {"lj": 3e-3, "silica": 1.5e-3, "si": 4e-4, "cuzr": 1e-4}


def max_energy_excursion(name: str, folder) -> float:
    trajectory = small_trajectory(folder, name, production_steps=1000, period=10)
    total = trajectory.energies["potential_energy"] + trajectory.energies["kinetic_energy"]
    system = systems.SYSTEMS[name]
    thermal = len(trajectory.typeids) * system.units.boltzmann * system.temperature
    return float(np.max(np.abs(total - total[0])) / thermal)


@pytest.mark.parametrize("name", sorted(DRIFT_BOUND))
def test_nve_conserves_total_energy(name, tmp_path):
    assert max_energy_excursion(name, tmp_path) < DRIFT_BOUND[name]


@pytest.mark.parametrize("name", sorted(DRIFT_BOUND))
def test_four_times_larger_step_breaks_the_bound(name, tmp_path, monkeypatch):
    system = systems.SYSTEMS[name]
    monkeypatch.setitem(systems.SYSTEMS, name, dataclasses.replace(system, dt=4 * system.dt))
    try:
        excursion = max_energy_excursion(name, tmp_path)
    except Exception as error:  # LAMMPS stops when atoms fly out: also a detected failure
        assert "Lost atoms" in str(error)
        return
    assert excursion > DRIFT_BOUND[name]
