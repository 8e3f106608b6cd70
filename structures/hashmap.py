"""An int64 -> int64 hash map in arrays (open addressing, linear probing).

Used as the element registry (edge key -> element id).  Keys are non-negative;
``-1`` marks an empty cell.  The table length is a power of two and kept at most
half full by the caller (grow with ``rehash``).  Keys added by
``assign`` can be taken back in reverse order with ``remove_last``,
which keeps probe chains intact because every key added later is gone first.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._jit import kernel

EMPTY = -1


def make(capacity: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """An empty table able to hold ``capacity`` keys at load at most 1/2."""
    size = 16
    while size < 2 * capacity:
        size *= 2
    return np.full(size, EMPTY, dtype=np.int64), np.zeros(size, dtype=np.int64)


@kernel
def _slot(keys, key):  # type: ignore[no-untyped-def]
    mask = keys.shape[0] - 1
    h = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    i = np.int64((h >> np.uint64(20)) & np.uint64(mask))
    while keys[i] != EMPTY and keys[i] != key:
        i = (i + 1) & mask
    return i


@kernel
def get(keys, vals, key):  # type: ignore[no-untyped-def]
    """Value of ``key`` or -1."""
    i = _slot(keys, key)
    return vals[i] if keys[i] == key else -1


def assign(
    keys: NDArray[np.int64], vals: NDArray[np.int64], query: NDArray[np.int64], next_id: int, added: NDArray[np.int64]
) -> tuple[NDArray[np.int64], int]:
    """Ids of ``query`` keys; unknown keys are added with ids ``next_id, next_id + 1, ...``.

    The cells of added keys are written to ``added`` (in order); returns
    ``(ids, number added)``.  The caller guarantees room (load <= 1/2 after).
    """
    out = np.empty(query.shape[0], dtype=np.int64)
    return out, int(_assign(keys, vals, query, next_id, added, out))


@kernel
def _assign(keys, vals, query, next_id, added, out):  # type: ignore[no-untyped-def]
    n_added = 0
    for k in range(query.shape[0]):
        key = query[k]
        i = _slot(keys, key)
        if keys[i] != key:
            keys[i] = key
            vals[i] = next_id + n_added
            added[n_added] = i
            n_added += 1
        out[k] = vals[i]
    return n_added


@kernel
def remove_last(keys, added, n_added):  # type: ignore[no-untyped-def]
    """Take back the last ``n_added`` additions (cells listed in ``added``)."""
    for k in range(n_added - 1, -1, -1):
        keys[added[k]] = EMPTY


@kernel
def rehash(keys, vals, new_keys, new_vals):  # type: ignore[no-untyped-def]
    for i in range(keys.shape[0]):
        if keys[i] != EMPTY:
            j = _slot(new_keys, keys[i])
            new_keys[j] = keys[i]
            new_vals[j] = vals[i]


def check(keys: NDArray[np.int64], vals: NDArray[np.int64], n: int) -> None:
    """Assert the table holds ``n`` keys, each findable, with distinct ids ``0..n-1``."""
    full = keys != EMPTY
    assert int(full.sum()) == n, "key count"
    assert 2 * n <= keys.shape[0], "load above 1/2"
    assert np.array_equal(np.sort(vals[full]), np.arange(n)), "ids are not 0..n-1"
    for key in keys[full][:1000]:
        assert get(keys, vals, key) >= 0
