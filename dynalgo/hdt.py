"""Fully dynamic connectivity of Holm, de Lichtenberg and Thorup (no predictions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, overload

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike, NDArray

from structures import dsu as _dsu
from structures import components as _comp
from structures import hdt as _hdt

from . import _edges, _validate
from ._registry import Registry
from .errors import DuplicateElementError, InvalidInputError, MissingElementError
from .updates import Op, UpdateBatch, sorted_days, sorted_queries

__all__ = ["HDTConnectivity", "HDTStats"]


@dataclass(frozen=True, slots=True)
class HDTStats:
    """Work counters of [`HDTConnectivity`][dynalgo.HDTConnectivity] (deterministic for a given seed).

    Attributes
    ----------
    updates : int
        Insertions and deletions applied.
    tree_edge_pushes : int
        Tree edges moved one level up (in the smaller piece of a cut).
    nontree_edge_pushes : int
        Non-tree edges scanned without being a replacement, hence moved one level up.
    replacement_searches : int
        Deletions of tree edges (each starts a search for a replacement).
    replacements_found : int
        Searches that found a replacement edge (the others split a component).
    edges_scanned : int
        Non-tree edges examined as replacement candidates (found or pushed).

    Examples
    --------
    >>> g = HDTConnectivity(3)
    >>> g.insert(0, 1); g.insert(1, 2); g.insert(0, 2); g.delete(0, 1)
    >>> g.stats.replacement_searches, g.stats.replacements_found
    (1, 1)
    """

    updates: int
    tree_edge_pushes: int
    nontree_edge_pushes: int
    replacement_searches: int
    replacements_found: int
    edges_scanned: int


def with_vertices(s: _hdt.HDTState, n2: int) -> _hdt.HDTState:
    """The state ``s`` rebuilt on ``n2 >= n`` vertices: the same edges under the same ids
    (inserted again in id order, so the spanning forest may differ), the same seed and the
    same work counters.  O(m log n) expected."""
    old_meta = s.meta
    out = _hdt.make(n2, s.eu.shape[0], int(old_meta[_hdt.M_SEED]))
    ne = s.eu.shape[0]
    ids = np.flatnonzero(s.ekind[:ne] != _hdt.ABSENT).astype(np.int64)
    u = s.eu[ids].astype(np.int64)
    v = s.ev[ids].astype(np.int64)
    op = np.ones(ids.shape[0], dtype=np.int8)
    noq = np.zeros((0, 3), dtype=np.int64)
    noout = np.zeros(0, dtype=np.bool_)
    k = 0
    while True:
        ett, g = _hdt.args(out)
        k, _ = _hdt.run(ett, g, ids, op, u, v, noq, noout, k, 0)
        if k >= ids.shape[0]:
            break
        out = _hdt.fit(out)
    for c in (_hdt.M_UPDATES, _hdt.M_TREE_PUSHES, _hdt.M_NONTREE_PUSHES, _hdt.M_SEARCHES, _hdt.M_FOUND,
              _hdt.M_SCANNED):
        out.meta[c] = old_meta[c]
    return out


class HDTConnectivity(_edges.EdgeContainer):
    """Fully dynamic connectivity with O(log^2 n) amortized updates (Holm-de Lichtenberg-Thorup).

    The graph has vertices ``0..n-1`` and starts with no edges.  A spanning
    forest is kept on ``floor(log2 n) + 1`` levels of Euler-tour trees; a deleted
    tree edge is replaced by a non-tree edge found by the level scheme of [HDT]
    Sec. 3.  No predictions are used: this is the fully dynamic backstop.

    Parameters
    ----------
    n : int
        Number of vertices.
    seed : int, default 0
        Seed of the treap priorities (changes running time, never answers).

    Raises
    ------
    InvalidInputError
        If ``n`` is not a positive integer (or above ``2**31 - 1``), or ``seed``
        is not a non-negative integer.
    CapacityError
        If the arrays allocated up front (about 48 bytes per vertex) would not fit
        in this machine's memory; raised before allocating.

    Examples
    --------
    >>> from dynalgo import UpdateBatch, Insert, Delete
    >>> g = HDTConnectivity(5)
    >>> g.insert(0, 1); g.insert(1, 2); g.insert(2, 0)
    >>> g.connected(0, 2), g.num_components
    (True, 3)
    >>> g.delete(0, 1)          # a tree edge: {2, 0} replaces it
    >>> g.connected(0, 1), g.stats.replacements_found
    (True, 1)
    >>> g.delete(1, 2)
    >>> g.connected(0, 1), g.num_components
    (False, 4)

    The fast path applies a whole batch in one compiled call and answers
    ``(day, u, v)`` queries after the given days:

    >>> batch = UpdateBatch.from_updates([Insert(3, 4), Insert(4, 4), Delete(3, 4)])
    >>> g.run(batch, [[0, 3, 4], [1, 3, 4], [3, 3, 4]]).tolist()
    [False, True, False]

    Notes
    -----
    Updates cost O(log^2 n) amortized, queries O(log n), both in expectation
    over the treap priorities of the Euler-tour trees ([HDT] Sec. 3 proves the
    same amortized bound deterministically, with balanced trees): each edge
    rises at most ``log2 n`` levels and each rise costs O(log n).  A single
    deletion can cost O(m log n) in the worst case.  Memory: Euler-tour nodes
    of 44 bytes are allocated lazily, one per vertex up front (about 48 bytes
    per vertex in all for an empty structure), and then, for each tree edge of
    level ``l``, two arc nodes per level ``0..l`` and the endpoints' nodes at
    levels ``1..l``; the pool grows by doubling and keeps room for the worst
    case of the next deletion.  Each distinct edge ever inserted costs about 30
    bytes more (edge ids are never recycled; at most ``2**30`` of them).
    Self-loops are stored but never become tree edges and are never scanned.

    References
    ----------
    .. [HDT] J. Holm, K. de Lichtenberg and M. Thorup, "Poly-logarithmic
       deterministic fully-dynamic algorithms for connectivity, minimum
       spanning tree, 2-edge, and biconnectivity", J. ACM 48(4):723-760, 2001,
       Sec. 3 (connectivity).
    .. [IKRT] R. Iyer, D. Karger, H. Rahul and M. Thorup, "An experimental study
       of polylogarithmic, fully dynamic, connectivity algorithms", ACM Journal
       of Experimental Algorithmics 6, 2001 (engineering of HDT: treap-based
       Euler-tour trees, smaller-piece search).
    """

    def __init__(self, n: int, *, seed: int = 0) -> None:
        self._n = _validate.vertex_count(n)
        if self._n > _hdt.MAX_N:
            raise InvalidInputError(f"n must be at most {_hdt.MAX_N}, got {n!r}")
        if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or int(seed) < 0:
            raise InvalidInputError(f"seed must be a non-negative integer, got {seed!r}")
        _validate.check_allocation(_hdt.initial_bytes(self._n), f"HDTConnectivity(n={self._n})")
        self._reg = Registry()
        self._s = _hdt.make(self._n, 16, int(seed))

    # helpers ------------------------------------------------------------------------
    def _key(self, u: int, v: int) -> int:
        return min(u, v) * self._n + max(u, v)

    def _keys(self, u: NDArray[np.int64], v: NDArray[np.int64]) -> NDArray[np.int64]:
        return _edges.edge_keys(self._n, u, v)

    def _grow_or_rollback(self) -> None:
        """Room for every registered edge id, or take the last assignment back and raise."""
        if self._reg.size > _hdt.MAX_EDGES:
            self._reg.rollback()
            raise InvalidInputError(f"at most {_hdt.MAX_EDGES} distinct edges can ever be inserted")
        self._s = _hdt.grow(self._s, self._reg.size)

    def _present_id(self, u: int, v: int) -> int:
        """Id of the present edge ``{u, v}``, or -1."""
        e = self._reg.get(self._key(u, v))
        return e if e >= 0 and self._s.ekind[e] != _hdt.ABSENT else -1

    # properties ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of vertices."""
        return self._n

    @property
    def num_components(self) -> int:
        """Number of connected components (isolated vertices count)."""
        return int(self._s.meta[_hdt.M_COMPONENTS])

    @property
    def num_edges(self) -> int:
        """Number of present edges (self-loops included)."""
        return int(self._s.meta[_hdt.M_EDGES])

    @property
    def stats(self) -> HDTStats:
        """Work counters (see [`HDTStats`][dynalgo.HDTStats])."""
        m = self._s.meta
        return HDTStats(
            updates=int(m[_hdt.M_UPDATES]),
            tree_edge_pushes=int(m[_hdt.M_TREE_PUSHES]),
            nontree_edge_pushes=int(m[_hdt.M_NONTREE_PUSHES]),
            replacement_searches=int(m[_hdt.M_SEARCHES]),
            replacements_found=int(m[_hdt.M_FOUND]),
            edges_scanned=int(m[_hdt.M_SCANNED]),
        )

    # single updates and queries -----------------------------------------------------
    def has_edge(self, u: int, v: int) -> bool:
        """Whether the edge ``{u, v}`` is present.

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        return self._present_id(u, v) >= 0

    def insert(self, u: int, v: int) -> None:
        """Insert the edge ``{u, v}`` (O(log n) expected, O(log^2 n) amortized with deletions).

        Parameters
        ----------
        u, v : int
            Endpoints in ``0..n-1``.  ``u == v`` (a self-loop) is allowed: it is stored and
            counted as an edge, as in ``networkx.Graph``, and never changes connectivity.

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        DuplicateElementError
            If the edge is already present.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        key = self._key(u, v)
        e = self._reg.get(key)
        if e >= 0 and self._s.ekind[e] != _hdt.ABSENT:
            raise DuplicateElementError(f"edge ({u}, {v}) is already present; delete it first")
        if e < 0:
            e = int(self._reg.assign(np.array([key], dtype=np.int64))[0])
            self._grow_or_rollback()
        ett, g = _hdt.args(self._s)
        while _hdt.insert(ett, g, e, u, v) != _hdt.OK:
            self._s = _hdt.fit(self._s)
            ett, g = _hdt.args(self._s)

    def delete(self, u: int, v: int) -> None:
        """Delete the edge ``{u, v}`` (O(log^2 n) amortized).

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        MissingElementError
            If the edge is not present.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        e = self._present_id(u, v)
        if e < 0:
            raise MissingElementError(f"edge ({u}, {v}) is not present, so it cannot be deleted")
        ett, g = _hdt.args(self._s)
        while _hdt.delete(ett, g, e) != _hdt.OK:
            self._s = _hdt.fit(self._s)
            ett, g = _hdt.args(self._s)

    def connected(self, u: int, v: int) -> bool:
        """Whether ``u`` and ``v`` are in the same component (O(log n) expected).

        Raises
        ------
        VertexError
            If an endpoint is not an integer in ``0..n-1``.
        """
        u = _validate.vertex(u, self._n, "u")
        v = _validate.vertex(v, self._n, "v")
        ett, g = _hdt.args(self._s)
        return bool(_hdt.connected(ett, g, u, v))

    # components ---------------------------------------------------------------------
    def component(self, v: int) -> int:
        """A label of the component of ``v``: one of its vertices, the same for every vertex
        of the component, valid until the next update (O(log n) expected).

        Raises
        ------
        VertexError
            If ``v`` is not an integer in ``0..n-1``.
        """
        v = _validate.vertex(v, self._n, "v")
        return int(_comp.hdt_label(self._s.ett, v))

    def component_size(self, v: int) -> int:
        """Number of vertices in the component of ``v`` (O(log n) expected)."""
        v = _validate.vertex(v, self._n, "v")
        return int(_comp.hdt_size(self._s.ett, v))

    def component_members(self, v: int) -> NDArray[np.int64]:
        """The vertices of the component of ``v`` in increasing order (O(s log s) for a
        component of ``s`` vertices)."""
        v = _validate.vertex(v, self._n, "v")
        out = np.empty(self._n, dtype=np.int64)
        k = int(_comp.hdt_members(self._s.ett, v, out))
        return np.sort(out[:k])

    def component_labels(self) -> NDArray[np.int64]:
        """[`component`][dynalgo.HDTConnectivity.component] of every vertex: an int64 array of length ``n`` (O(n log n))."""
        out = np.empty(self._n, dtype=np.int64)
        _comp.hdt_labels(self._s.ett, self._n, out)
        return out

    def insert_many(self, u: ArrayLike, v: ArrayLike) -> None:
        """Insert the edges ``(u[i], v[i])`` in order (one compiled call); on invalid input
        nothing is inserted (see [`run`][dynalgo.HDTConnectivity.run])."""
        self.run(_edges.batch_of(int(Op.INSERT), u, v))

    def delete_many(self, u: ArrayLike, v: ArrayLike) -> None:
        """Delete the edges ``(u[i], v[i])`` in order (one compiled call); on invalid input
        nothing is deleted (see [`run`][dynalgo.HDTConnectivity.run])."""
        self.run(_edges.batch_of(int(Op.DELETE), u, v))

    def add_vertices(self, k: int = 1) -> range:
        """Add ``k`` isolated vertices ``n..n+k-1``; return their ids.  The state is rebuilt
        from the present edges (O(m log n)), as the number of levels depends on ``n``;
        the work counters are kept.

        Raises
        ------
        InvalidInputError
            If ``k`` is not a non-negative integer or ``n + k`` exceeds ``2**31 - 1``.
        CapacityError
            If the new arrays would not fit in memory (nothing changes).
        """
        n, n2 = self._n, _edges.new_vertex_count(self._n, k, _hdt.MAX_N)
        if n2 == n:
            return range(n, n)
        _validate.check_allocation(_hdt.initial_bytes(n2) + _hdt.state_bytes(self._s),
                                   f"HDTConnectivity.add_vertices({n2 - n}) on n={n}")
        reg = _edges.rekeyed(self._reg, n, n2)
        self._s = with_vertices(self._s, n2)
        self._reg = reg
        self._n = n2
        return range(n, n2)

    # batches ------------------------------------------------------------------------
    @overload
    def run(self, batch: UpdateBatch, queries: ArrayLike | None = None, *,
            count_components: Literal[False] = False) -> NDArray[np.bool_]: ...

    @overload
    def run(self, batch: UpdateBatch, queries: ArrayLike | None = None, *,
            count_components: Literal[True]) -> NDArray[np.int64]: ...

    def run(
        self, batch: UpdateBatch, queries: ArrayLike | None = None, *, count_components: bool = False
    ) -> NDArray[np.bool_] | NDArray[np.int64]:
        """Apply a whole batch in one compiled call and answer connectivity queries.

        Parameters
        ----------
        batch : UpdateBatch
            The updates; row ``k`` (0-based) is batch day ``k + 1``.  Weights are ignored.
        queries : array_like of shape (q, 3), optional
            Rows ``(day, u, v)`` with batch days in ``0..len(batch)``, in any order;
            each is answered on the state right after that day's update (day 0:
            before the batch), in the order of the rows.  With ``count_components=True``,
            a 1-d array of batch days (default: every day ``1..len(batch)``).
        count_components : bool, default False
            Answer each query day with the number of connected components instead.

        Returns
        -------
        ndarray of bool, shape (q,)
            ``connected(u, v)`` for each query (int64 component counts with
            ``count_components=True``).

        Raises
        ------
        InvalidInputError
            If ``batch`` is not an [`UpdateBatch`][dynalgo.UpdateBatch].
        VertexError, DuplicateElementError, MissingElementError, QueryError
            On invalid input, before any update is applied (the structure is unchanged).

        Examples
        --------
        >>> from dynalgo import UpdateBatch
        >>> g = HDTConnectivity(4)
        >>> b = UpdateBatch.from_arrays([1, 1, 1, 0], [0, 1, 2, 1], [1, 2, 0, 2])
        >>> g.run(b, [[4, 0, 2], [2, 0, 2], [4, 0, 3]]).tolist()
        [True, True, False]
        >>> g.run(UpdateBatch.from_arrays([0], [2], [0]), [0, 1], count_components=True).tolist()
        [2, 3]
        """
        if not isinstance(batch, UpdateBatch):
            raise InvalidInputError(f"batch must be a dynalgo.UpdateBatch, got {type(batch).__name__}")
        T = len(batch)
        u = np.ascontiguousarray(batch.u, dtype=np.int64)
        v = np.ascontiguousarray(batch.v, dtype=np.int64)
        op = np.ascontiguousarray(batch.op, dtype=np.int8)
        _validate.vertex_arrays(self._n, u, v, "update")
        count_components = _validate.flag(count_components, "count_components")
        if count_components:
            q, order = sorted_days(queries, T)
        else:
            q, order = sorted_queries(queries, self._n, 0, T)
        known = self._reg.size
        ids = self._reg.assign(self._keys(u, v))
        present = np.zeros(self._reg.size, dtype=np.bool_)
        present[:known] = self._s.ekind[:known] != _hdt.ABSENT
        bad = int(_hdt.first_invalid(present, ids, op))
        if bad >= 0:
            self._reg.rollback()
            a, b = int(u[bad]), int(v[bad])
            if op[bad] == Op.INSERT:
                raise DuplicateElementError(
                    f"update {bad} (batch day {bad + 1}) inserts edge ({a}, {b}), which is already present")
            raise MissingElementError(
                f"update {bad} (batch day {bad + 1}) deletes edge ({a}, {b}), which is not present")
        self._grow_or_rollback()
        out: NDArray[Any] = np.zeros(q.shape[0], dtype=np.int64 if count_components else np.bool_)
        qdays = np.ascontiguousarray(q[:, 0])
        k, qi = 0, 0
        while True:
            ett, g = _hdt.args(self._s)
            if count_components:
                k, qi = _comp.hdt_run_count(ett, g, ids, op, u, v, qdays, out, k, qi)
            else:
                k, qi = _hdt.run(ett, g, ids, op, u, v, q, out, k, qi)
            if k >= T:
                answers = np.empty_like(out)
                answers[order] = out
                return answers
            self._s = _hdt.fit(self._s)

    # interop ------------------------------------------------------------------------
    def edges(self) -> NDArray[np.int64]:
        """The present edges as an ``(m, 2)`` array of ``(min, max)`` endpoints, by edge id.

        Examples
        --------
        >>> g = HDTConnectivity(3); g.insert(2, 1); g.insert(0, 0)
        >>> g.edges().tolist()
        [[1, 2], [0, 0]]
        """
        ne = self._reg.size
        pres = np.flatnonzero(self._s.ekind[:ne] != _hdt.ABSENT)
        keys = self._reg.keys[pres]
        return _edges.keys_to_edges(self._n, keys)

    def to_networkx(self) -> "nx.Graph[int]":
        """The current graph as a ``networkx.Graph`` on nodes ``0..n-1``.

        Examples
        --------
        >>> g = HDTConnectivity(3); g.insert(0, 1)
        >>> sorted(g.to_networkx().edges())
        [(0, 1)]
        """
        return _edges.to_graph(self._n, self.edges())

    @classmethod
    def from_networkx(cls, graph: "nx.Graph[Any]", *, seed: int = 0) -> "HDTConnectivity":
        """Build a structure holding the edges of ``graph``.

        The nodes of ``graph`` must be the integers ``0..n-1`` (``n >= 1``); use
        ``networkx.convert_node_labels_to_integers`` otherwise.

        Raises
        ------
        InvalidInputError
            If ``graph`` is directed, a multigraph, or its nodes are not ``0..n-1``.

        Examples
        --------
        >>> import networkx as nx
        >>> g = HDTConnectivity.from_networkx(nx.path_graph(4))
        >>> g.num_components, g.num_edges
        (1, 3)
        """
        n, batch = _edges.insertions_of(graph)
        g = cls(n, seed=seed)
        g.run(batch)
        return g

    # invariants ---------------------------------------------------------------------
    def check(self) -> None:
        """Assert every invariant (O(n log n + m)-ish; for tests).

        The kernel state (``structures.hdt.check``: Euler-tour trees of every
        level, the lazy node mapping and the node pool, edge levels, adjacency
        lists, flags, component sizes), the edge
        registry, and that the components equal those of the present edges
        (recomputed with a union-find).
        """
        s = self._s
        roots_here = _hdt.check(s)
        self._reg.check()
        ne = self._reg.size
        assert ne <= s.eu.shape[0]
        assert not np.any(s.ekind[ne:] != _hdt.ABSENT), "an edge id beyond the registry is present"
        pres = np.flatnonzero(s.ekind[:ne] != _hdt.ABSENT)
        eu = s.eu[pres].astype(np.int64)
        ev = s.ev[pres].astype(np.int64)
        assert np.array_equal(self._keys(eu, ev), self._reg.keys[pres]), "edge endpoints disagree with the registry"
        ref = _dsu.make(self._n)
        st = tuple(ref)
        for a, b in zip(eu.tolist(), ev.tolist()):
            _dsu.union(st, a, b)
        assert int(ref.meta[_dsu.COMPONENTS]) == self.num_components, "component count differs from the edges"
        roots_ref = np.array([_dsu.find(st, x) for x in range(self._n)])
        pairs = np.unique(np.stack([roots_here, roots_ref], axis=1), axis=0)
        assert len(pairs) == len(np.unique(roots_here)) == len(np.unique(roots_ref)), "components differ from present edges"

    def __repr__(self) -> str:
        return f"HDTConnectivity(n={self._n}, edges={self.num_edges}, components={self.num_components})"
