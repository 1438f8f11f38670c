"""What every MD engine sets up alike, so that a protocol starts the same on any of them:
the devices it may run on, the closest spacing of a random start, the cubic box a loaded
configuration must have, and the neighbour-list skin.

The engines (:mod:`ogn_lib.md.lammps`, :mod:`ogn_lib.md.hoomd_engine`) import it; it
imports none of them.
"""

from __future__ import annotations

import freud
import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.md.systems import System

DEVICES = ("cpu", "gpu")
"""Where a simulation may run; each engine says which of them it can use here
(:func:`ogn_lib.md.engines.check_device`)."""

MIN_SPACING_FRACTION = 0.75
"""No two atoms of a random start closer than this fraction of the mean spacing, in every
engine (LAMMPS: ``create_atoms ... overlap``; HOOMD-blue and the benchmarks:
:func:`random_sequential_positions`)."""


def check_device_name(device: str) -> None:
    """Raise a one-line error unless ``device`` is one of :data:`DEVICES`."""
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}: choose one of {', '.join(DEVICES)}")


def neighbour_skin(system: System) -> float:
    """Neighbour-list skin (buffer) of every engine, in the system's length unit: 0.3 sigma
    for LJ units, 2 Angstrom otherwise."""
    return 0.3 if system.units.name == "lj" else 2.0


def cubic_box_length(system: System, configuration: Configuration) -> float:
    """The box edge (system's length unit) of a configuration that an engine can load as
    ``system``: its box must be cubic and its type names the system's."""
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
    and keeps those with no kept atom, and no earlier proposal, within ``min_distance``.

    Lengths in one unit (the system's); positions in the box centred on the origin,
    ``[-box_length / 2, box_length / 2)``.
    """
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
