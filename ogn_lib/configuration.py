"""One atomic configuration: what an MD engine or a learned simulator holds at one step."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ogn_lib.periodic import unwrap


@dataclass
class Configuration:
    """Positions, velocities and identities of atoms in an orthorhombic periodic box.

    Units are those of the system that produced it (``System.units``): lengths in sigma
    (LJ) or Angstrom, velocities in length per that unit system's time.

    Attributes:
        box_lengths: ``(3,)`` box edges ``(Lx, Ly, Lz)``.
        positions: ``(N, 3)`` wrapped into ``[-L/2, L/2)`` (HOOMD convention).
        velocities: ``(N, 3)``.
        images: ``(N, 3)`` integer image flags; unwrapped = positions + images * L.
        typeids: ``(N,)`` index into ``type_names``.
        type_names: species names, e.g. ``("A", "B")`` or ``("Si", "O")``.
        masses: ``(N,)`` atom masses in the system's mass unit.
        step: MD step counter of this configuration.
        energies: scalar thermodynamic quantities under HOOMD-blue's log names
            (see :data:`ogn_lib.data.trajectory.LOG_KEYS`), empty when not known.
    """

    box_lengths: np.ndarray
    positions: np.ndarray
    velocities: np.ndarray
    images: np.ndarray
    typeids: np.ndarray
    type_names: tuple[str, ...]
    masses: np.ndarray
    step: int = 0
    energies: dict[str, float] = field(default_factory=dict)

    def __post_init__(self):
        n_atoms = len(self.positions)
        for name, shape in (("positions", (n_atoms, 3)), ("velocities", (n_atoms, 3)),
                            ("images", (n_atoms, 3)), ("typeids", (n_atoms,)),
                            ("masses", (n_atoms,)), ("box_lengths", (3,))):
            value = np.asarray(getattr(self, name))
            if value.shape != shape:
                raise ValueError(
                    f"Configuration.{name} has shape {value.shape}, expected {shape} for "
                    f"{n_atoms} atoms: pass one row per atom")
        if n_atoms and int(np.max(self.typeids)) >= len(self.type_names):
            raise ValueError(
                f"typeid {int(np.max(self.typeids))} has no name in type_names "
                f"{self.type_names}: give one name per type")

    @property
    def n_atoms(self) -> int:
        return len(self.positions)

    @property
    def unwrapped_positions(self) -> np.ndarray:
        return unwrap(self.positions, self.images, self.box_lengths)


def typeids_by_name(type_names, typeids: np.ndarray, known_names, refusal: str) -> np.ndarray:
    """``typeids`` (indices into ``type_names``) as indices into ``known_names``, matched
    by name. Types missing from ``known_names`` raise ``ValueError("atom types [...] are
    unknown to " + refusal)``."""
    unknown = [name for name in type_names if name not in known_names]
    if unknown:
        raise ValueError(f"atom types {unknown} are unknown to {refusal}")
    lookup = np.array([list(known_names).index(name) for name in type_names], dtype=np.int64)
    return lookup[np.asarray(typeids)]
