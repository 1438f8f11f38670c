"""What a reader sees on the executed pages: no Python reprs, no paths of the machine that
built them, no absurd RMSE, and every number the prose cites glued by the page itself."""

import json
import re
from pathlib import Path

import pytest

from ogn_lib.paths import REPOSITORY_ROOT

PAGES = sorted(page for page in [*(REPOSITORY_ROOT / "notebooks").glob("S*.ipynb"),
                                 *(REPOSITORY_ROOT / "book").glob("*.ipynb")]
               if ".partial" not in page.name)  # a notebook being executed right now
GLUE_REFERENCE = re.compile(r"\{glue(?::[a-z]*)?\}`([^`]+)`|```\{glue:figure\}\s+(\S+)")
REPR = re.compile(r"\bnp\.(?:float|int)\d+\(|\barray\(\[")
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|root|home|tmp)/[\w.-]+")
RMSE_LIMIT = 1e6
NAN_CELL = re.compile(r"[+-]?(?:nan|inf)", re.IGNORECASE)


def _outputs(notebook: dict):
    """(text, glue name or None) of every output a page shows or glues."""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if output.get("output_type") == "stream":
                yield output["text"] if isinstance(output["text"], str) else "".join(
                    output["text"]), None
            for mime, value in output.get("data", {}).items():
                if mime.endswith(("text/plain", "text/markdown", "text/html")):
                    yield (value if isinstance(value, str) else "".join(value)), name


def _markdown_tables(text: str):
    """Each markdown table of ``text`` as (header, rows of cells)."""
    lines = [line.strip() for line in text.splitlines()]
    for index, line in enumerate(lines[:-1]):
        if line.startswith("|") and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[index + 1]):
            header = [cell.strip() for cell in line.strip("|").split("|")]
            rows = []
            for body in lines[index + 2:]:
                if not body.startswith("|"):
                    break
                rows.append([cell.strip() for cell in body.strip("|").split("|")])
            yield header, rows


def _load(page: Path) -> dict:
    return json.loads(page.read_text())


_POWER = re.compile(r"([+-]?[\d.]+)×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_FROM_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def _number(cell: str) -> float:
    """A table cell's number, as ``tables.cell`` writes it (``4.69×10²³`` too)."""
    power = _POWER.fullmatch(cell)
    if power:
        return float(power.group(1)) * 10.0 ** int(power.group(2).translate(_FROM_SUPERSCRIPT))
    return float(cell.replace(",", ""))


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_no_output_shows_a_python_repr_or_a_path_of_the_build_machine(page):
    for text, _ in _outputs(_load(page)):
        assert not REPR.search(text), f"{page.name} shows a Python repr: {text[:200]!r}"
        found = MACHINE_PATH.search(text)
        assert not found, f"{page.name} shows the build machine's path {found.group(0)}"


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_no_rmse_in_a_table_is_absurd(page):
    for text, _ in _outputs(_load(page)):
        for header, rows in _markdown_tables(text):
            columns = [i for i, name in enumerate(header) if "RMSE" in name]
            for row in rows:
                for column in columns:
                    try:
                        value = _number(row[column])
                    except (ValueError, IndexError):
                        continue
                    assert value <= RMSE_LIMIT, (
                        f"{page.name}: {header[column]} = {row[column]} in row {row}")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_no_table_cell_reads_nan(page):
    """A value this run could not measure shows as a dash (``tables.cell``)."""
    for text, _ in _outputs(_load(page)):
        for header, rows in _markdown_tables(text):
            for row in rows:
                assert not any(NAN_CELL.fullmatch(cell) for cell in row), (
                    f"{page.name}: a cell reads nan in row {row} of table {header}")


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_every_glued_name_the_prose_cites_is_glued_by_the_page(page):
    notebook = _load(page)
    glued = {name for _, name in _outputs(notebook) if name}
    cited = {first or second for cell in notebook["cells"] if cell["cell_type"] == "markdown"
             for first, second in GLUE_REFERENCE.findall("".join(cell["source"]))}
    assert cited <= glued, f"{page.name} cites names it never glues: {sorted(cited - glued)}"


def test_the_checks_catch_what_they_look_for():
    shown = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "metadata": {}, "data": {"text/markdown":
         "| MD steps | OGN position RMSE |\n| --- | --- |\n| 20 | 4.69e+23 |"}},
        {"output_type": "stream", "text": "ratio np.float64(1.06) in /work/main/data\n"}]}]}
    texts = [text for text, _ in _outputs(shown)]
    assert REPR.search(texts[1]) and MACHINE_PATH.search(texts[1])
    (header, rows), = _markdown_tables(texts[0])
    assert float(rows[0][header.index("OGN position RMSE")]) > RMSE_LIMIT
    assert _number("4.69×10²³") > RMSE_LIMIT and _number("-6.79×10⁻⁶") == pytest.approx(-6.79e-6)
    assert _number("1,970") == 1970
    assert NAN_CELL.fullmatch("nan") and not NAN_CELL.fullmatch("none (MD failed)")
    assert GLUE_REFERENCE.findall("at {glue:}`a` and {glue:text}`b`\n```{glue:figure} c\n") == [
        ("a", ""), ("b", ""), ("", "c")]


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.stem)
def test_every_code_cell_is_hidden_behind_a_toggle_or_removed(page):
    hidden = {"hide-input", "hide-cell", "remove-input", "remove-cell"}
    shown = [index for index, cell in enumerate(_load(page)["cells"])
             if cell["cell_type"] == "code"
             and not hidden & set(cell["metadata"].get("tags", []))]
    assert not shown, f"{page.name}: code cells {shown} show their code in full"
