"""The training loss: how far one or more predictions land from the true later states.

:func:`batch_loss` is the mean squared error of the normalised velocity change and position
correction of a batch of pairs (optionally through a chain of the simulator's own
predictions, and with the kinetic-energy term of :mod:`~ogn_lib.learn.kinetic_loss`);
:func:`held_out_loss` is the noise-free loss on evenly spread pairs that the training
curves report as the test loss.
"""

from __future__ import annotations

import numpy as np
import torch

from ogn_lib.learn.graph import Graph, batch_graphs, build_graph
from ogn_lib.learn.kinetic_loss import kinetic_error
from ogn_lib.learn.noise import NoiseConfig, perturb
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.periodic import minimum_image, wrap


def batch_loss(simulator: LearnedSimulator, pairs: PairSet, pair_indices,
               noise: NoiseConfig | None = None, generator: torch.Generator | None = None,
               shard: slice = slice(None), forward=None, n_predictions: int = 1,
               weights: tuple[float, float] = (1.0, 1.0),
               kinetic: tuple[float, float] | None = None):
    """Mean squared error of the normalised velocity change and position correction,
    weighted by ``weights`` (velocity change, position correction); with ``kinetic``
    (weight, scale) plus the kinetic-energy error of each configuration
    (:func:`~ogn_lib.learn.kinetic_loss.kinetic_error`).

    With ``n_predictions`` > 1 the simulator is rolled out that many predictions from each
    configuration, its own output feeding the next (training through the rollout), and the
    loss is the mean over the chain. Each prediction's targets lead from the state the
    simulator reached to the true state, so its error is that of the predicted velocities
    and positions (in network units), and the gradient flows back through the chain. The
    graph of a predicted state is searched on its positions without gradient; its edge
    displacements are computed from them with it.

    The noise of every configuration of ``pair_indices`` is drawn, but only those of
    ``shard`` enter the loss (one process's share of a global batch); ``forward`` computes
    the outputs (default: the simulator; its DistributedDataParallel wrapper on several
    processes).
    """
    forward = simulator if forward is None else forward
    truths = [pairs.batch(pair_indices, ahead) for ahead in range(1, n_predictions + 1)]
    box = pairs.box_lengths
    positions = torch.as_tensor(truths[0].positions, dtype=torch.float64)
    velocities = torch.as_tensor(truths[0].velocities, dtype=torch.float32)
    position_noise = torch.zeros(positions.shape, dtype=torch.float32)
    if noise is not None and (noise.position_fraction or noise.velocity_fraction):
        norm = simulator.spec.normalisation
        positions, velocities, position_noise = perturb(
            positions, velocities, torch.as_tensor(box), noise, norm.correction_std,
            norm.velocity_std, generator)
        position_noise = position_noise.float()
    device = simulator.device
    positions, velocities = positions[shard], velocities[shard].to(device)
    n_configurations, n_atoms = velocities.shape[:2]
    typeids = simulator.typeids_for(pairs.type_names,
                                    np.tile(pairs.typeids, n_configurations)).to(device)
    masses = torch.as_tensor(pairs.masses, dtype=torch.float32, device=device)
    moved = torch.zeros(velocities.shape, device=device)
    """Predicted displacement since the first state, (B, N, 3)."""
    loss = 0.0
    for ahead, truth in enumerate(truths):
        graph = _graph_of_moved(positions, moved, box, simulator.spec.model.cutoff)
        target_dv, target_correction = simulator.normalised_targets(
            velocities, torch.as_tensor(truth.later_velocities[shard], dtype=torch.float32,
                                        device=device),
            (torch.as_tensor(truth.displacements, dtype=torch.float32) - position_noise
             )[shard].to(device) - moved)
        predicted_dv, predicted_correction = forward(graph, typeids, velocities.reshape(-1, 3))
        loss = loss + (weights[0] * (predicted_dv - target_dv.reshape(-1, 3)).square().mean()
                       + weights[1] * (predicted_correction - target_correction.reshape(-1, 3)
                                       ).square().mean())
        if kinetic is None and ahead + 1 == n_predictions:
            continue
        displacement, predicted_velocities = simulator.advance(
            velocities, predicted_dv.reshape(n_configurations, n_atoms, 3),
            predicted_correction.reshape(n_configurations, n_atoms, 3), masses)
        if kinetic is not None:
            loss = loss + kinetic[0] * kinetic_error(
                predicted_velocities, torch.as_tensor(truth.later_velocities[shard],
                                                      dtype=torch.float32, device=device),
                masses, kinetic[1])
        moved, velocities = moved + displacement, predicted_velocities
    return loss / n_predictions


def _graph_of_moved(positions: torch.Tensor, moved: torch.Tensor, box_lengths: np.ndarray,
                    cutoff: float) -> Graph:
    """The batched graph of configurations ``positions`` (B, N, 3; float64, wrapped) moved
    by ``moved`` (B, N, 3): neighbours searched without gradient, edge displacements
    differentiable in ``moved`` (all of them zero: the plain graph of ``positions``)."""
    if not moved.requires_grad and not moved.any():
        return batch_graphs([build_graph(p, box_lengths, cutoff)
                             for p in positions.numpy()]).to(moved.device)
    current, _ = wrap(positions + moved.detach().double().cpu(), torch.as_tensor(box_lengths))
    graph = batch_graphs([build_graph(p, box_lengths, cutoff) for p in current.numpy()])
    flat_positions, flat_moved = positions.reshape(-1, 3), moved.reshape(-1, 3)
    senders, receivers = graph.senders.to(moved.device), graph.receivers.to(moved.device)
    start = (flat_positions[graph.senders] - flat_positions[graph.receivers]).float().to(
        moved.device)
    raw = start + flat_moved[senders] - flat_moved[receivers]
    # The whole box lengths that minimum_image removes, found without gradient (floor
    # division has none) and subtracted from the differentiable displacement.
    folded = minimum_image(raw.detach(), torch.as_tensor(box_lengths, dtype=torch.float32,
                                                         device=moved.device))
    return Graph(senders, receivers, raw - (raw.detach() - folded), graph.n_atoms)


@torch.no_grad()
def held_out_loss(simulator: LearnedSimulator, pairs: PairSet, n_pairs: int,
              batch_size: int) -> float:
    """Noise-free loss on ``n_pairs`` pairs spread evenly through ``pairs``."""
    chosen = np.linspace(0, len(pairs) - 1, min(n_pairs, len(pairs))).astype(int)
    losses = [float(batch_loss(simulator, pairs, chosen[i:i + batch_size])) * len(
        chosen[i:i + batch_size]) for i in range(0, len(chosen), batch_size)]
    return sum(losses) / len(chosen)
