"""Each section's claims are judged by the engine, saved as JSON with their intervals and
rendered as Markdown; the summary lists every claim of the registry."""

import base64
import json
import math
import re

import pytest

from ogn_lib.analysis.claims import CLAIMS, section_claims
from ogn_lib.analysis.verdicts import Measurement
from ogn_lib.book.report import (
    Extra,
    paper_vs_run,
    reason_counts,
    substitute_readings,
    summary_table,
    verdict_counts,
    verdict_sentence,
)

CAGE = Measurement(0.186, 0.17, 0.20, 4, "95% t-interval over 4 groups of atoms")


def test_table_and_json_hold_the_same_claim_value_interval_and_verdict(tmp_path):
    table = paper_vs_run("S02", {"S02.cage-length.lj": CAGE}, "quick", folder=tmp_path)
    assert ("| cage length, KA-LJ | 0.4 σ | 0.186 [0.17, 0.2] σ | 4 | *not reproduced* | "
            "none of the interval is within 25% of 0.4 σ |") in table
    saved = json.loads((tmp_path / "S02.json").read_text())
    row = saved["rows"][0]
    assert saved["profile"] == "quick" and saved["section"] == "S02"
    assert (row["claim"], row["value"], row["low"], row["high"], row["n"]) == (
        "S02.cage-length.lj", 0.186, 0.17, 0.20, 4)
    assert row["verdict"] == "not reproduced" and row["category"] == ""
    assert row["interval"] == CAGE.how


def test_every_claim_of_the_section_gets_a_row_those_not_measured_say_so(tmp_path):
    paper_vs_run("S02", {"S02.cage-length.lj": CAGE}, "quick", folder=tmp_path)
    rows = json.loads((tmp_path / "S02.json").read_text())["rows"]
    assert [row["claim"] for row in rows] == [c.id for c in section_claims("S02")]
    assert all(row["verdict"] == "not tested here" and row["category"] == "not measured"
               for row in rows[1:])


def test_extras_are_a_table_of_their_own_outside_the_verdicts(tmp_path):
    table = paper_vs_run("S02", {"S02.cage-length.lj": CAGE}, "quick",
                         [Extra("cage length by the slope rule, KA-LJ", 0.379, "σ", "d ln D")],
                         folder=tmp_path)
    assert "**This run's own measurements**" in table
    assert "| cage length by the slope rule, KA-LJ | 0.379 | σ | d ln D |" in table
    assert json.loads((tmp_path / "S02.json").read_text())["extras"][0]["value"] == 0.379
    assert verdict_counts("quick", tmp_path)["not reproduced"] == 1


def test_a_claim_of_another_section_or_none_at_all_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not claims of this section"):
        paper_vs_run("S02", {"S11.fictive-temperature": CAGE}, "quick", folder=tmp_path)
    with pytest.raises(ValueError, match="S02: no claims measured"):
        paper_vs_run("S02", {}, "quick", folder=tmp_path)


def test_the_table_ends_with_a_link_that_downloads_its_saved_rows(tmp_path):
    table = paper_vs_run("S02", {"S02.cage-length.lj": CAGE}, "quick", folder=tmp_path)
    link = table.splitlines()[-1]
    payload = re.fullmatch(r'<a download="S02.json" href="data:application/json;base64,'
                           r'([A-Za-z0-9+/=]+)">Download .*\(S02.json\)</a>', link).group(1)
    assert base64.b64decode(payload) == (tmp_path / "S02.json").read_bytes()


def test_a_value_this_run_could_not_measure_shows_a_dash_not_nan(tmp_path):
    table = paper_vs_run("S02", {"S02.cage-length.lj": Measurement.failed("no MSD run")},
                         "quick", folder=tmp_path)
    assert "nan" not in table
    assert "| cage length, KA-LJ | 0.4 σ | – | – | *not tested here* |" in table


def test_the_summary_lists_every_claim_of_the_registry_with_a_link_to_its_page(tmp_path):
    paper_vs_run("S02", {"S02.cage-length.lj": CAGE}, "quick", folder=tmp_path)
    paper_vs_run("S11", {"S11.fictive-temperature": Measurement(0.43, 0.41, 0.45, 4, "fit")},
                 "paper", folder=tmp_path)
    lines = summary_table("quick", folder=tmp_path).splitlines()
    assert len(lines) == 2 + len(CLAIMS)
    cage = next(line for line in lines if "| cage length, KA-LJ |" in line)
    assert cage.startswith("| [S02](../notebooks/S02_cage_effect.ipynb) |")
    assert "*not reproduced*" in cage
    # S11 was run in another profile: not measured in this one.
    assert "*not tested here*" in next(line for line in lines if "fictive temperature" in line)
    counts = verdict_counts("quick", folder=tmp_path)
    assert sum(counts.values()) == len(CLAIMS) and counts["not reproduced"] == 1
    assert reason_counts("quick", folder=tmp_path)["not measured"] == len(CLAIMS) - 1 - sum(
        CLAIMS[c].rule is None for c in CLAIMS)


def test_a_sentence_for_the_prose_carries_the_verdict_and_its_reason():
    sentence = verdict_sentence("S02.cage-length.lj", CAGE)
    assert sentence == ("cage length, KA-LJ: 0.186 [0.17, 0.2] σ (n = 4) against the paper's "
                        "0.4 σ, *not reproduced*: none of the interval is within 25% of 0.4 σ.")
    failed = verdict_sentence("S02.cage-length.lj", Measurement.failed("no MSD run"))
    assert "*not tested here*" in failed and "no MSD run" in failed
    assert not math.isnan(CAGE.value)


def test_the_headline_counts_the_verdicts_of_the_page():
    from ogn_lib.analysis.verdicts import Measurement
    from ogn_lib.book.report import verdict_headline

    cage = "S01.position-over-cage.cuzr"
    measured = {cage: Measurement(0.05, 0.04, 0.06, 4, "x", model="fast"),
                "S01.position-over-cage.lj": Measurement(0.25, 0.24, 0.26, 4, "x", model="fast"),
                "S01.position-over-cage.si": Measurement(0.10, 0.09, 0.11, 4, "x", model="fast")}
    line = verdict_headline(measured)
    assert "of the paper's 3 claims on this page, 1 reproduced, 1 partly, 1 not reproduced" in line
    assert "1 claim on" in verdict_headline({cage: measured[cage]})


def test_curve_source_says_whether_the_curves_are_recorded_and_why_not():
    from ogn_lib.book.report import curve_source
    from ogn_lib.learn.presets import LAYER_CURVE_TRAINING, RECORDED_CURVE_TRAINING

    short, long = LAYER_CURVE_TRAINING["quick"], RECORDED_CURVE_TRAINING["quick"]
    recorded = curve_source(True, short, long)
    assert recorded.startswith("These are the recorded curves") and "1,500 batches" in recorded
    missing = curve_source(False, short, long)
    assert "in front of the reader, 5 epochs of 12 batches of 4 (60 batches)" in missing
    assert "no complete recording" in missing and "--retrain" not in missing
    assert "because `--retrain` asked for them" in curve_source(False, short, long, retrain=True)
    assert curve_source(False, short, None) == ("These curves are trained in front of the "
                                                "reader, 5 epochs of 12 batches of 4 (60 "
                                                "batches).")


def test_a_substitute_s_values_are_read_against_the_rules_as_the_substitute_s_alone():
    flat = Measurement(1.07, 0.996, 1.08, 4, "95% t-interval over 4 starts", model="fast")
    wide = Measurement(1.07, 0.99, 1.2, 4, "95% t-interval over 4 starts", model="fast")
    assert substitute_readings({"S05.position-flat": flat, "S05.velocity-flat": wide}) == (
        "Read with the paper's own rules, the Fast-OGN that stands in for the paper's "
        "Reference-OGN would give position RMSE N = 10000 / N = 265: *reproduced*, all of the "
        "interval is within 10% of 1; velocity RMSE N = 10000 / N = 265: *partly*, the "
        "interval straddles the bound (within 10% of 1).")
    rescaled = Measurement(1.07, 0.996, 1.08, 4, "x", model="fast", correction="rescaling")
    assert "*not tested here*, measured with a correction the paper does not use" in (
        substitute_readings({"S05.position-flat": rescaled}))


def test_no_substitute_reading_where_the_paper_s_model_was_measured():
    own = Measurement(1.07, 0.996, 1.08, 4, "95% t-interval over 4 starts", model="reference")
    failed = Measurement.failed("one start gives no interval", model="fast")
    assert substitute_readings({"S05.position-flat": own, "S05.velocity-flat": failed}) == ""
    assert substitute_readings({"S02.cage-length.lj": CAGE}) == ""


def test_a_count_of_one_takes_the_singular():
    from ogn_lib.analysis.verdicts import Measurement
    from ogn_lib.book.report import counted, run_cell

    assert counted(1, "layers") == "layer" and counted(1, "MD steps") == "MD step"
    assert counted(2, "layers") == "layers" and counted(1, "σ") == "σ"
    assert run_cell(Measurement(1.0, 1.0, 1.0, 6, "rule"), "layers") == "1 layer"
