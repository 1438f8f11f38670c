"""GSD files hold what the engine held, every frame, and broken files are caught."""

import json
import re
from dataclasses import replace

import gsd.hoomd
import numpy as np
import pytest
from toy_lj import toy_trajectory

from ogn_lib.data.sidecar import TrajectoryError, TrajectoryMetadata, read_metadata, sidecar_path
from ogn_lib.data.trajectory import (
    LOG_KEYS,
    frame_stride,
    frames_k_steps_apart,
    read_trajectory,
    trajectory_from_configurations,
    validate,
)
from ogn_lib.data.trajectory_writer import TrajectoryWriter
from ogn_lib.files import file_sha256
from ogn_lib.md.lammps import Simulation
from ogn_lib.md.systems import SYSTEMS


class Recorder:
    """A writer that keeps the engine's own configurations in memory."""

    period_steps = 1

    def __init__(self, writer):
        self.writer, self.held = writer, []

    def append(self, configuration):
        self.held.append(configuration)
        self.writer.append(configuration)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    path = tmp_path_factory.mktemp("gsd") / "lj.gsd"
    system = SYSTEMS["lj"]
    with Simulation(system, seed=5) as simulation, TrajectoryWriter(path) as writer:
        simulation.create_random_state(265)
        simulation.minimize()
        simulation.thermalize(system.temperature, 200)
        recorder = Recorder(writer)
        simulation.run(10, recorder)
        writer.commit({"system": "lj", "dt": system.dt, "tags": {"purpose": "test"}})
    return path, recorder.held


def test_velocities_are_stored_in_every_frame_and_change(recorded):
    path, held = recorded
    trajectory = read_trajectory(path)
    assert trajectory.n_frames == len(held) == 11
    for frame in range(1, trajectory.n_frames):
        assert not np.allclose(trajectory.velocities[frame], trajectory.velocities[frame - 1])
    with gsd.hoomd.open(str(path)) as frames:
        for frame in frames:
            assert frame.particles.velocity is not None


def test_saved_frames_equal_what_the_engine_held(recorded):
    path, held = recorded
    trajectory = read_trajectory(path)
    for index, configuration in enumerate(held):
        np.testing.assert_allclose(trajectory.positions[index], configuration.positions,
                                   atol=1e-6)
        np.testing.assert_allclose(trajectory.velocities[index], configuration.velocities,
                                   rtol=1e-6, atol=1e-6)
        np.testing.assert_array_equal(trajectory.images[index], configuration.images)
        assert trajectory.steps[index] == configuration.step
        assert trajectory.energies["potential_energy"][index] == pytest.approx(
            configuration.energies["potential_energy"])


def test_file_uses_hoomd_log_keys_types_and_box(recorded):
    path, _ = recorded
    with gsd.hoomd.open(str(path)) as frames:
        last = frames[len(frames) - 1]
        assert last.particles.types == ["A", "B"]
        np.testing.assert_allclose(last.configuration.box[:3], 6.0443, atol=1e-3)
        for key in LOG_KEYS.values():
            assert key in last.log
        assert np.all(np.abs(last.particles.position) <= last.configuration.box[0] / 2)


def test_truncated_file_is_detected(recorded, tmp_path):
    path, _ = recorded
    copy = tmp_path / "copy.gsd"
    copy.write_bytes(path.read_bytes()[:-500])
    sidecar_path(copy).write_text(sidecar_path(path).read_text())
    with pytest.raises(TrajectoryError, match="truncated or was modified"):
        validate(copy)


def test_file_without_sidecar_is_incomplete(recorded, tmp_path):
    path, _ = recorded
    copy = tmp_path / "alone.gsd"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(TrajectoryError, match="no sidecar"):
        read_trajectory(copy)


def test_sidecar_records_hash_frames_and_period(recorded):
    path, _ = recorded
    sidecar = json.loads(sidecar_path(path).read_text())
    assert sidecar["n_frames"] == 11 and sidecar["period_steps"] == 1
    assert len(sidecar["gsd_sha256"]) == 64


def test_interrupted_writer_leaves_no_file(tmp_path):
    path = tmp_path / "never.gsd"
    with pytest.raises(RuntimeError):
        with TrajectoryWriter(path):
            raise RuntimeError("interrupted")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_writer_rejects_non_positive_period(tmp_path):
    with pytest.raises(ValueError, match="period"):
        TrajectoryWriter(tmp_path / "x.gsd", period_steps=0)


def test_positions_stay_in_the_box_and_unwrap_continuously(tmp_path):
    system = SYSTEMS["lj"]
    path = tmp_path / "long.gsd"
    with Simulation(system, seed=9) as simulation, TrajectoryWriter(path) as writer:
        simulation.create_random_state(265)
        simulation.minimize()
        simulation.thermalize(5.0, 200)
        simulation.run(400, writer)
        writer.commit({"system": "lj", "dt": system.dt})
    trajectory = read_trajectory(path)
    half = trajectory.box_lengths / 2
    assert np.all(trajectory.positions >= -half) and np.all(trajectory.positions < half)
    jumps = np.abs(np.diff(trajectory.unwrapped_positions, axis=0))
    assert jumps.max() < 0.2, "an image flag missed a boundary crossing"
    assert np.abs(trajectory.images).max() >= 1, "at T = 5 some atom crosses a face"


def test_two_writers_of_one_file_do_not_collide(tmp_path, recorded):
    _, held = recorded
    path = tmp_path / "same.gsd"
    first, second = TrajectoryWriter(path), TrajectoryWriter(path)
    for writer in (first, second):
        for configuration in held[:3]:
            writer.append(configuration)
    first.commit({"system": "lj", "dt": 0.005, "who": 1})
    second.commit({"system": "lj", "dt": 0.005, "who": 2})
    assert read_trajectory(path).n_frames == 3
    assert not list(tmp_path.glob("*.partial*"))


def test_configurations_stack_into_the_trajectory_a_file_would_hold(recorded):
    path, held = recorded
    from_file = read_trajectory(path)
    stacked = trajectory_from_configurations(held, {"system": "lj", "dt": 0.005,
                                                    "period_steps": 1})
    assert stacked.n_frames == from_file.n_frames and stacked.type_names == ("A", "B")
    np.testing.assert_allclose(stacked.unwrapped_positions, from_file.unwrapped_positions,
                               atol=1e-4)
    np.testing.assert_array_equal(stacked.steps, from_file.steps)
    np.testing.assert_allclose(stacked.energies["potential_energy"],
                               from_file.energies["potential_energy"], rtol=1e-6)


def test_stacking_refuses_mixed_systems_and_missing_step(recorded):
    _, held = recorded
    with pytest.raises(ValueError, match="period_steps"):
        trajectory_from_configurations(held, {"system": "lj", "dt": 0.005})
    with pytest.raises(ValueError, match="one system only"):
        trajectory_from_configurations([held[0], replace(held[1], box_lengths=np.full(3, 9.0))],
                                       {"system": "lj", "dt": 0.005, "period_steps": 1})
    with pytest.raises(ValueError, match="no configurations"):
        trajectory_from_configurations([], {"system": "lj", "dt": 0.005, "period_steps": 1})


def test_metadata_round_trips_to_the_sidecar_key_for_key(recorded):
    path, _ = recorded
    sidecar = json.loads(sidecar_path(path).read_text())
    metadata = read_metadata(path)
    assert metadata.system == "lj" and metadata.n_frames == 11 and metadata.period_steps == 1
    assert metadata.extra == {"tags": {"purpose": "test"}}
    assert metadata.to_dict() == sidecar
    assert TrajectoryMetadata.from_dict(metadata.to_dict()) == metadata


@pytest.mark.parametrize("parameters, expected", [
    ({"temperature": 3.0, "n_atoms": 265}, 3.0),
    ({"t_melt": 2.0, "t_glass": 0.5, "t_final": 0.05}, 0.5),
    ({"n_atoms": 265}, None),
    (None, None),
])
def test_metadata_temperature_is_the_set_point_of_the_recorded_frames(parameters, expected):
    sidecar = {"system": "lj", "dt": 0.005, "period_steps": 1, "n_frames": 3}
    if parameters is not None:
        sidecar["parameters"] = parameters
    assert TrajectoryMetadata.from_dict(sidecar).temperature == expected


def test_metadata_keeps_optional_keys_stored_as_null():
    rollout = {"system": "lj", "dt": 0.005, "period_steps": 10, "n_frames": 3,
               "gsd_sha256": "ab" * 32, "blow_up": None, "k_steps": 10}
    metadata = TrajectoryMetadata.from_dict(rollout)
    assert metadata.blow_up is None and metadata.quench is None
    assert metadata.to_dict() == rollout


def test_sidecar_without_dt_names_the_file_the_key_and_the_fix(recorded, tmp_path):
    path, _ = recorded
    copy = tmp_path / "no-dt.gsd"
    copy.write_bytes(path.read_bytes())
    sidecar = json.loads(sidecar_path(path).read_text())
    del sidecar["dt"]
    sidecar_path(copy).write_text(json.dumps(sidecar))
    with pytest.raises(TrajectoryError) as error:
        read_trajectory(copy)
    message = str(error.value)
    assert "\n" not in message and str(sidecar_path(copy)) in message
    assert "'dt'" in message and "ogn generate" in message


def test_commit_refuses_metadata_without_system_or_step(tmp_path, recorded):
    _, held = recorded
    path = tmp_path / "bare.gsd"
    with pytest.raises(ValueError, match="'dt'"), TrajectoryWriter(path) as writer:
        writer.append(held[0])
        writer.commit({"system": "lj"})
    assert not path.exists()


def recorded_every(period: int, n_frames: int = 30):
    """The toy liquid, its frames labelled as recorded every ``period`` MD steps."""
    trajectory = toy_trajectory(n_frames=n_frames)
    return replace(trajectory, steps=trajectory.steps * period,
                   metadata=replace(trajectory.metadata, period_steps=period))


def test_frames_k_steps_apart_start_at_the_start_frame_and_step_by_k():
    frames = frames_k_steps_apart(recorded_every(2), k_steps=6, start_frame=4, n_strides=3)
    assert [frame.step for frame in frames] == [8, 14, 20, 26]


def test_frames_k_steps_apart_refuse_k_off_the_recording_grid_or_past_the_end():
    with pytest.raises(ValueError, match="not a multiple of the trajectory's recording "
                                         "period 2"):
        frame_stride(recorded_every(2), 5)
    with pytest.raises(ValueError, match="needs frame 34, but the trajectory has 30 frames"):
        frames_k_steps_apart(recorded_every(2), k_steps=6, start_frame=4, n_strides=10)


def _toy_file(path, n_frames: int = 4, change=None):
    """The toy liquid written as a GSD file through ``change(frame)`` (gsd.hoomd frames),
    with a sidecar that matches it."""
    with TrajectoryWriter(path) as writer:
        trajectory = toy_trajectory(n_frames=n_frames)
        for frame in range(n_frames):
            writer.append(trajectory.configuration(frame))
        writer.commit({"system": "toy-lj", "dt": 0.002})
    if change is not None:
        with gsd.hoomd.open(str(path)) as frames:
            changed = [change(frame) or frame for frame in frames]
        with gsd.hoomd.open(str(path), "w") as out:
            for frame in changed:
                out.append(frame)
        sidecar = json.loads(sidecar_path(path).read_text())
        sidecar["gsd_sha256"] = file_sha256(path)
        sidecar_path(path).write_text(json.dumps(sidecar))
    return path


def _tilt(frame):
    frame.configuration.box = [*frame.configuration.box[:3], 0.0, 0.2, 0.0]


def _no_velocities(frame):
    frame.particles.velocity = None


@pytest.mark.parametrize("check", [True, False])
@pytest.mark.parametrize("change, message", [
    (_tilt, "the box is tilted (tilt factors xy, xz, yz = 0, 0.2, 0)"),
    (_no_velocities, "frame 0 stores no velocities"),
])
def test_what_a_trajectory_cannot_hold_is_refused_naming_the_file(tmp_path, change, message,
                                                                  check):
    path = _toy_file(tmp_path / "other.gsd", change=change)
    with pytest.raises(TrajectoryError) as error:
        read_trajectory(path, check=check)
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_sidecar_whose_period_disagrees_with_the_step_numbers_fails_validation(tmp_path):
    path = _toy_file(tmp_path / "toy.gsd")
    assert validate(path).period_steps == 1
    sidecar = json.loads(sidecar_path(path).read_text())
    sidecar_path(path).write_text(json.dumps(dict(sidecar, period_steps=5)))
    with pytest.raises(TrajectoryError, match="frames are 1 MD steps apart, but the "
                                              "sidecar's period_steps is 5"):
        validate(path)


GOOD_SIDECAR = {"system": "lj", "dt": 0.005, "period_steps": 1, "n_frames": 3}


@pytest.mark.parametrize("sidecar, message", [
    ([GOOD_SIDECAR], "holds a JSON list, not an object"),
    ("lj", "holds a JSON str, not an object"),
    (dict(GOOD_SIDECAR, dt="0.005"), "'dt' = '0.005' is not a positive MD step"),
    (dict(GOOD_SIDECAR, dt=-0.005), "'dt' = -0.005"),
    (dict(GOOD_SIDECAR, period_steps=2.5), "'period_steps' = 2.5 is not a whole number"),
    (dict(GOOD_SIDECAR, period_steps=0), "'period_steps' = 0"),
    (dict(GOOD_SIDECAR, n_frames=True), "'n_frames' = True"),
    (dict(GOOD_SIDECAR, system=["lj"]), "'system' = ['lj'] is not a system name"),
    (dict(GOOD_SIDECAR, units=3), "'units' = 3 is not a unit table or name"),
    (dict(GOOD_SIDECAR, quench=[1, 2]), "'quench' = [1, 2] is not an object"),
])
def test_a_sidecar_of_the_wrong_shape_is_a_trajectory_error(sidecar, message):
    with pytest.raises(TrajectoryError, match=re.escape(message)):
        TrajectoryMetadata.from_dict(sidecar, "toy.json")


def test_a_refused_commit_leaves_no_file(tmp_path):
    path = tmp_path / "refused.gsd"
    with pytest.raises(TrajectoryError, match="'dt' = 0"), TrajectoryWriter(path) as writer:
        writer.append(toy_trajectory(n_frames=1).configuration(0))
        writer.commit({"system": "toy-lj", "dt": 0})
    assert list(tmp_path.iterdir()) == []


def test_frames_of_strided_arrays_are_written_without_gsd_s_copy_warnings(tmp_path, caplog):
    """Positions, velocities and images sliced out of a wider table (as a LAMMPS dump's
    columns are) are written without gsd's "implicit data copy" warning per chunk."""
    trajectory = toy_trajectory(0, n_frames=3)
    with TrajectoryWriter(tmp_path / "strided.gsd") as writer:
        for index in range(trajectory.n_frames):
            frame = trajectory.configuration(index)
            table = np.hstack([frame.positions, frame.velocities, frame.images])
            writer.append(replace(frame, positions=table[:, 0:3], velocities=table[:, 3:6],
                                  images=table[:, 6:9].astype(np.int32)))
        writer.commit({"system": "toy-lj", "dt": 0.005})
    assert "implicit data copy" not in caplog.text
    np.testing.assert_allclose(read_trajectory(tmp_path / "strided.gsd").positions,
                               trajectory.positions[:3], atol=1e-6)


def test_a_full_disk_at_the_sidecar_leaves_neither_file(tmp_path, monkeypatch):
    """The sidecar is written before the GSD takes its name: when it cannot be (no space
    left), no GSD without sidecar is left behind, and no partial file either."""
    trajectory = toy_trajectory(0, n_frames=3)
    original = type(tmp_path).write_text

    def no_space(self, *args, **kwargs):
        if ".partial-" in self.name and self.suffix == ".json":
            raise OSError(28, "No space left on device", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(type(tmp_path), "write_text", no_space)
    with pytest.raises(OSError, match="No space left"):
        with TrajectoryWriter(tmp_path / "full.gsd") as writer:
            for index in range(trajectory.n_frames):
                writer.append(trajectory.configuration(index))
            writer.commit({"system": "toy-lj", "dt": 0.005})
    assert list(tmp_path.iterdir()) == []


def test_a_writer_that_cannot_close_its_file_still_removes_it(tmp_path, monkeypatch):
    """A full disk can fail the last flush when the partial file is closed on the way out
    of an error: the partial file goes all the same."""
    trajectory = toy_trajectory(0, n_frames=2)
    with pytest.raises(RuntimeError, match="MD failed"):
        with TrajectoryWriter(tmp_path / "full.gsd") as writer:
            writer.append(trajectory.configuration(0))

            def no_space():
                raise OSError(28, "No space left on device")

            monkeypatch.setattr(writer._file, "close", no_space)
            raise RuntimeError("MD failed")
    assert list(tmp_path.iterdir()) == []
