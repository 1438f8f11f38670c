"""A surge is a break to a steeper power law; a smooth power law has none."""

import numpy as np
import pytest

from ogn_lib.analysis.accuracy import AccuracyCurves
from ogn_lib.analysis.surge import STEEPENING, surge_measurement, two_segment_fit

STEPS = np.arange(5, 405, 5)


def broken_power_law(break_step=100.0, early=1.0, late=4.0):
    return np.where(STEPS < break_step, 1e-3 * (STEPS / break_step) ** early,
                    1e-3 * (STEPS / break_step) ** late)


def curves_of(*errors):
    return [AccuracyCurves("lj", 5, STEPS, {"OGN": e}, {"OGN": e}, {}, {}) for e in errors]


def test_the_break_of_a_broken_power_law_is_its_surge():
    fit = two_segment_fit(STEPS, broken_power_law(100.0))
    assert fit.surges
    assert fit.break_step == pytest.approx(100.0, rel=0.06)
    assert fit.early_slope == pytest.approx(1.0, rel=0.05) and fit.late_slope == pytest.approx(4.0, rel=0.05)


def test_a_single_power_law_has_no_surge():
    assert not two_segment_fit(STEPS, 1e-4 * STEPS ** 1.5).surges


def test_a_steepening_just_under_the_rule_is_no_surge():
    assert not two_segment_fit(STEPS, broken_power_law(100.0, 1.0, 0.95 * STEEPENING)).surges
    assert two_segment_fit(STEPS, broken_power_law(100.0, 1.0, 1.05 * STEEPENING)).surges


def test_the_surge_over_starts_has_an_interval_and_a_smooth_start_gives_none():
    measured = surge_measurement(curves_of(*(broken_power_law(b) for b in (80, 100, 120, 100))))
    assert measured.n == 4 and measured.low < 100 < measured.high
    smooth = surge_measurement(curves_of(broken_power_law(100), 1e-4 * STEPS ** 1.5))
    assert "without a surge in 1 of 2 starts" in smooth.failure


def test_no_surge_says_where_each_start_breaks_and_how_its_slope_changes():
    saturating = surge_measurement(curves_of(broken_power_law(150, 2.2, 0.6),
                                             broken_power_law(100, 2.0, 0.5)))
    assert saturating.n == 2 and not np.isfinite(saturating.value)
    assert "without a surge in 2 of 2 starts" in saturating.failure
    assert "breaks at 150 and 100 MD steps" in saturating.failure
    assert "from 2.2 to 0.6 and 2 to 0.5" in saturating.failure
    assert "slows there instead of surging" in saturating.failure
    steepening = surge_measurement(curves_of(broken_power_law(100, 1.0, 1.5)))
    assert "slows" not in steepening.failure and "at least 2 times" in steepening.failure


def test_too_short_a_curve_is_refused():
    with pytest.raises(ValueError, match="at least 6"):
        two_segment_fit(STEPS[:4], STEPS[:4] * 1.0)
