"""Learning ablation (quick profile): what makes the OGN learn in CPU minutes.

Each variant trains from the same seed on the quick training set of a system (KA-LJ by
default), on one thread, and is scored on the held-out test trajectories
(:mod:`ogn_lib.studies.learning_ablation`, which describes the variants and the scores).

Results go to ``results/ablation/<system>-<variant>.json`` (one file per variant, so an
interrupted sweep keeps what it finished), and every run merges its variants into the
book's table ``book/data/learning_ablation_<system>.{json,md}`` (rows measured before a
column existed say "not run" there).

``--throughput`` measures instead the training throughput levers side by side in one
process (:mod:`ogn_lib.bench.throughput_levers`: batch size, ``torch.compile``, tensor
channels): CPU seconds per batch of graph building, forward, backward and Adam step, the
first batch (with its compilation) apart, into
``book/data/training_throughput_<system>.json``.

Usage: ``python scripts/learning_ablation.py [--system NAME] [--data FOLDER]
[--throughput] [variant ...]`` (default: every variant but the shipped one on the quick
KA-LJ data set; ``--data`` takes a folder with ``train/`` and ``test/`` GSD files instead,
to keep a sweep on one fixed copy while the data set is regenerated).
"""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from ogn_lib.files import write_json_atomic
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.studies.learning_ablation import (
    SHIPPED,
    VARIANTS,
    ablation_paths,
    learning_ablation,
    training_throughput,
    write_summary,
)

OUT = Path("results/ablation")
BOOK_DATA = REPOSITORY_ROOT / "book" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--system", default="lj", choices=sorted(SYSTEMS))
    parser.add_argument("--data", type=Path, help="folder with train/ and test/ GSD files")
    parser.add_argument("--throughput", action="store_true",
                        help="measure the throughput levers instead of training variants")
    parser.add_argument("variants", nargs="*", help="default: every variant but the shipped")
    args = parser.parse_args()
    unknown = set(args.variants) - {*VARIANTS, SHIPPED}
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; choose from "
                     f"{', '.join([*VARIANTS, SHIPPED])}")
    log = partial(print, flush=True)
    train_paths, test_paths = ablation_paths(args.system, args.data)
    if args.throughput:
        write_json_atomic(BOOK_DATA / f"training_throughput_{args.system}.json",
                          training_throughput(args.system, train_paths, log))
        return
    results = learning_ablation(args.system, args.variants or list(VARIANTS), train_paths,
                                test_paths, OUT, log)
    write_summary(BOOK_DATA / f"learning_ablation_{args.system}", results)


if __name__ == "__main__":
    main()
