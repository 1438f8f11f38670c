"""Partial files are siblings of their target, unique per writer, with its suffix."""

from pathlib import Path

from ogn_lib.atomic import partial_path


def test_each_writer_gets_its_own_partial_name_beside_the_target():
    target = Path("/data/run/S02_cage_effect.ipynb")
    first, second = partial_path(target), partial_path(target)
    assert first != second
    assert first.parent == target.parent
    assert first.name.startswith("S02_cage_effect.partial-") and first.suffix == ".ipynb"
