"""Synthetic workloads for benchmarks and tests.

* :func:`churn` -- a random insert/delete sequence over a random graph;
* :func:`query_per_day` -- one random connectivity query after every day.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from dynalgo.updates import UpdateBatch
from structures._jit import alloc_kernel, kernel

__all__ = ["churn", "query_per_day"]


@kernel
def _slot(a, b, mask):  # type: ignore[no-untyped-def]
    h = np.uint64(a) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(b) * np.uint64(0xC2B2AE3D27D4EB4F)
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xD6E8FEB86659FD93)
    h ^= h >> np.uint64(32)
    return np.int64(h & np.uint64(mask))


@alloc_kernel
def _churn(n, initial_edges, updates, want_insert, seed):  # type: ignore[no-untyped-def]
    np.random.seed(seed)
    T = initial_edges + updates
    op = np.empty(T, dtype=np.int8)
    uu = np.empty(T, dtype=np.int64)
    vv = np.empty(T, dtype=np.int64)
    max_edges = n * (n - 1) // 2
    cap = 16
    while cap < 2 * T:
        cap <<= 1
    mask = cap - 1
    # open addressing; a key is never removed, its value is its index in the
    # present list (-1 while absent)
    ka = np.full(cap, -1, dtype=np.int64)
    kb = np.empty(cap, dtype=np.int64)
    pos = np.empty(cap, dtype=np.int64)
    pa = np.empty(T, dtype=np.int64)  # present edges (a, b) and their slots
    pb = np.empty(T, dtype=np.int64)
    ps = np.empty(T, dtype=np.int64)
    m = 0
    for day in range(T):
        insert = day < initial_edges or want_insert[day - initial_edges]
        if m == 0:
            insert = True
        elif m == max_edges:
            insert = False
        if insert:
            while True:
                a = np.random.randint(0, n)
                b = np.random.randint(0, n)
                if a == b:
                    continue
                if a > b:
                    a, b = b, a
                s = _slot(a, b, mask)
                while ka[s] != -1 and not (ka[s] == a and kb[s] == b):
                    s = (s + 1) & mask
                if ka[s] == -1 or pos[s] < 0:
                    break
            ka[s] = a
            kb[s] = b
            pos[s] = m
            pa[m] = a
            pb[m] = b
            ps[m] = s
            m += 1
            op[day] = 1
            # random orientation of the reported edge
            if np.random.randint(0, 2) == 1:
                a, b = b, a
            uu[day] = a
            vv[day] = b
        else:
            j = np.random.randint(0, m)
            op[day] = 0
            uu[day] = pa[j]
            vv[day] = pb[j]
            pos[ps[j]] = -1
            m -= 1
            if j != m:
                pa[j] = pa[m]
                pb[j] = pb[m]
                ps[j] = ps[m]
                pos[ps[j]] = j
    return op, uu, vv


def churn(n: int, initial_edges: int, updates: int, seed: int = 0) -> UpdateBatch:
    """A valid random edge-update sequence of ``initial_edges + updates`` days.

    Days ``1..initial_edges`` insert distinct random edges (no self-loops).  Each of
    the next ``updates`` days is an insert of a uniformly random non-present edge or
    a delete of a uniformly random present edge; exactly ``updates // 2`` days are
    planned as deletes, in random order (a planned delete on an empty graph becomes
    an insert, a planned insert on a complete graph becomes a delete).

    Examples
    --------
    >>> b = churn(10, 5, 6, seed=1)
    >>> len(b), int(b.op[:5].sum())
    (11, 5)
    """
    if n < 2:
        raise ValueError(f"churn needs n >= 2, got {n}")
    if initial_edges < 0 or updates < 0:
        raise ValueError("initial_edges and updates must be >= 0")
    if initial_edges > n * (n - 1) // 2:
        raise ValueError(f"{initial_edges} distinct edges do not fit on {n} vertices")
    rng = np.random.default_rng(seed)
    plan = np.zeros(updates, dtype=np.bool_)
    plan[: updates - updates // 2] = True
    rng.shuffle(plan)
    op, u, v = _churn(n, initial_edges, updates, plan, int(rng.integers(0, 2**31 - 1)))
    return UpdateBatch.from_arrays(op, u, v)


def query_per_day(batch: UpdateBatch, n: int, seed: int = 0) -> NDArray[np.int64]:
    """One uniformly random query ``(day, u, v)`` for each day ``1..len(batch)``.

    Examples
    --------
    >>> q = query_per_day(churn(10, 5, 6), 10)
    >>> q.shape, q[:, 0].tolist() == list(range(1, 12))
    ((11, 3), True)
    """
    T = len(batch)
    rng = np.random.default_rng(seed)
    q = np.empty((T, 3), dtype=np.int64)
    q[:, 0] = np.arange(1, T + 1, dtype=np.int64)
    q[:, 1:] = rng.integers(0, n, size=(T, 2), dtype=np.int64)
    return q
