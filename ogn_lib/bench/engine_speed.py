"""Benchmark: LAMMPS and HOOMD-blue on the CPU, from the same state, in the same process.

For each system both engines run (KA-LJ and silica), LAMMPS makes one liquid (random
start, minimisation, Langevin at the system's temperature); each engine then loads it,
runs ``n_steps // 5`` untimed NVE steps and ``repeats`` timed runs of ``n_steps`` with
nothing recorded; the fastest counts (the machine is shared). CPU seconds, one thread
each (``OMP_NUM_THREADS=1``), as the other speed benchmarks; atom-steps per second.
"""

from __future__ import annotations

import time

from ogn_lib.md.engines import ENGINES, engine_label, open_simulation
from ogn_lib.md.systems import SYSTEMS


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
