"""The shipped-accuracy benchmark scores a model at the MD steps the bars name, beside the
baselines, and keeps what was measured before."""

import math

import pytest
from md_helpers import small_trajectory

from ogn_lib.bench.shipped_accuracy import accuracy_scores, merged_report, model_record
from ogn_lib.learn.trained_models import load_shipped
from ogn_lib.md.systems import SYSTEMS


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    """The shipped KA-LJ Fast-OGN from two starts of a 500-step 265-atom liquid."""
    simulator, _ = load_shipped("quick", "lj", "fast")
    truth = small_trajectory(tmp_path_factory.mktemp("truth"), "lj", production_steps=500)
    return accuracy_scores(simulator, [truth], 2, SYSTEMS["lj"])


def test_position_errors_are_given_at_the_bars_md_steps_for_each_method(scores):
    assert scores["md_steps"] == [25, 50, 100, 200] and scores["starts"] == 2
    assert set(scores["position_rmse"]) == {"OGN", "no motion", "MD k×dt"}
    assert all(len(errors) == 4 for errors in scores["position_rmse"].values())
    # MD at 5 dt loses KA-LJ atoms: its mean is NaN from there on, not averaged away.
    assert all(error > 0 for error in scores["position_rmse"]["OGN"])
    assert scores["position_rmse"]["no motion"] == sorted(scores["position_rmse"]["no motion"])


def test_temperature_ratio_and_energy_drift_come_from_the_rollouts(scores):
    ratio = scores["temperature_ratio_400_steps"]
    assert 0 < ratio["min"] <= ratio["mean"] <= ratio["max"]
    assert math.isfinite(scores["energy_drift_over_mean_kinetic_2000_steps"])
    assert scores["rollout_blow_up"] is None


def test_the_model_record_gives_its_training_in_minutes():
    _, provenance = load_shipped("quick", "lj", "fast")
    record = model_record(provenance)
    assert record["test_loss"] == provenance.test_loss[-1]
    assert record["training_minutes"] == pytest.approx(provenance.wall_seconds / 60)
    assert record["commit"] == provenance.commit


def test_new_entries_replace_those_of_the_same_data_set_and_keep_the_others():
    previous = {"lj": {"old": 1}, "si": {"old": 2}, "pairs once": {"lj": {"old": 3}}}
    assert merged_report(previous, {"lj": {"new": 1}}) == {
        "lj": {"new": 1}, "si": {"old": 2}, "pairs once": {"lj": {"old": 3}}}
    assert merged_report(previous, {"si": {"new": 2}}, "pairs once") == {
        **previous, "pairs once": {"lj": {"old": 3}, "si": {"new": 2}}}
    assert merged_report({}, {"si": {"new": 2}}, "each direction") == {
        "each direction": {"si": {"new": 2}}}
