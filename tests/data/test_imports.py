"""Trajectories of other programs come in: a GSD file written by the gsd package alone and
a LAMMPS text dump written by LAMMPS itself from a plain input script."""

import gsd.hoomd
import numpy as np
import pytest

from ogn_lib.data.imports import RunDescription, import_trajectory, read_lammps_dump
from ogn_lib.data.sidecar import TrajectoryError
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.md.lammps import run_script
from ogn_lib.paths import REPOSITORY_ROOT
from ogn_lib.periodic import minimum_image

SCRIPT = REPOSITORY_ROOT / "examples" / "lj_liquid" / "in.lj"
LJ = RunDescription(system="my-lj", dt=0.005, units="lj")


def write_plain_gsd(path, steps=(0, 10, 20), velocities_in_every_frame=True):
    """What HOOMD-blue or any gsd user writes: no ogn sidecar, positions slightly outside
    the box in one frame (some writers do not wrap)."""
    rng = np.random.default_rng(0)
    box = 5.0
    with gsd.hoomd.open(str(path), mode="w") as file:
        for index, step in enumerate(steps):
            frame = gsd.hoomd.Frame()
            frame.configuration.step = step
            frame.configuration.box = [box, box, box, 0, 0, 0]
            frame.particles.N = 20
            frame.particles.types = ["A", "B"]
            frame.particles.typeid = np.arange(20, dtype=np.uint32) % 2
            frame.particles.mass = np.where(np.arange(20) % 2, 2.0, 1.0).astype(np.float32)
            positions = rng.uniform(-box / 2, box / 2, (20, 3)).astype(np.float32)
            positions[0, 0] = box / 2 + 0.1 if index == 1 else positions[0, 0]
            frame.particles.position = positions
            if velocities_in_every_frame or index == 0:
                frame.particles.velocity = rng.normal(size=(20, 3)).astype(np.float32)
            frame.particles.image = np.zeros((20, 3), dtype=np.int32)
            file.append(frame)


def test_a_plain_gsd_file_becomes_an_ogn_trajectory(tmp_path):
    write_plain_gsd(tmp_path / "hoomd.gsd")
    metadata = import_trajectory(tmp_path / "hoomd.gsd", tmp_path / "ours.gsd", LJ)
    trajectory = read_trajectory(tmp_path / "ours.gsd")
    assert (metadata.system, metadata.dt, metadata.period_steps) == ("my-lj", 0.005, 10)
    assert trajectory.type_names == ("A", "B") and list(trajectory.steps) == [0, 10, 20]
    np.testing.assert_allclose(trajectory.masses[:2], [1.0, 2.0])
    with gsd.hoomd.open(str(tmp_path / "hoomd.gsd")) as original:
        unwrapped = [frame.particles.position + frame.particles.image * 5.0
                     for frame in original]
    np.testing.assert_allclose(trajectory.unwrapped_positions, unwrapped, atol=1e-5)
    assert np.all(np.abs(trajectory.positions) <= 2.5)
    assert trajectory.metadata.extra["source"]["file"] == "hoomd.gsd"


def test_a_gsd_file_without_velocities_in_every_frame_is_refused(tmp_path):
    write_plain_gsd(tmp_path / "hoomd.gsd", velocities_in_every_frame=False)
    with pytest.raises(TrajectoryError, match="frame 1 stores no velocities"):
        import_trajectory(tmp_path / "hoomd.gsd", tmp_path / "ours.gsd", LJ)
    assert not (tmp_path / "ours.gsd").exists()


def test_frames_not_evenly_spaced_are_refused_and_nothing_is_written(tmp_path):
    write_plain_gsd(tmp_path / "hoomd.gsd", steps=(0, 10, 30))
    with pytest.raises(TrajectoryError, match="10, 20 MD steps apart"):
        import_trajectory(tmp_path / "hoomd.gsd", tmp_path / "ours.gsd", LJ)
    assert list(tmp_path.iterdir()) == [tmp_path / "hoomd.gsd"]


@pytest.fixture(scope="module")
def lammps_dumps(tmp_path_factory):
    """The example script run by LAMMPS twice from the same seed: the dump it writes
    (wrapped positions and image flags), and one with unwrapped positions instead."""
    folder = tmp_path_factory.mktemp("lammps")
    variables = {"cells": 3, "equilibration": 200, "steps": 40, "every": 10, "seed": 7}
    run_script(SCRIPT, variables, folder)
    unwrapped_script = folder / "in.unwrapped"
    unwrapped_script.write_text(SCRIPT.read_text().replace("x y z vx", "xu yu zu vx"))
    (folder / "liquid.dump").rename(folder / "wrapped.dump")
    run_script(unwrapped_script, variables, folder)
    return folder / "wrapped.dump", folder / "liquid.dump"


def test_a_lammps_dump_becomes_an_ogn_trajectory_with_continuous_unwrapped_positions(
        lammps_dumps, tmp_path):
    wrapped, unwrapped = lammps_dumps
    description = RunDescription(system="my-lj", dt=0.005, units="lj", type_names=("A",),
                                 masses=(1.0,))
    import_trajectory(wrapped, tmp_path / "a.gsd", description)
    import_trajectory(unwrapped, tmp_path / "b.gsd", description)
    a, b = read_trajectory(tmp_path / "a.gsd"), read_trajectory(tmp_path / "b.gsd")
    assert a.n_frames == 5 and a.metadata.period_steps == 10 and a.type_names == ("A",)
    assert len(a.typeids) == 108
    # Two readings of the same run: image flags and unwrapped columns agree.
    np.testing.assert_allclose(a.unwrapped_positions - a.unwrapped_positions[0],
                               b.unwrapped_positions - b.unwrapped_positions[0], atol=1e-4)
    # Consecutive frames 10 steps apart: nobody jumps by a box length.
    steps = np.diff(a.unwrapped_positions, axis=0)
    assert np.abs(steps).max() < 0.5
    np.testing.assert_allclose(minimum_image(steps, a.box_lengths), steps, atol=1e-5)


def test_a_dump_has_no_masses_so_they_must_be_given(lammps_dumps, tmp_path):
    wrapped, _ = lammps_dumps
    assert np.isnan(read_lammps_dump(wrapped)[0].masses).all()
    with pytest.raises(ValueError, match="holds no masses.*--masses"):
        import_trajectory(wrapped, tmp_path / "a.gsd", LJ)


def test_a_cut_dump_and_a_bad_description_are_refused(lammps_dumps, tmp_path):
    wrapped, _ = lammps_dumps
    lines = wrapped.read_text().splitlines()
    (tmp_path / "cut.dump").write_text("\n".join(lines[:-5]) + "\n")
    with pytest.raises(TrajectoryError, match="cut short"):
        read_lammps_dump(tmp_path / "cut.dump")
    with pytest.raises(ValueError, match="units 'si'"):
        RunDescription(system="x", dt=0.001, units="si")
    with pytest.raises(ValueError, match="dt = 0"):
        RunDescription(system="x", dt=0, units="lj")
    (tmp_path / "there.gsd").write_bytes(b"keep me")
    with pytest.raises(ValueError, match="exists"):
        import_trajectory(wrapped, tmp_path / "there.gsd", LJ)
    assert (tmp_path / "there.gsd").read_bytes() == b"keep me"


def _edited_dump(source, target, edit_row=None, header=None, row_index=0):
    """``source`` with the ``row_index``-th atom row of its first frame edited (a list of
    columns in, a list out) and, given ``header``, every ``ITEM: ATOMS`` line and row cut to
    the header's columns."""
    lines = source.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("ITEM: ATOMS")) + 1
    if edit_row is not None:
        lines[start + row_index] = " ".join(edit_row(lines[start + row_index].split()))
    if header is not None:
        width = len(header.split()) - 2
        lines = [header if line.startswith("ITEM: ATOMS") else
                 " ".join(line.split()[:width]) if len(line.split()) == 11 else line
                 for line in lines]
    target.write_text("\n".join(lines) + "\n")
    return target


ONE_TYPE = RunDescription(system="my-lj", dt=0.005, units="lj", type_names=("A",),
                          masses=(1.0,))


@pytest.mark.parametrize("edit, message", [
    (lambda row: ["1", *row[1:]], "atom id 1 appears 2 times"),
    (lambda row: [row[0], "0", *row[2:]], "has type 0; LAMMPS types count from 1"),
    (lambda row: [*row[:5], "nan", *row[6:]], "atom id 2 has vx = nan; a trajectory holds "
                                              "finite numbers only"),
    (lambda row: [*row[:2], "inf", *row[3:]], "atom id 2 has x = inf"),
], ids=["duplicated id", "type 0", "NaN velocity", "infinite position"])
def test_a_dump_with_a_wrong_atom_row_is_refused_naming_it(lammps_dumps, tmp_path, edit,
                                                            message):
    wrapped, _ = lammps_dumps
    bad = _edited_dump(wrapped, tmp_path / "bad.dump", edit, row_index=1)
    with pytest.raises(TrajectoryError, match=message):
        import_trajectory(bad, tmp_path / "a.gsd", ONE_TYPE)
    assert not (tmp_path / "a.gsd").exists()


def test_wrapped_positions_without_image_flags_are_refused(lammps_dumps, tmp_path):
    wrapped, _ = lammps_dumps
    bad = _edited_dump(wrapped, tmp_path / "bad.dump",
                       header="ITEM: ATOMS id type x y z vx vy vz")
    with pytest.raises(TrajectoryError, match="wrapped positions without image flags"):
        import_trajectory(bad, tmp_path / "a.gsd", ONE_TYPE)


def test_a_known_system_comes_in_its_own_units_species_and_masses(tmp_path):
    write_plain_gsd(tmp_path / "hoomd.gsd")  # types A and B of masses 1 and 2
    with pytest.raises(ValueError, match="in LAMMPS lj units, not real; give --units lj"):
        import_trajectory(tmp_path / "hoomd.gsd", tmp_path / "a.gsd",
                          RunDescription(system="lj", dt=0.005, units="real"))
    with pytest.raises(ValueError, match="B atoms have mass 2, but .* B weighs 1 m; give "
                                         "--masses 1,1"):
        import_trajectory(tmp_path / "hoomd.gsd", tmp_path / "a.gsd",
                          RunDescription(system="lj", dt=0.005, units="lj"))
    with pytest.raises(ValueError, match="type 'Si' is not a species of"):
        import_trajectory(tmp_path / "hoomd.gsd", tmp_path / "a.gsd",
                          RunDescription(system="lj", dt=0.005, units="lj",
                                         type_names=("A", "Si"), masses=(1.0, 1.0)))
    import_trajectory(tmp_path / "hoomd.gsd", tmp_path / "a.gsd",
                      RunDescription(system="lj", dt=0.005, units="lj", masses=(1.0, 1.0)))
    assert read_trajectory(tmp_path / "a.gsd").metadata.system == "lj"


def test_a_gsd_file_with_a_nan_velocity_is_refused_naming_the_atom(tmp_path):
    write_plain_gsd(tmp_path / "hoomd.gsd")
    with gsd.hoomd.open(str(tmp_path / "hoomd.gsd")) as original, \
            gsd.hoomd.open(str(tmp_path / "nan.gsd"), mode="w") as broken:
        for index, frame in enumerate(original):
            if index == 2:
                frame.particles.velocity[3, 1] = np.nan
            broken.append(frame)
    with pytest.raises(TrajectoryError, match="step 20: atom 3 .* has velocities "
                                              r"\[.*nan.*\]; a trajectory holds finite"):
        import_trajectory(tmp_path / "nan.gsd", tmp_path / "ours.gsd", LJ)
    assert not (tmp_path / "ours.gsd").exists()


def test_text_in_a_number_field_names_the_line(lammps_dumps, tmp_path):
    wrapped, _ = lammps_dumps
    bad = _edited_dump(wrapped, tmp_path / "bad.dump",
                       lambda row: [*row[:3], "oops", *row[4:]], row_index=4)
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "oops" in text)
    with pytest.raises(TrajectoryError, match=f"bad.dump, line {line}: .*oops.* is not a row "
                                              "of numbers"):
        read_lammps_dump(bad)


def test_an_infinite_mass_is_refused_as_such():
    with pytest.raises(ValueError, match=r"masses \(inf,\): every mass must be a positive "
                                         "finite number"):
        RunDescription(system="x", dt=0.005, units="lj", type_names=("A",),
                       masses=(float("inf"),))
