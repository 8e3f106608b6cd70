"""Offline all-pairs shortest paths: the whole update sequence is known up front.

The consistency yardstick of [`dynalgo.DynamicAPSP`][dynalgo.DynamicAPSP] (docs/pages/design.md, section 5):
with perfect predictions the lifted structure must come close to it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import apsp_dense as _dense
from structures import offline as _off
from structures import offline_apsp as _oa

from . import _validate
from .errors import DuplicateElementError, InvalidInputError, MissingElementError, NegativeCycleError
from .offline import _check_vertices
from .updates import Op, UpdateBatch, as_queries

__all__ = ["offline_apsp"]


def offline_apsp(n: int, batch: UpdateBatch, queries: ArrayLike, *, directed: bool = True) -> NDArray[np.float64]:
    """Answer distance queries on a fully known sequence of arc updates.

    Parameters
    ----------
    n : int
        Number of vertices, ``0..n-1`` (at most 16,384: the distances are a dense matrix).
    batch : UpdateBatch
        The updates; row ``i`` inserts (with its weight) or deletes the arc
        ``u -> v`` on day ``i + 1``.
    queries : array_like of int, shape (q, 3)
        Rows ``(day, x, y)`` with non-decreasing days in ``[0, len(batch)]``;
        each asks for the distance ``x -> y`` right after day ``day`` (day 0 is
        the empty graph).
    directed : bool, default True
        ``False``: each update is the undirected edge ``{u, v}`` (both arcs).

    Returns
    -------
    numpy.ndarray of float64, shape (q,)
        The distances (``inf`` when unreachable), in the order of ``queries``.

    Raises
    ------
    InvalidInputError
        ``n`` is not a positive int up to 16,384, ``directed`` is not a bool, ``batch``
        is not an [`UpdateBatch`][dynalgo.UpdateBatch], or an inserted weight is not finite or too large.
    CapacityError
        The dense matrices would not fit in this machine's memory (before allocating).
    VertexError
        An update names a vertex outside ``0..n-1``.
    DuplicateElementError, MissingElementError
        An arc is inserted while present or deleted while absent (the first such day is named).
    NegativeCycleError
        The graph of some day has a negative cycle (looked for only when some
        inserted weight is negative: then every day is visited).
    QueryError
        ``queries`` is malformed.

    Notes
    -----
    Numeric contract (as [`dynalgo.DynamicAPSP`][dynalgo.DynamicAPSP]): weights are rounded to a
    grid on which every sum is exact (its exponent from the largest weight of the
    sequence) and bumped in day order where they close a cycle that is negative
    only by rounding; the answers equal those of a ``DynamicAPSP`` given the same
    batch in one ``run``, within its ``error_bound`` of the exact distances.
    Weights beyond ``2^(1022 - L)`` (``2^L >= 8 n``) raise ``InvalidInputError``.

    Each life ``[ins, del)`` of an arc is split over the O(log T) canonical
    nodes of a segment tree over the days; a depth-first walk inserts a node's
    arcs into the undo APSP structure (``structures.apsp_dense``) on the way
    down and undoes them on the way up.  O(T log T) insertions, each
    O(n + |X| |Y|) (O(n^2) worst case), plus O(1) per query; subtrees without
    queries are skipped.  Memory: three ``n x n`` matrices and an undo log of
    at most ``(log2 T + 3) n^2`` entries.

    References
    ----------
    - [Design, section 5](design.md#5-the-offline-yardstick): the offline
      algorithm, shared with connectivity.
    - Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model",
      COLT 2024, PMLR 247, arXiv:2307.08890, Lemma 17.

    Examples
    --------
    >>> from dynalgo import Delete, Insert, UpdateBatch, offline_apsp
    >>> batch = UpdateBatch.from_updates([Insert(0, 1, 2.0), Insert(1, 2, 3.0), Insert(0, 2, 9.0), Delete(1, 2)])
    >>> offline_apsp(3, batch, [[2, 0, 2], [3, 0, 2], [4, 0, 2], [4, 2, 0]]).tolist()
    [5.0, 5.0, 9.0, inf]
    """
    n = _validate.vertex_count(n)
    if n > _dense.MAX_N:
        raise InvalidInputError(f"n must be at most {_dense.MAX_N}, got {n}")
    if not isinstance(directed, (bool, np.bool_)):
        raise InvalidInputError(f"directed must be a bool, got {directed!r}")
    if not isinstance(batch, UpdateBatch):
        raise InvalidInputError(f"batch must be an UpdateBatch, got {type(batch).__name__}")
    T = len(batch)
    op = np.ascontiguousarray(batch.op, dtype=np.int8)
    u = np.ascontiguousarray(batch.u, dtype=np.int64)
    v = np.ascontiguousarray(batch.v, dtype=np.int64)
    w = np.where(op == Op.INSERT, np.ascontiguousarray(batch.weight, dtype=np.float64), 0.0)
    _check_vertices(n, u, v)
    wmax = _dense.max_weight(n)
    bad_w = ~(np.abs(w) <= wmax)
    if np.any(bad_w):
        k = int(np.argmax(bad_w))
        raise InvalidInputError(f"day {k + 1}: arc ({int(u[k])}, {int(v[k])}) has weight {w[k]}; weights must be "
                                f"finite and at most {wmax:.6g} in magnitude for n = {n}")
    q = as_queries(queries, n, 0, T)
    # distances, successors, arc weights, stamps (28 n^2 bytes) and an undo log of up to
    # (log2 T + 3) n^2 entries of 16 bytes, of which about 4 n^2 are typically in use
    _validate.check_allocation(32.0 * n * n, f"offline_apsp with n = {n} (dense n x n matrices)")
    lives = _oa.arc_lives(n, op, u, v, bool(directed))
    if lives.status != _off.OK:
        i = lives.where
        arc = f"({int(u[i])}, {int(v[i])})"
        if lives.status == _off.DUPLICATE_INSERT:
            raise DuplicateElementError(f"day {i + 1}: insert of arc {arc}, which is already present")
        raise MissingElementError(f"day {i + 1}: delete of arc {arc}, which is absent")
    ws, _e, first_bad = _oa.grid_weights(n, op, u, v, w, bool(directed))
    if first_bad >= 0:
        raise NegativeCycleError(f"the graph of day {first_bad + 1} has a cycle of negative weight: the insertion of "
                                 f"arc ({int(u[first_bad])}, {int(v[first_bad])}) of weight {w[first_bad]} closes it")
    out, _bad, _lives = _oa.offline_apsp(n, op, u, v, ws, q, directed=bool(directed), check_cycles=False)
    return out
