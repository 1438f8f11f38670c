"""The book's speed page: OGN against LAMMPS, read from the benchmarks' JSON files.

Two benchmarks feed it, each optional:

- ``results/benchmark_md.json`` from ``ogn benchmark-md`` (:mod:`ogn_lib.benchmark_md`):
  LAMMPS run bare, LAMMPS with its own dump, and LAMMPS through ``ogn_lib`` writing GSD;
- ``results/speed/<system>.json`` from the OGN rollout benchmark
  (:mod:`ogn_lib.benchmark_ogn`): seconds per prediction of each trained model at several
  atom counts, with LAMMPS at the same count.

Speeds are in atom-MD-steps per second: one prediction of k MD steps for N atoms counts
N k, so a learned simulator and MD are compared on the simulated time they deliver.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ogn_lib.tables import markdown_table  # noqa: F401  (the speed page's tables)

RESULTS = Path(__file__).resolve().parents[1] / "results"
MD_WAYS = {"bare_atom_steps_per_s": "LAMMPS, nothing recorded",
           "lammps_dump_atom_steps_per_s": "LAMMPS + its own dump every step",
           "ogn_atom_steps_per_s": "LAMMPS via ogn_lib, GSD every step"}


@dataclass(frozen=True)
class SpeedResults:
    """What the benchmarks measured; an absent benchmark gives ``None`` or ``{}``.

    Attributes:
        md: the content of ``benchmark_md.json`` (``rows`` per system), or ``None``.
        ogn: system -> rows of the OGN rollout benchmark.
        missing: the files that were looked for and not found (relative to the
            repository).
    """

    md: dict | None
    ogn: dict[str, list[dict]]
    missing: tuple[str, ...]


def load_speed_results(results: Path = RESULTS) -> SpeedResults:
    results = Path(results)
    md_path = results / "benchmark_md.json"
    md = json.loads(md_path.read_text()) if md_path.exists() else None
    ogn = {path.stem: json.loads(path.read_text())
           for path in sorted((results / "speed").glob("*.json"))}
    missing = (("results/benchmark_md.json",) if md is None else ()) + (
        () if ogn else ("results/speed/<system>.json",))
    return SpeedResults(md=md, ogn=ogn, missing=missing)


def md_table(md: dict) -> list[dict]:
    """One row per system: atoms, the three MD rates, and the ogn_lib overhead in %."""
    return [{"system": row["system"], "atoms": row["n_atoms"],
             **{label: row[key] for key, label in MD_WAYS.items()},
             "ogn_lib overhead vs bare (%)": 100.0 * row["overhead_vs_bare"]}
            for row in md["rows"]]


def ogn_table(rows: list[dict]) -> list[dict]:
    """One row per model and size: atoms, k, OGN and LAMMPS rates and their ratio."""
    return [{"model": row["model"], "atoms": row["n_atoms"], "k": row["k_steps"],
             "s / prediction": row["seconds_per_prediction"],
             "OGN atom-steps/s": row["atom_steps_per_s"],
             "LAMMPS atom-steps/s": row.get("lammps_atom_steps_per_s"),
             "OGN / LAMMPS": row.get("ogn_over_lammps")}
            for row in rows]


def best_ratio(results: SpeedResults) -> dict | None:
    """The fastest OGN row against LAMMPS over all systems, models and sizes."""
    rows = [dict(row, system=system) for system, table in results.ogn.items()
            for row in table if row.get("ogn_over_lammps")]
    return max(rows, key=lambda row: row["ogn_over_lammps"]) if rows else None


def speed_figure(results: SpeedResults):
    """Left: MD rates per system (three ways); right: OGN and LAMMPS rates against N."""
    import matplotlib.pyplot as plt
    import numpy as np

    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    if results.md:
        rows = results.md["rows"]
        x = np.arange(len(rows))
        for offset, (key, label) in zip((-0.27, 0, 0.27), MD_WAYS.items()):
            left.bar(x + offset, [row[key] for row in rows], width=0.26, label=label)
        left.set_xticks(x, [f"{row['system']}\n{row['n_atoms']} atoms" for row in rows])
        left.set_ylabel("atom-MD-steps per second")
        left.legend(fontsize=8)
        left.set_title(f"MD ({results.md.get('engine', 'LAMMPS')}, "
                       f"{results.md.get('threads', 1)} thread)")
    else:
        _empty(left, "no results/benchmark_md.json:\nrun `make benchmark`")
    if results.ogn:
        for system, rows in results.ogn.items():
            for model in sorted({row["model"] for row in rows}):
                mine = sorted((r for r in rows if r["model"] == model), key=lambda r: r["n_atoms"])
                right.plot([r["n_atoms"] for r in mine], [r["atom_steps_per_s"] for r in mine],
                           "o-", label=f"{system} {model}-OGN (k = {mine[0]['k_steps']})")
            lammps = sorted({(r["n_atoms"], r["lammps_atom_steps_per_s"]) for r in rows
                             if r.get("lammps_atom_steps_per_s")})
            if lammps:
                right.plot(*zip(*lammps), "ks--", label=f"{system} LAMMPS")
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel("atoms N")
        right.set_ylabel("atom-MD-steps per second")
        right.legend(fontsize=8)
        right.set_title("learned simulator vs LAMMPS")
    else:
        _empty(right, "no OGN speed benchmark yet:\nresults/speed/<system>.json")
    figure.tight_layout()
    return figure


def _empty(axis, text: str) -> None:
    axis.text(0.5, 0.5, text, ha="center", va="center", transform=axis.transAxes)
    axis.set_xticks([])
    axis.set_yticks([])

