"""Training: pairs of states k MD steps apart, Adam with a decaying rate, a checkpoint per epoch.

Training is deterministic for a given seed: model initialisation, batch choice and input
noise all draw from one seeded generator whose state is saved in every checkpoint, so a
run resumed from its last checkpoint ends exactly where an uninterrupted run ends.

The same code trains on the CPU or a GPU and on one process or several started by
``torchrun`` (a :class:`~ogn_lib.learn.distributed.Placement`, see
:mod:`ogn_lib.learn.distributed`);
random numbers are drawn on the CPU, so every placement sees the same batches and noise.
On a GPU, sums by atomic addition make two runs agree to rounding rather than bit for bit.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ogn_lib.data.trajectory import Trajectory
from ogn_lib.learn.checkpoint import load_checkpoint, save_checkpoint
from ogn_lib.learn.distributed import Placement
from ogn_lib.learn.graph import batch_graphs, build_graph
from ogn_lib.learn.network import ModelConfig, OGNNetwork
from ogn_lib.learn.noise import NoiseConfig, perturb
from ogn_lib.learn.simulator import (
    LearnedSimulator,
    NetworkFactory,
    Normalisation,
    SimulatorSpec,
    trapezoid_correction,
)
from ogn_lib.periodic import unwrap

SCHEDULES = ("exponential", "cosine")
"""Learning-rate schedules :class:`TrainingConfig` knows."""


class TrainingDiverged(RuntimeError):
    """The loss became NaN or exploded; the message names the epoch and batch."""


@dataclass(frozen=True)
class TrainingConfig:
    """How to train.

    An epoch is ``batches_per_epoch`` random batches of ``batch_size`` configurations (not
    a pass over every pair: consecutive MD frames are nearly identical, so a fixed-size epoch
    gives a test-loss curve at a steady cadence whatever the data volume).
    """

    epochs: int = 20
    batches_per_epoch: int = 100
    batch_size: int = 4
    learning_rate: float = 1e-3
    final_learning_rate: float = 1e-5
    seed: int = 0
    noise: NoiseConfig = field(default_factory=NoiseConfig)
    n_test_pairs: int = 32
    max_loss: float = 1e4
    """A batch loss above this (normalised units, where 1 means 'no skill') is divergence."""

    schedule: str = "exponential"
    """How the rate falls from ``learning_rate`` to ``final_learning_rate`` over the run:
    ``exponential`` (geometric) or ``cosine`` (stays near the peak longer, then falls)."""
    warmup_batches: int = 0
    """Batches over which the rate rises linearly from zero to ``learning_rate``."""

    def __post_init__(self):
        if self.schedule not in SCHEDULES:
            raise ValueError(f"unknown learning-rate schedule {self.schedule!r}; choose "
                             f"one of {SCHEDULES}")
        if not 0 <= self.warmup_batches < self.epochs * self.batches_per_epoch:
            raise ValueError(f"warm-up of {self.warmup_batches} batches must be shorter "
                             f"than the run ({self.epochs * self.batches_per_epoch} batches)")

    def learning_rate_at(self, batch_index: int) -> float:
        """The rate of batch ``batch_index`` (0-based): linear warm-up, then the schedule's
        fall from ``learning_rate`` to ``final_learning_rate`` at the last batch."""
        if batch_index < self.warmup_batches:
            return self.learning_rate * (batch_index + 1) / self.warmup_batches
        total = max(1, self.epochs * self.batches_per_epoch - 1 - self.warmup_batches)
        fraction = min(1.0, (batch_index - self.warmup_batches) / total)
        if self.schedule == "cosine":
            return self.final_learning_rate + 0.5 * (
                self.learning_rate - self.final_learning_rate) * (1 + math.cos(math.pi * fraction))
        return self.learning_rate * (self.final_learning_rate / self.learning_rate) ** fraction

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class PairBatch:
    """Stacked states at t and t + k dt of ``B`` configurations with the same atoms."""

    positions: np.ndarray        # (B, N, 3) wrapped
    velocities: np.ndarray       # (B, N, 3)
    displacements: np.ndarray    # (B, N, 3) unwrapped x(t + k dt) - x(t)
    later_velocities: np.ndarray  # (B, N, 3)


class PairSet:
    """All pairs (frame t, frame t + k MD steps) of a list of trajectories of one system."""

    def __init__(self, trajectories: list[Trajectory], k_steps: int):
        if not trajectories:
            raise ValueError("no trajectories given; pass at least one")
        first = trajectories[0]
        for trajectory in trajectories:
            self._check_compatible(first, trajectory, k_steps)
        self.trajectories = trajectories
        self.k_steps = k_steps
        self.frame_offset = k_steps // first.metadata.period_steps
        self.index = np.array([(i, t) for i, trajectory in enumerate(trajectories)
                               for t in range(trajectory.n_frames - self.frame_offset)],
                              dtype=np.int64).reshape(-1, 2)
        if len(self.index) == 0:
            raise ValueError(f"trajectories of {first.n_frames} frames hold no pair "
                             f"{k_steps} MD steps apart; use longer trajectories")

    @staticmethod
    def _check_compatible(first: Trajectory, other: Trajectory, k_steps: int) -> None:
        period = other.metadata.period_steps
        if k_steps % period:
            raise ValueError(f"k = {k_steps} MD steps is not a multiple of the recording "
                             f"period {period}; record every step or choose k accordingly")
        for key in ("system", "dt", "period_steps"):
            first_value, other_value = getattr(first.metadata, key), getattr(other.metadata, key)
            if other_value != first_value:
                raise ValueError(f"trajectories disagree on {key}: "
                                 f"{first_value} vs {other_value}")
        if other.type_names != first.type_names or not np.array_equal(other.typeids,
                                                                      first.typeids):
            raise ValueError("trajectories hold different atoms; a pair set needs one system")

    @property
    def system(self) -> str:
        return self.trajectories[0].metadata.system

    @property
    def dt(self) -> float:
        return float(self.trajectories[0].metadata.dt)

    @property
    def type_names(self) -> tuple[str, ...]:
        return self.trajectories[0].type_names

    @property
    def typeids(self) -> np.ndarray:
        return self.trajectories[0].typeids

    @property
    def masses(self) -> np.ndarray:
        return self.trajectories[0].masses

    @property
    def box_lengths(self) -> np.ndarray:
        return self.trajectories[0].box_lengths

    def __len__(self) -> int:
        return len(self.index)

    def batch(self, pair_indices) -> PairBatch:
        rows = [self._pair(*self.index[i]) for i in np.asarray(pair_indices).ravel()]
        return PairBatch(*(np.stack(column) for column in zip(*rows)))

    def _pair(self, trajectory_index: int, frame: int):
        trajectory = self.trajectories[trajectory_index]
        later = frame + self.frame_offset
        displacement = unwrap(trajectory.positions[later] - trajectory.positions[frame],
                              trajectory.images[later] - trajectory.images[frame],
                              trajectory.box_lengths)
        return (trajectory.positions[frame], trajectory.velocities[frame], displacement,
                trajectory.velocities[later])

    def normalisation(self, max_pairs: int = 200) -> Normalisation:
        """Scales of the inputs and targets from up to ``max_pairs`` evenly spread pairs."""
        chosen = np.linspace(0, len(self) - 1, min(max_pairs, len(self))).astype(int)
        batch = self.batch(chosen)
        delta_v = batch.later_velocities - batch.velocities
        correction = trapezoid_correction(batch.displacements, batch.velocities, delta_v,
                                          self.k_steps * self.dt)
        closest = min(float(build_graph(p, self.box_lengths, 1.5 * _typical_spacing(self))
                            .displacements.norm(dim=-1).min()) for p in batch.positions[:20])
        return Normalisation(velocity_std=float(batch.velocities.std()),
                             delta_velocity_std=float(delta_v.std()),
                             correction_std=float(correction.std()),
                             closest_approach=closest)


def _typical_spacing(pairs: PairSet) -> float:
    """Mean interatomic spacing ``(V / N)^(1/3)``."""
    return float((np.prod(pairs.box_lengths) / len(pairs.typeids)) ** (1.0 / 3.0))


def batch_loss(simulator: LearnedSimulator, pairs: PairSet, pair_indices,
               noise: NoiseConfig | None = None, generator: torch.Generator | None = None,
               shard: slice = slice(None), forward=None):
    """Mean squared error of the normalised velocity change and position correction.

    The noise of every configuration of ``pair_indices`` is drawn, but only those of
    ``shard`` enter the loss (one process's share of a global batch); ``forward`` computes
    the outputs (default: the simulator; its DistributedDataParallel wrapper on several
    processes).
    """
    forward = simulator if forward is None else forward
    batch = pairs.batch(pair_indices)
    box = pairs.box_lengths
    positions = torch.as_tensor(batch.positions, dtype=torch.float64)
    velocities = torch.as_tensor(batch.velocities, dtype=torch.float32)
    displacements = torch.as_tensor(batch.displacements, dtype=torch.float32)
    if noise is not None and (noise.position_fraction or noise.velocity_fraction):
        norm = simulator.spec.normalisation
        positions, velocities, position_noise = perturb(
            positions, velocities, torch.as_tensor(box), noise, norm.correction_std,
            norm.velocity_std, generator)
        displacements = displacements - position_noise.float()
    device = simulator.device
    graph = batch_graphs([build_graph(p, box, simulator.spec.model.cutoff)
                          for p in positions[shard].numpy()]).to(device)
    velocities = velocities[shard].to(device)
    n_configurations = len(velocities)
    typeids = simulator.typeids_for(pairs.type_names, np.tile(pairs.typeids, n_configurations))
    target_dv, target_correction = simulator.normalised_targets(
        velocities, torch.as_tensor(batch.later_velocities[shard], dtype=torch.float32,
                                    device=device), displacements[shard].to(device))
    predicted_dv, predicted_correction = forward(
        graph, typeids.to(device), velocities.reshape(-1, 3))
    return ((predicted_dv - target_dv.reshape(-1, 3)).square().mean()
            + (predicted_correction - target_correction.reshape(-1, 3)).square().mean())


@torch.no_grad()
def test_loss(simulator: LearnedSimulator, pairs: PairSet, n_pairs: int,
              batch_size: int) -> float:
    """Noise-free loss on ``n_pairs`` pairs spread evenly through ``pairs``."""
    chosen = np.linspace(0, len(pairs) - 1, min(n_pairs, len(pairs))).astype(int)
    losses = [float(batch_loss(simulator, pairs, chosen[i:i + batch_size])) * len(
        chosen[i:i + batch_size]) for i in range(0, len(chosen), batch_size)]
    return sum(losses) / len(chosen)


def new_simulator(train_pairs: PairSet, model: ModelConfig,
                  network_factory: NetworkFactory = OGNNetwork) -> LearnedSimulator:
    """An untrained simulator with the training set's normalisation and the network
    ``network_factory(model)``."""
    spec = SimulatorSpec(system=train_pairs.system, type_names=train_pairs.type_names,
                         k_steps=train_pairs.k_steps, dt=train_pairs.dt, model=model,
                         normalisation=train_pairs.normalisation())
    return LearnedSimulator(spec, network_factory(model))


def train(model: ModelConfig, train_pairs: PairSet, test_pairs: PairSet,
          config: TrainingConfig, checkpoint_path: Path, resume: bool = False,
          progress: bool = True, placement: Placement = Placement(),
          network_factory: NetworkFactory = OGNNetwork) -> dict:
    """Train (or resume) and return the history ``{train_loss, test_loss, seconds,
    cpu_seconds}`` per epoch (wall-clock and this process's CPU time, in seconds).

    A checkpoint with weights, optimizer, generator state and history is written after each
    epoch; with ``resume=True`` training continues from it and ends as an uninterrupted run
    would. ``placement`` says on which device and, under torchrun, as which of several
    processes this one trains (each takes its shard of every batch; rank 0 writes the
    checkpoint); the default is one process on the CPU. ``network_factory(model)`` builds
    the network to train (an :class:`~ogn_lib.learn.network.OGNNetwork` by default).
    """
    placement.shard(config.batch_size)  # refuse a batch that does not split before training
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    simulator = new_simulator(train_pairs, model, network_factory).to(placement.device)
    optimizer = torch.optim.Adam(simulator.network.parameters(), lr=config.learning_rate)
    history = {"train_loss": [], "test_loss": [], "seconds": [], "cpu_seconds": []}
    if resume and Path(checkpoint_path).exists():
        history = _restore(checkpoint_path, simulator, optimizer, generator, config)
    forward = placement.wrap(simulator)
    # Closed on the way out of an error or Ctrl-C too, so that messages after it start
    # on a line of their own.
    with tqdm(range(len(history["test_loss"]), config.epochs),
              disable=not (progress and placement.is_writer),
              desc=f"train {simulator.spec.system} k={simulator.spec.k_steps}",
              unit="epoch", initial=len(history["test_loss"]),
              total=config.epochs) as progress_bar:
        for epoch in progress_bar:
            started, cpu_started = time.perf_counter(), time.process_time()
            train_loss = _train_epoch(simulator, forward, optimizer, train_pairs, config, epoch,
                                      generator, placement)
            history["train_loss"].append(train_loss)
            # Every process computes the whole (small) test loss: the weights are the same on
            # all, and so is the history.
            history["test_loss"].append(test_loss(simulator, test_pairs, config.n_test_pairs,
                                                  config.batch_size))
            history["seconds"].append(time.perf_counter() - started)
            history["cpu_seconds"].append(time.process_time() - cpu_started)
            progress_bar.set_postfix(train=f"{train_loss:.4f}",
                                     test=f"{history['test_loss'][-1]:.4f}")
            if placement.is_writer:
                save_checkpoint(checkpoint_path, simulator, optimizer=optimizer.state_dict(),
                                generator=generator.get_state(), history=history,
                                training=json.dumps(config.to_dict(), sort_keys=True))
            placement.barrier()
    return history


def _train_epoch(simulator, forward, optimizer, pairs, config, epoch, generator,
                 placement) -> float:
    """The mean loss of an epoch's batches; each process trains on its shard of every batch
    and all of them see the mean loss of the whole batch, so all stop together if it
    diverges."""
    simulator.train()
    shard = placement.shard(config.batch_size)
    total = 0.0
    for batch in range(config.batches_per_epoch):
        for group in optimizer.param_groups:
            group["lr"] = config.learning_rate_at(epoch * config.batches_per_epoch + batch)
        chosen = torch.randint(len(pairs), (config.batch_size,), generator=generator)
        loss = batch_loss(simulator, pairs, chosen.numpy(), config.noise, generator, shard,
                          forward)
        batch_mean = placement.mean(loss.item())
        if not np.isfinite(batch_mean) or batch_mean > config.max_loss:
            raise TrainingDiverged(
                f"loss {batch_mean:.4g} at epoch {epoch + 1}, batch {batch + 1}: training "
                f"diverged (limit {config.max_loss}). Lower the learning rate "
                f"({config.learning_rate}) or check the data for blown-up frames.")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += batch_mean
    simulator.eval()
    return total / config.batches_per_epoch


def _restore(path, simulator, optimizer, generator, config) -> dict:
    payload = load_checkpoint(path)
    saved = json.loads(payload["training"])
    if saved != json.loads(json.dumps(config.to_dict(), sort_keys=True)):
        raise ValueError(f"{path} was written with training settings {saved}, not "
                         f"{config.to_dict()}; resume with the same settings or start anew")
    # Through ModelConfig, so that a checkpoint from before a field existed compares by
    # that field's default.
    if ModelConfig(**payload["spec"]["model"]) != simulator.spec.model:
        raise ValueError(f"{path} holds a model {payload['spec']['model']}, not "
                         f"{asdict(simulator.spec.model)}; resume with the same preset")
    simulator.network.load_state_dict(payload["model"])
    optimizer.load_state_dict(payload["optimizer"])
    generator.set_state(payload["generator"])
    history = payload["history"]
    # Checkpoints from before CPU time was recorded: none for their epochs, so no total.
    history.setdefault("cpu_seconds", [float("nan")] * len(history["seconds"]))
    return history
