"""Accuracy curves made: a learned simulator rolled out from held-out ground truth, beside
every baseline, each prediction scored against the truth.

From one start frame of a test trajectory the simulator predicts the states after k, 2k,
... MD steps, the trivial baselines guess them, and MD runs them twice (with a k-fold
larger step, and restarted from the saved float32 state: the chaos floor). The methods,
the curves and what is read from them live in :mod:`ogn_lib.analysis.accuracy`.

With a ``cache`` folder the learned rollout and both MD runs are made once and read back
bit for bit by later calls (:func:`~ogn_lib.learn.rollout_cache.cached_rollout_states`,
:func:`~ogn_lib.md.baselines.same_start`): the curves do not change, and a second call
from the same start (S5's sweep and its largest liquid from the same first frame, or the
next build) does not run them again.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ogn_lib.analysis.accuracy import METHODS, AccuracyCurves, spread_starts
from ogn_lib.analysis.baselines import constant_velocity, no_motion
from ogn_lib.analysis.scores import kinetic_temperature, position_rmse, velocity_rmse
from ogn_lib.configuration import Configuration
from ogn_lib.data.trajectory import Trajectory, frame_stride, frames_k_steps_apart
from ogn_lib.learn.rollout import rollout_until_blow_up
from ogn_lib.learn.rollout_cache import cached_rollout_states
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.md.baselines import MDBaseline, chaos_floor, md_with_larger_step
from ogn_lib.md.systems import System, get_system


def _scores(states, truths: list[Configuration]) -> tuple[np.ndarray, np.ndarray]:
    """Position and velocity RMSE of each state against the truth; NaN where ``states``
    ended early."""
    positions = np.full(len(truths), np.nan)
    velocities = np.full(len(truths), np.nan)
    for i, (state, true) in enumerate(zip(states, truths)):
        positions[i] = position_rmse(state, true)
        velocities[i] = velocity_rmse(state, true)
    return positions, velocities


def _md_failure(run: MDBaseline, period_steps: int, n_steps: int) -> str:
    """The engine's reason with how far the run got, in original MD steps."""
    if not run.failure:
        return ""
    reached = (len(run.frames) - 1) * period_steps
    return (f"{run.failure} (between MD steps {reached} and {reached + period_steps} "
            f"of {n_steps})")


def predicted_states(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
                     cache: Path | None = None) -> tuple[list[Configuration], str | None]:
    """The raw NVE rollout's states after ``start`` and why it stopped early
    (:func:`~ogn_lib.learn.rollout.rollout_until_blow_up`), kept in ``cache`` when given."""
    if cache is None:
        return rollout_until_blow_up(simulator, start, n_predictions)
    return cached_rollout_states(simulator, start, n_predictions, cache)


def accuracy_curves(simulator: LearnedSimulator, truth: Trajectory, start_frame: int,
                    n_predictions: int, system: System | None = None,
                    cache: Path | None = None) -> AccuracyCurves:
    """Score ``n_predictions`` predictions of the simulator and of every baseline from
    frame ``start_frame`` of ``truth`` (a trajectory recorded every MD step or every
    divisor of k). ``system`` runs the MD baselines; by default the trajectory's own. The
    rollout and the MD runs are kept in ``cache`` when given."""
    k = simulator.spec.k_steps
    system = system or get_system(truth.metadata.system)
    start, *truths = frames_k_steps_apart(truth, k, start_frame, n_predictions)
    ogn, blow_up = predicted_states(simulator, start, n_predictions, cache)
    larger_step = md_with_larger_step(system, start, k, n_predictions, cache=cache)
    floor = chaos_floor(system, start, n_predictions * k, period_steps=k, cache=cache)
    failures = {name: reason for name, reason in (
        ("OGN", blow_up),
        ("MD k×dt", _md_failure(larger_step, k, n_predictions * k)),
        ("chaos floor", _md_failure(floor, k, n_predictions * k))) if reason}
    states = {"OGN": ogn,
              "no motion": list(no_motion(start, n_predictions, k)),
              "constant velocity": list(constant_velocity(start, n_predictions, k,
                                                          simulator.spec.dt)),
              "MD k×dt": larger_step.frames[1:],
              "chaos floor": floor.frames[1:]}
    scores = {name: _scores(states[name], truths) for name in METHODS}
    ogn_temperature = np.full(n_predictions, np.nan)
    ogn_temperature[:len(ogn)] = [kinetic_temperature(state) for state in ogn]
    return AccuracyCurves(
        system=system.name, k_steps=k, md_steps=np.arange(1, n_predictions + 1) * k,
        position_rmse={name: scores[name][0] for name in METHODS},
        velocity_rmse={name: scores[name][1] for name in METHODS},
        temperature={"truth": np.array([kinetic_temperature(t) for t in truths]),
                     "OGN": ogn_temperature},
        failures=failures)


def curves_over_starts(simulator: LearnedSimulator, truths: list[Trajectory], n_starts: int,
                       n_predictions: int, system: System | None = None,
                       cache: Path | None = None) -> list[AccuracyCurves]:
    """:func:`accuracy_curves` from ``n_starts`` starts spread over the trajectories by
    :func:`ogn_lib.analysis.accuracy.spread_starts` (all recorded with the same period),
    the runs kept in ``cache`` when given."""
    needed = n_predictions * frame_stride(truths[0], simulator.spec.k_steps)
    return [accuracy_curves(simulator, truths[index], frame, n_predictions, system, cache)
            for index, frame in spread_starts([t.n_frames for t in truths], n_starts, needed)]
