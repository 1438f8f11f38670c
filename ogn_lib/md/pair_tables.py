"""The silica force field as radial functions: energy and force of each pair of species,
for engines that take a pair potential as a table (HOOMD-blue's ``md.pair.Table``) rather
than by its formula.

Every formula of :class:`~ogn_lib.md.systems.DampedShiftedCoulombPlusShortRange` lives
here, as LAMMPS evaluates it (``pair_style hybrid/overlay coul/dsf ... lepton ...`` with
``pair_modify pair lepton shift yes``):

- damped shifted force Coulomb (Fennell & Gezelter 2006), with ``R`` the Coulomb cutoff,
  ``C`` the Coulomb constant and ``e(r) = erfc(alpha r) / r``::

      E(r) = C q_i q_j [e(r) - e(R) + (r - R) (e(R) / R + 2 alpha / sqrt(pi) exp(-alpha^2 R^2) / R)]

  whose energy and force both vanish at ``R``; LAMMPS adds a constant self energy
  ``-C q_i^2 (e(R) + alpha / sqrt(pi) (1 + exp(-alpha^2 R^2)))`` per atom
  (:func:`dsf_self_energy`; measured: one atom alone in a box);
- the short-range ``A exp(-r / rho) + C6 / r^6 + D / r^24``, shifted to zero at its cutoff.
"""

from __future__ import annotations

import math

import numpy as np

from ogn_lib.md.systems import DampedShiftedCoulombPlusShortRange, ShortRangePair


def _erfc(x: np.ndarray) -> np.ndarray:
    return np.array([math.erfc(value) for value in np.ravel(x)]).reshape(np.shape(x))


def dsf_coulomb(potential: DampedShiftedCoulombPlusShortRange, charge_product: float,
                r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """DSF Coulomb energy and radial force ``-dE/dr`` of a pair with charges multiplying to
    ``charge_product`` (e^2) at distances ``r`` (Angstrom); zero beyond the cutoff."""
    r = np.asarray(r, dtype=np.float64)
    alpha, cutoff = potential.alpha_per_A, potential.coulomb_cutoff_A
    prefactor = potential.coulomb_constant * charge_product
    gauss = 2.0 * alpha / math.sqrt(math.pi)
    shifted_energy = math.erfc(alpha * cutoff) / cutoff
    shifted_force = (shifted_energy + gauss * math.exp(-(alpha * cutoff) ** 2)) / cutoff
    screened = _erfc(alpha * r) / r
    energy = prefactor * (screened - shifted_energy + (r - cutoff) * shifted_force)
    force = prefactor * ((screened + gauss * np.exp(-(alpha * r) ** 2)) / r - shifted_force)
    inside = r < cutoff
    return np.where(inside, energy, 0.0), np.where(inside, force, 0.0)


def short_range(pair: ShortRangePair, cutoff: float,
                r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Short-range energy (shifted to zero at ``cutoff``) and radial force ``-dE/dr`` at
    distances ``r`` (Angstrom); zero beyond the cutoff."""
    r = np.asarray(r, dtype=np.float64)

    def energy_of(x):
        return pair.A * np.exp(-x / pair.rho) + pair.C / x**6 + pair.D / x**24

    energy = energy_of(r) - energy_of(np.float64(cutoff))
    force = pair.A / pair.rho * np.exp(-r / pair.rho) + 6 * pair.C / r**7 + 24 * pair.D / r**25
    inside = r < cutoff
    return np.where(inside, energy, 0.0), np.where(inside, force, 0.0)


def silica_pair(potential: DampedShiftedCoulombPlusShortRange, species: tuple[str, str],
                charges: tuple[float, float], r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Energy (kcal/mol) and radial force (kcal/mol/Angstrom) of one pair of species with
    ``charges`` (e) at distances ``r``: Coulomb plus the short-range term of that pair."""
    coulomb_energy, coulomb_force = dsf_coulomb(potential, charges[0] * charges[1], r)
    pair = potential.pairs.get(species) or potential.pairs.get(species[::-1])
    if pair is None:
        return coulomb_energy, coulomb_force
    energy, force = short_range(pair, potential.short_range_cutoff_A, r)
    return coulomb_energy + energy, coulomb_force + force


def dsf_self_energy(potential: DampedShiftedCoulombPlusShortRange,
                    charges: np.ndarray) -> float:
    """The constant that LAMMPS's ``coul/dsf`` adds to the potential energy for atoms of
    ``charges`` (e): ``-C sum q_i^2 (e(R) + alpha / sqrt(pi) (1 + exp(-alpha^2 R^2)))``
    (kcal/mol)."""
    alpha, cutoff = potential.alpha_per_A, potential.coulomb_cutoff_A
    per_charge_squared = (math.erfc(alpha * cutoff) / cutoff + alpha / math.sqrt(math.pi)
                          * (1 + math.exp(-(alpha * cutoff) ** 2)))
    return -potential.coulomb_constant * per_charge_squared * float(np.sum(np.square(charges)))
