"""The ground-truth data sets: which trajectories each profile needs, where they live,
and how they are made, reused and validated.

Every trajectory is described by a :class:`TrajectorySpec`. Its file name carries a hash
of everything that determines the file (system definition, protocol, profile, seed,
LAMMPS version, file-format version), so a changed parameter gives a new file and an
unchanged one reuses the valid file on disk. Files are written atomically; a truncated or
modified file fails validation, is reported and is made again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ogn_lib import __version__
from ogn_lib.data.profiles import PROFILES, SIZES, ProfileSizes
from ogn_lib.data.sidecar import TrajectoryError, TrajectoryMetadata, sidecar_path
from ogn_lib.data.trajectory import validate
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.files import exclusive, file_sha256_by_version
from ogn_lib.md.engines import check_runs, engine_label
from ogn_lib.md.protocols import LiquidProtocol, MeltQuenchProtocol
from ogn_lib.md.systems import SYSTEMS, PotentialFile, System, get_system
from ogn_lib.paths import data_root
from ogn_lib.workers import run_in_workers

FORMAT_VERSION = 2


@dataclass(frozen=True)
class TrajectorySpec:
    """One ground-truth trajectory: system, role in the data set, protocol and seed."""

    system: str
    group: str
    """Role: ``train``, ``test``, ``msd``, ``size``, ``temperature``, ``density``,
    ``glass-train`` or ``glass-test``; training and test sets never share a trajectory."""
    index: int
    seed: int
    protocol: LiquidProtocol | MeltQuenchProtocol
    period_steps: int = 1
    engine: str = "lammps"
    """The MD engine that makes it (:data:`ogn_lib.md.engines.ENGINES`)."""

    @property
    def label(self) -> str:
        return f"{self.system}-{self.group}-{self.index:03d}"

    def key(self, profile: str, system: System, engine: str) -> str:
        """SHA-256 (first 12 hex digits) of everything that determines the file; ``engine``
        is the engine and its release (:func:`~ogn_lib.md.engines.engine_label`)."""
        determinants = {
            "system": repr(system), "group": self.group, "index": self.index,
            "seed": self.seed, "protocol": type(self.protocol).__name__,
            "parameters": dataclasses.asdict(self.protocol),
            "period_steps": self.period_steps, "profile": profile,
            "engine": engine, "format": FORMAT_VERSION,
        }
        user_file = user_potential_sha256(system)
        if user_file is not None:
            determinants["potential_sha256"] = user_file
        payload = json.dumps(determinants, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:12]


def user_potential_sha256(system: System) -> str | None:
    """SHA-256 of a user-supplied potential file (``ogn generate cuzr --potential-file``),
    ``None`` for the potentials LAMMPS ships (named, not given by path). The path alone
    would let an edited file reuse trajectories made with its old contents."""
    potential = system.potential
    if not isinstance(potential, PotentialFile) or not Path(potential.path).is_absolute():
        return None
    return file_sha256_by_version(Path(potential.path))


LJ_TEMPERATURES = (1.0, 2.0, 3.0, 4.0, 5.0)
"""S6: test temperatures around the training T = 3."""
LJ_DENSITY_RATIOS = (0.8, 0.9, 1.0, 1.1, 1.2)
"""S7: rho / rho0. 500 atoms, not the paper's 265, so that the box stays wider than 6.0
sigma, twice the 3-sigma range of the KA-LJ pair measures, up to rho = 1.2 rho0 (265
atoms would give 5.68 sigma there; the graph cutoff is 2 sigma)."""
DENSITY_ATOMS = 500
MSD_PERIOD_STEPS = 20
GROUP_CODES = {"train": 1, "test": 2, "msd": 3, "size": 4, "temperature": 5, "density": 6,
               "glass-train": 7, "glass-test": 8, "quench-rate": 9, "cage-scan": 10}
CAGE_SCAN_FACTORS = (0.8, 0.9, 1.0, 1.1, 1.2)
"""S2's temperature scan: each liquid's long NVE run at these multiples of its training
temperature (the paper states the temperature of the LJ liquid only)."""
CAGE_SCAN_PERIOD_STEPS = 5
"""Frames of a scan run every 5 MD steps (the msd group's 20 leave the flight to the cage
unresolved for the Angstrom liquids)."""
ON_DEMAND_GROUPS = frozenset({"cage-scan", "quench-rate"})
"""Groups that ``ogn generate --all`` leaves out unless asked (``--on-demand``): S2's
temperature scans and S11's rate scan, whose measures the pages read from their records
(:mod:`ogn_lib.studies.recorded_measures`; the ground-truth page's second LAMMPS run is one
of the temperature scans), ~25 of a fresh clone's ~45 CPU-minutes of MD. A page makes them
when it remeasures."""
QUENCH_LOG_TEMPERATURE_STEP = 1e-3
"""The set point falls by about this much (epsilon/k_B) between logged samples of a
rate-scan quench, so slow quenches do not log 10^4 samples (never under 100 MD steps)."""


def _seed(base_seed: int, group: str, index: int) -> int:
    return base_seed * 100_000 + GROUP_CODES[group] * 1000 + index + 1


def _liquid(system, sizes, n_atoms, steps, temperature=None, density=None):
    equilibration = (sizes.lj_equilibration_steps if system.name == "lj"
                     else sizes.other_equilibration_steps)
    return LiquidProtocol(
        n_atoms=n_atoms,
        temperature=system.temperature if temperature is None else temperature,
        number_density=system.number_density if density is None else density,
        equilibration_steps=equilibration, production_steps=steps)


def _lj_specs(sizes: ProfileSizes, base_seed: int) -> list[TrajectorySpec]:
    lj = SYSTEMS["lj"]
    specs = []

    def add(group, protocol, count=1, period=1):
        for _ in range(count):
            index = sum(s.group == group for s in specs)
            specs.append(TrajectorySpec("lj", group, index, _seed(base_seed, group, index),
                                        protocol, period))

    add("train", _liquid(lj, sizes, 265, sizes.lj_train_steps), sizes.lj_train)
    add("test", _liquid(lj, sizes, 265, sizes.lj_test_steps), sizes.lj_test)
    add("msd", _liquid(lj, sizes, 1000, 4000), period=5)
    specs += _cage_scan(lj, sizes, 1000, 4000, base_seed)
    for n_atoms in sizes.lj_sizes:
        add("size", _liquid(lj, sizes, n_atoms, sizes.lj_probe_steps))
    for temperature in LJ_TEMPERATURES:
        add("temperature", _liquid(lj, sizes, 265, sizes.lj_probe_steps,
                                   temperature=temperature), sizes.lj_probe_repeats)
    for ratio in LJ_DENSITY_RATIOS:
        add("density", _liquid(lj, sizes, DENSITY_ATOMS, sizes.lj_probe_steps,
                               density=ratio * lj.number_density), sizes.lj_probe_repeats)
    glass = MeltQuenchProtocol(
        n_atoms=sizes.glass_atoms, number_density=lj.number_density, t_melt=2.0,
        t_glass=0.5, t_final=0.05, cooling_rate=sizes.glass_cooling_rate,
        equilibration_steps=sizes.lj_equilibration_steps, hold_steps=1000,
        production_steps=sizes.glass_production_steps)
    n_test = max(1, sizes.glass_quenches // 4)
    add("glass-train", glass, sizes.glass_quenches - n_test)
    add("glass-test", glass, n_test)
    # S11's rate scan: the same quench, only its E(T) log is read (a short hold and record).
    for rate in sizes.quench_rates:
        log_period = 100 * max(1, round(QUENCH_LOG_TEMPERATURE_STEP / (rate * lj.dt) / 100))
        add("quench-rate", replace(glass, cooling_rate=rate, hold_steps=100,
                                   production_steps=100, log_period_steps=log_period),
            sizes.quenches_per_rate)
    return specs


def _other_specs(name: str, sizes: ProfileSizes, base_seed: int) -> list[TrajectorySpec]:
    system, n_atoms = SYSTEMS[name], sizes.other_atoms[name]
    groups = [("train", sizes.other_train, sizes.other_train_steps, 1),
              ("test", sizes.other_test, sizes.other_test_steps, 1),
              ("msd", 1, sizes.msd_steps, MSD_PERIOD_STEPS)]
    specs = [TrajectorySpec(name, group, i, _seed(base_seed, group, i),
                            _liquid(system, sizes, n_atoms, steps), period)
             for group, count, steps, period in groups for i in range(count)]
    return specs + _cage_scan(system, sizes, n_atoms, sizes.msd_steps, base_seed)


def _cage_scan(system, sizes: ProfileSizes, n_atoms: int, steps: int,
               base_seed: int) -> list[TrajectorySpec]:
    """One long NVE run per temperature of :data:`CAGE_SCAN_FACTORS` (S2)."""
    return [TrajectorySpec(system.name, "cage-scan", i, _seed(base_seed, "cage-scan", i),
                           _liquid(system, sizes, n_atoms, steps,
                                   temperature=round(factor * system.temperature, 6)),
                           CAGE_SCAN_PERIOD_STEPS)
            for i, factor in enumerate(CAGE_SCAN_FACTORS)]


def catalogue(profile: str, systems: tuple[str, ...] = tuple(SYSTEMS),
              base_seed: int = 1, engine: str = "lammps") -> list[TrajectorySpec]:
    """Every trajectory that ``profile`` needs for the given systems, made by ``engine``
    (refused for a system the engine cannot run)."""
    if profile not in SIZES:
        raise ValueError(f"unknown profile {profile!r}: choose one of {', '.join(PROFILES)}")
    if isinstance(base_seed, bool) or not isinstance(base_seed, int) or base_seed < 1:
        raise ValueError(f"seed={base_seed!r}: give a positive whole number")
    sizes, specs = SIZES[profile], []
    for name in systems:
        check_runs(engine, get_system(name))
        specs += (_lj_specs(sizes, base_seed) if name == "lj"
                  else _other_specs(name, sizes, base_seed))
    return [dataclasses.replace(spec, engine=engine) for spec in specs]


def trajectory_path(spec: TrajectorySpec, profile: str, system: System | None = None,
                    root: Path | None = None) -> Path:
    system = system or SYSTEMS[spec.system]
    key = spec.key(profile, system, engine_label(spec.engine))
    return (root or data_root()) / profile / spec.system / spec.group / f"{spec.label}-{key}.gsd"


def trajectory_paths(profile: str, group: str, root: Path | None = None,
                     base_seed: int = 1) -> list[Path]:
    """Paths of the trajectories of ``group`` (``"lj-train"``, ``"silica-test"``, ...).

    The paths are those the current parameters determine; whether the files exist is up
    to :func:`generate`.
    """
    system, _, role = group.partition("-")
    specs = [s for s in catalogue(profile, (system,), base_seed) if s.group == role]
    if not specs:
        known = sorted({f"{s.system}-{s.group}" for s in catalogue(profile, (system,))})
        raise ValueError(f"no trajectories in group {group!r}: known groups are "
                         f"{', '.join(known)}")
    return [trajectory_path(s, profile, root=root) for s in specs]


def ensure_group(profile: str, group: str, jobs: int = min(2, os.cpu_count() or 1),
                 base_seed: int = 1, root: Path | None = None,
                 engine: str = "lammps", n_atoms: int | None = None) -> list[Path]:
    """Paths of the trajectories of ``group`` (``"lj-test"``, ...) made by ``engine``,
    making the missing or invalid ones first: what a notebook calls before it reads
    data. With ``n_atoms``, only the group's trajectories of that many atoms (S5 reads the
    largest size alone from its extra seeds)."""
    system, _, role = group.partition("-")
    specs = [s for s in catalogue(profile, (system,), base_seed, engine) if s.group == role]
    if not specs:
        trajectory_paths(profile, group, root, base_seed)  # raises with the known groups
    if n_atoms is not None:
        sizes = sorted({spec.protocol.n_atoms for spec in specs})
        specs = [spec for spec in specs if spec.protocol.n_atoms == n_atoms]
        if not specs:
            raise ValueError(f"no trajectory of {n_atoms} atoms in group {group!r}: its "
                             f"sizes are {', '.join(map(str, sizes))}")
    return [result.path for result in generate(specs, profile, jobs=jobs, root=root)]


def _metadata(spec: TrajectorySpec, system: System, profile: str, key: str) -> dict:
    units = system.units
    return {
        "system": system.name, "title": system.title, "group": spec.group,
        "index": spec.index, "seed": spec.seed, "profile": profile, "key": key,
        "protocol": type(spec.protocol).__name__,
        "parameters": dataclasses.asdict(spec.protocol),
        "units": {"style": units.name, "length": units.length, "time": units.time,
                  "energy": units.energy, "mass": units.mass,
                  "temperature": units.temperature, "velocity": units.velocity,
                  "boltzmann": units.boltzmann},
        "dt": system.dt, "potential": repr(system.potential),
        "engine": engine_label(spec.engine), "ogn_version": __version__,
        "format": FORMAT_VERSION,
    }


@dataclass(frozen=True)
class GenerationResult:
    spec: TrajectorySpec
    path: Path
    status: str
    """``made``, ``reused`` or ``remade`` (a previous file was invalid)."""
    n_atoms: int
    n_frames: int
    md_steps: int
    seconds: float
    reason: str = ""

    def summary(self) -> str:
        rate = f"{self.md_steps / self.seconds:8.0f} steps/s" if self.seconds else "   reused"
        note = f" ({self.reason})" if self.reason else ""
        return (f"{self.spec.label:<22} {self.status:<7} {self.n_atoms:6d} atoms "
                f"{self.n_frames:6d} frames {rate}  {self.path}{note}")


def _md_steps(protocol, system: System) -> int:
    if isinstance(protocol, MeltQuenchProtocol):
        return (protocol.equilibration_steps + protocol.hold_steps + protocol.production_steps
                + protocol.cooling_steps(system, protocol.t_melt, protocol.t_glass)
                + protocol.cooling_steps(system, protocol.t_glass, protocol.t_final))
    return protocol.equilibration_steps + protocol.production_steps


def existing_valid(path: Path, key: str, dt: float | None = None,
                   period_steps: int | None = None) -> tuple[TrajectoryMetadata | None, str]:
    """``(metadata, "")`` when ``path`` is a whole file made for ``key`` (with MD step
    ``dt`` and recording period ``period_steps``, when given), else ``(None, reason)``
    saying why it cannot be reused ("" when there is no file)."""
    if not path.exists() and not sidecar_path(path).exists():
        return None, ""
    try:
        metadata = validate(path)
    except TrajectoryError as error:
        return None, str(error)
    if metadata.key != key:
        return None, f"{path}: sidecar key {metadata.key} differs from {key}"
    if dt is not None and metadata.dt != dt:
        return None, f"{path}: sidecar MD step {metadata.dt} differs from the system's {dt}"
    if period_steps is not None and metadata.period_steps != period_steps:
        return None, (f"{path}: recorded every {metadata.period_steps} MD steps, not every "
                      f"{period_steps}")
    return metadata, ""


def _reused(spec: TrajectorySpec, profile: str, system: System | None = None,
            root: Path | None = None) -> GenerationResult | None:
    """The result for ``spec`` when its file exists and is valid, else None."""
    system = system or SYSTEMS[spec.system]
    path = trajectory_path(spec, profile, system, root)
    metadata, _ = existing_valid(path, spec.key(profile, system, engine_label(spec.engine)),
                                 system.dt, spec.period_steps)
    if metadata is None:
        return None
    return GenerationResult(spec, path, "reused", spec.protocol.n_atoms,
                            metadata.n_frames, 0, 0.0)


def ensure(spec: TrajectorySpec, profile: str, system: System | None = None,
           root: Path | None = None, device: str = "cpu") -> GenerationResult:
    """Reuse the valid file for ``spec`` or (re)make it on ``device`` (``gpu``: HOOMD-blue
    built with CUDA); never leaves a partial file."""
    reused = _reused(spec, profile, system, root)
    if reused is not None:
        return reused
    system = system or SYSTEMS[spec.system]
    path = trajectory_path(spec, profile, system, root)
    key = spec.key(profile, system, engine_label(spec.engine))
    # One maker per file: a second process (two `ogn generate`, two notebooks) waits here
    # and then reuses the file the first made.
    with exclusive(path):
        reused = _reused(spec, profile, system, root)
        if reused is not None:
            return reused
        _, reason = existing_valid(path, key, system.dt, spec.period_steps)
        path.unlink(missing_ok=True)
        sidecar_path(path).unlink(missing_ok=True)
        start = time.perf_counter()
        with TrajectoryWriter(path, spec.period_steps) as writer:
            extra = spec.protocol.run(system, spec.seed, writer, spec.engine, device)
            writer.commit(dict(_metadata(spec, system, profile, key), **extra))
    return GenerationResult(spec, path, "remade" if reason else "made",
                            spec.protocol.n_atoms, writer.n_frames,
                            _md_steps(spec.protocol, system),
                            time.perf_counter() - start, reason)


def generate(specs: list[TrajectorySpec], profile: str, jobs: int = 1,
             systems_override: dict[str, System] | None = None, root: Path | None = None,
             on_result=None, device: str = "cpu") -> list[GenerationResult]:
    """Make or reuse every trajectory in ``specs``, ``jobs`` MD processes at a time, on
    ``device`` (see :func:`ensure`).

    Valid files are reused in this process; only the files to make go to the ``jobs``
    worker processes. Each LAMMPS instance runs on one thread, so a file does not depend
    on ``jobs``. ``on_result`` is called with each :class:`GenerationResult` as it
    completes; the returned list follows the order of ``specs``.
    """
    overrides = systems_override or {}
    tasks = [(spec, profile, overrides.get(spec.system), root, device) for spec in specs]
    results = []

    def collect(result):
        results.append(result)
        if on_result:
            on_result(result)

    pending = []
    for task in tasks:
        reused = _reused(*task[:4])
        if reused is None:
            pending.append(task)
        else:
            collect(reused)
    order = {spec: index for index, spec in enumerate(specs)}
    if jobs <= 1 or len(pending) <= 1:
        for task in pending:
            collect(ensure(*task))
        return sorted(results, key=lambda result: order[result.spec])

    def cost(task):
        spec = task[0]
        return spec.protocol.n_atoms * _md_steps(spec.protocol, SYSTEMS[spec.system])

    run_in_workers(ensure, sorted(pending, key=cost, reverse=True), jobs, collect)
    return sorted(results, key=lambda result: order[result.spec])
