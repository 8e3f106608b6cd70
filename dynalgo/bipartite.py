"""Dynamic bipartiteness lifted from a parity union-find with undo.

The worked example of extending the engine (``docs/pages/extending.md``): a base
structure that is incremental with undo (``structures.parity_dsu``), its two
engine wrappers (``structures.lifted_parity``), and this thin public class.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike, NDArray

from predictors import PredictionArrays
from structures import components as _comp
from structures import engine as _k
from structures import lifted_parity as _lifted
from structures import parity_dsu as _pd

from . import _edges, _validate
from ._engine import BaseKernels, EngineStats, LiftingEngine
from ._registry import Registry
from .errors import InvalidTypeError, PredictionError, QueryError
from .updates import Op, Predictions, UpdateBatch

__all__ = ["DynamicBipartiteness"]

_BASE = BaseKernels(_lifted.run_days, _lifted.reset_path)


class DynamicBipartiteness(_edges.EdgeContainer):
    """Whether an undirected graph under edge insertions and deletions is bipartite.

    The graph has vertices ``0..n-1`` and starts with no edges; every insertion or
    deletion is one *day*.  The lifting engine runs a parity union-find (each
    vertex knows its colour relative to its root; each component knows whether it
    holds an odd cycle) as the incremental base.  Answers are exact whatever the
    predictions; with good predictions the work is that of the offline algorithm
    up to a log factor, and it grows linearly with their l1 error.

    There is no fully dynamic backstop for this problem in the library: with no
    predictions at all, each unpredicted deletion costs a rebuild of the path,
    O(T) base operations.

    Parameters
    ----------
    n : int
        Number of vertices.
    predictions : Predictions or PredictionArrays, optional
        Predicted insertions and deletions with their days (absolute: day 1 is
        this structure's first update), e.g. [`predictors.exact`][predictors.exact].
    seed : int, default 0
        Seed of the random partition tree and of the randomized schedule.
    deterministic_schedule : bool, default False
        Nearest-free-day schedule instead of the randomized harmonic rule.
    tree : {"dyadic", "treap"}, default "dyadic"
        Rank distribution of the partition tree (see [`dynalgo.DynamicConnectivity`][dynalgo.DynamicConnectivity]).

    Raises
    ------
    InvalidInputError
        If ``n`` is not an integer in ``1..2**31-1`` or ``tree`` is unknown; a wrong
        type (``seed=1.5``...) raises its subclass ``InvalidTypeError``.
    CapacityError
        If the arrays allocated up front (``O(n)`` bytes) would not fit in memory.
    PredictionError
        If a prediction names a vertex outside ``0..n-1``.

    Examples
    --------
    >>> from dynalgo import DynamicBipartiteness
    >>> g = DynamicBipartiteness(3)
    >>> g.insert(0, 1); g.insert(1, 2)
    >>> g.is_bipartite(), g.same_side(0, 2)
    (True, True)
    >>> g.insert(0, 2)            # a triangle
    >>> g.is_bipartite(), g.same_side(0, 2)
    (False, None)
    >>> g.delete(1, 2)
    >>> g.is_bipartite()
    True
    """

    def __init__(
        self,
        n: int,
        predictions: Predictions | PredictionArrays | None = None,
        *,
        seed: int = 0,
        deterministic_schedule: bool = False,
        tree: str = "dyadic",
    ) -> None:
        self._n = _validate.vertex_count(n, _validate.MAX_DSU_N)
        seed = _validate.seed(seed)
        deterministic_schedule = _validate.flag(deterministic_schedule, "deterministic_schedule")
        tree = _validate.choice(tree, "tree", ("dyadic", "treap"))
        self._reg = Registry()
        predictions = Predictions.coerce(predictions)
        _validate.vertex_arrays(self._n, predictions.u, predictions.v, "prediction", PredictionError)
        m = len(predictions)
        _validate.check_allocation(
            22 * self._n + 64 * m + LiftingEngine.upfront_bytes(m, predictions.horizon),
            f"DynamicBipartiteness(n={self._n}, {m} predictions)")
        pe = self._reg.assign(_edges.edge_keys(self._n, predictions.u, predictions.v))
        self._state = _pd.make(self._n)
        self._engine = LiftingEngine(
            _BASE, tuple(self._state), self._reg.size, pe,
            predictions.op.astype(np.int64), np.minimum(predictions.day, _validate.NEVER).astype(np.int64),
            seed=seed, deterministic=deterministic_schedule, tree=tree,
        )
        self._present = np.zeros(max(self._reg.size, 16), dtype=np.bool_)

    # properties ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of vertices."""
        return self._n

    @property
    def day(self) -> int:
        """Number of updates handled so far."""
        return self._engine.day

    @property
    def num_edges(self) -> int:
        """Number of present edges."""
        return int(np.count_nonzero(self._present[: self._reg.size]))

    @property
    def num_components(self) -> int:
        """Number of connected components (isolated vertices count)."""
        return int(self._state.meta[_pd.COMPONENTS])

    @property
    def num_odd_components(self) -> int:
        """Number of components that contain an odd cycle."""
        return int(self._state.meta[_pd.ODD])

    @property
    def stats(self) -> EngineStats:
        """Work counters of the lifting engine (see [`dynalgo.EngineStats`][dynalgo.EngineStats])."""
        return self._engine.stats()

    # queries ------------------------------------------------------------------------
    def is_bipartite(self) -> bool:
        """Whether the whole graph is bipartite (O(1))."""
        return int(self._state.meta[_pd.ODD]) == 0

    def component_is_bipartite(self, u: int) -> bool:
        """Whether the component of ``u`` is bipartite (O(log n))."""
        u = _validate.vertex(u, self._n, "u")
        r, _ = _pd.find(tuple(self._state), u)
        return int(self._state.odd[r]) == 0

    def same_side(self, u: int, v: int) -> bool | None:
        """Whether ``u`` and ``v`` get the same colour in every proper 2-colouring.

        ``None`` when the question has no answer: ``u`` and ``v`` are in different
        components (both colourings exist) or their component is not bipartite.
        O(log n).
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        st = tuple(self._state)
        ru, cu = _pd.find(st, u)
        rv, cv = _pd.find(st, v)
        if ru != rv or int(self._state.odd[ru]):
            return None
        return bool(cu == cv)

    def has_edge(self, u: int, v: int) -> bool:
        """Whether the edge ``{u, v}`` is present."""
        return _edges.present_id(self._n, self._reg, self._present, u, v)[0] >= 0

    def component(self, v: int) -> int:
        """A label of the component of ``v`` (the root of its parity union-find tree, one
        of its vertices), valid until the next update.  O(log n)."""
        v = _validate.vertex(v, self._n, "v")
        return int(_comp.uf_label(self._state.parent, v))

    def component_size(self, v: int) -> int:
        """Number of vertices in the component of ``v`` (O(n log n))."""
        v = _validate.vertex(v, self._n, "v")
        return int(_comp.uf_size(self._state.parent, v))

    def component_members(self, v: int) -> NDArray[np.int64]:
        """The vertices of the component of ``v`` in increasing order (O(n log n))."""
        v = _validate.vertex(v, self._n, "v")
        out = np.empty(self._n, dtype=np.int64)
        k = int(_comp.uf_members(self._state.parent, v, out))
        return out[:k].copy()

    def component_labels(self) -> NDArray[np.int64]:
        """[`component`][dynalgo.DynamicBipartiteness.component] of every vertex: an int64 array of length ``n`` (O(n log n))."""
        out = np.empty(self._n, dtype=np.int64)
        _comp.uf_labels(self._state.parent, out)
        return out

    # updates ------------------------------------------------------------------------
    def insert(self, u: int, v: int, *, predicted_deletion: int | None = None) -> None:
        """Insert the edge ``{u, v}`` (one day).  A self-loop makes its component odd.

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        DuplicateElementError
            If the edge is already present.
        PredictionError
            If ``predicted_deletion`` is not an integer day after this insertion's day.
        """
        pdel = _edges.insertion_deletion_day(predicted_deletion, self.day)
        e, u, v = _edges.id_for_insert(self._n, self._reg, self._present, u, v)
        self._present = _edges.grow_flags(self._present, self._reg.size)
        self._present[e] = True
        self._engine.reserve(self._reg.size, 1)
        self._engine.step(e, int(Op.INSERT), u, v, 1.0, pdel)

    def delete(self, u: int, v: int) -> None:
        """Delete the edge ``{u, v}`` (one day).

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        MissingElementError
            If the edge is not present.
        """
        e, u, v = _edges.id_for_delete(self._n, self._reg, self._present, u, v)
        self._present[e] = False
        self._engine.reserve(self._reg.size, 1)
        self._engine.step(e, int(Op.DELETE), u, v, 1.0, 0)

    def insert_many(self, u: ArrayLike, v: ArrayLike, *, predicted_deletions: ArrayLike | None = None) -> None:
        """Insert the edges ``(u[i], v[i])`` in order, one day each (one compiled call);
        ``predicted_deletions`` holds absolute days as in [`insert`][dynalgo.DynamicBipartiteness.insert] (0: none).  On
        invalid input nothing is inserted."""
        batch = _edges.batch_of(int(Op.INSERT), u, v)
        pd = _edges.relative_deletions(predicted_deletions, len(batch), self.day)
        self.run(batch, [], predicted_deletions=pd)

    def delete_many(self, u: ArrayLike, v: ArrayLike) -> None:
        """Delete the edges ``(u[i], v[i])`` in order, one day each (one compiled call); on
        invalid input nothing is deleted."""
        self.run(_edges.batch_of(int(Op.DELETE), u, v), [])

    def add_vertices(self, k: int = 1) -> range:
        """Add ``k`` isolated vertices ``n..n+k-1`` (no day passes); return their ids.

        Raises
        ------
        InvalidInputError
            If ``k`` is not a non-negative integer or ``n + k`` exceeds ``2**31 - 1``.
        """
        n, n2 = self._n, _edges.new_vertex_count(self._n, k, _validate.MAX_DSU_N)
        if n2 == n:
            return range(n, n)
        _validate.check_allocation(22 * n2, f"DynamicBipartiteness.add_vertices({n2 - n}) on n={n}")
        reg = _edges.rekeyed(self._reg, n, n2)
        old = self._state
        fresh = _pd.make(n2)
        fresh.parent[:n] = old.parent
        fresh.parity[:n] = old.parity
        fresh.odd[:n] = old.odd
        fresh.log[: old.log.shape[0]] = old.log
        old.meta[_pd.COMPONENTS] += n2 - n
        self._state = _pd.ParityState(fresh.parent, fresh.parity, fresh.odd, fresh.log, old.meta)
        self._engine.bstate = tuple(self._state)
        self._reg = reg
        self._n = n2
        return range(n, n2)

    def run(
        self,
        batch: UpdateBatch,
        days: ArrayLike | None = None,
        *,
        predicted_deletions: ArrayLike | None = None,
    ) -> NDArray[np.bool_]:
        """Apply a whole batch in one compiled call; report bipartiteness after given days.

        Parameters
        ----------
        batch : UpdateBatch
            The updates; row ``k`` (0-based) is batch day ``k + 1``.
        days : array_like of int, optional
            Batch days in ``0..len(batch)`` (0: before the batch), in any order (the
            answers follow it); default: every day ``1..len(batch)``.
        predicted_deletions : array_like of int, optional
            Per update, the predicted batch day of the deletion of the edge it
            inserts (0: none; otherwise after the update's own batch day); the
            predicted-deletion model.

        Returns
        -------
        ndarray of bool
            Whether the graph is bipartite right after each of ``days``.

        Raises
        ------
        VertexError, DuplicateElementError, MissingElementError, QueryError, PredictionError
            On invalid input, before any update is applied (the structure is unchanged).
        """
        if not isinstance(batch, UpdateBatch):
            raise InvalidTypeError(f"batch must be a dynalgo.UpdateBatch, got {type(batch).__name__}")
        T = len(batch)
        d = np.arange(1, T + 1, dtype=np.int64) if days is None else _query_days(days, T)
        order = np.argsort(d, kind="stable")
        q = np.zeros((d.shape[0], 3), dtype=np.int64)
        q[:, 0] = d[order]
        ids, op, u, v, pdel, present = _edges.prepare_batch(
            self._n, self._reg, self._present, batch, self.day, predicted_deletions)
        self._present = _edges.grow_flags(self._present, self._reg.size)
        self._present[: present.shape[0]] = present
        self._engine.reserve(self._reg.size)
        out = np.zeros(q.shape[0], dtype=np.bool_)
        self._engine.run(ids, op, u, v, np.ones(T, dtype=np.float64), pdel, q, out)
        answers = np.empty_like(out)
        answers[order] = out
        return answers

    # interop ------------------------------------------------------------------------
    def edges(self) -> NDArray[np.int64]:
        """The present edges as an ``(m, 2)`` array of ``(min, max)`` endpoints."""
        pres = np.flatnonzero(self._present[: self._reg.size])
        return _edges.keys_to_edges(self._n, self._reg.keys[pres])

    def colouring(self) -> NDArray[np.int8]:
        """A 2-colouring (0/1 per vertex) that is proper on every bipartite component."""
        _, c = _pd.colours(self._state)
        return c.astype(np.int8)

    def to_networkx(self) -> "nx.Graph[int]":
        """The current graph as a ``networkx.Graph`` on nodes ``0..n-1``."""
        return _edges.to_graph(self._n, self.edges())

    @classmethod
    def from_networkx(cls, graph: "nx.Graph[Any]", *, seed: int = 0) -> "DynamicBipartiteness":
        """A structure holding the edges of ``graph`` (nodes ``0..n-1``), one day per edge."""
        n, batch = _edges.insertions_of(graph)
        g = cls(n, seed=seed)
        g.run(batch, [])
        return g

    def check(self) -> None:
        """Assert every invariant: engine, registry, and a parity union-find that holds
        exactly the components and odd cycles of the present edges."""
        self._reg.check()
        ne = self._reg.size
        assert not np.any(self._present[ne:]), "presence flag beyond the registry"
        self._engine.check()
        assert np.array_equal(self._engine.elem[:ne, _k.E_PRESENT] >= 0, self._present[:ne]), \
            "engine and presence flags disagree"
        _pd.check(self._state, self.edges())

    def __repr__(self) -> str:
        return (f"DynamicBipartiteness(n={self._n}, edges={self.num_edges}, "
                f"bipartite={self.is_bipartite()}, day={self.day})")


def _query_days(days: ArrayLike, T: int) -> NDArray[np.int64]:
    try:
        shape: tuple[int, ...] | None = None if isinstance(days, (str, bytes)) else np.shape(days)
    except (ValueError, TypeError):
        shape = None  # ragged
    if shape is not None and int(np.prod(shape)) == 0:
        return np.zeros(0, dtype=np.int64)
    if shape is None or len(shape) != 1:
        raise QueryError(f"days must be a 1-d integer array, got {'shape ' + str(shape) if shape is not None else type(days).__name__}")
    d = _validate.int_array(days, "days", QueryError)
    if int(d.min()) < 0 or int(d.max()) > T:
        raise QueryError(f"days must lie in [0, {T}], got [{int(d.min())}, {int(d.max())}]")
    return np.ascontiguousarray(d)
