"""Fully dynamic monotone submodular maximization: leveled random promotion.

The backstop of ``dynalgo.submodular``, after Lattanzi, Mitrovic, Norouzi-Fard,
Tarnawski, Zadimoghaddam, "Fully Dynamic Algorithm for Constrained Submodular
Optimization", NeurIPS 2020 (arXiv:2006.04704), and Banihashem, Biabani,
Goudarzi, Hajiaghayi, Jabbarzade, Monemizadeh, "Dynamic Constrained Submodular
Optimization with Polylogarithmic Update Time", ICML 2023: one promoted element
per level, chosen uniformly at random.

For every guess ``tau`` of OPT on a ``(1 + eps)`` grid, with threshold
``thr = tau / (2k)``: the *members* of the guess are the present items with
``thr <= f({e}) <= (1 + eps) tau`` (an item larger than that cannot be in a
solution of value about ``tau``; every item of an optimal solution is a member
of the right guess).  Levels ``l = 1, 2, ...`` hold nested candidate sets
``R_1 ⊇ R_2 ⊇ ...`` and promoted items ``a_l ∈ R_l``; ``A_l = {a_1..a_l}``.
``R_1`` is all members; ``e ∈ R_l \\ {a_l}`` is in ``R_{l+1}`` iff its gain with
respect to ``A_l`` is at least ``thr``.  The levels stop at ``|A| = k`` or when
``R_{|A|+1}`` is empty.  Then ``f(A) >= min(tau / 2, OPT - tau / 2)``, so the
best guess is a ``1 / (2 (1 + eps))``-approximation on every day, whatever the
random choices (the choices only affect the running time).

* Insertion of ``e``: find the last level ``L_e`` it passes (passing is monotone
  in the level, so a binary search over prefixes, O(log k) oracle calls); walk
  levels ``1..L_e`` and at level ``l`` make ``e`` the promoted item with
  probability ``1 / |R_l|`` (then rebuild levels ``>= l`` with ``e`` promoted at ``l``).
* Deletion of ``e``: if it is ``a_l``, rebuild from level ``l`` (against an
  oblivious sequence this happens with probability ``1 / |R_l|``); else just
  remove it from ``R_1..R_{L_e}``.
* Rebuild from level ``l``: a random permutation of ``R_l``; each item in turn is
  promoted if it passes the current last level, otherwise its last passing
  level is found by binary search.  The first item of the permutation that
  passes level ``l'`` is uniform in ``R_{l'}``, as required.

Gains with respect to a prefix ``A_l`` need the coordinate states after ``l``
promotions.  Each guess keeps the states after all of ``A`` plus a log of the
changes, each tagged with its level and linked to the previous change of the
same coordinate; the state after ``A_l`` is found by walking back the changes
made at levels above ``l`` (at most one per promoted item touching the
coordinate).

Oracle calls: one per singleton value at insertion, one per gain evaluated.

State (a tuple, ``make``): the objective data (five arrays) then the
arrays listed in ``LeveledState``; ``meta`` entries ``M_*``.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np
from numpy.typing import NDArray

from . import objectives as _obj
from ._jit import inline_kernel, kernel
from .schedule import uniform

M_CALLS = _obj.O_CALLS
M_K = 2
M_RNG = 3
M_REBUILDS = 4
M_REBUILT_ITEMS = 5  # candidates processed by rebuilds
M_INSERTS = 6
M_DELETES = 7
META_SIZE = 8


class LeveledState(NamedTuple):
    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    values: NDArray[np.float64]
    weights: NDArray[np.float64]
    kind: NDArray[np.int64]
    single: NDArray[np.float64]  # [n] f({e})
    tau: NDArray[np.float64]  # [G] guesses
    thr: NDArray[np.float64]  # [G] tau / (2k)
    cap: NDArray[np.float64]  # [G] (1 + eps) tau
    glo: NDArray[np.int64]  # [n] first guess that may hold e (a superset range)
    ghi: NDArray[np.int64]  # [n] last one
    A: NDArray[np.int64]  # [G, w] promoted items (-1 beyond na), w = min(k, n)
    na: NDArray[np.int64]  # [G]
    fA: NDArray[np.float64]  # [G, w + 1] f(A_l)
    lev: NDArray[np.int64]  # [G, n] 0 not a member, L > 0 in R_1..R_L, -l promoted at level l
    cnt: NDArray[np.int64]  # [G, w + 2] |R_l|
    mem: NDArray[np.int64]  # [G, n] members
    pos: NDArray[np.int64]  # [G, n] position in mem
    nmem: NDArray[np.int64]  # [G]
    val: NDArray[np.float64]  # [G, D] coordinate states after A
    last: NDArray[np.int64]  # [G, D] latest change of a coordinate (-1 none)
    pj: NDArray[np.int64]  # [G, C] change log: coordinate
    pold: NDArray[np.float64]  # [G, C] old value
    plvl: NDArray[np.int64]  # [G, C] level of the promotion that made it
    pprev: NDArray[np.int64]  # [G, C] previous change of the same coordinate
    nlog: NDArray[np.int64]  # [G]
    cand: NDArray[np.int64]  # [n] scratch
    meta: NDArray[np.int64]


class Plan(NamedTuple):
    """Sizes of a leveled structure, known before anything is allocated (``plan``)."""

    spans: NDArray[np.int64]
    base: float
    guesses: int  # G
    width: int  # levels: min(k, n)
    clog: int  # change-log entries per guess
    nbytes: int


def plan(od: _obj.ObjectiveData, single: NDArray[np.float64], k: int, eps: float) -> Plan:
    """The sizes ``make`` would allocate, and their total in bytes.

    Only the guesses of the full grid that can have a member are kept: ``tau`` with
    ``tau / (2k) <= v <= (1 + eps) tau`` for a singleton value ``v``.  At most
    ``min(k, n)`` items are promoted in a guess.
    """
    n = single.shape[0]
    pos = single[single > 0]
    base = 1.0 + eps
    if pos.shape[0]:
        j0 = int(np.floor(np.log(pos.min()) / np.log(base))) - 1
        j1 = int(np.ceil(np.log(k * pos.max()) / np.log(base))) + 1
        vals = np.unique(pos)
        spans = _obj.grid_spans(j0, j1, vals / base, 2.0 * k * vals, base)
    else:
        spans = np.zeros((0, 2), dtype=np.int64)
    G = _obj.span_count(spans)
    Gs = max(G, 1)
    w = max(min(k, n), 1)
    D = od.weights.shape[0]
    C = _obj.log_capacity(od, w, 1)
    nb = max(n, 1)
    nbytes = 8 * (3 * G + 3 * n + Gs * (w + 1 + (w + 1) + 3 * nb + (w + 2) + 1 + 2 * D + 4 * C + 1) + nb + META_SIZE)
    return Plan(spans, base, G, w, C, nbytes)


def make(od: _obj.ObjectiveData, single: NDArray[np.float64], k: int, eps: float, seed: int,
         sizes: Plan | None = None) -> LeveledState:
    """An empty structure over the ground set of ``od`` (no item present; ``sizes``: its ``plan``)."""
    n = single.shape[0]
    p = plan(od, single, k, eps) if sizes is None else sizes
    tau = _obj.grid_values(p.spans, p.base)
    G = tau.shape[0]
    thr = tau / (2.0 * k)
    cap = (1.0 + eps) * tau
    glo = np.zeros(n, dtype=np.int64)
    ghi = np.full(n, -1, dtype=np.int64)
    if G:
        ok = single > 0
        glo[ok] = np.maximum(np.searchsorted(cap, single[ok], side="left") - 1, 0)
        ghi[ok] = np.minimum(np.searchsorted(thr, single[ok], side="right"), G - 1)
    D = od.weights.shape[0]
    C = p.clog
    w = p.width
    meta = np.zeros(META_SIZE, dtype=np.int64)
    meta[M_K] = k
    meta[M_RNG] = int(np.random.default_rng(int(seed) & ((1 << 63) - 1)).integers(0, 1 << 62))  # counter start
    Gs = max(G, 1)
    return LeveledState(
        od.indptr, od.indices, od.values, od.weights, od.kind, single, tau, thr, cap, glo, ghi,
        np.full((Gs, w), -1, dtype=np.int64), np.zeros(Gs, dtype=np.int64), np.zeros((Gs, w + 1), dtype=np.float64),
        np.zeros((Gs, max(n, 1)), dtype=np.int64), np.zeros((Gs, w + 2), dtype=np.int64),
        np.full((Gs, max(n, 1)), -1, dtype=np.int64), np.full((Gs, max(n, 1)), -1, dtype=np.int64),
        np.zeros(Gs, dtype=np.int64),
        np.zeros((Gs, D), dtype=np.float64), np.full((Gs, D), -1, dtype=np.int64),
        np.zeros((Gs, C), dtype=np.int64), np.zeros((Gs, C), dtype=np.float64),
        np.zeros((Gs, C), dtype=np.int64), np.zeros((Gs, C), dtype=np.int64), np.zeros(Gs, dtype=np.int64),
        np.zeros(max(n, 1), dtype=np.int64), meta,
    )


@inline_kernel
def _gain_at(b, g, e, l, phi):  # type: ignore[no-untyped-def]
    """Gain of ``e`` with respect to the prefix ``A_l`` of guess ``g`` (one oracle call)."""
    indptr, indices, values, wts, kind = b[0], b[1], b[2], b[3], b[4]
    na, val, last, pold, plvl, pprev, meta = b[12], b[19], b[20], b[22], b[23], b[24], b[27]
    kd = kind[0]
    meta[M_CALLS] += 1
    s = 0.0
    if l >= na[g]:
        for p in range(indptr[e], indptr[e + 1]):
            j = indices[p]
            s += phi(kd, val[g, j], values[p], wts[j])
    else:
        for p in range(indptr[e], indptr[e + 1]):
            j = indices[p]
            v = val[g, j]
            q = last[g, j]
            while q >= 0 and plvl[g, q] > l:
                v = pold[g, q]
                q = pprev[g, q]
            s += phi(kd, v, values[p], wts[j])
    return s


@inline_kernel
def _last_pass(b, g, e, lo, hi, phi):  # type: ignore[no-untyped-def]
    """The last level in ``[lo, hi]`` that ``e`` passes, given that it passes ``lo``."""
    thr = b[7][g]
    a = lo
    z = hi
    while a < z:
        mid = (a + z + 1) // 2
        if _gain_at(b, g, e, mid - 1, phi) >= thr:
            a = mid
        else:
            z = mid - 1
    return a


@inline_kernel
def _promote(b, g, e, gv, psi):  # type: ignore[no-untyped-def]
    """Make ``e`` (gain ``gv`` w.r.t. ``A``) the promoted item of the next level."""
    indptr, indices, values, wts, kind = b[0], b[1], b[2], b[3], b[4]
    A, na, fA, lev = b[11], b[12], b[13], b[14]
    val, last, pj, pold, plvl, pprev, nlog = b[19], b[20], b[21], b[22], b[23], b[24], b[25]
    kd = kind[0]
    l = na[g] + 1
    t = nlog[g]
    for p in range(indptr[e], indptr[e + 1]):
        j = indices[p]
        old = val[g, j]
        new = psi(kd, old, values[p], wts[j])
        if new != old:
            pj[g, t] = j
            pold[g, t] = old
            plvl[g, t] = l
            pprev[g, t] = last[g, j]
            last[g, j] = t
            t += 1
            val[g, j] = new
    nlog[g] = t
    A[g, l - 1] = e
    fA[g, l] = fA[g, l - 1] + gv
    na[g] = l
    lev[g, e] = -l


@inline_kernel
def _truncate(b, g, l):  # type: ignore[no-untyped-def]
    """Drop the promotions of levels above ``l``."""
    A, na, fA = b[11], b[12], b[13]
    val, last, pj, pold, plvl, pprev, nlog = b[19], b[20], b[21], b[22], b[23], b[24], b[25]
    t = nlog[g]
    while t > 0 and plvl[g, t - 1] > l:
        t -= 1
        j = pj[g, t]
        val[g, j] = pold[g, t]
        last[g, j] = pprev[g, t]
    nlog[g] = t
    for lv in range(l + 1, na[g] + 1):
        A[g, lv - 1] = -1
        fA[g, lv] = 0.0
    if na[g] > l:
        na[g] = l


@kernel
def _rebuild(b, g, l, forced, fgain, phi, psi):  # type: ignore[no-untyped-def]
    """Recompute levels ``>= l`` of guess ``g`` from the candidates ``R_l``.

    ``forced >= 0`` is promoted at level ``l`` first (an insertion that won the
    coin of level ``l``); the counts of the levels below ``l`` are the caller's.
    """
    thr = b[7][g]
    na, lev, cnt, mem, nmem, cand, meta = b[12], b[14], b[15], b[16], b[18], b[26], b[27]
    k = meta[M_K]
    c = 0
    for i in range(nmem[g]):
        x = mem[g, i]
        lv = lev[g, x]
        if x != forced and (lv >= l or lv <= -l):
            cand[c] = x
            c += 1
    _truncate(b, g, l - 1)
    for lv in range(l, cnt.shape[1]):
        cnt[g, lv] = 0
    if forced >= 0:
        _promote(b, g, forced, fgain, psi)
        cnt[g, l] += 1
    # Fisher-Yates
    for i in range(c - 1, 0, -1):
        r = int(uniform(meta, M_RNG) * (i + 1))
        if r > i:
            r = i
        tmp = cand[i]
        cand[i] = cand[r]
        cand[r] = tmp
    for i in range(c):
        x = cand[i]
        if na[g] < k:
            gx = _gain_at(b, g, x, na[g], phi)
            if gx >= thr:
                _promote(b, g, x, gx, psi)
                for lv in range(l, na[g] + 1):
                    cnt[g, lv] += 1
                continue
            top = na[g]
        else:
            top = k
        L = l if top <= l else _last_pass(b, g, x, l, top, phi)
        lev[g, x] = L
        for lv in range(l, L + 1):
            cnt[g, lv] += 1
    meta[M_REBUILDS] += 1
    meta[M_REBUILT_ITEMS] += c


@kernel
def insert(b, e, phi, psi):  # type: ignore[no-untyped-def]
    """Insert item ``e`` (absent); return the oracle calls made."""
    single, thr, cap, glo, ghi = b[5], b[7], b[8], b[9], b[10]
    na, lev, cnt, mem, pos, nmem, meta = b[12], b[14], b[15], b[16], b[17], b[18], b[27]
    k = meta[M_K]
    before = meta[M_CALLS]
    meta[M_CALLS] += 1
    meta[M_INSERTS] += 1
    sv = single[e]
    for g in range(glo[e], ghi[e] + 1):
        if not (thr[g] <= sv and sv <= cap[g]):
            continue
        mem[g, nmem[g]] = e
        pos[g, e] = nmem[g]
        nmem[g] += 1
        top = na[g] + 1 if na[g] < k else k
        L = _last_pass(b, g, e, 1, top, phi)
        promoted = False
        for lv in range(1, L + 1):
            cnt[g, lv] += 1
            if uniform(meta, M_RNG) * cnt[g, lv] < 1.0:
                fg = _gain_at(b, g, e, lv - 1, phi)
                _rebuild(b, g, lv, e, fg, phi, psi)
                promoted = True
                break
        if not promoted:
            lev[g, e] = L
    return meta[M_CALLS] - before


@kernel
def delete(b, e, phi, psi):  # type: ignore[no-untyped-def]
    """Delete item ``e`` (present); return the oracle calls made."""
    lev, cnt, mem, pos, nmem, glo, ghi, meta = b[14], b[15], b[16], b[17], b[18], b[9], b[10], b[27]
    before = meta[M_CALLS]
    meta[M_DELETES] += 1
    for g in range(glo[e], ghi[e] + 1):
        lv = lev[g, e]
        if lv == 0:
            continue
        p = pos[g, e]
        last_m = mem[g, nmem[g] - 1]
        mem[g, p] = last_m
        pos[g, last_m] = p
        nmem[g] -= 1
        mem[g, nmem[g]] = -1
        pos[g, e] = -1
        lev[g, e] = 0
        if lv < 0:
            for x in range(1, -lv):
                cnt[g, x] -= 1
            _rebuild(b, g, -lv, -1, 0.0, phi, psi)
        else:
            for x in range(1, lv + 1):
                cnt[g, x] -= 1
    return meta[M_CALLS] - before


@kernel
def apply(b, ops, items, phi, psi):  # type: ignore[no-untyped-def]
    """Apply updates in order (``ops`` 1 insert, 0 delete); return the oracle calls."""
    c = 0
    for i in range(ops.shape[0]):
        if ops[i] == 1:
            c += insert(b, items[i], phi, psi)
        else:
            c += delete(b, items[i], phi, psi)
    return c


def best_guess(b: LeveledState) -> int:
    """The guess of largest f(A) (the first on ties), -1 when there are no guesses."""
    G = b.tau.shape[0]
    if G == 0:
        return -1
    vals = b.fA[np.arange(G), b.na[:G]]
    return int(np.argmax(vals))


def solution(b: LeveledState) -> tuple[NDArray[np.int64], float]:
    g = best_guess(b)
    if g < 0:
        return np.zeros(0, dtype=np.int64), 0.0
    na = int(b.na[g])
    return b.A[g, :na].copy(), float(b.fA[g, na])


def check(b: LeveledState, present: NDArray[np.bool_], phi: Callable[..., float] = _obj.builtin_phi,
          psi: Callable[..., float] = _obj.builtin_psi) -> None:
    """Assert every invariant against the set of present items (replays: small instances only)."""
    od = _obj.ObjectiveData(b.indptr, b.indices, b.values, b.weights, b.kind)
    k = int(b.meta[M_K])
    G = b.tau.shape[0]
    n = b.single.shape[0]
    kind = int(b.kind[0])
    for g in range(G):
        na = int(b.na[g])
        thr = float(b.thr[g])
        A = [int(x) for x in b.A[g, :na]]
        assert np.all(b.A[g, na:] == -1) and 0 <= na <= k
        members = {int(e) for e in np.flatnonzero(present[:n]) if b.thr[g] <= b.single[e] <= b.cap[g]}
        listed = b.mem[g, : int(b.nmem[g])].tolist()
        assert len(listed) == len(set(listed)) and set(listed) == members, f"guess {g}: members differ"
        assert all(int(b.pos[g, e]) == i for i, e in enumerate(listed))
        assert np.count_nonzero(b.lev[g]) == len(members), f"guess {g}: levels of non-members"
        # prefix states, by replay
        states = [np.zeros(b.val.shape[1])]
        for i, a in enumerate(A):
            st, f, gains = _obj.replay(od, A[: i + 1], phi, psi, b.val.shape[1])
            states.append(st)
            assert b.fA[g, i + 1] == b.fA[g, i] + gains[-1], f"guess {g}: f(A_l) is not the sum of gains"
            assert gains[-1] >= thr, f"guess {g}: promoted item below the threshold"
            assert int(b.lev[g, a]) == -(i + 1), f"guess {g}: level of a promoted item"
        assert np.array_equal(b.val[g], states[-1]), f"guess {g}: coordinate states differ from a replay of A"

        def gain_at(e: int, l: int) -> float:
            s = 0.0
            for p in range(int(b.indptr[e]), int(b.indptr[e + 1])):
                j = int(b.indices[p])
                s += float(phi(kind, float(states[l][j]), float(b.values[p]), float(b.weights[j])))
            return s

        cnt = np.zeros(b.cnt.shape[1], dtype=np.int64)
        for e in members:
            lv = int(b.lev[g, e])
            L = -lv if lv < 0 else lv
            assert 1 <= L <= k
            cnt[1 : L + 1] += 1
            for l in range(1, L + 1):
                assert gain_at(e, l - 1) >= thr, f"guess {g}: item {e} listed at level {l} but fails it"
            if lv > 0 and L < min(na + 1, k):
                assert gain_at(e, L) < thr, f"guess {g}: item {e} passes level {L + 1} but is not listed there"
            if lv > 0 and na < k:
                assert L <= na, f"guess {g}: R_(na+1) is not empty"
        assert np.array_equal(cnt[1:], b.cnt[g, 1:]), f"guess {g}: level sizes differ"
        # the change log reproduces every prefix
        for l in range(na + 1):
            for j in range(b.val.shape[1]):
                v = b.val[g, j]
                q = int(b.last[g, j])
                while q >= 0 and b.plvl[g, q] > l:
                    v = b.pold[g, q]
                    q = int(b.pprev[g, q])
                assert v == states[l][j], f"guess {g}: state after A_{l} not reproduced at coordinate {j}"
