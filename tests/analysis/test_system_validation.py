"""System-level validation: ratios, verdicts and the span of MD steps compared."""

from dataclasses import replace

import numpy as np
import pytest
from toy_lj import toy_trajectory

from ogn_lib.analysis.energies import EnergySeries
from ogn_lib.analysis.system_validation import (
    ValidationSettings,
    drift_verdict,
    first_md_steps,
    ratios,
    system_level,
    verdict,
)

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
    assert verdict(found["D of A"]) == "not reproduced"


def test_first_md_steps_keeps_the_frames_within_the_span(liquid):
    part = first_md_steps(liquid, 9)
    assert part.n_frames == part.metadata.n_frames == 10
    np.testing.assert_array_equal(part.positions, liquid.positions[:10])


@pytest.mark.parametrize("ratio, expected", [
    (1.0, "reproduced"), (1.09, "reproduced"), (0.85, "partly"), (1.3, "not reproduced"),
    (float("nan"), "not comparable")])
def test_verdict_of_a_ratio(ratio, expected):
    assert verdict(ratio) == expected


@pytest.mark.parametrize("drift, expected", [
    (0.0, "reproduced"), (-0.02, "reproduced"), (0.05, "partly"), (-0.12, "not reproduced")])
def test_verdict_of_an_energy_drift(drift, expected):
    assert drift_verdict(drift) == expected


def test_drift_rate_is_the_fitted_slope_per_thousand_steps_over_the_kinetic_energy():
    steps = np.arange(0, 2001, 10)
    series = EnergySeries(md_steps=steps, potential=-5.0 + 1e-4 * steps,
                          kinetic=np.full(len(steps), 2.0))
    assert series.relative_drift_rate() == pytest.approx(0.1 / 2.0)
    assert series.relative_drift_rate(2000) == pytest.approx(0.2 / 2.0)
