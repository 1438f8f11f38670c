"""The ``ogn`` command: wires the layers together for the user; holds no physics."""

from __future__ import annotations

import argparse
import os
import sys
import time

from ogn_lib.systems import SYSTEMS
from ogn_lib.train_cli import add_rollout_parser, add_train_parser
from ogn_lib.trajectory import TrajectoryError


def _generate(args) -> int:
    from tqdm import tqdm

    from ogn_lib import datasets

    if args.all == bool(args.system):
        print("ogn generate: name one SYSTEM or give --all "
              f"(systems: {', '.join(SYSTEMS)})", file=sys.stderr)
        return 2
    names = tuple(SYSTEMS) if args.all else (args.system,)
    overrides = {}
    if args.potential_file:
        if names != ("cuzr",):
            print("ogn generate: --potential-file replaces the Cu-Zr EAM file; use it with "
                  "SYSTEM=cuzr", file=sys.stderr)
            return 2
        overrides["cuzr"] = SYSTEMS["cuzr"].with_potential_file(args.potential_file)
    specs = datasets.catalogue(args.profile, names, args.seed)
    start = time.perf_counter()
    with tqdm(total=len(specs), unit="file", desc=f"generate {args.profile}",
              file=sys.stderr, disable=None) as bar:
        def report(result):
            bar.write(result.summary())
            bar.update(1)
        datasets.generate(specs, args.profile, jobs=args.jobs, systems_override=overrides,
                          on_result=report)
    print(f"{len(specs)} trajectories ready in {time.perf_counter() - start:.0f} s "
          f"under {datasets.data_root() / args.profile}")
    return 0


def _benchmark_md(args) -> int:
    from ogn_lib.benchmark_md import run_benchmark

    run_benchmark(args.atoms, args.steps, args.output, tuple(args.systems))
    return 0


def _reproduce(args) -> int:
    from ogn_lib.reproduce import build_book, reproduce

    start = time.perf_counter()
    runs = reproduce(args.profile, args.only, args.seed, args.device, args.retrain,
                     args.keep_going, args.jobs)
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


def _movies(args) -> int:
    from ogn_lib.book_movies import make_movies

    for row in make_movies(args.profile):
        print(f"Movie S{row['movie']} {row['system']:<7} {row['frames']:4d} frames  "
              f"{row['prediction']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ogn", description="Reproduce Liu et al. 2023 (OGN): ground-truth MD, "
                                "learned simulator, analysis.")
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser(
        "generate", help="make (or reuse) the ground-truth MD trajectories")
    generate.add_argument("system", nargs="?", choices=sorted(SYSTEMS),
                          help="which system (or --all)")
    generate.add_argument("--all", action="store_true", help="every system")
    generate.add_argument("--profile", choices=("quick", "paper"), default="quick")
    generate.add_argument("--seed", type=int, default=1,
                          help="base seed of the data set (positive integer)")
    generate.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                          help="LAMMPS processes at once (each single-threaded)")
    generate.add_argument("--potential-file",
                          help="another Finnis-Sinclair setfl file for cuzr")
    generate.set_defaults(handler=_generate)

    bench = commands.add_parser(
        "benchmark-md", help="LAMMPS speed through ogn_lib vs LAMMPS run directly")
    bench.add_argument("--atoms", type=int, default=4000)
    bench.add_argument("--steps", type=int, default=300)
    bench.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=sorted(SYSTEMS))
    bench.add_argument("--output", default="results/benchmark_md.json")
    bench.set_defaults(handler=_benchmark_md)

    repro = commands.add_parser(
        "reproduce", help="execute the notebooks (papermill) and build the book")
    repro.add_argument("--profile", choices=("quick", "paper"), default="quick")
    repro.add_argument("--only", nargs="+", metavar="NAME",
                       help="run only these notebooks, e.g. --only S02 S11 movies")
    repro.add_argument("--seed", type=int, default=1)
    repro.add_argument("--device", default="cpu", help="torch device for the OGN")
    repro.add_argument("--retrain", action="store_true",
                       help="train every model from nothing instead of reusing shipped ones")
    repro.add_argument("--keep-going", action="store_true",
                       help="run the other notebooks after one fails")
    repro.add_argument("--jobs", type=int, default=1,
                       help="notebooks executed at once (one kernel each; set "
                            "OMP_NUM_THREADS=1 so that they do not fight over cores)")
    repro.add_argument("--no-book", dest="book", action="store_false",
                       help="execute the notebooks but do not build the book")
    repro.set_defaults(handler=_reproduce)

    movies = commands.add_parser(
        "movies", help="make Movies S1-S4 (true vs predicted atoms) for the book")
    movies.add_argument("--profile", choices=("quick", "paper"), default="quick")
    movies.set_defaults(handler=_movies)

    add_train_parser(commands)
    add_rollout_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except (ValueError, FileNotFoundError, TrajectoryError) as error:
        print(f"ogn {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
