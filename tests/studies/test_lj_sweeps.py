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


def test_a_section_s_sweep_reads_its_group_of_the_profile_and_seed(truth, monkeypatch,
                                                                   data_dir):
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
    assert setup.cache == data_dir / "quick" / "cache"


def test_a_sweep_kept_in_a_folder_scores_and_rolls_out_as_one_made_afresh(truth, tmp_path):
    truths, model = [labelled(truth, n_atoms=40)], untrained_lj()
    afresh = measure_sweep(model, "untrained", truths, "n_atoms", md_steps=50)
    made, read = (measure_sweep(model, "untrained", truths, "n_atoms", md_steps=50,
                                cache=tmp_path) for _ in range(2))
    assert afresh.cache is None and made.cache == read.cache == tmp_path
    kept = sorted(path.name.split("-")[0] for path in tmp_path.glob("*.npz"))
    assert kept == ["md", "md", "states"]  # the rollout and the two MD baselines, once
    for setup in (made, read):
        for quantity in ("position", "velocity"):
            for method in ("OGN", "no motion", "MD k×dt", "chaos floor"):
                np.testing.assert_array_equal(setup.sweep.errors(method, quantity),
                                              afresh.sweep.errors(method, quantity))
        paths = setup.rollout_from(truths[0])
        np.testing.assert_array_equal(paths.predicted_positions,
                                      afresh.rollout_from(truths[0]).predicted_positions)


def test_only_the_three_swept_conditions_are_set_up():
    assert set(lj_sweeps.SWEPT_GROUPS) == {"n_atoms", "temperature", "number_density"}
    with pytest.raises(ValueError, match="'timestep' is not swept on KA-LJ"):
        lj_sweep("quick", "timestep", seed=1)
