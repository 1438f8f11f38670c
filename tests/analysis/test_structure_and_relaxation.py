"""Structure and relaxation measures on configurations whose answers are known."""

import numpy as np
import pytest

from ogn_lib.analysis.relaxation import (
    Curve,
    diffusion_coefficient,
    msd_per_species,
    relaxation_time,
    self_intermediate_scattering,
)
from ogn_lib.analysis.structure import (
    PairDistribution,
    bond_angles,
    coordination,
    pair_distributions,
    structure_factor_peak,
)
from ogn_lib.data.sidecar import TrajectoryMetadata
from ogn_lib.data.trajectory import Trajectory
from ogn_lib.periodic import wrap


def _trajectory(positions, typeids, box, type_names=("A", "B"), dt=0.01):
    """A trajectory of ``positions`` ``(F, N, 3)`` unwrapped, one MD step per frame."""
    positions = np.asarray(positions, dtype=np.float64)
    box = np.full(3, float(box))
    wrapped, images = zip(*(wrap(frame, box) for frame in positions))
    return Trajectory(
        box_lengths=box, positions=np.stack(wrapped).astype(np.float32),
        velocities=np.zeros_like(positions, dtype=np.float32),
        images=np.stack(images).astype(np.int32), steps=np.arange(len(positions)),
        typeids=np.asarray(typeids), type_names=type_names,
        masses=np.ones(positions.shape[1]), energies={},
        metadata=TrajectoryMetadata(system="test", dt=dt, period_steps=1,
                                    n_frames=len(positions), units="lj"))


def test_an_ideal_gas_has_g_of_r_one_for_every_pair():
    random = np.random.default_rng(0)
    positions = random.uniform(-5, 5, (10, 2000, 3))
    typeids = random.integers(0, 2, 2000)
    distributions = pair_distributions(_trajectory(positions, typeids, 10.0), r_max=4.0,
                                       bins=8, n_frames=10)
    assert set(distributions) == {("A", "A"), ("A", "B"), ("B", "B")}
    for distribution in distributions.values():
        np.testing.assert_allclose(distribution.g[1:], 1.0, atol=0.08)


def test_the_first_peak_of_a_simple_cubic_crystal_is_at_its_spacing():
    grid = (np.stack(np.meshgrid(*[np.arange(6)] * 3, indexing="ij"), -1).reshape(-1, 3)
            * 1.5 - 4.5)
    crystal = _trajectory(grid[None], np.zeros(len(grid), dtype=int), 9.0, ("A",))
    r, g = pair_distributions(crystal, r_max=2.5, bins=50, n_frames=1)["A", "A"].first_peak
    assert r == pytest.approx(1.5, abs=0.05) and g > 5
    assert structure_factor_peak(crystal, 2.0, 5.0, n_frames=1) == pytest.approx(
        2 * np.pi / 1.5, rel=0.03)


def test_a_tetrahedron_has_coordination_four_and_tetrahedral_angles():
    corners = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]) * 0.9
    positions = np.vstack([[0.0, 0.0, 0.0], corners])[None]
    trajectory = _trajectory(positions, [0, 1, 1, 1, 1], 12.0, ("Si", "O"))
    assert coordination(trajectory, "Si", "O", cutoff=2.0, n_frames=1) == 4.0
    angles = bond_angles(trajectory, "Si", "O", cutoff=2.0, n_frames=1)
    np.testing.assert_allclose(angles, np.degrees(np.arccos(-1 / 3)), atol=1e-4)
    assert len(angles) == 6
    assert coordination(trajectory, "Si", "O", cutoff=1.0, n_frames=1) == 0.0


def test_ballistic_atoms_give_the_known_msd_and_scattering():
    random = np.random.default_rng(1)
    start, velocity = random.uniform(-3, 3, (50, 3)), random.normal(0, 1, (50, 3))
    times = np.arange(30) * 0.01
    positions = start + times[:, None, None] * velocity
    trajectory = _trajectory(positions, np.zeros(50, dtype=int), 6.0, ("A",))
    msd = msd_per_species(trajectory)["A"]
    speed_squared = np.sum(velocity**2, axis=1)
    # Positions are stored in float32, as in GSD files.
    np.testing.assert_allclose(msd.value, times**2 * speed_squared.mean(), rtol=1e-3,
                               atol=1e-5)
    q = 7.0
    scattering = self_intermediate_scattering(trajectory, q)
    expected = np.mean(np.sinc(q * np.sqrt(speed_squared)[None, :] * times[:, None] / np.pi),
                       axis=1)
    np.testing.assert_allclose(scattering.value, expected, atol=1e-4)
    assert scattering.value[0] == pytest.approx(1.0)


def test_a_random_walk_has_its_diffusion_coefficient():
    random = np.random.default_rng(2)
    dt, diffusion = 0.01, 0.3
    steps = random.normal(0, np.sqrt(2 * diffusion * dt), (400, 500, 3))
    positions = np.cumsum(steps, axis=0)
    msd = msd_per_species(_trajectory(positions, np.zeros(500, dtype=int), 50.0, ("A",),
                                      dt=dt))["A"]
    assert diffusion_coefficient(msd) == pytest.approx(diffusion, rel=0.05)


def test_relaxation_time_is_where_the_curve_crosses_one_over_e():
    times = np.linspace(0, 5, 501)
    assert relaxation_time(Curve(times, np.exp(-times / 1.7))) == pytest.approx(1.7,
                                                                               abs=1e-3)
    assert np.isnan(relaxation_time(Curve(times, np.ones_like(times))))


def test_a_bad_radius_or_wave_number_is_refused():
    trajectory = _trajectory(np.zeros((1, 2, 3)), [0, 1], 4.0)
    with pytest.raises(ValueError, match="below half the box edge"):
        pair_distributions(trajectory, r_max=3.0)
    with pytest.raises(ValueError, match="give a positive wave number"):
        self_intermediate_scattering(trajectory, 0.0)


def test_the_first_minimum_lies_between_the_first_two_shells():
    r = np.linspace(0.05, 5.0, 100)
    g = np.where(r < 1.2, 0.0, 1 + 2 * np.exp(-((r - 1.6) / 0.15) ** 2)
                 - 0.8 * np.exp(-((r - 2.4) / 0.3) ** 2) + 0.3 * np.exp(-((r - 3.4) / 0.3) ** 2))
    distribution = PairDistribution(("Si", "O"), r, g)
    assert distribution.first_peak[0] == pytest.approx(1.6, abs=0.05)
    assert distribution.first_minimum == pytest.approx(2.4, abs=0.06)
