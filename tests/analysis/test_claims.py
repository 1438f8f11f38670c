"""The registry holds each paper claim once, with a rule wherever the paper gives a
number, and the notebooks type none of the paper's numbers."""

import ast
import json

import pytest

from ogn_lib.analysis.claims import CLAIMS, SECTIONS, Rule, claim, paper_numbers
from ogn_lib.paths import REPOSITORY_ROOT

NOTEBOOKS = sorted(path for path in (REPOSITORY_ROOT / "notebooks").glob("S*.ipynb")
                   if ".partial" not in path.name)  # a notebook being executed right now
COMMON = {0.0, 1.0, 2.0}
"""Numbers too common in code to be read as the paper's (an index, a factor of two); the
registry still holds them where the paper states them."""


def test_every_section_of_the_supplement_has_claims():
    assert SECTIONS == (*[f"S{n:02d}" for n in range(1, 12)], "abstract")


def test_claim_ids_are_unique_and_prefixed_by_their_section():
    for claim_id, entry in CLAIMS.items():
        assert claim_id == entry.id and claim_id.startswith(entry.section + ".")


def test_a_claim_with_a_number_has_a_rule_and_says_why_its_tolerance():
    for entry in CLAIMS.values():
        if entry.paper is None:
            assert entry.rule is None
        else:
            assert entry.rule is not None and entry.rule.why, entry.id


def test_an_unknown_claim_names_the_known_ones():
    with pytest.raises(KeyError, match="S02.cage-length.lj"):
        claim("S02.cage")


def test_a_rule_refuses_what_it_cannot_decide():
    with pytest.raises(ValueError, match="choose one of near"):
        Rule("roughly", 1.0)
    with pytest.raises(ValueError, match="non-zero target"):
        Rule("near", 0.0)


def literals(source: str) -> list[float]:
    """Every number literal of some Python source (IPython magics removed)."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    return [float(node.value) for node in ast.walk(ast.parse(code))
            if isinstance(node, ast.Constant) and type(node.value) in (int, float)]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_no_notebook_types_a_number_the_registry_holds_as_the_papers(notebook):
    numbers = paper_numbers() - COMMON
    cells = json.loads(notebook.read_text())["cells"]
    typed = sorted({value for cell in cells if cell["cell_type"] == "code"
                    and "injected-parameters" not in cell["metadata"].get("tags", [])
                    for value in literals("".join(cell["source"])) if value in numbers})
    assert typed == [], f"{notebook.name} types the paper's {typed}; read them from " \
                        "ogn_lib.analysis.claims"


def test_the_notebook_check_catches_a_typed_paper_number():
    assert 0.62 in literals("axis.axvline(0.62, ls=':')")
    assert 0.62 in paper_numbers()
