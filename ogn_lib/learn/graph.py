"""Periodic neighbour graphs: which atoms talk to which, and along which displacement.

A configuration becomes a directed graph with an edge ``sender -> receiver`` for every
ordered pair of distinct atoms closer than the cutoff in the periodic box. Neighbours are
found with freud; the edge displacement ``r_sender - r_receiver`` comes from
:func:`ogn_lib.periodic.minimum_image`, the project's one minimum-image function. Several
configurations batch into one disjoint graph by offsetting atom indices.
"""

from __future__ import annotations

from dataclasses import dataclass

import freud
import numpy as np
import torch

from ogn_lib.periodic import minimum_image


class GraphError(ValueError):
    """A configuration cannot be turned into a periodic neighbour graph."""


@dataclass(frozen=True)
class Graph:
    """A (possibly batched) neighbour graph, as torch tensors.

    Attributes:
        senders, receivers: ``(E,)`` int64 atom indices; messages flow sender -> receiver.
        displacements: ``(E, 3)`` float32 minimum-image ``r_sender - r_receiver``.
        n_atoms: total number of atoms (nodes) in the graph.
    """

    senders: torch.Tensor
    receivers: torch.Tensor
    displacements: torch.Tensor
    n_atoms: int

    @property
    def n_edges(self) -> int:
        return len(self.senders)

    def to(self, device) -> "Graph":
        """The same graph with its tensors on ``device`` (itself when they are there)."""
        return Graph(self.senders.to(device), self.receivers.to(device),
                     self.displacements.to(device), self.n_atoms)


def check_positions(positions: np.ndarray, box_lengths: np.ndarray, cutoff: float) -> None:
    """Raise :class:`GraphError` if a graph of this cutoff cannot be built from the input."""
    positions = np.asarray(positions)
    box_lengths = np.asarray(box_lengths, dtype=np.float64)
    if positions.ndim != 2 or positions.shape[1] != 3:
        raise GraphError(f"positions have shape {positions.shape}, expected (N, 3)")
    if box_lengths.shape != (3,):
        raise GraphError(f"box_lengths have shape {box_lengths.shape}, expected (3,)")
    if np.any(box_lengths < 2.0 * cutoff):
        raise GraphError(
            f"box {box_lengths.tolist()} is smaller than 2 x cutoff = {2.0 * cutoff} along "
            "some axis: an atom would meet its own periodic image. Use a larger box or a "
            "smaller cutoff.")
    if not np.all(np.isfinite(positions)):
        bad = int(np.argwhere(~np.isfinite(positions))[0, 0])
        raise GraphError(f"position of atom {bad} is not finite ({positions[bad].tolist()})")
    # float32 rounding can put an atom wrapped to just below L/2 onto L/2 itself.
    tolerance = 1e-5 * box_lengths
    outside = np.any((positions < -box_lengths / 2 - tolerance)
                     | (positions > box_lengths / 2 + tolerance), axis=1)
    if np.any(outside):
        bad = int(np.argmax(outside))
        raise GraphError(
            f"atom {bad} at {positions[bad].tolist()} lies outside the box "
            f"[-L/2, L/2) with L = {box_lengths.tolist()}: wrap positions with "
            "ogn_lib.periodic.wrap first")


def neighbour_pairs(positions: np.ndarray, box_lengths: np.ndarray,
                    cutoff: float) -> tuple[np.ndarray, np.ndarray]:
    """Ordered pairs ``(senders, receivers)`` of distinct atoms closer than ``cutoff``."""
    check_positions(positions, box_lengths, cutoff)
    box = freud.box.Box(*map(float, box_lengths))
    points = box.wrap(np.asarray(positions, dtype=np.float32))
    query = freud.locality.AABBQuery(box, points)
    neighbours = query.query(points, {"r_max": float(cutoff), "exclude_ii": True})
    pairs = neighbours.toNeighborList()
    return (np.asarray(pairs.point_indices, dtype=np.int64),
            np.asarray(pairs.query_point_indices, dtype=np.int64))


def build_graph(positions: np.ndarray, box_lengths: np.ndarray, cutoff: float) -> Graph:
    """The periodic neighbour graph of one configuration."""
    senders, receivers = neighbour_pairs(positions, box_lengths, cutoff)
    positions = np.asarray(positions, dtype=np.float64)
    displacements = minimum_image(positions[senders] - positions[receivers],
                                  np.asarray(box_lengths, dtype=np.float64))
    return Graph(senders=torch.from_numpy(senders), receivers=torch.from_numpy(receivers),
                 displacements=torch.from_numpy(displacements.astype(np.float32)),
                 n_atoms=len(positions))


def batch_graphs(graphs: list[Graph]) -> Graph:
    """One disjoint graph whose atoms are those of ``graphs`` in order."""
    offsets = np.cumsum([0] + [graph.n_atoms for graph in graphs[:-1]])
    return Graph(
        senders=torch.cat([g.senders + int(o) for g, o in zip(graphs, offsets)]),
        receivers=torch.cat([g.receivers + int(o) for g, o in zip(graphs, offsets)]),
        displacements=torch.cat([g.displacements for g in graphs]),
        n_atoms=sum(graph.n_atoms for graph in graphs))
