"""The closing table of every section: what the paper states next to what this run found.

Each notebook ends with :func:`paper_vs_run`, which returns the table as Markdown and
saves the same numbers to ``results/SXX.json`` (value, paper value, units, profile), so
the book's summary and the regression tests read one source.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ogn_lib.files import write_json_atomic
from ogn_lib.paths import results_root


@dataclass(frozen=True)
class Comparison:
    """One number of a section: this run's value beside the paper's."""

    quantity: str
    value: float
    paper: float | str | None
    units: str = ""
    note: str = ""


def _format(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return str(value)
    return f"{value:.3g}"


def paper_vs_run(section: str, comparisons: list[Comparison], profile: str,
                 folder: Path | None = None) -> str:
    """Save ``results/<section>.json`` and return the Markdown table of ``comparisons``."""
    if not comparisons:
        raise ValueError(f"{section}: no numbers to compare")
    folder = folder or results_root()
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(folder / f"{section}.json", {
        "section": section, "profile": profile,
        "rows": [asdict(c) for c in comparisons]})
    lines = ["| quantity | paper | this run | units | note |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {c.quantity} | {_format(c.paper)} | {_format(c.value)} | {c.units} | "
              f"{c.note} |" for c in comparisons]
    return "\n".join(lines)


def summary_table(profile: str, folder: Path | None = None) -> str:
    """All sections' saved numbers of ``profile`` as one Markdown table (section order);
    the book's introduction shows it. Sections not yet run are listed as missing."""
    folder = folder or results_root()
    lines = ["| section | quantity | paper | this run | units | note |",
             "| --- | --- | --- | --- | --- | --- |"]
    missing = []
    for number in range(1, 12):
        section = f"S{number:02d}"
        path = folder / f"{section}.json"
        saved = json.loads(path.read_text()) if path.exists() else None
        if saved is None or saved.get("profile") != profile:
            missing.append(section)
            continue
        lines += [f"| {section} | {row['quantity']} | {_format(row['paper'])} | "
                  f"{_format(row['value'])} | {row['units']} | {row['note']} |"
                  for row in saved["rows"]]
    if missing:
        lines.append(f"| {', '.join(missing)} | not run in the {profile} profile yet "
                     "| | | | |")
    return "\n".join(lines)
