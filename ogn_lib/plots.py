"""Figure panels that several sections draw alike (matplotlib, no computation)."""

from __future__ import annotations

import numpy as np


def loss_sweep(curves_axis, final_axis, histories: dict, parameter_name: str,
               guide_colour: str = "tab:blue") -> None:
    """Panel A: test loss against epoch for each variant; panel B: the final test loss
    against the swept parameter (``histories`` maps parameter value -> training history),
    on log axes, as in Figs. S8-S10."""
    values = sorted(histories)
    colours = [f"C{i}" for i in range(len(values))]
    for value, colour in zip(values, colours):
        test_loss = histories[value]["test_loss"]
        curves_axis.semilogy(np.arange(1, len(test_loss) + 1), test_loss, "-o", ms=3,
                             color=colour, label=f"{parameter_name} = {value}")
    curves_axis.set_xlabel("training epoch")
    curves_axis.set_ylabel("test loss L (normalised)")
    curves_axis.legend(fontsize=8)
    final = [histories[value]["test_loss"][-1] for value in values]
    final_axis.semilogy(values, final, "-", color=guide_colour)
    final_axis.scatter(values, final, c=colours, zorder=3)
    final_axis.set_xlabel(parameter_name)
    final_axis.set_ylabel("final test loss L")
