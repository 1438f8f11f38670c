"""The rollout levers of the speed page (``scripts/rollout_levers_benchmark.py``,
``book/data/rollout_levers.json``): a neighbour list with a skin and compilation, each
against a fresh neighbour search every prediction, and the sentence that says which pays."""

from __future__ import annotations

import numpy as np

from ogn_lib.book.speed_page import SHORT_NAMES


def lever_rows(levers: dict) -> list[dict]:
    """One row per liquid and rollout lever (``scripts/rollout_levers_benchmark.py``): CPU
    seconds per prediction, speed-up over a fresh neighbour search every prediction,
    searches per prediction, the first prediction's time (with any compilation) and the
    largest position difference from the fresh search's rollout."""
    rows = []
    for system, liquid in levers["liquids"].items():
        for lever in liquid["levers"]:
            rows.append({"liquid": f"{SHORT_NAMES.get(system, system)} ({liquid['n_atoms']:,})",
                         "lever": lever["lever"],
                         "CPU s per prediction": lever["cpu_s_per_prediction"],
                         "speed-up": lever["speed_up"],
                         "searches per prediction": lever["searches"] / lever["predictions"],
                         "first prediction, CPU s": lever["first_prediction_cpu_s"],
                         "largest position difference": lever["max_position_difference"]})
    return rows


def atom_range(levers: dict) -> str:
    """The sizes of the liquids the levers were measured on, as the page says them:
    ``3,000 to 7,155`` (one size: ``4,000``)."""
    sizes = sorted(liquid["n_atoms"] for liquid in levers["liquids"].values())
    if not sizes:
        raise ValueError("the lever benchmark holds no liquid; run "
                         "scripts/rollout_levers_benchmark.py")
    low, high = sizes[0], sizes[-1]
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


SKIN_PAYS = 1.1
"""A lever pays where it makes a prediction at least this many times as fast: timings of
one run on a shared 2-core machine differ by up to ~10%."""


def best_skin(levers: dict) -> dict:
    """The neighbour-list skin with the largest geometric-mean speed-up over the liquids,
    its speed-up per liquid, and sentences for the page that say whether it pays, why, and
    what compilation did."""
    speed_ups: dict[str, dict[str, float]] = {}
    searches: dict[str, list[float]] = {}
    compiled = {}
    for system, liquid in levers["liquids"].items():
        for lever in liquid["levers"]:
            if "skin_fraction" in lever:
                speed_ups.setdefault(lever["lever"], {})[system] = lever["speed_up"]
                searches.setdefault(lever["lever"], []).append(
                    lever["searches"] / lever["predictions"])
            elif lever.get("compile"):
                compiled[system] = lever
    if not speed_ups:
        raise ValueError("the lever benchmark holds no neighbour-list skin; run "
                         "scripts/rollout_levers_benchmark.py")
    name = max(speed_ups, key=lambda lever: float(np.exp(np.mean(np.log(
        list(speed_ups[lever].values()))))))
    per_liquid = speed_ups[name]
    low, high = min(per_liquid.values()), max(per_liquid.values())
    each = ", ".join(f"{SHORT_NAMES.get(s, s)} {v:.2f}" for s, v in per_liquid.items())
    searched = f"{min(searches[name]):.0%}–{max(searches[name]):.0%}"
    if high < 1:
        text = (f"No skin pays. The best, {name}, runs at {low:.2f}–{high:.2f} times the speed "
                f"of a fresh search ({each}): within one prediction of k MD steps the fastest "
                f"of thousands of atoms moves more than half the skin, so the list is searched "
                f"again at {searched} of the predictions, and filtering its longer pair list "
                "costs more than the searches it saves. Rollouts keep a fresh search.")
    else:
        payers = [SHORT_NAMES.get(s, s) for s, v in per_liquid.items() if v >= SKIN_PAYS]
        verdict = ("so rollouts search afresh by default and `rollout_states(..., skin=...)` "
                   "offers the list" if len(payers) < len(per_liquid)
                   else "so it pays for every liquid")
        text = (f"The best skin, {name}, runs at {low:.2f}–{high:.2f} times the speed of a "
                f"fresh search ({each}), searching again at {searched} of the predictions: "
                f"it pays (at least {SKIN_PAYS:g} times as fast) for "
                f"{', '.join(payers) if payers else 'no liquid'}, {verdict}.")
    if compiled:
        text += (" Compilation made a prediction take "
                 f"{min(1 / c['speed_up'] for c in compiled.values()):.2g}–"
                 f"{max(1 / c['speed_up'] for c in compiled.values()):.2g} times as long after a "
                 f"first one of {min(c['first_prediction_cpu_s'] for c in compiled.values()):.2g}–"
                 f"{max(c['first_prediction_cpu_s'] for c in compiled.values()):.2g} CPU s: "
                 "each prediction has another edge count, and the network is compiled again.")
    return {"lever": name, "speed_ups": per_liquid, "text": text}
