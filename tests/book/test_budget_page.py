"""S1's training-budget figure and sentence."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from ogn_lib.analysis.training_budget import fit_when_possible, power_law_fit
from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.book.training_budget import (
    budget_figure,
    budget_panels,
    budget_sentence,
    continuations_sentence,
    recordings_rows,
    settings_phrase,
    shipped_sentence,
)
from ogn_lib.studies.recording_summaries import HeldOutCurve, RecordingSummary

HOURS = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
TARGETS = {"the project's bar": 0.05, "the paper's": 0.04}


def _curve(rmse, complete=True):
    return HeldOutCurve("lj-fast", 100, HOURS,
                        [Measurement(value, 0.95 * value, 1.05 * value, 8, "t") for value in rmse],
                        complete)


def test_a_target_out_of_reach_is_given_its_extrapolated_hours_and_said_so():
    rmse = 0.12 * HOURS ** -0.5
    curve = _curve(rmse)
    fit = power_law_fit(HOURS, rmse)
    text = budget_sentence(curve, fit, TARGETS, "σ")
    assert text.startswith("After 6 CPU-hours (its training ended), the held-out position RMSE "
                           "after 100 MD steps is 0.049 [0.0465, 0.0514] σ.")
    assert "h<sup>-0.50</sup>" in text
    assert "from 1 CPU-hour on" in text
    assert "the project's bar (0.05 σ) after about 5.76 [5.76, 5.76] CPU-hours" in text
    assert "the paper's (0.04 σ) after about 9 [9, 9] CPU-hours" in text
    assert "an extrapolation beyond the 6 CPU-hours measured" in text
    fig = budget_figure(curve, fit, TARGETS, "σ")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "the same law, extrapolated" in labels and "the paper's: 0.04 σ" in labels
    assert min(t.get_fontsize() for t in fig.axes[0].get_legend().get_texts()) >= 8.5


def test_a_reached_target_is_not_extrapolated():
    rmse = 0.06 * HOURS ** -0.5
    curve = _curve(rmse, complete=False)
    fit = power_law_fit(HOURS, rmse)
    text = budget_sentence(curve, fit, {"the project's bar": 0.05}, "σ")
    assert "(its training goes on)" in text and "It has reached the project's bar." in text
    assert "extrapolation" not in text
    within = budget_sentence(curve, fit, {"a bar met inside the run": 0.0255}, "σ")
    assert within.endswith("after about 5.54 [5.54, 5.54] CPU-hours.")
    rising = power_law_fit(HOURS, 0.03 * HOURS ** 0.1)
    assert "never (the error did not fall" in budget_sentence(
        _curve(0.03 * HOURS ** 0.1), rising, {"bar": 0.02}, "σ")
    labels = [t.get_text() for t in budget_figure(curve, fit, {"bar": 0.05}, "σ")
              .axes[0].get_legend().get_texts()]
    assert "the same law, extrapolated" not in labels


def test_a_young_training_has_no_fit_and_each_liquid_its_own_panel():
    young = HeldOutCurve("si-fast", 100, HOURS[:3],
                         [Measurement(v, 0.95 * v, 1.05 * v, 8, "t") for v in (0.23, 0.22, 0.21)],
                         False)
    assert fit_when_possible(young.hours, [m.value for m in young.rmse]) is None
    text = budget_sentence(young, None, {"the project's bar": 0.2}, "Å")
    assert text == ("After 3 CPU-hours (its training goes on), the held-out position RMSE after "
                    "100 MD steps is 0.21 [0.199, 0.221] Å. Its 3 milestones are too few for a "
                    "fit (it takes 4) to say how fast it falls.")
    rmse = 0.12 * HOURS ** -0.5
    fig = budget_panels({"Si": (young, None, {"bar": 0.2}, "Å"),
                         "KA-LJ": (_curve(rmse), fit_when_possible(HOURS, rmse), TARGETS, "σ")})
    assert [ax.get_title() for ax in fig.axes] == ["Si", "KA-LJ"]
    si, lj = ([t.get_text() for t in ax.get_legend().get_texts()] for ax in fig.axes)
    assert not any(label.startswith("power law") for label in si)
    assert "power law, exponent -0.50" in lj and "the paper's: 0.04 σ" in lj
    assert fig.axes[0].get_ylabel() == "position RMSE (Å)"
    fig.canvas.draw()
    narrow = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    assert len(narrow) >= 3 and all(float(text) < 0.3 for text in narrow)  # plain, not 2e-1
    with pytest.raises(ValueError, match="no recordings to draw"):
        budget_panels({})
    one = HeldOutCurve("si-fast", 100, HOURS[:1], young.rmse[:1], False)
    assert "Its one milestone is too few" in budget_sentence(one, None, {"bar": 0.2}, "Å")
    # A milestone that could not be scored does not count towards a fit.
    assert fit_when_possible(HOURS[:4], [0.3, 0.2, float("nan"), 0.1]) is None
    assert fit_when_possible(HOURS[:5], [0.3, 0.2, float("nan"), 0.1, 0.09]).n_points == 4


def test_continuations_are_drawn_from_their_own_milestones():
    rmse = 0.12 * HOURS ** -0.5
    curve = _curve(rmse)
    longer = HeldOutCurve("lj-fast-continued", 100, np.append(HOURS, [6.5, 7.0]),
                          curve.rmse + [Measurement(v, v, v, 8, "t") for v in (0.047, 0.045)],
                          False, own_from=len(HOURS))
    fig = budget_figure(curve, power_law_fit(HOURS, rmse), TARGETS, "σ",
                        {"continued, the same loss": longer})
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "continued, the same loss" in labels
    drawn = [line for line in ax.get_lines() if line.get_marker() == "s"]
    assert len(drawn) == 1 and drawn[0].get_xdata().tolist() == [6.5, 7.0]


def test_the_recordings_table_says_how_far_each_trained_and_its_energy_once_ended():
    rmse = Measurement(0.05, 0.045, 0.055, 8, "t")
    ended = RecordingSummary("lj-fast", 10, 10, 6.0, "", 0.0, 100, 0.0005, rmse,
                             [0.08, 0.11], Measurement(-0.08, -0.09, -0.07, 8, "t"),
                             [0.99991, 0.99993], Measurement(-4.5e-4, -5e-4, -4e-4, 8, "t"))
    going = RecordingSummary("lj-fast-continued", 3, 6, 0.5, "lj-fast", 6.0, 100, 0.00049,
                             rmse, None, None, None)
    first, second = recordings_rows([ended, going], "σ", shipped="lj-fast-continued")
    assert first["recording: settings"] == "lj-fast"
    assert second["recording: settings"] == "lj-fast-continued (shipped)"
    assert first["trained"] == "10 of 10 epochs, 6 CPU-h"
    assert first["raw NVE energy drift (largest excursion)"] == "-8.0% [-9.0%, -7.0%] (11.0%)"
    assert first["kinetic energy per prediction"] == "-0.045% [-0.050%, -0.040%]"
    assert first["lowest R²"] == "0.9999" and second["kinetic energy per prediction"] == "–"
    assert second["trained"] == "3 of 6 epochs, 0.5 CPU-h after lj-fast's 6"
    assert second["raw NVE energy drift (largest excursion)"] == "–"
    assert not going.complete and ended.complete
    assert second["held-out RMSE, 100 MD steps"] == "0.05 [0.045, 0.055] σ"


def test_the_continuations_sentence_says_which_targets_each_is_wholly_below():
    ended = RecordingSummary("lj-fast-kinetic", 6, 6, 2.0, "lj-fast", 6.0, 100, 0.0004,
                             Measurement(0.042, 0.038, 0.046, 8, "t"), [0.03, 0.04],
                             Measurement(-0.02, -0.03, -0.01, 8, "t"), [0.9999])
    going = RecordingSummary("lj-fast-continued", 3, 6, 1.0, "lj-fast", 6.0, 100, 0.0005,
                             Measurement(0.05, 0.045, 0.055, 8, "t"), None, None, None)
    text = continuations_sentence({"with the kinetic term": ended, "plain": going}, TARGETS, "σ")
    assert text.startswith("With the kinetic term: the held-out RMSE is 0.042 [0.038, 0.046] "
                           "σ after 2 more CPU-hours (training ended), all of its interval "
                           "below the project's bar;")
    assert "drifts by -2.0% [-3.0%, -1.0%] of the kinetic energy" in text
    assert "largest excursion 4.0%" in text
    assert text.endswith("%). Plain: the held-out RMSE is 0.05 [0.045, 0.055] σ after 1 more "
                         "CPU-hour (training going on), its interval not wholly below the "
                         "project's bar or the paper's.")
    assert continuations_sentence({}, TARGETS, "σ") == ""


def test_settings_are_named_as_the_page_says_them():
    assert settings_phrase({"learning_rate": 3e-4, "batch_size": 4, "kinetic_weight": 0.3}) == (
        "peak rate 3e-4, batch 4, kinetic term 0.3")
    assert settings_phrase({"learning_rate": 1.5e-3}) == "peak rate 1.5e-3"
    assert settings_phrase({"average_decay": 0.999}) == "average_decay 0.999"
    assert settings_phrase({}) == ""
    assert settings_phrase({"batch_size": 4, "pair_once": True}) == "batch 4, each pair once"


def test_the_shipped_sentence_says_which_bars_are_met():
    summary = RecordingSummary("lj-fast-kinetic", 6, 6, 2.0, "lj-fast", 6.0, 100, 0.0005,
                               Measurement(0.056, 0.053, 0.060, 32, "t"), [0.013, 0.035],
                               Measurement(-0.02, -0.03, -0.01, 8, "t"), [0.9999])
    text = shipped_sentence(summary, (False, True), 0.05, 0.05, "σ")
    assert text == ("Its held-out RMSE after 100 MD steps is 0.056 [0.053, 0.06] σ, not all of "
                    "its interval at or below 0.05 σ; its raw NVE total energy moves by at "
                    "most 3.5% of the kinetic energy from any of its 2 held-out starts (drift "
                    "-2.0% [-3.0%, -1.0%]), within 5%.")
    going = RecordingSummary("lj-fast", 3, 6, 1.0, "", 0.0, 100, 0.0005,
                             Measurement(0.04, 0.035, 0.045, 8, "t"), None, None, None)
    assert shipped_sentence(going, (True, False), 0.05, 0.05, "σ").endswith(
        "all of its interval at or below 0.05 σ; its energy check has not run yet.")
