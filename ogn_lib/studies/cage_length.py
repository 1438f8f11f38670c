"""This run's cage length of a liquid (S2's rule), from the long NVE runs of its msd group:
the yardstick against which S1, S3 and S4 judge the OGN's position errors, measured as S2
measures it (the first run here, the others from their record,
:mod:`ogn_lib.studies.recorded_measures`), so that every page quotes the same number."""

from __future__ import annotations

from ogn_lib.analysis.dynamics import CAGE_RULES
from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.studies.recorded_measures import CAGE_RUNS, cage_length_runs


def measured_cage_length(profile: str, name: str, seed: int = 1, runs: int = CAGE_RUNS,
                         remeasure: bool = False) -> Measurement:
    """The cage length of liquid ``name`` by S2's rule over ``runs`` independent MD runs
    (its ``<name>-msd`` group at base seeds ``seed``, ``seed + 1``, ...), in the liquid's
    length unit, with its interval over the runs."""
    if runs < 1:
        raise ValueError(f"runs = {runs}: give at least one MD run (S2 uses {CAGE_RUNS})")
    lengths = cage_length_runs(profile, name, seed, runs, remeasure)[CAGE_RULES[0]]
    return Measurement.over(lengths, "runs", note=f"{name}: S2's rule over {runs} MD runs")
