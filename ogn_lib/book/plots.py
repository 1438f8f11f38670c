"""Figure styles and panels that several sections draw alike (matplotlib, no computation)."""

from __future__ import annotations

import numpy as np

from ogn_lib.analysis.accuracy import METHODS, AccuracyCurves, mean_curves
from ogn_lib.analysis.rollout_comparison import RolloutComparison
from ogn_lib.analysis.scores import per_atom_rmse
from ogn_lib.analysis.sweeps import AccuracySweep
from ogn_lib.analysis.verdicts import final_loss
from ogn_lib.book.tables import unit_symbol


def loss_sweep(curves_axis, final_axis, histories: dict, parameter_name: str,
               guide_colour: str = "tab:blue") -> None:
    """Panel A: test loss against epoch for each variant, with the epochs of its last fifth
    shaded; panel B: each variant's final test loss against the swept parameter, read as
    the verdict table reads it (:func:`~ogn_lib.analysis.verdicts.final_loss`: the mean
    over the last fifth of the curve, with its interval), on log axes, as in Figs. S8-S10
    (``histories`` maps parameter value -> training history). A variant has one colour in
    both panels; the panels carry no legend, :func:`legend_below` gives the figure one."""
    values = sorted(histories)
    colours = [f"C{i}" for i in range(len(values))]
    finals = [final_loss(histories[value]["test_loss"]) for value in values]
    for value, colour in zip(values, colours):
        test_loss = histories[value]["test_loss"]
        curves_axis.semilogy(np.arange(1, len(test_loss) + 1), test_loss, "-o", ms=3,
                             color=colour, label=f"{parameter_name} = {value}")
    longest = max(len(histories[value]["test_loss"]) for value in values)
    first_of_fifth = longest - max(final.n for final in finals) + 1
    curves_axis.axvspan(first_of_fifth - 0.5, longest + 0.5, color="grey", alpha=0.15, lw=0,
                        label="last fifth of the epochs (averaged in B)")
    curves_axis.set_xlim(0.5, longest + 0.5)
    curves_axis.set_xlabel("training epoch")
    curves_axis.set_ylabel("test loss L (normalised)")
    means = np.array([final.value for final in finals])
    final_axis.semilogy(values, means, "-", color=guide_colour, zorder=1)
    for value, colour, final in zip(values, colours, finals):
        final_axis.errorbar([value], [final.value],
                            yerr=[[final.value - final.low], [final.high - final.value]],
                            fmt="o", color=colour, capsize=3, zorder=3)
    final_axis.set_xlabel(parameter_name)
    final_axis.set_ylabel("final test loss L (mean of last fifth)")


def legend_below(fig, axes, ncol: int) -> None:
    """One legend for the whole figure under its panels, of every labelled artist of
    ``axes`` (a label once), so that no legend covers data; ``fig`` needs
    ``layout="constrained"`` to make room for it."""
    entries = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    fig.legend(entries.values(), entries.keys(), loc="outside lower center", ncol=ncol,
               fontsize=9, frameon=False)


STYLES = {
    "OGN": {"color": "black", "linestyle": "-", "linewidth": 2.0},
    "no motion": {"color": "tab:orange", "linestyle": "--", "linewidth": 1.2},
    "constant velocity": {"color": "tab:green", "linestyle": "--", "linewidth": 1.2},
    "MD k×dt": {"color": "tab:red", "linestyle": "-.", "linewidth": 1.2},
    "chaos floor": {"color": "tab:grey", "linestyle": ":", "linewidth": 1.5},
}
"""One look per method, the same on every figure of the book."""


def plot_accuracy(ax, curves: list[AccuracyCurves], quantity: str = "position",
                  units: str = "") -> None:
    """Mean error over the curves against MD steps, one line per method (OGN solid and
    first, the same look on every figure), on a log axis so the chaos floor shows. The
    axis ends a decade above the largest error of the OGN and the trivial baselines, so
    an MD run that explodes before it fails leaves the panel instead of flattening it."""
    units = unit_symbol(units)
    means = mean_curves(curves, quantity)
    steps = curves[0].md_steps
    for name in METHODS:
        label = name + (" (failed)" if any(name in c.failures for c in curves) else "")
        ax.semilogy(steps, means[name], label=label, **STYLES[name])
    largest = np.nanmax([means[name] for name in ("OGN", "no motion", "constant velocity")])
    ax.set_ylim(top=10 * largest)
    ax.set_xlabel("MD steps after the start")
    ax.set_ylabel(f"{quantity} RMSE per atom" + (f" ({units})" if units else ""))


def plot_sweep(ax, sweep: AccuracySweep, quantity: str = "position", x=None,
               units: str = "") -> None:
    """Error after ``sweep.md_steps`` MD steps against the swept value (or ``x``), one line
    per method in the book's common look, on a log axis so the chaos floor shows."""
    units = unit_symbol(units)
    x = sweep.values if x is None else np.asarray(x)
    for name in METHODS:
        label = name + (" (failed)" if name in sweep.failures else "")
        ax.semilogy(x, sweep.errors(name, quantity), marker="o", ms=4, label=label, **STYLES[name])
    ax.set_ylabel(f"{quantity} RMSE per atom after {sweep.md_steps} MD steps"
                  + (f" ({units})" if units else ""))


def plot_relative_sweep(ax, sweep: AccuracySweep, quantity: str = "position", x=None,
                        baseline: str = "no motion") -> None:
    """Every method's error after ``sweep.md_steps`` MD steps over ``baseline``'s, against
    the swept value (or ``x``), on linear axes: below 1 a method knows more than that
    guess. The log axes of :func:`plot_sweep` span the decades down to the chaos floor;
    here the floor lies on zero and the differences that matter are readable."""
    x = sweep.values if x is None else np.asarray(x)
    largest = 1.0
    for name in METHODS:
        if name == baseline:
            continue
        ratio = sweep.relative_to(baseline, name, quantity)
        label = f"{name} / {baseline}" + (" (failed)" if name in sweep.failures else "")
        ax.plot(x, ratio, marker="o", ms=4, label=label, **STYLES[name])
        if np.any(np.isfinite(ratio)):
            largest = max(largest, float(np.nanmax(ratio)))
    ax.axhline(1.0, label=baseline, **STYLES[baseline])
    ax.set_ylim(0, 1.15 * min(largest, 3.0))
    ax.set_ylabel(f"{quantity} RMSE after {sweep.md_steps} MD steps / {baseline}")


def plot_atom_paths(ax, comparison: RolloutComparison, atoms: np.ndarray,
                    axes=(0, 1)) -> None:
    """True (solid) and predicted (dashed, dots at each prediction) paths of ``atoms``,
    relative to each atom's start, projected on two Cartesian axes; one colour per atom."""
    names = "xyz"
    for colour, atom in enumerate(atoms):
        true = comparison.true_positions[:, atom, axes] - comparison.true_positions[0, atom, axes]
        predicted = (comparison.predicted_positions[:, atom, axes]
                     - comparison.predicted_positions[0, atom, axes])
        ax.plot(true[:, 0], true[:, 1], "-", color=f"C{colour}", lw=1.5)
        ax.plot(predicted[:, 0], predicted[:, 1], "--.", color=f"C{colour}", lw=1, ms=3)
        ax.plot(0, 0, "o", color=f"C{colour}", ms=4)
    ax.set_xlabel(f"Δ{names[axes[0]]}")
    ax.set_ylabel(f"Δ{names[axes[1]]}")
    ax.set_aspect("equal", adjustable="datalim")


def plot_rollout_paths(ax, comparison: RolloutComparison, atoms: np.ndarray,
                       length_units: str, title: str) -> None:
    """:func:`plot_atom_paths` in x and y as a panel of its own: a legend for the truth and
    the OGN, axes in ``length_units``, and ``title`` followed, where the rollout stopped
    early, by why."""
    plot_atom_paths(ax, comparison, atoms)
    ax.plot([], [], "k-", label="ground truth (MD)")
    ax.plot([], [], "k--.", label="OGN")
    ax.legend(fontsize=9)
    ax.set_xlabel(f"Δx ({unit_symbol(length_units)})")
    ax.set_ylabel(f"Δy ({unit_symbol(length_units)})")
    stopped = f"; rollout stopped: {comparison.failure}" if comparison.failure else ""
    ax.set_title(f"{title}{stopped}", fontsize=10)


def plot_over_no_motion(ax, sweep: AccuracySweep, x) -> None:
    """The OGN's position error after ``sweep.md_steps`` MD steps over no motion's against
    ``x`` (the swept values, or what stands for them), with no motion's 1, on a linear axis
    up to 1.2: below 1 the OGN knows more than that the atoms stay put."""
    ax.plot(x, sweep.relative_to("no motion"), marker="o", label="OGN / no motion",
            **STYLES["OGN"])
    ax.axhline(1.0, color="tab:orange", ls="--", lw=1, label="no motion")
    ax.set_ylim(0, 1.2)
    ax.set_ylabel("OGN position RMSE / no motion")


def plot_density_scatter(ax, true: np.ndarray, predicted: np.ndarray, units: str = "",
                         bins: int = 60) -> float:
    """2-D histogram of predicted against true Cartesian components (x, y and z pooled),
    with the y = x line; returns and writes the per-atom RMSE in the panel."""
    units = unit_symbol(units)
    rmse = per_atom_rmse(predicted - true)
    finite = np.isfinite(predicted).all(axis=1)
    low, high = np.min(true), np.max(true)
    ax.hist2d(true[finite].ravel(), predicted[finite].ravel(), bins=bins,
              range=[[low, high], [low, high]], cmin=1, cmap="viridis")
    ax.plot([low, high], [low, high], "k--", lw=1)
    ax.text(0.04, 0.93, f"RMSE {rmse:.2g} {units}", transform=ax.transAxes, fontsize=8,
            va="top", bbox={"facecolor": "white", "alpha": 0.8, "lw": 0})
    ax.set_xlabel(f"true ({units})" if units else "true")
    ax.set_ylabel(f"predicted ({units})" if units else "predicted")
    return rmse
