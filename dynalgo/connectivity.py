"""Dynamic connectivity lifted from an undo union-find by the prediction engine."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal, overload

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike, NDArray

from predictors import PredictionArrays
from structures import dsu as _dsu
from structures import hdt as _hdt
from structures import lifted_dsu as _lifted_dsu
from structures import race_dsu_hdt as _race_kernels
from structures import engine as _k
from structures import components as _comp

from . import _edges, _validate
from . import hdt as _hdt_front
from ._engine import BaseKernels, EngineStats, LiftingEngine, _grow_rows
from ._race import Race
from ._registry import Registry
from .errors import InvalidInputError, InvalidTypeError, PredictionError
from .updates import Op, Predictions, UpdateBatch, sorted_days, sorted_queries

__all__ = ["DynamicConnectivity"]

_BASE = BaseKernels(_lifted_dsu.run_days, _lifted_dsu.reset_path)
#: the same base answering a query with the number of components (``run(..., count_components=True)``)
_COUNT_BASE = BaseKernels(_comp.lifted_run_days_count, _lifted_dsu.reset_path)

#: the adaptive share (the default) moves within [1 / ADAPTIVE_RANGE, ADAPTIVE_RANGE]
ADAPTIVE_RANGE = 8.0

#: accepted range of ``backstop_share``: beyond it the race's work clocks could overflow
MIN_SHARE, MAX_SHARE = 1e-6, 1e6
#: largest ``race_quantum`` (a work budget held in an int64)
MAX_QUANTUM = 1 << 62


def hdt_bytes(n: int) -> int:
    """Bytes the HDT backstop allocates up front for ``n`` vertices: ``3 L n`` Euler-tour
    nodes of 36 bytes (plus 4 transient), ``L n`` list heads and the tree-edge slots."""
    L = _hdt.levels(n)
    return (3 * L * 40 + 4 * L + 8) * n


def upfront_bytes(n: int, predictions: Predictions, backstop: bool) -> int:
    """Estimate of the bytes a [`DynamicConnectivity`][dynalgo.DynamicConnectivity] allocates when it is built."""
    m = len(predictions)
    total = 12 * n + 64 * m + LiftingEngine.upfront_bytes(m, predictions.horizon)
    return total + (hdt_bytes(n) if backstop else 0)


class DynamicConnectivity(_edges.EdgeContainer):
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
        model), e.g. from [`predictors.exact`][predictors.exact] or [`predictors.perturbed`][predictors.perturbed].  Days are absolute: day 1 is this structure's first update.
    backstop : {"hdt", None}, default "hdt"
        Race the lifted structure against a fully dynamic backstop
        ([`dynalgo.HDTConnectivity`][dynalgo.HDTConnectivity]'s kernels) as in [LS] Alg. C.2: every
        day both get the update and are stepped alternately with work budgets
        until one has caught up; that one answers the day's queries.  Total work
        is at most ``(1 + r)`` times the lifted side's and ``(1 + 1/r)`` times the
        backstop's (plus one step), so bad predictions cost at most a constant
        factor over HDT.  ``None``: the lifted structure alone.
    backstop_share : float, optional
        ``r``: work units granted to the backstop per unit granted to the lifted side,
        fixed.  Default: an adaptive share.  Each settled day the side that has been
        cheaper per day lately (decayed work over days advanced) gets the work: ``r``
        becomes ``1/ADAPTIVE_RANGE`` when the lifted side is cheaper and
        ``ADAPTIVE_RANGE`` (8) when the backstop is.  Every day obeys the race's
        inequalities with that day's share, so each side's work stays within 8 times
        the other's plus one step per day (never worse than HDT alone by more than a
        factor 9, whatever the predictions); while one side stays cheaper, the other
        costs 1/8 of its work, plus the catch-up of a starved side when it takes over.
    race_quantum : int, optional
        Least work budget of one step of the lifted side while the backstop runs.
        Default: the cost of the cheapest backstop update, ``1 + 8 * L`` units
        with ``L = floor(log2 n) + 1`` HDT levels, so lifted steps are as coarse as
        the backstop's atomic ones (finer steps interleave more and cost time in
        switching between the two structures, not work).
    seed : int, default 0
        Seed of the random partition tree, of the randomized schedule and of
        the backstop's treaps.
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
        If ``n`` is not an integer in ``1..2**31-1`` (at most ``2**24`` with the HDT
        backstop), ``tree`` or ``backstop`` is unknown, ``backstop_share`` is not a
        number in ``[1e-6, 1e6]`` or ``race_quantum`` not an integer in ``1..2**62``.
        A wrong type (``seed=1.5``, ``deterministic_schedule="yes"``...) raises its
        subclass ``InvalidTypeError``, which is also a ``TypeError``.
    CapacityError
        If the arrays allocated up front (``O(n log n)`` bytes with the backstop,
        ``O(n)`` without) would not fit in this machine's memory.
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
        backstop: str | None = "hdt",
        backstop_share: float | None = None,
        race_quantum: int | None = None,
        seed: int = 0,
        deterministic_schedule: bool = False,
        tree: str = "dyadic",
    ) -> None:
        self._n = _validate.vertex_count(n, _validate.MAX_DSU_N)
        backstop = _validate.choice(backstop, "backstop", ("hdt", None))
        if backstop is not None and self._n > _hdt.MAX_N:
            raise InvalidInputError(f"the HDT backstop takes at most {_hdt.MAX_N} vertices; pass backstop=None")
        adaptive = backstop_share is None
        share = 1.0 if adaptive else _validate.real(backstop_share, "backstop_share", MIN_SHARE, MAX_SHARE)
        if race_quantum is None:
            race_quantum = 1 + _race_kernels.WALKS * _hdt.levels(self._n)
        race_quantum = _validate.integer(race_quantum, "race_quantum", 1, MAX_QUANTUM)
        seed = _validate.seed(seed)
        deterministic_schedule = _validate.flag(deterministic_schedule, "deterministic_schedule")
        tree = _validate.choice(tree, "tree", ("dyadic", "treap"))
        self._reg = Registry()
        predictions = Predictions.coerce(predictions)
        _validate.vertex_arrays(self._n, predictions.u, predictions.v, "prediction", PredictionError)
        _validate.check_allocation(
            upfront_bytes(self._n, predictions, backstop is not None),
            f"DynamicConnectivity(n={self._n}, {len(predictions)} predictions, backstop={backstop!r})")
        pe = self._reg.assign(self._keys(predictions.u, predictions.v))
        self._dsu = _dsu.make(self._n)
        self._engine = LiftingEngine(
            _BASE, tuple(self._dsu), self._reg.size, pe,
            predictions.op.astype(np.int64), np.minimum(predictions.day, _validate.NEVER).astype(np.int64),
            seed=seed, deterministic=deterministic_schedule, tree=tree,
        )
        self._present = np.zeros(max(self._reg.size, 16), dtype=np.bool_)
        self._race: Race | None = None
        if backstop == "hdt":
            self._race = Race(self._engine, self._n, share=share, quantum=int(race_quantum), seed=int(seed),
                              adaptive=ADAPTIVE_RANGE if adaptive else None)
            self._race.reserve(self._reg.size)

    def _reserve(self) -> None:
        """Room for every registered element id on both sides."""
        size = self._reg.size
        self._present = _edges.grow_flags(self._present, size)
        if self._race is not None:
            self._race.reserve(size)
        else:
            self._engine.reserve(size)

    def _backstop_answers(self) -> bool:
        """Whether today's state is the backstop's (it won the race of the last day)."""
        return self._race is not None and self._race.winner == 1

    # element registry ---------------------------------------------------------------
    def _key(self, u: int, v: int) -> int:
        return min(u, v) * self._n + max(u, v)

    def _keys(self, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
        return _edges.edge_keys(self._n, u, v)

    # properties ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of vertices."""
        return self._n

    @property
    def day(self) -> int:
        """Number of updates handled so far (the last day)."""
        return self._engine.day if self._race is None else self._race.day

    @property
    def num_components(self) -> int:
        """Number of connected components (isolated vertices count)."""
        if self._backstop_answers():
            assert self._race is not None
            return int(self._race.hdt.meta[_hdt.M_COMPONENTS])
        return int(self._dsu.meta[_dsu.COMPONENTS])

    @property
    def num_edges(self) -> int:
        """Number of present edges."""
        return int(np.count_nonzero(self._present[: self._reg.size]))

    @property
    def stats(self) -> EngineStats:
        """Work counters of the lifting engine (see [`dynalgo.EngineStats`][dynalgo.EngineStats]); with a
        backstop, ``stats.race`` holds the race counters ([`dynalgo.RaceStats`][dynalgo.RaceStats])."""
        st = self._engine.stats()
        if self._race is not None:
            st = dataclasses.replace(st, days=self._race.day, race=self._race.stats())
        return st

    # single updates -----------------------------------------------------------------
    def has_edge(self, u: int, v: int) -> bool:
        """Whether the edge ``{u, v}`` is present."""
        return _edges.present_id(self._n, self._reg, self._present, u, v)[0] >= 0

    def insert(self, u: int, v: int, *, predicted_deletion: int | None = None) -> None:
        """Insert the edge ``{u, v}`` (one day).

        Parameters
        ----------
        u, v : int
            Endpoints in ``0..n-1``.  ``u == v`` (a self-loop) is allowed: it is stored and
            counted as an edge, as in ``networkx.Graph``, and never changes connectivity.
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
            If ``predicted_deletion`` is not an integer day after this insertion's day
            (``day + 1``).
        """
        pdel = _edges.insertion_deletion_day(predicted_deletion, self.day)
        e, u, v = _edges.id_for_insert(self._n, self._reg, self._present, u, v)
        self._reserve()
        self._present[e] = True
        self._step(e, int(Op.INSERT), u, v, pdel)

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
        self._step(e, int(Op.DELETE), u, v, 0)

    def _step(self, e: int, op: int, u: int, v: int, pdel: int) -> None:
        """One validated update: a one-day batch (raced when there is a backstop)."""
        if self._race is None:
            self._engine.reserve(self._reg.size, 1)
            self._engine.step(e, op, u, v, 1.0, pdel)
            return
        one = (np.array([e], dtype=np.int64), np.array([op], dtype=np.int64), np.array([u], dtype=np.int64),
               np.array([v], dtype=np.int64), np.ones(1, dtype=np.float64), np.array([pdel], dtype=np.int64))
        self._race.run(one, np.zeros((0, 3), dtype=np.int64), np.zeros(0, dtype=np.bool_))

    def connected(self, u: int, v: int) -> bool:
        """Whether ``u`` and ``v`` are in the same component (O(log n) worst case)."""
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        if self._backstop_answers():
            assert self._race is not None
            ett, g = _hdt.args(self._race.hdt)
            return bool(_hdt.connected(ett, g, u, v))
        return bool(_dsu.connected(tuple(self._dsu), u, v))

    # components ---------------------------------------------------------------------
    def component(self, v: int) -> int:
        """A label of the component of ``v``: one of its vertices, the same for every
        vertex of the component and different between components.

        Labels are valid until the next update (an update may change the labels of
        components it does not touch).  O(log n).

        Raises
        ------
        VertexError
            If ``v`` is not an integer in ``0..n-1``.
        """
        v = _validate.vertex(v, self._n, "v")
        if self._backstop_answers():
            assert self._race is not None
            return int(_comp.hdt_label(self._race.hdt.ett, v))
        return int(_comp.uf_label(self._dsu.parent, v))

    def component_size(self, v: int) -> int:
        """Number of vertices in the component of ``v`` (O(log n) when the backstop answers,
        O(n log n) when the union-find does)."""
        v = _validate.vertex(v, self._n, "v")
        if self._backstop_answers():
            assert self._race is not None
            return int(_comp.hdt_size(self._race.hdt.ett, v))
        return int(_comp.uf_size(self._dsu.parent, v))

    def component_members(self, v: int) -> NDArray[np.int64]:
        """The vertices of the component of ``v``, in increasing order (int64 array)."""
        v = _validate.vertex(v, self._n, "v")
        out = np.empty(self._n, dtype=np.int64)
        if self._backstop_answers():
            assert self._race is not None
            k = int(_comp.hdt_members(self._race.hdt.ett, v, out))
            return np.sort(out[:k])
        k = int(_comp.uf_members(self._dsu.parent, v, out))
        return out[:k].copy()

    def component_labels(self) -> NDArray[np.int64]:
        """[`component`][dynalgo.DynamicConnectivity.component] of every vertex at once: an int64 array of length ``n``
        (O(n log n)); ``np.unique(labels)`` has ``num_components`` entries."""
        out = np.empty(self._n, dtype=np.int64)
        if self._backstop_answers():
            assert self._race is not None
            _comp.hdt_labels(self._race.hdt.ett, self._n, out)
        else:
            _comp.uf_labels(self._dsu.parent, out)
        return out

    # many updates at once -----------------------------------------------------------
    def insert_many(self, u: ArrayLike, v: ArrayLike, *, predicted_deletions: ArrayLike | None = None) -> None:
        """Insert the edges ``(u[i], v[i])`` in order, one day each (one compiled call).

        Parameters
        ----------
        u, v : array_like of int
            Endpoints, one-dimensional and of equal lengths.
        predicted_deletions : array_like of int, optional
            Per edge, the predicted **absolute** day of its deletion, as in
            [`insert`][dynalgo.DynamicConnectivity.insert] (0: none); it must come after the edge's insertion day.

        Raises
        ------
        VertexError, DuplicateElementError, InvalidInputError, PredictionError
            On invalid input (an edge present already or repeated, a vertex out of
            range...), before anything is inserted: the structure is unchanged.
        """
        batch = _edges.batch_of(int(Op.INSERT), u, v)
        pd = _edges.relative_deletions(predicted_deletions, len(batch), self.day)
        self.run(batch, predicted_deletions=pd)

    def delete_many(self, u: ArrayLike, v: ArrayLike) -> None:
        """Delete the edges ``(u[i], v[i])`` in order, one day each (one compiled call).

        Raises
        ------
        VertexError, MissingElementError, InvalidInputError
            On invalid input (an absent edge, one deleted twice...), before anything is
            deleted: the structure is unchanged.
        """
        self.run(_edges.batch_of(int(Op.DELETE), u, v))

    def add_vertices(self, k: int = 1) -> range:
        """Add ``k`` isolated vertices ``n..n+k-1`` and return their ids as a range.

        No day passes.  Edges, predictions, labels of the lifted side and work counters
        are kept; with a backstop, its HDT state is rebuilt on the new vertex count from
        the edges it holds (O(m log n)), since its levels depend on ``n``.

        Raises
        ------
        InvalidInputError
            If ``k`` is not a non-negative integer or ``n + k`` exceeds the vertex limit
            (the limits of the constructor).
        CapacityError
            If the new arrays would not fit in memory (nothing changes).
        """
        limit = _validate.MAX_DSU_N if self._race is None else min(_validate.MAX_DSU_N, _hdt.MAX_N)
        n, n2 = self._n, _edges.new_vertex_count(self._n, k, limit)
        if n2 == n:
            return range(n, n)
        _validate.check_allocation(12 * n2 + (_hdt.initial_bytes(n2) + _hdt.state_bytes(self._race.hdt)
                                              if self._race is not None else 0),
                                   f"DynamicConnectivity.add_vertices({n2 - n}) on n={n}")
        reg = _edges.rekeyed(self._reg, n, n2)
        hdt_state = _hdt_front.with_vertices(self._race.hdt, n2) if self._race is not None else None
        old = self._dsu
        parent = np.full(n2, -1, dtype=np.int32)
        parent[:n] = old.parent
        log = np.zeros(max(n2, 1), dtype=np.int64)
        log[: old.log.shape[0]] = old.log
        old.meta[_dsu.COMPONENTS] += n2 - n
        self._dsu = _dsu.DSUState(parent, log, old.meta)
        self._engine.bstate = tuple(self._dsu)
        self._reg = reg
        if self._race is not None:
            assert hdt_state is not None
            self._race.hdt = hdt_state
        self._n = n2
        return range(n, n2)

    # batches ------------------------------------------------------------------------
    @overload
    def run(
        self, batch: UpdateBatch, queries: ArrayLike | None = None, *,
        predicted_deletions: ArrayLike | None = None, progress: bool = False,
        count_components: Literal[False] = False,
    ) -> NDArray[np.bool_]: ...

    @overload
    def run(
        self, batch: UpdateBatch, queries: ArrayLike | None = None, *,
        predicted_deletions: ArrayLike | None = None, progress: bool = False,
        count_components: Literal[True],
    ) -> NDArray[np.int64]: ...

    def run(
        self,
        batch: UpdateBatch,
        queries: ArrayLike | None = None,
        *,
        predicted_deletions: ArrayLike | None = None,
        progress: bool = False,
        count_components: bool = False,
    ) -> NDArray[np.bool_] | NDArray[np.int64]:
        """Apply a whole batch in one compiled call and answer queries along the way.

        Parameters
        ----------
        batch : UpdateBatch
            The updates; row ``k`` (0-based) is batch day ``k + 1``.
        queries : array_like, optional
            Rows ``(day, u, v)`` (shape ``(q, 3)``) with batch days in ``0..len(batch)``, in
            any order; each is answered on the state right after that day's update (day 0:
            before the batch), and the answers come in the order of the rows.  With
            ``count_components=True``, a 1-d array of batch days (rows ``(day, u, v)`` are
            accepted too, their vertices ignored); default there: every day ``1..len(batch)``.
        predicted_deletions : array_like of int, optional
            Per update, the predicted batch day of the deletion of the edge that
            update inserts (0: no prediction; ignored on deletions); it must come
            after that update's own batch day.  This is the predicted-deletion model.
        progress : bool, default False
            Show a progress bar on stderr (the lifted structure alone; ignored with a backstop).
        count_components : bool, default False
            Answer each query day with the number of connected components instead.

        Returns
        -------
        ndarray of bool, shape (q,)
            ``connected(u, v)`` for each query; with ``count_components=True``, an int64
            array of ``num_components`` for each query day.

        Raises
        ------
        VertexError, DuplicateElementError, MissingElementError, QueryError, PredictionError
            On invalid input, before any update is applied (the structure is unchanged).
        """
        if not isinstance(batch, UpdateBatch):
            raise InvalidTypeError(f"batch must be a dynalgo.UpdateBatch, got {type(batch).__name__}")
        progress = _validate.flag(progress, "progress")
        count_components = _validate.flag(count_components, "count_components")
        T = len(batch)
        if count_components:
            q, order = sorted_days(queries, T)
        else:
            q, order = sorted_queries(queries, self._n, 0, T)
        ids, op, u, v, pdel, present = _edges.prepare_batch(
            self._n, self._reg, self._present, batch, self.day, predicted_deletions)
        self._reserve()
        self._present[: present.shape[0]] = present
        out: NDArray[Any] = np.zeros(q.shape[0], dtype=np.int64 if count_components else np.bool_)
        w = np.ones(T, dtype=np.float64)
        ev = (ids, op, u, v, w, pdel)
        if self._race is not None:
            if count_components:
                self._race_counts(ev, q[:, 0], out)
            else:
                self._race.run(ev, q, out)
        elif count_components:
            engine = self._engine
            engine.base = _COUNT_BASE
            try:
                engine.run(ids, op, u, v, w, pdel, q, out)
            finally:
                engine.base = _BASE
        elif progress and T:
            from tqdm import tqdm

            with tqdm(total=T, unit="upd", unit_scale=True, leave=False) as bar:
                self._engine.run(ids, op, u, v, w, pdel, q, out, bar.update, chunk=max(T // 100, 1))
        else:
            self._engine.run(ids, op, u, v, w, pdel, q, out)
        answers = np.empty_like(out)
        answers[order] = out
        return answers

    def _race_counts(self, ev: tuple[NDArray[Any], ...], qdays: NDArray[np.int64], out: NDArray[np.int64]) -> None:
        """``Race.run`` answering component counts on the (sorted) batch days ``qdays``."""
        race = self._race
        assert race is not None
        day0 = race.day
        race._append(ev)
        e = race.engine
        qdays = np.ascontiguousarray(qdays)
        noq = np.zeros((0, 3), dtype=np.int64)
        noout = np.zeros(0, dtype=np.bool_)
        qpos = 0
        while True:
            ett, g = _hdt.args(race.hdt)
            qp, st = _comp.race_count(
                e.days, e.spay_i, e.spay_f, e.cand, e.inst, e.elem, e.stack, e.meta, e.bstate, ett, g,
                race.ev_elem, race.ev_op, race.ev_u, race.ev_v, race.ev_w, race.ev_pdel,
                race.log_day0, race.n_log, qdays, qpos, out, day0, race.rmeta, race.rf, noq, noout,
            )
            qpos, st = int(qp), int(st)
            if st == 0:
                return
            if st == 2:
                e._grow_horizon()
            elif st == 4:
                race._grow_backstop()
            else:
                e.inst = _grow_rows(e.inst, int(e.meta[_k.M_NINST]) + 1, 0)

    # interop ------------------------------------------------------------------------
    def edges(self) -> NDArray[np.int64]:
        """The present edges as an ``(m, 2)`` array of ``(min, max)`` endpoints."""
        ne = self._reg.size
        pres = np.flatnonzero(self._present[:ne])
        keys = self._reg.keys[pres]
        return _edges.keys_to_edges(self._n, keys)

    def to_networkx(self) -> "nx.Graph[int]":
        """The current graph as a ``networkx.Graph`` on nodes ``0..n-1``."""
        return _edges.to_graph(self._n, self.edges())

    @classmethod
    def from_networkx(
        cls, graph: "nx.Graph[Any]", predictions: Predictions | None = None, *, seed: int = 0
    ) -> "DynamicConnectivity":
        """Build a structure holding the edges of ``graph`` (one insertion day per edge).

        The nodes of ``graph`` must be the integers ``0..n-1``; use
        ``networkx.convert_node_labels_to_integers`` otherwise.
        """
        n, batch = _edges.insertions_of(graph)
        g = cls(n, predictions, seed=seed)
        g.run(batch)
        return g

    # invariants ---------------------------------------------------------------------
    def check(self) -> None:
        """Assert every invariant.

        The engine (its path may be unfinished while it lags in the race), the
        union-find, the registry; the side that answers today holds exactly the
        components of the present edges.  With a backstop, also HDT's invariants,
        and on a copy where both sides are driven to today (outside the race),
        that both hold exactly the present edges and the same components.
        """
        self._reg.check()
        ne = self._reg.size
        assert not np.any(self._present[ne:]), "presence flag beyond the registry"
        edges = self.edges()
        if self._race is None:
            self._engine.check()
            _dsu.check(self._dsu)
            assert np.array_equal(self._engine.elem[:ne, _k.E_PRESENT] >= 0, self._present[:ne]), \
                "engine and presence flags disagree"
            self._same_partition(self._dsu_roots(self._dsu), edges)
            return
        race = self._race
        lifted_now = race.lifted_caught_up()
        self._engine.check(require_path=lifted_now)
        _dsu.check(self._dsu)
        _hdt.check(race.hdt)
        assert race.lifted_caught_up() or race.backstop_caught_up(), "neither side holds today's state"
        if self._backstop_answers():
            assert race.backstop_caught_up(), "the backstop answers but lags"
            self._same_partition(_hdt.check(race.hdt), edges)
        else:
            assert lifted_now, "the lifted side answers but lags"
            self._same_partition(self._dsu_roots(self._dsu), edges)
        # both sides, once caught up, hold the same edge set and the same components
        twin = race.clone()
        twin.catch_up()
        twin.engine.check()
        _dsu.check(_dsu.DSUState(*twin.engine.bstate))
        roots_b = _hdt.check(twin.hdt)
        assert np.array_equal(twin.engine.elem[:ne, _k.E_PRESENT] >= 0, self._present[:ne]), \
            "lifted side (caught up) holds other edges"
        assert np.array_equal(twin.hdt.ekind[:ne] != _hdt.ABSENT, self._present[:ne]), \
            "backstop (caught up) holds other edges"
        self._same_partition(self._dsu_roots(_dsu.DSUState(*twin.engine.bstate)), edges)
        self._same_partition(roots_b, edges)

    def _dsu_roots(self, state: _dsu.DSUState) -> NDArray[np.int64]:
        st = tuple(state)
        return np.array([_dsu.find(st, x) for x in range(self._n)], dtype=np.int64)

    def _same_partition(self, roots_here: NDArray[np.int64], edges: NDArray[np.int64]) -> None:
        """``roots_here`` (a representative per vertex) induces the components of ``edges``."""
        ref = _dsu.make(self._n)
        st = tuple(ref)
        for a, b in edges.tolist():
            _dsu.union(st, a, b)
        roots_ref = self._dsu_roots(ref)
        # same partition: the map root_here -> root_ref is a bijection
        pairs = np.unique(np.stack([roots_here, roots_ref], axis=1), axis=0)
        assert len(pairs) == len(np.unique(roots_here)) == len(np.unique(roots_ref)), "components differ from present edges"

    def __repr__(self) -> str:
        return f"DynamicConnectivity(n={self._n}, edges={self.num_edges}, components={self.num_components}, day={self.day})"

