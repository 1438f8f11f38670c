"""The closing table of every section: what the paper states next to what this run found,
and the verdict on each row.

Each notebook ends with :func:`paper_vs_run`, which returns the table as Markdown and
saves the same numbers to ``results/SXX.json`` (value, paper value, units, verdict,
profile), so the book's summary and the regression tests read one source. A row's verdict
is decided here, from its value, by the :class:`Claim` that states how the paper's number
is to be met; a row without one (the paper gives no number) is *not comparable*.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ogn_lib.book.tables import cell
from ogn_lib.files import write_json_atomic
from ogn_lib.paths import results_root


VERDICTS = ("reproduced", "partly", "not reproduced", "not comparable")


@dataclass(frozen=True)
class Claim:
    """How this run's value meets the paper's statement.

    ``rule`` is one of :data:`RULES`: ``near`` the target ``bar`` (reproduced within a
    relative ``close`` of it, partly within ``partly``), ``at_most`` or ``at_least`` the bar
    (partly within a relative ``partly`` beyond it), or ``magnitude_at_most`` (the same for
    the value's size, e.g. an energy drift that should be about zero). A value that is not
    a number is not comparable.
    """

    rule: str
    bar: float
    close: float = 0.10
    partly: float = 0.25

    RULES = ("near", "at_most", "at_least", "magnitude_at_most")

    def __post_init__(self):
        if self.rule not in self.RULES:
            raise ValueError(f"claim rule {self.rule!r}: choose one of {', '.join(self.RULES)}")
        if not 0 <= self.close <= self.partly:
            raise ValueError(f"claim tolerances close={self.close}, partly={self.partly}: "
                             "give 0 <= close <= partly")
        if self.rule == "near" and self.bar == 0:
            raise ValueError("a 'near' claim needs a non-zero target; use magnitude_at_most "
                             "for a value that should be about zero")

    def verdict(self, value) -> str:
        """``reproduced``, ``partly``, ``not reproduced`` or ``not comparable``."""
        if value is None or isinstance(value, str) or not math.isfinite(value):
            return "not comparable"
        if self.rule == "near":
            off = abs(value / self.bar - 1.0)
            return ("reproduced" if off <= self.close
                    else "partly" if off <= self.partly else "not reproduced")
        size = abs(value) if self.rule == "magnitude_at_most" else value
        if self.rule == "at_least":
            return ("reproduced" if size >= self.bar
                    else "partly" if size >= self.bar * (1.0 - self.partly)
                    else "not reproduced")
        return ("reproduced" if size <= self.bar
                else "partly" if size <= self.bar * (1.0 + self.partly) else "not reproduced")


@dataclass(frozen=True)
class Comparison:
    """One number of a section: this run's value beside the paper's, and the claim that
    decides its verdict (``None``: the paper gives nothing to meet)."""

    quantity: str
    value: float
    paper: float | str | None
    units: str = ""
    note: str = ""
    claim: Claim | None = None

    @property
    def verdict(self) -> str:
        return "not comparable" if self.claim is None else self.claim.verdict(self.value)


def paper_vs_run(section: str, comparisons: list[Comparison], profile: str,
                 folder: Path | None = None) -> str:
    """Save ``results/<section>.json`` and return the Markdown table of ``comparisons``."""
    if not comparisons:
        raise ValueError(f"{section}: no numbers to compare")
    folder = folder or results_root()
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / f"{section}.json"
    write_json_atomic(saved, {
        "section": section, "profile": profile,
        "rows": [{**asdict(c), "verdict": c.verdict} for c in comparisons]})
    lines = ["| quantity | paper | this run | units | verdict | note |",
             "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {c.quantity} | {cell(c.paper)} | {cell(c.value)} | {c.units} | "
              f"{c.verdict} | {c.note} |" for c in comparisons]
    return "\n".join(lines) + "\n\n" + download_link(
        saved.name, saved.read_bytes(),
        f"Download this table's numbers, verdicts and claims ({saved.name})")


def download_link(name: str, content: bytes, text: str) -> str:
    """An HTML link that downloads ``content`` as the file ``name``: the bytes travel
    inside the link (a data URI), so the executed page carries them and the book build
    needs no copy of any file."""
    media_type = "application/json" if name.endswith(".json") else "text/plain"
    payload = base64.b64encode(content).decode("ascii")
    return (f'<a download="{html.escape(name)}" '
            f'href="data:{media_type};base64,{payload}">{html.escape(text)}</a>')


def _saved_sections(profile: str, folder: Path) -> tuple[dict[str, dict], list[str]]:
    """The saved tables of ``profile`` by section, and the sections not run in it."""
    saved, missing = {}, []
    for number in range(1, 12):
        section = f"S{number:02d}"
        path = folder / f"{section}.json"
        table = json.loads(path.read_text()) if path.exists() else None
        if table is None or table.get("profile") != profile:
            missing.append(section)
        else:
            saved[section] = table
    return saved, missing


def verdict_counts(profile: str, folder: Path | None = None) -> dict[str, int]:
    """How many rows of all sections' saved tables of ``profile`` have each verdict."""
    saved, _ = _saved_sections(profile, folder or results_root())
    verdicts = [row.get("verdict", "not comparable") for table in saved.values()
                for row in table["rows"]]
    return {verdict: verdicts.count(verdict) for verdict in VERDICTS}


def summary_table(profile: str, folder: Path | None = None) -> str:
    """All sections' saved numbers of ``profile`` as one Markdown table (section order)
    with their verdicts; the book's introduction shows it. Sections not yet run are listed
    as missing."""
    saved, missing = _saved_sections(profile, folder or results_root())
    lines = ["| section | quantity | paper | this run | units | verdict |",
             "| --- | --- | --- | --- | --- | --- |"]
    for section, table in saved.items():
        lines += [f"| {section} | {row['quantity']} | {cell(row['paper'])} | "
                  f"{cell(row['value'])} | {row['units']} | "
                  f"{row.get('verdict', 'not comparable')} |" for row in table["rows"]]
    if missing:
        lines.append(f"| {', '.join(missing)} | not run in the {profile} profile yet "
                     "| | | | |")
    return "\n".join(lines)
