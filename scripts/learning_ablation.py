"""Learning ablation (quick profile): what makes the OGN learn in CPU minutes.

Each variant trains from the same seed on the quick training set of a system (KA-LJ by
default), on one thread, and is scored on the held-out test trajectories: test loss,
position RMSE after ~25/50/100/200 MD steps (multiples of the stride) against no motion
and constant velocity, the rollout's kinetic temperature against the truth's, the
total-energy drift of one 2000-MD-step rollout over the mean kinetic energy (no correction
applied), and the R^2 of one predicted velocity change. The variant
``shipped-quick-fast`` scores the shipped model with its recorded training instead.

Three families of variants: the early KA-LJ ones start from :data:`BASE` (a short run
without vector channels); those named ``profile-*`` start from the system's quick
Fast-OGN as the profile defines it (:func:`~ogn_lib.learn.presets.model_config`) trained
with the profile's cosine schedule over 600 batches of 8 (:data:`PROFILE_EPOCHS` epochs),
and change one thing; those named ``shipped+*`` continue the shipped quick Fast-OGN for
about the same CPU time (:data:`FINE_TUNING`), with single or chained predictions in the
loss (``rollout_steps``), to measure what training through the rollout adds.

Results go to ``results/ablation/<system>-<variant>.json`` (one file per variant, so an
interrupted sweep keeps what it finished), and every run merges its variants into the
book's table ``book/data/learning_ablation_<system>.{json,md}`` (rows measured before a
column existed say "not run" there).

``--throughput`` measures instead the training throughput levers side by side in one
process (:data:`THROUGHPUT_LEVERS`: batch size, ``torch.compile``, tensor channels):
CPU seconds per batch of graph building, forward, backward and Adam step, the first batch
(with its compilation) apart, into ``book/data/training_throughput_<system>.json``.

Usage: ``python scripts/learning_ablation.py [--system NAME] [--data FOLDER]
[--throughput] [variant ...]`` (default: every variant of :data:`VARIANTS` on the quick
KA-LJ data set; ``--data`` takes a folder with ``train/`` and ``test/`` GSD files instead,
to keep a sweep on one fixed copy while the data set is regenerated).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ogn_lib.analysis.accuracy import accuracy_curves
from ogn_lib.analysis.energies import energy_series
from ogn_lib.analysis.scores import velocity_change_r2
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
from ogn_lib.learn.training import TrainingConfig, batch_loss, new_simulator, train
from ogn_lib.machine import describe_machine
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.periodic import wrap

OUT = Path("results/ablation")
SUMMARY = REPOSITORY_ROOT / "book" / "data" / "learning_ablation_{system}"
"""The book's copy of a system's table (``.json`` and ``.md``), written by
:func:`write_summary`."""
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


def read_wrapped(path):
    """Read a trajectory, re-wrapping positions into [-L/2, L/2): LAMMPS writes atoms that
    left the box since the last re-neighbouring slightly outside it."""
    trajectory = read_trajectory(path)
    positions, crossings = wrap(trajectory.positions, trajectory.box_lengths)
    return replace(trajectory, positions=positions.astype(np.float32),
                   images=trajectory.images + crossings.astype(trajectory.images.dtype))


def evaluate(simulator, test_paths) -> dict:
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


def run_variant(system: str, name: str, train_paths, test_paths) -> dict:
    options = VARIANTS[name]
    preset = options.get("preset", "fast")
    k = options.get("k", PRESETS[preset].k_steps(system))
    train_pairs = PairSet([read_wrapped(p) for p in train_paths], k)
    test_pairs = PairSet([read_wrapped(p) for p in test_paths], k)
    profile_model = model_config(preset, "quick", len(train_pairs.type_names),
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
    network = options.get("network", OGNNetwork)
    checkpoint, report = OUT / f"{system}-{name}.pt", OUT / f"{system}-{name}.json"
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
    batches = training["epochs"] * training["batches_per_epoch"]
    return {"variant": "shipped-quick-fast", "k_steps": simulator.spec.k_steps,
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


THROUGHPUT_LEVERS = {
    "profile": {},
    "batch-4": {"batch_size": 4},
    "batch-16": {"batch_size": 16},
    "torch-compile": {"compile": True},
    "tensors-0": {"model": {"n_tensors": 0}},
    "tensors-8": {"model": {"n_tensors": 8}},
}
"""Levers of :func:`measure_throughput`, each a change to the system's quick Fast-OGN
trained in batches of 8."""


def measure_throughput(system: str, train_paths, n_batches: int = 30) -> list[dict]:
    """Training samples per CPU second of each lever of :data:`THROUGHPUT_LEVERS`, one
    after the other in this process: the median of ``n_batches`` timed batches after the
    first, whose time (with any compilation) is reported apart."""
    k = PRESETS["fast"].k_steps(system)
    pairs = PairSet([read_wrapped(p) for p in train_paths], k)
    profile_model = model_config("fast", "quick", len(pairs.type_names), graph_cutoff(system),
                                 system)
    rows = []
    for name, lever in THROUGHPUT_LEVERS.items():
        model = replace(profile_model, **lever.get("model", {}))
        batch_size = lever.get("batch_size", 8)
        torch.manual_seed(0)
        generator = torch.Generator().manual_seed(0)
        simulator = new_simulator(pairs, model).train()
        optimizer = torch.optim.Adam(simulator.network.parameters(), lr=1e-4)
        forward = torch.compile(simulator, dynamic=True) if lever.get("compile") else None
        seconds = []
        for _ in range(n_batches + 1):
            started = time.process_time()
            chosen = torch.randint(len(pairs), (batch_size,), generator=generator).numpy()
            loss = batch_loss(simulator, pairs, chosen, generator=generator, forward=forward)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            seconds.append(time.process_time() - started)
        steady = float(np.median(seconds[1:]))
        rows.append({"lever": name, "batch_size": batch_size, "n_tensors": model.n_tensors,
                     "first_batch_cpu_s": seconds[0], "cpu_s_per_batch": steady,
                     "samples_per_cpu_s": batch_size / steady,
                     "total_cpu_s": float(np.sum(seconds))})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def write_summary(system: str, results: list[dict]) -> None:
    """Merge ``results`` into the book's table by variant (earlier rows stay) and write
    ``book/data/learning_ablation_<system>.{json,md}``."""
    summary = Path(str(SUMMARY).format(system=system))
    merged = {}
    if summary.with_suffix(".json").exists():
        merged = {row["variant"]: row
                  for row in json.loads(summary.with_suffix(".json").read_text())}
    merged.update({row["variant"]: row for row in results})
    rows = list(merged.values())
    write_json_atomic(summary.with_suffix(".json"), rows)
    write_text_atomic(summary.with_suffix(".md"), markdown_table(rows))


def main(system: str, names, data: Path | None, throughput: bool = False):
    torch.set_num_threads(1)  # the CPU-minutes of the table are one core's
    OUT.mkdir(parents=True, exist_ok=True)
    if data is None:
        train_paths = trajectory_paths("quick", f"{system}-train")
        test_paths = trajectory_paths("quick", f"{system}-test")
    else:
        train_paths = sorted((data / "train").glob("*.gsd"))
        test_paths = sorted((data / "test").glob("*.gsd"))
    if throughput:
        rows = measure_throughput(system, train_paths)
        write_json_atomic(REPOSITORY_ROOT / "book" / "data"
                          / f"training_throughput_{system}.json",
                          {"system": system, "machine": describe_machine(torch),
                           "levers": rows})
        return
    results = []
    for name in names:
        result = (run_shipped(system, test_paths) if name == "shipped-quick-fast"
                  else run_variant(system, name, train_paths, test_paths))
        print(json.dumps({k: v for k, v in result.items()
                          if k not in ("model", "training", "test_loss")}), flush=True)
        results.append(result)
    write_summary(system, results)


def markdown_table(results) -> str:
    """The ablation as a Markdown table, one row per variant. Rows measured before a
    column existed say "not run" there (RMSE at 200 MD steps, energy drift, CPU time)."""
    lines = ["| variant | k | layers | cutoff | batches | CPU min | samples/s | test loss | "
             "RMSE at MD steps | RMSE | no motion | T ratio | energy drift / KE, 2000 steps | "
             "blow-ups | R^2 dv |", "|" + " --- |" * 15]
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


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--system", default="lj", choices=sorted(SYSTEMS))
    parser.add_argument("--data", type=Path, help="folder with train/ and test/ GSD files")
    parser.add_argument("--throughput", action="store_true",
                        help="measure the throughput levers instead of training variants")
    parser.add_argument("variants", nargs="*", help="default: every variant but the shipped")
    arguments = parser.parse_args()
    unknown = set(arguments.variants) - {*VARIANTS, "shipped-quick-fast"}
    if unknown:
        parser.error(f"unknown variants {sorted(unknown)}; choose from "
                     f"{', '.join([*VARIANTS, 'shipped-quick-fast'])}")
    main(arguments.system, arguments.variants or list(VARIANTS), arguments.data,
         arguments.throughput)
