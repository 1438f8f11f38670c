"""The commands that make or bring in MD trajectories: ``ogn generate`` (the ground-truth
data sets), ``ogn convert`` (another program's file) and ``ogn benchmark-md`` (LAMMPS speed
through ogn_lib)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ogn_lib.cli.argument_types import comma_floats, comma_names, positive_float, positive_int
from ogn_lib.data.imports import FORMATS, RunDescription, import_trajectory
from ogn_lib.md.engines import DEVICES, ENGINES, check_device, engine_runs
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.units import UNIT_SYSTEMS


def add_generate_parser(subparsers) -> argparse.ArgumentParser:
    generate = subparsers.add_parser(
        "generate", help="make (or reuse) the ground-truth MD trajectories")
    generate.add_argument("system", nargs="?", choices=sorted(SYSTEMS),
                          help="which system (or --all)")
    generate.add_argument("--all", action="store_true", help="every system")
    generate.add_argument("--profile", choices=("quick", "paper"), default="quick")
    generate.add_argument("--seed", type=int, default=1,
                          help="base seed of the data set (positive integer)")
    generate.add_argument("--jobs", type=positive_int, default=min(2, os.cpu_count() or 1),
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
    generate.add_argument("--on-demand", action="store_true",
                          help="also the groups whose measures the pages read from records "
                               "(S2's temperature scans, S11's rate scan), which a page "
                               "otherwise makes only when it remeasures")
    generate.set_defaults(handler=_generate)
    return generate


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
    if not args.on_demand:
        left_out = [spec for spec in specs if spec.group in catalogue.ON_DEMAND_GROUPS]
        specs = [spec for spec in specs if spec.group not in catalogue.ON_DEMAND_GROUPS]
        if left_out:
            print(f"{len(left_out)} trajectories of the recorded measures left out "
                  f"({', '.join(sorted({s.group for s in left_out}))}); --on-demand makes them")
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


def add_benchmark_md_parser(subparsers) -> argparse.ArgumentParser:
    bench = subparsers.add_parser(
        "benchmark-md", help="LAMMPS speed through ogn_lib vs LAMMPS run directly")
    bench.add_argument("--atoms", type=positive_int, default=4000)
    bench.add_argument("--steps", type=positive_int, default=300)
    bench.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=sorted(SYSTEMS))
    bench.add_argument("--output", default="results/benchmark_md.json")
    bench.set_defaults(handler=_benchmark_md)
    return bench


def _benchmark_md(args) -> int:
    from ogn_lib.bench.md_speed import run_benchmark

    run_benchmark(args.atoms, args.steps, args.output, tuple(args.systems))
    return 0


def add_convert_parser(subparsers) -> argparse.ArgumentParser:
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
    parser.add_argument("--dt", type=positive_float, required=True,
                        help="the MD step of the run, in the unit system's time unit")
    parser.add_argument("--units", required=True, choices=sorted(UNIT_SYSTEMS),
                        help="the LAMMPS unit system of the trajectory (a file in ASE's "
                             "units, extended XYZ or .traj, is converted to it)")
    parser.add_argument("--types", type=comma_names, default=None, metavar="A,B,...",
                        help="names of the atom types in id order (a dump's 1, 2, ...); for "
                             "atoms named by element, their order")
    parser.add_argument("--masses", type=comma_floats, default=None, metavar="M1,M2,...",
                        help="one mass per type (a LAMMPS dump holds none)")
    parser.add_argument("--temperature", type=positive_float, default=None,
                        help="the run's set-point temperature, if it had one")
    parser.add_argument("--period-steps", type=positive_int, default=None,
                        help="MD steps between frames, for a file that does not number them "
                             "(extended XYZ, .traj)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="default: told by the suffix (.gsd, .xyz/.extxyz, .traj, "
                             ".data/.lmp); a LAMMPS dump otherwise")
    parser.set_defaults(handler=_convert)
    return parser


def _convert(args: argparse.Namespace) -> None:
    description = RunDescription(system=args.system, dt=args.dt, units=args.units,
                                 type_names=args.types, masses=args.masses,
                                 temperature=args.temperature,
                                 period_steps=args.period_steps)
    metadata = import_trajectory(args.source, args.out, description, args.format)
    print(f"{args.out}: {metadata.n_frames} frames, {metadata.period_steps} MD steps apart, "
          f"system {metadata.system!r}")
