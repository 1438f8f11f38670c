import pytest

from ogn_lib.studies.recorded_training import RECORDINGS, milestone_epochs, recording


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
