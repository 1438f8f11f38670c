"""A rollout is computed once and read back from its file while nothing that determines it
changed; any change, or a damaged file, rolls out anew; scoring its states and reading it as
a trajectory share it."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.keyed_arrays import keyed_path
from ogn_lib.learn import rollout_cache
from ogn_lib.learn.ensembles import CSVR, NVE
from ogn_lib.learn.rollout import rollout_trajectory, rollout_until_blow_up
from ogn_lib.learn.rollout_cache import (
    cached_rollout,
    cached_rollout_states,
    rollout_key,
    states_key,
)


@pytest.fixture(scope="module")
def start():
    return toy_trajectory().configuration(0)


def counting(monkeypatch):
    calls = []
    original = rollout_cache.rollout_until_blow_up
    monkeypatch.setattr(rollout_cache, "rollout_until_blow_up",
                        lambda *args: calls.append(args) or original(*args))
    return calls


def test_a_second_call_reads_the_first_ones_file(start, tmp_path, monkeypatch):
    calls = counting(monkeypatch)
    simulator = untrained_simulator()
    first = cached_rollout(simulator, start, 4, tmp_path)
    second = cached_rollout(simulator, start, 4, tmp_path)
    assert len(calls) == 1 and first.n_frames == second.n_frames == 5
    np.testing.assert_array_equal(first.positions, second.positions)
    in_memory = rollout_trajectory(simulator, start, 4)
    np.testing.assert_array_equal(first.unwrapped_positions, in_memory.unwrapped_positions)
    assert first.metadata.key == rollout_key(simulator, start, 4)
    assert first.metadata.blow_up is None and first.metadata.period_steps == 5
    cached_rollout_states(simulator, start, 4, tmp_path)  # the same rollout, scored
    assert len(calls) == 1


def test_anything_that_determines_the_rollout_changes_its_key(start):
    simulator = untrained_simulator()
    key = rollout_key(simulator, start, 4)
    other_weights = untrained_simulator()
    with torch.no_grad():
        next(other_weights.parameters()).add_(1e-3)
    thermostat = CSVR(temperature=1.0, coupling_time=0.1, seed=1)
    changed = [rollout_key(simulator, start, 5),
               rollout_key(simulator, replace(start, velocities=start.velocities * 1.001), 4),
               rollout_key(simulator, replace(start, step=start.step + 5), 4),
               rollout_key(other_weights, start, 4),
               rollout_key(untrained_simulator(k_steps=10), start, 4),
               rollout_key(simulator, start, 4, thermostat),
               rollout_key(simulator, start, 4, replace(thermostat, seed=2))]
    assert len({key, *changed}) == 1 + len(changed)
    assert rollout_key(simulator, start, 4, NVE()) == key


def test_a_damaged_or_foreign_file_is_made_again(start, tmp_path, monkeypatch):
    calls = counting(monkeypatch)
    simulator = untrained_simulator()
    first = cached_rollout(simulator, start, 4, tmp_path)
    path = keyed_path(tmp_path, "states", states_key(first.metadata.key))
    path.write_bytes(path.read_bytes()[:-100])  # truncated: it no longer reads
    again = cached_rollout(simulator, start, 4, tmp_path)
    assert len(calls) == 2
    np.testing.assert_array_equal(first.positions, again.positions)
    longer = cached_rollout(simulator, start, 5, tmp_path)
    path.write_bytes(keyed_path(tmp_path, "states", states_key(longer.metadata.key))
                     .read_bytes())  # another rollout's file in its place
    assert cached_rollout(simulator, start, 4, tmp_path).n_frames == 5 and len(calls) == 4


def test_kept_states_are_the_rollout_s_own_float64_states_made_once(start, tmp_path,
                                                                    monkeypatch):
    simulator = untrained_simulator()
    made = rollout_until_blow_up(simulator, start, 4)
    calls = counting(monkeypatch)
    for _ in range(2):
        states, failure = cached_rollout_states(simulator, start, 4, tmp_path)
        assert failure is made[1] is None and len(states) == len(made[0]) == 4
        for state, expected in zip(states, made[0]):
            assert state.positions.dtype == np.float64 and state.step == expected.step
            np.testing.assert_array_equal(state.positions, expected.positions)
            np.testing.assert_array_equal(state.velocities, expected.velocities)
            np.testing.assert_array_equal(state.images, expected.images)
    assert len(calls) == 1
    as_trajectory = cached_rollout(simulator, start, 4, tmp_path)
    np.testing.assert_array_equal(as_trajectory.positions[-1], made[0][-1].positions)


def test_kept_states_of_a_rollout_that_stopped_keep_its_reason(start, tmp_path):
    simulator = untrained_simulator(closest_approach=10.0)  # every pair is "too close"
    made = rollout_until_blow_up(simulator, start, 3)
    assert made[0] == [] and "two atoms are" in made[1]
    assert cached_rollout_states(simulator, start, 3, tmp_path) == made
    assert cached_rollout_states(simulator, start, 3, tmp_path) == made
