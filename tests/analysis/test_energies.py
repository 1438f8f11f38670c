"""System-level quantities read: energy drift and excursions of a series, RMSD ratios."""

import numpy as np
import pytest

from ogn_lib.analysis.dynamics import RMSDCurve
from ogn_lib.analysis.energies import EnergySeries, rmsd_ratio


@pytest.fixture
def series():
    """21 frames, one per MD step, whose parts exchange energy while the total drifts."""
    steps = np.arange(21)
    kinetic = 2.0 + 0.1 * np.sin(steps)
    return EnergySeries(md_steps=steps, potential=-5.0 - 0.1 * np.sin(steps) + 1e-3 * steps,
                        kinetic=kinetic)


def test_rmsd_ratio_interpolates_both_curves():
    time = np.array([1.0, 2.0, 3.0])
    predicted = RMSDCurve(time=time, rmsd=np.array([1.0, 2.0, 4.0]))
    truth = RMSDCurve(time=time, rmsd=np.array([1.0, 1.0, 2.0]))
    assert rmsd_ratio(predicted, truth, 2.5) == pytest.approx(3.0 / 1.5)
    with pytest.raises(ValueError, match="outside the true RMSD curve"):
        rmsd_ratio(predicted, RMSDCurve(time=time[:2], rmsd=truth.rmsd[:2]), 2.5)


def test_relative_drift_is_the_drift_in_units_of_the_mean_kinetic_energy(series):
    assert series.total_drift == pytest.approx(1e-3 * 20)
    assert series.relative_total_drift == pytest.approx(
        series.total_drift / np.mean(series.kinetic))


def test_mean_after_averages_the_late_frames_only(series):
    assert series.mean_after("kinetic", 15) == pytest.approx(np.mean(series.kinetic[15:]))
    assert series.mean_after("total", 0) == pytest.approx(np.mean(series.total))
    with pytest.raises(ValueError, match="ends at 20"):
        series.mean_after("potential", 21)
    with pytest.raises(ValueError, match="choose 'potential'"):
        series.mean_after("enthalpy", 0)


def test_the_largest_excursion_and_the_fitted_drift_of_a_known_series():
    steps = np.arange(0, 2001, 5)
    kinetic = np.full(len(steps), 2.0)
    bump = np.where(steps == 1000, 0.3, 0.0)  # one stray frame, back on the line after it
    series = EnergySeries(md_steps=steps, potential=-5.0 + 1e-4 * steps + bump, kinetic=kinetic)
    assert series.relative_largest_excursion == pytest.approx((1e-4 * 1000 + 0.3) / 2.0)
    assert series.relative_fitted_drift == pytest.approx(1e-4 * 2000 / 2.0, rel=1e-3)
