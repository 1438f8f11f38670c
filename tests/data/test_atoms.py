"""ASE's Atoms to and from ogn's configurations and trajectories."""

import math

import ase
import ase.io
import ase.units
import numpy as np
import pytest

from ogn_lib.configuration import Configuration
from ogn_lib.data.atoms import (
    LennardJonesScale,
    ase_scale,
    atoms_from_configuration,
    configuration_from_atoms,
)
from ogn_lib.data.imports import RunDescription, import_trajectory, read_lammps_dump
from ogn_lib.data.sidecar import TrajectoryError
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from tests.toy_lj import toy_trajectory

ARRAYS = ("positions", "velocities", "images", "steps", "typeids", "masses", "box_lengths")


def write_gsd(trajectory, path, units="lj"):
    with TrajectoryWriter(path, period_steps=1) as writer:
        for index in range(trajectory.n_frames):
            writer.append(trajectory.configuration(index))
        writer.commit({"system": trajectory.metadata.system, "dt": trajectory.metadata.dt,
                       "units": units})
    return path


def metal_configuration() -> Configuration:
    """Two Cu atoms and a Zr one in a 10 Angstrom box, one of them images away."""
    return Configuration(
        box_lengths=np.array([10.0, 11.0, 12.0]),
        positions=np.array([[-4.0, 0.5, 5.9], [1.25, -5.5, 0.0], [3.0, 2.0, -1.0]]),
        velocities=np.array([[1.0, 0.0, 0.0], [0.0, -2.0, 0.5], [0.25, 0.25, 0.25]]),
        images=np.array([[0, 0, 0], [2, -1, 0], [0, 0, 3]]), typeids=np.array([0, 0, 1]),
        type_names=("Cu", "Zr"), masses=np.array([63.546, 63.546, 91.224]), step=1200)


def assert_same_trajectory(a, b):
    for name in ARRAYS:
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.type_names == b.type_names


def test_gsd_to_atoms_to_gsd_round_trip_is_exact_to_the_bit(tmp_path):
    source = read_trajectory(write_gsd(toy_trajectory(n_frames=12), tmp_path / "toy.gsd"))
    frames = [atoms_from_configuration(source.configuration(i), "lj")
              for i in range(source.n_frames)]
    ase.io.write(tmp_path / "toy.traj", frames)
    import_trajectory(tmp_path / "toy.traj", tmp_path / "back.gsd",
                      RunDescription(system="toy-lj", dt=source.metadata.dt, units="lj"))
    assert_same_trajectory(read_trajectory(tmp_path / "back.gsd"), source)


def test_a_configuration_of_elements_goes_through_atoms_unchanged():
    start = metal_configuration()
    atoms = atoms_from_configuration(start, "metal")
    assert atoms.get_chemical_symbols() == ["Cu", "Cu", "Zr"]
    assert np.allclose(atoms.positions[1], [1.25 + 5 + 20, -5.5 + 5.5 - 11, 6.0])
    back = configuration_from_atoms(atoms, "metal")
    for name in ("positions", "velocities", "images", "typeids", "masses", "box_lengths"):
        assert np.allclose(getattr(back, name), getattr(start, name), rtol=1e-15, atol=1e-14)
    assert back.type_names == start.type_names and back.step == 1200


@pytest.mark.parametrize(("units", "velocity", "energy"), [
    # 1 Angstrom/ps in ASE's velocity unit (Angstrom per 10.1805 fs), 1 eV
    ("metal", 1 / 98.22694788464063, 1.0),
    # 1 Angstrom/fs, and 1 kcal/mol = 0.0433641 eV
    ("real", 1 / 0.09822694788464063, 0.0433641),
    # reduced units kept as numbers: 1 sigma/tau = 1 Angstrom per ASE time unit
    ("lj", 1.0, 1.0)])
def test_unit_conversions_match_hand_values(units, velocity, energy):
    scale = ase_scale(units)
    assert scale.velocity == pytest.approx(velocity, rel=1e-9)
    assert scale.energy == pytest.approx(energy, rel=1e-5)
    assert scale.length == 1.0 and scale.mass == 1.0
    atoms = atoms_from_configuration(metal_configuration(), units)
    assert atoms.get_velocities()[0, 0] == pytest.approx(velocity, rel=1e-9)


def test_argon_lennard_jones_time_unit_is_2_16_ps():
    # tau = sigma sqrt(m / epsilon) = 3.405 A sqrt(39.948 amu / 0.0103 eV) = 2.159 ps
    argon = LennardJonesScale(sigma_angstrom=3.405, epsilon_ev=0.0103, mass_amu=39.948)
    scale = ase_scale("lj", argon)
    assert scale.time / (1000 * ase.units.fs) == pytest.approx(2.159, rel=1e-3)
    assert scale.length == 3.405 and scale.mass == 39.948
    atoms = atoms_from_configuration(metal_configuration(), "lj", argon)
    assert atoms.cell.lengths()[0] == pytest.approx(34.05)


def one_line(error) -> str:
    message = str(error.value)
    assert "\n" not in message
    return message


def test_a_triclinic_cell_is_refused_in_one_line():
    atoms = atoms_from_configuration(metal_configuration(), "metal")
    atoms.set_cell([[10, 0, 0], [2, 11, 0], [0, 0, 12]])
    with pytest.raises(ValueError) as error:
        configuration_from_atoms(atoms, "metal")
    assert "triclinic" in one_line(error)


def test_atoms_without_velocities_are_refused_in_one_line():
    atoms = ase.Atoms("Cu2", positions=[[0, 0, 0], [2, 2, 2]], cell=[5, 5, 5], pbc=True)
    with pytest.raises(ValueError) as error:
        configuration_from_atoms(atoms, "metal")
    assert "no velocities" in one_line(error)


def test_a_non_periodic_cell_is_refused():
    atoms = atoms_from_configuration(metal_configuration(), "metal")
    atoms.pbc = [True, True, False]
    with pytest.raises(ValueError, match="periodic in x, y and z"):
        configuration_from_atoms(atoms, "metal")


def test_an_unknown_species_of_a_known_system_is_refused_in_one_line(tmp_path):
    atoms = ase.Atoms("Cu2Al", positions=[[0, 0, 0], [2, 2, 2], [4, 0, 0]],
                      cell=[8, 8, 8], pbc=True)
    atoms.set_velocities(np.ones((3, 3)))
    ase.io.write(tmp_path / "alloy.xyz", atoms, format="extxyz")
    with pytest.raises(ValueError) as error:
        import_trajectory(tmp_path / "alloy.xyz", tmp_path / "out.gsd",
                          RunDescription(system="cuzr", dt=0.002, units="metal"))
    assert "Al" in one_line(error) and not (tmp_path / "out.gsd").exists()


def test_extended_xyz_needs_the_md_steps_between_its_frames(tmp_path):
    frames = [atoms_from_configuration(metal_configuration(), "metal") for _ in range(3)]
    for atoms in frames:
        del atoms.info["step"]
    ase.io.write(tmp_path / "run.xyz", frames, format="extxyz")
    description = RunDescription(system="cuzr", dt=0.002, units="metal")
    with pytest.raises(TrajectoryError, match="--period-steps"):
        import_trajectory(tmp_path / "run.xyz", tmp_path / "a.gsd", description)
    metadata = import_trajectory(tmp_path / "run.xyz", tmp_path / "b.gsd",
                                 RunDescription(system="cuzr", dt=0.002, units="metal",
                                                period_steps=50))
    assert metadata.period_steps == 50 and metadata.n_frames == 3
    back = read_trajectory(tmp_path / "b.gsd")
    assert back.type_names == ("Cu", "Zr") and list(back.steps) == [0, 50, 100]
    assert np.allclose(back.positions[0], metal_configuration().positions, atol=1e-6)


def test_a_lammps_data_file_written_by_ase_comes_back(tmp_path):
    start = metal_configuration()
    atoms = atoms_from_configuration(start, "metal")
    ase.io.write(tmp_path / "start.data", atoms, format="lammps-data", velocities=True,
                 units="metal", masses=True, specorder=["Cu", "Zr"])
    import_trajectory(tmp_path / "start.data", tmp_path / "start.gsd",
                      RunDescription(system="my-cuzr", dt=0.002, units="metal",
                                     type_names=("Cu", "Zr")))
    back = read_trajectory(tmp_path / "start.gsd").configuration(0)
    assert np.allclose(back.unwrapped_positions, start.unwrapped_positions, atol=1e-5)
    assert np.allclose(back.velocities, start.velocities, atol=1e-5)
    assert back.type_names == ("Cu", "Zr") and list(back.typeids) == [0, 0, 1]


def crossing_dump(path):
    """A metal-unit dump of two frames in which atom 1 leaves the box through +x."""
    frame = ("ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n2\n"
             "ITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n"
             "ITEM: ATOMS id type x y z vx vy vz ix iy iz\n"
             "1 1 {x} 5 5 2.0 0 0 {ix} 0 0\n2 2 3 3 3 0 1.5 0 0 0 0\n")
    path.write_text(frame.format(step=0, x=9.9, ix=0) + frame.format(step=10, x=0.1, ix=1))
    return path


def test_ase_dump_reader_loses_the_image_flags_that_ogns_keeps(tmp_path):
    """Why ogn keeps its own LAMMPS-dump reader (see ogn_lib.data.atoms)."""
    path = crossing_dump(tmp_path / "crossing.dump")
    ours = read_lammps_dump(path)
    theirs = ase.io.read(path, format="lammps-dump-text", index=":", units="metal")
    our_step = ours[1].unwrapped_positions[0, 0] - ours[0].unwrapped_positions[0, 0]
    their_step = theirs[1].positions[0, 0] - theirs[0].positions[0, 0]
    assert our_step == pytest.approx(0.2) and their_step == pytest.approx(-9.8)
    # The velocities agree once ASE's units are taken back to metal ones.
    assert np.allclose(theirs[0].get_velocities() / ase_scale("metal").velocity,
                       ours[0].velocities)
    # ASE names LAMMPS type 1 as hydrogen; ogn keeps the number for --types to name.
    assert theirs[0].get_chemical_symbols()[0] == "H" and ours[0].type_names == ("1", "2")
    assert math.isnan(ours[0].masses[0])


def test_ogn_convert_reads_extended_xyz_and_refuses_a_triclinic_cell_in_one_line(tmp_path,
                                                                                  capsys):
    from ogn_lib.cli import main

    frames = [atoms_from_configuration(metal_configuration(), "metal") for _ in range(2)]
    frames[1].info["step"] = 1210
    ase.io.write(tmp_path / "run.xyz", frames, format="extxyz")
    assert main(["convert", str(tmp_path / "run.xyz"), str(tmp_path / "run.gsd"),
                 "--system", "cuzr", "--dt", "0.002", "--units", "metal"]) == 0
    assert "2 frames, 10 MD steps apart, system 'cuzr'" in capsys.readouterr().out
    frames[0].set_cell([[10, 0, 0], [1, 11, 0], [0, 0, 12]])
    ase.io.write(tmp_path / "tilted.xyz", frames, format="extxyz")
    code = main(["convert", str(tmp_path / "tilted.xyz"), str(tmp_path / "tilted.gsd"),
                 "--system", "cuzr", "--dt", "0.002", "--units", "metal"])
    error = capsys.readouterr().err.strip()
    assert code == 2 and "triclinic" in error and len(error.splitlines()) == 1
    assert not (tmp_path / "tilted.gsd").exists()
