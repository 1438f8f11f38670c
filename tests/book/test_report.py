"""Paper-vs-run tables are saved as JSON and rendered as Markdown."""

import json

import pytest

from ogn_lib.book.report import Comparison, paper_vs_run, summary_table


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


def test_summary_lists_every_section_run_in_the_profile_and_the_missing_ones(tmp_path):
    paper_vs_run("S02", [Comparison("cage length (LJ)", 0.19, 0.4, "sigma")], "quick",
                 folder=tmp_path)
    paper_vs_run("S11", [Comparison("T_f", 0.47, 0.62, "epsilon/k_B")], "quick",
                 folder=tmp_path)
    paper_vs_run("S05", [Comparison("ratio", 1.0, 1.0)], "paper", folder=tmp_path)
    lines = summary_table("quick", folder=tmp_path).splitlines()
    assert lines[2] == "| S02 | cage length (LJ) | 0.4 | 0.19 | sigma |  |"
    assert lines[3].startswith("| S11 | T_f | 0.62 | 0.47 |")
    assert lines[4].startswith("| S01, S03, S04, S05, S06, S07, S08, S09, S10 | not run")
