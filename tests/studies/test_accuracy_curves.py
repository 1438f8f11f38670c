"""Specification of the accuracy curves made: the learned simulator beside every baseline."""

import numpy as np
import pytest
from md_helpers import small_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.accuracy import METHODS
from ogn_lib.analysis.scores import kinetic_temperature
from ogn_lib.learn import rollout_cache
from ogn_lib.md import baselines
from ogn_lib.studies.accuracy_curves import accuracy_curves, curves_over_starts
from ogn_lib.studies.rollout_comparison import compare_rollout


def untrained_lj_simulator(k_steps=2, closest_approach=0.0):
    """Flies KA-LJ atoms straight, with no overlap check by default (it never stops)."""
    return untrained_simulator("lj", k_steps, dt=0.005, cutoff=2.0,
                               closest_approach=closest_approach)


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("truth"), "lj", production_steps=120)


@pytest.fixture(scope="module")
def curves(truth):
    return accuracy_curves(untrained_lj_simulator(), truth, start_frame=10, n_predictions=25)


def test_every_method_is_scored_at_every_prediction(curves):
    assert curves.system == "lj" and curves.k_steps == 2
    np.testing.assert_array_equal(curves.md_steps, np.arange(2, 52, 2))
    for errors in (curves.position_rmse, curves.velocity_rmse):
        assert tuple(errors) == METHODS
        assert all(errors[name].shape == (25,) for name in METHODS)
        assert all(np.all(np.isfinite(errors[name])) for name in METHODS)
    assert set(curves.temperature) == {"truth", "OGN"} and curves.failures == {}


def test_chaos_floor_starts_tiny_and_grows(curves):
    floor = curves.position_rmse["chaos floor"]
    assert floor[0] < 1e-5
    assert floor[-1] > 3 * floor[0]
    assert floor[-1] < curves.position_rmse["no motion"][-1]


def test_no_motion_error_is_the_true_displacement(truth, curves):
    unwrapped = truth.unwrapped_positions
    later = 10 + 2 * np.arange(1, 26)
    displacement = unwrapped[later] - unwrapped[10]
    expected = np.sqrt(np.mean(np.sum(displacement**2, axis=-1), axis=-1))
    np.testing.assert_allclose(curves.position_rmse["no motion"], expected, rtol=1e-5)
    change = truth.velocities[later] - truth.velocities[10]
    expected = np.sqrt(np.mean(np.sum(change**2, axis=-1), axis=-1))
    np.testing.assert_allclose(curves.velocity_rmse["no motion"], expected, rtol=1e-5)


def test_an_untrained_simulator_scores_as_constant_velocity(truth, curves):
    np.testing.assert_allclose(curves.position_rmse["OGN"],
                               curves.position_rmse["constant velocity"], rtol=1e-3)
    np.testing.assert_allclose(curves.temperature["OGN"],
                               kinetic_temperature(truth.configuration(10)), rtol=1e-5)
    assert not np.allclose(curves.temperature["truth"], curves.temperature["truth"][0])


def test_failures_are_named_and_leave_nan_after_them(truth):
    result = accuracy_curves(untrained_lj_simulator(k_steps=40, closest_approach=10.0),
                             truth, start_frame=0, n_predictions=3)
    assert "two atoms are" in result.failures["OGN"]
    assert np.all(np.isnan(result.position_rmse["OGN"]))
    assert np.all(np.isnan(result.temperature["OGN"]))
    assert result.failures["MD k×dt"].startswith("blew up within ")
    assert "LAMMPS then lost atoms" in result.failures["MD k×dt"]
    assert np.isnan(result.position_rmse["MD k×dt"][-1])
    assert np.all(np.isfinite(result.position_rmse["chaos floor"]))


def test_a_trajectory_too_short_for_the_predictions_is_refused(truth):
    with pytest.raises(ValueError, match="needs frame 130.*121 frames"):
        accuracy_curves(untrained_lj_simulator(), truth, start_frame=30, n_predictions=50)


def test_curves_over_starts_scores_each_start(truth):
    result = curves_over_starts(untrained_lj_simulator(), [truth], 2, 10)
    assert len(result) == 2
    assert result[0].position_rmse["no motion"][-1] != result[1].position_rmse["no motion"][-1]


def test_kept_runs_give_the_same_curves_and_are_made_once(truth, tmp_path, monkeypatch):
    simulator = untrained_lj_simulator()
    made = accuracy_curves(simulator, truth, start_frame=10, n_predictions=8)
    rolled, opened = [], []
    rollout, simulation = rollout_cache.rollout_until_blow_up, baselines.open_simulation
    monkeypatch.setattr(rollout_cache, "rollout_until_blow_up",
                        lambda *args: rolled.append(1) or rollout(*args))
    monkeypatch.setattr(baselines, "open_simulation",
                        lambda *args, **kwargs: opened.append(1) or simulation(*args, **kwargs))
    for _ in range(2):
        kept = accuracy_curves(simulator, truth, start_frame=10, n_predictions=8,
                               cache=tmp_path)
        for name in METHODS:
            np.testing.assert_array_equal(kept.position_rmse[name], made.position_rmse[name])
            np.testing.assert_array_equal(kept.velocity_rmse[name], made.velocity_rmse[name])
        np.testing.assert_array_equal(kept.temperature["OGN"], made.temperature["OGN"])
        assert kept.failures == made.failures
    assert len(rolled) == 1 and len(opened) == 2  # the rollout, the chaos floor and MD k×dt
    comparison = compare_rollout(simulator, truth, 10, 8, cache=tmp_path)
    assert len(rolled) == 1  # the same rollout, read back
    np.testing.assert_array_equal(comparison.predicted_positions,
                                  compare_rollout(simulator, truth, 10, 8).predicted_positions)
