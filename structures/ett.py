"""Euler-tour trees: a forest of treaps over Euler-tour occurrences, in arrays.

Every tree of a dynamic forest is stored as the cyclic sequence of its Euler
tour, kept in a treap (a BST in sequence order, heap-ordered by stored random
priorities) with parent pointers.  The sequence holds one *vertex node* per
vertex and two *arc nodes* per tree edge ``{x, y}`` (``x -> y`` and ``y -> x``);
a tree with vertices ``x`` and ``y`` joined by one edge reads
``x, (x -> y), y, (y -> x)``, read cyclically.  Which node is which is the
caller's business: the kernels only need node ids.  Many forests (one per
level in ``structures.hdt``) live in the same arrays, as disjoint sets of
node ids.

Everything is iterative (split walks up the parent pointers, merge walks down
one spine), so no operation can overflow a native stack.  Expected cost of
every operation is O(log N) in a tree of N nodes (treap depth).

Aggregates
----------
Each node has ``NCH`` own counters ``own[x, k]`` (int8) and subtree sums
``agg[x, k]`` (int32):

* ``SIZE``: always 1, so ``agg[root, SIZE]`` is the number of nodes of a tree;
* ``VERT``: 1 on vertex nodes, so ``agg[root, VERT]`` is the number of vertices;
* ``FLAG_A``, ``FLAG_B``: two caller-defined 0/1 flags.  ``find_flag``
  descends along positive subtree counts to a flagged node of a tree in
  O(depth).  ``structures.hdt`` uses ``FLAG_A`` for "this arc's edge has
  exactly this level" and ``FLAG_B`` for "this vertex has non-tree edges at
  this level".

State (a tuple, as returned by ``make``)::

    left, right, parent : int32[N]     -1 for none; parent[root] == -1
    pri                 : int32[N]     heap priorities (parent >= child), a hash of the node id
    own                 : int8[N, 4]   own counters (channels SIZE, VERT, FLAG_A, FLAG_B)
    agg                 : int32[N, 4]  subtree sums of ``own``

Reference: M. R. Henzinger and V. King, "Randomized fully dynamic graph
algorithms with polylogarithmic time per operation", J. ACM 46(4), 1999
(Euler-tour trees); R. E. Tarjan, "Dynamic trees as search trees via Euler
tours, applied to the network simplex algorithm", Math. Programming 78, 1997
(one node per vertex plus one per arc).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._jit import alloc_kernel, kernel

__all__ = [
    "SIZE",
    "VERT",
    "FLAG_A",
    "FLAG_B",
    "NCH",
    "ETTState",
    "priorities",
    "grow",
    "make",
    "find_root",
    "connected",
    "count",
    "tree_size",
    "split_before",
    "split_after",
    "merge",
    "reroot",
    "link",
    "cut",
    "set_own",
    "find_flag",
    "inorder",
    "tour",
    "check",
]

SIZE = 0
VERT = 1
FLAG_A = 2
FLAG_B = 3
NCH = 4


class ETTState(NamedTuple):
    left: NDArray[np.int32]
    right: NDArray[np.int32]
    parent: NDArray[np.int32]
    pri: NDArray[np.int32]
    own: NDArray[np.int8]
    agg: NDArray[np.int32]


def priorities(seed: int, start: int, stop: int) -> NDArray[np.int32]:
    """Heap priorities of node ids ``start..stop-1``: a hash of ``(seed, id)`` in ``0..2**31-1``.

    A node's priority depends only on its id, never on when its array was
    allocated, so a forest grown in several steps is identical to one made at
    its final size.
    """
    ids = np.arange(start, stop, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = ids * np.uint64(0x9E3779B97F4A7C15) + np.uint64((int(seed) * 0xD1B54A32D192ED03) & (2**64 - 1))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return (z >> np.uint64(33)).astype(np.int32)


def grow(s: ETTState, num_nodes: int, seed: int = 0) -> ETTState:
    """The same forest with room for node ids ``0..num_nodes-1``; the new ids are unused
    singletons (not vertex nodes) with the priorities of ``priorities``."""
    old = s.left.shape[0]
    new = int(num_nodes)
    if new <= old:
        return s
    if new >= 2**31:
        raise ValueError(f"Euler-tour node ids are int32: {new} nodes do not fit")

    def ext(a: NDArray[Any], fill: int) -> NDArray[Any]:
        b = np.empty((new,) + a.shape[1:], dtype=a.dtype)
        b[:old] = a
        b[old:] = fill
        return b

    own = ext(s.own, 0)
    own[old:, SIZE] = 1
    agg = ext(s.agg, 0)
    agg[old:, SIZE] = 1
    pri = np.empty(new, dtype=np.int32)
    pri[:old] = s.pri
    pri[old:] = priorities(seed, old, new)
    return ETTState(ext(s.left, -1), ext(s.right, -1), ext(s.parent, -1), pri, own, agg)


def make(num_nodes: int, vertex_nodes: NDArray[np.int64] | None = None, seed: int = 0) -> ETTState:
    """``num_nodes`` singleton trees (``num_nodes < 2**31``).

    ``vertex_nodes`` lists the ids that are vertex nodes (``own[x, VERT] = 1``);
    all other nodes start as unused singletons, to become arc nodes.
    """
    n = max(int(num_nodes), 1)
    empty = np.zeros(0, dtype=np.int32)
    s = grow(ETTState(empty, empty, empty, empty, np.zeros((0, NCH), np.int8), np.zeros((0, NCH), np.int32)), n, seed)
    if vertex_nodes is not None:
        vn = np.asarray(vertex_nodes, dtype=np.int64)
        s.own[vn, VERT] = 1
        s.agg[vn, VERT] = 1
    return s


# ---------------------------------------------------------------------------------
# primitives
# ---------------------------------------------------------------------------------
@kernel
def _pull(s, x):  # type: ignore[no-untyped-def]
    """Recompute ``agg[x]`` from its own counters and its children."""
    left, right, own, agg = s[0], s[1], s[4], s[5]
    a = left[x]
    b = right[x]
    for k in range(NCH):
        t = np.int32(own[x, k])
        if a >= 0:
            t += agg[a, k]
        if b >= 0:
            t += agg[b, k]
        agg[x, k] = t


@kernel
def find_root(s, x):  # type: ignore[no-untyped-def]
    """Root of the treap holding node ``x``."""
    parent = s[2]
    while parent[x] >= 0:
        x = parent[x]
    return x


@kernel
def connected(s, x, y):  # type: ignore[no-untyped-def]
    """Whether nodes ``x`` and ``y`` are in the same tree."""
    return find_root(s, x) == find_root(s, y)


@kernel
def count(s, x, k):  # type: ignore[no-untyped-def]
    """Sum of channel ``k`` over the tree holding ``x``."""
    return s[5][find_root(s, x), k]


@kernel
def tree_size(s, x):  # type: ignore[no-untyped-def]
    """Number of vertex nodes in the tree holding ``x``."""
    return s[5][find_root(s, x), VERT]


@kernel
def _split(s, x, keep_x_left):  # type: ignore[no-untyped-def]
    """Split the sequence holding ``x`` around ``x``; return the two roots (-1: empty).

    Bottom-up: detach one child of ``x``, then walk to the root; every ancestor
    joins the left part (if we came from its right child) or the right part.
    Each part only ever receives descendants of the node it is attached under,
    so both results are valid treaps.
    """
    left, right, parent = s[0], s[1], s[2]
    if keep_x_left:
        r = right[x]
        right[x] = -1
        if r >= 0:
            parent[r] = -1
        lt = x
        rt = r
    else:
        lft = left[x]
        left[x] = -1
        if lft >= 0:
            parent[lft] = -1
        lt = lft
        rt = x
    _pull(s, x)
    cur = x
    p = parent[x]
    parent[x] = -1
    while p >= 0:
        pp = parent[p]
        if right[p] == cur:
            right[p] = lt
            if lt >= 0:
                parent[lt] = p
            lt = p
        else:
            left[p] = rt
            if rt >= 0:
                parent[rt] = p
            rt = p
        parent[p] = -1
        _pull(s, p)
        cur = p
        p = pp
    return lt, rt


@kernel
def split_before(s, x):  # type: ignore[no-untyped-def]
    """``(A, B)``: A = the nodes before ``x``, B = ``x`` and after (roots, -1: empty)."""
    return _split(s, x, False)


@kernel
def split_after(s, x):  # type: ignore[no-untyped-def]
    """``(A, B)``: A = the nodes up to ``x`` inclusive, B = after ``x``."""
    return _split(s, x, True)


@kernel
def merge(s, a, b):  # type: ignore[no-untyped-def]
    """Concatenate the sequences rooted at ``a`` and ``b``; return the new root.

    Top-down along the right spine of ``a`` and the left spine of ``b``: the
    node of larger priority is attached at the current hole; then the
    aggregates are recomputed from the last attached node up to the root.
    """
    if a < 0:
        return b
    if b < 0:
        return a
    left, right, parent, pri = s[0], s[1], s[2], s[3]
    root = -1
    last = -1
    hole_right = False
    while a >= 0 and b >= 0:
        if pri[a] >= pri[b]:
            nxt = a
            a = right[a]
            go_right = True
        else:
            nxt = b
            b = left[b]
            go_right = False
        if last < 0:
            root = nxt
            parent[nxt] = -1
        else:
            if hole_right:
                right[last] = nxt
            else:
                left[last] = nxt
            parent[nxt] = last
        last = nxt
        hole_right = go_right
    rest = a if a >= 0 else b
    if hole_right:
        right[last] = rest
    else:
        left[last] = rest
    if rest >= 0:
        parent[rest] = last
    x = last
    while x >= 0:
        _pull(s, x)
        x = parent[x]
    return root


@kernel
def reroot(s, x):  # type: ignore[no-untyped-def]
    """Rotate the (cyclic) tour holding ``x`` so that it starts at ``x``; return the root."""
    a, b = _split(s, x, False)
    return merge(s, b, a)


@kernel
def link(s, x, y, axy, ayx):  # type: ignore[no-untyped-def]
    """Join the trees of vertex nodes ``x`` and ``y`` (distinct trees) by the arcs
    ``axy`` (x -> y) and ``ayx`` (y -> x), two unused singleton nodes; return the root.

    New tour: ``x ... (x -> y) y ... (y -> x)``.
    """
    rx = reroot(s, x)
    ry = reroot(s, y)
    t = merge(s, rx, axy)
    t = merge(s, t, ry)
    return merge(s, t, ayx)


@kernel
def cut(s, a1, a2):  # type: ignore[no-untyped-def]
    """Remove the tree edge whose arcs are ``a1`` and ``a2``; return the two roots.

    The first root is the piece that lay strictly between the arcs in the tour
    (one endpoint's side), the second the rest.  Both arcs become singletons.
    """
    lft, b = _split(s, a1, False)  # b starts with a1
    if find_root(s, a2) == b:
        # a1 ... a2 ... : lft | a1 mid a2 | tail
        b, tail = _split(s, a2, True)
        _, mid = _split(s, a1, True)
        mid, _ = _split(s, a2, False)
        outer = merge(s, lft, tail)
    else:
        # a2 ... a1 ... : head | a2 mid | a1 tail
        head, mid = _split(s, a2, False)
        _, mid = _split(s, a2, True)
        _, tail = _split(s, a1, True)
        outer = merge(s, head, tail)
    return mid, outer


@kernel
def set_own(s, x, k, val):  # type: ignore[no-untyped-def]
    """Set ``own[x, k] = val`` and fix the subtree sums up to the root."""
    parent, own, agg = s[2], s[4], s[5]
    d = np.int32(val) - np.int32(own[x, k])
    if d == 0:
        return
    own[x, k] = val
    while x >= 0:
        agg[x, k] += d
        x = parent[x]


@kernel
def find_flag(s, x, k):  # type: ignore[no-untyped-def]
    """Some node with ``own[., k] > 0`` in the tree holding ``x``, or -1 (O(depth))."""
    left, right, own, agg = s[0], s[1], s[4], s[5]
    r = find_root(s, x)
    if agg[r, k] <= 0:
        return -1
    while True:
        if own[r, k] > 0:
            return r
        a = left[r]
        if a >= 0 and agg[a, k] > 0:
            r = a
        else:
            r = right[r]


@alloc_kernel
def inorder(left, right, parent, order, start, roots):  # type: ignore[no-untyped-def]
    """Write the in-order sequence of every tree, roots in increasing id order.

    ``order`` (length N) receives the nodes; tree ``j`` (root ``roots[j]``)
    occupies ``order[start[j]:start[j + 1]]``.  Returns the number of trees, or -1 if
    more than N nodes were visited (a cycle).
    """
    N = left.shape[0]
    pos = 0
    j = 0
    stack = np.empty(N + 1, dtype=np.int64)
    for r in range(N):
        if parent[r] >= 0:
            continue
        start[j] = pos
        roots[j] = r
        j += 1
        top = 0
        x = r
        while top > 0 or x >= 0:
            while x >= 0:
                if top > N:
                    return -1
                stack[top] = x
                top += 1
                x = left[x]
            top -= 1
            x = stack[top]
            if pos >= N:
                return -1
            order[pos] = x
            pos += 1
            x = right[x]
    start[j] = pos
    return j


def tour(s: ETTState, x: int) -> list[int]:
    """The sequence (in-order) of the tree holding node ``x`` (for tests)."""
    r = int(find_root(tuple(s), x))
    out: list[int] = []
    stack: list[int] = []
    y = r
    while stack or y >= 0:
        while y >= 0:
            stack.append(y)
            y = int(s.left[y])
        y = stack.pop()
        out.append(y)
        y = int(s.right[y])
    return out


# ---------------------------------------------------------------------------------
# invariants
# ---------------------------------------------------------------------------------
def check(
    s: ETTState,
    tail: NDArray[np.int64] | None = None,
    head: NDArray[np.int64] | None = None,
) -> NDArray[np.int64]:
    """Assert every invariant of the forest; return the root of every node (O(N log N)).

    Always: parent/child pointers agree, priorities are heap ordered, ``own[:, SIZE]``
    is 1 and ``agg`` holds the subtree sums of ``own``.  With ``tail`` and
    ``head`` (per node: ``tail[x] == head[x] == x`` for a vertex node, the two
    endpoints' vertex nodes for an arc node, -1 for an unused node), also that
    every tree's in-order sequence is the Euler tour of a tree: consecutive
    nodes meet at a vertex (cyclically), each tree has ``2 (V - 1)`` arcs whose
    endpoints lie in it, every arc's reverse is in the tree exactly once, the
    ``VERT`` counter marks exactly the vertex nodes, and unused nodes are
    singletons with no flags.
    """
    left, right, parent, pri, own, agg = s
    N = left.shape[0]
    assert left.dtype == right.dtype == parent.dtype == pri.dtype == np.int32
    assert own.dtype == np.int8 and agg.dtype == np.int32 and own.shape == agg.shape == (N, NCH)
    ids = np.arange(N)
    for arr, name in ((left, "left"), (right, "right"), (parent, "parent")):
        assert np.all((arr >= -1) & (arr < N)), f"{name} pointer out of range"
    hl, hr = left >= 0, right >= 0
    assert np.all(parent[left[hl]] == ids[hl]), "left child's parent pointer is wrong"
    assert np.all(parent[right[hr]] == ids[hr]), "right child's parent pointer is wrong"
    hp = parent >= 0
    p = parent[hp]
    assert np.all((left[p] == ids[hp]) | (right[p] == ids[hp])), "node is not a child of its parent"
    assert not np.any(hl & hr & (left == right)), "left and right child coincide"
    assert np.all(pri[left[hl]] <= pri[hl]), "heap order violated (left)"
    assert np.all(pri[right[hr]] <= pri[hr]), "heap order violated (right)"
    assert np.all(own[:, SIZE] == 1), "own SIZE must be 1"
    assert np.all((own[:, 1:] == 0) | (own[:, 1:] == 1)), "own flags must be 0/1"
    exp = own.astype(np.int64)
    exp[hl] += agg[left[hl]]
    exp[hr] += agg[right[hr]]
    assert np.array_equal(exp, agg), "subtree aggregates are wrong"
    order = np.empty(N, dtype=np.int64)
    start = np.empty(N + 1, dtype=np.int64)
    roots = np.empty(N, dtype=np.int64)
    k = int(inorder(left, right, parent, order, start, roots))
    assert k >= 0, "a cycle in the pointers"
    assert int(start[k]) == N and np.array_equal(np.sort(order), ids), "some node is unreachable from a root"
    tree = np.repeat(np.arange(k), np.diff(start[: k + 1]))
    root_of = np.empty(N, dtype=np.int64)
    roots = roots[:k]
    root_of[order] = roots[tree]
    assert np.array_equal(agg[roots, SIZE], np.diff(start[: k + 1])), "SIZE aggregate != tree size"
    if tail is None or head is None:
        return root_of
    tail = np.asarray(tail, dtype=np.int64)
    head = np.asarray(head, dtype=np.int64)
    unused = tail < 0
    assert np.array_equal(unused, head < 0)
    isv = (tail == ids) & (head == ids)
    arc = ~unused & ~isv
    assert np.array_equal(own[:, VERT] == 1, isv), "VERT must mark exactly the vertex nodes"
    if np.any(unused):
        assert np.all((left[unused] < 0) & (right[unused] < 0) & (parent[unused] < 0)), "unused node in a tree"
        assert np.all(own[unused, 1:] == 0), "unused node carries flags"
    if np.any(arc):
        assert np.all(isv[tail[arc]] & isv[head[arc]]), "arc endpoint is not a vertex node"
        assert np.all(tail[arc] != head[arc]), "arc is a loop"
        assert np.all(root_of[tail[arc]] == root_of[arc]), "arc tail in another tree"
        assert np.all(root_of[head[arc]] == root_of[arc]), "arc head in another tree"
    # consecutive nodes (cyclically within a tree) meet at a vertex
    seq = order
    nxt = np.empty(N, dtype=np.int64)
    nxt[:-1] = seq[1:]
    last = start[1 : k + 1] - 1
    nxt[last] = seq[start[:k]]
    pos_arc = ~unused[seq]
    assert np.all(head[seq][pos_arc] == tail[nxt][pos_arc]), "in-order sequence is not an Euler tour"
    # per tree: 2 (V - 1) arcs, each reverse arc present once
    nv = np.bincount(root_of[isv], minlength=N)
    na = np.bincount(root_of[arc], minlength=N)
    used_roots = roots[~unused[roots]]
    assert np.all(nv[used_roots] >= 1), "a tree without a vertex node"
    assert np.array_equal(na[used_roots], 2 * (nv[used_roots] - 1)), "arc count != 2 (V - 1)"
    if np.any(arc):
        pairs = np.stack([root_of[arc], tail[arc], head[arc]], axis=1)
        fwd = np.unique(pairs, axis=0)
        assert fwd.shape[0] == pairs.shape[0], "a directed arc occurs twice in a tree"
        rev = np.unique(pairs[:, [0, 2, 1]], axis=0)
        assert np.array_equal(fwd, rev), "an arc without its reverse"
    return root_of
