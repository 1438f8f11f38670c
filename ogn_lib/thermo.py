"""Kinetic energy and temperature of a set of atoms: the formulas every layer shares.

Velocities and masses are in the units of the system that produced them; ``mvv2e``
(:attr:`ogn_lib.units.UnitSystem.mvv2e`) turns mass x velocity^2 into the energy
unit (1 in LJ units). The centre-of-mass motion is not thermal: temperatures count the
3N - 3 degrees of freedom left once total momentum is fixed.
"""

from __future__ import annotations

import numpy as np


def degrees_of_freedom(n_atoms: int) -> int:
    """3N - 3: the velocity components left free once total momentum is fixed."""
    if n_atoms < 2:
        raise ValueError(f"{n_atoms} atom(s) have no thermal motion; a temperature needs "
                         "at least 2 atoms")
    return 3 * n_atoms - 3


def centre_of_mass_velocity(masses: np.ndarray, velocities: np.ndarray) -> np.ndarray:
    """``(3,)`` total momentum over total mass."""
    masses = np.asarray(masses, dtype=np.float64)
    return masses @ np.asarray(velocities, dtype=np.float64) / masses.sum()


def thermal_kinetic_energy(masses: np.ndarray, velocities: np.ndarray,
                           mvv2e: float = 1.0) -> float:
    """sum_i m_i |v_i - v_cm|^2 / 2 in the energy unit: the kinetic energy of the motion
    relative to the centre of mass."""
    relative = np.asarray(velocities, dtype=np.float64) - centre_of_mass_velocity(
        masses, velocities)
    return 0.5 * mvv2e * float(np.sum(np.asarray(masses)[:, None] * relative**2))


def kinetic_temperature(masses: np.ndarray, velocities: np.ndarray,
                        mvv2e: float = 1.0) -> float:
    """k_B T = 2 K_thermal / (3N - 3), in the energy unit (in mass x velocity^2 with the
    default ``mvv2e`` = 1, which ratios of temperatures do not need)."""
    return (2.0 * thermal_kinetic_energy(masses, velocities, mvv2e)
            / degrees_of_freedom(len(masses)))
