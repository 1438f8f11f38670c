"""Command-line front ends of training and rollout: ``ogn train`` and ``ogn rollout``.

Only argument parsing and wiring live here; :mod:`ogn_lib.cli` attaches the parsers with
:func:`add_train_parser` and :func:`add_rollout_parser`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch

from ogn_lib.checkpoint import load_simulator
from ogn_lib.distributed import launched
from ogn_lib.model import PRESETS, PROFILE_SIZES
from ogn_lib.rollout import rollout
from ogn_lib.systems import get_system
from ogn_lib.trajectory import read_trajectory


def _set_threads(threads: int | None) -> None:
    """Torch threads: ``--threads``, else ``OGN_THREADS``, else torch's default. On a
    2-core machine where another job holds a core, 1 thread is far faster than 2."""
    threads = threads or int(os.environ.get("OGN_THREADS", "0"))
    if threads:
        torch.set_num_threads(threads)


def add_train_parser(subparsers) -> argparse.ArgumentParser:
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
                             "(default: the system's graph_cutoff)")
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
    parser.set_defaults(handler=run_train)
    return parser


def run_train(args: argparse.Namespace) -> None:
    from ogn_lib.shipped import ship, train_model

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


def add_rollout_parser(subparsers) -> argparse.ArgumentParser:
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
    parser.set_defaults(handler=run_rollout)
    return parser


def run_rollout(args: argparse.Namespace) -> None:
    _set_threads(args.threads)
    truth = read_trajectory(args.start)
    simulator = load_simulator(args.checkpoint, system=truth.metadata.get("system"))
    result = rollout(simulator, truth.configuration(args.frame), args.predictions, args.out,
                     metadata={"units": truth.metadata.get("units"),
                               "source": str(args.start), "start_frame": args.frame,
                               "checkpoint": str(args.checkpoint)})
    print(f"{args.out}: {result.n_frames} frames, {simulator.spec.k_steps} MD steps apart")
    if result.blow_up:
        raise SystemExit(f"rollout stopped early: {result.blow_up}")
