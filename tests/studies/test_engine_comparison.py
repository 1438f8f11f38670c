"""Both engines measured alike: energies as logged, ratios of a run to itself, and the
figure and tables of the ground-truth page from them."""

import matplotlib

matplotlib.use("Agg")

from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from md_helpers import small_trajectory  # noqa: E402

from ogn_lib.analysis.run_windows import (  # noqa: E402
    logged_energies,
    run_ratios,
    window_ratios,
    windows,
)
from ogn_lib.analysis.system_validation import VALIDATION_SETTINGS, system_level  # noqa: E402
from ogn_lib.book.ground_truth_page import (  # noqa: E402
    QUOTED,
    comparison_quotes,
    engine_figure,
    engine_speed_rows,
    largest_deviation,
    ratio_rows,
    same_start_rows,
    show_engine_comparison,
    speed_at_largest,
)
from ogn_lib.studies.engine_comparison import (  # noqa: E402
    SAME_START_CURVES,
    EngineComparison,
    EngineRun,
    SameStart,
    window_measurements,
)


@pytest.fixture(scope="module")
def liquid(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("lj"), "lj", production_steps=40)


def test_logged_energies_are_the_engine_s_per_atom(liquid):
    series = logged_energies(liquid)
    n_atoms = len(liquid.typeids)
    np.testing.assert_allclose(series.potential * n_atoms, liquid.energies["potential_energy"])
    np.testing.assert_allclose(series.kinetic * n_atoms, liquid.energies["kinetic_energy"])
    assert series.md_steps[0] == 0 and series.md_steps[-1] == 40


def _run(trajectory, engine, reference=None, scale=1.0):
    trajectory = replace(trajectory, energies={
        **trajectory.energies,
        "potential_energy": np.asarray(trajectory.energies["potential_energy"]) * scale})
    settings = VALIDATION_SETTINGS["lj"]  # g(r) to 3 sigma, as a 265-atom box allows
    return EngineRun(engine, engine.upper(), logged_energies(trajectory),
                     system_level(trajectory, settings, reference), trajectory)


def test_windows_cut_a_run_into_equal_consecutive_spans(liquid):
    parts = windows(liquid, 4)
    assert [int(p.steps[0] - liquid.steps[0]) for p in parts] == [0, 10, 20, 30]
    assert all(p.steps[-1] - p.steps[0] == 10 for p in parts)
    with pytest.raises(ValueError, match="cannot be cut into 80 windows"):
        windows(liquid, 80)


@pytest.fixture(scope="module")
def comparison(liquid):
    """HOOMD-blue's run is LAMMPS's with its potential energy 1.3 times larger; the
    same-start curves grow as exp(steps / 20) from 1e-6, 2e-6 and 3e-6."""
    lammps = _run(liquid, "lammps")
    hoomd = _run(liquid, "hoomd", lammps.measures, scale=1.3)
    steps = np.arange(0, 101, 10)
    same = SameStart(steps, {label: 1e-6 * (1 + index) * np.exp(steps / 20)
                             for index, label in enumerate(SAME_START_CURVES)})
    settings = VALIDATION_SETTINGS["lj"]
    return EngineComparison("lj", {"lammps": lammps, "hoomd": hoomd},
                            window_measurements(window_ratios(hoomd.trajectory,
                                                              lammps.trajectory, settings)),
                            window_measurements(window_ratios(lammps.trajectory,
                                                              lammps.trajectory, settings)),
                            same)


def test_a_run_against_itself_has_every_ratio_one_and_its_page_says_reproduced(comparison):
    lammps, hoomd = comparison.runs["lammps"], comparison.runs["hoomd"]
    ratios = run_ratios(hoomd.measures, hoomd.energies, lammps.measures, lammps.energies,
                        VALIDATION_SETTINGS["lj"])
    assert ratios.pop("mean potential energy per atom") == pytest.approx(1.3)
    assert all(value == pytest.approx(1.0) or not np.isfinite(value)
               for value in ratios.values())
    energy_ratio = comparison.ratios["mean potential energy per atom"]
    assert energy_ratio.n == 4 and energy_ratio.value == pytest.approx(1.3)
    assert energy_ratio.low == pytest.approx(1.3) and "4 windows" in energy_ratio.how
    rows = ratio_rows(comparison)
    energy = next(row for row in rows if row["quantity"] == "mean potential energy per atom")
    assert energy["verdict"] == "*not reproduced*" and energy["2nd LAMMPS run / 1st"] == "1"
    temperature = next(row for row in rows if row["quantity"] == "mean temperature")
    assert temperature["verdict"] == "*reproduced*" and temperature["n"] == 4
    assert largest_deviation(comparison.ratios) == ("mean potential energy per atom",
                                                    pytest.approx(1.3))
    (row, *_) = same_start_rows(comparison, (10, 100, 1000))
    assert set(row) == {"curve", "after 10 MD steps", "after 100 MD steps"}
    assert row["after 100 MD steps"] == pytest.approx(1e-6 * np.exp(5))
    fig = engine_figure(comparison)
    assert len(fig.axes) == 4


def test_the_page_quotes_agreement_departures_and_the_same_start(comparison):
    quotes = comparison_quotes(comparison)
    assert list(quotes) == list(QUOTED)
    reproduced = sum(row["verdict"] == "*reproduced*" for row in ratio_rows(comparison))
    assert quotes["agree"] == f"{reproduced} of the {len(comparison.ratios)}"
    assert quotes["worst"] == "1.3 (mean potential energy per atom)"
    assert quotes["control_worst"].startswith("1 (")
    assert quotes["between_100"] == "0.00045" and quotes["floor_100"] == "0.00015"


def test_a_system_s_part_of_the_page_shows_its_tables_and_glues_its_quotes_and_figure(
        comparison, notebook_outputs):
    show_engine_comparison("lj", comparison)
    glued = notebook_outputs.glued
    assert list(glued) == [f"gt_lj_{key}" for key in QUOTED] + ["gt_lj_fig"]
    assert glued["gt_lj_worst"].data == comparison_quotes(comparison)["worst"]
    assert glued["gt_lj_between_100"].data == "0.00045"
    ratios, same_start, link = notebook_outputs.shown
    assert ratios.data.startswith("| quantity | HOOMD-blue / LAMMPS |")
    assert same_start.data.startswith("**Position RMSE per atom from one saved LAMMPS frame**")
    assert "gt_lj_fig.json" in link.data


def test_without_hoomd_blue_the_page_glues_a_dash_for_each_quote(notebook_outputs):
    show_engine_comparison("silica", None)
    assert notebook_outputs.glued.pop("gt_silica_fig") is not None
    assert {key: glued.data for key, glued in notebook_outputs.glued.items()} == {
        f"gt_silica_{key}": "–" for key in QUOTED}


def test_engine_speed_rows_pair_the_engines_of_each_size():
    report = {"rows": [
        {"system": "lj", "engine": "lammps", "label": "LAMMPS x", "n_atoms": 4000,
         "atom_steps_per_s": 8e5},
        {"system": "lj", "engine": "hoomd", "label": "HOOMD-blue y", "n_atoms": 4000,
         "atom_steps_per_s": 4e5},
        {"system": "lj", "engine": "lammps", "label": "LAMMPS x", "n_atoms": 265,
         "atom_steps_per_s": 9e5},
        {"system": "lj", "engine": "hoomd", "label": "HOOMD-blue y", "n_atoms": 265,
         "atom_steps_per_s": 9e5}]}
    rows = engine_speed_rows(report)
    assert [row["HOOMD-blue / LAMMPS"] for row in rows] == [0.5, 1.0]
    assert rows[0]["LAMMPS x (atom-steps/s)"] == 8e5 and rows[0]["system"] == "KA-LJ"
    assert speed_at_largest(rows, "lj") == (4000, 0.5)


def test_the_page_names_tau_alpha_as_it_prints_it(comparison):
    quantities = [row["quantity"] for row in ratio_rows(comparison)]
    assert "τ_α" in quantities and "tau_alpha" not in quantities


def test_the_engines_legend_stands_above_the_panels_not_on_the_energies(comparison):
    fig = engine_figure(comparison)
    (legend,) = fig.legends
    assert [text.get_text() for text in legend.get_texts()] == ["LAMMPS", "HOOMD"]
    assert fig.axes[0].get_legend() is None
    assert min(text.get_fontsize() for ax in fig.axes if ax.get_legend()
               for text in ax.get_legend().get_texts()) >= 8.5
