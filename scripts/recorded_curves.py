"""The recorded loss curves of S8-S10 (:mod:`ogn_lib.studies.recorded_curves`), trained
once to the end and read by the pages. Resumable; meant for one core in the background:

    OMP_NUM_THREADS=1 nohup .venv/bin/python scripts/recorded_curves.py S09 S10 S08 \\
        >> data/training/recorded/curves/curves.log 2>&1 &

Checkpoints and records go to ``data/training/recorded/curves/``; commit them as the
training goes, so that the next session resumes from them.
"""

from __future__ import annotations

import argparse

import torch

from ogn_lib.studies.recorded_curves import CURVE_SETS, record_sections


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", default=list(CURVE_SETS),
                        help=f"sections to record, in order (default: {' '.join(CURVE_SETS)})")
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(1)
    try:
        record_sections(args.sections, args.profile, args.seed,
                        log=lambda line: print(line, flush=True))
    except ValueError as error:
        parser.error(str(error))


if __name__ == "__main__":
    main()
