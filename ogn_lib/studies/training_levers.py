"""Which change to the training recipe buys accuracy, at equal CPU time (issue 28).

Each lever is the quick KA-LJ Fast-OGN recipe with one change (the weight average, the
learning rate, the batch size, the network's widths, the loss weights, more training
trajectories). Every lever trains from the same seed for the same CPU budget: a short
probe measures its CPU seconds per batch and sets its epochs, the schedule keeps its shape
over them. It is then scored on held-out trajectories that no training or test loss saw
(independent LAMMPS runs of another base seed): position RMSE after 25, 50 and 100 MD
steps, mean and standard deviation over starts, beside no motion.

Runs are resumable: the plan (epochs) of a lever is written before it trains, its
checkpoint after every epoch and its result when scored; a lever with a result is not
run again.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np
import torch

from ogn_lib.analysis.accuracy import report_steps
from ogn_lib.data.catalogue import ensure_group
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import write_json_atomic
from ogn_lib.learn.checkpoint import load_simulator
from ogn_lib.learn.loss import batch_loss
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import PRESETS, graph_cutoff, model_config, training_config
from ogn_lib.learn.trained_models import with_epochs
from ogn_lib.learn.training import TrainingConfig, new_simulator, train
from ogn_lib.studies.accuracy_curves import curves_over_starts

SYSTEM = "lj"
PROFILE = "quick"
TRAIN_SEEDS = (1,)
"""Base seeds of the training trajectories of the recipe (the catalogue's own)."""
HELD_OUT_SEED = 2
"""Base seed of the held-out test trajectories: LAMMPS runs that no training saw."""
SCORE_HORIZON_MD_STEPS = 100
"""The held-out rollouts' horizon, in MD steps: scored at a quarter, half and all of it
(:func:`~ogn_lib.analysis.accuracy.report_steps`, on the grid of the model's k)."""
PROBE_BATCHES = 8
"""Batches of the probe that measures a lever's CPU seconds per batch (the first two,
which warm the allocator, are not counted)."""


@dataclass(frozen=True)
class Lever:
    """One change to the recipe: settings of :class:`TrainingConfig` and of the network
    (:class:`~ogn_lib.learn.network.ModelConfig`) to replace, and the base seeds of the
    training trajectories."""

    name: str
    description: str
    training: dict = field(default_factory=dict)
    model: dict = field(default_factory=dict)
    train_seeds: tuple[int, ...] = TRAIN_SEEDS


LEVERS = (
    Lever("base", "the shipped recipe (Adam 1e-3, cosine to 1e-5, batches of 8)"),
    Lever("average", "moving average of the weights, decay 0.999",
          training={"average_decay": 0.999}),
    Lever("wide", "latent 64 and hidden 128 (the recipe's 32 and 64)",
          model={"latent_size": 64, "hidden_size": 128}),
    Lever("more data", "three times the training trajectories (96 of 400 MD steps)",
          train_seeds=(1, 2, 3)),
    Lever("rate 3e-3", "peak learning rate 3e-3", training={"learning_rate": 3e-3}),
    Lever("vectors 16", "16 vector channels (the recipe's 8)", model={"n_vectors": 16}),
    Lever("batch 4", "batches of 4 (twice the updates)", training={"batch_size": 4}),
    Lever("velocity x3", "velocity-change error weighted 3 in the loss",
          training={"velocity_weight": 3.0}),
    Lever("rate and batch", "the two levers that paid, together: peak rate 3e-3, "
          "batches of 4", training={"learning_rate": 3e-3, "batch_size": 4}),
)
"""The levers of the study, in the order they run."""


def _trajectories(group: str, seeds: tuple[int, ...]) -> list:
    return [read_trajectory(path) for seed in seeds
            for path in ensure_group(PROFILE, f"{SYSTEM}-{group}", base_seed=seed)]


def lever_settings(lever: Lever, pairs: PairSet):
    """The network and training settings of ``lever`` (before its epochs are set)."""
    model = replace(model_config("fast", PROFILE, len(pairs.type_names), graph_cutoff(SYSTEM),
                                 SYSTEM), **lever.model)
    config = replace(training_config(PROFILE, "fast", SYSTEM), **lever.training)
    return model, config


def cpu_seconds_per_batch(model, config: TrainingConfig, pairs: PairSet) -> float:
    """CPU seconds of one training batch of ``config`` (forward, backward, step), from
    :data:`PROBE_BATCHES` batches of an untrained network."""
    torch.manual_seed(config.seed)
    simulator = new_simulator(pairs, model)
    optimizer = torch.optim.Adam(simulator.network.parameters(), lr=1e-4)
    generator = torch.Generator().manual_seed(config.seed)
    seconds = []
    for _ in range(PROBE_BATCHES):
        started = time.process_time()
        chosen = torch.randint(len(pairs), (config.batch_size,), generator=generator)
        loss = batch_loss(simulator, pairs, chosen.numpy(), config.noise, generator)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        seconds.append(time.process_time() - started)
    return float(np.mean(seconds[2:]))


def epochs_for(config: TrainingConfig, seconds_per_batch: float, budget_cpu_s: float) -> int:
    """Epochs of ``config`` that fill ``budget_cpu_s`` CPU seconds (at least two)."""
    return max(2, round(budget_cpu_s / (seconds_per_batch * config.batches_per_epoch)))


def score(checkpoint: Path, held_out: list, n_starts: int) -> dict:
    """Position RMSE of the checkpoint's rollouts on ``held_out`` trajectories at the
    report steps of its k within :data:`SCORE_HORIZON_MD_STEPS` (25, 50, 100 MD steps for
    k = 1 or 5; 20, 50, 100 for k = 10): mean, standard deviation and n over starts, beside
    no motion."""
    simulator = load_simulator(checkpoint)
    k = simulator.spec.k_steps
    reported = report_steps(k, SCORE_HORIZON_MD_STEPS)
    curves = curves_over_starts(simulator, held_out, n_starts, SCORE_HORIZON_MD_STEPS // k)
    steps = list(curves[0].md_steps)
    result = {"md_steps": list(reported), "starts": n_starts}
    for method in ("OGN", "no motion"):
        values = np.array([[c.position_rmse[method][steps.index(n)] for n in reported]
                           for c in curves])
        result[method] = {"mean": values.mean(axis=0).tolist(),
                          "std": values.std(axis=0, ddof=1).tolist()}
    return result


def _read(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def run_lever(lever: Lever, budget_cpu_s: float, folder: Path, results_path: Path,
              held_out: list, n_starts: int, test_pairs: PairSet) -> dict:
    """Plan, train (or resume) and score one lever; its result is kept in
    ``results_path`` under the lever's name."""
    results = _read(results_path)
    entry = results.get(lever.name, {})
    if "score" in entry:
        return entry
    train_pairs = PairSet(_trajectories("train", lever.train_seeds),
                          PRESETS["fast"].k_steps(SYSTEM))
    model, config = lever_settings(lever, train_pairs)
    if "epochs" not in entry:
        per_batch = cpu_seconds_per_batch(model, config, train_pairs)
        entry = {"description": lever.description, "lever": asdict(lever),
                 "budget_cpu_s": budget_cpu_s, "probe_cpu_s_per_batch": per_batch,
                 "epochs": epochs_for(config, per_batch, budget_cpu_s)}
        write_json_atomic(results_path, {**results, lever.name: entry})
    config = with_epochs(config, entry["epochs"])
    checkpoint = folder / f"{lever.name.replace(' ', '-')}.pt"
    history = train(model, train_pairs, test_pairs, config, checkpoint, resume=True,
                    progress=False)
    entry = {**entry, "training": config.to_dict(),
             "batches": config.epochs * config.batches_per_epoch,
             "cpu_s": float(np.nansum(history["cpu_seconds"])),
             "test_loss": history["test_loss"], "train_loss": history["train_loss"],
             "checkpoint": checkpoint.name, "score": score(checkpoint, held_out, n_starts)}
    write_json_atomic(results_path, {**_read(results_path), lever.name: entry})
    return entry


def run_study(folder: Path, results_path: Path, budget_cpu_s: float, n_starts: int = 8,
              names: tuple[str, ...] | None = None, log=print) -> dict:
    """Every lever of :data:`LEVERS` (or those named) in turn; returns the results."""
    held_out = _trajectories("test", (HELD_OUT_SEED,))
    test_pairs = PairSet(_trajectories("test", (1,)), PRESETS["fast"].k_steps(SYSTEM))
    for lever in LEVERS:
        if names and lever.name not in names:
            continue
        log(f"{time.strftime('%H:%M:%S')} lever {lever.name}: {lever.description}")
        entry = run_lever(lever, budget_cpu_s, folder, results_path, held_out, n_starts,
                          test_pairs)
        ogn = entry["score"]["OGN"]
        log(f"{time.strftime('%H:%M:%S')} lever {lever.name}: {entry['batches']} batches, "
            f"{entry['cpu_s'] / 60:.1f} CPU-min, test loss {entry['test_loss'][-1]:.5f}, "
            f"RMSE after {entry['score']['md_steps']} MD steps "
            f"{np.round(ogn['mean'], 4).tolist()}")
    return _read(results_path)
