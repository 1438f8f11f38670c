"""LAMMPS against HOOMD-blue on this CPU, for the ground-truth page; writes
``book/data/engine_speed.json``.

Usage: ``OMP_NUM_THREADS=1 python scripts/engine_speed_benchmark.py`` (about two minutes on
one core; needs HOOMD-blue: ``make hoomd``). Each system at the sizes of the OGN speed
benchmark (KA-LJ 4,000 atoms, silica 3,000), and at its quick training size; both engines
from the same LAMMPS-made liquid (:func:`ogn_lib.bench.engine_speed.engine_rates`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ogn_lib.bench.engine_speed import engine_rates
from ogn_lib.files import write_json_atomic
from ogn_lib.machine import describe_machine
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "engine_speed.json"
CASES = (("lj", 265, 2000), ("lj", 4000, 500), ("silica", 375, 1000), ("silica", 3000, 200))
"""(system, atoms, timed MD steps)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args()
    rows = []
    for system, n_atoms, n_steps in CASES:
        for row in engine_rates(system, n_atoms, n_steps):
            rows.append(row)
            print(f"{system:<7} {row['n_atoms']:>6} {row['label']:<20} "
                  f"{row['atom_steps_per_s']:10.3g} atom-steps/s")
    write_json_atomic(Path(args.output), {"machine": describe_machine(), "threads": 1,
                                    "time": "CPU seconds on one thread", "rows": rows})
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
