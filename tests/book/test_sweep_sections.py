"""What the sweep sections (S5-S7) say of their sweep: the model in place of the paper's,
and each method that failed, counted in runs or, one run a value, in values."""

from dataclasses import replace

import numpy as np
from untrained import untrained_simulator

from ogn_lib.analysis.accuracy import METHODS
from ogn_lib.analysis.sweeps import AccuracySweep
from ogn_lib.book.sweep_sections import failure_lines, model_line
from ogn_lib.studies.lj_sweeps import LJSweep

REASON = "blew up within 2 MD steps"


def _sweep(parameter, values, n_runs, failures=None) -> AccuracySweep:
    errors = {method: np.ones(len(values)) for method in METHODS}
    return AccuracySweep(parameter, np.array(values), 100, errors, errors, np.array(values),
                         np.array(n_runs), failures or {})


def test_the_model_line_names_its_layers_k_where_it_was_trained_and_its_weights():
    setup = LJSweep(untrained_simulator("lj", 5), "shipped quick fast-OGN weights", [],
                    _sweep("temperature", [1.0, 3.0], [4, 4]))
    assert model_line(setup) == ("Fast-OGN (M = 2, k = 5, trained at T = 3) in place of the "
                                 "paper's Reference-OGN: shipped quick fast-OGN weights")
    sizes = replace(setup, sweep=_sweep("n_atoms", [265, 1000], [1, 1]))
    assert "trained on 265 atoms)" in model_line(sizes)
    densities = replace(setup, sweep=_sweep("number_density", [0.96, 1.2], [4, 4]))
    assert "trained at ρ0 = 1.2)" in model_line(densities)


def test_one_run_a_value_counts_the_failures_in_values():
    sizes = _sweep("n_atoms", [265, 1000], [1, 1],
                   {"MD k×dt": [(265.0, REASON), (1000.0, REASON)]})
    assert failure_lines(sizes) == [f"MD k×dt failed at 2 of 2 sizes, e.g. at N = 265: {REASON}"]


def test_several_runs_a_value_count_the_failures_in_runs_one_line_a_method():
    densities = _sweep("number_density", [0.96, 1.2], [4, 4],
                       {"MD k×dt": [(0.96, REASON)], "chaos floor": [(1.2, "lost atoms")]})
    assert failure_lines(densities) == [
        f"MD k×dt failed in 1 of 8 runs, e.g. at ρ = 0.96: {REASON}",
        "chaos floor failed in 1 of 8 runs, e.g. at ρ = 1.2: lost atoms"]
    assert failure_lines(_sweep("temperature", [1.0, 2.0], [4, 4])) == []
