"""ASE's ``Atoms`` to and from ogn's configurations, with their units converted.

ASE measures length in Angstrom, energy in eV, mass in amu and time in its own unit
(Angstrom sqrt(amu/eV), about 10.18 fs); ogn keeps every quantity in the LAMMPS unit system
of its system (:mod:`ogn_lib.units`). :class:`AseScale` holds the ASE value of one unit of
each quantity: ``metal`` and ``real`` are physical units and convert exactly; ``lj`` units
are reduced, and map onto ASE through a length, an energy and a mass scale
(:class:`LennardJonesScale`; by default 1 Angstrom, 1 eV and 1 amu, so that the numbers
stay the same and one tau is one ASE time unit).

An ``Atoms`` made here holds the unwrapped positions of the configuration, shifted into
the cell ``[0, L)`` that ASE's cells span (ASE integrators keep positions unwrapped too),
its velocities (as momenta), masses, the type of each atom as its tag, and in ``info`` the
type names (``ogn_type_names``) and the MD step (``step``). Species that are chemical
elements are its symbols; others (the Lennard-Jones ``A`` and ``B``) are ``X``. Read back,
the positions are wrapped into ogn's ``[-L/2, L/2)`` with image flags, so a GSD frame that
goes through ``Atoms`` comes back to the bit.

:func:`read_ase_frames` reads every file ASE reads that holds velocities (extended XYZ, ASE
trajectories, LAMMPS data files). LAMMPS text dumps stay with ogn's own reader
(:func:`ogn_lib.data.imports.read_lammps_dump`): ASE's ignores the image flags ``ix iy iz``
(an atom that crosses the box jumps a box length), has no ``lj`` units, and names the
numbered types as elements (type 1 becomes hydrogen).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.periodic import wrap
from ogn_lib.units import UNIT_SYSTEMS

if TYPE_CHECKING:  # ASE takes a second to import: it loads when an Atoms is made or read
    import ase

TYPE_NAMES_KEY = "ogn_type_names"
"""``Atoms.info`` key of the type names, in type-id order, separated by spaces."""
STEP_KEY = "step"
"""``Atoms.info`` key of the MD step (ASE's LAMMPS-dump reader calls it ``timestep``)."""
ASE_FORMATS = {"extxyz": "extxyz", "traj": "traj", "lammps-data": "lammps-data"}
"""ogn's format name -> ASE's, for the files :func:`read_ase_frames` reads."""


@dataclass(frozen=True)
class LennardJonesScale:
    """What one reduced Lennard-Jones unit is in physical units: ``sigma_angstrom`` (the
    length), ``epsilon_ev`` (the energy) and ``mass_amu`` (the mass); argon is
    3.405 Angstrom, 0.0103 eV, 39.948 amu."""

    sigma_angstrom: float = 1.0
    epsilon_ev: float = 1.0
    mass_amu: float = 1.0

    def __post_init__(self):
        values = (self.sigma_angstrom, self.epsilon_ev, self.mass_amu)
        if not all(0 < value < math.inf for value in values):
            raise ValueError(f"Lennard-Jones scale {values}: sigma (Angstrom), epsilon (eV) "
                             "and the mass (amu) must be positive finite numbers")


REDUCED = LennardJonesScale()
"""1 sigma = 1 Angstrom, 1 epsilon = 1 eV, 1 m = 1 amu: the numbers of an lj run unchanged."""


@dataclass(frozen=True)
class AseScale:
    """The ASE value of one unit of a LAMMPS unit system: ``length`` (Angstrom per length
    unit), ``time`` (ASE time units per time unit), ``mass`` (amu per mass unit) and
    ``energy`` (eV per energy unit)."""

    length: float
    time: float
    mass: float
    energy: float

    @property
    def velocity(self) -> float:
        """ASE velocity (Angstrom per ASE time unit) per velocity unit."""
        return self.length / self.time


def ase_scale(units: str, lennard_jones: LennardJonesScale = REDUCED) -> AseScale:
    """The :class:`AseScale` of the LAMMPS unit system ``units`` (``lj`` through
    ``lennard_jones``; tau = sigma sqrt(m / epsilon))."""
    import ase.units

    if units not in UNIT_SYSTEMS:
        raise ValueError(f"units {units!r}: give the LAMMPS unit system, one of "
                         f"{', '.join(UNIT_SYSTEMS)}")
    if units == "metal":
        return AseScale(length=1.0, time=1000 * ase.units.fs, mass=1.0, energy=1.0)
    if units == "real":
        return AseScale(length=1.0, time=ase.units.fs, mass=1.0,
                        energy=ase.units.kcal / ase.units.mol)
    scale = lennard_jones
    return AseScale(length=scale.sigma_angstrom,
                    time=scale.sigma_angstrom * math.sqrt(scale.mass_amu / scale.epsilon_ev),
                    mass=scale.mass_amu, energy=scale.epsilon_ev)


def atoms_from_configuration(configuration: Configuration, units: str,
                             lennard_jones: LennardJonesScale = REDUCED) -> ase.Atoms:
    """``configuration`` (in the LAMMPS unit system ``units``) as an ``Atoms`` in ASE's
    units (see the module's docstring for what goes where)."""
    import ase
    from ase.data import chemical_symbols

    scale = ase_scale(units, lennard_jones)
    names = tuple(configuration.type_names)
    spaced = [name for name in names if not name or any(c.isspace() for c in name)]
    if spaced:
        raise ValueError(f"type names {spaced}: an Atoms object keeps names without spaces; "
                         "rename the types")
    box = np.asarray(configuration.box_lengths, dtype=np.float64)
    typeids = np.asarray(configuration.typeids, dtype=np.int64)
    symbols = [name if name in chemical_symbols[1:] else "X" for name in names]
    unwrapped = (np.asarray(configuration.positions, dtype=np.float64) + box / 2
                 + np.asarray(configuration.images, dtype=np.float64) * box)
    atoms = ase.Atoms(symbols=[symbols[typeid] for typeid in typeids],
                      positions=unwrapped * scale.length, cell=box * scale.length, pbc=True,
                      tags=typeids,
                      masses=np.asarray(configuration.masses, dtype=np.float64) * scale.mass)
    atoms.set_velocities(np.asarray(configuration.velocities, dtype=np.float64)
                         * scale.velocity)
    atoms.info[TYPE_NAMES_KEY] = " ".join(names)
    atoms.info[STEP_KEY] = int(configuration.step)
    return atoms


def _types(atoms: ase.Atoms, type_order: tuple[str, ...] | None
           ) -> tuple[tuple[str, ...], np.ndarray]:
    """Type names and each atom's type id: ogn's own (``info`` and tags), a LAMMPS data
    file's numbered types (``"1"``, ``"2"``, ...), or the chemical symbols in
    ``type_order`` (default: the order they first appear in)."""
    if TYPE_NAMES_KEY in atoms.info:
        names = tuple(str(atoms.info[TYPE_NAMES_KEY]).split())
        typeids = np.asarray(atoms.get_tags(), dtype=np.int64)
        if len(typeids) and not 0 <= typeids.min() <= typeids.max() < len(names):
            raise ValueError(f"atom tags {sorted(set(typeids.tolist()))} do not index the "
                             f"type names {list(names)} in info[{TYPE_NAMES_KEY!r}]; give "
                             "each atom its type id as its tag")
        return names, typeids
    if "type" in atoms.arrays:
        numbers = np.asarray(atoms.arrays["type"], dtype=np.int64)
        if len(numbers) and numbers.min() < 1:
            raise ValueError(f"LAMMPS type {numbers.min()}: LAMMPS types count from 1")
        return tuple(str(n) for n in range(1, int(numbers.max(initial=0)) + 1)), numbers - 1
    symbols = atoms.get_chemical_symbols()
    found = tuple(dict.fromkeys(symbols))
    if "X" in found:
        raise ValueError("atoms of symbol X carry no species; give each atom its element, "
                         f"or its type id as tag with the names in info[{TYPE_NAMES_KEY!r}]")
    names = found if type_order is None else tuple(type_order)
    missing = [symbol for symbol in found if symbol not in names]
    if missing:
        raise ValueError(f"species {missing} of the atoms are not among the types "
                         f"{list(names)}; give every species a type (e.g. --types "
                         f"{','.join(found)})")
    index = {name: typeid for typeid, name in enumerate(names)}
    return names, np.array([index[symbol] for symbol in symbols], dtype=np.int64)


def orthorhombic_box(atoms: ase.Atoms) -> np.ndarray:
    """The edges of ``atoms``'s cell (ASE's length unit), refusing a cell that is not
    periodic in x, y and z or not orthorhombic along them."""
    if not np.all(atoms.pbc):
        raise ValueError(f"the atoms are periodic along {atoms.pbc.tolist()} only; the OGN "
                         "needs a box periodic in x, y and z (set atoms.pbc = True)")
    cell = np.asarray(atoms.cell[:], dtype=np.float64)
    lengths = np.diag(cell).copy()
    if np.any(cell - np.diag(lengths)) or not np.all(lengths > 0):
        raise ValueError(f"the cell is triclinic or tilted (lengths and angles "
                         f"{np.round(atoms.cell.cellpar(), 4).tolist()}); ogn needs an "
                         "orthorhombic box with edges along x, y and z")
    return lengths


def configuration_from_atoms(atoms: ase.Atoms, units: str,
                             lennard_jones: LennardJonesScale = REDUCED,
                             type_order: tuple[str, ...] | None = None,
                             step: int | None = None) -> Configuration:
    """``atoms`` as a configuration in the LAMMPS unit system ``units``: positions wrapped
    into ``[-L/2, L/2)`` with image flags, velocities from the momenta, types as
    :func:`_types` finds them, and the MD step ``step`` (default: ``info['step']`` or
    ``info['timestep']``, else 0). Refuses a cell that is not periodic and orthorhombic, and
    atoms without velocities."""
    scale = ase_scale(units, lennard_jones)
    box = orthorhombic_box(atoms) / scale.length
    if not atoms.has("momenta"):
        raise ValueError("the atoms have no velocities; give them some (e.g. ASE's "
                         "MaxwellBoltzmannDistribution) or read a file that holds them")
    names, typeids = _types(atoms, type_order)
    origin = np.asarray(atoms.get_celldisp(), dtype=np.float64).reshape(3)
    positions = (np.asarray(atoms.positions, dtype=np.float64) - origin) / scale.length
    wrapped, images = wrap(positions - box / 2, box)
    if step is None:
        recorded = recorded_step(atoms)
        step = 0 if recorded is None else recorded
    return Configuration(box_lengths=box, positions=wrapped,
                         velocities=np.asarray(atoms.get_velocities(), dtype=np.float64)
                         / scale.velocity,
                         images=images.astype(np.int64), typeids=typeids, type_names=names,
                         masses=np.asarray(atoms.get_masses(), dtype=np.float64) / scale.mass,
                         step=step)


def recorded_step(atoms: ase.Atoms) -> int | None:
    """The MD step an ``Atoms`` read from a file says it is at, or None."""
    for key in (STEP_KEY, "timestep"):
        if key in atoms.info:
            return int(atoms.info[key])
    return None


def read_ase_frames(path: Path, file_format: str, units: str,
                    type_order: tuple[str, ...] | None = None,
                    period_steps: int | None = None,
                    lennard_jones: LennardJonesScale = REDUCED) -> list[Configuration]:
    """Every frame of a file ASE reads (``file_format``: a key of :data:`ASE_FORMATS`), as
    configurations in the LAMMPS unit system ``units``.

    Extended XYZ and ASE trajectories are in ASE's units; a LAMMPS data file is in
    ``units`` already (read as such). Frames that do not say their MD step are
    ``period_steps`` apart (refused when it is missing for more than one frame)."""
    import ase.io

    path = Path(path)
    if file_format not in ASE_FORMATS:
        raise ValueError(f"format {file_format!r}: ASE reads {', '.join(ASE_FORMATS)} here")
    if file_format == "lammps-data":
        frames = [_read_lammps_data(path, units)]
    else:
        try:
            frames = ase.io.read(path, index=":", format=ASE_FORMATS[file_format])
        except Exception as error:  # ASE's readers raise whatever their parser meets
            raise ValueError(f"{path}: ASE cannot read it as {file_format} "
                             f"({type(error).__name__}: {error}); give a readable file or "
                             "the right --format") from error
    steps = [recorded_step(atoms) for atoms in frames]
    if None in steps:
        if len(frames) > 1 and period_steps is None:
            raise ValueError(f"{path}: its {len(frames)} frames do not say their MD steps; "
                             "give the MD steps between frames (--period-steps N)")
        steps = [index * (period_steps or 1) for index in range(len(frames))]
    elif period_steps is not None and set(np.diff(steps).tolist()) - {period_steps}:
        raise ValueError(f"{path}: its frames record MD steps {steps[:3]}..., not "
                         f"{period_steps} apart; leave out --period-steps, the file says it")
    configurations = []
    for index, (atoms, step) in enumerate(zip(frames, steps)):
        try:
            configurations.append(configuration_from_atoms(
                atoms, _data_units(units) if file_format == "lammps-data" else units,
                lennard_jones, type_order, step))
        except ValueError as error:
            raise ValueError(f"{path}, frame {index}: {error}") from None
    return configurations


def _read_lammps_data(path: Path, units: str) -> ase.Atoms:
    """A LAMMPS data file in ``units``, as ASE reads it (in ASE's units): ``lj`` numbers are
    read as ``metal`` ones, which :func:`read_ase_frames` converts back, so they come
    through unchanged."""
    import ase.io

    try:
        return ase.io.read(path, format="lammps-data", units=_data_units(units))
    except Exception as error:  # ASE's reader raises whatever its parser meets
        raise ValueError(f"{path}: ASE cannot read it as a LAMMPS data file "
                         f"({type(error).__name__}: {error}); give a `write_data` file with "
                         "a Velocities section") from error


def _data_units(units: str) -> str:
    """The unit system ASE reads a LAMMPS data file of ``units`` in (it has no ``lj``)."""
    return "metal" if units == "lj" else units
