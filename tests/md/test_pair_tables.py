"""Silica's pair functions (ogn_lib.md.pair_tables) against LAMMPS's own coul/dsf + lepton
evaluation, and their forces against the slope of their energies."""

import numpy as np
import pytest

from ogn_lib.configuration import Configuration
from ogn_lib.md.lammps import evaluate_energies
from ogn_lib.md.pair_tables import dsf_coulomb, dsf_self_energy, silica_pair
from ogn_lib.md.systems import SYSTEMS

SILICA = SYSTEMS["silica"]
CHARGES = {species.name: species.charge_e for species in SILICA.species}
DISTANCES = np.array([1.2, 1.6, 2.5, 3.7, 5.0, 7.5, 7.99])


def alone(typeids, distance=0.0):
    """One or two atoms, ``distance`` apart along x, in a box far larger than the cutoff."""
    positions = np.zeros((len(typeids), 3))
    positions[-1, 0] = distance
    masses = np.array([SILICA.species[t].mass for t in typeids])
    return Configuration(box_lengths=np.full(3, 40.0), positions=positions,
                         velocities=np.zeros_like(positions),
                         images=np.zeros((len(typeids), 3), dtype=np.int32),
                         typeids=np.asarray(typeids), type_names=SILICA.type_names,
                         masses=masses)


@pytest.mark.parametrize("pair", [("Si", "O"), ("O", "O"), ("Si", "Si")])
def test_a_pair_has_lammps_energy(pair):
    typeids = [SILICA.type_names.index(name) for name in pair]
    lammps = [frame["potential_energy"] for frame in evaluate_energies(
        SILICA, [alone(typeids, r) for r in DISTANCES])]
    energy, _ = silica_pair(SILICA.potential, pair, (CHARGES[pair[0]], CHARGES[pair[1]]),
                            DISTANCES)
    self_energy = dsf_self_energy(SILICA.potential, np.array([CHARGES[n] for n in pair]))
    # LAMMPS's erfc is a polynomial good to ~1e-7: differences of ~1e-5 kcal/mol.
    np.testing.assert_allclose(energy + self_energy, lammps, rtol=0, atol=2e-4)


def test_the_self_energy_is_what_lammps_adds_to_one_atom():
    for typeid, species in enumerate(SILICA.species):
        lammps = evaluate_energies(SILICA, [alone([typeid])])[0]["potential_energy"]
        assert dsf_self_energy(SILICA.potential, np.array([species.charge_e])) == (
            pytest.approx(lammps, rel=1e-6))


def test_forces_are_minus_the_slope_and_energies_vanish_at_the_cutoff():
    r = np.linspace(1.0, 7.9, 400)
    h = 1e-5
    for pair in (("Si", "O"), ("O", "O"), ("Si", "Si")):
        charges = (CHARGES[pair[0]], CHARGES[pair[1]])
        _, force = silica_pair(SILICA.potential, pair, charges, r)
        above, _ = silica_pair(SILICA.potential, pair, charges, r + h)
        below, _ = silica_pair(SILICA.potential, pair, charges, r - h)
        np.testing.assert_allclose(force, -(above - below) / (2 * h),
                                   rtol=1e-5, atol=1e-5)
        energy, _ = silica_pair(SILICA.potential, pair, charges, np.array([7.999999, 8.0]))
        np.testing.assert_allclose(energy, 0.0, atol=1e-4)
        # DSF's force vanishes there too; the shifted short-range force jumps, as in LAMMPS.
        _, coulomb_force = dsf_coulomb(SILICA.potential, charges[0] * charges[1],
                                       np.array([7.999999]))
        assert abs(coulomb_force[0]) < 1e-4
