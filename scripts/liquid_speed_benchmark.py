"""The learned simulator against LAMMPS for each of the four liquids, side by side in one
run; writes ``book/data/liquid_speed.json`` for the book's speed page.

Usage: ``python scripts/liquid_speed_benchmark.py [--sizes 4000 32000] [--systems ...]``
(about 15 minutes on a 2-core machine left to it; needs the quick test trajectories,
``ogn generate <system>``, and the shipped quick models).

Per liquid and size (KA-LJ a random liquid of exactly that many atoms, the others their
last quick test frame tiled to the nearest cube of copies: :func:`~ogn_lib.bench.ogn_speed.
start_configuration`), in this order:

- the shipped quick Fast-OGN and Reference-OGN, each in a fresh process, one thread
  (CPU seconds), and the Fast-OGN on both cores at the smaller size (wall seconds);
- LAMMPS on the same configuration: its own MD step on one thread (CPU seconds) and on
  both cores with its OpenMP styles (wall seconds), and with the Fast-OGN's stride as its
  MD step (k dt, the alternative a user has; it may lose atoms);
- the top three operators of a Fast-OGN prediction by their own CPU time (torch profiler),
  at the smaller size;
- the claim "faster than MD": :data:`~ogn_lib.bench.faster_than_md.REPEATS` interleaved
  pairs of timings (the shipped Fast-OGN in a fresh process, then LAMMPS) at the smaller
  size on one core, whose ratios give the verdict its interval
  (:func:`~ogn_lib.bench.faster_than_md.timing_pairs`);
- an untrained Fast-OGN of the shipped sizes that evaluates each neighbour pair once
  against one that evaluates each direction (``pairs_once``), one thread, the smaller size:
  what computing a pair once buys, whichever the shipped model does.

And once: this CPU's float32 matrix-product rate on one and on two threads, the ceiling of
a network made of matrix products (:func:`~ogn_lib.bench.ogn_speed.matmul_flops_per_second`).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import freud
import torch

from ogn_lib.bench.faster_than_md import timing_pairs
from ogn_lib.bench.md_speed import bare_rate
from ogn_lib.bench.ogn_speed import (
    RolloutCase,
    benchmark_simulator,
    matmul_flops_per_second,
    measure_in_fresh_process,
    start_configuration,
)
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.presets import PRESETS
from ogn_lib.learn.trained_models import read_provenance, shipped_path
from ogn_lib.machine import describe_machine
from ogn_lib.md.lammps import lammps_version
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "liquid_speed.json"
SIZES = (4000, 32000)
BOTH_CORES = 2
MD_STEPS = {4000: 200, 32000: 40}
"""LAMMPS steps per timed run at each size (two runs, the faster counts)."""


def shipped(system: str, preset: str) -> tuple[str, str]:
    """(checkpoint relative to the repository, description) of a shipped quick model."""
    path = shipped_path("quick", system, preset)
    provenance = read_provenance(path)
    return (str(path.relative_to(REPOSITORY_ROOT)),
            f"shipped quick {preset}-OGN ({len(provenance.test_loss)} epochs, commit "
            f"{provenance.commit[:7]})")


def top_operators(system: str, n_atoms: int, start: str, count: int = 3) -> list[dict]:
    """The ``count`` torch operators with the most CPU time of their own in two Fast-OGN
    predictions (one thread), with their share of the CPU time of two predictions timed
    without the profiler, and what is left outside torch's operators (the graph search
    by freud, Python)."""
    from torch.profiler import ProfilerActivity, profile

    torch.set_num_threads(1)
    freud.parallel.set_num_threads(1)
    checkpoint, _ = shipped(system, "fast")
    simulator = benchmark_simulator(RolloutCase(system, "fast", "quick", n_atoms,
                                                checkpoint=checkpoint, start=start))
    liquid = start_configuration(system, n_atoms, start)
    state = (liquid.positions, liquid.velocities, liquid.box_lengths,
             simulator.typeids_for(liquid.type_names, liquid.typeids), liquid.masses)
    simulator.predict(*state)
    begin = time.process_time()
    for _ in range(2):
        simulator.predict(*state)
    total_us = 1e6 * (time.process_time() - begin)  # without the profiler's own cost
    with profile(activities=[ProfilerActivity.CPU]) as profiler:
        for _ in range(2):
            simulator.predict(*state)
    events = sorted(profiler.key_averages(), key=lambda event: event.self_cpu_time_total,
                    reverse=True)
    torch_us = sum(event.self_cpu_time_total for event in events)
    rows = [{"operator": event.key, "share": event.self_cpu_time_total / total_us}
            for event in events[:count]]
    rows.append({"operator": "outside torch operators (graph search by freud, Python)",
                 "share": max(0.0, 1.0 - torch_us / total_us)})
    return rows


def measure_liquid(system: str, sizes: tuple[int, ...]) -> dict:
    start = "random" if system == "lj" else "tiled"
    k_steps = PRESETS["fast"].k_steps(system)
    rollout, lammps = [], []
    for n_atoms in sizes:
        for preset in ("fast", "reference"):
            checkpoint, weights = shipped(system, preset)
            for threads in (1, BOTH_CORES) if (preset, n_atoms) == ("fast", sizes[0]) else (1,):
                case = RolloutCase(system, preset, "quick", n_atoms,
                                   n_predictions=3 if n_atoms <= 5000 else 2,
                                   checkpoint=checkpoint, start=start, threads=threads)
                row = dict(measure_in_fresh_process(case), weights=weights)
                rollout.append(row)
                print(f"{system:>6} {preset:>9} N={row['n_atoms']:>6} threads={threads} "
                      f"{row['seconds_per_prediction']:8.3f} s/prediction "
                      f"{row['atom_steps_per_s']:9.3g} atom-steps/s "
                      f"{row['matmul_flops_per_s']:9.3g} matmul flop/s", flush=True)
        liquid = start_configuration(system, n_atoms, start)
        runs = [(1, 1)] + ([(1, BOTH_CORES), (k_steps, 1)] if n_atoms == sizes[0] else [])
        for dt_factor, threads in runs:
            row = bare_rate(liquid, system, MD_STEPS.get(n_atoms, 100), dt_factor=dt_factor,
                            threads=threads)
            lammps.append(row)
            rate = (f"{row['atom_steps_per_s']:9.3g} atom-steps/s" if row["stable"]
                    else f"unstable: {row['failure']}")
            print(f"{system:>6}    LAMMPS N={row['n_atoms']:>6} threads={threads} "
                  f"dt x {dt_factor}: {rate}", flush=True)
    profile_rows = top_operators(system, sizes[0], start)
    return {"start": start, "k_steps": k_steps, "rollout": rollout, "lammps": lammps,
            "top_operators": profile_rows, "pairs_once": measure_pairs(system, sizes[0]),
            "faster": measure_faster(system, sizes[0])}


def measure_faster(system: str, n_atoms: int) -> dict:
    """The interleaved timing pairs of "faster than MD" for one liquid, printed as they go."""
    start = "random" if system == "lj" else "tiled"
    record = timing_pairs(system, n_atoms, shipped(system, "fast")[0], start)
    ratios = ", ".join(f"{pair['ratio']:.3g}" for pair in record["pairs"])
    print(f"{system:>6} Fast-OGN / LAMMPS, one core, {record['n_atoms']} atoms: {ratios}",
          flush=True)
    return record


def measure_pairs(system: str, n_atoms: int) -> dict:
    """Untrained Fast-OGNs of the shipped sizes evaluating each direction and each pair
    once, one thread, each in a fresh process, interleaved twice (the faster counts)."""
    start = "random" if system == "lj" else "tiled"
    pairs = {}
    for _ in range(2):
        for pair_once, label in ((False, "each direction"), (True, "pairs once")):
            row = measure_in_fresh_process(RolloutCase(system, "fast", "quick", n_atoms,
                                                       start=start, pair_once=pair_once))
            if label not in pairs or (row["seconds_per_prediction"]
                                      < pairs[label]["seconds_per_prediction"]):
                pairs[label] = row
    for label, row in pairs.items():
        print(f"{system:>6} untrained Fast-OGN, {label}: "
              f"{row['seconds_per_prediction']:8.3f} s/prediction", flush=True)
    return {**pairs, "time": time.strftime("%Y-%m-%d %H:%M")}


PARTS = {"pairs_once": measure_pairs, "faster": measure_faster}
"""The parts of a liquid's benchmark that can be measured again on their own (each is
self-contained: both of its sides are timed side by side in the same run)."""


def main_part(part: str, sizes: tuple[int, ...], systems: list[str],
              output: Path = OUTPUT) -> None:
    """Measure only ``part`` (:data:`PARTS`) and keep it in ``output``'s liquids beside
    their earlier runs."""
    report = json.loads(output.read_text())
    for system in systems:
        report["liquids"][system][part] = PARTS[part](system, sizes[0])
    write_json_atomic(output, report)
    print(f"saved {output}")


def main(sizes: tuple[int, ...], systems: list[str], output: Path = OUTPUT) -> None:
    matmul = {str(threads): matmul_flops_per_second(threads=threads)
              for threads in (1, BOTH_CORES)}
    print(f"float32 matrix product: {matmul['1']:.3g} flop/s on one thread, "
          f"{matmul[str(BOTH_CORES)]:.3g} on {BOTH_CORES}", flush=True)
    liquids = {system: measure_liquid(system, sizes) for system in systems}
    report = {"machine": describe_machine(torch, freud=freud.__version__,
                                          lammps=lammps_version()),
              "time": "CPU seconds on one thread; wall seconds on two",
              "sizes": list(sizes), "matmul_flops_per_s": matmul, "liquids": liquids}
    write_json_atomic(output, report)
    print(f"saved {output}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=list(SYSTEMS))
    parser.add_argument("--output", type=Path, default=OUTPUT,
                        help="JSON to write (default: the book's)")
    parser.add_argument("--only", choices=list(PARTS),
                        help="measure only this part (pairs_once: each pair once against "
                             "each direction; faster: the timing pairs of the verdict), into "
                             "the existing JSON")
    arguments = parser.parse_args()
    if arguments.only:
        main_part(arguments.only, tuple(arguments.sizes), arguments.systems, arguments.output)
    else:
        main(tuple(arguments.sizes), arguments.systems, arguments.output)
