"""S1's training budget: a recorded training's held-out error against its CPU-hours, the
power law fitted to it (:mod:`ogn_lib.analysis.training_budget`) and the CPU-hours it
puts at each target, as a figure and as the page's sentence (no computation)."""

from __future__ import annotations

import math
from itertools import cycle

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FixedFormatter, FixedLocator, NullFormatter

from ogn_lib.analysis.training_budget import MIN_FIT_POINTS, PowerLawFit
from ogn_lib.analysis.verdicts import CONFIDENCE
from ogn_lib.book.report import run_cell
from ogn_lib.book.tables import number
from ogn_lib.studies.recording_summaries import HeldOutCurve, RecordingSummary

TARGET_COLOURS = ("tab:red", "tab:purple", "tab:green", "tab:orange")
"""The dotted lines of the targets, in order (repeated beyond four)."""

LEGEND_POINTS = 8.5
"""Legend text: 11 px where the page shows the 7-inch figure."""


CONTINUATION_STYLES = (("s", "tab:cyan"), ("D", "tab:brown"), ("^", "tab:olive"),
                       ("v", "tab:pink"), ("P", "tab:gray"))
"""Marker and colour of each continuation's milestones, in order (repeated beyond five)."""


def budget_figure(curve: HeldOutCurve, fit: PowerLawFit, targets: dict[str, float],
                  unit: str, continuations: dict[str, HeldOutCurve] | None = None
                  ) -> plt.Figure:
    """The milestones with their intervals over the held-out starts, the fitted power law
    (solid over the fitted milestones, dashed where it extrapolates to the hours it puts at
    the ``targets``, label -> RMSE in ``unit``) and the targets as dotted lines, on log
    axes; the milestones of recordings that continue this one (label -> curve) beside."""
    fig, ax = plt.subplots(figsize=(7.0, 5.0))
    _draw_budget(ax, curve, fit, targets, unit, continuations)
    # Below the axes, in two columns: inside, the legend would cover milestones.
    ax.legend(fontsize=LEGEND_POINTS, loc="upper center", bbox_to_anchor=(0.5, -0.16),
              ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def budget_panels(panels: dict[str, tuple[HeldOutCurve, PowerLawFit | None, dict, str]]
                  ) -> plt.Figure:
    """:func:`budget_figure`'s drawing for several recordings side by side, one panel per
    title -> (curve, its fit or None while it has too few milestones, targets, unit), each
    with its legend below it."""
    if not panels:
        raise ValueError("no recordings to draw: give at least one title -> (curve, fit, "
                         "targets, unit)")
    fig, axes = plt.subplots(1, len(panels), figsize=(7.0, 4.6), squeeze=False)
    for ax, (title, (curve, fit, targets, unit)) in zip(axes[0], panels.items()):
        _draw_budget(ax, curve, fit, targets, unit, short=True)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=LEGEND_POINTS, loc="upper center", bbox_to_anchor=(0.5, -0.2),
                  frameon=False)
    fig.tight_layout()
    return fig


def _draw_budget(ax, curve: HeldOutCurve, fit: PowerLawFit | None, targets: dict[str, float],
                 unit: str, continuations: dict[str, HeldOutCurve] | None = None,
                 short: bool = False) -> None:
    """The drawing of :func:`budget_figure` on ``ax``; without a ``fit``, the milestones
    and targets only; ``short`` labels for a narrow panel."""
    _milestones(ax, curve, 0, "o", "tab:blue",
                f"{curve.key}" + ("" if short else f": held-out RMSE after {curve.md_steps} "
                                                   "MD steps") +
                f" ({CONFIDENCE:.0%} interval)")
    for (label, continued), (marker, colour) in zip((continuations or {}).items(),
                                                    cycle(CONTINUATION_STYLES)):
        _milestones(ax, continued, continued.own_from, marker, colour, label)
    if fit is not None:
        fitted = np.geomspace(*fit.hours_range, 50)
        ax.loglog(fitted, fit.rmse_at(fitted), "-", color="black", lw=1.2,
                  label=(f"power law, exponent {fit.exponent:.2f}" if short else
                         f"power law fitted from {fit.hours_range[0]:.2g} CPU-hours, "
                         f"exponent {fit.exponent:.2f}"))
        needed = [fit.hours_for(target).value for target in targets.values()]
        reach = max([h for h in needed if np.isfinite(h)] + [fit.hours_range[1]])
        if reach > fit.hours_range[1]:
            ahead = np.geomspace(fit.hours_range[1], reach * 1.1, 30)
            ax.loglog(ahead, fit.rmse_at(ahead), "--", color="black", lw=1.0,
                      label="the same law, extrapolated")
    ax.set_xscale("log")
    ax.set_yscale("log")
    for (label, target), colour in zip(targets.items(), cycle(TARGET_COLOURS)):
        ax.axhline(target, color=colour, ls=":", lw=1.2, label=f"{label}: {target:g} {unit}")
    _plain_log_ticks(ax.xaxis, (1, 2, 5), ax.get_xlim())
    _plain_log_ticks(ax.yaxis, (1, 1.5, 2, 3, 4, 5, 6, 8), ax.get_ylim())
    ax.set_xlabel("training CPU-hours (one core)")
    ax.set_ylabel(f"position RMSE ({unit})")


def _milestones(ax, curve: HeldOutCurve, first: int, marker: str, colour: str,
                label: str) -> None:
    """``curve``'s milestones from index ``first`` on, with their intervals."""
    shown = curve.rmse[first:]
    values = np.array([m.value for m in shown])
    errors = np.array([[m.value - m.low for m in shown], [m.high - m.value for m in shown]])
    ax.errorbar(curve.hours[first:], values, yerr=errors, fmt=marker, ms=4, color=colour,
                capsize=2, label=label)


FINE_MANTISSAS = (*(round(1 + 0.1 * i, 1) for i in range(20)), 3, 3.5, 4, 4.5, 5, 6, 7, 8, 9)
"""Tick mantissas of an axis that spans less than its coarse ticks do."""


def _plain_log_ticks(axis, mantissas: tuple[float, ...], limits: tuple[float, float]) -> None:
    """Ticks of a log ``axis`` at ``mantissas`` times the powers of ten within ``limits``
    (finer ones where fewer than three of those fall within; at most seven), written as
    plain numbers (0.05, not 5×10⁻²), and no minor labels."""
    decades = range(math.floor(math.log10(limits[0])), math.ceil(math.log10(limits[1])) + 1)

    def within(choice):
        return [float(f"{m * 10.0**e:.3g}") for e in decades for m in choice
                if limits[0] <= m * 10.0**e <= limits[1]]

    shown = within(mantissas)
    if len(shown) < 3:
        shown = within(FINE_MANTISSAS)
        shown = shown[::math.ceil(len(shown) / 7)] if shown else shown
    axis.set_major_locator(FixedLocator(shown))
    axis.set_major_formatter(FixedFormatter([f"{tick:g}" for tick in shown]))
    axis.set_minor_formatter(NullFormatter())


def budget_sentence(curve: HeldOutCurve, fit: PowerLawFit | None, targets: dict[str, float],
                    unit: str) -> str:
    """What the recorded training reached and, for each target it did not reach, the
    CPU-hours the fitted law puts at it, said to be an extrapolation (Markdown); without a
    ``fit`` (too few milestones yet), what it reached only."""
    if not curve.rmse:
        raise ValueError(f"recording {curve.key!r} has no milestone yet: say what it reached "
                         "after its first")
    last, hours = curve.rmse[-1], float(curve.hours[-1])
    state = "its training ended" if curve.complete else "its training goes on"
    text = (f"After {number(hours, 2)} CPU-hours ({state}), the held-out position RMSE "
            f"after {curve.md_steps} MD steps is {run_cell(last, unit)}.")
    reached = [label for label, target in targets.items() if last.high <= target]
    if fit is None:
        few = "Its one milestone is" if len(curve.hours) == 1 else (
            f"Its {len(curve.hours)} milestones are")
        text += (f" {few} too few for a fit (it takes {MIN_FIT_POINTS}) to say how fast it "
                 "falls")
        return text + (f"; it has reached {' and '.join(reached)}." if reached else ".")
    first = number(fit.hours_range[0], 2)
    text += (f" Fitted over {fit.n_points} milestones from {first} "
             f"CPU-hour{'' if first == '1' else 's'} on, it falls as "
             f"h<sup>{fit.exponent:.2f}</sup>.")
    if reached:
        text += f" It has reached {' and '.join(reached)}."
    estimates, beyond = [], False
    for label, target in targets.items():
        if label in reached:
            continue
        needed = fit.hours_for(target)
        if needed.failure:
            estimates.append(f"{label} ({target:g} {unit}) never ({needed.failure})")
            continue
        estimates.append(f"{label} ({target:g} {unit}) after about {run_cell(needed)} "
                         "CPU-hours")
        beyond |= needed.value > hours
    if estimates:
        text += f" At that rate it would reach {' and '.join(estimates)}"
        text += (f": an extrapolation beyond the {number(hours, 2)} CPU-hours measured, made "
                 "under a learning-rate schedule that spans its own budget, so an estimate "
                 "of what a longer training would take, not a measurement of it."
                 if beyond else ".")
    return text


def continuations_sentence(continued: dict[str, RecordingSummary], targets: dict[str, float],
                           unit: str) -> str:
    """What each continuation (label -> summary) reached, a sentence each: its held-out
    RMSE after its extra CPU-hours and the targets its whole interval is below, and once
    ended its raw NVE energy drift (Markdown)."""
    parts = []
    for label, summary in continued.items():
        state = "ended" if summary.complete else "going on"
        hours = number(summary.hours, 2)
        text = (f"{label[:1].upper()}{label[1:]}: the held-out RMSE is "
                f"{run_cell(summary.rmse, unit)} after "
                f"{hours} more CPU-hour{'' if hours == '1' else 's'} (training {state})")
        reached = [name for name, target in targets.items() if summary.rmse.high <= target]
        text += (f", all of its interval below {' and '.join(reached)}" if reached else
                 f", its interval not wholly below {' or '.join(targets)}")
        if summary.drift is not None:
            text += (f"; its raw NVE total energy drifts by {_percent(summary.drift)} of the "
                     f"kinetic energy over the held-out starts (largest excursion "
                     f"{max(summary.excursion):.1%})")
        parts.append(text + ".")
    return " ".join(parts)


SETTING_NAMES = {"learning_rate": "peak rate", "batch_size": "batch",
                 "kinetic_weight": "kinetic term", "pair_once": "each pair once"}
"""How the recordings' changed training settings are named in the page's table."""


def settings_phrase(changes: dict) -> str:
    """A recording's changes to the training settings and network, in short words
    (``peak rate 3e-3, batch 4, each pair once``: a switch turned on by its name alone); a
    setting without a name here keeps its own."""
    return ", ".join(SETTING_NAMES.get(name, name) if value is True
                     else f"{SETTING_NAMES.get(name, name)} {_short(value)}"
                     for name, value in changes.items())


def _short(value: float) -> str:
    """``3e-4`` or ``1.5e-3`` for a small number, ``0.3`` or ``4`` otherwise."""
    if not 0 < abs(value) < 0.01:
        return f"{value:g}"
    mantissa, exponent = f"{value:e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"


def recordings_rows(summaries: list[RecordingSummary], unit: str,
                    shipped: str | None = None) -> list[dict]:
    """One row per recording for :func:`~ogn_lib.book.tables.markdown_table`: its key and
    settings in one column (the page is narrow), how far it has trained, its last test
    loss and held-out RMSE (``unit``), and once ended its raw NVE energy (mean fitted drift
    with its interval; largest excursion over its starts), the kinetic-energy error of one
    prediction and its lowest velocity-change R^2 (a dash while it trains); the recording
    whose key is ``shipped`` is marked so."""
    rows = []
    for summary in summaries:
        trained = (f"{summary.epochs_done} of {summary.epochs} epochs, "
                   f"{number(summary.hours, 2)} CPU-h")
        if summary.continues:
            trained += f" after {summary.continues}'s {number(summary.earlier_hours, 3)}"
        energy = summary.excursion is not None
        name = summary.key + (" (shipped)" if summary.key == shipped else "")
        changes = settings_phrase(summary.changes)
        rows.append({
            "recording: settings": f"{name}: {changes}" if changes else name,
            "trained": trained,
            "test loss": float(f"{summary.test_loss:.3g}"),
            f"held-out RMSE, {summary.md_steps} MD steps": run_cell(summary.rmse, unit),
            "raw NVE energy drift (largest excursion)":
                f"{_percent(summary.drift)} ({max(summary.excursion):.1%})" if energy else "–",
            "kinetic energy per prediction": (_percent(summary.kinetic_error, 3)
                                              if summary.kinetic_error else "–"),
            "lowest R²": f"{min(summary.r2):.4f}" if summary.r2 else "–"})
    return rows


def shipped_sentence(summary: RecordingSummary, met: tuple[bool, bool], accuracy_bar: float,
                     energy_bar: float, unit: str) -> str:
    """What the shipped recording reached against the two bars (``met``: accuracy,
    energy; :func:`~ogn_lib.studies.recording_summaries.bars_met`), in one sentence
    (Markdown)."""
    accurate, conserving = met
    text = (f"Its held-out RMSE after {summary.md_steps} MD steps is "
            f"{run_cell(summary.rmse, unit)}, {'all' if accurate else 'not all'} of its "
            f"interval at or below {accuracy_bar:g} {unit}")
    if summary.excursion is None:
        return text + "; its energy check has not run yet."
    return (text + f"; its raw NVE total energy moves by at most "
            f"{max(summary.excursion):.1%} of the kinetic energy from any of its "
            f"{len(summary.excursion)} held-out starts (drift {_percent(summary.drift)}), "
            f"{'within' if conserving else 'beyond'} {energy_bar:.0%}.")


def _percent(measurement, digits: int = 1) -> str:
    """``-8.4% [-9.7%, -7.0%]``: a fraction with its interval, in percent to ``digits``
    decimals."""
    if measurement.failure:
        return f"{measurement.value:.{digits}%}"
    return (f"{measurement.value:.{digits}%} [{measurement.low:.{digits}%}, "
            f"{measurement.high:.{digits}%}]")
