"""Sieve-Streaming with undo: the incremental base of dynamic submodular maximization.

Sieve-Streaming (Badanidiyuru, Mirzasoleiman, Karbasi, Krause, "Streaming
submodular maximization: massive data summarization on the fly", KDD 2014,
Algorithm 3, the variant that does not know ``m`` in advance): keep ``m``, the
largest singleton value seen; keep one partial solution ``S_v`` for every
threshold ``v`` on the grid ``(1 + eps)^j`` with ``m <= v <= 2 k m``; a new
threshold starts empty when ``m`` grows, thresholds below ``m`` are dropped; an
item ``e`` joins ``S_v`` when ``|S_v| < k`` and its marginal gain is at least
``(v / 2 - f(S_v)) / (k - |S_v|)``.  The answer is the best ``S_v``; it is a
``(1/2 - eps)``-approximation of the best ``k`` items of the stream (ibid.,
Theorem 5).

Everything is undoable, bit for bit, so the lifting
engine of ``structures.engine`` can use it as its base: the engine interface
is ``insert`` ``(state, pay_i, pay_f, i) -> work`` with the item in
``pay_i[i, 0]``, ``mark``, ``undo_to``.  Work is counted in oracle calls
(the singleton value of each inserted item, and each marginal gain); undo makes
no oracle call and reports 0.

Slots: the thresholds ``tau[s]`` are the powers ``(1 + eps)^j`` of the grid over
``[min positive singleton, 2 k max singleton]`` of the whole ground set that lie in
``[v, 2 k v]`` for some singleton value ``v`` (the others can never be active), in
increasing order, so every threshold that can be active has a dedicated slot; the
active ones are ``lo..hi``.  A slot holds at most ``w = min(k, n)`` items.  A
slot is empty before its threshold is instantiated (``m`` only grows between
undos) and dropped slots keep their content, which undo may need again.

State (a tuple, ``make``): the objective data ``od`` (five arrays, see
``structures.objectives``) followed by::

    single : float64[n]        f({e}) of every item (computed once)
    tau    : float64[S]        thresholds
    st     : float64[S, D]     coordinate states per slot
    fval   : float64[S]        f(S_v) per slot
    items  : int64[S, w]       the items of each slot (-1 beyond its size), w = min(k, n)
    size   : int64[S]
    slog   : int64[L, 3]       sieve log: (INS, old lo, old hi) or (ADD, slot, objective log mark)
    slogf  : float64[L]        old m of an INS entry
    lj, lf                     the objective's undo log
    seq    : int64[n]          items inserted, in order (the stream the state is the answer to)
    meta   : int64[16]         entries M_* below (the first two are the objective's)
    fmeta  : float64[2]        [m]
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple, Sequence

import numpy as np
from numpy.typing import NDArray

from . import objectives as _obj
from ._jit import inline_kernel, kernel

M_LOG = _obj.O_LOG  # objective log size
M_CALLS = _obj.O_CALLS  # oracle calls
M_K = 2
M_SLOG = 3  # sieve log size
M_LO = 4
M_HI = 5
M_NSEQ = 6
M_INSERTS = 7
META_SIZE = 16

F_M = 0

L_INS = 0
L_ADD = 1


class SieveState(NamedTuple):
    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    values: NDArray[np.float64]
    weights: NDArray[np.float64]
    kind: NDArray[np.int64]
    single: NDArray[np.float64]
    tau: NDArray[np.float64]
    st: NDArray[np.float64]
    fval: NDArray[np.float64]
    items: NDArray[np.int64]
    size: NDArray[np.int64]
    slog: NDArray[np.int64]
    slogf: NDArray[np.float64]
    lj: NDArray[np.int64]
    lf: NDArray[np.float64]
    seq: NDArray[np.int64]
    meta: NDArray[np.int64]
    fmeta: NDArray[np.float64]


def _full_range(single: NDArray[np.float64], k: int, eps: float) -> tuple[int, int, float]:
    """``(j0, j1, base)``: the exponents of the full grid covering
    ``[min positive singleton, 2 k max singleton]`` (``j1 < j0`` when no item has a positive value)."""
    base = 1.0 + eps
    pos = single[single > 0]
    if pos.shape[0] == 0:
        return 0, -1, base
    j0 = int(math.floor(math.log(float(pos.min())) / math.log(base))) - 1
    while base ** j0 > float(pos.min()):
        j0 -= 1
    top = 2.0 * k * float(pos.max())
    j1 = int(math.ceil(math.log(top) / math.log(base))) + 1
    while base ** j1 < top:
        j1 += 1
    return j0, j1, base


def grid_spans(single: NDArray[np.float64], k: int, eps: float) -> tuple[NDArray[np.int64], float]:
    """The exponents of the thresholds an item can make active, as merged spans, and the base.

    The active thresholds are those in ``[m, 2 k m]`` for ``m`` the largest singleton of
    the stream, always the singleton value of some item: only the thresholds of the full
    grid that lie in ``[v, 2 k v]`` for a singleton value ``v`` of the ground set are kept.
    """
    j0, j1, base = _full_range(single, k, eps)
    vals = np.unique(single[single > 0])
    return _obj.grid_spans(j0, j1, vals, 2.0 * k * vals, base), base


def grid(single: NDArray[np.float64], k: int, eps: float) -> NDArray[np.float64]:
    """Thresholds ``(1 + eps)^j`` of the full grid over ``[min positive singleton,
    2 k max singleton]`` that some item can make active (see ``grid_spans``).

    Empty when no item has a positive value.
    """
    spans, base = grid_spans(single, k, eps)
    return _obj.grid_values(spans, base)


class Plan(NamedTuple):
    """Sizes of a sieve, known before anything is allocated (``plan``)."""

    spans: NDArray[np.int64]
    base: float
    slots: int  # S
    width: int  # items per slot: min(k, n)
    slog: int  # sieve log entries
    olog: int  # objective log entries
    nbytes: int


def plan(od: _obj.ObjectiveData, single: NDArray[np.float64], k: int, eps: float) -> Plan:
    """The sizes ``make`` would allocate, and their total in bytes.

    A slot holds distinct items, so at most ``min(k, n)``; the stream holds each item at
    most once; the thresholds are those some item can make active.
    """
    n = single.shape[0]
    spans, base = grid_spans(single, k, eps)
    S = max(_obj.span_count(spans), 1)
    D = od.weights.shape[0]
    w = max(min(k, n), 1)
    L = n + S * w + 1
    LJ = _obj.log_capacity(od, w, S)
    nbytes = 8 * (S * (3 + D + w) + 4 * L + 3 * LJ + max(n, 1) + META_SIZE + 2)
    return Plan(spans, base, S, w, L, LJ, nbytes)


def make(od: _obj.ObjectiveData, single: NDArray[np.float64], k: int, eps: float,
         sizes: Plan | None = None) -> SieveState:
    """An empty sieve for ``k`` items over the ground set of ``od`` (``sizes``: its ``plan``)."""
    n = single.shape[0]
    p = plan(od, single, k, eps) if sizes is None else sizes
    tau = _obj.grid_values(p.spans, p.base)
    S, D, w, L = p.slots, od.weights.shape[0], p.width, p.slog
    meta = np.zeros(META_SIZE, dtype=np.int64)
    meta[M_K] = k
    meta[M_LO] = 0
    meta[M_HI] = -1
    return SieveState(
        od.indptr, od.indices, od.values, od.weights, od.kind, single, tau,
        np.zeros((S, D), dtype=np.float64), np.zeros(S, dtype=np.float64),
        np.full((S, w), -1, dtype=np.int64), np.zeros(S, dtype=np.int64),
        np.zeros((L, 3), dtype=np.int64), np.zeros(L, dtype=np.float64),
        np.zeros((p.olog, 2), dtype=np.int64), np.zeros(p.olog, dtype=np.float64),
        np.full(max(n, 1), -1, dtype=np.int64), meta, np.zeros(2, dtype=np.float64),
    )


@inline_kernel
def insert_item(b, e, phi, psi):  # type: ignore[no-untyped-def]
    """Offer item ``e`` to the sieve; return the oracle calls made."""
    od = (b[0], b[1], b[2], b[3], b[4])
    single, tau, st, fval, items, size = b[5], b[6], b[7], b[8], b[9], b[10]
    slog, slogf, lj, lf, seq, meta, fmeta = b[11], b[12], b[13], b[14], b[15], b[16], b[17]
    k = meta[M_K]
    calls = 1  # the singleton value f({e})
    meta[M_CALLS] += 1
    meta[M_INSERTS] += 1
    top = meta[M_SLOG]
    if meta[M_NSEQ] >= seq.shape[0] or top >= slog.shape[0]:
        # the callers offer each item at most once per stream; this is a last line of defence
        raise IndexError("sieve: stream or log capacity exceeded (an item offered twice?)")
    slog[top, 0] = L_INS
    slog[top, 1] = meta[M_LO]
    slog[top, 2] = meta[M_HI]
    slogf[top] = fmeta[F_M]
    top += 1
    seq[meta[M_NSEQ]] = e
    meta[M_NSEQ] += 1
    sv = single[e]
    if sv > fmeta[F_M]:
        m = sv
        fmeta[F_M] = m
        S = tau.shape[0]
        lo = meta[M_LO]
        while lo < S and tau[lo] < m:
            lo += 1
        hi = max(meta[M_HI], lo - 1)
        while hi + 1 < S and tau[hi + 1] <= 2.0 * k * m:
            hi += 1
        meta[M_LO] = lo
        meta[M_HI] = hi
    for s in range(meta[M_LO], meta[M_HI] + 1):
        c = size[s]
        if c < k:
            g = _obj.gain(od, st, meta, s, e, phi)
            calls += 1
            if g >= (tau[s] / 2.0 - fval[s]) / (k - c):
                if c >= items.shape[1] or top >= slog.shape[0]:
                    raise IndexError("sieve: slot or log capacity exceeded (an item offered twice?)")
                slog[top, 0] = L_ADD
                slog[top, 1] = s
                slog[top, 2] = meta[M_LOG]
                top += 1
                _obj.add(od, st, fval, lj, lf, meta, s, e, g, psi)
                items[s, c] = e
                size[s] = c + 1
    meta[M_SLOG] = top
    return calls


@kernel
def insert_builtin(b, e):  # type: ignore[no-untyped-def]
    """``insert_item`` with the built-in objectives."""
    return insert_item(b, e, _obj.builtin_phi, _obj.builtin_psi)


@inline_kernel
def engine_insert(b, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
    """Engine interface with the built-in objectives: insert the item ``pay_i[i, 0]``."""
    return insert_builtin(b, pay_i[i, 0])


@inline_kernel
def mark(b):  # type: ignore[no-untyped-def]
    return b[16][M_SLOG]


@inline_kernel
def undo_to(b, m):  # type: ignore[no-untyped-def]
    """Undo everything after ``mark`` returned ``m``.  No oracle calls: returns 0."""
    st, fval, items, size = b[7], b[8], b[9], b[10]
    slog, slogf, lj, lf, seq, meta, fmeta = b[11], b[12], b[13], b[14], b[15], b[16], b[17]
    top = meta[M_SLOG]
    while top > m:
        top -= 1
        if slog[top, 0] == L_ADD:
            s = slog[top, 1]
            _obj.undo_to(st, fval, lj, lf, meta, slog[top, 2])
            c = size[s] - 1
            size[s] = c
            items[s, c] = -1
        else:
            meta[M_LO] = slog[top, 1]
            meta[M_HI] = slog[top, 2]
            fmeta[F_M] = slogf[top]
            c = meta[M_NSEQ] - 1
            meta[M_NSEQ] = c
            seq[c] = -1
    meta[M_SLOG] = top
    return 0


@inline_kernel
def query(b, x, y):  # type: ignore[no-untyped-def]
    """Engine query hook: f of the best partial solution (``x``, ``y`` unused)."""
    fval, meta = b[8], b[16]
    best = 0.0
    for s in range(meta[M_LO], meta[M_HI] + 1):
        if fval[s] > best:
            best = fval[s]
    return best


@kernel
def run_items(b, items, phi, psi):  # type: ignore[no-untyped-def]
    """Insert ``items`` in order; return the oracle calls."""
    c = 0
    for i in range(items.shape[0]):
        c += insert_item(b, items[i], phi, psi)
    return c


@kernel
def reset(b):  # type: ignore[no-untyped-def]
    """Undo everything: back to the empty sieve."""
    undo_to(b, 0)


@kernel
def contains(b, e):  # type: ignore[no-untyped-def]
    """Whether item ``e`` is in an active partial solution."""
    items, size, meta = b[9], b[10], b[16]
    for s in range(meta[M_LO], meta[M_HI] + 1):
        for c in range(size[s]):
            if items[s, c] == e:
                return True
    return False


def best_slot(b: SieveState) -> int:
    """The active slot of largest f (the first on ties), or -1 when none is active."""
    lo, hi = int(b.meta[M_LO]), int(b.meta[M_HI])
    if hi < lo:
        return -1
    return lo + int(np.argmax(b.fval[lo : hi + 1]))


def solution(b: SieveState) -> tuple[NDArray[np.int64], float]:
    """The answer: the items of the best active slot and its f."""
    s = best_slot(b)
    if s < 0:
        return np.zeros(0, dtype=np.int64), 0.0
    return b.items[s, : int(b.size[s])].copy(), float(b.fval[s])


def check(b: SieveState, phi: Callable[..., float] = _obj.builtin_phi,
          psi: Callable[..., float] = _obj.builtin_psi) -> None:
    """Assert every invariant (replays each slot: O(S k row length) Python steps)."""
    od = _obj.ObjectiveData(b.indptr, b.indices, b.values, b.weights, b.kind)
    meta = b.meta
    k = int(meta[M_K])
    S = b.tau.shape[0]
    nseq = int(meta[M_NSEQ])
    seq = b.seq[:nseq]
    assert np.all(b.seq[nseq:] == -1), "stale entries past the stream"
    assert len(set(seq.tolist())) == nseq, "an item occurs twice in the stream"
    m = float(b.single[seq].max()) if nseq else 0.0
    m = max(m, 0.0)
    assert b.fmeta[F_M] == m, "m is not the largest singleton of the stream"
    lo, hi = int(meta[M_LO]), int(meta[M_HI])
    if m > 0:
        want_lo = int(np.searchsorted(b.tau, m, side="left"))
        want_hi = int(np.searchsorted(b.tau, 2.0 * k * m, side="right")) - 1
        assert (lo, hi) == (want_lo, want_hi), "active thresholds are not those in [m, 2km]"
    else:
        assert hi < lo
    assert np.all((b.size >= 0) & (b.size <= k))
    for s in range(b.items.shape[0]):
        c = int(b.size[s])
        assert np.all(b.items[s, c:] == -1), "stale item past a slot's size"
        assert np.all(np.isin(b.items[s, :c], seq)), "a slot holds an item that is not in the stream"
    used = np.flatnonzero(b.size > 0)
    _obj.check_slots(od, b.st, b.fval, b.items, b.size, used.tolist(), phi, psi)
    empty = b.size == 0
    assert not np.any(b.st[empty]) and not np.any(b.fval[empty]), "an empty slot has a non-zero state"
    # logs: one INS per stream item, one ADD per slot member, objective log fits
    top = int(meta[M_SLOG])
    kinds = b.slog[:top, 0]
    assert int(np.sum(kinds == L_INS)) == nseq, "log and stream disagree"
    assert int(np.sum(kinds == L_ADD)) == int(b.size.sum()), "log and slot sizes disagree"
    assert 0 <= int(meta[M_LOG]) <= b.lj.shape[0]
    assert S == 0 or hi < S


def reference(single: NDArray[np.float64], tau: NDArray[np.float64], k: int,
              gain_fn: Callable[[list[int], int], float], stream: Sequence[int]) -> tuple[list[int], float]:
    """Sieve-Streaming in plain Python over ``stream`` (for tests: the answer must match).

    ``gain_fn(S, e)`` is the marginal gain of ``e`` w.r.t. the list ``S``.
    """
    m = 0.0
    sets: dict[int, list[int]] = {}
    vals: dict[int, float] = {}
    lo, hi = 0, -1
    for e in stream:
        sv = float(single[e])
        if sv > m:
            m = sv
            lo = next(s for s in range(len(tau)) if tau[s] >= m)
            hi = max(s for s in range(len(tau)) if tau[s] <= 2.0 * k * m)
        for s in range(lo, hi + 1):
            cur = sets.setdefault(s, [])
            if len(cur) < k:
                g = gain_fn(cur, e)
                if g >= (tau[s] / 2.0 - vals.get(s, 0.0)) / (k - len(cur)):
                    cur.append(e)
                    vals[s] = vals.get(s, 0.0) + g
    if hi < lo:
        return [], 0.0
    best = max(range(lo, hi + 1), key=lambda s: (vals.get(s, 0.0), -s))
    return list(sets.get(best, [])), vals.get(best, 0.0)
