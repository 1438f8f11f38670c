"""Benchmark: the training throughput levers side by side in one process.

Each lever of :data:`THROUGHPUT_LEVERS` (batch size, ``torch.compile``, tensor channels)
changes the system's quick Fast-OGN trained in batches of 8; each is timed on the same
training pairs in CPU seconds per batch of graph building, forward, backward and Adam
step, the first batch (with any compilation) apart. The report of
``book/data/training_throughput_<system>.json``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import torch

from ogn_lib.learn.loss import batch_loss
from ogn_lib.learn.pairs import PairSet
from ogn_lib.learn.presets import graph_cutoff, model_config
from ogn_lib.learn.training import new_simulator

THROUGHPUT_LEVERS = {
    "profile": {},
    "batch-4": {"batch_size": 4},
    "batch-16": {"batch_size": 16},
    "torch-compile": {"compile": True},
    "tensors-0": {"model": {"n_tensors": 0}},
    "tensors-8": {"model": {"n_tensors": 8}},
}
"""Levers of :func:`throughput_levers`, each a change to the system's quick Fast-OGN
trained in batches of 8."""


def batch_seconds(simulator, pairs: PairSet, batch_size: int, n_batches: int,
                  compile_forward: bool = False) -> list[float]:
    """CPU seconds of each of ``n_batches`` training batches of ``batch_size`` random
    pairs (default training noise, Adam at 1e-4), the first with any compilation."""
    generator = torch.Generator().manual_seed(0)
    optimizer = torch.optim.Adam(simulator.network.parameters(), lr=1e-4)
    forward = torch.compile(simulator, dynamic=True) if compile_forward else None
    seconds = []
    for _ in range(n_batches):
        started = time.process_time()
        chosen = torch.randint(len(pairs), (batch_size,), generator=generator).numpy()
        loss = batch_loss(simulator, pairs, chosen, generator=generator, forward=forward)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        seconds.append(time.process_time() - started)
    return seconds


def throughput_levers(system: str, pairs: PairSet, n_batches: int = 30,
                      levers: dict = THROUGHPUT_LEVERS,
                      log: Callable[[str], None] = print) -> list[dict]:
    """Training samples per CPU second of each lever of ``levers``, one after the other
    on ``pairs`` on one thread: the median of ``n_batches`` timed batches after the first,
    whose time (with any compilation) is reported apart."""
    torch.set_num_threads(1)
    profile_model = model_config("fast", "quick", len(pairs.type_names), graph_cutoff(system),
                                 system)
    rows = []
    for name, lever in levers.items():
        model = replace(profile_model, **lever.get("model", {}))
        batch_size = lever.get("batch_size", 8)
        torch.manual_seed(0)
        simulator = new_simulator(pairs, model).train()
        seconds = batch_seconds(simulator, pairs, batch_size, n_batches + 1,
                                lever.get("compile", False))
        steady = float(np.median(seconds[1:]))
        rows.append({"lever": name, "batch_size": batch_size, "n_tensors": model.n_tensors,
                     "first_batch_cpu_s": seconds[0], "cpu_s_per_batch": steady,
                     "samples_per_cpu_s": batch_size / steady,
                     "total_cpu_s": float(np.sum(seconds))})
        log(json.dumps(rows[-1]))
    return rows
