"""System-level measures made with the MD engine: energies by its rule on any frames, and
one raw rollout measured against its truth."""

from dataclasses import replace

import numpy as np
import pytest
from md_helpers import small_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.energies import predictions_over
from ogn_lib.learn.rollout import rollout_trajectory
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.studies import system_level
from ogn_lib.studies.system_level import energies_key, energy_series, system_level_start


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


def test_a_system_level_start_measures_a_rollout_over_the_whole_truth(truth):
    simulator = untrained_simulator("lj", k_steps=5, dt=SYSTEMS["lj"].dt, closest_approach=0.0)
    assert predictions_over(truth, 5) == 4
    rollout = rollout_trajectory(simulator, truth.configuration(0), predictions_over(truth, 5))
    start = system_level_start(rollout, truth, SYSTEMS["lj"], (10, 20))
    assert start.rollout.n_frames == 5  # 20 MD steps of k = 5, and the start
    assert set(start.rmsd_ratios) == {10, 20}
    assert len(start.truth_energies.md_steps) == truth.n_frames
    assert len(start.rollout_energies.md_steps) == start.rollout.n_frames


def test_kept_energies_are_evaluated_once_and_equal_the_engine_s(truth, series, tmp_path,
                                                                 monkeypatch):
    evaluated = []
    original = system_level.evaluate_energies
    monkeypatch.setattr(system_level, "evaluate_energies",
                        lambda *args: evaluated.append(1) or original(*args))
    for _ in range(2):
        kept = energy_series(SYSTEMS["lj"], truth, cache=tmp_path)
        for name in ("md_steps", "potential", "kinetic"):
            np.testing.assert_array_equal(getattr(kept, name), getattr(series, name))
    assert len(evaluated) == 1


def test_the_energies_key_follows_the_frames_and_the_system(truth):
    key = energies_key(SYSTEMS["lj"], truth)
    moved = replace(truth, positions=truth.positions + np.float32(1e-3))
    other_step = replace(SYSTEMS["lj"], dt=2 * SYSTEMS["lj"].dt)
    assert len({key, energies_key(SYSTEMS["lj"], moved), energies_key(other_step, truth)}) == 3
    assert energies_key(SYSTEMS["lj"], replace(truth, energies={})) == key
