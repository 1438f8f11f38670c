"""How closely a learned simulator follows held-out ground truth, beside every baseline.

From one start frame of a test trajectory, the learned simulator and four baselines each
predict the states after k, 2k, ... MD steps, and each prediction is scored against the
truth:

- ``OGN``: the learned simulator's rollout;
- ``no motion`` and ``constant velocity``: the trivial guesses of :mod:`ogn_lib.analysis.baselines`;
- ``MD k×dt``: the same MD with a k-fold larger step
  (:func:`ogn_lib.md.baselines.md_with_larger_step`);
- ``chaos floor``: the same MD restarted from the saved float32 state, the closest any
  simulator can be expected to follow the truth (:func:`ogn_lib.md.baselines.chaos_floor`).

Errors are root mean squares over atoms of the per-atom error vector: positions by minimum
image (wrapping is no error), velocities directly. A method that fails (the rollout blows
up, LAMMPS loses atoms) has NaN after its failure and the reason in ``failures``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.baselines import constant_velocity, no_motion
from ogn_lib.analysis.scores import kinetic_temperature, position_rmse, velocity_rmse
from ogn_lib.configuration import Configuration
from ogn_lib.data.trajectory import Trajectory, frame_stride, frames_k_steps_apart
from ogn_lib.learn.rollout import rollout_until_blow_up
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.md.baselines import MDBaseline, chaos_floor, md_with_larger_step
from ogn_lib.md.systems import System, get_system

METHODS = ("OGN", "no motion", "constant velocity", "MD k×dt", "chaos floor")
"""Every method of an accuracy figure, in the order they are drawn and tabulated."""

@dataclass(frozen=True)
class AccuracyCurves:
    """Errors of a learned simulator and of every baseline along one held-out trajectory.

    Attributes:
        system: the system's name.
        k_steps: MD steps per prediction of the learned simulator.
        md_steps: ``(P,)`` MD steps after the start of each prediction (k, 2k, ...).
        position_rmse: method -> ``(P,)`` position RMSE per atom (length unit); keys
            :data:`METHODS`.
        velocity_rmse: method -> ``(P,)`` velocity RMSE per atom (velocity unit).
        temperature: ``"truth"`` and ``"OGN"`` -> ``(P,)`` kinetic temperature by
            :func:`ogn_lib.analysis.scores.kinetic_temperature` (m v^2 per degree of freedom in
            the system's mass and velocity units: k_B T in LJ units; compare as a ratio).
        failures: method -> why it stopped early; its entries after that are NaN.
    """

    system: str
    k_steps: int
    md_steps: np.ndarray
    position_rmse: dict
    velocity_rmse: dict
    temperature: dict
    failures: dict


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


def accuracy_curves(simulator: LearnedSimulator, truth: Trajectory, start_frame: int,
                    n_predictions: int, system: System | None = None) -> AccuracyCurves:
    """Score ``n_predictions`` predictions of the simulator and of every baseline from
    frame ``start_frame`` of ``truth`` (a trajectory recorded every MD step or every
    divisor of k). ``system`` runs the MD baselines; by default the trajectory's own."""
    k = simulator.spec.k_steps
    system = system or get_system(truth.metadata.system)
    start, *truths = frames_k_steps_apart(truth, k, start_frame, n_predictions)
    ogn, blow_up = rollout_until_blow_up(simulator, start, n_predictions)
    larger_step = md_with_larger_step(system, start, k, n_predictions)
    floor = chaos_floor(system, start, n_predictions * k, period_steps=k)
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


def spread_starts(n_frames: list[int], n_starts: int, frames_needed: int) -> list[tuple]:
    """``n_starts`` (trajectory index, start frame) pairs spread over trajectories of
    ``n_frames`` frames each: one trajectory after the other, and evenly within each
    trajectory when there are more starts than trajectories. Every start leaves
    ``frames_needed`` frames after it."""
    per_trajectory = -(-n_starts // len(n_frames))
    for index, frames in enumerate(n_frames):
        if frames <= frames_needed:
            raise ValueError(f"trajectory {index} has {frames} frames, too few for "
                             f"{frames_needed} frames after a start; predict fewer steps")
    starts = [[(index, int(frame)) for frame in
               np.linspace(0, frames - 1 - frames_needed, per_trajectory).round()]
              for index, frames in enumerate(n_frames)]
    return [pair for round_ in zip(*starts) for pair in round_][:n_starts]


def curves_over_starts(simulator: LearnedSimulator, truths: list[Trajectory], n_starts: int,
                       n_predictions: int, system: System | None = None) -> list[AccuracyCurves]:
    """:func:`accuracy_curves` from ``n_starts`` starts spread over the trajectories by
    :func:`spread_starts` (all recorded with the same period)."""
    needed = n_predictions * frame_stride(truths[0], simulator.spec.k_steps)
    return [accuracy_curves(simulator, truths[index], frame, n_predictions, system)
            for index, frame in spread_starts([t.n_frames for t in truths], n_starts, needed)]


def first_step_above(curves: list[AccuracyCurves], threshold: float, method: str = "OGN",
                     quantity: str = "position") -> int | None:
    """The first MD step at which the mean error of ``method`` exceeds ``threshold`` (or
    is NaN: it failed there), ``None`` if it never does within the curves."""
    mean = mean_curves(curves, quantity)[method]
    above = ~(mean <= threshold)
    return int(curves[0].md_steps[np.argmax(above)]) if above.any() else None


def report_steps(k_steps: int, horizon_md_steps: int = 100) -> tuple[int, int, int]:
    """A quarter, half and all of the horizon, each rounded down to a prediction of k:
    (25, 50, 100) MD steps for k = 1 or 5, (20, 50, 100) for k = 10."""
    return tuple(int(k_steps * (horizon_md_steps // part // k_steps)) for part in (4, 2, 1))


def mean_curves(curves: list[AccuracyCurves], quantity: str = "position") -> dict:
    """Method -> mean error over the curves (several starts of one model), per prediction.

    A start where a method failed makes the mean NaN from there on: a failure is not
    averaged away."""
    if not curves:
        raise ValueError("no accuracy curves given; pass at least one")
    if quantity not in ("position", "velocity"):
        raise ValueError(f"quantity {quantity!r}: choose 'position' or 'velocity'")
    steps = curves[0].md_steps
    for c in curves:
        if c.system != curves[0].system or not np.array_equal(c.md_steps, steps):
            raise ValueError(
                f"curves of {c.system} at MD steps {c.md_steps[:3]}... cannot be averaged "
                f"with curves of {curves[0].system} at {steps[:3]}...: pass curves of one "
                "system, k and number of predictions")
    field = "position_rmse" if quantity == "position" else "velocity_rmse"
    return {name: np.mean([getattr(c, field)[name] for c in curves], axis=0)
            for name in METHODS}


def accuracy_table(curves: list[AccuracyCurves], md_steps=(25, 50, 100)) -> list[dict]:
    """Rows ``{"MD steps": n, "<method> position RMSE": mean over curves, ...,
    "<method> velocity RMSE": ...}`` ready for :func:`ogn_lib.book.tables.markdown_table`.

    Each ``n`` must be a multiple of k within the curves; a value is ``None`` where a
    method failed before ``n`` MD steps in any of the curves."""
    means = {quantity: mean_curves(curves, quantity) for quantity in ("position", "velocity")}
    steps = list(curves[0].md_steps)
    rows = []
    for n in md_steps:
        if n not in steps:
            raise ValueError(
                f"{n} MD steps is not a prediction of k = {curves[0].k_steps} within "
                f"{steps[-1]} MD steps; choose multiples of {curves[0].k_steps} up to "
                f"{steps[-1]}")
        row = {"MD steps": int(n)}
        for quantity, mean in means.items():
            for name in METHODS:
                value = float(mean[name][steps.index(n)])
                row[f"{name} {quantity} RMSE"] = value if np.isfinite(value) else None
        rows.append(row)
    return rows


