"""The power law of a training's held-out error against CPU time, and the time it puts at a
target."""

import math

import numpy as np
import pytest

from ogn_lib.analysis.training_budget import power_law_fit


def test_an_exact_power_law_is_recovered_and_its_target_time_has_no_spread():
    hours = np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    fit = power_law_fit(hours, 0.12 * hours ** -0.5)
    assert fit.amplitude == pytest.approx(0.12) and fit.exponent == pytest.approx(-0.5)
    assert fit.rmse_at(16.0) == pytest.approx(0.03)
    needed = fit.hours_for(0.03)
    assert needed.value == pytest.approx(16.0)
    assert needed.high - needed.low == pytest.approx(0.0, abs=1e-6)
    assert needed.n == 5 and "5 milestones" in needed.how


def test_noise_widens_the_interval_around_the_target_time():
    rng = np.random.default_rng(3)
    hours = np.linspace(1.0, 6.0, 10)
    rmse = 0.12 * hours ** -0.47 * np.exp(rng.normal(0.0, 0.05, hours.size))
    needed = power_law_fit(hours, rmse).hours_for(0.04)
    truth = (0.04 / 0.12) ** (1 / -0.47)
    assert needed.low < truth < needed.high
    assert needed.high / needed.low > 1.05
    # farther beyond the milestones, a wider interval (in log CPU-hours)
    farther = power_law_fit(hours, rmse).hours_for(0.02)
    assert math.log(farther.high / farther.low) > math.log(needed.high / needed.low)


def test_only_the_milestones_from_the_given_hour_are_fitted():
    hours = np.array([0.1, 1.0, 2.0, 3.0, 4.0])
    rmse = 0.1 * hours ** -0.4
    rmse[0] = 5.0  # a warm-up point far off the line
    fit = power_law_fit(hours, rmse, from_hours=0.5)
    assert fit.exponent == pytest.approx(-0.4) and fit.n_points == 4
    assert fit.hours_range == (1.0, 4.0)


def test_an_error_that_does_not_fall_puts_no_time_at_a_target():
    hours = np.array([1.0, 2.0, 3.0, 4.0])
    needed = power_law_fit(hours, 0.05 * hours ** 0.1).hours_for(0.04)
    assert needed.failure.startswith("the error did not fall")


@pytest.mark.parametrize("hours, rmse, message", [
    ([1.0, 2.0, 3.0], [0.3, 0.2, 0.1], "3 milestones from 0 CPU-hours on"),
    ([1.0, 2.0, 3.0, 4.0], [0.3, 0.2, 0.0, 0.1],
     "milestone 2 has 3 CPU-hours and an error of 0: a power law needs positive"),
])
def test_too_few_or_non_positive_milestones_are_refused(hours, rmse, message):
    with pytest.raises(ValueError, match=message):
        power_law_fit(hours, rmse)


def test_the_interval_is_the_delta_method_s_closed_form():
    """Var(log h*) = s^2 (1/n + (log h* - mean log h)^2 / Sxx) / b^2 for a straight line
    fitted by least squares, s^2 its residual variance over n - 2."""
    rng = np.random.default_rng(7)
    hours = np.linspace(0.6, 6.4, 12)
    rmse = 0.13 * hours ** -0.47 * np.exp(rng.normal(0.0, 0.1, hours.size))
    fit = power_law_fit(hours, rmse)
    x, y = np.log(hours), np.log(rmse)
    residuals = y - (np.log(fit.amplitude) + fit.exponent * x)
    variance = np.sum(residuals ** 2) / (len(x) - 2)
    sxx = np.sum((x - x.mean()) ** 2)
    needed = fit.hours_for(0.04)
    log_hours = math.log(needed.value)
    stderr = math.sqrt(variance * (1 / len(x) + (log_hours - x.mean()) ** 2 / sxx)) / abs(
        fit.exponent)
    assert needed.low == pytest.approx(math.exp(log_hours - 2 * stderr), rel=1e-9)
    assert needed.high == pytest.approx(math.exp(log_hours + 2 * stderr), rel=1e-9)
    with pytest.raises(ValueError, match="target 0: give a positive error"):
        fit.hours_for(0.0)
