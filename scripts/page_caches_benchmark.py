"""Time the validation page's and S5's library calls with their runs and measures made
afresh, kept in an empty folder (cold) and read back (warm), and check each gives the same
numbers (issue 31; :mod:`ogn_lib.bench.page_caches`).

    OMP_NUM_THREADS=1 python scripts/page_caches_benchmark.py            # ~15-25 minutes
    python scripts/page_caches_benchmark.py --pages S05 --before S05=before_S05.pkl

Writes ``book/data/page_caches.json``. ``--before PAGE=FILE`` compares every variant with
numbers the code before the caches gave (a pickle of ``page_numbers`` of that page's
results). Leave the cores idle meanwhile: the report gives the load average.
"""

import argparse
import json
import pickle
from pathlib import Path

from ogn_lib.bench.page_caches import PAGES, benchmark
from ogn_lib.files import write_json_atomic
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "page_caches.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pages", nargs="+", choices=sorted(PAGES), default=list(PAGES))
    parser.add_argument("--cold-predictions", type=int, default=20,
                        help="predictions per system timed for the cold rollouts (0: none)")
    parser.add_argument("--before", nargs="*", default=[], metavar="PAGE=FILE")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    before = {}
    for item in args.before:
        page, _, path = item.partition("=")
        with open(path, "rb") as handle:
            before[page] = pickle.load(handle)
    report = benchmark(args.profile, args.seed, tuple(args.pages), args.cold_predictions,
                       before)
    write_json_atomic(args.output, report)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
