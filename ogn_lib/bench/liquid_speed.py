"""Benchmark: the learned simulator against LAMMPS for each of the four liquids, side by
side in one run (the report of ``book/data/liquid_speed.json``).

Per liquid and size (KA-LJ a random liquid of exactly that many atoms, the others their
last quick test frame tiled to the nearest cube of copies: :func:`benchmark_start`), in
this order:

- the shipped quick Fast-OGN and Reference-OGN, each in a fresh process, one thread
  (CPU seconds), and the Fast-OGN on both cores at the smaller size (wall seconds);
- LAMMPS on the same configuration: its own MD step on one thread (CPU seconds) and on
  both cores with its OpenMP styles (wall seconds), and with the Fast-OGN's stride as its
  MD step (k dt, the alternative a user has; it may lose atoms);
- the top three operators of a Fast-OGN prediction by their own CPU time (torch profiler),
  at the smaller size (:func:`operator_shares`);
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

import time
from collections.abc import Callable

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
from ogn_lib.configuration import Configuration
from ogn_lib.learn.presets import PRESETS
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.learn.trained_models import read_provenance, shipped_path
from ogn_lib.machine import describe_machine
from ogn_lib.md.lammps import lammps_version
from ogn_lib.paths import REPOSITORY_ROOT

SIZES = (4000, 32000)
BOTH_CORES = 2
MD_STEPS = {4000: 200, 32000: 40}
"""LAMMPS steps per timed run at each size (two runs, the faster counts; 100 at others)."""

Log = Callable[[str], None]


def benchmark_start(system: str) -> str:
    """How a liquid's configurations are built (:data:`~ogn_lib.bench.ogn_speed.STARTS`):
    KA-LJ at random, the others from their tiled test frame."""
    return "random" if system == "lj" else "tiled"


def shipped(system: str, preset: str) -> tuple[str, str]:
    """(checkpoint relative to the repository, description) of a shipped quick model."""
    path = shipped_path("quick", system, preset)
    provenance = read_provenance(path)
    description = (f"shipped quick {preset}-OGN ({len(provenance.test_loss)} epochs, commit "
                   f"{provenance.commit[:7]})")
    return str(path.relative_to(REPOSITORY_ROOT)), description


def operator_shares(simulator: LearnedSimulator, liquid: Configuration,
                    count: int = 3) -> list[dict]:
    """The ``count`` torch operators with the most CPU time of their own in two predictions
    from ``liquid``, with their share of the CPU time of two predictions timed without the
    profiler, and what is left outside torch's operators (the graph search by freud,
    Python)."""
    from torch.profiler import ProfilerActivity, profile

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


def top_operators(system: str, n_atoms: int) -> list[dict]:
    """:func:`operator_shares` of the shipped quick Fast-OGN on the liquid's benchmark
    configuration, one thread."""
    torch.set_num_threads(1)
    freud.parallel.set_num_threads(1)
    start = benchmark_start(system)
    simulator = benchmark_simulator(RolloutCase(system, "fast", "quick", n_atoms,
                                                checkpoint=shipped(system, "fast")[0],
                                                start=start))
    return operator_shares(simulator, start_configuration(system, n_atoms, start))


def rollout_rows(system: str, n_atoms: int, smallest: bool, log: Log) -> list[dict]:
    """The shipped quick Fast- and Reference-OGN on ``n_atoms``, each in a fresh process on
    one thread, and at the ``smallest`` size the Fast-OGN on both cores too."""
    rows = []
    for preset in ("fast", "reference"):
        checkpoint, weights = shipped(system, preset)
        for threads in (1, BOTH_CORES) if smallest and preset == "fast" else (1,):
            case = RolloutCase(system, preset, "quick", n_atoms,
                               n_predictions=3 if n_atoms <= 5000 else 2,
                               checkpoint=checkpoint, start=benchmark_start(system),
                               threads=threads)
            row = dict(measure_in_fresh_process(case), weights=weights)
            rows.append(row)
            log(f"{system:>6} {preset:>9} N={row['n_atoms']:>6} threads={threads} "
                f"{row['seconds_per_prediction']:8.3f} s/prediction "
                f"{row['atom_steps_per_s']:9.3g} atom-steps/s "
                f"{row['matmul_flops_per_s']:9.3g} matmul flop/s")
    return rows


def lammps_rows(system: str, n_atoms: int, smallest: bool, log: Log) -> list[dict]:
    """LAMMPS on the benchmark configuration of ``n_atoms`` with its own MD step on one
    thread, and at the ``smallest`` size also on both cores and with the Fast-OGN's stride
    as its step."""
    liquid = start_configuration(system, n_atoms, benchmark_start(system))
    k_steps = PRESETS["fast"].k_steps(system)
    rows = []
    for dt_factor, threads in [(1, 1)] + ([(1, BOTH_CORES), (k_steps, 1)] if smallest else []):
        row = bare_rate(liquid, system, MD_STEPS.get(n_atoms, 100), dt_factor=dt_factor,
                        threads=threads)
        rows.append(row)
        rate = (f"{row['atom_steps_per_s']:9.3g} atom-steps/s" if row["stable"]
                else f"unstable: {row['failure']}")
        log(f"{system:>6}    LAMMPS N={row['n_atoms']:>6} threads={threads} "
            f"dt x {dt_factor}: {rate}")
    return rows


def measure_faster(system: str, n_atoms: int, log: Log = print) -> dict:
    """The interleaved timing pairs of "faster than MD" for one liquid."""
    record = timing_pairs(system, n_atoms, shipped(system, "fast")[0], benchmark_start(system))
    ratios = ", ".join(f"{pair['ratio']:.3g}" for pair in record["pairs"])
    log(f"{system:>6} Fast-OGN / LAMMPS, one core, {record['n_atoms']} atoms: {ratios}")
    return record


def measure_pairs(system: str, n_atoms: int, log: Log = print, tries: int = 2) -> dict:
    """Untrained Fast-OGNs of the shipped sizes evaluating each direction and each pair
    once, one thread, each in a fresh process, interleaved ``tries`` times (the faster
    counts)."""
    pairs = {}
    for _ in range(tries):
        for pair_once, label in ((False, "each direction"), (True, "pairs once")):
            row = measure_in_fresh_process(RolloutCase(system, "fast", "quick", n_atoms,
                                                       start=benchmark_start(system),
                                                       pair_once=pair_once))
            if label not in pairs or (row["seconds_per_prediction"]
                                      < pairs[label]["seconds_per_prediction"]):
                pairs[label] = row
    for label, row in pairs.items():
        log(f"{system:>6} untrained Fast-OGN, {label}: "
            f"{row['seconds_per_prediction']:8.3f} s/prediction")
    return {**pairs, "time": time.strftime("%Y-%m-%d %H:%M")}


PARTS = {"pairs_once": measure_pairs, "faster": measure_faster}
"""The parts of a liquid's benchmark that can be measured again on their own (each is
self-contained: both of its sides are timed side by side in the same run)."""


def measure_liquid(system: str, sizes: tuple[int, ...], log: Log = print) -> dict:
    """One liquid's entry of the report: rollouts, LAMMPS, top operators and the
    :data:`PARTS`, all at ``sizes`` (the parts and operators at the smallest)."""
    rollout, lammps = [], []
    for n_atoms in sizes:
        rollout += rollout_rows(system, n_atoms, n_atoms == sizes[0], log)
        lammps += lammps_rows(system, n_atoms, n_atoms == sizes[0], log)
    return {"start": benchmark_start(system), "k_steps": PRESETS["fast"].k_steps(system),
            "rollout": rollout, "lammps": lammps,
            "top_operators": top_operators(system, sizes[0]),
            **{part: PARTS[part](system, sizes[0], log) for part in PARTS}}


def liquid_speed(sizes: tuple[int, ...], systems: list[str], log: Log = print) -> dict:
    """The report of ``book/data/liquid_speed.json``: this CPU's matrix-product rate and
    :func:`measure_liquid` of each liquid."""
    matmul = {str(threads): matmul_flops_per_second(threads=threads)
              for threads in (1, BOTH_CORES)}
    log(f"float32 matrix product: {matmul['1']:.3g} flop/s on one thread, "
        f"{matmul[str(BOTH_CORES)]:.3g} on {BOTH_CORES}")
    liquids = {system: measure_liquid(system, sizes, log) for system in systems}
    return {"machine": describe_machine(torch, freud=freud.__version__,
                                        lammps=lammps_version()),
            "time": "CPU seconds on one thread; wall seconds on two",
            "sizes": list(sizes), "matmul_flops_per_s": matmul, "liquids": liquids}


def measure_part_again(report: dict, part: str, sizes: tuple[int, ...], systems: list[str],
                       log: Log = print) -> dict:
    """``report`` with only ``part`` (:data:`PARTS`) of each of ``systems`` measured again
    at the smallest size; every other entry stays as it was."""
    if part not in PARTS:
        raise ValueError(f"part {part!r}: choose one of {', '.join(PARTS)}")
    liquids = {system: {**report["liquids"][system], part: PARTS[part](system, sizes[0], log)}
               for system in systems}
    return {**report, "liquids": {**report["liquids"], **liquids}}
