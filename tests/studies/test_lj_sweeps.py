"""The sweeps of S5-S7, set up alike: the profile's model of KA-LJ scored at every value of
the swept condition, and rolled out from one of its truths."""

from dataclasses import replace

import numpy as np
import pytest
from md_helpers import small_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.claims import ROLLOUT_MD_STEPS
from ogn_lib.studies import lj_sweeps
from ogn_lib.studies.lj_sweeps import lj_sweep, measure_sweep


def labelled(trajectory, **parameters):
    return replace(trajectory, metadata=replace(trajectory.metadata, parameters=parameters))


def untrained_lj():
    return untrained_simulator("lj", 5, dt=0.005, cutoff=2.0, closest_approach=0.0)


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("truth"), "lj",
                            production_steps=ROLLOUT_MD_STEPS)


def test_a_sweep_scores_the_model_at_every_value_of_its_truths(truth):
    truths = [labelled(truth, temperature=2.0), labelled(truth, temperature=1.0)]
    setup = measure_sweep(untrained_lj(), "untrained", truths, "temperature",
                          start_frames=(0, 50), md_steps=50)
    assert setup.k == 5 and setup.truths is truths and setup.description == "untrained"
    np.testing.assert_array_equal(setup.sweep.values, [1.0, 2.0])
    np.testing.assert_array_equal(setup.sweep.n_runs, [2, 2])
    assert setup.sweep.md_steps == 50


def test_the_rollout_from_a_truth_covers_the_sweep_s_md_steps(truth):
    setup = measure_sweep(untrained_lj(), "untrained", [labelled(truth, n_atoms=40)],
                          "n_atoms", md_steps=50)
    paths = setup.rollout_from(setup.truths[0])
    np.testing.assert_array_equal(paths.md_steps, np.arange(0, 51, 5))
    np.testing.assert_allclose(paths.predicted_positions[0], paths.true_positions[0])


def test_a_section_s_sweep_reads_its_group_of_the_profile_and_seed(truth, monkeypatch):
    asked = []
    monkeypatch.setattr(lj_sweeps, "trained_simulator",
                        lambda profile, name, preset, retrain: (untrained_lj(), "shipped"))
    monkeypatch.setattr(lj_sweeps, "ensure_group", lambda profile, group, base_seed:
                        asked.append((profile, group, base_seed)) or ["one.gsd"])
    monkeypatch.setattr(lj_sweeps, "read_trajectory",
                        lambda path: labelled(truth, number_density=1.2))
    setup = lj_sweep("quick", "number_density", seed=3)
    assert asked == [("quick", "lj-density", 3)]
    assert setup.description == "shipped" and setup.sweep.md_steps == ROLLOUT_MD_STEPS
    np.testing.assert_array_equal(setup.sweep.n_runs, [1])


def test_only_the_three_swept_conditions_are_set_up():
    assert set(lj_sweeps.SWEPT_GROUPS) == {"n_atoms", "temperature", "number_density"}
    with pytest.raises(ValueError, match="'timestep' is not swept on KA-LJ"):
        lj_sweep("quick", "timestep", seed=1)
