"""DynamicBipartiteness and the parity union-find against a networkx oracle."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dynalgo import (
    DuplicateElementError,
    DynamicBipartiteness,
    InvalidInputError,
    MissingElementError,
    PredictionError,
    Predictions,
    QueryError,
    UpdateBatch,
    VertexError,
)
from structures import parity_dsu as pd
from tests.naive import Event, NaiveGraph, random_events
from tests.test_connectivity_machine import MODES, make_batch, make_predictions


def oracle_graph(ref: NaiveGraph) -> "nx.Graph[int]":
    g: nx.Graph[int] = nx.Graph()
    g.add_nodes_from(range(ref.n))
    g.add_edges_from(ref.sorted_edges())
    return g


def oracle_same_side(g: "nx.Graph[int]", u: int, v: int) -> bool | None:
    """Same colour in every 2-colouring, from networkx (None: undefined)."""
    if not nx.has_path(g, u, v):
        return None
    comp = g.subgraph(nx.node_connected_component(g, u))
    if not nx.is_bipartite(comp):
        return None
    return bool(nx.shortest_path_length(comp, u, v) % 2 == 0)


def assert_same(b: DynamicBipartiteness, ref: NaiveGraph) -> None:
    g = oracle_graph(ref)
    assert b.is_bipartite() == nx.is_bipartite(g)
    assert b.num_components == nx.number_connected_components(g)
    odd = sum(1 for c in nx.connected_components(g) if not nx.is_bipartite(g.subgraph(c)))
    assert b.num_odd_components == odd
    assert sorted(tuple(e) for e in b.edges().tolist()) == ref.sorted_edges()
    for u in range(ref.n):
        assert b.component_is_bipartite(u) == nx.is_bipartite(g.subgraph(nx.node_connected_component(g, u)))
        for v in range(ref.n):
            assert b.same_side(u, v) == oracle_same_side(g, u, v), (u, v)
    col = b.colouring()
    for a, c in ref.sorted_edges():
        if b.component_is_bipartite(a):
            assert col[a] != col[c], "colouring not proper on a bipartite component"


def bipartite_after_each_day(n: int, events: list[Event], start: list[tuple[int, int]]) -> list[bool]:
    ref = NaiveGraph(n)
    for a, c in start:
        ref.apply(1, a, c)
    out = []
    for ev in events:
        ref.apply(*ev)
        out.append(nx.is_bipartite(oracle_graph(ref)))
    return out


# ---------------------------------------------------------------------------------
class BipartitenessMachine(RuleBasedStateMachine):
    """Random updates on up to 7 vertices with predictions of every quality."""

    def __init__(self) -> None:
        super().__init__()
        self.b: DynamicBipartiteness | None = None
        self.ref = NaiveGraph(1)
        self.future: list[Event] = []
        self.pos = 0

    @initialize(
        n=st.integers(1, 7), length=st.integers(0, 60), seed=st.integers(0, 2**32 - 1),
        mode=st.sampled_from(MODES), deterministic=st.booleans(), tree=st.sampled_from(["dyadic", "treap"]),
    )
    def setup(self, n: int, length: int, seed: int, mode: str, deterministic: bool, tree: str) -> None:
        rng = np.random.default_rng(seed)
        self.future = random_events(rng, n, length, hot=2)
        preds = make_predictions(self.future, mode, seed=seed)
        self.b = DynamicBipartiteness(n, preds, seed=seed, deterministic_schedule=deterministic, tree=tree)
        self.ref = NaiveGraph(n)
        event(f"predictions: {mode}")

    def _b(self) -> DynamicBipartiteness:
        assert self.b is not None
        return self.b

    def _apply(self, op: int, u: int, v: int, pdel: int | None = None) -> None:
        if op == 1:
            self._b().insert(u, v, predicted_deletion=pdel)
        else:
            self._b().delete(u, v)
        self.ref.apply(op, u, v)

    @rule(data=st.data())
    def step_future(self, data: st.DataObject) -> None:
        if self.pos >= len(self.future):
            return
        op, u, v = self.future[self.pos]
        self.pos += 1
        if self.ref.valid(op, u, v):
            pdel = data.draw(st.one_of(st.none(), st.integers(self._b().day + 2, self._b().day + 40)), label="pdel")
            self._apply(op, u, v, pdel if op == 1 else None)

    @rule(data=st.data())
    def insert_random(self, data: st.DataObject) -> None:
        u = data.draw(st.integers(0, self.ref.n - 1), label="u")
        v = data.draw(st.integers(0, self.ref.n - 1), label="v")
        if self.ref.has_edge(u, v):
            day = self._b().day
            with pytest.raises(DuplicateElementError):
                self._b().insert(u, v)
            assert self._b().day == day
            return
        self._apply(1, u, v)

    @rule(data=st.data())
    def delete_present(self, data: st.DataObject) -> None:
        if self.ref.edges:
            u, v = data.draw(st.sampled_from(self.ref.sorted_edges()), label="edge")
            self._apply(0, v, u)

    @rule(length=st.integers(0, 25), seed=st.integers(0, 2**32 - 1), pd_rate=st.sampled_from([0.0, 0.5]))
    def run_batch(self, length: int, seed: int, pd_rate: float) -> None:
        rng = np.random.default_rng(seed)
        start = self.ref.sorted_edges()
        events = random_events(rng, self.ref.n, length, start, hot=2)
        pdel = np.where(rng.random(length) < pd_rate, np.arange(2, length + 2) + rng.integers(0, 30, size=length), 0)
        out = self._b().run(make_batch(events), predicted_deletions=pdel)
        assert out.tolist() == bipartite_after_each_day(self.ref.n, events, start)
        for ev in events:
            self.ref.apply(*ev)

    @invariant()
    def agrees(self) -> None:
        if self.b is not None:
            self.b.check()
            assert_same(self.b, self.ref)


BipartitenessMachine.TestCase.settings = settings(stateful_step_count=30)
TestBipartitenessMachine = pytest.mark.boundscheck(BipartitenessMachine.TestCase)


# ---------------------------------------------------------------------------------
@given(n=st.integers(1, 10), length=st.integers(0, 80), seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(MODES))
@settings(max_examples=60)
def test_run_matches_networkx_every_day(n: int, length: int, seed: int, mode: str) -> None:
    rng = np.random.default_rng(seed)
    events = random_events(rng, n, length, hot=3)
    b = DynamicBipartiteness(n, make_predictions(events, mode, seed=seed), seed=seed)
    out = b.run(make_batch(events))
    assert out.tolist() == bipartite_after_each_day(n, events, [])
    b.check()


@pytest.mark.boundscheck
@given(n=st.integers(1, 12), m=st.integers(0, 40), cut=st.integers(0, 40), seed=st.integers(0, 2**32 - 1))
def test_parity_undo_is_bit_exact(n: int, m: int, cut: int, seed: int) -> None:
    """Insert m random edges, mark after ``cut`` of them, undo: arrays equal the snapshot."""
    rng = np.random.default_rng(seed)
    st_ = pd.make(n)
    t = tuple(st_)
    cut = min(cut, m)
    edges = rng.integers(0, n, size=(m, 2))
    for a, c in edges[:cut].tolist():
        pd.add_edge(t, a, c)
    snap = [a.copy() for a in st_]
    mark = pd.mark(t)
    for a, c in edges[cut:].tolist():
        pd.add_edge(t, a, c)
    pd.check(st_, edges)
    pd.undo_to(t, mark)
    for a, s in zip(st_, snap):
        assert np.array_equal(a[: int(s.shape[0])], s) if a is not st_.log else np.array_equal(a[:mark], s[:mark])
    pd.check(st_, edges[:cut])


# ---------------------------------------------------------------------------------
def _snapshot(b: DynamicBipartiteness) -> list[np.ndarray]:
    e = b._engine
    return [a.copy() for a in (*b._state, e.days, e.inst, e.elem, e.meta, e.stack, b._present)]


def _assert_unchanged(b: DynamicBipartiteness, snap: list[np.ndarray]) -> None:
    now = _snapshot(b)
    assert len(now) == len(snap)
    for a, s in zip(now, snap):
        assert a.shape == s.shape and np.array_equal(a, s)


def test_bad_input_changes_nothing() -> None:
    b = DynamicBipartiteness(4)
    b.insert(0, 1)
    b.insert(1, 2)
    snap = _snapshot(b)
    cases = [
        (DuplicateElementError, lambda: b.insert(1, 0)),
        (MissingElementError, lambda: b.delete(0, 3)),
        (VertexError, lambda: b.insert(0, 4)),
        (VertexError, lambda: b.insert(-1, 0)),
        (VertexError, lambda: b.delete(0.5, 1)),  # type: ignore[arg-type]
        (PredictionError, lambda: b.insert(2, 3, predicted_deletion=0)),
        (DuplicateElementError, lambda: b.run(UpdateBatch.from_arrays([1, 1], [2, 1], [3, 0]))),
        (MissingElementError, lambda: b.run(UpdateBatch.from_arrays([1, 0], [2, 0], [3, 3]))),
        (VertexError, lambda: b.run(UpdateBatch.from_arrays([1], [2], [9]))),
        (QueryError, lambda: b.run(UpdateBatch.from_arrays([1], [2], [3]), [2])),
        (QueryError, lambda: b.run(UpdateBatch.from_arrays([1], [2], [3]), [1, -1])),
        (PredictionError, lambda: b.run(UpdateBatch.from_arrays([1], [2], [3]), predicted_deletions=[-1])),
        (InvalidInputError, lambda: b.run([(1, 2, 3)])),  # type: ignore[arg-type]
    ]
    for err, call in cases:
        with pytest.raises(err):
            call()
        _assert_unchanged(b, snap)
        b.check()
    assert b.day == 2 and b.is_bipartite()


def test_constructor_errors() -> None:
    with pytest.raises(InvalidInputError):
        DynamicBipartiteness(0)
    with pytest.raises(InvalidInputError):
        DynamicBipartiteness(3, tree="splay")
    with pytest.raises(PredictionError):
        DynamicBipartiteness(3, Predictions.from_arrays([1], [0], [7], [1]))


def test_self_loop_is_odd_and_networkx_roundtrip() -> None:
    b = DynamicBipartiteness(3)
    b.insert(2, 2)
    assert not b.is_bipartite() and b.component_is_bipartite(0) and not b.component_is_bipartite(2)
    b.delete(2, 2)
    assert b.is_bipartite()
    g = nx.cycle_graph(6)
    c = DynamicBipartiteness.from_networkx(g)
    assert c.is_bipartite() and c.same_side(0, 2) and c.same_side(0, 3) is False
    assert nx.utils.graphs_equal(c.to_networkx(), g)
    c.insert(0, 2)
    assert not c.is_bipartite()
    c.check()


@pytest.mark.boundscheck
def test_long_run_past_the_initial_horizon() -> None:
    """3,000 days without predictions: the horizon doubles; answers stay exact."""
    rng = np.random.default_rng(11)
    n = 40
    events = random_events(rng, n, 3000, hot=4)
    b = DynamicBipartiteness(n)
    out = b.run(make_batch(events))
    assert b.stats.horizon_doublings >= 1
    ref = bipartite_after_each_day(n, events, [])
    assert out.tolist() == ref
    assert 0 < sum(ref) < len(ref), "the workload should switch between bipartite and not"
    b.check()
