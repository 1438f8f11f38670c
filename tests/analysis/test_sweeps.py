"""Accuracy against a swept condition, and the power law of Eq. S1."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from ogn_lib.analysis.accuracy import METHODS, AccuracyCurves
from ogn_lib.analysis.sweeps import AccuracySweep, fit_power_law, sweep_from_curves
from ogn_lib.book.plots import plot_sweep


def test_power_law_recovers_exponent_and_prefactor_of_exact_data():
    temperature = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    fit = fit_power_law(temperature, 0.03 * temperature**2)
    assert fit.exponent == pytest.approx(2.0)
    assert fit.prefactor == pytest.approx(0.03)
    assert fit.exponent_stderr == pytest.approx(0.0, abs=1e-9)
    np.testing.assert_allclose(fit([1.5, 6.0]), 0.03 * np.array([1.5, 6.0])**2)


def test_power_law_error_bar_covers_the_true_exponent_of_noisy_data():
    rng = np.random.default_rng(4)
    x = np.repeat([1.0, 2.0, 3.0, 4.0, 5.0], 4)
    fit = fit_power_law(x, 2.0 * x**0.5 * np.exp(rng.normal(0, 0.1, len(x))))
    assert 0 < fit.exponent_stderr < 0.2
    assert abs(fit.exponent - 0.5) < 3 * fit.exponent_stderr


@pytest.mark.parametrize("x, y, message", [
    ([1.0, 2.0, 3.0], [0.1, np.nan, 0.3], "drop the failed"),
    ([1.0, 2.0, 3.0], [0.1, 0.0, 0.3], "positive, finite"),
    ([2.0, 2.0], [0.1, 0.2], "two or more distinct"),
    ([1.0, 2.0], [0.1, 0.2, 0.3], "equal length"),
])
def test_power_law_refuses_data_it_cannot_fit(x, y, message):
    with pytest.raises(ValueError, match=message):
        fit_power_law(x, y)


def hand_made_sweep():
    values = np.array([1.0, 2.0, 3.0, 4.0])
    ogn = 0.01 * values**2
    ogn[-1] = np.nan
    errors = {name: ogn if name == "OGN" else 0.1 * values**0.5 for name in METHODS}
    return AccuracySweep(parameter="temperature", values=values, md_steps=100,
                         position_rmse=errors, velocity_rmse=errors,
                         measured_temperature=values * 1.1, n_runs=np.ones(4, int),
                         failures={"OGN": [(4.0, "blew up")]})


def test_sweep_power_law_skips_failed_values():
    sweep = hand_made_sweep()
    assert sweep.power_law("OGN", x="values").exponent == pytest.approx(2.0)
    fit = sweep.power_law("no motion", "velocity")
    assert fit.exponent == pytest.approx(0.5)
    assert fit.prefactor == pytest.approx(0.1 / 1.1**0.5)


def test_sweep_plot_draws_every_method_and_marks_failures():
    fig, ax = plt.subplots()
    plot_sweep(ax, hand_made_sweep(), "velocity", units="sigma/tau")
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["OGN (failed)", "no motion", "constant velocity", "MD k×dt",
                      "chaos floor"]
    assert "after 100 MD steps (σ/τ)" in ax.get_ylabel()
    plt.close(fig)


def test_sweep_reads_errors_at_a_value_and_finds_the_best_one():
    sweep = hand_made_sweep()
    assert sweep.at(2.0) == pytest.approx(0.04)
    assert sweep.at(3.0, "no motion", "velocity") == pytest.approx(0.1 * 3.0**0.5)
    assert sweep.best_value() == 1.0  # the failed (NaN) value 4 is ignored
    assert sweep.best_value("no motion") == 1.0
    np.testing.assert_allclose(sweep.relative_to("no motion")[:3],
                               0.1 * np.array([1.0, 2.0, 3.0])**1.5)
    with pytest.raises(ValueError, match="choose one of"):
        sweep.at(2.5)
    with pytest.raises(ValueError, match="method 'GNS'"):
        sweep.errors("GNS")


def curves_ending_at(md_steps: int, position_error: float) -> AccuracyCurves:
    steps = np.arange(1, md_steps // 5 + 1) * 5
    errors = {name: np.full(len(steps), position_error) for name in METHODS}
    return AccuracyCurves("lj", 5, steps, errors, errors,
                          {"truth": np.full(len(steps), 3.0), "OGN": np.ones(len(steps))},
                          {"OGN": "blew up"} if np.isnan(position_error) else {})


def test_a_sweep_reads_each_run_at_its_end_and_averages_the_runs_of_a_value():
    sweep = sweep_from_curves("temperature", {
        3.0: [curves_ending_at(100, 0.2), curves_ending_at(100, 0.4)],
        1.0: [curves_ending_at(100, np.nan)]})
    np.testing.assert_array_equal(sweep.values, [1.0, 3.0])
    assert sweep.md_steps == 100 and sweep.n_runs.tolist() == [1, 2]
    assert np.isnan(sweep.at(1.0)) and sweep.at(3.0) == pytest.approx(0.3)
    assert sweep.failures == {"OGN": [(1.0, "blew up")]}
    np.testing.assert_allclose(sweep.runs(3.0), [0.2, 0.4])


def test_a_sweep_refuses_runs_that_end_at_different_md_steps():
    with pytest.raises(ValueError, match="end at MD steps \\[50, 100\\]"):
        sweep_from_curves("temperature", {3.0: [curves_ending_at(100, 0.2)],
                                          1.0: [curves_ending_at(50, 0.2)]})
