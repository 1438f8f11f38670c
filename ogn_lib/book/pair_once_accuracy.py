"""The accuracy of Fast-OGNs that evaluate each pair once against those that evaluate each
direction, as ``scripts/shipped_accuracy.py`` scored them on the held-out trajectories
(``book/data/pair_once_accuracy.json``), for the speed page's "Each pair once"."""

from __future__ import annotations

import json
from pathlib import Path

from ogn_lib.book.speed_page import BOOK_DATA, SHORT_NAMES
from ogn_lib.learn.trained_models import read_provenance, shipped_path

PAIR_ACCURACY = BOOK_DATA / "pair_once_accuracy.json"
"""Written by ``scripts/shipped_accuracy.py --section ... --output`` for each variant."""
DIRECTED = "each direction"
"""The section of :data:`PAIR_ACCURACY` that holds the Fast-OGNs evaluating each direction
of a pair; every other section is a way of training pairs-once Fast-OGNs."""


def pair_accuracy_rows(path: Path = PAIR_ACCURACY, profile: str = "quick") -> list[dict]:
    """Per liquid and variant (each direction, and each way of training pairs once) of the
    ``profile`` Fast-OGN: test loss, training CPU minutes, position RMSE after 100 and 200
    MD steps, the temperature ratio over 400 MD steps, the energy drift over 2000, and
    whether it is the shipped model (its provenance's commit and test loss); none without
    the file."""
    if not path.exists():
        return []
    report = json.loads(path.read_text())
    rows = []
    for system in SHORT_NAMES:
        shipped = _shipped_identity(profile, system)
        for variant, results in report.items():
            if system not in results:
                continue
            row = results[system]
            steps = row["md_steps"]
            rmse = dict(zip(steps, row["position_rmse"]["OGN"]))
            model = row["model"]
            rows.append({"liquid": SHORT_NAMES[system], "Fast-OGN": variant,
                         "test loss": model["test_loss"],
                         "training CPU min": model["training_cpu_minutes"],
                         "RMSE at 100 MD steps": rmse.get(100),
                         "RMSE at 200 MD steps": rmse.get(200),
                         "T ratio, 400 steps": row["temperature_ratio_400_steps"]["mean"],
                         "drift / KE, 2000 steps":
                             row["energy_drift_over_mean_kinetic_2000_steps"],
                         "shipped": "yes" if (model.get("commit"), model["test_loss"]) == shipped
                                    else "no"})
    return rows


def _shipped_identity(profile: str, system: str) -> tuple[str, float] | None:
    """The commit and final test loss of the shipped ``profile`` Fast-OGN of ``system`` (what
    a scored model is matched by), or None where none is shipped."""
    path = shipped_path(profile, system, "fast")
    if not path.exists():
        return None
    provenance = read_provenance(path)
    return provenance.commit, provenance.test_loss[-1]


def pair_accuracy_gaps(rows: list[dict]) -> dict[tuple[str, str], float]:
    """Per liquid and pairs-once variant in :func:`pair_accuracy_rows` beside a directed
    one: the pairs-once model's position RMSE after 100 MD steps over the directed one's,
    minus 1."""
    directed = {row["liquid"]: row["RMSE at 100 MD steps"] for row in rows
                if row["Fast-OGN"] == DIRECTED}
    return {(row["liquid"], row["Fast-OGN"]): row["RMSE at 100 MD steps"]
            / directed[row["liquid"]] - 1.0
            for row in rows if row["Fast-OGN"] != DIRECTED and row["liquid"] in directed}
