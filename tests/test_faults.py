"""Faults: Ctrl-C (SIGINT to the command's process group, as a terminal sends it) and
``kill -9`` of ``ogn train``, ``ogn rollout`` and ``ogn reproduce`` at a known point of
their work. Afterwards no process of the command runs, no partial file remains once the
command has been run again (Ctrl-C removes its own at once; the rerun removes a killed
run's), and the rerun ends where an uninterrupted run ends: the same weights, the same
rollout bytes.

The commands run on toy data in a process of their own (``toy_cli.py``), which pauses at
the chosen point and announces it by writing a flag file; the reruns and the uninterrupted
runs are in this process.
"""

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from toy_cli import toy_data, use_toy_training
from untrained import untrained_simulator

from ogn_lib.cli import INTERRUPTED, main
from ogn_lib.learn.checkpoint import load_checkpoint, save_checkpoint

TOY_CLI = Path(__file__).with_name("toy_cli.py")


def start_paused(argv, folder: Path, **environment) -> subprocess.Popen:
    """``ogn ARGV`` on toy data in a session of its own, returned once it has paused."""
    flag = folder / "paused"
    process = subprocess.Popen(
        [sys.executable, str(TOY_CLI), *map(str, argv)], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
        env=dict(os.environ, OMP_NUM_THREADS="1", OGN_TEST_PAUSE=str(flag),
                 OGN_RESULTS_DIR=str(folder / "results"), **environment))
    deadline = time.monotonic() + 60
    while not flag.exists():
        if process.poll() is not None:
            pytest.fail(f"ogn {argv[0]} ended ({process.returncode}) before its pause: "
                        f"{process.communicate()[1]}")
        assert time.monotonic() < deadline, f"ogn {argv[0]} did not pause within 60 s"
        time.sleep(0.05)
    return process


def press_ctrl_c(process: subprocess.Popen) -> tuple[int, str]:
    """SIGINT to the command's process group; its exit code and standard error."""
    os.killpg(process.pid, signal.SIGINT)
    _, error = process.communicate(timeout=30)
    return process.returncode, error


def kill_9(process: subprocess.Popen) -> None:
    """``kill -9`` of the command's own process (not of the processes it started)."""
    process.kill()
    process.wait(timeout=30)


def processes_of(folder: Path) -> list[int]:
    """Processes started with the test's ``OGN_TEST_PAUSE`` in their environment: the
    command and everything it started, wherever they were moved."""
    marker = f"OGN_TEST_PAUSE={folder / 'paused'}\0".encode()
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and marker in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:  # ended meanwhile, or not ours
            pass
    return found


def partial_files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*.partial-*"))


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def ogn(argv) -> int:
    return main([str(arg) for arg in argv])


@pytest.fixture(autouse=True)
def _linux_only():
    if not Path("/proc/self/environ").exists():
        pytest.skip("finds the command's processes through /proc (Linux)")


@pytest.fixture
def torch_threads():
    """The in-process runs set torch to one thread, as the command's process has."""
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


# ---- ogn train -----------------------------------------------------------------------

def train_argv(checkpoint, *options):
    return ["train", "--system", "lj", "--threads", "1", "--device", "cpu",
            "--checkpoint", checkpoint, *options]


@pytest.fixture
def toy_training(data_dir, monkeypatch, torch_threads, tmp_path):
    """``ogn train`` on toy data (here and in the command's process, through
    ``$OGN_DATA_DIR``) and the weights of its uninterrupted run."""
    use_toy_training(monkeypatch.setattr, data_dir / "toy")
    assert ogn(train_argv(tmp_path / "uninterrupted.pt")) == 0
    return load_checkpoint(tmp_path / "uninterrupted.pt")


def assert_same_weights(checkpoint: Path, uninterrupted: dict) -> None:
    resumed = load_checkpoint(checkpoint)
    assert resumed["history"]["test_loss"] == uninterrupted["history"]["test_loss"]
    for name, weights in uninterrupted["model"].items():
        assert torch.equal(weights, resumed["model"][name]), name


def test_train_killed_outright_resumes_to_the_uninterrupted_weights(toy_training, tmp_path):
    checkpoint = tmp_path / "models" / "lj-fast.pt"
    process = start_paused(train_argv(checkpoint), tmp_path)
    assert partial_files(tmp_path)  # the second epoch's checkpoint is being written
    kill_9(process)
    assert processes_of(tmp_path) == []
    assert len(load_checkpoint(checkpoint)["history"]["test_loss"]) == 1
    left = partial_files(tmp_path)  # by the killed run
    assert len(left) == 1 and left[0].startswith("models/lj-fast.partial-")
    assert ogn(train_argv(checkpoint, "--resume")) == 0
    assert partial_files(tmp_path) == []  # removed by the rerun
    assert_same_weights(checkpoint, toy_training)


def test_train_stopped_by_ctrl_c_says_so_and_resumes_to_the_same_weights(toy_training,
                                                                         tmp_path):
    checkpoint = tmp_path / "models" / "lj-fast.pt"
    process = start_paused(train_argv(checkpoint), tmp_path)
    code, error = press_ctrl_c(process)
    assert code == 130
    assert error.endswith(f"\nogn train: interrupted; {INTERRUPTED['train']}\n"), error
    assert error.count("ogn train:") == 1
    assert processes_of(tmp_path) == []
    assert partial_files(tmp_path) == []  # removed on the way out
    assert len(load_checkpoint(checkpoint)["history"]["test_loss"]) == 1
    assert ogn(train_argv(checkpoint, "--resume")) == 0
    assert_same_weights(checkpoint, toy_training)


# ---- ogn rollout ---------------------------------------------------------------------

@pytest.fixture
def rollout_argv(tmp_path, torch_threads):
    """The arguments of a rollout of 6 predictions of an untrained toy simulator, and the
    SHA-256 of the GSD file its uninterrupted run writes."""
    start = toy_data(tmp_path / "toy")["test"][0]
    save_checkpoint(tmp_path / "model.pt", untrained_simulator(system="lj"))

    def argv(out):
        return ["rollout", "--checkpoint", tmp_path / "model.pt", "--start", start,
                "--predictions", 6, "--threads", 1, "--out", out]

    assert ogn(argv(tmp_path / "uninterrupted.gsd")) == 0
    return argv, sha256(tmp_path / "uninterrupted.gsd")


def test_rollout_killed_outright_is_made_whole_by_the_rerun(rollout_argv, tmp_path):
    argv, uninterrupted = rollout_argv
    out = tmp_path / "out" / "pred.gsd"
    process = start_paused(argv(out), tmp_path)
    kill_9(process)
    assert processes_of(tmp_path) == []
    assert not out.exists() and len(partial_files(tmp_path / "out")) == 1
    assert ogn(argv(out)) == 0  # no --force needed: nothing is under --out
    assert partial_files(tmp_path) == []  # the killed run's removed by the rerun
    assert sha256(out) == uninterrupted


def test_rollout_stopped_by_ctrl_c_leaves_nothing_and_reruns_alike(rollout_argv, tmp_path):
    argv, uninterrupted = rollout_argv
    out = tmp_path / "out" / "pred.gsd"
    process = start_paused(argv(out), tmp_path)
    code, error = press_ctrl_c(process)
    assert (code, error) == (130, f"ogn rollout: interrupted; {INTERRUPTED['rollout']}\n")
    assert processes_of(tmp_path) == []
    assert partial_files(tmp_path) == [] and not out.exists()
    assert ogn(argv(out)) == 0
    assert sha256(out) == uninterrupted


# ---- ogn reproduce -------------------------------------------------------------------

REPRODUCE_PAUSING = ["reproduce", "--only", "S99", "--no-book"]


@pytest.fixture
def pausing_notebook(tmp_path) -> Path:
    """A folder with one section notebook whose cell, on its first run, announces the
    pause (the kernel's process id in the flag file) and sleeps; a rerun goes through."""
    pytest.importorskip("papermill")
    nbformat = pytest.importorskip("nbformat")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, pathlib, time\n"
        "flag = pathlib.Path(os.environ['OGN_TEST_PAUSE'])\n"
        "if not flag.exists():\n"
        "    flag.write_text(str(os.getpid()))\n"
        "    time.sleep(60)")])
    nbformat.write(notebook, folder / "S99_pause.ipynb")
    return folder


def test_reproduce_stopped_by_ctrl_c_stops_the_kernel_and_keeps_the_notebook(
        pausing_notebook, tmp_path):
    """Ctrl-C interrupts the paused cell in the kernel (a process in a session of its
    own, which the terminal's signal misses)."""
    folder = pausing_notebook
    before = sha256(folder / "S99_pause.ipynb")
    process = start_paused(REPRODUCE_PAUSING, tmp_path, OGN_TEST_NOTEBOOKS=str(folder))
    kernel = int((tmp_path / "paused").read_text())
    assert kernel in processes_of(tmp_path)
    started = time.monotonic()
    code, error = press_ctrl_c(process)
    assert time.monotonic() - started < 10
    assert code == 130
    assert error.endswith(f"ogn reproduce: interrupted; {INTERRUPTED['reproduce']}\n"), error
    assert processes_of(tmp_path) == []
    assert os.listdir(folder) == ["S99_pause.ipynb"]
    assert sha256(folder / "S99_pause.ipynb") == before


def test_reproduce_killed_outright_takes_its_kernel_along_and_the_rerun_cleans_up(
        pausing_notebook, tmp_path):
    """``kill -9`` of the runner: the kernel notices its parent is gone (ipykernel's
    parent poller) and exits; the runner's partial notebook is removed by the rerun."""
    folder = pausing_notebook
    process = start_paused(REPRODUCE_PAUSING, tmp_path, OGN_TEST_NOTEBOOKS=str(folder))
    kernel = int((tmp_path / "paused").read_text())
    assert kernel in processes_of(tmp_path)
    kill_9(process)
    deadline = time.monotonic() + 20
    while kernel in processes_of(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_of(tmp_path) == []
    assert partial_files(tmp_path), "the killed runner left no partial notebook to clean up"
    rerun = subprocess.run([sys.executable, str(TOY_CLI), *REPRODUCE_PAUSING], capture_output=True,
                           text=True, timeout=120,
                           env=dict(os.environ, OMP_NUM_THREADS="1",
                                    OGN_TEST_PAUSE=str(tmp_path / "paused"),
                                    OGN_TEST_NOTEBOOKS=str(folder),
                                    OGN_RESULTS_DIR=str(tmp_path / "results")))
    assert rerun.returncode == 0, rerun.stderr
    assert partial_files(tmp_path) == []
    # The run record of this toy run is the test's, not the repository's.
    assert "S99_pause" in (tmp_path / "results" / "run_record.json").read_text()
