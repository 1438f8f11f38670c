"""The shipped Fast-OGNs against the accuracy bars, on held-out test trajectories.

For each system: position RMSE per atom after 25/50/100/200 MD steps (20 for the k = 10
systems) beside no motion and MD at k x dt, mean over starts; the rollout's kinetic
temperature over the truth's over the first 400 MD steps; and, from one 2000-MD-step
rollout, the total-energy drift over the mean kinetic energy (no correction applied).
Writes ``book/data/shipped_accuracy.json``.

Usage: ``python scripts/shipped_accuracy.py [--starts 4] [name ...]`` (default: the four
liquids and the LJ glass, ``lj-glass``). ``--root DIR`` measures the models kept as shipped
ones under ``DIR`` instead (a candidate, with its provenance), ``--output`` and ``--section``
write elsewhere: ``--section "pairs once" --output book/data/pair_once_accuracy.json`` keeps
each section's rows apart in one file.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from ogn_lib.analysis.accuracy import curves_over_starts, mean_curves
from ogn_lib.analysis.energies import energy_series
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.presets import DATA_SETS, PRESETS, data_system
from ogn_lib.learn.rollout import rollout_trajectory
from ogn_lib.learn.trained_models import load_shipped
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "shipped_accuracy.json"
HORIZON_MD_STEPS = 400
ENERGY_MD_STEPS = 2000


def measure(system_name: str, n_starts: int, root: Path | None = None) -> dict:
    started = time.perf_counter()
    simulator, provenance = load_shipped("quick", system_name, "fast", root)
    k = PRESETS["fast"].k_steps(system_name)
    truths = [read_trajectory(path) for path in ensure_group("quick", f"{system_name}-test")]
    curves = curves_over_starts(simulator, truths, n_starts, HORIZON_MD_STEPS // k)
    steps = list(curves[0].md_steps)
    first = 25 if k == 5 else 20
    report = [n for n in (first, 50, 100, 200) if n in steps]
    means = mean_curves(curves)
    ratio = np.nanmean([c.temperature["OGN"] / c.temperature["truth"] for c in curves], axis=0)
    rollout = rollout_trajectory(simulator, truths[0].configuration(0), ENERGY_MD_STEPS // k)
    energies = energy_series(SYSTEMS[data_system(system_name)], rollout)
    return {
        "model": {"test_loss": provenance.test_loss[-1], "commit": provenance.commit,
                  "training_minutes": provenance.wall_seconds / 60,
                  "training_cpu_minutes": (None if provenance.cpu_seconds is None
                                           else provenance.cpu_seconds / 60)},
        "md_steps": report, "starts": n_starts,
        "position_rmse": {name: [float(means[name][steps.index(n)]) for n in report]
                          for name in ("OGN", "no motion", "MD k×dt")},
        "temperature_ratio_400_steps": {"mean": float(np.nanmean(ratio)),
                                        "min": float(np.nanmin(ratio)),
                                        "max": float(np.nanmax(ratio))},
        "energy_drift_over_mean_kinetic_2000_steps": energies.relative_total_drift,
        "rollout_blow_up": rollout.metadata.blow_up,
        "seconds": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("systems", nargs="*", default=[*SYSTEMS, *DATA_SETS],
                        choices=[*SYSTEMS, *DATA_SETS])
    parser.add_argument("--starts", type=int, default=4)
    parser.add_argument("--root", type=Path, default=None,
                        help="shipped-model folder to measure (default data/shipped)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--section", default=None,
                        help="keep the rows under this key of the output")
    args = parser.parse_args()
    results = {}
    for name in args.systems:
        results[name] = measure(name, args.starts, args.root)
        print(name, results[name], flush=True)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    if args.section is None:
        write_json_atomic(args.output, {**previous, **results})
    else:
        section = {**previous.get(args.section, {}), **results}
        write_json_atomic(args.output, {**previous, args.section: section})


if __name__ == "__main__":
    main()
