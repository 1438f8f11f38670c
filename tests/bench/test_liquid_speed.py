"""The four-liquid speed benchmark runs the cases it promises, at the sizes it promises,
and keeps the faster of repeated timings (the timings themselves are recorded, not run,
where the test only checks which cases run)."""

import pytest
from toy_lj import toy_trajectory
from untrained import untrained_simulator

from ogn_lib.bench import liquid_speed
from ogn_lib.bench.liquid_speed import (
    measure_liquid,
    measure_pairs,
    measure_part_again,
    operator_shares,
    shipped,
)
from ogn_lib.configuration import tiled


@pytest.fixture
def recorded(monkeypatch):
    """Every fresh-process OGN case and LAMMPS run, recorded instead of timed; each OGN
    case takes one second more than the one before."""
    cases, runs = [], []

    def measure(case):
        cases.append(case)
        return {"n_atoms": case.n_atoms, "seconds_per_prediction": float(len(cases)),
                "atom_steps_per_s": 1.0, "matmul_flops_per_s": 1.0}

    def bare_rate(liquid, system, n_steps, dt_factor=1, threads=1):
        runs.append((liquid.n_atoms, n_steps, dt_factor, threads))
        return {"n_atoms": liquid.n_atoms, "stable": True, "atom_steps_per_s": 1.0}

    monkeypatch.setattr(liquid_speed, "measure_in_fresh_process", measure)
    monkeypatch.setattr(liquid_speed, "bare_rate", bare_rate)
    monkeypatch.setattr(liquid_speed, "timing_pairs",
                        lambda system, n_atoms, checkpoint, start: {
                            "n_atoms": n_atoms, "checkpoint": checkpoint, "start": start,
                            "pairs": [{"ratio": 2.0}]})
    return cases, runs


def test_both_models_and_lammps_run_at_every_size_and_more_at_the_smallest(recorded):
    cases, runs = recorded
    lines = []
    report = measure_liquid("lj", (300, 600), log=lines.append)
    trained = [(c.preset, c.n_atoms, c.threads) for c in cases if c.checkpoint]
    assert trained == [("fast", 300, 1), ("fast", 300, 2), ("reference", 300, 1),
                       ("fast", 600, 1), ("reference", 600, 1)]
    assert runs == [(300, 100, 1, 1), (300, 100, 1, 2), (300, 100, 5, 1), (600, 100, 1, 1)]
    assert (report["start"], report["k_steps"]) == ("random", 5)
    assert [row["weights"].split(" (")[0] for row in report["rollout"]] == [
        f"shipped quick {preset}-OGN" for preset, _, _ in trained]
    assert len(report["lammps"]) == 4 and len(report["top_operators"]) == 4
    assert set(report["pairs_once"]) == {"each direction", "pairs once", "time"}
    assert report["faster"]["checkpoint"] == "data/shipped/quick/lj-fast.pt"
    assert len(lines) == 5 + 4 + 2 + 1


def test_the_faster_of_the_tries_counts_for_each_way_of_evaluating_pairs(recorded):
    cases, _ = recorded
    pairs = measure_pairs("silica", 3000, log=lambda line: None, tries=2)
    assert [c.pair_once for c in cases] == [False, True, False, True]
    assert all(c.checkpoint is None and c.start == "tiled" for c in cases)
    assert pairs["each direction"]["seconds_per_prediction"] == 1.0
    assert pairs["pairs once"]["seconds_per_prediction"] == 2.0


def test_measuring_a_part_again_keeps_everything_else(monkeypatch):
    monkeypatch.setitem(liquid_speed.PARTS, "faster",
                        lambda system, n_atoms, log: {"n_atoms": n_atoms, "new": True})
    report = {"sizes": [300], "liquids": {"lj": {"faster": {}, "rollout": [1]},
                                          "si": {"faster": {}}}}
    again = measure_part_again(report, "faster", (300,), ["lj"])
    assert again["liquids"]["lj"] == {"faster": {"n_atoms": 300, "new": True}, "rollout": [1]}
    assert again["liquids"]["si"] == {"faster": {}} and again["sizes"] == [300]
    with pytest.raises(ValueError, match="part 'speed'"):
        measure_part_again(report, "speed", (300,), ["lj"])


def test_operator_shares_rank_torchs_operators_and_leave_the_rest_outside():
    toy = toy_trajectory()
    rows = operator_shares(untrained_simulator(), tiled(toy.configuration(0), 2), count=2)
    assert len(rows) == 3
    assert rows[0]["share"] >= rows[1]["share"] > 0
    assert rows[-1]["operator"].startswith("outside torch operators")
    assert 0 <= rows[-1]["share"] < 1


def test_a_shipped_model_is_named_by_its_epochs_and_commit():
    checkpoint, description = shipped("lj", "reference")
    assert checkpoint == "data/shipped/quick/lj-reference.pt"
    assert description.startswith("shipped quick reference-OGN (")
    assert description.endswith(")") and " epochs, commit " in description
