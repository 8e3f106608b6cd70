"""Typed updates, update batches, predictions and query arrays.

Two ways to talk to a dynamic structure:

* one update at a time, with the frozen dataclasses [`Insert`][dynalgo.Insert] and
  [`Delete`][dynalgo.Delete] (or the structure's ``insert`` / ``delete`` methods);
* a whole sequence at once, with a numpy-backed [`UpdateBatch`][dynalgo.UpdateBatch], which the
  compiled fast path (``run``) consumes without touching Python objects.

Time is counted in *days*: day ``d`` is the ``d``-th update (1-based).  Queries
for the fast path are an ``int64`` array of shape ``(q, 3)`` holding rows
``(day, u, v)`` with non-decreasing days; each is answered on the state right
after that day's update (day 0 means before the batch's first update).
"""

from __future__ import annotations

import enum
import numbers
import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence, Union, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .errors import DynalgoError, InvalidInputError, InvalidTypeError, PredictionError, QueryError

__all__ = [
    "Op",
    "Insert",
    "Delete",
    "Update",
    "UpdateBatch",
    "Predictions",
    "UPDATE_DTYPE",
    "PREDICTION_DTYPE",
    "as_queries",
    "sorted_queries",
    "sorted_days",
    "BatchIndexError",
]


class BatchIndexError(DynalgoError, IndexError):
    """An index into an [`UpdateBatch`][dynalgo.UpdateBatch] is out of range."""


class Op(enum.IntEnum):
    """Kind of an update event."""

    INSERT = 1
    DELETE = 0


@dataclass(frozen=True, slots=True)
class Insert:
    """Insert the element ``{u, v}`` (an edge, or an arc ``u -> v`` for directed problems).

    Examples
    --------
    >>> Insert(0, 1)
    Insert(u=0, v=1, weight=1.0)
    """

    u: int
    v: int
    weight: float = 1.0

    @property
    def op(self) -> Op:
        return Op.INSERT


@dataclass(frozen=True, slots=True)
class Delete:
    """Delete the element ``{u, v}``.

    Examples
    --------
    >>> Delete(2, 3).op
    <Op.DELETE: 0>
    """

    u: int
    v: int

    @property
    def op(self) -> Op:
        return Op.DELETE


Update = Union[Insert, Delete]

#: Structured dtype of an [`UpdateBatch`][dynalgo.UpdateBatch] row.
UPDATE_DTYPE = np.dtype([("op", np.int8), ("u", np.int64), ("v", np.int64), ("weight", np.float64)])
#: Structured dtype of a [`Predictions`][dynalgo.Predictions] row.
PREDICTION_DTYPE = np.dtype([("op", np.int8), ("u", np.int64), ("v", np.int64), ("day", np.int64)])

_OP_WORDS = {
    "+": Op.INSERT, "i": Op.INSERT, "ins": Op.INSERT, "insert": Op.INSERT, "a": Op.INSERT, "add": Op.INSERT,
    "-": Op.DELETE, "d": Op.DELETE, "del": Op.DELETE, "delete": Op.DELETE, "r": Op.DELETE, "remove": Op.DELETE,
}


def _int_array(
    x: ArrayLike, name: str, err: type[Exception] = InvalidInputError, clip_hi: int | None = None
) -> NDArray[np.int64]:
    """A 1-d int64 column; integral floats are accepted, bools, strings and values beyond
    int64 are not (``err``, or ``InvalidTypeError`` for a wrong type)."""
    if isinstance(x, np.ndarray) or isinstance(x, (list, tuple)):
        pass
    elif isinstance(x, (str, bytes)) or not hasattr(x, "__len__") and not hasattr(x, "__array__"):
        raise (InvalidTypeError if err is InvalidInputError else err)(
            f"{name} must be a one-dimensional array of integers, got {type(x).__name__}")
    try:
        shape = np.shape(x)
    except (ValueError, TypeError):
        shape = (-1, -1)  # ragged
    if len(shape) != 1:
        raise err(f"{name} must be one-dimensional, got shape {shape if shape != (-1, -1) else 'ragged'}")
    return _validate.int_array(x, name, err, floats=True, clip_hi=clip_hi)


def _op_array(x: ArrayLike, err: type[Exception] = InvalidInputError) -> NDArray[np.int8]:
    a = _int_array(x, "op", err)
    _check_ops(a, err)
    return a.astype(np.int8)


def _check_ops(a: NDArray[Any], err: type[Exception] = InvalidInputError, what: str = "op") -> None:
    """Raise ``err`` if some entry of ``a`` is neither Op.INSERT (1) nor Op.DELETE (0)."""
    bad = (a != Op.INSERT) & (a != Op.DELETE)
    if np.any(bad):
        k = int(np.argmax(bad))
        raise err(f"{what} must be Op.INSERT (1) or Op.DELETE (0), got {int(a[k])} in row {k}")


def _objects(values: Iterable[Any]) -> NDArray[np.object_]:
    """A 1-d object array holding ``values`` as they are (no conversion, no broadcasting)."""
    vals = list(values)
    out = np.empty(len(vals), dtype=object)
    for i, x in enumerate(vals):
        out[i] = x
    return out


def _weights(weight: ArrayLike | None, length: int) -> NDArray[np.float64]:
    """The weight column: real numbers (NaN and infinities are the structures' business)."""
    if weight is None:
        return np.ones(length, dtype=np.float64)
    if isinstance(weight, (str, bytes)):
        raise InvalidTypeError(f"weight must be an array of numbers, got {type(weight).__name__}")
    try:
        raw = np.asarray(weight)
    except (ValueError, TypeError, OverflowError):
        raise InvalidInputError("weight must be a one-dimensional array of numbers, got a ragged sequence") from None
    if raw.shape != (length,):
        raise InvalidInputError(f"weight must have length {length}, got shape {raw.shape}")
    if isinstance(weight, np.ndarray):
        if raw.dtype.kind in "iuf":
            return np.ascontiguousarray(raw, dtype=np.float64)
        if raw.dtype.kind != "O":
            raise InvalidTypeError(f"weight must hold real numbers, got dtype {raw.dtype}")
    else:  # a sequence may hide bools among numbers: check every entry
        raw = np.asarray(weight, dtype=object)
    out = np.empty(length, dtype=np.float64)
    for i, x in enumerate(raw.tolist()):
        if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
            raise InvalidTypeError(f"weight[{i}] is {x!r} of type {type(x).__name__}, not a real number")
        try:
            out[i] = float(x)
        except OverflowError:
            raise InvalidInputError(f"weight[{i}] = {x!r} does not fit in a float64") from None
    return out


class UpdateBatch:
    """A sequence of updates stored as one numpy structured array.

    Row ``i`` is the update of day ``i + 1`` relative to the start of the batch.
    Columns: ``op`` ([`Op`][dynalgo.Op] as int8), ``u``, ``v`` (int64) and ``weight``
    (float64, 1.0 unless given; deletions ignore it).

    Examples
    --------
    >>> b = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2), Delete(0, 1)])
    >>> len(b), b.op.tolist(), b.u.tolist()
    (3, [1, 1, 0], [0, 1, 0])
    >>> list(b)[2]
    Delete(u=0, v=1)
    """

    __slots__ = ("data",)

    def __init__(self, data: NDArray[np.void]) -> None:
        if not isinstance(data, np.ndarray) or data.dtype != UPDATE_DTYPE or data.ndim != 1:
            raise InvalidTypeError(
                f"UpdateBatch needs a 1-d structured array of dtype {UPDATE_DTYPE}; "
                "use UpdateBatch.from_updates or UpdateBatch.from_arrays"
            )
        _check_ops(data["op"])
        self.data = data

    # construction -----------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        op: ArrayLike,
        u: ArrayLike,
        v: ArrayLike,
        weight: ArrayLike | None = None,
    ) -> "UpdateBatch":
        """Build a batch from parallel arrays ``op``, ``u``, ``v`` and optional ``weight``."""
        op_a = _op_array(op)
        u_a = _int_array(u, "u")
        v_a = _int_array(v, "v")
        if not (op_a.shape == u_a.shape == v_a.shape):
            raise InvalidInputError(f"op, u, v must have equal lengths, got {op_a.size}, {u_a.size}, {v_a.size}")
        w = _weights(weight, op_a.size)
        data = np.empty(op_a.size, dtype=UPDATE_DTYPE)
        data["op"] = op_a
        data["u"] = u_a
        data["v"] = v_a
        data["weight"] = w
        return cls(data)

    @classmethod
    def from_updates(cls, updates: Iterable[Update]) -> "UpdateBatch":
        """Build a batch from [`Insert`][dynalgo.Insert] / [`Delete`][dynalgo.Delete] objects.

        The fields obey the rules of ``from_arrays``: ``u`` and ``v`` are
        integers (floats with integral values are accepted; bools, strings and
        values beyond int64 are not) and ``weight`` is a real number.
        """
        if isinstance(updates, (str, bytes)) or not isinstance(updates, Iterable):
            raise InvalidTypeError(f"updates must be an iterable of Insert / Delete, got {type(updates).__name__}")
        ups = list(updates)
        ops: list[int] = []
        us: list[Any] = []
        vs: list[Any] = []
        ws: list[Any] = []
        for i, up in enumerate(ups):
            if isinstance(up, Insert):
                ops.append(Op.INSERT)
                ws.append(up.weight)
            elif isinstance(up, Delete):
                ops.append(Op.DELETE)
                ws.append(1.0)
            else:
                raise InvalidTypeError(f"update {i} is {up!r}; expected Insert or Delete")
            us.append(up.u)
            vs.append(up.v)
        return cls.from_arrays(np.asarray(ops, dtype=np.int8), _objects(us), _objects(vs), _objects(ws))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> "UpdateBatch":
        """Read an edge-event file: one ``op u v [weight]`` per line.

        ``op`` is ``+``/``i``/``insert`` or ``-``/``d``/``delete``; blank lines and
        lines starting with ``#`` are skipped.
        """
        if not isinstance(path, (str, os.PathLike)):
            raise InvalidTypeError(f"path must be a str or os.PathLike, got {type(path).__name__}")
        ops: list[int] = []
        us: list[int] = []
        vs: list[int] = []
        ws: list[float] = []
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                s = line.strip()
                if not s or s.startswith("#"):
                    continue
                parts = s.split()
                if len(parts) not in (3, 4) or parts[0].lower() not in _OP_WORDS:
                    raise InvalidInputError(f"{path}:{lineno}: expected 'op u v [weight]', got {s!r}")
                try:
                    ops.append(int(_OP_WORDS[parts[0].lower()]))
                    us.append(int(parts[1]))
                    vs.append(int(parts[2]))
                    ws.append(float(parts[3]) if len(parts) == 4 else 1.0)
                except ValueError as exc:
                    raise InvalidInputError(f"{path}:{lineno}: {exc}") from None
        return cls.from_arrays(ops, us, vs, ws)

    # access -----------------------------------------------------------------------
    @property
    def op(self) -> NDArray[np.int8]:
        return self.data["op"]

    @property
    def u(self) -> NDArray[np.int64]:
        return self.data["u"]

    @property
    def v(self) -> NDArray[np.int64]:
        return self.data["v"]

    @property
    def weight(self) -> NDArray[np.float64]:
        return self.data["weight"]

    def __len__(self) -> int:
        return int(self.data.shape[0])

    def __iter__(self) -> Iterator[Update]:
        for op, u, v, w in self.data.tolist():
            yield Insert(u, v, w) if op == Op.INSERT else Delete(u, v)

    @overload
    def __getitem__(self, idx: slice) -> "UpdateBatch": ...

    @overload
    def __getitem__(self, idx: int) -> Update: ...

    def __getitem__(self, idx: slice | int) -> "UpdateBatch | Update":
        """``b[i]``: the update of batch day ``i + 1`` (negative ``i`` counts from the end);
        ``b[i:j]``: the updates of days ``i + 1..j`` as a new batch.

        Raises
        ------
        BatchIndexError
            If ``i`` is out of range (a ``DynalgoError`` and an ``IndexError``).
        InvalidTypeError
            If ``idx`` is neither an integer nor a slice.
        """
        if isinstance(idx, slice):
            return UpdateBatch(self.data[idx])
        if isinstance(idx, (bool, np.bool_)) or not isinstance(idx, (int, np.integer)):
            raise InvalidTypeError(f"UpdateBatch indices must be integers or slices, got {type(idx).__name__}")
        T = len(self)
        i = int(idx)
        if not -T <= i < T:
            raise BatchIndexError(f"update index {i} is out of range for a batch of {T} updates")
        op, u, v, w = self.data[i].tolist()
        return Insert(u, v, w) if op == Op.INSERT else Delete(u, v)

    def __repr__(self) -> str:
        ni = int(np.count_nonzero(self.op == Op.INSERT))
        nd = len(self) - ni

        def count(k: int, word: str) -> str:
            return f"{k} {word}" + ("" if k == 1 else "s")

        return f"UpdateBatch({count(len(self), 'update')}: {count(ni, 'insert')}, {count(nd, 'delete')})"

    @classmethod
    def concat(cls, batches: Sequence["UpdateBatch"]) -> "UpdateBatch":
        """Concatenate batches in order."""
        if isinstance(batches, (str, bytes)) or not isinstance(batches, Iterable):
            raise InvalidTypeError(f"batches must be a sequence of UpdateBatch, got {type(batches).__name__}")
        batches = list(batches)
        for i, b in enumerate(batches):
            if not isinstance(b, UpdateBatch):
                raise InvalidTypeError(f"batches[{i}] is a {type(b).__name__}, not an UpdateBatch")
        return cls(np.concatenate([b.data for b in batches]) if batches else np.empty(0, UPDATE_DTYPE))


class Predictions:
    """Predicted events ``(op, u, v, day)`` in the predicted-updates model.

    Days are absolute days of the structure's timeline (1-based).  Predictions
    may be wrong or infeasible (a deletion predicted before its insertion);
    they only ever change running time, never answers.

    Examples
    --------
    >>> p = Predictions.from_arrays([1, 0], [0, 0], [1, 1], [1, 5])
    >>> len(p), p.horizon
    (2, 5)
    """

    __slots__ = ("data",)

    def __init__(self, data: NDArray[np.void]) -> None:
        if not isinstance(data, np.ndarray) or data.dtype != PREDICTION_DTYPE or data.ndim != 1:
            raise PredictionError(
                f"Predictions needs a 1-d structured array of dtype {PREDICTION_DTYPE}; "
                "use Predictions.from_arrays or Predictions.from_batch"
            )
        _check_ops(data["op"], PredictionError)
        if data.size and int(data["day"].min()) < 1:
            raise PredictionError(f"predicted days must be >= 1, got {int(data['day'].min())}")
        self.data = data

    @classmethod
    def from_arrays(cls, op: ArrayLike, u: ArrayLike, v: ArrayLike, day: ArrayLike) -> "Predictions":
        """Build predictions from parallel arrays."""
        op_a = _op_array(op, PredictionError)
        u_a = _int_array(u, "u", PredictionError)
        v_a = _int_array(v, "v", PredictionError)
        d_a = _int_array(day, "day", PredictionError, clip_hi=_validate.INT64_MAX)
        if not (op_a.shape == u_a.shape == v_a.shape == d_a.shape):
            raise PredictionError("op, u, v, day must have equal lengths")
        data = np.empty(op_a.size, dtype=PREDICTION_DTYPE)
        data["op"] = op_a
        data["u"] = u_a
        data["v"] = v_a
        data["day"] = d_a
        return cls(data)

    @classmethod
    def from_batch(cls, batch: UpdateBatch, first_day: int = 1) -> "Predictions":
        """The exact predictions of ``batch`` when its first update falls on ``first_day``."""
        if not isinstance(batch, UpdateBatch):
            raise PredictionError(f"batch must be a dynalgo.UpdateBatch, got {type(batch).__name__}")
        n = len(batch)
        first_day = _validate.integer(first_day, "first_day", 1, _validate.INT64_MAX - n, PredictionError)
        return cls.from_arrays(batch.op, batch.u, batch.v, np.arange(first_day, first_day + n, dtype=np.int64))

    @classmethod
    def empty(cls) -> "Predictions":
        """No predictions at all."""
        return cls(np.empty(0, dtype=PREDICTION_DTYPE))

    @classmethod
    def coerce(cls, x: "Predictions | Any | None") -> "Predictions":
        """Accept ``Predictions``, ``None`` (no predictions) or anything with
        ``op``, ``u``, ``v``, ``day`` arrays (e.g. what ``predictors`` returns)."""
        if x is None:
            return cls.empty()
        if isinstance(x, Predictions):
            return x
        if all(hasattr(x, a) for a in ("op", "u", "v", "day")):
            return cls.from_arrays(x.op, x.u, x.v, x.day)
        raise PredictionError(
            f"predictions must be dynalgo.Predictions or have op/u/v/day arrays, got {type(x).__name__}"
        )

    @property
    def op(self) -> NDArray[np.int8]:
        return self.data["op"]

    @property
    def u(self) -> NDArray[np.int64]:
        return self.data["u"]

    @property
    def v(self) -> NDArray[np.int64]:
        return self.data["v"]

    @property
    def day(self) -> NDArray[np.int64]:
        return self.data["day"]

    @property
    def horizon(self) -> int:
        """The largest predicted day (0 when there are no predictions)."""
        return int(self.data["day"].max()) if self.data.size else 0

    def __len__(self) -> int:
        return int(self.data.shape[0])

    def __repr__(self) -> str:
        return f"Predictions({len(self)} events, horizon {self.horizon})"


def as_queries(queries: ArrayLike | None, n: int, first_day: int, last_day: int) -> NDArray[np.int64]:
    """Validate a ``(q, 3)`` query array of rows ``(day, u, v)``.

    Days are relative to the batch (0 = before its first update, ``last_day`` =
    after its last one); they must be non-decreasing.  Returns a C-contiguous
    int64 copy.
    """
    return _query_rows(queries, n, first_day, last_day, require_sorted=True)


def sorted_queries(
    queries: ArrayLike | None, n: int, first_day: int, last_day: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Validate a ``(q, 3)`` query array of rows ``(day, u, v)`` in any order.

    Returns the rows sorted by day (stable, as a C-contiguous int64 copy) and the
    permutation ``order`` that sorted them: the answer to input row ``order[i]`` is
    the answer to sorted row ``i`` (``out[order] = answers``).
    """
    q = _query_rows(queries, n, first_day, last_day, require_sorted=False)
    order = np.argsort(q[:, 0], kind="stable").astype(np.int64)
    return np.ascontiguousarray(q[order]), order


def _query_rows(
    queries: ArrayLike | None, n: int, first_day: int, last_day: int, *, require_sorted: bool
) -> NDArray[np.int64]:
    if queries is None:
        return np.zeros((0, 3), dtype=np.int64)
    try:
        shape: tuple[int, ...] | None = None if isinstance(queries, (str, bytes)) else np.shape(queries)
    except (ValueError, TypeError):
        shape = None  # ragged
    if shape is None:
        raise QueryError(f"queries must be an integer array of shape (q, 3) with rows (day, u, v), got {type(queries).__name__}")
    if int(np.prod(shape)) == 0:
        return np.zeros((0, 3), dtype=np.int64)
    if len(shape) != 2 or shape[1] != 3:
        raise QueryError(f"queries must have shape (q, 3) with rows (day, u, v), got shape {shape}")
    q = _validate.int_array(queries, "queries", QueryError)
    d = q[:, 0]
    if require_sorted and np.any(np.diff(d) < 0):
        raise QueryError("query days must be non-decreasing")
    lo, hi = int(d.min()), int(d.max())
    if lo < first_day or hi > last_day:
        raise QueryError(f"query days must lie in [{first_day}, {last_day}], got [{lo}, {hi}]")
    verts = q[:, 1:]
    if verts.min() < 0 or verts.max() >= n:
        bad = int(verts[(verts < 0) | (verts >= n)][0])
        raise QueryError(f"query vertex {bad} is out of range 0..{n - 1}")
    return q


def sorted_days(queries: ArrayLike | None, T: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Component-count queries: batch days in ``0..T`` given as a 1-d array (or as rows
    ``(day, u, v)`` whose vertices are ignored), default every day ``1..T``.  Returns
    ``(q, order)`` as ``dynalgo.updates.sorted_queries`` does: rows ``(day, 0, 0)`` sorted
    by day and the permutation that sorted them."""
    if queries is None:
        d = np.arange(1, T + 1, dtype=np.int64)
    else:
        try:
            shape: tuple[int, ...] | None = None if isinstance(queries, (str, bytes)) else np.shape(queries)
        except (ValueError, TypeError):
            shape = None  # ragged
        if shape is not None and len(shape) == 2 and shape[1] == 3:
            d = _validate.int_array(queries, "queries", QueryError)[:, 0]
        elif shape is not None and len(shape) == 1:
            d = _validate.int_array(queries, "query days", QueryError) if shape[0] else np.zeros(0, np.int64)
        elif shape is not None and int(np.prod(shape)) == 0:
            d = np.zeros(0, dtype=np.int64)
        else:
            raise QueryError("with count_components=True, queries must be a 1-d array of batch days "
                             f"(or rows (day, u, v)), got {'shape ' + str(shape) if shape is not None else type(queries).__name__}")
        if d.size and (int(d.min()) < 0 or int(d.max()) > T):
            raise QueryError(f"query days must lie in [0, {T}], got [{int(d.min())}, {int(d.max())}]")
    order = np.argsort(d, kind="stable").astype(np.int64)
    q = np.zeros((d.shape[0], 3), dtype=np.int64)
    q[:, 0] = d[order]
    return q, order
