"""The page-cache benchmark compares every number a page reads, NaN equal to NaN, and
leaves out the data the page reads."""

from dataclasses import dataclass

import numpy as np

from ogn_lib.bench.page_caches import differences, page_numbers


@dataclass(frozen=True)
class Result:
    values: np.ndarray
    ratios: dict
    failure: str | None


class Trajectory:
    """Stands for the data a page reads: left out."""


def test_every_number_of_a_result_is_found_by_its_path_and_data_is_left_out():
    found = page_numbers({"lj": [Result(np.array([1.0, np.nan]), {("A", "B"): 0.5}, None),
                                 Trajectory()]})
    assert sorted(found) == ["/lj/0/failure", "/lj/0/ratios/('A', 'B')", "/lj/0/values"]
    assert str(found["/lj/0/failure"]) == "None"


def test_only_a_changed_bit_or_a_missing_number_is_a_difference():
    result = page_numbers(Result(np.array([1.0, np.nan]), {"D": 0.5}, "lost atoms"))
    same = page_numbers(Result(np.array([1.0, np.nan]), {"D": 0.5}, "lost atoms"))
    assert differences(same, result) == []
    changed = page_numbers(Result(np.array([np.nextafter(1.0, 2.0), np.nan]), {}, "lost"))
    assert differences(changed, result) == ["/failure", "/ratios/D", "/values"]
