"""Incremental all-pairs shortest paths with undo: the base of the lifted and offline APSP.

A dense distance matrix ``d`` (float64, ``inf`` = unreachable) with a next-hop
matrix ``succ`` and the matrix ``W`` of present arc weights.  Inserting the arc
``(u, v, w)`` relaxes ``d[x, y] = min(d[x, y], d[x, u] + w + d[v, y])`` for all
pairs (docs/pages/design.md, section 6), pruned twice:

* if ``w >= d[u, v]`` nothing changes (O(1));
* only rows ``x`` with ``d[x, u] + w < d[x, v]`` can change (a column scan), and
  in those rows only the columns ``Y`` improved in row ``u`` itself: if
  ``d[x, u] + w + d[v, y] < d[x, y] <= d[x, u] + d[u, y]`` then
  ``w + d[v, y] < d[u, y]``.  Cost O(n + |X| |Y|), worst case O(n^2).  Better still, rows are visited
  down the in-tree of ``u`` and each row tries only the columns its parent
  improved (``insert_arc``).

Row ``v`` never changes during an insertion (that would need a negative cycle
through the new arc), and neither does column ``u`` of any row, so the
relaxation can run in place.  The caller guarantees that no negative cycle is
created (test ``closes_negative_cycle`` first): the lifted engine only ever
holds subsets of a valid graph, and a subgraph of a graph without negative
cycles has none.

Undo log
--------
One entry per changed cell: ``lcell[k] = cell << 32 | (old succ + 1)`` and
``lval[k]`` = old value.  Cells ``0 .. n^2 - 1`` are distances (row-major),
cells ``n^2 + u n + v`` are arc weights.  A distance cell is logged at most
once per *segment* (the changes between two calls of ``mark`` or
``undo_to``, each of which starts a new segment): ``stamp[cell]`` holds the
id of the segment that last logged the cell, and later changes in the same
segment need no entry since undoing the first restores the value of the mark.  The engine and the offline walk call
``mark`` before every group of inserts, so a path of depth ``D`` holds at most
``D n^2`` distance entries plus one arc entry per present arc: the log stays
within O(n^2 log T) words.  ``log_capacity`` gives the bound the caller
must allocate.

State (a tuple, as returned by ``make``)::

    d     : float64[n, n]   distances (d[x, x] = 0)
    succ  : int32[n, n]     next vertex after x on the path x -> y (-1: none or y == x)
    W     : float64[n, n]   weight of the present arc (x, y); inf when absent
    stamp : int32[n * n]    segment that last logged each distance cell (-1: none)
    lcell : int64[cap]      undo log, packed cells and old successors
    lval  : float64[cap]    undo log, old values
    scr   : int32[n^2 + 6n] scratch of an insertion (tree lists, changing rows, a stack, improved columns)
    meta  : int64[8]        [log size, log size when the segment began, undirected flag, present arcs,
                             log peak, segment id, ...]

The engine interface (see ``structures.engine``) is ``insert(state, pay_i,
pay_f, i) -> work``, ``mark(state) -> int``, ``undo_to(state, mark) -> work``
and ``distance(state, x, y)``; the element ``i`` is the arc
``(pay_i[i, 0], pay_i[i, 1])`` of weight ``pay_f[i]`` (both arcs of the edge
when the structure is undirected).  Work units: one per row tested in the
column scan, one per cell examined in the relaxation, one per undone entry.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ._jit import alloc_kernel, inline_kernel, kernel

LOG_SIZE = 0
LAST_MARK = 1  # log size when the current segment started
UNDIRECTED = 2
N_ARCS = 3
LOG_PEAK = 4  # largest log size seen at the end of an insertion that changed distances
SEGMENT = 5  # id of the current segment
_MAX_SEGMENT = (1 << 31) - 2
META_SIZE = 8

#: largest vertex count: cells ``0 .. 2 n^2`` must fit the 31 bits above the successor
MAX_N = 16384

_LOW = (1 << 32) - 1

#: largest ``n`` for which ``insert_arc`` relaxes cells without branches.  The
#: branch-free loop rewrites every cell it tries: a gain while the arrays it touches
#: (16 n^2 bytes: d, succ, stamp) stay in a core's cache, a loss beyond (measured on
#: the benchmark's random graphs: 8-11% faster at n = 200 and 300, 8-13% slower at
#: n = 500, 700 and 1,000)
BRANCHLESS_MAX_N = 384


class DenseState(NamedTuple):
    d: NDArray[np.float64]
    succ: NDArray[np.int32]
    W: NDArray[np.float64]
    stamp: NDArray[np.int32]
    lcell: NDArray[np.int64]
    lval: NDArray[np.float64]
    scr: NDArray[np.int32]
    meta: NDArray[np.int64]


def log_capacity(n: int, depth: int) -> int:
    """Log entries needed by a path of ``depth`` marks: ``depth * n^2`` distance
    cells plus one arc entry per present arc (at most ``n^2 + n``), and spare
    entries: ``insert_arc`` writes a tentative entry one past the end of the
    log whether or not the cell changes, so the log is never allowed to fill up."""
    return (depth + 1) * n * n + n + 16


def make(n: int, capacity: int, undirected: bool = False) -> DenseState:
    """The structure of ``n`` vertices and no arcs, with room for ``capacity`` log entries.

    The log is allocated with ``np.empty``: pages the log never reaches are not
    backed by memory, so a generous capacity costs address space, not RSS.
    """
    d = np.full((n, n), np.inf, dtype=np.float64)
    np.fill_diagonal(d, 0.0)
    meta = np.zeros(META_SIZE, dtype=np.int64)
    meta[UNDIRECTED] = 1 if undirected else 0
    return DenseState(d, np.full((n, n), -1, dtype=np.int32), np.full((n, n), np.inf, dtype=np.float64),
                      np.full(n * n, -1, dtype=np.int32), np.empty(capacity, dtype=np.int64),
                      np.empty(capacity, dtype=np.float64), np.empty(n * n + 6 * n + 8, dtype=np.int32), meta)


def grow_log(state: DenseState, capacity: int) -> DenseState:
    """The same structure with a log of at least ``capacity`` entries (content kept)."""
    if state.lcell.shape[0] >= capacity:
        return state
    k = int(state.meta[LOG_SIZE])
    lcell = np.empty(capacity, dtype=np.int64)
    lval = np.empty(capacity, dtype=np.float64)
    lcell[:k] = state.lcell[:k]
    lval[:k] = state.lval[:k]
    return state._replace(lcell=lcell, lval=lval)


@kernel
def insert_arc(state, u, v, w):  # type: ignore[no-untyped-def]
    """Add the arc ``(u, v)`` of weight ``w`` (absent before) and relax; return the work.

    Rows are visited down the shortest-path in-tree of ``u`` (parent of ``x``:
    ``succ[x, u]``), each row trying only the columns its parent improved: if
    ``x`` improves on column ``y`` through the new arc, so does its next hop
    towards ``u`` (``d[x, u] = W[x, s] + d[s, u]`` and ``d[x, y] <= W[x, s] +
    d[s, y]``).  The rows that can change at all (``d[x, u] + w < d[x, v]``)
    form a subtree of that tree, found by one column scan.

    The scans over rows and columns are written without branches on the data
    (whether a row or cell qualifies is unpredictable); so is the relaxation of
    cells when ``n <= BRANCHLESS_MAX_N``: every cell tried is rewritten and a
    tentative log entry goes one past the end of the log, and only the counters
    depend on the comparison.  On the n = 300 benchmark this is about 25%
    faster than branching everywhere; for larger ``n`` the extra stores cost
    more than the mispredicted branches, and the cell loop branches.
    """
    d, succ, W, stamp, lcell, lval, scr, meta = state
    n = d.shape[0]
    k = meta[LOG_SIZE]
    lcell[k] = np.int64(n * n + u * n + v) << 32
    lval[k] = W[u, v]
    meta[LOG_SIZE] = k + 1
    W[u, v] = w
    meta[N_ARCS] += 1
    if u == v or not (w < d[u, v]):
        return 1
    head = scr[0:n]
    nxt = scr[n : 2 * n]
    rows = scr[2 * n : 3 * n]
    stk = scr[3 * n : 6 * n]
    buf = scr[6 * n :]
    dv = d[v]
    # row u: the improved columns, the candidates of every other row
    du = d[u]
    ny = np.int64(0)
    for y in range(n):
        buf[ny] = y
        ny += np.int64(w + dv[y] < du[y])
    # the logging of a changed cell is written out in the loops below: an inlined helper
    # taking the arrays costs an atomic reference-count pair per array per call
    seg = meta[SEGMENT]
    k = meta[LOG_SIZE]
    su = succ[u]
    base = u * n
    for j in range(ny):
        y = buf[j]
        lcell[k] = (np.int64(base + y) << 32) | np.int64(su[y] + 1)
        lval[k] = du[y]
        k += np.int64(stamp[base + y] != seg)
        stamp[base + y] = seg
        du[y] = w + dv[y]
        su[y] = v
    # flat unsigned indices: numba adds no negative-index wraparound to them, and
    # no row view (each view costs an atomic reference-count pair)
    d1 = d.reshape(n * n)
    s1 = succ.reshape(n * n)
    nu = np.uint64(n)
    uu = np.uint64(u)
    vu = np.uint64(v)
    # the rows that can change (a column scan, collected without branches), as children
    # lists of the in-tree of u
    nr = np.int64(0)
    xb = np.uint64(0)
    for x in range(n):
        rows[nr] = x
        nr += np.int64((x != u) & (d1[xb + uu] + w < d1[xb + vu]))
        xb += nu
    for x in range(n):
        head[x] = -1
    for r in range(nr):
        x = rows[r]
        p = s1[np.uint64(x) * nu + uu]
        nxt[x] = head[p]
        head[p] = x
    work = 1 + 3 * n
    branchless = n <= BRANCHLESS_MAX_N
    top = ny
    sp = 1
    stk[0] = u
    stk[1] = 0
    stk[2] = ny
    while sp > 0:
        sp -= 1
        p = stk[3 * sp]
        off = stk[3 * sp + 1]
        cnt = stk[3 * sp + 2]
        c = head[p]
        while c >= 0:
            cb = np.uint64(c) * nu
            a = d1[cb + uu] + w
            start = top
            if branchless:
                # whether a cell improves is a coin flip to the branch predictor, so every
                # cell writes its (possibly unchanged) values and a log entry past the end
                # of the log, and the counters advance only when the cell changed
                for j in range(np.uint64(off), np.uint64(off + cnt)):
                    y = buf[j]
                    t = cb + np.uint64(y)
                    old = d1[t]
                    val = a + dv[y]
                    chg = val < old
                    st = stamp[t]
                    so = s1[t]
                    lcell[k] = (np.int64(t) << 32) | np.int64(so + 1)
                    lval[k] = old
                    k += np.int64(chg & (st != seg))
                    stamp[t] = seg if chg else st
                    d1[t] = val if chg else old
                    s1[t] = p if chg else so
                    buf[top] = y
                    top += np.int64(chg)
            else:
                # larger n: the stores above would cost more than the mispredictions
                for j in range(np.uint64(off), np.uint64(off + cnt)):
                    y = buf[j]
                    t = cb + np.uint64(y)
                    val = a + dv[y]
                    if val < d1[t]:
                        if stamp[t] != seg:
                            lcell[k] = (np.int64(t) << 32) | np.int64(s1[t] + 1)
                            lval[k] = d1[t]
                            stamp[t] = seg
                            k += 1
                        d1[t] = val
                        s1[t] = p
                        buf[top] = y
                        top += 1
            work += cnt
            if top > start:
                stk[3 * sp] = c
                stk[3 * sp + 1] = start
                stk[3 * sp + 2] = top - start
                sp += 1
            c = nxt[c]
    meta[LOG_SIZE] = k
    if meta[LOG_SIZE] > meta[LOG_PEAK]:
        meta[LOG_PEAK] = meta[LOG_SIZE]
    return work


@inline_kernel
def insert(state, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
    """Engine interface: insert element ``i`` (one arc, or both arcs of an undirected edge)."""
    u = pay_i[i, 0]
    v = pay_i[i, 1]
    w = pay_f[i]
    work = insert_arc(state, u, v, w)
    if state[7][UNDIRECTED] != 0 and u != v:
        work += insert_arc(state, v, u, w)
    return work


@inline_kernel
def _new_segment(stamp, meta):  # type: ignore[no-untyped-def]
    meta[LAST_MARK] = meta[LOG_SIZE]
    if meta[SEGMENT] >= _MAX_SEGMENT:  # ids are int32: forget them all and start again
        stamp[:] = -1
        meta[SEGMENT] = 0
    else:
        meta[SEGMENT] += 1


@inline_kernel
def mark(state):  # type: ignore[no-untyped-def]
    _new_segment(state[3], state[7])
    return state[7][LOG_SIZE]


@inline_kernel
def undo_to(state, m):  # type: ignore[no-untyped-def]
    """Undo every change made after ``mark`` returned ``m``; return the work (entries undone)."""
    d, succ, W, stamp, lcell, lval, scr, meta = state
    n = d.shape[0]
    nn = n * n
    d1 = d.reshape(nn)  # flat views: a cell index needs no division
    s1 = succ.reshape(nn)
    w1 = W.reshape(nn)
    k = meta[LOG_SIZE]
    work = 0
    while k > m:
        k -= 1
        e = lcell[k]
        cell = e >> 32
        if cell < nn:
            d1[cell] = lval[k]
            s1[cell] = np.int32((e & _LOW) - 1)
        else:
            w1[cell - nn] = lval[k]
            meta[N_ARCS] -= 1
        work += 1
    meta[LOG_SIZE] = k
    _new_segment(stamp, meta)  # the stamps of the undone entries must not skip a later change
    return work


@inline_kernel
def distance(state, x, y):  # type: ignore[no-untyped-def]
    return state[0][x, y]


@kernel
def closes_negative_cycle(d, u, v, w):  # type: ignore[no-untyped-def]
    """Whether adding arc ``(u, v, w)`` to the graph with distances ``d`` creates a negative cycle
    (exact when the weights lie on the grid of ``quantum``)."""
    return d[v, u] + w < 0.0


# ---------------------------------------------------------------------------------
# the light mode: distances only (no next-hop matrix, no arc matrix), float32 or float64
# ---------------------------------------------------------------------------------
class LightState(NamedTuple):
    """The light structure: ``d`` (float32 or float64), ``stamp`` (int32, as in :class:`DenseState`),
    an undo log of int32 cells and old values of ``d``'s type (8 bytes per entry in float32),
    scratch of ``2 n + 8`` int32 and ``meta`` (the layout of :class:`DenseState`)."""

    d: NDArray[np.floating[Any]]
    stamp: NDArray[np.int32]
    lcell: NDArray[np.int32]
    lval: NDArray[np.floating[Any]]
    scr: NDArray[np.int32]
    meta: NDArray[np.int64]


def make_light(n: int, capacity: int, undirected: bool = False, dtype: type = np.float32) -> LightState:
    """The light structure of ``n`` vertices and no arcs (distances of type ``dtype``)."""
    d: NDArray[Any] = np.full((n, n), np.inf, dtype=dtype)
    np.fill_diagonal(d, 0.0)
    meta = np.zeros(META_SIZE, dtype=np.int64)
    meta[UNDIRECTED] = 1 if undirected else 0
    return LightState(d, np.full(n * n, -1, dtype=np.int32), np.empty(capacity, dtype=np.int32),
                      np.empty(capacity, dtype=dtype), np.empty(2 * n + 8, dtype=np.int32), meta)


def grow_log_light(state: LightState, capacity: int) -> LightState:
    """The same light structure with a log of at least ``capacity`` entries (content kept)."""
    if state.lcell.shape[0] >= capacity:
        return state
    k = int(state.meta[LOG_SIZE])
    lcell = np.empty(capacity, dtype=np.int32)
    lval = np.empty(capacity, dtype=state.lval.dtype)
    lcell[:k] = state.lcell[:k]
    lval[:k] = state.lval[:k]
    return state._replace(lcell=lcell, lval=lval)


@kernel
def insert_arc_light(state, u, v, w):  # type: ignore[no-untyped-def]
    """Add the arc ``(u, v)`` of weight ``w`` to the light structure and relax; return the work.

    Without next hops there is no in-tree to search, so the relaxation is the
    plain pruned one: the rows ``X`` that can change (``d[x, u] + w < d[x, v]``,
    a column scan) each try the columns ``Y`` improved in row ``u``
    (``w + d[v, y] < d[u, y]``): O(n + |X| |Y|).  The arc itself is logged as
    one entry (cell ``n^2``) so that undo keeps the arc count.
    """
    d, stamp, lcell, lval, scr, meta = state
    n = d.shape[0]
    nn = n * n
    k = meta[LOG_SIZE]
    lcell[k] = nn
    lval[k] = 0.0
    k += 1
    meta[LOG_SIZE] = k
    meta[N_ARCS] += 1
    if u == v or not (w < d[u, v]):
        return 1
    cols = scr[0:n]
    rows = scr[n : 2 * n]
    dv = d[v]
    du = d[u]
    ny = np.int64(0)
    for y in range(n):
        cols[ny] = y
        ny += np.int64(w + dv[y] < du[y])
    d1 = d.reshape(nn)
    nr = np.int64(0)
    for x in range(n):
        rows[nr] = x
        nr += np.int64((x != u) & (d1[x * n + u] + w < d1[x * n + v]))
    seg = meta[SEGMENT]
    work = 1 + 2 * n
    # row u last: the other rows read its old values through d[x, u] only (column u never changes)
    for r in range(nr + 1):
        x = rows[r] if r < nr else u
        a = d1[x * n + u] + w
        base = x * n
        for j in range(ny):
            y = cols[j]
            t = base + y
            val = a + dv[y]
            if val < d1[t]:
                if stamp[t] != seg:
                    lcell[k] = t
                    lval[k] = d1[t]
                    stamp[t] = seg
                    k += 1
                d1[t] = val
        work += ny
    meta[LOG_SIZE] = k
    if k > meta[LOG_PEAK]:
        meta[LOG_PEAK] = k
    return work


@inline_kernel
def insert_light(state, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
    """Engine interface of the light structure: insert element ``i``."""
    u = pay_i[i, 0]
    v = pay_i[i, 1]
    w = pay_f[i]
    work = insert_arc_light(state, u, v, w)
    if state[5][UNDIRECTED] != 0 and u != v:
        work += insert_arc_light(state, v, u, w)
    return work


@inline_kernel
def mark_light(state):  # type: ignore[no-untyped-def]
    _new_segment(state[1], state[5])
    return state[5][LOG_SIZE]


@inline_kernel
def undo_to_light(state, m):  # type: ignore[no-untyped-def]
    """Undo every change of the light structure made after ``mark_light`` returned ``m``."""
    d, stamp, lcell, lval, scr, meta = state
    n = d.shape[0]
    nn = n * n
    d1 = d.reshape(nn)
    k = meta[LOG_SIZE]
    work = 0
    while k > m:
        k -= 1
        cell = lcell[k]
        if cell < nn:
            d1[cell] = lval[k]
        else:
            meta[N_ARCS] -= 1
        work += 1
    meta[LOG_SIZE] = k
    _new_segment(stamp, meta)
    return work


def check_light(state: LightState, W: NDArray[np.float64]) -> None:
    """Assert that the light structure holds exactly the shortest distances of the arcs ``W``
    (``inf``: absent; computed by scipy in float64, compared exactly: on the grid every sum is
    exact) and a consistent undo log."""
    from scipy.sparse.csgraph import csgraph_from_dense, shortest_path  # type: ignore[import-untyped]

    d, stamp, lcell, _lval, _scr, meta = state
    n = d.shape[0]
    k = int(meta[LOG_SIZE])
    assert 0 <= int(meta[LAST_MARK]) <= k < lcell.shape[0], "log size out of range (no spare entry)"
    assert int(meta[N_ARCS]) == int(np.count_nonzero(np.isfinite(W))), "arc count disagrees with the arcs"
    neg = bool(np.any(W < 0))
    want = shortest_path(csgraph_from_dense(W, null_value=np.inf), method="J" if neg else "D", directed=True)
    assert np.array_equal(d.astype(np.float64), want), "light distances differ from the shortest paths of the arcs"
    cells = lcell[:k]
    assert np.all((cells >= 0) & (cells <= n * n)), "log cell out of range"
    seg = int(meta[SEGMENT])
    recent = cells[int(meta[LAST_MARK]) :]
    recent = recent[recent < n * n]
    assert np.unique(recent).shape[0] == recent.shape[0], "a cell logged twice in one segment"
    assert np.array_equal(np.sort(recent), np.flatnonzero(stamp == seg)), "stamps of the current segment disagree with the log"


# ---------------------------------------------------------------------------------
# the weight grid (the numeric contract of the APSP structures)
# ---------------------------------------------------------------------------------
#: exponents of the grid are clamped to ``[GRID_MIN_EXP, 1022 - grid_bits(n)]``
GRID_MIN_EXP = -960
#: binary digits of head-room a structure that learns its weights one at a time adds above
#: the largest weight it has seen, so that the grid changes only when weights grow 16-fold
GRID_HEADROOM = 4
#: a cycle is negative when its weight on the grid is below ``-(n + CYCLE_SLACK) * quantum``
CYCLE_SLACK = 1024


#: significand bits of the distance type: float64 (the default) and float32 (the light mode)
MANT_F64 = 53
MANT_F32 = 24
#: grid exponents of the light float32 mode are clamped to ``[GRID_MIN_EXP_F32, 126 - grid_bits(n)]``
#: (the quantum stays a normal float32)
GRID_MIN_EXP_F32 = -96


def mantissa(dtype: type | np.dtype[Any]) -> int:
    """Significand bits of a distance dtype (float64 or float32)."""
    return MANT_F32 if np.dtype(dtype) == np.float32 else MANT_F64


def min_exponent(mant: int = MANT_F64) -> int:
    """The smallest grid exponent for the given significand."""
    return GRID_MIN_EXP_F32 if mant == MANT_F32 else GRID_MIN_EXP


def _max_exp(mant: int) -> int:
    return 126 if mant == MANT_F32 else 1022


def grid_bits(n: int) -> int:
    """``L`` with ``2^L >= 8 n``: every sum the kernels form (at most ``2 n`` weights of
    magnitude up to ``2^E``, plus the bumps) stays below ``2^(E + L - 1)``."""
    return max(int(n) - 1, 1).bit_length() + 3


def max_weight(n: int, mant: int = MANT_F64) -> float:
    """The largest accepted ``|weight|`` for ``n`` vertices: sums of ``8 n`` of them stay finite
    (in float64, or in float32 for ``mant = MANT_F32``)."""
    return float(2.0 ** (_max_exp(mant) - grid_bits(n)))


def grid_exponent(max_abs: float, n: int, headroom: int = GRID_HEADROOM, mant: int = MANT_F64) -> int:
    """The grid exponent ``E`` (all weights at most ``2^E`` in magnitude) for weights up to ``max_abs``."""
    hi = _max_exp(mant) - grid_bits(n)
    lo = min_exponent(mant)
    if not max_abs > 0.0:
        return lo
    e = int(np.ceil(np.log2(max_abs)))
    if 2.0 ** e < max_abs:  # guard against log2 rounding down
        e += 1
    return int(min(max(e + headroom, lo), hi))


def quantum(exponent: int, n: int, mant: int = MANT_F64) -> float:
    """The spacing ``q = 2^(E + L - mant)`` of the weight grid (``mant`` = 53 for float64, 24 for
    float32): sums of grid values of magnitude below ``2^mant q`` are exact in that type, so every
    kernel computes in exact arithmetic."""
    return float(2.0 ** (exponent + grid_bits(n) - mant))


def cycle_band(exponent: int, n: int, mant: int = MANT_F64) -> float:
    """The tolerance ``(n + CYCLE_SLACK) q``: a cycle is rejected only when its grid weight is below minus this."""
    return float((n + CYCLE_SLACK) * quantum(exponent, n, mant))


def to_grid(w: NDArray[np.float64] | float, exponent: int, n: int, mant: int = MANT_F64) -> NDArray[np.float64]:
    """Round weights to the nearest multiple of ``quantum`` (ties to even; exact scaling by powers of two)."""
    q = quantum(exponent, n, mant)
    return np.asarray(np.rint(np.asarray(w, dtype=np.float64) * (1.0 / q)) * q, dtype=np.float64)


@alloc_kernel
def walks_are_trees(nxt, toward_column):  # type: ignore[no-untyped-def]
    """Whether every pointer walk of ``nxt`` ends without repeating a vertex; O(n^2).

    ``toward_column``: ``nxt[x, y]`` is the next vertex from ``x`` towards ``y``
    (the walks to a fixed ``y`` must form a tree rooted at ``y``); otherwise
    ``nxt[x, y]`` is the vertex before ``y`` on the path from ``x`` (the walks
    back from every ``y`` must form a tree rooted at ``x``).  Returns -1 when
    they do, else the root whose pointers cycle.
    """
    n = nxt.shape[0]
    state = np.zeros(n, dtype=np.int64)  # per root: 0 unseen, stamp - 1 on the walk, stamp done
    stk = np.zeros(n + 1, dtype=np.int64)
    for r in range(n):
        base = 2 * r + 2
        state[r] = base
        for s in range(n):
            if state[s] == base:
                continue
            sp = 0
            z = s
            ok = True
            while True:
                if state[z] == base:
                    break
                if state[z] == base - 1 or sp > n:
                    ok = False
                    break
                state[z] = base - 1
                stk[sp] = z
                sp += 1
                z = nxt[z, r] if toward_column else nxt[r, z]
                if z < 0:
                    break
            if not ok:
                return r
            for i in range(sp):
                state[stk[i]] = base
    return -1


@kernel
def path(succ, d, x, y, out):  # type: ignore[no-untyped-def]
    """Write the vertices of the path ``x -> y`` into ``out``; return their number (0: none)."""
    if x == y:
        out[0] = x
        return 1
    if d[x, y] == np.inf:
        return 0
    k = 0
    z = x
    n = d.shape[0]
    while z != y and k < n:
        out[k] = z
        k += 1
        z = succ[z, y]
        if z < 0:
            return 0
    out[k] = y
    return k + 1


def close_values(a: NDArray[np.float64], b: NDArray[np.float64], rtol: float) -> NDArray[np.bool_]:
    """Elementwise equality up to ``rtol`` (relative, at least absolute ``rtol``); two infinities are equal."""
    with np.errstate(invalid="ignore"):
        ok = np.abs(a - b) <= rtol * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    return (np.isinf(a) & np.isinf(b)) | ok


def check_triangle(d: NDArray[np.float64], W: NDArray[np.float64], rtol: float) -> None:
    """Assert ``d[x, b] <= d[x, a] + W[a, b]`` (up to ``rtol``) for every present arc and every ``x``."""
    us, vs = np.nonzero(np.isfinite(W))
    for a, b in zip(us.tolist(), vs.tolist()):
        via = d[:, a] + W[a, b]
        bad = d[:, b] > via + rtol * np.maximum(1.0, np.abs(via))
        assert not np.any(bad), f"triangle inequality fails on arc ({a}, {b})"


def check(state: DenseState, rtol: float = 1e-9) -> None:
    """Assert every invariant: zero diagonal, the triangle inequality over present arcs,
    every finite distance realized by its successor path, a consistent undo log.

    Together the first three make ``d`` the exact shortest-path distances of the
    arcs in ``W`` (up to rounding: ``rtol``).  O(n^2 + m n) with numpy, plus an
    explicit walk of every path when ``n <= 64``.
    """
    d, succ, W, stamp, lcell, _lval, _scr, meta = state
    n = d.shape[0]
    assert d.shape == (n, n) and succ.shape == (n, n) and W.shape == (n, n)
    assert not np.any(np.isnan(d)), "NaN distance"
    assert np.all(np.diag(d) == 0.0), "nonzero diagonal (or a negative cycle)"
    k = int(meta[LOG_SIZE])
    assert 0 <= int(meta[LAST_MARK]) <= k < lcell.shape[0], "log size out of range (no spare entry)"
    assert int(meta[N_ARCS]) == int(np.count_nonzero(np.isfinite(W))), "arc count disagrees with W"
    if meta[UNDIRECTED]:
        assert np.array_equal(W, W.T), "undirected structure with an asymmetric arc"

    def close(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.bool_]:
        return close_values(a, b, rtol)

    check_triangle(d, W, rtol)
    off = ~np.eye(n, dtype=bool)
    fin = np.isfinite(d) & off
    assert np.all(succ[~fin] == -1), "successor of an unreachable pair or of a diagonal cell"
    xs, ys = np.nonzero(fin)
    s = succ[xs, ys].astype(np.int64)
    assert np.all((s >= 0) & (s < n)), "finite distance without a successor"
    assert np.all(np.isfinite(W[xs, s])), "successor is not an out-neighbour"
    assert np.all(close(d[xs, ys], W[xs, s] + d[s, ys])), "distance not realized by the successor"
    bad = int(walks_are_trees(succ, True))
    assert bad < 0, f"the successor walks towards {bad} cycle (a walk longer than n)"
    if n <= 64:
        out = np.empty(n + 1, dtype=np.int64)
        for x, y in zip(xs.tolist(), ys.tolist()):
            m = int(path(succ, d, x, y, out))
            assert m >= 2 and len(set(out[:m].tolist())) == m, f"successor walk {x} -> {y} is not a simple path"
            length = float(np.sum(W[out[: m - 1], out[1:m]]))
            assert close(np.array([length]), np.array([d[x, y]]))[0], f"path {x} -> {y} has the wrong length"
    # the log: the current segment's distance entries are distinct cells stamped with its id
    cells = lcell[:k] >> 32
    assert np.all((cells >= 0) & (cells < 2 * n * n)), "log cell out of range"
    seg = int(meta[SEGMENT])
    assert stamp.dtype == np.int32 and np.all(stamp <= seg), "stamp from a future segment"
    recent = cells[int(meta[LAST_MARK]) :]
    recent = recent[recent < n * n]
    assert np.unique(recent).shape[0] == recent.shape[0], "a cell logged twice in one segment"
    assert np.array_equal(np.sort(recent), np.flatnonzero(stamp == seg)), "stamps of the current segment disagree with the log"
    assert int(np.count_nonzero(cells >= n * n)) == int(meta[N_ARCS]), "one arc entry per present arc"
