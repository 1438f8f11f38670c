"""LAMMPS against HOOMD-blue on this CPU, for the ground-truth page; writes
``book/data/engine_speed.json``.

Usage: ``OMP_NUM_THREADS=1 python scripts/engine_speed_benchmark.py`` (about two minutes on
one core; needs HOOMD-blue: ``make hoomd``). Each system at the sizes of the OGN speed
benchmark (KA-LJ 4,000 atoms, silica 3,000), and at its quick training size; both engines
from the same LAMMPS-made liquid (:func:`ogn_lib.bench.engine_speed.engine_speed`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ogn_lib.bench.engine_speed import engine_speed
from ogn_lib.files import write_json_atomic
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "engine_speed.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args()
    write_json_atomic(Path(args.output), engine_speed())
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
