"""HDTConnectivity against a networkx oracle: a stateful machine, bad input, run vs steps.

The machine mixes random updates with shapes that stress the replacement
search (stars, paths, cliques, deletion of tree edges with and without a
replacement, the same edge toggled many times, self-loops) and calls the
structure's own ``check()`` (every level's Euler-tour trees, edge levels,
adjacency lists, component sizes) after every step.
"""

from __future__ import annotations

from typing import Any, Callable

import networkx as nx
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from dynalgo import (
    CapacityError,
    Delete,
    DuplicateElementError,
    Insert,
    InvalidInputError,
    MissingElementError,
    QueryError,
    UpdateBatch,
    VertexError,
)
from dynalgo.hdt import HDTConnectivity, HDTStats
from structures import hdt as _hdt
from tests.naive import Event, NaiveGraph, events_arrays, norm, random_events, replay_answers

MAX_N = 12


def make_batch(events: list[Event]) -> UpdateBatch:
    return UpdateBatch.from_arrays(*events_arrays(events))


def assert_same(g: HDTConnectivity, ref: NaiveGraph) -> None:
    """Every query of ``g`` agrees with the oracle."""
    n = ref.n
    assert g.num_edges == ref.num_edges
    assert g.num_components == ref.num_components
    assert sorted(tuple(e) for e in g.edges().tolist()) == ref.sorted_edges()
    lab = ref.component_labels()
    for a in range(n):
        for b in range(a, n):
            assert g.connected(a, b) == g.connected(b, a) == (lab[a] == lab[b]), (a, b)
    for a, b in ref.sorted_edges():
        assert g.has_edge(a, b) and g.has_edge(b, a)


def kind(g: HDTConnectivity, u: int, v: int) -> int:
    """Kernel edge kind of {u, v} (white-box, to pick tree edges)."""
    e = g._reg.get(g._key(u, v))
    return int(g._s.ekind[e]) if e >= 0 else _hdt.ABSENT


def tree_edges(g: HDTConnectivity) -> list[tuple[int, int]]:
    return [(a, b) for a, b in g.edges().tolist() if kind(g, a, b) == _hdt.TREE]


# ---------------------------------------------------------------------------------
# the stateful machine
# ---------------------------------------------------------------------------------
class HDTMachine(RuleBasedStateMachine):
    """Random updates and queries on up to 12 vertices, checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.g = HDTConnectivity(1)
        self.ref = NaiveGraph(1)
        self.top = 0

    @initialize(n=st.integers(1, MAX_N), seed=st.integers(0, 2**31 - 1))
    def setup(self, n: int, seed: int) -> None:
        self.g = HDTConnectivity(n, seed=seed)
        self.ref = NaiveGraph(n)

    # helpers ------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return self.ref.n

    def _vertex(self, data: st.DataObject, label: str) -> int:
        return data.draw(st.integers(0, self.n - 1), label=label)

    def _apply(self, op: int, u: int, v: int) -> None:
        if op == 1:
            self.g.insert(u, v)
        else:
            self.g.delete(u, v)
        self.ref.apply(op, u, v)

    def _insert_all(self, edges: list[tuple[int, int]]) -> None:
        for a, b in edges:
            if not self.ref.has_edge(a, b):
                self._apply(1, a, b)

    # rules ----------------------------------------------------------------------------
    @rule(data=st.data())
    def insert_random(self, data: st.DataObject) -> None:
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        if self.ref.has_edge(u, v):
            with pytest.raises(DuplicateElementError):
                self.g.insert(u, v)
            return
        self._apply(1, u, v)

    @precondition(lambda self: bool(self.ref.edges))
    @rule(data=st.data())
    def delete_present(self, data: st.DataObject) -> None:
        u, v = data.draw(st.sampled_from(self.ref.sorted_edges()), label="edge")
        if data.draw(st.booleans(), label="swap"):
            u, v = v, u
        self._apply(0, u, v)

    @rule(data=st.data())
    def delete_tree_edge(self, data: st.DataObject) -> None:
        """Delete a spanning-forest edge; label whether a replacement existed."""
        tree = tree_edges(self.g)
        if not tree:
            return
        u, v = data.draw(st.sampled_from(tree), label="tree edge")
        before = self.g.stats
        ref_comp = self.ref.num_components
        self._apply(0, u, v)
        after = self.g.stats
        assert after.replacement_searches == before.replacement_searches + 1
        found = after.replacements_found - before.replacements_found
        assert found == (1 if self.ref.num_components == ref_comp else 0)
        event(f"tree edge deleted: {'replaced' if found else 'split'}")

    @rule(data=st.data())
    def delete_absent(self, data: st.DataObject) -> None:
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        if self.ref.has_edge(u, v):
            return
        with pytest.raises(MissingElementError):
            self.g.delete(u, v)

    @rule(data=st.data(), times=st.integers(1, 10))
    def toggle(self, data: st.DataObject, times: int) -> None:
        """The same edge (often a self-loop) inserted and deleted many times."""
        u = self._vertex(data, "u")
        v = u if data.draw(st.booleans(), label="loop") else self._vertex(data, "v")
        for _ in range(times):
            self._apply(0 if self.ref.has_edge(u, v) else 1, u, v)

    @rule(data=st.data())
    def star(self, data: st.DataObject) -> None:
        c = self._vertex(data, "center")
        k = data.draw(st.integers(1, self.n), label="leaves")
        self._insert_all([norm(c, x) for x in range(k) if x != c])

    @rule(data=st.data())
    def path(self, data: st.DataObject) -> None:
        verts = data.draw(st.permutations(list(range(self.n))), label="order")
        k = data.draw(st.integers(2, max(self.n, 2)), label="length")
        self._insert_all([norm(a, b) for a, b in zip(verts[: k - 1], verts[1:k])])

    @rule(data=st.data())
    def clique(self, data: st.DataObject) -> None:
        k = data.draw(st.integers(2, min(self.n, 6)), label="size") if self.n >= 2 else 1
        verts = data.draw(st.permutations(list(range(self.n))), label="order")[:k]
        self._insert_all([norm(a, b) for i, a in enumerate(verts) for b in verts[i + 1 :]])

    @precondition(lambda self: self.n >= 4)
    @rule(data=st.data())
    def clique_then_dismantle(self, data: st.DataObject) -> None:
        """A dense part torn down in random order: non-tree edges get scanned and pushed."""
        k = data.draw(st.integers(4, min(self.n, 9)), label="size")
        verts = data.draw(st.permutations(list(range(self.n))), label="order")[:k]
        self._insert_all([norm(a, b) for i, a in enumerate(verts) for b in verts[i + 1 :]])
        edges = data.draw(st.permutations(self.ref.sorted_edges()), label="deletions")
        keep = data.draw(st.integers(0, 3), label="keep")
        for a, b in edges[keep:]:
            self._apply(0, a, b)

    @precondition(lambda self: len(self.ref.edges) >= 2)
    @rule(data=st.data())
    def dismantle(self, data: st.DataObject) -> None:
        """Delete many present edges in random order (long replacement chains)."""
        edges = data.draw(st.permutations(self.ref.sorted_edges()), label="order")
        k = data.draw(st.integers(1, len(edges)), label="count")
        for a, b in edges[:k]:
            self._apply(0, a, b)

    @rule(data=st.data(), length=st.integers(0, 30), seed=st.integers(0, 2**32 - 1))
    def run_batch(self, data: st.DataObject, length: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        start = self.ref.sorted_edges()
        events = random_events(rng, self.n, length, start, hot=2)
        nq = int(rng.integers(0, 12))
        qd = np.sort(rng.integers(0, length + 1, size=nq))
        queries = np.stack([qd, rng.integers(0, self.n, nq), rng.integers(0, self.n, nq)], axis=1)
        out = self.g.run(make_batch(events), queries)
        assert out.dtype == np.bool_ and out.shape == (nq,)
        assert out.tolist() == replay_answers(self.n, events, queries.tolist(), start)
        for ev in events:
            self.ref.apply(*ev)

    @rule(data=st.data())
    def query(self, data: st.DataObject) -> None:
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        assert self.g.connected(u, v) == self.ref.connected(u, v)
        assert self.g.has_edge(u, v) == self.ref.has_edge(u, v)

    def teardown(self) -> None:
        s = self.g.stats
        event(f"tree pushes: {'yes' if s.tree_edge_pushes else 'no'}")
        event(f"non-tree pushes: {'yes' if s.nontree_edge_pushes else 'no'}")
        event(f"max edge level reached: {self.top}")

    # invariants ---------------------------------------------------------------------
    @invariant()
    def structure_check(self) -> None:
        self.g.check()
        s = self.g._s
        self.top = max(self.top, int(s.elevel[s.ekind != _hdt.ABSENT].max(initial=0)))

    @invariant()
    def agrees_with_networkx(self) -> None:
        assert_same(self.g, self.ref)


# 150 examples normally; the small profiles (the bounds-checked rerun) keep their own count
HDTMachine.TestCase.settings = settings(stateful_step_count=50, max_examples=max(150, settings().max_examples)
                                        if settings().max_examples >= 60 else settings().max_examples)
TestHDTMachine = pytest.mark.boundscheck(HDTMachine.TestCase)


# ---------------------------------------------------------------------------------
# run(batch) versus a step-by-step replay: same answers, same state, same counters
# ---------------------------------------------------------------------------------
def _state_arrays(g: HDTConnectivity) -> dict[str, np.ndarray]:
    """The used part of every state array (pools may have grown at different times)."""
    s = g._s
    m = g._reg.size
    used = int(s.meta[_hdt.M_NEXT])
    out = {f"ett.{k}": np.asarray(v)[:used] for k, v in s.ett._asdict().items()}
    for k in ("nlab", "nlink"):
        out[k] = np.asarray(getattr(s, k))[:used]
    meta = np.asarray(s.meta).copy()
    meta[[_hdt.M_ROWS, _hdt.M_NEED_NODES, _hdt.M_NEED_ROWS]] = 0
    out["meta"] = meta
    n = g.n
    rows = min(s.vnode.shape[0] // n, int(s.elevel[: m].max(initial=0)) + 1)
    out["vnode"] = np.asarray(s.vnode)[: rows * n]
    for k in ("eu", "ev", "ekind", "elevel", "earc"):
        out[k] = np.asarray(getattr(s, k))[:m]
    for k in ("hnext", "hprev"):
        out[k] = np.asarray(getattr(s, k))[: 2 * m]
    return out


@given(
    n=st.integers(1, MAX_N),
    prefix_len=st.integers(0, 30),
    length=st.integers(0, 60),
    seed=st.integers(0, 2**32 - 1),
)
def test_run_equals_step_replay(n: int, prefix_len: int, length: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    prefix = random_events(rng, n, prefix_len, hot=2)
    ref = NaiveGraph(n)
    for ev in prefix:
        ref.apply(*ev)
    start = ref.sorted_edges()
    events = random_events(rng, n, length, start, hot=2)
    g_run = HDTConnectivity(n, seed=seed % 1000)
    g_step = HDTConnectivity(n, seed=seed % 1000)
    for op, u, v in prefix:
        for g in (g_run, g_step):
            g.insert(u, v) if op == 1 else g.delete(u, v)
    nq = int(rng.integers(0, 20))
    qd = np.sort(rng.integers(0, length + 1, size=nq))
    queries = np.stack([qd, rng.integers(0, n, nq), rng.integers(0, n, nq)], axis=1).astype(np.int64)

    out = g_run.run(make_batch(events), queries)

    stepped: list[bool] = []
    qi = 0
    for day in range(length + 1):
        if day > 0:
            op, u, v = events[day - 1]
            g_step.insert(u, v) if op == 1 else g_step.delete(u, v)
        while qi < nq and queries[qi, 0] == day:
            stepped.append(g_step.connected(int(queries[qi, 1]), int(queries[qi, 2])))
            qi += 1
    expected = replay_answers(n, events, queries.tolist(), start)
    assert out.tolist() == stepped == expected
    assert g_run.stats == g_step.stats
    a, b = _state_arrays(g_run), _state_arrays(g_step)
    for k in a:
        assert np.array_equal(a[k], b[k]), k
    g_run.check()


# ---------------------------------------------------------------------------------
# bad input: typed errors, nothing changes
# ---------------------------------------------------------------------------------
def make_graph() -> HDTConnectivity:
    g = HDTConnectivity(6, seed=3)
    for a, b in [(0, 1), (1, 2), (2, 0), (3, 3), (4, 5), (2, 3)]:
        g.insert(a, b)
    g.delete(0, 1)
    g.delete(4, 5)
    g.check()
    return g


def snapshot(g: HDTConnectivity) -> tuple[Any, ...]:
    arrays = {k: v.copy() for k, v in _state_arrays(g).items()}
    return (arrays, g._reg.size, g._reg.keys.copy(), g.stats, g.edges().tolist(), g.num_components)


def assert_unchanged(g: HDTConnectivity, snap: tuple[Any, ...]) -> None:
    arrays, size, keys, stats, edges, comps = snapshot(g)
    assert size == snap[1] and np.array_equal(keys, snap[2])
    assert stats == snap[3] and edges == snap[4] and comps == snap[5]
    for k in arrays:
        assert np.array_equal(arrays[k], snap[0][k]), k
    g.check()


BAD_CALLS: list[tuple[str, Callable[[HDTConnectivity], Any], type[Exception]]] = [
    ("insert vertex too large", lambda g: g.insert(0, 6), VertexError),
    ("insert negative vertex", lambda g: g.insert(-1, 0), VertexError),
    ("insert float vertex", lambda g: g.insert(1.0, 2), VertexError),  # type: ignore[arg-type]
    ("insert bool vertex", lambda g: g.insert(True, 2), VertexError),
    ("insert string vertex", lambda g: g.insert("1", 2), VertexError),  # type: ignore[arg-type]
    ("duplicate insert", lambda g: g.insert(2, 1), DuplicateElementError),
    ("duplicate self-loop", lambda g: g.insert(3, 3), DuplicateElementError),
    ("delete absent", lambda g: g.delete(0, 1), MissingElementError),
    ("delete never seen", lambda g: g.delete(0, 5), MissingElementError),
    ("delete vertex out of range", lambda g: g.delete(0, 99), VertexError),
    ("connected out of range", lambda g: g.connected(0, 6), VertexError),
    ("has_edge out of range", lambda g: g.has_edge(7, 0), VertexError),
    ("run not a batch", lambda g: g.run([(1, 0, 1)]), InvalidInputError),  # type: ignore[arg-type]
    ("run bad vertex", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4), Insert(0, 9)])), VertexError),
    ("run duplicate insert late", lambda g: g.run(UpdateBatch.from_updates(
        [Insert(0, 4), Delete(0, 4), Insert(0, 5), Insert(1, 4), Insert(5, 0)])), DuplicateElementError),
    ("run insert of present", lambda g: g.run(UpdateBatch.from_updates([Insert(1, 2)])), DuplicateElementError),
    ("run delete of absent", lambda g: g.run(UpdateBatch.from_updates(
        [Insert(0, 4), Delete(0, 4), Delete(0, 4)])), MissingElementError),
    ("run delete never seen", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4), Delete(1, 5)])),
     MissingElementError),
    ("run query shape", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), [[0, 1]]), QueryError),
    ("run query day", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), [[2, 0, 1]]), QueryError),
    ("run count day", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), [2], count_components=True),
     QueryError),
    ("run query vertex", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), [[1, 0, 6]]), QueryError),
    ("run query dtype", lambda g: g.run(UpdateBatch.from_updates([Insert(0, 4)]), [[1.0, 0, 1]]), QueryError),
]


@pytest.mark.parametrize("name,call,err", BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_raises_and_changes_nothing(
    name: str, call: Callable[[HDTConnectivity], Any], err: type[Exception]
) -> None:
    g = make_graph()
    snap = snapshot(g)
    with pytest.raises(err) as info:
        call(g)
    assert str(info.value), "error message must not be empty"
    assert_unchanged(g, snap)
    # the structure still works afterwards
    g.insert(0, 4)
    assert g.connected(4, 1)
    g.check()


def test_error_messages_name_the_problem() -> None:
    g = make_graph()
    with pytest.raises(DuplicateElementError, match=r"\(1, 2\) is already present"):
        g.insert(1, 2)
    with pytest.raises(MissingElementError, match=r"\(1, 0\) is not present"):
        g.delete(1, 0)
    with pytest.raises(VertexError, match="out of range"):
        g.insert(0, 6)
    with pytest.raises(DuplicateElementError, match=r"update 4 \(batch day 5\)"):
        g.run(UpdateBatch.from_updates([Insert(0, 4), Delete(0, 4), Insert(0, 5), Insert(1, 4), Insert(5, 0)]))


@pytest.mark.parametrize("n", [0, -3, 2.5, True, "4", None, 1 << 31])
def test_bad_n(n: Any) -> None:
    with pytest.raises(InvalidInputError):
        HDTConnectivity(n)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0"])
def test_bad_seed(seed: Any) -> None:
    with pytest.raises(InvalidInputError):
        HDTConnectivity(3, seed=seed)


@pytest.mark.parametrize(
    "graph",
    [nx.DiGraph([(0, 1)]), nx.MultiGraph([(0, 1)]), nx.Graph([(1, 2)]), nx.Graph(), "not a graph"],
    ids=["directed", "multigraph", "labels", "empty", "not-a-graph"],
)
def test_from_networkx_rejects(graph: Any) -> None:
    with pytest.raises(InvalidInputError):
        HDTConnectivity.from_networkx(graph)


def test_networkx_round_trip() -> None:
    graph = nx.gnm_random_graph(40, 60, seed=1)
    graph.add_edge(5, 5)
    g = HDTConnectivity.from_networkx(graph, seed=2)
    g.check()
    assert nx.utils.graphs_equal(g.to_networkx(), graph)
    assert g.num_components == nx.number_connected_components(graph)
    assert g.num_edges == graph.number_of_edges()
    assert isinstance(g.stats, HDTStats)
    with pytest.raises(AttributeError):
        g.stats.updates = 0  # type: ignore[misc]
    assert "HDTConnectivity(n=40" in repr(g)


def test_self_loops_are_never_tree_edges() -> None:
    g = HDTConnectivity(3)
    g.insert(1, 1)
    assert g.num_components == 3 and g.num_edges == 1 and g.has_edge(1, 1)
    assert kind(g, 1, 1) == _hdt.LOOP
    g.insert(0, 1)
    g.delete(1, 1)
    g.insert(1, 1)
    assert g.connected(0, 1) and not g.connected(0, 2)
    assert g.stats.replacement_searches == 0
    g.check()


# ---------------------------------------------------------------------------------
# deterministic shapes that push edges through several levels
# ---------------------------------------------------------------------------------
def _replay_and_check(n: int, events: list[Event], check_every: int, seed: int = 0) -> HDTConnectivity:
    g = HDTConnectivity(n, seed=seed)
    ref = NaiveGraph(n)
    rng = np.random.default_rng(seed)
    for k, (op, u, v) in enumerate(events):
        g.insert(u, v) if op == 1 else g.delete(u, v)
        ref.apply(op, u, v)
        if k % check_every == check_every - 1:
            g.check()
            assert g.num_components == ref.num_components
            lab = ref.component_labels()
            for a, b in rng.integers(0, n, size=(20, 2)).tolist():
                assert g.connected(a, b) == (lab[a] == lab[b])
    g.check()
    return g


def test_clique_dismantled_reaches_high_levels() -> None:
    n = 16
    rng = np.random.default_rng(3)
    edges = [(a, b) for a in range(n) for b in range(a + 1, n)]
    order = rng.permutation(len(edges)).tolist()
    events = [(1, *edges[i]) for i in range(len(edges))] + [(0, *edges[i]) for i in order]
    tree_pushes = nontree_pushes = 0
    for seed in range(3):  # which edges get pushed depends on the treap priorities
        g = _replay_and_check(n, events, 10, seed=seed)
        tree_pushes += g.stats.tree_edge_pushes
        nontree_pushes += g.stats.nontree_edge_pushes
        assert g.num_components == n and g.num_edges == 0
    assert tree_pushes > 0 and nontree_pushes > 0


def test_path_and_star_deletions_split() -> None:
    n = 40
    path = [(1, i, i + 1) for i in range(n - 1)]
    star = [(1, 0, i) for i in range(2, n)]
    cut_path = [(0, i, i + 1) for i in range(0, n - 1, 3)]
    events = path + star + cut_path + [(0, 0, i) for i in range(2, n, 2)]
    g = _replay_and_check(n, events, 7)
    assert g.stats.replacement_searches > 0


@pytest.mark.boundscheck
def test_random_medium_sequence() -> None:
    n = 60
    events = random_events(np.random.default_rng(8), n, 1500, p_insert=0.5, hot=6)
    g = _replay_and_check(n, events, 100, seed=1)
    assert g.stats.updates == 1500


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_random_large_sequence(seed: int) -> None:
    n = 1000
    events = random_events(np.random.default_rng(seed), n, 100_000, p_insert=0.52, hot=20)
    g = _replay_and_check(n, events, 10_000, seed=seed)
    assert g.stats.updates == 100_000


@pytest.mark.slow
def test_run_matches_offline_on_churn() -> None:
    from bench.workloads import churn, query_per_day
    from dynalgo.offline import offline_connectivity

    n = 10_000
    b = churn(n, 20_000, 100_000, seed=4)
    q = query_per_day(b, n, seed=5)
    g = HDTConnectivity(n)
    assert np.array_equal(g.run(b, q), offline_connectivity(n, b, q))
    g.check()


# ---------------------------------------------------------------------------------
# memory: lazy node pool, room checks, the up-front size check
# ---------------------------------------------------------------------------------
def test_empty_structure_is_small() -> None:
    """An empty structure on 10**6 vertices holds at most 300 bytes per vertex (array bytes)."""
    n = 10**6
    g = HDTConnectivity(n)
    s = g._s
    total = sum(a.nbytes for a in s.ett) + sum(a.nbytes for a in s[1:])
    assert total == _hdt.state_bytes(s) <= 300 * n
    assert total <= _hdt.initial_bytes(n)
    assert s.vnode.shape == (n,) and s.ett.left.shape[0] < n + 1000  # one level, one node per vertex
    g.insert(0, n - 1)
    assert g.connected(n - 1, 0) and not g.connected(1, 2)


def test_memory_grows_with_the_edges_and_is_reused() -> None:
    n = 1 << 12
    g = HDTConnectivity(n, seed=4)
    empty = _hdt.state_bytes(g._s)
    rng = np.random.default_rng(5)
    sizes = [empty]
    present: set[tuple[int, int]] = set()
    for m in (500, 2000, 8000):
        while len(present) < m:
            a, b = sorted(rng.integers(0, n, 2).tolist())
            if (a, b) not in present:
                present.add((a, b))
                g.insert(a, b)
        sizes.append(_hdt.state_bytes(g._s))
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    # a dense random graph: the pool stays far below the n * levels * 3 nodes of a full allocation
    L = _hdt.levels(n)
    assert g._s.ett.left.shape[0] < 3 * n * L / 2
    # churn on a fixed number of edges: freed nodes are reused, so the used part of the pool
    # levels off once the edge levels do
    edges = sorted(present)

    def churn(rounds: int) -> None:
        for _ in range(rounds):
            order = rng.permutation(len(edges))
            for i in order[: len(edges) // 2].tolist():
                g.delete(*edges[i])
            for i in order[: len(edges) // 2].tolist():
                g.insert(*edges[i])

    churn(3)
    used = int(g._s.meta[_hdt.M_NEXT])
    churn(3)
    assert int(g._s.meta[_hdt.M_NEXT]) <= 1.1 * used
    assert g._s.ett.left.shape[0] < 3 * n * L
    g.check()
    # with every edge gone, only the level-0 vertex nodes are in use
    for a, b in edges:
        g.delete(a, b)
    s = g._s
    g.check()
    in_use = int(s.meta[_hdt.M_NEXT]) - n
    free_vertex_nodes = _hdt._walk_free(s.nlink, int(s.meta[_hdt.M_VFREE]), in_use)
    free_pairs = _hdt._walk_free(s.nlink, int(s.meta[_hdt.M_PFREE]), in_use)
    assert len(free_vertex_nodes) + 2 * len(free_pairs) == in_use
    assert np.all(s.vnode[n:] == -1)


def test_huge_n_fails_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    from dynalgo import _validate

    monkeypatch.setattr(_validate, "physical_memory", lambda: 1 << 30)
    tracemalloc.start()
    try:
        with pytest.raises(CapacityError, match=r"HDTConnectivity\(n=100000000\) would need [\d.]+ GiB"):
            HDTConnectivity(10**8)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    with pytest.raises(MemoryError):  # CapacityError is a MemoryError too
        HDTConnectivity(_hdt.MAX_N)


@pytest.mark.boundscheck
@pytest.mark.parametrize("seed", [0, 1])
def test_long_insert_delete_loop_with_pool_growth(seed: int) -> None:
    """Many updates on a pool that starts minimal: every refused update is retried after
    growth, in single calls and in batches, with the same answers and the same state."""
    n = 200
    events = random_events(np.random.default_rng(seed), n, 6000, p_insert=0.55, hot=10)
    g = _replay_and_check(n, events, 1500, seed=seed)
    h = HDTConnectivity(n, seed=seed)
    rng = np.random.default_rng(seed + 10)
    qd = np.sort(rng.integers(0, len(events) + 1, 300))
    queries = np.stack([qd, rng.integers(0, n, 300), rng.integers(0, n, 300)], axis=1)
    out = h.run(make_batch(events), queries)
    assert out.tolist() == replay_answers(n, events, queries.tolist())
    assert g.stats == h.stats
    a, b = _state_arrays(g), _state_arrays(h)
    for k in a:
        assert np.array_equal(a[k], b[k]), k
    h.check()
