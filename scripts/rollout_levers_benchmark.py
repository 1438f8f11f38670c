"""Rollout speed levers of the shipped quick Fast-OGN, side by side in one run; writes
``book/data/rollout_levers.json`` for the book's speed page.

Usage: ``python scripts/rollout_levers_benchmark.py [--atoms 4000] [--predictions 20]
[--systems ...]`` (about 10 minutes on one core; needs the quick test trajectories and the
shipped quick models).

For each liquid, its last quick test frame tiled to about ``--atoms`` atoms
(:func:`~ogn_lib.bench.ogn_speed.tiled_liquid`) is rolled out ``--predictions``
predictions from the same start with each lever of :data:`LEVERS`, on one thread, timed in
CPU seconds after one untimed warm-up prediction (whose time, with any compilation, is
recorded apart):

- ``fresh search``: a new freud search every prediction (what rollouts did before);
- ``skin s r_c``: one :class:`~ogn_lib.learn.graph.NeighbourList` with a skin of ``s``
  times the graph cutoff, searched again only when an atom has moved half the skin;
- ``torch.compile``: the network compiled by inductor (dynamic shapes, all edges at once,
  as a chunk loop would recompile), with a fresh search.

Each lever's last state is compared with the fresh search's: the largest position
difference (rounding, grown by the chaos of the dynamics over the rollout; ``None`` for a
lever timed over fewer predictions).
"""

from __future__ import annotations

import argparse
import copy
import time
from dataclasses import replace

import freud
import numpy as np
import torch

from ogn_lib.bench.ogn_speed import ALL_EDGES, tiled_liquid
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.graph import NeighbourList
from ogn_lib.learn.trained_models import load_shipped
from ogn_lib.machine import describe_machine
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.periodic import minimum_image, wrap

OUTPUT = REPOSITORY_ROOT / "book" / "data" / "rollout_levers.json"
LEVERS = {
    "fresh search": {},
    "skin 0.05 r_c": {"skin_fraction": 0.05},
    "skin 0.1 r_c": {"skin_fraction": 0.1},
    "skin 0.2 r_c": {"skin_fraction": 0.2},
    "torch.compile": {"compile": True, "predictions": 3},
}
"""Each lever: a neighbour-list skin as a fraction of the graph cutoff, or compilation
(over fewer predictions: it recompiled at every new edge count in a trial)."""


def roll(simulator, start, n_predictions: int, neighbours) -> tuple[np.ndarray, list[float]]:
    """The positions after ``n_predictions`` predictions, and the CPU seconds of each
    (prediction and wrap, as in :func:`~ogn_lib.learn.rollout.rollout_states`)."""
    typeids = simulator.typeids_for(start.type_names, start.typeids)
    state, seconds = start, []
    for _ in range(n_predictions):
        started = time.process_time()
        displacement, velocities, _ = simulator.predict(
            state.positions, state.velocities, state.box_lengths, typeids, start.masses,
            neighbours)
        positions, _ = wrap(state.positions + displacement, state.box_lengths)
        state = replace(state, positions=positions, velocities=velocities)
        seconds.append(time.process_time() - started)
    return state.positions, seconds


def measure(system: str, n_atoms: int, n_predictions: int) -> dict:
    shipped, _ = load_shipped("quick", system, "fast")
    start = tiled_liquid(system, n_atoms)
    cutoff = shipped.spec.model.cutoff
    rows, reference = [], None
    for name, lever in LEVERS.items():
        simulator = copy.deepcopy(shipped).eval()
        if lever.get("compile"):
            simulator.network.edge_chunk = ALL_EDGES
            simulator.network = torch.compile(simulator.network, dynamic=True)
        neighbours = (NeighbourList(cutoff, lever["skin_fraction"] * cutoff)
                      if "skin_fraction" in lever else None)
        predictions = lever.get("predictions", n_predictions) + 1
        positions, seconds = roll(simulator, start, predictions, neighbours)
        steady = float(np.mean(seconds[1:]))
        if reference is None:
            reference = positions
        difference = (float(np.abs(minimum_image(positions - reference,
                                                 start.box_lengths)).max())
                      if predictions == n_predictions + 1 else None)
        rows.append({"lever": name, **lever, "first_prediction_cpu_s": seconds[0],
                     "cpu_s_per_prediction": steady,
                     "searches": neighbours.searches if neighbours else predictions,
                     "predictions": predictions, "max_position_difference": difference})
        print(system, rows[-1], flush=True)
    base = rows[0]["cpu_s_per_prediction"]
    for row in rows:
        row["speed_up"] = base / row["cpu_s_per_prediction"]
    return {"n_atoms": start.n_atoms, "k_steps": shipped.spec.k_steps, "cutoff": cutoff,
            "levers": rows}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--atoms", type=int, default=4000)
    parser.add_argument("--predictions", type=int, default=20)
    parser.add_argument("--systems", nargs="*", default=["lj", "silica", "si", "cuzr"])
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    freud.parallel.set_num_threads(1)
    results = {"machine": describe_machine(torch), "time": time.strftime("%Y-%m-%d %H:%M"),
               "predictions": arguments.predictions,
               "liquids": {system: measure(system, arguments.atoms, arguments.predictions)
                           for system in arguments.systems}}
    write_json_atomic(OUTPUT, results)


if __name__ == "__main__":
    main()
