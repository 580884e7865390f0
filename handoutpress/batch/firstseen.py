"""Which earlier row a row repeats: a compact table of 64-bit name-and-address hashes.

A ``dict`` of Python ints costs about 100 bytes a row (two int objects and a slot), which a
million-letter mailing feels (issue 15.3). :class:`FirstSeen` keeps the same mapping (hash →
the first record seen with it) in two flat arrays, open addressing with linear probing, at
most half full: 32 bytes a row at worst, made once the row count is known.
"""

from __future__ import annotations

from array import array


class FirstSeen:
    """Hash → first record, for ``rows`` rows at most."""

    def __init__(self, rows: int) -> None:
        size = 1 << max(4, (2 * rows).bit_length())
        self.mask = size - 1
        self.hashes = array("Q", bytes(8 * size))
        #: record + 1 (0: an empty slot): 4 bytes while records fit
        code = "I" if rows < (1 << 32) - 1 else "Q"
        self.records = array(code, bytes(array(code).itemsize * size))
        self.count = 0
        self.limit = rows

    def first(self, key: int, record: int) -> int | None:
        """The record first seen with ``key``; None (and ``record`` noted) if it is new."""
        hashes, records, mask = self.hashes, self.records, self.mask
        slot = (key ^ (key >> 32)) & mask
        while True:
            held = records[slot]
            if not held:
                if self.count >= self.limit:
                    raise ValueError(f"more than the {self.limit} rows this table was made for")
                hashes[slot] = key
                records[slot] = record + 1
                self.count += 1
                return None
            if hashes[slot] == key:
                return held - 1
            slot = (slot + 1) & mask
