"""The bibliography of the book's references page: every reference of the supplement, each
with its number there, and no count typed by hand."""

import re

from ogn_lib.paths import REPOSITORY_ROOT

BIBLIOGRAPHY = REPOSITORY_ROOT / "references.bib"
PAGE = REPOSITORY_ROOT / "book" / "references.md"


def test_each_supplement_reference_is_there_once_and_none_is_missing():
    numbers = [int(n) for n in re.findall(r"note\s*=\s*\{Supplement reference (\d+)\b",
                                          BIBLIOGRAPHY.read_text())]
    assert sorted(numbers) == list(range(1, max(numbers) + 1))


def test_the_page_does_not_type_how_many_references_there_are():
    words = ("seventeen", "sixteen", "eighteen", "17 references", "16 references")
    text = PAGE.read_text().lower()
    assert not [word for word in words if word in text]
