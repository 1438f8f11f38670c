"""One rollout beside the truth it should follow, atom by atom (S1 B-C, S3 C), made: the
learned simulator rolled out from a frame of a held-out trajectory, both kept on the same
grid of MD steps as a :class:`ogn_lib.analysis.rollout_comparison.RolloutComparison`.
"""

from __future__ import annotations

import numpy as np

from ogn_lib.analysis.rollout_comparison import RolloutComparison
from ogn_lib.data.trajectory import Trajectory, frames_k_steps_apart
from ogn_lib.learn.rollout import rollout_until_blow_up
from ogn_lib.learn.simulator import LearnedSimulator


def compare_rollout(simulator: LearnedSimulator, truth: Trajectory, start_frame: int,
                    n_predictions: int) -> RolloutComparison:
    """Roll the simulator out ``n_predictions`` times from frame ``start_frame`` of
    ``truth`` and keep both trajectories, atom by atom."""
    k = simulator.spec.k_steps
    true_states = frames_k_steps_apart(truth, k, start_frame, n_predictions)
    start = true_states[0]
    predicted_states, failure = rollout_until_blow_up(simulator, start, n_predictions)
    predicted_states = [start] + predicted_states
    blank = np.full((n_predictions + 1, start.n_atoms, 3), np.nan)
    predicted_positions, predicted_velocities = blank.copy(), blank.copy()
    predicted_positions[:len(predicted_states)] = [s.unwrapped_positions
                                                   for s in predicted_states]
    predicted_velocities[:len(predicted_states)] = [s.velocities for s in predicted_states]
    return RolloutComparison(
        md_steps=np.arange(n_predictions + 1) * k,
        true_positions=np.stack([s.unwrapped_positions for s in true_states]),
        predicted_positions=predicted_positions,
        true_velocities=np.stack([s.velocities for s in true_states]),
        predicted_velocities=predicted_velocities, failure=failure)
