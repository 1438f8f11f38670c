"""The training data: pairs of states k MD steps apart from trajectories of one system,
stacked into batches, and the scales that normalise a network's inputs and targets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.data.trajectory import Trajectory
from ogn_lib.learn.graph import build_graph
from ogn_lib.learn.simulator import Normalisation, trapezoid_correction
from ogn_lib.periodic import unwrap


@dataclass(frozen=True)
class PairBatch:
    """Stacked states at t and t + k dt of ``B`` configurations with the same atoms."""

    positions: np.ndarray        # (B, N, 3) wrapped
    velocities: np.ndarray       # (B, N, 3)
    displacements: np.ndarray    # (B, N, 3) unwrapped x(t + k dt) - x(t)
    later_velocities: np.ndarray  # (B, N, 3)


class PairSet:
    """All pairs (frame t, frame t + k MD steps) of a list of trajectories of one system."""

    def __init__(self, trajectories: list[Trajectory], k_steps: int):
        if not trajectories:
            raise ValueError("no trajectories given; pass at least one")
        first = trajectories[0]
        if len(first.typeids) and not 0 <= first.typeids.min() <= first.typeids.max() < len(
                first.type_names):
            raise ValueError(f"type ids {first.typeids.min()} to {first.typeids.max()} for "
                             f"{len(first.type_names)} type names {list(first.type_names)}; "
                             "each atom's type id must name one of them (bring other "
                             "programs' files in with `ogn convert`, which checks this)")
        for index, trajectory in enumerate(trajectories):
            self._check_compatible(first, trajectory, k_steps)
            for name in ("positions", "velocities"):
                finite = np.isfinite(getattr(trajectory, name)).all(axis=(1, 2))
                if not finite.all():
                    raise ValueError(f"trajectory {index} of {len(trajectories)} "
                                     f"({trajectory.metadata.system}) has {name} that are "
                                     f"not finite in frame {int(np.argmin(finite))}; train on "
                                     "finite data (`ogn convert` checks files it brings in)")
        self.trajectories = trajectories
        self.k_steps = k_steps
        self.frame_offset = k_steps // first.metadata.period_steps
        self.index = np.array([(i, t) for i, trajectory in enumerate(trajectories)
                               for t in range(trajectory.n_frames - self.frame_offset)],
                              dtype=np.int64).reshape(-1, 2)
        if len(self.index) == 0:
            raise ValueError(f"trajectories of {first.n_frames} frames hold no pair "
                             f"{k_steps} MD steps apart; use longer trajectories")

    @staticmethod
    def _check_compatible(first: Trajectory, other: Trajectory, k_steps: int) -> None:
        period = other.metadata.period_steps
        if k_steps % period:
            raise ValueError(f"k = {k_steps} MD steps is not a multiple of the recording "
                             f"period {period}; record every step or choose k accordingly")
        for key in ("system", "dt", "period_steps"):
            first_value, other_value = getattr(first.metadata, key), getattr(other.metadata, key)
            if other_value != first_value:
                raise ValueError(f"trajectories disagree on {key}: "
                                 f"{first_value} vs {other_value}")
        if other.type_names != first.type_names or not np.array_equal(other.typeids,
                                                                      first.typeids):
            raise ValueError("trajectories hold different atoms; a pair set needs one system")

    @property
    def system(self) -> str:
        return self.trajectories[0].metadata.system

    @property
    def dt(self) -> float:
        return float(self.trajectories[0].metadata.dt)

    @property
    def type_names(self) -> tuple[str, ...]:
        return self.trajectories[0].type_names

    @property
    def typeids(self) -> np.ndarray:
        return self.trajectories[0].typeids

    @property
    def masses(self) -> np.ndarray:
        return self.trajectories[0].masses

    @property
    def box_lengths(self) -> np.ndarray:
        return self.trajectories[0].box_lengths

    def __len__(self) -> int:
        return len(self.index)

    def batch(self, pair_indices, ahead: int = 1) -> PairBatch:
        """The pairs ``pair_indices`` (rows of :attr:`index`); with ``ahead`` > 1 the later
        state is ``ahead`` strides of k MD steps after the first (the truth of the
        ``ahead``-th of chained predictions; see :meth:`chain_starts`)."""
        rows = [self._pair(*self.index[i], ahead) for i in np.asarray(pair_indices).ravel()]
        return PairBatch(*(np.stack(column) for column in zip(*rows)))

    def chain_starts(self, n_predictions: int) -> np.ndarray:
        """Rows of :attr:`index` whose frame starts ``n_predictions`` chained predictions
        within its trajectory (all rows for one prediction)."""
        if n_predictions < 1:
            raise ValueError(f"a chain holds at least one prediction, not {n_predictions}")
        extra = (n_predictions - 1) * self.frame_offset
        last_frame = np.array([trajectory.n_frames for trajectory in self.trajectories]
                              )[self.index[:, 0]] - self.frame_offset - extra
        starts = np.flatnonzero(self.index[:, 1] < last_frame)
        if len(starts) == 0:
            raise ValueError(f"no trajectory is long enough for {n_predictions} chained "
                             f"predictions of {self.k_steps} MD steps; use longer "
                             "trajectories or fewer chained predictions")
        return starts

    def _pair(self, trajectory_index: int, frame: int, ahead: int = 1):
        trajectory = self.trajectories[trajectory_index]
        later = frame + ahead * self.frame_offset
        displacement = unwrap(trajectory.positions[later] - trajectory.positions[frame],
                              trajectory.images[later] - trajectory.images[frame],
                              trajectory.box_lengths)
        return (trajectory.positions[frame], trajectory.velocities[frame], displacement,
                trajectory.velocities[later])

    def normalisation(self, max_pairs: int = 200) -> Normalisation:
        """Scales of the inputs and targets from up to ``max_pairs`` evenly spread pairs."""
        chosen = np.linspace(0, len(self) - 1, min(max_pairs, len(self))).astype(int)
        batch = self.batch(chosen)
        delta_v = batch.later_velocities - batch.velocities
        correction = trapezoid_correction(batch.displacements, batch.velocities, delta_v,
                                          self.k_steps * self.dt)
        closest = min(float(build_graph(p, self.box_lengths, 1.5 * _typical_spacing(self))
                            .displacements.norm(dim=-1).min()) for p in batch.positions[:20])
        return Normalisation(velocity_std=float(batch.velocities.std()),
                             delta_velocity_std=float(delta_v.std()),
                             correction_std=float(correction.std()),
                             closest_approach=closest)


def _typical_spacing(pairs: PairSet) -> float:
    """Mean interatomic spacing ``(V / N)^(1/3)``."""
    return float((np.prod(pairs.box_lengths) / len(pairs.typeids)) ** (1.0 / 3.0))
