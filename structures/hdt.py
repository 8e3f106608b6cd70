"""Fully dynamic connectivity of Holm, de Lichtenberg and Thorup, in arrays.

Every edge has a level in ``0..L-1`` with ``L = floor(log2 n) + 1``.  The tree
edges form a spanning forest F of the graph; ``F_i`` (tree edges of level
``>= i``) is kept as an Euler-tour forest (``structures.ett``) on its own
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

Memory: nodes are allocated lazily
-----------------------------------
All Euler-tour nodes of all levels live in one pool of shared arrays (no Python
objects).  Vertex ``x`` has its level-0 node ``x`` from the start; its node at a
level ``i >= 1`` exists exactly while ``x`` is an endpoint of a tree edge of
level ``>= i`` (a vertex without one is a singleton of ``F_i`` and is not
stored: by invariant 2 it has no level-``i`` non-tree edges either).  A tree
edge of level ``l`` owns one pair of arc nodes ``(a, a + 1)`` at each level
``0..l``.  So the pool holds ``n + sum over tree edges of 2 (level + 1)`` nodes
plus at most ``sum over tree edges of 2 level`` higher vertex nodes: an empty
structure costs ``n`` nodes, and the pool grows with the edges present.

Freed vertex nodes and freed arc pairs go to two free lists (reused first,
last in first out); new nodes come from a bump pointer ``meta[M_NEXT]``.  A
node's heap priority is a hash of its id (``structures.ett.priorities``),
so the structure does not depend on when the pool grew.  The kernels never
allocate: an update that might run out of room is refused *before* it changes
anything (status ``NEED_ROOM``; ``fit`` grows the arrays in Python and the
caller calls again).  Bounds checked: an insertion takes at most 2 new nodes;
the deletion of a tree edge of level ``l`` whose level-0 component has ``S``
vertices takes at most ``2 (l + 1) + sum_{i <= l} 3 min(S / 2, n / 2**(i+1))``
(the smaller piece at level ``i`` has at most that many vertices, each getting
at most one new vertex node and one new arc pair at level ``i + 1``), and
needs the vertex-node table to have the rows ``0..l + 1``.

Pool arrays (``C`` nodes; ``C`` grows by at least half at a time)::

    ett          : the Euler-tour arrays of ``structures.ett``
    nlab         : int32[C]     vertex node: its vertex; arc node: its edge id; unused: -1
    nlink        : int32[C]     vertex node: first half-edge of its non-tree list (-1: empty);
                                first arc of a pair: the edge's pair one level below (-1 at
                                level 0); free node: the next free one (-1: end)
    vnode        : int32[R n]   node of vertex ``x`` at level ``i < R`` at ``i n + x``, or -1;
                                row 0 is ``0..n-1``; rows are added on demand (``R <= L``)

Edge arrays (``m_cap`` entries; edge ``e`` has half-edges ``2e`` (in ``eu``'s
lists) and ``2e + 1`` (in ``ev``'s lists)); they grow by doubling in Python
between kernel calls (``grow``)::

    eu, ev       : int32[m_cap]      endpoints as given at insertion
    ekind        : int8[m_cap]       ABSENT, TREE, NONTREE or LOOP
    elevel       : int8[m_cap]       level of a present edge
    earc         : int32[m_cap]      tree edge: its arc pair at its own level, else -1
    hnext, hprev : int32[2 m_cap]    doubly linked non-tree lists per vertex node
    meta         : int64[M_SIZE]     scalars and counters ``M_*``

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
from ._jit import inline_kernel, kernel
from .sequence import first_invalid
from .ett import FLAG_A, FLAG_B, VERT
from .ett import cut as _cut
from .ett import find_flag as _find_flag
from .ett import find_root as _find_root
from .ett import link as _link
from .ett import set_own as _set_own

__all__ = [
    "ABSENT", "TREE", "NONTREE", "LOOP", "OK", "NEED_ROOM",
    "HDTState", "make", "grow", "fit", "levels", "args", "initial_bytes", "state_bytes",
    "insert", "delete", "connected", "run", "first_invalid", "check",
]

# edge kinds
ABSENT = 0
TREE = 1
NONTREE = 2
LOOP = 3

# update status
OK = 0
NEED_ROOM = 1

# meta
M_N = 0
M_L = 1
M_COMPONENTS = 2
M_EDGES = 3
M_NEXT = 4  # first never-used node id (bump pointer of the pool)
M_LOOPS = 5
M_UPDATES = 6
M_TREE_PUSHES = 7
M_NONTREE_PUSHES = 8
M_SEARCHES = 9
M_FOUND = 10
M_SCANNED = 11
M_VFREE = 12  # head of the free list of vertex nodes (-1: empty)
M_PFREE = 13  # head of the free list of arc pairs (first node of the pair)
M_ROWS = 14  # rows of the vertex-node table
M_NEED_NODES = 15  # a refused update: new nodes it may take
M_NEED_ROWS = 16  # a refused update: rows of the vertex-node table it needs
M_SEED = 17  # seed of the node priorities
M_SIZE = 20

#: vertex ids and node ids are int32 (a pool never exceeds 2**31 - 1 nodes)
MAX_N = (1 << 31) - 1
#: half-edge ids 2e + 1 are int32
MAX_EDGES = 1 << 30
#: nodes of a new pool beyond the ``n`` level-0 vertex nodes
_SPARE = 64

_G = TypeVar("_G", bound=np.generic)


class HDTState(NamedTuple):
    ett: _ett.ETTState
    meta: NDArray[np.int64]
    eu: NDArray[np.int32]
    ev: NDArray[np.int32]
    ekind: NDArray[np.int8]
    elevel: NDArray[np.int8]
    earc: NDArray[np.int32]
    hnext: NDArray[np.int32]
    hprev: NDArray[np.int32]
    nlab: NDArray[np.int32]
    nlink: NDArray[np.int32]
    vnode: NDArray[np.int32]


def levels(n: int) -> int:
    """Number of levels ``L = floor(log2 n) + 1``."""
    return max(int(n), 1).bit_length()


#: bytes per pool node: left, right, parent, pri, own (4 x int8), agg (4 x int32), nlab, nlink
NODE_BYTES = 4 * 4 + 4 + 16 + 4 + 4
#: bytes per edge id: eu, ev, ekind, elevel, earc, two half-edges' hnext and hprev
EDGE_BYTES = 4 + 4 + 1 + 1 + 4 + 2 * 8


def initial_bytes(n: int, m_cap: int = 16) -> int:
    """Bytes ``make`` allocates for ``n`` vertices (the pool of ``n`` level-0 vertex nodes,
    row 0 of the vertex-node table, edge arrays for ``m_cap`` ids); known before allocating."""
    return (int(n) + _SPARE) * NODE_BYTES + 4 * int(n) + max(int(m_cap), 1) * EDGE_BYTES + 8 * M_SIZE


def state_bytes(s: HDTState) -> int:
    """Bytes held by the arrays of a state."""
    return int(sum(a.nbytes for a in s.ett) + sum(a.nbytes for a in s[1:]))


def make(n: int, m_cap: int = 16, seed: int = 0) -> HDTState:
    """An edgeless graph on ``n`` vertices with room for edge ids ``0..m_cap-1``."""
    if not 1 <= n <= MAX_N:
        raise ValueError(f"n must be in 1..{MAX_N}, got {n}")
    L = levels(n)
    seed = int(seed) & ((1 << 63) - 1)
    cap = min(n + _SPARE, MAX_N)
    ett = _ett.make(cap, np.arange(n, dtype=np.int64), seed)
    meta = np.zeros(M_SIZE, dtype=np.int64)
    meta[M_N] = n
    meta[M_L] = L
    meta[M_COMPONENTS] = n
    meta[M_NEXT] = n
    meta[M_VFREE] = -1
    meta[M_PFREE] = -1
    meta[M_ROWS] = 1
    meta[M_SEED] = seed
    nlab = np.full(cap, -1, dtype=np.int32)
    nlab[:n] = np.arange(n, dtype=np.int32)
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
        nlab,
        np.full(cap, -1, dtype=np.int32),
        np.arange(n, dtype=np.int32),
    )


def _ext(a: NDArray[_G], size: int, fill: int) -> NDArray[_G]:
    b = np.empty(size, dtype=a.dtype)
    b[: a.shape[0]] = a
    b[a.shape[0]:] = fill
    return b


def grow(s: HDTState, m_cap: int) -> HDTState:
    """The same state with room for edge ids ``0..m_cap-1`` (at least doubling)."""
    old = s.eu.shape[0]
    if m_cap <= old:
        return s
    if m_cap > MAX_EDGES:
        raise ValueError(f"at most {MAX_EDGES} distinct edge ids, asked for {m_cap}")
    new = min(max(int(m_cap), 2 * old), MAX_EDGES)
    return s._replace(
        eu=_ext(s.eu, new, 0),
        ev=_ext(s.ev, new, 0),
        ekind=_ext(s.ekind, new, ABSENT),
        elevel=_ext(s.elevel, new, 0),
        earc=_ext(s.earc, new, -1),
        hnext=_ext(s.hnext, 2 * new, -1),
        hprev=_ext(s.hprev, 2 * new, -1),
    )


def fit(s: HDTState) -> HDTState:
    """The same state with the room a refused update asked for (``meta[M_NEED_*]``):
    the node pool grown by at least half, the vertex-node table at least doubled in rows."""
    meta = s.meta
    n, L = int(meta[M_N]), int(meta[M_L])
    cap = s.nlab.shape[0]
    need = int(meta[M_NEXT]) + int(meta[M_NEED_NODES])
    if need > cap:
        new = min(max(need, cap + (cap >> 1)), MAX_N)
        if new < need:
            raise ValueError(f"the Euler-tour pool would need {need} nodes, more than {MAX_N}")
        s = s._replace(ett=_ett.grow(s.ett, new, int(meta[M_SEED])),
                       nlab=_ext(s.nlab, new, -1), nlink=_ext(s.nlink, new, -1))
    rows = int(meta[M_ROWS])
    if int(meta[M_NEED_ROWS]) > rows:
        new_rows = min(max(int(meta[M_NEED_ROWS]), 2 * rows), L)
        s = s._replace(vnode=_ext(s.vnode, new_rows * n, -1))
        meta[M_ROWS] = new_rows
    meta[M_NEED_NODES] = 0
    meta[M_NEED_ROWS] = 0
    return s


def args(s: HDTState) -> tuple[tuple[NDArray[np.generic], ...], tuple[NDArray[np.generic], ...]]:
    """``(ett, g)``: the plain tuples the kernels take."""
    return tuple(s.ett), tuple(s[1:])


# ---------------------------------------------------------------------------------
# the node pool
# ---------------------------------------------------------------------------------
@inline_kernel
def _vnode_of(g, x, i):  # type: ignore[no-untyped-def]
    """Node of vertex ``x`` at level ``i`` (-1: none)."""
    return g[10][i * g[0][M_N] + x]


@kernel
def _new_vertex_node(ett, g, x, i):  # type: ignore[no-untyped-def]
    """The node of vertex ``x`` at level ``i``, allocated (as a singleton) if missing."""
    meta, nlab, nlink, vnode = g[0], g[8], g[9], g[10]
    c = i * meta[M_N] + x
    y = vnode[c]
    if y >= 0:
        return y
    y = meta[M_VFREE]
    if y >= 0:
        meta[M_VFREE] = nlink[y]
    else:
        y = meta[M_NEXT]
        meta[M_NEXT] = y + 1
    nlab[y] = x
    nlink[y] = -1
    _set_own(ett, y, VERT, 1)
    vnode[c] = y
    return y


@kernel
def _free_vertex_node(ett, g, x, i):  # type: ignore[no-untyped-def]
    """Drop the level-``i`` node of ``x`` (``i >= 1``) if it is a singleton without edges."""
    left, right, parent = ett[0], ett[1], ett[2]
    meta, nlab, nlink, vnode = g[0], g[8], g[9], g[10]
    c = i * meta[M_N] + x
    y = vnode[c]
    if y < 0 or parent[y] >= 0 or left[y] >= 0 or right[y] >= 0 or nlink[y] >= 0:
        return
    _set_own(ett, y, VERT, 0)
    nlab[y] = -1
    nlink[y] = meta[M_VFREE]
    meta[M_VFREE] = y
    vnode[c] = -1


@kernel
def _new_pair(g, e, below):  # type: ignore[no-untyped-def]
    """Two unused singleton nodes ``(a, a + 1)`` for the arcs of edge ``e``; return ``a``."""
    meta, nlab, nlink = g[0], g[8], g[9]
    a = meta[M_PFREE]
    if a >= 0:
        meta[M_PFREE] = nlink[a]
    else:
        a = meta[M_NEXT]
        meta[M_NEXT] = a + 2
    nlab[a] = e
    nlab[a + 1] = e
    nlink[a] = below
    nlink[a + 1] = -1
    return a


@kernel
def _free_pair(g, a):  # type: ignore[no-untyped-def]
    meta, nlab, nlink = g[0], g[8], g[9]
    nlab[a] = -1
    nlab[a + 1] = -1
    nlink[a] = meta[M_PFREE]
    meta[M_PFREE] = a


@inline_kernel
def _room(ett, g):  # type: ignore[no-untyped-def]
    """Never-used node ids left in the pool."""
    return ett[0].shape[0] - g[0][M_NEXT]


# ---------------------------------------------------------------------------------
# adjacency lists of non-tree edges (one per vertex node; the endpoints of a
# level-i non-tree edge always have level-i nodes, by invariant 2)
# ---------------------------------------------------------------------------------
@kernel
def _list_add(ett, g, i, x, h):  # type: ignore[no-untyped-def]
    hnext, hprev, nlink = g[6], g[7], g[9]
    y = _vnode_of(g, x, i)
    f = nlink[y]
    hnext[h] = f
    hprev[h] = -1
    if f >= 0:
        hprev[f] = h
    else:
        _set_own(ett, y, FLAG_B, 1)
    nlink[y] = h


@kernel
def _list_remove(ett, g, i, x, h):  # type: ignore[no-untyped-def]
    hnext, hprev, nlink = g[6], g[7], g[9]
    y = _vnode_of(g, x, i)
    p = hprev[h]
    q = hnext[h]
    if p >= 0:
        hnext[p] = q
    else:
        nlink[y] = q
    if q >= 0:
        hprev[q] = p
    hnext[h] = -1
    hprev[h] = -1
    if nlink[y] < 0:
        _set_own(ett, y, FLAG_B, 0)


@kernel
def _add_nontree(ett, g, e, i):  # type: ignore[no-untyped-def]
    eu, ev, ekind, elevel, earc = g[1], g[2], g[3], g[4], g[5]
    ekind[e] = NONTREE
    elevel[e] = i
    earc[e] = -1
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
def _link_level(ett, g, e, a, j):  # type: ignore[no-untyped-def]
    """Link edge ``e`` in ``F_j`` with the arc pair ``a`` (endpoint nodes made if missing)."""
    eu, ev = g[1], g[2]
    x = _new_vertex_node(ett, g, eu[e], j)
    y = _new_vertex_node(ett, g, ev[e], j)
    _link(ett, x, y, a, a + 1)


@kernel
def _make_tree(ett, g, e, lvl):  # type: ignore[no-untyped-def]
    """Edge ``e`` (endpoints in different trees of ``F_0..F_lvl``) becomes a tree edge of level ``lvl``."""
    ekind, elevel, earc = g[3], g[4], g[5]
    ekind[e] = TREE
    elevel[e] = lvl
    a = -1
    for j in range(lvl + 1):
        a = _new_pair(g, e, a)
        if j == lvl:
            _set_own(ett, a, FLAG_A, 1)
        _link_level(ett, g, e, a, j)
    earc[e] = a


@kernel
def _push_tree(ett, g, e, i):  # type: ignore[no-untyped-def]
    """Raise the tree edge ``e`` from level ``i`` to ``i + 1``."""
    elevel, earc = g[4], g[5]
    a = earc[e]
    _set_own(ett, a, FLAG_A, 0)
    elevel[e] = i + 1
    b = _new_pair(g, e, a)
    earc[e] = b
    _set_own(ett, b, FLAG_A, 1)
    _link_level(ett, g, e, b, i + 1)


# ---------------------------------------------------------------------------------
# updates and queries
# ---------------------------------------------------------------------------------
@kernel
def connected(ett, g, u, v):  # type: ignore[no-untyped-def]
    """Whether ``u`` and ``v`` are connected (same tree of ``F_0``)."""
    return _find_root(ett, u) == _find_root(ett, v)


@kernel
def insert(ett, g, e, u, v):  # type: ignore[no-untyped-def]
    """Insert edge id ``e`` = ``{u, v}`` (absent; the caller checks).  Returns ``OK``, or
    ``NEED_ROOM`` with nothing changed (grow with ``fit``, then call again)."""
    meta, eu, ev, ekind, elevel, earc = g[0], g[1], g[2], g[3], g[4], g[5]
    if _room(ett, g) < 2 and meta[M_PFREE] < 0:
        meta[M_NEED_NODES] = 2
        return NEED_ROOM
    meta[M_UPDATES] += 1
    meta[M_EDGES] += 1
    eu[e] = u
    ev[e] = v
    if u == v:
        ekind[e] = LOOP
        elevel[e] = 0
        earc[e] = -1
        meta[M_LOOPS] += 1
    elif _find_root(ett, u) != _find_root(ett, v):
        _make_tree(ett, g, e, 0)
        meta[M_COMPONENTS] -= 1
    else:
        _add_nontree(ett, g, e, 0)
    return OK


@kernel
def _replace(ett, g, u, v, lvl):  # type: ignore[no-untyped-def]
    """After cutting a tree edge ``{u, v}`` of level ``lvl``: search a replacement
    from level ``lvl`` down to 0 ([HDT] Sec. 3, ``Replace``).  Returns whether one was found."""
    meta, eu, ev, nlab, nlink = g[0], g[1], g[2], g[8], g[9]
    agg = ett[5]
    for i in range(lvl, -1, -1):
        ru = _find_root(ett, _vnode_of(g, u, i))
        rv = _find_root(ett, _vnode_of(g, v, i))
        small = ru if agg[ru, VERT] <= agg[rv, VERT] else rv
        # 1. push the piece's level-i tree edges to level i + 1
        while True:
            a = _find_flag(ett, small, FLAG_A)
            if a < 0:
                break
            _push_tree(ett, g, nlab[a], i)
            meta[M_TREE_PUSHES] += 1
        # 2. scan the piece's level-i non-tree edges
        while True:
            y = _find_flag(ett, small, FLAG_B)
            if y < 0:
                break
            while nlink[y] >= 0:
                h = nlink[y]
                e = h >> 1
                z = ev[e] if (h & 1) == 0 else eu[e]
                _remove_nontree(ett, g, e)
                meta[M_SCANNED] += 1
                if _find_root(ett, _vnode_of(g, z, i)) != small:
                    _make_tree(ett, g, e, i)
                    meta[M_FOUND] += 1
                    return True
                _add_nontree(ett, g, e, i + 1)
                meta[M_NONTREE_PUSHES] += 1
    return False


@kernel
def delete(ett, g, e):  # type: ignore[no-untyped-def]
    """Delete the present edge id ``e``.  Returns ``OK``, or ``NEED_ROOM`` with nothing
    changed (grow with ``fit``, then call again)."""
    meta, eu, ev, ekind, elevel, earc, nlink = g[0], g[1], g[2], g[3], g[4], g[5], g[9]
    kind = ekind[e]
    if kind == TREE:
        # room for the worst case of the replacement search (see the module docstring)
        lvl = np.int64(elevel[e])
        n = meta[M_N]
        rows = min(lvl + 2, meta[M_L])
        half = ett[5][_find_root(ett, eu[e]), VERT] >> 1
        need = 2 * (lvl + 1)
        for i in range(lvl + 1):
            need += 3 * min(half, n >> (i + 1))
        if meta[M_ROWS] < rows or _room(ett, g) < need:
            meta[M_NEED_NODES] = need
            meta[M_NEED_ROWS] = rows
            return NEED_ROOM
    meta[M_UPDATES] += 1
    meta[M_EDGES] -= 1
    ekind[e] = ABSENT
    if kind == LOOP:
        meta[M_LOOPS] -= 1
        return OK
    if kind == NONTREE:
        _remove_nontree(ett, g, e)
        return OK
    u = eu[e]
    v = ev[e]
    a = earc[e]
    _set_own(ett, a, FLAG_A, 0)
    while a >= 0:
        below = nlink[a]
        _cut(ett, a, a + 1)
        _free_pair(g, a)
        a = below
    earc[e] = -1
    meta[M_SEARCHES] += 1
    if not _replace(ett, g, u, v, lvl):
        meta[M_COMPONENTS] += 1
    # the endpoints' nodes that no tree edge uses any more (only u and v can lose
    # their last tree edge at a level: every other vertex of a piece keeps its own)
    for j in range(1, lvl + 1):
        _free_vertex_node(ett, g, u, j)
        _free_vertex_node(ett, g, v, j)
    return OK


@kernel
def run(ett, g, ids, op, u, v, queries, out, k0, q0):  # type: ignore[no-untyped-def]
    """Apply updates ``k = k0..T-1`` (``op[k]`` 1: insert edge id ``ids[k]`` =
    ``{u[k], v[k]}``, 0: delete it) and answer the ``(day, x, y)`` queries from
    row ``q0`` on, each right after update ``day`` (day 0: before the first);
    writes ``out``.  Returns ``(k, q)``: the first update not applied (``T`` when
    done; otherwise it needs room: ``fit``, then call again from ``(k, q)``)."""
    nq = queries.shape[0]
    qi = q0
    while qi < nq and queries[qi, 0] <= k0:
        out[qi] = connected(ett, g, queries[qi, 1], queries[qi, 2])
        qi += 1
    for k in range(k0, ids.shape[0]):
        if op[k] == 1:
            st = insert(ett, g, ids[k], u[k], v[k])
        else:
            st = delete(ett, g, ids[k])
        if st != OK:
            return k, qi
        while qi < nq and queries[qi, 0] == k + 1:
            out[qi] = connected(ett, g, queries[qi, 1], queries[qi, 2])
            qi += 1
    return ids.shape[0], qi


# ---------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------
def _walk_free(nlink: NDArray[np.int64], head: int, limit: int) -> list[int]:
    out: list[int] = []
    x = head
    while x >= 0:
        assert len(out) <= limit, "a cycle in a free list"
        out.append(x)
        x = int(nlink[x])
    return out


def check(s: HDTState) -> NDArray[np.int64]:
    """Assert every invariant of the structure (O(C log C + n R + m) plus list walks, for a
    pool of ``C`` nodes and ``R`` table rows); return the ``F_0`` tree (root node id) of
    every vertex.

    Euler-tour trees of every level (``structures.ett.check``, with the arcs
    each tree edge must own); the lazy node mapping (a vertex has a level-``i``
    node, ``i >= 1``, exactly when it is an endpoint of a tree edge of level
    ``>= i``; every pool node is a vertex node, an arc of a tree edge, or free;
    node labels and free lists); ``F_i ⊇ F_{i+1}``; edge levels and kinds;
    level-``i`` component sizes ``<= n / 2**i``; each non-tree edge's endpoints
    connected in ``F_level``; adjacency lists consistent with edge kinds and
    levels; both flag channels; counters.
    """
    meta = s.meta
    n, L = int(meta[M_N]), int(meta[M_L])
    assert L == levels(n)
    C = s.ett.left.shape[0]
    nxt, R = int(meta[M_NEXT]), int(meta[M_ROWS])
    assert s.nlab.shape == s.nlink.shape == (C,), "pool arrays disagree in size"
    assert n <= nxt <= C, "bump pointer out of range"
    assert 1 <= R <= L and s.vnode.shape == (R * n,), "vertex-node table shape"
    assert int(meta[M_NEED_NODES]) >= 0 and int(meta[M_NEED_ROWS]) >= 0
    m_cap = s.eu.shape[0]
    for arr in (s.ev, s.ekind, s.elevel, s.earc):
        assert arr.shape == (m_cap,)
    assert s.hnext.shape == s.hprev.shape == (2 * m_cap,)
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
    assert np.all(lvl[present] < R), "an edge level has no row in the vertex-node table"
    assert tree.size == n - int(meta[M_COMPONENTS]), "tree edges != n - components"
    earc = s.earc.astype(np.int64)
    assert np.all(earc[kind != TREE] == -1), "arc pair of an edge that is not a tree edge"
    # the lazy vertex-node table: row 0 is the identity; x has a level-i node iff it is an
    # endpoint of a tree edge of level >= i
    vn = s.vnode.astype(np.int64).reshape(R, n)
    assert np.array_equal(vn[0], np.arange(n)), "row 0 of the vertex-node table"
    top_edges = np.zeros((R, n), dtype=np.int64)  # tree edges of level exactly i at x
    for end in (eu, ev):
        np.add.at(top_edges, (np.minimum(lvl[tree], R - 1), end[tree]), 1)  # levels < R (checked above)
    want = np.cumsum(top_edges[::-1], axis=0)[::-1] > 0
    want[0] = True
    assert np.array_equal(vn >= 0, want), "a vertex node exists iff the vertex has a tree edge at that level"
    assert np.all(vn < nxt), "vertex node beyond the bump pointer"
    # every pool node below the bump pointer: a vertex node, an arc, or free
    role = np.zeros(C, dtype=np.int64)  # 1 vertex, 2 arc, 3 free, 0 never used
    vnodes = vn[vn >= 0]
    assert np.unique(vnodes).size == vnodes.size, "two vertices share a node"
    role[vnodes] = 1
    lev_of = np.broadcast_to(np.arange(R)[:, None], (R, n))[vn >= 0]
    vert_of = np.broadcast_to(np.arange(n)[None, :], (R, n))[vn >= 0]
    nlab = s.nlab.astype(np.int64)
    nlink = s.nlink.astype(np.int64)
    assert np.array_equal(nlab[vnodes], vert_of), "a vertex node's label is not its vertex"
    tail = np.full(C, -1, dtype=np.int64)
    head = np.full(C, -1, dtype=np.int64)
    tail[vnodes] = vnodes
    head[vnodes] = vnodes
    fa = np.zeros(C, dtype=np.int8)
    for e in tree.tolist():
        a, j = int(earc[e]), int(lvl[e])
        assert a >= 0, f"tree edge {e} without arcs"
        fa[a] = 1
        while a >= 0:
            assert j >= 0, f"tree edge {e} has arcs below level 0"
            assert 0 <= a and a + 1 < nxt and role[a] == 0 and role[a + 1] == 0, f"arc pair {a} reused"
            role[a] = role[a + 1] = 2
            assert nlab[a] == nlab[a + 1] == e and nlink[a + 1] == -1, f"arc pair {a} label"
            x, y = int(vn[j, eu[e]]), int(vn[j, ev[e]])
            tail[a], head[a], tail[a + 1], head[a + 1] = x, y, y, x
            a = int(nlink[a])
            j -= 1
        assert j == -1, f"tree edge {e} lacks arcs at some level"
    vfree = _walk_free(nlink, int(meta[M_VFREE]), C)
    pfree = _walk_free(nlink, int(meta[M_PFREE]), C)
    for x in vfree:
        assert n <= x < nxt and role[x] == 0 and nlab[x] == -1, "bad free vertex node"
        role[x] = 3
    for a in pfree:
        assert n <= a and a + 1 < nxt and role[a] == role[a + 1] == 0, "bad free arc pair"
        assert nlab[a] == nlab[a + 1] == -1 and nlink[a + 1] == -1, "bad free arc pair"
        role[a] = role[a + 1] = 3
    assert np.all(role[:nxt] > 0), "a pool node is neither used nor free"
    assert np.all(nlab[nxt:] == -1) and np.all(nlink[nxt:] == -1), "never-used node carries data"
    root_of = _ett.check(s.ett, tail, head)
    own, agg = s.ett.own, s.ett.agg
    assert np.array_equal(own[:, FLAG_A], fa), "tree-edge level flags are wrong"
    # level-i components: refinement, sizes, count (a vertex without a node is a singleton)
    vroot = np.where(vn >= 0, root_of[np.maximum(vn, 0)], -1 - np.arange(n)[None, :])
    for i in range(R):
        has = vn[i] >= 0
        sizes = agg[np.unique(vroot[i][has]), VERT]
        assert np.all(sizes.astype(np.int64) << i <= n), f"a level-{i} component has more than n / 2**{i} vertices"
        if i + 1 < R:
            pairs = np.unique(np.stack([vroot[i + 1], vroot[i]], axis=1), axis=0)
            assert pairs.shape[0] == np.unique(vroot[i + 1]).size, f"F_{i + 1} is not contained in F_{i}"
    assert np.unique(vroot[0]).size == int(meta[M_COMPONENTS]), "component count"
    # non-tree edges: endpoints connected at their level (so F_0 spans the graph)
    assert np.all(vn[lvl[nontree], eu[nontree]] >= 0), "a non-tree edge endpoint without a node at its level"
    assert np.all(vroot[lvl[nontree], eu[nontree]] == vroot[lvl[nontree], ev[nontree]]), \
        "a non-tree edge joins two trees of F_level"
    # adjacency lists, one per vertex node
    hn, hp = s.hnext.astype(np.int64), s.hprev.astype(np.int64)
    in_list = np.zeros(2 * m_cap, dtype=np.int64)
    fb = np.zeros(C, dtype=np.int8)
    for y, x, i in zip(vnodes.tolist(), vert_of.tolist(), lev_of.tolist()):
        h, prev, steps = int(nlink[y]), -1, 0
        if h >= 0:
            fb[y] = 1
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
    assert np.array_equal(own[:, FLAG_B], fb), "non-tree flags are wrong"
    for k in (M_UPDATES, M_TREE_PUSHES, M_NONTREE_PUSHES, M_SEARCHES, M_FOUND, M_SCANNED):
        assert int(meta[k]) >= 0
    assert meta[M_FOUND] <= meta[M_SEARCHES]
    return np.asarray(vroot[0], dtype=np.int64)
