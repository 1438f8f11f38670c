"""Figures and tables of the system-level validation page (no computation): energies,
structure and relaxation of each rollout ensemble against MD, and the verdicts of the
engine (:mod:`ogn_lib.analysis.verdicts`) on the checks of :mod:`ogn_lib.analysis.agreement`,
each from its interval over the starts. :func:`glue_validation_figure` and
:func:`show_check_tables` show a data set's part of the page."""

from __future__ import annotations

from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

from ogn_lib.analysis.agreement import (
    CONSERVATION,
    ENERGY_MEASURES,
    agreement_check,
    conservation_check,
)
from ogn_lib.analysis.verdicts import OUTCOMES, Measurement
from ogn_lib.book.figure_data import glue_figure
from ogn_lib.book.report import run_cell, saved_measurement, verdict_row
from ogn_lib.book.tables import (
    formula_markdown,
    markdown_table,
    measure_label,
    number,
    unit_symbol,
)
from ogn_lib.learn.presets import DATA_SETS, data_system
from ogn_lib.learn.shipped_energy_models import shipped_energy_path, shipped_energy_provenance
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.studies.rollout_validation import MODES, SystemValidation

TRUTH = "MD (truth)"
STYLES = {
    TRUTH: {"color": "tab:grey", "linestyle": "-", "linewidth": 3.5, "alpha": 0.6},
    "nve": {"color": "black", "linestyle": "-", "linewidth": 1.5},
    "nve-rescaled": {"color": "tab:blue", "linestyle": "--", "linewidth": 1.5},
    "nvt-csvr": {"color": "tab:orange", "linestyle": "-.", "linewidth": 1.5},
}
LABELS = {TRUTH: TRUTH, "nve": "OGN, raw NVE", "nve-rescaled": "OGN, energy-rescaled NVE",
          "nvt-csvr": "OGN, CSVR thermostat"}


def data_title(name: str) -> str:
    """The title of data set ``name``: its own (:data:`~ogn_lib.learn.presets.DATA_SETS`),
    or its system's for a liquid."""
    return DATA_SETS[name].title if name in DATA_SETS else SYSTEMS[name].title


def shown_title(name: str) -> str:
    """:func:`data_title` as the page's Markdown shows it (formulas with subscripts)."""
    return formula_markdown(data_title(name))


LEGEND_POINTS = 8.5
"""Legend text of the validation figures: 11 px where the page shows a 7-inch figure."""


def validation_figure(validation: SystemValidation) -> plt.Figure:
    """3 x 2 panels: (A-C) total, kinetic and potential energy per atom against MD steps;
    (D) every g_ab(r), pairs offset upwards; (E) MSD per species; (F) F_s(q, t). The
    truth and the ensembles have one legend, above the panels, where it covers no data."""
    system = SYSTEMS[data_system(validation.system)]
    units = system.units
    first = validation.starts[0]
    fig, axes = plt.subplots(3, 2, figsize=(7.0, 8.8))
    series = {TRUTH: first.truth_energies,
              **{mode: first.runs[mode].energies for mode in MODES}}
    for ax, part, letter in zip(axes.flat[:3], ("total", "kinetic", "potential"), "ABC"):
        for name, energies in series.items():
            ax.plot(energies.md_steps, getattr(energies, part), label=LABELS[name],
                    **STYLES[name])
        ax.set_xlabel("MD steps after the start")
        ax.set_ylabel(f"{part} energy per atom ({unit_symbol(units.energy)})")
        ax.set_title(f"({letter}) {part} energy", fontsize=9)
    measures = {TRUTH: first.truth_measures,
                **{mode: first.runs[mode].measures for mode in MODES}}
    ax = axes.flat[3]
    for offset, pair in enumerate(first.truth_measures.rdf):
        for name, measured in measures.items():
            rdf = measured.rdf[pair]
            ax.plot(rdf.r, rdf.g + 2.0 * offset, **STYLES[name],
                    label=LABELS[name] if offset == 0 else None)
        ax.text(0.98 * validation.settings.r_max, 2.0 * offset + 1.15, f"{pair[0]}-{pair[1]}",
                ha="right", fontsize=8)
    ax.set_xlabel(f"r ({unit_symbol(units.length)})")
    ax.set_ylabel("g(r), each pair 2 above the last")
    ax.set_title("(D) radial distribution functions", fontsize=9)
    ax = axes.flat[4]
    for species_index, species in enumerate(first.truth.type_names):
        for name, measured in measures.items():
            curve = measured.msd[species]
            style = dict(STYLES[name])
            if species_index:
                style["alpha"] = 0.5 * style.get("alpha", 1.0)
            ax.loglog(curve.time[1:] / system.dt, curve.value[1:], **style,
                      label=f"{LABELS[name]}, {species}")
    ax.set_xlabel("lag (MD steps)")
    ax.set_ylabel(f"MSD ({unit_symbol(units.length)}²)")
    # The species in the title, not a legend: the figure's legend says the rest.
    species = first.truth.type_names
    ax.set_title(f"(E) MSD of {' and of '.join(species)}"
                 + (" (fainter)" if len(species) > 1 else ""), fontsize=9)
    ax = axes.flat[5]
    for name, measured in measures.items():
        ax.semilogx(measured.scattering.time[1:] / system.dt, measured.scattering.value[1:],
                    label=LABELS[name], **STYLES[name])
    ax.axhline(np.exp(-1.0), color="tab:purple", lw=0.8, ls=":")
    # Above the line at short lags, where every F_s is still near 1.
    ax.text(0.02, np.exp(-1.0) + 0.01, "1/e (τ_α)", transform=ax.get_yaxis_transform(),
            ha="left", va="bottom", fontsize=8, color="tab:purple")
    ax.set_xlabel("lag (MD steps)")
    ax.set_ylabel("F_s(q, t)")
    ax.set_title(f"(F) F_s(q, t) at q = {first.truth_measures.q:.2f} "
                 f"{unit_symbol(units.length)}⁻¹", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.95))
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1.0), ncols=2,
               fontsize=LEGEND_POINTS, frameon=False)
    return fig


def angle_figure(validation: SystemValidation) -> plt.Figure:
    """The bond-angle distribution of the first shell from the first start, truth and
    every mode."""
    centre, neighbour = validation.settings.shell
    first = validation.starts[0]
    fig, ax = plt.subplots(figsize=(7.0, 3.6))
    bins = np.linspace(60, 180, 61)
    measures = {TRUTH: first.truth_measures,
                **{mode: first.runs[mode].measures for mode in MODES}}
    for name, measured in measures.items():
        ax.hist(measured.angles, bins=bins, density=True, histtype="step",
                label=LABELS[name], **STYLES[name])
    ax.set_xlabel(f"{neighbour}-{centre}-{neighbour} angle (degrees)")
    ax.set_ylabel("probability density")
    ax.legend(fontsize=LEGEND_POINTS, loc="upper right")  # the wide angles are rare
    fig.tight_layout()
    return fig


ENERGY_MODES = ("nve", "nve-rescaled")
"""The modes whose energy is checked for conservation (a thermostat exchanges energy)."""


def subject(validation: SystemValidation, mode: str) -> str:
    """What a check of ``mode``'s rollouts of a validation is about, e.g. ``KA-LJ liquid
    (T = 3), OGN, raw NVE``."""
    return f"{data_title(validation.system)}, {LABELS[mode]}"


def check_rows(validation: SystemValidation) -> list[dict]:
    """The judged checks of a validation (rows as :func:`~ogn_lib.book.report.verdict_row`
    saves them, with the mode added): every ratio of every mode, and the energy's
    excursion and drift of the NVE modes."""
    rows = []
    for mode in MODES:
        for quantity, measured in validation.ratios(mode).items():
            rows.append({**verdict_row(agreement_check(subject(validation, mode), quantity),
                                       measured), "mode": mode, "measure": quantity})
        if mode in ENERGY_MODES:
            for measure, measured in validation.energy(mode).items():
                rows.append({**verdict_row(conservation_check(subject(validation, mode),
                                                              measure), measured),
                             "mode": mode, "measure": ENERGY_MEASURES[measure]})
    return rows


def _is_energy(row: dict) -> bool:
    """Whether a check row of :func:`check_rows` is one of the energy's (not a ratio)."""
    return row["measure"] in ENERGY_MEASURES.values()


def _judged(row: dict) -> str:
    """``1.02 [0.95, 1.09] *reproduced*``: a check's value, interval and verdict."""
    return f"{run_cell(saved_measurement(row))} *{row['verdict']}*"


def ratio_table(rows: list[dict]) -> list[dict]:
    """One row per measure of a validation's :func:`check_rows`: in each mode, the ratio
    OGN / MD with its interval and its verdict."""
    table: dict[str, dict] = {}
    for row in rows:
        if _is_energy(row):
            continue
        entry = table.setdefault(row["measure"], {"OGN / MD": measure_label(row["measure"])})
        entry[LABELS[row["mode"]]] = _judged(row)
    return [{"OGN / MD": entry["OGN / MD"], **{LABELS[m]: entry.get(LABELS[m], "–")
                                              for m in MODES}} for entry in table.values()]


def energy_table(validation: SystemValidation, rows: list[dict]) -> list[dict]:
    """The total energy's largest excursion and fitted drift over the mean kinetic
    energy: MD's own, and each mode's with its interval (verdicts for the NVE modes; the
    thermostat's for comparison only)."""
    truth = validation.energy(None)
    thermostat = validation.energy("nvt-csvr")
    judged = {(row["mode"], row["measure"]): _judged(row) for row in rows}
    return [{"measure": label, TRUTH: run_cell(truth[measure]),
             **{LABELS[mode]: judged[mode, label] for mode in ENERGY_MODES},
             LABELS["nvt-csvr"]: run_cell(thermostat[measure])}
            for measure, label in ENERGY_MEASURES.items()]


def glue_validation_figure(validation: SystemValidation, angles: bool = False) -> None:
    """Glue :func:`validation_figure` of ``validation`` (with ``angles``, its
    :func:`angle_figure`) under the name the page's ``{glue:figure}`` asks for,
    ``val_fig_<data set>`` (``-`` as ``_``; ``_angles`` added), and close it."""
    fig = angle_figure(validation) if angles else validation_figure(validation)
    plt.close(fig)
    name = f"val_fig_{validation.system.replace('-', '_')}"
    glue_figure(f"{name}_angles" if angles else name, fig)


def show_check_tables(validation: SystemValidation, rows: list[dict]) -> None:
    """Show, in a notebook, the two tables of a data set's checks (its
    :func:`check_rows`): the ratios (:func:`ratio_table`), then the energy
    (:func:`energy_table`)."""
    from IPython.display import Markdown, display

    display(Markdown(markdown_table(ratio_table(rows))))
    display(Markdown(markdown_table(energy_table(validation, rows))))


def verdict_counts(rows: list[dict]) -> dict[str, int]:
    """How many checks came to each outcome."""
    counts = Counter(row["verdict"] for row in rows)
    return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}


def count_table(rows_by_set: dict[str, list[dict]]) -> list[dict]:
    """Per data set and mode, how many checks came to each outcome."""
    table = []
    for name, rows in rows_by_set.items():
        for mode in MODES:
            counts = verdict_counts([row for row in rows if row["mode"] == mode])
            table.append({"data": shown_title(name), "rollout": LABELS[mode],
                          **{outcome: counts[outcome] for outcome in OUTCOMES}})
    return table


def missed(rows_by_set: dict[str, list[dict]], mode: str) -> list[str]:
    """The ratio checks of ``mode`` that are not reproduced or only partly, each as
    ``data: measure value [interval] *verdict*``."""
    return [f"{shown_title(name)}: {measure_label(row['measure'])} {_judged(row)}"
            for name, rows in rows_by_set.items() for row in rows
            if row["mode"] == mode and row["verdict"] in ("partly", "not reproduced")
            and not _is_energy(row)]


def energy_model_rows(validations: dict[str, SystemValidation]) -> list[dict]:
    """Per data set: how far the energy model of the rescaled rollouts is off on held-out
    frames, beside those frames' own spread, and how many rollouts stopped early."""
    rows = []
    for name, validation in validations.items():
        fit = validation.energy_fit
        unit = unit_symbol(SYSTEMS[data_system(name)].units.energy)
        stopped = validation.blown_up()
        rows.append({"data": shown_title(name),
                     "energy model RMSE per atom": f"{number(fit.test_rmse)} {unit}",
                     "spread of the held-out energies": f"{number(fit.test_energy_std)} {unit}",
                     "held-out frames": fit.n_test_frames,
                     "rollouts stopped early": ", ".join(
                         f"{LABELS[mode]} {n} of {len(validation.starts)}"
                         for mode, n in stopped.items() if n) or "none"})
    return rows


def shipped_fit_minutes(profile: str, names) -> str:
    """How long the shipped energy models of data sets ``names`` took to fit, from their
    provenance (Markdown, e.g. ``0.51 to 3.7 CPU-minutes each``)."""
    minutes = [shipped_energy_provenance(profile, name)["cpu_seconds"] / 60 for name in names
               if shipped_energy_path(profile, name).exists()]
    if not minutes:
        return f"none is shipped for the {profile} profile: they are fitted here"
    return f"{number(min(minutes), 2)} to {number(max(minutes), 2)} CPU-minutes each"


def windows_over_tau(validations: dict[str, SystemValidation], names: tuple[str, ...]) -> int:
    """The fewest times a window's MD steps hold the truth's tau_alpha, over the starts
    of data sets ``names`` (those whose starts are windows of one run)."""
    fewest = min(validation.md_steps * SYSTEMS[data_system(name)].dt
                 / start.truth_measures.tau_alpha
                 for name, validation in validations.items() if name in names
                 for start in validation.starts)
    return int(fewest)


def _listed(items: list[str], none: str) -> str:
    return "; ".join(items) if items else none


def closing_texts(validations: dict[str, SystemValidation],
                  checks: dict[str, list[dict]]) -> dict[str, str]:
    """The page's conclusions as Markdown, computed from the verdicts: ``energy``,
    ``structure`` and ``glass``."""
    def conserving(mode: str) -> list[str]:
        return [shown_title(name) for name, rows in checks.items()
                if all(row["verdict"] == "reproduced" for row in rows
                       if row["mode"] == mode and _is_energy(row))]

    excursion = ENERGY_MEASURES["excursion"]
    raw_excursions = {name: next(row for row in rows if row["mode"] == "nve"
                                 and row["measure"] == excursion)
                      for name, rows in checks.items()}
    worst = max(raw_excursions, key=lambda name: abs(raw_excursions[name]["value"] or 0.0))
    energy = (
        "The raw rollouts' total energy is conserved by both measures (all of the interval "
        f"within {CONSERVATION.bar:.0%} of the kinetic energy) for: "
        f"{_listed(conserving('nve'), 'none of the data sets')}. The largest excursion is "
        f"{shown_title(worst)}'s, {run_cell(saved_measurement(raw_excursions[worst]))} of the "
        "mean kinetic energy. With the velocities rescaled against the learned potential "
        f"energy, it is conserved for: {_listed(conserving('nve-rescaled'), 'none')}; what "
        "is left there is the energy model's own error, measured with the MD engine's "
        "exact energies.")
    raw = [row for rows in checks.values() for row in rows
           if row["mode"] == "nve" and not _is_energy(row)]
    counts = verdict_counts(raw)
    no_value = [f"{shown_title(name)}: {measure_label(row['measure'])}"
                for name, rows in checks.items()
                for row in rows if row["mode"] == "nve" and row["verdict"] == "not tested here"
                and not _is_energy(row)]
    untested = (f", {len(no_value)} not tested (no value: {'; '.join(no_value)})"
                if no_value else "")
    structure = (
        f"Of the {len(raw)} ratios of the raw rollouts over the {len(checks)} data sets "
        "(temperature, "
        "g(r) peaks, diffusion coefficients, τ_α, silica's shell), "
        f"{counts['reproduced']} are reproduced, {counts['partly']} partly and "
        f"{counts['not reproduced']} not reproduced{untested}. Those that are not "
        f"reproduced, or only partly: {_listed(missed(checks, 'nve'), 'none')}. " + (
            "So, as S4 found for LJ, the system-level quantities of all four liquids and the "
            "glass tolerate the per-atom errors of the rollouts."
            if counts["reproduced"] == len(raw) else
            f"So the tolerance S4 found for LJ holds for {counts['reproduced']} of these "
            f"{len(raw)} measures, not for all."))
    glass = validations.get("lj-glass")
    if glass is None:
        return {"energy": energy, "structure": structure, "glass": ""}
    ratios = glass.ratios("nve")
    plateau = next((row for row in checks["lj-glass"] if row["mode"] == "nve"
                    and row["measure"] == "F_s(q, t) at half the run"),
                   verdict_row(agreement_check("glass", "F_s(q, t) at half the run"),
                               Measurement.failed("no start kept F_s above 1/e")))
    glass_text = (
        f"Rolled out raw from {len(glass.starts)} held-out quenches, the glass Fast-OGN keeps "
        f"the temperature at {run_cell(ratios['mean kinetic energy (temperature)'])} of the "
        "truth's. At half the run the caged atoms' F_s(q, t) is "
        f"{run_cell(saved_measurement(plateau))} of MD's (*{plateau['verdict']}*), and the "
        f"late MSD, as an apparent D, is {run_cell(ratios['D of A'])} of MD's for the A atoms "
        f"and {run_cell(ratios['D of B'])} for the B atoms. τ_α itself, far beyond these "
        f"{glass.md_steps} MD steps at T = 0.5, is measured by neither.")
    return {"energy": energy, "structure": structure, "glass": glass_text}
