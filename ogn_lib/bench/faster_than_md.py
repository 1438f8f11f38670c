"""Is the learned simulator faster than MD? Interleaved pairs of timings on one core.

The abstract's claim "faster than MD for modest time scales" is a ratio of two rates: the
shipped quick Fast-OGN's atom-MD-steps per CPU second (k MD steps per prediction) over
LAMMPS's with its own MD step, on the same configuration. One pair of timings gives one
ratio and no interval; a pair repeated :data:`REPEATS` times, the OGN in a fresh process
each time and LAMMPS right after it, gives a ratio per pair, and the claim is judged on
their mean with its Student-t interval (:meth:`~ogn_lib.analysis.verdicts.Measurement.over`).
Interleaving puts both sides of a pair under the same load of a shared machine.
"""

from __future__ import annotations

import time

from ogn_lib.analysis.claims import CLAIMS
from ogn_lib.analysis.verdicts import Measurement, Verdict, judge
from ogn_lib.bench.md_speed import bare_rate
from ogn_lib.bench.ogn_speed import RolloutCase, measure_in_fresh_process, start_configuration

REPEATS = 4
"""Interleaved timing pairs per liquid (the claim's n)."""

MD_STEPS = 200
"""LAMMPS steps per timed run (about a CPU second at 4,000 atoms; the faster of two runs
counts, as the OGN's fastest prediction does)."""

PAIRS_WHAT = "interleaved timing pairs"


def timing_pairs(system: str, n_atoms: int, checkpoint: str, start: str,
                 repeats: int = REPEATS) -> dict:
    """``repeats`` pairs (OGN in a fresh process, then LAMMPS) on one core, each pair on the
    benchmark's configuration of ``system`` (``start``: :data:`~ogn_lib.bench.ogn_speed.
    STARTS`); the record keeps both rates and their ratio per pair."""
    if repeats < 2:
        raise ValueError(f"repeats={repeats}: an interval needs at least 2 pairs")
    liquid = start_configuration(system, n_atoms, start)
    pairs = []
    for _ in range(repeats):
        ogn = measure_in_fresh_process(RolloutCase(system, "fast", "quick", n_atoms,
                                                   checkpoint=checkpoint, start=start))
        md = bare_rate(liquid, system, MD_STEPS)
        pairs.append({"ogn_atom_steps_per_s": ogn["atom_steps_per_s"],
                      "lammps_atom_steps_per_s": md["atom_steps_per_s"],
                      "ratio": ogn["atom_steps_per_s"] / md["atom_steps_per_s"]})
    return {"n_atoms": liquid.n_atoms, "checkpoint": checkpoint, "threads": 1,
            "lammps_steps": MD_STEPS, "pairs": pairs, "time": time.strftime("%Y-%m-%d %H:%M")}


def faster_measurement(record: dict | None) -> Measurement:
    """This run's value for ``abstract.faster.<system>`` from a liquid's
    :func:`timing_pairs` record (``None``: not benchmarked)."""
    if not record:
        return Measurement.failed("not benchmarked in this run", model="fast")
    return Measurement.over([pair["ratio"] for pair in record["pairs"]], PAIRS_WHAT,
                            model="fast", note=f"{record['n_atoms']:,} atoms, one core")


def faster_verdict(system: str, record: dict | None) -> Verdict:
    """The verdict engine's judgement of "faster than MD" for one liquid."""
    return judge(CLAIMS[f"abstract.faster.{system}"], faster_measurement(record))
