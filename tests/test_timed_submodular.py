"""TimedSubmodular: time-keyed items, expiries, renewals, early deletes, chunks.

The model is a dict item -> expiry (an item is present while its latest expiry is
after the clock).  Answers are checked against brute-force OPT on the present
items (Sieve-Streaming's ``(1/2 - eps)`` guarantee) and against a plain-Python
Sieve-Streaming (``structures.sieve.reference``) run on the present items in the
order the structure applied them; ``check()`` also reruns the compiled sieve on
that order and compares the states bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import dynalgo
from dynalgo import (
    Coverage,
    InvalidInputError,
    ItemError,
    MissingElementError,
    TimedSubmodular,
    TimelineError,
)
from dynalgo.timeline import NEVER
from structures import sieve as _sv
from tests.submodular_naive import brute_opt, f_direct, random_objective, same_snapshot, snapshot

EPS = 0.1


def _reference(s: TimedSubmodular) -> tuple[list[int], float]:
    obj = s.objective
    return _sv.reference(obj.singletons(), s._sieve.tau, s.k, obj.gain, s.path_order().tolist())


def _agrees(s: TimedSubmodular, present: list[int]) -> None:
    """The answer is the sieve's on the stack order, within the guarantee of OPT."""
    assert sorted(s.path_order().tolist()) == sorted(present)
    assert s.items().tolist() == sorted(present)
    sol, val = s.solution(), s.value()
    ref_sol, ref_val = _reference(s)
    assert sorted(sol.tolist()) == sorted(ref_sol)
    assert val == pytest.approx(ref_val, rel=1e-9, abs=1e-9)
    assert set(sol.tolist()) <= set(present) and len(sol) <= s.k
    assert val == pytest.approx(f_direct(s.objective, sol.tolist()), rel=1e-9, abs=1e-9)
    opt = brute_opt(s.objective, present, s.k)
    assert val >= (0.5 - EPS) * opt - 1e-9


class TimedSubmodularMachine(RuleBasedStateMachine):
    """Random timelines: several updates per time, expiries that coincide with queries,
    renewals, early deletes, chunks, rejected calls."""

    @initialize(kind=st.sampled_from(["coverage", "facility", "feature"]), n=st.integers(2, 7),
                k=st.integers(1, 3), seed=st.integers(0, 2**16))
    def setup(self, kind: str, n: int, k: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.f = random_objective(kind, n, int(rng.integers(2, 7)), rng)
        self.n = n
        self.s = TimedSubmodular(self.f, k, eps=EPS)
        self.live: dict[int, int] = {}
        self.clock = -3

    def _tick(self, dt: int) -> int:
        self.clock += dt
        self.live = {e: x for e, x in self.live.items() if x > self.clock}
        return self.clock

    def _present(self) -> list[int]:
        return sorted(self.live)

    @rule(item=st.integers(0, 6), dt=st.integers(0, 2), life=st.one_of(st.none(), st.integers(1, 6)))
    def insert(self, item: int, dt: int, life: int | None) -> None:
        e = item % self.n
        t = self._tick(dt)
        x = None if life is None else t + life
        self.s.insert(e, time=t, expiry=x)
        xx = NEVER if x is None else x
        self.live[e] = max(self.live.get(e, xx), xx)

    @precondition(lambda self: bool(self.live))
    @rule(i=st.integers(0, 100), dt=st.integers(0, 2))
    def delete(self, i: int, dt: int) -> None:
        t = self._tick(dt)
        keys = self._present()
        if not keys:
            with pytest.raises(MissingElementError):
                self.s.delete(0, time=t)
            self.s.advance(t)
            return
        e = keys[i % len(keys)]
        self.s.delete(e, time=t)
        del self.live[e]

    @rule(dt=st.integers(0, 3))
    def query(self, dt: int) -> None:
        t = self._tick(dt)
        v = self.s.value(time=t)
        assert v == self.s.value()
        _agrees(self.s, self._present())

    @rule(rows=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 2), st.one_of(st.none(), st.integers(1, 5))),
                        max_size=6),
          qdt=st.lists(st.integers(0, 3), max_size=4), data=st.data())
    def chunk(self, rows: list[tuple[int, int, int | None]], qdt: list[int], data: st.DataObject) -> None:
        """A chunk of insertions (times may repeat) with queries between them, some at expiries."""
        t = self.clock
        items, times, exps = [], [], []
        for item, dt, life in rows:
            t += dt
            items.append(item % self.n)
            times.append(t)
            exps.append(NEVER if life is None else t + life)
        qt: list[int] = []
        q = self.clock
        for dt in qdt:
            q += dt
            qt.append(q)
        due = sorted({x for x in exps if x != NEVER} | {x for x in self.live.values() if x != NEVER})
        if due and data.draw(st.booleans()):
            qt = sorted(qt + [max(due[0], self.clock)])  # a query at an expiry
        got = self.s.extend(items, times, exps, qt)
        # replay the model: at each time, expiries, then insertions, then queries
        events = sorted([(tt, 0, i) for i, tt in enumerate(times)] + [(tt, 1, j) for j, tt in enumerate(qt)])
        want_present = []
        for tt, kind, i in events:
            self.clock = max(self.clock, tt)
            self._tick(0)
            if kind == 0:
                e = items[i]
                self.live[e] = max(self.live.get(e, exps[i]), exps[i])
            else:
                want_present.append(sorted(self.live))
        self._tick(0)
        assert got.shape == (len(qt),)
        for v, pres in zip(got.tolist(), want_present):
            opt = brute_opt(self.f, pres, self.s.k)
            assert v >= (0.5 - EPS) * opt - 1e-9 and v <= opt + 1e-9

    @rule(item=st.integers(0, 6))
    def rejected_calls_leave_state(self, item: int) -> None:
        e = item % self.n
        before = snapshot(self.s)
        if e not in self.live:
            with pytest.raises(MissingElementError):
                self.s.delete(e, time=self.clock)
        if self.s.time is not None:
            with pytest.raises(TimelineError):
                self.s.insert(e, time=self.s.time - 1, expiry=self.clock + 1)
            with pytest.raises(TimelineError):
                self.s.value(time=self.s.time - 1)
            with pytest.raises(TimelineError):
                self.s.extend([e, e], [self.s.time, self.s.time - 1])
        with pytest.raises(TimelineError):
            self.s.insert(e, time=self.clock, expiry=self.clock)
        with pytest.raises(TimelineError):
            self.s.insert(e, time=float(self.clock))
        with pytest.raises(TimelineError):
            self.s.extend([e], [self.clock], [self.clock])
        with pytest.raises(ItemError):
            self.s.insert(self.n, time=self.clock)
        with pytest.raises(ItemError):
            self.s.extend([e, -1], [self.clock, self.clock])
        assert same_snapshot(before, snapshot(self.s))

    @invariant()
    def consistent(self) -> None:
        if not hasattr(self, "s"):
            return
        self.s.check()
        t = self.s.time if self.s.time is not None else self.clock
        present = sorted(e for e, x in self.live.items() if x > t)
        assert self.s.items().tolist() == present and len(self.s) == len(present)
        for e in present:
            assert e in self.s and self.s.expiry(e) == self.live[e]


TestTimedSubmodularMachine = TimedSubmodularMachine.TestCase


@settings(max_examples=30)
@given(n=st.integers(3, 12), m=st.integers(1, 40), chunks=st.integers(1, 4), k=st.integers(1, 4),
       seed=st.integers(0, 2**16))
def test_chunked_stream_matches_one_update_at_a_time(n: int, m: int, chunks: int, k: int, seed: int) -> None:
    """stream() over chunks and the single-update calls both answer within the guarantee of
    brute-force OPT at every query time.  Their values may differ: a chunk holds its new
    items back until the next query and pushes them soonest-to-expire on top, so the sieve
    may see the items in another order (and items that expire before any query are never
    offered at all)."""
    rng = np.random.default_rng(seed)
    f = random_objective("coverage", n, 6, rng)
    items = rng.integers(0, n, size=m)
    times = np.sort(rng.integers(0, 15, size=m))
    exps = np.where(rng.random(m) < 0.2, NEVER, times + rng.integers(1, 6, size=m))
    qt = np.sort(rng.integers(0, 20, size=max(1, m // 2)))
    cuts = np.sort(rng.integers(0, 20, size=chunks - 1))
    bounds = [-1, *cuts.tolist(), 10**9]
    pieces = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        sel = (times > a) & (times <= b)
        qs = (qt > a) & (qt <= b)
        pieces.append((items[sel], times[sel], exps[sel], qt[qs]))
    s = TimedSubmodular(f, k)
    got = np.concatenate([np.zeros(0), *s.stream(pieces)])
    s.check()
    opts = []
    one = TimedSubmodular(f, k)
    want = []
    live: dict[int, int] = {}
    events = sorted([(int(t), 0, i) for i, t in enumerate(times)] + [(int(t), 1, j) for j, t in enumerate(qt)])
    for t, kind, i in events:
        live = {e: x for e, x in live.items() if x > t}
        if kind == 0:
            e, x = int(items[i]), int(exps[i])
            one.insert(e, time=t, expiry=None if x == NEVER else x)
            live[e] = max(live.get(e, x), x)
        else:
            want.append(one.value(time=t))
            opt = brute_opt(f, sorted(live), k)
            opts.append(opt)
            assert want[-1] >= (0.5 - EPS) * opt - 1e-9
            assert sorted(one.items().tolist()) == sorted(live)
    assert got.shape == (len(want),)
    assert np.all(got >= (0.5 - EPS) * np.array(opts) - 1e-9) and np.all(got <= np.array(opts) + 1e-9)
    assert sorted(s.items().tolist()) == sorted(one.items().tolist())


def test_sliding_window_on_college_msg_activities() -> None:
    """A window of 150 activities sliding over 600: every answer is the sieve on the stack
    order (check()), and within (1/2 - eps) of lazy greedy on the window."""
    from bench.submodular import coverage_collegemsg

    f = coverage_collegemsg()
    W, N, k = 150, 600, 10
    s = TimedSubmodular(f, k)
    g = dynalgo.LazyGreedy(f, k)
    for i in range(N):
        if i >= W:
            g.delete(i - W)
        g.insert(i)
        s.insert(i, time=i, expiry=i + W)
        if i % 75 == 0 or i == N - 1:
            s.check()
            assert len(s) == min(i + 1, W)
            assert s.value() >= (0.5 - EPS) * g.value()
    st_ = s.stats
    assert st_["expired"] == N - W and st_["early_deletions"] == 0
    # O(log m) re-applications per item on a first-in first-out window
    assert st_["reapplied"] <= 4 * np.log2(W) * N


def test_an_item_coming_back_many_times_in_one_chunk() -> None:
    """Slots freed inside a chunk are reused only after it: a chunk where the same items
    expire and come back many times needs more slots than there are items."""
    f = Coverage([[0], [1, 2]])
    s = TimedSubmodular(f, k=1)
    t = np.arange(200)
    vals = s.extend(t % 2, t, t + 1, query_times=t)
    assert vals.tolist() == [1.0 if x % 2 == 0 else 2.0 for x in range(200)]
    assert len(s) == 1 and s.stats["expired"] == 199
    s.check()
    vals = s.extend(np.zeros(300, np.int64), np.arange(300, 600), np.arange(301, 601), query_times=[599, 600])
    assert vals.tolist() == [1.0, 0.0]
    s.check()


def test_renewal_and_early_delete() -> None:
    f = Coverage([[0, 1], [1, 2], [3], [4, 5, 6]])
    s = TimedSubmodular(f, k=2)
    s.extend([0, 1, 2], [0, 0, 0], [5, 5, 5])
    s.insert(0, time=3, expiry=10)            # renewal: stays until 10
    assert s.expiry(0) == 10 and s.stats["renewals"] == 1
    assert s.extend([], [], query_times=[5, 9, 10]).tolist() == [2.0, 2.0, 0.0]
    s.insert(3, time=11, expiry=NEVER)
    s.insert(1, time=11)
    assert s.value() == 5.0 and s.expiry(3) == NEVER
    s.delete(3, time=11)                      # an early delete at the time of its insertion
    assert s.value() == 2.0 and s.stats["early_deletions"] == 1
    with pytest.raises(MissingElementError):
        s.expiry(3)
    s.check()


def test_bad_arguments() -> None:
    f = Coverage([[0], [1]])
    with pytest.raises(InvalidInputError):
        TimedSubmodular(f, 0)
    with pytest.raises(InvalidInputError):
        TimedSubmodular(f, 1, eps=1.5)
    with pytest.raises(InvalidInputError):
        TimedSubmodular([[0]], 1)  # type: ignore[arg-type]
    s = TimedSubmodular(f, 1)
    for bad in (1.0, float("nan"), True, "3", None):
        with pytest.raises(TimelineError):
            s.insert(0, time=bad)  # type: ignore[arg-type]
    with pytest.raises(TimelineError):
        s.extend([0], [np.nan])
    with pytest.raises(TimelineError):
        s.extend([0], [0.5])
    with pytest.raises(TimelineError):
        s.extend([0], [1], query_times=[3, 2])
    with pytest.raises(TimelineError):
        s.insert(0, time=0, expiry=2.5)
    with pytest.raises(ItemError):
        s.insert(0.0, time=0)  # type: ignore[arg-type]
    with pytest.raises(ItemError):
        s.extend([0.5], [0])
    with pytest.raises(InvalidInputError):
        s.extend([0, 1], [0])
    with pytest.raises(InvalidInputError):
        s.extend([0], [0], [1, 2])
    with pytest.raises(InvalidInputError):
        list(s.stream([([0], [0])]))
    assert s.time is None and len(s) == 0 and s.value() == 0.0
    s.check()


def test_custom_objective() -> None:
    import numba

    @numba.njit
    def phi(kind, st_, x, w):  # type: ignore[no-untyped-def]
        return w * (min(st_ + x, 1.0) - min(st_, 1.0))

    @numba.njit
    def psi(kind, st_, x, w):  # type: ignore[no-untyped-def]
        return st_ + x

    h = dynalgo.CustomObjective([[0.5, 0.5, 0.0], [0.75, 0.0, 0.25], [0.0, 1.0, 1.0]], phi, psi)
    s = TimedSubmodular(h, k=2)
    vals = s.extend([0, 1, 2], [0, 1, 2], [10, 3, 10], query_times=[2, 3])
    assert vals.shape == (2,) and vals[0] >= (0.5 - EPS) * h.value([1, 2]) - 1e-9
    s.check()
    assert vals[1] >= (0.5 - EPS) * h.value([0, 2]) - 1e-9
