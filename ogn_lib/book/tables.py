"""Markdown tables for the book's pages, so that every number in them comes from code."""

from __future__ import annotations

import math
import re
from pathlib import Path

from ogn_lib.analysis.accuracy import METHODS
from ogn_lib.analysis.sweeps import AccuracySweep
from ogn_lib.files import write_json_atomic, write_text_atomic
from ogn_lib.md.systems import SYSTEMS


def cell(value) -> str:
    """A table cell: floats as :func:`number` writes them (3 significant digits); ``None``
    and a float that is not a number (a quantity this run could not measure) as a dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if not isinstance(value, float):
        return str(value)
    return number(value)


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def power_of_ten(value: float, digits: int = 1) -> str:
    """``3×10⁻⁶``: a value far from 1 as a page prints it, ``digits`` significant."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


def number(value: float, digits: int = 3) -> str:
    """A number as a page prints it, ``digits`` significant: from 1,000 to 999,999 written
    out with thousands separators (1,970, not 1.97e+03), and where Python would write an
    exponent (2.9e-14, 2.13e+06) a power of ten (2.9×10⁻¹⁴, 2.13×10⁶)."""
    text = f"{value:.{digits}g}"
    if 1e3 <= abs(float(text)) < 1e6:
        return f"{float(text):,.0f}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


_SPECIES = frozenset(name for system in SYSTEMS.values() for name in system.type_names)
_FORMULA = re.compile(r"(?<![\w.])(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?)?){2,}(?!\w)")
_FORMULA_PART = re.compile(r"([A-Z][a-z]?)(\d+(?:\.\d+)?)?")


def _formula_with(text: str, subscript) -> str:
    """``text`` with the counts of every chemical formula of the systems' species
    (Cu64.5Zr35.5, SiO2, A80B20) written by ``subscript``; other words as they are."""
    def replace(match: re.Match) -> str:
        parts = _FORMULA_PART.findall(match.group(0))
        if not all(symbol in _SPECIES for symbol, _ in parts) or not any(n for _, n in parts):
            return match.group(0)
        return "".join(symbol + (subscript(count) if count else "") for symbol, count in parts)
    return _FORMULA.sub(replace, text)


def formula_markdown(text: str) -> str:
    """``text`` for a page's Markdown, each formula's counts as MyST subscripts:
    ``Cu{sub}`64.5`Zr{sub}`35.5```."""
    return _formula_with(text, lambda count: f"{{sub}}`{count}`")


def formula_mathtext(text: str) -> str:
    """``text`` for a figure, each formula's counts as matplotlib mathtext subscripts:
    ``Cu$_{64.5}$Zr$_{35.5}$``."""
    return _formula_with(text, lambda count: f"$_{{{count}}}$")


MEASURE_LABELS = {"tau_alpha": "τ_α"}
"""How a page prints the measures of :mod:`ogn_lib.analysis.system_validation` whose
names are spelt for code."""


def measure_label(name: str) -> str:
    """A measure's name as a page prints it: ``tau_alpha`` as τ_α, others as named."""
    return MEASURE_LABELS.get(name, name)


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
