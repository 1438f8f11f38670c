"""Rollout speed levers of the shipped quick Fast-OGN, side by side in one run; writes
``book/data/rollout_levers.json`` for the book's speed page.

Usage: ``python scripts/rollout_levers_benchmark.py [--atoms 4000] [--predictions 20]
[--systems ...]`` (about 10 minutes on one core; needs the quick test trajectories and the
shipped quick models). What it measures: :mod:`ogn_lib.bench.rollout_levers`.
"""

from __future__ import annotations

import argparse
from functools import partial

from ogn_lib.bench.rollout_levers import rollout_levers
from ogn_lib.files import write_json_atomic
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "rollout_levers.json"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atoms", type=int, default=4000)
    parser.add_argument("--predictions", type=int, default=20)
    parser.add_argument("--systems", nargs="*", default=["lj", "silica", "si", "cuzr"])
    arguments = parser.parse_args()
    write_json_atomic(OUTPUT, rollout_levers(arguments.systems, arguments.atoms,
                                             arguments.predictions,
                                             log=partial(print, flush=True)))


if __name__ == "__main__":
    main()
