"""Training noise: perturbed inputs teach the network to pull a drifting rollout back.

A rollout feeds the network its own slightly wrong predictions. As in GNS, training inputs
are perturbed and the targets still point at the true future state, so the network learns
to correct small errors instead of compounding them. Noise scales are given relative to the
quantities they perturb, so one setting carries over between unit systems.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ogn_lib.periodic import wrap


@dataclass(frozen=True)
class NoiseConfig:
    """Gaussian input noise.

    Attributes:
        position_fraction: position noise std as a fraction of the std of one prediction's
            position correction (the smallest length the network must get right).
        velocity_fraction: velocity noise std as a fraction of the velocity std.
    """

    position_fraction: float = 0.0
    velocity_fraction: float = 0.0

    def __post_init__(self):
        if self.position_fraction < 0 or self.velocity_fraction < 0:
            raise ValueError(f"{self}: noise fractions must be >= 0")


def perturb(positions, velocities, box_lengths, noise: NoiseConfig, position_scale: float,
            velocity_scale: float, generator: torch.Generator):
    """Noisy ``(positions, velocities, position_noise)``; positions stay wrapped in the box.

    ``position_noise`` is returned so the caller can aim the target displacement at the
    true future position from the noisy one.
    """
    position_noise = (torch.randn(positions.shape, generator=generator)
                      * noise.position_fraction * position_scale)
    velocity_noise = (torch.randn(velocities.shape, generator=generator)
                      * noise.velocity_fraction * velocity_scale)
    noisy_positions, _ = wrap(positions + position_noise, box_lengths)
    return noisy_positions, velocities + velocity_noise, position_noise
