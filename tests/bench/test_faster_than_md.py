import pytest

from ogn_lib.bench import faster_than_md
from ogn_lib.bench.faster_than_md import faster_measurement, timing_pairs
from ogn_lib.learn.trained_models import shipped_path
from ogn_lib.paths import REPOSITORY_ROOT


def test_timing_pairs_give_one_ratio_of_the_two_rates_per_pair(monkeypatch):
    monkeypatch.setattr(faster_than_md, "MD_STEPS", 10)
    checkpoint = str(shipped_path("quick", "lj", "fast").relative_to(REPOSITORY_ROOT))
    record = timing_pairs("lj", 300, checkpoint, "random", repeats=2)
    assert record["n_atoms"] == 300 and record["lammps_steps"] == 10
    assert len(record["pairs"]) == 2
    for pair in record["pairs"]:
        assert pair["ratio"] == pytest.approx(pair["ogn_atom_steps_per_s"]
                                              / pair["lammps_atom_steps_per_s"])
    measured = faster_measurement(record)
    assert measured.n == 2 and measured.low <= measured.value <= measured.high


def test_one_pair_is_refused_before_anything_runs():
    with pytest.raises(ValueError, match="at least 2 pairs"):
        timing_pairs("lj", 300, "unused.pt", "random", repeats=1)
