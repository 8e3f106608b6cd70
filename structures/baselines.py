"""Baselines: lazy greedy on a set of items (recomputed from scratch by its callers).

Lazy greedy (Minoux 1978): keep an upper bound of every item's marginal gain in
a max-heap (initially its singleton value); pop the top, and if its bound was
computed against the current solution take it, else re-evaluate it (one oracle
call) and push it back.  Same answer as the plain greedy's ``(1 - 1/e)``
approximation with far fewer oracle calls.  Ties go to the smaller item id.

The solution is built in slot 0 of an objective state (``st`` of shape
``(1, D)``) and undone at the end, so the same scratch serves every call.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from . import objectives as _obj
from ._jit import inline_kernel, kernel


class GreedyScratch(NamedTuple):
    st: NDArray[np.float64]
    fval: NDArray[np.float64]
    lj: NDArray[np.int64]
    lf: NDArray[np.float64]
    meta: NDArray[np.int64]
    hkey: NDArray[np.float64]
    hitem: NDArray[np.int64]
    stamp: NDArray[np.int64]
    out: NDArray[np.int64]


def scratch_nbytes(od: _obj.ObjectiveData, k: int) -> int:
    """Bytes ``make_scratch`` allocates (the solution holds at most ``min(k, n)`` items)."""
    n = od.indptr.shape[0] - 1
    return 8 * (int(od.weights.shape[0]) + 1 + 3 * _obj.log_capacity(od, k, 1) + 2 + 3 * max(int(n), 1)
                + max(min(k, int(n)), 1))


def make_scratch(od: _obj.ObjectiveData, k: int) -> GreedyScratch:
    """Scratch for ``lazy_greedy`` over the ground set of ``od`` (sized by ``min(k, n)``)."""
    n = od.indptr.shape[0] - 1
    D = od.weights.shape[0]
    L = _obj.log_capacity(od, k, 1)
    return GreedyScratch(
        np.zeros((1, D), dtype=np.float64), np.zeros(1, dtype=np.float64),
        np.zeros((L, 2), dtype=np.int64), np.zeros(L, dtype=np.float64), np.zeros(2, dtype=np.int64),
        np.zeros(max(n, 1), dtype=np.float64), np.zeros(max(n, 1), dtype=np.int64),
        np.zeros(max(n, 1), dtype=np.int64), np.full(max(min(k, n), 1), -1, dtype=np.int64),
    )


@inline_kernel
def _above(hkey, hitem, a, b):  # type: ignore[no-untyped-def]
    """Heap order: larger key first, then smaller item."""
    return hkey[a] > hkey[b] or (hkey[a] == hkey[b] and hitem[a] < hitem[b])


@inline_kernel
def _swap(hkey, hitem, a, b):  # type: ignore[no-untyped-def]
    tk = hkey[a]
    hkey[a] = hkey[b]
    hkey[b] = tk
    ti = hitem[a]
    hitem[a] = hitem[b]
    hitem[b] = ti


@kernel
def lazy_greedy(od, single, items, k, scr, phi, psi):  # type: ignore[no-untyped-def]
    """Lazy greedy over ``items``; returns ``(number chosen, f, oracle calls)``; the
    chosen items are ``scr.out[:number]`` in the order taken."""
    st, fval, lj, lf, meta, hkey, hitem, stamp, out = scr
    n = items.shape[0]
    if n > hkey.shape[0]:
        raise IndexError("lazy greedy: more items than the scratch holds (items must be distinct)")
    calls = 0
    for i in range(n):
        hkey[i] = single[items[i]]
        hitem[i] = items[i]
        stamp[i] = 0
        calls += 1  # the singleton value
    # heapify (stamps travel with their items: keep them in a parallel array by position)
    for i in range(n // 2 - 1, -1, -1):
        _sift_down_st(hkey, hitem, stamp, n, i)
    size = n
    chosen = 0
    while chosen < k and size > 0:
        if stamp[0] == chosen:
            if hkey[0] <= 0.0:
                break
            e = hitem[0]
            _obj.add(od, st, fval, lj, lf, meta, 0, e, hkey[0], psi)
            out[chosen] = e
            chosen += 1
            size -= 1
            hkey[0] = hkey[size]
            hitem[0] = hitem[size]
            stamp[0] = stamp[size]
            _sift_down_st(hkey, hitem, stamp, size, 0)
        else:
            g = _obj.gain(od, st, meta, 0, hitem[0], phi)
            calls += 1
            hkey[0] = g
            stamp[0] = chosen
            _sift_down_st(hkey, hitem, stamp, size, 0)
    f = fval[0]
    _obj.undo_to(st, fval, lj, lf, meta, 0)
    return chosen, f, calls


@inline_kernel
def _sift_down_st(hkey, hitem, stamp, n, i):  # type: ignore[no-untyped-def]
    while True:
        l = 2 * i + 1
        if l >= n:
            return
        c = l
        if l + 1 < n and _above(hkey, hitem, l + 1, l):
            c = l + 1
        if _above(hkey, hitem, c, i):
            _swap(hkey, hitem, c, i)
            ts = stamp[c]
            stamp[c] = stamp[i]
            stamp[i] = ts
            i = c
        else:
            return
