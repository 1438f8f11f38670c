"""The settings this repository actually runs, as tables for the book's methods page.

Every value is read from the definitions the code uses (systems, data-set catalogue,
model presets and sizes, training profiles), so the methods page cannot drift from them.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import fields
from pathlib import Path

from ogn_lib.analysis.claims import CAGE_LENGTH
from ogn_lib.book.tables import unit_symbol
from ogn_lib.data.catalogue import catalogue
from ogn_lib.data.profiles import SIZES
from ogn_lib.learn.network import ModelConfig
from ogn_lib.learn.presets import (
    PRESETS,
    PROFILE_SIZES,
    PROFILE_TRAINING,
    TENSOR_CHANNELS,
    evaluates_pairs_once,
    graph_cutoff,
)
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT


def system_rows() -> list[dict]:
    """One row per system: units, MD step, state point, graph cutoff, Fast-OGN k."""
    rows = []
    for system in SYSTEMS.values():
        units = system.units
        rows.append({
            "system": system.name,
            "units": units.name,
            "MD step": f"{system.dt:g} {unit_symbol(units.time)}",
            "number density": f"{system.number_density:.4g} / {unit_symbol(units.length)}³",
            "T": f"{system.temperature:g} {unit_symbol(units.temperature)}",
            "graph cutoff r_c": f"{graph_cutoff(system.name):g} {unit_symbol(units.length)}",
            "Fast-OGN k": PRESETS["fast"].k_steps(system.name),
            "cage length (paper)": f"{CAGE_LENGTH[system.name]:g} {unit_symbol(units.length)}",
        })
    return rows


def dataset_rows(profile: str) -> list[dict]:
    """Trajectories the profile generates, grouped by system and role."""
    counts = Counter()
    example = {}
    for spec in catalogue(profile):
        key = (spec.system, spec.group, spec.protocol.n_atoms)
        counts[key] += 1
        example[key] = spec
    rows = []
    for (system, group, n_atoms), count in counts.items():
        spec = example[(system, group, n_atoms)]
        rows.append({"system": system, "role": group, "trajectories": count,
                     "atoms": n_atoms,
                     "MD steps recorded": getattr(spec.protocol, "production_steps", None),
                     "every (MD steps)": spec.period_steps})
    return _merge_sizes(rows)


def _merge_sizes(rows: list[dict]) -> list[dict]:
    """One row per (system, role): several atom counts are listed together (S5, S7)."""
    merged: dict = {}
    for row in rows:
        key = (row["system"], row["role"])
        if key in merged:
            merged[key]["trajectories"] += row["trajectories"]
            merged[key]["atoms"] = f"{merged[key]['atoms']}, {row['atoms']}"
        else:
            merged[key] = dict(row)
    return list(merged.values())


def model_rows() -> list[dict]:
    """One row per preset and profile: layers, k, widths, radial functions, channels and
    pair evaluation of the network (in seven columns, so that the table fits the page)."""
    n_radial = next(f.default for f in fields(ModelConfig) if f.name == "n_radial")
    tensors = ", ".join(f"{n} for {system}" for system, n in TENSOR_CHANNELS.items())
    rows = []
    for preset in PRESETS.values():
        once = ", ".join(system for system in SYSTEMS
                         if evaluates_pairs_once(preset.name, system))
        for profile, (latent, hidden, n_vectors) in PROFILE_SIZES.items():
            rows.append({"OGN": f"{preset.name}-OGN", "profile": profile,
                         "layers": preset.n_layers,
                         "k (LJ / others)": f"{preset.k_steps('lj')} / "
                                            f"{preset.k_steps('silica')}",
                         "widths (latent / MLP), radial functions":
                             f"{latent} / {hidden}, {n_radial}",
                         "channels (vector / tensor)": f"{n_vectors} / {tensors}, else 0",
                         "pairs": (f"once for {once}, else each direction" if once
                                   else "each direction")})
    return rows


def training_rows() -> list[dict]:
    """One row per profile and preset: epochs, batches, learning-rate schedule and noise (in
    seven columns, so that the table fits the page)."""
    return [{"profile": profile, "OGN": f"{preset}-OGN", "epochs": config.epochs,
             "batches per epoch × configurations":
                 f"{config.batches_per_epoch} × {config.batch_size}",
             "learning rate": f"{config.learning_rate:g} → {config.final_learning_rate:g}, "
                              + config.schedule + (f", {config.warmup_batches}-batch warm-up"
                                                   if config.warmup_batches else ""),
             "noise (× correction std / × velocity std)":
                 f"{config.noise.position_fraction:g} / {config.noise.velocity_fraction:g}",
             "test pairs": config.n_test_pairs}
            for (profile, preset), config in PROFILE_TRAINING.items()]


ABLATION = REPOSITORY_ROOT / "book" / "data" / "learning_ablation_{system}.json"
"""What ``scripts/learning_ablation.py`` measured, per system."""


def ablation_rows(system: str = "lj", path: Path | None = None) -> list[dict]:
    """The learning ablation of ``system`` in seven columns: each variant's batches, CPU
    minutes, final test loss, position RMSE after 100 MD steps (with no motion's), rollout
    temperature over the truth's, and total-energy drift over 2000 MD steps (no
    correction); a dash where a row was measured before the column existed."""
    rows = json.loads(Path(path or str(ABLATION).format(system=system)).read_text())
    table = []
    for row in rows:
        at_100 = (row["md_steps"].index(100) if 100 in row.get("md_steps", []) else None)
        cpu = row.get("training_cpu_minutes")
        rmse = None if at_100 is None else row["rmse_ogn"][at_100]
        table.append({
            "variant": row["variant"],
            "batches × configurations": f"{len(row['test_loss']) * row['training']['batches_per_epoch']}"
                                        f" × {row['training']['batch_size']}",
            "CPU min": cpu if cpu is not None else f"~{row['training_minutes']:.2g} (wall)",
            "test loss": float(row["test_loss"][-1]),
            "RMSE at 100 MD steps (no motion)":
                None if rmse is None else
                f"{rmse:.3g} ({row['rmse_no_motion'][at_100]:.3g})" if math.isfinite(rmse)
                else f"blew up ({row['rmse_no_motion'][at_100]:.3g})",
            "T ratio": row.get("temperature_ratio_all_rollouts"),
            "energy drift / KE, 2000 steps": row.get("energy_drift_over_mean_kinetic")})
    return table


def profiles() -> tuple[str, ...]:
    return tuple(SIZES)


LAYERS = ("md", "data", "learn", "analysis", "studies", "bench", "book", "cli")
"""The library's subpackages in pipeline order."""


def layer_rows() -> list[dict]:
    """One row per subpackage, in pipeline order: its name and modules in one column (to
    fit the page), and the first sentence of its docstring (which says what it may
    import)."""
    import importlib
    import pkgutil

    rows = []
    for name in LAYERS:
        package = importlib.import_module(f"ogn_lib.{name}")
        modules = sorted(info.name for info in pkgutil.iter_modules(package.__path__))
        summary = " ".join(package.__doc__.split()).split(". ")[0] + "."
        rows.append({"layer: modules": f"`ogn_lib.{name}`: {', '.join(modules)}",
                     "what it is": summary})
    return rows
