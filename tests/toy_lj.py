"""A toy two-species Lennard-Jones liquid simulated in NumPy, for tests that need real
dynamics without the MD engine or generated data."""

from __future__ import annotations

import numpy as np

from ogn_lib.data.sidecar import TrajectoryMetadata
from ogn_lib.data.trajectory import Trajectory
from ogn_lib.periodic import minimum_image, wrap

N_ATOMS = 32
BOX_LENGTH = (N_ATOMS / 1.2) ** (1.0 / 3.0)  # 2.99 at the KA-LJ density 1.2
PAIR_CUTOFF = 1.4
DT = 0.002


def _pairs(positions, typeids, box_lengths):
    """Pair epsilon, (sigma/r)^6 within the cutoff, separations and squared distances."""
    epsilon = np.array([[1.0, 1.5], [1.5, 0.5]])[typeids][:, typeids]
    sigma = np.array([[1.0, 0.8], [0.8, 0.88]])[typeids][:, typeids]
    d = minimum_image(positions[None, :, :] - positions[:, None, :], box_lengths)
    r2 = np.sum(d**2, axis=-1)
    np.fill_diagonal(r2, np.inf)
    s6 = np.where(r2 < PAIR_CUTOFF**2, (sigma**2 / r2) ** 3, 0.0)
    return epsilon, s6, d, r2


def potential_energy(positions, typeids, box_lengths) -> float:
    """Total (unshifted, truncated) pair energy."""
    epsilon, s6, _, _ = _pairs(positions, typeids, box_lengths)
    return float(0.5 * np.sum(4 * epsilon * (s6**2 - s6)))


def forces(positions, typeids, box_lengths):
    epsilon, s6, d, r2 = _pairs(positions, typeids, box_lengths)
    magnitude = 24 * epsilon * (2 * s6**2 - s6) / r2
    return -np.sum(magnitude[:, :, None] * d, axis=1)


def toy_trajectory(seed: int = 0, n_frames: int = 30, temperature: float = 1.0,
                   system: str = "toy-lj", with_energies: bool = False) -> Trajectory:
    """``n_frames`` consecutive MD steps of an equilibrated 32-atom A/B liquid, with each
    frame's potential energy if ``with_energies``."""
    rng = np.random.default_rng(seed)
    box = np.full(3, BOX_LENGTH)
    typeids = np.array([0] * 26 + [1] * 6)
    grid = np.arange(4)
    sites = np.stack(np.meshgrid(grid, grid, grid, indexing="ij"), -1).reshape(-1, 3)
    positions = sites[rng.choice(64, N_ATOMS, replace=False)] * BOX_LENGTH / 4 - box / 2
    velocities = rng.normal(0.0, np.sqrt(temperature), (N_ATOMS, 3))
    images = np.zeros((N_ATOMS, 3), dtype=np.int32)
    force = forces(positions, typeids, box)
    frames = []
    for step in range(300 + n_frames):
        if step >= 300:
            frames.append((positions.copy(), velocities.copy(), images.copy()))
        velocities = velocities + 0.5 * DT * np.clip(force, -1e3, 1e3)
        positions, crossings = wrap(positions + DT * velocities, box)
        images = images + crossings.astype(np.int32)
        force = forces(positions, typeids, box)
        velocities = velocities + 0.5 * DT * np.clip(force, -1e3, 1e3)
        if step < 300 and step % 10 == 0:
            velocities -= velocities.mean(axis=0)
            velocities *= np.sqrt(temperature * (3 * N_ATOMS - 3) / np.sum(velocities**2))
    positions, velocities, images = (np.stack(column) for column in zip(*frames))
    return Trajectory(
        box_lengths=box, positions=positions.astype(np.float32),
        velocities=velocities.astype(np.float32), images=images,
        steps=np.arange(n_frames), typeids=typeids, type_names=("A", "B"),
        masses=np.ones(N_ATOMS),
        energies={"potential_energy": np.array([potential_energy(p, typeids, box)
                                                for p in positions])} if with_energies else {},
        metadata=TrajectoryMetadata(system=system, dt=DT, period_steps=1, n_frames=n_frames,
                                    units="lj"))
