"""One rollout beside the truth it should follow, atom by atom (S1 B-C, S3 C), made: the
learned simulator rolled out from a frame of a held-out trajectory, both kept on the same
grid of MD steps as a :class:`ogn_lib.analysis.rollout_comparison.RolloutComparison`.
With a ``cache`` folder the rollout is the one the accuracy curves kept for the same start
(:func:`~ogn_lib.studies.accuracy_curves.predicted_states`), not rolled out again.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ogn_lib.analysis.rollout_comparison import RolloutComparison
from ogn_lib.data.trajectory import Trajectory, frames_k_steps_apart
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.studies.accuracy_curves import predicted_states


def compare_rollout(simulator: LearnedSimulator, truth: Trajectory, start_frame: int,
                    n_predictions: int, cache: Path | None = None) -> RolloutComparison:
    """Roll the simulator out ``n_predictions`` times from frame ``start_frame`` of
    ``truth`` and keep both trajectories, atom by atom; the rollout is kept in ``cache``
    when given."""
    k = simulator.spec.k_steps
    true_states = frames_k_steps_apart(truth, k, start_frame, n_predictions)
    start = true_states[0]
    predicted, failure = predicted_states(simulator, start, n_predictions, cache)
    predicted = [start] + predicted
    blank = np.full((n_predictions + 1, start.n_atoms, 3), np.nan)
    predicted_positions, predicted_velocities = blank.copy(), blank.copy()
    predicted_positions[:len(predicted)] = [s.unwrapped_positions for s in predicted]
    predicted_velocities[:len(predicted)] = [s.velocities for s in predicted]
    return RolloutComparison(
        md_steps=np.arange(n_predictions + 1) * k,
        true_positions=np.stack([s.unwrapped_positions for s in true_states]),
        predicted_positions=predicted_positions,
        true_velocities=np.stack([s.velocities for s in true_states]),
        predicted_velocities=predicted_velocities, failure=failure)
