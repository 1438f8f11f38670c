"""Scores of one predicted state against the true one, and of one prediction step.

Per-atom position RMSE (minimum image, so wrapping never counts as an error) and velocity
RMSE, the kinetic temperature, and the share of the variance of the true velocity change
that one prediction explains. :mod:`ogn_lib.studies.accuracy_curves` applies them along
whole rollouts, beside the baselines.
"""

from __future__ import annotations

import numpy as np
import torch

from ogn_lib import thermo
from ogn_lib.configuration import Configuration
from ogn_lib.data.trajectory import Trajectory, frame_stride
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.periodic import minimum_image


def per_atom_rmse(errors: np.ndarray) -> float:
    """Root mean square over atoms of the length of ``(N, 3)`` error vectors."""
    return float(np.sqrt(np.mean(np.sum(errors**2, axis=1))))


def position_rmse(predicted: Configuration, truth: Configuration) -> float:
    """Per-atom RMSE of the minimum-image position error (length unit)."""
    return per_atom_rmse(minimum_image(predicted.positions - truth.positions,
                                       truth.box_lengths))


def velocity_rmse(predicted: Configuration, truth: Configuration) -> float:
    """Per-atom RMSE of the velocity error (velocity unit)."""
    return per_atom_rmse(predicted.velocities - truth.velocities)


def kinetic_temperature(configuration: Configuration) -> float:
    """k_B T from the thermal kinetic energy with 3N - 3 degrees of freedom, in mass x
    velocity^2 (the energy unit in LJ units; ratios of temperatures need no conversion)."""
    return thermo.kinetic_temperature(configuration.masses, configuration.velocities)


@torch.no_grad()
def velocity_change_r2(simulator: LearnedSimulator, truth: Trajectory,
                       start_frames) -> float:
    """Coefficient of determination of one predicted velocity change against the true
    ``v(t + k dt) - v(t)``, pooled over atoms, axes and the given start frames."""
    stride = frame_stride(truth, simulator.spec.k_steps)
    device = simulator.device
    typeids = simulator.typeids_for(truth.type_names, truth.typeids).to(device)
    masses = torch.as_tensor(truth.masses, dtype=torch.float32, device=device)
    predicted, actual = [], []
    for frame in start_frames:
        velocities = torch.as_tensor(truth.velocities[frame], dtype=torch.float32,
                                     device=device)
        graph = simulator.graph_of(truth.positions[frame], truth.box_lengths).to(device)
        _, new_velocities = simulator.step(graph, typeids, velocities, masses)
        predicted.append((new_velocities - velocities).cpu().numpy())
        actual.append(truth.velocities[frame + stride] - truth.velocities[frame])
    predicted, actual = np.concatenate(predicted), np.concatenate(actual)
    return float(1.0 - np.sum((predicted - actual)**2)
                 / np.sum((actual - actual.mean(axis=0))**2))


def kinetic_energy_error(simulator: LearnedSimulator, truth: Trajectory,
                         start_frames) -> np.ndarray:
    """The kinetic energy (about the centre of mass) after one prediction from each true
    state of ``start_frames``, less the true one, over the true one: a mean below zero is friction, which cools a raw
    NVE rollout by about that fraction per prediction (:mod:`ogn_lib.learn.kinetic_loss`)."""
    stride = frame_stride(truth, simulator.spec.k_steps)
    typeids = simulator.typeids_for(truth.type_names, truth.typeids)
    errors = []
    for frame in start_frames:
        _, velocities, _ = simulator.predict(truth.positions[frame], truth.velocities[frame],
                                             truth.box_lengths, typeids, truth.masses)
        true = thermo.thermal_kinetic_energy(truth.masses, truth.velocities[frame + stride])
        errors.append((thermo.thermal_kinetic_energy(truth.masses, velocities) - true) / true)
    return np.array(errors)
