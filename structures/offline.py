"""Offline dynamic connectivity: segment tree over time + undo union-find.

The whole update sequence is known in advance.  Every *life* of an edge (the
days ``[ins, del)`` during which it is present) is split over the O(log T)
canonical nodes of a segment tree over the days ``1..T``; a depth-first walk of
the tree unions a node's edges on the way down and undoes them on the way up, so
at leaf ``d`` the union-find holds exactly the graph after day ``d``.  Total
cost O(T log T log n) (union by rank, no path compression).

Conventions (no validation here: ``dynalgo.offline`` validates):

* ``op`` (int8), ``u``, ``v`` (int64) have length ``T``; row ``i`` is day ``i + 1``;
  ``op == 1`` inserts the undirected edge ``{u, v}``, ``op == 0`` deletes it.
  Self-loops are allowed (they never join anything).  Vertices and days are
  stored as int32, so ``n <= MAX_N`` and ``T <= MAX_T``.
* ``queries`` is an int64 ``(q, 3)`` array of rows ``(day, u, v)`` with
  non-decreasing days in ``[0, T]``; day 0 is the empty graph.

Pipeline: ``edge_lives`` (one pass with an open-addressing hash table; it
also reports the first inconsistent update), ``segment_layout`` (CSR
layout node -> edges, counting sort), ``traverse`` (iterative DFS with
``dsu.mark`` / ``dsu.undo_to``).  [`offline_connectivity`][dynalgo.offline_connectivity] chains them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from . import dsu
from ._jit import kernel

__all__ = [
    "MAX_N",
    "MAX_T",
    "OK",
    "DUPLICATE_INSERT",
    "MISSING_DELETE",
    "Lives",
    "Layout",
    "edge_lives",
    "segment_layout",
    "traverse",
    "offline_connectivity",
    "check_inputs",
    "check_layout",
]

#: status codes of ``edge_lives``
OK = 0
DUPLICATE_INSERT = 1
MISSING_DELETE = 2

#: vertices and days are stored as int32: ``n <= MAX_N`` and ``T <= MAX_T``
MAX_N = 2**31 - 1
MAX_T = 2**31 - 2


class Lives(NamedTuple):
    """Edge lives: edge ``(a[k], b[k])`` (``a <= b``) is present on days ``lo[k] .. hi[k] - 1``.

    ``status`` is ``OK``, or the first inconsistent update (row ``where``) was a
    duplicate insert (``DUPLICATE_INSERT``) or a delete of an absent edge
    (``MISSING_DELETE``); then the lives are only those of the prefix.
    """

    lo: NDArray[np.int32]
    hi: NDArray[np.int32]
    a: NDArray[np.int32]
    b: NDArray[np.int32]
    status: int
    where: int


class Layout(NamedTuple):
    """Segment tree over days ``1..T``: node ``x`` (1-based heap order, ``size`` leaves,
    leaf of day ``d`` is ``size + d - 1``) owns the edges ``(ea[k], eb[k])`` for
    ``k in range(ptr[x], ptr[x + 1])``."""

    size: int
    ptr: NDArray[np.int64]
    ea: NDArray[np.int32]
    eb: NDArray[np.int32]


# ---------------------------------------------------------------------------------
# step 1: lives
# ---------------------------------------------------------------------------------
@kernel
def _slot(key, mask):  # type: ignore[no-untyped-def]
    h = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xD6E8FEB86659FD93)
    h ^= h >> np.uint64(32)
    return np.int64(h & np.uint64(mask))


@kernel
def _edge_lives(op, u, v, keys, open_life, lo, hi, la, lb):  # type: ignore[no-untyped-def]
    """Fill the lives into ``lo, hi, la, lb``; return ``(number of lives, status, where)``.

    ``keys`` (all -1) and ``open_life`` are the hash table: a power-of-two size
    at least twice the number of insertions."""
    T = op.shape[0]
    mask = keys.shape[0] - 1
    # open addressing on the packed key a << 31 | b (a <= b < 2**31); keys are never
    # removed: a slot keeps its edge and the index of its open life (-1: absent)
    n_lives = 0
    status = 0
    where = -1
    for i in range(T):
        a = u[i]
        b = v[i]
        if a > b:
            a, b = b, a
        key = (a << 31) | b
        s = _slot(key, mask)
        found = False
        while keys[s] != -1:
            if keys[s] == key:
                found = True
                break
            s = (s + 1) & mask
        if op[i] == 1:
            if found:
                if open_life[s] >= 0:
                    status = 1
                    where = i
                    break
            else:
                keys[s] = key
            open_life[s] = n_lives
            lo[n_lives] = i + 1
            hi[n_lives] = T + 1
            la[n_lives] = a
            lb[n_lives] = b
            n_lives += 1
        else:
            if not found or open_life[s] < 0:
                status = 2
                where = i
                break
            hi[open_life[s]] = i + 1
            open_life[s] = -1
    if status != 0:
        # lives of the valid prefix end with it
        for k in range(n_lives):
            if hi[k] > where + 1:
                hi[k] = where + 1
    return n_lives, status, where


def edge_lives(op: NDArray[np.int8], u: NDArray[np.int64], v: NDArray[np.int64]) -> Lives:
    """Every life ``[ins, del)`` of every edge, in order of insertion day; O(T) expected.

    An edge still present after day ``T`` lives until ``T + 1``.  The scan stops at
    the first inconsistent update and reports it in ``status`` / ``where``.
    """
    op = np.ascontiguousarray(op, dtype=np.int8)
    n_ins = int(np.count_nonzero(op == 1))
    cap = 16
    while cap < 2 * n_ins:
        cap <<= 1
    lo, hi, a, b = (np.empty(n_ins, dtype=np.int32) for _ in range(4))
    n_lives, status, where = _edge_lives(op, np.ascontiguousarray(u, dtype=np.int64),
                                         np.ascontiguousarray(v, dtype=np.int64),
                                         np.full(cap, -1, dtype=np.int64), np.empty(cap, dtype=np.int32),
                                         lo, hi, a, b)
    k = int(n_lives)
    return Lives(lo[:k], hi[:k], a[:k], b[:k], int(status), int(where))


# ---------------------------------------------------------------------------------
# step 2: segment tree layout
# ---------------------------------------------------------------------------------
@kernel
def _count_nodes(size, T, lo, hi, ptr):  # type: ignore[no-untyped-def]
    """Inclusive prefix counts into ``ptr`` (zeros, ``2 * size + 1``): ``ptr[x]`` = number
    of (life, node) pairs with node <= x."""
    for k in range(lo.shape[0]):
        left = np.int64(lo[k]) - 1 + size
        right = min(np.int64(hi[k]), T + 1) - 1 + size
        while left < right:
            if left & 1:
                ptr[left] += 1
                left += 1
            if right & 1:
                right -= 1
                ptr[right] += 1
            left >>= 1
            right >>= 1
    for x in range(1, 2 * size + 1):
        ptr[x] += ptr[x - 1]


@kernel
def _fill_nodes(size, T, lo, hi, a, b, ptr, ea, eb):  # type: ignore[no-untyped-def]
    """Second pass of the counting sort: fill each node's block from its end, turning
    ``ptr[x]`` from "end of block x" into "start of block x" (so block x is
    ``ptr[x] .. ptr[x + 1]``; ``ptr[2 * size]`` is the total and node 0 is empty)."""
    for k in range(lo.shape[0]):
        left = np.int64(lo[k]) - 1 + size
        right = min(np.int64(hi[k]), T + 1) - 1 + size
        ak = a[k]
        bk = b[k]
        while left < right:
            if left & 1:
                p = ptr[left] - 1
                ea[p] = ak
                eb[p] = bk
                ptr[left] = p
                left += 1
            if right & 1:
                right -= 1
                p = ptr[right] - 1
                ea[p] = ak
                eb[p] = bk
                ptr[right] = p
            left >>= 1
            right >>= 1


def segment_layout(T: int, lives: Lives) -> Layout:
    """Distribute every life over the canonical nodes of a segment tree over days ``1..T``.

    ``T`` may be below the last day of the lives (e.g. the last queried day): lives
    are clipped to ``1..T``.  Iterative bottom-up decomposition (at most 2 log2 T nodes per life), two passes
    (count, fill) of a counting sort into a CSR array; O(L log T) for L lives.
    """
    size = 1
    while size < T:
        size <<= 1
    ptr = np.zeros(2 * size + 1, dtype=np.int64)
    _count_nodes(size, T, lives.lo, lives.hi, ptr)
    total = int(ptr[-1])
    ea = np.empty(total, dtype=np.int32)
    eb = np.empty(total, dtype=np.int32)
    _fill_nodes(size, T, lives.lo, lives.hi, lives.a, lives.b, ptr, ea, eb)
    return Layout(size, ptr, ea, eb)


# ---------------------------------------------------------------------------------
# step 3: depth-first traversal with rollback
# ---------------------------------------------------------------------------------
@kernel
def _traverse(state, T, size, ptr, ea, eb, queries, out, marks):  # type: ignore[no-untyped-def]
    """Answers into ``out``; ``marks`` has room for one undo mark per tree level."""
    q = queries.shape[0]
    j = 0  # the next query to answer: leaves are visited in increasing day order
    while j < q and queries[j, 0] == 0:  # day 0: the empty graph
        out[j] = queries[j, 1] == queries[j, 2]
        j += 1
    if T == 0 or j == q:
        return
    logsize = 0
    while (1 << logsize) < size:
        logsize += 1
    node = 1
    dep = 0
    while True:
        h = logsize - dep
        first = (node << h) - size + 1  # the node's days are first .. first + 2**h - 1
        descended = False
        # invariant: queries[j] is the first query with day >= first
        if first <= T and queries[j, 0] < first + (1 << h):  # some query inside: visit
            marks[dep] = dsu.mark(state)
            for e in range(ptr[node], ptr[node + 1]):
                dsu.union(state, np.int64(ea[e]), np.int64(eb[e]))
            if h == 0:
                while j < q and queries[j, 0] == first:
                    out[j] = dsu.find(state, queries[j, 1]) == dsu.find(state, queries[j, 2])
                    j += 1
                if j == q:
                    return
                dsu.undo_to(state, marks[dep])
            else:
                node = 2 * node
                dep += 1
                descended = True
        if descended:
            continue
        # node is finished and its unions undone: climb while it is a right child
        while node & 1:
            if node == 1:
                return
            node >>= 1
            dep -= 1
            dsu.undo_to(state, marks[dep])
        node += 1


def traverse(n: int, T: int, layout: Layout, queries: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Answer ``queries`` (rows ``(day, u, v)``, non-decreasing days in ``[0, T]``).

    Subtrees without queries are skipped, so their edges are never touched; the
    walk stops after the last query.
    """
    state = dsu.make(n)
    q = np.ascontiguousarray(queries, dtype=np.int64).reshape(-1, 3)
    out = np.zeros(q.shape[0], dtype=np.bool_)
    marks = np.empty(max(int(layout.size).bit_length(), 1) + 1, dtype=np.int64)
    _traverse(state, T, layout.size, layout.ptr, layout.ea, layout.eb, q, out, marks)
    return out


def offline_connectivity(n: int, op: NDArray[np.int8], u: NDArray[np.int64], v: NDArray[np.int64],
                         queries: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Is ``u`` connected to ``v`` after day ``day``, for every query row ``(day, u, v)``?

    Raises a plain ``ValueError`` on an inconsistent sequence; vertex ranges and
    queries are not checked (see ``check_inputs``).
    """
    lives = edge_lives(op, u, v)
    if lives.status != OK:
        kind = "insert of a present edge" if lives.status == DUPLICATE_INSERT else "delete of an absent edge"
        raise ValueError(f"day {lives.where + 1}: {kind} ({int(u[lives.where])}, {int(v[lives.where])})")
    q = np.ascontiguousarray(queries, dtype=np.int64).reshape(-1, 3)
    horizon = int(q[-1, 0]) if q.shape[0] else 0  # days after the last query do not matter
    return traverse(n, horizon, segment_layout(horizon, lives), q)


# ---------------------------------------------------------------------------------
# debug helpers
# ---------------------------------------------------------------------------------
def check_inputs(n: int, op: NDArray[np.int8], u: NDArray[np.int64], v: NDArray[np.int64],
                 queries: NDArray[np.int64]) -> None:
    """Assert the input conventions of this module (O(T) with a Python set)."""
    T = op.shape[0]
    assert n >= 1
    assert op.shape == u.shape == v.shape and op.ndim == 1
    assert np.all((op == 0) | (op == 1))
    assert T == 0 or (min(int(u.min()), int(v.min())) >= 0 and max(int(u.max()), int(v.max())) < n)
    present: set[tuple[int, int]] = set()
    for i, (o, a, b) in enumerate(zip(op.tolist(), u.tolist(), v.tolist())):
        key = (min(a, b), max(a, b))
        if o == 1:
            assert key not in present, f"day {i + 1}: duplicate insert {key}"
            present.add(key)
        else:
            assert key in present, f"day {i + 1}: delete of absent {key}"
            present.remove(key)
    q = np.asarray(queries)
    assert q.ndim == 2 and q.shape[1] == 3
    if q.shape[0]:
        assert np.all(np.diff(q[:, 0]) >= 0) and q[0, 0] >= 0 and q[-1, 0] <= T
        assert q[:, 1:].min() >= 0 and q[:, 1:].max() < n


def check_layout(T: int, lives: Lives, layout: Layout) -> None:
    """Assert that the nodes on each root-to-leaf path hold exactly the lives alive that
    day, for the days ``1..T`` the layout was built for."""
    size, ptr = layout.size, layout.ptr
    assert size >= max(T, 1) and size & (size - 1) == 0
    assert ptr.shape == (2 * size + 1,) and ptr[0] == 0 and np.all(np.diff(ptr) >= 0)
    assert int(ptr[-1]) == layout.ea.shape[0] == layout.eb.shape[0]
    assert np.all(lives.lo >= 1) and np.all(lives.lo < lives.hi)
    for d in range(1, T + 1):
        got: list[tuple[int, int]] = []
        x = size + d - 1
        while x >= 1:
            got.extend(zip(layout.ea[ptr[x]:ptr[x + 1]].tolist(), layout.eb[ptr[x]:ptr[x + 1]].tolist()))
            x >>= 1
        alive = (lives.lo <= d) & (d < lives.hi)
        want = sorted(zip(lives.a[alive].tolist(), lives.b[alive].tolist()))
        assert sorted(got) == want, f"day {d}: layout holds {sorted(got)}, alive {want}"
    # leaves past T and their exclusive ancestors hold nothing
    for x in range(size + T, 2 * size):
        assert ptr[x + 1] == ptr[x]
