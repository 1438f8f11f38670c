"""KA-LJ speed benchmark: OGN rollouts at 265, 10,000 and 100,000 atoms next to LAMMPS,
and training samples per second; writes ``book/data/ogn_speed_lj.json``.

Usage: ``python scripts/speed_benchmark.py [--quick-only]`` (30 minutes on one core of a
shared 2-core machine, most of it at 100,000 atoms; ``--quick-only`` leaves out the
paper-sized network, about 20 minutes). Needs about 5 GiB of free memory.

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

import argparse
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
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.network import EDGE_CHUNK
from ogn_lib.learn.presets import graph_cutoff, model_config
from ogn_lib.learn.trained_models import read_provenance, shipped_path
from ogn_lib.machine import describe_machine
from ogn_lib.md.lammps import lammps_version
from ogn_lib.md.systems import get_system
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.studies.profile_models import pairs_for

SIZES = (265, 10_000, 100_000)
OUTPUT = REPOSITORY_ROOT / "book" / "data" / "ogn_speed_lj.json"


def weights(preset: str, sizes: str) -> tuple[str | None, str]:
    """(checkpoint, description) of the shipped KA-LJ model, or ``(None, 'untrained')``."""
    path = shipped_path(sizes, "lj", preset)
    if sizes != "quick" or not path.exists():
        return None, f"untrained {sizes}-size {preset}-OGN (speed does not depend on weights)"
    provenance = read_provenance(path)
    return (str(path),
            f"shipped quick {preset}-OGN weights ({len(provenance.test_loss)} epochs, "
            f"commit {provenance.commit[:7]})")


def timed_predictions(n_atoms: int, preset: str, sizes: str) -> int:
    """Many tries where one is cheap (the fastest counts), one where it costs minutes."""
    if n_atoms < 1000:
        return 20
    return 1 if n_atoms > 50_000 and (preset, sizes) != ("fast", "quick") else 2


def cases(quick_only: bool) -> list[RolloutCase]:
    """Fast-OGN at every size (quick sizes with edge chunks and with all edges at once,
    paper sizes), Reference-OGN (quick sizes) up to 10,000 atoms."""
    fast, _ = weights("fast", "quick")
    reference, _ = weights("reference", "quick")
    chosen = [RolloutCase("lj", "fast", "quick", n, timed_predictions(n, "fast", "quick"),
                          fast, edge_chunk=chunk)
              for chunk in (EDGE_CHUNK, None) for n in SIZES]
    chosen += [RolloutCase("lj", "reference", "quick", n,
                           timed_predictions(n, "reference", "quick"), reference)
               for n in SIZES[:2]]
    if not quick_only:
        chosen += [RolloutCase("lj", "fast", "paper", n, timed_predictions(n, "fast", "paper"))
                   for n in SIZES]
    return chosen


def main(quick_only: bool) -> None:
    rollout = []
    for case in cases(quick_only):
        row = dict(measure_in_fresh_process(case),
                   weights=weights(case.preset, case.sizes)[1],
                   checkpoint=case.checkpoint and str(Path(case.checkpoint)
                                                      .relative_to(REPOSITORY_ROOT)))
        rollout.append(row)
        print(f"{row['preset']:>9} {row['sizes']:>5} chunk={row['edge_chunk']} "
              f"N={row['n_atoms']:>6} {row['seconds_per_prediction']:8.3f} s/prediction "
              f"(graph {row['graph_seconds']:.3f}, network {row['network_seconds']:.3f}) "
              f"{row['atom_steps_per_s']:9.3g} atom-steps/s "
              f"memory +{row['rollout_memory_gib']:.2f} GiB", flush=True)
    lammps = []
    for n_atoms in SIZES:
        lammps.append(bare_rate(random_liquid(get_system("lj"), n_atoms, seed=1), "lj",
                                n_steps=100 if n_atoms > 50_000 else 200))
        print(f"   LAMMPS N={n_atoms:>6} {lammps[-1]['atom_steps_per_s']:9.3g} atom-steps/s",
              flush=True)
    training = []
    system = get_system("lj")
    for sizes in ("quick",) if quick_only else ("quick", "paper"):
        for preset in ("fast", "reference"):
            pairs, _ = pairs_for("quick", "lj", preset, "train", make_missing=False)
            model = model_config(preset, sizes, len(system.species), graph_cutoff(system.name),
                                 system.name)
            training.append(dict(training_throughput(pairs, model), preset=preset,
                                 sizes=sizes))
            print(f"{preset:>9} {sizes:>5} training {training[-1]['samples_per_s']:.3g} "
                  "samples/s", flush=True)
    report = {"system": "lj",
              "machine": describe_machine(torch, freud=freud.__version__,
                                          lammps=lammps_version()),
              "time": "CPU seconds, one thread",
              "memory": "peak resident set (ru_maxrss) of a fresh process per size, minus "
                        "its resident set after imports, model and configuration",
              "rollout": rollout, "lammps": lammps, "training": training}
    write_json_atomic(OUTPUT, report)
    print(f"saved {OUTPUT.relative_to(REPOSITORY_ROOT)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick-only", action="store_true",
                        help="leave out the paper-sized network")
    main(parser.parse_args().quick_only)
