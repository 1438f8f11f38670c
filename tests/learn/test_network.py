"""Specification of the OGN network and the learned simulator around it."""

import numpy as np
import pytest
import torch
from toy_lj import toy_trajectory

from ogn_lib.learn.graph import Graph, build_graph
from ogn_lib.learn.network import (
    EdgeGeometry,
    InteractionLayer,
    ModelConfig,
    edge_parts,
    outer_flat,
)
from ogn_lib.learn.simulator import LearnedSimulator, Normalisation, SimulatorSpec
from ogn_lib.periodic import wrap

CUTOFF = 1.4


CHANNELS = [(0, 0, False), (4, 0, False), (4, 3, False), (0, 0, True), (4, 3, True)]
"""(vector channels, tensor channels, pairs once) of the networks every symmetry is checked
on."""


def make_simulator(n_layers=2, seed=0, n_vectors=4, n_tensors=0,
                   pair_once=False) -> LearnedSimulator:
    """A simulator with random weights everywhere (the decoder starts at zero otherwise)."""
    torch.manual_seed(seed)
    spec = SimulatorSpec(
        system="toy-lj", type_names=("A", "B"), k_steps=5, dt=0.002,
        model=ModelConfig(n_types=2, cutoff=CUTOFF, n_layers=n_layers, latent_size=16,
                          hidden_size=16, n_radial=8, n_vectors=n_vectors,
                          n_tensors=n_tensors, pair_once=pair_once),
        normalisation=Normalisation(velocity_std=1.0, delta_velocity_std=0.1,
                                    correction_std=1e-3, closest_approach=0.7))
    simulator = LearnedSimulator(spec)
    torch.nn.init.normal_(simulator.network.decoder[-1].weight)
    if pair_once:
        torch.nn.init.normal_(simulator.network.type_log_scales)
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


@pytest.mark.parametrize("n_vectors, n_tensors, pair_once", CHANNELS)
def test_translation_with_wrapping_does_not_change_prediction(state, n_vectors, n_tensors,
        pair_once):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors, n_tensors=n_tensors, pair_once=pair_once)
    moved, _ = wrap(positions + np.array([1.3, -0.7, 2.9]), box)
    for before, after in zip(predict(simulator, positions, velocities, box, typeids, masses),
                             predict(simulator, moved, velocities, box, typeids, masses)):
        np.testing.assert_allclose(after, before, atol=1e-5)


@pytest.mark.parametrize("n_vectors, n_tensors, pair_once", CHANNELS)
def test_galilean_boost_only_adds_the_boost_to_velocities(state, n_vectors, n_tensors,
        pair_once):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors, n_tensors=n_tensors, pair_once=pair_once)
    boost = np.array([0.5, -1.0, 0.25])
    displacement, new_velocities = predict(simulator, positions, velocities, box, typeids, masses)
    boosted = predict(simulator, positions, velocities + boost, box, typeids, masses)
    np.testing.assert_allclose(boosted[1], new_velocities + boost, atol=1e-5)
    np.testing.assert_allclose(boosted[0], displacement + boost * simulator.step_time, atol=1e-5)


@pytest.mark.parametrize("n_vectors, n_tensors, pair_once", CHANNELS)
def test_permuting_atoms_permutes_the_prediction(state, n_vectors, n_tensors,
        pair_once):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors, n_tensors=n_tensors, pair_once=pair_once)
    order = np.random.default_rng(0).permutation(len(positions))
    reference = predict(simulator, positions, velocities, box, typeids, masses)
    permuted = predict(simulator, positions[order], velocities[order], box, typeids[order],
                       masses[order])
    for before, after in zip(reference, permuted):
        np.testing.assert_allclose(after, before[order], atol=1e-5)


@pytest.mark.parametrize("n_vectors, n_tensors, pair_once", CHANNELS)
def test_swapping_axes_of_a_cubic_box_swaps_the_prediction(state, n_vectors, n_tensors,
        pair_once):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors, n_tensors=n_tensors, pair_once=pair_once)
    axes = [2, 0, 1]
    reference = predict(simulator, positions, velocities, box, typeids, masses)
    rotated = predict(simulator, positions[:, axes], velocities[:, axes], box, typeids, masses)
    for before, after in zip(reference, rotated):
        np.testing.assert_allclose(after, before[:, axes], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("n_vectors, n_tensors, pair_once", CHANNELS)
def test_mirroring_an_axis_mirrors_the_prediction(state, n_vectors, n_tensors,
        pair_once):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors, n_tensors=n_tensors, pair_once=pair_once)
    mirror = np.array([-1.0, 1.0, 1.0])
    reference = predict(simulator, positions, velocities, box, typeids, masses)
    mirrored, _ = wrap(positions * mirror, box)
    reflected = predict(simulator, mirrored, velocities * mirror, box, typeids, masses)
    for before, after in zip(reference, reflected):
        np.testing.assert_allclose(after, before * mirror, rtol=1e-5, atol=1e-5)


def test_tensor_channels_see_a_straight_bond_pair_that_vectors_cancel():
    """Two neighbours on opposite sides: the vector sum cancels, the traceless dyad sum
    is 2 (x x^T - I/3) times the coefficient, and its projection on the bond is 4/3."""
    layer = InteractionLayer(latent=4, hidden=4, n_vectors=1, n_tensors=1)
    torch.nn.init.ones_(layer.vector_coefficients.weight)
    torch.nn.init.zeros_(layer.vector_coefficients.bias)
    torch.nn.init.ones_(layer.tensor_coefficients.weight)
    torch.nn.init.zeros_(layer.tensor_coefficients.bias)
    unit = torch.tensor([[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]])
    graph = Graph(torch.tensor([1, 2]), torch.tensor([0, 0]), unit, n_atoms=3)
    geometry = EdgeGeometry(torch.ones(2), unit, torch.zeros(2, 3), outer_flat(unit))
    edges = torch.full((2, 4), 0.25)  # every coefficient is 4 x 0.25 = 1
    with torch.no_grad():
        vectors = layer._node_vectors(edges, graph, geometry, chunk=8)
        tensors = layer._node_tensors(edges, graph, geometry, chunk=8)
    np.testing.assert_allclose(vectors[0].numpy(), 0.0, atol=1e-7)
    expected = 2 * (np.diag([1.0, 0.0, 0.0]) - np.eye(3) / 3)
    np.testing.assert_allclose(tensors[0, 0].reshape(3, 3).numpy(), expected, atol=1e-6)
    np.testing.assert_allclose(float((tensors[0, 0] * outer_flat(unit[:1])[0]).sum()), 4 / 3,
                               atol=1e-6)
    np.testing.assert_allclose(tensors[1:].numpy(), 0.0)


def test_prediction_conserves_total_momentum(state):
    positions, velocities, box, typeids, masses = state
    _, new_velocities = predict(make_simulator(), positions, velocities, box, typeids, masses)
    np.testing.assert_allclose(new_velocities.sum(0), velocities.sum(0), atol=1e-4)


def test_a_pair_evaluated_once_pushes_its_two_atoms_equally_and_oppositely(state):
    """Newton's third law by construction: before each type's scale, the outputs of a
    network that evaluates each pair once sum to zero over the atoms."""
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=4, n_tensors=3, pair_once=True)
    network = simulator.network
    graph = build_graph(positions, box, CUTOFF)
    assert graph.pairs_once().n_edges * 2 == graph.n_edges
    types = torch.from_numpy(typeids)
    with torch.no_grad():
        outputs = network(graph, types, torch.as_tensor(velocities, dtype=torch.float32))
        scales = network.type_log_scales.exp()[types]
    for column, output in enumerate(outputs):
        assert output.abs().max() > 0.1
        np.testing.assert_allclose((output / scales[:, column:column + 1]).sum(0).numpy(), 0.0,
                                   atol=2e-4 * float(output.abs().sum()))


def test_old_model_settings_keep_their_keys():
    """Fields added later stay out of a model's plain data at their defaults, so keys and
    checkpoints made before them match."""
    config = ModelConfig(n_types=2, cutoff=1.0, n_layers=2, latent_size=4, hidden_size=4)
    assert set(config.to_dict()) == {"n_types", "cutoff", "n_layers", "latent_size",
                                     "hidden_size", "n_radial", "n_vectors"}
    assert ModelConfig(**config.to_dict()) == config
    paired = ModelConfig(**{**config.to_dict(), "n_tensors": 2, "pair_once": True})
    assert paired.to_dict()["pair_once"] and ModelConfig(**paired.to_dict()) == paired


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


@pytest.mark.parametrize("n_vectors, n_tensors, pair_once", CHANNELS)
def test_evaluating_edges_in_chunks_does_not_change_the_prediction(state, n_vectors, n_tensors,
        pair_once):
    positions, velocities, box, typeids, masses = state
    simulator = make_simulator(n_vectors=n_vectors, n_tensors=n_tensors, pair_once=pair_once)
    whole = predict(simulator, positions, velocities, box, typeids, masses)
    simulator.network.edge_chunk = 7
    chunked = predict(simulator, positions, velocities, box, typeids, masses)
    # The same sums in another order: a few float32 roundings apart (a pairs-once chunk adds
    # to receivers and senders in turn; a fresh-clone run differed by 5e-7 relative), where
    # a chunk lost or counted twice moves the outputs by orders of magnitude more.
    for before, after in zip(whole, chunked):
        np.testing.assert_allclose(after, before, rtol=2e-6, atol=1e-6)


def test_edge_chunks_cover_every_edge_once():
    assert edge_parts(10, 4) == [slice(0, 4), slice(4, 8), slice(8, 12)]
    assert edge_parts(0, 4) == [slice(0, 4)]
    with pytest.raises(ValueError, match="positive number of edges"):
        edge_parts(10, 0)
