"""Accuracy curves measured: how closely a learned simulator and every baseline follow
held-out ground truth, averaged over starts and read at the reported MD steps.

The curves themselves (:class:`AccuracyCurves`) are made by
:mod:`ogn_lib.studies.accuracy_curves`, which rolls the simulator out and runs the MD
baselines; here they are only read. The methods, from one start frame, each predicting the
states after k, 2k, ... MD steps:

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


