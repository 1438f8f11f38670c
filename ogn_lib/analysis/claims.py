"""The paper's claims, each written once: what it states, its number or bound, the units,
the model it was made with, and the rule that decides whether this run reproduces it.

Every number of the paper that the book compares against lives here (the notebooks type
none): the cage lengths of S2, the fictive temperature of S11, the loss of S1, the surge of
S3 and the rest. A rule's tolerance is this project's choice, fixed before any value is
seen, with its reason in :attr:`Rule.why`. The verdict engine
(:mod:`ogn_lib.analysis.verdicts`) applies a claim's rule to a measured interval.

Sources: the supplement (``../shared/paper/supplement.md``) and the abstract (FACTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

RULE_KINDS = ("near", "at_most", "at_least", "magnitude_at_most")


@dataclass(frozen=True)
class Rule:
    """What a value must do to meet a claim.

    ``near``: within a relative ``tolerance`` of ``bar``; ``at_most`` / ``at_least``: on
    that side of ``bar``; ``magnitude_at_most``: its size at most ``bar`` (a drift that
    should be about zero). ``why`` says where the tolerance comes from.
    """

    kind: str
    bar: float
    tolerance: float = 0.0
    why: str = ""

    def __post_init__(self):
        if self.kind not in RULE_KINDS:
            raise ValueError(f"rule kind {self.kind!r}: choose one of {', '.join(RULE_KINDS)}")
        if self.tolerance < 0:
            raise ValueError(f"tolerance {self.tolerance}: give a relative width >= 0")
        if self.kind == "near" and self.bar == 0:
            raise ValueError("a 'near' rule needs a non-zero target; use magnitude_at_most "
                             "for a value that should be about zero")

    @property
    def region(self) -> tuple[float, float]:
        """The values that meet the rule, as a closed interval (infinite ends allowed)."""
        if self.kind == "near":
            half = abs(self.bar) * self.tolerance
            return (self.bar - half, self.bar + half)
        if self.kind == "at_most":
            return (float("-inf"), self.bar)
        if self.kind == "at_least":
            return (self.bar, float("inf"))
        return (-abs(self.bar), abs(self.bar))

    def describe(self, units: str = "") -> str:
        """The rule in words, e.g. ``within 10% of 0.62``."""
        unit = f" {units}" if units else ""
        if self.kind == "near":
            return f"within {self.tolerance:.0%} of {self.bar:g}{unit}"
        if self.kind == "at_most":
            return f"at most {self.bar:g}{unit}"
        if self.kind == "at_least":
            return f"at least {self.bar:g}{unit}"
        return f"size at most {self.bar:g}{unit}"


@dataclass(frozen=True)
class PaperClaim:
    """One claim of the paper.

    Attributes:
        id: stable name, ``<section>.<what>[.<system>]``.
        section: ``S01`` ... ``S11``, or ``abstract``.
        quantity: what is measured, as a table row names it.
        statement: the paper's words (short).
        paper: the paper's number or bound as printed in tables (None: it gives none).
        units: the quantity's units (empty for a ratio).
        model: the model the paper made the claim with, in words.
        preset: ``fast`` / ``reference`` when the claim is about that OGN (a measurement
            with another preset is a substitute); ``own`` for the variants a section trains
            itself (S8-S10); None for MD alone.
        rule: how a value meets it; None where the paper gives no number.
        needs_converged: the claim is about trained losses, so a curve that has not
            converged cannot test it.
    """

    id: str
    section: str
    quantity: str
    statement: str
    paper: float | str | None
    units: str
    model: str
    preset: str | None
    rule: Rule | None
    needs_converged: bool = False


PAPER_EPOCHS = 1000
"""Epochs of every training in the supplement (S1, S8-S10)."""
FAST_MODEL = "Fast-OGN: 2 MPNN layers, k = 5 (LJ) or 10 MD steps, 1000 epochs"
REFERENCE_MODEL = "Reference-OGN: 10 MPNN layers, k = 1 MD step, 1000 epochs"
MD_ONLY = "MD (LAMMPS) alone"

CAGE_LENGTH = {"lj": 0.4, "silica": 1.4, "si": 2.0, "cuzr": 1.0}
"""S2: the cage length per system, in the system's length unit (sigma for KA-LJ, Angstrom
otherwise): the RMSD where D ~ t gives way to D ~ t^(1/2)."""
FICTIVE_TEMPERATURE = 0.62
"""S11: T_f of the melt-quenched KA-LJ glass, epsilon/k_B (its cooling rate is not
stated)."""
FAST_LOSS = 1e-2
"""S1 A: the Fast-OGNs' test loss after 1000 epochs ("satisfactory (10^-2)")."""
ROLLOUT_MD_STEPS = 100
"""S1 B, S5-S7: the rollouts the paper scores are 100 MD steps long."""
POSITION_OVER_CAGE = 0.1
"""S1: the position error is "an order of magnitude smaller" than the cage length."""
SURGE_MD_STEPS = 100
"""S3: the error surges "after 100 steps"."""
RMSD_AGREEMENT_MD_STEPS = 1000
"""S4: predicted and true RMSD agree "up to 1000 MD steps"."""
ENERGY_MD_STEPS = 2000
"""S4: the energies are compared over a 2000-MD-step rollout."""
ENERGY_EXCURSION = 0.05
"""S4, abstract ("conserves energy"): the bar of this project, 5% of the mean kinetic
energy over the run, for the total energy's largest excursion and its fitted drift."""
ACCURACY_BAR = {"lj": 0.05}
"""S1 B: the held-out position RMSE after 100 MD steps (length unit) this project asks of
a recorded Fast-OGN, 0.05 sigma for KA-LJ, short of the paper's bar (the cage length
times :data:`POSITION_OVER_CAGE`)."""
TRAINING_SIZE = 265
"""S5: the training configurations hold 265 atoms."""
LARGEST_SIZE = 10000
"""S5: the OGN is tested up to N = 10000 atoms."""
TEMPERATURE_EXPONENT = 2.0
"""S6: RMSE(T) ~ T^2."""
TRAINING_DENSITY_RATIO = 1.0
"""S7: the error is smallest at the training density rho0 (rho/rho0 = 1)."""
PLATEAU_LAYERS = 2
"""S8: beyond 2 MPNN layers the loss plateaus."""
LAYER_COUNTS = (1, 2, 4, 6, 8, 10)
"""S8: the layer counts trained."""
TIMESTEPS = (1, 5, 10, 20)
"""S9: the strides k trained, 2 layers."""
GLASS_TIMESTEPS = (10, 20, 40)
"""S10: the strides k of the glass's Fast-OGNs."""
TOLERANT_GLASS_TIMESTEPS = (10, 20)
"""S10: the strides the paper calls error-tolerant for the glass."""
LIQUIDS = ("lj", "silica", "si", "cuzr")
LIQUID_TITLES = {"lj": "KA-LJ", "silica": "silica", "si": "Si", "cuzr": "Cu-Zr"}

_CAGE_WHY = ("the paper reads the crossover off a log-log plot by eye; 25% is about the "
             "width of its bend")
_FLAT_WHY = "\"stable\" and \"excellent agreement\": within 10%"
_SIDE_WHY = "the claim names a direction only"


def _s01() -> list[PaperClaim]:
    claims = []
    for name in LIQUIDS:
        title = LIQUID_TITLES[name]
        claims += [
            PaperClaim(f"S01.loss-fast.{name}", "S01", f"final test loss, Fast-OGN, {title}",
                       "the Fast-OGN's loss remains satisfactory (10^-2)", FAST_LOSS, "",
                       FAST_MODEL, "fast",
                       Rule("at_most", FAST_LOSS, why="\"10^-2\" read as a bound; the two "
                            "losses' normalisations may differ"), needs_converged=True),
            PaperClaim(f"S01.reference-below-fast.{name}", "S01",
                       f"test loss Reference-OGN / Fast-OGN after equal training, {title}",
                       "the Fast-OGNs show larger loss than their Reference-OGNs",
                       "below 1", "", REFERENCE_MODEL, "reference",
                       Rule("at_most", 1.0, why=_SIDE_WHY), needs_converged=True),
            PaperClaim(f"S01.position-over-cage.{name}", "S01",
                       f"position RMSE after {ROLLOUT_MD_STEPS} MD steps / this run's cage "
                       f"length (S2), {title}",
                       "the position error is an order of magnitude smaller than the cage "
                       "length", f"< {POSITION_OVER_CAGE:g}", "", FAST_MODEL, "fast",
                       Rule("at_most", POSITION_OVER_CAGE, why="\"an order of magnitude\"")),
            PaperClaim(f"S01.velocity.{name}", "S01",
                       f"velocity RMSE after {ROLLOUT_MD_STEPS} MD steps / no motion's, {title}",
                       "the velocity error is minuscule compared to the atom velocity scale",
                       None, "", FAST_MODEL, "fast", None),
        ]
    return claims


def _s02() -> list[PaperClaim]:
    return [PaperClaim(f"S02.cage-length.{name}", "S02",
                       f"cage length, {LIQUID_TITLES[name]}",
                       "the RMSD where D ~ t gives way to D ~ t^(1/2)", CAGE_LENGTH[name],
                       "σ" if name == "lj" else "Å", MD_ONLY, None,
                       Rule("near", CAGE_LENGTH[name], 0.25, _CAGE_WHY))
            for name in LIQUIDS]


def _s03_to_s07() -> list[PaperClaim]:
    return [
        PaperClaim("S03.surge", "S03", "MD steps at which the position error surges (KA-LJ)",
                   "the error accumulates and surges after ~100 steps", SURGE_MD_STEPS,
                   "MD steps", REFERENCE_MODEL, "reference",
                   Rule("near", SURGE_MD_STEPS, 0.5, "\"after 100 steps\" on a figure of 200: "
                        "anywhere from 50 to 150")),
        PaperClaim("S04.rmsd-ratio", "S04",
                   f"RMSD OGN / MD after {RMSD_AGREEMENT_MD_STEPS} MD steps (KA-LJ)",
                   "excellent agreement up to 1000 MD steps", 1.0, "", REFERENCE_MODEL,
                   "reference", Rule("near", 1.0, 0.1, _FLAT_WHY)),
        PaperClaim("S04.energy-excursion", "S04",
                   f"largest total-energy excursion over {ENERGY_MD_STEPS} MD steps / mean "
                   "kinetic energy (KA-LJ, raw NVE)",
                   "the OGN significantly conserves energy over 2000 MD steps", "≈ 0", "",
                   REFERENCE_MODEL, "reference",
                   Rule("magnitude_at_most", ENERGY_EXCURSION, why="this project's bar: 5% "
                        "of the kinetic energy")),
        PaperClaim("S04.energy-drift", "S04",
                   f"fitted total-energy drift over {ENERGY_MD_STEPS} MD steps / mean kinetic "
                   "energy (KA-LJ, raw NVE)",
                   "the OGN significantly conserves energy over 2000 MD steps", "≈ 0", "",
                   REFERENCE_MODEL, "reference",
                   Rule("magnitude_at_most", ENERGY_EXCURSION, why="this project's bar: 5% "
                        "of the kinetic energy")),
        PaperClaim("S05.position-flat", "S05",
                   f"position RMSE N = {LARGEST_SIZE} / N = {TRAINING_SIZE}",
                   "the RMSE remains small and stable up to 10000 atoms", 1.0, "",
                   REFERENCE_MODEL, "reference", Rule("near", 1.0, 0.1, _FLAT_WHY)),
        PaperClaim("S05.velocity-flat", "S05",
                   f"velocity RMSE N = {LARGEST_SIZE} / N = {TRAINING_SIZE}",
                   "the RMSE remains small and stable up to 10000 atoms", 1.0, "",
                   REFERENCE_MODEL, "reference", Rule("near", 1.0, 0.1, _FLAT_WHY)),
        PaperClaim("S06.position-exponent", "S06", "exponent a of position RMSE ∝ T^a",
                   "RMSE(T) ∝ T^2", TEMPERATURE_EXPONENT, "", REFERENCE_MODEL, "reference",
                   Rule("near", TEMPERATURE_EXPONENT, 0.25, "a quadratic law read off five "
                        "temperatures: a between 1.5 and 2.5")),
        PaperClaim("S06.velocity-exponent", "S06", "exponent a of velocity RMSE ∝ T^a",
                   "RMSE(T) ∝ T^2", TEMPERATURE_EXPONENT, "", REFERENCE_MODEL, "reference",
                   Rule("near", TEMPERATURE_EXPONENT, 0.25, "a quadratic law read off five "
                        "temperatures: a between 1.5 and 2.5")),
        PaperClaim("S07.best-density", "S07", "ρ/ρ0 of the smallest position RMSE",
                   "the error is lowest at the training density", TRAINING_DENSITY_RATIO, "",
                   REFERENCE_MODEL, "reference",
                   Rule("near", TRAINING_DENSITY_RATIO, 0.05, "the scan's grid is 0.1 in "
                        "ρ/ρ0: the minimum at the training density itself")),
        PaperClaim("S07.low-density", "S07", "position RMSE at ρ/ρ0 = 0.8 / at ρ0",
                   "the error grows away from the training density", "> 1", "",
                   REFERENCE_MODEL, "reference", Rule("at_least", 1.0, why=_SIDE_WHY)),
        PaperClaim("S07.high-density", "S07", "position RMSE at ρ/ρ0 = 1.2 / at ρ0",
                   "the error grows away from the training density", "> 1", "",
                   REFERENCE_MODEL, "reference", Rule("at_least", 1.0, why=_SIDE_WHY)),
    ]


def _s08_to_s11() -> list[PaperClaim]:
    layers = f"OGNs of {', '.join(map(str, LAYER_COUNTS))} MPNN layers, k = 1, 1000 epochs"
    strides = f"OGNs of 2 MPNN layers, k = {', '.join(map(str, TIMESTEPS))}, 1000 epochs"
    glass = (f"Fast-OGNs of the LJ glass, k = {', '.join(map(str, GLASS_TIMESTEPS))}, "
             "1000 epochs")
    return [
        PaperClaim("S08.plateau", "S08", "MPNN layers beyond which the final loss plateaus",
                   "beyond 2 layers the gain becomes inconsiderable", PLATEAU_LAYERS, "layers",
                   layers, "own", Rule("near", PLATEAU_LAYERS, 0.0, "the layer count itself"),
                   needs_converged=True),
        PaperClaim("S08.depth-helps", "S08", "final loss 10 layers / 1 layer",
                   "more MPNN layers give a smaller loss", "below 1", "", layers, "own",
                   Rule("at_most", 1.0, why=_SIDE_WHY), needs_converged=True),
        *[PaperClaim(f"S09.rise.k{k}", "S09", f"final loss k = {k} / k = 1",
                     "the loss rises evidently beyond k = 5-10", "above 1", "", strides,
                     "own", Rule("at_least", 1.0, why=_SIDE_WHY), needs_converged=True)
          for k in TIMESTEPS[2:]],
        *[PaperClaim(f"S10.growth.k{k}", "S10",
                     f"final loss k = {k} / k = {GLASS_TIMESTEPS[i]}",
                     "the final loss increases with the stride", "above 1", "", glass,
                     "own", Rule("at_least", 1.0, why=_SIDE_WHY), needs_converged=True)
          for i, k in enumerate(GLASS_TIMESTEPS[1:])],
        PaperClaim("S11.fictive-temperature", "S11", "fictive temperature T_f",
                   "T_f ≈ 0.62 from the potential energy against T during the quench",
                   FICTIVE_TEMPERATURE, "ε/k_B", MD_ONLY, None,
                   Rule("near", FICTIVE_TEMPERATURE, 0.1, "\"≈ 0.62\" at a cooling rate the "
                        "paper does not state: within 10%")),
    ]


def _abstract() -> list[PaperClaim]:
    return [PaperClaim(f"abstract.faster.{name}", "abstract",
                       f"Fast-OGN / LAMMPS, MD time per CPU-second, {LIQUID_TITLES[name]}",
                       "the learned simulator is faster than MD for modest time scales",
                       "above 1", "", FAST_MODEL, "fast", Rule("at_least", 1.0, why=_SIDE_WHY))
            for name in LIQUIDS]


CLAIMS: dict[str, PaperClaim] = {claim.id: claim for claim in
                                 _s01() + _s02() + _s03_to_s07() + _s08_to_s11() + _abstract()}
"""Every claim of the paper that the book tests, by id, in section order."""

SECTIONS = tuple(dict.fromkeys(claim.section for claim in CLAIMS.values()))


def claim(claim_id: str) -> PaperClaim:
    """The claim ``claim_id``; an unknown id names the section's known ones."""
    if claim_id not in CLAIMS:
        section = claim_id.partition(".")[0]
        known = [c for c in CLAIMS if c.startswith(section + ".")] or list(CLAIMS)
        raise KeyError(f"no paper claim {claim_id!r}; known: {', '.join(known)}")
    return CLAIMS[claim_id]


def section_claims(section: str) -> list[PaperClaim]:
    """The claims of ``section`` in registry order."""
    return [c for c in CLAIMS.values() if c.section == section]


def paper_numbers() -> set[float]:
    """Every number the registry holds as the paper's (bars and stated values)."""
    numbers = {c.paper for c in CLAIMS.values() if isinstance(c.paper, (int, float))}
    return {float(n) for n in numbers} | {
        FICTIVE_TEMPERATURE, FAST_LOSS, POSITION_OVER_CAGE, *CAGE_LENGTH.values()}
