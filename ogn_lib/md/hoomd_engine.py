"""The second MD engine: HOOMD-blue, for the systems it can run.

:class:`HoomdSimulation` has the interface of :class:`ogn_lib.md.engines.Simulation` (make
a state, thermalize, run with a writer of explicit period, cool along a ramp, read the
configuration), so the protocols run on either engine. HOOMD-blue 4 runs the
Lennard-Jones systems (KA-LJ and its glass) with ``md.pair.LJ`` in shift mode and the same
cutoffs, and silica with ``md.pair.Table``: each pair of species' DSF Coulomb plus
short-range energy and force on :data:`TABLE_POINTS` distances from
:data:`TABLE_MIN_DISTANCE_A` to the cutoff, from the formulas of
:mod:`ogn_lib.md.pair_tables` and the same ``System`` parameters as LAMMPS's; its potential
energy includes LAMMPS's constant DSF self energy, so both engines report the same. NVE by
``ConstantVolume``, Langevin for the thermalisation and an MTTK (Nose-Hoover) thermostat
with a ramped set point for the quench. HOOMD 4 has no EAM (its ``hoomd.metal`` still
uses the version-2 API) and no Stillinger-Weber, so Cu-Zr and Si stay LAMMPS-only.

HOOMD-blue has no unit system: its energy unit is mass x velocity^2 of the lengths, times
and masses it is given. Silica's real units (g/mol, Angstrom, fs) make that 2390 kcal/mol
(``UnitSystem.mvv2e``), so every energy, force and k_B T goes in divided by it and comes
out multiplied by it; the frames hold the system's units, as LAMMPS's do.

HOOMD-blue is not on PyPI: install it from conda-forge, or the CPU wheel built from the
vendored source (``make hoomd``, see the README). A missing HOOMD raises one line that
says so.
"""

from __future__ import annotations

import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.md.engine_setup import (
    MIN_SPACING_FRACTION,
    check_device_name,
    cubic_box_length,
    neighbour_skin,
    random_sequential_positions,
)
from ogn_lib.md.pair_tables import dsf_self_energy, silica_pair
from ogn_lib.md.systems import DampedShiftedCoulombPlusShortRange, LennardJones, System
from ogn_lib.md.writer import FrameWriter
from ogn_lib.periodic import wrap

TABLE_POINTS = 30000
"""Distances of a tabulated pair (HOOMD interpolates linearly between them): 2.4e-4 A
apart for silica, where the potential energy of a 648-atom melt at 4000 K matched LAMMPS's
to 1e-7 relative, and the positions after 100 NVE steps to 1.4e-5 A."""
TABLE_MIN_DISTANCE_A = 0.8
"""Shortest tabulated distance (Angstrom); HOOMD's table has no force below it. Silica's
closest pairs (Si-O bonds) are ~1.6 A apart, a random start's 1.85 A."""


def load_hoomd():
    """The ``hoomd`` module with its ``md`` component, or an ImportError that says how to
    get it."""
    try:
        import hoomd
        import hoomd.md  # noqa: F401  (the component this engine needs)
    except ImportError as error:
        raise ImportError(
            f"HOOMD-blue is not installed ({error}): it is not on PyPI. Install the CPU "
            "wheel built from the vendored source (`make hoomd`, or `pip install "
            "--find-links ../shared/wheels hoomd==4.8.2`) or HOOMD-blue from conda-forge, "
            "or generate with --engine lammps") from error
    return hoomd


def hoomd_version() -> str:
    """The installed HOOMD-blue release, e.g. ``'4.8.2'``."""
    return str(load_hoomd().version.version)


def supports(system: System) -> bool:
    """Whether this engine runs ``system`` (Lennard-Jones potentials and silica's)."""
    return isinstance(system.potential, (LennardJones, DampedShiftedCoulombPlusShortRange))


def check_device(device: str) -> None:
    """Raise a one-line error unless HOOMD-blue can run on ``device`` here: the CPU, or a
    GPU where the installed HOOMD-blue was built for GPUs (only then is it imported)."""
    check_device_name(device)
    if device != "gpu":
        return
    version = load_hoomd().version
    if not version.gpu_enabled:
        raise ValueError(
            f"this HOOMD-blue {version.version} was built without GPU support (as the "
            "CPU wheel of ../shared/wheels is): install HOOMD-blue from conda-forge on a CUDA "
            "machine for --device gpu, or run with --device cpu")


class HoomdSimulation:
    """One system in one HOOMD-blue simulation on the CPU or a GPU (see the module)."""

    def __init__(self, system: System, seed: int, device: str = "cpu"):
        if seed < 1:
            raise ValueError(f"seed={seed}: give a positive integer seed")
        if not supports(system):
            raise ValueError(
                f"HOOMD-blue cannot run {system.name} ({type(system.potential).__name__}): "
                "this engine runs the Lennard-Jones systems and silica; use --engine lammps")
        hoomd = load_hoomd()
        self.hoomd, self.system, self.seed = hoomd, system, int(seed)
        self.energy_unit = system.units.mvv2e
        """One HOOMD-blue energy unit in the system's energy unit (see the module)."""
        check_device(device)
        where = hoomd.device.GPU() if device == "gpu" else hoomd.device.CPU()
        self.simulation = hoomd.Simulation(device=where, seed=self.seed % 65536)
        self.box_length = None
        self._thermo = self._pair = self._integrator = None
        self._energy_offset = 0.0
        self._step_zero = 0
        """The HOOMD timestep that counts as MD step 0 of the run (after minimisation)."""

    def close(self) -> None:
        self.simulation = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _masses(self, typeids: np.ndarray) -> np.ndarray:
        return np.array([species.mass for species in self.system.species])[typeids]

    def _create(self, box_length: float, positions, typeids, velocities, images,
                step: int = 0) -> None:
        cutoff = self.system.potential.cutoff
        if box_length <= 2 * cutoff:
            raise ValueError(
                f"box of {box_length:.4g} {self.system.units.length} is not over twice the "
                f"cutoff, {2 * cutoff:.4g}: an atom would meet its own image. Use more atoms "
                f"(over {int(self.system.number_density * (2 * cutoff) ** 3)} at "
                f"{self.system.name}'s density)")
        # HOOMD-blue needs cutoff + buffer within half the box: a small box gets the
        # buffer it allows (the list is then rebuilt more often, never wrong).
        buffer = min(neighbour_skin(self.system), 0.999 * box_length / 2 - cutoff)
        snapshot = self.hoomd.Snapshot()
        snapshot.configuration.box = [box_length, box_length, box_length, 0, 0, 0]
        particles = snapshot.particles
        particles.N = len(positions)
        particles.types = list(self.system.type_names)
        particles.typeid[:] = typeids
        particles.position[:] = positions
        particles.velocity[:] = velocities
        particles.image[:] = images
        particles.mass[:] = self._masses(np.asarray(typeids))
        self.simulation.timestep = int(step)
        self.simulation.create_state_from_snapshot(snapshot)
        self.box_length = float(box_length)
        md = self.hoomd.md
        self._pair = self._pair_force(md.nlist.Cell(buffer=buffer))
        self._energy_offset = self._constant_energy(np.asarray(typeids))
        self._thermo = md.compute.ThermodynamicQuantities(filter=self.hoomd.filter.All())
        self.simulation.operations.computes.append(self._thermo)
        self._integrator = md.Integrator(dt=self.system.dt, forces=[self._pair])
        self.simulation.operations.integrator = self._integrator

    def _pair_force(self, nlist):
        """The system's pair force on ``nlist``: Lennard-Jones, or silica's table."""
        md, potential = self.hoomd.md, self.system.potential
        if isinstance(potential, LennardJones):
            force = md.pair.LJ(nlist=nlist, mode="shift")
            for (a, b), pair in potential.pairs.items():
                force.params[(a, b)] = {"epsilon": pair.epsilon / self.energy_unit,
                                        "sigma": pair.sigma}
                force.r_cut[(a, b)] = pair.cutoff
            return force
        cutoff = self.system.potential.cutoff
        force = md.pair.Table(nlist=nlist, default_r_cut=cutoff)
        distances = np.linspace(TABLE_MIN_DISTANCE_A, cutoff, TABLE_POINTS, endpoint=False)
        charges = {species.name: species.charge_e for species in self.system.species}
        names = self.system.type_names
        for i, a in enumerate(names):
            for b in names[i:]:
                energy, radial_force = silica_pair(potential, (a, b),
                                                   (charges[a], charges[b]), distances)
                force.params[(a, b)] = {"r_min": TABLE_MIN_DISTANCE_A,
                                        "U": energy / self.energy_unit,
                                        "F": radial_force / self.energy_unit}
        return force

    def _constant_energy(self, typeids: np.ndarray) -> float:
        """What LAMMPS adds to the pair energies: silica's DSF self energy, else nothing."""
        if not isinstance(self.system.potential, DampedShiftedCoulombPlusShortRange):
            return 0.0
        charges = np.array([species.charge_e for species in self.system.species])[typeids]
        return dsf_self_energy(self.system.potential, charges)

    def _integrate(self, methods: list) -> None:
        """Integrate with ``methods`` from now on (none: the state stands still)."""
        self._integrator.methods.clear()
        self._integrator.methods.extend(methods)

    def create_random_state(self, n_atoms: int, number_density: float | None = None) -> None:
        """Place ``n_atoms`` at random, no two closer than
        :data:`~ogn_lib.md.engine_setup.MIN_SPACING_FRACTION` mean spacings, in a cubic box at
        ``number_density`` (the system's by default)."""
        density = self.system.number_density if number_density is None else number_density
        box_length = self.system.box_length(n_atoms, density)
        rng = np.random.default_rng(self.seed)
        positions = random_sequential_positions(
            n_atoms, box_length, MIN_SPACING_FRACTION * density ** (-1.0 / 3.0), rng)
        typeids = rng.permutation(np.repeat(np.arange(len(self.system.species)),
                                            self.system.counts(n_atoms)))
        self._create(box_length, positions, typeids, np.zeros((n_atoms, 3)),
                     np.zeros((n_atoms, 3), dtype=np.int32))

    def load(self, configuration: Configuration) -> None:
        """Make the HOOMD state equal to ``configuration`` (box, atoms, velocities, step)."""
        self._create(cubic_box_length(self.system, configuration), configuration.positions,
                     configuration.typeids, configuration.velocities, configuration.images,
                     configuration.step)

    def minimize(self) -> None:
        """Remove overlaps of a random start by FIRE energy minimisation."""
        md, filter_all = self.hoomd.md, self.hoomd.filter.All()
        self._integrator.forces.remove(self._pair)  # a force serves one integrator
        fire = md.minimize.FIRE(dt=0.1 * self.system.dt, force_tol=1e-3, angmom_tol=1e-3,
                                energy_tol=1e-6, forces=[self._pair],
                                methods=[md.methods.ConstantVolume(filter=filter_all)])
        self.simulation.operations.integrator = fire
        for _ in range(100):
            self.simulation.run(100)
            if fire.converged:
                break
        fire.forces.remove(self._pair)
        self._integrator.forces.append(self._pair)
        self.simulation.operations.integrator = self._integrator
        self._integrate([])
        self._step_zero = self.simulation.timestep  # LAMMPS's `reset_timestep 0`

    def thermalize(self, temperature: float, n_steps: int) -> None:
        """Draw Maxwell velocities at ``temperature`` and run Langevin dynamics with a
        friction time of 100 MD steps, as the LAMMPS engine does; the total momentum is
        zero at the end, as LAMMPS's ``fix langevin ... zero yes`` keeps it (HOOMD-blue's
        random forces do not sum to zero, and the centre of mass of the NVE run after them
        would drift: a 375-atom silica melt's diffusion came out 5 times LAMMPS's)."""
        if not temperature > 0:
            raise ValueError(f"temperature {temperature} must be positive "
                             f"({self.system.units.temperature})")
        kt = self._kt(temperature)
        self.simulation.state.thermalize_particle_momenta(filter=self.hoomd.filter.All(),
                                                          kT=kt)
        langevin = self.hoomd.md.methods.Langevin(filter=self.hoomd.filter.All(), kT=kt)
        for species in self.system.species:
            langevin.gamma[species.name] = species.mass / (100 * self.system.dt)
        self._integrate([langevin])
        self.simulation.run(int(n_steps))
        self._integrate([])
        with self.simulation.state.cpu_local_snapshot as snapshot:
            velocities, masses = snapshot.particles.velocity, snapshot.particles.mass
            velocities[:] -= (masses[:, None] * velocities).sum(0) / masses.sum()

    def run(self, n_steps: int, writer: FrameWriter | None = None) -> None:
        """Advance ``n_steps`` MD steps in NVE; hand ``writer`` a frame every
        ``writer.period_steps`` steps, the start included."""
        self._integrate([self.hoomd.md.methods.ConstantVolume(filter=self.hoomd.filter.All())])
        if writer is None:
            self.simulation.run(int(n_steps))
            return
        period = writer.period_steps
        if n_steps % period:
            raise ValueError(f"n_steps={n_steps} is not a multiple of the writer's period "
                             f"{period}")
        self.simulation.run(0)
        writer.append(self.configuration())
        for _ in range(n_steps // period):
            self.simulation.run(period)
            writer.append(self.configuration())

    def cool(self, t_start: float, t_end: float, n_steps: int, log_period: int):
        """Cool linearly from ``t_start`` to ``t_end`` over ``n_steps`` (MTTK thermostat,
        time constant 100 MD steps). Returns ``(set_points, temperatures,
        potential_energies)`` every ``log_period`` steps."""
        first = self.simulation.timestep
        ramp = self.hoomd.variant.Ramp(A=self._kt(t_start), B=self._kt(t_end),
                                       t_start=first, t_ramp=int(n_steps))
        self._nvt(ramp)
        set_points, temperatures, energies = [], [], []
        for block in range(1, n_steps // log_period + 1):
            self.simulation.run(log_period)
            set_points.append(t_start + (t_end - t_start) * block * log_period / n_steps)
            temperatures.append(self._thermo.kinetic_temperature * self.energy_unit
                                / self.system.units.boltzmann)
            energies.append(self._potential_energy())
        self._integrate([])
        return np.asarray(set_points), np.asarray(temperatures), np.asarray(energies)

    def hold(self, temperature: float, n_steps: int) -> None:
        """NVT at constant ``temperature`` for ``n_steps``."""
        self._nvt(self._kt(temperature))
        self.simulation.run(int(n_steps))
        self._integrate([])

    def _kt(self, temperature: float) -> float:
        """k_B ``temperature`` in HOOMD-blue's energy unit."""
        return self.system.units.boltzmann * temperature / self.energy_unit

    def _potential_energy(self) -> float:
        """The potential energy in the system's unit, LAMMPS's constant included."""
        return float(self._thermo.potential_energy) * self.energy_unit + self._energy_offset

    def _nvt(self, kt) -> None:
        thermostat = self.hoomd.md.methods.thermostats.MTTK(kT=kt, tau=100 * self.system.dt)
        self._integrate([self.hoomd.md.methods.ConstantVolume(
            filter=self.hoomd.filter.All(), thermostat=thermostat)])

    def configuration(self) -> Configuration:
        """The current state, atoms in tag order, positions wrapped into [-L/2, L/2)."""
        snapshot = self.simulation.state.get_snapshot()
        particles = snapshot.particles
        positions, crossings = wrap(np.asarray(particles.position, dtype=np.float64),
                                    self.box_length)
        typeids = np.asarray(particles.typeid, dtype=np.int64)
        thermo = self._thermo
        units = self.system.units
        energies = {"potential_energy": self._potential_energy(),
                    "kinetic_energy": float(thermo.kinetic_energy) * self.energy_unit,
                    "kinetic_temperature": float(thermo.kinetic_temperature) * self.energy_unit,
                    "pressure": float(thermo.pressure) * self.energy_unit * units.nktv2p}
        return Configuration(
            box_lengths=np.full(3, self.box_length), positions=positions,
            velocities=np.asarray(particles.velocity, dtype=np.float64),
            images=np.asarray(particles.image, dtype=np.int32) + crossings.astype(np.int32),
            typeids=typeids, type_names=self.system.type_names,
            masses=self._masses(typeids), step=int(self.simulation.timestep - self._step_zero),
            # HOOMD computes the virial only on steps that ask for it beforehand, so the
            # pressure of a frame read between runs may be unknown: left out then.
            energies={key: value for key, value in energies.items() if np.isfinite(value)})
