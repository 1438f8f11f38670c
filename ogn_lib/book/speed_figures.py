"""The speed page's figures, drawn from the benchmarks' JSON as :mod:`ogn_lib.book.speed_page`
reads it: each liquid against LAMMPS with the break-even stride, the MD engines and the
KA-LJ scaling overview, and time and memory against the number of atoms."""

from __future__ import annotations

import numpy as np

from ogn_lib.book.speed_page import (
    MD_WAYS,
    MEMORY_LIMIT_GIB,
    SHORT_NAMES,
    SpeedResults,
    atoms_near,
    lammps_rate,
    linear_fit,
    liquid_numbers,
    liquids_in_order,
    model_label,
    ogn_row,
    weights_note,
)


def liquid_speed_figure(report: dict):
    """Left: atom-MD-steps per second of each liquid (smaller size, one core): Fast-OGN,
    Reference-OGN, LAMMPS with its step and with the Fast-OGN's stride as its step. Right:
    the Fast-OGN's stride k against the break-even stride."""
    import matplotlib.pyplot as plt
    from matplotlib.transforms import blended_transform_factory

    small = min(report["sizes"])
    figure, (left, right) = plt.subplots(1, 2, figsize=(7.0, 3.6))
    systems = [system for system, _ in liquids_in_order(report)]
    x = np.arange(len(systems))
    bars = {"Fast-OGN": [], "Reference-OGN": [], "LAMMPS, dt": [], "LAMMPS, k dt": []}
    for system in systems:
        liquid = report["liquids"][system]
        n_atoms = atoms_near(liquid, small)
        for preset, label in (("fast", "Fast-OGN"), ("reference", "Reference-OGN")):
            row = ogn_row(liquid, n_atoms, preset=preset)
            bars[label].append(row["atom_steps_per_s"] if row else np.nan)
        for factor, label in ((1, "LAMMPS, dt"), (liquid["k_steps"], "LAMMPS, k dt")):
            row = lammps_rate(liquid, n_atoms, dt_factor=factor)
            bars[label].append(row["atom_steps_per_s"] if row and row["stable"] else np.nan)
    colours = {}
    for offset, (label, values) in zip((-0.3, -0.1, 0.1, 0.3), bars.items()):
        colours[label] = left.bar(x + offset, values, width=0.19, label=label)[0].get_facecolor()
    # A run that lost atoms has no bar: its slot says so, upright in the bar's colour.
    slot = blended_transform_factory(left.transData, left.transAxes)
    for index, value in enumerate(bars["LAMMPS, k dt"]):
        if np.isnan(value):
            left.text(x[index] + 0.3, 0.02, "lost atoms", transform=slot, rotation=90,
                      ha="center", va="bottom", fontsize=8, color=colours["LAMMPS, k dt"])
    left.set_yscale("log")
    left.set_ylim(top=30 * np.nanmax([v for values in bars.values() for v in values]))
    left.set_xticks(x, [SHORT_NAMES.get(s, s) for s in systems], fontsize=9)
    left.set_ylabel("atom-MD-steps per CPU second")
    left.set_title(f"(A) MD time delivered, ~{small:,} atoms, one core", fontsize=9)
    left.legend(fontsize=7.5, ncols=2, loc="upper center")
    numbers = liquid_numbers(report)
    right.bar(x - 0.15, [numbers[s]["k"] for s in systems], width=0.3,
              label="Fast-OGN stride k")
    right.bar(x + 0.15, [numbers[s]["break-even k"] for s in systems], width=0.3,
              label="break-even k (as fast as LAMMPS)")
    right.set_yscale("log")
    right.set_ylim(top=10 * max(max(numbers[s]["break-even k"], numbers[s]["k"])
                                for s in systems))
    right.set_xticks(x, [SHORT_NAMES.get(s, s) for s in systems], fontsize=9)
    right.set_ylabel("MD steps per prediction")
    right.set_title("(B) its stride k and the one it would need", fontsize=9)
    right.legend(fontsize=7.5, loc="upper center")
    figure.tight_layout()
    return figure


def speed_figure(results: SpeedResults):
    """Left: MD rates per system (three ways); right: OGN and LAMMPS rates against N. The
    legends stand under their panels, off the bars and lines."""
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(7.0, 4.3))
    below = {"fontsize": 7.5, "loc": "upper center", "frameon": False}
    if results.md:
        rows = results.md["rows"]
        x = np.arange(len(rows))
        for offset, (key, label) in zip((-0.27, 0, 0.27), MD_WAYS.items()):
            left.bar(x + offset, [row[key] for row in rows], width=0.26, label=label)
        sizes = {row["n_atoms"] for row in rows}
        names = [SHORT_NAMES.get(row["system"], row["system"]) for row in rows]
        left.set_xticks(x, names if len(sizes) == 1 else
                        [f"{name}\n{row['n_atoms']:,}" for name, row in zip(names, rows)])
        left.set_ylabel("atom-MD-steps per second")
        left.yaxis.set_major_formatter("{x:,.0f}")
        left.legend(bbox_to_anchor=(0.5, -0.1), **below)
        atoms = f", {sizes.pop():,} atoms" if len(sizes) == 1 else ""
        left.set_title(f"MD ({results.md.get('engine', 'LAMMPS')}, "
                       f"{results.md.get('threads', 1)} thread{atoms})", fontsize=9)
    else:
        _empty(left, "no book/data/benchmark_md.json:\nrun `make benchmark`")
    if results.ogn:
        several = len(results.ogn) > 1
        for system, report in results.ogn.items():
            name = f"{SHORT_NAMES.get(system, system)} " if several else ""
            for label, rows in _by_model(report["rollout"]).items():
                right.plot([r["n_atoms"] for r in rows], [r["atom_steps_per_s"] for r in rows],
                           "o-", label=f"{name}{label}, k = {rows[0]['k_steps']}")
            lammps = sorted((r["n_atoms"], r["atom_steps_per_s"]) for r in report["lammps"])
            if lammps:
                right.plot(*zip(*lammps), "ks--", label=f"{name}LAMMPS")
        _log_axes(right, "atom-MD-steps per second")
        right.legend(bbox_to_anchor=(0.5, -0.2), **below)
        titles = " and ".join(SHORT_NAMES.get(system, system) for system in results.ogn)
        right.set_title(f"{titles}: learned simulator vs LAMMPS (one core)", fontsize=9)
        figure.text(0.5, 0.0, "Models: " + " | ".join(weights_note(report) for report
                                                      in results.ogn.values()),
                    ha="center", va="top", fontsize=7.5, wrap=True)
    else:
        _empty(right, "no OGN speed benchmark yet:\nbook/data/ogn_speed_<system>.json")
    figure.tight_layout()
    return figure


def scaling_figure(report: dict, system: str):
    """Seconds per prediction (left) and rollout memory (right) against N, log-log: each
    model's time with a line proportional to N through its smallest size, and LAMMPS's
    time for the Fast-OGN's k MD steps; each model's memory with its line ``a + b N``
    (:func:`linear_fit`) and the memory budget."""
    import matplotlib.pyplot as plt

    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(7.0, 4.2))
    for label, rows in _by_model(report["rollout"]).items():
        atoms = np.array([row["n_atoms"] for row in rows], float)
        seconds = np.array([row["seconds_per_prediction"] for row in rows])
        memory = np.array([row["rollout_memory_gib"] for row in rows])
        line, = time_axis.plot(atoms, seconds, "o-", label=label)
        time_axis.plot(atoms, seconds[0] * atoms / atoms[0], ":", color=line.get_color())
        grew = memory > 0
        memory_axis.plot(atoms[grew], memory[grew], "o", color=line.get_color())
        if grew.sum() >= 2:
            offset, per_atom = linear_fit(atoms[grew], memory[grew])
            grid = np.geomspace(atoms[grew][0], atoms[grew][-1], 50)
            memory_axis.plot(grid, offset + per_atom * grid, ":", color=line.get_color())
    fast_k = [row["k_steps"] for row in report["rollout"] if row["preset"] == "fast"]
    lammps = sorted((r["n_atoms"], r["n_atoms"] / r["atom_steps_per_s"]) for r in report["lammps"])
    if lammps and fast_k:
        time_axis.plot([n for n, _ in lammps], [fast_k[0] * s for _, s in lammps], "ks--",
                       label=f"LAMMPS, {fast_k[0]} MD steps (one Fast-OGN prediction)")
    memory_axis.axhline(MEMORY_LIMIT_GIB, color="grey", lw=1,
                        label=f"memory budget, {MEMORY_LIMIT_GIB:g} GiB")
    _log_axes(time_axis, "CPU seconds per prediction")
    _log_axes(memory_axis, "rollout memory (GiB)")
    # One legend for both panels (a model has one colour in both), under them, off the data.
    handles, labels = time_axis.get_legend_handles_labels()
    budget_handles, budget_labels = memory_axis.get_legend_handles_labels()
    figure.tight_layout(rect=(0, 0.2, 1, 1))
    figure.legend(handles + budget_handles, labels + budget_labels, loc="upper center",
                  bbox_to_anchor=(0.5, 0.2), ncols=2, fontsize=7.5, frameon=False)
    name = SHORT_NAMES.get(system, system)
    time_axis.set_title(f"{name}: time (dotted: proportional to N)", fontsize=9)
    memory_axis.set_title(f"{name}: memory (dotted: line a + b N)", fontsize=9)
    figure.text(0.5, 0.0, f"Models: {weights_note(report)}. One core, CPU seconds; memory: "
                "peak resident set of a fresh process minus its size before the rollout.",
                ha="center", va="top", fontsize=7.5, wrap=True)
    return figure


def _by_model(rows: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in sorted(rows, key=lambda row: row["n_atoms"]):
        groups.setdefault(model_label(row), []).append(row)
    return groups


def _log_axes(axis, ylabel: str) -> None:
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("atoms N")
    axis.set_ylabel(ylabel)


def _empty(axis, text: str) -> None:
    axis.text(0.5, 0.5, text, ha="center", va="center", transform=axis.transAxes)
    axis.set_xticks([])
    axis.set_yticks([])
