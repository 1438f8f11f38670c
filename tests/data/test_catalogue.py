"""Data sets: split by trajectory, named by hash, reused when valid, remade when not."""

import dataclasses
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ogn_lib import workers as worker_pool
from ogn_lib.data import catalogue, profiles
from ogn_lib.data.sidecar import sidecar_path
from ogn_lib.data.trajectory import read_trajectory
from ogn_lib.md.protocols import LiquidProtocol, MeltQuenchProtocol
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.paths import REPOSITORY_ROOT


def tiny_spec(seed=11, steps=10, temperature=3.0):
    return catalogue.TrajectorySpec(
        system="lj", group="train", index=0, seed=seed,
        protocol=LiquidProtocol(n_atoms=108, temperature=temperature,
                                number_density=1.2, equilibration_steps=50,
                                production_steps=steps))


def test_training_and_test_sets_share_no_trajectory():
    for profile in profiles.PROFILES:
        specs = catalogue.catalogue(profile)
        seeds = [(s.system, s.seed) for s in specs]
        assert len(seeds) == len(set(seeds))
        train = {s.seed for s in specs if s.group == "train"}
        test = {s.seed for s in specs if s.group == "test"}
        assert train and test and not train & test


def test_quick_profile_has_every_group_the_supplement_needs():
    groups = {f"{s.system}-{s.group}" for s in catalogue.catalogue("quick")}
    for system in ("lj", "silica", "si", "cuzr"):
        assert {f"{system}-train", f"{system}-test", f"{system}-msd"} <= groups
    assert {"lj-size", "lj-temperature", "lj-density", "lj-glass-train",
            "lj-glass-test", "lj-quench-rate"} <= groups
    sizes = {s.protocol.n_atoms for s in catalogue.catalogue("quick") if s.group == "size"}
    assert min(sizes) == 265 and max(sizes) == 10000


def test_the_quench_rate_scan_spans_two_decades_and_slow_quenches_log_sparsely():
    for profile in ("quick", "paper"):
        scan = [s.protocol for s in catalogue.catalogue(profile, ("lj",))
                if s.group == "quench-rate"]
        rates = sorted({protocol.cooling_rate for protocol in scan})
        assert len(rates) >= 3 and rates[-1] / rates[0] >= 100
        assert len(scan) == len(rates) * profiles.SIZES[profile].quenches_per_rate
        for protocol in scan:
            per_sample = protocol.cooling_rate * protocol.log_period_steps * 0.005
            assert protocol.log_period_steps == 100 or (
                per_sample <= 1.1 * catalogue.QUENCH_LOG_TEMPERATURE_STEP)


def test_file_name_hash_follows_every_parameter(data_dir):
    base = catalogue.trajectory_path(tiny_spec(), "quick")
    assert catalogue.trajectory_path(tiny_spec(), "quick") == base
    assert catalogue.trajectory_path(tiny_spec(seed=12), "quick") != base
    assert catalogue.trajectory_path(tiny_spec(temperature=2.0), "quick") != base
    assert catalogue.trajectory_path(tiny_spec(), "paper").name != base.name


def test_same_parameters_and_seed_give_the_same_file(tmp_path):
    first = catalogue.ensure(tiny_spec(), "quick", root=tmp_path / "a")
    second = catalogue.ensure(tiny_spec(), "quick", root=tmp_path / "b")
    assert first.path.read_bytes() == second.path.read_bytes()


def test_valid_file_is_reused_and_corrupt_file_is_remade(data_dir):
    made = catalogue.ensure(tiny_spec(), "quick")
    assert made.status == "made" and made.n_frames == 11
    again = catalogue.ensure(tiny_spec(), "quick")
    assert again.status == "reused"
    good = made.path.read_bytes()
    made.path.write_bytes(good[: len(good) // 2])
    remade = catalogue.ensure(tiny_spec(), "quick")
    assert remade.status == "remade" and "truncated" in remade.reason
    assert made.path.read_bytes() == good
    assert read_trajectory(made.path).n_frames == 11


def test_only_missing_files_go_to_worker_processes(data_dir, monkeypatch):
    specs = [tiny_spec(seed=21), tiny_spec(seed=22)]
    for spec in specs:
        catalogue.ensure(spec, "quick")

    def no_pool(*args, **kwargs):
        raise AssertionError("a process pool was started with every file valid")

    monkeypatch.setattr(worker_pool, "ProcessPoolExecutor", no_pool)
    results = catalogue.generate(specs, "quick", jobs=2)
    assert [r.status for r in results] == ["reused", "reused"]
    assert [r.spec for r in results] == specs


def test_failed_generation_damages_no_existing_file(data_dir, monkeypatch):
    kept = catalogue.ensure(tiny_spec(), "quick")
    before = kept.path.read_bytes(), sidecar_path(kept.path).read_text()

    def explode(self, system, seed, writer, engine, device):
        raise RuntimeError("simulated crash")  # while the writer's file is open

    monkeypatch.setattr(LiquidProtocol, "run", explode)
    with pytest.raises(RuntimeError, match="simulated crash"):
        catalogue.ensure(tiny_spec(seed=99), "quick")
    assert (kept.path.read_bytes(), sidecar_path(kept.path).read_text()) == before
    assert not list(data_dir.rglob("*.partial*"))
    assert not catalogue.trajectory_path(tiny_spec(seed=99), "quick").exists()


def test_melt_quench_logs_energy_against_temperature(tmp_path):
    protocol = MeltQuenchProtocol(n_atoms=108, number_density=1.2, t_melt=2.0, t_glass=0.5,
                                  t_final=0.05, cooling_rate=0.2, equilibration_steps=100,
                                  hold_steps=50, production_steps=20, log_period_steps=20)
    spec = catalogue.TrajectorySpec("lj", "glass-train", 0, 5, protocol)
    result = catalogue.ensure(spec, "quick", root=tmp_path)
    quench = read_trajectory(result.path).metadata.quench
    temperatures, energies = quench["temperature"], quench["potential_energy"]
    assert quench["set_point"][0] > quench["set_point"][-1] == pytest.approx(0.05)
    assert len(temperatures) == len(energies) > 50
    assert temperatures[0] > 1.2 and temperatures[-1] < 0.3
    assert energies[-1] < energies[0]


@pytest.mark.parametrize("bad, message", [
    (dict(number_density=0.0), "number_density=0.0 must be positive"),
    (dict(temperature=-1.0), "temperature=-1.0 must be positive"),
])
def test_non_positive_state_point_is_refused(bad, message):
    fields = dict(n_atoms=100, temperature=3.0, number_density=1.2, equilibration_steps=10,
                  production_steps=10)
    with pytest.raises(ValueError, match=message):
        LiquidProtocol(**{**fields, **bad})


def test_unknown_profile_and_group_are_named():
    with pytest.raises(ValueError, match="unknown profile 'fast'"):
        catalogue.catalogue("fast")
    with pytest.raises(ValueError, match="unknown system 'argon'"):
        catalogue.catalogue("quick", ("argon",))
    with pytest.raises(ValueError, match="known groups are"):
        catalogue.trajectory_paths("quick", "lj-validation")


def test_ensure_group_with_n_atoms_makes_only_that_size(monkeypatch, tmp_path):
    """S5 reads only the largest size of its extra seeds: only that trajectory is made."""
    made = []

    def no_md(specs, profile, jobs=1, root=None):
        made.extend(specs)
        return [catalogue.GenerationResult(
            spec, catalogue.trajectory_path(spec, profile, root=root), "reused",
            spec.protocol.n_atoms, 0, 0, 0.0) for spec in specs]

    monkeypatch.setattr(catalogue, "generate", no_md)
    paths = catalogue.ensure_group("quick", "lj-size", base_seed=2, root=tmp_path, n_atoms=10000)
    expected = [spec for spec in catalogue.catalogue("quick", ("lj",), 2)
                if spec.group == "size" and spec.protocol.n_atoms == 10000]
    assert made == expected and len(expected) == 1
    assert paths == [catalogue.trajectory_path(expected[0], "quick", root=tmp_path)]


def test_ensure_group_refuses_a_size_the_group_does_not_have(monkeypatch):
    monkeypatch.setattr(catalogue, "generate", lambda *args, **kwargs: pytest.fail("MD ran"))
    with pytest.raises(ValueError, match=r"no trajectory of 999 atoms in group 'lj-size': "
                                         r"its sizes are 265, .*, 10000"):
        catalogue.ensure_group("quick", "lj-size", n_atoms=999)


def test_spec_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        tiny_spec().seed = 3


def test_a_file_recorded_with_another_md_step_is_remade(data_dir):
    made = catalogue.ensure(tiny_spec(), "quick")
    sidecar = json.loads(sidecar_path(made.path).read_text())
    sidecar_path(made.path).write_text(json.dumps(dict(sidecar, dt=0.001)))
    remade = catalogue.ensure(tiny_spec(), "quick")
    assert remade.status == "remade" and "MD step 0.001 differs" in remade.reason
    assert read_trajectory(made.path).metadata.dt == 0.005


def test_a_file_recorded_with_another_period_cannot_be_reused(data_dir):
    made = catalogue.ensure(tiny_spec(), "quick")
    key = json.loads(sidecar_path(made.path).read_text())["key"]
    metadata, reason = catalogue.existing_valid(made.path, key, 0.005, period_steps=5)
    assert metadata is None and "recorded every 1 MD steps, not every 5" in reason


def test_a_user_potential_file_enters_the_file_name_by_its_contents(tmp_path, data_dir):
    spec = catalogue.catalogue("quick", ("cuzr",))[0]
    shipped_name = catalogue.trajectory_path(spec, "quick").name
    assert catalogue.user_potential_sha256(SYSTEMS["cuzr"]) is None
    potential = tmp_path / "CuZr.eam.fs"
    header = "c\nc\nc\n2 Cu Zr\n10 0.1 10 0.1 5.0\n"  # an EAM setfl header
    potential.write_text(header + "first version\n")
    user = SYSTEMS["cuzr"].with_potential_file(potential)
    first = catalogue.trajectory_path(spec, "quick", user)
    potential.write_text(header + "second version, same path\n")
    second = catalogue.trajectory_path(spec, "quick", user)
    assert len({shipped_name, first.name, second.name}) == 3


SLEEPING_POOL = ("import signal, time\n"
                 "from ogn_lib.workers import run_in_workers\n"
                 "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
                 "run_in_workers(time.sleep, [(60,)] * 6, 2, print)\n")


def _ready_workers(parent_pid: int) -> list[int]:
    """Live worker processes of ``parent_pid`` whose initialiser has run (SIGINT ignored)."""
    workers = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
            command = (status.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if (int(fields["PPid"]) == parent_pid and b"spawn_main" in command
                and int(fields["SigIgn"], 16) & 1 << (signal.SIGINT - 1)):
            workers.append(int(status.parent.name))
    return workers


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:\t")[1][0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _wait_for(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s")


@pytest.fixture
def sleeping_pool():
    """A process running 6 one-minute tasks on 2 workers, once both workers are ready."""
    process = subprocess.Popen([sys.executable, "-c", SLEEPING_POOL], cwd=REPOSITORY_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        workers = _wait_for(lambda: len(found := _ready_workers(process.pid)) == 2 and found,
                            120)
        yield process, workers
    finally:
        process.kill()
        process.wait()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux")
def test_workers_die_with_a_parent_killed_by_sigkill(sleeping_pool):
    process, workers = sleeping_pool
    process.kill()
    process.wait()
    _wait_for(lambda: not any(_alive(pid) for pid in workers), 10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_cancels_the_queued_tasks_and_stops_the_running_ones(sleeping_pool):
    process, workers = sleeping_pool
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    # Neither the tasks' minutes nor the grace after which a busy worker is killed: the
    # stopped workers took no queued task.
    assert time.monotonic() - start < worker_pool.STOP_GRACE_SECONDS
    assert b"KeyboardInterrupt" in process.stderr.read()
    _wait_for(lambda: not any(_alive(pid) for pid in workers), 5)


@pytest.mark.parametrize("seed", [0, -3, "abc", 1.5, True])
def test_a_seed_that_is_not_a_positive_whole_number_is_one_clear_error(seed):
    with pytest.raises(ValueError, match=f"seed={seed!r}: give a positive whole number"):
        catalogue.catalogue("quick", ("lj",), seed)


def test_a_file_made_by_another_process_while_waiting_for_the_lock_is_reused(
        data_dir, monkeypatch):
    """Two makers of one file: the second waits on the file's lock and, once it holds it,
    finds the first's file and reuses it instead of running the MD again."""
    spec = tiny_spec(seed=31)
    made = catalogue.ensure(spec, "quick")
    checks = iter([None])  # the check before the lock: not there yet; then it is
    original = catalogue._reused
    monkeypatch.setattr(catalogue, "_reused",
                        lambda *args, **kwargs: next(checks, "after")
                        and original(*args, **kwargs))

    def no_md(self, *args, **kwargs):
        raise AssertionError("the MD ran again for a file another process had made")

    monkeypatch.setattr(type(spec.protocol), "run", no_md)
    again = catalogue.ensure(spec, "quick")
    assert again.status == "reused" and again.path == made.path
