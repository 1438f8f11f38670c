"""What a run ran on, in one description for training provenance and benchmarks alike.

Torch is not imported here (the MD layer runs without it): a caller that uses torch passes
the module in, and its version, thread count and GPU join the description.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path


def _cpu_model() -> str:
    """The CPU's model name (Linux ``/proc/cpuinfo``), else the platform's processor."""
    cpuinfo = Path("/proc/cpuinfo")
    models = ([line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
               if line.startswith("model name")] if cpuinfo.exists() else [])
    return models[0] if models else platform.processor() or "unknown"


def describe_machine(torch=None, **extra) -> dict:
    """CPU model and count, architecture, operating system and Python; with the ``torch``
    module passed in, its version and threads and the GPU it sees; ``extra`` adds entries
    by name (other packages' versions, ``freud="3.4.0"``, or the number of processes)."""
    description = {"cpu": _cpu_model(), "cpu_count": os.cpu_count(),
                   "machine": platform.machine(),
                   "processor": platform.processor() or "unknown",
                   "platform": platform.platform(), "python": platform.python_version()}
    if torch is not None:
        description.update(torch=torch.__version__, torch_threads=torch.get_num_threads())
        if torch.cuda.is_available():
            description["gpu"] = torch.cuda.get_device_name(0)
    return {**description, **extra}
