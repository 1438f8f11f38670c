"""Independent NumPy evaluations of the potential energies written in FACTS.md.

Used by the tests to check that the energies LAMMPS reports are the formulas we claim.
Only the minimum image is summed, so the box must be wider than twice every cutoff.
"""

from __future__ import annotations

from math import erfc, exp, pi, sqrt

import numpy as np

from ogn_lib.periodic import minimum_image


def _pair_distances(positions, box_lengths, cutoff):
    positions = np.asarray(positions, dtype=np.float64)
    assert np.all(np.asarray(box_lengths) > 2 * cutoff), "box too small for minimum image"
    i, j = np.triu_indices(len(positions), k=1)
    distances = np.linalg.norm(minimum_image(positions[j] - positions[i], box_lengths),
                               axis=1)
    keep = distances < cutoff
    return i[keep], j[keep], distances[keep]


def lennard_jones_energy(positions, typeids, box_lengths, epsilon, sigma, cutoff_sigma=2.5):
    """Truncated-and-shifted LJ: sum over pairs of 4 eps [(s/r)^12 - (s/r)^6] - E(r_c)."""
    epsilon, sigma = np.asarray(epsilon), np.asarray(sigma)
    i, j, r = _pair_distances(positions, box_lengths, cutoff_sigma * sigma.max())
    eps, sig = epsilon[typeids[i], typeids[j]], sigma[typeids[i], typeids[j]]
    rc = cutoff_sigma * sig
    inside = r < rc

    def lj(x):
        return 4 * eps * ((sig / x) ** 12 - (sig / x) ** 6)

    return float(np.sum((lj(r) - lj(rc))[inside]))


def dsf_coulomb_energy(positions, charges, box_lengths, alpha, cutoff, coulomb_constant):
    """Damped shifted force Coulomb (Fennell & Gezelter 2006, eq. 19) with its self term.

    LAMMPS's ``coul/dsf`` adds to this a configuration-independent constant,
    ``-(C/2) (erfc(a r_c)/r_c + 2a/sqrt(pi) exp(-a^2 r_c^2)) sum q_i^2``, measured here and
    added by :func:`lammps_dsf_offset`; forces and dynamics do not see it.
    """
    i, j, r = _pair_distances(positions, box_lengths, cutoff)
    erfc_v = np.vectorize(erfc)
    shift = erfc(alpha * cutoff) / cutoff
    slope = erfc(alpha * cutoff) / cutoff**2 + 2 * alpha / sqrt(pi) * exp(
        -(alpha * cutoff) ** 2) / cutoff
    pair = charges[i] * charges[j] * (erfc_v(alpha * r) / r - shift + slope * (r - cutoff))
    self_energy = -(shift / 2 + alpha / sqrt(pi)) * np.sum(charges**2)
    return float(coulomb_constant * (pair.sum() + self_energy))


def short_range_energy(positions, typeids, box_lengths, table, cutoff):
    """Sum of A exp(-r/rho) + C/r^6 + D/r^24 per pair, shifted to zero at the cutoff.

    ``table[a][b] = (A, rho, C, D)`` for type ids a, b.
    """
    i, j, r = _pair_distances(positions, box_lengths, cutoff)
    total = 0.0
    for a in range(len(table)):
        for b in range(len(table)):
            pick = (typeids[i] == a) & (typeids[j] == b)
            A, rho, C, D = table[a][b]

            def energy(x):
                return A * np.exp(-x / rho) + C / x**6 + D / x**24

            total += float(np.sum(energy(r[pick]) - energy(cutoff)))
    return total


def lammps_dsf_offset(charges, alpha, cutoff, coulomb_constant):
    """The constant that LAMMPS's ``coul/dsf`` energy carries beyond eq. 19."""
    slope_times_cutoff = erfc(alpha * cutoff) / cutoff + 2 * alpha / sqrt(pi) * exp(
        -(alpha * cutoff) ** 2)
    return float(-0.5 * coulomb_constant * slope_times_cutoff * np.sum(np.square(charges)))
