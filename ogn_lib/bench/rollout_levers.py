"""Benchmark: the rollout's speed levers side by side, from one start of each liquid.

For each liquid, its last quick test frame tiled to about ``n_atoms`` atoms
(:func:`~ogn_lib.bench.ogn_speed.tiled_liquid`) is rolled out by the shipped quick Fast-OGN
with each lever of :data:`LEVERS`, on one thread, timed in CPU seconds per prediction after
one untimed warm-up prediction (whose time, with any compilation, is recorded apart):

- ``fresh search``: a new freud search every prediction (what rollouts do by default);
- ``skin s r_c``: one :class:`~ogn_lib.learn.graph.NeighbourList` with a skin of ``s``
  times the graph cutoff, searched again only when an atom has moved half the skin;
- ``torch.compile``: the network compiled by inductor (dynamic shapes, all edges at once,
  as a chunk loop would recompile), with a fresh search.

A prediction is the rollout's own step, :func:`~ogn_lib.learn.rollout.advance` (what
:func:`~ogn_lib.learn.rollout.rollout_states` repeats); the benchmark drives it itself to
hold the neighbour list, whose search count the speed page reports. Each lever's last
state is compared with the fresh search's: the largest position difference (rounding,
grown by the chaos of the dynamics over the rollout; ``None`` for a lever timed over fewer
predictions).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable

import freud
import numpy as np
import torch

from ogn_lib.bench.ogn_speed import ALL_EDGES, tiled_liquid
from ogn_lib.configuration import Configuration
from ogn_lib.learn.ensembles import NVE
from ogn_lib.learn.graph import NeighbourList
from ogn_lib.learn.rollout import advance, check_start
from ogn_lib.learn.simulator import LearnedSimulator
from ogn_lib.learn.trained_models import load_shipped
from ogn_lib.machine import describe_machine
from ogn_lib.periodic import minimum_image

LEVERS = {
    "fresh search": {},
    "skin 0.05 r_c": {"skin_fraction": 0.05},
    "skin 0.1 r_c": {"skin_fraction": 0.1},
    "skin 0.2 r_c": {"skin_fraction": 0.2},
    "torch.compile": {"compile": True, "predictions": 3},
}
"""Each lever: a neighbour-list skin as a fraction of the graph cutoff, or compilation
(over fewer predictions: it recompiled at every new edge count in a trial). The first is
the reference the others are compared with."""


def timed_rollout(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
                  neighbours: NeighbourList | None = None
                  ) -> tuple[Configuration, list[float]]:
    """The state ``n_predictions`` raw NVE predictions after ``start``, and the CPU seconds
    of each; the graphs come from ``neighbours`` when given, else from a fresh search."""
    check_start(simulator, start)
    typeids = simulator.typeids_for(start.type_names, start.typeids)
    keep_velocities = NVE().begin(start, simulator.step_time)
    state, seconds = start, []
    for prediction in range(1, n_predictions + 1):
        started = time.process_time()
        state = advance(simulator, state, typeids, keep_velocities, prediction, neighbours)
        seconds.append(time.process_time() - started)
    return state, seconds


def lever_simulator(simulator: LearnedSimulator, lever: dict) -> LearnedSimulator:
    """A copy of ``simulator`` in evaluation mode, its network compiled if the lever asks."""
    copied = copy.deepcopy(simulator).eval()
    if lever.get("compile"):
        copied.network.edge_chunk = ALL_EDGES
        copied.network = torch.compile(copied.network, dynamic=True)
    return copied


def measure_levers(simulator: LearnedSimulator, start: Configuration, n_predictions: int,
                   levers: dict = LEVERS, log: Callable[[str], None] = print) -> dict:
    """One row per lever of ``levers`` (the first is the reference): ``n_predictions``
    timed predictions from ``start`` (or the lever's own ``predictions``) after a warm-up
    one, the searches made, the speed-up over the reference and the largest position
    difference from its last state."""
    cutoff = simulator.spec.model.cutoff
    rows, reference = [], None
    for name, lever in levers.items():
        neighbours = (NeighbourList(cutoff, lever["skin_fraction"] * cutoff)
                      if "skin_fraction" in lever else None)
        predictions = lever.get("predictions", n_predictions) + 1
        state, seconds = timed_rollout(lever_simulator(simulator, lever), start, predictions,
                                       neighbours)
        if reference is None:
            reference = state.positions
        difference = (float(np.abs(minimum_image(state.positions - reference,
                                                 start.box_lengths)).max())
                      if predictions == n_predictions + 1 else None)
        rows.append({"lever": name, **lever, "first_prediction_cpu_s": seconds[0],
                     "cpu_s_per_prediction": float(np.mean(seconds[1:])),
                     "searches": neighbours.searches if neighbours else predictions,
                     "predictions": predictions, "max_position_difference": difference})
        log(f"{simulator.spec.system} {rows[-1]}")
    for row in rows:
        row["speed_up"] = rows[0]["cpu_s_per_prediction"] / row["cpu_s_per_prediction"]
    return {"n_atoms": start.n_atoms, "k_steps": simulator.spec.k_steps, "cutoff": cutoff,
            "levers": rows}


def rollout_levers(systems: list[str], n_atoms: int, n_predictions: int,
                   log: Callable[[str], None] = print) -> dict:
    """The report of ``book/data/rollout_levers.json``: :func:`measure_levers` of each
    liquid's shipped quick Fast-OGN on its tiled test frame, one torch and freud thread."""
    torch.set_num_threads(1)
    freud.parallel.set_num_threads(1)
    report = {"machine": describe_machine(torch), "time": time.strftime("%Y-%m-%d %H:%M"),
              "predictions": n_predictions, "liquids": {}}
    for system in systems:
        simulator, _ = load_shipped("quick", system, "fast")
        report["liquids"][system] = measure_levers(simulator, tiled_liquid(system, n_atoms),
                                                   n_predictions, log=log)
    return report
