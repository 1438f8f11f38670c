"""Shared figure panels draw one line per variant and one point per parameter value."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ogn_lib.analysis.rollout_comparison import RolloutComparison  # noqa: E402
from ogn_lib.analysis.sweeps import AccuracySweep  # noqa: E402
from ogn_lib.analysis.verdicts import final_loss  # noqa: E402
from ogn_lib.book.plots import (  # noqa: E402
    legend_below,
    loss_sweep,
    plot_over_no_motion,
    plot_relative_sweep,
    plot_rollout_paths,
)


def test_loss_sweep_draws_every_variant_and_its_final_loss_as_the_verdicts_read_it():
    histories = {1: {"test_loss": [1.0, 0.5, 0.3]}, 4: {"test_loss": [0.9, 0.2, 0.1]}}
    fig, (curves, final) = plt.subplots(1, 2)
    loss_sweep(curves, final, histories, "layers M")
    assert [line.get_label() for line in curves.get_lines()] == ["layers M = 1", "layers M = 4"]
    means = [final_loss(histories[value]["test_loss"]).value for value in (1, 4)]
    np.testing.assert_allclose(final.get_lines()[0].get_ydata(), means)  # not the last epoch's
    np.testing.assert_allclose(means, [0.4, 0.15])
    (shaded,) = curves.patches  # the two epochs of the last fifth, which B averages
    np.testing.assert_allclose(shaded.get_x() + np.array([0, shaded.get_width()]), [1.5, 3.5])
    assert final.get_xlabel() == "layers M" and curves.get_legend() is None
    plt.close(fig)


def test_legend_below_gathers_each_label_of_the_panels_once():
    fig, (left, right) = plt.subplots(1, 2, layout="constrained")
    left.plot([0, 1], label="a")
    right.plot([0, 1], label="a")
    right.axvline(0.5, label="b")
    legend_below(fig, (left, right), ncol=2)
    (legend,) = fig.legends
    assert [text.get_text() for text in legend.get_texts()] == ["a", "b"]
    assert left.get_legend() is None and right.get_legend() is None
    plt.close(fig)


def test_relative_sweep_draws_each_method_over_the_baseline_on_linear_axes():
    values = np.array([1.0, 2.0])
    errors = {"OGN": np.array([0.2, 0.4]), "no motion": np.array([0.4, 0.8]),
              "constant velocity": np.array([0.8, 1.6]), "MD k×dt": np.array([np.nan, np.nan]),
              "chaos floor": np.array([1e-6, 1e-6])}
    sweep = AccuracySweep("temperature", values, 100, errors, errors, values,
                          np.array([1, 1]), {"MD k×dt": [(1.0, "lost atoms")]})
    fig, ax = plt.subplots()
    plot_relative_sweep(ax, sweep)
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["OGN / no motion"].get_ydata()) == [0.5, 0.5]
    assert list(lines["constant velocity / no motion"].get_ydata()) == [2.0, 2.0]
    assert "MD k×dt / no motion (failed)" in lines
    assert ax.get_yscale() == "linear" and ax.get_ylim() == (0, 2.3)
    plt.close(fig)


def test_the_ogn_over_no_motion_is_drawn_against_the_values_given_with_no_motion_s_one():
    values = np.array([1.0, 2.0])
    errors = {"OGN": np.array([0.2, 0.6]), "no motion": np.array([0.4, 0.8])}
    sweep = AccuracySweep("temperature", values, 100, errors, errors, values,
                          np.array([1, 1]), {})
    fig, ax = plt.subplots()
    plot_over_no_motion(ax, sweep, values / 2)
    ogn, no_motion = ax.get_lines()
    assert list(ogn.get_xdata()) == [0.5, 1.0]
    np.testing.assert_allclose(ogn.get_ydata(), [0.5, 0.75])
    assert list(no_motion.get_ydata()) == [1.0, 1.0] and no_motion.get_label() == "no motion"
    assert ax.get_ylim() == (0, 1.2)
    plt.close(fig)


def test_a_rollout_s_paths_panel_has_a_legend_units_and_says_why_it_stopped():
    steps = np.arange(3)
    positions = np.zeros((3, 2, 3))
    positions[:, 1, 0] = steps
    comparison = RolloutComparison(steps, positions, positions, positions, positions,
                                   failure="blew up at step 2")
    fig, ax = plt.subplots()
    plot_rollout_paths(ax, comparison, np.array([1]), "sigma", "(A) 100 MD steps")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == [
        "ground truth (MD)", "OGN"]
    assert ax.get_xlabel() == "Δx (σ)" and ax.get_ylabel() == "Δy (σ)"
    assert ax.get_title() == "(A) 100 MD steps; rollout stopped: blew up at step 2"
    plt.close(fig)


def test_the_data_behind_a_figure_are_what_it_draws():
    import base64
    import json
    import re

    from ogn_lib.book.figure_data import figure_data, figure_data_link

    fig, (lines, maps) = plt.subplots(1, 2)
    lines.plot([1, 2, 3], [0.1, np.nan, 0.3], label="OGN")
    lines.plot([], [], "k-", label="legend only")
    lines.scatter([0.5], [0.2], label="truth")
    lines.set_title("(A) errors")
    maps.hist2d([0.1, 0.2, 0.2, 0.9], [0.1, 0.2, 0.25, 0.9], bins=2, range=[[0, 1], [0, 1]])
    data = figure_data(fig)
    first, second = data["panels"]
    assert first["title"] == "(A) errors" and len(first["lines"]) == 1
    assert first["lines"][0] == {"label": "OGN", "x": [1.0, 2.0, 3.0], "y": [0.1, None, 0.3]}
    assert first["points"][0]["x"] == [0.5]
    histogram = second["histograms"][0]
    assert histogram["x edges"] == [0.0, 0.5, 1.0] and np.sum(histogram["counts"]) == 4
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)\"", figure_data_link(fig, "f")).group(1)
    assert json.loads(base64.b64decode(payload)) == data
    plt.close(fig)
