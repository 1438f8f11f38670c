"""System definitions: compositions, boxes and potential files."""

import pytest

from ogn_lib.md.lammps import resolve_potential_file
from ogn_lib.md.systems import SYSTEMS, get_system


def test_kob_andersen_265_atoms_fill_a_box_of_side_6_04():
    lj = SYSTEMS["lj"]
    assert lj.counts(265) == (212, 53)
    assert lj.box_length(265) == pytest.approx(6.04, abs=0.01)


def test_cu64_5_zr35_5_composition():
    assert SYSTEMS["cuzr"].counts(1000) == (645, 355)


def test_silica_is_neutral_for_stoichiometric_counts():
    silica = SYSTEMS["silica"]
    n_si, n_o = silica.counts(375)
    assert (n_si, n_o) == (125, 250)
    charge = n_si * silica.species[0].charge_e + n_o * silica.species[1].charge_e
    assert charge == pytest.approx(0.0, abs=1e-6)


def test_shipped_potential_files_are_found():
    for name in ("si", "cuzr"):
        assert resolve_potential_file(SYSTEMS[name].potential).is_file()


def test_missing_potential_file_names_the_path_and_the_fix(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.eam.fs.*give the path"):
        SYSTEMS["cuzr"].with_potential_file(tmp_path / "nowhere.eam.fs")


def test_unknown_system_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown system 'argon': choose one of cuzr, lj"):
        get_system("argon")


def test_non_positive_density_is_refused():
    with pytest.raises(ValueError, match="number density -1.2 must be positive"):
        SYSTEMS["lj"].box_length(265, -1.2)
