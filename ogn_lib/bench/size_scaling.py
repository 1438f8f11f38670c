"""Benchmark: KA-LJ speed from 265 to 100,000 atoms, OGN rollouts next to LAMMPS, and
training samples per second (the report of ``book/data/ogn_speed_lj.json``).

What runs (:mod:`ogn_lib.bench.ogn_speed`, :func:`ogn_lib.bench.md_speed.bare_rate`):

- Fast-OGN at the quick and the paper network sizes, and Reference-OGN at the quick sizes,
  on random KA-LJ liquids at density 1.2, each size in a fresh process (peak memory);
  Fast-OGN (quick) also with all edges evaluated at once, the layout before
  :data:`ogn_lib.learn.network.EDGE_CHUNK`, for the speed-up;
- LAMMPS on the same configurations, in this process;
- training samples per second of each model on the quick KA-LJ training data (265 atoms).

Shipped quick weights (``data/shipped/quick/lj-<preset>.pt``) are used where they exist,
untrained networks of the same sizes elsewhere (speed does not depend on the weights).
Everything runs on one torch thread and one freud thread; times are CPU seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import freud
import torch

from ogn_lib.bench.md_speed import bare_rate
from ogn_lib.bench.ogn_speed import (
    RolloutCase,
    measure_in_fresh_process,
    random_liquid,
    training_throughput,
)
from ogn_lib.learn.network import EDGE_CHUNK
from ogn_lib.learn.presets import graph_cutoff, model_config
from ogn_lib.learn.trained_models import read_provenance, shipped_path
from ogn_lib.machine import describe_machine
from ogn_lib.md.lammps import lammps_version
from ogn_lib.md.systems import get_system
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.studies.profile_models import pairs_for

SIZES = (265, 10_000, 100_000)

Log = Callable[[str], None]


def weights(preset: str, sizes: str) -> tuple[str | None, str]:
    """(checkpoint, description) of the shipped KA-LJ model, or ``(None, 'untrained')``."""
    path = shipped_path(sizes, "lj", preset)
    if sizes != "quick" or not path.exists():
        return None, f"untrained {sizes}-size {preset}-OGN (speed does not depend on weights)"
    provenance = read_provenance(path)
    description = (f"shipped quick {preset}-OGN weights ({len(provenance.test_loss)} epochs, "
                   f"commit {provenance.commit[:7]})")
    return str(path), description


def timed_predictions(n_atoms: int, preset: str, sizes: str) -> int:
    """Many tries where one is cheap (the fastest counts), one where it costs minutes."""
    if n_atoms < 1000:
        return 20
    return 1 if n_atoms > 50_000 and (preset, sizes) != ("fast", "quick") else 2


def cases(quick_only: bool, atom_counts: tuple[int, ...] = SIZES) -> list[RolloutCase]:
    """Fast-OGN at every atom count (quick sizes with edge chunks and with all edges at
    once, paper sizes unless ``quick_only``), Reference-OGN (quick sizes) at the two
    smallest."""
    fast, _ = weights("fast", "quick")
    reference, _ = weights("reference", "quick")
    chosen = [RolloutCase("lj", "fast", "quick", n, timed_predictions(n, "fast", "quick"),
                          fast, edge_chunk=chunk)
              for chunk in (EDGE_CHUNK, None) for n in atom_counts]
    chosen += [RolloutCase("lj", "reference", "quick", n,
                           timed_predictions(n, "reference", "quick"), reference)
               for n in atom_counts[:2]]
    if not quick_only:
        chosen += [RolloutCase("lj", "fast", "paper", n, timed_predictions(n, "fast", "paper"))
                   for n in atom_counts]
    return chosen


def rollout_row(case: RolloutCase, log: Log = print) -> dict:
    """The case measured in a fresh process, with its weights described and its checkpoint
    relative to the repository."""
    row = dict(measure_in_fresh_process(case), weights=weights(case.preset, case.sizes)[1],
               checkpoint=case.checkpoint and str(Path(case.checkpoint)
                                                  .relative_to(REPOSITORY_ROOT)))
    log(f"{row['preset']:>9} {row['sizes']:>5} chunk={row['edge_chunk']} "
        f"N={row['n_atoms']:>6} {row['seconds_per_prediction']:8.3f} s/prediction "
        f"(graph {row['graph_seconds']:.3f}, network {row['network_seconds']:.3f}) "
        f"{row['atom_steps_per_s']:9.3g} atom-steps/s "
        f"memory +{row['rollout_memory_gib']:.2f} GiB")
    return row


def lammps_row(n_atoms: int, log: Log = print) -> dict:
    """LAMMPS's bare rate on the random KA-LJ liquid of ``n_atoms`` the OGN runs on."""
    row = bare_rate(random_liquid(get_system("lj"), n_atoms, seed=1), "lj",
                    n_steps=100 if n_atoms > 50_000 else 200)
    log(f"   LAMMPS N={n_atoms:>6} {row['atom_steps_per_s']:9.3g} atom-steps/s")
    return row


def training_rows(quick_only: bool, log: Log = print) -> list[dict]:
    """Training samples per second of Fast- and Reference-OGN at the quick sizes (and the
    paper sizes unless ``quick_only``) on the quick KA-LJ training pairs."""
    system = get_system("lj")
    rows = []
    for sizes in ("quick",) if quick_only else ("quick", "paper"):
        for preset in ("fast", "reference"):
            pairs, _ = pairs_for("quick", "lj", preset, "train", make_missing=False)
            model = model_config(preset, sizes, len(system.species), graph_cutoff(system.name),
                                 system.name)
            rows.append(dict(training_throughput(pairs, model), preset=preset, sizes=sizes))
            log(f"{preset:>9} {sizes:>5} training {rows[-1]['samples_per_s']:.3g} samples/s")
    return rows


def size_scaling(quick_only: bool, log: Log = print) -> dict:
    """The report of ``book/data/ogn_speed_lj.json``: every rollout case of :func:`cases`,
    LAMMPS at each of :data:`SIZES`, and :func:`training_rows`."""
    rollout = [rollout_row(case, log) for case in cases(quick_only)]
    lammps = [lammps_row(n_atoms, log) for n_atoms in SIZES]
    training = training_rows(quick_only, log)
    return {"system": "lj",
            "machine": describe_machine(torch, freud=freud.__version__,
                                        lammps=lammps_version()),
            "time": "CPU seconds, one thread",
            "memory": "peak resident set (ru_maxrss) of a fresh process per size, minus "
                      "its resident set after imports, model and configuration",
            "rollout": rollout, "lammps": lammps, "training": training}
