"""The energies LAMMPS reports are the formulas of FACTS.md, evaluated independently."""

import numpy as np
import pytest
from md_helpers import small_trajectory
from reference_energies import (
    dsf_coulomb_energy,
    lammps_dsf_offset,
    lennard_jones_energy,
    short_range_energy,
)

from ogn_lib.md.lammps import evaluate_energies
from ogn_lib.md.systems import SYSTEMS


@pytest.fixture(scope="module")
def lj_frame(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("lj"), "lj").configuration(10)


@pytest.fixture(scope="module")
def silica_frame(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("silica"), "silica",
                            equilibration_steps=200).configuration(10)


def engine_energy(system, frame) -> float:
    """The potential energy LAMMPS assigns to the configuration."""
    return evaluate_energies(system, [frame])[0]["potential_energy"]


def numpy_lj_energy(frame):
    pairs = SYSTEMS["lj"].potential.pairs
    epsilon = np.array([[pairs["A", "A"].epsilon, pairs["A", "B"].epsilon],
                        [pairs["A", "B"].epsilon, pairs["B", "B"].epsilon]])
    sigma = np.array([[pairs["A", "A"].sigma, pairs["A", "B"].sigma],
                      [pairs["A", "B"].sigma, pairs["B", "B"].sigma]])
    return lennard_jones_energy(frame.positions, frame.typeids, frame.box_lengths,
                                epsilon, sigma)


def numpy_silica_energy(frame):
    system = SYSTEMS["silica"]
    potential = system.potential
    names = system.type_names
    table = [[None, None], [None, None]]
    for (a, b), p in potential.pairs.items():
        i, j = names.index(a), names.index(b)
        table[i][j] = table[j][i] = (p.A, p.rho, p.C, p.D)
    charges = np.array([s.charge_e for s in system.species])[frame.typeids]
    coulomb = dsf_coulomb_energy(frame.positions, charges, frame.box_lengths,
                                 potential.alpha_per_A, potential.coulomb_cutoff_A,
                                 potential.coulomb_constant)
    offset = lammps_dsf_offset(charges, potential.alpha_per_A, potential.coulomb_cutoff_A,
                               potential.coulomb_constant)
    short = short_range_energy(frame.positions, frame.typeids, frame.box_lengths, table,
                               potential.short_range_cutoff_A)
    return coulomb + offset + short


def test_lj_energy_of_saved_frame_matches_numpy(lj_frame):
    reference = numpy_lj_energy(lj_frame)
    engine = engine_energy(SYSTEMS["lj"], lj_frame)
    assert engine == pytest.approx(reference, rel=1e-6)
    # The logged energy was computed before float32 rounding of the saved positions.
    assert lj_frame.energies["potential_energy"] == pytest.approx(reference, rel=1e-5)


def test_silica_energy_of_saved_frame_matches_numpy(silica_frame):
    reference = numpy_silica_energy(silica_frame)
    engine = engine_energy(SYSTEMS["silica"], silica_frame)
    # LAMMPS evaluates erfc with a 5-term polynomial (abs. error ~1e-7).
    assert engine == pytest.approx(reference, rel=1e-6)
    assert silica_frame.energies["potential_energy"] == pytest.approx(reference, rel=1e-5)


def test_lj_energy_changes_when_one_atom_moves(lj_frame):
    moved = lj_frame.positions.copy()
    moved[0] += 0.05
    shifted = type(lj_frame)(**{**lj_frame.__dict__, "positions": moved})
    assert numpy_lj_energy(shifted) != pytest.approx(numpy_lj_energy(lj_frame), rel=1e-6)
    assert engine_energy(SYSTEMS["lj"], shifted) == pytest.approx(
        numpy_lj_energy(shifted), rel=1e-6)
