from dataclasses import replace

import numpy as np
import pytest
from toy_lj import toy_trajectory

from ogn_lib.analysis.system_validation import ValidationSettings
from ogn_lib.studies import rollout_validation
from ogn_lib.studies.rollout_validation import truth_peak, validation_truths


@pytest.fixture
def runs(monkeypatch):
    """Every group holds one run of 59 MD steps per base seed; the seeds asked are kept."""
    asked = []

    def ensure_group(profile, group, base_seed=1):
        asked.append((group, base_seed))
        return [f"{group}-{base_seed}"]

    monkeypatch.setattr(rollout_validation, "ensure_group", ensure_group)
    monkeypatch.setattr(rollout_validation, "read_trajectory",
                        lambda path: toy_trajectory(0, n_frames=60))
    return asked


def test_a_long_run_gives_consecutive_windows(runs):
    truths = validation_truths("quick", "silica", 20, n_starts=2)
    assert [int(t.steps[0]) for t in truths] == [0, 20]
    assert all(t.steps[-1] - t.steps[0] == 20 for t in truths)
    assert runs == [("silica-msd", 1)]


def test_short_runs_take_one_base_seed_after_another(runs):
    truths = validation_truths("quick", "lj-glass", 40, n_starts=3)
    assert len(truths) == 3 and runs == [("lj-glass-test", s) for s in (1, 2, 3)]


def test_too_few_windows_are_refused_with_what_there_is(runs):
    with pytest.raises(ValueError, match="runs of 2 base seeds hold 0 windows of 70 MD"):
        validation_truths("quick", "lj", 70, n_starts=2)


def test_a_kept_truth_peak_is_the_peak_found_afresh_found_once(tmp_path, monkeypatch):
    truth = toy_trajectory(0, n_frames=20)
    settings = ValidationSettings(r_max=1.4, q_range=(4.0, 10.0))
    afresh = truth_peak(truth, settings, None)
    found = []
    original = rollout_validation.structure_factor_peak

    def counted(*args, **kwargs):
        found.append(1)
        return original(*args, **kwargs)

    counted.__defaults__ = original.__defaults__  # part of the key
    monkeypatch.setattr(rollout_validation, "structure_factor_peak", counted)
    assert [truth_peak(truth, settings, tmp_path) for _ in range(2)] == [afresh, afresh]
    assert len(found) == 1
    moved = replace(truth, positions=truth.positions * np.float32(1.01))
    truth_peak(moved, settings, tmp_path)
    truth_peak(truth, replace(settings, q_range=(3.0, 10.0)), tmp_path)
    assert len(found) == 3
