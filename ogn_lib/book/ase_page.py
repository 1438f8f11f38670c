"""The figure and table of the worked page "OGN dynamics in ASE" (book/ase_dynamics)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.book.report import run_cell
from ogn_lib.book.tables import unit_symbol
from ogn_lib.studies.ase_comparison import AseComparison


def rmse_at(comparison: AseComparison, md_step: int, method: str = "driver") -> Measurement:
    """Position RMSE per atom of ``method`` (``driver`` or ``no motion``) ``md_step`` MD
    steps after the start: the mean over starts with its interval."""
    rows = {"driver": comparison.driver_rmse, "no motion": comparison.no_motion_rmse}[method]
    column = np.flatnonzero(comparison.md_steps == md_step)
    if not len(column):
        raise ValueError(f"MD step {md_step} is not one the comparison recorded "
                         f"({comparison.md_steps.tolist()}); choose one of them")
    return Measurement.over(rows[:, column[0]], "starts")


def rmse_table(comparison: AseComparison, md_steps: tuple[int, ...],
               length_unit: str) -> list[dict]:
    """One row per method, one column per MD step: RMSE with its interval."""
    unit = unit_symbol(length_unit)
    return [{"": label, **{f"after {step} MD steps": run_cell(rmse_at(comparison, step, method),
                                                             unit) for step in md_steps}}
            for label, method in (("OGN in ASE", "driver"), ("no motion", "no motion"))]


def rmse_figure(comparison: AseComparison, length_unit: str) -> plt.Figure:
    """Position RMSE per atom against MD steps after the start: the driver's mean over
    starts with its 95% band, and no motion's."""
    fig, ax = plt.subplots(figsize=(7.0, 3.2))
    steps = comparison.md_steps
    for rows, label, colour in ((comparison.driver_rmse, "OGN in ASE (OGNDynamics)", "C0"),
                                (comparison.no_motion_rmse, "no motion", "C7")):
        bands = [Measurement.over(rows[:, index]) for index in range(1, len(steps))]
        ax.plot(steps[1:], [band.value for band in bands], color=colour, label=label)
        ax.fill_between(steps[1:], [band.low for band in bands],
                        [band.high for band in bands], color=colour, alpha=0.25, lw=0)
    ax.set_yscale("log")
    ax.set_xlabel("MD steps after the start", fontsize=9)
    ax.set_ylabel(f"position RMSE per atom ({unit_symbol(length_unit)})", fontsize=9)
    ax.tick_params(labelsize=8.5)
    ax.legend(fontsize=8.5, loc="lower right")
    fig.tight_layout()
    return fig
