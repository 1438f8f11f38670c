"""Rollout speed of trained KA-LJ OGNs against LAMMPS at 265, ~7k and ~91k atoms.

Usage: ``python scripts/speed_benchmark.py FAST.pt REFERENCE.pt [replicas ...]``; writes
``results/speed/lj.json``. The starting configuration is the first test frame, tiled.
Torch runs on ``OGN_THREADS`` threads (default 1): on a 2-core machine where anything else
runs, 2 threads make small graphs ~30x slower (threads wait for the busy core).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import torch

from ogn_lib.benchmark_ogn import benchmark
from ogn_lib.checkpoint import load_simulator
from ogn_lib.datasets import trajectory_paths
from ogn_lib.periodic import wrap
from ogn_lib.trajectory import read_trajectory


def main(fast: str, reference: str, replicas: tuple[int, ...]) -> None:
    threads = int(os.environ.get("OGN_THREADS", "1"))
    torch.set_num_threads(threads)
    start = read_trajectory(trajectory_paths("quick", "lj-test")[0]).configuration(0)
    start.positions, crossings = wrap(start.positions, start.box_lengths)
    start.images = start.images + crossings.astype(start.images.dtype)
    simulators = {"fast": load_simulator(fast), "reference": load_simulator(reference)}
    rows = [dict(row, torch_threads=threads)
            for row in benchmark(simulators, start, replicas)]
    for row in rows:
        print(json.dumps(row), flush=True)
    out = Path("results/speed")
    out.mkdir(parents=True, exist_ok=True)
    (out / "lj.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], tuple(int(n) for n in sys.argv[3:]) or (1, 3, 7))
