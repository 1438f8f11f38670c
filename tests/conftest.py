import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A fresh data root, so tests never touch the repository's generated data."""
    monkeypatch.setenv("OGN_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def notebook_outputs(monkeypatch):
    """What library code shows and glues in a notebook, caught instead: ``glued`` maps
    each name glued (``myst_nb.glue``) to its value, in order; ``shown`` lists what was
    displayed (``IPython.display.display``), in order."""
    import IPython.display
    import myst_nb

    outputs = SimpleNamespace(glued={}, shown=[])
    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True:
                        outputs.glued.__setitem__(name, value))
    monkeypatch.setattr(IPython.display, "display",
                        lambda *objects, **options: outputs.shown.extend(objects))
    return outputs
