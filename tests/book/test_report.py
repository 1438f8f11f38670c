"""Paper-vs-run tables are saved as JSON and rendered as Markdown, each row with the
verdict its claim decides."""

import base64
import json
import re

import pytest

from ogn_lib.book.report import (
    Claim,
    Comparison,
    paper_vs_run,
    summary_table,
    verdict_counts,
)


def test_table_and_json_hold_the_same_numbers_and_verdicts(tmp_path):
    rows = [Comparison("cage length (LJ)", 0.1864, 0.4, "sigma",
                       claim=Claim("near", 0.4)),
            Comparison("fictive temperature", 0.71, 0.62, "epsilon/k_B", "rate 1e-2")]
    table = paper_vs_run("S99", rows, "quick", folder=tmp_path)
    assert "| cage length (LJ) | 0.4 | 0.186 | sigma | not reproduced |  |" in table
    assert "| fictive temperature | 0.62 | 0.71 | epsilon/k_B | not comparable | rate 1e-2 |" in table
    saved = json.loads((tmp_path / "S99.json").read_text())
    assert saved["profile"] == "quick"
    assert saved["rows"][1] == {"quantity": "fictive temperature", "value": 0.71,
                                "paper": 0.62, "units": "epsilon/k_B", "note": "rate 1e-2",
                                "claim": None, "verdict": "not comparable"}
    assert saved["rows"][0]["claim"]["rule"] == "near"


@pytest.mark.parametrize("claim, value, expected", [
    (Claim("near", 2.0), 2.1, "reproduced"),
    (Claim("near", 2.0), 2.4, "partly"),
    (Claim("near", 2.0), 1.2, "not reproduced"),
    (Claim("at_most", 0.1), 0.09, "reproduced"),
    (Claim("at_most", 0.1), 0.12, "partly"),
    (Claim("at_most", 0.1), 0.2, "not reproduced"),
    (Claim("at_least", 1.0), 1.5, "reproduced"),
    (Claim("at_least", 1.0), 0.8, "partly"),
    (Claim("at_least", 1.0), 0.5, "not reproduced"),
    (Claim("magnitude_at_most", 0.025, partly=2.0), -0.02, "reproduced"),
    (Claim("magnitude_at_most", 0.025, partly=2.0), -0.066, "partly"),
    (Claim("magnitude_at_most", 0.025, partly=2.0), 0.335, "not reproduced"),
    (Claim("near", 100.0), float("nan"), "not comparable"),
    (Claim("at_most", 1.0), None, "not comparable"),
])
def test_a_claim_decides_the_verdict_from_the_value(claim, value, expected):
    assert claim.verdict(value) == expected


def test_a_claim_that_cannot_decide_is_refused():
    with pytest.raises(ValueError, match="choose one of near"):
        Claim("roughly", 1.0)
    with pytest.raises(ValueError, match="close <= partly"):
        Claim("near", 1.0, close=0.5, partly=0.1)
    with pytest.raises(ValueError, match="non-zero target"):
        Claim("near", 0.0)


def test_the_table_ends_with_a_link_that_downloads_its_saved_numbers(tmp_path):
    table = paper_vs_run("S99", [Comparison("x", 1.0, 1.0, claim=Claim("near", 1.0))],
                         "quick", folder=tmp_path)
    link = table.splitlines()[-1]
    payload = re.fullmatch(r'<a download="S99.json" href="data:application/json;base64,'
                           r'([A-Za-z0-9+/=]+)">Download .*\(S99.json\)</a>', link).group(1)
    assert base64.b64decode(payload) == (tmp_path / "S99.json").read_bytes()


def test_a_value_this_run_could_not_measure_shows_a_dash_not_nan(tmp_path):
    rows = [Comparison("tau_alpha ratio", float("nan"), None, claim=Claim("near", 1.0))]
    table = paper_vs_run("S99", rows, "quick", folder=tmp_path)
    assert "| tau_alpha ratio | – | – |  | not comparable |  |" in table
    assert "nan" not in table


def test_empty_table_is_refused(tmp_path):
    with pytest.raises(ValueError, match="S98: no numbers"):
        paper_vs_run("S98", [], "quick", folder=tmp_path)


def test_summary_lists_every_section_run_in_the_profile_and_the_missing_ones(tmp_path):
    paper_vs_run("S02", [Comparison("cage length (LJ)", 0.19, 0.4, "sigma",
                                    claim=Claim("near", 0.4))], "quick", folder=tmp_path)
    paper_vs_run("S11", [Comparison("T_f", 0.47, 0.62, "epsilon/k_B")], "quick",
                 folder=tmp_path)
    paper_vs_run("S05", [Comparison("ratio", 1.0, 1.0)], "paper", folder=tmp_path)
    lines = summary_table("quick", folder=tmp_path).splitlines()
    assert lines[2] == "| S02 | cage length (LJ) | 0.4 | 0.19 | sigma | not reproduced |"
    assert lines[3].startswith("| S11 | T_f | 0.62 | 0.47 |")
    assert lines[4].startswith("| S01, S03, S04, S05, S06, S07, S08, S09, S10 | not run")
    assert verdict_counts("quick", folder=tmp_path) == {
        "reproduced": 0, "partly": 0, "not reproduced": 1, "not comparable": 1}
