"""Union-find with union by rank, no path compression, and undo.

The base structure of connectivity under the lifting engine and of the offline
segment-tree algorithm.  ``find`` is worst case O(log n) because ranks bound tree
heights; every successful union pushes one log entry so ``undo_to`` restores the
state bit for bit.

State (a tuple, as returned by ``make``)::

    parent : int32[n]   parent[x] >= 0: the parent of x;  parent[x] < 0: x is a root
                        of rank -parent[x] - 1  (one array for both keeps finds in cache)
    log    : int64[n]   one entry per successful union: (child << 8) | (child's rank << 1) | grew
    meta   : int64[2]   [log size, number of components]

The kernels are inlined into their callers at numba-IR level (``inline="always"``):
the engine calls them through function arguments millions of times, and the call
overhead was a quarter of the engine's time.

The engine interface (see ``structures.engine``) is ``insert(state, pay_i,
pay_f, i) -> work``, ``mark(state) -> int``, ``undo_to(state, mark) -> work``,
where the element ``i`` is the edge ``(pay_i[i, 0], pay_i[i, 1])``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._jit import inline_kernel

LOG_SIZE = 0
COMPONENTS = 1


class DSUState(NamedTuple):
    parent: NDArray[np.int32]
    log: NDArray[np.int64]
    meta: NDArray[np.int64]


def make(n: int) -> DSUState:
    """A union-find over ``n`` singletons (``n < 2**31``)."""
    meta = np.zeros(2, dtype=np.int64)
    meta[COMPONENTS] = n
    return DSUState(np.full(n, -1, dtype=np.int32), np.zeros(max(n, 1), dtype=np.int64), meta)


@inline_kernel
def find(state, x):  # type: ignore[no-untyped-def]
    parent = state[0]
    while parent[x] >= 0:
        x = parent[x]
    return x


@inline_kernel
def union(state, a, b):  # type: ignore[no-untyped-def]
    """Join the sets of ``a`` and ``b``; return the work done (find steps + 1)."""
    parent, log, meta = state[0], state[1], state[2]
    work = 1
    while parent[a] >= 0:
        a = parent[a]
        work += 1
    while parent[b] >= 0:
        b = parent[b]
        work += 1
    if a == b:
        return work
    # ranks are -parent - 1; the root of larger rank (smaller parent value) stays a root
    if parent[a] > parent[b]:
        a, b = b, a
    grew = 0
    if parent[a] == parent[b]:
        parent[a] -= 1
        grew = 1
    k = meta[LOG_SIZE]
    log[k] = (np.int64(b) << 8) | (np.int64(-parent[b] - 1) << 1) | grew
    parent[b] = a
    meta[LOG_SIZE] = k + 1
    meta[COMPONENTS] -= 1
    return work


@inline_kernel
def connected(state, a, b):  # type: ignore[no-untyped-def]
    return find(state, a) == find(state, b)


@inline_kernel
def query_components(state, a, b):  # type: ignore[no-untyped-def]
    """Engine query interface: the number of components (``a``, ``b`` unused)."""
    return state[2][COMPONENTS]


@inline_kernel
def insert(state, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
    """Engine interface: insert element ``i`` (the edge stored in ``pay_i[i]``)."""
    return union(state, pay_i[i, 0], pay_i[i, 1])


@inline_kernel
def mark(state):  # type: ignore[no-untyped-def]
    return state[2][LOG_SIZE]


@inline_kernel
def undo_to(state, m):  # type: ignore[no-untyped-def]
    """Undo every union made after ``mark`` returned ``m``; return the work done."""
    parent, log, meta = state[0], state[1], state[2]
    k = meta[LOG_SIZE]
    work = 0
    while k > m:
        k -= 1
        entry = log[k]
        b = entry >> 8
        a = parent[b]
        parent[b] = -((entry >> 1) & 127) - 1
        if entry & 1:
            parent[a] += 1
        meta[COMPONENTS] += 1
        work += 1
    meta[LOG_SIZE] = k
    return work


def ranks(state: DSUState) -> NDArray[np.int64]:
    """Rank of every root (-1 for non-roots)."""
    p = state.parent.astype(np.int64)
    return np.where(p < 0, -p - 1, -1)


def check(state: DSUState) -> None:
    """Assert every invariant of the union-find (O(n log n))."""
    parent, log, meta = state
    n = parent.shape[0]
    assert parent.dtype == np.int32 and log.dtype == np.int64
    assert np.all(parent < n), "parent out of range"
    k = int(meta[LOG_SIZE])
    assert 0 <= k <= log.shape[0]
    roots = parent < 0
    assert int(meta[COMPONENTS]) == int(roots.sum()), "component count disagrees with roots"
    assert n - int(roots.sum()) == k, "every non-root must come from exactly one logged union"
    children = log[:k] >> 8
    assert np.array_equal(np.sort(children), np.flatnonzero(~roots)), "log does not match non-roots"
    # rank of a child (as logged) is below the rank of its root at the time, hence below now;
    # heights are bounded by ranks and size(root) >= 2**rank(root)
    r = np.arange(n)
    height = np.zeros(n, dtype=np.int64)
    for _ in range(64):
        nxt = np.where(parent[r] >= 0, parent[r], r)
        if np.array_equal(nxt, r):
            break
        height += nxt != r
        r = nxt
    assert np.array_equal(r[roots], np.flatnonzero(roots))
    rk = ranks(state)
    assert np.all(height <= rk[r]), "a tree is higher than its root's rank"
    sizes = np.bincount(r, minlength=n)
    assert np.all(sizes[roots] >= (1 << rk[roots])), "union by rank violated (size < 2**rank)"
    assert np.all(rk[roots] <= max(1, int(np.log2(max(n, 1)))) + 1), "rank exceeds log2 n"
