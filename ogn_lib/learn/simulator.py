"""The learned simulator: physical states in, positions and velocities k MD steps later out.

This is where the network's normalised outputs become physics (the integrator lives here,
in a few lines). Over k MD steps of length dt the simulator predicts the velocity change
``delta_v`` and a position correction, and advances

    v(t + k dt) = v + delta_v
    x(t + k dt) = x + k dt (v + delta_v / 2) + correction,

the trapezoidal (velocity-Verlet-like) update plus a learned correction, so the predicted
displacement and the predicted velocity are consistent to second order and the network
only learns what constant acceleration does not explain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from ogn_lib.configuration import typeids_by_name
from ogn_lib.learn.graph import NeighbourList, build_graph
from ogn_lib.learn.network import ModelConfig, OGNNetwork

NetworkFactory = Callable[[ModelConfig], nn.Module]
"""What builds a simulator's network from its :class:`ModelConfig` (:class:`OGNNetwork`,
or a variant with the same inputs and outputs)."""


def trapezoid_displacement(velocities, delta_v, step_time: float):
    """``k dt (v + delta_v / 2)``: the displacement over ``step_time`` if the velocity
    changes by ``delta_v`` at a constant rate. NumPy arrays or torch tensors alike."""
    return step_time * (velocities + 0.5 * delta_v)


def trapezoid_correction(displacements, velocities, delta_v, step_time: float):
    """What the trapezoidal update misses: ``dx - k dt (v + delta_v / 2)``, the position
    correction the network learns. NumPy arrays or torch tensors alike."""
    return displacements - trapezoid_displacement(velocities, delta_v, step_time)


@dataclass(frozen=True)
class Normalisation:
    """Training-set scales, stored in the checkpoint. Scalars (not per axis) because the
    network is rotation equivariant and the liquid isotropic.

    Attributes:
        velocity_std: standard deviation of a velocity component (length/time).
        delta_velocity_std: of a component of ``v(t + k dt) - v(t)``.
        correction_std: of a component of ``dx - k dt (v + delta_v / 2)`` (length).
        closest_approach: smallest pair distance seen in the training data (length); a
            rollout with atoms much closer than this has blown up.
    """

    velocity_std: float
    delta_velocity_std: float
    correction_std: float
    closest_approach: float


@dataclass(frozen=True)
class SimulatorSpec:
    """Everything that fixes what a trained simulator means; a checkpoint must match it."""

    system: str
    type_names: tuple[str, ...]
    k_steps: int
    dt: float
    """MD step in the system's time unit; one prediction covers ``k_steps * dt``."""
    model: ModelConfig
    normalisation: Normalisation

    def to_dict(self) -> dict:
        return {**asdict(self), "model": self.model.to_dict()}

    @classmethod
    def from_dict(cls, payload: dict) -> SimulatorSpec:
        """The spec a checkpoint stores, checked: a stride that is a whole number of MD
        steps, at least 1, and a positive finite MD step (ValueError otherwise)."""
        k_steps, dt = payload["k_steps"], payload["dt"]
        if (isinstance(k_steps, bool) or not isinstance(k_steps, (int, float))
                or not float(k_steps).is_integer() or k_steps < 1):
            raise ValueError(f"k = {k_steps!r} MD steps per prediction; a stride is a whole "
                             "number of MD steps, at least 1")
        if (isinstance(dt, bool) or not isinstance(dt, (int, float))
                or not np.isfinite(dt) or dt <= 0):
            raise ValueError(f"dt = {dt!r}; the MD step is a positive finite time")
        return cls(system=payload["system"], type_names=tuple(payload["type_names"]),
                   k_steps=int(k_steps), dt=float(dt),
                   model=ModelConfig(**payload["model"]),
                   normalisation=Normalisation(**payload["normalisation"]))


class LearnedSimulator(nn.Module):
    """A network with the normalisation and integrator of its :class:`SimulatorSpec`.

    ``network`` maps ``(graph, typeids, normalised velocities)`` to the normalised
    ``(delta_v, correction)``; by default a new :class:`OGNNetwork` of ``spec.model``.
    """

    def __init__(self, spec: SimulatorSpec, network: nn.Module | None = None):
        super().__init__()
        self.spec = spec
        self.network = OGNNetwork(spec.model) if network is None else network

    @property
    def device(self) -> torch.device:
        """Where the network's weights are (``simulator.to(device)`` moves them)."""
        return next(self.network.parameters()).device

    @property
    def step_time(self) -> float:
        """Time covered by one prediction, ``k dt``."""
        return self.spec.k_steps * self.spec.dt

    def typeids_for(self, type_names: tuple[str, ...], typeids: np.ndarray) -> torch.Tensor:
        """Map a configuration's type ids onto this simulator's, by type name."""
        return torch.from_numpy(typeids_by_name(
            type_names, typeids, self.spec.type_names,
            f"this simulator, trained on {self.spec.type_names} ({self.spec.system}); use a "
            "model trained on them"))

    def normalised_targets(self, velocities, later_velocities, displacements):
        """``(delta_v, correction)`` in network units from true states (torch tensors)."""
        norm = self.spec.normalisation
        delta_v = later_velocities - velocities
        correction = trapezoid_correction(displacements, velocities, delta_v, self.step_time)
        return delta_v / norm.delta_velocity_std, correction / norm.correction_std

    def network_outputs(self, graph, typeids, velocities):
        """Normalised ``(delta_v, correction)`` predicted from physical velocities."""
        return self.network(graph, typeids, velocities / self.spec.normalisation.velocity_std)

    def forward(self, graph, typeids, velocities):
        """:meth:`network_outputs`; calling the simulator is what DistributedDataParallel
        wraps when training runs on several processes."""
        return self.network_outputs(graph, typeids, velocities)

    def advance(self, velocities, normalised_delta_v, normalised_correction, masses):
        """Physical ``(displacement, new_velocities)`` from network outputs; the velocity
        change is made to conserve total momentum, as the true dynamics does. Tensors of
        shape ``(N, 3)``, or ``(B, N, 3)`` for ``B`` configurations of the same ``N`` atoms
        (each conserves its own momentum); ``masses`` is ``(N,)``."""
        norm = self.spec.normalisation
        delta_v = normalised_delta_v * norm.delta_velocity_std
        momentum_change = ((masses.unsqueeze(-1) * delta_v).sum(-2, keepdim=True)
                           / masses.sum())
        delta_v = delta_v - momentum_change
        displacement = (trapezoid_displacement(velocities, delta_v, self.step_time)
                        + normalised_correction * norm.correction_std)
        return displacement, velocities + delta_v

    def graph_of(self, positions: np.ndarray, box_lengths: np.ndarray,
                 neighbours: NeighbourList | None = None):
        """The neighbour graph of one configuration at this simulator's cutoff (on the CPU),
        from ``neighbours`` (a rollout's list with a skin) when given."""
        if neighbours is None:
            return build_graph(positions, box_lengths, self.spec.model.cutoff)
        if neighbours.cutoff != self.spec.model.cutoff:
            raise ValueError(f"neighbour list of cutoff {neighbours.cutoff}, not this "
                             f"simulator's {self.spec.model.cutoff}; make it with the "
                             "simulator's cutoff")
        return neighbours.graph(positions, box_lengths)

    def step(self, graph, typeids, velocities, masses):
        """One prediction as tensors on the simulator's device: the network, then
        :meth:`advance`; ``(displacement, new_velocities)`` in physical units."""
        delta_v, correction = self.network_outputs(graph, typeids, velocities)
        return self.advance(velocities, delta_v, correction, masses)

    @torch.no_grad()
    def predict(self, positions: np.ndarray, velocities: np.ndarray, box_lengths: np.ndarray,
                typeids: torch.Tensor, masses: np.ndarray,
                neighbours: NeighbourList | None = None):
        """One prediction for one configuration: ``(displacement, new_velocities,
        closest_distance)`` as float64 NumPy arrays and a float; the graph comes from
        ``neighbours`` when given (:meth:`graph_of`)."""
        n_atoms = len(positions)
        if np.shape(positions) != (n_atoms, 3) or np.shape(velocities) != (n_atoms, 3):
            raise ValueError(f"positions {np.shape(positions)} and velocities "
                             f"{np.shape(velocities)} must both be (N, 3)")
        graph = self.graph_of(positions, box_lengths, neighbours)
        device = self.device
        displacement, new_velocities = self.step(
            graph.to(device), typeids.to(device),
            torch.as_tensor(velocities, dtype=torch.float32, device=device),
            torch.as_tensor(masses, dtype=torch.float32, device=device))
        closest = float(graph.displacements.norm(dim=-1).min()) if graph.n_edges else np.inf
        return (displacement.double().cpu().numpy(), new_velocities.double().cpu().numpy(),
                closest)
