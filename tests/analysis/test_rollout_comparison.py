"""Specification of what is read from a rollout beside its truth, atom by atom."""

import numpy as np
import pytest

from ogn_lib.analysis.rollout_comparison import choose_atoms


def test_chosen_atoms_are_distinct_reproducible_and_checked():
    atoms = choose_atoms(32, 5, seed=1)
    assert len(set(atoms)) == 5 and np.array_equal(atoms, choose_atoms(32, 5, seed=1))
    with pytest.raises(ValueError, match="cannot choose 40 of 32 atoms"):
        choose_atoms(32, 40, seed=1)
