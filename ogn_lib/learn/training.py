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

import copy
import json
import math
import time
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ogn_lib.learn.checkpoint import load_checkpoint, save_checkpoint
from ogn_lib.learn.distributed import Placement
from ogn_lib.learn.kinetic_loss import kinetic_change_scale
from ogn_lib.learn.loss import batch_loss, held_out_loss
from ogn_lib.learn.network import ModelConfig, OGNNetwork
from ogn_lib.learn.noise import NoiseConfig
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.simulator import LearnedSimulator, NetworkFactory, SimulatorSpec
from ogn_lib.learn.weight_average import WeightAverage

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
    rollout_steps: int = 1
    """Predictions chained in each training sample's loss
    (:func:`~ogn_lib.learn.loss.batch_loss`): 1 trains on single predictions from true
    states; more trains through the simulator's own rollout, against the accumulation of
    its errors, at about that many times the cost per sample. The test loss is always that
    of single predictions."""
    average_decay: float = 0.0
    """Decay per batch of the exponential moving average of the weights
    (:class:`~ogn_lib.learn.weight_average.WeightAverage`) that is tested and saved as the
    model; 0 keeps the trained weights themselves."""
    velocity_weight: float = 1.0
    """Weight of the velocity-change error in the training loss (the test loss weighs both
    errors 1)."""
    position_weight: float = 1.0
    """Weight of the position-correction error in the training loss."""
    kinetic_weight: float = 0.0
    """Weight of each configuration's kinetic-energy error after each prediction in the
    training loss (:mod:`~ogn_lib.learn.kinetic_loss`); 0 leaves it out. The test loss
    leaves it out always, so that it compares with trainings without it."""

    def __post_init__(self):
        if not 0.0 <= self.average_decay < 1.0:
            raise ValueError(f"average_decay = {self.average_decay}: give 0 (no average) "
                             "or a decay below 1, e.g. 0.999")
        for name in ("velocity_weight", "position_weight"):
            weight = getattr(self, name)
            if not (math.isfinite(weight) and weight > 0):
                raise ValueError(f"{name} = {weight}: a loss weight is a positive number")
        if not (math.isfinite(self.kinetic_weight) and self.kinetic_weight >= 0):
            raise ValueError(f"kinetic_weight = {self.kinetic_weight}: give 0 (left out) or "
                             "a positive weight")
        if self.schedule not in SCHEDULES:
            raise ValueError(f"unknown learning-rate schedule {self.schedule!r}; choose "
                             f"one of {SCHEDULES}")
        if self.rollout_steps < 1:
            raise ValueError(f"rollout_steps = {self.rollout_steps}: the loss chains at "
                             "least one prediction; use 1 for single predictions")
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
        """The settings as plain data; the fields added after the first models were shipped
        (``rollout_steps``, the average and the loss weights) only where they differ from
        their defaults, so that checkpoints and cache keys written before them still
        match."""
        settings = asdict(self)
        for name, default in LATER_DEFAULTS.items():
            if settings[name] == default:
                del settings[name]
        return settings


LATER_DEFAULTS = {"rollout_steps": 1, "average_decay": 0.0, "velocity_weight": 1.0,
                  "position_weight": 1.0, "kinetic_weight": 0.0}
"""Fields of :class:`TrainingConfig` that a saved setting leaves out at these values."""


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
          network_factory: NetworkFactory = OGNNetwork,
          initial: LearnedSimulator | None = None, until: int | None = None) -> dict:
    """Train (or resume) and return the history ``{train_loss, test_loss, seconds,
    cpu_seconds}`` per epoch (wall-clock and this process's CPU time, in seconds).

    A checkpoint with weights, optimizer, generator state and history is written after each
    epoch; with ``resume=True`` training continues from it and ends as an uninterrupted run
    would. ``placement`` says on which device and, under torchrun, as which of several
    processes this one trains (each takes its shard of every batch; rank 0 writes the
    checkpoint); the default is one process on the CPU. ``network_factory(model)`` builds
    the network to train (an :class:`~ogn_lib.learn.network.OGNNetwork` by default);
    ``initial``, a trained simulator of the same model and stride, starts it from that
    simulator's weights and normalisation instead (fine-tuning). ``until`` stops after that
    many epochs, the schedule still spanning ``config.epochs``: a long training can pause
    there (to be measured) and resume. With
    ``config.average_decay`` the moving average of the weights is what is tested and saved
    as the model; the checkpoint keeps the trained weights beside it for resuming.
    """
    placement.shard(config.batch_size)  # refuse a batch that does not split before training
    train_pairs.chain_starts(config.rollout_steps)  # and trajectories too short to chain
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    simulator = (new_simulator(train_pairs, model, network_factory) if initial is None
                 else _fine_tuned(initial, train_pairs, model)).to(placement.device)
    optimizer = torch.optim.Adam(simulator.network.parameters(), lr=config.learning_rate)
    average = (WeightAverage(simulator.network, config.average_decay)
               if config.average_decay else None)
    history = {"train_loss": [], "test_loss": [], "seconds": [], "cpu_seconds": []}
    if resume and Path(checkpoint_path).exists():
        history = _restore(checkpoint_path, simulator, optimizer, generator, config, average)
    forward = placement.wrap(simulator)
    kinetic = ((config.kinetic_weight, kinetic_change_scale(train_pairs))
               if config.kinetic_weight else None)
    # Closed on the way out of an error or Ctrl-C too, so that messages after it start
    # on a line of their own.
    last = config.epochs if until is None else min(until, config.epochs)
    with tqdm(range(len(history["test_loss"]), last),
              disable=not (progress and placement.is_writer),
              desc=f"train {simulator.spec.system} k={simulator.spec.k_steps}",
              unit="epoch", initial=len(history["test_loss"]),
              total=config.epochs) as progress_bar:
        for epoch in progress_bar:
            started, cpu_started = time.perf_counter(), time.process_time()
            train_loss = _train_epoch(simulator, forward, optimizer, train_pairs, config, epoch,
                                      generator, placement, average, kinetic)
            history["train_loss"].append(train_loss)
            with (average.swapped_in(simulator.network) if average else nullcontext()) as trained:
                # Every process computes the whole (small) test loss: the weights are the
                # same on all, and so is the history.
                history["test_loss"].append(held_out_loss(simulator, test_pairs,
                                                      config.n_test_pairs, config.batch_size))
                history["seconds"].append(time.perf_counter() - started)
                history["cpu_seconds"].append(time.process_time() - cpu_started)
                progress_bar.set_postfix(train=f"{train_loss:.4f}",
                                         test=f"{history['test_loss'][-1]:.4f}")
                if placement.is_writer:
                    kept = ({} if average is None else
                            {"trained_model": trained, "average_updates": average.updates})
                    save_checkpoint(checkpoint_path, simulator,
                                    optimizer=optimizer.state_dict(),
                                    generator=generator.get_state(), history=history,
                                    training=json.dumps(config.to_dict(), sort_keys=True),
                                    **kept)
            placement.barrier()
    return history


def _fine_tuned(initial: LearnedSimulator, pairs: PairSet, model: ModelConfig
                ) -> LearnedSimulator:
    """A copy of ``initial`` to train further on ``pairs``; it must be the model ``model``
    for the same atoms, MD step and stride."""
    spec = initial.spec
    if spec.model != model:
        raise ValueError(f"the simulator to fine-tune is the model {asdict(spec.model)}, not "
                         f"{asdict(model)}; fine-tune with its own model settings")
    mismatched = [name for name, mine, theirs in
                  (("atom types", spec.type_names, pairs.type_names),
                   ("k (MD steps per prediction)", spec.k_steps, pairs.k_steps),
                   ("MD step dt", spec.dt, pairs.dt)) if mine != theirs]
    if mismatched:
        raise ValueError(f"the simulator to fine-tune differs from the training data in "
                         f"{', '.join(mismatched)}; fine-tune on data of its own system and "
                         "stride")
    return copy.deepcopy(initial)


def _train_epoch(simulator, forward, optimizer, pairs, config, epoch, generator,
                 placement, average=None, kinetic=None) -> float:
    """The mean loss of an epoch's batches; each process trains on its shard of every batch
    and all of them see the mean loss of the whole batch, so all stop together if it
    diverges."""
    simulator.train()
    shard = placement.shard(config.batch_size)
    starts = torch.from_numpy(pairs.chain_starts(config.rollout_steps))
    total = 0.0
    for batch in range(config.batches_per_epoch):
        for group in optimizer.param_groups:
            group["lr"] = config.learning_rate_at(epoch * config.batches_per_epoch + batch)
        chosen = starts[torch.randint(len(starts), (config.batch_size,), generator=generator)]
        loss = batch_loss(simulator, pairs, chosen.numpy(), config.noise, generator, shard,
                          forward, config.rollout_steps,
                          (config.velocity_weight, config.position_weight), kinetic)
        batch_mean = placement.mean(loss.item())
        if not np.isfinite(batch_mean) or batch_mean > config.max_loss:
            raise TrainingDiverged(
                f"loss {batch_mean:.4g} at epoch {epoch + 1}, batch {batch + 1}: training "
                f"diverged (limit {config.max_loss}). Lower the learning rate "
                f"({config.learning_rate}) or check the data for blown-up frames.")
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if average is not None:
            average.update(simulator.network)
        total += batch_mean
    simulator.eval()
    return total / config.batches_per_epoch


def _restore(path, simulator, optimizer, generator, config, average=None) -> dict:
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
    if average is None:
        simulator.network.load_state_dict(payload["model"])
    else:
        simulator.network.load_state_dict(payload["trained_model"])
        average.restore(payload["model"], payload["average_updates"])
    optimizer.load_state_dict(payload["optimizer"])
    generator.set_state(payload["generator"])
    history = payload["history"]
    # Checkpoints from before CPU time was recorded: none for their epochs, so no total.
    history.setdefault("cpu_seconds", [float("nan")] * len(history["seconds"]))
    return history
