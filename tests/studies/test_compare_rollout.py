"""Specification of a rollout made beside the truth, atom by atom."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.analysis.rollout_comparison import choose_atoms
from ogn_lib.book.plots import plot_atom_paths, plot_density_scatter
from ogn_lib.studies.rollout_comparison import compare_rollout


@pytest.fixture(scope="module")
def truth():
    return toy_trajectory(n_frames=31)


def test_truth_and_rollout_share_the_grid_of_predictions(truth):
    comparison = compare_rollout(untrained_simulator(closest_approach=0.0), truth, 5, 5)
    np.testing.assert_array_equal(comparison.md_steps, [0, 5, 10, 15, 20, 25])
    np.testing.assert_allclose(comparison.true_positions,
                               truth.unwrapped_positions[5:31:5], atol=1e-6)
    np.testing.assert_allclose(comparison.predicted_positions[0],
                               comparison.true_positions[0])
    assert comparison.failure is None


def test_untrained_displacements_are_straight_flights(truth):
    comparison = compare_rollout(untrained_simulator(closest_approach=0.0), truth, 0, 4)
    true, predicted = comparison.displacements()
    np.testing.assert_allclose(predicted, truth.velocities[0] * 20 * 0.002, atol=1e-5)
    np.testing.assert_allclose(true, truth.unwrapped_positions[20] - truth.unwrapped_positions[0],
                               atol=1e-6)
    np.testing.assert_allclose(comparison.velocities()[1], truth.velocities[0], atol=1e-6)


def test_a_blow_up_leaves_nan_after_it(truth):
    comparison = compare_rollout(untrained_simulator(closest_approach=10.0), truth, 0, 3)
    assert "two atoms are" in comparison.failure
    assert np.all(np.isnan(comparison.predicted_positions[1:]))
    assert np.all(np.isfinite(comparison.predicted_positions[0]))


def test_panels_draw_paths_per_atom_and_the_rmse_of_the_scatter(truth):
    comparison = compare_rollout(untrained_simulator(closest_approach=0.0), truth, 0, 4)
    figure, (paths, scatter) = plt.subplots(1, 2)
    plot_atom_paths(paths, comparison, choose_atoms(32, 3, seed=0))
    assert len(paths.get_lines()) == 9
    rmse = plot_density_scatter(scatter, *comparison.displacements(), units="sigma")
    true, predicted = comparison.displacements()
    assert rmse == pytest.approx(np.sqrt(np.mean(np.sum((true - predicted)**2, axis=1))))
    assert f"{rmse:.2g}" in scatter.texts[0].get_text()
    plt.close(figure)
