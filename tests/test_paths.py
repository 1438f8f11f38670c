"""Where files go: the environment may move the data and results, but only to a folder."""

import pytest

from ogn_lib.paths import REPOSITORY_ROOT, cache_folder, chosen_cache, data_root, results_root

ROOTS = [("OGN_DATA_DIR", data_root, "data"), ("OGN_RESULTS_DIR", results_root, "results")]


@pytest.mark.parametrize("variable, root, default", ROOTS)
def test_unset_variable_gives_the_repository_folder(variable, root, default, monkeypatch):
    monkeypatch.delenv(variable, raising=False)
    assert root() == REPOSITORY_ROOT / default


@pytest.mark.parametrize("variable, root, default", ROOTS)
def test_a_folder_to_be_made_is_accepted(variable, root, default, monkeypatch, tmp_path):
    monkeypatch.setenv(variable, str(tmp_path / "new"))
    assert root() == tmp_path / "new"


@pytest.mark.parametrize("value", ["", "   "])
@pytest.mark.parametrize("variable, root, default", ROOTS)
def test_a_variable_set_to_nothing_is_refused(variable, root, default, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=rf"\${variable} is set but empty; unset it"):
        root()


@pytest.mark.parametrize("variable, root, default", ROOTS)
def test_a_variable_naming_a_file_is_refused(variable, root, default, monkeypatch, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv(variable, str(tmp_path / "file"))
    with pytest.raises(ValueError, match="is a file, not a folder"):
        root()


def test_a_study_keeps_its_runs_in_the_profile_s_cache_another_folder_or_nowhere(data_dir,
                                                                                tmp_path):
    assert chosen_cache("quick", True) == cache_folder("quick") == data_dir / "quick" / "cache"
    assert chosen_cache("quick", tmp_path / "elsewhere") == tmp_path / "elsewhere"
    assert chosen_cache("quick", False) is None
