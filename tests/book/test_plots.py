"""Shared figure panels draw one line per variant and one point per parameter value."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ogn_lib.analysis.sweeps import AccuracySweep  # noqa: E402
from ogn_lib.book.plots import loss_sweep, plot_relative_sweep  # noqa: E402


def test_loss_sweep_draws_every_variant_and_its_final_loss():
    histories = {1: {"test_loss": [1.0, 0.5, 0.3]}, 4: {"test_loss": [0.9, 0.2, 0.1]}}
    fig, (curves, final) = plt.subplots(1, 2)
    loss_sweep(curves, final, histories, "layers M")
    assert len(curves.get_lines()) == 2
    assert list(final.get_lines()[0].get_ydata()) == [0.3, 0.1]
    assert final.get_xlabel() == "layers M"
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
