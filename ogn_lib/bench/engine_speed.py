"""Benchmark: LAMMPS and HOOMD-blue on the CPU, from the same state, in the same process.

For each system both engines run (KA-LJ and silica), LAMMPS makes one liquid (random
start, minimisation, Langevin at the system's temperature); each engine then loads it,
runs ``n_steps // 5`` untimed NVE steps and ``repeats`` timed runs of ``n_steps`` with
nothing recorded; the fastest counts (the machine is shared). CPU seconds, one thread
each (``OMP_NUM_THREADS=1``), as the other speed benchmarks; atom-steps per second.
:func:`engine_speed` measures :data:`CASES`, the report of ``book/data/engine_speed.json``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ogn_lib.machine import describe_machine
from ogn_lib.md.engines import ENGINES, engine_label, open_simulation
from ogn_lib.md.systems import SYSTEMS

CASES = (("lj", 265, 2000), ("lj", 4000, 500), ("silica", 375, 1000), ("silica", 3000, 200))
"""(system, atoms, timed MD steps): each system at the size of the OGN speed benchmark
(KA-LJ 4,000 atoms, silica 3,000) and at its quick training size."""


def liquid_state(system_name: str, n_atoms: int, seed: int = 7):
    """A liquid of ``n_atoms`` at the system's temperature, made by LAMMPS."""
    system = SYSTEMS[system_name]
    with open_simulation("lammps", system, seed) as simulation:
        simulation.create_random_state(n_atoms)
        simulation.minimize()
        simulation.thermalize(system.temperature, 200)
        return simulation.configuration()


def engine_rates(system_name: str, n_atoms: int, n_steps: int, repeats: int = 2,
                 engines: tuple[str, ...] = ENGINES) -> list[dict]:
    """One row per engine: atom-MD-steps per CPU second from the same liquid."""
    state = liquid_state(system_name, n_atoms)
    rows = []
    for engine in engines:
        with open_simulation(engine, SYSTEMS[system_name], seed=7) as simulation:
            simulation.load(state)
            simulation.run(max(1, n_steps // 5))
            seconds = []
            for _ in range(repeats):
                start = time.process_time()
                simulation.run(n_steps)
                seconds.append(time.process_time() - start)
        rows.append({"system": system_name, "engine": engine, "label": engine_label(engine),
                     "n_atoms": state.n_atoms, "n_steps": n_steps, "repeats": repeats,
                     "atom_steps_per_s": state.n_atoms * n_steps / min(seconds)})
    return rows


def engine_speed(cases: tuple[tuple[str, int, int], ...] = CASES,
                 log: Callable[[str], None] = print) -> dict:
    """The report of ``book/data/engine_speed.json``: :func:`engine_rates` of each
    ``(system, atoms, timed MD steps)`` case, one row per engine."""
    rows = []
    for system, n_atoms, n_steps in cases:
        for row in engine_rates(system, n_atoms, n_steps):
            rows.append(row)
            log(f"{system:<7} {row['n_atoms']:>6} {row['label']:<20} "
                f"{row['atom_steps_per_s']:10.3g} atom-steps/s")
    return {"machine": describe_machine(), "threads": 1, "time": "CPU seconds on one thread",
            "rows": rows}
