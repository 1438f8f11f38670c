"""Learning ablation (quick profile): what makes the OGN learn in CPU minutes.

Each variant of :data:`VARIANTS` trains from the same seed on the quick training set of a
system, on one thread, and is scored on the held-out test trajectories (:func:`evaluate`):
test loss, position RMSE after ~25/50/100/200 MD steps (multiples of the stride) against
no motion and constant velocity, the rollout's kinetic temperature against the truth's,
the total-energy drift of one 2000-MD-step rollout over the mean kinetic energy (no
correction applied), and the R^2 of one predicted velocity change. The variant
:data:`SHIPPED` scores the shipped model with its recorded training instead.

Three families of variants: the early KA-LJ ones start from :data:`BASE` (a short run
without vector channels); those named ``profile-*`` start from the system's quick
Fast-OGN as the profile defines it (:func:`~ogn_lib.learn.presets.model_config`) trained
with the profile's cosine schedule over 600 batches of 8 (:data:`PROFILE_EPOCHS` epochs),
and change one thing; those named ``shipped+*`` continue the shipped quick Fast-OGN for
about the same CPU time (:data:`FINE_TUNING`), with single or chained predictions in the
loss (``rollout_steps``), to measure what training through the rollout adds.

Each variant's checkpoint and scores go to the folder the caller names (files of their
own, so an interrupted sweep keeps what it finished, and a variant found there is scored
again without training); :func:`write_summary` merges the variants into the book's table
(rows measured before a column existed say "not run").
:func:`training_throughput` measures the training throughput levers instead
(:mod:`ogn_lib.bench.throughput_levers`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ogn_lib.analysis.scores import velocity_change_r2
from ogn_lib.bench.throughput_levers import throughput_levers
from ogn_lib.data.catalogue import trajectory_paths
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.files import write_json_atomic, write_text_atomic
from ogn_lib.learn.checkpoint import load_simulator
from ogn_lib.learn.network import EdgeGeometry, OGNNetwork, bessel_basis, envelope, mlp
from ogn_lib.learn.noise import NoiseConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import PRESETS, graph_cutoff, model_config, training_config
from ogn_lib.learn.rollout import rollout_trajectory
from ogn_lib.learn.trained_models import load_shipped
from ogn_lib.learn.training import TrainingConfig, train
from ogn_lib.machine import describe_machine
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.periodic import wrap
from ogn_lib.studies.accuracy_curves import accuracy_curves
from ogn_lib.studies.system_level import energy_series

Log = Callable[[str], None]

REPORT_MD_STEPS = (25, 50, 100, 200)
ENERGY_MD_STEPS = 2000
"""One rollout this long from the first test trajectory gives the energy drift."""
BASE = TrainingConfig(epochs=6, batches_per_epoch=50, batch_size=4, learning_rate=1e-3,
                      final_learning_rate=1e-4)
PROFILE_EPOCHS = 12
"""Epochs (of 50 batches of 8) of the ``profile-*`` variants."""
FINE_TUNING = TrainingConfig(epochs=12, batches_per_epoch=50, batch_size=8,
                             learning_rate=1e-4, final_learning_rate=1e-5, schedule="cosine")
"""Training of the ``shipped+*`` variants, which continue the shipped quick Fast-OGN: 600
batches of 8 at a rate falling from 1e-4 (a tenth of its peak) to 1e-5 by a cosine; a
variant chaining n predictions per sample has 1/n of the batches, for about the same CPU
time."""
SHIPPED = "shipped-quick-fast"
"""The row of the shipped model, scored like a variant with its recorded training."""


class LabFrameNetwork(OGNNetwork):
    """GNS-like control: displacement/r_c and absolute velocities as raw vector inputs, a
    node MLP decoding the six outputs; no built-in equivariance or Galilean invariance."""

    def __init__(self, config):
        super().__init__(config)
        latent, hidden = config.latent_size, config.hidden_size
        self.edge_encoder = mlp(config.n_radial + 6, hidden, latent)
        self.velocity_encoder = nn.Linear(3, latent)
        self.node_decoder = mlp(latent, hidden, 6, layer_norm=False)

    def forward(self, graph, typeids, velocities):
        distance = graph.displacements.norm(dim=-1).clamp(min=1e-6)
        scaled = distance / self.config.cutoff
        weight = envelope(scaled)
        features = torch.cat([bessel_basis(scaled, self.config.n_radial) * weight[:, None],
                              graph.displacements / self.config.cutoff,
                              velocities[graph.senders] - velocities[graph.receivers]], -1)
        nodes = self.type_embedding(typeids) + self.velocity_encoder(velocities)
        edges = self.edge_encoder(features)
        for layer in self.layers:
            nodes, edges = layer(nodes, edges, graph, EdgeGeometry(weight, None, None))
        out = self.node_decoder(nodes)
        return out[:, :3], out[:, 3:]


VARIANTS = {
    "base": {},
    "cutoff-2.5": {"cutoff": 2.5},
    "cutoff-3.0": {"cutoff": 3.0},
    "noise": {"noise": NoiseConfig(position_fraction=3.0, velocity_fraction=0.02)},
    "batch-1": {"training": {"batch_size": 1, "batches_per_epoch": 200}},
    "long": {"training": {"epochs": 30, "batches_per_epoch": 100,
                          "final_learning_rate": 1e-5}},
    "long-vectors-8": {"training": {"epochs": 20, "batches_per_epoch": 100,
                                    "final_learning_rate": 1e-5},
                       "model": {"n_vectors": 8}},
    "lab-frame-gns-like": {"network": LabFrameNetwork},
    "vectors-8": {"model": {"n_vectors": 8}},
    "wide": {"model": {"latent_size": 64, "hidden_size": 128}},
    "reference-k1": {"preset": "reference", "model": {"n_vectors": 8}},
    "fast-k1": {"preset": "fast", "k": 1, "model": {"n_vectors": 8}},
    "profile-600": {"base": "profile"},
    "profile-600-tensors-0": {"base": "profile", "model": {"n_tensors": 0}},
    "profile-600-tensors-8": {"base": "profile", "model": {"n_tensors": 8}},
    "shipped+600": {"base": "shipped"},
    "shipped+200-chain-3": {"base": "shipped", "training": {"epochs": 4, "rollout_steps": 3}},
    "shipped+300-chain-2": {"base": "shipped", "training": {"epochs": 6, "rollout_steps": 2}},
}


def ablation_paths(system: str, data: Path | None = None) -> tuple[list[Path], list[Path]]:
    """(training, test) trajectory files: the system's quick data set, or the GSD files of
    ``data``'s ``train/`` and ``test/`` (one fixed copy, while the data set is made again)."""
    if data is None:
        return (trajectory_paths("quick", f"{system}-train"),
                trajectory_paths("quick", f"{system}-test"))
    return sorted((data / "train").glob("*.gsd")), sorted((data / "test").glob("*.gsd"))


def read_wrapped(path):
    """Read a trajectory, re-wrapping positions into [-L/2, L/2): LAMMPS writes atoms that
    left the box since the last re-neighbouring slightly outside it."""
    trajectory = read_trajectory(path)
    positions, crossings = wrap(trajectory.positions, trajectory.box_lengths)
    return replace(trajectory, positions=positions.astype(np.float32),
                   images=trajectory.images + crossings.astype(trajectory.images.dtype))


def evaluate(simulator, test_paths) -> dict:
    """The variant's scores on the test trajectories (two starts each, at frame 0 and
    halfway), the energy drift of one long rollout and the velocity-change R^2."""
    k = simulator.spec.k_steps
    md_steps = [k * max(1, n // k) for n in REPORT_MD_STEPS]
    curves = []
    for path in test_paths:
        truth = read_wrapped(path)
        for start in (0, truth.n_frames // 2):
            curves.append(accuracy_curves(simulator, truth, start, max(md_steps) // k))
    mean = {key: np.nanmean([c.position_rmse[name] for c in curves], axis=0)
            for key, name in (("ogn", "OGN"), ("no_motion", "no motion"),
                              ("constant_velocity", "constant velocity"))}
    at = [n // k - 1 for n in md_steps]
    temperature_error = [np.nanmax(np.abs(c.temperature["OGN"] / c.temperature["truth"] - 1))
                         for c in curves]
    # Instantaneous kinetic temperatures of 265 atoms fluctuate by ~5%; the time average
    # over the 100 steps is the steadier comparison.
    mean_temperature_error = [abs(np.nanmean(c.temperature["OGN"])
                                  / np.mean(c.temperature["truth"]) - 1) for c in curves]
    truth = read_wrapped(test_paths[0])
    long_rollout = rollout_trajectory(simulator, truth.configuration(0), ENERGY_MD_STEPS // k)
    last_start = truth.n_frames - k // truth.metadata.period_steps
    return {
        "md_steps": md_steps,
        "energy_drift_over_mean_kinetic": energy_series(SYSTEMS[simulator.spec.system],
                                                        long_rollout).relative_total_drift,
        "energy_rollout_blow_up": long_rollout.metadata.blow_up,
        "rmse_ogn": mean["ogn"][at].tolist(),
        "rmse_no_motion": mean["no_motion"][at].tolist(),
        "rmse_constant_velocity": mean["constant_velocity"][at].tolist(),
        "blow_ups": int(sum("OGN" in c.failures for c in curves)),
        "n_rollouts": len(curves),
        "instantaneous_temperature_error_max": float(np.max(temperature_error)),
        "instantaneous_temperature_error_mean": float(np.mean(temperature_error)),
        "time_averaged_temperature_error_max": float(np.max(mean_temperature_error)),
        "temperature_ratio_all_rollouts": float(
            np.nanmean([c.temperature["OGN"] for c in curves])
            / np.mean([c.temperature["truth"] for c in curves])),
        "velocity_change_r2": velocity_change_r2(simulator, truth,
                                                 np.linspace(0, last_start - 1, 20).astype(int)),
    }


def variant_settings(system: str, name: str, n_types: int) -> tuple:
    """(preset, k, model, training, network class, shipped simulator to continue or
    ``None``) of variant ``name`` for ``system``'s data of ``n_types`` species."""
    options = VARIANTS[name]
    preset = options.get("preset", "fast")
    k = options.get("k", PRESETS[preset].k_steps(system))
    profile_model = model_config(preset, "quick", n_types,
                                 options.get("cutoff", graph_cutoff(system)), system)
    initial = None
    if options.get("base") == "shipped":
        initial, _ = load_shipped("quick", system, preset)
        model = initial.spec.model
        config = replace(FINE_TUNING, **options.get("training", {}))
    elif options.get("base") == "profile":
        model = replace(profile_model, **options.get("model", {}))
        config = replace(training_config("quick", preset), epochs=PROFILE_EPOCHS,
                         **options.get("training", {}))
    else:
        model = replace(profile_model, **{"n_vectors": 0, "n_tensors": 0,
                                          **options.get("model", {})})
        config = replace(BASE, noise=options.get("noise", NoiseConfig()),
                         **options.get("training", {}))
    return preset, k, model, config, options.get("network", OGNNetwork), initial


def run_variant(system: str, name: str, train_paths, test_paths, folder: Path) -> dict:
    """Train variant ``name`` into ``folder`` (or reuse its checkpoint and record there)
    and score it; the row is written to ``folder/<system>-<name>.json`` too."""
    training = [read_wrapped(p) for p in train_paths]
    preset, k, model, config, network, initial = variant_settings(
        system, name, len(training[0].type_names))
    train_pairs = PairSet(training, k)
    test_pairs = PairSet([read_wrapped(p) for p in test_paths], k)
    checkpoint, report = folder / f"{system}-{name}.pt", folder / f"{system}-{name}.json"
    if checkpoint.exists() and report.exists():  # trained before: evaluate again only
        trained = json.loads(report.read_text())
    else:
        started, cpu_started = time.perf_counter(), time.process_time()
        history = train(model, train_pairs, test_pairs, config, checkpoint, progress=False,
                        network_factory=network, initial=initial)
        trained = {"training_minutes": (time.perf_counter() - started) / 60,
                   "training_cpu_minutes": (time.process_time() - cpu_started) / 60,
                   "test_loss": history["test_loss"],
                   "seconds_per_batch": float(np.sum(history["seconds"])
                                              / (config.epochs * config.batches_per_epoch))}
        if initial is not None:
            trained["note"] = ("continues the shipped model; CPU min are those of the "
                               "continuation alone")
    simulator = load_simulator(checkpoint, network_factory=network)
    result = {"variant": name, "k_steps": k, "preset": preset, "model": asdict(model),
              "network": network.__name__, "training": config.to_dict(),
              **{key: trained[key] for key in
                 ("training_minutes", "training_cpu_minutes", "test_loss",
                  "seconds_per_batch")},
              "note": trained.get("note", ""),
              **evaluate(simulator, test_paths)}
    write_json_atomic(report, result)
    return result


def run_shipped(system: str, test_paths) -> dict:
    """The shipped quick Fast-OGN (the profile's own training), scored like a variant;
    its training time and losses come from its provenance."""
    simulator, provenance = load_shipped("quick", system, "fast")
    training = provenance.training
    batches = provenance.batches
    return {"variant": SHIPPED, "k_steps": simulator.spec.k_steps,
            "preset": "fast", "model": asdict(simulator.spec.model),
            "network": type(simulator.network).__name__, "training": training,
            "training_minutes": provenance.wall_seconds / 60,
            "training_cpu_minutes": (provenance.cpu_seconds if provenance.cpu_seconds
                                     else provenance.wall_seconds
                                     * provenance.hardware.get("torch_threads", 1)) / 60,
            "test_loss": provenance.test_loss,
            "seconds_per_batch": provenance.wall_seconds / batches,
            "note": f"the shipped model (commit {provenance.commit[:7]})"
                    + ("" if provenance.cpu_seconds else "; CPU min is its wall time on one "
                       "thread of a shared 2-core machine, an upper bound"),
            **evaluate(simulator, test_paths)}


def learning_ablation(system: str, names, train_paths, test_paths, folder: Path,
                      log: Log = print) -> list[dict]:
    """The rows of variants ``names`` (:data:`VARIANTS` or :data:`SHIPPED`), trained and
    scored one after the other on one thread, their files in ``folder``."""
    torch.set_num_threads(1)  # the CPU-minutes of the table are one core's
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for name in names:
        result = (run_shipped(system, test_paths) if name == SHIPPED
                  else run_variant(system, name, train_paths, test_paths, folder))
        log(json.dumps({k: v for k, v in result.items()
                        if k not in ("model", "training", "test_loss")}))
        results.append(result)
    return results


def training_throughput(system: str, train_paths, log: Log = print) -> dict:
    """The report of ``book/data/training_throughput_<system>.json``: the throughput levers
    (:func:`~ogn_lib.bench.throughput_levers.throughput_levers`) on the training pairs."""
    torch.set_num_threads(1)
    pairs = PairSet([read_wrapped(p) for p in train_paths], PRESETS["fast"].k_steps(system))
    return {"system": system, "machine": describe_machine(torch),
            "levers": throughput_levers(system, pairs, log=log)}


def write_summary(summary: Path, results: list[dict]) -> None:
    """Merge ``results`` into the table ``summary`` (``.json`` and ``.md``) by variant
    (earlier rows stay)."""
    merged = {}
    if summary.with_suffix(".json").exists():
        merged = {row["variant"]: row
                  for row in json.loads(summary.with_suffix(".json").read_text())}
    merged.update({row["variant"]: row for row in results})
    rows = list(merged.values())
    write_json_atomic(summary.with_suffix(".json"), rows)
    write_text_atomic(summary.with_suffix(".md"), markdown_table(rows))


def markdown_table(results) -> str:
    """The ablation as a Markdown table, one row per variant. Rows measured before a
    column existed say "not run" there (RMSE at 200 MD steps, energy drift, CPU time)."""
    lines = [("| variant | k | layers | cutoff | batches | CPU min | samples/s | test loss | "
              "RMSE at MD steps | RMSE | no motion | T ratio | energy drift / KE, 2000 steps | "
              "blow-ups | R^2 dv |"), "|" + " --- |" * 15]
    for r in results:
        rmse, still = (" / ".join(f"{x:.3f}" for x in r[key]) if key in r else "not run"
                       for key in ("rmse_ogn", "rmse_no_motion"))
        ratio = (f"{r['temperature_ratio_all_rollouts']:.3f}"
                 if "temperature_ratio_all_rollouts" in r else "not run")
        drift = (f"{r['energy_drift_over_mean_kinetic']:.3f}"
                 if "energy_drift_over_mean_kinetic" in r else "not run")
        cpu = (f"{r['training_cpu_minutes']:.1f}" if "training_cpu_minutes" in r
               else f"~{r['training_minutes']:.1f} (wall)")
        blow_ups = f"{r['blow_ups']}/{r['n_rollouts']}" if "blow_ups" in r else "not run"
        r2 = f"{r['velocity_change_r2']:.3f}" if "velocity_change_r2" in r else "not run"
        batches = len(r["test_loss"]) * r["training"]["batches_per_epoch"]
        samples_per_s = r["training"]["batch_size"] / r["seconds_per_batch"]
        lines.append(
            f"| {r['variant']} | {r['k_steps']} | {r['model']['n_layers']} | "
            f"{r['model']['cutoff']} | {batches} | {cpu} | {samples_per_s:.1f} | "
            f"{r['test_loss'][-1]:.4f} | {' / '.join(map(str, r.get('md_steps', [])))} | {rmse} | "
            f"{still} | {ratio} | {drift} | {blow_ups} | {r2} |")
    notes = [f"- {r['variant']}: {r['note']}" for r in results if r.get("note")]
    return "\n".join(lines + [""] + notes) + "\n"
