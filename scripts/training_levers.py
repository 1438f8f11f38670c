"""The lever study of issue 28 (:mod:`ogn_lib.studies.training_levers`): each change to the
quick KA-LJ Fast-OGN recipe trained for the same CPU minutes and scored on held-out
trajectories. Resumable; meant for one core in the background:

    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/training_levers.py \\
        >> data/training/levers/levers.log 2>&1 &

Writes ``book/data/training_levers.json``; checkpoints go to ``data/training/levers/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.studies.training_levers import LEVERS, run_study


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [lever.name for lever in LEVERS]
    parser.add_argument("levers", nargs="*",
                        help=f"levers to run (default: all, in order): {', '.join(names)}")
    parser.add_argument("--cpu-minutes", type=float, default=13.0,
                        help="training CPU budget of each lever")
    parser.add_argument("--starts", type=int, default=8)
    parser.add_argument("--folder", type=Path,
                        default=REPOSITORY_ROOT / "data" / "training" / "levers")
    parser.add_argument("--output", type=Path,
                        default=REPOSITORY_ROOT / "book" / "data" / "training_levers.json")
    args = parser.parse_args()
    unknown = sorted(set(args.levers) - set(names))
    if unknown:
        parser.error(f"unknown levers {unknown}; choose from {names}")
    torch.set_num_threads(1)
    args.folder.mkdir(parents=True, exist_ok=True)
    run_study(args.folder, args.output, args.cpu_minutes * 60, args.starts,
              tuple(args.levers) or None, log=lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
