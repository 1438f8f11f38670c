"""KA-LJ speed benchmark: OGN rollouts at 265, 10,000 and 100,000 atoms next to LAMMPS,
and training samples per second; writes ``book/data/ogn_speed_lj.json``.

Usage: ``python scripts/speed_benchmark.py [--quick-only]`` (30 minutes on one core of a
shared 2-core machine, most of it at 100,000 atoms; ``--quick-only`` leaves out the
paper-sized network, about 20 minutes). Needs about 5 GiB of free memory and the quick
KA-LJ training data. What it measures: :mod:`ogn_lib.bench.size_scaling`.
"""

from __future__ import annotations

import argparse
from functools import partial

from ogn_lib.bench.size_scaling import size_scaling
from ogn_lib.files import write_json_atomic
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "ogn_speed_lj.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick-only", action="store_true",
                        help="leave out the paper-sized network")
    report = size_scaling(parser.parse_args().quick_only, log=partial(print, flush=True))
    write_json_atomic(OUTPUT, report)
    print(f"saved {OUTPUT.relative_to(REPOSITORY_ROOT)}")


if __name__ == "__main__":
    main()
