"""ogn reproduce executes notebooks in place, passes only declared parameters, hides the
injected copy, and names the failing cell without touching the notebook."""

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from ogn_lib.book.reproduce import execute


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
    runs = execute_all(paths, {"x": 5}, jobs=2, keep_going=True, report=lines.append)
    assert [run.name for run in runs] == ["S01_a", "S02_b", "S03_c"]
    assert [run.ok for run in runs] == [True, False, True]
    assert len(lines) == 3 and any("FAILED" in line and "S02_b" in line for line in lines)

    stopped = execute_all(paths[1:], {"x": 5}, jobs=1, keep_going=False, report=lines.append)
    assert [run.name for run in stopped] == ["S02_b"]


def test_jobs_below_one_is_refused(tmp_path):
    import pytest

    from ogn_lib.book.reproduce import execute_all

    with pytest.raises(ValueError, match="jobs must be at least 1"):
        execute_all([], {}, jobs=0)
