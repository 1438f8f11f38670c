"""The rollout-lever benchmark times the library's own rollout step, each lever from the
same start, and compares every lever with the first."""

import numpy as np
import pytest
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.bench.rollout_levers import measure_levers, timed_rollout
from ogn_lib.configuration import tiled
from ogn_lib.learn.graph import NeighbourList
from ogn_lib.learn.rollout import rollout_states
from ogn_lib.learn.trained_models import load_shipped


@pytest.fixture(scope="module")
def start():
    """A 864-atom A/B liquid: the toy's last frame, three copies per edge."""
    toy = toy_trajectory()
    return tiled(toy.configuration(toy.n_frames - 1), 3)


@pytest.fixture(scope="module")
def shipped():
    simulator, _ = load_shipped("quick", "lj", "fast")
    return simulator


def test_a_timed_rollout_ends_where_the_librarys_rollout_does(shipped, start):
    state, seconds = timed_rollout(shipped, start, 3)
    *_, last = rollout_states(shipped, start, 3)
    np.testing.assert_array_equal(state.positions, last.positions)
    np.testing.assert_array_equal(state.images, last.images)
    assert len(seconds) == 3 and all(s > 0 for s in seconds)


def test_a_timed_rollout_with_a_neighbour_list_searches_it(shipped, start):
    cutoff = shipped.spec.model.cutoff
    neighbours = NeighbourList(cutoff, 0.2 * cutoff)
    state, _ = timed_rollout(shipped, start, 3, neighbours)
    *_, last = rollout_states(shipped, start, 3, skin=0.2 * cutoff)
    np.testing.assert_allclose(state.positions, last.positions, atol=1e-5)
    assert neighbours.calls == 3 and 1 <= neighbours.searches <= 3


def test_every_lever_is_measured_against_the_first(start):
    levers = {"fresh search": {}, "skin 0.2 r_c": {"skin_fraction": 0.2},
              "fewer predictions": {"predictions": 1}}
    lines = []
    report = measure_levers(untrained_simulator(closest_approach=0.0), start, 6, levers,
                            log=lines.append)
    assert (report["n_atoms"], report["k_steps"], report["cutoff"]) == (864, 5, 1.4)
    fresh, skin, fewer = report["levers"]
    assert [row["lever"] for row in report["levers"]] == list(levers)
    assert fresh["searches"] == fresh["predictions"] == 7 and fresh["speed_up"] == 1.0
    assert skin["skin_fraction"] == 0.2 and 1 <= skin["searches"] < 7
    assert skin["speed_up"] == pytest.approx(fresh["cpu_s_per_prediction"]
                                             / skin["cpu_s_per_prediction"])
    # An untrained network flies the atoms straight, whatever the graph's edge order.
    assert fresh["max_position_difference"] == skin["max_position_difference"] == 0.0
    assert fewer["predictions"] == 2 and fewer["max_position_difference"] is None
    assert len(lines) == 3 and all(line.startswith("toy-lj {'lever': ") for line in lines)

