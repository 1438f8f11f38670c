"""The speed page reads the benchmarks' JSON and says so when they are missing."""

import json

import pytest

from ogn_lib.book.speed_page import (
    best_ratio,
    chunking_gain,
    key_numbers,
    linear_fit,
    load_speed_results,
    loglog_slope,
    markdown_table,
    md_table,
    ogn_table,
    scaling,
    scaling_figure,
    speed_figure,
    training_table,
)

MD = {"engine": "LAMMPS test", "threads": 1, "rows": [
    {"system": "lj", "n_atoms": 4000, "bare_atom_steps_per_s": 8e5,
     "lammps_dump_atom_steps_per_s": 3e5, "ogn_atom_steps_per_s": 7e5,
     "overhead_vs_bare": 0.14}]}


def rollout_row(n_atoms, seconds, memory, preset="fast", edge_chunk=8192):
    return {"preset": preset, "sizes": "quick", "edge_chunk": edge_chunk, "n_atoms": n_atoms,
            "k_steps": 5, "edges_per_atom": 40.0, "seconds_per_prediction": seconds,
            "graph_seconds": seconds / 10, "network_seconds": seconds * 0.8,
            "atom_steps_per_s": 5 * n_atoms / seconds, "rollout_memory_gib": memory,
            "peak_memory_gib": memory + 0.3, "weights": "untrained"}


OGN = {"machine": {"cpu": "test"},
       "rollout": [rollout_row(265, 0.03, 0.0), rollout_row(10_000, 1.0, 0.2),
                   rollout_row(100_000, 10.0, 2.0),
                   rollout_row(10_000, 3.0, 1.0, edge_chunk=None)],
       "lammps": [{"n_atoms": 265, "atom_steps_per_s": 1e6},
                  {"n_atoms": 10_000, "atom_steps_per_s": 1e6}],
       "training": [{"preset": "fast", "sizes": "quick", "n_atoms": 265, "k_steps": 5,
                     "batch_size": 4, "samples_per_s": 12.0}]}


def write(tmp_path):
    (tmp_path / "benchmark_md.json").write_text(json.dumps(MD))
    (tmp_path / "ogn_speed_lj.json").write_text(json.dumps(OGN))
    return load_speed_results(tmp_path, tmp_path)


def test_missing_benchmarks_are_named_not_invented(tmp_path):
    results = load_speed_results(tmp_path, tmp_path)
    assert results.md is None and results.ogn == {}
    assert "results/benchmark_md.json" in results.missing
    assert "book/data/ogn_speed_<system>.json" in results.missing
    assert best_ratio(results) is None
    speed_figure(results)


def test_tables_and_best_ratio_come_from_the_files(tmp_path):
    results = write(tmp_path)
    assert results.missing == () and list(results.ogn) == ["lj"]
    best = best_ratio(results)
    assert (best["n_atoms"], best["edge_chunk"]) == (10_000, 8192)
    assert best["ogn_over_lammps"] == pytest.approx(0.05)
    table = markdown_table(md_table(results.md))
    assert "| lj | 4000 | 8e+05 |" in table and "14" in table
    rows = ogn_table(results.ogn["lj"])
    assert rows[2]["LAMMPS atom-steps/s"] is None and rows[2]["OGN / LAMMPS"] is None
    assert "all edges at once" in rows[3]["model"]
    assert training_table(results.ogn["lj"])[0]["samples / s"] == 12.0
    speed_figure(results)
    scaling_figure(results.ogn["lj"], "lj")


def test_loglog_slope_is_one_for_linear_growth_and_two_for_quadratic():
    assert loglog_slope([10, 100, 1000], [2, 20, 200]) == pytest.approx(1.0)
    assert loglog_slope([10, 100], [1, 100]) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="positive"):
        loglog_slope([10, 100], [0.0, 1.0])


def test_scaling_fits_one_model_at_a_time():
    check = scaling(OGN)
    assert check["n_atoms"] == [265, 10_000, 100_000]
    assert check["per_atom_time_ratio"] == pytest.approx((10.0 / 1e5) / (0.03 / 265))
    assert check["memory_per_atom_kib"] == pytest.approx(2.0 / 1e5 * 2**20, rel=0.1)
    with pytest.raises(ValueError, match="needs two or more"):
        scaling(OGN, preset="reference")


def test_linear_fit_recovers_offset_and_slope():
    assert linear_fit([1, 2, 3], [5, 7, 9]) == (pytest.approx(3.0), pytest.approx(2.0))
    with pytest.raises(ValueError, match="two or more sizes with positive values"):
        linear_fit([1, 2], [0.0, 1.0])


def test_chunking_gain_pairs_the_two_layouts_at_the_same_size():
    rows = chunking_gain(OGN)
    assert [row["atoms"] for row in rows] == [10_000]
    assert rows[0]["speed-up"] == pytest.approx(3.0)
    assert rows[0]["memory (GiB), all edges at once"] == 1.0


def test_key_numbers_describe_the_quick_fast_ogn_with_edge_chunks():
    numbers = key_numbers(OGN)
    assert (numbers["smallest_atoms"], numbers["largest_atoms"]) == (265, 100_000)
    assert numbers["largest_fits_memory_limit"] is True
    assert numbers["lammps_ratio"] == {265: pytest.approx(5 * 265 / 0.03 / 1e6),
                                       10_000: pytest.approx(0.05)}
    assert (numbers["chunk_atoms"], numbers["chunk_speed_up"]) == (10_000, pytest.approx(3.0))
    assert numbers["training_samples_per_s"] == {"fast": 12.0}
