"""A run is kept with every field of every configuration as it was, float64 and the
energies included, and with why it stopped: given back bit for bit."""

from dataclasses import replace

import numpy as np
import pytest
from toy_lj import toy_trajectory

from ogn_lib.kept_runs import configuration_arrays, kept_run, run_arrays, run_from_arrays


@pytest.fixture(scope="module")
def frames():
    """Float64 states a float32 file would round, with the engine's energies."""
    trajectory = toy_trajectory()
    return [replace(trajectory.configuration(i),
                    positions=trajectory.positions[i].astype(np.float64) / 3,
                    masses=np.full(len(trajectory.typeids), 28.0855),
                    energies={"potential_energy": -1 / 3 - i, "kinetic_energy": 2 / 3})
            for i in range(4)]


def assert_same_run(found, frames):
    assert len(found) == len(frames)
    for got, made in zip(found, frames):
        for name, array in configuration_arrays(made):
            assert getattr(got, name).dtype == array.dtype
            np.testing.assert_array_equal(getattr(got, name), array)
        assert got.step == made.step and got.type_names == made.type_names
        assert got.energies == made.energies


def test_a_run_comes_back_bit_for_bit_with_its_failure(frames):
    found, failure = run_from_arrays(run_arrays(frames, "prediction 4: two atoms fused"))
    assert_same_run(found, frames)
    assert failure == "prediction 4: two atoms fused"


def test_a_completed_run_keeps_none_and_an_engine_s_empty_failure_stays_empty(frames):
    assert run_from_arrays(run_arrays(frames, None))[1] is None
    assert run_from_arrays(run_arrays(frames, ""))[1] == ""


def test_a_run_that_failed_at_once_has_no_frames(frames):
    assert run_from_arrays(run_arrays([], "non-finite position")) == ([], "non-finite position")


def test_frames_of_different_runs_are_refused(frames):
    with pytest.raises(ValueError, match="keep frames of one run"):
        run_arrays([frames[0], replace(frames[1], energies={})], None)


def test_a_kept_run_is_made_once(frames, tmp_path):
    calls = []

    def make():
        calls.append(1)
        return frames, None

    for _ in range(2):
        found, failure = kept_run(tmp_path, "states", "a" * 64, make)
        assert_same_run(found, frames)
        assert failure is None
    assert len(calls) == 1
