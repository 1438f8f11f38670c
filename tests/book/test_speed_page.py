"""The speed page reads the benchmarks' JSON and says so when they are missing."""

import json

import pytest

from ogn_lib.bench.faster_than_md import faster_measurement, faster_verdict
from ogn_lib.book.pair_once_accuracy import pair_accuracy_gaps, pair_accuracy_rows
from ogn_lib.book.rollout_levers import best_skin, lever_rows
from ogn_lib.book.speed_figures import liquid_speed_figure, scaling_figure, speed_figure
from ogn_lib.book.speed_page import (
    break_even_k,
    chunking_gain,
    key_numbers,
    limit_rows,
    linear_fit,
    liquid_numbers,
    liquid_rows,
    load_speed_results,
    markdown_table,
    md_table,
    ogn_table,
    pair_rows,
    scaling,
    speed_rows,
    training_table,
)
from ogn_lib.learn.trained_models import read_provenance, shipped_path

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
    (tmp_path / "liquid_speed.json").write_text(json.dumps(LIQUIDS))
    return load_speed_results(tmp_path)


def test_missing_benchmarks_are_named_not_invented(tmp_path):
    results = load_speed_results(tmp_path)
    assert results.md is None and results.ogn == {}
    assert "book/data/benchmark_md.json" in results.missing
    assert "book/data/ogn_speed_<system>.json" in results.missing
    assert "book/data/liquid_speed.json" in results.missing
    speed_figure(results)


def test_tables_come_from_the_files(tmp_path):
    results = write(tmp_path)
    assert results.missing == ("book/data/rollout_levers.json",) and list(results.ogn) == ["lj"]
    assert results.liquids == LIQUIDS
    table = markdown_table(md_table(results.md))
    assert "| KA-LJ | 4000 | 800,000 |" in table and "14" in table
    rows = ogn_table(results.ogn["lj"])
    assert rows[1]["OGN / LAMMPS"] == pytest.approx(0.05)
    assert rows[2]["OGN / LAMMPS"] is None  # LAMMPS did not run at 100,000 atoms
    assert "all edges at once" in rows[3]["model"]
    assert training_table(results.ogn["lj"])[0]["samples / s"] == 12.0
    speed_figure(results)
    scaling_figure(results.ogn["lj"], "lj")


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


def liquid(k_steps, fast_rates, lammps_rates, coarse_stable=True, pair_ratios=None):
    """A liquid of the four-liquid benchmark: Fast-OGN rates at 4000 and 32000 atoms and on
    two threads, LAMMPS the same and at k dt, and the ratios of the interleaved timing pairs
    (by default four around the first rates' ratio)."""
    (small, large, both), (l_small, l_large, l_both) = fast_rates, lammps_rates
    rollout = [{"preset": "fast", "n_atoms": n, "threads": t, "k_steps": k_steps,
                "atom_steps_per_s": rate, "seconds_per_prediction": n * k_steps / rate,
                "matmul_flops_per_s": 1e9}
               for n, t, rate in ((4000, 1, small), (32000, 1, large), (4000, 2, both))]
    lammps = [{"n_atoms": n, "threads": t, "dt_factor": 1, "stable": True,
               "atom_steps_per_s": rate}
              for n, t, rate in ((4000, 1, l_small), (32000, 1, l_large), (4000, 2, l_both))]
    lammps.append({"n_atoms": 4000, "threads": 1, "dt_factor": k_steps,
                   "stable": coarse_stable,
                   "atom_steps_per_s": k_steps * l_small if coarse_stable else None})
    ratio = small / l_small
    pair_ratios = pair_ratios or [0.99 * ratio, ratio, ratio, 1.01 * ratio]
    return {"k_steps": k_steps, "rollout": rollout, "lammps": lammps,
            "top_operators": [{"operator": "aten::mm", "share": 0.5},
                              {"operator": "outside", "share": 0.1}],
            "faster": {"n_atoms": 4000, "pairs": [{"ratio": r} for r in pair_ratios]}}


LIQUIDS = {"sizes": [4000, 32000], "matmul_flops_per_s": {"1": 1e11, "2": 2e11},
           "liquids": {"lj": liquid(5, (1e4, 1e4, 2e4), (1e5, 1e5, 1.5e5), False),
                       "si": liquid(10, (2e5, 2e5, 2e5), (1e5, 1e5, 2e5))}}


def test_faster_than_md_is_judged_on_the_interval_of_the_timing_pairs():
    def verdict(ratios):
        record = {"n_atoms": 4000, "pairs": [{"ratio": r} for r in ratios]}
        return faster_verdict("si", record)

    assert verdict([1.2, 1.25, 1.3, 1.22]).outcome == "reproduced"
    assert verdict([0.6, 0.62, 0.61, 0.6]).outcome == "not reproduced"
    straddling = verdict([0.9, 1.1, 1.0, 1.05])
    assert straddling.outcome == "partly"
    measured = faster_measurement({"n_atoms": 4000, "pairs": [{"ratio": r}
                                                              for r in (0.9, 1.1, 1.0, 1.05)]})
    assert measured.n == 4 and measured.how == "95% t-interval over 4 interleaved timing pairs"
    assert measured.low < 1.0125 < measured.high
    assert faster_verdict("si", None).outcome == "not tested here"
    assert faster_verdict("si", {"n_atoms": 4000, "pairs": [{"ratio": 1.3}]}).outcome == (
        "not tested here")


def test_break_even_stride_scales_the_stride_by_the_rate_deficit():
    assert break_even_k(5, 0.1) == pytest.approx(50.0)
    assert break_even_k(10, 2.0) == pytest.approx(5.0)


def test_liquid_numbers_compare_like_with_like():
    numbers = liquid_numbers(LIQUIDS)
    assert numbers["lj"]["one core"] == pytest.approx(0.1)
    assert numbers["lj"]["one core, measured"].n == 4
    assert numbers["lj"]["both cores"] == pytest.approx(2e4 / 1.5e5)
    assert numbers["lj"]["k dt"] == "LAMMPS lost atoms"
    assert numbers["si"]["k dt"] == pytest.approx(0.2)
    assert numbers["si"]["float32 share"] == pytest.approx(0.01)
    assert [row["verdict"] for row in speed_rows(LIQUIDS)] == ["not reproduced", "reproduced"]
    backwards = {**LIQUIDS, "liquids": dict(reversed(LIQUIDS["liquids"].items()))}
    assert [row["liquid"] for row in speed_rows(backwards)] == ["KA-LJ", "Si"]
    assert [row["break-even k"] for row in limit_rows(LIQUIDS)] == pytest.approx([50, 5])


def test_a_liquid_table_marks_lammps_runs_that_lost_atoms():
    rows = liquid_rows(LIQUIDS["liquids"]["lj"])
    assert [row["atom-MD-steps / s"] for row in rows if row["run"] == "LAMMPS, step 5 dt"] == [
        "lost atoms"]
    assert len(rows) == 7
    liquid_speed_figure(LIQUIDS)


def test_lost_atoms_are_written_in_the_slot_of_the_missing_bar_only():
    figure = liquid_speed_figure(LIQUIDS)
    left = figure.axes[0]
    k_dt_bars = left.containers[3]  # Fast-OGN, Reference-OGN, LAMMPS dt, LAMMPS k dt
    missing = [bar for bar in k_dt_bars if not bar.get_height() > 0]
    labels = [text for text in left.texts if text.get_text() == "lost atoms"]
    assert len(missing) == len(labels) == 1
    bar = missing[0]
    assert labels[0].get_position()[0] == pytest.approx(bar.get_x() + bar.get_width() / 2)
    assert labels[0].get_color() == bar.get_facecolor()


def test_the_lever_page_names_the_sizes_it_measured():
    from ogn_lib.book.rollout_levers import atom_range

    def liquids(*sizes):
        return {"liquids": {f"l{i}": {"n_atoms": n} for i, n in enumerate(sizes)}}
    assert atom_range(liquids(4096, 3000, 7155)) == "3,000 to 7,155"
    assert atom_range(liquids(4000)) == "4,000"


def test_lever_rows_give_each_liquid_and_lever_with_searches_per_prediction(tmp_path):
    levers = {"liquids": {"silica": {"n_atoms": 3000, "k_steps": 10, "cutoff": 5.0, "levers": [
        {"lever": "fresh search", "cpu_s_per_prediction": 0.5, "speed_up": 1.0, "searches": 21,
         "predictions": 21, "first_prediction_cpu_s": 0.6, "max_position_difference": 0.0},
        {"lever": "skin 0.1 r_c", "skin_fraction": 0.1, "cpu_s_per_prediction": 0.4,
         "speed_up": 1.25,
         "searches": 3, "predictions": 21, "first_prediction_cpu_s": 0.7,
         "max_position_difference": 0.0}]}}}
    (tmp_path / "rollout_levers.json").write_text(json.dumps(levers))
    results = load_speed_results(tmp_path)
    assert "book/data/rollout_levers.json" not in results.missing
    rows = lever_rows(results.levers)
    assert [row["lever"] for row in rows] == ["fresh search", "skin 0.1 r_c"]
    assert rows[1]["liquid"] == "silica (3,000)" and rows[1]["searches per prediction"] == 3 / 21
    assert len(rows[0]) == 7
    best = best_skin(results.levers)
    assert best["lever"] == "skin 0.1 r_c" and best["speed_ups"] == {"silica": 1.25}
    assert "runs at 1.25–1.25 times the speed of a fresh search (silica 1.25)" in best["text"]
    assert "it pays (at least 1.1 times as fast) for silica, so it pays for every" in best["text"]
    slower = json.loads(json.dumps(levers))
    slower["liquids"]["silica"]["levers"][1]["speed_up"] = 0.8
    assert best_skin(slower)["text"].startswith("No skin pays. The best, skin 0.1 r_c, runs at "
                                                "0.80–0.80 times")


def test_pair_rows_compare_the_two_untrained_networks_of_each_liquid():
    liquids = json.loads(json.dumps(LIQUIDS))
    liquids["liquids"]["si"]["pairs_once"] = {
        "each direction": {"seconds_per_prediction": 0.4, "n_atoms": 4096},
        "pairs once": {"seconds_per_prediction": 0.25, "n_atoms": 4096}}
    (row,) = pair_rows(liquids)  # KA-LJ's benchmark predates the comparison
    assert row["liquid"] == "Si" and row["speed-up"] == pytest.approx(1.6)
    one_core = liquid_numbers(liquids)["si"]["one core"]
    scale = 1.0 if row["shipped Fast-OGN"] == "pairs once" else 1.6
    assert row["Fast-OGN / LAMMPS, one core, pairs once"] == pytest.approx(scale * one_core)


def test_pair_accuracy_rows_and_gaps_come_from_every_section(tmp_path):
    def row(loss, rmse, commit="abc"):
        return {"model": {"test_loss": loss, "training_cpu_minutes": 30.0, "commit": commit},
                "md_steps": [20, 50, 100, 200], "position_rmse": {"OGN": [0.0, 0.0, rmse, 1.0]},
                "temperature_ratio_400_steps": {"mean": 1.0},
                "energy_drift_over_mean_kinetic_2000_steps": 0.01}

    shipped = read_provenance(shipped_path("quick", "silica", "fast"))
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps({
        "each direction": {"silica": row(0.01, 0.1)},
        "pairs once, same batches": {"silica": row(0.02, 0.12), "si": row(0.1, 0.3)},
        "pairs once, more batches": {"silica": row(shipped.test_loss[-1], 0.09,
                                                     shipped.commit)}}))
    rows = pair_accuracy_rows(path)
    assert [(r["liquid"], r["Fast-OGN"], r["shipped"]) for r in rows] == [
        ("silica", "each direction", "no"), ("silica", "pairs once, same batches", "no"),
        ("silica", "pairs once, more batches", "yes"), ("Si", "pairs once, same batches", "no")]
    assert pair_accuracy_gaps(rows) == {
        ("silica", "pairs once, same batches"): pytest.approx(0.2),
        ("silica", "pairs once, more batches"): pytest.approx(-0.1)}
    assert pair_accuracy_rows(tmp_path / "missing.json") == []


def test_the_conclusion_names_each_liquid_under_its_verdict():
    from ogn_lib.book.speed_page import faster_sentence

    assert faster_sentence(LIQUIDS) == ("On one core, the Fast-OGN delivers MD time faster "
                                        "than LAMMPS (*reproduced*) for Si; slower than "
                                        "LAMMPS (*not reproduced*) for KA-LJ.")
