"""Shared figure panels draw one line per variant and one point per parameter value."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from ogn_lib.book.plots import loss_sweep  # noqa: E402


def test_loss_sweep_draws_every_variant_and_its_final_loss():
    histories = {1: {"test_loss": [1.0, 0.5, 0.3]}, 4: {"test_loss": [0.9, 0.2, 0.1]}}
    fig, (curves, final) = plt.subplots(1, 2)
    loss_sweep(curves, final, histories, "layers M")
    assert len(curves.get_lines()) == 2
    assert list(final.get_lines()[0].get_ydata()) == [0.3, 0.1]
    assert final.get_xlabel() == "layers M"
    plt.close(fig)
