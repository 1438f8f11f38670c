"""Benchmark: MD speed through ``ogn_lib`` against the same LAMMPS input run directly.

For each system, one prepared LAMMPS state is advanced three ways in the same process:
``bare`` (``run N``, nothing recorded), ``lammps_dump`` (``run N`` with LAMMPS's own dump
of ids, types, positions, velocities and images and a thermo line every step: what a
LAMMPS user would run to record the same data), and ``ogn`` (:meth:`Simulation.run` with a
GSD :class:`TrajectoryWriter` every step). The wrapper's overhead is
``time(ogn) / time(bare) - 1`` (and, for reference, against ``lammps_dump``). Rates are
atom-steps per second. :func:`bare_rate` times the bare way from a given configuration,
for the OGN benchmark's LAMMPS rate at the same atom count.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from ogn_lib.configuration import Configuration
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.files import write_json_atomic
from ogn_lib.machine import describe_machine
from ogn_lib.md.lammps import Simulation, lammps_version
from ogn_lib.md.systems import SYSTEMS


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def benchmark_system(name: str, n_atoms: int, n_steps: int, folder: Path,
                     repeats: int = 3) -> dict:
    """Time the three ways ``repeats`` times, interleaved, and keep each one's fastest:
    the machine is shared, and the minimum is the least disturbed measurement."""
    system = SYSTEMS[name]
    times = {"bare": [], "lammps_dump": [], "ogn": []}
    with Simulation(system, seed=7) as simulation:
        simulation.create_random_state(n_atoms)
        simulation.minimize()
        simulation.thermalize(system.temperature, 200)
        simulation.commands(["fix bench_nve all nve", "thermo 1", f"run {n_steps // 5}",
                             "unfix bench_nve"])
        dump = folder / f"{name}.lammpstrj"
        for repeat in range(repeats):
            simulation.commands("fix bench_nve all nve")
            times["bare"].append(_timed(lambda: simulation.commands(f"run {n_steps}")))
            simulation.commands(f"dump bench all custom 1 {dump} id type x y z vx vy vz "
                                "ix iy iz")
            times["lammps_dump"].append(
                _timed(lambda: simulation.commands(f"run {n_steps}")))
            simulation.commands(["undump bench", "unfix bench_nve"])
            writer = TrajectoryWriter(folder / f"{name}-{repeat}.gsd", period_steps=1)
            times["ogn"].append(_timed(lambda: simulation.run(n_steps, writer)))
            writer.commit({"system": name, "dt": system.dt})
    best = {way: min(seconds) for way, seconds in times.items()}
    rate = n_atoms * n_steps
    return {
        "system": name, "n_atoms": n_atoms, "n_steps": n_steps, "repeats": repeats,
        "bare_atom_steps_per_s": rate / best["bare"],
        "lammps_dump_atom_steps_per_s": rate / best["lammps_dump"],
        "ogn_atom_steps_per_s": rate / best["ogn"],
        "overhead_vs_lammps_dump": best["ogn"] / best["lammps_dump"] - 1.0,
        "overhead_vs_bare": best["ogn"] / best["bare"] - 1.0,
    }


def bare_rate(configuration: Configuration, system_name: str, n_steps: int,
              repeats: int = 2, minimize_iterations: int = 50, dt_factor: int = 1,
              threads: int = 1) -> dict:
    """LAMMPS's atom-MD-steps per second with nothing recorded, from ``configuration``.

    The configuration is relaxed by at most ``minimize_iterations`` steps of energy
    minimisation (a random placement has close pairs), given Maxwell velocities at the
    system's temperature and run ``n_steps // 5`` steps before ``repeats`` timed runs of
    ``n_steps``; the fastest run counts. With ``dt_factor`` k the MD step is k times the
    system's, and each step counts as k MD steps of the system's own (the simulated time
    it delivers); such a run may lose atoms, and then ``stable`` is False and no rate is
    given. CPU seconds (``time.process_time``) on one thread, like the OGN benchmark; wall
    seconds with LAMMPS's OpenMP styles on ``threads`` threads.
    """
    if dt_factor < 1 or threads < 1:
        raise ValueError(f"dt_factor={dt_factor}, threads={threads}: give whole numbers of at "
                         "least 1")
    system = SYSTEMS[system_name]
    clock = time.process_time if threads == 1 else time.perf_counter
    seconds = []
    row = {"system": system_name, "n_atoms": configuration.n_atoms, "n_steps": n_steps,
           "repeats": repeats, "dt_factor": dt_factor, "threads": threads}
    with Simulation(system, seed=7, threads=threads) as simulation:
        simulation.load(configuration)
        simulation.commands([f"minimize 1.0e-4 1.0e-6 {minimize_iterations} "
                             f"{10 * minimize_iterations}",
                             f"velocity all create {system.temperature!r} 11 dist gaussian "
                             "mom yes rot no loop geom",
                             f"timestep {system.dt * dt_factor!r}",
                             "fix bench_nve all nve"])
        try:
            simulation.commands(f"run {max(1, n_steps // 5)}")
            for _ in range(repeats):
                start = clock()
                simulation.commands(f"run {n_steps}")
                seconds.append(clock() - start)
        except Exception as error:  # LAMMPS raises a bare Exception when atoms are lost
            return {**row, "stable": False, "failure": str(error).splitlines()[0],
                    "atom_steps_per_s": None}
        energy = simulation.lmp.get_thermo("etotal")
    stable = bool(np.isfinite(energy))
    return {**row, "stable": stable,
            "atom_steps_per_s": (configuration.n_atoms * n_steps * dt_factor / min(seconds)
                                 if stable else None)}


MIN_ATOMS = 100
"""The smallest liquid a benchmark runs: fewer atoms are no liquid (one atom has no
temperature for LAMMPS to set), and their box is smaller than the potentials' range."""


def run_benchmark(n_atoms: int, n_steps: int, output: str, systems: tuple[str, ...]) -> dict:
    """Measure every system, print a table and save it as JSON at ``output``."""
    if n_atoms < MIN_ATOMS:
        raise ValueError(f"--atoms {n_atoms}: a benchmark liquid needs at least {MIN_ATOMS} "
                         "atoms (the default is 4000)")
    rows = []
    print(f"{'system':<8} {'atoms':>6} {'bare':>12} {'lammps+dump':>12} {'ogn':>12} "
          f"{'vs bare':>8} {'vs dump':>8}   (atom-steps/s, one core)")
    with tempfile.TemporaryDirectory() as folder:
        for name in systems:
            row = benchmark_system(name, n_atoms, n_steps, Path(folder))
            rows.append(row)
            print(f"{name:<8} {n_atoms:6d} {row['bare_atom_steps_per_s']:12.3g} "
                  f"{row['lammps_dump_atom_steps_per_s']:12.3g} "
                  f"{row['ogn_atom_steps_per_s']:12.3g} "
                  f"{100 * row['overhead_vs_bare']:7.1f}% "
                  f"{100 * row['overhead_vs_lammps_dump']:7.1f}%")
    report = {"engine": f"LAMMPS {lammps_version()}", "machine": describe_machine(),
              "threads": 1, "rows": rows}
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(Path(output), report)
    print(f"saved {output}")
    return report
