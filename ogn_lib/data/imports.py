"""Trajectories written by other programs, brought in as ogn trajectories.

A GSD file from HOOMD-blue or the ``gsd`` package holds the box, the atom types, positions,
velocities, image flags and MD steps, but not what an ogn sidecar says: the MD step length,
the unit system and which system the atoms are. A LAMMPS text dump (``dump custom`` with
``id type x y z vx vy vz ix iy iz``, or unwrapped ``xu yu zu``, or scaled ``xs ys zs``)
holds numeric types and no masses either. Extended XYZ files, ASE trajectories and LAMMPS
data files come in through ASE (:mod:`ogn_lib.data.atoms`). :func:`import_trajectory`
reads any of them, takes what the file lacks from a :class:`RunDescription`, checks what
the OGN needs (velocities in every frame, an orthorhombic constant box, evenly spaced
frames), and writes a GSD trajectory with its sidecar that every part of ogn reads
(``ogn convert``), and that HOOMD-blue, freud and OVITO open as it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import gsd.hoomd
import numpy as np

from ogn_lib.configuration import Configuration, first_non_finite, typeids_by_name
from ogn_lib.data.atoms import ASE_FORMATS, read_ase_frames
from ogn_lib.data.sidecar import TrajectoryError, TrajectoryMetadata, read_metadata
from ogn_lib.data.trajectory import LOG_KEYS, check_frames
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.files import file_sha256
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.periodic import wrap
from ogn_lib.units import UNIT_SYSTEMS

FORMATS = ("gsd", "lammps-dump", *ASE_FORMATS)
"""What :func:`import_trajectory` reads; a file's format is told by its suffix
(:data:`SUFFIXES`; any other is a LAMMPS dump) or given."""
SUFFIXES = {".gsd": "gsd", ".xyz": "extxyz", ".extxyz": "extxyz", ".traj": "traj",
            ".data": "lammps-data", ".lmp": "lammps-data"}


@dataclass(frozen=True)
class RunDescription:
    """What a trajectory from another program does not say about itself.

    Attributes:
        system: the system's name (one of ogn's, or one of the user's own).
        dt: the MD step, in the unit system's time unit.
        units: the LAMMPS unit-system name of every quantity in the file (``lj``, ``real``
            or ``metal``).
        type_names: names of the atom types in the order of their ids (a LAMMPS dump's
            types 1, 2, ... become ``type_names[0]``, ``[1]``, ...); None keeps the file's
            (a GSD's names, a dump's ``"1"``, ``"2"``, ...). Atoms named by their chemical
            symbols (extended XYZ, ASE trajectories) keep them: the names give their order
            (default: a known system's, else the order they first appear in).
        masses: one mass per type, in the unit system's mass unit; None keeps the file's
            (a GSD's); a LAMMPS dump holds none, so it needs them.
        temperature: the set-point temperature of the run, if it had one (the thermostat
            of a validation rollout holds it), in the unit system's temperature unit.
        period_steps: MD steps between frames, for a file whose frames do not say their
            step (extended XYZ and ASE trajectories of other programs).
    """

    system: str
    dt: float
    units: str
    type_names: tuple[str, ...] | None = None
    masses: tuple[float, ...] | None = None
    temperature: float | None = None
    period_steps: int | None = None

    def __post_init__(self):
        if not self.system or not self.system.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"system name {self.system!r}: give a short name of letters, "
                             "digits, '-' or '_', e.g. 'my-lj'")
        if not self.dt > 0:
            raise ValueError(f"dt = {self.dt}: give the positive MD step of the run, in the "
                             "unit system's time unit (e.g. --dt 0.005)")
        if self.units not in UNIT_SYSTEMS:
            raise ValueError(f"units {self.units!r}: give the LAMMPS unit system of the "
                             f"file, one of {', '.join(UNIT_SYSTEMS)}")
        if self.masses is not None and any(not 0 < mass < math.inf for mass in self.masses):
            raise ValueError(f"masses {self.masses}: every mass must be a positive finite "
                             "number, in the unit system's mass unit")
        if (self.masses is not None and self.type_names is not None
                and len(self.masses) != len(self.type_names)):
            raise ValueError(f"{len(self.masses)} masses for {len(self.type_names)} type "
                             "names: give one mass per type")
        if self.temperature is not None and not self.temperature > 0:
            raise ValueError(f"temperature = {self.temperature}: give a positive set point "
                             "or none")
        if self.period_steps is not None and (isinstance(self.period_steps, bool) or not
                                              isinstance(self.period_steps, int)
                                              or self.period_steps < 1):
            raise ValueError(f"period_steps = {self.period_steps!r}: give the whole number of "
                             "MD steps between frames, at least 1")


def read_gsd_frames(path: Path) -> list[Configuration]:
    """Every frame of a GSD file written by any program (HOOMD-blue's layout), checked to
    hold velocities in every frame and one orthorhombic box; positions re-wrapped into
    ``[-L/2, L/2)`` with the image flags kept continuous."""
    path = Path(path)
    try:
        with gsd.hoomd.open(str(path), mode="r") as frames:
            check_frames(path, frames.file)
            configurations = []
            for frame in frames:
                box = np.asarray(frame.configuration.box[:3], dtype=np.float64)
                positions, crossings = wrap(np.asarray(frame.particles.position,
                                                       dtype=np.float64), box)
                energies = {short: float(frame.log[key][0]) for short, key in LOG_KEYS.items()
                            if key in frame.log}
                configurations.append(Configuration(
                    box_lengths=box, positions=positions,
                    velocities=np.asarray(frame.particles.velocity, dtype=np.float64),
                    images=np.asarray(frame.particles.image, dtype=np.int64)
                    + crossings.astype(np.int64),
                    typeids=np.asarray(frame.particles.typeid, dtype=np.int64),
                    type_names=tuple(frame.particles.types),
                    masses=np.asarray(frame.particles.mass, dtype=np.float64),
                    step=int(frame.configuration.step), energies=energies))
    except TrajectoryError:
        raise
    except (RuntimeError, OSError, ValueError, KeyError) as error:
        raise TrajectoryError(f"{path}: not a readable GSD file ({error}); give a file "
                              "written by HOOMD-blue or the gsd package") from error
    return configurations


_POSITION_COLUMNS = {"wrapped": ("x", "y", "z"), "unwrapped": ("xu", "yu", "zu"),
                     "scaled": ("xs", "ys", "zs")}
_IMAGE_COLUMNS = ("ix", "iy", "iz")
_VELOCITY_COLUMNS = ("vx", "vy", "vz")


def read_lammps_dump(path: Path) -> list[Configuration]:
    """Every frame of a LAMMPS text dump (``dump custom``), atoms sorted by id. Types are
    the dump's numbers (named ``"1"``, ``"2"``, ...; ids from 0), masses NaN (a dump holds
    none: :func:`import_trajectory` takes them from a :class:`RunDescription`)."""
    path = Path(path)
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise TrajectoryError(f"{path}: cannot be read as a text dump ({error}); give a "
                              "LAMMPS `dump custom` text file") from error
    frames, index = [], 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        frame, index = _dump_frame(path, lines, index)
        frames.append(frame)
    if not frames:
        raise TrajectoryError(f"{path}: the dump holds no frame")
    n_types = max(int(frame["typeids"].max()) + 1 for frame in frames)
    names = tuple(str(number + 1) for number in range(n_types))
    return [Configuration(**frame, type_names=names,
                          masses=np.full(len(frame["typeids"]), np.nan)) for frame in frames]


def _expect(path: Path, lines: list[str], index: int, header: str) -> str:
    if index >= len(lines) or not lines[index].startswith(header):
        found = lines[index] if index < len(lines) else "the end of the file"
        raise TrajectoryError(f"{path}, line {index + 1}: expected {header!r}, found "
                              f"{found!r}; give a LAMMPS `dump custom` text file")
    return lines[index]


def _dump_frame(path: Path, lines: list[str], index: int):
    """One frame from line ``index`` as Configuration fields (no type names or masses),
    and the index of the line after it."""
    _expect(path, lines, index, "ITEM: TIMESTEP")
    step = int(lines[index + 1])
    _expect(path, lines, index + 2, "ITEM: NUMBER OF ATOMS")
    n_atoms = int(lines[index + 3])
    bounds = _expect(path, lines, index + 4, "ITEM: BOX BOUNDS")
    if any(tilt in bounds.split() for tilt in ("xy", "xz", "yz")):
        raise TrajectoryError(f"{path}, line {index + 5}: the box is triclinic; only "
                              "orthorhombic boxes are supported. Re-run the MD in one.")
    low_high = np.array([[float(value) for value in lines[index + 5 + axis].split()[:2]]
                         for axis in range(3)])
    header = _expect(path, lines, index + 8, "ITEM: ATOMS").split()[2:]
    first, last = index + 9, index + 9 + n_atoms
    if last > len(lines):
        raise TrajectoryError(f"{path}: the frame of step {step} is cut short after "
                              f"{len(lines) - first} of {n_atoms} atoms; the dump is "
                              "incomplete")
    try:
        table = np.array([[float(value) for value in line.split()]
                          for line in lines[first:last]])
    except ValueError:
        number = next(first + offset for offset, line in enumerate(lines[first:last])
                      if not _numbers(line))
        raise TrajectoryError(f"{path}, line {number + 1}: {lines[number].strip()!r} is not a "
                              "row of numbers; the dump is damaged or not `dump custom`") from None
    column = {name: position for position, name in enumerate(header)}
    missing = [name for name in ("id", "type", *_VELOCITY_COLUMNS) if name not in column]
    kind = next((kind for kind, names in _POSITION_COLUMNS.items()
                 if all(name in column for name in names)), None)
    if missing or kind is None:
        raise TrajectoryError(
            f"{path}, step {step}: the dump's columns {' '.join(header)} lack "
            f"{' '.join(missing) or 'positions (x y z, xu yu zu or xs ys zs)'}; write it with "
            "`dump custom ... id type x y z vx vy vz ix iy iz`")
    table = table[np.argsort(table[:, column["id"]])]
    rows, columns = np.nonzero(~np.isfinite(table))
    if len(rows):
        raise TrajectoryError(f"{path}, step {step}: atom id {table[rows[0], column['id']]:g} "
                              f"has {header[columns[0]]} = {table[rows[0], columns[0]]}; a "
                              "trajectory holds finite numbers only")
    ids, counts = np.unique(table[:, column["id"]], return_counts=True)
    if len(ids) != n_atoms:
        twice = ids[counts > 1][0]
        raise TrajectoryError(f"{path}, step {step}: atom id {twice:g} appears "
                              f"{counts[counts > 1][0]} times; each atom must appear once per "
                              "frame (write the dump from one run, `dump_modify sort id`)")
    if table[:, column["type"]].min() < 1:
        bad = table[np.argmin(table[:, column["type"]])]
        raise TrajectoryError(f"{path}, step {step}: atom id {bad[column['id']]:g} has type "
                              f"{bad[column['type']]:g}; LAMMPS types count from 1")
    if kind != "unwrapped" and not all(name in column for name in _IMAGE_COLUMNS):
        raise TrajectoryError(f"{path}, step {step}: wrapped positions without image flags "
                              "(ix iy iz), so atoms that cross the box would seem to jump a "
                              "box length; add ix iy iz to `dump custom`, or write unwrapped "
                              "xu yu zu")
    box = low_high[:, 1] - low_high[:, 0]
    raw = table[:, [column[name] for name in _POSITION_COLUMNS[kind]]]
    if kind == "scaled":
        raw = low_high[:, 0] + raw * box
    images = np.zeros((n_atoms, 3), dtype=np.int64)
    if kind != "unwrapped":
        images = table[:, [column[name] for name in _IMAGE_COLUMNS]].astype(np.int64)
    centred = raw - low_high.mean(axis=1)
    positions, crossings = wrap(centred, box)
    velocities = table[:, [column[name] for name in _VELOCITY_COLUMNS]]
    frame = {"box_lengths": box, "positions": positions, "velocities": velocities,
             "images": images + crossings.astype(np.int64),
             "typeids": table[:, column["type"]].astype(np.int64) - 1, "step": step}
    return frame, last


def _numbers(line: str) -> bool:
    """Whether every field of ``line`` is a number."""
    try:
        [float(value) for value in line.split()]
    except ValueError:
        return False
    return True


def import_trajectory(source: Path, target: Path, description: RunDescription,
                      file_format: str | None = None) -> TrajectoryMetadata:
    """Read ``source`` (a GSD file of any program, a LAMMPS text dump, or a file ASE reads:
    :data:`FORMATS`), complete it with ``description`` and write it to ``target`` as an ogn
    trajectory (GSD and sidecar).

    Refuses, with what to do: frames not evenly spaced in MD steps, atoms or boxes that
    change, a dump without masses in ``description``, and a ``target`` that is the source
    or exists already.
    """
    source, target = Path(source), Path(target)
    file_format = file_format or SUFFIXES.get(source.suffix.lower(), "lammps-dump")
    if file_format not in FORMATS:
        raise ValueError(f"format {file_format!r}: choose one of {', '.join(FORMATS)}")
    if not source.is_file():
        raise TrajectoryError(f"{source}: no such file; give the trajectory to import")
    if target.suffix != ".gsd":
        raise ValueError(f"{target}: give a target file name ending in .gsd")
    if target.exists() or (source.exists() and source.resolve() == target.resolve()):
        raise ValueError(f"{target} exists; give a new file name (nothing is overwritten)")
    frames = [_described(frame, description)
              for frame in _read_frames(source, file_format, description)]
    for frame in frames:
        _check_finite(source, frame)
    _check_known_system(source, frames[0], description)
    if description.system in SYSTEMS and description.type_names is None:
        frames = [_in_order(frame, SYSTEMS[description.system].type_names) for frame in frames]
    period = _period_steps(source, frames)
    first = frames[0]
    for frame in frames[1:]:
        if (frame.n_atoms != first.n_atoms or not np.array_equal(frame.typeids, first.typeids)
                or not np.array_equal(frame.box_lengths, first.box_lengths)):
            raise TrajectoryError(f"{source}: the atoms or the box change at step "
                                  f"{frame.step}; import a constant-volume run of fixed "
                                  "atoms")
    parameters = ({} if description.temperature is None
                  else {"temperature": description.temperature})
    with TrajectoryWriter(target, period_steps=period) as writer:
        for frame in frames:
            writer.append(frame)
        writer.commit({"system": description.system, "dt": description.dt,
                       "units": description.units, "parameters": parameters,
                       "source": {"file": source.name, "format": file_format,
                                  "sha256": file_sha256(source)}})
    return read_metadata(target)


def _read_frames(source: Path, file_format: str,
                 description: RunDescription) -> list[Configuration]:
    """The frames of ``source`` as the reader of ``file_format`` gives them."""
    if file_format == "gsd":
        return read_gsd_frames(source)
    if file_format == "lammps-dump":
        return read_lammps_dump(source)
    try:
        return read_ase_frames(source, file_format, description.units,
                               description.type_names, description.period_steps)
    except ValueError as error:
        raise TrajectoryError(str(error)) from None


def _described(frame: Configuration, description: RunDescription) -> Configuration:
    """``frame`` with the description's type names and masses where given."""
    names = frame.type_names
    if description.type_names is not None:
        if len(description.type_names) < len(names) or (
                len(frame.typeids) and frame.typeids.max() >= len(description.type_names)):
            raise ValueError(f"the file has {len(names)} atom types, but "
                             f"{len(description.type_names)} type names were given; give "
                             "one name per type")
        names = tuple(description.type_names)
    masses = frame.masses
    if description.masses is not None:
        if len(description.masses) < len(names):
            raise ValueError(f"{len(description.masses)} masses for {len(names)} atom "
                             "types: give one mass per type")
        masses = np.asarray(description.masses, dtype=np.float64)[frame.typeids]
    if not np.all(np.isfinite(masses)) or np.any(masses <= 0):
        raise ValueError("the file holds no masses (a LAMMPS dump never does): give one "
                         "per type, e.g. --masses 1.0,1.0")
    return Configuration(box_lengths=frame.box_lengths, positions=frame.positions,
                         velocities=frame.velocities, images=frame.images,
                         typeids=frame.typeids, type_names=names, masses=masses,
                         step=frame.step, energies=frame.energies)


def _in_order(frame: Configuration, type_names: tuple[str, ...]) -> Configuration:
    """``frame`` with its types numbered as ``type_names`` (a known system's) number them."""
    typeids = typeids_by_name(frame.type_names, frame.typeids, type_names, "the system")
    return replace(frame, typeids=typeids, type_names=tuple(type_names))


def _check_finite(source: Path, frame: Configuration) -> None:
    """Positions and velocities of every atom are finite numbers."""
    found = first_non_finite(frame)
    if found is not None:
        name, atom = found
        raise TrajectoryError(f"{source}, step {frame.step}: atom {atom} (of {frame.n_atoms}, "
                              f"counted from 0 in id order) has {name} "
                              f"{getattr(frame, name)[atom].tolist()}; a trajectory holds "
                              "finite numbers only")


def _check_known_system(source: Path, frame: Configuration,
                        description: RunDescription) -> None:
    """A system ogn knows (:data:`~ogn_lib.md.systems.SYSTEMS`) comes in its own unit
    system, with its species and their masses."""
    system = SYSTEMS.get(description.system)
    if system is None:
        return
    if description.units != system.units.name:
        raise ValueError(f"system {system.name!r} is ogn's {system.title}, in LAMMPS "
                         f"{system.units.name} units, not {description.units}; give --units "
                         f"{system.units.name} (converting the file), or name your own "
                         "system otherwise")
    masses = {species.name: species.mass for species in system.species}
    for typeid, name in enumerate(frame.type_names):
        atoms = frame.typeids == typeid
        if not atoms.any():
            continue
        if name not in masses:
            raise ValueError(f"{source}: type {name!r} is not a species of {system.title} "
                             f"({', '.join(masses)}); give the type names with --types")
        found = frame.masses[atoms]
        if not np.allclose(found, masses[name], rtol=1e-3):
            raise ValueError(f"{source}: {name} atoms have mass {found[0]:g}, but "
                             f"{system.title}'s {name} weighs {masses[name]:g} "
                             f"{system.units.mass}; give --masses "
                             f"{','.join(f'{masses[n]:g}' for n in frame.type_names)}")


def _period_steps(source: Path, frames: list[Configuration]) -> int:
    """The MD steps between consecutive frames, the same throughout."""
    if len(frames) < 2:
        return 1
    gaps = set(np.diff([frame.step for frame in frames]).tolist())
    if len(gaps) != 1 or min(gaps) < 1:
        raise TrajectoryError(
            f"{source}: frames are {', '.join(map(str, sorted(gaps)))} MD steps apart; the "
            "OGN learns from frames evenly spaced in time. Record the run at a fixed period "
            "(LAMMPS: one `dump` every n steps, without `dump_modify first`).")
    return int(gaps.pop())
