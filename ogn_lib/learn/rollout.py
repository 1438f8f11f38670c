"""Autoregressive rollout of a learned simulator, written as GSD like the ground truth.

Each prediction advances the configuration by k MD steps: positions move by the predicted
displacement and are wrapped into the box, the image flags count the crossings so the
unwrapped trajectory stays continuous, and velocities are replaced by the predicted ones,
then updated by the rollout's ensemble (:mod:`ogn_lib.learn.ensembles`: raw NVE by default,
energy-rescaled NVE, or a CSVR or Langevin thermostat).
A blow-up (non-finite values, or two atoms far closer than any pair in the training data)
stops the rollout; the frames before it are kept and the reason is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ogn_lib.configuration import Configuration, first_non_finite
from ogn_lib.data.trajectory import Trajectory, trajectory_from_configurations
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.learn.ensembles import NVE, Ensemble, EnsembleError, Step
from ogn_lib.learn.graph import NeighbourList, neighbour_pairs
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.periodic import minimum_image, wrap

OVERLAP_FRACTION = 0.5
"""Atoms closer than this fraction of the closest approach seen in training have fused."""


class RolloutBlowUp(RuntimeError):
    """The rollout left physical configurations; the message says where and why."""


@dataclass(frozen=True)
class RolloutResult:
    """What a rollout produced: ``n_frames`` written (start included), and why it stopped
    early, or ``None`` when it completed all predictions."""

    n_frames: int
    blow_up: str | None


def check_start(simulator: LearnedSimulator, start: Configuration) -> None:
    """Refuse a start the simulator cannot begin from (ValueError naming the atom): no
    atoms, a position or velocity that is not finite, or two atoms closer than a rollout
    may bring them (:data:`OVERLAP_FRACTION` of the training data's closest approach)."""
    where = f"the start frame (MD step {start.step})"
    if start.n_atoms == 0:
        raise ValueError(f"{where} holds no atoms; start from a frame with atoms")
    found = first_non_finite(start)
    if found is not None:
        name, atom = found
        raise ValueError(f"{where}: atom {atom} has {name} {getattr(start, name)[atom].tolist()}; "
                         "a rollout starts from finite positions and velocities")
    overlap = OVERLAP_FRACTION * simulator.spec.normalisation.closest_approach
    if not 0 < overlap < 0.5 * float(np.min(start.box_lengths)):
        return  # no closest approach to hold it to (an untrained or toy simulator)
    senders, receivers = neighbour_pairs(start.positions, start.box_lengths, overlap)
    if len(senders):
        distance = float(np.linalg.norm(minimum_image(
            start.positions[senders[0]] - start.positions[receivers[0]], start.box_lengths)))
        raise ValueError(f"{where}: atoms {min(senders[0], receivers[0])} and "
                         f"{max(senders[0], receivers[0])} are {distance:.3g} apart, below "
                         f"{overlap:.3g} ({OVERLAP_FRACTION} x the closest approach in the "
                         "training data); start from a physical configuration")


def rollout_states(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
                   ensemble: Ensemble = NVE(), skin: float | None = None
                   ) -> Iterator[Configuration]:
    """Yield the ``n_predictions`` configurations after ``start``, k MD steps apart, each
    passed through ``ensemble``'s velocity update. With a ``skin`` (length) the graphs come
    from one :class:`~ogn_lib.learn.graph.NeighbourList` instead of a fresh search per
    prediction: the same edges, in another order.

    Raises :class:`RolloutBlowUp` when a predicted state is unphysical or the ensemble
    cannot be kept; states yielded before stay valid.
    """
    check_start(simulator, start)
    typeids = simulator.typeids_for(start.type_names, start.typeids)
    update_velocities = ensemble.begin(start, simulator.step_time)
    neighbours = None if skin is None else NeighbourList(simulator.spec.model.cutoff, skin)
    state = start
    for prediction in range(1, n_predictions + 1):
        state = advance(simulator, state, typeids, update_velocities, prediction, neighbours)
        yield state


def advance(simulator: LearnedSimulator, state: Configuration, typeids, update_velocities: Step,
            prediction: int, neighbours: NeighbourList | None = None) -> Configuration:
    """The state one prediction (k MD steps) after ``state``: positions moved and wrapped
    with their image flags, the predicted velocities passed through ``update_velocities``
    (an ensemble's step). ``typeids`` are the simulator's (its ``typeids_for``);
    ``prediction`` counts from 1 and names the step in a :class:`RolloutBlowUp`."""
    overlap_distance = OVERLAP_FRACTION * simulator.spec.normalisation.closest_approach
    displacement, velocities, closest = simulator.predict(
        state.positions, state.velocities, state.box_lengths, typeids, state.masses,
        neighbours)
    if closest < overlap_distance:
        raise RolloutBlowUp(
            f"prediction {prediction - 1}: two atoms are {closest:.3g} apart, below "
            f"{overlap_distance:.3g} ({OVERLAP_FRACTION} x the closest approach in the "
            "training data); the rollout has left the physical regime")
    if not (np.all(np.isfinite(displacement)) and np.all(np.isfinite(velocities))):
        raise RolloutBlowUp(f"prediction {prediction}: non-finite position or velocity")
    positions, crossings = wrap(state.positions + displacement, state.box_lengths)
    state = replace(state, positions=positions, velocities=velocities,
                    images=state.images + crossings.astype(state.images.dtype),
                    step=state.step + simulator.spec.k_steps, energies={})
    try:
        return update_velocities(state)
    except EnsembleError as error:
        raise RolloutBlowUp(f"prediction {prediction}: {error}") from error


def rollout_until_blow_up(simulator: LearnedSimulator, start: Configuration,
                          n_predictions: int, ensemble: Ensemble = NVE()
                          ) -> tuple[list[Configuration], str | None]:
    """The predicted states after ``start`` and why the rollout stopped early (``None``
    when it completed all predictions)."""
    states = []
    try:
        for state in rollout_states(simulator, start, n_predictions, ensemble):
            states.append(state)
    except RolloutBlowUp as error:
        return states, str(error)
    return states, None


def rollout(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
            path: Path, metadata: dict, ensemble: Ensemble = NVE()) -> RolloutResult:
    """Write ``start`` and ``n_predictions`` predicted frames to the GSD file ``path``.

    ``metadata`` (units, system, provenance) goes into the sidecar with the MD step ``dt``
    and ``period_steps = k``, so analyses read the rollout like a ground-truth trajectory.
    A blow-up ends the file early and is recorded in the sidecar under ``blow_up``; any
    other error (or Ctrl-C) leaves no file behind, not even a partial one.
    """
    if n_predictions < 1:
        raise ValueError(f"n_predictions={n_predictions}: a rollout makes at least 1 "
                         "prediction")
    blow_up = None
    with TrajectoryWriter(path, period_steps=simulator.spec.k_steps) as writer:
        writer.append(start)
        try:
            for state in rollout_states(simulator, start, n_predictions, ensemble):
                writer.append(state)
        except RolloutBlowUp as error:
            blow_up = str(error)
        writer.commit(dict(metadata, dt=simulator.spec.dt, system=simulator.spec.system,
                           k_steps=simulator.spec.k_steps, n_predictions=n_predictions,
                           ensemble=ensemble_record(ensemble), blow_up=blow_up))
    return RolloutResult(n_frames=writer.n_frames, blow_up=blow_up)


def rollout_trajectory(simulator: LearnedSimulator, start: Configuration,
                       n_predictions: int, ensemble: Ensemble = NVE()) -> Trajectory:
    """The rollout held in memory as a :class:`Trajectory` (``start`` and each prediction,
    ``period_steps = k``), for analyses that read trajectories; a blow-up ends it early and
    its reason is in ``metadata.blow_up`` (``None`` when all predictions completed)."""
    states, blow_up = rollout_until_blow_up(simulator, start, n_predictions, ensemble)
    return states_as_trajectory(simulator, start, states, blow_up, n_predictions, ensemble)


def states_as_trajectory(simulator: LearnedSimulator, start: Configuration,
                         states: list[Configuration], blow_up: str | None, n_predictions: int,
                         ensemble: Ensemble = NVE(), metadata: dict | None = None
                         ) -> Trajectory:
    """``start`` and the ``states`` predicted from it (``n_predictions`` asked for, ended
    early by ``blow_up`` where not None) as a :class:`Trajectory` in memory, with the
    sidecar keys a rollout file would carry (and ``metadata``)."""
    return trajectory_from_configurations([start] + states, {
        **(metadata or {}), "dt": simulator.spec.dt, "period_steps": simulator.spec.k_steps,
        "system": simulator.spec.system, "k_steps": simulator.spec.k_steps,
        "n_predictions": n_predictions, "ensemble": ensemble_record(ensemble),
        "blow_up": blow_up})


def ensemble_record(ensemble: Ensemble) -> dict:
    """The ensemble's name and numeric settings, for a rollout's sidecar."""
    settings = {key: value for key, value in vars(ensemble).items()
                if isinstance(value, (int, float))}
    return {"name": ensemble.name, **settings}
