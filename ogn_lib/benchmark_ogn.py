"""Benchmark: rollout speed of trained OGNs next to LAMMPS, on the same system and sizes.

A trained simulator is applied to a configuration tiled ``n x n x n`` times (the OGN is
local, so a tiled box is a valid larger liquid). Speed is in atom-MD-steps per second of
simulated time: one prediction of k MD steps for N atoms counts N k. LAMMPS runs the same
system at the same atom count in the same process (:func:`ogn_lib.benchmark_md.benchmark_system`).
Memory is the process's peak resident set after each size, sizes in increasing order.
"""

from __future__ import annotations

import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch

from ogn_lib.configuration import Configuration
from ogn_lib.simulator import LearnedSimulator


def tiled(configuration: Configuration, replicas: int) -> Configuration:
    """The configuration repeated ``replicas`` times along each axis of a larger box."""
    box = configuration.box_lengths
    shifts = np.stack(np.meshgrid(*[np.arange(replicas)] * 3, indexing="ij"), -1).reshape(-1, 3)
    positions = (configuration.positions[None] + box / 2 + shifts[:, None] * box).reshape(-1, 3)
    big_box = box * replicas
    repeat = len(shifts)
    return replace(configuration, box_lengths=big_box, positions=positions - big_box / 2,
                   velocities=np.tile(configuration.velocities, (repeat, 1)),
                   images=np.zeros((repeat * configuration.n_atoms, 3), dtype=np.int32),
                   typeids=np.tile(configuration.typeids, repeat),
                   masses=np.tile(configuration.masses, repeat), energies={})


def peak_memory_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def time_rollout(simulator: LearnedSimulator, configuration: Configuration,
                 n_predictions: int) -> dict:
    """Seconds per prediction (after one warm-up) and the graph's edges per atom."""
    typeids = simulator.typeids_for(configuration.type_names, configuration.typeids)
    state = (configuration.positions, configuration.velocities)
    simulator.predict(*state, configuration.box_lengths, typeids, configuration.masses)
    started = time.perf_counter()
    for _ in range(n_predictions):
        simulator.predict(*state, configuration.box_lengths, typeids, configuration.masses)
    seconds = (time.perf_counter() - started) / n_predictions
    n_atoms = configuration.n_atoms
    return {"n_atoms": n_atoms, "k_steps": simulator.spec.k_steps,
            "seconds_per_prediction": seconds,
            "atom_steps_per_s": n_atoms * simulator.spec.k_steps / seconds,
            "peak_memory_gib": peak_memory_gib()}


def benchmark(simulators: dict[str, LearnedSimulator], start: Configuration,
              replicas: tuple[int, ...], n_predictions: int = 3,
              lammps_steps: int | None = 200) -> list[dict]:
    """Rows ``{model, n_atoms, atom_steps_per_s, ...}`` per simulator and size, with the
    LAMMPS rate at the same size and the ratio OGN / LAMMPS when ``lammps_steps`` is set."""
    rows = []
    with torch.no_grad(), tempfile.TemporaryDirectory() as folder:
        for n in replicas:
            configuration = tiled(start, n)
            lammps_rate = None
            if lammps_steps:
                from ogn_lib.benchmark_md import benchmark_system
                system = next(iter(simulators.values())).spec.system
                lammps_rate = benchmark_system(system, configuration.n_atoms, lammps_steps,
                                               Path(folder))["bare_atom_steps_per_s"]
            for name, simulator in simulators.items():
                row = {"model": name, **time_rollout(simulator, configuration, n_predictions)}
                if lammps_rate:
                    row.update(lammps_atom_steps_per_s=lammps_rate,
                               ogn_over_lammps=row["atom_steps_per_s"] / lammps_rate)
                rows.append(row)
    return rows
