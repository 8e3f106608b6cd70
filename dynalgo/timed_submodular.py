"""Time-keyed dynamic submodular maximization with expiring items.

[`TimedSubmodular`][dynalgo.TimedSubmodular] keeps a ``(1/2 - eps)``-approximate summary of at
most ``k`` items of a set whose items carry an *expiry time*: an item inserted at
time ``t`` with expiry ``x`` is present during ``[t, x)`` and disappears by itself
at ``x``, with no deletion sent.  Times are int64 numbers in any unit; any
number of updates may share one time, and a query at time ``t`` sees every
update at or before ``t``.  It is the submodular counterpart of
[`TimedConnectivity`][dynalgo.TimedConnectivity], with the same clock rules.

How it works: the live items sit on the expiry stack of
``structures.expiry_queue`` over Sieve-Streaming with undo (the base that
[`DynamicSubmodular`][dynalgo.DynamicSubmodular] lifts).  The item that expires first is removed by
undoing the sieve down to it and offering again the items that were above it,
the soonest to expire on top; each item is offered ``O(log m)`` times amortized,
``m`` the number of live items, whatever the order of the expiries.  The answer
at every time is exactly Sieve-Streaming's on the live items taken in the
stack's order ([`TimedSubmodular.path_order`][dynalgo.TimedSubmodular.path_order]).
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import expiry_queue as _xq
from structures import sieve as _sv
from structures import submod_bind as _sb

from . import _validate
from .errors import InvalidInputError, ItemError, MissingElementError, TimelineError
from .objectives import Objective
from .submodular import _check_k_eps, _check_objective, _singletons
from .timeline import _MIN_TIME, NEVER, _ExpiryStore, _home, _time, _time_array

__all__ = ["TimedSubmodular"]


class TimedSubmodular(_ExpiryStore):
    """Monotone submodular maximization over items that expire at known times.

    Parameters
    ----------
    objective : Objective
        [`dynalgo.Coverage`][dynalgo.Coverage], [`dynalgo.FacilityLocation`][dynalgo.FacilityLocation],
        [`dynalgo.FeatureBased`][dynalgo.FeatureBased] or [`dynalgo.CustomObjective`][dynalgo.CustomObjective];
        the items are its ids ``0..n-1``.
    k : int
        Cardinality bound (>= 1).
    eps : float, default 0.1
        Ratio of Sieve-Streaming's threshold grid, in (0, 1).

    Notes
    -----
    An item is present during ``[time, expiry)``.  Inserting an item that is
    present renews it: it stays until the later of the two expiries.  An explicit
    ``delete`` before the expiry is allowed (a misprediction of the expiry); it
    costs the items stacked above the deleted one.  The clock starts before every
    time and only moves forward: an update or query before it, a float, bool or
    NaN time, or an expiry not after its insertion time raise ``TimelineError``,
    and every rejected call leaves the structure as it was.

    ``solution`` and ``value`` are Sieve-Streaming's answer on the present items
    in the order of [`path_order`][dynalgo.TimedSubmodular.path_order]: a
    ``(1/2 - eps)``-approximation of the best ``k`` present items.  Work is
    counted in oracle calls (``stats``); memory is the objective plus arrays that
    follow the number of live items.

    Examples
    --------
    >>> from dynalgo import Coverage, TimedSubmodular
    >>> f = Coverage([[0, 1, 2], [2, 3], [3, 4], [5], [0, 5]])
    >>> s = TimedSubmodular(f, k=2)
    >>> s.insert(0, time=0, expiry=10)
    >>> s.insert(2, time=1, expiry=5)
    >>> s.value(time=2), sorted(s.solution().tolist())
    (5.0, [0, 2])
    >>> s.value(time=5)                  # item 2 expired at 5
    3.0
    >>> s.insert(0, time=8, expiry=20)   # a renewal: item 0 stays until 20
    >>> s.extend([1, 3], [12, 12], [30, 30], query_times=[12, 20]).tolist()
    [4.0, 3.0]
    >>> s.delete(3, time=21); len(s)
    1
    """

    def __init__(self, objective: Objective, k: int, *, eps: float = 0.1) -> None:
        self._objective = _check_objective(objective)
        self._k, self._eps = _check_k_eps(k, eps)
        obj = self._objective
        single = _singletons(obj)
        sp = _sv.plan(obj._od, single, self._k, self._eps)
        _validate.check_allocation(sp.nbytes, f"TimedSubmodular(k={self._k}, eps={self._eps}) "
                                              f"({sp.slots} Sieve-Streaming thresholds)")
        self._chunk = _sb.expiry_chunk(obj._bind)
        self._sieve = _sv.make(obj._od, single, self._k, self._eps, sp)
        self._tup = tuple(self._sieve)
        self._clock = _MIN_TIME - 1
        self._meta = np.zeros(_xq.META_LEN, dtype=np.int64)
        self._meta[_xq.M_FORCED] = -1
        self._alloc(16)

    def _run(self, t: NDArray[np.int64], op: NDArray[np.int64], items: NDArray[np.int64], exp: NDArray[np.int64],
             qt: NDArray[np.int64], end: int) -> NDArray[np.float64]:
        out = np.zeros(qt.shape[0], dtype=np.float64)
        zq = np.zeros(qt.shape[0], dtype=np.int64)
        return self._call(self._chunk, self._tup, t, op, items, items, items, exp, qt, zq, zq, out, end)

    def _expiry(self, expiry: Any, t: int) -> int:
        if expiry is None:
            return NEVER
        if isinstance(expiry, numbers.Integral) and not isinstance(expiry, (bool, np.bool_)) and int(expiry) == NEVER:
            return NEVER
        x = _time(expiry, "expiry")
        if x <= t:
            raise TimelineError(f"expiry {x} must be after the insertion time {t}")
        return x

    def _slot(self, e: int, t: int) -> int:
        """The slot of item ``e`` if it is present at time ``t`` (>= the clock), else -1."""
        mask = self._hk.shape[0] - 1
        i = _home(e, mask)
        while self._hk[i] != -1 and self._hk[i] != e:
            i = (i + 1) & mask
        if self._hk[i] != e:
            return -1
        s = int(self._hv[i])
        if max(int(self._el[s, _xq.E_EXP]), int(self._el[s, _xq.E_RENEW])) <= t:
            return -1  # expires at or before t
        return s

    # -- properties ---------------------------------------------------------------------
    @property
    def k(self) -> int:
        """The cardinality bound."""
        return self._k

    @property
    def eps(self) -> float:
        return self._eps

    @property
    def objective(self) -> Objective:
        return self._objective

    @property
    def time(self) -> int | None:
        """The current time (None before the first update or query)."""
        return None if self._clock < _MIN_TIME else self._clock

    def __len__(self) -> int:
        """Number of present items at the current time."""
        return int(self._meta[_xq.M_LIVE])

    def __contains__(self, item: object) -> bool:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Integral):
            return False
        e = int(item)
        return 0 <= e < self._objective.n and self._slot(e, self._clock) >= 0

    @property
    def stats(self) -> dict[str, int]:
        """Work counters.

        ``oracle_calls`` (singleton values and marginal gains of the sieve),
        ``applied`` (items offered to the sieve, first offers and re-applications),
        ``reapplied`` (offers again after a dig), ``expired``, ``renewals``,
        ``early_deletions``.
        """
        m = self._meta
        return {
            "oracle_calls": int(self._sieve.meta[_sv.M_CALLS]),
            "applied": int(m[_xq.M_APPLIED]),
            "reapplied": int(m[_xq.M_REPUSHED]),
            "expired": int(m[_xq.M_EXPIRED]),
            "renewals": int(m[_xq.M_RENEWALS]),
            "early_deletions": int(m[_xq.M_EARLY]),
        }

    # -- updates ------------------------------------------------------------------------
    def insert(self, item: int, *, time: int, expiry: int | None = None) -> None:
        """Insert ``item`` at ``time``, present until ``expiry`` (None: until deleted).

        If the item is present, this renews it: it stays until the later of the two expiries.

        Raises
        ------
        ItemError
            ``item`` is not an item id of the objective.
        TimelineError
            ``time`` is before the clock or not an integer, or ``expiry`` is not after it.
        """
        e = self._objective.item(item)
        t = self._at(time)
        x = self._expiry(expiry, t)
        one = np.array([e], dtype=np.int64)
        z = np.zeros(0, dtype=np.int64)
        self._run(np.array([t], np.int64), np.ones(1, np.int64), one, np.array([x], np.int64), z, t)

    def delete(self, item: int, *, time: int) -> None:
        """Delete ``item`` at ``time``, before its expiry.

        Raises
        ------
        ItemError, TimelineError
            As for ``insert``.
        MissingElementError
            The item is not present at ``time``.
        """
        e = self._objective.item(item)
        t = self._at(time)
        if self._slot(e, t) < 0:
            raise MissingElementError(f"item {e} is not present at time {t}")
        z = np.zeros(0, dtype=np.int64)
        self._run(np.array([t], np.int64), np.zeros(1, np.int64), np.array([e], np.int64),
                  np.array([NEVER], np.int64), z, t)

    def advance(self, time: int) -> None:
        """Move the clock to ``time``: every item expiring at or before it disappears."""
        t = self._at(time)
        z = np.zeros(0, dtype=np.int64)
        self._run(z, z, z, z, z, t)

    def extend(self, items: ArrayLike, times: ArrayLike, expiries: ArrayLike | None = None,
               query_times: ArrayLike | None = None) -> NDArray[np.float64]:
        """Insert many items and answer value queries between them.

        Parameters
        ----------
        items, times : array_like of int, shape (m,)
            The items and their insertion times (non-decreasing, not before the clock).
            An item present at its insertion time is renewed.
        expiries : array_like of int, shape (m,), optional
            Expiry of each insertion (after its time; ``NEVER`` for none); default: none expires.
        query_times : array_like of int, optional
            Non-decreasing times, not before the clock.  Each is answered on the state
            after every update and expiry at or before it.

        Returns
        -------
        ndarray of float64, shape (q,)
            ``value`` at each query time.  The clock ends at the last update or query time.
        """
        it = np.asarray(items)
        if it.ndim != 1:
            raise InvalidInputError(f"items must be a 1-d integer array, got shape {it.shape}")
        if it.size and (it.dtype == np.bool_ or not np.issubdtype(it.dtype, np.integer)):
            raise ItemError(f"items must hold integer item ids, got dtype {it.dtype}")
        n = self._objective.n
        if it.size and (int(it.min()) < 0 or int(it.max()) >= n):
            j = int(np.argmax((it < 0) | (it >= n)))
            raise ItemError(f"items[{j}] = {int(it[j])} is out of range: items are 0..{n - 1}")
        it = it.astype(np.int64)
        tt = _time_array(times, "times")
        m = tt.shape[0]
        if it.shape[0] != m:
            raise InvalidInputError(f"items and times must have one length, got {it.shape[0]} and {m}")
        if expiries is None:
            xx = np.full(m, NEVER, dtype=np.int64)
        else:
            xa = np.asarray(expiries)
            if xa.ndim != 1 or xa.shape[0] != m:
                raise InvalidInputError(f"expiries must be a 1-d array of length {m}, got shape {xa.shape}")
            never = np.zeros(m, dtype=np.bool_)
            if m and xa.dtype != np.bool_ and np.issubdtype(xa.dtype, np.integer):
                never = xa == NEVER
            xx = _time_array(np.where(never, 0, xa) if m else xa, "expiries")
            xx = np.where(never, NEVER, xx).astype(np.int64)
        qt = _time_array(np.zeros(0, np.int64) if query_times is None else query_times, "query_times")
        for arr, what in ((tt, "times"), (qt, "query_times")):
            if arr.size:
                if int(arr[0]) < self._clock:
                    raise TimelineError(f"{what}[0] = {int(arr[0])} is before the current time {self._clock}")
                d = np.diff(arr)
                if d.size and int(d.min()) < 0:
                    j = int(np.argmax(d < 0)) + 1
                    raise TimelineError(f"{what} must not decrease: row {j} ({int(arr[j])}) comes after "
                                        f"{int(arr[j - 1])}")
        if m and bool(np.any(xx <= tt)):
            j = int(np.argmax(xx <= tt))
            raise TimelineError(f"expiry {int(xx[j])} of row {j} must be after its time {int(tt[j])}")
        end = self._clock
        if m:
            end = max(end, int(tt[-1]))
        if qt.size:
            end = max(end, int(qt[-1]))
        return self._run(tt, np.ones(m, np.int64), it, xx, qt, end)

    def stream(self, chunks: Iterable[tuple[Any, ...]]) -> Iterator[NDArray[np.float64]]:
        """Feed a stream in chunks; yield the values at each chunk's query times.

        Each chunk is ``(items, times, expiries, query_times)`` as for ``extend``
        (``expiries`` and ``query_times`` may be None).  Chunks must follow each other
        in time.  Memory follows the live items, not the length of the stream.
        """
        for chunk in chunks:
            if not isinstance(chunk, (tuple, list)) or len(chunk) != 4:
                raise InvalidInputError("a chunk is (items, times, expiries, query_times)")
            yield self.extend(*chunk)

    # -- answers ------------------------------------------------------------------------
    def solution(self, *, time: int | None = None) -> NDArray[np.int64]:
        """At most ``k`` present items (at ``time``, default now; the clock moves there)."""
        if time is not None:
            self.advance(time)
        return _sv.solution(self._sieve)[0]

    def value(self, *, time: int | None = None) -> float:
        """f of ``solution`` (at ``time``, default now; the clock moves there)."""
        if time is not None:
            self.advance(time)
        return _sv.solution(self._sieve)[1]

    def items(self) -> NDArray[np.int64]:
        """The present items, sorted."""
        return np.sort(self._pay_i[np.flatnonzero(self._el[:, _xq.E_LIVE] == 1), 0])

    def expiry(self, item: int) -> int:
        """The time at which ``item`` expires (``NEVER`` if it does not)."""
        e = self._objective.item(item)
        s = self._slot(e, self._clock)
        if s < 0:
            raise MissingElementError(f"item {e} is not present at time {self.time}")
        return max(int(self._el[s, _xq.E_EXP]), int(self._el[s, _xq.E_RENEW]))

    def path_order(self) -> NDArray[np.int64]:
        """The present items in the order the sieve took them (the stack, bottom first)."""
        return self._sieve.seq[: int(self._sieve.meta[_sv.M_NSEQ])].copy()

    def check(self) -> None:
        """Assert the invariants of the stack, the key table and the sieve, and that the sieve
        is Sieve-Streaming run from scratch on the present items in the stack's order."""
        _xq.check(self._stk, self._el, self._meta)
        phi, psi = self._objective._bind.phi, self._objective._bind.psi
        _sv.check(self._sieve, phi, psi)
        live = np.flatnonzero(self._el[:, _xq.E_LIVE] == 1)
        keys = self._hk[self._hk != -1]
        assert np.array_equal(np.sort(keys), np.sort(self._el[live, _xq.E_KEY])), "key table disagrees"
        assert 2 * keys.size <= self._hk.shape[0], "key table over half full"
        assert np.array_equal(self._el[live, _xq.E_KEY], self._pay_i[live, 0]), "an item's key is not its id"
        if live.size:
            assert int(self._el[live, _xq.E_EXP].min()) > self._clock, "an expired item is present"
        s = int(self._meta[_xq.M_SIZE])
        order = self._pay_i[self._stk[:s, _xq.S_ELEM], 0]
        assert np.array_equal(self.path_order(), order), "the sieve's stream is not the stack"
        obj = self._objective
        ref = _sv.make(obj._od, obj.singletons(), self._k, self._eps)
        obj._bind.sieve_run(tuple(ref), order.astype(np.int64))
        mine = self._sieve
        for name in ("fval", "items", "size", "st"):
            assert np.array_equal(getattr(ref, name), getattr(mine, name)), f"the sieve's {name} differs from a rerun"
        for j in (_sv.M_LO, _sv.M_HI, _sv.M_NSEQ):
            assert ref.meta[j] == mine.meta[j], "the sieve's active range differs from a rerun"

    def __repr__(self) -> str:
        return (f"TimedSubmodular({self._objective!r}, k={self._k}, eps={self._eps}, items={len(self)}, "
                f"time={self.time})")
