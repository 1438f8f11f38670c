"""What the three condition-sweep sections (S5 system size, S6 temperature, S7 density) say
alike of their sweep (:mod:`ogn_lib.studies.lj_sweeps`): the line naming the model they
use in place of the paper's, and one line for each method that failed somewhere."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ogn_lib.analysis.claims import TRAINING_SIZE
from ogn_lib.analysis.sweeps import AccuracySweep
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.studies.lj_sweeps import LJSweep


@dataclass(frozen=True)
class SweptCondition:
    """How the pages name a swept condition.

    Attributes:
        trained: where the model was trained in it ("on 265 atoms").
        symbol: the condition's symbol ("N").
        value_format: the format of one of its values ("g").
        values_noun: its values in words ("sizes").
    """

    trained: str
    symbol: str
    value_format: str
    values_noun: str


_LJ = SYSTEMS["lj"]
CONDITIONS = {
    "n_atoms": SweptCondition(f"on {TRAINING_SIZE} atoms", "N", "g", "sizes"),
    "temperature": SweptCondition(f"at T = {_LJ.temperature:g}", "T", "g", "temperatures"),
    "number_density": SweptCondition(f"at ρ0 = {_LJ.number_density:g}", "ρ", ".3g",
                                     "densities"),
}
"""Each swept protocol parameter of :data:`~ogn_lib.studies.lj_sweeps.SWEPT_GROUPS`."""


def model_line(setup: LJSweep) -> str:
    """The model a sweep section uses in place of the paper's Reference-OGN: its layers,
    its k, where it was trained and which weights it has."""
    condition = CONDITIONS[setup.sweep.parameter]
    return (f"Fast-OGN (M = {setup.model.spec.model.n_layers}, k = {setup.k}, trained "
            f"{condition.trained}) in place of the paper's Reference-OGN: {setup.description}")


def failure_lines(sweep: AccuracySweep) -> list[str]:
    """One line per method that failed in some run of ``sweep``: in how many, and the
    first value and reason. Where each value has one run, the runs are counted as values
    ("at 6 of 6 sizes")."""
    condition = CONDITIONS[sweep.parameter]
    if np.all(sweep.n_runs == 1):
        counted = f"at {{}} of {len(sweep.values)} {condition.values_noun}"
    else:
        counted = f"in {{}} of {int(sweep.n_runs.sum())} runs"
    lines = []
    for method, failures in sweep.failures.items():
        value, reason = failures[0]
        lines.append(f"{method} failed {counted.format(len(failures))}, e.g. at "
                     f"{condition.symbol} = {value:{condition.value_format}}: {reason}")
    return lines
