"""Specification of rollouts and baselines."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.baselines import constant_velocity, no_motion
from ogn_lib.analysis.dynamics import rmsd_curve
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.learn.graph import build_graph
from ogn_lib.learn.rollout import rollout, rollout_states, rollout_trajectory

K_STEPS = 5


@pytest.fixture(scope="module")
def start():
    return toy_trajectory().configuration(0)


def test_rollout_file_reads_back_like_a_ground_truth_trajectory(start, tmp_path):
    result = rollout(untrained_simulator(), start, 4, tmp_path / "r.gsd", {"units": "lj"})
    written = read_trajectory(tmp_path / "r.gsd")
    assert result.n_frames == written.n_frames == 5 and result.blow_up is None
    assert written.metadata.period_steps == K_STEPS and written.metadata.dt == 0.002
    assert list(written.steps) == [0, 5, 10, 15, 20]
    assert np.all(np.abs(written.positions) <= start.box_lengths / 2 + 1e-5)


def test_image_flags_keep_the_unwrapped_trajectory_continuous(start):
    fast = replace(start, velocities=start.velocities * 100)  # many crossings of the box
    states = list(rollout_states(untrained_simulator(closest_approach=0.0), fast, 3))
    elapsed = 3 * K_STEPS * 0.002
    assert np.any(states[-1].images != fast.images)
    np.testing.assert_allclose(states[-1].unwrapped_positions,
                               fast.unwrapped_positions + fast.velocities * elapsed, atol=1e-4)


def test_untrained_simulator_rolls_out_as_the_constant_velocity_baseline(start):
    learned = list(rollout_states(untrained_simulator(), start, 3))
    straight = list(constant_velocity(start, 3, K_STEPS, dt=0.002))
    for a, b in zip(learned, straight):
        np.testing.assert_allclose(a.unwrapped_positions, b.unwrapped_positions, atol=1e-5)
        assert a.step == b.step


def test_no_motion_baseline_keeps_positions_and_advances_the_clock(start):
    frames = list(no_motion(start, 2, K_STEPS))
    assert [f.step for f in frames] == [5, 10]
    np.testing.assert_array_equal(frames[-1].positions, start.positions)


def test_blow_up_stops_the_rollout_and_keeps_earlier_frames(start, tmp_path):
    closest = float(build_graph(start.positions, start.box_lengths, 1.4)
                    .displacements.norm(dim=1).min())
    colliding = replace(start, velocities=start.velocities * 50)
    result = rollout(untrained_simulator(closest_approach=closest), colliding, 50,
                     tmp_path / "r.gsd", {"units": "lj"})
    assert result.blow_up is not None and "two atoms are" in result.blow_up
    written = read_trajectory(tmp_path / "r.gsd")
    assert 1 < written.n_frames == result.n_frames < 51
    assert written.metadata.blow_up == result.blow_up


def test_rollout_in_memory_reads_like_a_trajectory_file(start):
    trajectory = rollout_trajectory(untrained_simulator(), start, 4)
    states = list(rollout_states(untrained_simulator(), start, 4))
    assert trajectory.n_frames == 5 and trajectory.metadata.blow_up is None
    assert trajectory.metadata.period_steps == K_STEPS and trajectory.metadata.dt == 0.002
    assert list(trajectory.steps) == [0, 5, 10, 15, 20]
    np.testing.assert_array_equal(trajectory.positions[0], start.positions)
    np.testing.assert_allclose(trajectory.unwrapped_positions[-1],
                               states[-1].unwrapped_positions)


def test_rmsd_of_an_untrained_rollout_is_free_flight(start):
    # The untrained simulator flies atoms straight, so D(t) = sqrt(<v^2>) t exactly.
    curve = rmsd_curve(rollout_trajectory(untrained_simulator(), start, 6))
    speed = np.sqrt(np.mean(np.sum(start.velocities**2, axis=1)))
    np.testing.assert_allclose(curve.time, np.arange(1, 7) * K_STEPS * 0.002)
    np.testing.assert_allclose(curve.rmsd, speed * curve.time, rtol=1e-3)


def test_blow_up_in_memory_keeps_earlier_frames_and_says_why(start):
    closest = float(build_graph(start.positions, start.box_lengths, 1.4)
                    .displacements.norm(dim=1).min())
    colliding = replace(start, velocities=start.velocities * 50)
    trajectory = rollout_trajectory(untrained_simulator(closest_approach=closest),
                                    colliding, 50)
    assert "two atoms are" in trajectory.metadata.blow_up
    assert 1 < trajectory.n_frames < 51


@pytest.mark.parametrize("error", [RuntimeError("simulated crash"), KeyboardInterrupt()])
def test_a_rollout_stopped_by_an_error_leaves_no_file(start, tmp_path, monkeypatch, error):
    simulator = untrained_simulator()

    def crash(*args, **kwargs):
        raise error

    monkeypatch.setattr(simulator, "predict", crash)
    with pytest.raises(type(error)):
        rollout(simulator, start, 4, tmp_path / "r.gsd", {"units": "lj"})
    assert list(tmp_path.iterdir()) == []


def test_a_rollout_without_prediction_is_refused(start, tmp_path):
    with pytest.raises(ValueError, match="n_predictions=0"):
        rollout(untrained_simulator(), start, 0, tmp_path / "r.gsd", {"units": "lj"})
    assert list(tmp_path.iterdir()) == []


def test_a_rollout_with_a_skin_neighbour_list_follows_the_fresh_search_rollout(start):
    torch.manual_seed(2)
    simulator = untrained_simulator(closest_approach=0.0)
    torch.nn.init.normal_(simulator.network.decoder[-1].weight, std=0.3)  # atoms interact
    moving = replace(start, velocities=start.velocities * 5)  # a few searches again
    fresh = list(rollout_states(simulator, moving, 12))
    listed = list(rollout_states(simulator, moving, 12, skin=0.2))
    assert not np.allclose(fresh[-1].velocities, moving.velocities)
    for a, b in zip(fresh, listed):
        np.testing.assert_allclose(a.unwrapped_positions, b.unwrapped_positions, atol=1e-6)
        np.testing.assert_allclose(a.velocities, b.velocities, atol=1e-5)


def test_a_start_of_no_atoms_is_refused_before_any_prediction(start, tmp_path):
    empty = replace(start, positions=start.positions[:0], velocities=start.velocities[:0],
                    images=start.images[:0], typeids=start.typeids[:0],
                    masses=start.masses[:0])
    with pytest.raises(ValueError, match=r"the start frame \(MD step .*\) holds no atoms"):
        rollout(untrained_simulator(), empty, 2, tmp_path / "r.gsd", {"units": "lj"})
    assert list(tmp_path.iterdir()) == []
