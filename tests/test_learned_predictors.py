"""Tests of :mod:`predictors.learned`: online deletion predictors and their driver."""

from __future__ import annotations

import math
import time as _time
from typing import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

from dynalgo import DynamicConnectivity, college_msg
from dynalgo.datasets import TemporalEdges
from dynalgo.offline import offline_connectivity
from dynalgo.updates import UpdateBatch
from dynalgo.workloads import SlidingWindow, sliding_window
from predictors import l1_error, l1_error_arrays
from predictors.learned import (
    DeletionPredictor,
    LifetimePredictor,
    P2Quantile,
    RepeatPeriodPredictor,
    SlidingWindowPredictor,
    UpdateRate,
    deletion_predictions,
    exact_time_to_day,
    predict_deletions,
)

DAY = 86_400


# ---------------------------------------------------------------------------------
# helpers


def true_deletions(op: NDArray[np.int64] | list[int], u: list[int], v: list[int]) -> NDArray[np.int64]:
    """Per insert row, the (1-based) day of the deletion of that instance; 0 elsewhere."""
    out = np.zeros(len(op), dtype=np.int64)
    open_: dict[tuple[int, int], int] = {}
    for i, (o, a, b) in enumerate(zip(list(op), u, v)):
        key = (min(a, b), max(a, b))
        if o == 1:
            open_[key] = i
        else:
            out[open_.pop(key)] = i + 1
    return out


def run_on(p: DeletionPredictor, sw: SlidingWindow) -> NDArray[np.int64]:
    b = sw.batch
    return predict_deletions(p, b.op, b.u, b.v, sw.time)


def l1_deletions(batch: UpdateBatch, pd: NDArray[np.int64]) -> int:
    """l1 error of the predicted-deletion model: inserts on their days, deletions on pd."""
    p = deletion_predictions(batch, pd)
    return l1_error_arrays(p.op, p.u, p.v, p.day, batch.op, batch.u, batch.v)


def all_predictors(window: int, times: NDArray[np.int64] | None = None) -> list[tuple[str, DeletionPredictor]]:
    ps: list[tuple[str, DeletionPredictor]] = [
        ("sliding window, learned rate", SlidingWindowPredictor(window)),
        ("sliding window, mean rate", SlidingWindowPredictor(window, rate_tau=math.inf)),
        ("lifetime (days)", LifetimePredictor()),
        ("lifetime (time)", LifetimePredictor(rate_tau=float(window))),
        ("lifetime, pair only", LifetimePredictor(alpha=1.0, vertex_weight=0.0, quantile=0.9)),
        ("repeat period", RepeatPeriodPredictor()),
    ]
    if times is not None:
        ps.append(("sliding window, exact time_to_day", SlidingWindowPredictor(window, exact_time_to_day(times))))
    return ps


@pytest.fixture(scope="module")
def college_day() -> SlidingWindow:
    return sliding_window(college_msg(), DAY)


# sequences of valid updates: (op, u, v, time) with non-decreasing times
@st.composite
def valid_sequences(draw: st.DrawFn, max_len: int = 60) -> tuple[list[int], list[int], list[int], list[int]]:
    n = draw(st.integers(2, 6))
    steps = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(0, 5)), max_size=max_len))
    present: set[tuple[int, int]] = set()
    op: list[int] = []
    us: list[int] = []
    vs: list[int] = []
    ts: list[int] = []
    t = draw(st.integers(0, 10))
    for a, b, gap in steps:
        key = (min(a, b), max(a, b))
        t += gap
        if key in present:
            present.remove(key)
            op.append(0)
        else:
            present.add(key)
            op.append(1)
        us.append(key[0])
        vs.append(key[1])
        ts.append(t)
    return op, us, vs, ts


# ---------------------------------------------------------------------------------
# (a) the driver never lets a predictor see the future


class Spy:
    """Records every call and checks, at each call, that only the past was revealed."""

    def __init__(self, op: list[int], u: list[int], v: list[int], t: list[int], first_day: int) -> None:
        self.rows = list(zip(op, u, v, t))
        self.first_day = first_day
        self.calls: list[tuple[str, int]] = []
        self.observed = 0
        self.resets = 0
        self.pending_predict: int | None = None

    def reset(self) -> None:
        assert not self.calls, "reset after the replay started"
        self.resets += 1

    def predict(self, day: int, time: int, u: int, v: int) -> int:
        i = day - self.first_day
        # exactly the updates of earlier days have been observed
        assert self.observed == i, f"predict on day {day} after observing {self.observed} updates"
        assert self.pending_predict is None
        o, a, b, t = self.rows[i]
        assert o == 1 and (a, b, t) == (u, v, time)
        assert all(type(x) is int for x in (day, time, u, v))
        self.calls.append(("predict", day))
        self.pending_predict = day
        return day + 1 + (u + v) % 3

    def observe(self, day: int, time: int, op: int, u: int, v: int) -> None:
        i = day - self.first_day
        assert self.observed == i, f"observe of day {day} out of order"
        assert self.rows[i] == (op, u, v, time)
        assert all(type(x) is int for x in (day, time, op, u, v))
        if op == 1:
            assert self.pending_predict == day, "an insertion must be predicted before it is observed"
        self.pending_predict = None
        self.calls.append(("observe", day))
        self.observed += 1


@given(valid_sequences(), st.integers(1, 50))
def test_driver_order_never_reveals_the_future(seq: tuple[list[int], list[int], list[int], list[int]], first_day: int) -> None:
    op, u, v, t = seq
    spy = Spy(op, u, v, t, first_day)
    assert isinstance(spy, DeletionPredictor)
    pd = predict_deletions(spy, op, u, v, t, first_day=first_day)
    assert spy.resets == 1
    assert spy.observed == len(op)
    expected: list[tuple[str, int]] = []
    for i, o in enumerate(op):
        d = first_day + i
        if o == 1:
            expected.append(("predict", d))
        expected.append(("observe", d))
    assert spy.calls == expected
    days = first_day + np.arange(len(op))
    ins = np.asarray(op, dtype=np.int64) == 1
    assert pd.dtype == np.int64 and pd.shape == (len(op),)
    assert np.array_equal(pd[~ins], np.zeros(int((~ins).sum()), np.int64))
    assert np.array_equal(pd[ins], days[ins] + 1 + (np.asarray(u) + np.asarray(v))[ins] % 3)


@given(valid_sequences())
def test_predictions_are_causal(seq: tuple[list[int], list[int], list[int], list[int]]) -> None:
    """A prediction is the same whether or not the later updates exist."""
    op, u, v, t = seq
    for _, p in all_predictors(7):
        full = predict_deletions(p, op, u, v, t)
        for k in range(0, len(op) + 1, max(len(op) // 4, 1)):
            assert np.array_equal(predict_deletions(p, op[:k], u[:k], v[:k], t[:k]), full[:k])


def test_driver_reset_and_continue() -> None:
    op, u, v = [1, 0, 1, 0, 1, 0], [0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1]
    p = RepeatPeriodPredictor()
    a = predict_deletions(p, op, u, v)
    assert np.array_equal(predict_deletions(p, op, u, v), a)  # reset: same answer
    # continuing without reset equals the tail of one long replay
    first = predict_deletions(p, op[:3], u[:3], v[:3])
    rest = predict_deletions(p, op[3:], u[3:], v[3:], first_day=4, reset=False)
    assert np.array_equal(np.concatenate([first, rest]), a)


def test_driver_rejects_bad_input() -> None:
    class Bad:
        def reset(self) -> None: ...

        def predict(self, day: int, time: int, u: int, v: int) -> int:
            return day

        def observe(self, day: int, time: int, op: int, u: int, v: int) -> None: ...

    with pytest.raises(ValueError, match="later than the insertion day"):
        predict_deletions(Bad(), [1], [0], [1])
    p = RepeatPeriodPredictor()
    with pytest.raises(ValueError, match="non-decreasing"):
        predict_deletions(p, [1, 1], [0, 1], [1, 2], [5, 4])
    with pytest.raises(ValueError, match="equal lengths"):
        predict_deletions(p, [1, 1], [0], [1, 2])
    with pytest.raises(ValueError, match="time must have the length"):
        predict_deletions(p, [1, 1], [0, 1], [1, 2], [5])
    with pytest.raises(ValueError, match="op must hold"):
        predict_deletions(p, [2], [0], [1])
    with pytest.raises(ValueError, match="first_day"):
        predict_deletions(p, [1], [0], [1], first_day=0)
    assert predict_deletions(p, [], [], []).shape == (0,)


# ---------------------------------------------------------------------------------
# (b) exactness of the window rule when no pair repeats within the window


def non_repeating_edges(seed: int, m: int, window: int) -> TemporalEdges:
    """Events at distinct times; a pair's events are at least ``window`` apart."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.integers(1, window // 3, size=3 * m))
    last: dict[tuple[int, int], int] = {}
    src, dst, tm = [], [], []
    for x in t.tolist():
        a, b = (int(y) for y in rng.integers(0, 8, size=2))
        if a == b:
            continue
        key = (min(a, b), max(a, b))
        if key in last and x < last[key] + window:
            continue
        last[key] = x
        src.append(a + 100)
        dst.append(b + 100)
        tm.append(x)
        if len(tm) == m:
            break
    return TemporalEdges.from_arrays(src, dst, tm)


def test_sliding_window_exact_small() -> None:
    # pairs {0,1} and {2,3} alternate; each pair's events are >= W apart
    # (an expiry at 14 and a new message at 14 coincide: expiry first)
    e = TemporalEdges.from_arrays([0, 2, 1, 3, 0], [1, 3, 0, 2, 1], [0, 4, 10, 14, 25])
    sw = sliding_window(e, 10)
    pd = run_on(SlidingWindowPredictor(10, exact_time_to_day(sw.time)), sw)
    ins = sw.batch.op == 1
    assert np.array_equal(pd[ins], sw.true_deletion[ins])
    assert np.array_equal(pd, sw.true_deletion)


@pytest.mark.parametrize("seed", range(5))
def test_sliding_window_exact_without_repeats(seed: int) -> None:
    window = 30
    e = non_repeating_edges(seed, 150, window)
    sw = sliding_window(e, window)
    ins = sw.batch.op == 1
    assert np.array_equal(sw.predicted_deletion, sw.true_deletion)  # no repeats: the rule is right
    pd = run_on(SlidingWindowPredictor(window, time_to_day=exact_time_to_day(sw.time)), sw)
    assert np.array_equal(pd[ins], sw.true_deletion[ins])
    assert l1_deletions(sw.batch, pd) == 0


def test_sliding_window_exact_map_matches_window_rule_on_college(college_day: SlidingWindow) -> None:
    """With repeats the exact map reproduces the workload's own window-rule prediction
    (up to expiries that share a second)."""
    sw = college_day
    ins = sw.batch.op == 1
    pd = run_on(SlidingWindowPredictor(DAY, exact_time_to_day(sw.time)), sw)
    assert np.mean(pd[ins] == sw.predicted_deletion[ins]) > 0.99
    assert np.all(pd[ins] <= sw.true_deletion[ins])


def test_sliding_window_learned_rate_on_constant_rate() -> None:
    """At a constant rate the learned rate converges and the rule is nearly exact."""
    # pair i talks once at time 10 i: one insert per 10 s, each expiring W = 100 s later,
    # so 0.2 updates per second in the steady state
    m = 400
    e = TemporalEdges.from_arrays(2 * np.arange(m), 2 * np.arange(m) + 1, 10 * np.arange(m))
    sw = sliding_window(e, 100)
    ins = np.flatnonzero(sw.batch.op == 1)
    p = SlidingWindowPredictor(100, rate_tau=1000.0)
    half = len(sw) // 2
    predict_deletions(p, sw.batch.op[:half], sw.batch.u[:half], sw.batch.v[:half], sw.time[:half])
    assert p.rate(int(sw.time[half])) == pytest.approx(0.2, rel=0.05)
    pd = run_on(p, sw)
    steady = ins[100:-10]  # skip the warm-up and the inserts that expire in the drain
    # 18 updates lie strictly between an insert and its expiry; the rate x W rule says 20
    # (it is exact in expectation for Poisson arrivals, not for a regular grid)
    err = pd[steady] - sw.true_deletion[steady]
    assert err.min() >= 0 and err.max() <= 2


# ---------------------------------------------------------------------------------
# (c) on CollegeMsg the learned lifetimes beat a constant guess


def test_lifetime_beats_constant_on_college_msg(college_day: SlidingWindow) -> None:
    sw = college_day
    b = sw.batch
    T = len(b)
    ins = np.flatnonzero(b.op == 1)
    lifetimes = sw.true_deletion[ins] - (ins + 1)
    # oracle constant: the median lifetime of the *whole* sequence
    const = np.zeros(T, dtype=np.int64)
    const[ins] = ins + 1 + int(np.median(lifetimes))
    l1_const = l1_deletions(b, const)

    t0 = _time.perf_counter()
    pd_life = run_on(LifetimePredictor(alpha=0.3, quantile=0.5), sw)
    elapsed = _time.perf_counter() - t0
    assert elapsed < 1.0, f"driver took {elapsed:.2f} s on {T} updates"
    l1_life = l1_deletions(b, pd_life)
    assert l1_life < 0.95 * l1_const

    # the same in the library's own terms
    assert l1_life == l1_error(deletion_predictions(b, pd_life), b)
    # learning lifetimes in seconds and converting with the rate does better still
    l1_time = l1_deletions(b, run_on(LifetimePredictor(rate_tau=float(DAY)), sw))
    assert l1_time < 0.75 * l1_const
    # the window rule with a learned rate beats the constant too
    assert l1_deletions(b, run_on(SlidingWindowPredictor(DAY), sw)) < 0.75 * l1_const
    # and no prediction is worst of all
    assert l1_deletions(b, np.zeros(T, np.int64)) > l1_const


# ---------------------------------------------------------------------------------
# (d) repeat-period is exact on periodic workloads after the first period


def periodic_workload(seed: int, pairs: int, periods: int) -> tuple[list[int], list[int], list[int], int]:
    rng = np.random.default_rng(seed)
    period = 2 * pairs
    slots = rng.permutation(period)
    op_p = [0] * period
    u_p = [0] * period
    v_p = [0] * period
    for k in range(pairs):
        s, e = sorted(slots[2 * k : 2 * k + 2].tolist())
        a, b = k, k + 1 + int(rng.integers(0, 3))
        op_p[s], op_p[e] = 1, 0
        u_p[s] = u_p[e] = a
        v_p[s] = v_p[e] = b
    return op_p * periods, u_p * periods, v_p * periods, period


@pytest.mark.parametrize("seed", range(4))
def test_repeat_period_exact_after_first_period(seed: int) -> None:
    op, u, v, period = periodic_workload(seed, 25, 4)
    truth = true_deletions(op, u, v)
    pd = predict_deletions(RepeatPeriodPredictor(), op, u, v)
    ins = np.flatnonzero(np.asarray(op) == 1)
    later = ins[ins >= period]
    assert np.array_equal(pd[later], truth[later])
    first = ins[ins < period]
    assert not np.array_equal(pd[first], truth[first])  # the first period has to be learned
    # the l1 error comes from the first period only
    b = UpdateBatch.from_arrays(op, u, v)
    only_later = pd.copy()
    only_later[first] = truth[first]
    assert l1_deletions(b, only_later) == 0


def test_lifetime_with_alpha_one_is_exact_on_periodic() -> None:
    op, u, v, period = periodic_workload(7, 20, 3)
    truth = true_deletions(op, u, v)
    pd = predict_deletions(LifetimePredictor(alpha=1.0, vertex_weight=0.0), op, u, v)
    later = np.flatnonzero(np.asarray(op) == 1)
    later = later[later >= period]
    assert np.array_equal(pd[later], truth[later])


# ---------------------------------------------------------------------------------
# (e) every predicted day is after the insertion day


@given(valid_sequences(80))
def test_predicted_day_after_insertion(seq: tuple[list[int], list[int], list[int], list[int]]) -> None:
    op, u, v, t = seq
    days = np.arange(1, len(op) + 1)
    ins = np.asarray(op, dtype=np.int64) == 1
    for name, p in all_predictors(3, np.asarray(t, dtype=np.int64)):
        pd = predict_deletions(p, op, u, v, t)
        assert np.all(pd[ins] > days[ins]), name
        assert np.all(pd[~ins] == 0), name


@pytest.mark.parametrize("window", [3600, DAY, 7 * DAY])
def test_predicted_day_after_insertion_on_college(window: int) -> None:
    sw = sliding_window(college_msg(), window)
    ins = np.flatnonzero(sw.batch.op == 1)
    for name, p in all_predictors(window, sw.time):
        pd = run_on(p, sw)
        assert np.all(pd[ins] > ins + 1), name
        assert np.count_nonzero(pd) == ins.size, name


def test_all_updates_at_one_instant() -> None:
    """Equal times: the rate's elapsed time is floored, predictions stay valid."""
    op, u, v = [1, 1, 0, 1, 0, 0], [0, 1, 0, 0, 1, 0], [1, 2, 1, 1, 2, 1]
    for name, p in all_predictors(10, np.zeros(6, np.int64)):
        pd = predict_deletions(p, op, u, v, [0] * 6)
        assert all(pd[i] > i + 1 for i in range(6) if op[i] == 1), name


# ---------------------------------------------------------------------------------
# (f) connectivity stays exact with every learned predictor


@pytest.fixture(scope="module")
def college_prefix(college_day: SlidingWindow) -> tuple[SlidingWindow, UpdateBatch, NDArray[np.int64]]:
    sw = college_day
    k = 3000
    b = sw.batch[:k]
    rng = np.random.default_rng(1)
    q = np.stack([np.arange(1, k + 1), rng.integers(0, sw.n, k), rng.integers(0, sw.n, k)], axis=1)
    return sw, b, q


@pytest.mark.parametrize(
    "make",
    [
        lambda sw: SlidingWindowPredictor(DAY),
        lambda sw: SlidingWindowPredictor(DAY, exact_time_to_day(sw.time)),
        lambda sw: LifetimePredictor(),
        lambda sw: LifetimePredictor(rate_tau=float(DAY)),
        lambda sw: RepeatPeriodPredictor(),
    ],
    ids=["sw-rate", "sw-exact", "lifetime", "lifetime-time", "repeat"],
)
def test_connectivity_answers_equal_offline(
    college_prefix: tuple[SlidingWindow, UpdateBatch, NDArray[np.int64]],
    make: Callable[[SlidingWindow], DeletionPredictor],
) -> None:
    sw, b, q = college_prefix
    k = len(b)
    pd = predict_deletions(make(sw), b.op, b.u, b.v, sw.time[:k])
    ref = offline_connectivity(sw.n, b, q)
    g = DynamicConnectivity(sw.n)
    got = g.run(b, q, predicted_deletions=pd)
    assert np.array_equal(got, ref)
    g.check()


# ---------------------------------------------------------------------------------
# building blocks


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
@pytest.mark.parametrize("dist", ["uniform", "exponential", "lognormal"])
def test_p2_quantile_close_to_sample_quantile(p: float, dist: str) -> None:
    rng = np.random.default_rng(3)
    draw: dict[str, Callable[[int], NDArray[np.float64]]] = {
        "uniform": lambda k: rng.random(k),
        "exponential": lambda k: rng.exponential(size=k),
        "lognormal": lambda k: rng.lognormal(size=k),
    }
    x = draw[dist](20_000)
    q = P2Quantile(p)
    for y in x.tolist():
        q.observe(y)
    est = q.value()
    assert est is not None and q.count == x.size
    # compare in rank space: the estimate's empirical CDF is close to p
    assert abs(float(np.mean(x <= est)) - p) < 0.01


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=5), st.floats(0.05, 0.95))
def test_p2_quantile_exact_on_few(xs: list[int], p: float) -> None:
    q = P2Quantile(p)
    for x in xs:
        q.observe(x)
    assert q.value() == pytest.approx(float(np.quantile(xs, p)))


def test_p2_quantile_validation_and_reset() -> None:
    for bad in (0.0, 1.0, -1, True, "0.5"):
        with pytest.raises(ValueError):
            P2Quantile(bad)  # type: ignore[arg-type]
    q = P2Quantile(0.5)
    for x in range(100):
        q.observe(x)
    q.reset()
    assert q.value() is None and q.count == 0


def test_update_rate() -> None:
    r = UpdateRate(math.inf)
    for t in range(0, 1000, 4):
        r.observe(t)
    assert r.rate(1000) == pytest.approx(0.25)
    r = UpdateRate(100.0)
    for t in range(0, 10_000, 2):  # 0.5 per second, then silence
        r.observe(t)
    assert r.rate(9999) == pytest.approx(0.5, rel=0.01)
    late = r.rate(10_500)
    assert late is not None and late < 0.5 * math.exp(-4)
    for bad in (0, -1.0, math.nan, True):
        with pytest.raises(ValueError):
            UpdateRate(bad)


def test_exact_time_to_day_and_deletion_predictions() -> None:
    f = exact_time_to_day([3, 3, 7], first_day=10)
    assert [f(0), f(3), f(4), f(7), f(8)] == [10, 10, 12, 12, 13]
    with pytest.raises(ValueError):
        exact_time_to_day([2, 1])
    b = UpdateBatch.from_arrays([1, 1, 0, 0], [0, 1, 0, 1], [1, 2, 1, 2])
    assert l1_deletions(b, np.array([3, 4, 0, 0])) == 0
    assert l1_deletions(b, np.array([0, 4, 0, 0])) == len(b)  # one deletion unpredicted
    with pytest.raises(ValueError):
        deletion_predictions(b, [1, 2])


def test_predictor_parameter_validation() -> None:
    with pytest.raises(ValueError):
        SlidingWindowPredictor(0)
    with pytest.raises(ValueError):
        SlidingWindowPredictor(10, time_to_day=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LifetimePredictor(alpha=0.0)
    with pytest.raises(ValueError):
        LifetimePredictor(quantile=1.5)
    with pytest.raises(ValueError):
        LifetimePredictor(vertex_weight=-1)
    with pytest.raises(ValueError):
        RepeatPeriodPredictor(initial=0)
    for _, p in all_predictors(5):
        assert isinstance(p, DeletionPredictor)
        assert repr(p)
