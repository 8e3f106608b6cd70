"""Deletion predictors that learn online from the history of updates.

In the *predicted-deletion* model every insertion carries a guess of the day on
which its element will be deleted (``DynamicConnectivity.run(...,
predicted_deletions=...)``).  This module holds predictors that make that guess
from the past alone:

* [`DeletionPredictor`][predictors.learned.DeletionPredictor] -- the protocol: ``reset()``, ``predict(day,
  time, u, v)`` at each real insertion and ``observe(day, time, op, u, v)``
  after every real update;
* [`predict_deletions`][predictors.learned.predict_deletions] -- the driver: replays a sequence, calling the
  predictor in the only order that keeps the future hidden, and returns the
  per-update predicted deletion days;
* [`SlidingWindowPredictor`][predictors.learned.SlidingWindowPredictor] -- deletion ``W`` seconds after insertion,
  the time converted to a day with a learned update rate (or an exact mapping);
* [`LifetimePredictor`][predictors.learned.LifetimePredictor] -- per-pair moving average of past lifetimes,
  falling back to the endpoints' averages and then a global running quantile;
* [`RepeatPeriodPredictor`][predictors.learned.RepeatPeriodPredictor] -- a pair's next lifetime repeats its last.

Helpers: [`UpdateRate`][predictors.learned.UpdateRate] (time-decayed estimate of updates per second),
[`P2Quantile`][predictors.learned.P2Quantile] (the P-square running quantile), [`exact_time_to_day`][predictors.learned.exact_time_to_day]
(the oracle time-to-day map of a known sequence) and
[`deletion_predictions`][predictors.learned.deletion_predictions] (turn per-update predicted deletion days into
predicted events, e.g. to measure their l1 error).

Days and times
--------------
Days are update indices: update ``i`` (0-based) of a replayed sequence happens
on day ``first_day + i``.  Times are real clock values (e.g. unix seconds),
non-decreasing along the sequence.  A predicted deletion day is always later
than the insertion day; it may lie beyond the end of the sequence.

This module does not import ``dynalgo``; inputs are plain integer arrays.

Examples
--------
>>> from predictors.learned import RepeatPeriodPredictor, predict_deletions
>>> op = [1, 0, 1, 0]     # {0,1} is inserted and deleted the next day, twice
>>> predict_deletions(RepeatPeriodPredictor(), op, [0, 0, 0, 0], [1, 1, 1, 1]).tolist()
[2, 0, 4, 0]
"""

from __future__ import annotations

import bisect
import math
import numbers
import operator
from typing import Callable, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .basic import EventSequence, PredictionArrays, _first_day, _int_array, _op_array

__all__ = [
    "DeletionPredictor",
    "predict_deletions",
    "deletion_predictions",
    "exact_time_to_day",
    "UpdateRate",
    "P2Quantile",
    "SlidingWindowPredictor",
    "LifetimePredictor",
    "RepeatPeriodPredictor",
]

_INSERT = 1


# ---------------------------------------------------------------------------------
# protocol and driver


@runtime_checkable
class DeletionPredictor(Protocol):
    """An online predictor of deletion days (the predicted-deletion model).

    A predictor is a state machine fed the real update sequence one update at a
    time.  At a real insertion on day ``day`` it is first asked
    ``predict``, then told the update with ``observe``; a deletion is
    only observed.  So when it predicts for day ``d`` it has seen exactly the
    updates of days ``< d`` (and the arguments of the insertion itself): it
    learns from history and never sees the future.  [`predict_deletions`][predictors.learned.predict_deletions]
    drives a predictor in exactly this order.

    Examples
    --------
    >>> isinstance(RepeatPeriodPredictor(), DeletionPredictor)
    True
    """

    def reset(self) -> None:
        """Forget everything learned; the next update is the first one."""
        ...

    def predict(self, day: int, time: int, u: int, v: int) -> int:
        """Predicted deletion day (``> day``) of the element ``(u, v)`` inserted now.

        ``day`` is the insertion's day and ``time`` its real time.
        """
        ...

    def observe(self, day: int, time: int, op: int, u: int, v: int) -> None:
        """Learn from the real update of day ``day`` (``op`` 1 insert, 0 delete)."""
        ...


def predict_deletions(
    predictor: DeletionPredictor,
    op: ArrayLike,
    u: ArrayLike,
    v: ArrayLike,
    time: ArrayLike | None = None,
    *,
    first_day: int = 1,
    reset: bool = True,
) -> NDArray[np.int64]:
    """Replay an update sequence through ``predictor``; per-update predicted deletion days.

    Parameters
    ----------
    predictor : DeletionPredictor
        The predictor; it is driven online, strictly in sequence order.
    op, u, v : array_like of int, shape (T,)
        The updates: ``op`` 1 (insert) or 0 (delete) and the element ``(u, v)``.
        Update ``i`` happens on day ``first_day + i``.
    time : array_like of int, shape (T,), optional
        Real time of each update, non-decreasing (e.g.
        ``dynalgo.SlidingWindow.time``).  ``None`` uses the day as the time.
    first_day : int, default 1
        Day of the first update (>= 1).
    reset : bool, default True
        Call ``predictor.reset()`` first.  Pass False to continue a predictor
        that already observed the preceding updates.

    Returns
    -------
    ndarray of int64, shape (T,)
        On an insert row, the day the predictor gave for that element's deletion
        (``> first_day + i``); 0 on delete rows.  With ``first_day=1`` this is
        exactly the ``predicted_deletions=`` argument of
        ``dynalgo.DynamicConnectivity.run``.

    Raises
    ------
    ValueError
        If the arrays are malformed, ``time`` decreases, ``first_day < 1``, or
        the predictor returns a day that is not later than the insertion day.

    Notes
    -----
    For update ``i`` on day ``d = first_day + i`` the driver calls
    ``predictor.predict(d, time[i], u[i], v[i])`` if it is an insertion, then
    ``predictor.observe(d, time[i], op[i], u[i], v[i])``; arguments are Python
    ints.  Hence a prediction depends only on updates of earlier days.  The
    loop is plain Python over lists: its cost is dominated by the predictor's
    two method calls, one or two microseconds per update for the predictors here (the
    40k updates of CollegeMsg with a one-day window take ~0.1 s).

    Examples
    --------
    The sliding window of ``dynalgo.sliding_window``'s example (``W = 10``), with
    the exact time-to-day map: ``{0, 1}`` is predicted to expire on day 2 but a
    second message keeps it until day 3.

    >>> time = [0, 12, 15, 22]
    >>> p = SlidingWindowPredictor(10, time_to_day=exact_time_to_day(time))
    >>> predict_deletions(p, [1, 1, 0, 0], [0, 2, 0, 2], [1, 3, 1, 3], time).tolist()
    [2, 4, 0, 0]
    >>> predict_deletions(p, [1], [0], [1], [5], first_day=0)
    Traceback (most recent call last):
        ...
    ValueError: first_day must be an integer >= 1 (days are 1-based), got 0
    """
    op_a = _op_array(op, "op")
    u_a = _int_array(u, "u")
    v_a = _int_array(v, "v")
    if not (op_a.shape == u_a.shape == v_a.shape):
        raise ValueError(f"op, u, v must have equal lengths, got {op_a.size}, {u_a.size}, {v_a.size}")
    d0 = _first_day(first_day)
    n = int(op_a.size)
    if time is None:
        t_a = np.arange(d0, d0 + n, dtype=np.int64)
    else:
        t_a = _int_array(time, "time")
        if t_a.shape != op_a.shape:
            raise ValueError(f"time must have the length of op ({n}), got {t_a.size}")
        if n > 1 and bool(np.any(t_a[1:] < t_a[:-1])):
            raise ValueError("time must be non-decreasing")
    if reset:
        predictor.reset()
    ops: list[int] = op_a.tolist()
    us: list[int] = u_a.tolist()
    vs: list[int] = v_a.tolist()
    ts: list[int] = t_a.tolist()
    out = [0] * n
    predict = predictor.predict
    observe = predictor.observe
    for i in range(n):
        d = d0 + i
        o = ops[i]
        a = us[i]
        b = vs[i]
        t = ts[i]
        if o == _INSERT:
            p = predict(d, t, a, b)
            if not p > d:
                raise ValueError(
                    f"{type(predictor).__name__}.predict returned day {p!r} for an insertion on day {d}; "
                    "a predicted deletion day must be later than the insertion day"
                )
            out[i] = p
        observe(d, t, o, a, b)
    return np.asarray(out, dtype=np.int64).reshape(n)


def deletion_predictions(
    batch: EventSequence, predicted_deletions: ArrayLike, *, first_day: int = 1
) -> PredictionArrays:
    """Predicted events of the predicted-deletion model, to measure their l1 error.

    Every insertion is "predicted" on its real day (in this model an insertion
    is known when it happens) and, if its predicted deletion day is positive, its
    deletion on that day.

    Parameters
    ----------
    batch : EventSequence
        The real updates (arrays ``op``, ``u``, ``v``); row ``i`` is day
        ``first_day + i``.
    predicted_deletions : array_like of int, shape (T,)
        Per update, the predicted deletion day (0: none; ignored on deletes),
        e.g. from [`predict_deletions`][predictors.learned.predict_deletions].
    first_day : int, default 1
        Day of the first update.

    Returns
    -------
    PredictionArrays
        Insertions at their real days, then the predicted deletions.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> from predictors import l1_error
    >>> b = SimpleNamespace(op=[1, 1, 0, 0], u=[0, 1, 0, 1], v=[1, 2, 1, 2])
    >>> p = deletion_predictions(b, [4, 5, 0, 0])
    >>> p.op.tolist(), p.day.tolist()
    ([1, 1, 0, 0], [1, 2, 4, 5])
    >>> l1_error(p, b)                      # {0,1} one day late, {1,2} one day late
    2
    """
    op = _op_array(batch.op, "batch.op")
    u = _int_array(batch.u, "batch.u")
    v = _int_array(batch.v, "batch.v")
    pd = _int_array(predicted_deletions, "predicted_deletions")
    if not (op.shape == u.shape == v.shape == pd.shape):
        raise ValueError(
            "batch arrays and predicted_deletions must have equal lengths, "
            f"got {op.size}, {u.size}, {v.size}, {pd.size}"
        )
    d0 = _first_day(first_day)
    ins = np.flatnonzero(op == _INSERT)
    has = ins[pd[ins] > 0]
    return PredictionArrays(
        np.concatenate([np.ones(ins.size, np.int8), np.zeros(has.size, np.int8)]),
        np.concatenate([u[ins], u[has]]),
        np.concatenate([v[ins], v[has]]),
        np.concatenate([ins.astype(np.int64) + d0, pd[has]]),
    )


def exact_time_to_day(times: ArrayLike, *, first_day: int = 1) -> Callable[[int], int]:
    """The exact time-to-day map of a known sequence (an oracle, for evaluation).

    Parameters
    ----------
    times : array_like of int, shape (T,)
        Real times of the updates, non-decreasing; update ``i`` is day
        ``first_day + i``.
    first_day : int, default 1

    Returns
    -------
    callable
        ``f(t) = first_day + #{i : times[i] < t}``: the day an event at time ``t``
        would take if it were ordered before the updates of equal time.  For a
        sliding window this is the day of an expiry at ``t`` (expiries come
        before insertions at equal times), unless another expiry shares the
        exact time ``t``.  It reads future times, so use it only to evaluate.

    Examples
    --------
    >>> f = exact_time_to_day([0, 12, 15, 22])
    >>> f(10), f(15), f(16), f(100)
    (2, 3, 4, 5)
    """
    t = _int_array(times, "times")
    if t.size > 1 and bool(np.any(t[1:] < t[:-1])):
        raise ValueError("times must be non-decreasing")
    d0 = _first_day(first_day)
    tl: list[int] = t.tolist()

    def time_to_day(time: int) -> int:
        return d0 + bisect.bisect_left(tl, time)

    return time_to_day


# ---------------------------------------------------------------------------------
# online statistics


class UpdateRate:
    """Online estimate of the update rate (updates per unit of time), decayed in time.

    Parameters
    ----------
    tau : float
        Time constant of the exponential decay, in time units (seconds); older
        updates weigh ``exp(-age / tau)``.  ``math.inf`` gives the mean rate
        since the first update.

    Notes
    -----
    With updates at times ``t_1 <= ... <= t_k`` observed, the rate at time ``t``
    is ``sum_j exp(-(t - t_j) / tau)`` divided by ``integral_{t_1}^{t}
    exp(-(t - s) / tau) ds = tau * (1 - exp(-(t - t_1) / tau))``: a
    time-weighted moving average of the update density, unbiased for a constant
    rate and free of start-up bias.  The elapsed time ``t - t_1`` is floored at
    one time unit.  Each update costs O(1).

    Examples
    --------
    >>> r = UpdateRate(tau=math.inf)
    >>> r.rate(0) is None
    True
    >>> for t in range(0, 100, 10):      # one update every 10 s
    ...     r.observe(t)
    >>> round(r.rate(100), 3)
    0.1
    >>> r = UpdateRate(tau=50.0)
    >>> for t in range(0, 1000, 10):
    ...     r.observe(t)
    >>> round(r.rate(995), 2)
    0.1
    """

    __slots__ = ("_tau", "_s", "_n", "_t0", "_tl")
    _tau: float
    _s: float
    _n: int
    _t0: float
    _tl: float

    def __init__(self, tau: float) -> None:
        if isinstance(tau, bool) or not isinstance(tau, numbers.Real) or not tau > 0 or math.isnan(tau):
            raise ValueError(f"tau must be a positive number (or math.inf), got {tau!r}")
        self._tau = float(tau)
        self.reset()

    def reset(self) -> None:
        """Forget all updates."""
        self._s = 0.0
        self._n = 0
        self._t0 = 0.0
        self._tl = 0.0

    @property
    def count(self) -> int:
        """Number of updates observed."""
        return self._n

    def observe(self, time: float) -> None:
        """Record an update at ``time`` (non-decreasing)."""
        if self._n == 0:
            self._t0 = self._tl = float(time)
            self._s = 1.0
        elif self._tau == math.inf:
            self._tl = float(time)
        else:
            self._s = self._s * math.exp((self._tl - time) / self._tau) + 1.0
            self._tl = float(time)
        self._n += 1

    def rate(self, time: float) -> float | None:
        """Estimated updates per time unit at ``time`` (``None`` before any update)."""
        if self._n == 0:
            return None
        elapsed = max(time - self._t0, 1.0)
        if self._tau == math.inf:
            return self._n / elapsed
        s = self._s * math.exp(min(self._tl - time, 0.0) / self._tau)
        return s / (-self._tau * math.expm1(-elapsed / self._tau))


class P2Quantile:
    """Running estimate of a quantile in O(1) memory: the P-square algorithm.

    Parameters
    ----------
    quantile : float
        The quantile ``p`` in ``(0, 1)`` (0.5: the median).

    Notes
    -----
    Jain and Chlamtac's P-square algorithm keeps five markers (minimum,
    ``p/2``, ``p``, ``(1+p)/2`` quantiles and maximum) whose heights are
    adjusted by piecewise-parabolic interpolation as observations arrive.  Up
    to five observations the exact sample quantile (linear interpolation) is
    returned.  Each observation costs O(1).

    References
    ----------
    .. [1] R. Jain and I. Chlamtac, "The P-square algorithm for dynamic
       calculation of quantiles and histograms without storing observations",
       Communications of the ACM 28(10), 1985.

    Examples
    --------
    >>> q = P2Quantile(0.5)
    >>> q.value() is None
    True
    >>> for x in [5, 1, 4]:
    ...     q.observe(x)
    >>> q.value()
    4.0
    >>> import random
    >>> rng = random.Random(1)
    >>> for _ in range(20000):
    ...     q.observe(rng.random())
    >>> abs(q.value() - 0.5) < 0.02
    True
    """

    __slots__ = ("_p", "_q", "_n", "_np", "_dn", "_count", "_first")
    _p: float
    _q: list[float]
    _n: list[int]
    _np: list[float]
    _dn: tuple[float, float, float, float, float]
    _count: int
    _first: list[float]

    def __init__(self, quantile: float = 0.5) -> None:
        if isinstance(quantile, bool) or not isinstance(quantile, numbers.Real) or not 0.0 < quantile < 1.0:
            raise ValueError(f"quantile must lie in (0, 1), got {quantile!r}")
        self._p = float(quantile)
        self.reset()

    def reset(self) -> None:
        """Forget all observations."""
        p = self._p
        self._count = 0
        self._first = []
        self._q = [0.0] * 5
        self._n = [1, 2, 3, 4, 5]
        self._np = [1.0, 1.0 + 2.0 * p, 1.0 + 4.0 * p, 3.0 + 2.0 * p, 5.0]
        self._dn = (0.0, p / 2.0, p, (1.0 + p) / 2.0, 1.0)

    @property
    def count(self) -> int:
        """Number of observations."""
        return self._count

    def observe(self, x: float) -> None:
        """Add an observation."""
        x = float(x)
        self._count += 1
        if self._count <= 5:
            bisect.insort(self._first, x)
            if self._count == 5:
                self._q = list(self._first)
            return
        q, n, np_, dn = self._q, self._n, self._np, self._dn
        if x < q[0]:
            q[0] = x
            k = 0
        elif x >= q[4]:
            q[4] = max(q[4], x)
            k = 3
        else:
            k = 0
            while x >= q[k + 1]:
                k += 1
        for i in range(k + 1, 5):
            n[i] += 1
        for i in range(5):
            np_[i] += dn[i]
        for i in (1, 2, 3):
            d = np_[i] - n[i]
            if (d >= 1.0 and n[i + 1] - n[i] > 1) or (d <= -1.0 and n[i - 1] - n[i] < -1):
                s = 1 if d > 0 else -1
                qp = q[i] + s / (n[i + 1] - n[i - 1]) * (
                    (n[i] - n[i - 1] + s) * (q[i + 1] - q[i]) / (n[i + 1] - n[i])
                    + (n[i + 1] - n[i] - s) * (q[i] - q[i - 1]) / (n[i] - n[i - 1])
                )
                if not q[i - 1] < qp < q[i + 1]:
                    qp = q[i] + s * (q[i + s] - q[i]) / (n[i + s] - n[i])
                q[i] = qp
                n[i] += s

    def value(self) -> float | None:
        """The current estimate (``None`` before any observation)."""
        c = self._count
        if c == 0:
            return None
        if c <= 5:
            xs = self._first
            h = (c - 1) * self._p
            lo = int(h)
            hi = min(lo + 1, c - 1)
            return xs[lo] + (h - lo) * (xs[hi] - xs[lo])
        return self._q[2]


# ---------------------------------------------------------------------------------
# predictors


def _positive_int(x: object, name: str) -> int:
    if isinstance(x, bool):
        raise ValueError(f"{name} must be a positive integer, got a bool")
    try:
        w = operator.index(x)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{name} must be a positive integer, got {x!r}") from None
    if w < 1:
        raise ValueError(f"{name} must be a positive integer, got {w}")
    return w


def _fraction(x: object, name: str) -> float:
    """A number in ``(0, 1]``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real) or not 0.0 < float(x) <= 1.0:
        raise ValueError(f"{name} must lie in (0, 1], got {x!r}")
    return float(x)


def _days_ahead(days: float) -> int:
    """A predicted number of days ahead as a whole number >= 1."""
    if not days >= 1.0:  # also catches nan
        return 1
    return int(days + 0.5)


class SlidingWindowPredictor:
    """The window rule: an element inserted at time ``t`` is deleted at ``t + W``.

    This is the sliding-window workload's own rule (``dynalgo.sliding_window``)
    applied to the insertion alone: exact when the pair sends no further message
    within the window, early otherwise.

    Parameters
    ----------
    window : int
        ``W``, in time units (seconds).
    time_to_day : callable, optional
        Maps a time to the day an event at that time would take (e.g.
        [`exact_time_to_day`][predictors.learned.exact_time_to_day] of the real times -- an oracle).  If omitted,
        the predictor converts with a learned update rate (below).
    rate_tau : float, optional
        Time constant of the learned rate's decay ([`UpdateRate`][predictors.learned.UpdateRate]), in time
        units; default ``window``.  ``math.inf``: the mean rate so far.

    Notes
    -----
    The model counts time in days (update indices) but the window rule is in
    seconds, so a future time must be mapped to a future day.  Without an
    exact map the predictor learns the update rate ``r`` (updates per second)
    online from the times of the updates it observed, a moving average decayed
    over ``rate_tau`` seconds (by default the window itself, so the rate is the
    one of the last window: the best guess for the next).  About ``r * W``
    updates are expected in ``(t, t + W)``, so the deletion is predicted on day
    ``day + 1 + round(r * W)``.  Before any update was observed the prediction
    is ``day + 1``.  With ``time_to_day`` the prediction is
    ``max(time_to_day(t + W), day + 1)``.

    Examples
    --------
    Updates once every 10 s; ``W = 100`` s: ten updates are expected before the
    expiry, so it comes eleven days later.

    >>> p = SlidingWindowPredictor(100)
    >>> for d in range(1, 51):
    ...     p.observe(d, 10 * d, 1, d, d + 1)
    >>> p.predict(51, 510, 0, 1)
    62
    >>> SlidingWindowPredictor(100, time_to_day=exact_time_to_day([0, 50, 99, 100, 150])).predict(1, 0, 0, 1)
    4
    """

    def __init__(
        self,
        window: int,
        time_to_day: Callable[[int], int] | None = None,
        *,
        rate_tau: float | None = None,
    ) -> None:
        self.window = _positive_int(window, "window")
        if time_to_day is not None and not callable(time_to_day):
            raise ValueError(f"time_to_day must be callable or None, got {time_to_day!r}")
        self.time_to_day = time_to_day
        self._rate = UpdateRate(float(self.window) if rate_tau is None else rate_tau)

    def __repr__(self) -> str:
        how = "exact time_to_day" if self.time_to_day is not None else "learned rate"
        return f"SlidingWindowPredictor(window={self.window}, {how})"

    def reset(self) -> None:
        """Forget the learned rate."""
        self._rate.reset()

    def predict(self, day: int, time: int, u: int, v: int) -> int:
        """Predicted deletion day of the element inserted on ``day`` at ``time``."""
        if self.time_to_day is not None:
            return max(int(self.time_to_day(time + self.window)), day + 1)
        r = self._rate.rate(time)
        if r is None:
            return day + 1
        return day + 1 + int(r * self.window + 0.5)

    def observe(self, day: int, time: int, op: int, u: int, v: int) -> None:
        """Update the rate estimate with an update at ``time``."""
        self._rate.observe(time)

    def rate(self, time: int) -> float | None:
        """The learned update rate at ``time`` (updates per time unit)."""
        return self._rate.rate(time)


class LifetimePredictor:
    """Predicts an element's lifetime (in days) from the past lifetimes of its pair and endpoints.

    Parameters
    ----------
    alpha : float, default 0.3
        Weight of the newest lifetime in each pair's exponential moving average,
        in ``(0, 1]`` (1: the last lifetime only).
    quantile : float, default 0.5
        Quantile of all past lifetimes used when neither the pair nor its
        endpoints have a history (0.5: the median, which minimises the expected
        absolute error).
    vertex_weight : float, default 1.0
        When the pair has a history, its average is blended with the endpoints'
        averages: ``(pair * count + vertex_weight * vertex) / (count +
        vertex_weight)``, ``count`` the pair's number of past lifetimes; 0 uses
        the pair alone.
    initial : int, default 1
        Lifetime (days) predicted before any lifetime was observed.
    rate_tau : float, optional
        If given, learn lifetimes in *time* units instead of days and convert
        them to days with a learned update rate ([`UpdateRate`][predictors.learned.UpdateRate] with this
        time constant), as [`SlidingWindowPredictor`][predictors.learned.SlidingWindowPredictor] does.  Default: learn
        in days.
    directed : bool, default False
        If False, ``(u, v)`` and ``(v, u)`` are the same pair.

    Notes
    -----
    A lifetime is ``deletion day - insertion day`` of one instance of an
    element; the predictor learns one at every observed deletion whose
    insertion it observed.  For an insertion of pair ``{u, v}`` on ``day`` it
    predicts ``day + max(1, round(L))`` where ``L`` is, in order of preference:

    1. the pair's exponential moving average of its past lifetimes (weight
       ``alpha`` on the newest), blended with the endpoint estimate below;
    2. the mean of the two endpoints' per-vertex averages (the lifetimes of all
       past elements incident to the vertex; an endpoint with no history is
       left out);
    3. the running ``quantile`` of all past lifetimes ([`P2Quantile`][predictors.learned.P2Quantile]);
    4. ``initial``.

    Lifetimes are counted in days, i.e. in updates, which is what the
    predicted-deletion model needs.  On real data the update rate drifts, so
    lifetimes learned while the workload was busy are long in days and
    mislead later.  With ``rate_tau`` the lifetimes ``L`` are learned in time
    units (deletion time - insertion time) and the prediction at an insertion
    at time ``t`` is ``day + 1 + round(r * L)``, ``r`` the update rate
    learned at ``t``; on CollegeMsg (one-day window) this roughly halves the
    l1 error.  State is a few dicts, O(1) per update.

    Examples
    --------
    >>> p = LifetimePredictor(alpha=0.5)
    >>> for d, (o, a, b) in enumerate([(1, 0, 1), (0, 0, 1), (1, 0, 1), (1, 1, 2)], start=1):
    ...     p.observe(d, d, o, a, b)
    >>> p.predict(5, 5, 1, 2)        # {1,2} is new; edges at vertex 1 lived 1 day
    6
    >>> p.observe(5, 5, 0, 0, 1)     # {0,1} lived 2 days: pair average 1.5
    >>> p.predict(6, 6, 0, 1)
    8
    >>> p.predict(6, 6, 7, 8)        # unknown vertices: global median of [1, 2]
    8

    Learning in time units: one update every 10 s; pair ``{0, 1}`` is inserted
    every 200 s and lives 100 s.  About 0.1 updates/s x 100 s = 10 other
    updates are expected before its next deletion.

    >>> p = LifetimePredictor(rate_tau=1000.0)
    >>> for d in range(1, 101):
    ...     op, a, b = (1, 0, 1) if d % 20 == 1 else (0, 0, 1) if d % 20 == 11 else (1, d, d + 1000)
    ...     p.observe(d, 10 * d, op, a, b)
    >>> p.lifetime(0, 1)
    100.0
    >>> p.predict(101, 1010, 0, 1)
    112
    """

    alpha: float
    quantile: float
    vertex_weight: float
    initial: int
    directed: bool
    _global: P2Quantile
    _open: dict[tuple[int, int], int]
    _pair: dict[tuple[int, int], tuple[float, int]]
    _vsum: dict[int, float]
    _vcnt: dict[int, int]
    _rate: UpdateRate | None

    def __init__(
        self,
        alpha: float = 0.3,
        quantile: float = 0.5,
        *,
        vertex_weight: float = 1.0,
        initial: int = 1,
        rate_tau: float | None = None,
        directed: bool = False,
    ) -> None:
        self.alpha = _fraction(alpha, "alpha")
        self.quantile = float(quantile)
        if isinstance(vertex_weight, bool) or not isinstance(vertex_weight, numbers.Real) or not vertex_weight >= 0:
            raise ValueError(f"vertex_weight must be a number >= 0, got {vertex_weight!r}")
        self.vertex_weight = float(vertex_weight)
        self.initial = _positive_int(initial, "initial")
        self.directed = bool(directed)
        self._rate = None if rate_tau is None else UpdateRate(rate_tau)
        self._global = P2Quantile(quantile)
        self.reset()

    def __repr__(self) -> str:
        unit = "days" if self._rate is None else "time"
        return f"LifetimePredictor(alpha={self.alpha}, quantile={self.quantile}, in {unit})"

    def reset(self) -> None:
        """Forget every lifetime (and the learned rate)."""
        self._open = {}
        self._pair = {}
        self._vsum = {}
        self._vcnt = {}
        self._global.reset()
        if self._rate is not None:
            self._rate.reset()

    def _key(self, u: int, v: int) -> tuple[int, int]:
        if self.directed or u <= v:
            return (u, v)
        return (v, u)

    def _vertex_estimate(self, u: int, v: int) -> float | None:
        cu = self._vcnt.get(u, 0)
        cv = self._vcnt.get(v, 0)
        if cu and cv:
            return 0.5 * (self._vsum[u] / cu + self._vsum[v] / cv)
        if cu:
            return self._vsum[u] / cu
        if cv:
            return self._vsum[v] / cv
        return None

    def lifetime(self, u: int, v: int) -> float | None:
        """The lifetime the predictor would give a new element ``(u, v)`` now.

        In days, or in time units with ``rate_tau``; ``None`` before any
        lifetime was observed.
        """
        pair = self._pair.get(self._key(u, v))
        vert = self._vertex_estimate(u, v)
        if pair is not None:
            ema, c = pair
            w = self.vertex_weight
            if vert is None or w == 0.0:
                return ema
            return (ema * c + w * vert) / (c + w)
        if vert is not None:
            return vert
        return self._global.value()

    def predict(self, day: int, time: int, u: int, v: int) -> int:
        """Predicted deletion day: ``day`` plus the predicted lifetime (at least 1)."""
        life = self.lifetime(u, v)
        if life is None:
            return day + self.initial
        if self._rate is None:
            return day + _days_ahead(life)
        r = self._rate.rate(time)
        if r is None:
            return day + self.initial
        return day + 1 + int(r * life + 0.5)

    def observe(self, day: int, time: int, op: int, u: int, v: int) -> None:
        """Remember an insertion's day (or time); learn the lifetime at a deletion."""
        key = self._key(u, v)
        clock = day
        if self._rate is not None:
            self._rate.observe(time)
            clock = time
        if op == _INSERT:
            self._open[key] = clock
            return
        start = self._open.pop(key, None)
        if start is None:
            return
        life = float(clock - start)
        old = self._pair.get(key)
        if old is None:
            self._pair[key] = (life, 1)
        else:
            self._pair[key] = (old[0] + self.alpha * (life - old[0]), old[1] + 1)
        for x in (u, v) if u != v else (u,):
            self._vsum[x] = self._vsum.get(x, 0.0) + life
            self._vcnt[x] = self._vcnt.get(x, 0) + 1
        self._global.observe(life)


class RepeatPeriodPredictor:
    """For periodic workloads: a pair's next lifetime repeats its last one.

    Parameters
    ----------
    quantile : float, default 0.5
        Quantile of all past lifetimes (a running [`P2Quantile`][predictors.learned.P2Quantile]) used for
        pairs never seen deleted; 0.5 is the median.
    initial : int, default 1
        Lifetime (days) predicted before any lifetime was observed.
    directed : bool, default False
        If False, ``(u, v)`` and ``(v, u)`` are the same pair.

    Notes
    -----
    If every pair's lifetimes (in days) repeat -- e.g. the update sequence is
    periodic -- the predictions are exact for every insertion of a pair after
    its first lifetime ended.  Otherwise the predicted deletion is ``day +``
    the global median lifetime so far.

    Examples
    --------
    >>> p = RepeatPeriodPredictor()
    >>> p.predict(1, 1, 0, 1)               # nothing learned yet: day + initial
    2
    >>> for d, o in enumerate([1, 1, 0, 0], start=1):
    ...     p.observe(d, d, o, 0 if d in (1, 3) else 2, 1)
    >>> p.predict(5, 5, 1, 0)               # {0,1} lived 2 days
    7
    """

    quantile: float
    initial: int
    directed: bool
    _global: P2Quantile
    _open: dict[tuple[int, int], int]
    _last: dict[tuple[int, int], int]

    def __init__(self, quantile: float = 0.5, *, initial: int = 1, directed: bool = False) -> None:
        self.quantile = float(quantile)
        self.initial = _positive_int(initial, "initial")
        self.directed = bool(directed)
        self._global = P2Quantile(quantile)
        self.reset()

    def __repr__(self) -> str:
        return "RepeatPeriodPredictor()"

    def reset(self) -> None:
        """Forget every lifetime."""
        self._open = {}
        self._last = {}
        self._global.reset()

    def _key(self, u: int, v: int) -> tuple[int, int]:
        if self.directed or u <= v:
            return (u, v)
        return (v, u)

    def predict(self, day: int, time: int, u: int, v: int) -> int:
        """``day`` plus the pair's last lifetime (else the global median lifetime)."""
        last = self._last.get(self._key(u, v))
        if last is not None:
            return day + max(last, 1)
        g = self._global.value()
        return day + (self.initial if g is None else _days_ahead(g))

    def observe(self, day: int, time: int, op: int, u: int, v: int) -> None:
        """Remember an insertion's day; record the lifetime at a deletion."""
        key = self._key(u, v)
        if op == _INSERT:
            self._open[key] = day
            return
        start = self._open.pop(key, None)
        if start is None:
            return
        life = day - start
        self._last[key] = life
        self._global.observe(float(life))
