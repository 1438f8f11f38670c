"""Which model a page judges a claim of the paper with (studies.profile_models)."""

from types import SimpleNamespace

import pytest

from ogn_lib.studies import profile_models


@pytest.fixture
def shipped(monkeypatch, tmp_path):
    """Shipped models as fake files with a provenance per preset (None: not shipped)."""
    provenances = {}

    def path(profile, name, preset):
        return tmp_path / f"{name}-{preset}.pt" if preset in provenances else tmp_path / "none"

    monkeypatch.setattr(profile_models, "shipped_path", path)
    monkeypatch.setattr(profile_models, "read_provenance",
                        lambda path: provenances[path.stem.split("-")[-1]])
    monkeypatch.setattr(profile_models, "trained_simulator",
                        lambda profile, name, preset, retrain=False: (f"{preset} model",
                                                                      f"{preset} line"))
    for preset in ("fast", "reference"):
        (tmp_path / f"lj-{preset}.pt").touch()
    return provenances


def test_a_claimed_model_trained_to_the_end_is_used(shipped):
    shipped["reference"] = SimpleNamespace(recording="lj-reference", test_loss=[1.0] * 489)
    shipped["fast"] = SimpleNamespace(recording=None, test_loss=[1.0] * 100)
    assert profile_models.stand_in_reason("quick", "lj", "reference") == ""
    assert profile_models.claim_simulator("quick", "lj", "reference") == (
        "reference model", "reference line", "reference", "")


def test_a_short_trained_claimed_model_is_replaced_by_the_stand_in_with_the_reason(shipped):
    shipped["reference"] = SimpleNamespace(recording=None, test_loss=[1.0] * 24)
    shipped["fast"] = SimpleNamespace(recording="lj-fast", test_loss=[1.0] * 100)
    simulator, line, preset, reason = profile_models.claim_simulator("quick", "lj",
                                                                     "reference")
    assert (simulator, line, preset) == ("fast model", "fast line", "fast")
    assert reason == ("the quick profile's Reference-OGN was trained for 24 epochs only, "
                      "not by a recorded training to the end")


def test_a_missing_claimed_model_and_a_retrained_run_use_the_stand_in(shipped):
    shipped["fast"] = SimpleNamespace(recording=None, test_loss=[1.0])
    assert profile_models.claim_simulator("quick", "lj", "reference")[2:] == (
        "fast", "no Reference-OGN of lj is shipped with the quick profile")
    shipped["reference"] = SimpleNamespace(recording="lj-reference", test_loss=[1.0])
    preset, reason = profile_models.claim_simulator("quick", "lj", "reference",
                                                    retrain=True)[2:]
    assert preset == "fast" and "retrains in front of the reader" in reason
