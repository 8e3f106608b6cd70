"""Component queries, bulk updates, growing ``n`` and component counts, against networkx.

Every structure of the connectivity family is driven by the same random machine
(single and bulk insertions and deletions, self-loops, batches with queries in
random order, new vertices) and compared after each step with a
:class:`networkx.Graph` holding the same edges: component labels (as a
partition), sizes, members, counts, ``len``, iteration and membership.  The
configurations cover the lifted union-find alone, the race with an equal share,
the race tilted so that the HDT backstop answers almost every day, HDT alone and
the parity union-find of bipartiteness.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from dynalgo import (
    Delete,
    DuplicateElementError,
    DynamicBipartiteness,
    DynamicConnectivity,
    HDTConnectivity,
    Insert,
    InvalidInputError,
    MissingElementError,
    PredictionError,
    QueryError,
    UpdateBatch,
    VertexError,
    predictors,
)
from dynalgo.updates import BatchIndexError

CONFIGS = ("lifted", "raced", "backstop", "hdt", "bipartite")


def make(config: str, n: int, seed: int, predictions: Any = None) -> Any:
    if config == "lifted":
        return DynamicConnectivity(n, predictions, backstop=None, seed=seed)
    if config == "raced":
        return DynamicConnectivity(n, predictions, seed=seed)
    if config == "backstop":
        return DynamicConnectivity(n, predictions, seed=seed, backstop_share=1e6)
    if config == "hdt":
        return HDTConnectivity(n, seed=seed)
    if config == "bipartite":
        return DynamicBipartiteness(n, predictions, seed=seed)
    raise AssertionError(config)


def side(g: Any) -> str:
    """Which side answers today's queries (for hypothesis' statistics)."""
    if isinstance(g, DynamicConnectivity) and g._race is not None:
        return "backstop" if g._backstop_answers() else "lifted"
    return type(g).__name__


def assert_matches(g: Any, ref: "nx.Graph[int]") -> None:
    """Every component query of ``g`` agrees with the networkx graph ``ref``."""
    n = ref.number_of_nodes()
    assert g.n == n
    comps = [sorted(c) for c in nx.connected_components(ref)]
    assert g.num_components == len(comps)
    labels = g.component_labels()
    assert labels.dtype == np.int64 and labels.shape == (n,)
    assert np.all((labels >= 0) & (labels < n))
    assert len(np.unique(labels)) == len(comps)
    for c in comps:
        lab = labels[c[0]]
        assert np.all(labels[c] == lab), "a component has several labels"
        assert lab in c, "a label is not a vertex of its component"
    for v in range(n):
        assert g.component(v) == labels[v]
    for c in comps[:6]:
        v = c[len(c) // 2]
        assert g.component_size(v) == len(c)
        assert g.component_members(v).tolist() == c
    assert len(g) == ref.number_of_edges() == g.num_edges
    got = list(g)
    assert all(type(a) is int and type(b) is int and a <= b for a, b in got)
    assert sorted(got) == sorted((min(a, b), max(a, b)) for a, b in ref.edges())
    for a, b in got[:5]:
        assert (a, b) in g and (b, a) in g


class QueriesMachine(RuleBasedStateMachine):
    """Random updates through every entry point; networkx as the oracle."""

    config = "raced"

    def __init__(self) -> None:
        super().__init__()
        self.g: Any = None
        self.ref: nx.Graph[int] = nx.Graph()

    @initialize(n=st.integers(1, 9), seed=st.integers(0, 2**32), exact=st.booleans(), data=st.data())
    def start(self, n: int, seed: int, exact: bool, data: st.DataObject) -> None:
        pred = None
        if exact and self.config != "hdt":
            # predictions of a random future: right or wrong, they must not change answers
            rng = np.random.default_rng(seed)
            present: set[tuple[int, int]] = set()
            ups: list[Insert | Delete] = []
            for a, b in rng.integers(0, n, size=(30, 2)).tolist():
                e = (min(a, b), max(a, b))
                ups.append(Delete(*e) if e in present else Insert(*e))
                present ^= {e}
            pred = predictors.perturbed(UpdateBatch.from_updates(ups), 3.0, seed=seed)
        self.g = make(self.config, n, seed % 1000, pred)
        self.ref.add_nodes_from(range(n))

    def _vertex(self, data: st.DataObject) -> int:
        return data.draw(st.integers(0, self.ref.number_of_nodes() - 1))

    def _absent_pairs(self, data: st.DataObject, k: int) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()
        for _ in range(k):
            a, b = self._vertex(data), self._vertex(data)
            e = (min(a, b), max(a, b))
            if not self.ref.has_edge(a, b) and e not in seen:
                seen.add(e)
                out.append((a, b))
        return out

    @rule(data=st.data())
    def insert(self, data: st.DataObject) -> None:
        pairs = self._absent_pairs(data, 1)
        if pairs:
            (a, b), = pairs
            self.g.insert(a, b)
            self.ref.add_edge(a, b)
            event("self-loop" if a == b else "edge")

    @precondition(lambda self: self.ref.number_of_edges() > 0)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        edges = sorted(self.ref.edges())
        a, b = data.draw(st.sampled_from(edges))
        if data.draw(st.booleans()):
            a, b = b, a
        self.g.delete(a, b)
        self.ref.remove_edge(a, b)

    @rule(data=st.data(), k=st.integers(0, 5))
    def insert_many(self, data: st.DataObject, k: int) -> None:
        pairs = self._absent_pairs(data, k)
        u = [a for a, _ in pairs]
        v = [b for _, b in pairs]
        if pairs and data.draw(st.booleans()):
            # a duplicate anywhere: nothing is inserted
            dup = data.draw(st.sampled_from(pairs))
            before = sorted(self.g)
            with pytest.raises(DuplicateElementError):
                self.g.insert_many(u + [dup[1]], v + [dup[0]])
            assert sorted(self.g) == before
        self.g.insert_many(np.array(u, dtype=np.int64), v)
        self.ref.add_edges_from(pairs)

    @precondition(lambda self: self.ref.number_of_edges() > 0)
    @rule(data=st.data())
    def delete_many(self, data: st.DataObject) -> None:
        edges = sorted(self.ref.edges())
        chosen = data.draw(st.lists(st.sampled_from(edges), unique=True, max_size=4))
        self.g.delete_many([a for a, _ in chosen], [b for _, b in chosen])
        self.ref.remove_edges_from(chosen)

    @precondition(lambda self: self.ref.number_of_nodes() < 14)
    @rule(k=st.integers(0, 3))
    def add_vertices(self, k: int) -> None:
        n = self.ref.number_of_nodes()
        assert self.g.add_vertices(k) == range(n, n + k)
        self.ref.add_nodes_from(range(n, n + k))

    @rule(data=st.data(), length=st.integers(0, 8))
    def run_batch(self, data: st.DataObject, length: int) -> None:
        """A batch of toggles with queries in random order, answered day by day by networkx."""
        n = self.ref.number_of_nodes()
        work = self.ref.copy()
        ups: list[Insert | Delete] = []
        snapshots = [work.copy()]
        for _ in range(length):
            a, b = self._vertex(data), self._vertex(data)
            if work.has_edge(a, b):
                ups.append(Delete(a, b))
                work.remove_edge(a, b)
            else:
                ups.append(Insert(a, b))
                work.add_edge(a, b)
            snapshots.append(work.copy())
        batch = UpdateBatch.from_updates(ups)
        nq = data.draw(st.integers(0, 8))
        q = [[data.draw(st.integers(0, length)), self._vertex(data), self._vertex(data)] for _ in range(nq)]
        counting = data.draw(st.booleans()) and not isinstance(self.g, DynamicBipartiteness)
        if isinstance(self.g, DynamicBipartiteness):
            days = [d for d, _, _ in q]
            got = self.g.run(batch, days)
            assert got.tolist() == [nx.is_bipartite(snapshots[d]) for d in days]
        elif counting:
            days = [d for d, _, _ in q]
            got = self.g.run(batch, days, count_components=True)
            assert got.dtype == np.int64
            assert got.tolist() == [nx.number_connected_components(snapshots[d]) for d in days]
        else:
            got = self.g.run(batch, q)
            assert got.tolist() == [nx.has_path(snapshots[d], a, b) for d, a, b in q]
        self.ref = work
        assert self.ref.number_of_nodes() == n

    @invariant()
    def agrees(self) -> None:
        if self.g is None:
            return
        event(f"answered by {side(self.g)}")
        assert_matches(self.g, self.ref)
        self.g.check()


class LiftedMachine(QueriesMachine):
    config = "lifted"


class RacedMachine(QueriesMachine):
    config = "raced"


class BackstopMachine(QueriesMachine):
    config = "backstop"


class HDTMachine(QueriesMachine):
    config = "hdt"


class BipartiteMachine(QueriesMachine):
    config = "bipartite"


for _machine in (LiftedMachine, RacedMachine, BackstopMachine, HDTMachine, BipartiteMachine):
    _machine.TestCase.settings = settings(stateful_step_count=25)
TestLifted = pytest.mark.boundscheck(LiftedMachine.TestCase)
TestRaced = pytest.mark.boundscheck(RacedMachine.TestCase)
TestBackstop = pytest.mark.boundscheck(BackstopMachine.TestCase)
TestHDT = pytest.mark.boundscheck(HDTMachine.TestCase)
TestBipartite = pytest.mark.boundscheck(BipartiteMachine.TestCase)


# -----------------------------------------------------------------------------------------
# component counts over a long batch, every day
# -----------------------------------------------------------------------------------------
@pytest.mark.boundscheck
@pytest.mark.parametrize("config", ["lifted", "raced", "backstop", "hdt"])
@given(seed=st.integers(0, 2**32), n=st.integers(1, 12), T=st.integers(0, 60))
def test_counts_every_day(config: str, seed: int, n: int, T: int) -> None:
    rng = np.random.default_rng(seed)
    ref: nx.Graph[int] = nx.Graph()
    ref.add_nodes_from(range(n))
    ups: list[Insert | Delete] = []
    counts = []
    for a, b in rng.integers(0, n, size=(T, 2)).tolist():
        if ref.has_edge(a, b):
            ups.append(Delete(a, b))
            ref.remove_edge(a, b)
        else:
            ups.append(Insert(a, b))
            ref.add_edge(a, b)
        counts.append(nx.number_connected_components(ref))
    batch = UpdateBatch.from_updates(ups)
    pred = None if config == "hdt" or seed % 3 == 0 else predictors.perturbed(batch, float(seed % 7), seed=seed)
    g = make(config, n, seed % 100, pred)
    assert g.run(batch, count_components=True).tolist() == counts
    days = rng.permutation(T + 1)
    g2 = make(config, n, seed % 100, pred)
    assert g2.run(batch, days, count_components=True).tolist() == [([n] + counts)[d] for d in days]
    assert_matches(g2, ref)


# -----------------------------------------------------------------------------------------
# queries in any order
# -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("config", ["lifted", "raced", "hdt"])
def test_run_answers_in_input_order(config: str) -> None:
    batch = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2), Delete(0, 1), Insert(2, 3)])
    g = make(config, 4, 0)
    q = [[4, 1, 3], [0, 0, 1], [2, 0, 2], [3, 0, 2], [2, 0, 1]]
    assert g.run(batch, q).tolist() == [True, False, True, False, True]


def test_bipartite_days_in_any_order() -> None:
    g = DynamicBipartiteness(3)
    batch = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2), Insert(0, 2), Delete(1, 2)])
    assert g.run(batch, [3, 0, 4, 3, 2]).tolist() == [False, True, True, False, True]


# -----------------------------------------------------------------------------------------
# self-loops: stored and counted as in networkx, never connecting anything
# -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("config", CONFIGS)
def test_self_loops_like_networkx(config: str) -> None:
    g = make(config, 3, 0)
    ref: nx.Graph[int] = nx.Graph()
    ref.add_nodes_from(range(3))
    g.insert(1, 1)
    ref.add_edge(1, 1)
    assert_matches(g, ref)
    assert g.has_edge(1, 1) and (1, 1) in g and list(g) == [(1, 1)]
    if isinstance(g, DynamicBipartiteness):
        assert not g.is_bipartite() and g.is_bipartite() == nx.is_bipartite(ref)
    with pytest.raises(DuplicateElementError):
        g.insert(1, 1)
    g.delete(1, 1)
    ref.remove_edge(1, 1)
    assert_matches(g, ref)
    with pytest.raises(MissingElementError):
        g.delete(1, 1)


# -----------------------------------------------------------------------------------------
# errors leave the structure unchanged
# -----------------------------------------------------------------------------------------
def _snapshot(g: Any) -> tuple[Any, ...]:
    return (g.n, sorted(g), g.component_labels().tolist(), getattr(g, "day", None))


@pytest.mark.parametrize("config", CONFIGS)
def test_bad_input(config: str) -> None:
    g = make(config, 4, 0)
    g.insert(0, 1)
    before = _snapshot(g)
    bad: list[tuple[Any, type[Exception]]] = [
        (lambda: g.component(4), VertexError),
        (lambda: g.component(-1), VertexError),
        (lambda: g.component(1.5), VertexError),
        (lambda: g.component_size(9), VertexError),
        (lambda: g.component_members("a"), VertexError),
        (lambda: g.insert_many([0, 2], [1, 3]), DuplicateElementError),
        (lambda: g.insert_many([2, 3], [3, 2]), DuplicateElementError),
        (lambda: g.insert_many([2], [7]), VertexError),
        (lambda: g.insert_many([2, 3], [3]), InvalidInputError),
        (lambda: g.insert_many(2, 3), InvalidInputError),
        (lambda: g.insert_many("ab", "cd"), InvalidInputError),
        (lambda: g.delete_many([0, 0], [1, 1]), MissingElementError),
        (lambda: g.delete_many([2], [3]), MissingElementError),
        (lambda: g.add_vertices(-1), InvalidInputError),
        (lambda: g.add_vertices(1.0), InvalidInputError),
        (lambda: g.add_vertices(2**31), InvalidInputError),
        (lambda: (0, 1, 2) in g, InvalidInputError),
        (lambda: (0, 9) in g, VertexError),
    ]
    if not isinstance(g, HDTConnectivity):
        d = g.day
        bad += [
            (lambda: g.insert(2, 3, predicted_deletion=d), PredictionError),
            (lambda: g.insert(2, 3, predicted_deletion=d + 1), PredictionError),
            (lambda: g.insert_many([2], [3], predicted_deletions=[d + 1]), PredictionError),
            (lambda: g.run(UpdateBatch.from_updates([Insert(2, 3), Delete(2, 3)]), [],
                           predicted_deletions=[1, 0]), PredictionError),
        ]
    if not isinstance(g, DynamicBipartiteness):
        b = UpdateBatch.from_updates([Insert(2, 3)])
        bad += [
            (lambda: g.run(b, [2], count_components=True), QueryError),
            (lambda: g.run(b, [-1], count_components=True), QueryError),
            (lambda: g.run(b, [[0.5]], count_components=True), QueryError),
            (lambda: g.run(b, [[1, 0, 9]]), QueryError),
            (lambda: g.run(b, [[1, 0, 1], [2, 0, 1]]), QueryError),
            (lambda: g.run(b, count_components="yes"), InvalidInputError),
        ]
    for fn, err in bad:
        with pytest.raises(err):
            fn()
        assert _snapshot(g) == before
    g.check()
    # a prediction after the insertion is fine
    if not isinstance(g, HDTConnectivity):
        g.insert(2, 3, predicted_deletion=g.day + 2)
        g.insert_many([3], [0], predicted_deletions=[g.day + 2])
        assert g.component(0) == g.component(2)


def test_predicted_deletion_in_batches_after_insertion() -> None:
    g = DynamicConnectivity(3, backstop=None)
    b = UpdateBatch.from_updates([Insert(0, 1), Delete(0, 1)])
    with pytest.raises(PredictionError, match="not after"):
        g.run(b, predicted_deletions=[1, 0])
    assert g.day == 0 and len(g) == 0
    g.run(b, predicted_deletions=[2, 0])
    assert g.stats.retriggers == 0


def test_add_vertices_keeps_edges_and_predictions() -> None:
    batch = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2), Delete(0, 1), Insert(2, 3)])
    for config in ("lifted", "raced", "backstop"):
        g = make(config, 4, 0, predictors.exact(batch))
        g.run(batch[:2])
        assert g.add_vertices(3) == range(4, 7) and g.n == 7
        assert g.num_components == 5 and sorted(g) == [(0, 1), (1, 2)]
        g.run(batch[2:])
        g.insert(6, 3)
        assert g.component_members(2).tolist() == [1, 2, 3, 6]
        assert g.stats.retriggers == 0, config
        g.check()
        assert g.add_vertices(0) == range(7, 7)


def test_update_batch_indexing_and_repr() -> None:
    b = UpdateBatch.from_updates([Insert(0, 1, 2.5), Delete(0, 1)])
    assert b[0] == Insert(0, 1, 2.5) and b[1] == Delete(0, 1) and b[-1] == Delete(0, 1)
    assert b[-2] == b[0]
    assert list(b) == [b[i] for i in range(len(b))]
    with pytest.raises(BatchIndexError):
        b[2]
    with pytest.raises(IndexError):
        b[-3]
    with pytest.raises(InvalidInputError):
        b[1.0]  # type: ignore[call-overload]
    with pytest.raises(InvalidInputError):
        b[True]  # type: ignore[call-overload]
    assert repr(b) == "UpdateBatch(2 updates: 1 insert, 1 delete)"
    assert repr(b[:1]) == "UpdateBatch(1 update: 1 insert, 0 deletes)"
    assert repr(b[:0]) == "UpdateBatch(0 updates: 0 inserts, 0 deletes)"
