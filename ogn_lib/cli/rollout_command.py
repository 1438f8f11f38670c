"""``ogn rollout``: predict a trajectory with a trained OGN from one frame of another, in
the ensemble asked for, into a GSD file that replaces none of its inputs."""

from __future__ import annotations

import argparse
from pathlib import Path

from ogn_lib.cli.argument_types import positive_float, positive_int
from ogn_lib.cli.threads import set_threads
from ogn_lib.data.sidecar import sidecar_path
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import file_sha256, same_file
from ogn_lib.learn.ensembles import ENSEMBLE_NAMES
from ogn_lib.learn.rollout import rollout


def add_rollout_parser(subparsers) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "rollout", help="predict a trajectory with a trained OGN",
        description="Start from one frame of a trajectory and apply the learned simulator "
                    "n times; the result is a GSD trajectory with one frame per prediction.")
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("--start", type=Path, required=True,
                        help="GSD trajectory holding the starting configuration")
    parser.add_argument("--frame", type=int, default=0, help="frame of --start to begin at")
    parser.add_argument("--predictions", type=positive_int, default=20,
                        help="number of predictions (k MD steps each)")
    parser.add_argument("--out", type=Path, required=True,
                        help="GSD file to write (with its JSON sidecar beside it)")
    parser.add_argument("--force", action="store_true",
                        help="replace --out when it exists (inputs are never replaced)")
    parser.add_argument("--threads", type=positive_int, default=None,
                        help="torch CPU threads (default: $OGN_THREADS or torch's choice)")
    parser.add_argument("--ensemble", choices=ENSEMBLE_NAMES, default="nve",
                        help="nve: the network's velocities as predicted (default); "
                             "nve-rescaled: total energy held by rescaling the velocities, "
                             "with --energy-model; nvt-csvr / nvt-langevin: thermostat at "
                             "--temperature")
    parser.add_argument("--energy-model", type=Path, default=None,
                        help="learned potential-energy model for nve-rescaled (from "
                             "`ogn fit-energy`)")
    parser.add_argument("--temperature", type=positive_float, default=None,
                        help="thermostat temperature in the system's temperature unit "
                             "(K; epsilon/k_B for LJ)")
    parser.add_argument("--coupling-time", type=positive_float, default=None,
                        help="thermostat coupling time in the system's time unit "
                             "(default: 100 MD steps)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the thermostat noise")
    parser.set_defaults(handler=_rollout)
    return parser


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
            if same_file(output, given):
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


def _rollout(args: argparse.Namespace) -> None:
    from ogn_lib.learn.ensembles import rollout_ensemble
    from ogn_lib.learn.trained_models import load_checked

    _check_rollout_output(args)
    set_threads(args.threads)
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
