"""Offline dynamic connectivity: the whole update sequence is known up front.

This is the consistency yardstick of the library (docs/pages/design.md, section 5): the
lifted engine with perfect predictions must come close to it on the same
sequence.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import offline as _off

from . import _validate
from .errors import DuplicateElementError, InvalidInputError, InvalidTypeError, MissingElementError, VertexError
from .updates import UpdateBatch, as_queries

__all__ = ["offline_connectivity"]


def _check_n(n: object) -> int:
    if not _validate.is_integer(n):
        raise InvalidTypeError(f"n must be a positive int, got {n!r} of type {type(n).__name__}")
    k = int(cast(int, n))
    if k < 1:
        raise InvalidInputError(f"n must be a positive int, got {k}")
    if k > _off.MAX_N:
        raise InvalidInputError(f"n must be at most {_off.MAX_N}, got {k}")
    return k


def upfront_bytes(n: int, T: int) -> int:
    """Bytes allocated for sure: the union-find (12 per vertex), the lives of the edges
    (48 per update) and the segment tree's node offsets (16 per leaf slot); the edge
    copies in the tree nodes (8 per node a life covers) come on top."""
    size = 1
    while size < T:
        size <<= 1
    return 12 * n + 48 * T + 16 * size


def _check_vertices(n: int, u: NDArray[np.int64], v: NDArray[np.int64]) -> None:
    if u.size == 0:
        return
    lo = min(int(u.min()), int(v.min()))
    hi = max(int(u.max()), int(v.max()))
    if lo >= 0 and hi < n:
        return
    bad = (u < 0) | (u >= n) | (v < 0) | (v >= n)
    i = int(np.argmax(bad))
    x = int(u[i]) if not 0 <= u[i] < n else int(v[i])
    raise VertexError(f"day {i + 1}: vertex {x} of edge ({int(u[i])}, {int(v[i])}) is out of range 0..{n - 1}")


def offline_connectivity(n: int, batch: UpdateBatch, queries: ArrayLike) -> NDArray[np.bool_]:
    """Answer connectivity queries on a fully known sequence of edge updates.

    Parameters
    ----------
    n : int
        Number of vertices, ``0..n-1`` (positive).
    batch : UpdateBatch
        The updates; row ``i`` inserts or deletes the undirected edge ``{u, v}`` on
        day ``i + 1``.  Self-loops are allowed.  Weights are ignored.
    queries : array_like of int, shape (q, 3)
        Rows ``(day, u, v)`` with non-decreasing days in ``[0, len(batch)]``; each
        asks whether ``u`` and ``v`` are connected right after day ``day`` (day 0
        is the empty graph).

    Returns
    -------
    numpy.ndarray of bool, shape (q,)
        The answers, in the order of ``queries``.

    Raises
    ------
    InvalidInputError
        ``n`` is not a positive int, or ``batch`` is not an [`UpdateBatch`][dynalgo.UpdateBatch]
        (wrong types raise its subclass ``InvalidTypeError``).
    CapacityError
        The union-find and the segment tree would not fit in this machine's memory.
    VertexError
        An update names a vertex outside ``0..n-1``.
    DuplicateElementError
        An edge is inserted while present (the first such day is named).
    MissingElementError
        An edge is deleted while absent (the first such day is named).
    QueryError
        ``queries`` is malformed (see ``dynalgo.updates.as_queries``).

    Notes
    -----
    Each *life* ``[ins, del)`` of an edge is split over the O(log T) canonical
    nodes of a segment tree over the days ``1..T``; a depth-first walk unions a
    node's edges on the way down and undoes them on the way up with a
    union-find by rank without path compression, so each leaf sees exactly the
    graph of its day.  Cost O(T log T log n) time and O(T log T) memory for
    ``T`` updates, plus O(log n) per query.  Validation is one O(T) hashed pass
    that also computes the lives.

    References
    ----------
    - [Design, section 5](design.md#5-the-offline-yardstick): segment tree over
      time with a rollback union-find.
    - Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model:
      Offline, Incremental, and Decremental to Fully Dynamic Transformations",
      COLT 2024, PMLR 247, arXiv:2307.08890, Lemma 17 (divide and conquer over
      time with an incremental structure that supports undo).

    Examples
    --------
    >>> from dynalgo.updates import Delete, Insert, UpdateBatch
    >>> batch = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2), Delete(0, 1)])
    >>> queries = [[0, 0, 1], [2, 0, 2], [3, 0, 2], [3, 1, 2]]
    >>> offline_connectivity(3, batch, queries).tolist()
    [False, True, False, True]
    """
    n = _check_n(n)
    if not isinstance(batch, UpdateBatch):
        raise InvalidTypeError(f"batch must be an UpdateBatch, got {type(batch).__name__}")
    T = len(batch)
    if T > _off.MAX_T:
        raise InvalidInputError(f"at most {_off.MAX_T} updates are supported, got {T}")
    op = np.ascontiguousarray(batch.op, dtype=np.int8)
    u = np.ascontiguousarray(batch.u, dtype=np.int64)
    v = np.ascontiguousarray(batch.v, dtype=np.int64)
    bad = (op != 0) & (op != 1)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise InvalidInputError(f"day {i + 1}: op {int(op[i])} is neither Op.INSERT (1) nor Op.DELETE (0)")
    _check_vertices(n, u, v)
    q = as_queries(queries, n, 0, T)
    _validate.check_allocation(upfront_bytes(n, T), f"offline_connectivity(n={n}, {T} updates)")
    lives = _off.edge_lives(op, u, v)
    if lives.status != _off.OK:
        i = lives.where
        edge = f"({int(u[i])}, {int(v[i])})"
        if lives.status == _off.DUPLICATE_INSERT:
            raise DuplicateElementError(f"day {i + 1}: insert of edge {edge}, which is already present")
        raise MissingElementError(f"day {i + 1}: delete of edge {edge}, which is absent")
    if q.shape[0] == 0:
        return np.zeros(0, dtype=np.bool_)
    horizon = int(q[-1, 0])  # days after the last query do not matter
    return _off.traverse(n, horizon, _off.segment_layout(horizon, lives), q)
