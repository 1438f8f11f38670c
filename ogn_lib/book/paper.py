"""Numbers the paper states that the book compares against (supplement and FACTS)."""

PAPER_CAGE_LENGTH = {"lj": 0.4, "silica": 1.4, "si": 2.0, "cuzr": 1.0}
"""Cage length of supplement S2 per system, in the system's length unit (sigma for KA-LJ,
Angstrom otherwise): the RMSD where D ~ t gives way to D ~ t^(1/2)."""
