"""The speed benchmark measures what it says, on configurations that are what they say."""

import numpy as np
import pytest
from toy_lj import toy_trajectory

from ogn_lib.bench.md_speed import bare_rate
from ogn_lib.bench.ogn_speed import (
    ALL_EDGES,
    RolloutCase,
    benchmark_simulator,
    copies_per_edge,
    matmul_flops_per_second,
    measure_in_fresh_process,
    measure_rollout,
    prediction_flops,
    random_liquid,
    start_configuration,
    training_throughput,
)
from ogn_lib.configuration import tiled
from ogn_lib.learn.checkpoint import save_checkpoint
from ogn_lib.learn.graph import build_graph
from ogn_lib.learn.network import ModelConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import graph_cutoff, model_config
from ogn_lib.md.engine_setup import MIN_SPACING_FRACTION
from ogn_lib.md.systems import get_system

LJ = get_system("lj")


def test_random_liquid_has_the_systems_density_composition_and_temperature():
    liquid = random_liquid(LJ, 400, seed=3)
    assert np.prod(liquid.box_lengths) == pytest.approx(400 / LJ.number_density)
    assert tuple(np.bincount(liquid.typeids)) == LJ.counts(400)
    assert np.all(np.abs(liquid.positions) <= liquid.box_lengths / 2)
    np.testing.assert_allclose((liquid.masses[:, None] * liquid.velocities).sum(0), 0,
                               atol=1e-9)
    kinetic_temperature = (liquid.masses[:, None] * liquid.velocities**2).sum() / (3 * 400)
    assert kinetic_temperature == pytest.approx(LJ.temperature, rel=0.15)


def test_random_liquid_keeps_atoms_apart():
    liquid = random_liquid(LJ, 400, seed=3)
    closest = build_graph(liquid.positions, liquid.box_lengths, 1.0).displacements.norm(dim=-1)
    assert float(closest.min()) >= MIN_SPACING_FRACTION * LJ.number_density ** (-1 / 3) - 1e-5


def test_random_liquid_has_the_same_neighbours_per_atom_at_any_size():
    def edges_per_atom(n_atoms):
        liquid = random_liquid(LJ, n_atoms, seed=1)
        return build_graph(liquid.positions, liquid.box_lengths,
                           graph_cutoff("lj")).n_edges / n_atoms

    assert edges_per_atom(3000) == pytest.approx(edges_per_atom(300), rel=0.03)


def test_random_liquid_is_only_built_in_lj_units():
    with pytest.raises(ValueError, match="LJ-unit systems only"):
        random_liquid(get_system("silica"), 100, seed=1)


def test_lammps_rate_is_measured_from_the_given_configuration():
    row = bare_rate(random_liquid(LJ, 300, seed=1), "lj", n_steps=10, repeats=1)
    assert (row["n_atoms"], row["n_steps"]) == (300, 10)
    assert row["atom_steps_per_s"] > 0


def test_untrained_simulator_has_the_presets_sizes_and_the_chosen_chunk():
    simulator = benchmark_simulator(RolloutCase("lj", "fast", "paper", 300, edge_chunk=None))
    assert simulator.spec.model == model_config("fast", "paper", 2, graph_cutoff("lj"), "lj")
    assert simulator.spec.k_steps == 5
    assert simulator.network.edge_chunk == ALL_EDGES


def test_checkpoint_of_other_sizes_is_refused(tmp_path):
    quick = benchmark_simulator(RolloutCase("lj", "fast", "quick", 300))
    save_checkpoint(tmp_path / "quick.pt", quick)
    with pytest.raises(ValueError, match="not the paper fast-OGN sizes"):
        benchmark_simulator(RolloutCase("lj", "fast", "paper", 300,
                                        checkpoint=str(tmp_path / "quick.pt")))


def test_rollout_measurement_is_self_consistent():
    row = measure_rollout(RolloutCase("lj", "fast", "quick", 300, n_predictions=1))
    assert row["n_atoms"] == 300 and row["k_steps"] == 5
    assert row["n_edges"] == pytest.approx(row["edges_per_atom"] * 300)
    assert row["atom_steps_per_s"] * row["seconds_per_prediction"] == pytest.approx(300 * 5)
    assert row["peak_memory_gib"] >= row["baseline_memory_gib"] > 0
    assert row["torch_threads"] == 1 and row["freud_threads"] == 1


def test_fresh_process_measures_the_same_case():
    case = RolloutCase("lj", "reference", "quick", 300, n_predictions=1, edge_chunk=1000)
    row = measure_in_fresh_process(case)
    assert (row["preset"], row["k_steps"], row["edge_chunk"]) == ("reference", 1, 1000)
    assert row["n_edges"] == measure_rollout(case)["n_edges"]


def test_training_throughput_counts_samples():
    pairs = PairSet([toy_trajectory(n_frames=12)], k_steps=5)
    model = ModelConfig(n_types=2, cutoff=1.4, n_layers=2, latent_size=8, hidden_size=8)
    row = training_throughput(pairs, model, batch_size=2, n_batches=2)
    assert (row["n_atoms"], row["batch_size"], row["n_batches"]) == (32, 2, 2)
    assert row["samples_per_s"] > 0
    assert row["torch_threads"] == 1


def test_a_tiled_liquid_keeps_every_atoms_neighbours_in_a_box_twice_as_long():
    liquid = random_liquid(LJ, 300, seed=2)
    big = tiled(liquid, 2)
    assert big.n_atoms == 8 * 300
    np.testing.assert_allclose(big.box_lengths, 2 * liquid.box_lengths)
    assert np.all(np.abs(big.positions) <= big.box_lengths / 2)
    assert tuple(np.bincount(big.typeids)) == tuple(8 * np.bincount(liquid.typeids))
    edges = [build_graph(c.positions, c.box_lengths, graph_cutoff("lj")).n_edges
             for c in (liquid, big)]
    assert edges[1] == 8 * edges[0]
    with pytest.raises(ValueError, match="replicas=0"):
        tiled(liquid, 0)


def test_tiled_liquids_take_the_cube_of_copies_nearest_the_asked_size():
    assert [copies_per_edge(375, n) for n in (4000, 32000)] == [2, 4]
    assert [copies_per_edge(500, n) for n in (4000, 32000)] == [2, 4]
    assert copies_per_edge(5000, 100) == 1
    with pytest.raises(ValueError, match="start='lattice'"):
        start_configuration("lj", 100, "lattice")


def test_lammps_with_too_long_a_step_is_reported_unstable_not_timed():
    liquid = random_liquid(LJ, 300, seed=1)
    steady = bare_rate(liquid, "lj", n_steps=10, repeats=1)
    assert steady["stable"] and steady["dt_factor"] == 1
    blown = bare_rate(liquid, "lj", n_steps=200, repeats=1, dt_factor=5)
    assert not blown["stable"] and blown["atom_steps_per_s"] is None
    assert "Lost atoms" in blown["failure"]


def test_matrix_product_operations_grow_with_the_atoms_and_stay_below_the_cpu_ceiling():
    simulator = benchmark_simulator(RolloutCase("lj", "fast", "quick", 300))
    counts = []
    for n_atoms in (300, 600):
        liquid = random_liquid(LJ, n_atoms, seed=1)
        state = (liquid.positions, liquid.velocities, liquid.box_lengths,
                 simulator.typeids_for(liquid.type_names, liquid.typeids), liquid.masses)
        counts.append(prediction_flops(simulator, state))
    assert counts[0] > 0 and counts[1] / counts[0] == pytest.approx(2.0, rel=0.1)
    assert matmul_flops_per_second(size=256, repeats=2) > 1e8
