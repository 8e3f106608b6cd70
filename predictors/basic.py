"""Basic prediction generators and the l1 prediction error.

Generators turn a true update sequence into predicted events ``(op, u, v,
day)``: [`exact`][predictors.exact] (perfect predictions), [`perturbed`][predictors.perturbed] (Gaussian
noise on the days, optional dropped events) and [`garbage`][predictors.garbage] (days drawn
uniformly at random).  [`l1_error`][predictors.l1_error] measures how far predictions are from
the truth, exactly as the predicted-updates model defines it.

This module does not import ``dynalgo``.  Inputs are duck-typed: any object
with integer array attributes ``op``, ``u`` and ``v`` (one entry per update;
row ``i`` is day ``first_day + i``) will do, e.g. ``dynalgo.updates.UpdateBatch``.
Outputs are plain tuples of numpy arrays ``(op, u, v, day)`` with dtypes
``(int8, int64, int64, int64)``; ``dynalgo.updates.Predictions.from_arrays(*t)``
wraps them.  ``op`` is 1 for an insertion and 0 for a deletion.

References
----------
.. [LS] Quanquan C. Liu and Vaidehi Srinivas, "The Predicted-Updates Dynamic
   Model: Offline, Incremental, and Decremental to Fully Dynamic
   Transformations", COLT 2024, PMLR 247; arXiv:2307.08890.  The l1 error is
   defined in Appendix B.
"""

from __future__ import annotations

import math
import numbers
import operator
from typing import NamedTuple, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "EventSequence",
    "PredictionArrays",
    "exact",
    "perturbed",
    "garbage",
    "l1_error",
    "l1_error_arrays",
]

class PredictionArrays(NamedTuple):
    """Predicted events as parallel arrays; ``dynalgo.Predictions`` accepts it directly."""

    op: NDArray[np.int8]
    u: NDArray[np.int64]
    v: NDArray[np.int64]
    day: NDArray[np.int64]

_INSERT = 1
_DELETE = 0
#: largest noise scale of [`perturbed`][predictors.perturbed]
_MAX_SCALE = 1e15


class EventSequence(Protocol):
    """Anything with parallel integer arrays ``op``, ``u`` and ``v``.

    ``op[i]`` is 1 (insert) or 0 (delete) and ``(u[i], v[i])`` is the element of
    event ``i``.  ``dynalgo.updates.UpdateBatch`` satisfies this protocol.
    """

    @property
    def op(self) -> ArrayLike: ...

    @property
    def u(self) -> ArrayLike: ...

    @property
    def v(self) -> ArrayLike: ...


# ---------------------------------------------------------------------------------
# validation helpers


_INT64_MAX = (1 << 63) - 1
#: largest first day / day offset accepted (days stay far from int64 overflow)
_MAX_DAY = 1 << 62


def _int_array(x: ArrayLike, name: str) -> NDArray[np.int64]:
    if isinstance(x, (str, bytes)):
        raise ValueError(f"{name} must be a one-dimensional array of integers, got a {type(x).__name__}")
    try:
        a = np.asarray(x)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"{name} must be a one-dimensional array of integers, got a ragged sequence") from None
    if a.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional array, got shape {a.shape}")
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    if not isinstance(x, np.ndarray) and a.dtype.kind in "iuf":
        a = np.asarray(x, dtype=object)  # a list may hide bools among its numbers
    if a.dtype == object:
        vals = a.tolist()
        for k, e in enumerate(vals):
            if isinstance(e, (bool, np.bool_)) or not isinstance(e, numbers.Real):
                raise ValueError(f"{name} must hold integers, got {e!r} at position {k}")
            if not isinstance(e, numbers.Integral):
                f = float(e)
                if not (math.isfinite(f) and f == math.floor(f)):
                    raise ValueError(f"{name} must hold integers, got non-integral floats")
                vals[k] = int(f)
            else:
                vals[k] = int(e)
            if not -_INT64_MAX - 1 <= vals[k] <= _INT64_MAX:
                raise ValueError(f"{name} must hold integers in the int64 range, got {vals[k]} at position {k}")
        return np.array(vals, dtype=np.int64)
    if a.dtype == np.bool_ or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise ValueError(f"{name} must hold integers, got dtype {a.dtype}")
    if np.issubdtype(a.dtype, np.floating):
        if not (np.all(np.isfinite(a)) and np.all(a == np.round(a))):
            raise ValueError(f"{name} must hold integers, got non-integral floats")
        if np.any(a < -(2.0 ** 63)) or np.any(a >= 2.0 ** 63):
            raise ValueError(f"{name} must hold integers in the int64 range")
    elif a.dtype == np.uint64 and int(a.max()) > _INT64_MAX:
        raise ValueError(f"{name} must hold integers in the int64 range, got {int(a.max())}")
    return a.astype(np.int64, copy=False)


def _seed(seed: object) -> object:
    """A seed for ``numpy.random.default_rng``: None, an integer >= 0 or a numpy seed object."""
    if seed is None or isinstance(seed, (np.random.SeedSequence, np.random.BitGenerator, np.random.Generator)):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be an integer >= 0 or None, got {seed!r} of type {type(seed).__name__}")
    if int(seed) < 0:
        raise ValueError(f"seed must be an integer >= 0 or None, got {int(seed)}")
    return int(seed)


def _flag(x: object, name: str) -> bool:
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {x!r} of type {type(x).__name__}")
    return bool(x)


def _op_array(x: ArrayLike, name: str = "op") -> NDArray[np.int8]:
    a = _int_array(x, name)
    bad = (a != _INSERT) & (a != _DELETE)
    if np.any(bad):
        raise ValueError(f"{name} must hold 1 (insert) or 0 (delete), got {int(a[bad][0])}")
    return a.astype(np.int8)


def _events(batch: EventSequence) -> tuple[NDArray[np.int8], NDArray[np.int64], NDArray[np.int64]]:
    try:
        op_raw, u_raw, v_raw = batch.op, batch.u, batch.v
    except AttributeError:
        raise TypeError(
            f"batch must have array attributes op, u, v (e.g. an UpdateBatch), got {type(batch).__name__}"
        ) from None
    op = _op_array(op_raw, "batch.op")
    u = _int_array(u_raw, "batch.u")
    v = _int_array(v_raw, "batch.v")
    if not (op.shape == u.shape == v.shape):
        raise ValueError(f"batch.op, batch.u, batch.v must have equal lengths, got {op.size}, {u.size}, {v.size}")
    return op, u.copy(), v.copy()


def _first_day(first_day: int) -> int:
    if isinstance(first_day, bool):
        raise ValueError("first_day must be an integer >= 1, got a bool")
    try:
        d = operator.index(first_day)
    except TypeError:
        raise ValueError(f"first_day must be an integer >= 1, got {first_day!r}") from None
    if d < 1:
        raise ValueError(f"first_day must be an integer >= 1 (days are 1-based), got {d}")
    if d > _MAX_DAY:
        raise ValueError(f"first_day must be at most 2**62, got {d}")
    return d


# ---------------------------------------------------------------------------------
# generators


def exact(batch: EventSequence, first_day: int = 1) -> PredictionArrays:
    """Perfect predictions: the true update sequence with its true days.

    Parameters
    ----------
    batch : EventSequence
        The true updates: an object with integer arrays ``op``, ``u``, ``v``
        (e.g. ``dynalgo.updates.UpdateBatch``).  Row ``i`` happens on day
        ``first_day + i``.
    first_day : int, default 1
        Day of the first update (>= 1).

    Returns
    -------
    op : ndarray of int8
        1 for insert, 0 for delete.
    u, v : ndarray of int64
        The elements.
    day : ndarray of int64
        ``first_day + arange(len(batch))``.

    Raises
    ------
    ValueError
        If the arrays are malformed or ``first_day < 1``.

    See Also
    --------
    perturbed : noisy predictions; ``perturbed(b, 0.0)`` equals ``exact(b)``.

    Notes
    -----
    With these predictions the l1 error of [1]_ is 0, the consistency case in
    which a predicted-updates algorithm runs at offline speed (up to polylog
    factors).  The returned arrays are fresh copies.

    References
    ----------
    .. [1] Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model",
       COLT 2024; arXiv:2307.08890, Appendix B.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> b = SimpleNamespace(op=[1, 1, 0], u=[0, 1, 0], v=[1, 2, 1])
    >>> op, u, v, day = exact(b, first_day=5)
    >>> op.tolist(), u.tolist(), v.tolist(), day.tolist()
    ([1, 1, 0], [0, 1, 0], [1, 2, 1], [5, 6, 7])
    >>> op.dtype, day.dtype
    (dtype('int8'), dtype('int64'))
    """
    op, u, v = _events(batch)
    d0 = _first_day(first_day)
    day = np.arange(d0, d0 + op.size, dtype=np.int64)
    return PredictionArrays(op, u, v, day)


def repeat_last_period(
    history: EventSequence, period: int, horizon: int, *, include_history: bool = False
) -> PredictionArrays:
    """Predict the next stretch of a sequence: the last ``period`` days repeat.

    A predictor for the predicted-updates model on periodic workloads (a daily
    or weekly rhythm, a schedule that repeats).  Given the updates seen so far,
    it predicts days ``T + 1 .. T + horizon`` (``T = len(history)``) as copies
    of the last ``period`` updates, day ``T + k`` repeating day
    ``T - period + 1 + (k - 1) % period``.

    Parameters
    ----------
    history : EventSequence
        The updates so far (row ``i`` on day ``i + 1``), at least ``period`` of them.
    period : int
        Length of the repeating stretch, in days (updates), >= 1.
    horizon : int
        Number of future days to predict, >= 0.
    include_history : bool, default False
        Also return the history itself on its true days (``exact(history)``
        first).  Structures match the k-th real insertion of an element with
        its k-th predicted one, counting from their first day, so a structure
        that replays the history and then continues needs these.

    Returns
    -------
    PredictionArrays
        Predicted events on days ``T + 1 .. T + horizon`` (and ``1 .. T`` with
        ``include_history``).

    Raises
    ------
    ValueError
        If ``period`` or ``horizon`` is out of range or the history is shorter
        than one period.

    Examples
    --------
    A two-day rhythm (insert, then delete, the same edge):

    >>> from types import SimpleNamespace
    >>> h = SimpleNamespace(op=[1, 0, 1, 0], u=[0, 0, 0, 0], v=[1, 1, 1, 1])
    >>> p = repeat_last_period(h, 2, 3)
    >>> p.op.tolist(), p.day.tolist()
    ([1, 0, 1], [5, 6, 7])
    >>> repeat_last_period(h, 2, 3, include_history=True).day.tolist()
    [1, 2, 3, 4, 5, 6, 7]
    """
    op, u, v = _events(history)
    if isinstance(period, bool) or not isinstance(period, (int, np.integer)) or period < 1:
        raise ValueError(f"period must be a positive integer, got {period!r}")
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 0:
        raise ValueError(f"horizon must be a non-negative integer, got {horizon!r}")
    include_history = _flag(include_history, "include_history")
    T = op.size
    if T + int(horizon) > _MAX_DAY:
        raise ValueError(f"horizon must keep the last predicted day at most 2**62, got {int(horizon)}")
    if T < period:
        raise ValueError(f"the history has {T} updates, fewer than one period ({period})")
    src = T - period + np.arange(int(horizon)) % period
    if include_history:
        src = np.concatenate([np.arange(T), src])
        day = np.arange(1, T + 1 + int(horizon), dtype=np.int64)
    else:
        day = np.arange(T + 1, T + 1 + int(horizon), dtype=np.int64)
    return PredictionArrays(op[src].copy(), u[src].copy(), v[src].copy(), day)


def perturbed(
    batch: EventSequence,
    scale: float,
    *,
    seed: int = 0,
    drop: float = 0.0,
    first_day: int = 1,
) -> PredictionArrays:
    """Predictions whose days carry Gaussian noise; some events may be dropped.

    Parameters
    ----------
    batch : EventSequence
        The true updates (integer arrays ``op``, ``u``, ``v``); row ``i``
        happens on day ``first_day + i``.
    scale : float
        Standard deviation of the noise added to each day (finite, >= 0).
    seed : int, default 0
        Seed of ``numpy.random.default_rng``; equal seeds give equal output.
    drop : float, default 0.0
        Probability, in ``[0, 1]``, of independently leaving each event
        unpredicted.
    first_day : int, default 1
        Day of the first update (>= 1).

    Returns
    -------
    op, u, v, day : ndarray
        The kept events (int8, int64, int64, int64), in the order of ``batch``
        (so days need not be sorted).

    Raises
    ------
    ValueError
        If ``scale`` is negative or not finite, ``drop`` lies outside
        ``[0, 1]``, ``first_day < 1`` or the arrays are malformed.

    See Also
    --------
    exact, garbage, l1_error

    Notes
    -----
    Each predicted day is ``true day + rint(noise)`` with ``noise ~
    Normal(0, scale)``, clipped below at 1.  The generator draws all ``n``
    noise values first and then ``n`` uniforms for the drop decisions, so for
    a fixed seed the noise of every kept event does not depend on ``drop``.
    ``scale=0`` and ``drop=0`` reproduce [`exact`][predictors.exact].  With ``drop=0`` the l1
    error [1]_ is at most the sum of the absolute day shifts (in-order matching
    is optimal on a line).  A dropped event costs ``T`` and may also shift the
    in-order matching of later events of the same element and type.

    References
    ----------
    .. [1] Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model",
       COLT 2024; arXiv:2307.08890, Appendix B.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> b = SimpleNamespace(op=[1, 1, 0, 0], u=[0, 1, 0, 1], v=[1, 2, 1, 2])
    >>> perturbed(b, 0.0)[3].tolist()
    [1, 2, 3, 4]
    >>> op, u, v, day = perturbed(b, 2.0, seed=7)
    >>> len(day), bool(day.min() >= 1)
    (4, True)
    >>> len(perturbed(b, 2.0, drop=1.0)[0])
    0
    >>> perturbed(b, -1.0)
    Traceback (most recent call last):
        ...
    ValueError: scale must be a finite number >= 0, got -1.0
    """
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, numbers.Real) or not math.isfinite(scale) or scale < 0:
        raise ValueError(f"scale must be a finite number >= 0, got {scale!r}")
    if scale > _MAX_SCALE:
        raise ValueError(f"scale must be at most {_MAX_SCALE:g} (noise beyond it leaves the range of days), got {scale!r}")
    rng_seed = _seed(seed)
    if isinstance(drop, (bool, np.bool_)) or not isinstance(drop, numbers.Real) or not (0.0 <= drop <= 1.0):
        raise ValueError(f"drop must be a probability in [0, 1], got {drop!r}")
    op, u, v = _events(batch)
    d0 = _first_day(first_day)
    n = op.size
    rng = np.random.default_rng(rng_seed)
    noise = rng.normal(0.0, float(scale), n)
    keep = rng.random(n) >= float(drop)
    day = np.arange(d0, d0 + n, dtype=np.int64) + np.rint(noise).astype(np.int64)
    np.maximum(day, 1, out=day)
    return PredictionArrays(op[keep], u[keep], v[keep], day[keep])


def garbage(batch: EventSequence, *, seed: int = 0, first_day: int = 1) -> PredictionArrays:
    """Useless predictions: the true events on uniformly random days.

    Parameters
    ----------
    batch : EventSequence
        The true updates (integer arrays ``op``, ``u``, ``v``); row ``i``
        happens on day ``first_day + i``.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.
    first_day : int, default 1
        Day of the first update (>= 1).

    Returns
    -------
    op, u, v, day : ndarray
        Every event of ``batch`` in its order (int8, int64, int64, int64), with
        ``day`` drawn independently and uniformly from
        ``[first_day, first_day + len(batch) - 1]``.

    Raises
    ------
    ValueError
        If ``first_day < 1`` or the arrays are malformed.

    See Also
    --------
    exact, perturbed

    Notes
    -----
    The predicted multiset of events is right but the timing carries no
    information, so the l1 error [1]_ is typically of order ``T^2`` over the
    whole sequence.  Benchmarks use this to check robustness: an algorithm in
    the predicted-updates model must stay within a constant factor of its
    fully dynamic backstop however bad the predictions are.

    References
    ----------
    .. [1] Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model",
       COLT 2024; arXiv:2307.08890, Appendix B.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> b = SimpleNamespace(op=[1, 1, 0, 0], u=[0, 1, 0, 1], v=[1, 2, 1, 2])
    >>> op, u, v, day = garbage(b, seed=3, first_day=10)
    >>> op.tolist(), u.tolist()
    ([1, 1, 0, 0], [0, 1, 0, 1])
    >>> bool(((10 <= day) & (day <= 13)).all())
    True
    """
    rng_seed = _seed(seed)
    op, u, v = _events(batch)
    d0 = _first_day(first_day)
    n = op.size
    rng = np.random.default_rng(rng_seed)  # type: ignore[arg-type]
    day = rng.integers(d0, d0 + n, size=n, dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    return PredictionArrays(op, u, v, day)


# ---------------------------------------------------------------------------------
# l1 error

_PACK_LIMIT = 1 << 62


def _element(u: NDArray[np.int64], v: NDArray[np.int64], directed: bool) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    if directed:
        return u, v
    return np.minimum(u, v), np.maximum(u, v)


def _group_keys(
    p_op: NDArray[np.int8],
    p_a: NDArray[np.int64],
    p_b: NDArray[np.int64],
    r_op: NDArray[np.int8],
    r_a: NDArray[np.int64],
    r_b: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """One int64 per event, equal exactly when ``(op, a, b)`` are equal.

    Both event sets must be non-empty.  Keys are packings of ``(op, a, b)``
    when the value ranges allow it, otherwise dense ranks from a lexicographic
    sort of the union.
    """
    amin = min(int(p_a.min()), int(r_a.min()))
    bmin = min(int(p_b.min()), int(r_b.min()))
    ra = max(int(p_a.max()), int(r_a.max())) - amin + 1
    rb = max(int(p_b.max()), int(r_b.max())) - bmin + 1
    if 2 * ra * rb <= _PACK_LIMIT:
        keys = []
        for op, a, b in ((p_op, p_a, p_b), (r_op, r_a, r_b)):
            key = op.astype(np.int64)
            key *= ra * rb
            key += (a - amin) * rb
            key += b - bmin
            keys.append(key)
        return keys[0], keys[1]
    all_op = np.concatenate((p_op, r_op))
    all_a = np.concatenate((p_a, r_a))
    all_b = np.concatenate((p_b, r_b))
    order = np.lexsort((all_b, all_a, all_op))
    oa, ob, oo = all_a[order], all_b[order], all_op[order]
    new = np.empty(order.size, dtype=np.bool_)
    new[0] = True
    new[1:] = (oa[1:] != oa[:-1]) | (ob[1:] != ob[:-1]) | (oo[1:] != oo[:-1])
    dense = np.empty(order.size, dtype=np.int64)
    dense[order] = np.cumsum(new) - 1
    m = p_op.size
    return dense[:m], dense[m:]


def _order_by_key_day(key: NDArray[np.int64], day: NDArray[np.int64]) -> NDArray[np.intp]:
    """Indices sorting a non-empty event set by ``(key, day)``.

    Ties (same key and day) are interchangeable for the l1 error, so the order
    among them does not matter.  One packed ``argsort`` when ``key`` and ``day``
    fit together in an int64, else a two-key ``lexsort``.
    """
    kmin, dmin = int(key.min()), int(day.min())
    span_d = int(day.max()) - dmin + 1
    if (int(key.max()) - kmin + 1) * span_d <= _PACK_LIMIT:
        packed = (key - kmin) * span_d
        packed += day - dmin
        return np.argsort(packed)
    return np.lexsort((day, key))


def _groups(sorted_keys: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Distinct keys of a sorted non-empty array, with their start rows and counts."""
    n = sorted_keys.size
    new = np.empty(n, dtype=np.bool_)
    new[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=new[1:])
    starts = np.flatnonzero(new).astype(np.int64)
    counts = np.diff(np.append(starts, n))
    return sorted_keys[starts], starts, counts


def l1_error_arrays(
    pred_op: ArrayLike,
    pred_u: ArrayLike,
    pred_v: ArrayLike,
    pred_day: ArrayLike,
    op: ArrayLike,
    u: ArrayLike,
    v: ArrayLike,
    *,
    first_day: int = 1,
    horizon: int | None = None,
    directed: bool = False,
) -> int:
    """The l1 error of predicted events against the real update sequence.

    Parameters
    ----------
    pred_op, pred_u, pred_v, pred_day : array_like of int
        Predicted events: type (1 insert, 0 delete), element and predicted day,
        in any order.
    op, u, v : array_like of int
        The real events; event ``i`` happens on day ``first_day + i``.
    first_day : int, default 1
        Day of the first real event (>= 1).
    horizon : int or None, default None
        ``T``, the cost of an unmatched event; ``None`` means the number of
        real events.
    directed : bool, default False
        If False, ``(u, v)`` and ``(v, u)`` are the same element (an undirected
        edge, keyed by ``(min(u, v), max(u, v))``); if True they differ.

    Returns
    -------
    int
        The l1 error (0 for perfect predictions).

    Raises
    ------
    ValueError
        If the arrays are not one-dimensional integer arrays of matching
        lengths, an op is not 0 or 1, ``first_day < 1`` or ``horizon < 0``.

    See Also
    --------
    exact, perturbed, garbage

    Notes
    -----
    Following [1]_ (Appendix B): for each element and each type (insert or
    delete), sort that element's predicted days and real days of that type and
    match them in order, the k-th prediction with the k-th real event.  A
    matched pair costs ``|predicted day - real day|``; every unmatched event (it
    happens but was never predicted, or it was predicted but never happens)
    costs ``T``.  When an element has as many predicted as real events of a
    type, in-order matching is the cheapest perfect matching between them (two
    sorted point sets on a line); otherwise the unmatched events are the last
    ones in day order, as the definition prescribes.

    The computation is vectorised: events are keyed by ``(type, element)``,
    sorted by ``(key, day)``, ranked within their group, and the first
    ``min(#predicted, #real)`` events of each group are paired.  It takes
    ``O((m + n) log(m + n))`` time and runs on a million events in a fraction
    of a second.

    References
    ----------
    .. [1] Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model:
       Offline, Incremental, and Decremental to Fully Dynamic
       Transformations", COLT 2024, PMLR 247; arXiv:2307.08890, Appendix B.

    Examples
    --------
    Real: insert {0,1} on day 1, insert {1,2} on day 2, delete {0,1} on day 3.

    >>> op, u, v = [1, 1, 0], [0, 1, 0], [1, 2, 1]
    >>> l1_error_arrays(op, u, v, [1, 2, 3], op, u, v)
    0

    The deletion predicted three days late costs 3; the same edge written
    ``(1, 0)`` is the same element.

    >>> l1_error_arrays([1, 1, 0], [0, 1, 1], [1, 2, 0], [1, 2, 6], op, u, v)
    3

    An unpredicted event costs ``T`` (here the number of real events, 3) and so
    does a prediction that never happens.

    >>> l1_error_arrays([1, 1], [0, 1], [1, 2], [1, 2], op, u, v)
    3
    >>> l1_error_arrays([1, 1, 0, 1], [0, 1, 0, 5], [1, 2, 1, 6], [1, 2, 3, 2], op, u, v, horizon=10)
    10
    """
    p_op = _op_array(pred_op, "pred_op")
    p_u = _int_array(pred_u, "pred_u")
    p_v = _int_array(pred_v, "pred_v")
    p_day = _int_array(pred_day, "pred_day")
    if not (p_op.shape == p_u.shape == p_v.shape == p_day.shape):
        raise ValueError(
            "pred_op, pred_u, pred_v, pred_day must have equal lengths, "
            f"got {p_op.size}, {p_u.size}, {p_v.size}, {p_day.size}"
        )
    r_op = _op_array(op, "op")
    r_u = _int_array(u, "u")
    r_v = _int_array(v, "v")
    if not (r_op.shape == r_u.shape == r_v.shape):
        raise ValueError(f"op, u, v must have equal lengths, got {r_op.size}, {r_u.size}, {r_v.size}")
    d0 = _first_day(first_day)
    directed = _flag(directed, "directed")
    m, n = int(p_op.size), int(r_op.size)
    if horizon is None:
        t = n
    else:
        if isinstance(horizon, bool):
            raise ValueError("horizon must be a non-negative integer or None, got a bool")
        try:
            t = operator.index(horizon)
        except TypeError:
            raise ValueError(f"horizon must be a non-negative integer or None, got {horizon!r}") from None
        if t < 0:
            raise ValueError(f"horizon must be a non-negative integer or None, got {t}")
    if m == 0 or n == 0:
        return (m + n) * t

    p_a, p_b = _element(p_u, p_v, directed)
    r_a, r_b = _element(r_u, r_v, directed)
    kp, kr = _group_keys(p_op, p_a, p_b, r_op, r_a, r_b)

    order_r = _order_by_key_day(kr, np.arange(n, dtype=np.int64))
    order_p = _order_by_key_day(kp, p_day)
    gr_key, gr_start, gr_cnt = _groups(kr[order_r])
    gp_key, gp_start, gp_cnt = _groups(kp[order_p])

    # Pair every prediction group with the real group of the same key (if any).
    pos = np.searchsorted(gr_key, gp_key)
    np.minimum(pos, gr_key.size - 1, out=pos)
    hit = gr_key[pos] == gp_key
    pos = pos[hit]
    k = np.minimum(gp_cnt[hit], gr_cnt[pos])
    matched = int(k.sum())
    if matched == 0:
        return (m + n) * t
    within = np.arange(matched, dtype=np.int64) - np.repeat(np.cumsum(k) - k, k)
    p_rows = order_p[np.repeat(gp_start[hit], k) + within]
    r_rows = order_r[np.repeat(gr_start[pos], k) + within]
    dist = int(np.abs(p_day[p_rows] - (r_rows + d0)).sum())
    return dist + (m + n - 2 * matched) * t


class _PredictedEvents(Protocol):
    @property
    def op(self) -> ArrayLike: ...
    @property
    def u(self) -> ArrayLike: ...
    @property
    def v(self) -> ArrayLike: ...
    @property
    def day(self) -> ArrayLike: ...


def l1_error(
    predictions: _PredictedEvents,
    batch: EventSequence,
    *,
    first_day: int = 1,
    horizon: int | None = None,
    directed: bool = False,
) -> int:
    """The l1 error of ``predictions`` against the real sequence ``batch``.

    ``predictions`` is anything with ``op``, ``u``, ``v``, ``day`` arrays
    (``dynalgo.Predictions`` or the tuples returned here); ``batch`` anything
    with ``op``, ``u``, ``v`` (``dynalgo.UpdateBatch``), its row ``i`` being day
    ``first_day + i``.  See [`l1_error_arrays`][predictors.l1_error_arrays] for the definition.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> b = SimpleNamespace(op=[1, 1, 0], u=[0, 1, 0], v=[1, 2, 1])
    >>> l1_error(perturbed(b, 0.0), b)
    0
    >>> l1_error(PredictionArrays(*[np.asarray(x) for x in ([1, 1, 0], [0, 1, 0], [1, 2, 1], [1, 2, 5])]), b)
    2
    """
    return l1_error_arrays(
        predictions.op, predictions.u, predictions.v, predictions.day,
        batch.op, batch.u, batch.v,
        first_day=first_day, horizon=horizon, directed=directed,
    )
