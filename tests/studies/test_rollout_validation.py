import pytest
from toy_lj import toy_trajectory

from ogn_lib.studies import rollout_validation
from ogn_lib.studies.rollout_validation import validation_truths


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
