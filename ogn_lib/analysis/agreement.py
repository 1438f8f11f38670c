"""This project's own checks of a learned rollout against MD from the same starts (the
validation page and the engine comparison of the ground-truth page).

They are not the paper's claims (:mod:`ogn_lib.analysis.claims`) and are not counted with
them, but they are judged by the same engine (:func:`ogn_lib.analysis.verdicts.judge`),
from an interval over independent starts, with rules fixed here before any value is seen:
a ratio of a measure, OGN (or one engine) over MD (the other), within
:data:`AGREEMENT_TOLERANCE` of 1; the total energy's largest excursion and its fitted
drift at most :data:`~ogn_lib.analysis.claims.ENERGY_EXCURSION` of the mean kinetic
energy, S4's bar.
"""

from __future__ import annotations

from ogn_lib.analysis.claims import ENERGY_EXCURSION, PaperClaim, Rule

AGREEMENT_TOLERANCE = 0.10
"""A ratio within 10% of 1 agrees: the bar of the paper's "excellent agreement" (S4)."""

AGREEMENT = Rule("near", 1.0, AGREEMENT_TOLERANCE,
                 why="the bar this project sets for \"excellent agreement\" (S4): within 10%")
CONSERVATION = Rule("magnitude_at_most", ENERGY_EXCURSION,
                    why="S4's bar: 5% of the kinetic energy")

ENERGY_MEASURES = {
    "excursion": "largest total-energy excursion / mean kinetic energy",
    "drift": "fitted total-energy drift over the run / mean kinetic energy",
}
"""The energy measures a check can judge, by name, as a table names them."""


def agreement_check(subject: str, quantity: str, against: str = "MD") -> PaperClaim:
    """The check that ``quantity`` (a ratio, e.g. ``"D of A"``) of ``subject`` (e.g.
    ``"KA-LJ, raw NVE"``) agrees with ``against``'s, within :data:`AGREEMENT_TOLERANCE`."""
    return PaperClaim(
        id=f"check.{subject}.{quantity}", section="check",
        quantity=f"{quantity}, ratio to {against}",
        statement=f"the rollout reproduces {against}'s {quantity}", paper=1.0, units="",
        model=against, preset=None, rule=AGREEMENT)


def conservation_check(subject: str, measure: str) -> PaperClaim:
    """The check that ``subject``'s total energy is conserved by ``measure``
    (``"excursion"`` or ``"drift"``, :data:`ENERGY_MEASURES`)."""
    if measure not in ENERGY_MEASURES:
        raise ValueError(f"energy measure {measure!r}: choose one of "
                         f"{', '.join(ENERGY_MEASURES)}")
    return PaperClaim(
        id=f"check.{subject}.energy-{measure}", section="check",
        quantity=ENERGY_MEASURES[measure],
        statement="the total energy is conserved", paper="≈ 0", units="", model="MD",
        preset=None, rule=CONSERVATION)
