"""Typed updates, update batches, predictions and query arrays.

Two ways to talk to a dynamic structure:

* one update at a time, with the frozen dataclasses :class:`Insert` and
  :class:`Delete` (or the structure's ``insert`` / ``delete`` methods);
* a whole sequence at once, with a numpy-backed :class:`UpdateBatch`, which the
  compiled fast path (``run``) consumes without touching Python objects.

Time is counted in *days*: day ``d`` is the ``d``-th update (1-based).  Queries
for the fast path are an ``int64`` array of shape ``(q, 3)`` holding rows
``(day, u, v)`` with non-decreasing days; each is answered on the state right
after that day's update (day 0 means before the batch's first update).
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import InvalidInputError, PredictionError, QueryError

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
]


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

#: Structured dtype of an :class:`UpdateBatch` row.
UPDATE_DTYPE = np.dtype([("op", np.int8), ("u", np.int64), ("v", np.int64), ("weight", np.float64)])
#: Structured dtype of a :class:`Predictions` row.
PREDICTION_DTYPE = np.dtype([("op", np.int8), ("u", np.int64), ("v", np.int64), ("day", np.int64)])

_OP_WORDS = {
    "+": Op.INSERT, "i": Op.INSERT, "ins": Op.INSERT, "insert": Op.INSERT, "a": Op.INSERT, "add": Op.INSERT,
    "-": Op.DELETE, "d": Op.DELETE, "del": Op.DELETE, "delete": Op.DELETE, "r": Op.DELETE, "remove": Op.DELETE,
}


def _int_array(x: ArrayLike, name: str, err: type[Exception] = InvalidInputError) -> NDArray[np.int64]:
    a = np.asarray(x)
    if a.ndim != 1:
        raise err(f"{name} must be one-dimensional, got shape {a.shape}")
    if a.size == 0:
        return np.zeros(0, dtype=np.int64)
    if a.dtype == np.bool_ or not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
        raise err(f"{name} must hold integers, got dtype {a.dtype}")
    if np.issubdtype(a.dtype, np.floating):
        if not np.all(np.isfinite(a)) or not np.all(a == np.round(a)):
            raise err(f"{name} must hold integers, got non-integral floats")
    return a.astype(np.int64, copy=False)


def _op_array(x: ArrayLike, err: type[Exception] = InvalidInputError) -> NDArray[np.int8]:
    a = _int_array(x, "op", err)
    bad = (a != Op.INSERT) & (a != Op.DELETE)
    if np.any(bad):
        raise err(f"op must be Op.INSERT (1) or Op.DELETE (0), got {a[bad][0]}")
    return a.astype(np.int8)


class UpdateBatch:
    """A sequence of updates stored as one numpy structured array.

    Row ``i`` is the update of day ``i + 1`` relative to the start of the batch.
    Columns: ``op`` (:class:`Op` as int8), ``u``, ``v`` (int64) and ``weight``
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
            raise InvalidInputError(
                f"UpdateBatch needs a 1-d structured array of dtype {UPDATE_DTYPE}; "
                "use UpdateBatch.from_updates or UpdateBatch.from_arrays"
            )
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
        data = np.empty(op_a.size, dtype=UPDATE_DTYPE)
        data["op"] = op_a
        data["u"] = u_a
        data["v"] = v_a
        if weight is None:
            data["weight"] = 1.0
        else:
            w = np.asarray(weight, dtype=np.float64)
            if w.shape != op_a.shape:
                raise InvalidInputError(f"weight must have length {op_a.size}, got shape {w.shape}")
            data["weight"] = w
        return cls(data)

    @classmethod
    def from_updates(cls, updates: Iterable[Update]) -> "UpdateBatch":
        """Build a batch from :class:`Insert` / :class:`Delete` objects."""
        ups = list(updates)
        data = np.empty(len(ups), dtype=UPDATE_DTYPE)
        for i, up in enumerate(ups):
            if isinstance(up, Insert):
                data[i] = (Op.INSERT, up.u, up.v, up.weight)
            elif isinstance(up, Delete):
                data[i] = (Op.DELETE, up.u, up.v, 1.0)
            else:
                raise InvalidInputError(f"update {i} is {up!r}; expected Insert or Delete")
        return cls(data)

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> "UpdateBatch":
        """Read an edge-event file: one ``op u v [weight]`` per line.

        ``op`` is ``+``/``i``/``insert`` or ``-``/``d``/``delete``; blank lines and
        lines starting with ``#`` are skipped.
        """
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

    def __getitem__(self, idx: slice) -> "UpdateBatch":
        if not isinstance(idx, slice):
            raise InvalidInputError("UpdateBatch supports slicing only; iterate for single updates")
        return UpdateBatch(self.data[idx])

    def __repr__(self) -> str:
        ni = int(np.count_nonzero(self.op == Op.INSERT))
        return f"UpdateBatch({len(self)} updates: {ni} inserts, {len(self) - ni} deletes)"

    @classmethod
    def concat(cls, batches: Sequence["UpdateBatch"]) -> "UpdateBatch":
        """Concatenate batches in order."""
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
        if data.size and int(data["day"].min()) < 1:
            raise PredictionError(f"predicted days must be >= 1, got {int(data['day'].min())}")
        self.data = data

    @classmethod
    def from_arrays(cls, op: ArrayLike, u: ArrayLike, v: ArrayLike, day: ArrayLike) -> "Predictions":
        """Build predictions from parallel arrays."""
        op_a = _op_array(op, PredictionError)
        u_a = _int_array(u, "u", PredictionError)
        v_a = _int_array(v, "v", PredictionError)
        d_a = _int_array(day, "day", PredictionError)
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
        n = len(batch)
        return cls.from_arrays(batch.op, batch.u, batch.v, np.arange(first_day, first_day + n, dtype=np.int64))

    @classmethod
    def empty(cls) -> "Predictions":
        """No predictions at all."""
        return cls(np.empty(0, dtype=PREDICTION_DTYPE))

    @classmethod
    def coerce(cls, x: "Predictions | Any | None") -> "Predictions":
        """Accept ``Predictions``, ``None`` (no predictions) or anything with
        ``op``, ``u``, ``v``, ``day`` arrays (e.g. what :mod:`predictors` returns)."""
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
    if queries is None:
        return np.zeros((0, 3), dtype=np.int64)
    q = np.asarray(queries)
    if q.size == 0:
        return np.zeros((0, 3), dtype=np.int64)
    if q.ndim != 2 or q.shape[1] != 3:
        raise QueryError(f"queries must have shape (q, 3) with rows (day, u, v), got shape {q.shape}")
    if not np.issubdtype(q.dtype, np.integer) or q.dtype == np.bool_:
        raise QueryError(f"queries must be an integer array, got dtype {q.dtype}")
    q = np.ascontiguousarray(q, dtype=np.int64)
    d = q[:, 0]
    if np.any(np.diff(d) < 0):
        raise QueryError("query days must be non-decreasing")
    if d[0] < first_day or d[-1] > last_day:
        raise QueryError(f"query days must lie in [{first_day}, {last_day}], got [{d[0]}, {d[-1]}]")
    verts = q[:, 1:]
    if verts.min() < 0 or verts.max() >= n:
        bad = int(verts[(verts < 0) | (verts >= n)][0])
        raise QueryError(f"query vertex {bad} is out of range 0..{n - 1}")
    return q
