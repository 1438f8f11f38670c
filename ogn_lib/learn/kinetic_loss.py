"""The kinetic-energy term of the training loss: a learned simulator's collective bias.

The per-atom loss (:func:`~ogn_lib.learn.loss.batch_loss`) does not see an error that
is small on every atom but shared by all of them. A velocity error with a component along
the velocity itself, ``-gamma v``, is such an error: it is friction, and over hundreds of
predictions it cools a raw NVE rollout by a fraction of its kinetic energy however small
the per-atom error. This term weighs the error of each configuration's kinetic energy
after one prediction,

    ((K_predicted - K_true) / s)^2,   K = sum_i m_i |v_i|^2 / 2,

where ``s``, the root mean square of the true kinetic-energy change over one prediction in
the training data, makes 1 mean "no skill", as in the rest of the loss.
"""

from __future__ import annotations

import numpy as np
import torch

from ogn_lib.learn.pairs import PairSet

SCALE_PAIRS = 200
"""Evenly spread pairs over which :func:`kinetic_change_scale` is measured."""


def kinetic_energies(velocities, masses):
    """Kinetic energy of each configuration, ``(B,)``, from velocities ``(B, N, 3)`` and
    masses ``(N,)`` (arrays or tensors alike)."""
    return 0.5 * (masses[:, None] * velocities**2).sum((-2, -1))


def kinetic_change_scale(pairs: PairSet, max_pairs: int = SCALE_PAIRS) -> float:
    """Root mean square of the true change of a configuration's kinetic energy over one
    prediction (k MD steps), over up to ``max_pairs`` evenly spread pairs (energy unit)."""
    chosen = np.linspace(0, len(pairs) - 1, min(max_pairs, len(pairs))).astype(int)
    batch = pairs.batch(chosen)
    change = (kinetic_energies(batch.later_velocities, pairs.masses)
              - kinetic_energies(batch.velocities, pairs.masses))
    scale = float(np.sqrt(np.mean(change**2)))
    if not scale > 0:
        raise ValueError("the training data's kinetic energy never changes over one "
                         "prediction; the kinetic-energy term needs dynamics to learn from")
    return scale


def kinetic_error(predicted_velocities: torch.Tensor, true_velocities: torch.Tensor,
                  masses: torch.Tensor, scale: float) -> torch.Tensor:
    """Mean over configurations of the squared kinetic-energy error over ``scale``."""
    return ((kinetic_energies(predicted_velocities, masses)
             - kinetic_energies(true_velocities, masses)) / scale).square().mean()
