"""The commands that train: ``ogn train`` (an OGN on a system's trajectories, or on a folder
of one's own with ``--data``) and ``ogn fit-energy`` (the potential-energy model that
energy-rescaled rollouts hold the total energy with)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ogn_lib.cli.argument_types import positive_float, positive_int
from ogn_lib.cli.threads import set_threads
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import same_file
from ogn_lib.learn.checkpoint import load_checkpoint
from ogn_lib.learn.distributed import launched
from ogn_lib.learn.presets import DATA_SETS, PRESETS, PROFILE_SIZES
from ogn_lib.md.systems import get_system


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
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--system", help="lj, silica, si or cuzr: its trajectories of the "
                                         "profile (made by ogn generate)")
    source.add_argument("--data", type=Path, metavar="DIR",
                        help="your own trajectories of any one system instead: DIR/train/*.gsd "
                             "and DIR/test/*.gsd (ogn convert brings in other programs' "
                             "files); the finished model and its provenance go to "
                             "DIR/models/<profile>/<system>-<preset>.pt")
    parser.add_argument("--k", type=positive_int, default=None,
                        help="with --data: MD steps per prediction (default: 1 for the "
                             "reference preset, else the system's Fast-OGN stride, 10 for a "
                             "system ogn does not know)")
    parser.add_argument("--glass", action="store_true",
                        help="learn from the system's melt-quenched glass instead of its "
                             "liquid (lj only: groups lj-glass-train/test, shipped as "
                             "lj-glass-<preset>.pt)")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="fast")
    parser.add_argument("--profile", choices=sorted(PROFILE_SIZES), default="quick")
    parser.add_argument("--cutoff", type=positive_float, default=None,
                        help="graph cutoff in the system's length unit "
                             "(default: the system's, ogn_lib.learn.presets.GRAPH_CUTOFFS)")
    parser.add_argument("--epochs", type=positive_int, default=None,
                        help="override the profile's number of epochs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--checkpoint", type=Path, default=None,
                        help="default data/<profile>/models/<name>-<preset>.pt, where the "
                             "name is the system's, or lj-glass")
    restart = parser.add_mutually_exclusive_group()
    restart.add_argument("--resume", action="store_true",
                         help="continue from the checkpoint's last epoch")
    restart.add_argument("--force", action="store_true",
                         help="start over, replacing an existing checkpoint (and, with "
                              "--ship, the shipped model)")
    parser.add_argument("--ship", action="store_true",
                        help="when training has finished, copy the weights to "
                             "data/shipped/<profile>/ with their provenance JSON; a shipped "
                             "model is replaced only with --force")
    parser.add_argument("--threads", type=positive_int, default=None,
                        help="torch CPU threads (default: $OGN_THREADS or torch's choice)")
    parser.add_argument("--device", default="auto",
                        help="auto (a CUDA GPU when torch sees one, else the CPU), cpu, cuda "
                             "or cuda:<index>; under torchrun, cuda is cuda:<LOCAL_RANK>")
    parser.set_defaults(handler=_train)
    return parser


def _train(args: argparse.Namespace) -> None:
    from ogn_lib.learn.trained_models import shipped_path, working_checkpoint
    from ogn_lib.studies.profile_models import ship_profile_model, train_model

    set_threads(args.threads)
    if args.data is not None:
        return _train_on_folder(args)
    if args.k is not None:
        raise ValueError("--k is for --data; a system's stride is the preset's")
    name = _data_name(get_system(args.system).name, args.glass)
    if args.ship and (args.cutoff is not None or args.epochs is not None):
        raise ValueError("--ship ships the profile's own settings; drop --cutoff and "
                         "--epochs, or train without --ship")
    checkpoint = args.checkpoint or working_checkpoint(args.profile, name, args.preset)
    _check_training_checkpoint(checkpoint, args.resume, args.force)
    shipped = shipped_path(args.profile, name, args.preset)
    if args.ship and shipped.exists() and not args.force:
        raise ValueError(f"{shipped} exists and --ship would replace it; add --force to train "
                         "anew and replace it, or, to ship a resumed training, move it away "
                         "first (git keeps the old one)")
    with launched(args.device) as placement:
        checkpoint, history = train_model(
            args.profile, name, args.preset, checkpoint, seed=args.seed,
            cutoff=args.cutoff, epochs=args.epochs, resume=args.resume,
            placement=placement, make_missing=False)
    if not placement.is_writer:
        return
    print(f"{checkpoint}: test loss {history['test_loss'][-1]:.4g} after "
          f"{len(history['test_loss'])} epochs on {placement.world_size} process(es), "
          f"{placement.device}")
    if args.ship:
        print(f"shipped as {ship_profile_model(args.profile, name, args.preset, checkpoint)}")


def _train_on_folder(args: argparse.Namespace) -> None:
    from ogn_lib.learn.trained_models import folder_checkpoint, folder_model, train_on_folder

    if args.glass or args.ship:
        raise ValueError("--glass and --ship are for the built-in systems; with --data the "
                         "finished model is kept in DIR/models/<profile>/ with its provenance")
    checkpoint = args.checkpoint or folder_checkpoint(args.data, args.preset)
    _check_training_checkpoint(checkpoint, args.resume, args.force)
    kept = folder_model(args.data, args.profile, args.preset)
    if kept.exists() and not args.force:
        raise ValueError(f"{kept} holds a finished training of this folder, which a new one "
                         "would replace with its provenance; add --force to replace it, or "
                         "move it away first")
    with launched(args.device) as placement:
        kept, history = train_on_folder(
            args.data, args.preset, args.profile, checkpoint=checkpoint, seed=args.seed,
            cutoff=args.cutoff, k_steps=args.k, epochs=args.epochs, resume=args.resume,
            placement=placement)
    if placement.is_writer:
        print(f"{kept}: test loss {history['test_loss'][-1]:.4g} after "
              f"{len(history['test_loss'])} epochs")


def _data_name(system: str, glass: bool) -> str:
    """The name of what ``ogn train --system SYSTEM [--glass]`` learns from: the system's
    own for its liquid, ``<system>-glass`` for its melt-quenched glass."""
    if not glass:
        return system
    name = f"{system}-glass"
    if name not in DATA_SETS:
        have = sorted(DATA_SETS[known].system for known in DATA_SETS
                      if known.endswith("-glass"))
        raise ValueError(f"no glass data for {system}: only {', '.join(have)} has "
                         "melt-quenched glass trajectories; drop --glass to train on the "
                         "liquid")
    return name


def _check_training_checkpoint(checkpoint: Path, resume: bool, force: bool) -> None:
    """A new training never replaces a checkpoint unless forced, and ``--resume`` needs
    one to resume; a damaged checkpoint fails here, before the data are read."""
    if checkpoint.is_dir():
        raise ValueError(f"--checkpoint {checkpoint} is a folder; give a .pt file name")
    if resume:
        if not checkpoint.exists():
            raise ValueError(f"nothing to resume at {checkpoint}; drop --resume to start a "
                             "new training")
        load_checkpoint(checkpoint)
    elif checkpoint.exists() and not force:
        raise ValueError(f"{checkpoint} exists; use --resume to continue it or --force to "
                         "start over")


def add_fit_energy_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "fit-energy", help="fit the potential-energy model of energy-rescaled rollouts",
        description="Fit a small learned potential-energy model to the potential energy saved "
                    "in every frame of MD trajectories (ogn_lib.learn.energy_model) and "
                    "score it on held-out ones; `ogn rollout --ensemble nve-rescaled "
                    "--energy-model FILE` then holds a rollout's total energy without a "
                    "force field.")
    parser.add_argument("--train", type=Path, nargs="+", required=True, metavar="GSD",
                        help="trajectories to fit to")
    parser.add_argument("--test", type=Path, nargs="+", required=True, metavar="GSD",
                        help="held-out trajectories to score on")
    parser.add_argument("--out", type=Path, required=True, help=".pt file to write")
    parser.add_argument("--cutoff", type=positive_float, default=None,
                        help="descriptor cutoff in the system's length unit (default: the "
                             "system's OGN graph cutoff)")
    parser.add_argument("--frame-stride", type=positive_int, default=10,
                        help="fit to every n-th frame (default 10)")
    parser.add_argument("--force", action="store_true", help="replace --out when it exists")
    parser.add_argument("--threads", type=positive_int, default=None,
                        help="torch CPU threads (default: $OGN_THREADS or torch's choice)")
    parser.set_defaults(handler=_fit_energy)
    return parser


def _fit_energy(args: argparse.Namespace) -> None:
    from ogn_lib.learn.energy_model import (
        descriptor_settings,
        fit_energy_model,
        save_energy_model,
    )
    from ogn_lib.learn.presets import graph_cutoff
    from ogn_lib.learn.trained_models import data_sha256

    inputs = [*args.train, *args.test]
    if any(same_file(args.out, path) for path in inputs if path.exists()):
        raise ValueError(f"--out {args.out} is one of the trajectories; write the model to "
                         "another file")
    if args.out.suffix != ".pt":
        raise ValueError(f"--out {args.out}: give a file name ending in .pt")
    if args.out.exists() and not args.force:
        raise ValueError(f"{args.out} exists; give another --out, or --force to replace it")
    set_threads(args.threads)
    train, test = ([read_trajectory(path) for path in paths] for paths in (args.train,
                                                                          args.test))
    system = train[0].metadata.system  # one system: fit_energy_model checks it
    cutoff = args.cutoff or graph_cutoff(system)
    model, fit = fit_energy_model(train, test, cutoff, descriptor_settings(system),
                                  frame_stride=args.frame_stride)
    save_energy_model(args.out, model, fit, data_sha256=data_sha256(args.train))
    print(f"{args.out}: potential energy per atom off by {fit.test_rmse:.3g} (RMSE on "
          f"{fit.n_test_frames} held-out frames, whose own spread is "
          f"{fit.test_energy_std:.3g}); {fit.train_rmse:.3g} on {fit.n_train_frames} "
          "training frames")
