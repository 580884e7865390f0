"""The duplicate check's table: the same answers as a dict, in a few bytes a row."""

from __future__ import annotations

import random

import pytest

from handoutpress.batch.firstseen import FirstSeen


def test_first_record_of_each_hash_as_a_dict_gives_it() -> None:
    rng = random.Random(15)
    keys = [rng.getrandbits(64) for _ in range(3000)]
    keys += [keys[rng.randrange(3000)] for _ in range(1000)]  # repeats
    keys += [0, 0, (1 << 64) - 1]  # the ends of the range are keys like any other
    seen = FirstSeen(len(keys))
    expected: dict[int, int] = {}
    for record, key in enumerate(keys, start=1):
        assert seen.first(key, record) == expected.get(key)
        expected.setdefault(key, record)


def test_hashes_in_the_same_slot_are_told_apart() -> None:
    seen = FirstSeen(8)
    same_slot = [n << 40 | n << 8 for n in range(1, 6)]  # all in slot 0 once folded
    for record, key in enumerate(same_slot):
        assert seen.first(key, record) is None
    for record, key in enumerate(same_slot):
        assert seen.first(key, 99) == record


def test_more_rows_than_it_was_made_for_is_refused() -> None:
    seen = FirstSeen(2)
    seen.first(1, 1)
    seen.first(2, 2)
    with pytest.raises(ValueError, match="more than the 2 rows"):
        seen.first(3, 3)


def test_a_row_is_a_few_bytes() -> None:
    seen = FirstSeen(1_000_000)
    size = seen.hashes.itemsize * len(seen.hashes) + seen.records.itemsize * len(seen.records)
    assert size <= 40 * 1_000_000
