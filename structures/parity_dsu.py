"""Parity union-find with undo: incremental bipartiteness.

A union-find by rank (no path compression) in which every vertex also stores the
parity of the path to its parent, so the colour of a vertex in a proper
2-colouring of its component is the xor of parities up to the root.  Every root
stores whether its component contains an odd cycle.  Inserting an edge
``{u, v}``:

* inside one component: if ``u`` and ``v`` have the same colour, the edge closes
  an odd cycle; the component is marked odd (once);
* across two components: the roots are linked (union by rank) with the parity
  that gives ``u`` and ``v`` different colours; the new root is odd when either
  side was.

The graph is bipartite iff no component is odd (``meta[ODD] == 0``).  Each change
pushes one log entry, so ``undo_to`` restores the arrays bit for bit: this is
the "incremental with undo" base of [`dynalgo.DynamicBipartiteness`][dynalgo.DynamicBipartiteness], and the
worked example of ``docs/pages/extending.md``.

State (a tuple, as returned by ``make``)::

    parent : int32[n]  parent[x] >= 0: the parent of x;  < 0: x is a root of rank -parent[x] - 1
    parity : int8[n]   parity of the edge x -> parent[x] (0 at roots)
    odd    : int8[n]   at a root: 1 if its component holds an odd cycle
    log    : int64[2n] one entry per change (see ``_entry``)
    meta   : int64[3]  [log size, number of components, number of odd components]

Log entries: bit 8 set: "root ``x`` became odd" with ``x = entry >> 9``;
otherwise a link of child root ``b = entry >> 9`` with its old rank in bits 3..7,
the new root's old odd flag in bit 2, the child's odd flag in bit 1 and whether
the new root's rank grew in bit 0.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._jit import inline_kernel

LOG_SIZE = 0
COMPONENTS = 1
ODD = 2

_ODD_MARK = np.int64(1 << 8)


class ParityState(NamedTuple):
    parent: NDArray[np.int32]
    parity: NDArray[np.int8]
    odd: NDArray[np.int8]
    log: NDArray[np.int64]
    meta: NDArray[np.int64]


def make(n: int) -> ParityState:
    """``n`` isolated vertices (``n < 2**31``): bipartite, ``n`` components."""
    meta = np.zeros(3, dtype=np.int64)
    meta[COMPONENTS] = n
    return ParityState(
        np.full(n, -1, dtype=np.int32),
        np.zeros(n, dtype=np.int8),
        np.zeros(n, dtype=np.int8),
        # at most n - 1 links and n odd marks are alive at once
        np.zeros(max(2 * n, 1), dtype=np.int64),
        meta,
    )


@inline_kernel
def find(state, x):  # type: ignore[no-untyped-def]
    """``(root, colour of x)``: the colour is the xor of parities from ``x`` to its root."""
    parent, parity = state[0], state[1]
    c = 0
    while parent[x] >= 0:
        c ^= parity[x]
        x = parent[x]
    return x, c


@inline_kernel
def add_edge(state, u, v):  # type: ignore[no-untyped-def]
    """Insert the edge ``{u, v}``; return the work done (find steps + 1)."""
    parent, parity, odd, log, meta = state[0], state[1], state[2], state[3], state[4]
    work = 1
    a = u
    ca = 0
    while parent[a] >= 0:
        ca ^= parity[a]
        a = parent[a]
        work += 1
    b = v
    cb = 0
    while parent[b] >= 0:
        cb ^= parity[b]
        b = parent[b]
        work += 1
    k = meta[LOG_SIZE]
    if a == b:
        if ca == cb and odd[a] == 0:
            odd[a] = 1
            meta[ODD] += 1
            log[k] = (np.int64(a) << 9) | _ODD_MARK
            meta[LOG_SIZE] = k + 1
        return work
    # the root of larger rank (smaller parent value) stays a root
    if parent[a] > parent[b]:
        a, b = b, a
    grew = 0
    if parent[a] == parent[b]:
        parent[a] -= 1
        grew = 1
    oa = np.int64(odd[a])
    ob = np.int64(odd[b])
    log[k] = (np.int64(b) << 9) | (np.int64(-parent[b] - 1) << 3) | (oa << 2) | (ob << 1) | grew
    meta[LOG_SIZE] = k + 1
    parent[b] = a
    # colours of b's side flip by this parity; u and v must end with different colours
    parity[b] = ca ^ cb ^ 1
    if ob == 1:
        if oa == 1:
            meta[ODD] -= 1
        else:
            odd[a] = 1
    odd[b] = 0
    meta[COMPONENTS] -= 1
    return work


@inline_kernel
def is_bipartite(state):  # type: ignore[no-untyped-def]
    return state[4][ODD] == 0


@inline_kernel
def insert(state, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
    """Engine interface: insert element ``i`` (the edge stored in ``pay_i[i]``)."""
    return add_edge(state, pay_i[i, 0], pay_i[i, 1])


@inline_kernel
def mark(state):  # type: ignore[no-untyped-def]
    return state[4][LOG_SIZE]


@inline_kernel
def undo_to(state, m):  # type: ignore[no-untyped-def]
    """Undo every change made after ``mark`` returned ``m``; return the work done."""
    parent, parity, odd, log, meta = state[0], state[1], state[2], state[3], state[4]
    k = meta[LOG_SIZE]
    work = 0
    while k > m:
        k -= 1
        entry = log[k]
        x = entry >> 9
        if entry & _ODD_MARK:
            odd[x] = 0
            meta[ODD] -= 1
        else:
            a = parent[x]
            parent[x] = -((entry >> 3) & 31) - 1
            parity[x] = 0
            if entry & 1:
                parent[a] += 1
            oa = (entry >> 2) & 1
            ob = (entry >> 1) & 1
            odd[a] = oa
            odd[x] = ob
            if ob == 1 and oa == 1:
                meta[ODD] += 1
            meta[COMPONENTS] += 1
        work += 1
    meta[LOG_SIZE] = k
    return work


@inline_kernel
def query_bipartite(state, x, y):  # type: ignore[no-untyped-def]
    """Engine query interface: whether the whole graph is bipartite (``x``, ``y`` unused)."""
    return state[4][ODD] == 0


def colours(state: ParityState) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Root and colour of every vertex (O(n log n), for checks and interop)."""
    parent = state.parent.astype(np.int64)
    n = parent.shape[0]
    r = np.arange(n)
    c = np.zeros(n, dtype=np.int64)
    for _ in range(64):
        up = parent[r] >= 0
        if not up.any():
            break
        c[up] ^= state.parity[r[up]].astype(np.int64)
        r = np.where(up, parent[r], r)
    return r, c


def check(state: ParityState, edges: NDArray[np.int64] | None = None) -> None:
    """Assert every invariant (O(n log n) + O(m) for ``edges``).

    Ranks bound heights, the log matches the non-roots and odd marks, counters
    agree with the arrays.  With ``edges`` (the present edge set, ``(m, 2)``),
    also that the components and odd flags are exactly those of that graph: every
    edge joins one component, and a component is flagged odd iff one of its edges
    joins two vertices of the same colour.
    """
    parent, parity, odd, log, meta = state
    n = parent.shape[0]
    assert parent.dtype == np.int32 and parity.dtype == np.int8 and odd.dtype == np.int8
    k = int(meta[LOG_SIZE])
    assert 0 <= k <= log.shape[0]
    roots = parent < 0
    assert int(meta[COMPONENTS]) == int(roots.sum()), "component count disagrees with roots"
    assert np.all(parity[roots] == 0), "a root has a parity"
    assert np.all((parity == 0) | (parity == 1)) and np.all((odd == 0) | (odd == 1))
    assert np.all(odd[~roots] == 0), "an odd flag below a root"
    assert int(meta[ODD]) == int(odd[roots].sum()), "odd component count disagrees with flags"
    entries = log[:k]
    marks = (entries & (1 << 8)) != 0
    linked = np.sort(entries[~marks] >> 9)
    assert np.array_equal(linked, np.flatnonzero(~roots)), "log links do not match the non-roots"
    marked = entries[marks] >> 9
    assert len(np.unique(marked)) == len(marked), "a component was marked odd twice"
    r, c = colours(state)
    assert np.array_equal(r[roots], np.flatnonzero(roots))
    rank = np.where(parent < 0, -parent.astype(np.int64) - 1, -1)
    sizes = np.bincount(r, minlength=n)
    assert np.all(sizes[roots] >= (1 << rank[roots])), "union by rank violated (size < 2**rank)"
    if edges is None:
        return
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    assert np.all(r[e[:, 0]] == r[e[:, 1]]), "an edge joins two components"
    conflict = c[e[:, 0]] == c[e[:, 1]]
    odd_roots = np.zeros(n, dtype=np.int8)
    odd_roots[r[e[conflict, 0]]] = 1
    assert np.array_equal(odd_roots[roots], odd[roots]), "odd flags differ from the present edges"
    # components: no more than the edges make (every link is justified by an edge path)
    ref = np.arange(n)
    for a, b in e.tolist():
        while ref[a] != a:
            a = ref[a]
        while ref[b] != b:
            b = ref[b]
        if a != b:
            ref[max(a, b)] = min(a, b)
    comp = np.array([_root(ref, x) for x in range(n)], dtype=np.int64)
    assert len(np.unique(comp)) == int(roots.sum()), "components differ from the present edges"


def _root(ref: NDArray[np.int64], x: int) -> int:
    while ref[x] != x:
        x = int(ref[x])
    return x
