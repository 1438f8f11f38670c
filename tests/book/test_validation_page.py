"""Tables of the validation page: each check judged by the engine from its interval over the
starts, and the counts and lists the page's prose is computed from."""

import matplotlib

matplotlib.use("Agg")

from dataclasses import replace  # noqa: E402
from types import SimpleNamespace  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from toy_lj import toy_trajectory  # noqa: E402

from ogn_lib.analysis.energies import EnergySeries  # noqa: E402
from ogn_lib.analysis.system_validation import VALIDATION_SETTINGS, system_level  # noqa: E402
from ogn_lib.book import validation_page  # noqa: E402
from ogn_lib.book.tables import markdown_table  # noqa: E402
from ogn_lib.book.validation_page import (  # noqa: E402
    LABELS,
    check_rows,
    closing_texts,
    count_table,
    data_title,
    energy_model_rows,
    energy_table,
    glue_validation_figure,
    missed,
    ratio_table,
    shipped_fit_minutes,
    show_check_tables,
    shown_title,
    validation_figure,
)
from ogn_lib.md.systems import SYSTEMS  # noqa: E402
from ogn_lib.studies.rollout_validation import (  # noqa: E402
    MODES,
    ModeRun,
    StartValidation,
    SystemValidation,
)


TOY = toy_trajectory(0, n_frames=5)


def _series(drift_per_step: float, kinetic: float = 1.0) -> EnergySeries:
    steps = np.arange(0, 2001, 10)
    return EnergySeries(md_steps=steps, potential=-3.0 + drift_per_step * steps,
                        kinetic=np.full(len(steps), kinetic))


def _validation(d_ratios, drift_per_step) -> SystemValidation:
    """Four starts: MD flat; raw NVE drifting, the others flat; the diffusion coefficient
    of A in ratio ``d_ratios[i]`` to MD's in every mode, g_AA(r) exact."""
    starts = []
    for d_ratio in d_ratios:
        runs = {mode: ModeRun(TOY, _series(drift_per_step if mode == "nve" else 0.0), None,
                              {"g_AA(r) first-peak height": 1.0, "D of A": d_ratio})
                for mode in MODES}
        starts.append(StartValidation(None, _series(0.0), None, runs))
    return SystemValidation("lj", 2000, 5, starts, None, None)


def test_each_ratio_and_energy_check_is_judged_from_its_interval_over_the_starts():
    validation = _validation([1.3, 1.32, 1.28, 1.31], drift_per_step=-1e-4)
    rows = check_rows(validation)
    judged = {(row["mode"], row["measure"]): row for row in rows}
    assert judged["nve", "D of A"]["verdict"] == "not reproduced"
    assert judged["nve", "D of A"]["n"] == 4
    assert judged["nve", "g_AA(r) first-peak height"]["verdict"] == "reproduced"
    assert judged["nve", "mean kinetic energy (temperature)"]["verdict"] == "reproduced"
    drift = judged["nve", "fitted total-energy drift over the run / mean kinetic energy"]
    assert np.isclose(drift["value"], -0.2) and drift["verdict"] == "not reproduced"
    rescaled = judged["nve-rescaled", "largest total-energy excursion / mean kinetic energy"]
    assert rescaled["verdict"] == "reproduced"
    assert not [row for row in rows if row["mode"] == "nvt-csvr" and "total-energy" in row["measure"]]


def test_tables_give_value_interval_and_verdict_per_mode():
    validation = _validation([0.95, 1.12, 0.9, 1.08], drift_per_step=0.0)
    rows = check_rows(validation)
    table = {row["OGN / MD"]: row for row in ratio_table(rows)}
    assert table["D of A"][LABELS["nve"]].endswith("*partly*")
    assert "[" in table["D of A"][LABELS["nve"]]
    assert table["g_AA(r) first-peak height"][LABELS["nvt-csvr"]] == "1 *reproduced*"
    (excursion, drift) = energy_table(validation, rows)
    assert excursion[LABELS["nve"]] == "0 *reproduced*" and excursion["MD (truth)"] == "0"


def test_counts_and_misses_per_data_set_and_mode():
    rows = {"lj": check_rows(_validation([1.3, 1.32, 1.28, 1.31], drift_per_step=0.0))}
    counts = {row["rollout"]: row for row in count_table(rows)}
    assert counts[LABELS["nve"]]["not reproduced"] == 1
    assert counts[LABELS["nve"]]["reproduced"] == 4  # temperature, g(r), energy twice
    assert counts[LABELS["nvt-csvr"]]["reproduced"] == 2
    (miss,) = missed(rows, "nve")  # the energy checks are not ratios
    assert miss.startswith(f"{shown_title('lj')}: D of A 1.3") and "not reproduced" in miss


def test_a_data_set_has_its_own_title_and_a_liquid_its_systems():
    assert data_title("lj") == SYSTEMS["lj"].title
    assert shown_title("lj").endswith("A{sub}`80`B{sub}`20`")
    assert "glass" in data_title("lj-glass") and "T = 0.5" in data_title("lj-glass")


def _drawable(name: str = "lj") -> SystemValidation:
    """One start of the toy liquid, measured, as every mode's rollout and the truth."""
    truth = toy_trajectory(0, n_frames=60)
    settings = replace(VALIDATION_SETTINGS["lj"], r_max=1.4)  # the toy box is 3 sigma
    measures = system_level(truth, settings)
    runs = {mode: ModeRun(truth, _series(0.0), measures, {}) for mode in MODES}
    return SystemValidation(name, 59, 1, [StartValidation(truth, _series(0.0), measures,
                                                          runs)], None, settings)


def test_the_figure_draws_the_first_start_in_six_panels():
    figure = validation_figure(_drawable())
    assert [ax.get_title()[:3] for ax in figure.axes] == ["(A)", "(B)", "(C)", "(D)", "(E)",
                                                          "(F)"]


def test_the_figure_has_one_legend_of_the_ensembles_above_its_panels():
    figure = validation_figure(_drawable())
    (legend,) = figure.legends
    assert [text.get_text() for text in legend.get_texts()] == [
        "MD (truth)", *(LABELS[mode] for mode in MODES)]
    assert min(text.get_fontsize() for text in legend.get_texts()) >= 8.5
    panels = {ax.get_title()[:3]: ax for ax in figure.axes}
    assert panels["(A)"].get_legend() is None and panels["(F)"].get_legend() is None
    plt.close(figure)


def test_the_tables_print_tau_alpha_as_a_symbol():
    validation = _validation([1.0] * 4, drift_per_step=0.0)
    rows = [{**row, "measure": "tau_alpha"} if row["measure"] == "D of A" else row
            for row in check_rows(validation)]
    assert "τ_α" in {row["OGN / MD"] for row in ratio_table(rows)}


def test_a_data_set_s_figures_are_glued_under_the_names_the_page_cites(notebook_outputs,
                                                                        monkeypatch):
    def angles(validation):
        fig, ax = plt.subplots()
        ax.set_xlabel("angle")
        return fig

    monkeypatch.setattr(validation_page, "angle_figure", angles)
    open_before = plt.get_fignums()
    glue_validation_figure(_drawable("lj-glass"))
    glue_validation_figure(_drawable("silica"), angles=True)
    assert list(notebook_outputs.glued) == ["val_fig_lj_glass", "val_fig_silica_angles"]
    assert plt.get_fignums() == open_before, "a glued figure is closed, not drawn again below its cell"


def test_a_data_set_s_check_tables_show_the_ratios_then_the_energy(notebook_outputs):
    validation = _validation([0.95, 1.12, 0.9, 1.08], drift_per_step=0.0)
    rows = check_rows(validation)
    show_check_tables(validation, rows)
    assert [table.data for table in notebook_outputs.shown] == [
        markdown_table(ratio_table(rows)), markdown_table(energy_table(validation, rows))]


def test_closing_texts_follow_the_verdicts():
    validation = _validation([1.3, 1.32, 1.28, 1.31], drift_per_step=-1e-4)
    texts = closing_texts({"lj": validation}, {"lj": check_rows(validation)})
    assert "conserved by both measures (all of the interval within 5% of the kinetic " \
           "energy) for: none of the data sets" in texts["energy"]
    assert f"conserved for: {shown_title('lj')}" in texts["energy"]
    assert "Of the 3 ratios of the raw rollouts over the 1 data sets" in texts["structure"]
    assert "2 are reproduced, 0 partly and 1 not reproduced" in texts["structure"]
    assert "holds for 2 of these 3 measures, not for all" in texts["structure"]
    assert "energy" not in texts["structure"].split("partly:")[1] and texts["glass"] == ""


def test_energy_model_rows_name_the_fit_and_the_stopped_rollouts():
    validation = _validation([1.0] * 4, drift_per_step=0.0)
    fit = SimpleNamespace(test_rmse=0.0123, test_energy_std=0.1, n_test_frames=80)
    (row,) = energy_model_rows({"lj": replace(validation, energy_fit=fit)})
    assert row["energy model RMSE per atom"] == "0.0123 ε" and row["held-out frames"] == 80
    assert row["rollouts stopped early"] == "none"


def test_the_page_says_how_long_the_shipped_energy_models_took_to_fit():
    text = shipped_fit_minutes("quick", ["lj", "silica", "si", "cuzr", "lj-glass"])
    low, high = (float(x) for x in text.removesuffix(" CPU-minutes each").split(" to "))
    assert 0 < low < high
    assert shipped_fit_minutes("paper", ["lj"]) == ("none is shipped for the paper profile: "
                                                    "they are fitted here")
