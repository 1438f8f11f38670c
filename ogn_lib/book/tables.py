"""Markdown tables for the book's pages, so that every number in them comes from code."""

from __future__ import annotations

import math
import re
from pathlib import Path

from ogn_lib.analysis.accuracy import METHODS
from ogn_lib.analysis.sweeps import AccuracySweep
from ogn_lib.files import write_json_atomic, write_text_atomic


def cell(value) -> str:
    """A table cell: floats with 3 significant digits, from 1,000 to 999,999 written out
    with thousands separators (1,970, not 1.97e+03); ``None`` and a float that is not a
    number (a quantity this run could not measure) as a dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if not isinstance(value, float):
        return str(value)
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.0f}" if 1e3 <= abs(rounded) < 1e6 else f"{value:.3g}"


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, digits: int = 1) -> str:
    """``3×10⁻⁶``: a value far from 1 as a page prints it, ``digits`` significant."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


UNIT_SYMBOLS = {"sigma": "σ", "epsilon": "ε", "tau": "τ", "Angstrom": "Å",
                "epsilon/k_B": "ε/k_B"}
"""How a page prints the unit names of :mod:`ogn_lib.md.systems`."""


_UNIT_NAMES = re.compile(r"epsilon/k_B|\b(?:sigma|epsilon|tau|Angstrom)\b")


def unit_symbol(unit: str) -> str:
    """A unit as a page prints it: ``sigma`` as σ, ``Angstrom/ps`` as Å/ps, others as
    named."""
    return _UNIT_NAMES.sub(lambda match: UNIT_SYMBOLS[match.group(0)], unit)


def markdown_table(rows: list[dict]) -> str:
    """A Markdown table of ``rows`` (dicts with the same keys, in column order)."""
    if not rows:
        return ""
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def quantity_table(rows: list[dict], quantity: str, skill_against: str = "no motion"
                   ) -> list[dict]:
    """The ``quantity`` (``position``/``velocity``) columns of
    :func:`ogn_lib.analysis.accuracy.accuracy_table` rows (``<method> RMSE``), with the
    OGN's error over that of ``skill_against`` (below 1: the OGN knows more than that
    guess; near 1: little more). Half the columns, so that each table fits the page."""
    suffix = f" {quantity} RMSE"
    table = []
    for row in rows:
        kept = {"MD steps": row["MD steps"],
                **{key.removesuffix(suffix) + " RMSE": value for key, value in row.items()
                   if key.endswith(suffix)}}
        ogn, guess = kept.get("OGN RMSE"), kept.get(f"{skill_against} RMSE")
        kept[f"OGN / {skill_against}"] = ogn / guess if ogn is not None and guess else None
        table.append(kept)
    return table


def sweep_rows(sweep: AccuracySweep, quantity: str, label: str, values=None) -> list[dict]:
    """One row per swept value (``values``, default ``sweep.values``, under the column
    ``label``): every method's ``quantity`` RMSE after ``sweep.md_steps`` MD steps and the
    OGN's over no motion's."""
    values = sweep.values if values is None else values
    errors = {method: sweep.errors(method, quantity) for method in METHODS}
    skill = sweep.relative_to("no motion", "OGN", quantity)
    return [{label: value, **{f"{method} RMSE": float(errors[method][i]) for method in METHODS},
             "OGN / no motion": float(skill[i])} for i, value in enumerate(values)]


def save_accuracy_tables(tables: dict, notes: dict, stem: Path, description: str) -> None:
    """Write ``stem.json`` and ``stem.md``: one :func:`ogn_lib.analysis.accuracy.accuracy_table` per system
    (``tables``: system -> rows), each with a note (model, units, starts; ``notes``:
    system -> text), under a ``description`` of the whole."""
    stem = Path(stem)
    write_json_atomic(stem.with_suffix(".json"), {
        "description": description,
        "systems": {name: {"note": notes[name], "rows": rows} for name, rows in tables.items()}})
    sections = [f"## {name}\n\n{notes[name]}\n\n{markdown_table(rows)}\n"
                for name, rows in tables.items()]
    write_text_atomic(stem.with_suffix(".md"), f"{description}\n\n" + "\n".join(sections))
