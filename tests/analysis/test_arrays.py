"""The analysis takes plain arrays, as freud does: a researcher's positions need no ogn
trajectory file to be analysed."""

import numpy as np
import pytest

from ogn_lib.analysis.dynamics import rmsd_curve_of
from ogn_lib.analysis.relaxation import (
    mean_square_displacement,
    relaxation_time,
    self_intermediate_scattering_of,
)
from ogn_lib.analysis.structure import pair_distributions_of


def random_walk(n_frames=400, n_atoms=200, step=0.1, seed=0):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.normal(scale=step, size=(n_frames, n_atoms, 3)), axis=0)


def test_the_msd_of_a_random_walk_grows_as_three_step_variances_per_frame():
    walk = random_walk()
    msd = mean_square_displacement(walk, frame_time=0.5)
    assert msd.time[10] == 5.0 and msd.value[0] == pytest.approx(0.0, abs=1e-6)
    assert msd.value[10] == pytest.approx(3 * 0.1**2 * 10, rel=0.05)
    rmsd = rmsd_curve_of(walk, 0.5)
    np.testing.assert_allclose(rmsd.rmsd, np.sqrt(msd.value[1:]))


def test_fs_of_a_random_walk_is_the_gaussian_decay_and_gives_its_relaxation_time():
    walk, q = random_walk(), 2.0
    scattering = self_intermediate_scattering_of(walk, 1.0, q)
    # Gaussian displacements: F_s = exp(-q^2 <dr^2> / 6) = exp(-q^2 sigma^2 t / 2).
    expected_tau = 2 / (q**2 * 0.1**2)
    assert relaxation_time(scattering) == pytest.approx(expected_tau, rel=0.1)


def test_the_pair_distribution_of_an_ideal_gas_is_flat():
    rng = np.random.default_rng(1)
    box = np.array([10.0, 10.0, 10.0])
    positions = rng.uniform(-5, 5, size=(20, 500, 3))
    typeids = np.arange(500) % 2
    g = pair_distributions_of(positions, box, typeids, ("A", "B"), r_max=4.0, bins=20)
    assert set(g) == {("A", "A"), ("A", "B"), ("B", "B")}
    assert np.mean(g["A", "B"].g[5:]) == pytest.approx(1.0, abs=0.05)
