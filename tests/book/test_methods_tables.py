"""The methods page's tables are read from the definitions the runs use."""

from ogn_lib.book.methods_tables import (
    LAYERS,
    dataset_rows,
    layer_rows,
    model_rows,
    system_rows,
    training_rows,
)
from ogn_lib.book.tables import markdown_table
from ogn_lib.data.catalogue import catalogue
from ogn_lib.learn.presets import PRESETS, PROFILE_TRAINING
from ogn_lib.md.systems import SYSTEMS


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
    assert [row["layer"] for row in rows] == [f"`ogn_lib.{name}`" for name in LAYERS]
    assert "presets" in rows[2]["modules"] and "lammps" in rows[0]["modules"]
    assert all(row["what it is"].endswith(".") for row in rows)
