"""Dynamic connectivity lifted from an undo union-find by the prediction engine."""

from __future__ import annotations

from typing import Any, Iterable

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike, NDArray

from predictors import PredictionArrays
from structures import dsu as _dsu
from structures import lifted_dsu as _lifted_dsu
from structures import sequence as _sequence
from structures import engine as _k

from . import _validate
from ._engine import BaseKernels, EngineStats, LiftingEngine
from ._registry import Registry
from .errors import DuplicateElementError, InvalidInputError, MissingElementError, PredictionError
from .updates import Op, Predictions, UpdateBatch, as_queries

__all__ = ["DynamicConnectivity"]

_BASE = BaseKernels(_lifted_dsu.run_days, _lifted_dsu.reset_path)


class DynamicConnectivity:
    """Fully dynamic connectivity of an undirected graph, fast when updates are predicted.

    The graph has vertices ``0..n-1`` and starts with no edges.  Every insertion or
    deletion is one *day*.  Answers are always exact; predictions of future
    updates only change the running time: with perfect predictions the structure
    runs at the speed of the offline divide-and-conquer algorithm, and its cost
    grows linearly with the l1 error of the predictions.

    Parameters
    ----------
    n : int
        Number of vertices.
    predictions : Predictions or PredictionArrays, optional
        Predicted insertions and deletions with their days (the predicted-updates
        model), e.g. from :func:`predictors.exact` or :func:`predictors.perturbed`.  Days are absolute: day 1 is this structure's first update.
    seed : int, default 0
        Seed of the random partition tree and of the randomized schedule.
    deterministic_schedule : bool, default False
        Place conflicting predicted events on the nearest free day instead of
        the randomized harmonic rule.
    tree : {"dyadic", "treap"}, default "dyadic"
        Rank distribution of the random partition tree over days: a randomly
        shifted dyadic tree (shallower, same locality guarantee) or i.i.d. ranks
        as in [LS] Def. 2.

    Raises
    ------
    InvalidInputError
        If ``n`` is not a positive integer or ``tree`` is unknown.
    PredictionError
        If a prediction names a vertex outside ``0..n-1``.

    Examples
    --------
    >>> from dynalgo import DynamicConnectivity, UpdateBatch, Insert, Delete, predictors
    >>> g = DynamicConnectivity(4)
    >>> g.insert(0, 1); g.insert(1, 2)
    >>> g.connected(0, 2), g.num_components
    (True, 2)
    >>> g.delete(0, 1)
    >>> g.connected(0, 2)
    False

    The fast path runs a whole batch in one compiled call; with the exact
    predictions of the batch, no work is wasted:

    >>> batch = UpdateBatch.from_updates([Insert(0, 1), Insert(2, 3), Insert(1, 2), Delete(0, 1)])
    >>> h = DynamicConnectivity(4, predictors.exact(batch))
    >>> h.run(batch, [[3, 0, 3], [4, 0, 3], [4, 1, 3]]).tolist()
    [True, False, True]
    >>> h.stats.retriggers
    0

    Notes
    -----
    With predictions of l1 error ``L`` over ``T`` days, the total work is
    ``O((T + L) log T)`` union-find operations in expectation, each O(log n)
    worst case ([LS] Thm 1.1 with Lemma 17); a deletion that was never
    predicted costs a recomputation of the whole path, O(T).  Queries cost
    O(log n).  In the predicted-deletion model each insertion carries its
    predicted deletion day (``predicted_deletion=``); nothing is needed up front.

    References
    ----------
    .. [LS] Q. C. Liu and V. Srinivas, "The Predicted-Updates Dynamic Model:
       Offline, Incremental, and Decremental to Fully Dynamic Transformations",
       COLT 2024, PMLR 247 (arXiv:2307.08890), Alg. 2.1, Lemmas 17 and 19.
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
        self._n = _validate.vertex_count(n)
        self._reg = Registry()
        predictions = Predictions.coerce(predictions)
        _validate.vertex_arrays(self._n, predictions.u, predictions.v, "prediction", PredictionError)
        pe = self._reg.assign(self._keys(predictions.u, predictions.v))
        self._dsu = _dsu.make(self._n)
        self._engine = LiftingEngine(
            _BASE, tuple(self._dsu), self._reg.size, pe,
            predictions.op.astype(np.int64), np.minimum(predictions.day, _validate.NEVER).astype(np.int64),
            seed=seed, deterministic=deterministic_schedule, tree=tree,
        )

    # element registry ---------------------------------------------------------------
    def _key(self, u: int, v: int) -> int:
        return min(u, v) * self._n + max(u, v)

    def _keys(self, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.minimum(u, v) * self._n + np.maximum(u, v)

    # properties ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of vertices."""
        return self._n

    @property
    def day(self) -> int:
        """Number of updates handled so far (the last day)."""
        return self._engine.day

    @property
    def num_components(self) -> int:
        """Number of connected components (isolated vertices count)."""
        return int(self._dsu.meta[_dsu.COMPONENTS])

    @property
    def num_edges(self) -> int:
        """Number of present edges."""
        return int(np.count_nonzero(self._engine.elem[: self._reg.size, _k.E_PRESENT] >= 0))

    @property
    def stats(self) -> EngineStats:
        """Work counters of the lifting engine (see :class:`dynalgo.EngineStats`)."""
        return self._engine.stats()

    # single updates -----------------------------------------------------------------
    def has_edge(self, u: int, v: int) -> bool:
        """Whether the edge ``{u, v}`` is present."""
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        e = self._reg.get(self._key(u, v))
        return e >= 0 and self._engine.present_instance(e) >= 0

    def insert(self, u: int, v: int, *, predicted_deletion: int | None = None) -> None:
        """Insert the edge ``{u, v}`` (one day).

        Parameters
        ----------
        u, v : int
            Endpoints in ``0..n-1``; ``u == v`` (a self-loop) is allowed and harmless.
        predicted_deletion : int, optional
            Predicted day of this edge's deletion (absolute day; the predicted-deletion
            model).  Replaces any deletion day predicted up front for this edge.

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        DuplicateElementError
            If the edge is already present.
        PredictionError
            If ``predicted_deletion`` is not a positive integer.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        pdel = 0 if predicted_deletion is None else _validate.day(predicted_deletion)
        key = self._key(u, v)
        e = self._reg.get(key)
        if e >= 0 and self._engine.present_instance(e) >= 0:
            raise DuplicateElementError(f"edge ({u}, {v}) is already present; delete it first")
        if e < 0:
            e = int(self._reg.assign(np.array([key], dtype=np.int64))[0])
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
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        e = self._reg.get(self._key(u, v))
        if e < 0 or self._engine.present_instance(e) < 0:
            raise MissingElementError(f"edge ({u}, {v}) is not present, so it cannot be deleted")
        self._engine.step(e, int(Op.DELETE), u, v, 1.0, 0)

    def connected(self, u: int, v: int) -> bool:
        """Whether ``u`` and ``v`` are in the same component (O(log n) worst case)."""
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        return bool(_dsu.connected(tuple(self._dsu), u, v))

    # batches ------------------------------------------------------------------------
    def run(
        self,
        batch: UpdateBatch,
        queries: ArrayLike | None = None,
        *,
        predicted_deletions: ArrayLike | None = None,
        progress: bool = False,
    ) -> NDArray[np.bool_]:
        """Apply a whole batch in one compiled call and answer connectivity queries.

        Parameters
        ----------
        batch : UpdateBatch
            The updates; row ``k`` (0-based) is batch day ``k + 1``.
        queries : array_like of shape (q, 3), optional
            Rows ``(day, u, v)`` with batch days in ``0..len(batch)``, non-decreasing;
            each is answered on the state right after that day's update (day 0:
            before the batch).
        predicted_deletions : array_like of int, optional
            Per update, the predicted batch day of the deletion of the edge that
            update inserts (0: no prediction; ignored on deletions).  This is the
            predicted-deletion model.
        progress : bool, default False
            Show a progress bar on stderr.

        Returns
        -------
        ndarray of bool, shape (q,)
            ``connected(u, v)`` for each query.

        Raises
        ------
        VertexError, DuplicateElementError, MissingElementError, QueryError, PredictionError
            On invalid input, before any update is applied (the structure is unchanged).
        """
        if not isinstance(batch, UpdateBatch):
            raise InvalidInputError(f"batch must be a dynalgo.UpdateBatch, got {type(batch).__name__}")
        T = len(batch)
        u = np.ascontiguousarray(batch.u, dtype=np.int64)
        v = np.ascontiguousarray(batch.v, dtype=np.int64)
        op = np.ascontiguousarray(batch.op, dtype=np.int64)
        _validate.vertex_arrays(self._n, u, v, "update")
        q = as_queries(queries, self._n, 0, T)
        day0 = self.day
        if predicted_deletions is None:
            pdel = np.zeros(T, dtype=np.int64)
        else:
            pd = _validate.day_array(predicted_deletions, T, "predicted_deletions")
            pdel = np.where(pd > 0, np.minimum(pd + day0, _validate.NEVER), 0)
        known = self._reg.size
        ids = self._reg.assign(self._keys(u, v))
        present = np.zeros(self._reg.size, dtype=np.bool_)
        present[:known] = self._engine.elem[:known, _k.E_PRESENT] >= 0
        bad = int(_sequence.first_invalid(present, ids, op))
        if bad >= 0:
            self._reg.rollback()
            a, b = int(u[bad]), int(v[bad])
            if op[bad] == Op.INSERT:
                raise DuplicateElementError(f"update {bad} (batch day {bad + 1}) inserts edge ({a}, {b}), which is already present")
            raise MissingElementError(f"update {bad} (batch day {bad + 1}) deletes edge ({a}, {b}), which is not present")
        self._engine.reserve(self._reg.size)
        out = np.zeros(q.shape[0], dtype=np.bool_)
        w = np.ones(T, dtype=np.float64)
        if progress and T:
            from tqdm import tqdm

            with tqdm(total=T, unit="upd", unit_scale=True, leave=False) as bar:
                self._engine.run(ids, op, u, v, w, pdel, q, out, bar.update, chunk=max(T // 100, 1))
        else:
            self._engine.run(ids, op, u, v, w, pdel, q, out)
        return out

    # interop ------------------------------------------------------------------------
    def edges(self) -> NDArray[np.int64]:
        """The present edges as an ``(m, 2)`` array of ``(min, max)`` endpoints."""
        ne = self._reg.size
        pres = np.flatnonzero(self._engine.elem[:ne, _k.E_PRESENT] >= 0)
        keys = self._reg.keys[pres]
        return np.stack([keys // self._n, keys % self._n], axis=1) if keys.size else np.zeros((0, 2), np.int64)

    def to_networkx(self) -> "nx.Graph[int]":
        """The current graph as a :class:`networkx.Graph` on nodes ``0..n-1``."""
        g: nx.Graph[int] = nx.Graph()
        g.add_nodes_from(range(self._n))
        g.add_edges_from(self.edges().tolist())
        return g

    @classmethod
    def from_networkx(
        cls, graph: "nx.Graph[Any]", predictions: Predictions | None = None, *, seed: int = 0
    ) -> "DynamicConnectivity":
        """Build a structure holding the edges of ``graph`` (one insertion day per edge).

        The nodes of ``graph`` must be the integers ``0..n-1``; use
        :func:`networkx.convert_node_labels_to_integers` otherwise.
        """
        n = graph.number_of_nodes()
        nodes = set(graph.nodes)
        if n == 0 or nodes != set(range(n)):
            raise InvalidInputError("graph nodes must be exactly the integers 0..n-1 (n >= 1); "
                                    "relabel with networkx.convert_node_labels_to_integers")
        if graph.is_directed() or graph.is_multigraph():
            raise InvalidInputError("from_networkx expects an undirected simple nx.Graph")
        g = cls(n, predictions, seed=seed)
        e = np.asarray(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
        g.run(UpdateBatch.from_arrays(np.ones(len(e), dtype=np.int8), e[:, 0], e[:, 1]))
        return g

    # invariants ---------------------------------------------------------------------
    def check(self) -> None:
        """Assert every invariant: engine, union-find, and that the union-find's
        components are exactly those of the present edges."""
        self._engine.check()
        self._reg.check()
        _dsu.check(self._dsu)
        ref = _dsu.make(self._n)
        st = tuple(ref)
        for a, b in self.edges().tolist():
            _dsu.union(st, a, b)
        roots_here = np.array([_dsu.find(tuple(self._dsu), x) for x in range(self._n)])
        roots_ref = np.array([_dsu.find(st, x) for x in range(self._n)])
        # same partition: the map root_here -> root_ref is a bijection
        pairs = np.unique(np.stack([roots_here, roots_ref], axis=1), axis=0)
        assert len(pairs) == len(np.unique(roots_here)) == len(np.unique(roots_ref)), "components differ from present edges"

    def __repr__(self) -> str:
        return f"DynamicConnectivity(n={self._n}, edges={self.num_edges}, components={self.num_components}, day={self.day})"
