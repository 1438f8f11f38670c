"""Specification of training on several processes (torchrun + DistributedDataParallel)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from distributed_training_run import CONFIG, MODEL, toy_pairs

from ogn_lib.learn import training
from ogn_lib.learn.checkpoint import load_checkpoint
from ogn_lib.learn.distributed import Placement, choose_device, placement_from_environment
from ogn_lib.learn.loss import batch_loss
from ogn_lib.learn.training import new_simulator, train

WORKER = Path(__file__).parent / "distributed_training_run.py"
WEIGHT_TOLERANCE = 1e-4
"""Two processes sum each batch's gradient in two halves, one process in one go; the
rounding difference this leaves in the weights after a few Adam steps was measured at
4e-6, against ~3e-3 that one step (the learning rate) moves a weight."""


@pytest.fixture(scope="module")
def pairs():
    return toy_pairs()


@pytest.fixture(scope="module")
def single_process(pairs, tmp_path_factory):
    """An uninterrupted one-process run: its checkpoint."""
    path = tmp_path_factory.mktemp("single") / "single.pt"
    train(MODEL, *pairs, CONFIG, path, progress=False)
    return load_checkpoint(path)


@pytest.fixture(scope="module")
def two_processes(pairs, tmp_path_factory):
    """torchrun with two CPU processes (gloo): a run from scratch, and the resumption of a
    one-process run killed after its first epoch. Returns the output folder."""
    out = tmp_path_factory.mktemp("torchrun")
    killed = out / "killed.pt"
    save = training.save_checkpoint

    def save_then_die(*args, **kwargs):
        save(*args, **kwargs)
        raise KeyboardInterrupt("killed after the first epoch")

    training.save_checkpoint = save_then_die
    try:
        with pytest.raises(KeyboardInterrupt):
            train(MODEL, *pairs, CONFIG, killed, progress=False)
    finally:
        training.save_checkpoint = save
    shutil.copy(killed, out / "resumed.pt")
    environment = dict(os.environ, OMP_NUM_THREADS="1", OGN_THREADS="1")
    completed = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
         "2", str(WORKER), str(out)], env=environment, capture_output=True, text=True,
        timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return out


def assert_same_training(checkpoint: dict, reference: dict) -> None:
    for name, weights in reference["model"].items():
        torch.testing.assert_close(checkpoint["model"][name], weights, rtol=0,
                                   atol=WEIGHT_TOLERANCE, msg=name)
    for curve in ("train_loss", "test_loss"):
        assert checkpoint["history"][curve] == pytest.approx(reference["history"][curve],
                                                             rel=1e-5)
    assert torch.equal(checkpoint["generator"], reference["generator"])


def test_two_processes_train_as_one_on_the_same_global_batch(two_processes, single_process):
    fresh = load_checkpoint(two_processes / "fresh.pt")
    assert_same_training(fresh, single_process)
    torch.manual_seed(CONFIG.seed)  # as train() does, to get the initial weights
    initial = new_simulator(toy_pairs()[0], MODEL).network.state_dict()
    moved = max((weights - fresh["model"][name]).abs().max().item()
                for name, weights in initial.items())
    assert moved > 10 * WEIGHT_TOLERANCE  # training did move the weights


def test_only_rank_0_writes_the_checkpoint(two_processes):
    writers = (two_processes / "saves.log").read_text().split()
    assert writers == ["0"] * (CONFIG.epochs + 1)  # two epochs fresh, one resumed


def test_two_processes_resume_a_one_process_checkpoint(two_processes, single_process):
    resumed = load_checkpoint(two_processes / "resumed.pt")
    assert_same_training(resumed, single_process)
    assert resumed["history"]["test_loss"][0] == single_process["history"]["test_loss"][0]


def test_shard_losses_and_gradients_average_to_those_of_the_whole_batch(pairs):
    simulator = new_simulator(pairs[0], MODEL)
    chosen = [0, 7, 3, 12]

    def loss_and_gradients(shard):
        simulator.zero_grad()
        generator = torch.Generator().manual_seed(5)
        loss = batch_loss(simulator, pairs[0], chosen, CONFIG.noise, generator, shard)
        loss.backward()
        return loss.item(), [p.grad.clone() for p in simulator.parameters()
                             if p.grad is not None]

    whole = loss_and_gradients(slice(None))
    halves = [loss_and_gradients(Placement(rank, 2).shard(4)) for rank in range(2)]
    assert (halves[0][0] + halves[1][0]) / 2 == pytest.approx(whole[0], rel=1e-6)
    assert halves[0][0] != pytest.approx(halves[1][0], rel=1e-3)  # the shards differ
    for grad, first, second in zip(whole[1], halves[0][1], halves[1][1]):
        torch.testing.assert_close((first + second) / 2, grad, rtol=1e-4, atol=1e-6)


def test_ranks_take_contiguous_equal_shards_of_a_batch():
    assert [Placement(rank, 2).shard(4) for rank in range(2)] == [slice(0, 2), slice(2, 4)]
    assert Placement().shard(4) == slice(0, 4)


def test_batch_that_does_not_split_over_the_processes_is_refused(pairs, tmp_path):
    with pytest.raises(ValueError, match="4 configurations does not split evenly over 3"):
        train(MODEL, *pairs, CONFIG, tmp_path / "c.pt", progress=False,
              placement=Placement(rank=0, world_size=3))
    assert not (tmp_path / "c.pt").exists()


def test_placement_comes_from_the_torchrun_environment(monkeypatch):
    monkeypatch.setenv("RANK", "1")
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("LOCAL_RANK", "1")
    assert placement_from_environment("cpu") == Placement(rank=1, world_size=2, device="cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_cuda_without_a_gpu_is_refused_and_auto_falls_back_to_the_cpu():
    with pytest.raises(ValueError, match="sees no CUDA GPU; use --device cpu"):
        choose_device("cuda")
    assert choose_device("auto") == "cpu"


def test_unknown_device_is_refused():
    with pytest.raises(ValueError, match="'mps' is not supported; use auto, cpu or cuda"):
        choose_device("mps")


@pytest.mark.parametrize("name", ["gpu", "cuda:x", "cuda:-1", ""])
def test_a_name_torch_does_not_know_is_refused_by_name(name):
    with pytest.raises(ValueError, match=f"device {name!r} is not a torch device name"):
        choose_device(name)


def test_a_gpu_index_beyond_the_visible_ones_is_refused():
    with pytest.raises(ValueError, match="'cuda:7'"):
        choose_device("cuda:7")
