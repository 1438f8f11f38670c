"""Arrays are made once per key and read back as made; a file that is damaged, changed or
of another key is made again, and a failed make leaves nothing behind."""

import numpy as np
import pytest

from ogn_lib.keyed_arrays import content_key, keyed_arrays, keyed_path, read_keyed, write_keyed


def counted(arrays):
    calls = []

    def make():
        calls.append(1)
        return arrays

    return make, calls


ARRAYS = {"positions": np.array([[0.1, 0.2, 1 / 3]]), "steps": np.array([5], dtype=np.int64),
          "failure": np.array("lost atoms")}


def test_a_second_call_reads_the_first_ones_file_as_it_was_made(tmp_path):
    make, calls = counted(ARRAYS)
    first = keyed_arrays(tmp_path, "run", "a" * 64, make)
    second = keyed_arrays(tmp_path, "run", "a" * 64, make)
    assert len(calls) == 1 and keyed_path(tmp_path, "run", "a" * 64).exists()
    for found in (first, second):
        assert set(found) == set(ARRAYS)
        for name, array in ARRAYS.items():
            assert found[name].dtype == array.dtype
            np.testing.assert_array_equal(found[name], array)


def test_another_key_makes_its_own_file(tmp_path):
    make, calls = counted(ARRAYS)
    keyed_arrays(tmp_path, "run", "a" * 64, make)
    keyed_arrays(tmp_path, "run", "b" * 64, make)
    assert len(calls) == 2 and len(list(tmp_path.glob("run-*.npz"))) == 2


def test_a_damaged_changed_or_foreign_file_is_not_used_and_is_made_again(tmp_path):
    key = "c" * 64
    path = keyed_path(tmp_path, "run", key)
    write_keyed(path, key, ARRAYS)
    assert read_keyed(path, key) is not None
    assert read_keyed(path, "d" * 64) is None  # of another key
    with np.load(path) as stored:
        entries = dict(stored)
    entries["positions"] = entries["positions"] + 1e-15  # changed, its old content hash
    with open(path, "wb") as handle:
        np.savez(handle, **entries)
    assert read_keyed(path, key) is None
    write_keyed(path, key, ARRAYS)
    path.write_bytes(path.read_bytes()[:-50])  # truncated
    assert read_keyed(path, key) is None
    make, calls = counted(ARRAYS)
    np.testing.assert_array_equal(keyed_arrays(tmp_path, "run", key, make)["positions"],
                                  ARRAYS["positions"])
    assert len(calls) == 1 and read_keyed(path, key) is not None


def test_a_failed_make_leaves_no_file(tmp_path):
    def fail():
        raise RuntimeError("engine lost atoms")

    with pytest.raises(RuntimeError, match="lost atoms"):
        keyed_arrays(tmp_path, "run", "e" * 64, fail)
    assert list(tmp_path.glob("*.npz")) == []


def test_the_store_s_own_names_are_refused(tmp_path):
    with pytest.raises(ValueError, match="'_key' is the store's own"):
        write_keyed(tmp_path / "x.npz", "f" * 64, {"_key": np.zeros(1)})


def test_the_content_key_changes_with_every_input():
    array = np.arange(6, dtype=np.float64).reshape(2, 3)
    key = content_key({"n_steps": 10}, [("positions", array)])
    changed = [content_key({"n_steps": 11}, [("positions", array)]),
               content_key({"n_steps": 10}, [("velocities", array)]),
               content_key({"n_steps": 10}, [("positions", array + 1e-12)]),
               content_key({"n_steps": 10}, [("positions", array.astype(np.float32))]),
               content_key({"n_steps": 10}, [("positions", array.reshape(3, 2))]),
               content_key({"n_steps": 10})]
    assert len({key, *changed}) == 1 + len(changed)
    assert content_key({"n_steps": 10}, [("positions", array.copy())]) == key
