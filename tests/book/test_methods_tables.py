"""The methods page's tables are read from the definitions the runs use; the sections'
tables from their sweeps."""

import numpy as np

from ogn_lib.analysis.sweeps import AccuracySweep
from ogn_lib.book.methods_tables import (
    LAYERS,
    dataset_rows,
    layer_rows,
    model_rows,
    system_rows,
    training_rows,
)
from ogn_lib.book.tables import markdown_table, quantity_table, sweep_rows
from ogn_lib.data.catalogue import catalogue
from ogn_lib.learn.presets import PAIR_ONCE, PRESETS, PROFILE_TRAINING
from ogn_lib.md.systems import SYSTEMS


def test_model_and_training_tables_fit_in_seven_columns_and_name_every_setting():
    assert max(len(row) for row in model_rows() + training_rows()) <= 7
    fast_quick = next(row for row in model_rows() if row["OGN"] == "fast-OGN"
                      and row["profile"] == "quick")
    assert fast_quick["k (LJ / others)"] == "5 / 10"
    assert fast_quick["channels (vector / tensor)"] == "8 / 8 for si, else 0"
    assert all(system in fast_quick["pairs"] for system in PAIR_ONCE)
    assert {row["pairs"] for row in model_rows() if row["OGN"] == "reference-OGN"} == {
        "each direction"}


def test_every_system_preset_and_profile_has_a_row():
    assert [row["system"] for row in system_rows()] == list(SYSTEMS)
    assert {row["OGN"] for row in model_rows()} == {f"{p}-OGN" for p in PRESETS}
    assert [(row["profile"], row["OGN"]) for row in training_rows()] == [
        (profile, f"{preset}-OGN") for profile, preset in PROFILE_TRAINING]


def test_dataset_rows_count_every_trajectory_of_the_catalogue():
    rows = dataset_rows("quick")
    assert sum(row["trajectories"] for row in rows) == len(catalogue("quick"))
    lj_train = next(r for r in rows if (r["system"], r["role"]) == ("lj", "train"))
    assert lj_train["atoms"] == 265


def test_markdown_table_has_a_header_and_one_line_per_row():
    table = markdown_table([{"a": 1, "b": 0.123456}, {"a": 2, "b": None}])
    assert table.splitlines() == ["| a | b |", "| --- | --- |", "| 1 | 0.123 |", "| 2 | – |"]


def test_layer_rows_list_every_subpackage_in_pipeline_order_with_its_modules():
    rows = layer_rows()
    assert [row["layer: modules"].split(":")[0] for row in rows] == [
        f"`ogn_lib.{name}`" for name in LAYERS]
    assert "presets" in rows[2]["layer: modules"] and "lammps" in rows[0]["layer: modules"]
    assert all(row["what it is"].endswith(".") for row in rows)


def test_a_quantity_table_keeps_one_quantity_and_the_ogns_skill_over_no_motion():
    rows = [{"MD steps": 100, "OGN position RMSE": 0.1, "no motion position RMSE": 0.5,
             "OGN velocity RMSE": 3.6, "no motion velocity RMSE": 4.0},
            {"MD steps": 200, "OGN position RMSE": None, "no motion position RMSE": 0.7,
             "OGN velocity RMSE": None, "no motion velocity RMSE": 4.0}]
    velocity = quantity_table(rows, "velocity")
    assert list(velocity[0]) == ["MD steps", "OGN RMSE", "no motion RMSE", "OGN / no motion"]
    assert velocity[0]["OGN / no motion"] == 0.9 and velocity[1]["OGN / no motion"] is None
    assert quantity_table(rows, "position")[0]["OGN / no motion"] == 0.2


def test_sweep_rows_give_every_method_and_the_skill_per_value():
    errors = {"OGN": np.array([0.2, 0.4]), "no motion": np.array([0.4, 0.8]),
              "constant velocity": np.array([0.8, 1.6]), "MD k×dt": np.array([np.nan, 0.1]),
              "chaos floor": np.array([1e-6, 1e-6])}
    sweep = AccuracySweep("n_atoms", np.array([265.0, 1000.0]), 100, errors, errors,
                          np.array([3.0, 3.0]), np.array([1, 1]), {})
    rows = sweep_rows(sweep, "position", "N", values=[265, 1000])
    assert list(rows[1]) == ["N", "OGN RMSE", "no motion RMSE", "constant velocity RMSE",
                             "MD k×dt RMSE", "chaos floor RMSE", "OGN / no motion"]
    assert rows[1]["N"] == 1000 and rows[1]["OGN / no motion"] == 0.5
    assert "| 265 | 0.2 | 0.4 | 0.8 | – |" in markdown_table(rows)


def test_the_ablation_table_has_seven_columns_and_says_what_was_not_measured(tmp_path):
    import json

    from ogn_lib.book.methods_tables import ablation_rows

    rows = [{"variant": "old", "test_loss": [0.5, 0.1], "training": {"batches_per_epoch": 50,
             "batch_size": 4}, "training_minutes": 2.0},
            {"variant": "new", "test_loss": [0.01], "training": {"batches_per_epoch": 100,
             "batch_size": 8}, "training_cpu_minutes": 3.5, "md_steps": [25, 100],
             "rmse_ogn": [0.01, float("nan")], "rmse_no_motion": [0.2, 0.5],
             "temperature_ratio_all_rollouts": 0.99, "energy_drift_over_mean_kinetic": -0.1}]
    (tmp_path / "a.json").write_text(json.dumps(rows))
    old, new = ablation_rows(path=tmp_path / "a.json")
    assert len(old) == 7
    assert old["CPU min"] == "~2 (wall)" and old["RMSE at 100 MD steps (no motion)"] is None
    assert new["batches × configurations"] == "100 × 8"
    assert new["RMSE at 100 MD steps (no motion)"] == "blew up (0.5)"


def test_a_cell_writes_thousands_out_and_keeps_three_significant_digits():
    from ogn_lib.book.tables import cell

    assert [cell(v) for v in (1970.4, 3834.0, 999_999.0, 1.2e6, 0.0123, 2.5e-5, 12.345)] == [
        "1,970", "3,830", "1×10⁶", "1.2×10⁶", "0.0123", "2.5×10⁻⁵", "12.3"]
    assert [cell(v) for v in (None, float("nan"), 7, "lost atoms")] == [
        "–", "–", "7", "lost atoms"]
