"""The recorded trainings of issue 28 (:mod:`ogn_lib.studies.recorded_training`): the shipped
models trained over hours with the recipe the lever study found, scored on held-out
trajectories at every milestone. Resumable; meant for one core in the background:

    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/recorded_training.py lj-fast \\
        >> data/training/recorded/recorded.log 2>&1 &

Checkpoints and records (``<key>.pt``, ``<key>.json``) go to ``data/training/recorded/``;
commit them as the training goes, so that the next session resumes from them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import torch

from ogn_lib.studies.recorded_training import RECORDINGS, RECORDS_FOLDER, record, recording


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    keys = [each.key for each in RECORDINGS]
    parser.add_argument("recordings", nargs="*",
                        help=f"recordings to run (default: all, in order): {', '.join(keys)}")
    parser.add_argument("--starts", type=int, default=8)
    parser.add_argument("--ship", action="store_true",
                        help="when a recording has finished, ship its model (replacing the "
                             "shipped one) with its provenance")
    parser.add_argument("--folder", type=Path, default=RECORDS_FOLDER)
    args = parser.parse_args()
    try:
        chosen = [recording(key) for key in args.recordings] or list(RECORDINGS)
    except ValueError as error:
        parser.error(str(error))
    torch.set_num_threads(1)
    args.folder.mkdir(parents=True, exist_ok=True)
    for each in chosen:
        record(each, args.folder, args.starts, log=lambda line: print(line, flush=True),
               ship_when_done=args.ship)


if __name__ == "__main__":
    main()
