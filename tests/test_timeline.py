"""TimedConnectivity: time-keyed updates, expiring and renewed edges, early deletes, chunks.

The oracle is a dict pair -> expiry (a pair is present while its latest expiry is
after the clock) and networkx connectivity on the present pairs; chunked streams
are also checked against ``offline_connectivity`` on the equivalent
update-indexed sequence.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from dynalgo import (
    InvalidInputError,
    MissingElementError,
    TimelineError,
    UpdateBatch,
    VertexError,
    offline_connectivity,
)
from dynalgo.timeline import NEVER, TimedBipartiteness, TimedConnectivity


def _present(live: dict[tuple[int, int], int], t: int) -> list[tuple[int, int]]:
    return [k for k, x in live.items() if x > t]


class TimelineMachine(RuleBasedStateMachine):
    """Random inserts (with and without expiry, repeated pairs), deletes, queries, advances."""

    @initialize(n=st.integers(2, 7))
    def setup(self, n: int) -> None:
        self.n = n
        self.g = TimedConnectivity(n)
        self.live: dict[tuple[int, int], int] = {}
        self.clock = -5

    def _tick(self, dt: int) -> int:
        self.clock += dt
        self.live = {k: x for k, x in self.live.items() if x > self.clock}
        return self.clock

    @rule(u=st.integers(0, 6), v=st.integers(0, 6), dt=st.integers(0, 2),
          life=st.one_of(st.none(), st.integers(1, 8)))
    def insert(self, u: int, v: int, dt: int, life: int | None) -> None:
        u, v = u % self.n, v % self.n
        t = self._tick(dt)
        x = None if life is None else t + life
        self.g.insert(u, v, time=t, expiry=x)
        key = (min(u, v), max(u, v))
        xx = NEVER if x is None else x
        self.live[key] = max(self.live.get(key, xx), xx)

    @precondition(lambda self: bool(self.live))
    @rule(i=st.integers(0, 100), dt=st.integers(0, 2))
    def delete(self, i: int, dt: int) -> None:
        t = self._tick(dt)
        keys = sorted(self.live)
        if not keys:
            with pytest.raises(MissingElementError):
                self.g.delete(0, 1, time=t)
            self.g.advance(t)
            return
        k = keys[i % len(keys)]
        self.g.delete(k[0], k[1], time=t)
        del self.live[k]

    @rule(u=st.integers(0, 6), v=st.integers(0, 6), dt=st.integers(0, 3))
    def query(self, u: int, v: int, dt: int) -> None:
        u, v = u % self.n, v % self.n
        t = self._tick(dt)
        G = nx.Graph()
        G.add_nodes_from(range(self.n))
        G.add_edges_from(self.live)
        assert self.g.connected(u, v, time=t) == nx.has_path(G, u, v)

    @rule(u=st.integers(0, 6), v=st.integers(0, 6))
    def bad_delete_leaves_state(self, u: int, v: int) -> None:
        u, v = u % self.n, v % self.n
        if (min(u, v), max(u, v)) in _present(self.live, self.clock):
            return
        before = self.g.edges().copy(), self.g.num_components, self.g.time
        with pytest.raises(MissingElementError):
            self.g.delete(u, v, time=self.clock)
        if self.g.time is not None:
            with pytest.raises(TimelineError):
                self.g.insert(u, v, time=self.g.time - 1, expiry=self.clock + 1)
        with pytest.raises(TimelineError):
            self.g.insert(u, v, time=self.clock, expiry=self.clock)
        assert np.array_equal(self.g.edges(), before[0]) and self.g.num_components == before[1]
        assert self.g.time == before[2]

    @invariant()
    def agrees(self) -> None:
        if not hasattr(self, "g"):
            return
        self.g.check()
        t = self.g.time if self.g.time is not None else self.clock
        present = sorted(_present(self.live, t))
        assert [tuple(e) for e in self.g.edges().tolist()] == present
        G = nx.Graph()
        G.add_nodes_from(range(self.n))
        G.add_edges_from(present)
        assert self.g.num_components == nx.number_connected_components(G)
        labels = self.g.component_labels()
        assert len(self.g) == len(present) and list(self.g) == present
        for comp in nx.connected_components(G):
            members = sorted(comp)
            assert len({int(labels[x]) for x in members}) == 1
            x = members[0]
            assert self.g.component(x) == labels[x] and self.g.component_size(x) == len(members)
            assert self.g.component_members(x).tolist() == members
        assert len(set(labels.tolist())) == self.g.num_components
        for e in present[:2]:
            assert e in self.g


TestTimelineMachine = pytest.mark.boundscheck(TimelineMachine.TestCase)


class BipartiteTimelineMachine(TimelineMachine):
    """The same random timeline on TimedBipartiteness, checked with networkx.is_bipartite."""

    @initialize(n=st.integers(2, 7))
    def setup(self, n: int) -> None:
        self.n = n
        self.g = TimedBipartiteness(n)  # type: ignore[assignment]
        self.live = {}
        self.clock = -5

    @rule(u=st.integers(0, 6), v=st.integers(0, 6), dt=st.integers(0, 3))
    def query(self, u: int, v: int, dt: int) -> None:
        t = self._tick(dt)
        G = nx.Graph()
        G.add_nodes_from(range(self.n))
        G.add_edges_from(self.live)
        g: TimedBipartiteness = self.g  # type: ignore[assignment]
        assert g.bipartite(time=t) == nx.is_bipartite(G)
        assert g.extend([], [], [], None, [t]).tolist() == [nx.is_bipartite(G)]


TestBipartiteTimelineMachine = pytest.mark.boundscheck(BipartiteTimelineMachine.TestCase)


def _pair_sequence(n: int, u: np.ndarray, v: np.ndarray, t: np.ndarray, x: np.ndarray, qt: np.ndarray):
    """The update-indexed sequence of the same stream and each query's day."""
    events: list[tuple[int, int, int, int]] = []  # (time, order, op, key)
    live: dict[int, int] = {}
    # a pair's lifetime: [first insert, latest expiry) while overlapping; build with a sweep
    order = 0
    pending: list[tuple[int, int]] = []  # (expiry, key) of live pairs
    for i in range(len(t)):
        ti = int(t[i])
        key = int(min(u[i], v[i]) * n + max(u[i], v[i]))
        for k in [k for k, xe in live.items() if xe <= ti]:
            events.append((live[k], order, 0, k))
            order += 1
            del live[k]
        if key in live:
            live[key] = max(live[key], int(x[i]))
        else:
            live[key] = int(x[i])
            events.append((ti, order, 1, key))
            order += 1
    for k, xe in live.items():
        if xe < NEVER:
            events.append((xe, order, 0, k))
            order += 1
    del pending
    events.sort()
    times = np.array([e[0] for e in events], dtype=np.int64)
    ops = np.array([e[2] for e in events], dtype=np.int8)
    keys = np.array([e[3] for e in events], dtype=np.int64)
    batch = UpdateBatch.from_arrays(ops, keys // n, keys % n)
    qday = np.searchsorted(times, qt, side="right")
    return batch, qday


@pytest.mark.boundscheck
@settings(max_examples=40)
@given(
    n=st.integers(2, 9),
    m=st.integers(0, 60),
    chunks=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_chunked_stream_matches_offline(n: int, m: int, chunks: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = np.sort(rng.integers(0, 40, m)).astype(np.int64)
    u = rng.integers(0, n, m)
    v = rng.integers(0, n, m)
    x = t + rng.integers(1, 12, m)
    x[rng.random(m) < 0.1] = NEVER
    qt = np.sort(rng.integers(0, 45, 2 * m + 1)).astype(np.int64)
    qx, qy = rng.integers(0, n, qt.size), rng.integers(0, n, qt.size)
    batch, qday = _pair_sequence(n, u, v, t, x, qt)
    ok = qday >= 1
    ref = np.zeros(qt.size, dtype=bool)
    ref[~ok] = qx[~ok] == qy[~ok]
    if ok.any():
        ref[ok] = offline_connectivity(n, batch, np.stack([qday[ok], qx[ok], qy[ok]], axis=1))
    # the same stream in chunks split at times (a query goes with the last chunk not after it)
    g = TimedConnectivity(n)
    cuts = np.sort(rng.integers(0, 45, chunks - 1))
    lo = -1
    answers = []
    for hi in list(cuts) + [10**9]:
        es = (t > lo) & (t <= hi)
        qs = (qt > lo) & (qt <= hi)
        q = np.stack([qt[qs], qx[qs], qy[qs]], axis=1)
        answers.append(next(g.stream([(u[es], v[es], t[es], x[es], q)])))
        g.check()
        lo = hi
    assert np.array_equal(np.concatenate(answers), ref)


def test_sliding_window_is_exact_on_college_msg() -> None:
    from dynalgo import college_msg, sliding_window

    e = college_msg()
    w = 86_400
    keep = e.src != e.dst
    u, v, t = e.src[keep][:6000], e.dst[keep][:6000], e.time[keep][:6000]
    rng = np.random.default_rng(0)
    q = np.stack([t, rng.integers(0, e.n, t.size), rng.integers(0, e.n, t.size)], axis=1)
    g = TimedConnectivity(e.n)
    out = g.extend(u, v, t, t + w, q)
    g.check()
    from dynalgo.datasets import TemporalEdges

    sw = sliding_window(TemporalEdges(u, v, t, None, e.n, e.labels, "part", ""), w)
    qday = np.searchsorted(sw.time, q[:, 0], side="right")
    ref = offline_connectivity(e.n, sw.batch, np.stack([qday, q[:, 1], q[:, 2]], axis=1))
    assert np.array_equal(out, ref)
    assert g.stats["early_deletions"] == 0 and g.stats["renewals"] > 0


def test_bad_input_is_rejected_and_leaves_state() -> None:
    g = TimedConnectivity(3)
    g.insert(0, 1, time=5, expiry=9)
    snap = g.edges().copy(), g.time
    bad = [
        (lambda: g.insert(0, 1, time=4), TimelineError),  # backwards
        (lambda: g.insert(0, 2, time=6, expiry=6), TimelineError),  # expiry not after
        (lambda: g.insert(0, 2, time=6.0), TimelineError),  # type: ignore[arg-type]
        (lambda: g.insert(0, 2, time=float("nan")), TimelineError),  # type: ignore[arg-type]
        (lambda: g.insert(0, 2, time=True), TimelineError),  # type: ignore[arg-type]
        (lambda: g.insert(0, 3, time=6), VertexError),
        (lambda: g.connected(0, 1, time=2), TimelineError),  # query in the past
        (lambda: g.delete(1, 2, time=6), MissingElementError),
        (lambda: g.delete(0, 1, time=9), MissingElementError),  # expired by then
        (lambda: g.extend([0, 1], [1, 2], [7, 6], [9, 9]), TimelineError),
        (lambda: g.extend([0], [1], [7.5], [9]), TimelineError),
        (lambda: g.extend([0], [1], [7], [7]), TimelineError),
        (lambda: g.extend([0], [1, 2], [7], [9]), InvalidInputError),
        (lambda: g.extend([0], [1], [7], [9], [[3, 0, 1]]), TimelineError),
        (lambda: g.extend([0], [1], [7], [9], [[8, 0, 1], [7, 0, 1]]), TimelineError),
    ]
    for call, err in bad:
        with pytest.raises(err):
            call()
        assert np.array_equal(g.edges(), snap[0]) and g.time == snap[1]
        g.check()
    assert issubclass(TimelineError, ValueError)
    assert g.expiry(0, 1) == 9
    g.insert(1, 0, time=6, expiry=12)  # renewal of the same pair, written the other way
    assert g.expiry(0, 1) == 12 and g.num_edges == 1


@pytest.mark.boundscheck
def test_long_fifo_loop_and_early_deletes() -> None:
    """A long sliding window with occasional early deletes: exact against a naive replay."""
    rng = np.random.default_rng(3)
    n, w = 40, 50
    g = TimedConnectivity(n)
    live: dict[tuple[int, int], int] = {}
    for t in range(3000):
        live = {k: x for k, x in live.items() if x > t}
        a, b = (int(z) for z in rng.integers(0, n, 2))
        g.insert(a, b, time=t, expiry=t + w)
        k = (min(a, b), max(a, b))
        live[k] = max(live.get(k, 0), t + w)
        if t % 7 == 0 and live:
            k = sorted(live)[int(rng.integers(len(live)))]
            g.delete(*k, time=t)
            del live[k]
        if t % 97 == 0:
            g.check()
            G = nx.Graph()
            G.add_nodes_from(range(n))
            G.add_edges_from(live)
            assert g.num_components == nx.number_connected_components(G)
    # amortized work per update stays logarithmic, not linear in the window
    assert g.stats["reapplied"] < 40 * 3000
