"""The commands that make the book: ``ogn reproduce`` (execute the notebooks, then build the
book) and ``ogn movies`` (Movies S1-S4)."""

from __future__ import annotations

import argparse
import sys
import time

from ogn_lib.cli.argument_types import positive_int
from ogn_lib.learn.distributed import choose_device


def add_reproduce_parser(subparsers) -> argparse.ArgumentParser:
    repro = subparsers.add_parser(
        "reproduce", help="execute the notebooks (papermill) and build the book")
    repro.add_argument("--profile", choices=("quick", "paper"), default="quick")
    repro.add_argument("--only", nargs="+", metavar="NAME",
                       help="run only these notebooks, e.g. --only S02 S11 movies")
    repro.add_argument("--seed", type=int, default=1)
    repro.add_argument("--device", default="cpu",
                       help="torch device for the OGN: cpu, auto (a CUDA GPU when torch sees "
                            "one), cuda or cuda:<index>")
    repro.add_argument("--retrain", action="store_true",
                       help="train every model from nothing instead of reusing shipped ones")
    repro.add_argument("--remeasure", action="store_true",
                       help="make the MD behind the recorded measures (S2's extra runs and "
                            "temperature scans, S11's rate scan) and measure it again "
                            "instead of reading the records")
    repro.add_argument("--keep-going", action="store_true",
                       help="run the other notebooks after one fails")
    repro.add_argument("--jobs", type=positive_int, default=1,
                       help="notebooks executed at once (one kernel each; set "
                            "OMP_NUM_THREADS=1 so that they do not fight over cores)")
    repro.add_argument("--no-book", dest="book", action="store_false",
                       help="execute the notebooks but do not build the book")
    repro.set_defaults(handler=_reproduce)
    return repro


def _reproduce(args) -> int:
    from ogn_lib.book.reproduce import build_book, reproduce

    device = choose_device(args.device)  # before any notebook starts
    start = time.perf_counter()
    runs = reproduce(args.profile, args.only, args.seed, device, args.retrain,
                     args.keep_going, args.jobs, remeasure=args.remeasure)
    failed = [run for run in runs if not run.ok]
    print(f"{len(runs) - len(failed)} of {len(runs)} notebooks executed in "
          f"{time.perf_counter() - start:.0f} s")
    if failed:
        for run in failed:
            print(f"ogn reproduce: {run.name} failed at {run.error}", file=sys.stderr)
        return 1
    if args.book:
        build_book()
    return 0


def add_movies_parser(subparsers) -> argparse.ArgumentParser:
    movies = subparsers.add_parser(
        "movies", help="make Movies S1-S4 (true vs predicted atoms) for the book")
    movies.add_argument("--profile", choices=("quick", "paper"), default="quick")
    movies.set_defaults(handler=_movies)
    return movies


def _movies(args) -> int:
    from ogn_lib.book.movies import make_movies

    for row in make_movies(args.profile):
        print(f"Movie S{row['movie']} {row['system']:<7} {row['frames']:4d} frames  "
              f"{row['prediction']}")
    return 0
