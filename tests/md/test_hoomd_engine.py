"""HOOMD-blue as the second engine: from the same KA-LJ or silica state with the same
potential it follows LAMMPS, and its NVE conserves energy. Skipped, naming what is
missing, where HOOMD-blue is not installed (`make hoomd`)."""

import numpy as np
import pytest

pytest.importorskip("hoomd", reason="HOOMD-blue is not installed: `make hoomd` installs the "
                                     "CPU wheel from ../shared/wheels (or conda-forge)")

from ogn_lib.md.baselines import same_start  # noqa: E402
from ogn_lib.md.hoomd_engine import HoomdSimulation, supports  # noqa: E402
from ogn_lib.md.lammps import Simulation  # noqa: E402
from ogn_lib.md.systems import SYSTEMS  # noqa: E402

STATES = {"lj": (265, 3.0), "silica": (375, 4000.0)}
"""Each system HOOMD-blue runs: atoms (its quick training size) and the temperature of
its liquid."""


@pytest.fixture(scope="module", params=sorted(STATES))
def lammps_state(request):
    """A liquid made by LAMMPS: (system name, configuration)."""
    n_atoms, temperature = STATES[request.param]
    with Simulation(SYSTEMS[request.param], seed=5) as lammps:
        lammps.create_random_state(n_atoms)
        lammps.minimize()
        lammps.thermalize(temperature, 300)
        return request.param, lammps.configuration()


def run_both(system, state, n_steps):
    """Each engine's frames from ``state`` (the start and after ``n_steps``)."""
    return {engine: same_start(SYSTEMS[system], state, n_steps, n_steps, engine).frames
            for engine in ("lammps", "hoomd")}


def test_both_engines_give_the_same_energy_and_trajectory(lammps_state):
    system, state = lammps_state
    frames = run_both(system, state, 100)
    for index in (0, 1):
        lammps, hoomd = frames["lammps"][index], frames["hoomd"][index]
        for quantity in ("potential_energy", "kinetic_energy"):
            assert hoomd.energies[quantity] == pytest.approx(lammps.energies[quantity],
                                                             rel=1e-5)
        assert hoomd.step == lammps.step
    moved = (frames["hoomd"][1].unwrapped_positions - frames["lammps"][1].unwrapped_positions)
    assert np.abs(moved).max() < 1e-4
    assert np.abs(frames["lammps"][1].unwrapped_positions
                  - frames["lammps"][0].unwrapped_positions).max() > 0.1  # the atoms moved


def test_hoomd_nve_conserves_energy(lammps_state):
    system, state = lammps_state
    frames = same_start(SYSTEMS[system], state, 1000, 100, engine="hoomd").frames
    total = np.array([f.energies["potential_energy"] + f.energies["kinetic_energy"]
                      for f in frames])
    kinetic = np.mean([f.energies["kinetic_energy"] for f in frames])
    assert abs(total[-1] - total[0]) / kinetic < 2e-3


def test_hoomd_refuses_the_systems_it_cannot_run():
    assert supports(SYSTEMS["lj"]) and supports(SYSTEMS["silica"])
    assert not supports(SYSTEMS["cuzr"]) and not supports(SYSTEMS["si"])
    with pytest.raises(ValueError, match="Lennard-Jones systems and silica; use --engine lammps"):
        HoomdSimulation(SYSTEMS["si"], seed=1)


def test_hoomd_thermalizes_without_moving_the_centre_of_mass():
    with HoomdSimulation(SYSTEMS["lj"], seed=3) as simulation:
        simulation.create_random_state(265)
        simulation.minimize()
        simulation.thermalize(3.0, 200)
        state = simulation.configuration()
    momentum = (state.masses[:, None] * state.velocities).sum(0)
    assert np.abs(momentum).max() < 1e-9 * np.abs(state.velocities).sum()


def test_a_box_too_small_for_hoomd_is_one_line():
    with HoomdSimulation(SYSTEMS["lj"], seed=1) as simulation:
        with pytest.raises(ValueError, match=r"not over twice the cutoff, 5: an atom would "
                                             r"meet its own image. Use more atoms \(over 150"):
            simulation.create_random_state(108)


def test_a_box_under_cutoff_plus_skin_runs_with_a_smaller_buffer():
    with HoomdSimulation(SYSTEMS["lj"], seed=1) as simulation:  # box 5.3 < 2 x (2.5 + 0.3)
        simulation.create_random_state(180)
        simulation.minimize()
        simulation.run(10)
        assert np.isfinite(simulation.configuration().energies["potential_energy"])


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


def test_a_gpu_run_says_what_is_missing(capsys):
    import hoomd

    from ogn_lib.cli import main

    if hoomd.version.gpu_enabled:
        pytest.skip("this HOOMD-blue has GPU support")
    assert main(["generate", "lj", "--engine", "hoomd", "--device", "gpu"]) == 2
    error = capsys.readouterr().err.strip()
    assert "built without GPU support" in error and len(error.splitlines()) == 1
    assert main(["generate", "lj", "--engine", "lammps", "--device", "gpu"]) == 2
    assert "--device gpu needs --engine hoomd" in capsys.readouterr().err
