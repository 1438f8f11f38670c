"""The speed page reads the benchmarks' JSON and says so when they are missing."""

import json

from ogn_lib.speed import best_ratio, load_speed_results, markdown_table, md_table, speed_figure

MD = {"engine": "LAMMPS test", "threads": 1, "rows": [
    {"system": "lj", "n_atoms": 4000, "bare_atom_steps_per_s": 8e5,
     "lammps_dump_atom_steps_per_s": 3e5, "ogn_atom_steps_per_s": 7e5,
     "overhead_vs_bare": 0.14}]}
OGN = [{"model": "fast", "n_atoms": n, "k_steps": 5, "seconds_per_prediction": 0.1 * n / 265,
        "atom_steps_per_s": 1e4, "lammps_atom_steps_per_s": 8e5, "ogn_over_lammps": r}
       for n, r in ((265, 0.01), (7155, 0.02))]


def test_missing_benchmarks_are_named_not_invented(tmp_path):
    results = load_speed_results(tmp_path)
    assert results.md is None and results.ogn == {}
    assert "results/benchmark_md.json" in results.missing
    assert best_ratio(results) is None
    speed_figure(results)


def test_tables_and_best_ratio_come_from_the_files(tmp_path):
    (tmp_path / "benchmark_md.json").write_text(json.dumps(MD))
    (tmp_path / "speed").mkdir()
    (tmp_path / "speed" / "lj.json").write_text(json.dumps(OGN))
    results = load_speed_results(tmp_path)
    assert results.missing == ()
    assert best_ratio(results)["n_atoms"] == 7155
    table = markdown_table(md_table(results.md))
    assert "| lj | 4000 | 8e+05 |" in table and "14" in table
    speed_figure(results)
