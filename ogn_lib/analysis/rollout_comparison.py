"""One rollout beside the truth it should follow, atom by atom (S1 B-C, S3 C), read.

Where :mod:`ogn_lib.analysis.accuracy` reduces a rollout to one error per prediction, this
keeps the atoms of a rollout made by :func:`ogn_lib.studies.rollout_comparison.compare_rollout`:
the paths of a few randomly chosen atoms, true and predicted, and every atom's predicted
against its true displacement and velocity at the last step. Displacements (unwrapped, from
the start) are compared rather than positions: positions span the whole box, so their
scatter lies on y = x whatever the simulator does over a few MD steps, while the
displacement is exactly what the simulator had to predict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class RolloutComparison:
    """A rollout and the truth on the same grid of MD steps.

    Attributes:
        md_steps: ``(P + 1,)`` MD steps after the start: 0, k, ..., P k.
        true_positions, predicted_positions: ``(P + 1, N, 3)`` unwrapped (length unit);
            the prediction is NaN after a blow-up.
        true_velocities, predicted_velocities: ``(P + 1, N, 3)`` (velocity unit).
        failure: why the rollout stopped early, ``None`` when it completed.
    """

    md_steps: np.ndarray
    true_positions: np.ndarray
    predicted_positions: np.ndarray
    true_velocities: np.ndarray
    predicted_velocities: np.ndarray
    failure: str | None

    def displacements(self) -> tuple[np.ndarray, np.ndarray]:
        """``(true, predicted)`` ``(N, 3)`` displacements from the start at the last step."""
        return (self.true_positions[-1] - self.true_positions[0],
                self.predicted_positions[-1] - self.predicted_positions[0])

    def velocities(self) -> tuple[np.ndarray, np.ndarray]:
        """``(true, predicted)`` ``(N, 3)`` velocities at the last step."""
        return self.true_velocities[-1], self.predicted_velocities[-1]


def choose_atoms(n_atoms: int, n_chosen: int, seed: int) -> np.ndarray:
    """``n_chosen`` distinct atom indices out of ``n_atoms``, drawn with ``seed``."""
    if not 0 < n_chosen <= n_atoms:
        raise ValueError(f"cannot choose {n_chosen} of {n_atoms} atoms; choose between 1 "
                         f"and {n_atoms}")
    return np.sort(np.random.default_rng(seed).choice(n_atoms, n_chosen, replace=False))


