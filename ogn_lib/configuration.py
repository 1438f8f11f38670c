"""One atomic configuration: what an MD engine or a learned simulator holds at one step."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ogn_lib.periodic import unwrap, wrap


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


def first_non_finite(configuration: Configuration) -> tuple[str, int] | None:
    """``("positions" or "velocities", atom index)`` of the first atom whose position or
    velocity is not a finite number, or None when every one is."""
    for name in ("positions", "velocities"):
        bad = np.flatnonzero(~np.isfinite(getattr(configuration, name)).all(axis=1))
        if len(bad):
            return name, int(bad[0])
    return None


def typeids_by_name(type_names, typeids: np.ndarray, known_names, refusal: str) -> np.ndarray:
    """``typeids`` (indices into ``type_names``) as indices into ``known_names``, matched
    by name. Types missing from ``known_names`` raise ``ValueError("atom types [...] are
    unknown to " + refusal)``."""
    unknown = [name for name in type_names if name not in known_names]
    if unknown:
        raise ValueError(f"atom types {unknown} are unknown to {refusal}")
    lookup = np.array([list(known_names).index(name) for name in type_names], dtype=np.int64)
    return lookup[np.asarray(typeids)]


def tiled(configuration: Configuration, replicas: int) -> Configuration:
    """``configuration`` repeated ``replicas`` times along each box edge: ``replicas**3``
    copies of every atom, shifted by whole box lengths, in a box ``replicas`` times as
    long, wrapped into ``[-L/2, L/2)`` with zero image flags. Each atom keeps its
    neighbourhood (a periodic copy sees the same neighbours), so a large liquid costs what a
    large liquid costs, without a new equilibration."""
    if not isinstance(replicas, (int, np.integer)) or replicas < 1:
        raise ValueError(f"replicas={replicas!r}: give a whole number of copies per edge, "
                         "at least 1")
    lengths = np.asarray(configuration.box_lengths, dtype=np.float64)
    shifts = np.stack(np.meshgrid(*[np.arange(replicas)] * 3, indexing="ij"),
                      axis=-1).reshape(-1, 3) * lengths
    new_lengths = lengths * replicas
    positions, _ = wrap((np.asarray(configuration.positions, dtype=np.float64)[None]
                         + shifts[:, None]).reshape(-1, 3), new_lengths)
    count = replicas ** 3
    return Configuration(
        box_lengths=new_lengths, positions=positions,
        velocities=np.tile(np.asarray(configuration.velocities), (count, 1)),
        images=np.zeros((count * configuration.n_atoms, 3), dtype=np.int32),
        typeids=np.tile(np.asarray(configuration.typeids), count),
        type_names=configuration.type_names,
        masses=np.tile(np.asarray(configuration.masses), count), step=configuration.step)
