"""Union-find with union by rank, no path compression, and undo.

The base structure of connectivity under the lifting engine and of the offline
segment-tree algorithm.  ``find`` is worst case O(log n) because ranks bound tree
heights; every successful union pushes one log entry so ``undo_to`` restores the
state bit for bit.

State (a tuple, as returned by :func:`make`)::

    parent : int64[n]     parent[x] == x for roots
    rank   : int64[n]     upper bound on the height of x's tree (roots only change)
    log    : int64[n, 2]  (child root, 1 if the new root's rank grew else 0)
    meta   : int64[2]     [log size, number of components]

The engine interface (see :mod:`structures.engine`) is ``insert(state, pay_i,
pay_f, i) -> work``, ``mark(state) -> int``, ``undo_to(state, mark) -> work``,
where the element ``i`` is the edge ``(pay_i[i, 0], pay_i[i, 1])``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._jit import kernel

LOG_SIZE = 0
COMPONENTS = 1


class DSUState(NamedTuple):
    parent: NDArray[np.int64]
    rank: NDArray[np.int64]
    log: NDArray[np.int64]
    meta: NDArray[np.int64]


def make(n: int) -> DSUState:
    """A union-find over ``n`` singletons."""
    meta = np.zeros(2, dtype=np.int64)
    meta[COMPONENTS] = n
    return DSUState(np.arange(n, dtype=np.int64), np.zeros(n, dtype=np.int64),
                    np.zeros((max(n, 1), 2), dtype=np.int64), meta)


@kernel
def find(state, x):  # type: ignore[no-untyped-def]
    parent = state[0]
    while parent[x] != x:
        x = parent[x]
    return x


@kernel
def union(state, a, b):  # type: ignore[no-untyped-def]
    """Join the sets of ``a`` and ``b``; return the work done (find steps + 1)."""
    parent, rank, log, meta = state[0], state[1], state[2], state[3]
    work = 1
    while parent[a] != a:
        a = parent[a]
        work += 1
    while parent[b] != b:
        b = parent[b]
        work += 1
    if a == b:
        return work
    if rank[a] < rank[b]:
        a, b = b, a
    # b becomes a child of a
    parent[b] = a
    grew = 0
    if rank[a] == rank[b]:
        rank[a] += 1
        grew = 1
    k = meta[LOG_SIZE]
    log[k, 0] = b
    log[k, 1] = grew
    meta[LOG_SIZE] = k + 1
    meta[COMPONENTS] -= 1
    return work


@kernel
def connected(state, a, b):  # type: ignore[no-untyped-def]
    return find(state, a) == find(state, b)


@kernel
def insert(state, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
    """Engine interface: insert element ``i`` (the edge stored in ``pay_i[i]``)."""
    return union(state, pay_i[i, 0], pay_i[i, 1])


@kernel
def mark(state):  # type: ignore[no-untyped-def]
    return state[3][LOG_SIZE]


@kernel
def undo_to(state, m):  # type: ignore[no-untyped-def]
    """Undo every union made after ``mark`` returned ``m``; return the work done."""
    parent, rank, log, meta = state[0], state[1], state[2], state[3]
    k = meta[LOG_SIZE]
    work = 0
    while k > m:
        k -= 1
        b = log[k, 0]
        a = parent[b]
        parent[b] = b
        if log[k, 1] == 1:
            rank[a] -= 1
        meta[COMPONENTS] += 1
        work += 1
    meta[LOG_SIZE] = k
    return work


def check(state: DSUState) -> None:
    """Assert every invariant of the union-find (O(n log n))."""
    parent, rank, log, meta = state
    n = parent.shape[0]
    assert parent.dtype == np.int64 and rank.dtype == np.int64
    assert np.all((parent >= 0) & (parent < n)), "parent out of range"
    k = int(meta[LOG_SIZE])
    assert 0 <= k <= log.shape[0]
    roots = parent == np.arange(n)
    assert int(meta[COMPONENTS]) == int(roots.sum()), "component count disagrees with roots"
    assert n - int(roots.sum()) == k, "every non-root must come from exactly one logged union"
    # the log holds exactly the non-roots, each once
    children = log[:k, 0]
    assert np.array_equal(np.sort(children), np.flatnonzero(~roots)), "log does not match non-roots"
    # union by rank: a child's rank is below its parent's; heights bounded by rank
    nr = ~roots
    assert np.all(rank[nr] < rank[parent[nr]]), "rank must increase towards the root"
    assert np.all(rank <= max(1, int(np.log2(max(n, 1)))) + 1), "rank exceeds log2 n"
    # size(root) >= 2**rank(root)
    r = np.arange(n)
    for _ in range(64):
        nxt = parent[r]
        if np.array_equal(nxt, r):
            break
        r = nxt
    sizes = np.bincount(r, minlength=n)
    assert np.all(sizes[roots] >= (1 << rank[roots])), "union by rank violated (size < 2**rank)"
