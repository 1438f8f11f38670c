"""Trivial simulators that a learned one must beat, with the same interface as a rollout.

- no motion: atoms stay where they are (the best guess once velocities have decorrelated,
  and a hard bar in a dense liquid over a cage time);
- constant velocity: atoms fly straight at their starting velocity (exact for short times).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from ogn_lib.configuration import Configuration
from ogn_lib.periodic import wrap


def no_motion(start: Configuration, n_predictions: int, k_steps: int) -> Iterator[Configuration]:
    """``start`` repeated, with the step counter advancing by ``k_steps``."""
    for prediction in range(1, n_predictions + 1):
        yield replace(start, step=start.step + prediction * k_steps, energies={})


def constant_velocity(start: Configuration, n_predictions: int, k_steps: int,
                      dt: float) -> Iterator[Configuration]:
    """Straight-line motion ``x + v t`` at the starting velocities, wrapped into the box."""
    for prediction in range(1, n_predictions + 1):
        elapsed = prediction * k_steps * dt
        positions, crossings = wrap(start.positions + start.velocities * elapsed,
                                    start.box_lengths)
        yield replace(start, positions=positions,
                      images=start.images + crossings.astype(start.images.dtype),
                      step=start.step + prediction * k_steps, energies={})
