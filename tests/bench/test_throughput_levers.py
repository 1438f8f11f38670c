"""The training throughput levers are each timed on the same pairs, the first batch apart."""

import json

import pytest
from md_helpers import small_trajectory

from ogn_lib.bench.throughput_levers import throughput_levers
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import graph_cutoff, model_config


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    return PairSet([small_trajectory(tmp_path_factory.mktemp("truth"), "lj")], k_steps=5)


def test_each_lever_changes_the_profile_model_or_batch_and_is_timed_after_a_first_batch(pairs):
    levers = {"profile": {}, "batch-2": {"batch_size": 2}, "tensors-0": {"model": {"n_tensors": 0}}}
    lines = []
    rows = throughput_levers("lj", pairs, n_batches=2, levers=levers, log=lines.append)
    assert [row["lever"] for row in rows] == list(levers)
    assert [row["batch_size"] for row in rows] == [8, 2, 8]
    profile = model_config("fast", "quick", 2, graph_cutoff("lj"), "lj")
    assert [row["n_tensors"] for row in rows] == [profile.n_tensors, profile.n_tensors, 0]
    for row in rows:
        assert row["samples_per_cpu_s"] == pytest.approx(row["batch_size"]
                                                         / row["cpu_s_per_batch"])
        assert row["total_cpu_s"] >= row["first_batch_cpu_s"] + 2 * row["cpu_s_per_batch"] - 1e-9
    assert [json.loads(line) for line in lines] == rows
