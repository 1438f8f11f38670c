"""The ``ogn`` command, every subcommand in one place: generate, convert, train, fit-energy,
rollout, movies, reproduce and benchmark-md. It wires the layers together for the user and holds no
physics."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import torch

from ogn_lib.data.imports import FORMATS, RunDescription, import_trajectory
from ogn_lib.data.trajectory import TrajectoryError, read_trajectory, sidecar_path
from ogn_lib.files import file_sha256
from ogn_lib.learn.checkpoint import CheckpointError, load_checkpoint
from ogn_lib.learn.distributed import choose_device, launched
from ogn_lib.learn.presets import DATA_SETS, PRESETS, PROFILE_SIZES
from ogn_lib.learn.rollout import rollout
from ogn_lib.md.engines import DEVICES, ENGINES, check_device, engine_runs
from ogn_lib.md.systems import SYSTEMS, get_system
from ogn_lib.units import UNIT_SYSTEMS


def _positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (steps, epochs, processes...)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; give one of at "
                                         "least 1") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1; give a whole number of at "
                                         "least 1")
    return value


def _positive_float(text: str) -> float:
    """An argparse type: a finite number above 0 (a length)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{value} is not a positive finite number")
    return value


def _generate(args) -> int:
    from tqdm import tqdm

    from ogn_lib.data import catalogue
    from ogn_lib.paths import data_root

    if args.all == bool(args.system):
        print("ogn generate: name one SYSTEM or give --all "
              f"(systems: {', '.join(SYSTEMS)})", file=sys.stderr)
        return 2
    names = (tuple(name for name in SYSTEMS if engine_runs(args.engine, SYSTEMS[name]))
             if args.all else (args.system,))
    overrides = {}
    if args.potential_file:
        if names != ("cuzr",):
            print("ogn generate: --potential-file replaces the Cu-Zr EAM file; use it with "
                  "SYSTEM=cuzr", file=sys.stderr)
            return 2
        overrides["cuzr"] = SYSTEMS["cuzr"].with_potential_file(args.potential_file)
    specs = catalogue.catalogue(args.profile, names, args.seed, engine=args.engine)
    check_device(args.engine, args.device)
    start = time.perf_counter()
    with tqdm(total=len(specs), unit="file", desc=f"generate {args.profile}",
              file=sys.stderr, disable=None) as bar:
        def report(result):
            bar.write(result.summary())
            bar.update(1)
        catalogue.generate(specs, args.profile, jobs=args.jobs, systems_override=overrides,
                           on_result=report, device=args.device)
    print(f"{len(specs)} trajectories ready in {time.perf_counter() - start:.0f} s "
          f"under {data_root() / args.profile}")
    return 0


def _benchmark_md(args) -> int:
    from ogn_lib.bench.md_speed import run_benchmark

    run_benchmark(args.atoms, args.steps, args.output, tuple(args.systems))
    return 0


def _reproduce(args) -> int:
    from ogn_lib.book.reproduce import build_book, reproduce

    device = choose_device(args.device)  # before any notebook starts
    start = time.perf_counter()
    runs = reproduce(args.profile, args.only, args.seed, device, args.retrain,
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


MAX_THREADS_PER_CORE = 4
"""Torch threads beyond this many per CPU core only slow a run down (or fail to start)."""


def _set_threads(threads: int | None) -> None:
    """Torch threads: ``--threads``, else ``OGN_THREADS``, else torch's default. On a
    2-core machine where another job holds a core, 1 thread is far faster than 2."""
    source = "--threads"
    if threads is None:
        source = "$OGN_THREADS"
        variable = os.environ.get("OGN_THREADS", "0")
        if not variable.strip().isdigit():
            raise ValueError(f"$OGN_THREADS={variable!r} is not a whole number; set it to "
                             "the number of torch threads (e.g. 1) or unset it")
        threads = int(variable)
    cores = os.cpu_count() or 1
    if threads > MAX_THREADS_PER_CORE * cores:
        raise ValueError(f"{source} {threads}: this machine has {cores} CPU cores; give at "
                         f"most {MAX_THREADS_PER_CORE * cores} threads (one per core is best)")
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
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--system", help="lj, silica, si or cuzr: its trajectories of the "
                                         "profile (made by ogn generate)")
    source.add_argument("--data", type=Path, metavar="DIR",
                        help="your own trajectories of any one system instead: DIR/train/*.gsd "
                             "and DIR/test/*.gsd (ogn convert brings in other programs' "
                             "files); the finished model and its provenance go to "
                             "DIR/models/<profile>/<system>-<preset>.pt")
    parser.add_argument("--k", type=_positive_int, default=None,
                        help="with --data: MD steps per prediction (default: 1 for the "
                             "reference preset, else the system's Fast-OGN stride, 10 for a "
                             "system ogn does not know)")
    parser.add_argument("--glass", action="store_true",
                        help="learn from the system's melt-quenched glass instead of its "
                             "liquid (lj only: groups lj-glass-train/test, shipped as "
                             "lj-glass-<preset>.pt)")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="fast")
    parser.add_argument("--profile", choices=sorted(PROFILE_SIZES), default="quick")
    parser.add_argument("--cutoff", type=_positive_float, default=None,
                        help="graph cutoff in the system's length unit "
                             "(default: the system's, ogn_lib.learn.presets.GRAPH_CUTOFFS)")
    parser.add_argument("--epochs", type=_positive_int, default=None,
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
    parser.add_argument("--threads", type=_positive_int, default=None,
                        help="torch CPU threads (default: $OGN_THREADS or torch's choice)")
    parser.add_argument("--device", default="auto",
                        help="auto (a CUDA GPU when torch sees one, else the CPU), cpu, cuda "
                             "or cuda:<index>; under torchrun, cuda is cuda:<LOCAL_RANK>")
    parser.set_defaults(handler=_train)
    return parser


def _add_fit_energy_parser(subparsers) -> argparse.ArgumentParser:
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
    parser.add_argument("--cutoff", type=_positive_float, default=None,
                        help="descriptor cutoff in the system's length unit (default: the "
                             "system's OGN graph cutoff)")
    parser.add_argument("--frame-stride", type=_positive_int, default=10,
                        help="fit to every n-th frame (default 10)")
    parser.add_argument("--force", action="store_true", help="replace --out when it exists")
    parser.add_argument("--threads", type=_positive_int, default=None,
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
    if any(_same_file(args.out, path) for path in inputs if path.exists()):
        raise ValueError(f"--out {args.out} is one of the trajectories; write the model to "
                         "another file")
    if args.out.suffix != ".pt":
        raise ValueError(f"--out {args.out}: give a file name ending in .pt")
    if args.out.exists() and not args.force:
        raise ValueError(f"{args.out} exists; give another --out, or --force to replace it")
    _set_threads(args.threads)
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


def _train(args: argparse.Namespace) -> None:
    from ogn_lib.learn.trained_models import shipped_path, working_checkpoint
    from ogn_lib.studies.profile_models import ship_profile_model, train_model

    _set_threads(args.threads)
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


def _add_rollout_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "rollout", help="predict a trajectory with a trained OGN",
        description="Start from one frame of a trajectory and apply the learned simulator "
                    "n times; the result is a GSD trajectory with one frame per prediction.")
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("--start", type=Path, required=True,
                        help="GSD trajectory holding the starting configuration")
    parser.add_argument("--frame", type=int, default=0, help="frame of --start to begin at")
    parser.add_argument("--predictions", type=_positive_int, default=20,
                        help="number of predictions (k MD steps each)")
    parser.add_argument("--out", type=Path, required=True,
                        help="GSD file to write (with its JSON sidecar beside it)")
    parser.add_argument("--force", action="store_true",
                        help="replace --out when it exists (inputs are never replaced)")
    parser.add_argument("--threads", type=_positive_int, default=None,
                        help="torch CPU threads (default: $OGN_THREADS or torch's choice)")
    parser.add_argument("--ensemble", choices=ENSEMBLES, default="nve",
                        help="nve: the network's velocities as predicted (default); "
                             "nve-rescaled: total energy held by rescaling the velocities, "
                             "with --energy-model; nvt-csvr / nvt-langevin: thermostat at "
                             "--temperature")
    parser.add_argument("--energy-model", type=Path, default=None,
                        help="learned potential-energy model for nve-rescaled (from "
                             "`ogn fit-energy`)")
    parser.add_argument("--temperature", type=_positive_float, default=None,
                        help="thermostat temperature in the system's temperature unit "
                             "(K; epsilon/k_B for LJ)")
    parser.add_argument("--coupling-time", type=_positive_float, default=None,
                        help="thermostat coupling time in the system's time unit "
                             "(default: 100 MD steps)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the thermostat noise")
    parser.set_defaults(handler=_rollout)
    return parser


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (through symbolic or hard links too)."""
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_rollout_output(args: argparse.Namespace) -> None:
    """``--out`` and its sidecar replace none of the inputs, and no earlier file unless
    ``--force``."""
    from ogn_lib.learn.trained_models import provenance_path

    outputs = {"--out": args.out, "--out's sidecar": sidecar_path(args.out)}
    inputs = {"--start": args.start, "--start's sidecar": sidecar_path(args.start),
              "--checkpoint": args.checkpoint,
              "the checkpoint's provenance": provenance_path(args.checkpoint)}
    for output_name, output in outputs.items():
        for input_name, given in inputs.items():
            if _same_file(output, given):
                raise ValueError(f"{output_name} {output} would overwrite {input_name} "
                                 f"{given}; write the rollout to another file")
    if args.out.suffix != ".gsd":
        raise ValueError(f"--out {args.out}: a rollout is a GSD trajectory; give a file name "
                         "ending in .gsd")
    if args.out.is_dir():
        raise ValueError(f"--out {args.out} is a folder; give a file name ending in .gsd")
    blocking = next((parent for parent in args.out.parents
                     if parent.exists() and not parent.is_dir()), None)
    if blocking is not None:
        raise ValueError(f"--out {args.out}: {blocking} is a file, not a folder; give a "
                         "path in a folder")
    existing = [str(path) for path in outputs.values() if path.exists()]
    if existing and not args.force:
        verb = "exists" if len(existing) == 1 else "exist"
        raise ValueError(f"{' and '.join(existing)} already {verb}; give another --out, or "
                         "--force to replace it")


ENSEMBLES = ("nve", "nve-rescaled", "nvt-csvr", "nvt-langevin")
"""``ogn_lib.learn.ensembles.ENSEMBLE_NAMES``, repeated so that parsing a command line
loads no torch (``tests/learn/test_ensembles.py`` checks that the two agree)."""


def _rollout(args: argparse.Namespace) -> None:
    from ogn_lib.learn.ensembles import rollout_ensemble
    from ogn_lib.learn.trained_models import load_checked

    _check_rollout_output(args)
    _set_threads(args.threads)
    truth = read_trajectory(args.start)
    if not 0 <= args.frame < truth.n_frames:
        raise ValueError(f"--frame {args.frame} is outside {args.start}, whose frames are "
                         f"0 to {truth.n_frames - 1}; choose one of them")
    simulator = load_checked(args.checkpoint, system=truth.metadata.system)
    ensemble = rollout_ensemble(args.ensemble, simulator.spec, truth.metadata.units,
                                temperature=args.temperature,
                                coupling_time=args.coupling_time,
                                energy_model=args.energy_model, seed=args.seed)
    held_by = ({} if args.energy_model is None else
               {"energy_model": str(args.energy_model),
                "energy_model_sha256": file_sha256(args.energy_model)})
    result = rollout(simulator, truth.configuration(args.frame), args.predictions, args.out,
                     metadata={"units": truth.metadata.units,
                               "source": str(args.start), "start_frame": args.frame,
                               "checkpoint": str(args.checkpoint), **held_by},
                     ensemble=ensemble)
    print(f"{args.out}: {result.n_frames} frames, {simulator.spec.k_steps} MD steps apart")
    if result.blow_up:
        raise SystemExit(f"rollout stopped early: {result.blow_up}")


def _add_convert_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "convert", help="bring in a trajectory of another program (GSD, LAMMPS, ASE)",
        description="Read a GSD file written by any program (HOOMD-blue, the gsd package), "
                    "a LAMMPS text dump (dump custom with id type, positions, velocities "
                    "and image flags), or a file ASE reads with velocities (extended XYZ, "
                    "ASE trajectory, LAMMPS data file), complete it with what the file does "
                    "not say, and write it as an ogn trajectory (GSD and sidecar) that ogn "
                    "train, rollout and the analysis read, and HOOMD-blue, freud and OVITO "
                    "open.")
    parser.add_argument("source", type=Path, help="the file to read")
    parser.add_argument("out", type=Path, help="the .gsd file to write (never replaced)")
    parser.add_argument("--system", required=True,
                        help="a name for the system, e.g. my-lj (its models are named so)")
    parser.add_argument("--dt", type=_positive_float, required=True,
                        help="the MD step of the run, in the unit system's time unit")
    parser.add_argument("--units", required=True, choices=sorted(UNIT_SYSTEMS),
                        help="the LAMMPS unit system of the trajectory (a file in ASE's "
                             "units, extended XYZ or .traj, is converted to it)")
    parser.add_argument("--types", type=_names, default=None, metavar="A,B,...",
                        help="names of the atom types in id order (a dump's 1, 2, ...); for "
                             "atoms named by element, their order")
    parser.add_argument("--masses", type=_floats, default=None, metavar="M1,M2,...",
                        help="one mass per type (a LAMMPS dump holds none)")
    parser.add_argument("--temperature", type=_positive_float, default=None,
                        help="the run's set-point temperature, if it had one")
    parser.add_argument("--period-steps", type=_positive_int, default=None,
                        help="MD steps between frames, for a file that does not number them "
                             "(extended XYZ, .traj)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="default: told by the suffix (.gsd, .xyz/.extxyz, .traj, "
                             ".data/.lmp); a LAMMPS dump otherwise")
    parser.set_defaults(handler=_convert)
    return parser


def _names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"{text!r}: give names separated by commas, e.g. A,B")
    return names


def _floats(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(value) for value in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give numbers separated by commas, e.g. 1.0,2.0") from None


def _convert(args: argparse.Namespace) -> None:
    description = RunDescription(system=args.system, dt=args.dt, units=args.units,
                                 type_names=args.types, masses=args.masses,
                                 temperature=args.temperature,
                                 period_steps=args.period_steps)
    metadata = import_trajectory(args.source, args.out, description, args.format)
    print(f"{args.out}: {metadata.n_frames} frames, {metadata.period_steps} MD steps apart, "
          f"system {metadata.system!r}")


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
    generate.add_argument("--jobs", type=_positive_int, default=min(2, os.cpu_count() or 1),
                          help="LAMMPS processes at once (each single-threaded)")
    generate.add_argument("--potential-file",
                          help="another Finnis-Sinclair setfl file for cuzr")
    generate.add_argument("--engine", choices=ENGINES, default="lammps",
                          help="MD engine (default lammps; hoomd runs the LJ systems and "
                               "silica where HOOMD-blue is installed, and --all then makes "
                               "those only)")
    generate.add_argument("--device", choices=DEVICES, default="cpu",
                          help="where the MD runs (default cpu; gpu: --engine hoomd with "
                               "HOOMD-blue built for CUDA, e.g. from conda-forge)")
    generate.set_defaults(handler=_generate)

    bench = commands.add_parser(
        "benchmark-md", help="LAMMPS speed through ogn_lib vs LAMMPS run directly")
    bench.add_argument("--atoms", type=_positive_int, default=4000)
    bench.add_argument("--steps", type=_positive_int, default=300)
    bench.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=sorted(SYSTEMS))
    bench.add_argument("--output", default="results/benchmark_md.json")
    bench.set_defaults(handler=_benchmark_md)

    repro = commands.add_parser(
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
    repro.add_argument("--keep-going", action="store_true",
                       help="run the other notebooks after one fails")
    repro.add_argument("--jobs", type=_positive_int, default=1,
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
    _add_fit_energy_parser(commands)
    _add_rollout_parser(commands)
    _add_convert_parser(commands)
    return parser


def _one_line(error: BaseException) -> str:
    """The message of an error on one line; an operating-system error names the file and
    what to check."""
    if isinstance(error, OSError) and error.filename and error.strerror:
        message = (f"{error.filename}: {error.strerror}; check that the path names a "
                   "readable file (not a folder) in a folder you may write to")
    else:
        message = str(error)
    return " ".join(message.split())


INTERRUPTED = {
    "generate": "trajectories already complete are kept; run the command again to make "
                "the rest",
    "train": "the checkpoint of the last finished epoch, if any, is kept; continue it with "
             "--resume",
    "rollout": "--out was not written (nor replaced); run the command again",
    "fit-energy": "--out was not written (nor replaced); run the command again",
    "convert": "the output was not written (nor replaced); run the command again",
    "reproduce": "the notebooks executed before are kept, the running ones stopped and left "
                 "as they were; run the command again",
}
"""What Ctrl-C leaves behind, per command."""


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand. Bad input (a value, a file, a checkpoint) ends it with one line
    ``ogn <command>: <what is wrong and what to do>`` and exit code 2; Ctrl-C with 130."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except (ValueError, OSError, ImportError, TrajectoryError, CheckpointError) as error:
        print(f"ogn {args.command}: {_one_line(error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        left = INTERRUPTED.get(args.command, "files already complete are kept")
        print(f"ogn {args.command}: interrupted; {left}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
