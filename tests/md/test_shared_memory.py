"""A process that runs LAMMPS leaves no shared-memory file behind (MPICH makes a 1 MiB
``/dev/shm/mpich_shm_<pid in hex>_<n>`` for every process it starts in), whether it closes
LAMMPS or is killed."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

SHARED_MEMORY = Path("/dev/shm")

RUN_LAMMPS = """
import os, time
from pathlib import Path
from ogn_lib.md import lammps
from ogn_lib.md.systems import SYSTEMS

unlink = lammps._unlink_own_mpi_shared_memory

def tell_and_unlink():
    made = sorted(path.name for path in Path("/dev/shm").glob(f"mpich_shm_{os.getpid():x}_*"))
    print("made", *made, flush=True)
    unlink()

lammps._unlink_own_mpi_shared_memory = tell_and_unlink
with lammps.Simulation(SYSTEMS["lj"], seed=1) as simulation:
    simulation.create_random_state(32)
with lammps.Simulation(SYSTEMS["lj"], seed=2):
    print("closed", flush=True)
    time.sleep(60)
"""


def segments_of(pid: int) -> list[str]:
    return sorted(path.name for path in SHARED_MEMORY.glob(f"mpich_shm_{pid:x}_*"))


@pytest.mark.skipif(not SHARED_MEMORY.is_dir(), reason="no /dev/shm on this system")
def test_lammps_leaves_no_shared_memory_after_close_or_kill():
    process = subprocess.Popen([sys.executable, "-c", RUN_LAMMPS], stdout=subprocess.PIPE,
                               text=True, env=dict(os.environ, OMP_NUM_THREADS="1"))
    try:
        made = process.stdout.readline().split()[1:]
        assert made == [f"mpich_shm_{process.pid:x}_0"]  # what MPICH makes, so what to check
        assert process.stdout.readline().split() == ["made"]
        assert process.stdout.readline() == "closed\n"
        assert segments_of(process.pid) == []  # one LAMMPS closed, a second one running
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    assert segments_of(process.pid) == []
