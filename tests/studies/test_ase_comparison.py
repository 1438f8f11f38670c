"""The worked ASE page's study: the driver against MD and `ogn rollout`."""

import ase.io
import numpy as np
import pytest

from ogn_lib.learn.checkpoint import save_checkpoint
from ogn_lib.studies.ase_comparison import compare_with_md, starts_of
from tests.toy_lj import toy_trajectory
from tests.untrained import untrained_simulator


@pytest.fixture
def checkpoint(tmp_path):
    path = tmp_path / "toy.pt"
    save_checkpoint(path, untrained_simulator(k_steps=2, closest_approach=0.0))
    return path


def test_starts_are_spread_and_leave_room_for_every_prediction():
    truth = toy_trajectory(n_frames=21)
    assert [frame for _, frame in starts_of([truth], 3, k_steps=2, n_predictions=5)] == [0, 5, 10]
    with pytest.raises(ValueError, match="fewer than 20 predictions"):
        starts_of([truth], 1, k_steps=2, n_predictions=20)


def test_driver_matches_rollout_and_is_scored_against_md(checkpoint, tmp_path):
    truths = [toy_trajectory(seed=seed, n_frames=11) for seed in (1, 2)]
    result = compare_with_md(checkpoint, truths, n_predictions=5, starts_per_trajectory=1,
                             folder=tmp_path / "ase")
    assert list(result.md_steps) == [0, 2, 4, 6, 8, 10]
    assert result.driver_rmse.shape == result.no_motion_rmse.shape == (2, 6)
    assert np.all(result.driver_rmse[:, 0] < 1e-6) and np.all(result.no_motion_rmse[:, 0] == 0)
    # An untrained OGN moves atoms at constant velocity: over 10 MD steps of a liquid that
    # is closer to MD than leaving them still.
    assert np.all(result.driver_rmse[:, -1] < result.no_motion_rmse[:, -1])
    assert result.rollout_difference < 1e-5  # extended XYZ keeps 8 decimals
    written = ase.io.read(tmp_path / "ase" / "ogn-dynamics.xyz", index=":")
    assert len(written) == 6 and written[-1].info["step"] == 10
    assert sorted(path.name for path in (tmp_path / "ase").iterdir()) == [
        "ogn-dynamics.xyz", "start-0.xyz", "start-1.xyz"]
