"""An exponential moving average of a network's weights, the model that MACE and NequIP
keep, test and ship instead of the last trained weights: it averages out the scatter of the
last batches that a decaying learning rate would otherwise have to remove."""

from __future__ import annotations

from contextlib import contextmanager

import torch


class WeightAverage:
    """The running average ``a <- d a + (1 - d) w`` of every floating-point weight ``w`` of
    a network after each optimizer step, with the decay ``d`` ramped up as
    ``min(decay, (1 + n) / (10 + n))`` over the first ``n`` updates so that the random
    initial weights are soon forgotten; integer buffers are copied."""

    def __init__(self, network: torch.nn.Module, decay: float):
        if not 0.0 < decay < 1.0:
            raise ValueError(f"average decay {decay}: give a number between 0 and 1, "
                             "e.g. 0.999")
        self.decay = decay
        self.updates = 0
        self.averaged = {name: value.detach().clone()
                         for name, value in network.state_dict().items()}

    def update(self, network: torch.nn.Module) -> None:
        """Fold the network's current weights into the average."""
        self.updates += 1
        decay = min(self.decay, (1 + self.updates) / (10 + self.updates))
        with torch.no_grad():
            for name, value in network.state_dict().items():
                if value.is_floating_point():
                    self.averaged[name].lerp_(value, 1.0 - decay)
                else:
                    self.averaged[name].copy_(value)

    def restore(self, averaged: dict, updates: int) -> None:
        """Continue from a saved average of ``updates`` updates."""
        self.averaged = {name: value.detach().clone() for name, value in averaged.items()}
        self.updates = int(updates)

    @contextmanager
    def swapped_in(self, network: torch.nn.Module):
        """Within the block the network holds the averaged weights; the block receives a
        copy of the trained ones, which the network gets back on the way out."""
        trained = {name: value.detach().clone() for name, value in network.state_dict().items()}
        network.load_state_dict(self.averaged)
        try:
            yield trained
        finally:
            network.load_state_dict(trained)
