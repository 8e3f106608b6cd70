"""Time-keyed dynamic connectivity with expiring edges.

[`TimedConnectivity`][dynalgo.TimedConnectivity] keeps the connected components of a graph whose edges
carry an *expiry time*: an edge inserted at time ``t`` with expiry ``x`` is
present during ``[t, x)`` and disappears by itself at ``x``, with no deletion sent.
Times are int64 numbers in any unit (seconds, milliseconds, ticks); any number
of updates may share one time, and a query at time ``t`` sees every update at or
before ``t``.  The expiry is an exact prediction of the deletion *in time*, so the
cost does not depend on how many updates arrive in between.

How it works: the elements sit on a stack of undo marks over a union-find with
undo; the one that expires first is removed by undoing down to it and putting
back what was above it, the soonest-to-expire elements on top.  Each edge is
re-applied ``O(log m)`` times amortized, ``m`` the number of live edges, whatever
the order of the expiries (see ``structures.expiry_queue`` and the design
page).  A sliding window over a stream (every edge expires ``W`` after it
arrives) is the first-in first-out case.

Parallel edges: an edge is a vertex pair.  Inserting a pair that is present
renews it: it stays present until the latest expiry given to any of its
insertions (exactly the union of the copies' lifetimes, as the copies overlap).
``delete(u, v, time=t)`` removes the pair, with every copy, at ``t``: that is an
early deletion (a misprediction of the expiry) and costs the number of edges
stacked above it.
"""

from __future__ import annotations

import abc
import numbers
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import components as _comp
from structures import dsu as _dsu
from structures import expiry_dsu as _xd
from structures import expiry_parity as _xp
from structures import expiry_queue as _xq
from structures import parity_dsu as _pd

from ._edges import EdgeContainer
from ._validate import check_allocation, vertex, vertex_count
from .errors import InvalidInputError, MissingElementError, TimelineError, VertexError

__all__ = ["TimedConnectivity", "TimedBipartiteness", "NEVER"]

#: Expiry meaning "never expires" (the largest int64).
NEVER: int = int(_xq.NEVER)
_MIN_TIME = -(1 << 62)
_MAX_TIME = (1 << 62)


def _home(key: int, mask: int) -> int:
    """Home cell of ``key`` in the key table (the hash of ``structures.expiry_queue``)."""
    return (((key * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> 24) & mask


def _time(x: Any, what: str = "time") -> int:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Integral):
        raise TimelineError(f"{what} must be an integer (int64 time in any unit), got {x!r} of type {type(x).__name__}")
    xi = int(x)
    if not _MIN_TIME <= xi <= _MAX_TIME:
        raise TimelineError(f"{what} {xi} is outside the supported range [-2**62, 2**62]")
    return xi


def _time_array(x: ArrayLike, what: str) -> NDArray[np.int64]:
    a = np.asarray(x)
    if a.ndim != 1:
        raise TimelineError(f"{what} must be a 1-d integer array, got shape {a.shape}")
    if a.size and (a.dtype == np.bool_ or not np.issubdtype(a.dtype, np.integer)):
        raise TimelineError(f"{what} must hold integer times, got dtype {a.dtype}")
    if a.size and a.dtype == np.uint64 and int(a.max()) > _MAX_TIME:
        raise TimelineError(f"{what} holds a time above 2**62")
    b = a.astype(np.int64)
    if b.size and (int(b.min()) < _MIN_TIME or int(b.max()) > _MAX_TIME):
        raise TimelineError(f"{what} holds a time outside [-2**62, 2**62]")
    return b


def _vertex_array(x: ArrayLike, n: int, what: str) -> NDArray[np.int64]:
    a = np.asarray(x)
    if a.ndim != 1:
        raise InvalidInputError(f"{what} must be a 1-d integer array, got shape {a.shape}")
    if a.size and (a.dtype == np.bool_ or not np.issubdtype(a.dtype, np.integer)):
        raise InvalidInputError(f"{what} must hold integer vertex ids, got dtype {a.dtype}")
    if a.size and (int(a.min()) < 0 or int(a.max()) >= n):
        k = int(np.argmax((a < 0) | (a >= n)))
        raise VertexError(f"{what}[{k}] = {int(a[k])} is out of range: vertices are 0..{n - 1}")
    return a.astype(np.int64)


class _ExpiryStore:
    """The arrays of the expiry stack (see ``structures.expiry_queue``), grown by doubling
    between kernel calls: the stack, the element table, scratch, payloads, the free list
    and the key table.  Shared by every time-keyed structure."""

    _meta: NDArray[np.int64]
    _clock: int

    def _alloc(self, cap: int) -> None:
        self._stk = np.zeros((cap, 3), dtype=np.int64)
        self._el = np.zeros((cap, _xq.EL_COLS), dtype=np.int64)
        self._el[:, _xq.E_POS] = -1
        self._el[:, _xq.E_KEY] = -1
        self._scr = np.zeros((cap, 4), dtype=np.int64)
        self._pay_i = np.zeros((cap, 2), dtype=np.int64)
        self._pay_f = np.zeros(cap, dtype=np.float64)
        self._free = np.arange(cap - 1, -1, -1, dtype=np.int64)
        self._nfree = cap
        size = 16
        while size < 2 * cap:
            size *= 2
        self._hk = np.full(size, -1, dtype=np.int64)
        self._hv = np.zeros(size, dtype=np.int64)

    def _reserve(self, extra: int) -> None:
        """Make room for ``extra`` more insertions (doubling).  Slots freed inside a chunk are
        reused only after it, so a chunk needs a slot for each of its insertions."""
        cap = self._stk.shape[0]
        live = int(self._meta[_xq.M_LIVE])
        if live + extra <= cap:
            return
        new = max(2 * cap, live + extra)
        check_allocation(new * 120.0, f"{type(self).__name__} with {new:,} live elements")
        old = (self._stk, self._el, self._scr, self._pay_i, self._pay_f, self._free, self._nfree, self._hk)
        self._alloc(new)
        self._stk[:cap] = old[0]
        self._el[:cap] = old[1]
        self._pay_i[:cap] = old[3]
        self._pay_f[:cap] = old[4]
        nf = old[6]
        self._free[: new - cap] = np.arange(new - 1, cap - 1, -1, dtype=np.int64)
        self._free[new - cap: new - cap + nf] = old[5][:nf]
        self._nfree = new - cap + nf
        live_slots = np.flatnonzero(self._el[:cap, _xq.E_LIVE] == 1)
        for e in live_slots:  # re-insert the keys of the live elements
            key = int(self._el[e, _xq.E_KEY])
            mask = self._hk.shape[0] - 1
            i = _home(key, mask)
            while self._hk[i] != -1:
                i = (i + 1) & mask
            self._hk[i] = key
            self._hv[i] = e

    def _call(self, chunk: Any, base: Any, t: NDArray[np.int64], op: NDArray[np.int64], key: NDArray[np.int64],
              a: NDArray[np.int64], b: NDArray[np.int64], exp: NDArray[np.int64], qt: NDArray[np.int64],
              qa: NDArray[np.int64], qb: NDArray[np.int64], out: NDArray[Any], end: int) -> NDArray[Any]:
        """Run one chunk through the bound kernel ``chunk`` over ``base`` and move the clock to ``end``."""
        m = t.shape[0]
        self._reserve(int(np.count_nonzero(op == 1)))
        freed = np.empty(int(self._meta[_xq.M_LIVE]) + m + 1, dtype=np.int64)
        nfree, nfreed = chunk(
            self._stk, self._el, self._meta, self._scr, self._hk, self._hv, self._pay_i, self._pay_f, base,
            t, op, key, a, b, np.ones(m), exp, self._free, self._nfree,
            qt, qa, qb, out, freed, end,
        )
        self._free[nfree: nfree + nfreed] = freed[:nfreed]
        self._nfree = int(nfree + nfreed)
        self._clock = max(self._clock, end)
        return out

    def _at(self, time: Any, what: str = "time") -> int:
        """``time`` checked: an integer, not before the clock."""
        t = _time(time, what)
        if t < self._clock:
            raise TimelineError(f"{what} {t} is before the current time {self._clock}: time cannot go backwards")
        return t


class _TimedGraph(_ExpiryStore, EdgeContainer):
    """The machinery shared by the time-keyed graph structures: the clock, the expiry
    stack, the key table, validation and chunked input.  A subclass names its base
    (an incremental structure with undo and its bound chunk kernel) and its queries."""

    _chunk: Any = None  # the compiled chunk kernel bound to the base

    @abc.abstractmethod
    def _make_base(self, n: int) -> Any:
        """A new, empty base on ``n`` vertices."""

    @abc.abstractmethod
    def _fresh_base(self, live: NDArray[np.int64]) -> Any:
        """A new base holding exactly the edges ``pay_i[live]`` (for check())."""

    @abc.abstractmethod
    def _base_check(self) -> None:
        """Assert the base's own invariants."""

    @abc.abstractmethod
    def _query_rows(self, queries: ArrayLike | None) -> NDArray[np.int64]:
        """Queries as ``(time, x, y)`` rows for the chunk kernel."""

    def __init__(self, n: int) -> None:
        self._n = vertex_count(n)
        if self._n >= 1 << 31:
            raise InvalidInputError(f"n must be below 2**31, got {self._n}")
        check_allocation(40.0 * self._n, f"{type(self).__name__}({self._n})")
        self._base = self._make_base(self._n)
        self._clock = _MIN_TIME - 1
        self._meta = np.zeros(_xq.META_LEN, dtype=np.int64)
        self._meta[_xq.M_FORCED] = -1
        self._alloc(64)

    def _keys(self, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.minimum(u, v) * self._n + np.maximum(u, v)

    def _run(
        self,
        t: NDArray[np.int64],
        op: NDArray[np.int64],
        u: NDArray[np.int64],
        v: NDArray[np.int64],
        exp: NDArray[np.int64],
        qt: NDArray[np.int64],
        qu: NDArray[np.int64],
        qv: NDArray[np.int64],
        end: int,
    ) -> NDArray[np.bool_]:
        out = np.zeros(qt.shape[0], dtype=np.bool_)
        return self._call(type(self)._chunk, self._base, t, op, self._keys(u, v), u, v, exp, qt, qu, qv, out, end)

    # -- properties ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of vertices."""
        return self._n

    @property
    def time(self) -> int | None:
        """The current time (None before the first update or query)."""
        return None if self._clock < _MIN_TIME else self._clock

    @property
    def num_components(self) -> int:
        """Number of connected components at the current time."""
        return int(self._base.meta[1])  # both bases keep the component count there

    @property
    def num_edges(self) -> int:
        """Number of present vertex pairs at the current time."""
        return int(self._meta[_xq.M_LIVE])

    @property
    def stats(self) -> dict[str, int]:
        """Work counters: base insertions and undo steps, expiries, renewals, early deletions."""
        m = self._meta
        return {
            "applied": int(m[_xq.M_APPLIED]),
            "undone": int(m[_xq.M_UNDONE]),
            "reapplied": int(m[_xq.M_REPUSHED]),
            "expired": int(m[_xq.M_EXPIRED]),
            "renewals": int(m[_xq.M_RENEWALS]),
            "early_deletions": int(m[_xq.M_EARLY]),
        }

    # -- updates ------------------------------------------------------------------------
    def _expiry(self, expiry: Any, t: int) -> int:
        if expiry is None:
            return NEVER
        x = _time(expiry, "expiry") if expiry != NEVER else NEVER
        if x <= t:
            raise TimelineError(f"expiry {x} must be after the insertion time {t}")
        return x

    def insert(self, u: int, v: int, *, time: int, expiry: int | None = None) -> None:
        """Insert edge ``{u, v}`` at ``time``, present until ``expiry`` (None: until deleted).

        If the pair is present, this renews it: it stays until the later of the two expiries.
        """
        ui, vi = vertex(u, self._n, "u"), vertex(v, self._n, "v")
        t = self._at(time)
        x = self._expiry(expiry, t)
        one = np.array([t], dtype=np.int64)
        e = np.zeros(0, dtype=np.int64)
        self._run(one, np.ones(1, np.int64), np.array([ui], np.int64), np.array([vi], np.int64),
                  np.array([x], np.int64), e, e, e, t)

    def _live_slot(self, u: int, v: int, t: int) -> int:
        key = min(u, v) * self._n + max(u, v)
        mask = self._hk.shape[0] - 1
        i = _home(key, mask)
        while self._hk[i] != -1 and self._hk[i] != key:
            i = (i + 1) & mask
        if self._hk[i] != key:
            return -1
        e = int(self._hv[i])
        if max(int(self._el[e, _xq.E_EXP]), int(self._el[e, _xq.E_RENEW])) <= t:
            return -1  # expires at or before t
        return e

    def has_edge(self, u: int, v: int) -> bool:
        """Whether ``{u, v}`` is present at the current time."""
        ui, vi = vertex(u, self._n, "u"), vertex(v, self._n, "v")
        return self._live_slot(ui, vi, self._clock) >= 0

    def expiry(self, u: int, v: int) -> int:
        """The time at which ``{u, v}`` expires (``NEVER`` if it does not)."""
        ui, vi = vertex(u, self._n, "u"), vertex(v, self._n, "v")
        e = self._live_slot(ui, vi, self._clock)
        if e < 0:
            raise MissingElementError(f"edge ({ui}, {vi}) is not present at time {self.time}")
        return max(int(self._el[e, _xq.E_EXP]), int(self._el[e, _xq.E_RENEW]))

    def delete(self, u: int, v: int, *, time: int) -> None:
        """Delete edge ``{u, v}`` (every copy) at ``time``, before its expiry."""
        ui, vi = vertex(u, self._n, "u"), vertex(v, self._n, "v")
        t = self._at(time)
        if self._live_slot(ui, vi, t) < 0:
            raise MissingElementError(f"edge ({ui}, {vi}) is not present at time {t}")
        one = np.array([t], dtype=np.int64)
        e = np.zeros(0, dtype=np.int64)
        self._run(one, np.zeros(1, np.int64), np.array([ui], np.int64), np.array([vi], np.int64),
                  np.array([NEVER], np.int64), e, e, e, t)

    def advance(self, time: int) -> None:
        """Move the clock to ``time``: every edge expiring at or before it disappears."""
        t = self._at(time)
        e = np.zeros(0, dtype=np.int64)
        self._run(e, e, e, e, e, e, e, e, t)

    # -- queries ------------------------------------------------------------------------
    def extend(
        self,
        u: ArrayLike,
        v: ArrayLike,
        time: ArrayLike,
        expiry: ArrayLike | None = None,
        queries: ArrayLike | None = None,
    ) -> NDArray[np.bool_]:
        """Insert many edges at once and answer queries between them.

        Parameters
        ----------
        u, v, time : array_like of int, shape (m,)
            The edges and their insertion times (non-decreasing, not before the clock).
        expiry : array_like of int, shape (m,), optional
            Expiry of each edge (after its time); default: none expires.
        queries : array_like of int, optional
            [`TimedConnectivity`][dynalgo.TimedConnectivity]: rows ``(time, x, y)``, asking ``connected(x, y)``;
            ``TimedBipartiteness``: times, asking whether the graph is bipartite.
            Times are non-decreasing and not before the clock; each query is answered
            on the state after every update and expiry at or before its time.

        Returns
        -------
        ndarray of bool, shape (q,)
            The answers.  The clock ends at the last update or query time.
        """
        uu = _vertex_array(u, self._n, "u")
        vv = _vertex_array(v, self._n, "v")
        tt = _time_array(time, "time")
        m = tt.shape[0]
        if uu.shape[0] != m or vv.shape[0] != m:
            raise InvalidInputError(f"u, v and time must have one length, got {uu.shape[0]}, {vv.shape[0]}, {m}")
        if expiry is None:
            xx = np.full(m, NEVER, dtype=np.int64)
        else:
            xa = np.asarray(expiry)
            xx = _time_array(np.where(xa == NEVER, 0, xa) if xa.size else xa, "expiry")
            xx = np.where(xa == NEVER, NEVER, xx).astype(np.int64)
            if xx.shape[0] != m:
                raise InvalidInputError(f"expiry must have length {m}, got {xx.shape[0]}")
        q = self._query_rows(queries)
        qt = _time_array(q[:, 0], "query time")
        qx = _vertex_array(q[:, 1], self._n, "query vertex")
        qy = _vertex_array(q[:, 2], self._n, "query vertex")
        for arr, what in ((tt, "time"), (qt, "query time")):
            if arr.size:
                if int(arr[0]) < self._clock:
                    raise TimelineError(f"{what} {int(arr[0])} is before the current time {self._clock}")
                d = np.diff(arr)
                if d.size and int(d.min()) < 0:
                    k = int(np.argmax(d < 0)) + 1
                    raise TimelineError(f"{what}s must not decrease: row {k} ({int(arr[k])}) comes after {int(arr[k - 1])}")
        if m and bool(np.any(xx <= tt)):
            k = int(np.argmax(xx <= tt))
            raise TimelineError(f"expiry {int(xx[k])} of row {k} must be after its time {int(tt[k])}")
        end = self._clock
        if m:
            end = max(end, int(tt[-1]))
        if qt.size:
            end = max(end, int(qt[-1]))
        return self._run(tt, np.ones(m, np.int64), uu, vv, xx, qt, qx, qy, end)

    def stream(
        self, chunks: Iterable[tuple[ArrayLike, ...]]
    ) -> Iterator[NDArray[np.bool_]]:
        """Feed a stream in chunks; yield the answers of each chunk's queries.

        Each chunk is ``(u, v, time, expiry, queries)`` as for ``extend``
        (``expiry`` and ``queries`` may be None).  Chunks must follow each other in
        time.  Memory follows the live edges, not the length of the stream.
        """
        for chunk in chunks:
            if len(chunk) != 5:
                raise InvalidInputError("a chunk is (u, v, time, expiry, queries)")
            u, v, t, x, q = chunk
            yield self.extend(u, v, t, x, q)

    # -- components (both bases keep the union-find parent array first) -------------------
    def component(self, v: int) -> int:
        """A label of the component of ``v`` at the current time: one of its vertices, the
        same for the whole component; valid until the next update or expiry."""
        vi = vertex(v, self._n, "v")
        return int(_comp.uf_label(self._base[0], vi))

    def component_size(self, v: int) -> int:
        """Number of vertices in the component of ``v`` (O(n log n))."""
        vi = vertex(v, self._n, "v")
        return int(_comp.uf_size(self._base[0], vi))

    def component_members(self, v: int) -> NDArray[np.int64]:
        """The vertices of the component of ``v``, in increasing order."""
        vi = vertex(v, self._n, "v")
        out = np.empty(self._n, dtype=np.int64)
        k = int(_comp.uf_members(self._base[0], vi, out))
        return out[:k].copy()

    def component_labels(self) -> NDArray[np.int64]:
        """``component`` of every vertex at once (int64 array of length ``n``)."""
        out = np.empty(self._n, dtype=np.int64)
        _comp.uf_labels(self._base[0], out)
        return out

    # -- inspection ---------------------------------------------------------------------
    def edges(self) -> NDArray[np.int64]:
        """The present pairs as an ``(m, 2)`` array ``(min, max)``, sorted."""
        live = np.flatnonzero(self._el[:, _xq.E_LIVE] == 1)
        # an element whose (renewed) expiry is at or before the clock is already gone
        e = self._pay_i[live]
        e = np.stack([np.minimum(e[:, 0], e[:, 1]), np.maximum(e[:, 0], e[:, 1])], axis=1)
        return e[np.lexsort((e[:, 1], e[:, 0]))]

    def check(self) -> None:
        """Assert the invariants of the stack, the key table and the base, and that the base
        holds exactly the live edges (compared with a base built from scratch)."""
        _xq.check(self._stk, self._el, self._meta)
        self._base_check()
        live = np.flatnonzero(self._el[:, _xq.E_LIVE] == 1)
        keys = self._hk[self._hk != -1]
        assert np.array_equal(np.sort(keys), np.sort(self._el[live, _xq.E_KEY])), "key table disagrees"
        assert 2 * keys.size <= self._hk.shape[0], "key table over half full"
        if live.size:
            assert int(self._el[live, _xq.E_EXP].min()) > self._clock, "an expired edge is present"
        ref = self._fresh_base(live)
        assert np.array_equal(ref.meta[1:], self._base.meta[1:]), "the base disagrees with the live edges"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self._n}, edges={self.num_edges}, components={self.num_components}, time={self.time})"


class TimedConnectivity(_TimedGraph):
    """Connected components of a graph whose edges expire at known times.

    Parameters
    ----------
    n : int
        Number of vertices, ``0..n-1``.

    Notes
    -----
    The clock starts before every time; it moves forward with every update,
    query or ``advance`` and never goes back.  Updates at the current time
    are allowed (many updates may share a time); an update or query at an
    earlier time raises ``TimelineError``.  Every rejected call
    leaves the structure as it was.

    Examples
    --------
    Messages that keep a pair connected for 10 time units:

    >>> g = TimedConnectivity(4)
    >>> g.insert(0, 1, time=0, expiry=10)
    >>> g.insert(1, 2, time=3, expiry=13)
    >>> g.connected(0, 2, time=5)
    True
    >>> g.connected(0, 2, time=10)          # {0, 1} expired at 10
    False
    >>> g.insert(1, 2, time=11, expiry=21)  # a renewal: present until 21
    >>> g.connected(1, 2, time=15), g.num_edges
    (True, 1)
    >>> g.delete(1, 2, time=16)             # before its expiry
    >>> g.num_components
    4
    """

    _chunk = _xd.run_chunk

    def _make_base(self, n: int) -> Any:
        return _dsu.make(n)

    def _fresh_base(self, live: NDArray[np.int64]) -> Any:
        ref = _dsu.make(self._n)
        for a, b in self._pay_i[live]:
            _dsu.union(ref, int(a), int(b))
        return ref

    def _base_check(self) -> None:
        _dsu.check(self._base)

    def _query_rows(self, queries: ArrayLike | None) -> NDArray[np.int64]:
        if queries is None:
            return np.zeros((0, 3), dtype=np.int64)
        qa = np.asarray(queries)
        if qa.ndim != 2 or qa.shape[1] != 3 or (qa.size and (qa.dtype == np.bool_ or not np.issubdtype(qa.dtype, np.integer))):
            raise InvalidInputError(f"queries must be an integer array of shape (q, 3), got {qa.dtype} {qa.shape}")
        return qa.astype(np.int64).reshape(-1, 3)

    def connected(self, u: int, v: int, *, time: int | None = None) -> bool:
        """Whether ``u`` and ``v`` are connected at ``time`` (default: now; the clock moves there)."""
        ui, vi = vertex(u, self._n, "u"), vertex(v, self._n, "v")
        if time is not None:
            self.advance(time)
        return bool(_dsu.find(self._base, ui) == _dsu.find(self._base, vi))



class TimedBipartiteness(_TimedGraph):
    """Whether a graph whose edges expire at known times is bipartite.

    The time-keyed counterpart of [`dynalgo.DynamicBipartiteness`][dynalgo.DynamicBipartiteness], with the
    same clock, expiries, renewals, early deletions and chunked input as
    [`TimedConnectivity`][dynalgo.TimedConnectivity]; its base is the parity union-find with undo.

    Parameters
    ----------
    n : int
        Number of vertices, ``0..n-1``.

    Examples
    --------
    >>> g = TimedBipartiteness(3)
    >>> g.insert(0, 1, time=0, expiry=10)
    >>> g.insert(1, 2, time=1, expiry=5)
    >>> g.insert(0, 2, time=2, expiry=20)   # closes a triangle
    >>> g.is_bipartite
    False
    >>> g.advance(5)                        # {1, 2} expired
    >>> g.is_bipartite, g.num_edges
    (True, 2)
    >>> g.extend([1], [2], [6], [7], queries=[6, 7]).tolist()
    [False, True]
    """

    _chunk = _xp.run_chunk

    def _make_base(self, n: int) -> Any:
        return _pd.make(n)

    def _fresh_base(self, live: NDArray[np.int64]) -> Any:
        ref = _pd.make(self._n)
        for a, b in self._pay_i[live]:
            _pd.add_edge(ref, int(a), int(b))
        return ref

    def _base_check(self) -> None:
        _pd.check(self._base)

    def _query_rows(self, queries: ArrayLike | None) -> NDArray[np.int64]:
        if queries is None:
            return np.zeros((0, 3), dtype=np.int64)
        qa = np.asarray(queries)
        if qa.ndim != 1 or (qa.size and (qa.dtype == np.bool_ or not np.issubdtype(qa.dtype, np.integer))):
            raise InvalidInputError(f"queries must be a 1-d integer array of times, got {qa.dtype} {qa.shape}")
        out = np.zeros((qa.shape[0], 3), dtype=np.int64)
        out[:, 0] = qa
        return out

    @property
    def is_bipartite(self) -> bool:
        """Whether the graph is bipartite at the current time."""
        return int(self._base.meta[_pd.ODD]) == 0

    @property
    def num_odd_components(self) -> int:
        """Number of components that hold an odd cycle."""
        return int(self._base.meta[_pd.ODD])

    def bipartite(self, *, time: int | None = None) -> bool:
        """Whether the graph is bipartite at ``time`` (default: now; the clock moves there)."""
        if time is not None:
            self.advance(time)
        return self.is_bipartite
