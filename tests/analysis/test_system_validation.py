"""System-level validation: ratios, the checks that judge them and the span of MD steps
compared."""

from dataclasses import replace

import numpy as np
import pytest
from toy_lj import toy_trajectory

from ogn_lib.analysis.agreement import agreement_check, conservation_check
from ogn_lib.analysis.energies import EnergySeries
from ogn_lib.analysis.system_validation import (
    ValidationSettings,
    first_md_steps,
    md_step_window,
    ratios,
    system_level,
)
from ogn_lib.analysis.verdicts import Measurement, judge

SETTINGS = ValidationSettings(r_max=1.4, q_range=(4.0, 10.0))


@pytest.fixture(scope="module")
def liquid():
    return toy_trajectory(0, n_frames=60)


def test_a_trajectory_measured_against_itself_agrees_in_every_ratio(liquid):
    truth = system_level(liquid, SETTINGS)
    again = system_level(liquid, SETTINGS, truth)
    found = ratios(again, truth, SETTINGS)
    assert np.isnan(truth.tau_alpha)  # 60 frames: F_s stays above 1/e, as in a glass
    assert set(found) == {"g_AA(r) first-peak height", "g_AB(r) first-peak height",
                          "g_BB(r) first-peak height", "D of A", "D of B", "tau_alpha",
                          "F_s(q, t) at half the run"}
    for name, value in found.items():
        assert value == pytest.approx(1.0) or (name == "tau_alpha" and np.isnan(value))


def test_the_plateau_of_f_s_is_compared_at_the_same_time_on_different_grids(liquid):
    truth = system_level(liquid, SETTINGS)
    coarse = replace(truth, scattering=type(truth.scattering)(truth.scattering.time[::5],
                                                              truth.scattering.value[::5]))
    found = ratios(coarse, truth, SETTINGS)
    assert found["F_s(q, t) at half the run"] == pytest.approx(1.0, abs=0.02)


def test_the_plateau_of_f_s_is_compared_only_where_the_truth_has_no_tau_alpha(liquid):
    truth = system_level(liquid, SETTINGS)
    relaxing = replace(truth, tau_alpha=0.05)
    found = ratios(replace(relaxing, tau_alpha=0.1), relaxing, SETTINGS)
    assert "F_s(q, t) at half the run" not in found
    assert found["tau_alpha"] == pytest.approx(2.0)


def test_a_frozen_rollout_is_told_apart_from_a_moving_truth(liquid):
    frozen = first_md_steps(liquid, 59)
    frozen = type(frozen)(**{**frozen.__dict__,
                             "positions": np.repeat(frozen.positions[:1], 60, axis=0),
                             "images": np.repeat(frozen.images[:1], 60, axis=0)})
    truth = system_level(liquid, SETTINGS)
    found = ratios(system_level(frozen, SETTINGS, truth), truth, SETTINGS)
    assert found["D of A"] == pytest.approx(0.0, abs=1e-3)  # float32 positions
    frozen_d = Measurement.over([found["D of A"]] * 3 + [found["D of A"] + 1e-3])
    assert judge(agreement_check("toy", "D of A"), frozen_d).outcome == "not reproduced"


def test_a_peak_found_before_measures_as_the_peak_found_here(liquid):
    found_here = system_level(liquid, SETTINGS)
    given = system_level(liquid, SETTINGS, q=found_here.q)
    np.testing.assert_array_equal(given.scattering.value, found_here.scattering.value)
    assert given.tau_alpha is found_here.tau_alpha or np.isnan(given.tau_alpha)
    other = system_level(liquid, SETTINGS, q=0.5 * found_here.q)
    assert other.q == 0.5 * found_here.q
    assert not np.array_equal(other.scattering.value, found_here.scattering.value)


def test_first_md_steps_keeps_the_frames_within_the_span(liquid):
    part = first_md_steps(liquid, 9)
    assert part.n_frames == part.metadata.n_frames == 10
    np.testing.assert_array_equal(part.positions, liquid.positions[:10])


def test_a_window_counts_its_md_steps_from_its_own_first_frame_and_keeps_its_period(liquid):
    window = md_step_window(liquid, 20, 30, period_steps=5)
    np.testing.assert_array_equal(window.steps - liquid.steps[0], np.arange(20, 51, 5))
    assert window.metadata.period_steps == 5 and window.metadata.n_frames == 7
    np.testing.assert_array_equal(window.positions[1], liquid.positions[25])
    with pytest.raises(ValueError, match="give a multiple of"):
        md_step_window(replace(liquid, metadata=replace(liquid.metadata, period_steps=2)),
                       0, 10, period_steps=5)


@pytest.mark.parametrize("ratios_over_starts, expected", [
    ([1.0, 1.02, 0.98, 1.01], "reproduced"), ([0.95, 1.12, 0.9, 1.08], "partly"),
    ([1.3, 1.35, 1.28, 1.32], "not reproduced")])
def test_agreement_is_judged_on_the_interval_over_starts(ratios_over_starts, expected):
    verdict = judge(agreement_check("toy, raw NVE", "D of A"),
                    Measurement.over(ratios_over_starts))
    assert verdict.outcome == expected


def test_one_start_is_not_enough_for_a_check():
    verdict = judge(agreement_check("toy, raw NVE", "D of A"), Measurement.over([1.0]))
    assert verdict.outcome == "not tested here" and verdict.category == "not measured"


@pytest.mark.parametrize("excursions, expected", [
    ([0.01, 0.02, 0.015, 0.012], "reproduced"), ([-0.2, -0.25, -0.22, -0.3], "not reproduced")])
def test_conservation_is_judged_on_the_size_of_the_excursion(excursions, expected):
    verdict = judge(conservation_check("toy, raw NVE", "excursion"), Measurement.over(excursions))
    assert verdict.outcome == expected
    with pytest.raises(ValueError, match="choose one of excursion, drift"):
        conservation_check("toy", "spread")


def test_drift_rate_is_the_fitted_slope_per_thousand_steps_over_the_kinetic_energy():
    steps = np.arange(0, 2001, 10)
    series = EnergySeries(md_steps=steps, potential=-5.0 + 1e-4 * steps,
                          kinetic=np.full(len(steps), 2.0))
    assert series.relative_drift_rate() == pytest.approx(0.1 / 2.0)
    assert series.relative_drift_rate(2000) == pytest.approx(0.2 / 2.0)
