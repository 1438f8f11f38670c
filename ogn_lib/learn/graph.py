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

    def pairs_once(self) -> "Graph":
        """The edges with ``sender < receiver``: each pair of a graph with both directions
        (as :func:`build_graph` makes) once."""
        keep = self.senders < self.receivers
        return Graph(self.senders[keep], self.receivers[keep], self.displacements[keep],
                     self.n_atoms)

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


class NeighbourList:
    """The graphs of a rollout's successive configurations, searched with a skin as MD codes
    do: pairs closer than ``cutoff + skin`` are found once, and each graph keeps those of
    them closer than ``cutoff`` now. The search is repeated only when an atom has moved
    more than ``skin / 2`` since the last one (no pair can then have come from beyond
    ``cutoff + skin`` to within ``cutoff``), or the box changed. A box too small for the
    whole skin (an atom would meet its own image within ``cutoff + skin``) gets the skin it
    allows, down to none (a search every call). Its graphs hold the edges of
    :func:`build_graph`'s.

    ``searches`` counts the searches made, ``calls`` the graphs given.
    """

    def __init__(self, cutoff: float, skin: float):
        if not skin > 0:
            raise ValueError(f"skin = {skin}: give a positive skin (length), e.g. 0.1 x the "
                             "cutoff, or build each graph with build_graph")
        self.cutoff, self.skin = float(cutoff), float(skin)
        self.searches = self.calls = 0
        self._reference = self._box = self._pairs = None
        self._skin_now = 0.0
        """The skin of the last search (limited by its box)."""

    def graph(self, positions: np.ndarray, box_lengths: np.ndarray) -> Graph:
        """The neighbour graph of ``positions`` (wrapped, ``(N, 3)``) at :attr:`cutoff`."""
        positions = np.asarray(positions, dtype=np.float64)
        box_lengths = np.asarray(box_lengths, dtype=np.float64)
        self.calls += 1
        check_positions(positions, box_lengths, self.cutoff)
        if self._needs_search(positions, box_lengths):
            # Inside half the box by a margin: freud refuses a search radius near it.
            self._skin_now = max(0.0, min(self.skin, 0.999 * float(np.min(box_lengths))
                                          / 2 - self.cutoff))
            self._pairs = neighbour_pairs(positions, box_lengths, self.cutoff + self._skin_now)
            self._reference, self._box = positions.copy(), box_lengths.copy()
            self.searches += 1
        senders, receivers = self._pairs
        displacements = minimum_image(positions[senders] - positions[receivers], box_lengths)
        within = np.einsum("ij,ij->i", displacements, displacements) < self.cutoff ** 2
        return Graph(senders=torch.from_numpy(senders[within]),
                     receivers=torch.from_numpy(receivers[within]),
                     displacements=torch.from_numpy(displacements[within].astype(np.float32)),
                     n_atoms=len(positions))

    def _needs_search(self, positions: np.ndarray, box_lengths: np.ndarray) -> bool:
        if (self._reference is None or self._reference.shape != positions.shape
                or not np.array_equal(self._box, box_lengths)):
            return True
        moved = minimum_image(positions - self._reference, box_lengths)
        return (self._skin_now == 0.0 or float(np.max(np.einsum("ij,ij->i", moved, moved)))
                > (self._skin_now / 2) ** 2)
