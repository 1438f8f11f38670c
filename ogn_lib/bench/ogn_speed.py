"""Benchmark: speed and memory of the OGN, rollout and training, next to LAMMPS.

Speeds are in atom-MD-steps per second of simulated time: one prediction of k MD steps for
N atoms counts N k, so a learned simulator and MD are compared on the time they simulate.
Times are CPU seconds of the measuring process (``time.process_time``) on one torch and one
freud thread: on a shared machine they change far less than wall-clock seconds, which
also count the time the process waits for a core (wall seconds are recorded beside them).

With more than one thread, the threads share the work of one process, so the time is its
wall-clock seconds instead (on a machine left to the benchmark).

Each rollout is measured in a fresh Python process (:func:`measure_in_fresh_process`), so
its peak resident memory (``ru_maxrss``) is its own: ``rollout_memory_gib`` is the peak
minus the resident memory once torch, the simulator and the configuration are loaded.
Speed does not depend on the weights, so a size without trained weights (the ``paper``
network sizes) is timed with an untrained network of the same shape.

The machine's limit: :func:`prediction_flops` counts the floating-point operations of the
network's matrix products in one prediction, and :func:`matmul_flops_per_second` measures
what this CPU does in a large float32 matrix product, so a rollout's rate can be put as a
fraction of it.
"""

from __future__ import annotations

import json
import math
import resource
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import freud
import numpy as np
import torch

from ogn_lib.configuration import Configuration, tiled
from ogn_lib.data.catalogue import trajectory_paths
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.learn.checkpoint import load_simulator
from ogn_lib.learn.graph import build_graph
from ogn_lib.learn.loss import batch_loss
from ogn_lib.learn.network import EDGE_CHUNK, ModelConfig
from ogn_lib.learn.noise import NoiseConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import PRESETS, graph_cutoff, model_config
from ogn_lib.learn.simulator import LearnedSimulator, Normalisation, SimulatorSpec
from ogn_lib.learn.training import new_simulator
from ogn_lib.md.engine_setup import MIN_SPACING_FRACTION, random_sequential_positions
from ogn_lib.md.systems import System, get_system

ALL_EDGES = 2**62
"""An edge chunk larger than any graph: all edges at once."""

def random_liquid(system: System, n_atoms: int, seed: int) -> Configuration:
    """``n_atoms`` placed at random in a cubic box at the system's number density, no two
    closer than :data:`MIN_SPACING_FRACTION` mean spacings, with the system's composition
    and Maxwell velocities at its temperature (zero total momentum).

    Its neighbour count per atom is that of a uniform liquid at any size (a lattice's
    shells would make it jump with the box size). Only for systems in LJ units, where
    ``k_B T / m`` is a squared velocity without conversion factors.
    """
    if system.units.name != "lj":
        raise ValueError(f"random_liquid builds LJ-unit systems only, not {system.name} "
                         f"({system.units.name} units); tile a test frame of it instead")
    rng = np.random.default_rng(seed)
    box_length = system.box_length(n_atoms)
    positions = random_sequential_positions(
        n_atoms, box_length, MIN_SPACING_FRACTION * system.number_density ** (-1 / 3), rng)
    counts = system.counts(n_atoms)
    typeids = rng.permutation(np.repeat(np.arange(len(counts)), counts))
    masses = np.array([species.mass for species in system.species])[typeids]
    velocities = rng.normal(size=(n_atoms, 3)) * np.sqrt(system.temperature / masses)[:, None]
    velocities -= (masses[:, None] * velocities).sum(0) / masses.sum()
    return Configuration(box_lengths=np.full(3, box_length), positions=positions,
                         velocities=velocities, images=np.zeros((n_atoms, 3), np.int32),
                         typeids=typeids, type_names=system.type_names, masses=masses)


def tiled_liquid(system_name: str, n_atoms: int, profile: str = "quick") -> Configuration:
    """The last frame of the system's first ``test`` trajectory of ``profile``, tiled
    (:func:`~ogn_lib.configuration.tiled`) by the whole number of copies per edge whose
    atom count is nearest ``n_atoms`` on a log scale: an equilibrated liquid of about
    ``n_atoms`` atoms for any system (silica's 375-atom cell gives 3,000 or 24,000 atoms for
    4,000 or 32,000)."""
    if n_atoms < 1:
        raise ValueError(f"n_atoms={n_atoms}: give a positive number of atoms")
    trajectory = read_trajectory(trajectory_paths(profile, f"{system_name}-test")[0])
    cell = trajectory.configuration(trajectory.n_frames - 1)
    return tiled(cell, copies_per_edge(cell.n_atoms, n_atoms))


def copies_per_edge(cell_atoms: int, n_atoms: int) -> int:
    """The copies per edge n whose ``n**3 * cell_atoms`` is nearest ``n_atoms`` in ratio."""
    candidates = range(1, max(2, round((n_atoms / cell_atoms) ** (1 / 3))) + 2)
    return min(candidates, key=lambda n: abs(math.log(n ** 3 * cell_atoms / n_atoms)))


STARTS = ("random", "tiled")
"""How a benchmark builds its liquid: :func:`random_liquid` (KA-LJ, any atom count) or
:func:`tiled_liquid` (any system, an atom count near the one asked for)."""


def start_configuration(system_name: str, n_atoms: int, start: str,
                        seed: int = 1) -> Configuration:
    """The liquid a benchmark runs on (:data:`STARTS`)."""
    if start == "random":
        return random_liquid(get_system(system_name), n_atoms, seed)
    if start == "tiled":
        return tiled_liquid(system_name, n_atoms)
    raise ValueError(f"start={start!r}: choose one of {', '.join(STARTS)}")


@dataclass(frozen=True)
class RolloutCase:
    """One rollout measurement.

    Attributes:
        system: system name (:data:`ogn_lib.md.systems.SYSTEMS`).
        preset: ``fast`` or ``reference`` (:data:`ogn_lib.learn.network.PRESETS`).
        sizes: network sizes of a profile, ``quick`` or ``paper``.
        n_atoms: atoms of the :func:`random_liquid` rolled out.
        n_predictions: timed predictions (after one untimed warm-up prediction); the
            fastest counts, the least disturbed on a shared machine.
        checkpoint: trained weights of these sizes, or ``None`` for an untrained network.
        edge_chunk: edges evaluated together (``None``: all at once, the layout before
            :data:`ogn_lib.learn.network.EDGE_CHUNK`).
        seed: of the configuration and of the untrained weights.
        start: how the liquid is built (:data:`STARTS`); ``tiled`` gives about
            ``n_atoms`` atoms, and the row records how many.
        threads: torch and freud threads; above 1 the time is wall-clock seconds.
        pair_once: an untrained network that evaluates each pair once (True) or each
            direction (False); ``None``: as the preset has it for the system.
    """

    system: str
    preset: str
    sizes: str
    n_atoms: int
    n_predictions: int = 3
    checkpoint: str | None = None
    edge_chunk: int | None = EDGE_CHUNK
    seed: int = 1
    start: str = "random"
    threads: int = 1
    pair_once: bool | None = None

    def __post_init__(self):
        if self.checkpoint and self.pair_once is not None:
            raise ValueError(f"pair_once={self.pair_once} chooses an untrained network's "
                             "pairs; a checkpoint brings its own: give one or the other")


def benchmark_simulator(case: RolloutCase) -> LearnedSimulator:
    """The case's trained simulator, or an untrained one of the same shape (its output is
    meaningless, its cost the same)."""
    system = get_system(case.system)
    k_steps = PRESETS[case.preset].k_steps(case.system)
    if case.checkpoint:
        simulator = load_simulator(Path(case.checkpoint), system=case.system, k_steps=k_steps)
        wanted = model_config(case.preset, case.sizes, len(system.species),
                              graph_cutoff(system.name), system.name)
        if simulator.spec.model != wanted:
            raise ValueError(f"{case.checkpoint} holds {simulator.spec.model}, not the "
                             f"{case.sizes} {case.preset}-OGN sizes {wanted}; pass a matching "
                             "checkpoint or none")
    else:
        torch.manual_seed(case.seed)
        model = model_config(case.preset, case.sizes, len(system.species),
                             graph_cutoff(system.name), system.name)
        spec = SimulatorSpec(
            system=system.name, type_names=system.type_names, k_steps=k_steps, dt=system.dt,
            model=model if case.pair_once is None else replace(model, pair_once=case.pair_once),
            normalisation=Normalisation(velocity_std=math.sqrt(system.temperature),
                                        delta_velocity_std=1.0, correction_std=1.0,
                                        closest_approach=0.0))
        simulator = LearnedSimulator(spec).eval()
    simulator.network.edge_chunk = case.edge_chunk or ALL_EDGES
    return simulator


def resident_peak_gib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


class _Clock:
    """CPU and wall seconds of a block."""

    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu = time.process_time() - self.cpu
        self.wall = time.perf_counter() - self.wall

    def seconds(self, threads: int) -> float:
        """CPU seconds on one thread; wall seconds when several threads share the work."""
        return self.cpu if threads == 1 else self.wall


def measure_rollout(case: RolloutCase) -> dict:
    """Time predictions from the case's liquid (:func:`start_configuration`; a rollout step
    is one prediction and an O(N) wrap of the positions), and separately their graph
    building and network, each the fastest of ``case.n_predictions`` tries after one
    warm-up; record the edges, the matrix-product operations of a prediction and the peak
    memory. Runs in this process on ``case.threads`` torch and freud threads (see
    :func:`measure_in_fresh_process` for memory of its own)."""
    torch.set_num_threads(case.threads)
    freud.parallel.set_num_threads(case.threads)
    simulator = benchmark_simulator(case)
    start = start_configuration(case.system, case.n_atoms, case.start, case.seed)
    typeids = simulator.typeids_for(start.type_names, start.typeids)
    state = (start.positions, start.velocities, start.box_lengths, typeids, start.masses)
    baseline_gib = resident_peak_gib()
    simulator.predict(*state)
    prediction_times, graph_times, network_times = [], [], []
    velocities = torch.as_tensor(start.velocities, dtype=torch.float32)
    for _ in range(case.n_predictions):
        with _Clock() as prediction:
            simulator.predict(*state)
        with torch.no_grad(), _Clock() as graph_clock:
            graph = build_graph(start.positions, start.box_lengths, simulator.spec.model.cutoff)
        with torch.no_grad(), _Clock() as network_clock:
            simulator.network_outputs(graph, typeids, velocities)
        prediction_times.append(prediction)
        graph_times.append(graph_clock.seconds(case.threads))
        network_times.append(network_clock.seconds(case.threads))
    fastest = min(prediction_times, key=lambda clock: clock.seconds(case.threads))
    seconds = fastest.seconds(case.threads)
    k_steps = simulator.spec.k_steps
    peak_gib = resident_peak_gib()
    flops = prediction_flops(simulator, state)
    n_atoms = start.n_atoms
    return {**asdict(case), "n_atoms": n_atoms, "k_steps": k_steps,
            "n_edges": graph.n_edges, "edges_per_atom": graph.n_edges / n_atoms,
            "seconds_per_prediction": seconds,
            "cpu_seconds_per_prediction": fastest.cpu,
            "wall_seconds_per_prediction": fastest.wall,
            "graph_seconds": min(graph_times), "network_seconds": min(network_times),
            "atom_steps_per_s": n_atoms * k_steps / seconds,
            "microseconds_per_atom_step": 1e6 * seconds / (n_atoms * k_steps),
            "matmul_flops_per_prediction": flops,
            "matmul_flops_per_s": flops / seconds,
            "baseline_memory_gib": baseline_gib, "peak_memory_gib": peak_gib,
            "rollout_memory_gib": peak_gib - baseline_gib,
            **_threads()}


def prediction_flops(simulator: LearnedSimulator, state: tuple) -> int:
    """Floating-point operations of the matrix products in one prediction from ``state``
    (torch's FlopCounterMode: a multiply-add counts 2); element-wise work and the graph
    search are not counted, so this is a lower bound of the work."""
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        simulator.predict(*state)
    return int(counter.get_total_flops())


def matmul_flops_per_second(size: int = 1024, repeats: int = 5, threads: int = 1) -> float:
    """This CPU's float32 rate in a ``size`` x ``size`` matrix product on ``threads``
    threads, the fastest of ``repeats`` (2 size^3 operations each): the ceiling that a
    network made of matrix products could reach."""
    torch.set_num_threads(threads)
    generator = torch.Generator().manual_seed(0)
    a, b = (torch.randn(size, size, generator=generator) for _ in range(2))
    a @ b
    best = math.inf
    for _ in range(repeats):
        with _Clock() as clock:
            a @ b
        best = min(best, clock.seconds(threads))
    return 2.0 * size ** 3 / best


def measure_in_fresh_process(case: RolloutCase) -> dict:
    """:func:`measure_rollout` in a new Python interpreter, so the peak memory is this
    case's alone and no earlier case has warmed a cache."""
    code = ("import json, sys; from ogn_lib.bench.ogn_speed import RolloutCase, measure_rollout; "
            "print(json.dumps(measure_rollout(RolloutCase(**json.loads(sys.argv[1])))))")
    finished = subprocess.run([sys.executable, "-c", code, json.dumps(asdict(case))],
                              capture_output=True, text=True)
    if finished.returncode:
        raise RuntimeError(f"measuring {case} failed:\n{finished.stderr[-2000:]}")
    return json.loads(finished.stdout.splitlines()[-1])


def training_throughput(pairs: PairSet, model: ModelConfig, batch_size: int = 4,
                        n_batches: int = 10, seed: int = 0) -> dict:
    """Training samples (configurations) per CPU second of a network of sizes ``model``:
    graph building, forward, backward and an Adam step on random batches of ``pairs`` with
    the default training noise, after one untimed batch."""
    torch.set_num_threads(1)
    freud.parallel.set_num_threads(1)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    simulator = new_simulator(pairs, model).train()
    optimizer = torch.optim.Adam(simulator.network.parameters(), lr=1e-4)

    def step():
        chosen = torch.randint(len(pairs), (batch_size,), generator=generator).numpy()
        loss = batch_loss(simulator, pairs, chosen, NoiseConfig(), generator)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    step()
    with _Clock() as clock:
        for _ in range(n_batches):
            step()
    n_samples = n_batches * batch_size
    return {"system": pairs.system, "n_atoms": len(pairs.typeids), "k_steps": pairs.k_steps,
            "batch_size": batch_size, "n_batches": n_batches,
            "samples_per_s": n_samples / clock.cpu,
            "wall_samples_per_s": n_samples / clock.wall, **_threads()}


def _threads() -> dict:
    return {"torch_threads": torch.get_num_threads(),
            "freud_threads": freud.parallel.get_num_threads()}
