"""Partial files are siblings of their target, unique per writer, with its suffix, and
removed by the next writer when theirs has ended; a second maker of the same file waits
for the first."""

import multiprocessing
import os
import subprocess
import time
from pathlib import Path

from ogn_lib.files import partial_path


def test_each_writer_gets_its_own_partial_name_beside_the_target():
    target = Path("/data/run/S02_cage_effect.ipynb")
    first, second = partial_path(target), partial_path(target)
    assert first != second
    assert first.parent == target.parent
    assert first.name.startswith("S02_cage_effect.partial-") and first.suffix == ".ipynb"


def test_the_next_writer_removes_partial_files_that_ended_writers_left(tmp_path):
    ended = subprocess.Popen(["true"])
    ended.wait()
    abandoned = tmp_path / f"m.partial-{ended.pid}-0123abcd.pt"
    running = tmp_path / f"m.partial-{os.getpid()}-0123abcd.pt"
    of_other_files = [tmp_path / f"n.partial-{ended.pid}-0123abcd.pt",
                      tmp_path / f"m.partial-{ended.pid}-0123abcd.gsd"]
    for path in (abandoned, running, *of_other_files):
        path.write_text("")
    partial_path(tmp_path / "m.pt")
    assert not abandoned.exists()
    assert running.exists() and all(path.exists() for path in of_other_files)


def _hold(path, log, started):
    from ogn_lib.files import exclusive

    with exclusive(path):
        started.set()
        with open(log, "a") as handle:
            handle.write("first in\n")
        time.sleep(0.5)
        with open(log, "a") as handle:
            handle.write("first out\n")


def test_a_second_maker_of_the_same_file_waits_for_the_first(tmp_path):
    from ogn_lib.files import exclusive

    target, log = tmp_path / "models" / "m.pt", tmp_path / "log"
    started = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold, args=(target, log, started))
    holder.start()
    assert started.wait(30)
    with exclusive(target):
        with open(log, "a") as handle:
            handle.write("second in\n")
    holder.join(30)
    assert log.read_text().splitlines() == ["first in", "first out", "second in"]
