"""Paper-vs-run tables are saved as JSON and rendered as Markdown."""

import json

import pytest

from ogn_lib.report import Comparison, paper_vs_run


def test_table_and_json_hold_the_same_numbers(tmp_path):
    rows = [Comparison("cage length (LJ)", 0.1864, 0.4, "sigma"),
            Comparison("fictive temperature", 0.71, 0.62, "epsilon/k_B", "rate 1e-2")]
    table = paper_vs_run("S99", rows, "quick", folder=tmp_path)
    assert "| cage length (LJ) | 0.4 | 0.186 | sigma |  |" in table
    saved = json.loads((tmp_path / "S99.json").read_text())
    assert saved["profile"] == "quick"
    assert saved["rows"][1] == {"quantity": "fictive temperature", "value": 0.71,
                                "paper": 0.62, "units": "epsilon/k_B", "note": "rate 1e-2"}


def test_empty_table_is_refused(tmp_path):
    with pytest.raises(ValueError, match="S98: no numbers"):
        paper_vs_run("S98", [], "quick", folder=tmp_path)
