"""Recorded loss curves: trained in chunks, recorded as they go, read when complete."""

import json
from dataclasses import replace

import pytest

from ogn_lib.analysis.claims import GLASS_TIMESTEPS, LAYER_COUNTS, TIMESTEPS
from ogn_lib.learn.presets import RECORDED_CURVE_TRAINING
from ogn_lib.studies import recorded_curves
from ogn_lib.studies.recorded_curves import (
    CHUNK_EPOCHS,
    CURVE_SETS,
    record_curve,
    record_path,
    record_sections,
    recorded_curve,
    section_curves,
)


def test_each_section_records_the_sweep_its_claims_name():
    assert tuple(CURVE_SETS["S08"]) == LAYER_COUNTS
    assert tuple(CURVE_SETS["S09"]) == TIMESTEPS
    assert tuple(CURVE_SETS["S10"]) == GLASS_TIMESTEPS
    assert all(study.train_group == "glass-train" for study in CURVE_SETS["S10"].values())


def test_the_record_name_changes_with_study_and_seed(tmp_path):
    study = CURVE_SETS["S09"][5]
    base = record_path(study, "quick", 1, tmp_path)
    assert base == record_path(study, "quick", 1, tmp_path)
    assert base != record_path(study, "quick", 2, tmp_path)
    assert base != record_path(replace(study, k_steps=10), "quick", 1, tmp_path)


@pytest.fixture
def fake_training(monkeypatch):
    """``loss_curve`` that trains one epoch per call up to ``until``, and no data."""
    calls = []

    def loss_curve(study, profile, seed, training, folder, until):
        calls.append(until)
        epochs = range(until)
        return {"train_loss": [1.0 / (e + 1) for e in epochs],
                "test_loss": [1.0 / (e + 1) for e in epochs],
                "seconds": [1.0 for _ in epochs], "cpu_seconds": [2.0 for _ in epochs]}

    monkeypatch.setattr(recorded_curves, "loss_curve", loss_curve)
    monkeypatch.setattr(recorded_curves, "ensure_group", lambda *a, **k: [])
    monkeypatch.setattr(recorded_curves, "data_sha256", lambda paths: "hash")
    return calls


def test_a_curve_is_trained_in_chunks_and_read_only_when_complete(fake_training, tmp_path):
    study = CURVE_SETS["S09"][5]
    epochs = RECORDED_CURVE_TRAINING["quick"].epochs
    assert recorded_curve(study, "quick", 1, tmp_path) is None
    entry = record_curve(study, "quick", 1, tmp_path, log=lambda line: None)
    assert fake_training == list(range(CHUNK_EPOCHS, epochs + 1, CHUNK_EPOCHS))
    assert entry["cpu_hours"] == pytest.approx(2.0 * epochs / 3600)
    assert recorded_curve(study, "quick", 1, tmp_path)["test_loss"][-1] == 1.0 / epochs
    path = record_path(study, "quick", 1, tmp_path)
    partial = json.loads(path.read_text())
    partial["history"]["test_loss"] = partial["history"]["test_loss"][:10]
    path.write_text(json.dumps(partial))
    assert recorded_curve(study, "quick", 1, tmp_path) is None  # still in training
    assert recorded_curve(study, "paper", 1, tmp_path) is None  # no recording for paper


def test_recording_skips_finished_curves_and_refuses_unknown_sections(fake_training, tmp_path):
    record_sections(["S10"], "quick", 1, tmp_path, log=lambda line: None)
    first = len(fake_training)
    record_sections(["S10"], "quick", 1, tmp_path, log=lambda line: None)
    assert len(fake_training) == first
    with pytest.raises(ValueError, match="no recorded curves for \\['S07'\\]"):
        record_sections(["S07"], "quick", 1, tmp_path)


def test_a_page_reads_recorded_curves_only_when_all_are_complete(fake_training, tmp_path,
                                                                   monkeypatch):
    short = []
    monkeypatch.setattr(recorded_curves, "loss_curve",
                        lambda study, profile, seed, training, retrain: short.append(study)
                        or {"test_loss": [0.5]})
    histories, recorded = section_curves("S10", "quick", 1, folder=tmp_path)
    assert not recorded and len(short) == 3 and histories[10] == {"test_loss": [0.5]}
    for study in CURVE_SETS["S10"].values():
        path = record_path(study, "quick", 1, tmp_path)
        epochs = RECORDED_CURVE_TRAINING["quick"].epochs
        path.write_text(json.dumps({"training": {"epochs": epochs},
                                    "history": {"test_loss": [0.1] * epochs}}))
    histories, recorded = section_curves("S10", "quick", 1, folder=tmp_path)
    assert recorded and len(short) == 3 and histories[40]["test_loss"][-1] == 0.1
    _, recorded = section_curves("S10", "quick", 1, retrain=True, folder=tmp_path)
    assert not recorded and len(short) == 6
