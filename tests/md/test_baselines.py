"""MD baselines: the chaos floor follows the truth closely, a k-fold step does not."""

from dataclasses import replace

import numpy as np
import pytest
from md_helpers import small_trajectory

from ogn_lib.md import baselines
from ogn_lib.md.baselines import (
    BLOW_UP_HEATING,
    MDBaseline,
    chaos_floor,
    cut_at_blow_up,
    md_with_larger_step,
    run_key,
)
from ogn_lib.md.lammps import evaluate_energies
from ogn_lib.md.systems import SYSTEMS
from ogn_lib.periodic import minimum_image


@pytest.fixture(scope="module")
def truth(tmp_path_factory):
    return small_trajectory(tmp_path_factory.mktemp("truth"), "lj", production_steps=50)


def rmse(a, b, box):
    return float(np.sqrt(np.mean(np.sum(minimum_image(a - b, box) ** 2, axis=1))))


def test_chaos_floor_follows_the_truth_far_better_than_a_larger_step(truth):
    start = truth.configuration(0)
    floor = chaos_floor(SYSTEMS["lj"], start, 50, period_steps=5)
    coarse = md_with_larger_step(SYSTEMS["lj"], start, 2, 25)
    assert not floor.failure and not coarse.failure
    assert len(floor.frames) == 11 and len(coarse.frames) == 26
    floor_error = rmse(floor.frames[-1].positions, truth.positions[50], truth.box_lengths)
    coarse_error = rmse(coarse.frames[-1].positions, truth.positions[50], truth.box_lengths)
    assert floor_error < 1e-3
    assert coarse_error > 10 * floor_error
    assert coarse.frames[-1].step == start.step + 50


def test_a_huge_step_reports_its_failure(truth):
    result = md_with_larger_step(SYSTEMS["lj"], truth.configuration(0), 40, 20)
    assert result.failure and len(result.frames) < 21


def test_a_run_is_cut_at_the_first_frame_heated_far_beyond_its_start(truth):
    start = truth.configuration(0)
    frames = [start, replace(start, velocities=2 * start.velocities),
              replace(start, velocities=4 * start.velocities), start]
    run = cut_at_blow_up(MDBaseline(frames, 1), start)
    assert len(run.frames) == 2
    assert run.failure == "blew up within 2 MD steps (kinetic temperature above 10 times the start's)"
    kept = cut_at_blow_up(MDBaseline(frames[:2], 1, failure="Lost atoms"), start)
    assert len(kept.frames) == 2 and kept.failure == "Lost atoms"
    assert BLOW_UP_HEATING == 10.0
    lost = cut_at_blow_up(MDBaseline(frames, 5, failure="ERROR: Lost atoms: original 265"), start)
    assert lost.failure.startswith("blew up within 10 MD steps") and lost.failure.endswith(
        "; LAMMPS then lost atoms)")


def test_engine_energies_of_saved_frames_match_the_log(truth):
    energies = evaluate_energies(SYSTEMS["lj"], [truth.configuration(i) for i in (0, 25, 50)])
    for index, values in zip((0, 25, 50), energies):
        assert values["potential_energy"] == pytest.approx(
            truth.energies["potential_energy"][index], rel=1e-5)
        assert values["kinetic_energy"] == pytest.approx(
            truth.energies["kinetic_energy"][index], rel=1e-5)


def assert_same_baseline(found, made):
    assert found.k_steps == made.k_steps and found.failure == made.failure
    assert len(found.frames) == len(made.frames)
    for got, expected in zip(found.frames, made.frames):
        assert got.step == expected.step and got.energies == expected.energies
        for name in ("positions", "velocities", "images", "typeids", "masses", "box_lengths"):
            np.testing.assert_array_equal(getattr(got, name), getattr(expected, name))


def test_a_kept_baseline_is_run_once_and_read_back_bit_for_bit(truth, tmp_path, monkeypatch):
    start = truth.configuration(0)
    made = {"floor": chaos_floor(SYSTEMS["lj"], start, 20, period_steps=5),
            "coarse": md_with_larger_step(SYSTEMS["lj"], start, 2, 10),
            "failed": md_with_larger_step(SYSTEMS["lj"], start, 40, 20)}
    opened = []
    original = baselines.open_simulation
    monkeypatch.setattr(baselines, "open_simulation",
                        lambda *args, **kwargs: opened.append(args) or original(*args, **kwargs))
    for _ in range(2):
        kept = {"floor": chaos_floor(SYSTEMS["lj"], start, 20, period_steps=5, cache=tmp_path),
                "coarse": md_with_larger_step(SYSTEMS["lj"], start, 2, 10, cache=tmp_path),
                "failed": md_with_larger_step(SYSTEMS["lj"], start, 40, 20, cache=tmp_path)}
        for name, baseline in made.items():
            assert_same_baseline(kept[name], baseline)
    assert len(opened) == 3 and made["failed"].failure


def test_anything_that_determines_a_baseline_changes_its_key(truth):
    start, lj = truth.configuration(0), SYSTEMS["lj"]
    key = run_key(lj, start, 20, 5, "lammps")
    changed = [run_key(lj, start, 25, 5, "lammps"), run_key(lj, start, 20, 10, "lammps"),
               run_key(replace(lj, dt=2 * lj.dt), start, 20, 5, "lammps"),
               run_key(replace(lj, temperature=1.0), start, 20, 5, "lammps"),
               run_key(lj, replace(start, velocities=start.velocities * 1.001), 20, 5, "lammps"),
               run_key(lj, replace(start, step=start.step + 1), 20, 5, "lammps")]
    assert len({key, *changed}) == 1 + len(changed)
    assert run_key(lj, truth.configuration(0), 20, 5, "lammps") == key
