"""System-level quantities: energies by the engine's rule on any frames, RMSD ratios."""

from dataclasses import replace

import numpy as np
import pytest
from md_helpers import small_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.dynamics import RMSDCurve
from ogn_lib.analysis.energies import (
    EnergySeries,
    energy_series,
    predictions_over,
    rmsd_ratio,
    system_level_start,
)
from ogn_lib.learn.rollout import rollout_trajectory
from ogn_lib.md.systems import SYSTEMS


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("truth"), "lj", production_steps=20)


@pytest.fixture(scope="module")
def series(truth):
    return energy_series(SYSTEMS["lj"], truth)


def test_energies_of_true_frames_equal_what_the_engine_logged(truth, series):
    n_atoms = len(truth.typeids)
    np.testing.assert_allclose(series.potential,
                               truth.energies["potential_energy"] / n_atoms, rtol=1e-5)
    kinetic = 0.5 * np.sum(truth.masses[None, :, None] * truth.velocities.astype(float)**2,
                           axis=(1, 2)) / n_atoms
    np.testing.assert_allclose(series.kinetic, kinetic, rtol=1e-5)
    np.testing.assert_array_equal(series.md_steps, np.arange(21))


def test_nve_truth_conserves_total_energy_while_its_parts_exchange(series):
    # Velocity Verlet at T = 3: the total wobbles by ~1% of the kinetic energy's swings.
    assert series.total_spread < 0.05 * np.ptp(series.kinetic)
    assert series.total_spread >= abs(series.total_drift)
    assert series.relative_total_spread == series.total_spread / np.mean(series.kinetic)
    assert series.relative_total_spread >= abs(series.relative_total_drift)


def test_energy_of_another_systems_trajectory_is_refused(truth):
    silica = replace(truth, metadata=replace(truth.metadata, system="silica"))
    with pytest.raises(ValueError, match="pass its system"):
        energy_series(SYSTEMS["lj"], silica)


def test_rmsd_ratio_interpolates_both_curves():
    time = np.array([1.0, 2.0, 3.0])
    predicted = RMSDCurve(time=time, rmsd=np.array([1.0, 2.0, 4.0]))
    truth = RMSDCurve(time=time, rmsd=np.array([1.0, 1.0, 2.0]))
    assert rmsd_ratio(predicted, truth, 2.5) == pytest.approx(3.0 / 1.5)
    with pytest.raises(ValueError, match="outside the true RMSD curve"):
        rmsd_ratio(predicted, RMSDCurve(time=time[:2], rmsd=truth.rmsd[:2]), 2.5)


def test_relative_drift_is_the_drift_in_units_of_the_mean_kinetic_energy(series):
    assert series.relative_total_drift == pytest.approx(
        series.total_drift / np.mean(series.kinetic))


def test_mean_after_averages_the_late_frames_only(series):
    assert series.mean_after("kinetic", 15) == pytest.approx(np.mean(series.kinetic[15:]))
    assert series.mean_after("total", 0) == pytest.approx(np.mean(series.total))
    with pytest.raises(ValueError, match="ends at 20"):
        series.mean_after("potential", 21)
    with pytest.raises(ValueError, match="choose 'potential'"):
        series.mean_after("enthalpy", 0)


def test_the_largest_excursion_and_the_fitted_drift_of_a_known_series():
    steps = np.arange(0, 2001, 5)
    kinetic = np.full(len(steps), 2.0)
    bump = np.where(steps == 1000, 0.3, 0.0)  # one stray frame, back on the line after it
    series = EnergySeries(md_steps=steps, potential=-5.0 + 1e-4 * steps + bump, kinetic=kinetic)
    assert series.relative_largest_excursion == pytest.approx((1e-4 * 1000 + 0.3) / 2.0)
    assert series.relative_fitted_drift == pytest.approx(1e-4 * 2000 / 2.0, rel=1e-3)


def test_a_system_level_start_measures_a_rollout_over_the_whole_truth(truth):
    simulator = untrained_simulator("lj", k_steps=5, dt=SYSTEMS["lj"].dt, closest_approach=0.0)
    assert predictions_over(truth, 5) == 4
    rollout = rollout_trajectory(simulator, truth.configuration(0), predictions_over(truth, 5))
    start = system_level_start(rollout, truth, SYSTEMS["lj"], (10, 20))
    assert start.rollout.n_frames == 5  # 20 MD steps of k = 5, and the start
    assert set(start.rmsd_ratios) == {10, 20}
    assert len(start.truth_energies.md_steps) == truth.n_frames
    assert len(start.rollout_energies.md_steps) == start.rollout.n_frames
