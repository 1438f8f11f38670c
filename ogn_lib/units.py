"""The LAMMPS unit systems every quantity of ogn is measured in (``lj``, ``real``,
``metal``), with the constants that turn one quantity into another (k_B, mvv2e, nktv2p).

A trajectory's sidecar names its unit system; MD systems, learned ensembles and the ASE
bridge read the constants here, so each conversion factor is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitSystem:
    """A LAMMPS unit system, named with what each quantity is measured in."""

    name: str
    length: str
    time: str
    energy: str
    mass: str
    temperature: str
    boltzmann: float
    """k_B in energy unit per temperature unit."""
    mvv2e: float = field(default=1.0, repr=False)
    """Energy unit per (mass unit x velocity unit^2): kinetic energy = mvv2e m v^2 / 2
    (LAMMPS's ``force->mvv2e``). Left out of ``repr``, which names the data sets."""
    nktv2p: float = field(default=1.0, repr=False)
    """Pressure unit per (energy unit / length unit^3) (LAMMPS's ``force->nktv2p``: atm for
    real units, bar for metal units)."""

    @property
    def velocity(self) -> str:
        return f"{self.length}/{self.time}"


LJ_UNITS = UnitSystem("lj", "sigma", "tau", "epsilon", "m", "epsilon/k_B", 1.0)
REAL_UNITS = UnitSystem("real", "Angstrom", "fs", "kcal/mol", "g/mol", "K", 0.0019872067,
                        mvv2e=48.88821291**2, nktv2p=68568.415)
METAL_UNITS = UnitSystem("metal", "Angstrom", "ps", "eV", "g/mol", "K", 8.617333262e-5,
                         mvv2e=1.0364269e-4, nktv2p=1.6021765e6)
UNIT_SYSTEMS = {units.name: units for units in (LJ_UNITS, REAL_UNITS, METAL_UNITS)}
"""LAMMPS unit-system name -> :class:`UnitSystem`."""


def unit_system(units: dict | str | None) -> UnitSystem:
    """The unit system a trajectory's sidecar names: a LAMMPS style name, or the unit
    table ``ogn generate`` writes (its ``style``)."""
    name = units.get("style") if isinstance(units, dict) else units
    if name not in UNIT_SYSTEMS:
        raise ValueError(f"unit system {name!r} is not one of {', '.join(UNIT_SYSTEMS)}; "
                         "give the trajectory's sidecar \"units\": \"lj\", \"real\" or "
                         "\"metal\"")
    return UNIT_SYSTEMS[name]
