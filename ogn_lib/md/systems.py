"""The four atomic systems of the paper, one frozen definition each.

A :class:`System` says what the atoms are (species, masses, composition), how they interact
(a potential dataclass with its parameters), which unit system the numbers are in, the MD
step, the density and the temperatures the project simulates. It knows nothing of the MD
engine: :mod:`ogn_lib.md.lammps` turns these definitions into engine commands.

Where the paper is silent (silica, silicon and Cu-Zr temperatures and densities), the
choice and its reason are written beside the value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from ogn_lib.units import LJ_UNITS, METAL_UNITS, REAL_UNITS, UnitSystem

AVOGADRO = 6.02214076e23


@dataclass(frozen=True)
class Species:
    name: str
    mass: float
    """In the unit system's mass unit (g/mol for real and metal units)."""
    charge_e: float = 0.0
    """Charge in units of the elementary charge (silica only)."""


@dataclass(frozen=True)
class LennardJonesPair:
    epsilon: float
    sigma: float
    cutoff_sigma: float = 2.5
    """Cutoff in units of this pair's sigma; the energy is shifted to zero there."""

    @property
    def cutoff(self) -> float:
        """The cutoff in the length unit."""
        return self.cutoff_sigma * self.sigma


@dataclass(frozen=True)
class LennardJones:
    """Truncated and shifted 12-6 Lennard-Jones, per pair of species."""

    pairs: dict[tuple[str, str], LennardJonesPair]

    @property
    def cutoff(self) -> float:
        """The longest pair cutoff (length unit)."""
        return max(pair.cutoff for pair in self.pairs.values())


@dataclass(frozen=True)
class ShortRangePair:
    """E(r) = A exp(-r/rho) + C/r^6 + D/r^24 (energy in kcal/mol, r in Angstrom)."""

    A: float
    rho: float
    C: float
    D: float


@dataclass(frozen=True)
class DampedShiftedCoulombPlusShortRange:
    """Liu et al. 2019 silica force field: DSF Coulomb + Buckingham-like + r^-24 wall.

    Coulomb by the damped shifted force method (Fennell & Gezelter 2006) with damping
    ``alpha_per_A`` and cutoff ``coulomb_cutoff_A``; the short-range part is truncated at
    ``short_range_cutoff_A`` and shifted to zero there.
    """

    pairs: dict[tuple[str, str], ShortRangePair]
    alpha_per_A: float = 0.25
    coulomb_cutoff_A: float = 8.0
    short_range_cutoff_A: float = 8.0
    coulomb_constant: float = 332.06371
    """kcal A / (mol e^2): the constant LAMMPS's real units use."""

    @property
    def cutoff(self) -> float:
        """The longer of the Coulomb and short-range cutoffs (Angstrom)."""
        return max(self.coulomb_cutoff_A, self.short_range_cutoff_A)


@dataclass(frozen=True)
class PotentialFile:
    """A many-body potential read from a LAMMPS potential file.

    ``path`` is a file name looked up in the LAMMPS package's ``potentials`` folder, or a
    user-supplied path to a file of the same format.
    """

    pair_style: str
    path: str


@dataclass(frozen=True)
class System:
    """One atomic system: species, potential, units, MD step, state point.

    Attributes:
        name: short key used on the command line and in file names.
        title: human-readable name.
        species: the atom types, in LAMMPS type order.
        composition: fraction of atoms of each species (sums to 1).
        potential: one of the potential dataclasses of this module.
        units: the LAMMPS unit system all numbers here are in.
        dt: MD step in ``units.time``.
        number_density: atoms per ``units.length``^3.
        temperature: the liquid temperature of the training data, in ``units.temperature``.
        rationale: why the state point was chosen where the paper is silent.

    ``rationale`` is left out of ``repr``: the repr names the MD, and the data sets hash
    it, so rewording the rationale does not remake ground truth. What only concerns the
    OGN (graph cutoff, stride) is in :mod:`ogn_lib.learn.presets`, the paper's numbers in
    :mod:`ogn_lib.analysis.claims`.
    """

    name: str
    title: str
    species: tuple[Species, ...]
    composition: tuple[float, ...]
    potential: object
    units: UnitSystem
    dt: float
    number_density: float
    temperature: float
    rationale: str = field(default="", repr=False)
    quench_temperatures: tuple[float, ...] = field(default=())

    @property
    def type_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.species)

    def counts(self, n_atoms: int) -> tuple[int, ...]:
        """Atoms per species for ``n_atoms`` in total, by largest remainder."""
        if n_atoms < 1:
            raise ValueError(f"n_atoms={n_atoms}: a system needs at least one atom")
        exact = [fraction * n_atoms for fraction in self.composition]
        counts = [math.floor(x) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
        for i in by_remainder[: n_atoms - sum(counts)]:
            counts[i] += 1
        return tuple(counts)

    def box_length(self, n_atoms: int, number_density: float | None = None) -> float:
        """Cubic box edge in ``units.length`` for ``n_atoms`` at the given density."""
        density = self.number_density if number_density is None else number_density
        if not density > 0:
            raise ValueError(f"number density {density} must be positive (atoms per "
                             f"{self.units.length}^3)")
        return (n_atoms / density) ** (1.0 / 3.0)

    def with_potential_file(self, path: str | Path) -> System:
        """The same system with a user-supplied potential file (e.g. another EAM setfl)."""
        if not isinstance(self.potential, PotentialFile):
            raise ValueError(f"system {self.name!r} has no potential file to replace")
        path = Path(path)
        if not path.is_file():
            problem = "is a folder" if path.is_dir() else "does not exist"
            raise FileNotFoundError(
                f"potential file {path} {problem}: give the path of a readable "
                f"{self.potential.pair_style} file")
        if self.potential.pair_style.startswith("eam"):
            check_setfl(path, self.type_names, self.potential.pair_style)
        return replace(self, potential=replace(self.potential, path=str(path.resolve())))


def check_setfl(path: Path, elements: tuple[str, ...], pair_style: str) -> None:
    """Refuse a file that is not an EAM setfl file for ``elements`` (ValueError naming
    what line 4 or 5 holds): three comment lines, then the element count and names, then
    Nrho drho Nr dr cutoff."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            header = [handle.readline() for _ in range(5)]
    except OSError as error:
        raise ValueError(f"potential file {path}: cannot be read ({error.strerror})") from error
    named = header[3].split()
    grid = header[4].split()
    try:
        count_ok = bool(named) and int(named[0]) == len(named) - 1
        [float(value) for value in grid[:5]]
        grid_ok = len(grid) >= 5
    except ValueError:
        count_ok = grid_ok = False
    if not (count_ok and grid_ok):
        raise ValueError(f"potential file {path}: not an EAM setfl file (line 4 should give "
                         "the element count and names, line 5 'Nrho drho Nr dr cutoff'; it "
                         f"holds {header[3].strip()!r}); give a {pair_style} file")
    missing = [element for element in elements if element not in named[1:]]
    if missing:
        raise ValueError(f"potential file {path}: its elements are {named[1:]}, without "
                         f"{missing}; give a {pair_style} file for {', '.join(elements)}")


def number_density_from_mass_density(mass_density_g_cm3: float,
                                     species: tuple[Species, ...],
                                     composition: tuple[float, ...]) -> float:
    """Atoms per cubic Angstrom of a material of the given mass density (g/cm^3)."""
    mean_mass_g_mol = sum(s.mass * x for s, x in zip(species, composition))
    return mass_density_g_cm3 / mean_mass_g_mol * AVOGADRO * 1e-24


KOB_ANDERSEN = System(
    name="lj",
    title="Kob-Andersen binary Lennard-Jones A80B20",
    species=(Species("A", 1.0), Species("B", 1.0)),
    composition=(0.8, 0.2),
    potential=LennardJones({
        ("A", "A"): LennardJonesPair(epsilon=1.0, sigma=1.0),
        ("A", "B"): LennardJonesPair(epsilon=1.5, sigma=0.8),
        ("B", "B"): LennardJonesPair(epsilon=0.5, sigma=0.88),
    }),
    units=LJ_UNITS,
    dt=0.005,
    number_density=1.2,
    temperature=3.0,
    rationale="T = 3.0 and density 1.2 are the supplement's (S6, S7); its 265-atom box "
              "of side 6.04 = 2 x r_c implies a neighbour-list cutoff of 3.0 sigma (S5).",
    quench_temperatures=(2.0, 0.05),
)

_SILICA_SPECIES = (Species("Si", 28.0855, 1.954952037), Species("O", 15.9994, -0.977476019))
SILICA = System(
    name="silica",
    title="Silica SiO2 (Liu et al. 2019 force field)",
    species=_SILICA_SPECIES,
    composition=(1.0 / 3.0, 2.0 / 3.0),
    potential=DampedShiftedCoulombPlusShortRange({
        ("Si", "Si"): ShortRangePair(A=0.0, rho=1.0, C=0.0, D=78940848.06),
        ("Si", "O"): ShortRangePair(A=471671.1243, rho=0.19173537, C=-2156.074422,
                                    D=668.7557239),
        ("O", "O"): ShortRangePair(A=23138.64826, rho=0.356855265, C=-1879.223108,
                                   D=2605.841269),
    }),
    units=REAL_UNITS,
    dt=1.0,
    number_density=number_density_from_mass_density(2.2, _SILICA_SPECIES, (1 / 3, 2 / 3)),
    temperature=4000.0,
    rationale="The glass density 2.2 g/cm^3 at 4000 K: silica is a strong liquid whose "
              "atoms barely leave their cages below ~3500 K within the picoseconds that a "
              "CPU can simulate; at 4000 K the root-mean-square displacement passes the "
              "1.4 A cage length of S2 within ~10 ps. MD step 1 fs, as usual for silica.",
)

_SILICON_SPECIES = (Species("Si", 28.0855),)
SILICON = System(
    name="si",
    title="Silicon (Stillinger-Weber)",
    species=_SILICON_SPECIES,
    composition=(1.0,),
    potential=PotentialFile(pair_style="sw", path="Si.sw"),
    units=METAL_UNITS,
    dt=0.001,
    number_density=number_density_from_mass_density(2.57, _SILICON_SPECIES, (1.0,)),
    temperature=2000.0,
    rationale="Liquid silicon's density 2.57 g/cm^3 at 2000 K, above the ~1690 K melting "
              "point of the Stillinger-Weber model, so that atoms diffuse. MD step 1 fs.",
)

_CUZR_SPECIES = (Species("Cu", 63.546), Species("Zr", 91.224))
CUZR = System(
    name="cuzr",
    title="Cu64.5Zr35.5 (Mendelev Finnis-Sinclair EAM)",
    species=_CUZR_SPECIES,
    composition=(0.645, 0.355),
    potential=PotentialFile(pair_style="eam/fs", path="CuZr_mm.eam.fs"),
    units=METAL_UNITS,
    dt=0.001,
    number_density=number_density_from_mass_density(7.0, _CUZR_SPECIES, (0.645, 0.355)),
    temperature=1500.0,
    rationale="1500 K is ~300 K above the liquidus of Cu64.5Zr35.5; 7.0 g/cm^3 is close to "
              "the liquid's density there. MD step 1 fs. The potential is the Mendelev-"
              "Sordelet-Kramer file shipped with LAMMPS (dated 2007); the paper's 2009 file "
              "is not available offline and can be given with --potential-file.",
)

SYSTEMS = {system.name: system for system in (KOB_ANDERSEN, SILICA, SILICON, CUZR)}


def get_system(name: str) -> System:
    """The system called ``name``; a clear error lists the known names otherwise."""
    try:
        return SYSTEMS[name]
    except KeyError:
        raise ValueError(f"unknown system {name!r}: choose one of "
                         f"{', '.join(sorted(SYSTEMS))}") from None
