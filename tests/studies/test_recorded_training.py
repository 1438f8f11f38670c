import json
from types import SimpleNamespace

import numpy as np
import pytest
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.claims import ACCURACY_BAR, ENERGY_EXCURSION
from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.learn.checkpoint import save_checkpoint
from ogn_lib.learn.trained_models import read_provenance, shipped_path
from ogn_lib.studies.recorded_training import (
    RECORDINGS,
    Recording,
    continued_from,
    forerunners,
    kinetic_check,
    milestone_epochs,
    recording,
    settings,
    velocity_check,
)
from ogn_lib.studies.recording_summaries import (
    RecordingSummary,
    bars_met,
    best_recording,
    held_out_curve,
    recording_summary,
    recordings_of,
)


def test_milestones_are_evenly_spread_and_end_at_the_last_epoch():
    assert milestone_epochs(100, 4) == [25, 50, 75, 100]
    assert milestone_epochs(10, 3) == [4, 7, 10]
    assert milestone_epochs(2, 5) == [1, 2]


@pytest.mark.parametrize("epochs, milestones", [(0, 3), (10, 0)])
def test_milestones_need_positive_counts(epochs, milestones):
    with pytest.raises(ValueError, match="positive integers"):
        milestone_epochs(epochs, milestones)


def test_recordings_are_found_by_key_and_unknown_keys_named():
    first = RECORDINGS[0]
    assert recording(first.key) is first
    with pytest.raises(ValueError, match="no recording 'lj-slow'"):
        recording("lj-slow")


def _record(folder, milestones, epochs=30, key="lj-fast", **extra):
    entry = {"epochs": epochs, **extra, "milestones": [
        {"epoch": epoch, "cpu_s": 1800.0 * (i + 1), "test_loss": 0.001,
         "score": {"md_steps": [25, 50, 100], "starts": 8,
                   "OGN": {"mean": [0.01, 0.02, rmse], "std": [0.0, 0.0, 0.004]}}}
        for i, (epoch, rmse) in enumerate(milestones)]}
    (folder / f"{key}.json").write_text(json.dumps(entry))


def test_the_held_out_curve_reads_each_milestone_with_its_interval_over_starts(tmp_path):
    _record(tmp_path, [(10, 0.1), (20, 0.07), (30, 0.06)])
    curve = held_out_curve("lj-fast", folder=tmp_path)
    assert curve.hours.tolist() == [0.5, 1.0, 1.5] and curve.complete
    assert [m.value for m in curve.rmse] == [0.1, 0.07, 0.06]
    assert curve.rmse[0].n == 8 and curve.rmse[0].low < 0.1 < curve.rmse[0].high
    _record(tmp_path, [(10, 0.1)])
    assert not held_out_curve("lj-fast", folder=tmp_path).complete


def test_a_missing_record_or_horizon_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="scripts/recorded_training.py lj-fast"):
        held_out_curve("lj-fast", folder=tmp_path)
    _record(tmp_path, [(10, 0.1)])
    with pytest.raises(ValueError, match="not 200"):
        held_out_curve("lj-fast", md_steps=200, folder=tmp_path)


def test_a_continuation_s_curve_follows_the_one_it_continues(tmp_path):
    _record(tmp_path, [(10, 0.1), (20, 0.07), (30, 0.06)])
    _record(tmp_path, [(5, 0.055), (10, 0.05)], epochs=10, key="lj-fast-continued",
            continues={"recording": "lj-fast", "epochs": 30, "cpu_s": 5400.0})
    curve = held_out_curve("lj-fast-continued", folder=tmp_path)
    assert curve.hours.tolist() == [0.5, 1.0, 1.5, 2.0, 2.5] and curve.complete
    assert [m.value for m in curve.rmse] == [0.1, 0.07, 0.06, 0.055, 0.05]


def test_a_summary_holds_the_last_milestone_and_the_energy_check_once_run(tmp_path):
    _record(tmp_path, [(10, 0.1), (30, 0.06)], energy={"excursion": [0.08, 0.1],
                                                       "drift": [-0.07, -0.09]},
            velocity_change_r2={"per_trajectory": [0.9999, 0.9998]},
            kinetic_error={"start_frames": 20, "per_trajectory": [-4e-4, -5e-4]})
    summary = recording_summary("lj-fast", folder=tmp_path)
    assert (summary.epochs_done, summary.epochs, summary.hours) == (30, 30, 1.0)
    assert summary.rmse.value == 0.06 and summary.complete and summary.continues == ""
    _record(tmp_path, [(10, 0.1), (30, 0.06)], final_score={
        "md_steps": [25, 50, 100], "starts": 32,
        "OGN": {"mean": [0.01, 0.02, 0.055], "std": [0.0, 0.0, 0.004]}})
    final = recording_summary("lj-fast", folder=tmp_path).rmse
    assert final.value == 0.055 and final.n == 32
    assert summary.excursion == [0.08, 0.1] and summary.r2 == [0.9999, 0.9998]
    assert summary.drift.value == pytest.approx(-0.08) and summary.drift.n == 2
    assert summary.kinetic_error.value == pytest.approx(-4.5e-4)
    assert summary.kinetic_error.n == 2
    _record(tmp_path, [(5, 0.05)], epochs=10, key="lj-fast-continued",
            continues={"recording": "lj-fast", "epochs": 30, "cpu_s": 3600.0})
    going = recording_summary("lj-fast-continued", folder=tmp_path)
    assert (going.continues, going.earlier_hours, going.hours) == ("lj-fast", 1.0, 0.5)
    assert going.drift is None and going.r2 is None and not going.complete
    assert going.kinetic_error is None
    _record(tmp_path, [], key="lj-reference")
    with pytest.raises(ValueError, match="no milestone yet"):
        recording_summary("lj-reference", folder=tmp_path)
    assert [r.key for r in recordings_of("lj", tmp_path)] == ["lj-fast", "lj-fast-continued"]
    assert recordings_of("si", tmp_path) == []


def test_a_continuation_needs_its_finished_forerunner_of_the_same_model_and_data(tmp_path):
    continuation = recording("lj-fast-continued")
    assert continuation.continues == "lj-fast" and len({r.key for r in RECORDINGS}) == len(
        RECORDINGS)
    with pytest.raises(ValueError, match="has not finished.*recorded_training.py lj-fast`"):
        continued_from(continuation, tmp_path)
    _record(tmp_path, [(10, 0.1)])
    with pytest.raises(ValueError, match="has not finished"):
        continued_from(continuation, tmp_path)
    with pytest.raises(ValueError, match="differs from it in name, model"):
        continued_from(Recording("cuzr", "fast", "", continues="si-fast"), tmp_path)
    assert continued_from(recording("lj-fast"), tmp_path) == (None, None)
    _record(tmp_path, [(10, 0.1), (30, 0.06)], training={"batches_per_epoch": 50})
    save_checkpoint(tmp_path / "lj-fast.pt", untrained_simulator())
    simulator, spent = continued_from(continuation, tmp_path)
    assert spent == {"recording": "lj-fast", "epochs": 30, "cpu_s": 3600.0,
                     "cpu_s_per_batch": 3600.0 / (30 * 50)}
    assert simulator.spec == untrained_simulator().spec


def test_a_chain_of_continuations_counts_every_forerunner_s_cpu(tmp_path):
    """A continuation of a continuation plans from its parent's own CPU per batch and
    sums the CPU of the whole chain; shipping it prepends every forerunner's history."""
    again = Recording("lj", "fast", "", train_seeds=(1, 2, 3), variant="again",
                      continues="lj-fast-continued")
    assert forerunners(again) == ["lj-fast", "lj-fast-continued"]
    assert forerunners(recording("lj-fast")) == []
    _record(tmp_path, [(5, 0.055), (10, 0.05)], epochs=10, key="lj-fast-continued",
            continues={"recording": "lj-fast", "epochs": 30, "cpu_s": 3600.0},
            training={"batches_per_epoch": 20})
    save_checkpoint(tmp_path / "lj-fast-continued.pt", untrained_simulator())
    _, spent = continued_from(again, tmp_path)
    assert spent == {"recording": "lj-fast-continued", "epochs": 10, "cpu_s": 3600.0 + 3600.0,
                     "cpu_s_per_batch": 3600.0 / (10 * 20)}
    _record(tmp_path, [(10, 0.1), (30, 0.06)])
    _record(tmp_path, [(4, 0.045)], epochs=8, key="lj-fast-again", continues=spent)
    curve = held_out_curve("lj-fast-again", folder=tmp_path)
    assert curve.hours.tolist() == [0.5, 1.0, 1.5, 2.0, 2.5] and curve.own_from == 4


def test_the_shipped_ka_lj_record_gives_the_budget_curve():
    curve = held_out_curve("lj-fast")
    assert len(curve.hours) == len(curve.rmse) >= 4 and curve.complete
    assert np.all(np.diff(curve.hours) > 0)


def test_a_recording_s_network_changes_reach_its_model():
    model, config = settings(recording("si-fast"), SimpleNamespace(type_names=("Si",)))
    assert model.pair_once and config.batch_size == 4 and config.learning_rate == 3e-3
    model, _ = settings(recording("lj-fast"), SimpleNamespace(type_names=("A", "B")))
    assert not model.pair_once


def test_the_velocity_check_scores_each_held_out_trajectory(tmp_path):
    """An untrained simulator predicts no velocity change: R^2 0 on every trajectory."""
    checkpoint = tmp_path / "untrained.pt"
    save_checkpoint(checkpoint, untrained_simulator())
    held_out = [toy_trajectory(seed) for seed in range(3)]
    checked = velocity_check(checkpoint, held_out, n_starts=2)
    assert checked["start_frames"] == 20 and len(checked["per_trajectory"]) == 2
    assert checked["per_trajectory"] == pytest.approx([0.0, 0.0], abs=1e-5)


def test_the_kinetic_check_averages_one_prediction_s_error_on_each_trajectory(tmp_path):
    checkpoint = tmp_path / "untrained.pt"
    save_checkpoint(checkpoint, untrained_simulator())
    held_out = [toy_trajectory(seed) for seed in range(3)]
    checked = kinetic_check(checkpoint, held_out, n_starts=2)
    assert checked["start_frames"] == 20 and len(checked["per_trajectory"]) == 2
    assert all(np.isfinite(checked["per_trajectory"]))
    assert checked["per_trajectory"][0] != checked["per_trajectory"][1]


def _summary(key, rmse, excursion, drift=(-0.01, 0.01), epochs_done=6):
    return RecordingSummary(key, epochs_done, 6, 2.0, "", 0.0, 100, 0.0005,
                            Measurement(rmse, rmse - 0.003, rmse + 0.003, 32, "t"), excursion,
                            None if excursion is None else
                            Measurement(sum(drift) / 2, *drift, 8, "t"), None)


def test_the_recording_to_ship_meets_most_bars_then_has_the_lowest_error():
    accurate = _summary("accurate", 0.045, [0.2, 0.25], drift=(-0.26, -0.2))
    conserving = _summary("conserving", 0.056, [0.013, 0.035])
    closer = _summary("closer", 0.051, [0.26, 0.28], drift=(-0.27, -0.25))
    assert bars_met(accurate, 0.05, 0.05) == (True, False)
    assert bars_met(conserving, 0.05, 0.05) == (False, True)
    assert bars_met(_summary("drifting", 0.056, [0.04], drift=(-0.06, -0.03)), 0.05,
                    0.05) == (False, False)
    assert best_recording([closer, conserving], 0.05, 0.05).key == "conserving"
    assert best_recording([closer, accurate, conserving], 0.05, 0.05).key == "accurate"
    both = _summary("both", 0.046, [0.02])
    unfinished = _summary("unfinished", 0.03, None, epochs_done=3)
    assert best_recording([unfinished, accurate, both], 0.05, 0.05).key == "both"
    with pytest.raises(ValueError, match="has finished with its energy check"):
        best_recording([unfinished], 0.05, 0.05)


def test_the_shipped_ka_lj_fast_ogn_is_the_recording_the_rule_picks():
    """S1 says the shipped model is the one :func:`best_recording` picks; a recording that
    ends better than it must be shipped (``scripts/recorded_training.py <key> --ship``)."""
    shipped = read_provenance(shipped_path("quick", "lj", "fast")).recording
    summaries = [recording_summary(r.key) for r in recordings_of("lj") if r.preset == "fast"]
    assert best_recording(summaries, ACCURACY_BAR["lj"], ENERGY_EXCURSION).key == shipped
