"""Union-find by size with undo: component sizes for island counting.

Like ``structures.dsu`` but linking by size instead of rank (height stays at
most log2 n, so ``find`` is O(log n) worst case without path compression) and
keeping each root's component size, so "how many vertices are cut off from a
reference vertex" is one ``find``.  The base of
[`dynalgo.screen_contingencies`][dynalgo.screen_contingencies].

State (a tuple, as returned by ``make``)::

    parent : int32[n]   parent[x] >= 0: the parent of x;  < 0: x is a root of a component of -parent[x] vertices
    log    : int64[n]   one entry per link: (size of the child root << 32) | child root
    meta   : int64[2]   [log size, number of components]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._jit import inline_kernel
# the state has the layout of structures.dsu (parent, log, meta), so walking to a root and
# reading the log size are the same kernels
from .dsu import COMPONENTS, LOG_SIZE, find, mark

__all__ = [
    "COMPONENTS", "LOG_SIZE", "SizeDSUState", "check", "component_size", "find", "insert", "make", "mark",
    "query_size", "sizes", "undo_to", "union",
]


class SizeDSUState(NamedTuple):
    parent: NDArray[np.int32]
    log: NDArray[np.int64]
    meta: NDArray[np.int64]


def make(n: int) -> SizeDSUState:
    """``n`` singletons (``n < 2**31``)."""
    meta = np.zeros(2, dtype=np.int64)
    meta[COMPONENTS] = n
    return SizeDSUState(np.full(n, -1, dtype=np.int32), np.zeros(max(n, 1), dtype=np.int64), meta)


@inline_kernel
def component_size(state, x):  # type: ignore[no-untyped-def]
    return -np.int64(state[0][find(state, x)])


@inline_kernel
def union(state, a, b):  # type: ignore[no-untyped-def]
    """Join the sets of ``a`` and ``b`` (the larger root stays); return the work done."""
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
    if parent[a] > parent[b]:  # sizes are -parent: a must be the larger
        a, b = b, a
    k = meta[LOG_SIZE]
    log[k] = (-np.int64(parent[b]) << 32) | b
    parent[a] += parent[b]
    parent[b] = a
    meta[LOG_SIZE] = k + 1
    meta[COMPONENTS] -= 1
    return work


@inline_kernel
def insert(state, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
    """Engine interface: insert element ``i`` (the edge stored in ``pay_i[i]``)."""
    return union(state, pay_i[i, 0], pay_i[i, 1])


@inline_kernel
def undo_to(state, m):  # type: ignore[no-untyped-def]
    """Undo every link made after ``mark`` returned ``m``; return the work done."""
    parent, log, meta = state[0], state[1], state[2]
    k = meta[LOG_SIZE]
    work = 0
    while k > m:
        k -= 1
        b = log[k] & 0xFFFFFFFF
        a = parent[b]
        size_b = log[k] >> 32
        parent[a] += np.int32(size_b)
        parent[b] = -np.int32(size_b)
        meta[COMPONENTS] += 1
        work += 1
    meta[LOG_SIZE] = k
    return work


@inline_kernel
def query_size(state, x, y):  # type: ignore[no-untyped-def]
    """Engine query interface: size of ``x``'s component (``y`` unused)."""
    return component_size(state, x)


def sizes(state: SizeDSUState) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Root of every vertex and size of its component (O(n log n))."""
    parent = state.parent.astype(np.int64)
    r = np.arange(parent.shape[0])
    for _ in range(64):
        up = parent[r] >= 0
        if not up.any():
            break
        r = np.where(up, parent[r], r)
    return r, -parent[r]


def check(state: SizeDSUState) -> None:
    """Assert the invariants: sizes, counters, log and the log2 height bound."""
    parent, log, meta = state
    n = parent.shape[0]
    k = int(meta[LOG_SIZE])
    roots = parent < 0
    assert int(meta[COMPONENTS]) == int(roots.sum()), "component count disagrees with roots"
    children = log[:k] & 0xFFFFFFFF
    assert np.array_equal(np.sort(children), np.flatnonzero(~roots)), "log does not match non-roots"
    r, size = sizes(state)
    assert np.array_equal(np.bincount(r, minlength=n)[roots], -parent[roots].astype(np.int64)), "root size is wrong"
    height = np.zeros(n, dtype=np.int64)
    x = np.arange(n)
    for _ in range(64):
        up = parent[x] >= 0
        if not up.any():
            break
        height += up
        x = np.where(up, parent[x], x)
    assert np.all((1 << height) <= size), "union by size violated (height > log2 size)"
