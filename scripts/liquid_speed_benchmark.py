"""The learned simulator against LAMMPS for each of the four liquids, side by side in one
run; writes ``book/data/liquid_speed.json`` for the book's speed page.

Usage: ``python scripts/liquid_speed_benchmark.py [--sizes 4000 32000] [--systems ...]
[--only pairs_once|faster]`` (about 15 minutes on a 2-core machine left to it; needs the
quick test trajectories, ``ogn generate <system>``, and the shipped quick models). What it
measures: :mod:`ogn_lib.bench.liquid_speed`.
"""

from __future__ import annotations

import argparse
import json
from functools import partial
from pathlib import Path

from ogn_lib.bench.liquid_speed import PARTS, SIZES, liquid_speed, measure_part_again
from ogn_lib.files import write_json_atomic
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "liquid_speed.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--output", type=Path, default=OUTPUT,
                        help="JSON to write (default: the book's)")
    parser.add_argument("--only", choices=list(PARTS),
                        help="measure only this part (pairs_once: each pair once against "
                             "each direction; faster: the timing pairs of the verdict), into "
                             "the existing JSON")
    args = parser.parse_args()
    log = partial(print, flush=True)
    sizes = tuple(args.sizes)
    report = (measure_part_again(json.loads(args.output.read_text()), args.only, sizes,
                                 args.systems, log) if args.only
              else liquid_speed(sizes, args.systems, log))
    write_json_atomic(args.output, report)
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
