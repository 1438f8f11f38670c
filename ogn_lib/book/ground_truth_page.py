"""Figures and tables of the ground-truth page's engine comparison (no computation):
LAMMPS and HOOMD-blue on the same liquid, from the same start, and their speed.
:func:`show_engine_comparison` shows and glues one system's part of the page."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from ogn_lib.analysis.agreement import agreement_check
from ogn_lib.analysis.claims import LIQUID_TITLES
from ogn_lib.analysis.verdicts import Measurement, judge
from ogn_lib.book.figure_data import glue_figure
from ogn_lib.book.report import run_cell
from ogn_lib.book.tables import (
    formula_mathtext,
    markdown_table,
    measure_label,
    number,
    unit_symbol,
)
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.studies.engine_comparison import (
    COMPARED_ENGINES,
    SAME_START_CURVES,
    EngineComparison,
)

ENGINE_SPEED = REPOSITORY_ROOT / "book" / "data" / "engine_speed.json"
"""Written by ``scripts/engine_speed_benchmark.py``."""

LEGEND_POINTS = 8.5
"""Legend text of the page's figures: 11 px where the page shows a 7-inch figure."""
STYLES = {"lammps": {"color": "tab:grey", "linestyle": "-", "linewidth": 3.0, "alpha": 0.7},
          "hoomd": {"color": "tab:blue", "linestyle": "--", "linewidth": 1.5}}
CURVE_STYLES = dict(zip(SAME_START_CURVES, (
    {"color": "tab:grey", "linewidth": 3.0, "alpha": 0.7},
    {"color": "tab:blue", "linestyle": "--", "linewidth": 1.5},
    {"color": "tab:orange", "linestyle": ":", "linewidth": 2.0})))


def engine_figure(comparison: EngineComparison) -> plt.Figure:
    """2 x 2 panels: (A) potential energy per atom against MD steps of each engine's run;
    (B) every g_ab(r), pairs offset upwards; (C) MSD per species; (D) position RMSE of the
    runs from one saved LAMMPS frame."""
    system = SYSTEMS[comparison.system]
    units = system.units
    runs = comparison.runs
    fig, axes = plt.subplots(2, 2, figsize=(7.0, 7.4))
    ax = axes[0, 0]
    for engine, run in runs.items():
        ax.plot(run.energies.md_steps, run.energies.potential, label=run.label,
                **STYLES[engine])
    ax.set_xlabel("MD steps of the NVE run")
    ax.set_ylabel(f"potential energy per atom ({unit_symbol(units.energy)})")
    ax.set_title("(A) potential energy, each engine's own run", fontsize=9)
    ax = axes[0, 1]
    first = runs[COMPARED_ENGINES[0]].measures
    for offset, pair in enumerate(first.rdf):
        for engine, run in runs.items():
            rdf = run.measures.rdf[pair]
            ax.plot(rdf.r, rdf.g + 2.0 * offset, **STYLES[engine],
                    label=run.label if offset == 0 else None)
        ax.text(0.98 * float(first.rdf[pair].r[-1]), 2.0 * offset + 1.15,
                f"{pair[0]}-{pair[1]}", ha="right", fontsize=8)
    ax.set_xlabel(f"r ({unit_symbol(units.length)})")
    ax.set_ylabel("g(r), each pair 2 above the last")
    ax.set_title("(B) radial distribution functions", fontsize=9)
    ax = axes[1, 0]
    for index, species in enumerate(first.msd):
        for engine, run in runs.items():
            curve = run.measures.msd[species]
            style = dict(STYLES[engine])
            if index:
                style["alpha"] = 0.5 * style.get("alpha", 1.0)
            ax.loglog(curve.time[1:] / system.dt, curve.value[1:], **style,
                      label=f"{run.label}, {species}")
    ax.set_xlabel("lag (MD steps)")
    ax.set_ylabel(f"MSD ({unit_symbol(units.length)}²)")
    # The species in the title, not a legend: the engines' legend says the rest.
    ax.set_title(f"(C) MSD of {' and of '.join(first.msd)}"
                 + (" (fainter)" if len(first.msd) > 1 else ""), fontsize=9)
    ax = axes[1, 1]
    same = comparison.same_start
    for label, rmse in same.position_rmse.items():
        ax.semilogy(same.md_steps[1:], rmse[1:], label=label, **CURVE_STYLES[label])
    ax.set_xlabel("MD steps after the saved frame")
    ax.set_ylabel(f"position RMSE per atom ({unit_symbol(units.length)})")
    ax.set_title("(D) from one saved LAMMPS frame", fontsize=9)
    ax.legend(fontsize=LEGEND_POINTS, loc="upper center", bbox_to_anchor=(0.5, -0.2),
              frameon=False)  # under the panel: the curves fill it
    fig.suptitle(f"{formula_mathtext(system.title)}: LAMMPS and HOOMD-blue", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    # The engines' legend, for every panel, under the title where it covers no data.
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.955), ncols=2,
               fontsize=LEGEND_POINTS, frameon=False)
    return fig


def missing_engine_figure() -> plt.Figure:
    """What stands in the comparison figure's place where HOOMD-blue is not installed."""
    fig, ax = plt.subplots(figsize=(7.0, 1.4))
    ax.axis("off")
    ax.text(0.5, 0.5, "HOOMD-blue is not installed where this page was built: `make venv` "
            "installs the wheel of ../shared/wheels, `make hoomd` builds it",
            ha="center", va="center", fontsize=9)
    return fig


def largest_deviation(ratios: dict[str, Measurement]) -> tuple[str, float]:
    """The measure whose ratio is farthest from 1, and that ratio."""
    measured = {name: m.value for name, m in ratios.items() if np.isfinite(m.value)}
    quantity = max(measured, key=lambda name: abs(measured[name] - 1.0))
    return quantity, measured[quantity]


def _verdicts(comparison: EngineComparison) -> dict:
    subject = f"{SYSTEMS[comparison.system].title}, HOOMD-blue"
    return {quantity: judge(agreement_check(subject, quantity, against="LAMMPS"), measured)
            for quantity, measured in comparison.ratios.items()}


def agreeing(comparison: EngineComparison) -> tuple[int, int]:
    """How many of the engines' ratios are *reproduced*, and of how many."""
    verdicts = _verdicts(comparison).values()
    return sum(v.outcome == "reproduced" for v in verdicts), len(verdicts)


def ratio_rows(comparison: EngineComparison) -> list[dict]:
    """One row per measure: HOOMD-blue / LAMMPS and a second LAMMPS run / the first, each
    with its interval over the windows, and the verdict of the engine
    (:func:`~ogn_lib.analysis.verdicts.judge`) on the engines' agreement."""
    verdicts = _verdicts(comparison)
    rows = []
    for quantity, measured in comparison.ratios.items():
        verdict = verdicts[quantity]
        rows.append({"quantity": measure_label(quantity), "HOOMD-blue / LAMMPS": run_cell(measured),
                     "2nd LAMMPS run / 1st": run_cell(comparison.control_ratios[quantity]),
                     "n": measured.n, "verdict": f"*{verdict.outcome}*"})
    return rows


def same_start_rows(comparison: EngineComparison, md_steps=(10, 100, 1000)) -> list[dict]:
    """Position RMSE of each same-start curve after some MD steps (those the run
    reaches)."""
    same = comparison.same_start
    reached = [step for step in md_steps if step <= same.md_steps[-1]]
    return [{"curve": label,
             **{f"after {step} MD steps": float(np.interp(step, same.md_steps, rmse))
                for step in reached}}
            for label, rmse in same.position_rmse.items()]


QUOTED = ("agree", "worst", "control_worst", "between_100", "floor_100")
"""What the page's text quotes of each system's comparison, as its glue names
``gt_<system>_<quoted>`` end."""


def comparison_quotes(comparison: EngineComparison) -> dict[str, str | float]:
    """Each of :data:`QUOTED`: how many measures the engines agree on, the largest
    departure from 1 between the engines and between two LAMMPS runs (Markdown texts), and
    how far apart the two restarts from one saved frame are after 100 MD steps, and either
    from the original trajectory (Markdown numbers to two figures, a power of ten where
    far from 1: :func:`~ogn_lib.book.tables.number`)."""
    agree, measures = agreeing(comparison)
    quantity, ratio = largest_deviation(comparison.ratios)
    control_quantity, control = largest_deviation(comparison.control_ratios)
    same = {row["curve"]: row["after 100 MD steps"]
            for row in same_start_rows(comparison, (100,))}
    floor, _, between = SAME_START_CURVES
    return {"agree": f"{agree} of the {measures}",
            "worst": f"{ratio:.3g} ({measure_label(quantity)})",
            "control_worst": f"{control:.3g} ({measure_label(control_quantity)})",
            "between_100": number(same[between], 2),
            "floor_100": number(same[floor], 2)}


def show_engine_comparison(name: str, comparison: EngineComparison | None) -> None:
    """System ``name``'s part of the page, in a notebook: the table of ratios and the one
    of the same start shown, :func:`comparison_quotes` and :func:`engine_figure` glued
    (``gt_<name>_...``). Without a comparison (HOOMD-blue not installed), a dash for each
    quote and :func:`missing_engine_figure`."""
    from IPython.display import Markdown, display
    from myst_nb import glue

    if comparison is None:
        fig = missing_engine_figure()
        for key in QUOTED:
            glue(f"gt_{name}_{key}", Markdown("–"), display=False)
    else:
        fig = engine_figure(comparison)
        display(Markdown(markdown_table(ratio_rows(comparison))))
        display(Markdown("**Position RMSE per atom from one saved LAMMPS frame**\n\n"
                         + markdown_table(same_start_rows(comparison))))
        for key, value in comparison_quotes(comparison).items():
            glue(f"gt_{name}_{key}", Markdown(value), display=False)
    glue_figure(f"gt_{name}_fig", fig)
    plt.close(fig)


def load_engine_speed(path: Path = ENGINE_SPEED) -> dict:
    """The saved engine benchmark."""
    if not path.exists():
        raise FileNotFoundError(f"no {path}: run `OMP_NUM_THREADS=1 python "
                                "scripts/engine_speed_benchmark.py`")
    return json.loads(path.read_text())


def engine_speed_rows(report: dict) -> list[dict]:
    """One row per (system, atoms): each engine's atom-steps per CPU second and the ratio
    HOOMD-blue / LAMMPS (``system`` as the pages name it: KA-LJ, silica)."""
    rates: dict[tuple[str, int], dict[str, float]] = {}
    labels = {}
    for row in report["rows"]:
        rates.setdefault((row["system"], row["n_atoms"]), {})[row["engine"]] = (
            row["atom_steps_per_s"])
        labels[row["engine"]] = row["label"]
    first, second = COMPARED_ENGINES
    return [{"system": LIQUID_TITLES.get(system, system), "atoms": n_atoms,
             f"{labels[first]} (atom-steps/s)": engine_rates[first],
             f"{labels[second]} (atom-steps/s)": engine_rates[second],
             "HOOMD-blue / LAMMPS": engine_rates[second] / engine_rates[first]}
            for (system, n_atoms), engine_rates in rates.items()]


def speed_at_largest(rows: list[dict], system: str) -> tuple[int, float]:
    """The largest atom count of ``system`` (``lj``, ``silica``) in
    :func:`engine_speed_rows` and HOOMD-blue / LAMMPS there."""
    row = max((row for row in rows if row["system"] == LIQUID_TITLES.get(system, system)),
              key=lambda row: row["atoms"])
    return row["atoms"], row["HOOMD-blue / LAMMPS"]
