"""How many CPU threads torch uses in a command that trains or rolls out: ``--threads``,
else ``$OGN_THREADS``, else torch's default, checked against the machine's cores."""

from __future__ import annotations

import os

import torch

MAX_THREADS_PER_CORE = 4
"""Torch threads beyond this many per CPU core only slow a run down (or fail to start)."""


def set_threads(threads: int | None) -> None:
    """Torch threads: ``--threads``, else ``OGN_THREADS``, else torch's default. On a
    2-core machine where another job holds a core, 1 thread is far faster than 2."""
    source = "--threads"
    if threads is None:
        source = "$OGN_THREADS"
        variable = os.environ.get("OGN_THREADS", "0")
        if not variable.strip().isdigit():
            raise ValueError(f"$OGN_THREADS={variable!r} is not a whole number; set it to "
                             "the number of torch threads (e.g. 1) or unset it")
        threads = int(variable)
    cores = os.cpu_count() or 1
    if threads > MAX_THREADS_PER_CORE * cores:
        raise ValueError(f"{source} {threads}: this machine has {cores} CPU cores; give at "
                         f"most {MAX_THREADS_PER_CORE * cores} threads (one per core is best)")
    if threads:
        torch.set_num_threads(threads)
