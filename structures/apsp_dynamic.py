"""Fully dynamic all-pairs shortest paths: the backstop of the APSP race (docs/pages/design.md, section 7).

Insertion (or a weight decrease): the pruned relaxation of
``structures.apsp_dense``, here with a predecessor matrix, so each
changing row searches the out-tree of ``v`` instead of the in-tree of ``u``
(``_relax``).  Deletion of the
arc ``(u, v)``: the sources ``x`` whose shortest-path out-tree uses the arc are
those with ``pred[x, v] == u`` (one column scan).  For each of them only the
subtree ``A`` of ``v`` in that tree can change; it is repaired as in
Ramalingam and Reps (J. Algorithms 21, 1996): collect ``A`` by walking the
tree, seed each vertex of ``A`` with its best arc from outside ``A``, then run
Dijkstra inside ``A`` on the keys ``new d[x, y] - old d[x, y]``.  The old
distances are a feasible potential for every remaining arc, so the keys are
non-negative even with negative arc weights (Johnson's reweighting with the
old row as the potential), and Dijkstra stays exact.  Cost per deletion
O(n + sum over affected sources of (arcs at A) log n); rows and targets that do
not use the arc are never touched.

Work units (deterministic): one per row tested in a column scan, one per cell
examined by a relaxation, one per arc scanned by a repair and ``ceil(log2 n)``
per heap operation.

State (a tuple, as returned by ``make``)::

    d      : float64[n, n]  distances;  pred : int32[n, n] the vertex before y on the path x -> y (-1: none)
    W      : float64[n, n]  present arc weights (inf: absent)
    adj    : int32[4, n, n] out-neighbours, position in the out-list, in-neighbours, position in the in-list
    deg    : int32[2, n]    out- and in-degrees
    key    : float64[2, n]  heap keys and tentative distances of a repair
    iscr   : int32[6, n]    heap, heap positions, members of A, tentative predecessors, scratch, sources
    mark   : int64[n]       membership stamps of a repair
    meta   : int64[12]      [stamp counter, undirected flag, present arcs, heap log factor, the paused job]

Pausing
-------
``step`` applies an update with a work budget and may stop between two
rows of an insertion's relaxation or between two sources of a deletion's
repair; the next call of ``step`` (or ``finish``) resumes it.  Each row
and each source is repaired independently of the others (row ``v`` and column
``u`` never change during an insertion; a source's repair touches only its own
row), so pausing changes neither the result nor the work.  While an update is
paused the structure must not be read or given another update: the race reads
the backstop only on days it has completed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._jit import kernel
from .apsp_dense import check_triangle, close_values, walks_are_trees

STAMP = 0
UNDIRECTED = 1
N_ARCS = 2
LOGN = 3
# a paused update (``step``): its kind, arc, position, sources, and whether the reverse arc follows
J_KIND = 4  # JOB_NONE, JOB_INSERT or JOB_DELETE
J_U = 5
J_V = 6
J_POS = 7  # insertion: next row to relax; deletion: next source to repair
J_N = 8  # deletion: number of affected sources
J_SECOND = 9  # 1: the arc (v, u) of an undirected edge is still to be updated
META_SIZE = 12

JOB_NONE = 0
JOB_INSERT = 1
JOB_DELETE = 2

OUT, OUTPOS, IN, INPOS = 0, 1, 2, 3
HEAP, HPOS, AL, NPRED, SCR, SRC = 0, 1, 2, 3, 4, 5


class DynamicState(NamedTuple):
    d: NDArray[np.float64]
    pred: NDArray[np.int32]
    W: NDArray[np.float64]
    adj: NDArray[np.int32]
    deg: NDArray[np.int32]
    key: NDArray[np.float64]
    iscr: NDArray[np.int32]
    mark: NDArray[np.int64]
    meta: NDArray[np.int64]


def make(n: int, undirected: bool = False) -> DynamicState:
    """The structure of ``n`` vertices and no arcs."""
    d = np.full((n, n), np.inf, dtype=np.float64)
    np.fill_diagonal(d, 0.0)
    meta = np.zeros(META_SIZE, dtype=np.int64)
    meta[UNDIRECTED] = 1 if undirected else 0
    meta[LOGN] = max(1, int(np.ceil(np.log2(max(n, 2)))))
    iscr = np.zeros((6, n), dtype=np.int32)
    iscr[HPOS] = -1
    return DynamicState(d, np.full((n, n), -1, dtype=np.int32), np.full((n, n), np.inf, dtype=np.float64),
                        np.zeros((4, n, n), dtype=np.int32), np.zeros((2, n), dtype=np.int32),
                        np.zeros((2, n), dtype=np.float64), iscr, np.zeros(n, dtype=np.int64), meta)


def copy(state: DynamicState) -> DynamicState:
    """An independent copy."""
    return DynamicState(state.d.copy(), state.pred.copy(), state.W.copy(), state.adj.copy(), state.deg.copy(),
                        state.key.copy(), state.iscr.copy(), state.mark.copy(), state.meta.copy())


# ---------------------------------------------------------------------------------
# insertion
# ---------------------------------------------------------------------------------
@kernel
def _relax_setup(d, pred, head, nxt, u, v, w):  # type: ignore[no-untyped-def]
    """Children lists of the out-tree of ``v`` for a relaxation through ``(u, v, w)``; return
    ``(work, rows)``: ``rows`` is 0 when nothing can change, else ``n``."""
    n = d.shape[0]
    if u == v or not (w < d[u, v]):
        return 1, 0
    pv = pred[v]
    for y in range(n):
        head[y] = -1
    for y in range(n):
        p = pv[y]
        if p >= 0:
            nxt[y] = head[p]
            head[p] = y
    return 1 + 2 * n, n


@kernel
def _relax_rows(d, pred, head, nxt, stk, u, v, w, x0, budget):  # type: ignore[no-untyped-def]
    """Relax rows ``x0, x0 + 1, ...`` through the arc ``(u, v, w)`` until about ``budget`` units
    are spent; return ``(work, next row)`` (``n``: done).

    In each row ``x`` that can change (``d[x, u] + w < d[x, v]``) the improved
    columns form a subtree of the shortest-path out-tree of ``v`` (parent of
    ``y``: ``pred[v, y]``): if ``(x, y)`` improves through the arc, so does
    ``(x, pred[v, y])``.  So each such row is a search of that tree from ``v``
    that stops at columns that do not improve.  Rows are independent: row ``v``
    and column ``u`` do not change.
    """
    n = d.shape[0]
    dv = d[v]
    pv = pred[v]
    work = 0
    x = x0
    # rows are indexed in place (a row view per row would cost an atomic refcount pair)
    while x < n:
        if work >= budget:
            return work, x
        a = d[x, u] + w
        work += 1
        if a < d[x, v]:
            d[x, v] = a
            pred[x, v] = u
            stk[0] = v
            sp = 1
            while sp > 0:
                sp -= 1
                z = stk[sp]
                y = head[z]
                while y >= 0:
                    c = a + dv[y]
                    work += 1
                    if c < d[x, y]:
                        d[x, y] = c
                        pred[x, y] = pv[y]
                        stk[sp] = y
                        sp += 1
                    y = nxt[y]
        x += 1
    return work, n


@kernel
def _relax(d, pred, head, nxt, stk, u, v, w):  # type: ignore[no-untyped-def]
    """Relax every pair through the new arc ``(u, v, w)``; return the work."""
    work, rows = _relax_setup(d, pred, head, nxt, u, v, w)
    if rows == 0:
        return work
    w2, _x = _relax_rows(d, pred, head, nxt, stk, u, v, w, 0, 1 << 62)
    return work + w2


@kernel
def _attach(state, u, v, w):  # type: ignore[no-untyped-def]
    """Record the absent arc ``(u, v)`` of weight ``w`` in ``W`` and the adjacency lists."""
    d, pred, W, adj, deg, key, iscr, mark, meta = state
    W[u, v] = w
    k = deg[0, u]
    adj[OUT, u, k] = v
    adj[OUTPOS, u, v] = k
    deg[0, u] = k + 1
    k = deg[1, v]
    adj[IN, v, k] = u
    adj[INPOS, v, u] = k
    deg[1, v] = k + 1
    meta[N_ARCS] += 1


@kernel
def insert_arc(state, u, v, w):  # type: ignore[no-untyped-def]
    """Add the absent arc ``(u, v)`` of weight ``w``; return the work.  No negative cycle may arise."""
    _attach(state, u, v, w)
    iscr = state[6]
    return _relax(state[0], state[1], iscr[AL], iscr[NPRED], iscr[SCR], u, v, w)


@kernel
def _repair(state, x, v):  # type: ignore[no-untyped-def]
    """Ramalingam-Reps repair of row ``x`` after the tree arc into ``v`` was removed."""
    d, pred, W, adj, deg, key, iscr, mark, meta = state
    logn = meta[LOGN]
    st = meta[STAMP] + 2
    meta[STAMP] = st
    inA = st  # in A, not settled
    done = st + 1  # settled
    al = iscr[AL]
    npred = iscr[NPRED]
    heap = iscr[HEAP]
    hpos = iscr[HPOS]
    hk = key[0]
    cur = key[1]
    dx = d[x]
    px = pred[x]
    out = adj[OUT]
    inn = adj[IN]
    # A: the subtree of v in x's shortest-path out-tree
    al[0] = v
    mark[v] = inA
    na = 1
    i = 0
    work = 0
    while i < na:
        z = al[i]
        i += 1
        dz = deg[0, z]
        work += dz
        for k in range(dz):
            y = out[z, k]
            if px[y] == z and mark[y] != inA:
                mark[y] = inA
                al[na] = y
                na += 1
    # seeds: the best arc from outside A
    size = 0
    for i in range(na):
        y = al[i]
        best = np.inf
        bp = -1
        di = deg[1, y]
        work += di
        for k in range(di):
            z = inn[y, k]
            if mark[z] != inA:
                c = dx[z] + W[z, y]
                if c < best:
                    best = c
                    bp = z
        cur[y] = best
        npred[y] = bp
        if bp >= 0:
            hk[y] = best - dx[y]
            # push y (sift up written out: helpers taking arrays cost refcount traffic)
            i = size
            size += 1
            while i > 0:
                pp = (i - 1) >> 1
                yy = heap[pp]
                if hk[yy] <= hk[y]:
                    break
                heap[i] = yy
                hpos[yy] = i
                i = pp
            heap[i] = y
            hpos[y] = i
            work += logn
    # Dijkstra inside A on the keys new - old (non-negative: the old row is a potential)
    while size > 0:
        y = heap[0]
        hpos[y] = -1
        size -= 1
        if size > 0:
            x0 = heap[size]
            kx = hk[x0]
            i = 0
            while True:
                cc = 2 * i + 1
                if cc >= size:
                    break
                if cc + 1 < size and hk[heap[cc + 1]] < hk[heap[cc]]:
                    cc += 1
                yy = heap[cc]
                if hk[yy] >= kx:
                    break
                heap[i] = yy
                hpos[yy] = i
                i = cc
            heap[i] = x0
            hpos[x0] = i
        work += logn
        mark[y] = done
        dy = cur[y]
        dx[y] = dy
        px[y] = npred[y]
        do = deg[0, y]
        work += do
        for k in range(do):
            t = out[y, k]
            if mark[t] == inA:
                c = dy + W[y, t]
                if c < cur[t]:
                    cur[t] = c
                    npred[t] = y
                    hk[t] = c - dx[t]
                    if hpos[t] < 0:
                        i = size
                        size += 1
                    else:
                        i = hpos[t]
                    while i > 0:
                        pp = (i - 1) >> 1
                        yy = heap[pp]
                        if hk[yy] <= hk[t]:
                            break
                        heap[i] = yy
                        hpos[yy] = i
                        i = pp
                    heap[i] = t
                    hpos[t] = i
                    work += logn
    # vertices of A that are no longer reachable
    for i in range(na):
        y = al[i]
        if mark[y] == inA:
            dx[y] = np.inf
            px[y] = -1
        mark[y] = 0
    return work + na


@kernel
def _detach(state, u, v):  # type: ignore[no-untyped-def]
    """Remove the present arc ``(u, v)`` from ``W`` and the adjacency lists and collect the
    sources whose tree uses it into ``iscr[SRC]``; return their number."""
    d, pred, W, adj, deg, key, iscr, mark, meta = state
    n = d.shape[0]
    W[u, v] = np.inf
    # swap-delete from the adjacency lists
    k = adj[OUTPOS, u, v]
    last = deg[0, u] - 1
    z = adj[OUT, u, last]
    adj[OUT, u, k] = z
    adj[OUTPOS, u, z] = k
    deg[0, u] = last
    k = adj[INPOS, v, u]
    last = deg[1, v] - 1
    z = adj[IN, v, last]
    adj[IN, v, k] = z
    adj[INPOS, v, z] = k
    deg[1, v] = last
    meta[N_ARCS] -= 1
    src = iscr[SRC]
    ns = 0
    for x in range(n):
        if pred[x, v] == u:
            src[ns] = x
            ns += 1
    return ns


@kernel
def delete_arc(state, u, v):  # type: ignore[no-untyped-def]
    """Remove the present arc ``(u, v)`` and repair the affected rows; return the work."""
    ns = _detach(state, u, v)
    src = state[6][SRC]
    work = state[0].shape[0]
    for j in range(ns):
        work += _repair(state, src[j], v)
    return work


@kernel
def _start(state, op, u, v, w, second):  # type: ignore[no-untyped-def]
    """Begin the update of one arc as a paused job; return the work of its first part."""
    d, pred, W, adj, deg, key, iscr, mark, meta = state
    meta[J_U] = u
    meta[J_V] = v
    meta[J_SECOND] = second
    meta[J_POS] = 0
    if op == 1:
        _attach(state, u, v, w)
        work, rows = _relax_setup(d, pred, iscr[AL], iscr[NPRED], u, v, w)
        meta[J_KIND] = JOB_INSERT if rows > 0 else JOB_NONE
        meta[J_N] = rows
    else:
        meta[J_N] = _detach(state, u, v)
        meta[J_KIND] = JOB_DELETE
        work = d.shape[0]
    return work


@kernel
def step(state, op, u, v, w, budget):  # type: ignore[no-untyped-def]
    """Work on an update for about ``budget`` units; return ``(work, done)``.

    If no update is paused, start this one (``op`` 1 insert, 0 delete, of an arc
    or of both arcs of an undirected edge); otherwise the arguments are ignored
    and the paused update continues.  ``done`` is True when the update is
    complete (it may overshoot the budget by one row or one source).
    """
    d, pred, W, adj, deg, key, iscr, mark, meta = state
    work = 0
    if meta[J_KIND] == JOB_NONE and meta[J_SECOND] == 0:
        second = 1 if (meta[UNDIRECTED] != 0 and u != v) else 0
        work += _start(state, op, u, v, w, second)
    while True:
        kind = meta[J_KIND]
        if kind == JOB_INSERT:
            a = meta[J_U]
            b = meta[J_V]
            wk, x = _relax_rows(d, pred, iscr[AL], iscr[NPRED], iscr[SCR], a, b, W[a, b], meta[J_POS],
                                max(budget - work, 1))
            work += wk
            meta[J_POS] = x
            if x >= meta[J_N]:
                meta[J_KIND] = JOB_NONE
        elif kind == JOB_DELETE:
            src = iscr[SRC]
            b = meta[J_V]
            j = meta[J_POS]
            ns = meta[J_N]
            while j < ns:
                work += _repair(state, src[j], b)
                j += 1
                if work >= budget:
                    break
            meta[J_POS] = j
            if j >= ns:
                meta[J_KIND] = JOB_NONE
        if meta[J_KIND] != JOB_NONE:
            return work, False
        if meta[J_SECOND] == 0:
            return work, True
        # the reverse arc of an undirected edge (same operation, same weight)
        a = meta[J_U]
        b = meta[J_V]
        op2 = 1 if W[a, b] < np.inf else 0
        work += _start(state, op2, b, a, W[a, b], 0)
        if work >= budget and meta[J_KIND] != JOB_NONE:
            return work, False


@kernel
def paused(state):  # type: ignore[no-untyped-def]
    """Whether an update is paused (started by ``step`` and not complete)."""
    meta = state[8]
    return meta[J_KIND] != JOB_NONE or meta[J_SECOND] != 0


@kernel
def finish(state):  # type: ignore[no-untyped-def]
    """Complete a paused update (no-op if none); return the work."""
    if not paused(state):
        return 0
    work, _done = step(state, 0, 0, 0, 0.0, 1 << 62)
    return work


@kernel
def apply(state, op, u, v, w):  # type: ignore[no-untyped-def]
    """One update (``op`` 1 insert, 0 delete) of an arc, or of both arcs of an undirected edge."""
    if op == 1:
        work = insert_arc(state, u, v, w)
        if state[8][UNDIRECTED] != 0 and u != v:
            work += insert_arc(state, v, u, w)
    else:
        work = delete_arc(state, u, v)
        if state[8][UNDIRECTED] != 0 and u != v:
            work += delete_arc(state, v, u)
    return work


@kernel
def apply_batch(state, op, u, v, w, band, mode):  # type: ignore[no-untyped-def]
    """Apply updates in order; return the index of the first rejected insertion (-1: none).

    ``mode`` 0: apply as given.  Otherwise every insertion is first tested and
    its weight ``w[k]`` raised in place to the least value that closes no
    negative cycle, ``max(w, -d[v, u])`` (and at least 0 for an undirected edge,
    a cycle of two arcs): the *bump* of the numeric contract, which turns a cycle
    that is negative only by rounding into a zero cycle.  Mode 1 stops before
    (returns the index of) an insertion whose cycle ``d[v, u] + w`` (``2 w``
    for an undirected edge) is below ``-band``; mode 2 never rejects.  With grid
    weights every value here is exact.
    """
    d = state[0]
    und = state[8][UNDIRECTED] != 0
    for k in range(op.shape[0]):
        if mode != 0 and op[k] == 1:
            wk = w[k]
            back = d[v[k], u[k]]
            c = back + wk
            if und and 2.0 * wk < c:
                c = 2.0 * wk
            if mode == 1 and c < -band:
                return k
            if wk < -back:
                wk = -back
            if und and wk < 0.0:
                wk = 0.0
            w[k] = wk
        apply(state, op[k], u[k], v[k], w[k])
    return -1


@kernel
def run_batch(state, op, u, v, w, queries, out):  # type: ignore[no-untyped-def]
    """Apply updates in order, answering query rows ``(day, x, y)`` (non-decreasing batch days,
    0 = before the first update) into ``out``; return the work."""
    d = state[0]
    q = queries.shape[0]
    j = 0
    work = 0
    while j < q and queries[j, 0] == 0:
        out[j] = d[queries[j, 1], queries[j, 2]]
        j += 1
    for k in range(op.shape[0]):
        work += apply(state, op[k], u[k], v[k], w[k])
        while j < q and queries[j, 0] == k + 1:
            out[j] = d[queries[j, 1], queries[j, 2]]
            j += 1
    return work


@kernel
def path(pred, d, x, y, out):  # type: ignore[no-untyped-def]
    """Write the path ``x -> y`` into ``out``; return its number of vertices (0: none)."""
    if x == y:
        out[0] = x
        return 1
    if d[x, y] == np.inf:
        return 0
    n = d.shape[0]
    k = 0
    z = y
    while z != x and k < n:
        out[k] = z
        k += 1
        z = pred[x, z]
        if z < 0:
            return 0
    out[k] = x
    k += 1
    for i in range(k // 2):
        t = out[i]
        out[i] = out[k - 1 - i]
        out[k - 1 - i] = t
    return k


def check(state: DynamicState, rtol: float = 1e-9) -> None:
    """Assert every invariant: adjacency lists match ``W``, zero diagonal, the triangle
    inequality over present arcs, every finite distance realized by its predecessor.  A paused
    update is completed first, on a copy."""
    if paused(state):
        state = copy(state)
        finish(state)
    d, pred, W, adj, deg, key, iscr, mark, meta = state
    n = d.shape[0]
    fin_w = np.isfinite(W)
    assert int(meta[N_ARCS]) == int(np.count_nonzero(fin_w)), "arc count disagrees with W"
    for x in range(n):
        outs = adj[OUT, x, : deg[0, x]]
        ins = adj[IN, x, : deg[1, x]]
        assert sorted(outs.tolist()) == np.flatnonzero(fin_w[x]).tolist(), f"out-list of {x} disagrees with W"
        assert sorted(ins.tolist()) == np.flatnonzero(fin_w[:, x]).tolist(), f"in-list of {x} disagrees with W"
        assert np.array_equal(adj[OUTPOS, x, outs], np.arange(outs.shape[0])), "out-list positions"
        assert np.array_equal(adj[INPOS, x, ins], np.arange(ins.shape[0])), "in-list positions"
    assert np.all(mark == 0), "repair stamps left behind"
    assert np.all(iscr[HPOS] == -1), "heap not empty"
    if meta[UNDIRECTED]:
        assert np.array_equal(W, W.T), "undirected structure with an asymmetric arc"
    assert not np.any(np.isnan(d)) and np.all(np.diag(d) == 0.0), "bad diagonal (or a negative cycle)"

    def close(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.bool_]:
        return close_values(a, b, rtol)

    check_triangle(d, W, rtol)
    off = ~np.eye(n, dtype=bool)
    fin = np.isfinite(d) & off
    assert np.all(pred[~fin] == -1), "predecessor of an unreachable pair or of a diagonal cell"
    xs, ys = np.nonzero(fin)
    p = pred[xs, ys].astype(np.int64)
    assert np.all((p >= 0) & (p < n)), "finite distance without a predecessor"
    assert np.all(np.isfinite(W[p, ys])), "predecessor is not an in-neighbour"
    assert np.all(close(d[xs, ys], d[xs, p] + W[p, ys])), "distance not realized by the predecessor"
    bad = int(walks_are_trees(pred, False))
    assert bad < 0, f"the predecessor walks from {bad} cycle (a walk longer than n)"
    if n <= 64:
        out = np.empty(n + 1, dtype=np.int64)
        for x, y in zip(xs.tolist(), ys.tolist()):
            m = int(path(pred, d, x, y, out))
            assert m >= 2 and out[0] == x and out[m - 1] == y and len(set(out[:m].tolist())) == m, \
                f"predecessor walk {x} -> {y} is not a simple path"
