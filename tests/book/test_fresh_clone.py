"""The fresh-clone timing runs the job's Makefile targets in order and reports each phase
and the pages that this job executed, not those of older runs in the record."""

import subprocess

import pytest

from ogn_lib.book.fresh_clone import PHASES, clone, time_job
from ogn_lib.book.run_record import record_path, record_run
from ogn_lib.files import write_json_atomic


def test_the_book_job_times_each_target_and_keeps_only_its_own_pages(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    write_json_atomic(record_path(results), {"pages": {"S01_old": {
        "seconds": 9.0, "finished": "2020-01-01 00:00 UTC"}}})
    targets = []

    def fake_make(folder, target, jobs, log):
        targets.append((target, jobs))
        if target == "book":
            record_run("S02_cage_effect", 12.5, True, "quick", results)

    report = time_job(tmp_path, "book", jobs=2, run=fake_make)
    assert targets == [("venv", 2), ("data", 2), ("book", 2)]
    assert [phase["phase"] for phase in report["phases"]] == [p for p, _ in PHASES["book"]]
    assert report["page_seconds"] == {"S02_cage_effect": 12.5}
    assert report["total_seconds"] == pytest.approx(sum(p["seconds"] for p in report["phases"]))
    assert report["target_minutes"] == 20.0 and report["job"] == "make book"


def test_an_unknown_job_and_an_existing_clone_folder_are_refused(tmp_path):
    with pytest.raises(ValueError, match="choose one of book, test"):
        time_job(tmp_path, "docs")
    with pytest.raises(FileExistsError, match="name a new folder"):
        clone(tmp_path)


def test_a_fresh_clone_is_the_sources_head(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for command in (["init", "-q"], ["-c", "user.name=t", "-c", "user.email=t@t", "commit",
                                     "-q", "--allow-empty", "-m", "one"]):
        subprocess.run(["git", *command], cwd=source, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=source, check=True,
                          capture_output=True, text=True).stdout.strip()
    assert clone(tmp_path / "fresh", source) == head


def test_the_run_record_page_rows_give_minutes_against_the_target():
    from ogn_lib.book.run_record import fresh_clone_page_rows, fresh_clone_rows

    reports = {"book": {"job": "make book", "phases": [
        {"phase": "environment", "seconds": 120.0}, {"phase": "data", "seconds": 540.0}],
        "total_seconds": 660.0, "target_minutes": 20.0, "commit": "abcdef123",
        "finished": "2026-12-07 16:00 UTC", "load_average_start": 0.1,
        "load_average_end": 1.9, "page_seconds": {"S02_cage_effect": 20.5, "intro": 3.0}}}
    row, = fresh_clone_rows(reports)
    assert row["phases (min)"] == "environment 2.0; data 9.0"
    assert row["total / target (min)"] == "11.0 / 20"
    assert row["commit, finished"] == "`abcdef1`, 2026-12-07 16:00 UTC"
    assert row["load at start / end"] == "0.1 / 1.9"
    test = {**reports["book"], "job": "make test",
            "phases": [{"phase": "environment", "seconds": 60.0},
                       {"phase": "tests", "seconds": 600.0}]}
    book, tests = fresh_clone_rows({**reports, "test": test})
    assert list(book) == list(tests) and tests["phases (min)"] == "environment 1.0; tests 10.0"
    pages = fresh_clone_page_rows(reports, order=["intro", "S02_cage_effect"])
    assert [page["page"] for page in pages] == ["intro", "S02_cage_effect"]
