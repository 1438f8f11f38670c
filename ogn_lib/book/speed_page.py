"""The book's speed page: OGN against LAMMPS, read from the benchmarks' JSON files.

Three benchmarks feed it, each optional, all saved under ``book/data/``:

- ``liquid_speed.json`` from ``scripts/liquid_speed_benchmark.py``: for each of the four
  liquids at two sizes, the shipped Fast- and Reference-OGN against LAMMPS on the same
  configuration (one core, both cores, and LAMMPS at the Fast-OGN's stride as its step),
  the matrix-product operations of a prediction against this CPU's float32 rate, and where
  a prediction spends its time;
- ``benchmark_md.json`` from ``ogn benchmark-md`` (``make benchmark``,
  :mod:`ogn_lib.bench.md_speed`): LAMMPS run bare, with its own dump, and through
  ``ogn_lib`` writing GSD;
- ``ogn_speed_<system>.json`` from ``scripts/speed_benchmark.py``
  (:mod:`ogn_lib.bench.size_scaling`): per model and atom count up to 100,000, seconds per
  prediction (graph building and network apart), memory, and LAMMPS's rate at the same
  count; and training samples per second.

Speeds are in atom-MD-steps per second: one prediction of k MD steps for N atoms counts
N k, so a learned simulator and MD are compared on the simulated time they deliver.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ogn_lib.analysis.sweeps import fit_power_law
from ogn_lib.bench.faster_than_md import faster_measurement, faster_verdict
from ogn_lib.book.report import run_cell
from ogn_lib.book.tables import markdown_table  # noqa: F401  (the speed page's tables)
from ogn_lib.learn.presets import evaluates_pairs_once
from ogn_lib.paths import REPOSITORY_ROOT

BOOK_DATA = REPOSITORY_ROOT / "book" / "data"
MD_WAYS = {"bare_atom_steps_per_s": "LAMMPS, nothing recorded",
           "lammps_dump_atom_steps_per_s": "LAMMPS + its own dump every step",
           "ogn_atom_steps_per_s": "LAMMPS via ogn_lib, GSD every step"}
MEMORY_LIMIT_GIB = 8.0
"""The issue's memory budget for a 100,000-atom Fast-OGN rollout."""


@dataclass(frozen=True)
class SpeedResults:
    """What the benchmarks measured; an absent benchmark gives ``None`` or ``{}``.

    Attributes:
        md: the content of ``benchmark_md.json`` (``rows`` per system), or ``None``.
        ogn: system -> the OGN benchmark's report (``machine``, ``rollout``, ``lammps``,
            ``training``).
        liquids: the content of ``liquid_speed.json``, or ``None``.
        levers: the content of ``rollout_levers.json`` (neighbour-list skins and
            compilation per liquid), or ``None``.
        missing: the files that were looked for and not found (relative to the
            repository).
    """

    md: dict | None
    ogn: dict[str, dict]
    liquids: dict | None
    levers: dict | None
    missing: tuple[str, ...]


def load_speed_results(book_data: Path = BOOK_DATA) -> SpeedResults:
    """What the benchmarks saved in ``book_data``."""
    def read(name: str) -> dict | None:
        path = Path(book_data) / name
        return json.loads(path.read_text()) if path.exists() else None

    md, liquids = read("benchmark_md.json"), read("liquid_speed.json")
    levers = read("rollout_levers.json")
    ogn = {path.stem.removeprefix("ogn_speed_"): json.loads(path.read_text())
           for path in sorted(Path(book_data).glob("ogn_speed_*.json"))}
    missing = tuple(f"book/data/{name}" for name, found in (
        ("liquid_speed.json", liquids), ("benchmark_md.json", md),
        ("rollout_levers.json", levers), ("ogn_speed_<system>.json", ogn)) if not found)
    return SpeedResults(md=md, ogn=ogn, liquids=liquids, levers=levers, missing=missing)


def break_even_k(k_steps: int, ratio: float) -> float:
    """The stride at which the OGN would deliver MD time as fast as LAMMPS, at its present
    cost per prediction (which hardly depends on k): k over the ratio of the OGN's rate to
    LAMMPS's, both in atom-MD-steps per second."""
    return k_steps / ratio


def lammps_rate(liquid: dict, n_atoms: int, dt_factor: int = 1, threads: int = 1
                ) -> dict | None:
    """The LAMMPS row of a liquid's benchmark at this size, step factor and threads."""
    return next((row for row in liquid["lammps"] if row["n_atoms"] == n_atoms
                 and row["dt_factor"] == dt_factor and row["threads"] == threads), None)


def ogn_row(liquid: dict, n_atoms: int, threads: int = 1, preset: str = "fast"
             ) -> dict | None:
    """The OGN row of a liquid's benchmark for this preset, size and threads."""
    return next((row for row in liquid["rollout"] if row["preset"] == preset
                 and row["n_atoms"] == n_atoms and row["threads"] == threads), None)


def liquid_rows(liquid: dict) -> list[dict]:
    """One liquid's runs: each OGN and LAMMPS run with its atoms, threads, MD steps per
    call, seconds per prediction and atom-MD-steps per second, and the ratio to LAMMPS
    with its own step at the same atoms and threads."""
    rows = []
    for row in sorted(liquid["rollout"], key=lambda r: (r["n_atoms"], r["preset"],
                                                       r["threads"])):
        lammps = lammps_rate(liquid, row["n_atoms"], threads=row["threads"])
        rows.append({"run": f"{row['preset']}-OGN", "atoms": row["n_atoms"],
                     "threads": row["threads"], "MD steps per call": row["k_steps"],
                     "s per prediction": row["seconds_per_prediction"],
                     "atom-MD-steps / s": row["atom_steps_per_s"],
                     "/ LAMMPS": (row["atom_steps_per_s"] / lammps["atom_steps_per_s"]
                                  if lammps else None)})
    for row in sorted(liquid["lammps"], key=lambda r: (r["n_atoms"], r["dt_factor"],
                                                      r["threads"])):
        step = "dt" if row["dt_factor"] == 1 else f"{row['dt_factor']} dt"
        rows.append({"run": f"LAMMPS, step {step}", "atoms": row["n_atoms"],
                     "threads": row["threads"], "MD steps per call": row["dt_factor"],
                     "s per prediction": None,
                     "atom-MD-steps / s": (row["atom_steps_per_s"] if row["stable"]
                                           else "lost atoms"),
                     "/ LAMMPS": None})
    return rows


SHORT_NAMES = {"lj": "KA-LJ", "silica": "silica", "si": "Si", "cuzr": "Cu-Zr"}
"""The liquids' names in the speed page's tables and axes, in the book's order."""


def liquids_in_order(report: dict) -> list[tuple[str, dict]]:
    """The benchmark's liquids as (system, measurements), in :data:`SHORT_NAMES`' order
    (others after them, by name): the JSON file keeps its keys sorted."""
    order = list(SHORT_NAMES)
    return sorted(report["liquids"].items(),
                  key=lambda item: (order.index(item[0]) if item[0] in order else len(order),
                                    item[0]))


def liquid_numbers(report: dict) -> dict[str, dict]:
    """Per liquid: the Fast-OGN's MD time per second over LAMMPS's at each size on one
    core and on both cores, over LAMMPS at the Fast-OGN's stride as its step (a string
    where LAMMPS lost atoms at that step), the break-even stride, and the share of this
    CPU's float32 matrix-product rate that its network reaches."""
    small, large = min(report["sizes"]), max(report["sizes"])
    ceiling = report["matmul_flops_per_s"]["1"]
    numbers = {}
    for system, liquid in liquids_in_order(report):
        n_small = atoms_near(liquid, small)
        fast_small = ogn_row(liquid, n_small)
        fast_large = ogn_row(liquid, atoms_near(liquid, large))
        both = ogn_row(liquid, n_small, threads=2)
        lammps_both = lammps_rate(liquid, n_small, threads=2)
        lammps_large = lammps_rate(liquid, fast_large["n_atoms"])
        coarse = lammps_rate(liquid, n_small, dt_factor=liquid["k_steps"])
        faster = faster_measurement(liquid.get("faster"))
        numbers[system] = {
            "k": liquid["k_steps"], "atoms": n_small, "large atoms": fast_large["n_atoms"],
            "one core": faster.value, "one core, measured": faster,
            "large": (fast_large["atom_steps_per_s"] / lammps_large["atom_steps_per_s"]
                      if lammps_large else None),
            "both cores": (both["atom_steps_per_s"] / lammps_both["atom_steps_per_s"]
                           if both and lammps_both else None),
            "k dt": (fast_small["atom_steps_per_s"] / coarse["atom_steps_per_s"]
                     if coarse and coarse["stable"] else "LAMMPS lost atoms"),
            "break-even k": break_even_k(liquid["k_steps"], faster.value),
            "float32 share": fast_small["matmul_flops_per_s"] / ceiling}
    return numbers


def speed_rows(report: dict) -> list[dict]:
    """The Fast-OGN against LAMMPS with its own step, per liquid, with the verdict on
    "faster than MD" (:func:`~ogn_lib.bench.faster_than_md.faster_verdict`: one core at
    the smaller size, mean of interleaved timing pairs with its 95% interval)."""
    liquids = report["liquids"]
    return [{"liquid": SHORT_NAMES.get(system, system), "k": n["k"],
             "atoms": f"{n['atoms']:,} / {n['large atoms']:,}",
             "Fast-OGN / LAMMPS, one core": run_cell(n["one core, measured"]),
             "pairs": n["one core, measured"].n,
             "same, larger liquid": n["large"], "same, both cores": n["both cores"],
             "verdict": faster_verdict(system, liquids[system].get("faster")).outcome}
            for system, n in liquid_numbers(report).items()]


def faster_sentence(report: dict) -> str:
    """What the verdicts on "faster than MD" say, liquid by liquid, as one Markdown
    sentence of the page's conclusion (from :func:`speed_rows`, so that it cannot
    contradict the table)."""
    groups: dict[str, list[str]] = {}
    for row in speed_rows(report):
        groups.setdefault(row["verdict"], []).append(row["liquid"])
    said = {"reproduced": "faster than LAMMPS", "not reproduced": "slower than LAMMPS",
            "partly": "neither clearly faster nor slower than LAMMPS",
            "not tested here": "not compared with LAMMPS"}
    parts = [f"{said[outcome]} (*{outcome}*) for {_listed(groups[outcome])}"
             for outcome in said if outcome in groups]
    return "On one core, the Fast-OGN delivers MD time " + "; ".join(parts) + "."


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def limit_rows(report: dict) -> list[dict]:
    """Per liquid: the Fast-OGN against LAMMPS at k dt, the stride it would need to match
    LAMMPS, and the share of this CPU's float32 rate its network reaches."""
    return [{"liquid": SHORT_NAMES.get(system, system), "k": n["k"],
             "Fast-OGN / LAMMPS at k dt": n["k dt"], "break-even k": n["break-even k"],
             "share of the float32 matrix-product rate": n["float32 share"]}
            for system, n in liquid_numbers(report).items()]


def atoms_near(liquid: dict, asked: int) -> int:
    """The atom count of the liquid's runs nearest ``asked`` (tiled liquids have about the
    asked size)."""
    counts = sorted({row["n_atoms"] for row in liquid["rollout"]})
    return min(counts, key=lambda n: abs(np.log(n / asked)))


def pair_rows(report: dict) -> list[dict]:
    """Per liquid: an untrained Fast-OGN of the shipped sizes evaluating each direction of
    a pair against one evaluating each pair once (CPU seconds per prediction, one core),
    the shipped Fast-OGN's ratio to LAMMPS (one core) scaled by that speed-up, and whether
    the shipped Fast-OGN evaluates pairs once (:data:`~ogn_lib.learn.presets.PAIR_ONCE`)."""
    numbers = liquid_numbers(report)
    rows = []
    for system, liquid in liquids_in_order(report):
        if "pairs_once" not in liquid:
            continue
        directed = liquid["pairs_once"]["each direction"]["seconds_per_prediction"]
        once = liquid["pairs_once"]["pairs once"]["seconds_per_prediction"]
        shipped_once = evaluates_pairs_once("fast", system)
        rows.append({"liquid": SHORT_NAMES.get(system, system),
                     "atoms": liquid["pairs_once"]["pairs once"]["n_atoms"],
                     "each direction, CPU s per prediction": directed,
                     "pairs once, CPU s per prediction": once, "speed-up": directed / once,
                     "Fast-OGN / LAMMPS, one core, pairs once":
                         numbers[system]["one core"] * (1.0 if shipped_once
                                                        else directed / once),
                     "shipped Fast-OGN": "pairs once" if shipped_once else "each direction"})
    return rows


def operator_rows(report: dict) -> list[dict]:
    """Per liquid, where a Fast-OGN prediction spends its CPU time: the top torch
    operators by their own time and what is left outside them, as shares."""
    return [{"liquid": SHORT_NAMES.get(system, system),
             **{f"#{rank}": f"{row['operator']} ({row['share']:.0%})"
                for rank, row in enumerate(liquid["top_operators"][:-1], start=1)},
             "outside torch": f"{liquid['top_operators'][-1]['share']:.0%}"}
            for system, liquid in liquids_in_order(report)]


def md_table(md: dict) -> list[dict]:
    """One row per system: atoms, the three MD rates, and the ogn_lib overhead in %."""
    return [{"system": SHORT_NAMES.get(row["system"], row["system"]), "atoms": row["n_atoms"],
             **{label: row[key] for key, label in MD_WAYS.items()},
             "ogn_lib overhead vs bare (%)": 100.0 * row["overhead_vs_bare"]}
            for row in md["rows"]]


def model_label(row: dict) -> str:
    """``fast-OGN (quick sizes)``, with ``, all edges at once`` for the unchunked layout."""
    layout = "" if row["edge_chunk"] else ", all edges at once"
    return f"{row['preset']}-OGN ({row['sizes']} sizes{layout})"


def with_lammps(report: dict) -> list[dict]:
    """The rollout rows with LAMMPS's rate at the same atom count and the ratio OGN /
    LAMMPS (``None`` where LAMMPS did not run at that count)."""
    lammps = {row["n_atoms"]: row["atom_steps_per_s"] for row in report["lammps"]}
    rows = []
    for row in report["rollout"]:
        rate = lammps.get(row["n_atoms"])
        rows.append(dict(row, lammps_atom_steps_per_s=rate,
                         ogn_over_lammps=row["atom_steps_per_s"] / rate if rate else None))
    return rows


def ogn_table(report: dict) -> list[dict]:
    """One row per model and size: time split, rate, the ratio to LAMMPS and peak memory
    (the rollout's own memory is drawn in :func:`~ogn_lib.book.speed_figures.scaling_figure`)."""
    return [{"model": model_label(row), "atoms": row["n_atoms"],
             "s / prediction": row["seconds_per_prediction"],
             "graph s": row["graph_seconds"], "network s": row["network_seconds"],
             "OGN / LAMMPS": row["ogn_over_lammps"],
             "peak memory (GiB)": row["peak_memory_gib"]}
            for row in with_lammps(report)]


def training_table(report: dict) -> list[dict]:
    """Training samples per second per model."""
    return [{"model": f"{row['preset']}-OGN ({row['sizes']} sizes)",
             "atoms": row["n_atoms"], "k": row["k_steps"],
             "batch": row["batch_size"], "samples / s": row["samples_per_s"]}
            for row in report["training"]]


def linear_fit(n_atoms, values) -> tuple[float, float]:
    """``(offset, per_atom)`` of the line ``values = offset + per_atom * n_atoms`` with the
    least squared relative errors (so sizes a thousand times apart count alike)."""
    n_atoms, values = np.asarray(n_atoms, float), np.asarray(values, float)
    if len(n_atoms) < 2 or np.any(values <= 0):
        raise ValueError(f"need two or more sizes with positive values for a line, got "
                         f"{n_atoms.tolist()} and {values.tolist()}")
    per_atom, offset = np.polyfit(n_atoms, values, 1, w=1.0 / values)
    return float(offset), float(per_atom)


def scaling(report: dict, preset: str = "fast", sizes: str = "quick",
            chunked: bool = True) -> dict:
    """How time and memory of one model grow with N: the log-log slope of the seconds per
    prediction (1: proportional to N) and its cost per atom at the largest size over that
    at the smallest; the line of the rollout memory against N (:func:`linear_fit`, sizes
    where the memory grew measurably)."""
    rows = sorted((row for row in report["rollout"] if row["preset"] == preset
                   and row["sizes"] == sizes and bool(row["edge_chunk"]) == chunked),
                  key=lambda row: row["n_atoms"])
    if len(rows) < 2:
        raise ValueError(f"{preset}-OGN ({sizes} sizes) ran at {len(rows)} size(s); the "
                         "scaling needs two or more: run scripts/speed_benchmark.py")
    atoms = [row["n_atoms"] for row in rows]
    per_atom = [row["seconds_per_prediction"] / row["n_atoms"] for row in rows]
    grown = [row for row in rows if row["rollout_memory_gib"] > 0]
    memory_offset, memory_per_atom = linear_fit([r["n_atoms"] for r in grown],
                                                [r["rollout_memory_gib"] for r in grown])
    return {"n_atoms": atoms,
            "time_slope": fit_power_law(atoms, [r["seconds_per_prediction"]
                                                for r in rows]).exponent,
            "per_atom_time_ratio": per_atom[-1] / per_atom[0],
            "memory_offset_gib": memory_offset,
            "memory_per_atom_kib": memory_per_atom * 2**20,
            "largest": rows[-1]}


def chunking_gain(report: dict, preset: str = "fast", sizes: str = "quick") -> list[dict]:
    """Per atom count where both ran: seconds per prediction and rollout memory with all
    edges at once (the layout before edge chunks) over those with edge chunks."""
    chosen = [row for row in report["rollout"]
              if row["preset"] == preset and row["sizes"] == sizes]
    chunked = {row["n_atoms"]: row for row in chosen if row["edge_chunk"]}
    rows = []
    for whole in sorted((row for row in chosen if not row["edge_chunk"]),
                        key=lambda row: row["n_atoms"]):
        if whole["n_atoms"] in chunked:
            row = chunked[whole["n_atoms"]]
            rows.append({
                "atoms": row["n_atoms"],
                "s / prediction, all edges at once": whole["seconds_per_prediction"],
                "s / prediction, edge chunks": row["seconds_per_prediction"],
                "speed-up": whole["seconds_per_prediction"] / row["seconds_per_prediction"],
                "memory (GiB), all edges at once": whole["rollout_memory_gib"],
                "memory (GiB), edge chunks": row["rollout_memory_gib"]})
    return rows


def key_numbers(report: dict) -> dict:
    """The numbers the page's prose cites, for the quick Fast-OGN with edge chunks: how its
    time and memory grow with N, its rate against LAMMPS and its memory at the largest N
    (against :data:`MEMORY_LIMIT_GIB`), the speed-up of edge chunks at the largest N where
    both layouts ran, and training samples per second of each quick model."""
    fast = scaling(report, "fast", "quick")
    largest = fast["largest"]
    ratios = {row["n_atoms"]: row["ogn_over_lammps"] for row in with_lammps(report)
              if row["preset"] == "fast" and row["sizes"] == "quick" and row["edge_chunk"]
              and row["ogn_over_lammps"]}
    gains = chunking_gain(report)
    training = {row["preset"]: row["samples_per_s"] for row in report["training"]
                if row["sizes"] == "quick"}
    return {"time_slope": fast["time_slope"],
            "per_atom_time_ratio": fast["per_atom_time_ratio"],
            "memory_per_atom_kib": fast["memory_per_atom_kib"],
            "memory_offset_gib": fast["memory_offset_gib"],
            "smallest_atoms": fast["n_atoms"][0], "largest_atoms": largest["n_atoms"],
            "largest_seconds_per_prediction": largest["seconds_per_prediction"],
            "largest_rollout_memory_gib": largest["rollout_memory_gib"],
            "largest_peak_memory_gib": largest["peak_memory_gib"],
            "largest_fits_memory_limit": largest["peak_memory_gib"] < MEMORY_LIMIT_GIB,
            "edges_per_atom": largest["edges_per_atom"],
            "lammps_ratio": ratios,
            "chunk_atoms": gains[-1]["atoms"] if gains else None,
            "chunk_speed_up": gains[-1]["speed-up"] if gains else None,
            "training_samples_per_s": training}


def weights_note(report: dict) -> str:
    """Which weights the rollouts used, one clause per kind."""
    return "; ".join(sorted({row["weights"] for row in report["rollout"]}))
