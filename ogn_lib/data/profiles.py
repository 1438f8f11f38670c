"""How much ground truth each profile makes: ``quick`` runs the whole book on 2 CPU cores,
``paper`` uses the paper's sizes (and needs a GPU for its trainings).

"Other" below means the three liquids besides KA-LJ (silica, Si, Cu-Zr), whose data sets
have the same roles with their own counts; lengths are in MD steps of each system's own
step.
"""

from __future__ import annotations

from dataclasses import dataclass

PROFILES = ("quick", "paper")


@dataclass(frozen=True)
class ProfileSizes:
    """How much ground truth a profile makes (counts of trajectories and their lengths)."""

    lj_train: int
    """KA-LJ training trajectories (265 atoms each)."""
    lj_train_steps: int
    """MD steps recorded per KA-LJ training trajectory."""
    lj_test: int
    """Held-out KA-LJ trajectories (independent LAMMPS runs)."""
    lj_test_steps: int
    """MD steps recorded per held-out KA-LJ trajectory (S3, S4 roll out over all of it)."""
    lj_equilibration_steps: int
    """Langevin steps that equilibrate every KA-LJ liquid (and the glass's melt) first."""
    lj_sizes: tuple[int, ...]
    """Atom counts of the system-size test liquids (S5)."""
    lj_probe_steps: int
    """MD steps recorded per size, temperature and density test liquid (S5-S7)."""
    lj_probe_repeats: int
    """Independent liquids per temperature and per density (S6, S7)."""
    glass_quenches: int
    """Melt-quenched LJ glasses; a quarter (at least one) are held out for testing."""
    glass_atoms: int
    """Atoms per glass."""
    glass_cooling_rate: float
    """Cooling rate of the glasses the models learn from, temperature units per time unit."""
    glass_production_steps: int
    """MD steps recorded per glass after its quench."""
    quench_rates: tuple[float, ...]
    """Cooling rates of the T_f-against-rate scan (S11), temperature units per time unit."""
    quenches_per_rate: int
    """Independent quenches per rate of the scan."""
    other_train: int
    """Training trajectories per other liquid."""
    other_train_steps: int
    """MD steps recorded per training trajectory of another liquid."""
    other_test: int
    """Held-out trajectories per other liquid."""
    other_test_steps: int
    """MD steps recorded per held-out trajectory of another liquid."""
    other_equilibration_steps: int
    """Langevin steps that equilibrate each other liquid first."""
    msd_steps: int
    """MD steps of each other liquid's long run (the cage length of S2, the validation
    windows) and of each run of its temperature scan."""
    other_atoms: dict
    """Atoms per other liquid, by system name."""


SIZES = {
    "quick": ProfileSizes(
        lj_train=32, lj_train_steps=400, lj_test=8, lj_test_steps=2000,
        lj_equilibration_steps=2000, lj_sizes=(265, 1000, 2000, 4000, 8000, 10000),
        lj_probe_steps=200, lj_probe_repeats=2, glass_quenches=4, glass_atoms=265,
        glass_cooling_rate=1e-2, glass_production_steps=2000,
        quench_rates=(3e-2, 3e-3, 3e-4), quenches_per_rate=2,
        other_train=8, other_train_steps=300, other_test=2, other_test_steps=500,
        other_equilibration_steps=3000, msd_steps=10000,
        other_atoms={"silica": 375, "si": 512, "cuzr": 500}),
    "paper": ProfileSizes(
        lj_train=400, lj_train_steps=1000, lj_test=40, lj_test_steps=2000,
        lj_equilibration_steps=10000, lj_sizes=(265, 1000, 2000, 4000, 8000, 10000),
        lj_probe_steps=200, lj_probe_repeats=10, glass_quenches=20, glass_atoms=265,
        glass_cooling_rate=1e-3, glass_production_steps=4000,
        quench_rates=(1e-2, 1e-3, 1e-4), quenches_per_rate=5,
        other_train=100, other_train_steps=1000, other_test=10, other_test_steps=1000,
        other_equilibration_steps=20000, msd_steps=50000,
        other_atoms={"silica": 648, "si": 512, "cuzr": 500}),
}
"""The sizes of each profile, by name."""
