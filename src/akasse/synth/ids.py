"""Pseudonymous ids: random 64-bit numbers written as 16 hexadecimal digits, unique within a draw.

They look like the keyed hashes of the web app's export (no CPR number, nothing derived from a person)
and are drawn from the generator's seed, so the same seed gives the same ids.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def pseudonyms(n: int, rng: np.random.Generator) -> pa.StringArray:
    """`n` distinct 16-digit hexadecimal ids."""
    values = np.sort(rng.integers(0, np.iinfo(np.int64).max, size=n, dtype=np.int64))
    while (repeated := np.flatnonzero(values[1:] == values[:-1])).size:  # a collision among 2**63 values
        values[repeated] = rng.integers(0, np.iinfo(np.int64).max, size=len(repeated), dtype=np.int64)
        values.sort()
    values = rng.permutation(values)
    octets = values.astype(">u8").view(np.uint8).reshape(n, 8)  # big-endian: most significant first
    nibbles = np.stack([octets >> 4, octets & 0xF], axis=2).reshape(n, 16)
    text = _HEX[nibbles].tobytes()
    offsets = pa.array(np.arange(0, 16 * n + 1, 16, dtype=np.int32))
    return pa.StringArray.from_buffers(n, offsets.buffers()[1], pa.py_buffer(text))


def numbered(parents: pa.Array, number: np.ndarray) -> pa.StringArray:
    """Child ids `PARENT-NN` (e.g. a spell's conversations numbered from 1)."""
    suffix = pc.utf8_lpad(pa.array(number).cast(pa.string()), 2, "0")
    return pc.binary_join_element_wise(parents, suffix, "-")
