"""Edge-set plumbing shared by the undirected connectivity structures."""

from __future__ import annotations

import abc
import copy
from collections.abc import Iterator
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from structures import sequence as _sequence

from . import _validate
from ._registry import Registry
from .errors import DuplicateElementError, InvalidInputError, InvalidTypeError, MissingElementError, PredictionError
from .updates import Op, UpdateBatch


def edge_keys(n: int, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
    """The registry key of each undirected edge: ``min * n + max``."""
    return np.minimum(u, v) * n + np.maximum(u, v)


def keys_to_edges(n: int, keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """Inverse of ``edge_keys``: an ``(m, 2)`` array of ``(min, max)`` endpoints."""
    if not keys.size:
        return np.zeros((0, 2), dtype=np.int64)
    return np.stack([keys // n, keys % n], axis=1)


def to_graph(n: int, edges: NDArray[np.int64]) -> "nx.Graph[int]":
    """A ``networkx.Graph`` on nodes ``0..n-1`` with the given edges."""
    graph: nx.Graph[int] = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges.tolist())
    return graph


def insertions_of(graph: "nx.Graph[Any]") -> tuple[int, UpdateBatch]:
    """Vertex count and one insertion per edge of an undirected simple graph on ``0..n-1``."""
    if not isinstance(graph, nx.Graph):
        raise InvalidTypeError(f"from_networkx expects a networkx.Graph, got {type(graph).__name__}")
    if graph.is_directed() or graph.is_multigraph():
        raise InvalidInputError("from_networkx expects an undirected simple nx.Graph")
    n = graph.number_of_nodes()
    if n == 0 or set(graph.nodes) != set(range(n)):
        raise InvalidInputError("graph nodes must be exactly the integers 0..n-1 (n >= 1); "
                                "relabel with networkx.convert_node_labels_to_integers")
    e = np.asarray(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    return n, UpdateBatch.from_arrays(np.ones(len(e), dtype=np.int8), e[:, 0], e[:, 1])


def check_ops(op: NDArray[np.int64]) -> None:
    """Every ``op`` is Op.INSERT or Op.DELETE (a batch's columns can be written after
    construction, so the check is repeated before the batch is applied)."""
    bad = (op != Op.INSERT) & (op != Op.DELETE)
    if np.any(bad):
        k = int(np.argmax(bad))
        raise InvalidInputError(f"update {k} (batch day {k + 1}) has op {int(op[k])}; "
                                "it must be Op.INSERT (1) or Op.DELETE (0)")


class PreparedBatch(NamedTuple):
    """A validated batch of edge updates, ready for the engine."""

    ids: NDArray[np.int64]
    op: NDArray[np.int64]
    u: NDArray[np.int64]
    v: NDArray[np.int64]
    pdel: NDArray[np.int64]
    present: NDArray[np.bool_]


def prepare_batch(
    n: int, reg: Registry, present_now: NDArray[np.bool_], batch: Any, day0: int, predicted_deletions: Any
) -> PreparedBatch:
    """Validate ``batch`` against the present edge set and register its edges.

    Returns element ids, columns, absolute predicted deletion days (0: none) and
    the presence flags after the batch.  On any error the registry is rolled
    back and nothing else has changed.
    """
    if not isinstance(batch, UpdateBatch):
        raise InvalidTypeError(f"batch must be a dynalgo.UpdateBatch, got {type(batch).__name__}")
    T = len(batch)
    u = np.ascontiguousarray(batch.u, dtype=np.int64)
    v = np.ascontiguousarray(batch.v, dtype=np.int64)
    op = np.ascontiguousarray(batch.op, dtype=np.int64)
    check_ops(op)
    _validate.vertex_arrays(n, u, v, "update")
    if predicted_deletions is None:
        pdel = np.zeros(T, dtype=np.int64)
        early = np.zeros(T, dtype=np.bool_)
    else:
        pd = _validate.day_array(predicted_deletions, T, "predicted_deletions")
        early = (pd > 0) & (pd <= np.arange(1, T + 1)) & (op == Op.INSERT)
        pdel = np.where(pd > 0, np.minimum(pd + day0, _validate.NEVER), 0)
    if np.any(early):
        # the batch is rejected either way; validate its updates on a copy of the registry so
        # that an invalid update is still reported first and the registry stays untouched
        reg = copy.deepcopy(reg)
    known = reg.size
    ids = reg.assign(edge_keys(n, u, v))
    present = np.zeros(reg.size, dtype=np.bool_)
    present[:known] = present_now[:known]
    bad = int(_sequence.first_invalid(present, ids, op))
    if bad >= 0:
        reg.rollback()
        a, b = int(u[bad]), int(v[bad])
        if op[bad] == Op.INSERT:
            raise DuplicateElementError(f"update {bad} (batch day {bad + 1}) inserts edge ({a}, {b}), which is already present")
        raise MissingElementError(f"update {bad} (batch day {bad + 1}) deletes edge ({a}, {b}), which is not present")
    if np.any(early):
        k = int(np.argmax(early))
        raise PredictionError(f"predicted_deletions[{k}] = {int(pd[k])} is not after the insertion it "
                              f"predicts (batch day {k + 1}); use 0 for no prediction")
    return PreparedBatch(ids, op, u, v, pdel, present)


def grow_flags(flags: NDArray[np.bool_], size: int) -> NDArray[np.bool_]:
    """``flags`` with room for ``size`` entries (doubling; new entries False)."""
    if flags.shape[0] >= size:
        return flags
    out = np.zeros(max(size, 2 * flags.shape[0]), dtype=np.bool_)
    out[: flags.shape[0]] = flags
    return out


def present_id(n: int, reg: Registry, present: NDArray[np.bool_], u: Any, v: Any) -> tuple[int, int, int]:
    """Validated endpoints and the id of edge ``{u, v}`` (-1 when it is not present)."""
    a = _validate.vertex(u, n, "u")
    b = _validate.vertex(v, n, "v")
    e = reg.get(min(a, b) * n + max(a, b))
    return (e if e >= 0 and present[e] else -1), a, b


def id_for_insert(n: int, reg: Registry, present: NDArray[np.bool_], u: Any, v: Any) -> tuple[int, int, int]:
    """Validated endpoints and the id for inserting edge ``{u, v}`` (registered if new).

    Raises ``VertexError`` or ``DuplicateElementError`` (nothing changed)."""
    e, a, b = present_id(n, reg, present, u, v)
    if e >= 0:
        raise DuplicateElementError(f"edge ({a}, {b}) is already present; delete it first")
    key = min(a, b) * n + max(a, b)
    e = reg.get(key)
    if e < 0:
        e = int(reg.assign(np.array([key], dtype=np.int64))[0])
    return e, a, b


def id_for_delete(n: int, reg: Registry, present: NDArray[np.bool_], u: Any, v: Any) -> tuple[int, int, int]:
    """Validated endpoints and the id of the present edge ``{u, v}``.

    Raises ``VertexError`` or ``MissingElementError``."""
    e, a, b = present_id(n, reg, present, u, v)
    if e < 0:
        raise MissingElementError(f"edge ({a}, {b}) is not present, so it cannot be deleted")
    return e, a, b


def insertion_deletion_day(predicted_deletion: Any, day: int) -> int:
    """The validated absolute predicted deletion day of an insertion made on day ``day + 1``
    (0: none).  Raises ``PredictionError`` unless it is an integer after that day."""
    if predicted_deletion is None:
        return 0
    d = _validate.day(predicted_deletion)
    if d <= day + 1:
        raise PredictionError(f"predicted_deletion must be a day after this insertion's day {day + 1}, "
                              f"got {predicted_deletion!r}")
    return d


def pair_arrays(u: Any, v: Any) -> tuple[Any, Any]:
    """``u`` and ``v`` of ``insert_many`` / ``delete_many``: one-dimensional, equal lengths
    (validated further by [`UpdateBatch.from_arrays`][dynalgo.UpdateBatch.from_arrays])."""
    for name, x in (("u", u), ("v", v)):
        if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") and not hasattr(x, "__array__"):
            raise InvalidTypeError(f"{name} must be a one-dimensional array of vertices, got {type(x).__name__}")
    return u, v


def batch_of(op: int, u: Any, v: Any) -> UpdateBatch:
    """The batch inserting (``op`` = 1) or deleting (0) the edges ``(u[i], v[i])`` in order."""
    u, v = pair_arrays(u, v)
    try:
        m = len(u)
    except TypeError:
        m = -1
    return UpdateBatch.from_arrays(np.full(max(m, 0), op, dtype=np.int8), u, v)


def rekeyed(reg: Registry, n: int, n2: int) -> Registry:
    """A registry with the same ids for the same edges, keyed for ``n2`` vertices instead of ``n``."""
    keys = reg.keys
    out = Registry(max(2 * keys.shape[0], 16))
    ids = out.assign(keys // n * n2 + keys % n)
    assert np.array_equal(ids, np.arange(keys.shape[0])), "re-keyed registry changed ids"
    return out


def new_vertex_count(n: int, k: Any, limit: int) -> int:
    """``n + k`` for ``add_vertices(k)``: ``k`` an integer in ``0..limit - n``."""
    return n + _validate.integer(k, "k (vertices to add)", 0, limit - n)


def relative_deletions(predicted_deletions: Any, rows: int, day: int) -> NDArray[np.int64] | None:
    """Absolute predicted deletion days of ``rows`` insertions made one a day from ``day + 1``,
    as days relative to that batch (0: none); a day not after its insertion raises."""
    if predicted_deletions is None:
        return None
    a = _validate.day_array(predicted_deletions, rows, "predicted_deletions")
    pd = np.where(a > 0, a - day, 0)
    bad = (a > 0) & (pd <= np.arange(1, rows + 1))
    if np.any(bad):
        k = int(np.argmax(bad))
        raise PredictionError(f"predicted_deletions[{k}] = {int(a[k])} is not after the day of that "
                              f"insertion ({day + k + 1})")
    return pd


class EdgeContainer(abc.ABC):
    """``len``, iteration and ``in`` for the graph structures, from their ``num_edges``,
    ``edges()`` and ``has_edge(u, v)``."""

    num_edges: Any

    @abc.abstractmethod
    def edges(self) -> NDArray[np.int64]:
        """The present edges as an ``(m, 2)`` array."""

    @abc.abstractmethod
    def has_edge(self, u: int, v: int) -> bool:
        """Whether the edge ``{u, v}`` is present."""

    def __len__(self) -> int:
        """Number of present edges (``num_edges``)."""
        return int(self.num_edges)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        """The present edges as ``(min, max)`` pairs of ints (a snapshot of ``edges()``)."""
        for a, b in self.edges().tolist():
            yield a, b

    def __contains__(self, edge: object) -> bool:
        """``(u, v) in g``: whether the edge is present (``has_edge``)."""
        if not isinstance(edge, tuple) or len(edge) != 2:
            raise InvalidTypeError(f"an edge is a pair (u, v), got {edge!r}")
        return self.has_edge(edge[0], edge[1])
