"""This run's cage length is S2's measurement: the mean over the liquid's independent msd
runs, with its interval, from the same runs and records S2 reads."""

import numpy as np
import pytest

from ogn_lib.analysis.dynamics import CAGE_RULES
from ogn_lib.studies import cage_length as module


def test_the_measured_cage_length_is_s2s_rule_over_the_runs(monkeypatch):
    asked = []

    def runs(profile, name, seed, count, remeasure):
        asked.append((profile, name, seed, count, remeasure))
        return {CAGE_RULES[0]: np.array([0.18, 0.19, 0.2, 0.21]),
                CAGE_RULES[1]: np.array([0.4, 0.4, 0.4, 0.4])}

    monkeypatch.setattr(module, "cage_length_runs", runs)
    measured = module.measured_cage_length("quick", "lj", seed=3)
    assert asked == [("quick", "lj", 3, 4, False)]
    assert measured.n == 4 and measured.value == pytest.approx(0.195)
    assert measured.low < 0.195 < measured.high


def test_no_runs_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        module.measured_cage_length("quick", "lj", runs=0)
