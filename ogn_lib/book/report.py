"""The closing table of every section: the paper's claims (:mod:`ogn_lib.analysis.claims`)
against this run's measurements, judged by the verdict engine
(:mod:`ogn_lib.analysis.verdicts`), and beside them this run's own measurements that the
paper states nothing about.

Each notebook ends with :func:`paper_vs_run`, which returns the tables as Markdown and
saves the same rows to ``results/SXX.json`` (claim id, value, interval, n, verdict,
reason), so the book's summary and the regression tests read one source.
"""

from __future__ import annotations

import base64
import html
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ogn_lib.analysis.claims import CLAIMS, SECTIONS, PaperClaim, section_claims
from ogn_lib.analysis.verdicts import (
    NOT_TESTED,
    OUTCOMES,
    Measurement,
    final_loss,
    json_number,
    judge,
    loss_change_over_last_fifth,
)
from ogn_lib.book.tables import cell, markdown_table, unit_symbol
from ogn_lib.files import write_json_atomic
from ogn_lib.paths import results_root

if TYPE_CHECKING:  # annotations only: the report loads no torch
    from ogn_lib.learn.training import TrainingConfig

SECTION_PAGES = {
    "S01": "notebooks/S01_fast_ogn_accuracy", "S02": "notebooks/S02_cage_effect",
    "S03": "notebooks/S03_error_accumulation", "S04": "notebooks/S04_system_level",
    "S05": "notebooks/S05_system_size", "S06": "notebooks/S06_temperature",
    "S07": "notebooks/S07_density", "S08": "notebooks/S08_mpnn_layers",
    "S09": "notebooks/S09_timestep", "S10": "notebooks/S10_glass_timestep",
    "S11": "notebooks/S11_fictive_temperature", "abstract": "book/speed"}
"""The book page (path from the book's root, no suffix) that measures each section's
claims."""

NOT_MEASURED = Measurement.failed("no page of this run measured it")


@dataclass(frozen=True)
class Extra:
    """A number of this run that the paper states nothing about (a baseline, the chaos
    floor, a ratio): shown in its own table, outside the verdicts."""

    quantity: str
    value: float
    units: str = ""
    note: str = ""


def run_cell(measurement: Measurement, units: str = "") -> str:
    """``0.186 [0.171, 0.201] σ``: the value with its interval (a dash when no value).
    Where no finite interval could be computed (a ratio whose denominator's interval
    reaches zero, too few repetitions), the value says so instead of ``[−∞, ∞]``."""
    if not math.isfinite(measurement.value):
        return "–"
    unit = f" {counted(measurement.value, units)}" if units else ""
    if measurement.low == measurement.high:
        return f"{cell(measurement.value)}{unit}"
    if not (math.isfinite(measurement.low) or math.isfinite(measurement.high)):
        return f"{cell(measurement.value)}{unit} (no finite interval)"
    return f"{cell(measurement.value)} [{_end(measurement.low)}, {_end(measurement.high)}]{unit}"


def counted(value: float, units: str) -> str:
    """``units`` as a count of ``value`` reads them: "1 layer", "1 MD step", "2 layers"
    (symbols such as σ or Å stay as they are)."""
    if value == 1 and units.endswith("s") and units.replace(" ", "").isalpha():
        return units[:-1]
    return units


def _end(bound: float) -> str:
    """An end of an interval; an unbounded one as ∞."""
    return ("∞" if bound > 0 else "−∞") if math.isinf(bound) else cell(bound)


def verdict_row(claim: PaperClaim, measurement: Measurement) -> dict:
    """The saved row of one judged claim: the claim, the measurement and the verdict."""
    verdict = judge(claim, measurement)
    return {"claim": claim.id, "section": claim.section, "quantity": claim.quantity,
            "paper": claim.paper, "statement": claim.statement, "units": claim.units,
            "paper model": claim.model,
            "rule": None if claim.rule is None else claim.rule.describe(claim.units),
            **measurement.to_dict(), "verdict": verdict.outcome, "reason": verdict.reason,
            "category": verdict.category}


def paper_vs_run(section: str, measured: dict[str, Measurement], profile: str,
                 extras: list[Extra] = (), folder: Path | None = None) -> str:
    """Judge the ``measured`` claims of ``section`` (claim id -> measurement; a claim of
    the section left out is *not tested here*), save ``results/<section>.json`` and return
    the Markdown of the verdict table, the table of ``extras`` and a download link."""
    if not measured:
        raise ValueError(f"{section}: no claims measured; hand at least one measurement")
    foreign = [claim_id for claim_id in measured
               if claim_id not in CLAIMS or CLAIMS[claim_id].section != section]
    if foreign:
        raise ValueError(f"{section}: {', '.join(foreign)} are not claims of this section; "
                         f"its claims are {', '.join(c.id for c in section_claims(section))}")
    rows = [verdict_row(claim, measured.get(claim.id, NOT_MEASURED))
            for claim in section_claims(section)]
    folder = folder or results_root()
    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / f"{section}.json"
    write_json_atomic(saved, {"section": section, "profile": profile, "rows": rows,
                              "extras": [{**vars(extra), "value": json_number(extra.value)}
                                         for extra in extras]})
    table = verdict_table(rows)
    if extras:
        table += ("\n\n**This run's own measurements** (the paper states no number for "
                  "these; they are not verdicts)\n\n" + markdown_table(
                      [{"quantity": e.quantity, "this run": e.value, "units": unit_symbol(e.units),
                        "note": e.note} for e in extras]))
    return table + "\n\n" + download_link(
        saved.name, saved.read_bytes(),
        f"Download this page's claims, measurements and verdicts ({saved.name})")


def verdict_table(rows: list[dict], link_sections: bool = False) -> str:
    """The Markdown table of saved verdict rows: claim, paper, this run with its interval,
    n, verdict and reason (with ``link_sections``, a first column linking each row's
    section page, relative to a page in ``book/``)."""
    head = ["section"] if link_sections else []
    lines = ["| " + " | ".join(head + ["claim", "paper", "this run", "n", "verdict",
                                       "why"]) + " |"]
    lines.append("|" + " --- |" * (len(head) + 6))
    for row in rows:
        measurement = saved_measurement(row)
        first = ([f"[{row['section']}](../{SECTION_PAGES[row['section']]}.ipynb)"]
                 if link_sections else [])
        paper = cell(row["paper"]) + (f" {row['units']}" if row["units"] and isinstance(
            row["paper"], (int, float)) else "")
        lines.append("| " + " | ".join(first + [
            row["quantity"], paper, run_cell(measurement, row["units"]),
            str(row["n"]) if row["n"] else "–", f"*{row['verdict']}*", row["reason"]]) + " |")
    return "\n".join(lines)


def download_link(name: str, content: bytes, text: str) -> str:
    """An HTML link that downloads ``content`` as the file ``name``: the bytes travel
    inside the link (a data URI), so the executed page carries them and the book build
    needs no copy of any file."""
    media_type = "application/json" if name.endswith(".json") else "text/plain"
    payload = base64.b64encode(content).decode("ascii")
    return (f'<a download="{html.escape(name)}" '
            f'href="data:{media_type};base64,{payload}">{html.escape(text)}</a>')


def saved_measurement(row: dict) -> Measurement:
    """The measurement of a saved row; JSON keeps an unbounded end of an interval as
    null beside a value."""
    if row["value"] is None:
        return Measurement.failed(row.get("failure") or "no value", n=row["n"])
    low = -math.inf if row["low"] is None else row["low"]
    high = math.inf if row["high"] is None else row["high"]
    return Measurement(row["value"], low, high, row["n"], row["interval"])


def saved_rows(profile: str, folder: Path | None = None) -> list[dict]:
    """One row per claim of the registry, in its order: the row a section page of
    ``profile`` saved, or for a claim no page measured (or a page not run in this profile)
    a *not tested here* row."""
    folder = folder or results_root()
    saved = {}
    for section in SECTIONS:
        path = folder / f"{section}.json"
        table = json.loads(path.read_text()) if path.exists() else None
        if table is not None and table.get("profile") == profile:
            saved.update({row["claim"]: row for row in table["rows"] if "claim" in row})
    return [saved.get(claim_id) or verdict_row(claim, NOT_MEASURED)
            for claim_id, claim in CLAIMS.items()]


def verdict_counts(profile: str, folder: Path | None = None) -> dict[str, int]:
    """How many claims of the registry have each outcome in this run."""
    outcomes = [row["verdict"] for row in saved_rows(profile, folder)]
    return {outcome: outcomes.count(outcome) for outcome in OUTCOMES}


def reason_counts(profile: str, folder: Path | None = None) -> dict[str, int]:
    """How many claims are *not tested here* for each reason (:data:`NOT_TESTED`)."""
    categories = [row["category"] for row in saved_rows(profile, folder)]
    return {category: categories.count(category) for category in NOT_TESTED}


def summary_table(profile: str, folder: Path | None = None) -> str:
    """Every claim of the registry as one Markdown table, in section order, each row
    linking to the page that measures it; the book's introduction shows it."""
    return verdict_table(saved_rows(profile, folder), link_sections=True)


def verdict_sentence(claim_id: str, measurement: Measurement) -> str:
    """One Markdown sentence for a page's prose, computed from the verdict so that it
    cannot contradict the table: the value with its interval against the paper's, the
    outcome and its reason."""
    row = verdict_row(CLAIMS[claim_id], measurement)
    units = CLAIMS[claim_id].units
    paper = row["paper"]
    against = (f"the paper's {cell(paper)}{' ' + units if units else ''}"
               if isinstance(paper, (int, float)) else f"the paper's \"{row['statement']}\"")
    if measurement.failure:
        return f"{row['quantity']}: *{row['verdict']}* ({row['reason']})."
    return (f"{row['quantity']}: {run_cell(measurement, units)} (n = {measurement.n}) "
            f"against {against}, *{row['verdict']}*: {row['reason']}.")


def substitute_readings(measured: dict[str, Measurement]) -> str:
    """One Markdown sentence for a page's prose on the claims *not tested here* because a
    substitute model was measured (the Fast-OGN for the paper's Reference-OGN): what each
    claim's rule says of the substitute's value, said of the substitute, so that the prose
    can state what its model shows without contradicting the verdicts. Empty where no
    claim of ``measured`` was measured on a substitute."""
    readings = []
    for claim_id, measurement in measured.items():
        claim = CLAIMS[claim_id]
        if judge(claim, measurement).category == "substitute":
            reading = judge(replace(claim, preset=measurement.model), measurement)
            readings.append((claim, measurement.model, reading))
    if not readings:
        return ""
    stand_ins = sorted({f"the {str(model).capitalize()}-OGN that stands in for the paper's "
                        f"{claim.preset.capitalize()}-OGN" for claim, model, _ in readings})
    parts = [f"{claim.quantity}: *{reading.outcome}*, {reading.reason}"
             for claim, _, reading in readings]
    return (f"Read with the paper's own rules, {' and '.join(stand_ins)} would give "
            f"{'; '.join(parts)}.")


def verdict_list(measured: dict[str, Measurement]) -> str:
    """The :func:`verdict_sentence` of every measured claim as a Markdown list."""
    return "\n".join(f"- {verdict_sentence(claim_id, measurement)}"
                     for claim_id, measurement in measured.items())


def verdict_headline(measured: dict[str, Measurement]) -> str:
    """One Markdown line for the top of a section page: how many of its claims this run
    reproduced, partly reproduced, did not reproduce and did not test, from the verdicts
    themselves (the end of the page gives each with its reason)."""
    outcomes = [judge(CLAIMS[claim_id], measurement).outcome
                for claim_id, measurement in measured.items()]
    counts = [f"{outcomes.count(outcome)} {outcome}" for outcome in OUTCOMES
              if outcome in outcomes]
    total = f"{len(outcomes)} claim{'s' if len(outcomes) != 1 else ''}"
    return (f"**This run in one line:** of the paper's {total} on this page, "
            f"{', '.join(counts)} (each with its value, interval and reason at the end of "
            "the page).")


def curve_extras(histories: dict, label: str) -> list[Extra]:
    """This run's final losses (mean of the last fifth of each curve) and how much each
    curve still moved over its last fifth, one row per variant ``label = value``."""
    rows = []
    for value, history in histories.items():
        final = final_loss(history["test_loss"])
        change = loss_change_over_last_fifth(history["test_loss"])
        rows.append(Extra(f"final test loss, {label} = {value}", final.value, "",
                          f"{len(history['test_loss'])} epochs; change over the last fifth "
                          f"{change:+.0%} ({'converged' if final.converged else 'not converged'})"))
    return rows


def curve_source(recorded: bool, short: TrainingConfig,
                 recording: TrainingConfig | None, retrain: bool = False) -> str:
    """Where a page's loss curves come from, in one sentence: the recorded trainings
    (``recording``, trained once to the end; None where the profile records none), or the
    ``short`` ones trained in front of the reader, because ``retrain`` asked for them or
    because this checkout has no complete recording."""
    def batches(config: TrainingConfig) -> str:
        return (f"{config.epochs} epochs of {config.batches_per_epoch} batches of "
                f"{config.batch_size} ({config.epochs * config.batches_per_epoch:,} batches)")

    if recorded:
        return (f"These are the recorded curves: each OGN trained once to the end, "
                f"{batches(recording)}, with its history and provenance in "
                "`data/training/recorded/curves/`; `ogn reproduce --retrain` trains the "
                f"short versions in front of the reader instead ({batches(short)}).")
    trained = f"These curves are trained in front of the reader, {batches(short)}"
    if recording is None:
        return f"{trained}."
    why = ("because `--retrain` asked for them" if retrain else
           "because this checkout has no complete recording of them yet")
    return (f"{trained}, {why}: they show the start of training. The recorded curves "
            f"({batches(recording)} each, `scripts/recorded_curves.py`) are what the "
            "page draws once they are committed.")


RESULT_FIELDS = {
    "claim": "the registry's id of the claim (`ogn_lib.analysis.claims`)",
    "section, quantity, statement": "where the paper makes it, what is measured, its words",
    "paper, units, rule": "the paper's number or bound, its units, and the rule that decides it",
    "paper model": "the model the paper made the claim with",
    "value, low, high": "this run's value and its interval (null: not measured)",
    "n, interval": "how many independent repetitions, and what the interval is",
    "model, correction, converged": "the conditions of this run's value: the OGN measured, "
                                    "any correction, whether its training converged",
    "failure, note": "why no value was measured; the model and sizes in words",
    "verdict, reason, category": "the outcome, its one-line reason, and for *not tested "
                                 "here* which of the reasons",
}
"""The fields of each row of ``results/SXX.json`` (``extras`` holds this run's own
measurements: quantity, value, units, note)."""


def rules_table() -> str:
    """The verdict engine's outcomes and reasons, as the methods page shows them."""
    rows = [{"outcome": "reproduced", "when": "all of the interval meets the claim's rule"},
            {"outcome": "partly", "when": "the interval straddles the rule's bound"},
            {"outcome": "not reproduced", "when": "none of the interval meets the rule"}]
    rows += [{"outcome": f"not tested here ({category})", "when": meaning}
             for category, meaning in NOT_TESTED.items()]
    return markdown_table(rows)
