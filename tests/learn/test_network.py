"""Specification of the OGN network and the learned simulator around it."""

import numpy as np
import pytest
import torch
from toy_lj import toy_trajectory

from ogn_lib.learn.network import ModelConfig, edge_parts
from ogn_lib.learn.simulator import LearnedSimulator, Normalisation, SimulatorSpec
from ogn_lib.periodic import wrap

CUTOFF = 1.4


def make_simulator(n_layers=2, seed=0, n_vectors=4) -> LearnedSimulator:
    """A simulator with random weights everywhere (the decoder starts at zero otherwise)."""
    torch.manual_seed(seed)
    spec = SimulatorSpec(
        system="toy-lj", type_names=("A", "B"), k_steps=5, dt=0.002,
        model=ModelConfig(n_types=2, cutoff=CUTOFF, n_layers=n_layers, latent_size=16,
                          hidden_size=16, n_radial=8, n_vectors=n_vectors),
        normalisation=Normalisation(velocity_std=1.0, delta_velocity_std=0.1,
                                    correction_std=1e-3, closest_approach=0.7))
    simulator = LearnedSimulator(spec)
    torch.nn.init.normal_(simulator.network.decoder[-1].weight)
    return simulator.eval()


@pytest.fixture(scope="module")
def state():
    trajectory = toy_trajectory()
    return (trajectory.positions[0].astype(np.float64), trajectory.velocities[0].astype(np.float64),
            trajectory.box_lengths, trajectory.typeids, trajectory.masses)


def predict(simulator, positions, velocities, box, typeids, masses, type_names=("A", "B")):
    displacement, new_velocities, _ = simulator.predict(
        positions, velocities, box, simulator.typeids_for(type_names, typeids), masses)
    return displacement, new_velocities


@pytest.mark.parametrize("n_vectors", [0, 4])
def test_translation_with_wrapping_does_not_change_prediction(state, n_vectors):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors)
    moved, _ = wrap(positions + np.array([1.3, -0.7, 2.9]), box)
    for before, after in zip(predict(simulator, positions, velocities, box, typeids, masses),
                             predict(simulator, moved, velocities, box, typeids, masses)):
        np.testing.assert_allclose(after, before, atol=1e-5)


@pytest.mark.parametrize("n_vectors", [0, 4])
def test_galilean_boost_only_adds_the_boost_to_velocities(state, n_vectors):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors)
    boost = np.array([0.5, -1.0, 0.25])
    displacement, new_velocities = predict(simulator, positions, velocities, box, typeids, masses)
    boosted = predict(simulator, positions, velocities + boost, box, typeids, masses)
    np.testing.assert_allclose(boosted[1], new_velocities + boost, atol=1e-5)
    np.testing.assert_allclose(boosted[0], displacement + boost * simulator.step_time, atol=1e-5)


@pytest.mark.parametrize("n_vectors", [0, 4])
def test_permuting_atoms_permutes_the_prediction(state, n_vectors):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors)
    order = np.random.default_rng(0).permutation(len(positions))
    reference = predict(simulator, positions, velocities, box, typeids, masses)
    permuted = predict(simulator, positions[order], velocities[order], box, typeids[order],
                       masses[order])
    for before, after in zip(reference, permuted):
        np.testing.assert_allclose(after, before[order], atol=1e-5)


@pytest.mark.parametrize("n_vectors", [0, 4])
def test_swapping_axes_of_a_cubic_box_swaps_the_prediction(state, n_vectors):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors)
    axes = [2, 0, 1]
    reference = predict(simulator, positions, velocities, box, typeids, masses)
    rotated = predict(simulator, positions[:, axes], velocities[:, axes], box, typeids, masses)
    for before, after in zip(reference, rotated):
        np.testing.assert_allclose(after, before[:, axes], atol=1e-5)


def test_prediction_conserves_total_momentum(state):
    positions, velocities, box, typeids, masses = state
    _, new_velocities = predict(make_simulator(), positions, velocities, box, typeids, masses)
    np.testing.assert_allclose(new_velocities.sum(0), velocities.sum(0), atol=1e-4)


def test_untrained_simulator_moves_atoms_at_constant_velocity(state):
    positions, velocities, box, typeids, masses = state
    simulator = LearnedSimulator(make_simulator().spec).eval()
    displacement, new_velocities = predict(simulator, positions, velocities, box, typeids, masses)
    np.testing.assert_allclose(new_velocities, velocities, atol=1e-6)
    np.testing.assert_allclose(displacement, velocities * simulator.step_time, atol=1e-6)


def test_types_are_matched_by_name_not_by_index(state):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator()
    reference = predict(simulator, positions, velocities, box, typeids, masses)
    renamed = predict(simulator, positions, velocities, box, 1 - typeids, masses,
                      type_names=("B", "A"))
    for before, after in zip(reference, renamed):
        np.testing.assert_allclose(after, before, atol=1e-6)


def test_unknown_type_name_is_refused(state):
    positions, velocities, box, typeids, masses = state
    with pytest.raises(ValueError, match=r"\['Zr'\] are unknown"):
        predict(make_simulator(), positions, velocities, box, typeids, masses,
                type_names=("A", "Zr"))


def test_velocities_of_the_wrong_shape_are_refused(state):
    positions, velocities, box, typeids, masses = state
    with pytest.raises(ValueError, match=r"must both be \(N, 3\)"):
        predict(make_simulator(), positions, velocities[:-1], box, typeids, masses)


@pytest.mark.parametrize("n_vectors", [0, 4])
def test_evaluating_edges_in_chunks_does_not_change_the_prediction(state, n_vectors):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors)
    whole = predict(simulator, positions, velocities, box, typeids, masses)
    simulator.network.edge_chunk = 7
    chunked = predict(simulator, positions, velocities, box, typeids, masses)
    for before, after in zip(whole, chunked):
        np.testing.assert_allclose(after, before, atol=1e-6)


def test_edge_chunks_cover_every_edge_once():
    assert edge_parts(10, 4) == [slice(0, 4), slice(4, 8), slice(8, 12)]
    assert edge_parts(0, 4) == [slice(0, 4)]
    with pytest.raises(ValueError, match="positive number of edges"):
        edge_parts(10, 0)
