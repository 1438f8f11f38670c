"""The OGN network: encode - process - decode on a periodic neighbour graph.

The network knows graphs, atom types and velocities in normalised units; it knows nothing
of files, systems or MD engines. Physical states become its inputs and its outputs become
positions and velocities in :mod:`ogn_lib.learn.simulator`.

Design (the learning ablation, ``scripts/learning_ablation.py``, measures the main choices
against a GNS-like lab-frame control that never learns this liquid in CPU minutes):

- Node input: a learned embedding of the atom type. Velocities enter on the edges as the
  relative velocity of the pair, so the prediction does not change when the whole system
  moves at constant velocity (Galilean invariance), as in the true dynamics.
- Edge input: the distance expanded in smooth radial Bessel functions ``sin(n pi r/r_c)/r``,
  the radial and tangential parts of the relative velocity. A smooth envelope that falls to
  zero at ``r_c`` multiplies every message, so the output is continuous when atoms cross
  the cutoff (a jump there heats a rollout).
- Processor: ``n_layers`` unshared message-passing layers with residual connections, sum
  aggregation and LayerNorm. The first layer of the edge MLP is computed as per-node
  projections of sender and receiver plus the edge term (cheaper: ``N`` instead of ``E``
  rows for two thirds of the first matrix product). Optional vector channels
  (``n_vectors``) let an atom see how its neighbours are pushed (see
  :class:`InteractionLayer`); at equal training they lowered the test loss by a quarter.
  Optional rank-2 tensor channels (``n_tensors``) give the cos^2 of bond angles that a
  three-body potential needs (Si: a quarter of the test loss at equal training).
- Predictions on a CPU evaluate edges in chunks (:data:`EDGE_CHUNK`): every per-edge
  computation runs on a few thousand edges at a time, so its intermediates stay in the
  CPU cache; the result is the same, and the cost per edge hardly grows with the system
  size (see the speed page). Training (autograd) and GPUs take all edges at once.
- Decoder: per edge, four scalars multiply the unit displacement ``r_hat`` and the
  relative velocity; summed over neighbours they give the velocity change and the position
  correction of each atom. The output is therefore a sum of pair "forces", rotation and
  reflection equivariant by construction (no augmentation needed).
- Pairs once (``ModelConfig.pair_once``): the graph keeps each pair once (sender <
  receiver) and every per-edge computation is symmetric in the pair's two atoms, so both
  atoms take the pair's message and the two get equal and opposite vectors, as pair
  forces obey Newton's third law; a learned scale per atom type turns these into each
  type's velocity change and correction, as 1/mass turns a force into an acceleration.
  Half the per-edge work of the directed graph, where an edge and its reverse are two
  different computations (1.7-1.8x faster predictions of the quick Fast-OGNs on one core;
  ``scripts/rollout_levers_benchmark.py``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import NamedTuple

import torch
from torch import nn

from ogn_lib.learn.graph import Graph


@dataclass(frozen=True)
class ModelConfig:
    """Sizes of the network. ``cutoff`` is the graph cutoff in the system's length unit."""

    n_types: int
    cutoff: float
    n_layers: int
    latent_size: int
    hidden_size: int
    n_radial: int = 16
    n_vectors: int = 0
    """Equivariant vector channels per node (0: invariant node features only)."""
    n_tensors: int = 0
    """Equivariant rank-2 tensor channels per node (0: none); see :class:`InteractionLayer`."""
    pair_once: bool = False
    """Each neighbour pair evaluated once for both of its atoms, with equal and opposite
    vector outputs (Newton's third law): half the per-edge work (see :class:`OGNNetwork`)."""

    def __post_init__(self):
        if self.n_layers < 1 or self.latent_size < 1 or self.hidden_size < 1:
            raise ValueError(f"{self}: layers and sizes must be positive")
        if self.n_vectors < 0 or self.n_tensors < 0:
            raise ValueError(f"{self}: vector and tensor channels cannot be negative")
        if self.n_types < 1 or not self.cutoff > 0:
            raise ValueError(f"{self}: need at least one atom type and a positive cutoff")

    def to_dict(self) -> dict:
        """The sizes as plain data. Fields added later are left out at their defaults
        (``n_tensors`` 0, ``pair_once`` False), so that keys and checkpoints made before
        them stay valid."""
        fields = asdict(self)
        for name, default in (("n_tensors", 0), ("pair_once", False)):
            if fields[name] == default:
                del fields[name]
        return fields


EDGE_CHUNK = 8192
"""Edges evaluated together in a CPU prediction. A chunk's ``(edges, hidden)``
intermediates (2 MiB at hidden width 64) stay in the CPU cache; evaluating all edges of a
10,000-atom liquid at once streamed them through memory and cost 2-3 times as much per edge
as at 265 atoms, and more than twice the memory (``book/data/ogn_speed_lj.json``, one core,
``scripts/speed_benchmark.py``). 4096 to 32768 measured alike."""


def edge_parts(n_edges: int, chunk: int) -> list[slice]:
    """Consecutive slices of at most ``chunk`` edges covering ``range(n_edges)`` (one empty
    slice for a graph without edges)."""
    if chunk < 1:
        raise ValueError(f"edge chunk {chunk} must be a positive number of edges")
    return [slice(start, start + chunk) for start in range(0, max(n_edges, 1), chunk)]


def mlp(n_in: int, hidden: int, n_out: int, layer_norm: bool = True) -> nn.Sequential:
    """Two-layer MLP with SiLU, optionally LayerNorm on the output (GNS style)."""
    layers = [nn.Linear(n_in, hidden), nn.SiLU(), nn.Linear(hidden, n_out)]
    if layer_norm:
        layers.append(nn.LayerNorm(n_out))
    return nn.Sequential(*layers)


def envelope(scaled_distance: torch.Tensor) -> torch.Tensor:
    """Smooth cutoff (DimeNet polynomial, p = 6): 1 at r = 0, zero value, slope and curvature
    at r = r_c."""
    x = scaled_distance.clamp(max=1.0)
    p = 6
    return (1 - (p + 1) * (p + 2) / 2 * x**p + p * (p + 2) * x**(p + 1)
            - p * (p + 1) / 2 * x**(p + 2))


def bessel_basis(scaled_distance: torch.Tensor, n_radial: int) -> torch.Tensor:
    """``sin(n pi x) / x`` for n = 1..n_radial, x = r / r_c; shape ``(E, n_radial)``."""
    n = torch.arange(1, n_radial + 1, dtype=scaled_distance.dtype,
                     device=scaled_distance.device)
    x = scaled_distance.unsqueeze(-1)
    return torch.sin(n * math.pi * x) / x


class EdgeGeometry(NamedTuple):
    """Per-edge quantities every layer uses: envelope weight, unit displacement ``r_hat``
    and relative velocity ``v_sender - v_receiver`` (normalised)."""

    weight: torch.Tensor
    unit: torch.Tensor
    relative_velocity: torch.Tensor
    dyad: torch.Tensor | None = None
    """``(E, 9)`` row-major ``r_hat r_hat^T`` (:func:`outer_flat`), for tensor channels."""


def add_to_atoms(totals: torch.Tensor, graph: Graph, part: slice, per_edge: torch.Tensor,
                 pair_once: bool, sender_sign: float) -> None:
    """Add each edge's ``per_edge`` row to its receiver's row of ``totals``; with
    ``pair_once`` (an edge is a pair) also ``sender_sign`` times it to its sender's: +1 for
    quantities the same from both atoms (a distance, ``r_hat r_hat^T``), -1 for those along
    ``r_hat`` or the relative velocity, which point the other way from the sender."""
    totals.index_add_(0, graph.receivers[part], per_edge)
    if pair_once:
        totals.index_add_(0, graph.senders[part], per_edge if sender_sign > 0 else -per_edge)


class InteractionLayer(nn.Module):
    """One message-passing step: edge update from (edge, sender, receiver), node update from
    (node, enveloped sum of incoming edges); both residual.

    With ``n_vectors > 0`` each node also gathers equivariant vectors
    ``V_i = sum_j (a_ij r_hat_ij + b_ij v_ij)`` (force-like estimates); their projections on
    each edge (``V_j . r_hat_ij``, ``V_i . r_hat_ij``) and their norms enter the updates as
    invariants, so an atom can learn how its neighbours are being pushed, which pair
    distances and radial speeds alone cannot tell.

    With ``n_tensors > 0`` each node also gathers traceless symmetric tensors
    ``Q_i = sum_j c_ij (r_hat_ij r_hat_ij^T - I/3)``; ``r_hat_ij^T Q r_hat_ij`` of sender and
    receiver enter the edge update and ``|Q_i|^2`` the node update. Summed over neighbours
    these are weighted ``cos^2`` of bond angles (angular order 2), which vectors (order 1,
    ``cos``) cannot give: a three-body energy such as Stillinger-Weber's
    ``(cos theta + 1/3)^2`` needs both.

    With ``pair_once`` an edge is an unordered pair and its update is symmetric in its two
    atoms: one projection of both atoms' features (summed), and of the projections above the
    symmetric combinations (``V_s . r_hat - V_r . r_hat`` and ``(V_s . r_hat +
    V_r . r_hat)^2``; ``t_s + t_r`` and ``(t_s - t_r)^2`` for the tensor projections ``t``);
    both atoms receive the pair's message (:func:`add_to_atoms`).
    """

    def __init__(self, latent: int, hidden: int, n_vectors: int = 0, n_tensors: int = 0,
                 pair_once: bool = False):
        super().__init__()
        self.n_vectors = n_vectors
        self.n_tensors = n_tensors
        self.pair_once = pair_once
        self.edge_in = nn.Linear(latent, hidden)
        self.sender_in = nn.Linear(latent, hidden, bias=False)
        if not pair_once:
            self.receiver_in = nn.Linear(latent, hidden, bias=False)
        self.edge_out = nn.Sequential(nn.SiLU(), nn.Linear(hidden, latent), nn.LayerNorm(latent))
        self.node_mlp = mlp(2 * latent + n_vectors + n_tensors, hidden, latent)
        if n_vectors:
            self.vector_coefficients = nn.Linear(latent, 2 * n_vectors)
        if n_tensors:
            self.tensor_coefficients = nn.Linear(latent, n_tensors)
        if n_vectors or n_tensors:
            self.projections_in = nn.Linear(2 * (n_vectors + n_tensors), hidden, bias=False)

    def forward(self, nodes, edges, graph: Graph, geometry: EdgeGeometry,
                chunk: int = EDGE_CHUNK):
        sender_terms = self.sender_in(nodes)
        receiver_terms = sender_terms if self.pair_once else self.receiver_in(nodes)
        vectors = self._node_vectors(edges, graph, geometry, chunk) if self.n_vectors else None
        tensors = self._node_tensors(edges, graph, geometry, chunk) if self.n_tensors else None
        incoming = torch.zeros_like(nodes)
        updated = torch.empty_like(edges)
        for part in edge_parts(graph.n_edges, chunk):
            senders, receivers = graph.senders[part], graph.receivers[part]
            # In-place sums and batched products: 15% of a prediction's time saved (pairs
            # once, silica, one core), the same numbers to the last bit.
            first = self.edge_in(edges[part])
            first += sender_terms.index_select(0, senders)
            first += receiver_terms.index_select(0, receivers)
            projections = []
            if vectors is not None:
                unit = geometry.unit[part].unsqueeze(-1)
                projections += self._pair_terms(
                    torch.bmm(vectors.index_select(0, senders), unit).squeeze(-1),
                    torch.bmm(vectors.index_select(0, receivers), unit).squeeze(-1), odd=True)
            if tensors is not None:
                dyad = geometry.dyad[part].unsqueeze(-1)
                projections += self._pair_terms(
                    torch.bmm(tensors.index_select(0, senders), dyad).squeeze(-1),
                    torch.bmm(tensors.index_select(0, receivers), dyad).squeeze(-1),
                    odd=False)
            if projections:
                first += self.projections_in(torch.cat(projections, dim=-1))
            update = self.edge_out(first)
            update += edges[part]
            updated[part] = update
            add_to_atoms(incoming, graph, part, update * geometry.weight[part].unsqueeze(-1),
                         self.pair_once, sender_sign=1.0)
        node_invariants = [channels.square().sum(-1) for channels in (vectors, tensors)
                           if channels is not None]
        nodes = nodes + self.node_mlp(torch.cat([nodes, incoming, *node_invariants], dim=-1))
        return nodes, updated

    def _pair_terms(self, of_sender: torch.Tensor, of_receiver: torch.Tensor,
                    odd: bool) -> list[torch.Tensor]:
        """The edge's inputs from a projection on both atoms: both as they are, or with
        ``pair_once`` the two combinations that do not change when the atoms swap (``odd``:
        the projection changes sign with ``r_hat``)."""
        if not self.pair_once:
            return [of_sender, of_receiver]
        if odd:
            return [of_sender - of_receiver, (of_sender + of_receiver).square()]
        return [of_sender + of_receiver, (of_sender - of_receiver).square()]

    def _node_vectors(self, edges, graph: Graph, geometry: EdgeGeometry,
                      chunk: int) -> torch.Tensor:
        """``(N, n_vectors, 3)`` sums of edge coefficients times r_hat and v_rel."""
        vectors = torch.zeros(graph.n_atoms, self.n_vectors, 3, dtype=edges.dtype,
                              device=edges.device)
        for part in edge_parts(graph.n_edges, chunk):
            coefficients = (self.vector_coefficients(edges[part])
                            * geometry.weight[part].unsqueeze(-1))
            # (e, n, 2) coefficients along (r_hat, v_rel): one batched product.
            along = coefficients.view(-1, 2, self.n_vectors).transpose(1, 2)
            directions = torch.stack([geometry.unit[part],
                                      geometry.relative_velocity[part]], dim=1)
            per_edge = torch.bmm(along, directions)
            add_to_atoms(vectors, graph, part, per_edge, self.pair_once, sender_sign=-1.0)
        return vectors

    def _node_tensors(self, edges, graph: Graph, geometry: EdgeGeometry,
                      chunk: int) -> torch.Tensor:
        """``(N, n_tensors, 9)`` sums of edge coefficients times ``r_hat r_hat^T - I/3``
        (row-major 3x3)."""
        tensors = torch.zeros(graph.n_atoms, self.n_tensors, 9, dtype=edges.dtype,
                              device=edges.device)
        identity_third = torch.eye(3, dtype=edges.dtype, device=edges.device).flatten() / 3
        for part in edge_parts(graph.n_edges, chunk):
            coefficients = (self.tensor_coefficients(edges[part])
                            * geometry.weight[part].unsqueeze(-1))
            traceless = geometry.dyad[part] - identity_third
            add_to_atoms(tensors, graph, part,
                         coefficients.unsqueeze(-1) * traceless.unsqueeze(1),
                         self.pair_once, sender_sign=1.0)
        return tensors


def outer_flat(unit: torch.Tensor) -> torch.Tensor:
    """``(E, 9)`` row-major outer products ``u u^T`` of ``(E, 3)`` vectors."""
    return (unit.unsqueeze(-1) * unit.unsqueeze(-2)).flatten(-2)


class OGNNetwork(nn.Module):
    """Maps (graph, type ids, normalised velocities) to normalised ``(delta_v, correction)``.
    The graph has both directions of every pair (:func:`~ogn_lib.learn.graph.build_graph`);
    with ``pair_once`` the network keeps one of each.

    ``delta_v`` is the velocity change over k MD steps and ``correction`` the part of the
    displacement not given by the trapezoidal update ``k dt (v + delta_v / 2)``; both are
    ``(N, 3)`` and in units of their training-set standard deviations.
    """

    n_outputs = 4
    """Per edge: velocity change along r_hat and along v_rel; correction along each."""

    def __init__(self, config: ModelConfig, edge_chunk: int = EDGE_CHUNK):
        super().__init__()
        self.config = config
        self.edge_chunk = edge_chunk
        """Edges evaluated together in a CPU prediction without autograd
        (:data:`EDGE_CHUNK`); not a weight, so checkpoints do not hold it."""
        latent, hidden = config.latent_size, config.hidden_size
        self.type_embedding = nn.Embedding(config.n_types, latent)
        self.edge_encoder = mlp(config.n_radial + 2, hidden, latent)
        self.layers = nn.ModuleList(
            InteractionLayer(latent, hidden, config.n_vectors, config.n_tensors,
                             config.pair_once)
            for _ in range(config.n_layers))
        self.decoder = mlp(latent, hidden, self.n_outputs, layer_norm=False)
        # Start as the trapezoidal update with zero velocity change (constant velocity):
        # a sum over ~80 neighbours of random outputs would start far worse than that.
        nn.init.zeros_(self.decoder[-1].weight)
        nn.init.zeros_(self.decoder[-1].bias)
        if config.pair_once:
            # A pair's two atoms get equal and opposite sums; each type scales its own
            # (velocity change, correction), as 1/mass scales a force (learned, from 1).
            self.type_log_scales = nn.Parameter(torch.zeros(config.n_types, 2))

    def forward(self, graph: Graph, typeids: torch.Tensor, velocities: torch.Tensor):
        if velocities.shape != (graph.n_atoms, 3) or typeids.shape != (graph.n_atoms,):
            raise ValueError(
                f"velocities {tuple(velocities.shape)} and typeids {tuple(typeids.shape)} do "
                f"not match the graph's {graph.n_atoms} atoms: expected ({graph.n_atoms}, 3) "
                f"and ({graph.n_atoms},)")
        if self.config.pair_once:
            graph = graph.pairs_once()
        distance = graph.displacements.norm(dim=-1).clamp(min=1e-6)
        unit = graph.displacements / distance.unsqueeze(-1)
        scaled = distance / self.config.cutoff
        weight = envelope(scaled)
        relative_velocity = velocities[graph.senders] - velocities[graph.receivers]
        radial_speed = (relative_velocity * unit).sum(-1)
        tangential_speed = (relative_velocity.square().sum(-1) - radial_speed.square()
                            ).clamp(min=0.0).add(1e-12).sqrt()
        edge_features = torch.cat(
            [bessel_basis(scaled, self.config.n_radial) * weight.unsqueeze(-1),
             radial_speed.unsqueeze(-1), tangential_speed.unsqueeze(-1)], dim=-1)
        # Chunks keep a prediction's intermediates in the CPU cache. Under autograd every
        # chunk's intermediates are kept for the backward pass anyway, where chunks made
        # training ~17% slower; a GPU prefers few large kernels.
        chunked = edge_features.device.type == "cpu" and not torch.is_grad_enabled()
        chunk = self.edge_chunk if chunked else max(graph.n_edges, 1)
        parts = edge_parts(graph.n_edges, chunk)
        nodes = self.type_embedding(typeids)
        edges = edge_features.new_empty(graph.n_edges, self.config.latent_size)
        for part in parts:
            edges[part] = self.edge_encoder(edge_features[part])
        geometry = EdgeGeometry(weight, unit, relative_velocity,
                                outer_flat(unit) if self.config.n_tensors else None)
        for layer in self.layers:
            nodes, edges = layer(nodes, edges, graph, geometry, chunk)
        per_atom = torch.zeros(graph.n_atoms, 6, dtype=edges.dtype, device=edges.device)
        for part in parts:
            coefficients = self.decoder(edges[part]) * weight[part].unsqueeze(-1)
            vectors = torch.stack([unit[part], relative_velocity[part]], dim=1)  # (e, 2, 3)
            # rows (velocity change, correction), each along (r_hat, v_rel): (e, 6)
            per_edge = torch.bmm(coefficients.view(-1, 2, 2), vectors).flatten(1)
            add_to_atoms(per_atom, graph, part, per_edge, self.config.pair_once,
                         sender_sign=-1.0)
        if self.config.pair_once:
            per_atom = per_atom * self.type_log_scales.exp()[typeids].repeat_interleave(3, 1)
        return per_atom[:, :3], per_atom[:, 3:]
