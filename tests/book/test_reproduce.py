"""ogn reproduce executes notebooks in place, passes only declared parameters, hides the
injected copy, and names the failing cell without touching the notebook."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from ogn_lib.book.reproduce import Progress, execute
from ogn_lib.book.run_record import read_record


def write_notebook(path, *sources):
    notebook = new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    parameters = new_code_cell("x = 1")
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters] + [new_code_cell(source) for source in sources]
    nbformat.write(notebook, path)


def test_notebook_runs_in_place_with_its_declared_parameters(tmp_path):
    path = tmp_path / "S99_demo.ipynb"
    write_notebook(path, "print(x * 2)")
    run = execute(path, {"x": 21, "profile": "quick"})
    assert run.ok, run.error
    notebook = nbformat.read(path, as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "remove-cell" in injected[0].metadata["tags"]
    assert "profile" not in injected[0].source
    assert notebook.cells[-1].outputs[0]["text"] == "42\n"
    record = notebook.metadata["papermill"]
    assert record["input_path"] == record["output_path"] == "S99_demo.ipynb"


def test_failing_cell_is_named_and_the_notebook_is_left_as_it_was(tmp_path):
    path = tmp_path / "S98_broken.ipynb"
    write_notebook(path, "y = 2", "raise RuntimeError('no data')")
    before = path.read_text()
    run = execute(path, {"x": 3})
    assert not run.ok
    assert "cell 3" in run.error and "RuntimeError: no data" in run.error
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["S98_broken.ipynb"]


def test_parallel_runs_come_back_in_order_and_a_failure_stops_what_has_not_started(tmp_path):
    from ogn_lib.book.reproduce import execute_all

    paths = []
    for name, source in [("S01_a", "print(x)"), ("S02_b", "raise ValueError('bad')"),
                         ("S03_c", "print(x + 1)")]:
        paths.append(tmp_path / f"{name}.ipynb")
        write_notebook(paths[-1], source)
    lines = []
    runs = execute_all(paths, {"x": 5, "profile": "quick"}, jobs=2, keep_going=True,
                       progress=Progress(3, lines.append), record_folder=tmp_path)
    assert [run.name for run in runs] == ["S01_a", "S02_b", "S03_c"]
    assert [run.ok for run in runs] == [True, False, True]
    assert len(lines) == 6 and any("FAILED" in line and "S02_b" in line for line in lines)
    assert sum("started" in line for line in lines) == 3
    assert "(3 of 3 done, 0 left" in lines[-1]
    record = read_record(tmp_path)
    assert set(record["pages"]) == {"S01_a", "S02_b", "S03_c"}
    assert [record["pages"][name]["ok"] for name in ("S01_a", "S02_b", "S03_c")] == [
        True, False, True]
    assert record["pages"]["S01_a"]["profile"] == "quick"

    stopped = execute_all(paths[1:], {"x": 5}, jobs=1, keep_going=False,
                          progress=Progress(2, lines.append))
    assert [run.name for run in stopped] == ["S02_b"]


def test_jobs_below_one_is_refused(tmp_path):
    import pytest

    from ogn_lib.book.reproduce import execute_all

    with pytest.raises(ValueError, match="jobs must be at least 1"):
        execute_all([], {}, jobs=0)


def test_the_run_record_keeps_each_pages_latest_run_and_refuses_a_negative_time(tmp_path):
    import pytest

    from ogn_lib.book.run_record import record_run

    record_run("S01", 10.0, True, "quick", tmp_path)
    record_run("S02", 20.0, True, "quick", tmp_path)
    record = record_run("S01", 12.5, False, "quick", tmp_path)
    assert record == read_record(tmp_path)
    assert {name: entry["seconds"] for name, entry in record["pages"].items()} == {
        "S01": 12.5, "S02": 20.0}
    assert record["pages"]["S01"]["ok"] is False
    assert "torch" in record["pages"]["S01"]["packages"]
    assert record["pages"]["S01"]["machine"]["cpu_count"] >= 1
    with pytest.raises(ValueError, match="at least 0"):
        record_run("S03", float("nan"), True, "quick", tmp_path)
    assert read_record(tmp_path / "nowhere") == {"pages": {}}


def test_run_record_rows_follow_the_book_and_name_pages_from_other_runs():
    from ogn_lib.book.run_record import differing, latest_entry, page_rows

    def entry(seconds, finished, commit, clean=True, machine="a"):
        return {"seconds": seconds, "finished": finished, "commit": commit,
                "tree_clean": clean, "ok": True, "machine": {"cpu": machine},
                "packages": {"torch": "2.13.0"}, "profile": "quick"}

    record = {"pages": {"intro": entry(9.0, "2026-12-07 10:00 UTC", "abc1234"),
                        "S02": entry(30.0, "2026-12-07 09:00 UTC", "abc1234", False),
                        "S01": entry(40.0, "2026-12-06 09:00 UTC", "0ld0000", machine="b")}}
    rows = page_rows(record, order=["S01", "S02", "S03", "intro"])
    assert [row["page"] for row in rows] == ["S01", "S02", "intro"]
    assert [row["commit"] for row in rows] == ["`0ld0000`", "`abc1234`+", "`abc1234`"]
    assert latest_entry(record)["seconds"] == 9.0 and latest_entry({"pages": {}}) is None
    assert differing(record, "commit") == ["S01"]
    assert differing(record, "machine") == ["S01"]


def test_pages_run_longest_first_and_the_summary_pages_last_one_by_one(tmp_path, monkeypatch):
    from ogn_lib.book import reproduce as module
    from ogn_lib.book import run_record
    from ogn_lib.book.reproduce import NotebookRun, reproduce
    from ogn_lib.book.run_record import record_run

    order = []

    def fake_execute(path, parameters):
        order.append(path.stem)
        return NotebookRun(path.stem, 0.5)

    monkeypatch.setenv("OGN_RESULTS_DIR", str(tmp_path))
    for name, seconds in [("S02_cage_effect", 10.0), ("intro", 500.0)]:
        record_run(name, seconds, True, "quick", tmp_path)
    fresh = tmp_path / "fresh_clone_times.json"  # a fresh clone's make book knows the rest
    fresh.write_text('{"book": {"page_seconds": {"speed": 90.0, "S02_cage_effect": 1.0}}}')
    monkeypatch.setattr(run_record, "FRESH_CLONE_TIMES", fresh)
    monkeypatch.setattr(module, "execute", fake_execute)
    runs = reproduce(only=["run_record", "intro", "speed", "S02", "S05"], jobs=1,
                     report=lambda line: None)
    # S05 has no recorded run: first; then the longest; the summary pages last, in order
    assert order == ["S05_system_size", "speed", "S02_cage_effect", "intro", "run_record"]
    assert [run.name for run in runs] == order
    assert set(read_record(tmp_path)["pages"]) == set(order)
