"""The KA-LJ size-scaling benchmark: which models run at which atom counts, with which
weights, and what each row records."""

from dataclasses import replace

import pytest

from ogn_lib.bench import size_scaling
from ogn_lib.bench.size_scaling import (
    cases,
    lammps_row,
    rollout_row,
    timed_predictions,
    training_rows,
    weights,
)
from ogn_lib.learn.network import EDGE_CHUNK
from ogn_lib.learn.presets import graph_cutoff, model_config
from ogn_lib.learn.trained_models import shipped_path


def test_quick_sizes_run_the_shipped_weights_and_paper_sizes_an_untrained_network():
    checkpoint, description = weights("fast", "quick")
    assert checkpoint == str(shipped_path("quick", "lj", "fast"))
    assert description.startswith("shipped quick fast-OGN weights (")
    assert weights("fast", "paper") == (
        None, "untrained paper-size fast-OGN (speed does not depend on weights)")


def test_cheap_sizes_are_timed_many_times_and_the_costliest_once():
    assert timed_predictions(265, "reference", "quick") == 20
    assert timed_predictions(10_000, "fast", "paper") == 2
    assert timed_predictions(100_000, "fast", "quick") == 2
    assert timed_predictions(100_000, "fast", "paper") == 1
    assert timed_predictions(100_000, "reference", "quick") == 1


@pytest.mark.parametrize("quick_only", [True, False])
def test_every_size_runs_the_fast_ogn_with_and_without_edge_chunks(quick_only):
    chosen = cases(quick_only, (300, 2000, 60_000))
    layout = [(c.preset, c.sizes, c.n_atoms, c.edge_chunk, c.checkpoint is None)
              for c in chosen]
    expected = ([("fast", "quick", n, chunk, False) for chunk in (EDGE_CHUNK, None)
                 for n in (300, 2000, 60_000)]
                + [("reference", "quick", n, EDGE_CHUNK, False) for n in (300, 2000)])
    if not quick_only:
        expected += [("fast", "paper", n, EDGE_CHUNK, True) for n in (300, 2000, 60_000)]
    assert layout == expected
    assert all(c.system == "lj" and c.start == "random" for c in chosen)


def test_a_rollout_row_names_its_weights_and_its_checkpoint_in_the_repository():
    case = next(c for c in cases(True, (300,)) if c.edge_chunk is None)
    lines = []
    row = rollout_row(replace(case, n_predictions=1), lines.append)
    assert row["checkpoint"] == "data/shipped/quick/lj-fast.pt"
    assert row["weights"].startswith("shipped quick fast-OGN weights")
    assert row["n_atoms"] == 300 and row["edge_chunk"] is None
    assert lines and "N=   300" in lines[0] and "GiB" in lines[0]


def test_lammps_runs_on_the_random_liquid_the_ogn_runs_on():
    lines = []
    row = lammps_row(300, lines.append)
    assert (row["system"], row["n_atoms"], row["n_steps"]) == ("lj", 300, 200)
    assert row["stable"] and row["atom_steps_per_s"] > 0
    assert lines[0].startswith("   LAMMPS N=   300")


@pytest.mark.parametrize("quick_only", [True, False])
def test_training_throughput_runs_each_preset_at_each_asked_network_size(
        monkeypatch, quick_only):
    monkeypatch.setattr(size_scaling, "pairs_for",
                        lambda profile, name, preset, role, make_missing: (
                            (profile, name, preset, role, make_missing), None))
    monkeypatch.setattr(size_scaling, "training_throughput",
                        lambda pairs, model: {"pairs": pairs, "model": model,
                                              "samples_per_s": 1.0})
    rows = training_rows(quick_only, log=lambda line: None)
    asked = [("quick", "fast"), ("quick", "reference")]
    if not quick_only:
        asked += [("paper", "fast"), ("paper", "reference")]
    assert [(row["sizes"], row["preset"]) for row in rows] == asked
    for row in rows:
        assert row["pairs"] == ("quick", "lj", row["preset"], "train", False)
        assert row["model"] == model_config(row["preset"], row["sizes"], 2,
                                            graph_cutoff("lj"), "lj")
