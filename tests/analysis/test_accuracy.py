"""Specification of what is read from accuracy curves: means over starts, tables, plots."""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.accuracy import (
    METHODS,
    AccuracyCurves,
    accuracy_table,
    first_step_above,
    report_steps,
    spread_starts,
)
from ogn_lib.analysis.scores import kinetic_energy_error, velocity_change_r2
from ogn_lib.book.plots import plot_accuracy
from ogn_lib.book.tables import save_accuracy_tables


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


def test_a_simulator_predicting_no_velocity_change_keeps_the_kinetic_energy_it_had():
    """Its error is the true change of the kinetic energy over one prediction, reversed."""
    from ogn_lib import thermo
    from ogn_lib.data.trajectory import frame_stride

    truth = toy_trajectory()
    frames = range(0, 25, 6)
    errors = kinetic_energy_error(untrained_simulator(), truth, frames)
    stride = frame_stride(truth, 5)
    kinetic = [thermo.thermal_kinetic_energy(truth.masses, v) for v in truth.velocities]
    expected = [(kinetic[f] - kinetic[f + stride]) / kinetic[f + stride] for f in frames]
    assert errors == pytest.approx(expected, rel=1e-4) and len(errors) == 5
    assert np.all(errors != 0)


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
