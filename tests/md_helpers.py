"""Small ground-truth runs shared by the MD tests."""

from __future__ import annotations

from pathlib import Path

from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.md.protocols import LiquidProtocol
from ogn_lib.md.systems import SYSTEMS

SMALL_ATOMS = {"lj": 265, "silica": 375, "si": 216, "cuzr": 250}


def small_trajectory(folder: Path, name: str, production_steps: int = 20,
                     equilibration_steps: int = 300, seed: int = 3, period: int = 1):
    """Run a small liquid of ``name`` and read its GSD back."""
    system = SYSTEMS[name]
    protocol = LiquidProtocol(SMALL_ATOMS[name], system.temperature, system.number_density,
                              equilibration_steps, production_steps)
    path = Path(folder) / f"{name}-{seed}.gsd"
    with TrajectoryWriter(path, period) as writer:
        protocol.run(system, seed, writer)
        writer.commit({"system": name, "dt": system.dt})
    return read_trajectory(path)
