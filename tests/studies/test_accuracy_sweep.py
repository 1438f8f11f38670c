"""Accuracy against a swept condition, made from real runs of the simulator and baselines."""

from dataclasses import replace

import numpy as np
import pytest
from md_helpers import small_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.accuracy import METHODS
from ogn_lib.studies.accuracy_curves import accuracy_curves
from ogn_lib.studies.accuracy_sweep import accuracy_sweep


def labelled(trajectory, **parameters):
    return replace(trajectory, metadata=replace(trajectory.metadata, parameters=parameters))


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("truth"), "lj", production_steps=30)


def untrained_lj(k_steps=2):
    return untrained_simulator("lj", k_steps, dt=0.005, cutoff=2.0, closest_approach=0.0)


@pytest.fixture(scope="module")
def sweep(truth):
    trajectories = [labelled(truth, temperature=3.0), labelled(truth, temperature=1.0),
                    labelled(truth, temperature=3.0)]
    return accuracy_sweep(untrained_lj(), trajectories, "temperature", md_steps=10,
                          start_frames=(0, 10))


def test_sweep_sorts_values_and_averages_repeats_and_starts(sweep, truth):
    np.testing.assert_array_equal(sweep.values, [1.0, 3.0])
    np.testing.assert_array_equal(sweep.n_runs, [2, 4])
    assert sweep.md_steps == 10
    starts = [accuracy_curves(untrained_lj(), truth, s, 5) for s in (0, 10)]
    for name in METHODS:
        expected = np.mean([c.position_rmse[name][-1] for c in starts])
        assert sweep.position_rmse[name] == pytest.approx([expected, expected])
    assert sweep.measured_temperature[0] == pytest.approx(
        np.mean([np.mean(c.temperature["truth"]) for c in starts]))


def test_the_runs_of_a_value_are_kept_for_its_interval(sweep):
    runs = sweep.runs(3.0, "OGN", "velocity")
    assert runs.shape == (4,)
    assert np.mean(runs) == pytest.approx(sweep.at(3.0, "OGN", "velocity"))
    with pytest.raises(ValueError, match="not in the sweep"):
        sweep.runs(2.0)


def test_sweep_scores_every_method_and_the_untrained_model_flies_straight(sweep):
    assert tuple(sweep.position_rmse) == tuple(sweep.velocity_rmse) == METHODS
    np.testing.assert_allclose(sweep.position_rmse["OGN"],
                               sweep.position_rmse["constant velocity"], rtol=1e-4)
    assert np.all(sweep.position_rmse["chaos floor"] < sweep.position_rmse["no motion"])


def test_sweep_refuses_bad_requests(truth):
    with pytest.raises(ValueError, match="multiple of k = 2"):
        accuracy_sweep(untrained_lj(), [labelled(truth, n_atoms=265)], "n_atoms", md_steps=9)
    with pytest.raises(ValueError, match="choose one of"):
        accuracy_sweep(untrained_lj(), [truth], "pressure")
    with pytest.raises(ValueError, match="no protocol parameter 'n_atoms'"):
        accuracy_sweep(untrained_lj(), [truth], "n_atoms", md_steps=10)
