"""Tables of the validation page: numbers and verdicts come from the series given."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402

from ogn_lib.analysis.energies import EnergySeries  # noqa: E402
from ogn_lib.book.validation_page import (  # noqa: E402
    data_title,
    drift_rows,
    energy_conservation_figure,
)
from ogn_lib.md.systems import SYSTEMS  # noqa: E402


def _series(drift_per_step: float) -> EnergySeries:
    steps = np.arange(0, 2001, 10)
    return EnergySeries(md_steps=steps, potential=-3.0 + drift_per_step * steps,
                        kinetic=np.full(len(steps), 1.0))


def test_drift_rows_give_each_mode_its_drift_and_verdict():
    conservation = {"lj": {"truth": _series(0.0), "nve": _series(-1e-4),
                           "nve-rescaled": _series(1e-6)}}
    (row,) = drift_rows(conservation)
    assert row["liquid"].startswith("Kob-Andersen")
    assert np.isclose(row["OGN, raw NVE"], -0.1) and row["verdict, raw"] == "not reproduced"
    assert np.isclose(row["OGN, energy-rescaled NVE"], 0.001)
    assert row["verdict, rescaled"] == "reproduced"


def test_energy_figure_has_one_panel_per_liquid():
    conservation = {name: {"truth": _series(0.0), "nve": _series(1e-5),
                           "nve-rescaled": _series(0.0)} for name in ("lj", "silica")}
    figure = energy_conservation_figure(conservation)
    titles = [ax.get_title() for ax in figure.axes if ax.has_data()]
    assert len(titles) == 2 and titles[1].startswith("(B) Silica")


def test_a_data_set_has_its_own_title_and_a_liquid_its_systems():
    assert data_title("lj") == SYSTEMS["lj"].title
    assert "glass" in data_title("lj-glass") and "T = 0.5" in data_title("lj-glass")
