"""MD measures recorded once: read back exactly, remade when anything that determines them
changes, and shipped for every page that reads them."""

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from md_helpers import small_trajectory

from ogn_lib.analysis.dynamics import CageScan
from ogn_lib.analysis.fictive import FictiveTemperatureScan
from ogn_lib.analysis.run_windows import window_ratios
from ogn_lib.analysis.system_validation import VALIDATION_SETTINGS
from ogn_lib.studies import recorded_measures
from ogn_lib.studies.recorded_measures import (
    Measure,
    Source,
    decode,
    encode,
    page_measures,
    second_run_window_ratios,
)


def test_results_survive_the_record_with_their_nans():
    scan = CageScan(temperatures=np.array([1.0, 2.0]),
                    values={"a": np.array([0.1, np.nan]), "b": np.array([0.3, 0.4])})
    rates = FictiveTemperatureScan(rates=np.array([1e-3, 1e-2]),
                                   values={"two lines": [np.array([0.4, np.nan]),
                                                         np.array([0.5])]})
    back = decode(encode({"scan": scan, "rates": rates, "runs": np.array([1.5, 2.5])}))
    assert isinstance(back["scan"], CageScan) and isinstance(back["rates"], FictiveTemperatureScan)
    np.testing.assert_array_equal(back["scan"].values["a"], [0.1, np.nan])
    np.testing.assert_array_equal(back["rates"].values["two lines"][0], [0.4, np.nan])
    np.testing.assert_array_equal(back["runs"], [1.5, 2.5])
    with pytest.raises(TypeError, match="cannot record a object"):
        encode(object())


def mean_value(trajectories, offset=0.0):
    return np.array([np.mean(trajectories) + offset])


@pytest.fixture
def fake_data(monkeypatch, tmp_path):
    """A catalogue of two files per group and trajectories that are numbers; counts the
    MD runs (calls of ensure_group)."""
    made = []

    def paths(profile, group, base_seed=1):
        return [tmp_path / f"{group}-{base_seed}-{index}.gsd" for index in range(2)]

    def ensure_group(profile, group, base_seed=1):
        made.append(group)
        return paths(profile, group, base_seed)

    monkeypatch.setattr(recorded_measures, "trajectory_paths", paths)
    monkeypatch.setattr(recorded_measures, "ensure_group", ensure_group)
    monkeypatch.setattr(recorded_measures, "read_trajectory", lambda path: float(path.stem[-1]))
    monkeypatch.setattr(recorded_measures, "data_sha256", lambda paths: "0" * 64)
    return made


def test_a_measure_is_made_once_then_read_from_its_record(fake_data, tmp_path):
    measure = Measure("demo", (Source("lj-msd", 2),), mean_value)
    folder = tmp_path / "records"
    assert measure.result("quick", folder=folder) == pytest.approx([0.5])
    assert fake_data == ["lj-msd"]
    assert measure.result("quick", folder=folder) == pytest.approx([0.5])
    assert fake_data == ["lj-msd"]  # read from the record: no MD
    measure.result("quick", remeasure=True, folder=folder)
    assert fake_data == ["lj-msd", "lj-msd"]
    assert measure.path("quick", folder).parent == folder / "quick"


def test_what_determines_a_result_names_its_record():
    base = Measure("demo", (Source("lj-msd", 2),), mean_value)
    others = [Measure("demo", (Source("lj-msd", 3),), mean_value),
              Measure("demo", (Source("lj-msd", 2),), mean_value, (("offset", 1.0),)),
              Measure("demo", (Source("lj-msd", 2),), np.mean)]
    keys = {measure.key("quick") for measure in [base, *others]}
    assert len(keys) == 4
    assert base.key("quick") != base.key("paper")


def test_every_record_the_quick_pages_read_is_shipped():
    missing = [measure.path("quick").name for measure in page_measures()
               if not measure.path("quick").exists()]
    assert not missing, (f"records {missing} are missing or stale: run `ogn reproduce --only "
                         "S02 S11 ground_truth --remeasure` and commit data/shipped/measures")


def test_the_quick_records_need_no_trajectory_to_be_read(monkeypatch):
    monkeypatch.setattr(recorded_measures, "ensure_group", pytest.fail)
    for measure in page_measures():
        if measure.name.startswith(("cage-scan", "quench-rate", "engine-control")):
            assert measure.result("quick") is not None
    assert Path(recorded_measures.MEASURES_FOLDER).is_dir()


def test_the_second_run_is_the_scan_s_run_at_the_liquid_s_temperature(tmp_path):
    first = small_trajectory(tmp_path, "lj", production_steps=40)
    scan = [replace(small_trajectory(tmp_path, "lj", production_steps=40, seed=seed),
                    metadata=replace(first.metadata,
                                     parameters={"temperature": temperature}))
            for seed, temperature in ((4, 2.0), (5, 3.0))]
    settings = VALIDATION_SETTINGS["lj"]
    arguments = {"r_max": settings.r_max, "q_range": settings.q_range, "shell": None}
    found = second_run_window_ratios([first, *scan], 3.0, **arguments)
    expected = window_ratios(scan[1], first, settings)
    assert list(found) == list(expected)
    for quantity, values in expected.items():
        np.testing.assert_array_equal(found[quantity], values)
    with pytest.raises(ValueError, match="0 runs at T = 2.5 in the scan, whose set points "
                                         "are 2, 3; give the liquid's own temperature"):
        second_run_window_ratios([first, *scan], 2.5, **arguments)
