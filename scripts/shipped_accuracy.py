"""The shipped Fast-OGNs against the accuracy bars, on held-out test trajectories.

For each system: position RMSE per atom after 25/50/100/200 MD steps (20 for the k = 10
systems) beside no motion and MD at k x dt, mean over starts; the rollout's kinetic
temperature over the truth's over the first 400 MD steps; and, from one 2000-MD-step
rollout, the total-energy drift over the mean kinetic energy (no correction applied)
(:mod:`ogn_lib.bench.shipped_accuracy`). Writes ``book/data/shipped_accuracy.json``.

Usage: ``python scripts/shipped_accuracy.py [--starts 4] [name ...]`` (default: the four
liquids and the LJ glass, ``lj-glass``). ``--root DIR`` measures the models kept as shipped
ones under ``DIR`` instead (a candidate, with its provenance), ``--output`` and ``--section``
write elsewhere: ``--section "pairs once" --output book/data/pair_once_accuracy.json`` keeps
each section's rows apart in one file.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ogn_lib.bench.shipped_accuracy import merged_report, shipped_accuracy
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.presets import DATA_SETS
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "shipped_accuracy.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("systems", nargs="*", default=[*SYSTEMS, *DATA_SETS],
                        choices=[*SYSTEMS, *DATA_SETS])
    parser.add_argument("--starts", type=int, default=4)
    parser.add_argument("--root", type=Path, default=None,
                        help="shipped-model folder to measure (default data/shipped)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--section", default=None,
                        help="keep the rows under this key of the output")
    args = parser.parse_args()
    results = {}
    for name in args.systems:
        results[name] = shipped_accuracy(name, args.starts, args.root)
        print(name, results[name], flush=True)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    write_json_atomic(args.output, merged_report(previous, results, args.section))


if __name__ == "__main__":
    main()
