"""The ``ogn`` command, every subcommand in one place: generate, train, rollout, movies,
reproduce and benchmark-md. It wires the layers together for the user and holds no physics."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch

from ogn_lib.data.trajectory import TrajectoryError, read_trajectory
from ogn_lib.learn.checkpoint import load_simulator
from ogn_lib.learn.distributed import launched
from ogn_lib.learn.presets import PRESETS, PROFILE_SIZES
from ogn_lib.learn.rollout import rollout
from ogn_lib.md.systems import SYSTEMS, get_system


def _generate(args) -> int:
    from tqdm import tqdm

    from ogn_lib.data import catalogue
    from ogn_lib.paths import data_root

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
    specs = catalogue.catalogue(args.profile, names, args.seed)
    start = time.perf_counter()
    with tqdm(total=len(specs), unit="file", desc=f"generate {args.profile}",
              file=sys.stderr, disable=None) as bar:
        def report(result):
            bar.write(result.summary())
            bar.update(1)
        catalogue.generate(specs, args.profile, jobs=args.jobs, systems_override=overrides,
                          on_result=report)
    print(f"{len(specs)} trajectories ready in {time.perf_counter() - start:.0f} s "
          f"under {data_root() / args.profile}")
    return 0


def _benchmark_md(args) -> int:
    from ogn_lib.bench.md_speed import run_benchmark

    run_benchmark(args.atoms, args.steps, args.output, tuple(args.systems))
    return 0


def _reproduce(args) -> int:
    from ogn_lib.book.reproduce import build_book, reproduce

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
    from ogn_lib.book.movies import make_movies

    for row in make_movies(args.profile):
        print(f"Movie S{row['movie']} {row['system']:<7} {row['frames']:4d} frames  "
              f"{row['prediction']}")
    return 0


def _set_threads(threads: int | None) -> None:
    """Torch threads: ``--threads``, else ``OGN_THREADS``, else torch's default. On a
    2-core machine where another job holds a core, 1 thread is far faster than 2."""
    threads = threads or int(os.environ.get("OGN_THREADS", "0"))
    if threads:
        torch.set_num_threads(threads)


def _add_train_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train", help="train an OGN on a system's training trajectories",
        description="Train Fast-OGN or Reference-OGN; the test loss of every epoch is saved "
                    "in the checkpoint, which is rewritten atomically after each epoch.",
        epilog="Several processes (data parallel, one GPU or CPU share each): "
               "`torchrun --standalone --nproc_per_node 2 --no-python ogn train --system lj`. "
               "Every process trains on its share of each batch (the batch size must be a "
               "multiple of the number of processes), DistributedDataParallel averages the "
               "gradients, so the run matches one process to rounding; rank 0 writes the "
               "checkpoint and --resume works as with one process.")
    parser.add_argument("--system", required=True, help="lj, silica, si or cuzr")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="fast")
    parser.add_argument("--profile", choices=sorted(PROFILE_SIZES), default="quick")
    parser.add_argument("--cutoff", type=float, default=None,
                        help="graph cutoff in the system's length unit "
                             "(default: the system's, ogn_lib.learn.presets.GRAPH_CUTOFFS)")
    parser.add_argument("--epochs", type=int, default=None,
                        help="override the profile's number of epochs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoint", type=Path, default=None,
                        help="default data/<profile>/models/<system>-<preset>.pt")
    parser.add_argument("--resume", action="store_true",
                        help="continue from the checkpoint's last epoch")
    parser.add_argument("--ship", action="store_true",
                        help="when training has finished, copy the weights to "
                             "data/shipped/<profile>/ with their provenance JSON")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch CPU threads (default: $OGN_THREADS or torch's choice)")
    parser.add_argument("--device", default="auto",
                        help="auto (a CUDA GPU when torch sees one, else the CPU), cpu, cuda "
                             "or cuda:<index>; under torchrun, cuda is cuda:<LOCAL_RANK>")
    parser.set_defaults(handler=_train)
    return parser


def _train(args: argparse.Namespace) -> None:
    from ogn_lib.learn.trained_models import ship, train_model

    _set_threads(args.threads)
    system = get_system(args.system)
    if args.ship and (args.cutoff is not None or args.epochs is not None):
        raise SystemExit("ogn train: --ship ships the profile's own settings; drop --cutoff "
                         "and --epochs, or train without --ship")
    with launched(args.device) as placement:
        checkpoint, history = train_model(
            args.profile, system.name, args.preset, args.checkpoint, seed=args.seed,
            cutoff=args.cutoff, epochs=args.epochs, resume=args.resume,
            placement=placement, make_missing=False)
    if not placement.is_writer:
        return
    print(f"{checkpoint}: test loss {history['test_loss'][-1]:.4g} after "
          f"{len(history['test_loss'])} epochs on {placement.world_size} process(es), "
          f"{placement.device}")
    if args.ship:
        print(f"shipped as {ship(args.profile, system.name, args.preset, checkpoint)}")


def _add_rollout_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "rollout", help="predict a trajectory with a trained OGN",
        description="Start from one frame of a trajectory and apply the learned simulator "
                    "n times; the result is a GSD trajectory with one frame per prediction.")
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("--start", type=Path, required=True,
                        help="GSD trajectory holding the starting configuration")
    parser.add_argument("--frame", type=int, default=0, help="frame of --start to begin at")
    parser.add_argument("--predictions", type=int, default=20,
                        help="number of predictions (k MD steps each)")
    parser.add_argument("--out", type=Path, required=True, help="GSD file to write")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch CPU threads (default: $OGN_THREADS or torch's choice)")
    parser.set_defaults(handler=_rollout)
    return parser


def _rollout(args: argparse.Namespace) -> None:
    _set_threads(args.threads)
    truth = read_trajectory(args.start)
    simulator = load_simulator(args.checkpoint, system=truth.metadata.system)
    result = rollout(simulator, truth.configuration(args.frame), args.predictions, args.out,
                     metadata={"units": truth.metadata.units,
                               "source": str(args.start), "start_frame": args.frame,
                               "checkpoint": str(args.checkpoint)})
    print(f"{args.out}: {result.n_frames} frames, {simulator.spec.k_steps} MD steps apart")
    if result.blow_up:
        raise SystemExit(f"rollout stopped early: {result.blow_up}")


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

    _add_train_parser(commands)
    _add_rollout_parser(commands)
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
