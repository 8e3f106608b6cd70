"""Separable monotone submodular objectives as numba kernels, with undo.

Every objective here has the form

    f(S) = sum over universe coordinates j of  (value of coordinate j after folding S)

where each ground item ``e`` touches a sparse set of coordinates (row ``e`` of a
CSR matrix with entries ``x[e, j]``), coordinate ``j`` holds a state ``s_j``
(0 for the empty set), and

    gain term  phi(kind, s_j, x, w_j)   the marginal gain of ``e`` on coordinate j
    update     psi(kind, s_j, x, w_j)   the state of coordinate j after adding ``e``

with ``w_j`` a per-coordinate weight.  The marginal gain of ``e`` is the sum of
its gain terms over its row.  The built-in kinds (``builtin_phi``,
``builtin_psi``):

* ``COVERAGE``: item ``e`` covers the coordinates of its row; ``s_j`` is 1.0 once
  covered; gain term ``w_j`` if uncovered, else 0.  Weighted coverage.
* ``FACILITY``: ``x`` is a non-negative similarity of ``e`` to universe point
  ``j``; ``s_j`` the current maximum; gain term ``w_j * max(0, x - s_j)``.
  Facility location (exemplar clustering) on a sparse similarity matrix.
* ``FEATURE``: ``x`` a non-negative feature value; ``s_j`` the summed feature;
  gain term ``w_j * (sqrt(s_j + x) - sqrt(s_j))``.  Feature-based functions
  (a concave function of modular feature sums).

Each is monotone (gain terms are >= 0) and submodular (a gain term can only
shrink as ``s_j`` moves along ``psi``).

Plugging in your own objective
------------------------------
Write two numba functions with the same signature as ``builtin_phi`` and
``builtin_psi`` (``kind`` is passed through and may be ignored) and give
them, with the CSR rows and weights, to [`dynalgo.CustomObjective`][dynalgo.CustomObjective].  The
kernels of this module, of ``structures.sieve``, ``structures.leveled``
and ``structures.baselines`` take ``phi`` and ``psi`` as first-class function
arguments.  numba's disk cache cannot key such arguments across processes, so
the built-ins are bound in cached wrappers (``structures.submod_bind``) and a
custom objective is compiled at run time, once per process (about a second or
two per entry point), rather than loaded from the disk cache.

State (for ``S`` solution slots; a slot is one partial solution)::

    st    : float64[S, D]   coordinate states per slot
    fval  : float64[S]      f of each slot's set (sum of the gains when added)
    lj    : int64[L, 2]     undo log: (slot, coordinate) -- coordinate -1 is fval[slot]
    lf    : float64[L]      old values of the logged entries
    meta  : int64[...]      meta[O_LOG] log size, meta[O_CALLS] oracle calls

Objective data (``od``, a tuple): ``(indptr int64[n+1], indices int64[nnz],
values float64[nnz], weights float64[D], kind int64[1])``.

One evaluation of a marginal gain (or of a singleton value) is one oracle call.
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple, Sequence

import numpy as np
from numpy.typing import NDArray

from ._jit import alloc_kernel, inline_kernel

COVERAGE = 0
FACILITY = 1
FEATURE = 2

# entries of ``meta`` owned by the objective
O_LOG = 0
O_CALLS = 1


class ObjectiveData(NamedTuple):
    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    values: NDArray[np.float64]
    weights: NDArray[np.float64]
    kind: NDArray[np.int64]


@inline_kernel
def builtin_phi(kind, s, x, w):  # type: ignore[no-untyped-def]
    """Gain term of a coordinate in state ``s`` for an entry ``x`` with weight ``w``."""
    if kind == COVERAGE:
        return w if s == 0.0 else 0.0
    elif kind == FACILITY:
        d = x - s
        return w * d if d > 0.0 else 0.0
    else:
        return w * (math.sqrt(s + x) - math.sqrt(s))


@inline_kernel
def builtin_psi(kind, s, x, w):  # type: ignore[no-untyped-def]
    """State of a coordinate in state ``s`` after adding an entry ``x``."""
    if kind == COVERAGE:
        return 1.0
    elif kind == FACILITY:
        return x if x > s else s
    else:
        return s + x


@inline_kernel
def singleton(od, e, phi):  # type: ignore[no-untyped-def]
    """f({e}) (no oracle call is counted: callers count it)."""
    indptr, indices, values, wts, kind = od
    k = kind[0]
    g = 0.0
    for p in range(indptr[e], indptr[e + 1]):
        g += phi(k, 0.0, values[p], wts[indices[p]])
    return g


@alloc_kernel
def singletons(od, phi):  # type: ignore[no-untyped-def]
    """f({e}) of every item."""
    n = od[0].shape[0] - 1
    out = np.zeros(n, dtype=np.float64)
    for e in range(n):
        out[e] = singleton(od, e, phi)
    return out


@inline_kernel
def gain(od, st, meta, s, e, phi):  # type: ignore[no-untyped-def]
    """Marginal gain of item ``e`` with respect to slot ``s`` (one oracle call)."""
    indptr, indices, values, wts, kind = od
    k = kind[0]
    meta[O_CALLS] += 1
    g = 0.0
    for p in range(indptr[e], indptr[e + 1]):
        j = indices[p]
        g += phi(k, st[s, j], values[p], wts[j])
    return g


@inline_kernel
def add(od, st, fval, lj, lf, meta, s, e, g, psi):  # type: ignore[no-untyped-def]
    """Add item ``e`` (whose gain ``g`` was just evaluated) to slot ``s``, logging every change."""
    indptr, indices, values, wts, kind = od
    k = kind[0]
    top = meta[O_LOG]
    if top + 1 + indptr[e + 1] - indptr[e] > lj.shape[0]:
        raise IndexError("objective undo log capacity exceeded")
    lj[top, 0] = s
    lj[top, 1] = -1
    lf[top] = fval[s]
    top += 1
    fval[s] += g
    for p in range(indptr[e], indptr[e + 1]):
        j = indices[p]
        old = st[s, j]
        new = psi(k, old, values[p], wts[j])
        if new != old:
            lj[top, 0] = s
            lj[top, 1] = j
            lf[top] = old
            top += 1
            st[s, j] = new
    meta[O_LOG] = top


@inline_kernel
def undo_to(st, fval, lj, lf, meta, m):  # type: ignore[no-untyped-def]
    """Restore every entry logged after position ``m``; return the entries restored."""
    top = meta[O_LOG]
    n = top - m
    while top > m:
        top -= 1
        s = lj[top, 0]
        j = lj[top, 1]
        if j < 0:
            fval[s] = lf[top]
        else:
            st[s, j] = lf[top]
    meta[O_LOG] = top
    return n


def log_capacity(od: ObjectiveData, k: int, slots: int) -> int:
    """Entries an undo log needs when each of ``slots`` slots holds at most ``k`` items
    (a slot holds distinct items, so at most ``min(k, n)`` of them)."""
    lengths = np.diff(od.indptr)
    k = min(int(k), int(lengths.shape[0]))
    top = np.sort(lengths)[::-1][:k]
    return int(slots * (int(top.sum()) + k) + 1)


def grid_spans(j0: int, j1: int, lows: NDArray[np.float64], highs: NDArray[np.float64],
               base: float) -> NDArray[np.int64]:
    """The exponents ``j`` in ``[j0, j1]`` with ``base ** j`` in some interval ``[lows[i], highs[i]]``,
    as merged inclusive spans (an array of shape ``(spans, 2)``).

    A superset by one step on each side of every interval (the logarithms are rounded), so
    every threshold of the full grid ``j0..j1`` that lies in an interval is kept.  The
    thresholds outside every interval are never used by the callers (no item can make them
    active), and dropping them bounds the grid by the values actually present in the ground
    set instead of by the whole range between its smallest and largest singleton.
    """
    if lows.shape[0] == 0 or j1 < j0:
        return np.zeros((0, 2), dtype=np.int64)
    lb = math.log(base)
    a = np.floor(np.log(lows) / lb) - 1.0
    b = np.ceil(np.log(highs) / lb) + 1.0
    a = np.maximum(a, float(j0))
    b = np.minimum(b, float(j1))
    keep = a <= b
    a, b = a[keep].astype(np.int64), b[keep].astype(np.int64)
    if a.shape[0] == 0:
        return np.zeros((0, 2), dtype=np.int64)
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    reach = np.maximum.accumulate(b)
    # a span starts where an interval begins after everything before it has ended
    start = np.ones(a.shape[0], dtype=np.bool_)
    start[1:] = a[1:] > reach[:-1] + 1
    first = np.flatnonzero(start)
    last = np.r_[first[1:] - 1, a.shape[0] - 1]
    return np.stack([a[first], reach[last]], axis=1).astype(np.int64)


def span_count(spans: NDArray[np.int64]) -> int:
    """Number of exponents in the spans of ``grid_spans``."""
    return int(np.sum(spans[:, 1] - spans[:, 0] + 1)) if spans.shape[0] else 0


def grid_values(spans: NDArray[np.int64], base: float) -> NDArray[np.float64]:
    """``base ** j`` for every exponent of the spans, in increasing order (Python's power,
    the same floats as a full grid would hold)."""
    out = np.empty(span_count(spans), dtype=np.float64)
    i = 0
    for ja, jb in spans.tolist():
        for j in range(ja, jb + 1):
            out[i] = base ** j
            i += 1
    return out


# --------------------------------------------------------------------------------------
# Python-side helpers (checks and small computations; not hot)


def replay(od: ObjectiveData, items: Sequence[int], phi: Callable[..., float], psi: Callable[..., float],
           d: int | None = None) -> tuple[NDArray[np.float64], float, list[float]]:
    """Fold ``items`` in order from the empty state: (coordinate states, f, gains)."""
    D = od.weights.shape[0] if d is None else d
    st = np.zeros(D, dtype=np.float64)
    kind = int(od.kind[0])
    f = 0.0
    gains = []
    for e in items:
        g = 0.0
        lo, hi = int(od.indptr[e]), int(od.indptr[e + 1])
        for p in range(lo, hi):
            j = int(od.indices[p])
            g += float(phi(kind, float(st[j]), float(od.values[p]), float(od.weights[j])))
        for p in range(lo, hi):
            j = int(od.indices[p])
            st[j] = float(psi(kind, float(st[j]), float(od.values[p]), float(od.weights[j])))
        gains.append(g)
        f += g
    return st, f, gains


def value(od: ObjectiveData, items: Sequence[int], phi: Callable[..., float] = builtin_phi,
          psi: Callable[..., float] = builtin_psi) -> float:
    """f(items): the gains of the items added in order, summed."""
    return replay(od, items, phi, psi)[1]


def check_slots(od: ObjectiveData, st: NDArray[np.float64], fval: NDArray[np.float64],
                items: NDArray[Any], size: NDArray[Any], slots: Sequence[int],
                phi: Callable[..., float], psi: Callable[..., float]) -> None:
    """Assert that each listed slot's state is exactly the fold of its items (bit for bit)."""
    for s in slots:
        its = [int(x) for x in items[s, : int(size[s])]]
        ref, f, _ = replay(od, its, phi, psi, st.shape[1])
        assert np.array_equal(st[s], ref), f"slot {s}: coordinate states differ from a replay of its items"
        assert fval[s] == f, f"slot {s}: f = {fval[s]!r}, replay gives {f!r}"


def check_data(od: ObjectiveData) -> None:
    """Assert the CSR layout and non-negativity of the objective data."""
    indptr, indices, values, wts, kind = od
    assert indptr.dtype == np.int64 and indices.dtype == np.int64 and values.dtype == np.float64
    assert indptr[0] == 0 and np.all(np.diff(indptr) >= 0) and indptr[-1] == indices.shape[0] == values.shape[0]
    assert indices.shape[0] == 0 or (indices.min() >= 0 and indices.max() < wts.shape[0])
    assert np.all(np.isfinite(values)) and np.all(values >= 0) and np.all(np.isfinite(wts)) and np.all(wts >= 0)
    assert kind.shape == (1,)
