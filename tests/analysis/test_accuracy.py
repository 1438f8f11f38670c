"""Specification of the accuracy curves: the learned simulator beside every baseline."""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from md_helpers import small_trajectory
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.accuracy import (
    METHODS,
    AccuracyCurves,
    accuracy_curves,
    accuracy_table,
    curves_over_starts,
    first_step_above,
    report_steps,
    spread_starts,
)
from ogn_lib.analysis.scores import kinetic_temperature, velocity_change_r2
from ogn_lib.book.plots import plot_accuracy
from ogn_lib.book.tables import save_accuracy_tables


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


def fake_curves(position_offset: float, k_steps=5, failed_after=None) -> AccuracyCurves:
    steps = np.arange(1, 21) * k_steps
    errors = {name: steps * 0.01 + position_offset + i for i, name in enumerate(METHODS)}
    failures = {}
    if failed_after is not None:
        errors["MD k×dt"] = np.where(steps > failed_after, np.nan, errors["MD k×dt"])
        failures["MD k×dt"] = "lost atoms"
    return AccuracyCurves("lj", k_steps, steps, errors,
                          {name: 2 * value for name, value in errors.items()},
                          {"truth": np.ones(20), "OGN": np.ones(20)}, failures)


def test_table_rows_are_means_over_starts_and_none_after_a_failure():
    rows = accuracy_table([fake_curves(0.0), fake_curves(1.0, failed_after=40)])
    assert [row["MD steps"] for row in rows] == [25, 50, 100]
    assert rows[0]["OGN position RMSE"] == pytest.approx(0.25 + 0.5)
    assert rows[2]["chaos floor velocity RMSE"] == pytest.approx(2 * (1.0 + 0.5 + 4))
    assert rows[0]["MD k×dt position RMSE"] == pytest.approx(0.25 + 0.5 + 3)
    assert rows[1]["MD k×dt position RMSE"] is None


def test_table_refuses_steps_between_predictions_and_mixed_curves():
    with pytest.raises(ValueError, match="multiples of 10"):
        accuracy_table([fake_curves(0.0, k_steps=10)], md_steps=(25,))
    with pytest.raises(ValueError, match="cannot be averaged"):
        accuracy_table([fake_curves(0.0), fake_curves(0.0, k_steps=10)])


def test_a_simulator_predicting_no_velocity_change_explains_none_of_it():
    # The untrained decoder outputs zero, and the toy liquid's mean velocity change is
    # zero (equal masses, momentum conserved), so R^2 = 1 - sum(dv^2) / sum(dv^2) = 0.
    r2 = velocity_change_r2(untrained_simulator(), toy_trajectory(), range(0, 25, 6))
    assert r2 == pytest.approx(0.0, abs=1e-5)


def test_report_steps_are_quarter_half_and_whole_horizon_on_the_grid_of_k():
    assert report_steps(5) == report_steps(1) == (25, 50, 100)
    assert report_steps(10) == (20, 50, 100)
    assert report_steps(10, 400) == (100, 200, 400)


def test_plot_draws_one_line_per_method_ogn_first_and_marks_failures():
    figure, axis = plt.subplots()
    plot_accuracy(axis, [fake_curves(0.0, failed_after=40)], "velocity", "sigma/tau")
    labels = [line.get_label() for line in axis.get_lines()]
    assert labels == ["OGN", "no motion", "constant velocity", "MD k×dt (failed)",
                      "chaos floor"]
    assert axis.get_yscale() == "log" and "σ/τ" in axis.get_ylabel()
    plt.close(figure)


def test_an_exploding_md_run_does_not_set_the_scale_of_the_plot():
    exploding = fake_curves(0.0)
    exploding.velocity_rmse["MD k×dt"][:] = 1e23
    figure, axis = plt.subplots()
    plot_accuracy(axis, [exploding], "velocity")
    assert axis.get_ylim()[1] == pytest.approx(
        10 * exploding.velocity_rmse["constant velocity"].max())
    plt.close(figure)


def test_starts_go_round_the_trajectories_then_spread_within_them():
    assert spread_starts([2001] * 8, 4, 100) == [(0, 0), (1, 0), (2, 0), (3, 0)]
    assert spread_starts([501, 501], 4, 100) == [(0, 0), (1, 0), (0, 400), (1, 400)]
    with pytest.raises(ValueError, match="trajectory 1 has 50 frames"):
        spread_starts([501, 50], 2, 100)


def test_curves_over_starts_scores_each_start(truth):
    result = curves_over_starts(untrained_lj_simulator(), [truth], 2, 10)
    assert len(result) == 2
    assert result[0].position_rmse["no motion"][-1] != result[1].position_rmse["no motion"][-1]


def test_first_step_above_a_threshold_counts_a_failure_as_above():
    curves = [fake_curves(0.0)]  # OGN error 0.01 per MD step
    assert first_step_above(curves, 0.5) == 55
    assert first_step_above(curves, 10.0) is None
    assert first_step_above([fake_curves(0.0, failed_after=40)], 10.0, "MD k×dt") == 45


def test_saved_tables_hold_every_system_in_json_and_markdown(tmp_path):
    rows = accuracy_table([fake_curves(0.0, failed_after=40)])
    save_accuracy_tables({"lj": rows}, {"lj": "KA-LJ, sigma"}, tmp_path / "rmse", "RMSE")
    saved = json.loads((tmp_path / "rmse.json").read_text())
    assert saved["systems"]["lj"]["rows"] == rows and saved["description"] == "RMSE"
    markdown = (tmp_path / "rmse.md").read_text()
    assert "## lj" in markdown and "KA-LJ, sigma" in markdown
    assert "| 25 | 0.25 |" in markdown and "–" in markdown
