import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh data root, so tests never touch the repository's generated data."""
    monkeypatch.setenv("OGN_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"
