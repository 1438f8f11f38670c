"""HOOMD-blue as the second engine: from the same KA-LJ state with the same potential it
follows LAMMPS, and its NVE conserves energy. Skipped, naming what is missing, where
HOOMD-blue is not installed (`make hoomd`)."""

import numpy as np
import pytest

pytest.importorskip("hoomd", reason="HOOMD-blue is not installed: `make hoomd` installs the "
                                     "CPU wheel from ../shared/wheels (or conda-forge)")

from ogn_lib.md.hoomd_engine import HoomdSimulation, supports  # noqa: E402
from ogn_lib.md.lammps import Simulation  # noqa: E402
from ogn_lib.md.systems import SYSTEMS  # noqa: E402


class Frames:
    def __init__(self, period_steps):
        self.period_steps, self.frames = period_steps, []

    def append(self, configuration):
        self.frames.append(configuration)


@pytest.fixture(scope="module")
def lammps_state():
    """A KA-LJ liquid at T = 3 (265 atoms) made by LAMMPS."""
    with Simulation(SYSTEMS["lj"], seed=5) as lammps:
        lammps.create_random_state(265)
        lammps.minimize()
        lammps.thermalize(3.0, 300)
        return lammps.configuration()


def run_both(state, n_steps):
    frames = {}
    for name, engine in (("lammps", Simulation), ("hoomd", HoomdSimulation)):
        recorder = Frames(n_steps)
        with engine(SYSTEMS["lj"], seed=5) as simulation:
            simulation.load(state)
            simulation.run(n_steps, recorder)
        frames[name] = recorder.frames
    return frames


def test_both_engines_give_the_same_energy_and_trajectory(lammps_state):
    frames = run_both(lammps_state, 100)
    for index in (0, 1):
        lammps, hoomd = frames["lammps"][index], frames["hoomd"][index]
        assert hoomd.energies["potential_energy"] == pytest.approx(
            lammps.energies["potential_energy"], rel=1e-5)
        assert hoomd.step == lammps.step
    moved = (frames["hoomd"][1].unwrapped_positions - frames["lammps"][1].unwrapped_positions)
    assert np.abs(moved).max() < 1e-4
    assert np.abs(frames["lammps"][1].unwrapped_positions
                  - frames["lammps"][0].unwrapped_positions).max() > 0.1  # the atoms moved


def test_hoomd_nve_conserves_energy(lammps_state):
    recorder = Frames(100)
    with HoomdSimulation(SYSTEMS["lj"], seed=5) as simulation:
        simulation.load(lammps_state)
        simulation.run(1000, recorder)
    total = np.array([f.energies["potential_energy"] + f.energies["kinetic_energy"]
                      for f in recorder.frames])
    kinetic = np.mean([f.energies["kinetic_energy"] for f in recorder.frames])
    assert abs(total[-1] - total[0]) / kinetic < 2e-3


def test_hoomd_refuses_the_systems_it_cannot_run():
    assert supports(SYSTEMS["lj"]) and not supports(SYSTEMS["cuzr"])
    with pytest.raises(ValueError, match="Lennard-Jones systems only; use --engine lammps"):
        HoomdSimulation(SYSTEMS["si"], seed=1)


def test_a_trajectory_made_by_hoomd_is_an_ogn_trajectory_of_its_own_key(tmp_path):
    from dataclasses import replace

    from ogn_lib.data import catalogue
    from ogn_lib.data.trajectory import read_trajectory
    from ogn_lib.md.protocols import LiquidProtocol

    spec = catalogue.TrajectorySpec(
        system="lj", group="train", index=0, seed=11,
        protocol=LiquidProtocol(n_atoms=265, temperature=3.0, number_density=1.2,
                                equilibration_steps=50, production_steps=10))
    hoomd = replace(spec, engine="hoomd")
    made = catalogue.ensure(hoomd, "quick", root=tmp_path)
    trajectory = read_trajectory(made.path)
    assert trajectory.n_frames == 11 and trajectory.metadata.extra["engine"].startswith(
        "HOOMD-blue 4.")
    assert made.path != catalogue.trajectory_path(spec, "quick", root=tmp_path)
    assert catalogue.ensure(hoomd, "quick", root=tmp_path).status == "reused"


def test_hoomd_generates_only_the_systems_it_runs():
    from ogn_lib.data import catalogue

    assert {s.engine for s in catalogue.catalogue("quick", ("lj",), engine="hoomd")} == {"hoomd"}
    with pytest.raises(ValueError, match="HOOMD-blue cannot run cuzr"):
        catalogue.catalogue("quick", ("cuzr",), engine="hoomd")
