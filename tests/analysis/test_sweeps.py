"""Accuracy against a swept condition, and the power law of Eq. S1."""

from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from md_helpers import small_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.accuracy import METHODS, accuracy_curves
from ogn_lib.analysis.sweeps import AccuracySweep, accuracy_sweep, fit_power_law
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
