"""The closing table of every section: what the paper states next to what this run found.

Each notebook ends with :func:`paper_vs_run`, which returns the table as Markdown and
saves the same numbers to ``results/SXX.json`` (value, paper value, units, profile), so
the book's summary and the regression tests read one source.
"""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from ogn_lib.trajectory import write_json_atomic


def results_root() -> Path:
    """``$OGN_RESULTS_DIR`` if set, else the repository's ``results/`` folder."""
    return Path(os.environ.get("OGN_RESULTS_DIR",
                               Path(__file__).resolve().parents[1] / "results"))


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
