"""DynamicAPSP against a Floyd-Warshall / scipy oracle: a stateful machine and batch replays.

The machine draws a hidden future (a valid sequence of weighted arc updates)
and predictions of it of random quality (exact, perturbed, partly dropped,
garbage or none), then replays it interleaved with off-script updates, weight
changes, rejected negative cycles and invalid input.  Weights are
``base + p[u] - p[v]`` for random vertex potentials ``p`` and ``base >= 0``,
so they are often negative but every cycle has non-negative weight.  Every
step is followed by the structure's own ``check()``, a comparison of all
distances with the oracle, and a check that every reported path is a path of
present arcs of the reported length.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

import predictors
from dynalgo import (
    DuplicateElementError,
    DynamicAPSP,
    InvalidInputError,
    MissingElementError,
    NegativeCycleError,
    UpdateBatch,
)

MODES = ("exact", "perturbed", "drop", "garbage", "none")

Arc = tuple[int, int]


# ---------------------------------------------------------------------------------
# the oracle
# ---------------------------------------------------------------------------------
class NaiveDigraph:
    """Weighted arcs in a dict; distances by Floyd-Warshall in numpy (any weights, no negative cycle)."""

    def __init__(self, n: int, directed: bool = True) -> None:
        self.n = n
        self.directed = directed
        self.arcs: dict[Arc, float] = {}

    def key(self, u: int, v: int) -> Arc:
        return (u, v) if self.directed or u <= v else (v, u)

    def apply(self, op: int, u: int, v: int, w: float = 0.0) -> None:
        k = self.key(u, v)
        if op == 1:
            assert k not in self.arcs
            self.arcs[k] = w
        else:
            del self.arcs[k]

    def valid(self, op: int, u: int, v: int) -> bool:
        return (self.key(u, v) in self.arcs) != (op == 1)

    def matrix(self) -> np.ndarray:
        W = np.full((self.n, self.n), np.inf)
        for (a, b), w in self.arcs.items():
            W[a, b] = min(W[a, b], w)
            if not self.directed:
                W[b, a] = min(W[b, a], w)
        return W

    def distances(self) -> np.ndarray:
        d = self.matrix()
        np.fill_diagonal(d, np.minimum(np.diag(d), 0.0))
        for k in range(self.n):
            d = np.minimum(d, d[:, k : k + 1] + d[k : k + 1, :])
        assert np.all(np.diag(d) == 0.0), "oracle: negative cycle"
        return d


def scipy_distances(ref: NaiveDigraph) -> np.ndarray:
    """The same distances from scipy.sparse.csgraph (Johnson with negative weights)."""
    W = ref.matrix()
    np.fill_diagonal(W, np.inf)  # self-loops never shorten a path here
    r, c = np.nonzero(np.isfinite(W))
    if r.size == 0:
        d = np.full((ref.n, ref.n), np.inf)
        np.fill_diagonal(d, 0.0)
        return d
    # explicit zeros are kept as arcs by csgraph only with a tiny offset; use the dense form
    G = csr_matrix((np.where(W[r, c] == 0, 1e-300, W[r, c]), (r, c)), shape=(ref.n, ref.n))
    return shortest_path(G, method="J" if np.any(W[r, c] < 0) else "D", directed=True)


def assert_paths(g: DynamicAPSP, ref: NaiveDigraph, d: np.ndarray) -> None:
    """Every path the structure reports is made of present arcs and has the right length."""
    W = ref.matrix()
    n = ref.n
    for x in range(n):
        for y in range(n):
            p = g.path(x, y)
            if not np.isfinite(d[x, y]):
                assert p == [], (x, y, p)
                continue
            assert p[0] == x and p[-1] == y and len(set(p)) == len(p), (x, y, p)
            length = sum(W[a, b] for a, b in zip(p, p[1:]))
            assert np.isclose(length, d[x, y], rtol=1e-9, atol=1e-9), (x, y, p, length, d[x, y])


def snapshot(g: DynamicAPSP) -> tuple[object, ...]:
    """Everything observable plus the raw arrays of both sides."""
    dense = tuple(a.copy() for a in g._engine.bstate)
    back = tuple(a.copy() for a in g._race.backstop) if g._race is not None else ()
    eng = (g._engine.meta.copy(), g._engine.inst.copy(), g._engine.days.copy())
    race = (g._race.rmeta.copy(), g._race.rf.copy()) if g._race is not None else ()
    return (g.day, g.distances().copy(), g.arcs().copy(), dense, back, eng, race)


def assert_unchanged(before: tuple[object, ...], g: DynamicAPSP) -> None:
    after = snapshot(g)

    def same(a: object, b: object) -> bool:
        if isinstance(a, np.ndarray):
            assert isinstance(b, np.ndarray)
            return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
        if isinstance(a, tuple):
            assert isinstance(b, tuple)
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        return a == b

    assert same(before, after), "a rejected update changed the structure"


# ---------------------------------------------------------------------------------
# workloads
# ---------------------------------------------------------------------------------
def random_future(rng: np.random.Generator, n: int, length: int, p: np.ndarray, directed: bool,
                  start: dict[Arc, float] | None = None, hot: int = 2) -> list[tuple[int, int, int, float]]:
    """A valid sequence of (op, u, v, w): inserts of absent arcs, deletes of present ones."""
    ref = NaiveDigraph(n, directed)
    ref.arcs = dict(start or {})
    out: list[tuple[int, int, int, float]] = []
    hot_arcs = [(int(rng.integers(n)), int(rng.integers(n))) for _ in range(hot)]
    for _ in range(length):
        if hot_arcs and rng.random() < 0.3:
            u, v = hot_arcs[int(rng.integers(len(hot_arcs)))]
        elif ref.arcs and rng.random() < 0.45:
            keys = sorted(ref.arcs)
            u, v = keys[int(rng.integers(len(keys)))]
        else:
            u, v = int(rng.integers(n)), int(rng.integers(n))
        if ref.key(u, v) in ref.arcs:
            out.append((0, u, v, 0.0))
            ref.apply(0, u, v)
        else:
            w = weight(rng, p, u, v, directed)
            out.append((1, u, v, w))
            ref.apply(1, u, v, w)
    return out


def weight(rng: np.random.Generator, p: np.ndarray, u: int, v: int, directed: bool) -> float:
    """``base + p[u] - p[v]``: every cycle has weight >= 0 (undirected: base only, >= 0)."""
    base = float(rng.integers(0, 6))
    return base + float(p[u] - p[v]) if directed else base


def as_batch(events: list[tuple[int, int, int, float]]) -> UpdateBatch:
    if not events:
        return UpdateBatch.from_arrays(np.zeros(0, np.int8), np.zeros(0, np.int64), np.zeros(0, np.int64))
    op, u, v, w = zip(*events)
    return UpdateBatch.from_arrays(np.array(op, np.int8), np.array(u), np.array(v), np.array(w))


def make_predictions(batch: UpdateBatch, mode: str, seed: int) -> predictors.PredictionArrays | None:
    if mode == "none":
        return None
    if mode == "exact":
        return predictors.exact(batch)
    if mode == "perturbed":
        return predictors.perturbed(batch, 4.0, seed=seed)
    if mode == "drop":
        return predictors.perturbed(batch, 1.0, seed=seed, drop=0.3)
    return predictors.garbage(batch, seed=seed)


# ---------------------------------------------------------------------------------
# the stateful machine
# ---------------------------------------------------------------------------------
class APSPMachine(RuleBasedStateMachine):
    """Random weighted updates and queries on up to 7 vertices, checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.g: DynamicAPSP | None = None
        self.ref = NaiveDigraph(1)
        self.future: list[tuple[int, int, int, float]] = []
        self.pos = 0
        self.days = 0
        self.p = np.zeros(1)
        self.rng = np.random.default_rng(0)

    @initialize(
        n=st.integers(1, 7),
        length=st.integers(0, 60),
        seed=st.integers(0, 2**32 - 1),
        mode=st.sampled_from(MODES),
        negative=st.booleans(),
        directed=st.booleans(),
        backstop=st.sampled_from([None, "dynamic"]),
        share=st.sampled_from([1.0, 0.25, 4.0]),
        quantum=st.sampled_from([1, 64]),
    )
    def setup(self, n: int, length: int, seed: int, mode: str, negative: bool, directed: bool,
              backstop: str | None, share: float, quantum: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.p = self.rng.integers(0, 8, size=n).astype(np.float64) if negative else np.zeros(n)
        self.future = random_future(self.rng, n, length, self.p, directed)
        preds = make_predictions(as_batch(self.future), mode, seed)
        self.g = DynamicAPSP(n, preds, directed=directed, backstop=backstop, backstop_share=share,
                             race_quantum=quantum, seed=seed)
        self.ref = NaiveDigraph(n, directed)
        event(f"predictions: {mode}")
        event(f"backstop: {backstop}, directed: {directed}, negative: {negative}")

    @property
    def n(self) -> int:
        return self.ref.n

    def _g(self) -> DynamicAPSP:
        assert self.g is not None
        return self.g

    def _apply(self, op: int, u: int, v: int, w: float = 0.0, pdel: int | None = None) -> None:
        g = self._g()
        if op == 1:
            g.insert(u, v, w, predicted_deletion=pdel)
        else:
            g.delete(u, v)
        self.ref.apply(op, u, v, w)
        self.days += 1

    def _vertex(self, data: st.DataObject, label: str) -> int:
        return data.draw(st.integers(0, self.n - 1), label=label)

    # rules ----------------------------------------------------------------------
    @rule(data=st.data())
    def step_future(self, data: st.DataObject) -> None:
        if self.pos >= len(self.future):
            return
        op, u, v, w = self.future[self.pos]
        self.pos += 1
        if not self.ref.valid(op, u, v):
            return
        pdel = data.draw(st.one_of(st.none(), st.integers(1, self.days + 40)), label="pdel") if op == 1 else None
        self._apply(op, u, v, w, pdel)

    @rule(data=st.data())
    def insert_random(self, data: st.DataObject) -> None:
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        w = weight(self.rng, self.p, u, v, self.ref.directed)
        g = self._g()
        if self.ref.key(u, v) in self.ref.arcs:
            before = snapshot(g)
            with pytest.raises(DuplicateElementError):
                g.insert(u, v, w)
            assert_unchanged(before, g)
            return
        self._apply(1, u, v, w)

    @rule(data=st.data())
    def delete_present(self, data: st.DataObject) -> None:
        if not self.ref.arcs:
            return
        u, v = data.draw(st.sampled_from(sorted(self.ref.arcs)), label="arc")
        if not self.ref.directed and data.draw(st.booleans(), label="swap"):
            u, v = v, u
        self._apply(0, u, v)

    @rule(data=st.data())
    def set_weight(self, data: st.DataObject) -> None:
        if not self.ref.arcs:
            return
        u, v = data.draw(st.sampled_from(sorted(self.ref.arcs)), label="arc")
        w = weight(self.rng, self.p, u, v, self.ref.directed)
        self._g().set_weight(u, v, w)
        assert self._g().weight(u, v) == w
        self.ref.apply(0, u, v)
        self.ref.apply(1, u, v, w)
        self.days += 2

    @rule(data=st.data())
    def negative_cycle_rejected(self, data: st.DataObject) -> None:
        """An arc that closes a negative cycle raises and changes nothing (single and batch)."""
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        g = self._g()
        d = self.ref.distances()
        if self.ref.key(u, v) in self.ref.arcs or not np.isfinite(d[v, u]):
            return
        w = -float(d[v, u]) - float(data.draw(st.integers(1, 3), label="excess"))
        before = snapshot(g)
        with pytest.raises(NegativeCycleError):
            g.insert(u, v, w)
        assert_unchanged(before, g)
        with pytest.raises(NegativeCycleError):
            g.run(as_batch([(1, u, v, w)]), [[1, 0, 0]])
        assert_unchanged(before, g)

    @rule(data=st.data())
    def invalid_input_rejected(self, data: st.DataObject) -> None:
        g = self._g()
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        before = snapshot(g)
        bad = data.draw(st.sampled_from([float("nan"), float("inf"), -float("inf")]), label="weight")
        with pytest.raises(InvalidInputError):
            g.insert(u, v, bad)
        with pytest.raises(InvalidInputError):
            g.run(as_batch([(1, u, v, bad)]))
        if self.ref.key(u, v) not in self.ref.arcs:
            with pytest.raises(MissingElementError):
                g.delete(u, v)
            with pytest.raises(MissingElementError):
                g.set_weight(u, v, 1.0)
        assert_unchanged(before, g)

    @rule(length=st.integers(0, 25), seed=st.integers(0, 2**32 - 1))
    def run_batch(self, length: int, seed: int) -> None:
        """A random valid batch through ``run`` with queries, checked against a replay of the oracle."""
        g = self._g()
        rng = np.random.default_rng(seed)
        events = random_future(rng, self.n, length, self.p, self.ref.directed, self.ref.arcs)
        nq = int(rng.integers(0, 10))
        qd = np.sort(rng.integers(0, length + 1, size=nq))
        queries = np.stack([qd, rng.integers(0, self.n, nq), rng.integers(0, self.n, nq)], axis=1)
        pd = np.where(rng.random(length) < 0.5, rng.integers(1, length + 30, size=length), 0)
        out = g.run(as_batch(events), queries, predicted_deletions=pd)
        want = []
        k = 0
        snap = self.ref.distances()
        for day in range(length + 1):
            if day > 0:
                self.ref.apply(*events[day - 1])
                snap = self.ref.distances()
            while k < nq and qd[k] == day:
                want.append(snap[queries[k, 1], queries[k, 2]])
                k += 1
        assert out.dtype == np.float64 and out.shape == (nq,)
        assert np.allclose(out, np.array(want, dtype=np.float64), rtol=1e-9, atol=1e-9, equal_nan=False) or \
            np.array_equal(out, np.array(want, dtype=np.float64))
        self.days += length

    def teardown(self) -> None:
        if self.g is not None:
            s = self.g.stats
            event(f"retriggers: {'yes' if s.retriggers else 'no'}")
            if s.race is not None:
                event(f"lifted answered: {'yes' if s.race.days_lifted else 'no'}")

    # invariants -----------------------------------------------------------------
    @invariant()
    def structure_check(self) -> None:
        if self.g is not None:
            self.g.check()

    @invariant()
    def agrees_with_oracle(self) -> None:
        if self.g is None:
            return
        g = self.g
        assert g.day == self.days
        d = self.ref.distances()
        got = g.distances()
        assert np.array_equal(np.isinf(got), np.isinf(d))
        fin = np.isfinite(d)
        assert np.allclose(got[fin], d[fin], rtol=1e-9, atol=1e-9)
        assert g.num_arcs == len(self.ref.arcs)
        for (a, b), w in self.ref.arcs.items():
            assert g.has_arc(a, b) and g.weight(a, b) == w
        assert_paths(g, self.ref, d)


APSPMachine.TestCase.settings = settings(stateful_step_count=30, max_examples=40)
TestAPSPMachine = APSPMachine.TestCase


# ---------------------------------------------------------------------------------
# whole sequences against scipy.sparse.csgraph
# ---------------------------------------------------------------------------------
@given(
    n=st.integers(2, 12),
    length=st.integers(1, 80),
    seed=st.integers(0, 2**32 - 1),
    mode=st.sampled_from(MODES),
    negative=st.booleans(),
    backstop=st.sampled_from([None, "dynamic"]),
)
@settings(max_examples=25)
def test_sequence_against_scipy(n: int, length: int, seed: int, mode: str, negative: bool,
                                backstop: str | None) -> None:
    """One ``run`` of a whole sequence, one query per pair after every day, against scipy."""
    rng = np.random.default_rng(seed)
    p = rng.integers(0, 20, size=n).astype(np.float64) if negative else np.zeros(n)
    events = random_future(rng, n, length, p, True, hot=3)
    batch = as_batch(events)
    g = DynamicAPSP(n, make_predictions(batch, mode, seed), backstop=backstop, seed=seed)
    days = np.repeat(np.arange(length + 1), n * n)
    xs = np.tile(np.repeat(np.arange(n), n), length + 1)
    ys = np.tile(np.tile(np.arange(n), n), length + 1)
    out = g.run(batch, np.stack([days, xs, ys], axis=1)).reshape(length + 1, n, n)
    ref = NaiveDigraph(n)
    for day in range(length + 1):
        if day:
            ref.apply(*events[day - 1])
        want = scipy_distances(ref)
        got = out[day]
        assert np.array_equal(np.isinf(got), np.isinf(want)), day
        fin = np.isfinite(want)
        assert np.allclose(got[fin], want[fin], rtol=1e-9, atol=1e-6), day
    g.check()
