"""What an MD engine hands its frames to: a writer with an explicit period.

As in HOOMD-blue (``hoomd.write.GSD(trigger=Periodic(n))``), how often a run is recorded is
stated by the writer, in one place. Any object with these two members will do; the
project's GSD writer is :class:`ogn_lib.data.trajectory_writer.TrajectoryWriter`, and the MD layer
never imports it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from ogn_lib.configuration import Configuration


@runtime_checkable
class FrameWriter(Protocol):
    """Receives a configuration every ``period_steps`` MD steps of a run."""

    period_steps: int
    """MD steps between two recorded frames (at least 1)."""

    def append(self, configuration: Configuration) -> None:
        """Record one frame."""
