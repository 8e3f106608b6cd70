"""Offline all-pairs shortest paths: segment tree over time + the undo APSP structure.

The skeleton of ``structures.offline`` (docs/pages/design.md, section 5) with
``structures.apsp_dense`` as the undo structure: every life ``[ins, del)``
of an arc is split over the O(log T) canonical nodes of a segment tree over the
days; a depth-first walk inserts a node's arcs on the way down (after a
``mark``) and undoes them on the way up, so each leaf holds exactly the graph
of its day.  Lives come from ``structures.offline.edge_lives`` applied to
arc keys (both endpoints of the "edge" are the key), and the layout holds
life indices, whose arcs and weights are the payload rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from . import apsp_dense
from . import apsp_dynamic
from . import offline as _off
from ._jit import kernel


def arc_lives(n: int, op: NDArray[np.int8], u: NDArray[np.int64], v: NDArray[np.int64],
              directed: bool) -> _off.Lives:
    """Lives of arcs (``u * n + v``; ``min * n + max`` when undirected); ``a`` and ``b`` hold the arc key."""
    key = u * n + v if directed else np.minimum(u, v) * n + np.maximum(u, v)
    return _off.edge_lives(op, key, key)


@kernel
def _traverse(state, T, size, ptr, life, pay_i, pay_f, queries, check_cycles, out, marks,  # type: ignore[no-untyped-def]
              lo, hi, ins_life, del_life, ndel, nins, qstart):
    """Answer ``queries`` (rows (day, x, y)) into ``out`` (zeros); with ``check_cycles``
    visit every leaf up to ``T`` and stop at the first arc that closes a negative cycle.
    ``marks`` has room for one undo mark per tree level.  Returns the bad day (0: none).

    Monotone windows are swept instead of descended: when a node's days hold
    insertions only (``ndel``: prefix counts of deletions), the arcs inserted
    inside it are inserted once each in day order, answering each day's
    queries after its insertion; when they hold deletions only (and cycles are
    not checked), the arcs deleted inside it are inserted in reverse day order,
    answering the days from the last to the first.  Either way each such arc is
    inserted once at that node instead of once per canonical node below it.
    ``ins_life[t]`` / ``del_life[t]``: the life starting / ending on day ``t``;
    ``qstart[t]``: the first query of day ``t`` or later.
    """
    q = queries.shape[0]
    d = state[0]
    und = state[7][apsp_dense.UNDIRECTED] != 0
    j = 0
    while j < q and queries[j, 0] == 0:
        out[j] = 0.0 if queries[j, 1] == queries[j, 2] else np.inf
        j += 1
    if T == 0 or (j == q and not check_cycles):
        return 0
    logsize = 0
    while (1 << logsize) < size:
        logsize += 1
    node = 1
    dep = 0
    while True:
        h = logsize - dep
        first = (node << h) - size + 1
        descended = False
        wanted = check_cycles or (j < q and queries[j, 0] < first + (1 << h))
        if first <= T and wanted:
            marks[dep] = apsp_dense.mark(state)
            for e in range(ptr[node], ptr[node + 1]):
                i = life[e]
                if check_cycles:
                    a = pay_i[i, 0]
                    b = pay_i[i, 1]
                    w = pay_f[i]
                    if d[b, a] + w < 0.0 or (und and (w < 0.0 or d[a, b] + w < 0.0)):
                        return first
                apsp_dense.insert(state, pay_i, pay_f, i)
            full = first + (1 << h) - 1  # the node's last day
            last = min(full, T)
            sweep = 0
            if h > 0 and full <= T:  # a node past the horizon holds clipped lives below it
                if ndel[last] == ndel[first - 1]:
                    sweep = 1
                elif nins[last] == nins[first - 1] and not check_cycles:
                    sweep = 2
            if sweep == 1:
                for t in range(first, last + 1):
                    i = ins_life[t]
                    # a life starting on the node's first day may cover the node: then it is in already
                    if not (lo[i] <= first and min(hi[i] - 1, T) >= full):
                        if check_cycles:
                            a = pay_i[i, 0]
                            b = pay_i[i, 1]
                            w = pay_f[i]
                            if d[b, a] + w < 0.0 or (und and (w < 0.0 or d[a, b] + w < 0.0)):
                                return t
                        apsp_dense.insert(state, pay_i, pay_f, i)
                    for jj in range(qstart[t], qstart[t + 1]):
                        out[jj] = d[queries[jj, 1], queries[jj, 2]]
                j = qstart[last + 1]
            elif sweep == 2:
                for t in range(last, first - 1, -1):
                    for jj in range(qstart[t], qstart[t + 1]):
                        out[jj] = d[queries[jj, 1], queries[jj, 2]]
                    if t > first:
                        apsp_dense.insert(state, pay_i, pay_f, del_life[t])  # present until day t - 1
                j = qstart[last + 1]
            if sweep != 0 or h == 0:
                if h == 0:
                    while j < q and queries[j, 0] == first:
                        out[j] = d[queries[j, 1], queries[j, 2]]
                        j += 1
                if j == q and not check_cycles:
                    return 0
                apsp_dense.undo_to(state, marks[dep])
            else:
                node = 2 * node
                dep += 1
                descended = True
        if descended:
            continue
        while node & 1:
            if node == 1:
                return 0
            node >>= 1
            dep -= 1
            apsp_dense.undo_to(state, marks[dep])
        node += 1


def grid_weights(n: int, op: NDArray[np.int8], u: NDArray[np.int64], v: NDArray[np.int64],
                 w: NDArray[np.float64], directed: bool) -> tuple[NDArray[np.float64], int, int]:
    """The weights the kernels use: ``(stored weights, grid exponent, first rejected row or -1)``.

    Each inserted weight is rounded to the grid of ``structures.apsp_dense.quantum``
    (exponent from the largest ``|w|`` of the sequence, with the usual head-room,
    as a [`dynalgo.DynamicAPSP`][dynalgo.DynamicAPSP] fed the same batch would choose), and when
    some weight is negative the sequence is replayed in order on the fully
    dynamic structure, which raises each weight by its bump and finds the first
    insertion that closes a negative cycle (``structures.apsp_dynamic.apply_batch``).
    """
    ins = op == 1
    big = float(np.max(np.abs(w[ins]))) if np.any(ins) else 0.0
    e = apsp_dense.grid_exponent(big, n)
    wq = np.where(ins, apsp_dense.to_grid(w, e, n), 0.0)
    bad = -1
    if np.any(wq[ins] < 0.0):
        state = apsp_dynamic.make(n, not directed)
        bad = int(apsp_dynamic.apply_batch(state, op.astype(np.int64), u, v, wq, apsp_dense.cycle_band(e, n), 1))
    return wq, e, bad


def offline_apsp(n: int, op: NDArray[np.int8], u: NDArray[np.int64], v: NDArray[np.int64],
                 w: NDArray[np.float64], queries: NDArray[np.int64], *, directed: bool = True,
                 check_cycles: bool = False) -> tuple[NDArray[np.float64], int, _off.Lives]:
    """Distances for every query row ``(day, x, y)`` of a consistent update sequence.

    Returns ``(answers, bad day, lives)``: with ``check_cycles`` every day of the
    sequence is visited and ``bad day`` is the first day whose graph has a
    negative cycle (0: none; the answers are then incomplete).  ``lives.status``
    reports an inconsistent sequence (nothing else is computed then).
    """
    lives = arc_lives(n, op, u, v, directed)
    q = np.ascontiguousarray(queries, dtype=np.int64).reshape(-1, 3)
    if lives.status != _off.OK or (q.shape[0] == 0 and not check_cycles):
        return np.zeros(q.shape[0], dtype=np.float64), 0, lives
    horizon = op.shape[0] if check_cycles else int(q[-1, 0])
    L = lives.lo.shape[0]
    idx = np.arange(L, dtype=np.int32)
    layout = _off.segment_layout(horizon, _off.Lives(lives.lo, lives.hi, idx, idx, lives.status, lives.where))
    rows = lives.lo.astype(np.int64) - 1
    pay_i = np.stack([u[rows], v[rows]], axis=1).astype(np.int32).reshape(-1, 2)
    pay_f = np.ascontiguousarray(w[rows], dtype=np.float64)
    logsize = max(int(layout.size).bit_length(), 1)
    state = apsp_dense.make(n, apsp_dense.log_capacity(n, logsize + 2), not directed)
    out = np.zeros(q.shape[0], dtype=np.float64)
    marks = np.empty(logsize + 2, dtype=np.int64)
    T = op.shape[0]
    ndel = np.zeros(T + 2, dtype=np.int64)
    ndel[1:-1] = np.cumsum(op == 0)
    ndel[-1] = ndel[-2]
    nins = np.zeros(T + 2, dtype=np.int64)
    nins[1:-1] = np.cumsum(op == 1)
    nins[-1] = nins[-2]
    ins_life = np.zeros(T + 2, dtype=np.int64)
    ins_life[lives.lo] = np.arange(L)
    del_life = np.zeros(T + 2, dtype=np.int64)
    ended = lives.hi <= T
    del_life[lives.hi[ended]] = np.flatnonzero(ended)
    qstart = np.searchsorted(q[:, 0], np.arange(T + 3), side="left").astype(np.int64)
    bad = _traverse(tuple(state), horizon, layout.size, layout.ptr, layout.ea, pay_i, pay_f, q, check_cycles, out, marks,
                    lives.lo, lives.hi, ins_life, del_life, ndel, nins, qstart)
    return out, int(bad), lives
