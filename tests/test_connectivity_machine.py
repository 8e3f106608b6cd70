"""DynamicConnectivity against a networkx oracle: a stateful machine and long runs.

The machine draws a hidden "future" (a valid update sequence) and predictions
of it of random quality (exact, shifted, partly dropped, garbage or none), then
replays the future step by step interleaved with off-script updates, so the
predictions are wrong both in timing and in content.  Every step is followed
by the structure's own ``check()`` and a comparison with networkx.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

import predictors
from dynalgo import DuplicateElementError, DynamicConnectivity, MissingElementError, UpdateBatch
from tests.naive import Event, NaiveGraph, events_arrays, random_events, replay_answers

MODES = ("exact", "shifted", "drop", "garbage", "none")


def make_batch(events: list[Event]) -> UpdateBatch:
    return UpdateBatch.from_arrays(*events_arrays(events))


def make_predictions(
    events: list[Event], mode: str, *, seed: int, scale: int = 5, drop: float = 0.3, first_day: int = 1
) -> predictors.PredictionArrays | None:
    """Predictions of ``events`` (row ``i`` on day ``first_day + i``) of the given quality."""
    if mode == "none":
        return None
    batch = make_batch(events)
    if mode == "exact":
        return predictors.exact(batch, first_day=first_day)
    if mode == "shifted":
        return predictors.perturbed(batch, float(scale), seed=seed, first_day=first_day)
    if mode == "drop":
        return predictors.perturbed(batch, float(scale) / 10.0, seed=seed, drop=drop, first_day=first_day)
    if mode == "garbage":
        return predictors.garbage(batch, seed=seed, first_day=first_day)
    raise AssertionError(mode)


def assert_same(g: DynamicConnectivity, ref: NaiveGraph) -> None:
    """Every query of ``g`` agrees with the oracle."""
    n = ref.n
    assert g.num_edges == ref.num_edges
    assert g.num_components == ref.num_components
    assert sorted(tuple(e) for e in g.edges().tolist()) == ref.sorted_edges()
    lab = ref.component_labels()
    for a in range(n):
        for b in range(a, n):
            assert g.connected(a, b) == (lab[a] == lab[b]), (a, b)
            assert g.connected(b, a) == (lab[a] == lab[b]), (b, a)
            assert g.has_edge(a, b) == ref.has_edge(a, b), (a, b)
            assert g.has_edge(b, a) == ref.has_edge(a, b), (b, a)


# ---------------------------------------------------------------------------------
# the stateful machine
# ---------------------------------------------------------------------------------
class ConnectivityMachine(RuleBasedStateMachine):
    """Random updates and queries on up to 8 vertices, checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.g: DynamicConnectivity | None = None
        self.ref = NaiveGraph(1)
        self.future: list[Event] = []
        self.pos = 0
        self.days = 0

    # setup ----------------------------------------------------------------------
    @initialize(
        n=st.integers(1, 8),
        length=st.integers(0, 80),
        hot=st.integers(0, 3),
        seed=st.integers(0, 2**32 - 1),
        mode=st.sampled_from(MODES),
        scale=st.integers(1, 50),
        drop=st.sampled_from([0.1, 0.3, 0.5, 0.9]),
        deterministic=st.booleans(),
        backstop=st.sampled_from([None, "hdt"]),
        share=st.sampled_from([1.0, 0.25, 4.0]),
        quantum=st.sampled_from([1, 16, None]),
    )
    def setup(
        self, n: int, length: int, hot: int, seed: int, mode: str, scale: int, drop: float, deterministic: bool,
        backstop: str | None, share: float, quantum: int | None,
    ) -> None:
        rng = np.random.default_rng(seed)
        self.future = random_events(rng, n, length, hot=hot)
        preds = make_predictions(self.future, mode, seed=seed, scale=scale, drop=drop)
        self.g = DynamicConnectivity(n, preds, seed=seed, deterministic_schedule=deterministic,
                                     backstop=backstop, backstop_share=share, race_quantum=quantum)
        self.ref = NaiveGraph(n)
        event(f"predictions: {mode}")
        event(f"backstop: {backstop}")

    # helpers --------------------------------------------------------------------
    @property
    def n(self) -> int:
        return self.ref.n

    def _g(self) -> DynamicConnectivity:
        assert self.g is not None
        return self.g

    def _pdel(self, data: st.DataObject) -> int | None:
        """A random predicted deletion day (absolute, after the insertion's day ``days + 1``), or None."""
        return data.draw(
            st.one_of(st.none(), st.integers(self.days + 2, self.days + 60), st.integers(self.days + 2, self.days + 4)),
            label="predicted_deletion",
        )

    def _apply(self, op: int, u: int, v: int, pdel: int | None = None) -> None:
        g = self._g()
        if op == 1:
            g.insert(u, v, predicted_deletion=pdel)
        else:
            g.delete(u, v)
        self.ref.apply(op, u, v)
        self.days += 1

    def _vertex(self, data: st.DataObject, label: str) -> int:
        return data.draw(st.integers(0, self.n - 1), label=label)

    # rules ----------------------------------------------------------------------
    @rule(data=st.data())
    def step_future(self, data: st.DataObject) -> None:
        """The next update of the hidden future, unless off-script updates made it invalid."""
        if self.pos >= len(self.future):
            return
        op, u, v = self.future[self.pos]
        self.pos += 1
        if not self.ref.valid(op, u, v):
            return
        if data.draw(st.booleans(), label="swap"):
            u, v = v, u
        self._apply(op, u, v, self._pdel(data) if op == 1 else None)

    @rule(data=st.data())
    def insert_random(self, data: st.DataObject) -> None:
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        if self.ref.has_edge(u, v):
            day = self._g().day
            with pytest.raises(DuplicateElementError):
                self._g().insert(u, v)
            assert self._g().day == day
            return
        self._apply(1, u, v, self._pdel(data))

    @rule(data=st.data())
    def delete_present(self, data: st.DataObject) -> None:
        if not self.ref.edges:
            return
        u, v = data.draw(st.sampled_from(self.ref.sorted_edges()), label="edge")
        if data.draw(st.booleans(), label="swap"):
            u, v = v, u
        self._apply(0, u, v)

    @rule(data=st.data())
    def delete_absent(self, data: st.DataObject) -> None:
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        if self.ref.has_edge(u, v):
            return
        day = self._g().day
        with pytest.raises(MissingElementError):
            self._g().delete(u, v)
        assert self._g().day == day

    @rule(data=st.data(), times=st.integers(1, 12))
    def churn(self, data: st.DataObject, times: int) -> None:
        """Toggle one edge (often a self-loop) many times: re-insert the same element."""
        u = self._vertex(data, "u")
        v = u if data.draw(st.booleans(), label="loop") else self._vertex(data, "v")
        for _ in range(times):
            if self.ref.has_edge(u, v):
                self._apply(0, u, v)
            else:
                self._apply(1, u, v, self._pdel(data))

    @rule(data=st.data(), length=st.integers(0, 30), seed=st.integers(0, 2**32 - 1))
    def run_batch(self, data: st.DataObject, length: int, seed: int) -> None:
        """A random valid batch through the compiled ``run`` with queries and predicted deletions."""
        g = self._g()
        rng = np.random.default_rng(seed)
        start = self.ref.sorted_edges()
        events = random_events(rng, self.n, length, start, hot=2)
        nq = int(rng.integers(0, 12))
        qd = np.sort(rng.integers(0, length + 1, size=nq))
        queries = np.stack([qd, rng.integers(0, self.n, nq), rng.integers(0, self.n, nq)], axis=1)
        # relative predicted deletions, each after its row's batch day (row k is day k + 1)
        pd = np.where(rng.random(length) < 0.5, np.arange(length) + 2 + rng.integers(0, 40, size=length), 0)
        out = g.run(make_batch(events), queries, predicted_deletions=pd)
        assert out.dtype == np.bool_ and out.shape == (nq,)
        assert out.tolist() == replay_answers(self.n, events, queries.tolist(), start)
        for ev in events:
            self.ref.apply(*ev)
        self.days += length

    @rule(data=st.data())
    def query(self, data: st.DataObject) -> None:
        u, v = self._vertex(data, "u"), self._vertex(data, "v")
        assert self._g().connected(u, v) == self.ref.connected(u, v)
        assert self._g().has_edge(u, v) == self.ref.has_edge(u, v)

    def teardown(self) -> None:
        if self.g is not None:
            s = self.g.stats
            event(f"retriggers: {'yes' if s.retriggers else 'no'}, root: {'yes' if s.root_retriggers else 'no'}")
            event(f"reschedules: {'yes' if s.reschedules else 'no'}, early: {'yes' if s.early_events else 'no'}")
            event(f"days: {'>= 50' if s.days >= 50 else '< 50'}")
            if s.race is not None:
                event(f"lifted answered: {'yes' if s.race.days_lifted else 'no'}")

    # invariants -----------------------------------------------------------------
    @invariant()
    def structure_check(self) -> None:
        if self.g is not None:
            self.g.check()

    @invariant()
    def agrees_with_networkx(self) -> None:
        if self.g is None:
            return
        assert self.g.day == self.days
        assert self.g.stats.days == self.days
        assert_same(self.g, self.ref)


ConnectivityMachine.TestCase.settings = settings(stateful_step_count=40)
TestConnectivityMachine = pytest.mark.boundscheck(ConnectivityMachine.TestCase)


# ---------------------------------------------------------------------------------
# run(batch) versus a step-by-step replay
# ---------------------------------------------------------------------------------
@given(
    n=st.integers(1, 8),
    prefix_len=st.integers(0, 25),
    length=st.integers(0, 60),
    seed=st.integers(0, 2**32 - 1),
    mode=st.sampled_from(MODES),
    deterministic=st.booleans(),
    pd_rate=st.sampled_from([0.0, 0.5, 1.0]),
    backstop=st.sampled_from([None, "hdt"]),
    share=st.sampled_from([1.0, 0.25]),
)
def test_run_equals_step_replay(
    n: int, prefix_len: int, length: int, seed: int, mode: str, deterministic: bool, pd_rate: float,
    backstop: str | None, share: float,
) -> None:
    rng = np.random.default_rng(seed)
    prefix = random_events(rng, n, prefix_len, hot=2)
    ref = NaiveGraph(n)
    for ev in prefix:
        ref.apply(*ev)
    start = ref.sorted_edges()
    events = random_events(rng, n, length, start, hot=2)
    preds = make_predictions(prefix + events, mode, seed=seed, scale=int(rng.integers(1, 51)))
    kw = dict(seed=seed, deterministic_schedule=deterministic, backstop=backstop, backstop_share=share)
    g_run = DynamicConnectivity(n, preds, **kw)  # type: ignore[arg-type]
    g_step = DynamicConnectivity(n, preds, **kw)  # type: ignore[arg-type]
    for op, u, v in prefix:
        for g in (g_run, g_step):
            g.insert(u, v) if op == 1 else g.delete(u, v)
    day0 = g_run.day
    nq = int(rng.integers(0, 20))
    qd = np.sort(rng.integers(0, length + 1, size=nq))
    queries = np.stack([qd, rng.integers(0, n, nq), rng.integers(0, n, nq)], axis=1).astype(np.int64)
    pd = np.where(rng.random(length) < pd_rate, np.arange(length) + 2 + rng.integers(0, 30, size=length),
                  0).astype(np.int64)

    out = g_run.run(make_batch(events), queries, predicted_deletions=pd)

    stepped: list[bool] = []
    qi = 0
    for day in range(length + 1):
        if day > 0:
            op, u, v = events[day - 1]
            if op == 1:
                p = int(pd[day - 1])
                g_step.insert(u, v, predicted_deletion=p + day0 if p > 0 else None)
            else:
                g_step.delete(u, v)
        while qi < nq and queries[qi, 0] == day:
            stepped.append(g_step.connected(int(queries[qi, 1]), int(queries[qi, 2])))
            qi += 1
    expected = replay_answers(n, events, queries.tolist(), start)
    assert out.tolist() == expected
    assert stepped == expected
    assert sorted(map(tuple, g_run.edges().tolist())) == sorted(map(tuple, g_step.edges().tolist()))
    assert g_run.num_components == g_step.num_components
    assert g_run.day == g_step.day == prefix_len + length
    # the same algorithm on the same input: the same deterministic work counters
    assert g_run.stats == g_step.stats
    g_run.check()
    g_step.check()


# ---------------------------------------------------------------------------------
# long runs: past the initial horizon of 1024 days
# ---------------------------------------------------------------------------------
LONG = 3000


def _long_sequence(seed: int) -> tuple[int, list[Event], predictors.PredictionArrays, np.ndarray]:
    """A 3000-day sequence on 12 vertices, predictions of its first 800 days only
    (so the horizon must grow), and predicted deletions for the inserts after that."""
    n = 12
    rng = np.random.default_rng(seed)
    events = random_events(rng, n, LONG, hot=4)
    preds = predictors.perturbed(make_batch(events[:800]), 4.0, seed=seed, drop=0.2)
    # true deletion day of each insert (0: never), then noise; only after day 800
    nxt_del: dict[tuple[int, int], int] = {}
    pd = np.zeros(LONG, dtype=np.int64)
    for k in range(LONG - 1, -1, -1):
        op, u, v = events[k]
        if op == 0:
            nxt_del[(u, v)] = k + 1
        else:
            d = nxt_del.pop((u, v), 0)
            if k >= 800 and d > 0 and rng.random() < 0.7:
                pd[k] = max(k + 2, d + int(rng.integers(-20, 21)))  # after the insertion (day k + 1)
    return n, events, preds, pd


@pytest.mark.boundscheck
@pytest.mark.parametrize("backstop", [None, "hdt"])
def test_long_step_api_doubles_horizon(backstop: str | None) -> None:
    n, events, preds, pd = _long_sequence(11)
    g = DynamicConnectivity(n, preds, seed=3, backstop=backstop)
    ref = NaiveGraph(n)
    rng = np.random.default_rng(5)
    for k, (op, u, v) in enumerate(events):
        if op == 1:
            g.insert(u, v, predicted_deletion=int(pd[k]) if pd[k] > 0 else None)
        else:
            g.delete(u, v)
        ref.apply(op, u, v)
        assert g.num_components == ref.num_components
        assert g.num_edges == ref.num_edges
        lab = ref.component_labels()
        for a, b in rng.integers(0, n, size=(3, 2)).tolist():
            assert g.connected(a, b) == (lab[a] == lab[b])
        if k % 100 == 99:
            g.check()
            assert_same(g, ref)
    g.check()
    assert_same(g, ref)
    st_ = g.stats
    assert st_.days == LONG
    if backstop is None:  # raced, the lifted side may lag before the horizon
        assert st_.horizon_doublings >= 1
        assert st_.horizon >= LONG
    else:
        assert st_.race is not None and st_.race.days_lifted + st_.race.days_backstop == LONG


@pytest.mark.parametrize("backstop", [None, "hdt"])
def test_long_run_api_doubles_horizon_and_matches_steps(backstop: str | None) -> None:
    n, events, preds, pd = _long_sequence(12)
    rng = np.random.default_rng(6)
    g_run = DynamicConnectivity(n, preds, seed=4, backstop=backstop)
    g_step = DynamicConnectivity(n, preds, seed=4, backstop=backstop)
    start: list[tuple[int, int]] = []
    ref = NaiveGraph(n)
    pos = 0
    for chunk in (700, 1, 1300, 999):  # 3000 days in uneven batches
        ev = events[pos : pos + chunk]
        day0 = g_run.day
        qd = np.repeat(np.arange(chunk + 1), 2)
        queries = np.stack([qd, rng.integers(0, n, qd.size), rng.integers(0, n, qd.size)], axis=1)
        # the run API takes predicted deletions relative to the batch
        rel = np.where(pd[pos : pos + chunk] > day0, pd[pos : pos + chunk] - day0, 0)
        assert np.all((rel == 0) | (rel > np.arange(chunk) + 1))
        out = g_run.run(make_batch(ev), queries, predicted_deletions=rel)
        assert out.tolist() == replay_answers(n, ev, queries.tolist(), start)
        for k, (op, u, v) in enumerate(ev):
            if op == 1:
                g_step.insert(u, v, predicted_deletion=int(rel[k]) + day0 if rel[k] > 0 else None)
            else:
                g_step.delete(u, v)
            ref.apply(op, u, v)
            if (pos + k) % 100 == 99:
                g_step.check()
        start = ref.sorted_edges()
        pos += chunk
        g_run.check()
        assert_same(g_run, ref)
    assert pos == LONG
    if backstop is None:
        assert g_run.stats.horizon_doublings >= 1
    assert g_run.stats == g_step.stats
    assert_same(g_step, ref)


def test_exact_long_predictions_cover_the_horizon() -> None:
    """With exact predictions of 3000 days the horizon is known up front: no doubling, no retrigger."""
    n, events, _, _ = _long_sequence(13)
    batch = make_batch(events)
    g = DynamicConnectivity(n, predictors.exact(batch), seed=1, backstop=None)
    qd = np.arange(LONG + 1)
    rng = np.random.default_rng(0)
    queries = np.stack([qd, rng.integers(0, n, qd.size), rng.integers(0, n, qd.size)], axis=1)
    out = g.run(batch, queries)
    assert out.tolist() == replay_answers(n, events, queries.tolist())
    g.check()
    s = g.stats
    assert s.horizon_doublings == 0 and s.retriggers == 0 and s.reschedules == 0
    assert s.early_events == 0 and s.unpredicted_inserts == 0
