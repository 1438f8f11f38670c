"""The verdict engine judges a claim from an interval, and says why it could not."""

import math

import numpy as np
import pytest

from ogn_lib.analysis.claims import PaperClaim, Rule
from ogn_lib.analysis.verdicts import (
    CONVERGED_CHANGE,
    Measurement,
    converged,
    equal_training,
    final_loss,
    judge,
    loss_change_over_last_fifth,
    ratio,
)


def claim(rule, preset=None, needs_converged=False):
    return PaperClaim("S99.x", "S99", "x", "x is so", 1.0, "", "the paper's", preset, rule,
                      needs_converged)


def interval(low, high, **conditions):
    return Measurement((low + high) / 2, low, high, 4, "test", **conditions)


NEAR = Rule("near", 2.0, 0.25)  # meets on [1.5, 2.5]


@pytest.mark.parametrize("rule, low, high, expected", [
    (NEAR, 1.6, 2.4, "reproduced"),
    (NEAR, 1.5, 2.5, "reproduced"),                      # the boundaries belong to it
    (NEAR, 1.4, 2.0, "partly"),
    (NEAR, 2.4, 2.6, "partly"),
    (NEAR, 2.5000001, 3.0, "not reproduced"),
    (NEAR, 0.1, 1.4999, "not reproduced"),
    (Rule("at_most", 0.1), 0.02, 0.1, "reproduced"),
    (Rule("at_most", 0.1), 0.05, 0.11, "partly"),
    (Rule("at_most", 0.1), 0.1001, 0.2, "not reproduced"),
    (Rule("at_least", 1.0), 1.0, 3.0, "reproduced"),
    (Rule("at_least", 1.0), 0.9, 1.1, "partly"),
    (Rule("at_least", 1.0), 0.5, 0.99, "not reproduced"),
    (Rule("magnitude_at_most", 0.05), -0.05, 0.04, "reproduced"),
    (Rule("magnitude_at_most", 0.05), -0.08, -0.02, "partly"),
    (Rule("magnitude_at_most", 0.05), -0.2, -0.06, "not reproduced"),
])
def test_the_rule_applies_to_the_whole_interval(rule, low, high, expected):
    assert judge(claim(rule), interval(low, high)).outcome == expected


def test_a_point_inside_is_reproduced_and_outside_is_not():
    assert judge(claim(NEAR), Measurement.exact(2.0, 1, "a count")).outcome == "reproduced"
    assert judge(claim(NEAR), Measurement.exact(3.0, 1, "a count")).outcome == "not reproduced"


@pytest.mark.parametrize("the_claim, measurement, category", [
    (claim(None), interval(1.0, 2.0), "no number"),
    (claim(NEAR, preset="reference"), interval(1.9, 2.1, model="fast"), "substitute"),
    (claim(NEAR, preset="fast"), interval(1.9, 2.1, model="fast", correction="energy "
                                          "rescaling"), "correction"),
    (claim(NEAR, preset="own", needs_converged=True), interval(1.9, 2.1, model="own",
                                                               converged=False), "not converged"),
    (claim(NEAR), Measurement.failed("LAMMPS lost atoms"), "not measured"),
    (claim(NEAR), Measurement.over([1.0, float("nan"), 2.0]), "not measured"),
    (claim(NEAR), Measurement.over([2.0]), "not measured"),
])
def test_a_claim_not_tested_on_its_own_terms_says_which_reason(the_claim, measurement, category):
    verdict = judge(the_claim, measurement)
    assert verdict.outcome == "not tested here"
    assert verdict.category == category
    assert "\n" not in verdict.reason and verdict.reason


def test_a_substitute_is_never_reproduced_even_where_it_meets_the_claim():
    verdict = judge(claim(NEAR, preset="reference"), interval(1.9, 2.1, model="fast"))
    assert verdict.outcome == "not tested here"
    assert "Reference-OGN" in verdict.reason and "Fast-OGN" in verdict.reason


def test_the_interval_over_repetitions_is_the_students_t_interval():
    values = [1.0, 2.0, 3.0, 4.0]
    measured = Measurement.over(values, "seeds")
    half = 3.182446305284263 * np.std(values, ddof=1) / 2  # t(0.975, 3)
    assert measured.value == pytest.approx(2.5)
    assert (measured.low, measured.high) == pytest.approx((2.5 - half, 2.5 + half))
    assert measured.n == 4 and "4 seeds" in measured.how


def test_a_recorded_mean_and_deviation_give_the_same_interval_as_the_values():
    values = [0.05, 0.06, 0.045, 0.07, 0.052]
    direct = Measurement.over(values, "starts")
    summarised = Measurement.summarised(np.mean(values), np.std(values, ddof=1), 5)
    assert (summarised.value, summarised.low, summarised.high) == pytest.approx(
        (direct.value, direct.low, direct.high))
    assert summarised.how == direct.how
    assert Measurement.summarised(0.05, 0.01, 1).failure == "one start gives no interval"
    assert "no finite mean" in Measurement.summarised(float("nan"), 0.01, 8).failure


def test_a_fit_gives_two_standard_errors_either_side():
    measured = Measurement.fitted(0.43, 0.01, 5, "two-line fit")
    assert (measured.low, measured.high) == pytest.approx((0.41, 0.45))
    assert math.isnan(Measurement.fitted(float("nan"), 0.1, 5, "fit").value)


def test_a_flat_curve_has_converged_and_a_falling_one_has_not():
    epochs = np.arange(100)
    flat = 0.01 * (1 + 0.5 * np.exp(-epochs / 5))
    falling = 0.5 * np.exp(-epochs / 30)
    assert converged(flat)
    assert not converged(falling)
    assert loss_change_over_last_fifth(falling) == pytest.approx(np.expm1(-19 / 30))


def test_convergence_is_judged_at_the_five_percent_rule():
    # Log-linear over the last fifth (20 of 100 epochs): a change just inside and outside.
    for change, expected in ((0.9 * CONVERGED_CHANGE, True), (1.1 * CONVERGED_CHANGE, False)):
        tail = (1 - change) ** (np.arange(20) / 19)
        assert converged(np.concatenate([np.full(80, 2.0), tail])) is expected


def test_a_noisy_but_flat_curve_has_converged():
    noise = np.random.default_rng(0).normal(0, 0.05, 200)
    assert converged(0.01 * np.exp(noise))


def test_too_short_a_curve_has_not_converged():
    assert not converged([1.0, 1.0, 1.0, 1.0])


def test_an_unconverged_curve_is_not_tested_even_without_an_interval():
    verdict = judge(claim(NEAR, preset="own", needs_converged=True),
                    Measurement.failed("one seed", model="own", converged=False))
    assert verdict.category == "not converged"


def test_a_final_loss_is_the_mean_of_the_last_fifth_with_its_scatter():
    curve = np.concatenate([np.linspace(1.0, 0.2, 80), 0.1 + 0.001 * (np.arange(20) % 2)])
    final = final_loss(curve)
    assert final.n == 20 and final.converged
    assert final.low < final.value < final.high
    assert final.value == pytest.approx(np.mean(curve[-20:]))


def test_a_ratio_spans_every_ratio_of_the_two_intervals():
    a = Measurement(2.0, 1.8, 2.2, 5, "x", model="own", converged=True)
    b = Measurement(1.0, 0.9, 1.1, 4, "x", model="own", converged=False)
    result = ratio(a, b)
    assert (result.value, result.low, result.high) == pytest.approx((2.0, 1.8 / 1.1, 2.2 / 0.9))
    assert result.n == 4 and result.converged is False


def test_a_ratio_says_how_each_side_was_measured():
    runs = Measurement(2.0, 1.8, 2.2, 4, "95% t-interval over 4 runs")
    assert ratio(runs, runs).how == "ratio, each side's 95% t-interval over 4 runs"
    other = Measurement(1.0, 0.9, 1.1, 4, "one run")
    assert ratio(runs, other).how == "ratio of (95% t-interval over 4 runs) and (one run)"


def test_a_ratio_over_an_interval_that_reaches_zero_is_unbounded_and_never_reproduced():
    a = Measurement(2.0, -1.0, 5.0, 2, "x")
    b = Measurement(1.0, 0.5, 1.5, 2, "x")
    result = ratio(a, b)
    assert result.value == 2.0 and result.low == -math.inf and result.high == math.inf
    assert judge(claim(Rule("at_least", 1.0)), result).outcome == "partly"


def test_equal_training_cuts_the_longer_curve_at_the_shorter_ones_total():
    short, long = np.linspace(1.0, 0.5, 10), np.linspace(1.0, 0.1, 100)
    cut_short, cut_long, shared = equal_training(short, 400, long, 200)  # configurations
    assert shared == 4000
    np.testing.assert_array_equal(cut_short, short)
    np.testing.assert_array_equal(cut_long, long[:20])
    with pytest.raises(ValueError, match="positive"):
        equal_training(short, 0, long, 200)


def test_a_ratio_at_equal_training_against_a_still_falling_curve_is_not_converged():
    flat = np.full(20, 0.01)
    falling_then_flat = np.concatenate([np.geomspace(1.0, 0.02, 40), np.full(60, 0.02)])
    reference, fast, _ = equal_training(flat, 50, falling_then_flat, 50)
    at_equal = ratio(final_loss(reference, model="reference"), final_loss(fast, model="fast"))
    at_the_end = ratio(final_loss(flat, model="reference"),
                       final_loss(falling_then_flat, model="fast"))
    assert at_the_end.converged and at_the_end.value == pytest.approx(0.5)
    assert at_equal.converged is False and at_equal.value < 0.5
