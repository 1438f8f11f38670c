"""Specification of the periodic neighbour graph."""

import numpy as np
import pytest
import torch

from ogn_lib.learn.graph import GraphError, NeighbourList, batch_graphs, build_graph
from ogn_lib.periodic import minimum_image, wrap

BOX = np.array([6.0, 6.5, 7.0])
CUTOFF = 2.5


def brute_force_pairs(positions, box_lengths, cutoff):
    """Every ordered pair (sender, receiver) closer than the cutoff, by O(N^2) search."""
    pairs = set()
    for receiver in range(len(positions)):
        for sender in range(len(positions)):
            d = minimum_image(positions[sender] - positions[receiver], box_lengths)
            if sender != receiver and np.linalg.norm(d) < cutoff:
                pairs.add((sender, receiver))
    return pairs


def random_positions(n_atoms, seed=0):
    return np.random.default_rng(seed).uniform(-BOX / 2, BOX / 2, (n_atoms, 3))


def edges(graph):
    return set(zip(graph.senders.tolist(), graph.receivers.tolist()))


def test_atom_next_to_box_face_gets_exactly_the_brute_force_neighbours():
    positions = random_positions(120)
    positions[0] = [BOX[0] / 2 - 0.01, 0.3, -BOX[2] / 2 + 0.02]  # at two faces at once
    graph = build_graph(positions, BOX, CUTOFF)
    expected = {pair for pair in brute_force_pairs(positions, BOX, CUTOFF) if pair[1] == 0}
    assert {pair for pair in edges(graph) if pair[1] == 0} == expected
    assert any(abs(positions[s, 0] - positions[0, 0]) > BOX[0] / 2 for s, _ in expected), \
        "the test needs a neighbour across the periodic face"


def test_every_edge_matches_brute_force_search():
    positions = random_positions(80, seed=1)
    assert edges(build_graph(positions, BOX, CUTOFF)) == brute_force_pairs(positions, BOX,
                                                                          CUTOFF)


def test_edge_displacement_is_minimum_image_sender_minus_receiver():
    positions = random_positions(60, seed=2)
    graph = build_graph(positions, BOX, CUTOFF)
    s, r = graph.senders.numpy(), graph.receivers.numpy()
    expected = minimum_image(positions[s] - positions[r], BOX)
    np.testing.assert_allclose(graph.displacements.numpy(), expected, atol=1e-5)
    assert float(graph.displacements.norm(dim=1).max()) < CUTOFF


def test_batched_graph_offsets_the_atoms_of_later_configurations():
    first, second = (build_graph(random_positions(n, seed), BOX, CUTOFF)
                     for n, seed in ((30, 3), (40, 4)))
    batched = batch_graphs([first, second])
    assert batched.n_atoms == 70 and batched.n_edges == first.n_edges + second.n_edges
    tail = slice(first.n_edges, None)
    assert torch.equal(batched.senders[tail], second.senders + 30)
    assert torch.equal(batched.receivers[tail], second.receivers + 30)


def test_box_smaller_than_twice_the_cutoff_is_refused():
    with pytest.raises(GraphError, match="smaller than 2 x cutoff"):
        build_graph(random_positions(10), BOX, cutoff=3.1)


def test_nan_position_is_refused_naming_the_atom():
    positions = random_positions(10)
    positions[7, 1] = np.nan
    with pytest.raises(GraphError, match="atom 7"):
        build_graph(positions, BOX, CUTOFF)


def test_position_outside_the_box_is_refused():
    positions = random_positions(10)
    positions[3, 2] = BOX[2]
    with pytest.raises(GraphError, match="atom 3.*outside the box"):
        build_graph(positions, BOX, CUTOFF)


def test_wrong_position_shape_is_refused():
    with pytest.raises(GraphError, match=r"expected \(N, 3\)"):
        build_graph(np.zeros((10, 2)), BOX, CUTOFF)


def test_a_neighbour_list_with_a_skin_gives_the_edges_of_a_fresh_search_every_time():
    """Atoms drift a little each call, a few far enough to force a new search; every graph
    holds exactly the brute-force pairs, with their minimum-image displacements."""
    rng = np.random.default_rng(4)
    positions = random_positions(100, seed=4)
    neighbours = NeighbourList(CUTOFF, skin=0.4)
    for _ in range(12):
        positions, _ = wrap(positions + rng.normal(scale=0.03, size=positions.shape), BOX)
        graph = neighbours.graph(positions, BOX)
        assert edges(graph) == brute_force_pairs(positions, BOX, CUTOFF)
        expected = minimum_image(positions[graph.senders] - positions[graph.receivers], BOX)
        assert np.allclose(graph.displacements.numpy(), expected, atol=1e-6)
    assert neighbours.calls == 12 and 1 < neighbours.searches < 12


def test_a_neighbour_list_searches_again_for_a_new_box_and_refuses_no_skin():
    positions = random_positions(50)
    neighbours = NeighbourList(CUTOFF, skin=0.2)
    neighbours.graph(positions, BOX)
    neighbours.graph(positions * 1.01, BOX * 1.01)
    assert neighbours.searches == 2
    with pytest.raises(ValueError, match="skin = 0"):
        NeighbourList(CUTOFF, skin=0)


def test_a_box_too_small_for_the_skin_gets_the_skin_it_allows():
    positions = random_positions(80, seed=2)
    neighbours = NeighbourList(CUTOFF, skin=1.0)  # 2 x (2.5 + 1.0) > 6.0
    assert edges(neighbours.graph(positions, BOX)) == brute_force_pairs(positions, BOX, CUTOFF)
    tight = NeighbourList(2.999, skin=0.5)  # no skin left at all: a search every call
    for _ in range(2):
        tight.graph(positions, BOX)
    assert tight.searches == 2
