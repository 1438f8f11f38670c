"""Figures and tables of the system-level validation page (no computation): energies,
structure and relaxation of each rollout ensemble against MD, and the verdicts the
library decides from the ratios."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ogn_lib.analysis.system_validation import (
    MODES,
    SystemValidation,
    drift_verdict,
    verdict,
)
from ogn_lib.learn.presets import DATA_SETS, data_system
from ogn_lib.md.systems import SYSTEMS

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


def validation_figure(validation: SystemValidation) -> plt.Figure:
    """3 x 2 panels: (A-C) total, kinetic and potential energy per atom against MD steps;
    (D) every g_ab(r), pairs offset upwards; (E) MSD per species; (F) F_s(q, t)."""
    system = SYSTEMS[data_system(validation.system)]
    units = system.units
    fig, axes = plt.subplots(3, 2, figsize=(12, 12.5))
    series = {TRUTH: validation.truth_energies,
              **{mode: validation.runs[mode].energies for mode in MODES}}
    for ax, part, letter in zip(axes.flat[:3], ("total", "kinetic", "potential"), "ABC"):
        for name, energies in series.items():
            ax.plot(energies.md_steps, getattr(energies, part), label=LABELS[name],
                    **STYLES[name])
        ax.set_xlabel("MD steps after the start")
        ax.set_ylabel(f"{part} energy per atom ({units.energy})")
        ax.set_title(f"({letter}) {part} energy", fontsize=11)
    axes.flat[0].legend(fontsize=9)
    measures = {TRUTH: validation.truth_measures,
                **{mode: validation.runs[mode].measures for mode in MODES}}
    ax = axes.flat[3]
    for offset, pair in enumerate(validation.truth_measures.rdf):
        for name, measured in measures.items():
            rdf = measured.rdf[pair]
            ax.plot(rdf.r, rdf.g + 2.0 * offset, **STYLES[name],
                    label=LABELS[name] if offset == 0 else None)
        ax.text(0.98 * validation.settings.r_max, 2.0 * offset + 1.15, f"{pair[0]}-{pair[1]}",
                ha="right", fontsize=10)
    ax.set_xlabel(f"r ({units.length})")
    ax.set_ylabel("g(r), each pair 2 above the last")
    ax.set_title("(D) radial distribution functions", fontsize=11)
    ax = axes.flat[4]
    for species_index, species in enumerate(validation.truth.type_names):
        for name, measured in measures.items():
            curve = measured.msd[species]
            style = dict(STYLES[name])
            if species_index:
                style["alpha"] = 0.5 * style.get("alpha", 1.0)
            ax.loglog(curve.time[1:] / system.dt, curve.value[1:], **style,
                      label=f"{LABELS[name]}, {species}" if name in (TRUTH, "nve") else None)
    ax.set_xlabel("lag (MD steps)")
    ax.set_ylabel(f"MSD ({units.length}²)")
    ax.set_title("(E) mean-square displacement per species (fainter: 2nd species)",
                 fontsize=11)
    ax.legend(fontsize=8)
    ax = axes.flat[5]
    for name, measured in measures.items():
        ax.semilogx(measured.scattering.time[1:] / system.dt, measured.scattering.value[1:],
                    label=LABELS[name], **STYLES[name])
    ax.axhline(np.exp(-1.0), color="tab:purple", lw=0.8, ls=":", label="1/e (τ_α)")
    ax.set_xlabel("lag (MD steps)")
    ax.set_ylabel("F_s(q, t)")
    ax.set_title(f"(F) self-intermediate scattering at q = "
                 f"{validation.truth_measures.q:.2f} / {units.length}", fontsize=11)
    ax.legend(fontsize=8)
    fig.suptitle(f"{data_title(validation.system)}: Fast-OGN (k = {validation.k_steps}) rollouts against MD "
                 f"over {validation.md_steps} MD steps", fontsize=12)
    fig.tight_layout()
    return fig


def angle_figure(validation: SystemValidation) -> plt.Figure:
    """The bond-angle distribution of the first shell, truth and every mode."""
    centre, neighbour = validation.settings.shell
    fig, ax = plt.subplots(figsize=(7, 4.5))
    bins = np.linspace(60, 180, 61)
    measures = {TRUTH: validation.truth_measures,
                **{mode: validation.runs[mode].measures for mode in MODES}}
    for name, measured in measures.items():
        ax.hist(measured.angles, bins=bins, density=True, histtype="step",
                label=LABELS[name], **STYLES[name])
    ax.set_xlabel(f"{neighbour}-{centre}-{neighbour} angle (degrees)")
    ax.set_ylabel("probability density")
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def ratio_rows(validation: SystemValidation) -> list[dict]:
    """One row per measure: OGN / MD in each mode, and the verdicts of raw and rescaled
    NVE."""
    rows = [{"quantity": "mean kinetic energy (temperature)",
             **{LABELS[mode]: validation.temperature_ratio(mode) for mode in MODES}}]
    rows += [{"quantity": quantity,
              **{LABELS[mode]: validation.runs[mode].ratios[quantity] for mode in MODES}}
             for quantity in validation.runs["nve"].ratios]
    for row in rows:
        row["verdict, raw NVE"] = verdict(row[LABELS["nve"]])
        row["verdict, rescaled NVE"] = verdict(row[LABELS["nve-rescaled"]])
    return rows


def energy_rows(validation: SystemValidation) -> list[dict]:
    """Total-energy drift per 1000 MD steps over the mean kinetic energy, truth and each
    mode, with a verdict on conservation for the NVE modes."""
    rows = [{"run": LABELS[TRUTH], "drift per 1000 MD steps / mean kinetic energy":
             validation.truth_energies.relative_drift_rate(), "verdict": "–"}]
    for mode in MODES:
        drift = validation.runs[mode].energies.relative_drift_rate()
        rows.append({"run": LABELS[mode],
                     "drift per 1000 MD steps / mean kinetic energy": drift,
                     "verdict": ("not comparable (a thermostat exchanges energy)"
                                 if mode.startswith("nvt") else drift_verdict(drift))})
    return rows


def summary_row(validation: SystemValidation) -> dict:
    """The closing numbers of one liquid: energy drift per 1000 MD steps (raw and
    rescaled NVE), and raw NVE's temperature, first g(r) peak, D and tau_alpha ratios."""
    nve = validation.runs["nve"]
    first_pair = next(iter(validation.truth_measures.rdf))
    first_species = validation.truth.type_names[0]
    return {
        "liquid": data_title(validation.system),
        "drift / 1000 steps, raw": nve.energies.relative_drift_rate(),
        "drift / 1000 steps, rescaled":
            validation.runs["nve-rescaled"].energies.relative_drift_rate(),
        "T ratio": validation.temperature_ratio("nve"),
        "g(r) peak ratio (first pair)": nve.ratios[
            f"g_{first_pair[0]}{first_pair[1]}(r) first-peak height"],
        "D ratio (first species)": nve.ratios[f"D of {first_species}"],
        "τ_α ratio": nve.ratios["tau_alpha"],
    }


def energy_conservation_figure(conservation: dict[str, dict]) -> plt.Figure:
    """2 x 2 panels, one per liquid: total energy per atom against MD steps of the truth,
    the raw and the energy-rescaled NVE rollout (``conservation``: system ->
    :func:`~ogn_lib.analysis.system_validation.energy_conservation`)."""
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5))
    for ax, (letter, (name, series)) in zip(axes.flat, zip("ABCD", conservation.items())):
        system = SYSTEMS[data_system(name)]
        for mode, energies in series.items():
            key = TRUTH if mode == "truth" else mode
            ax.plot(energies.md_steps, energies.total, label=LABELS[key], **STYLES[key])
        ax.set_xlabel("MD steps after the start")
        ax.set_ylabel(f"total energy per atom ({system.units.energy})")
        ax.set_title(f"({letter}) {data_title(name)}", fontsize=11)
    axes.flat[0].legend(fontsize=9)
    fig.tight_layout()
    return fig


def drift_rows(conservation: dict[str, dict]) -> list[dict]:
    """Per liquid: total-energy drift per 1000 MD steps over the mean kinetic energy of the
    truth and of the raw and rescaled rollouts, with the verdicts on conservation."""
    rows = []
    for name, series in conservation.items():
        raw, rescaled = (series[mode].relative_drift_rate() for mode in ("nve",
                                                                          "nve-rescaled"))
        rows.append({"liquid": data_title(name),
                     "MD (truth)": series["truth"].relative_drift_rate(),
                     "OGN, raw NVE": raw, "OGN, energy-rescaled NVE": rescaled,
                     "verdict, raw": drift_verdict(raw),
                     "verdict, rescaled": drift_verdict(rescaled)})
    return rows
