"""Fully dynamic connectivity of Holm, de Lichtenberg and Thorup, in arrays.

Every edge has a level in ``0..L-1`` with ``L = floor(log2 n) + 1``.  The tree
edges form a spanning forest F of the graph; ``F_i`` (tree edges of level
``>= i``) is kept as an Euler-tour forest (:mod:`structures.ett`) on its own
copy of the vertices, so ``F_0 ⊇ F_1 ⊇ ...``.  Invariants ([HDT] Sec. 3):

1. every level-``i`` component (tree of ``F_i``) has at most ``n / 2**i`` vertices;
2. the endpoints of a non-tree edge of level ``i`` are connected in ``F_i``;
3. F is a spanning forest: a non-tree edge never joins two trees of ``F_0``.

Insert ``{u, v}``: a tree edge of level 0 if it joins two trees of ``F_0``,
else a level-0 non-tree edge.  Delete a non-tree edge: unlink it from the
adjacency lists.  Delete a tree edge of level ``l``: cut it in ``F_0..F_l``; for
``i = l`` down to 0, in the smaller (by vertices) of the two level-``i`` pieces
first push every level-``i`` tree edge to level ``i + 1`` (invariant 1 holds
because the piece has at most half of a level-``i`` component), then scan its
level-``i`` non-tree edges: one that leaves the piece is the replacement (it
becomes a tree edge of level ``i``, linked in ``F_0..F_i``, and the search
stops); one that does not is pushed to level ``i + 1`` (invariant 2 holds, as
the whole piece is now connected in ``F_{i+1}``).  Levels only go up, at most
``L - 1`` times per edge, and each push costs O(log n): O(log^2 n) amortized
per update, O(log n) per query (expected, treap depths).

Both searches descend the level-``i`` Euler-tour treap along subtree counts:
``FLAG_A`` marks the arc ``x -> y`` (in ``F_l`` only) of each tree edge of level
exactly ``l``; ``FLAG_B`` marks the level-``i`` copy of a vertex that has
level-``i`` non-tree edges.  Self-loops are recorded (kind ``LOOP``) but never
stored in the adjacency lists: they never connect anything.

Node layout of the shared ETT arrays (no Python objects, one set of arrays for
all levels):

* vertex ``x`` at level ``i``: node ``i * n + x``;
* tree slot ``t`` (``0 <= t < n - 1``, one per tree edge) at level ``i``, arc
  ``d`` (0: ``eu -> ev``, 1: ``ev -> eu``): node ``L n + 2 (t L + i) + d``.

A forest has at most ``n - 1`` edges, so the ETT arrays never grow; only the
per-edge arrays (indexed by the caller's dense edge ids) grow, by doubling in
Python between kernel calls (:func:`grow`).

Edge arrays (``m_cap`` entries; edge ``e`` has half-edges ``2e`` (in ``eu``'s
lists) and ``2e + 1`` (in ``ev``'s lists))::

    eu, ev       : int32[m_cap]      endpoints as given at insertion
    ekind        : int8[m_cap]       ABSENT, TREE, NONTREE or LOOP
    elevel       : int8[m_cap]       level of a present edge
    eslot        : int32[m_cap]      tree slot of a tree edge, else -1
    hnext, hprev : int32[2 m_cap]    doubly linked non-tree lists per (vertex, level)
    head         : int32[n L]        first half-edge of list (x, i) at x L + i
    tedge        : int32[n - 1]      edge id of each tree slot
    tfree        : int32[n - 1]      stack of free tree slots (meta[M_FREE] of them)
    meta         : int64[16]         scalars and counters ``M_*``

References
----------
.. [HDT] J. Holm, K. de Lichtenberg and M. Thorup, "Poly-logarithmic
   deterministic fully-dynamic algorithms for connectivity, minimum spanning
   tree, 2-edge, and biconnectivity", J. ACM 48(4):723-760, 2001, Sec. 3.
.. [IKRT] R. Iyer, D. Karger, H. Rahul and M. Thorup, "An experimental study
   of polylogarithmic, fully dynamic, connectivity algorithms", ACM JEA 6, 2001.
"""

from __future__ import annotations

from typing import NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from . import ett as _ett
from ._jit import kernel
from .sequence import first_invalid
from .ett import FLAG_A, FLAG_B, VERT
from .ett import cut as _cut
from .ett import find_flag as _find_flag
from .ett import find_root as _find_root
from .ett import link as _link
from .ett import set_own as _set_own

__all__ = [
    "ABSENT", "TREE", "NONTREE", "LOOP",
    "HDTState", "make", "grow", "levels", "args",
    "insert", "delete", "connected", "run", "first_invalid", "check",
]

# edge kinds
ABSENT = 0
TREE = 1
NONTREE = 2
LOOP = 3

# meta
M_N = 0
M_L = 1
M_COMPONENTS = 2
M_EDGES = 3
M_FREE = 4
M_LOOPS = 5
M_UPDATES = 6
M_TREE_PUSHES = 7
M_NONTREE_PUSHES = 8
M_SEARCHES = 9
M_FOUND = 10
M_SCANNED = 11
M_SIZE = 16

#: node ids of the Euler-tour arrays are int32: 3 n (floor(log2 n) + 1) < 2**31
MAX_N = 1 << 24
#: half-edge ids 2e + 1 are int32
MAX_EDGES = 1 << 30

_G = TypeVar("_G", bound=np.generic)


class HDTState(NamedTuple):
    ett: _ett.ETTState
    meta: NDArray[np.int64]
    eu: NDArray[np.int32]
    ev: NDArray[np.int32]
    ekind: NDArray[np.int8]
    elevel: NDArray[np.int8]
    eslot: NDArray[np.int32]
    hnext: NDArray[np.int32]
    hprev: NDArray[np.int32]
    head: NDArray[np.int32]
    tedge: NDArray[np.int32]
    tfree: NDArray[np.int32]


def levels(n: int) -> int:
    """Number of levels ``L = floor(log2 n) + 1``."""
    return max(int(n), 1).bit_length()


def make(n: int, m_cap: int = 16, seed: int = 0) -> HDTState:
    """An edgeless graph on ``n`` vertices with room for edge ids ``0..m_cap-1``."""
    if not 1 <= n <= MAX_N:
        raise ValueError(f"n must be in 1..{MAX_N}, got {n}")
    L = levels(n)
    slots = max(n - 1, 1)
    num_nodes = L * n + 2 * L * slots
    assert num_nodes < 2**31
    ett = _ett.make(num_nodes, np.arange(L * n, dtype=np.int64), seed)
    meta = np.zeros(M_SIZE, dtype=np.int64)
    meta[M_N] = n
    meta[M_L] = L
    meta[M_COMPONENTS] = n
    meta[M_FREE] = slots
    m_cap = max(int(m_cap), 1)
    return HDTState(
        ett,
        meta,
        np.zeros(m_cap, dtype=np.int32),
        np.zeros(m_cap, dtype=np.int32),
        np.zeros(m_cap, dtype=np.int8),
        np.zeros(m_cap, dtype=np.int8),
        np.full(m_cap, -1, dtype=np.int32),
        np.full(2 * m_cap, -1, dtype=np.int32),
        np.full(2 * m_cap, -1, dtype=np.int32),
        np.full(n * L, -1, dtype=np.int32),
        np.full(slots, -1, dtype=np.int32),
        np.arange(slots - 1, -1, -1, dtype=np.int32),  # pop from the end: slot 0 first
    )


def grow(s: HDTState, m_cap: int) -> HDTState:
    """The same state with room for edge ids ``0..m_cap-1`` (at least doubling)."""
    old = s.eu.shape[0]
    if m_cap <= old:
        return s
    if m_cap > MAX_EDGES:
        raise ValueError(f"at most {MAX_EDGES} distinct edge ids, asked for {m_cap}")
    new = min(max(int(m_cap), 2 * old), MAX_EDGES)

    def ext(a: NDArray[_G], size: int, fill: int) -> NDArray[_G]:
        b = np.full(size, fill, dtype=a.dtype)
        b[: a.shape[0]] = a
        return b

    return s._replace(
        eu=ext(s.eu, new, 0),
        ev=ext(s.ev, new, 0),
        ekind=ext(s.ekind, new, ABSENT),
        elevel=ext(s.elevel, new, 0),
        eslot=ext(s.eslot, new, -1),
        hnext=ext(s.hnext, 2 * new, -1),
        hprev=ext(s.hprev, 2 * new, -1),
    )


def args(s: HDTState) -> tuple[tuple[NDArray[np.generic], ...], tuple[NDArray[np.generic], ...]]:
    """``(ett, g)``: the plain tuples the kernels take."""
    return tuple(s.ett), tuple(s[1:])


# ---------------------------------------------------------------------------------
# adjacency lists of non-tree edges
# ---------------------------------------------------------------------------------
@kernel
def _list_add(ett, g, i, x, h):  # type: ignore[no-untyped-def]
    meta, hnext, hprev, head = g[0], g[6], g[7], g[8]
    c = x * meta[M_L] + i
    f = head[c]
    hnext[h] = f
    hprev[h] = -1
    if f >= 0:
        hprev[f] = h
    else:
        _set_own(ett, i * meta[M_N] + x, FLAG_B, 1)
    head[c] = h


@kernel
def _list_remove(ett, g, i, x, h):  # type: ignore[no-untyped-def]
    meta, hnext, hprev, head = g[0], g[6], g[7], g[8]
    c = x * meta[M_L] + i
    p = hprev[h]
    q = hnext[h]
    if p >= 0:
        hnext[p] = q
    else:
        head[c] = q
    if q >= 0:
        hprev[q] = p
    hnext[h] = -1
    hprev[h] = -1
    if head[c] < 0:
        _set_own(ett, i * meta[M_N] + x, FLAG_B, 0)


@kernel
def _add_nontree(ett, g, e, i):  # type: ignore[no-untyped-def]
    eu, ev, ekind, elevel, eslot = g[1], g[2], g[3], g[4], g[5]
    ekind[e] = NONTREE
    elevel[e] = i
    eslot[e] = -1
    _list_add(ett, g, i, eu[e], 2 * e)
    _list_add(ett, g, i, ev[e], 2 * e + 1)


@kernel
def _remove_nontree(ett, g, e):  # type: ignore[no-untyped-def]
    eu, ev, elevel = g[1], g[2], g[4]
    i = elevel[e]
    _list_remove(ett, g, i, eu[e], 2 * e)
    _list_remove(ett, g, i, ev[e], 2 * e + 1)


# ---------------------------------------------------------------------------------
# tree edges
# ---------------------------------------------------------------------------------
@kernel
def _arc(meta, t, i):  # type: ignore[no-untyped-def]
    """Node id of arc 0 of tree slot ``t`` at level ``i`` (arc 1 is the next id)."""
    L = meta[M_L]
    return L * meta[M_N] + 2 * (t * L + i)


@kernel
def _link_level(ett, g, e, t, j):  # type: ignore[no-untyped-def]
    meta, eu, ev = g[0], g[1], g[2]
    n = meta[M_N]
    a = _arc(meta, t, j)
    _link(ett, j * n + eu[e], j * n + ev[e], a, a + 1)


@kernel
def _make_tree(ett, g, e, lvl):  # type: ignore[no-untyped-def]
    """Edge ``e`` (endpoints in different trees of ``F_0..F_lvl``) becomes a tree edge of level ``lvl``."""
    meta, ekind, elevel, eslot, tedge, tfree = g[0], g[3], g[4], g[5], g[9], g[10]
    meta[M_FREE] -= 1
    t = tfree[meta[M_FREE]]
    tedge[t] = e
    eslot[e] = t
    ekind[e] = TREE
    elevel[e] = lvl
    _set_own(ett, _arc(meta, t, lvl), FLAG_A, 1)
    for j in range(lvl + 1):
        _link_level(ett, g, e, t, j)


@kernel
def _push_tree(ett, g, t, i):  # type: ignore[no-untyped-def]
    """Raise the tree edge in slot ``t`` from level ``i`` to ``i + 1``."""
    meta, elevel, tedge = g[0], g[4], g[9]
    e = tedge[t]
    _set_own(ett, _arc(meta, t, i), FLAG_A, 0)
    elevel[e] = i + 1
    _set_own(ett, _arc(meta, t, i + 1), FLAG_A, 1)
    _link_level(ett, g, e, t, i + 1)


# ---------------------------------------------------------------------------------
# updates and queries
# ---------------------------------------------------------------------------------
@kernel
def connected(ett, g, u, v):  # type: ignore[no-untyped-def]
    """Whether ``u`` and ``v`` are connected (same tree of ``F_0``)."""
    return _find_root(ett, u) == _find_root(ett, v)


@kernel
def insert(ett, g, e, u, v):  # type: ignore[no-untyped-def]
    """Insert edge id ``e`` = ``{u, v}`` (absent; the caller checks)."""
    meta, eu, ev, ekind, elevel, eslot = g[0], g[1], g[2], g[3], g[4], g[5]
    meta[M_UPDATES] += 1
    meta[M_EDGES] += 1
    eu[e] = u
    ev[e] = v
    if u == v:
        ekind[e] = LOOP
        elevel[e] = 0
        eslot[e] = -1
        meta[M_LOOPS] += 1
    elif _find_root(ett, u) != _find_root(ett, v):
        _make_tree(ett, g, e, 0)
        meta[M_COMPONENTS] -= 1
    else:
        _add_nontree(ett, g, e, 0)


@kernel
def _replace(ett, g, u, v, lvl):  # type: ignore[no-untyped-def]
    """After cutting a tree edge ``{u, v}`` of level ``lvl``: search a replacement
    from level ``lvl`` down to 0 ([HDT] Sec. 3, ``Replace``).  Returns whether one was found."""
    meta, eu, ev, head = g[0], g[1], g[2], g[8]
    agg = ett[5]
    n = meta[M_N]
    L = meta[M_L]
    base = L * n
    for i in range(lvl, -1, -1):
        ru = _find_root(ett, i * n + u)
        rv = _find_root(ett, i * n + v)
        small = ru if agg[ru, VERT] <= agg[rv, VERT] else rv
        # 1. push the piece's level-i tree edges to level i + 1
        while True:
            a = _find_flag(ett, small, FLAG_A)
            if a < 0:
                break
            t = ((a - base) >> 1) // L
            _push_tree(ett, g, t, i)
            meta[M_TREE_PUSHES] += 1
        # 2. scan the piece's level-i non-tree edges
        while True:
            y = _find_flag(ett, small, FLAG_B)
            if y < 0:
                break
            w = y - i * n
            c = w * L + i
            while head[c] >= 0:
                h = head[c]
                e = h >> 1
                z = ev[e] if (h & 1) == 0 else eu[e]
                _remove_nontree(ett, g, e)
                meta[M_SCANNED] += 1
                if _find_root(ett, i * n + z) != small:
                    _make_tree(ett, g, e, i)
                    meta[M_FOUND] += 1
                    return True
                _add_nontree(ett, g, e, i + 1)
                meta[M_NONTREE_PUSHES] += 1
    return False


@kernel
def delete(ett, g, e):  # type: ignore[no-untyped-def]
    """Delete the present edge id ``e``."""
    meta, eu, ev, ekind, elevel, eslot, tfree = g[0], g[1], g[2], g[3], g[4], g[5], g[10]
    meta[M_UPDATES] += 1
    meta[M_EDGES] -= 1
    kind = ekind[e]
    ekind[e] = ABSENT
    if kind == LOOP:
        meta[M_LOOPS] -= 1
        return
    if kind == NONTREE:
        _remove_nontree(ett, g, e)
        return
    t = eslot[e]
    lvl = np.int64(elevel[e])
    _set_own(ett, _arc(meta, t, lvl), FLAG_A, 0)
    for j in range(lvl + 1):
        a = _arc(meta, t, j)
        _cut(ett, a, a + 1)
    eslot[e] = -1
    tfree[meta[M_FREE]] = t
    meta[M_FREE] += 1
    meta[M_SEARCHES] += 1
    if not _replace(ett, g, eu[e], ev[e], lvl):
        meta[M_COMPONENTS] += 1


@kernel
def run(ett, g, ids, op, u, v, queries, out):  # type: ignore[no-untyped-def]
    """Apply updates ``k = 0..T-1`` (``op[k]`` 1: insert edge id ``ids[k]`` =
    ``{u[k], v[k]}``, 0: delete it) and answer the ``(day, x, y)`` queries, each
    right after update ``day`` (day 0: before the first); writes ``out``."""
    nq = queries.shape[0]
    qi = 0
    while qi < nq and queries[qi, 0] == 0:
        out[qi] = connected(ett, g, queries[qi, 1], queries[qi, 2])
        qi += 1
    for k in range(ids.shape[0]):
        if op[k] == 1:
            insert(ett, g, ids[k], u[k], v[k])
        else:
            delete(ett, g, ids[k])
        while qi < nq and queries[qi, 0] == k + 1:
            out[qi] = connected(ett, g, queries[qi, 1], queries[qi, 2])
            qi += 1


# ---------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------
def check(s: HDTState) -> NDArray[np.int64]:
    """Assert every invariant of the structure (O(n log n + m) plus list walks);
    return the ``F_0`` tree (root node id) of every vertex.

    Euler-tour trees of every level (:func:`structures.ett.check`, with the arcs
    each tree edge must own); ``F_i ⊇ F_{i+1}``; edge levels and kinds; level-``i``
    component sizes ``<= n / 2**i``; each non-tree edge's endpoints connected in
    ``F_level``; adjacency lists consistent with edge kinds and levels; both
    flag channels; tree slots; counters.
    """
    meta = s.meta
    n, L = int(meta[M_N]), int(meta[M_L])
    assert L == levels(n)
    N = s.ett.left.shape[0]
    slots = max(n - 1, 1)
    assert N == L * n + 2 * L * slots
    m_cap = s.eu.shape[0]
    for a in (s.ev, s.ekind, s.elevel, s.eslot):
        assert a.shape == (m_cap,)
    assert s.hnext.shape == s.hprev.shape == (2 * m_cap,)
    assert s.head.shape == (n * L,) and s.tedge.shape == s.tfree.shape == (slots,)
    kind = s.ekind.astype(np.int64)
    assert np.all((kind >= ABSENT) & (kind <= LOOP)), "bad edge kind"
    present = kind != ABSENT
    tree = np.flatnonzero(kind == TREE)
    nontree = np.flatnonzero(kind == NONTREE)
    loops = np.flatnonzero(kind == LOOP)
    eu = s.eu.astype(np.int64)
    ev = s.ev.astype(np.int64)
    lvl = s.elevel.astype(np.int64)
    assert int(meta[M_EDGES]) == int(present.sum()), "edge count"
    assert int(meta[M_LOOPS]) == loops.size, "self-loop count"
    assert np.all((eu[present] >= 0) & (eu[present] < n) & (ev[present] >= 0) & (ev[present] < n))
    assert np.all(eu[loops] == ev[loops]) and np.all(lvl[loops] == 0), "self-loop record"
    assert np.all(eu[tree] != ev[tree]) and np.all(eu[nontree] != ev[nontree]), "loop stored as a graph edge"
    # a level-i edge lies in a level-i component of >= 2 vertices, so 2 <= n / 2**i
    top = max(L - 2, 0)
    assert np.all((lvl[present] >= 0) & (lvl[present] <= top)), "edge level out of range"
    # tree slots
    nfree = int(meta[M_FREE])
    assert 0 <= nfree <= slots
    free = s.tfree[:nfree].astype(np.int64)
    t_of = s.eslot.astype(np.int64)
    assert np.all(t_of[tree] >= 0) and np.all(t_of[~(kind == TREE)] == -1), "tree slot of a non-tree edge"
    used = t_of[tree]
    assert np.array_equal(np.sort(np.concatenate([free, used])), np.arange(slots)), "tree slots are not a partition"
    assert np.array_equal(s.tedge[used].astype(np.int64), tree), "tedge does not point back"
    assert tree.size == n - int(meta[M_COMPONENTS]), "tree edges != n - components"
    # the arcs every tree edge owns: levels 0..level
    tail = np.full(N, -1, dtype=np.int64)
    head = np.full(N, -1, dtype=np.int64)
    tail[: L * n] = np.arange(L * n)
    head[: L * n] = np.arange(L * n)
    reps = lvl[tree] + 1
    te = np.repeat(tree, reps)
    tj = np.concatenate([np.arange(r) for r in reps]) if tree.size else np.zeros(0, dtype=np.int64)
    a0 = L * n + 2 * (t_of[te] * L + tj)
    tail[a0] = tj * n + eu[te]
    head[a0] = tj * n + ev[te]
    tail[a0 + 1] = head[a0]
    head[a0 + 1] = tail[a0]
    root_of = _ett.check(s.ett, tail, head)
    own, agg = s.ett.own, s.ett.agg
    # flag A: exactly arc 0 of each tree edge at its own level
    fa = np.zeros(N, dtype=np.int8)
    fa[L * n + 2 * (used * L + lvl[tree])] = 1
    assert np.array_equal(own[:, FLAG_A], fa), "tree-edge level flags are wrong"
    # level-i components: refinement, sizes, count
    vroot = root_of[: L * n].reshape(L, n)
    for i in range(L):
        sizes = agg[np.unique(vroot[i]), VERT]
        assert np.all(sizes.astype(np.int64) << i <= n), f"a level-{i} component has more than n / 2**{i} vertices"
        if i + 1 < L:
            pairs = np.unique(np.stack([vroot[i + 1], vroot[i]], axis=1), axis=0)
            assert pairs.shape[0] == np.unique(vroot[i + 1]).size, f"F_{i + 1} is not contained in F_{i}"
    assert np.unique(vroot[0]).size == int(meta[M_COMPONENTS]), "component count"
    # non-tree edges: endpoints connected at their level (so F_0 spans the graph)
    assert np.all(vroot[lvl[nontree], eu[nontree]] == vroot[lvl[nontree], ev[nontree]]), \
        "a non-tree edge joins two trees of F_level"
    # adjacency lists
    hn, hp = s.hnext.astype(np.int64), s.hprev.astype(np.int64)
    in_list = np.zeros(2 * m_cap, dtype=np.int64)
    hd = s.head.astype(np.int64)
    for c in np.flatnonzero(hd >= 0).tolist():
        x, i = divmod(c, L)
        h, prev, steps = int(hd[c]), -1, 0
        while h >= 0:
            assert steps <= 2 * m_cap, "a cycle in an adjacency list"
            e, side = h >> 1, h & 1
            assert kind[e] == NONTREE, f"edge {e} in an adjacency list is not a non-tree edge"
            assert (eu[e] if side == 0 else ev[e]) == x and lvl[e] == i, f"half-edge {h} in the wrong list"
            assert hp[h] == prev, "prev pointer"
            in_list[h] += 1
            prev, h, steps = h, int(hn[h]), steps + 1
    halves = np.zeros(2 * m_cap, dtype=np.int64)
    halves[2 * nontree] = 1
    halves[2 * nontree + 1] = 1
    assert np.array_equal(in_list, halves), "every non-tree half-edge must be in exactly one list"
    off = halves == 0
    assert np.all(hn[off] == -1) and np.all(hp[off] == -1), "stale list pointers"
    fb = np.zeros(N, dtype=np.int8)
    cells = np.flatnonzero(hd >= 0)
    fb[(cells % L) * n + cells // L] = 1
    assert np.array_equal(own[:, FLAG_B], fb), "non-tree flags are wrong"
    for k in (M_UPDATES, M_TREE_PUSHES, M_NONTREE_PUSHES, M_SEARCHES, M_FOUND, M_SCANNED):
        assert int(meta[k]) >= 0
    assert meta[M_FOUND] <= meta[M_SEARCHES]
    return np.asarray(vroot[0], dtype=np.int64)
