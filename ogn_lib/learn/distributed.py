"""Where training runs: the torch device and, under ``torchrun``, the other processes.

``torchrun --nproc_per_node P`` starts P copies of a command and tells each its place in
the environment (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR``/``PORT``).
Training then runs data-parallel: every process draws the same global batch and its noise
from the shared seeded generator (so the generators stay in step and a checkpoint's
generator state serves every process), computes the loss of its own contiguous shard of
the configurations, and DistributedDataParallel averages the gradients. Shards are of equal
size, so the average of the shard losses is the loss of the whole batch and the update is
that of one process on the whole batch. Rank 0 alone writes files; the others wait.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel


@dataclass(frozen=True)
class Placement:
    """This training process: its rank among ``world_size`` processes and its torch device
    (``"cpu"``, ``"cuda:0"``...). The default is one process on the CPU."""

    rank: int = 0
    world_size: int = 1
    device: str = "cpu"

    @property
    def is_writer(self) -> bool:
        """Whether this process writes checkpoints and prints (rank 0)."""
        return self.rank == 0

    def shard(self, n_items: int) -> slice:
        """This process's contiguous share of ``n_items`` items (a global batch)."""
        if n_items % self.world_size:
            raise ValueError(
                f"a batch of {n_items} configurations does not split evenly over "
                f"{self.world_size} processes; choose a batch size that is a multiple of the "
                "number of processes (torchrun --nproc_per_node)")
        size = n_items // self.world_size
        return slice(self.rank * size, (self.rank + 1) * size)

    def mean(self, value: float) -> float:
        """The mean of ``value`` over all processes (every process gets it)."""
        if self.world_size == 1:
            return value
        total = torch.tensor(value, dtype=torch.float64, device=self.device)
        dist.all_reduce(total)
        return float(total) / self.world_size

    def barrier(self) -> None:
        """Wait until every process gets here (after rank 0 has written a file)."""
        if self.world_size > 1:
            dist.barrier()

    def wrap(self, module: nn.Module) -> nn.Module:
        """``module`` itself on one process, else its DistributedDataParallel wrapper, whose
        calls synchronise the gradients of the next backward pass across processes."""
        if self.world_size == 1:
            return module
        device_ids = [torch.device(self.device).index] if self.device.startswith("cuda") else None
        # The OGN's last node update feeds nothing (the decoder reads edges), so its
        # weights get no gradient; DDP must be told to look for such parameters.
        return DistributedDataParallel(module, device_ids=device_ids,
                                       find_unused_parameters=True)


def choose_device(requested: str = "auto", local_rank: int = 0) -> str:
    """The torch device to train on: ``auto`` is CUDA when torch sees a GPU, else the CPU;
    a bare ``cuda`` becomes this process's GPU, ``cuda:<LOCAL_RANK>``."""
    if requested == "auto":
        requested = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        device = torch.device(requested)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"device {requested!r} is not a torch device name; use auto, cpu "
                         "or cuda (cuda:<index> for one GPU)") from error
    if device.type == "cpu":
        return "cpu"
    if device.type != "cuda":
        raise ValueError(f"device {requested!r} is not supported; use auto, cpu or cuda "
                         "(cuda:<index> for one GPU)")
    if not torch.cuda.is_available():
        raise ValueError(f"device {requested!r} asked for, but this torch "
                         f"({torch.__version__}) sees no CUDA GPU; use --device cpu or "
                         "install a CUDA build of torch")
    index = local_rank if device.index is None else device.index
    if index >= torch.cuda.device_count():
        raise ValueError(f"GPU {index} ({requested!r}) asked for, but only "
                         f"{torch.cuda.device_count()} are visible (cuda:0 to "
                         f"cuda:{torch.cuda.device_count() - 1}); choose one of them, or "
                         "start at most that many processes per node")
    return f"cuda:{index}"


def placement_from_environment(device: str = "auto") -> Placement:
    """This process's placement from torchrun's ``RANK``/``WORLD_SIZE``/``LOCAL_RANK``
    (one process when they are not set)."""
    rank = int(os.environ.get("RANK", "0"))
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    return Placement(rank, world_size, choose_device(device, local_rank))


@contextmanager
def launched(device: str = "auto") -> Iterator[Placement]:
    """This process's placement; when torchrun started several, the process group (gloo
    on the CPU, NCCL on GPUs) exists inside the ``with`` block and is torn down after."""
    placement = placement_from_environment(device)
    if placement.world_size == 1:
        yield placement
        return
    cuda = placement.device.startswith("cuda")
    if cuda:
        torch.cuda.set_device(torch.device(placement.device))
    dist.init_process_group("nccl" if cuda else "gloo", rank=placement.rank,
                            world_size=placement.world_size)
    try:
        yield placement
    finally:
        dist.destroy_process_group()
