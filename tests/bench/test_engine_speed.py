"""The engine benchmark times every engine from one liquid and reports one row each."""

from ogn_lib.bench.engine_speed import engine_speed
from ogn_lib.md.engines import ENGINES, engine_label


def test_every_engine_is_timed_on_the_same_liquid_of_each_case():
    lines = []
    report = engine_speed((("lj", 265, 20),), log=lines.append)
    assert [row["engine"] for row in report["rows"]] == list(ENGINES)
    for row in report["rows"]:
        assert (row["system"], row["n_atoms"], row["n_steps"]) == ("lj", 265, 20)
        assert row["label"] == engine_label(row["engine"]) and row["atom_steps_per_s"] > 0
    assert report["threads"] == 1 and "cpu" in report["machine"]
    assert len(lines) == len(ENGINES) and lines[0].startswith("lj         265 ")

