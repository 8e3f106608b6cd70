"""Tests of :mod:`predictors`: the generators and the l1 prediction error."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray
from hypothesis import given
from hypothesis import strategies as st

import dynalgo.updates as du
import predictors
from predictors import PredictionArrays, exact, garbage, l1_error, l1_error_arrays, perturbed

# ---------------------------------------------------------------------------------
# helpers


def batch(ops: list[int], us: list[int], vs: list[int]) -> du.UpdateBatch:
    return du.UpdateBatch.from_arrays(ops, us, vs)


def l1_reference(
    pred: Sequence[Sequence[int]],
    real: Sequence[Sequence[int]],
    *,
    first_day: int = 1,
    horizon: int | None = None,
    directed: bool = False,
) -> int:
    """Obviously correct, slow l1 error, straight from the definition."""
    p_op, p_u, p_v, p_day = (list(map(int, x)) for x in pred)
    r_op, r_u, r_v = (list(map(int, x)) for x in real)
    t = len(r_op) if horizon is None else horizon

    def element(u: int, v: int) -> tuple[int, int]:
        return (u, v) if directed else (min(u, v), max(u, v))

    predicted: dict[tuple[int, tuple[int, int]], list[int]] = defaultdict(list)
    happened: dict[tuple[int, tuple[int, int]], list[int]] = defaultdict(list)
    for o, a, b, d in zip(p_op, p_u, p_v, p_day):
        predicted[(o, element(a, b))].append(d)
    for i, (o, a, b) in enumerate(zip(r_op, r_u, r_v)):
        happened[(o, element(a, b))].append(first_day + i)
    total = 0
    for key in set(predicted) | set(happened):
        ps, rs = sorted(predicted[key]), sorted(happened[key])
        for k in range(max(len(ps), len(rs))):
            if k < len(ps) and k < len(rs):
                total += abs(ps[k] - rs[k])
            else:
                total += t
    return total


def l1_of(pred: PredictionArrays, b: du.UpdateBatch, *, first_day: int = 1, horizon: int | None = None) -> int:
    return l1_error_arrays(*pred, b.op, b.u, b.v, first_day=first_day, horizon=horizon)


def lists(t: PredictionArrays) -> list[list[int]]:
    return [x.tolist() for x in t]


def arrays(t: PredictionArrays) -> list[NDArray[np.int64]]:
    return [x.astype(np.int64) for x in t]


def same(a: PredictionArrays, b: PredictionArrays) -> bool:
    return all(x.dtype == y.dtype and np.array_equal(x, y) for x, y in zip(arrays(a), arrays(b))) and [
        x.dtype for x in a
    ] == [y.dtype for y in b]


# Real sequence used by several hand-computed cases:
#   day 1: +{0,1}  day 2: +{1,2}  day 3: -{0,1}  day 4: +{2,3}
OPS = [1, 1, 0, 1]
US = [0, 1, 0, 2]
VS = [1, 2, 1, 3]


# ---------------------------------------------------------------------------------
# l1 error: hand-computed cases


def test_l1_exact_is_zero() -> None:
    b = batch(OPS, US, VS)
    assert l1_of(exact(b), b) == 0
    assert l1_error_arrays(OPS, US, VS, [1, 2, 3, 4], OPS, US, VS) == 0


def test_l1_exact_with_first_day() -> None:
    b = batch(OPS, US, VS)
    assert l1_of(exact(b, first_day=10), b, first_day=10) == 0
    # Predictions for days 1..4 against a batch starting on day 10: each off by 9.
    assert l1_of(exact(b), b, first_day=10) == 4 * 9


def test_l1_one_day_shifted_by_three() -> None:
    assert l1_error_arrays(OPS, US, VS, [1, 5, 3, 4], OPS, US, VS) == 3
    assert l1_error_arrays(OPS, US, VS, [1, 2, 3, 1], OPS, US, VS) == 3


def test_l1_dropped_prediction_costs_t() -> None:
    # T defaults to the number of real events (4).
    assert l1_error_arrays(OPS[1:], US[1:], VS[1:], [2, 3, 4], OPS, US, VS) == 4
    assert l1_error_arrays(OPS[1:], US[1:], VS[1:], [2, 3, 4], OPS, US, VS, horizon=100) == 100
    # Nothing predicted: every real event costs T.
    assert l1_error_arrays([], [], [], [], OPS, US, VS) == 4 * 4


def test_l1_extra_prediction_costs_t() -> None:
    p = ([*OPS, 0], [*US, 2], [*VS, 3], [1, 2, 3, 4, 7])  # -{2,3} never happens
    assert l1_error_arrays(*p, OPS, US, VS) == 4
    assert l1_error_arrays(*p, OPS, US, VS, horizon=50) == 50
    # No real events: T = 0 by default, so only an explicit horizon makes it count.
    assert l1_error_arrays([1], [0], [1], [3], [], [], []) == 0
    assert l1_error_arrays([1], [0], [1], [3], [], [], [], horizon=9) == 9


def test_l1_wrong_type_is_two_unmatched_events() -> None:
    # Predicting a delete where an insert happens: the insert is unpredicted and
    # the delete never happens, 2T in total (no cross-type matching).
    assert l1_error_arrays([0], [0], [1], [1], [1], [0], [1], horizon=7) == 14


def test_l1_in_order_matching_after_a_drop() -> None:
    # -{0,0} on days 1, 2, 3; the prediction of day 1 is dropped. In-order
    # matching pairs predicted days [2, 3] with real days [1, 2] (cost 2) and
    # leaves day 3 unmatched (T = 3), even though pairing 2-2 and 3-3 is cheaper.
    assert l1_error_arrays([0, 0], [0, 0], [0, 0], [2, 3], [0, 0, 0], [0, 0, 0], [0, 0, 0]) == 2 + 3


def test_l1_repeated_element_matches_in_order() -> None:
    # +{0,1} -{0,1} +{0,1} -{0,1} on days 1..4.
    ops, us, vs = [1, 0, 1, 0], [0, 0, 0, 0], [1, 1, 1, 1]
    # Predictions listed out of order: inserts on days 3 and 1, deletes on 5 and 2.
    p = ([1, 0, 1, 0], [0, 0, 0, 0], [1, 1, 1, 1], [3, 5, 1, 2])
    # Inserts [1, 3] vs [1, 3] -> 0; deletes [2, 5] vs [2, 4] -> 1.
    assert l1_error_arrays(*p, ops, us, vs) == 1
    assert l1_reference(p, (ops, us, vs)) == 1
    # Both inserts predicted late: [6, 8] vs [1, 3] -> 5 + 5.
    assert l1_error_arrays([1, 1, 0, 0], [0] * 4, [1] * 4, [8, 6, 2, 4], ops, us, vs) == 10
    # Only one insert predicted, on day 2: matched with the first (day 1) -> 1 + T.
    assert l1_error_arrays([1, 0, 0], [0] * 3, [1] * 3, [2, 2, 4], ops, us, vs) == 1 + 4


def test_l1_undirected_key_canonicalisation() -> None:
    # Predictions write every edge reversed.
    p = (OPS, VS, US, [1, 2, 3, 4])
    assert l1_error_arrays(*p, OPS, US, VS) == 0
    # Mixed orientation in the real sequence as well.
    assert l1_error_arrays([1, 0], [0, 1], [1, 0], [1, 2], [1, 0], [1, 0], [0, 1]) == 0


def test_l1_directed_keeps_orientation() -> None:
    p = (OPS, VS, US, [1, 2, 3, 4])
    # Every prediction is a different arc and every real arc is unpredicted.
    assert l1_error_arrays(*p, OPS, US, VS, directed=True) == 8 * 4
    assert l1_error_arrays(OPS, US, VS, [1, 2, 3, 4], OPS, US, VS, directed=True) == 0


def test_l1_huge_vertex_ids_use_fallback_keys() -> None:
    big = 1 << 45
    ops = [1, 1, 0, 0]
    us = [big, 0, 0, big]
    vs = [3, big + 7, big, big + 7]
    p = (ops, [3, big + 7, big, 0], [big, 0, 0, big + 7], [2, 2, 6, 9])
    want = l1_reference(p, (ops, us, vs))
    assert l1_error_arrays(*p, ops, us, vs) == want
    assert l1_error_arrays(*p, ops, us, vs, directed=True) == l1_reference(
        p, (ops, us, vs), directed=True
    )


@pytest.mark.parametrize("big", [1 << 29, 1 << 45])
@given(st.data())
def test_l1_large_ids_and_days_match_reference(big: int, data: st.DataObject) -> None:
    # Ids near 2**29 make the packed keys too wide to pack with days (lexsort on
    # (key, day)); ids near 2**45 cannot be packed at all (dense keys).
    ids = st.sampled_from([0, 1, big, big + 1, 2 * big])
    ev = st.tuples(st.integers(0, 1), ids, ids)
    real = data.draw(st.lists(ev, min_size=1, max_size=15))
    pred = data.draw(st.lists(st.tuples(ev, st.integers(1, 1 << 40)), min_size=1, max_size=15))
    r = ([e[0] for e in real], [e[1] for e in real], [e[2] for e in real])
    p = ([e[0] for e, _ in pred], [e[1] for e, _ in pred], [e[2] for e, _ in pred], [d for _, d in pred])
    directed = data.draw(st.booleans())
    assert l1_error_arrays(*p, *r, directed=directed) == l1_reference(p, r, directed=directed)


def test_l1_accepts_predictions_object() -> None:
    b = batch(OPS, US, VS)
    p = du.Predictions.from_arrays(*perturbed(b, 2.0, seed=3))
    assert l1_error_arrays(p.op, p.u, p.v, p.day, b.op, b.u, b.v) == l1_of(perturbed(b, 2.0, seed=3), b)


def test_l1_returns_python_int() -> None:
    v = l1_error_arrays(OPS, US, VS, [2, 2, 3, 4], OPS, US, VS)
    assert type(v) is int and v == 1


# ---------------------------------------------------------------------------------
# l1 error: against the reference

events = st.tuples(st.integers(0, 1), st.integers(0, 4), st.integers(0, 4))


@st.composite
def cases(draw: st.DrawFn) -> tuple[tuple[list[int], ...], tuple[list[int], ...], int, int | None, bool]:
    real = draw(st.lists(events, max_size=25))
    pred = draw(st.lists(st.tuples(events, st.integers(1, 40)), max_size=25))
    first_day = draw(st.integers(1, 10))
    horizon = draw(st.none() | st.integers(0, 60))
    directed = draw(st.booleans())
    r = ([e[0] for e in real], [e[1] for e in real], [e[2] for e in real])
    p = ([e[0] for e, _ in pred], [e[1] for e, _ in pred], [e[2] for e, _ in pred], [d for _, d in pred])
    return p, r, first_day, horizon, directed


@given(cases())
def test_l1_matches_reference(case: tuple[tuple[list[int], ...], tuple[list[int], ...], int, int | None, bool]) -> None:
    p, r, first_day, horizon, directed = case
    got = l1_error_arrays(*p, *r, first_day=first_day, horizon=horizon, directed=directed)
    want = l1_reference(p, r, first_day=first_day, horizon=horizon, directed=directed)
    assert got == want


@given(
    st.lists(events, min_size=1, max_size=30),
    st.floats(0, 6),
    st.floats(0, 1),
    st.integers(0, 2**32 - 1),
    st.integers(1, 5),
)
def test_l1_of_perturbed_matches_reference_and_bound(
    real: list[tuple[int, int, int]], scale: float, drop: float, seed: int, first_day: int
) -> None:
    b = batch([e[0] for e in real], [e[1] for e in real], [e[2] for e in real])
    p = perturbed(b, scale, seed=seed, drop=drop, first_day=first_day)
    got = l1_of(p, b, first_day=first_day)
    assert got == l1_reference(
        lists(p), (b.op.tolist(), b.u.tolist(), b.v.tolist()), first_day=first_day
    )
    # Without drops, in-order matching is optimal, so l1 <= sum of day shifts.
    q = perturbed(b, scale, seed=seed, drop=0.0, first_day=first_day)
    shifts = np.abs(q[3] - np.arange(first_day, first_day + len(b)))
    assert l1_of(q, b, first_day=first_day) <= int(shifts.sum())
    # The kept events are exactly those of the undropped run, with the same days.
    kept = _kept_mask(b, scale, seed, drop)
    assert all(np.array_equal(x[kept], y) for x, y in zip(arrays(q), arrays(p)))


def _kept_mask(b: du.UpdateBatch, scale: float, seed: int, drop: float) -> NDArray[np.bool_]:
    rng = np.random.default_rng(seed)
    rng.normal(0.0, scale, len(b))
    return rng.random(len(b)) >= drop


def test_l1_large_random_against_reference() -> None:
    rng = np.random.default_rng(5)
    n = 3000
    b = batch(rng.integers(0, 2, n).tolist(), rng.integers(0, 30, n).tolist(), rng.integers(0, 30, n).tolist())
    p = perturbed(b, 40.0, seed=1, drop=0.2)
    real = (b.op.tolist(), b.u.tolist(), b.v.tolist())
    assert l1_of(p, b) == l1_reference(lists(p), real)
    g = garbage(b, seed=2)
    assert l1_of(g, b, horizon=10**6) == l1_reference(lists(g), real, horizon=10**6)


# ---------------------------------------------------------------------------------
# generators


def test_exact_arrays_and_dtypes() -> None:
    b = batch(OPS, US, VS)
    op, u, v, day = exact(b, first_day=3)
    assert op.tolist() == OPS and u.tolist() == US and v.tolist() == VS
    assert day.tolist() == [3, 4, 5, 6]
    assert [x.dtype for x in (op, u, v, day)] == [np.dtype(np.int8)] + [np.dtype(np.int64)] * 3
    # Copies: changing the output does not touch the batch.
    u[0] = 99
    assert b.u[0] == 0


def test_exact_matches_predictions_from_batch() -> None:
    b = batch(OPS, US, VS)
    a = du.Predictions.from_arrays(*exact(b, first_day=7))
    ref = du.Predictions.from_batch(b, first_day=7)
    assert np.array_equal(a.data, ref.data)


def test_empty_batch() -> None:
    b = batch([], [], [])
    for t in (exact(b), perturbed(b, 3.0, drop=0.5), garbage(b)):
        assert all(len(x) == 0 for x in t)
        assert [x.dtype for x in t] == [np.int8, np.int64, np.int64, np.int64]
    assert l1_of(exact(b), b) == 0


@given(st.lists(events, max_size=30), st.integers(0, 2**32 - 1), st.integers(1, 9))
def test_perturbed_scale_zero_is_exact(real: list[tuple[int, int, int]], seed: int, first_day: int) -> None:
    b = batch([e[0] for e in real], [e[1] for e in real], [e[2] for e in real])
    assert same(perturbed(b, 0.0, seed=seed, first_day=first_day), exact(b, first_day=first_day))


def test_perturbed_drop_one_gives_nothing() -> None:
    b = batch(OPS * 50, US * 50, VS * 50)
    t = perturbed(b, 3.0, drop=1.0, seed=11)
    assert all(len(x) == 0 for x in t)
    assert l1_of(t, b) == len(b) * len(b)


def test_perturbed_drop_rate_roughly_right() -> None:
    n = 20000
    b = batch([1] * n, list(range(n)), list(range(1, n + 1)))
    kept = len(perturbed(b, 0.0, drop=0.3, seed=4)[0])
    assert abs(kept / n - 0.7) < 0.02


def test_perturbed_is_reproducible() -> None:
    b = batch(OPS * 20, US * 20, VS * 20)
    a = perturbed(b, 5.0, seed=42, drop=0.25)
    c = perturbed(b, 5.0, seed=42, drop=0.25)
    d = perturbed(b, 5.0, seed=43, drop=0.25)
    assert same(a, c)
    assert not same(a, d)


def test_perturbed_noise_independent_of_drop() -> None:
    b = batch(OPS * 20, US * 20, VS * 20)
    full = perturbed(b, 5.0, seed=9)
    part = perturbed(b, 5.0, seed=9, drop=0.5)
    mask = _kept_mask(b, 5.0, 9, 0.5)
    assert np.array_equal(full[3][mask], part[3])


def test_perturbed_days_clipped_and_noisy() -> None:
    n = 2000
    b = batch([1] * n, list(range(n)), list(range(1, n + 1)))
    op, u, v, day = perturbed(b, 30.0, seed=1)
    assert day.min() >= 1
    assert np.array_equal(u, np.arange(n)) and np.array_equal(op, np.ones(n))
    shift = day - np.arange(1, n + 1)
    unclipped = shift[100:]  # far from day 1, no clipping
    assert abs(float(unclipped.std()) - 30.0) < 3.0
    assert abs(float(unclipped.mean())) < 3.0
    # Early events are clipped at day 1, never below.
    assert (day[:100] == 1).any()


def test_garbage_days_in_range_and_events_kept() -> None:
    n = 500
    b = batch([1, 0] * (n // 2), [0] * n, [1] * n)
    op, u, v, day = garbage(b, seed=5, first_day=20)
    assert np.array_equal(op, b.op) and np.array_equal(u, b.u) and np.array_equal(v, b.v)
    assert day.min() >= 20 and day.max() <= 20 + n - 1
    assert len(np.unique(day)) > n // 3  # actually spread out
    again = garbage(b, seed=5, first_day=20)[3]
    assert np.array_equal(day, again)
    du.Predictions.from_arrays(op, u, v, day)  # valid predictions


def test_garbage_is_much_worse_than_exact() -> None:
    n = 1000
    b = batch([1] * n, list(range(n)), list(range(1, n + 1)))
    assert l1_of(garbage(b, seed=0), b) > 100 * n


# ---------------------------------------------------------------------------------
# argument errors


@pytest.mark.parametrize("scale", [-0.5, math.inf, math.nan, -math.inf, "1", None, True])
def test_perturbed_bad_scale(scale: object) -> None:
    b = batch(OPS, US, VS)
    with pytest.raises(ValueError, match="scale must be a finite number >= 0"):
        perturbed(b, scale)  # type: ignore[arg-type]


@pytest.mark.parametrize("drop", [-0.1, 1.5, math.nan, math.inf, "0.5", None])
def test_perturbed_bad_drop(drop: object) -> None:
    b = batch(OPS, US, VS)
    with pytest.raises(ValueError, match=r"drop must be a probability in \[0, 1\], got"):
        perturbed(b, 1.0, drop=drop)  # type: ignore[arg-type]


@pytest.mark.parametrize("first_day", [0, -3, 1.5, "1", True])
def test_bad_first_day(first_day: object) -> None:
    b = batch(OPS, US, VS)
    for f in (
        lambda: exact(b, first_day=first_day),  # type: ignore[arg-type]
        lambda: perturbed(b, 1.0, first_day=first_day),  # type: ignore[arg-type]
        lambda: garbage(b, first_day=first_day),  # type: ignore[arg-type]
        lambda: l1_error_arrays(OPS, US, VS, [1, 2, 3, 4], OPS, US, VS, first_day=first_day),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValueError, match="first_day must be an integer >= 1"):
            f()


def test_numpy_integer_first_day_ok() -> None:
    b = batch(OPS, US, VS)
    assert exact(b, first_day=np.int64(4))[3].tolist() == [4, 5, 6, 7]  # type: ignore[arg-type]


def test_l1_bad_arguments() -> None:
    with pytest.raises(ValueError, match="equal lengths"):
        l1_error_arrays([1, 1], [0], [1], [1], OPS, US, VS)
    with pytest.raises(ValueError, match="equal lengths"):
        l1_error_arrays([], [], [], [], [1, 1], [0], [1])
    with pytest.raises(ValueError, match=r"pred_op must hold 1 \(insert\) or 0 \(delete\), got 2"):
        l1_error_arrays([2], [0], [1], [1], OPS, US, VS)
    with pytest.raises(ValueError, match="op must hold 1"):
        l1_error_arrays([], [], [], [], [3], [0], [1])
    with pytest.raises(ValueError, match="pred_day must hold integers"):
        l1_error_arrays([1], [0], [1], [1.5], OPS, US, VS)
    with pytest.raises(ValueError, match="one-dimensional"):
        l1_error_arrays([[1]], [[0]], [[1]], [[1]], OPS, US, VS)
    with pytest.raises(ValueError, match="horizon must be a non-negative integer or None, got -1"):
        l1_error_arrays(OPS, US, VS, [1, 2, 3, 4], OPS, US, VS, horizon=-1)
    with pytest.raises(ValueError, match="horizon must be a non-negative integer"):
        l1_error_arrays(OPS, US, VS, [1, 2, 3, 4], OPS, US, VS, horizon=2.5)  # type: ignore[arg-type]


def test_generators_reject_non_batches() -> None:
    with pytest.raises(TypeError, match="op, u, v"):
        exact([1, 2, 3])  # type: ignore[arg-type]
    from types import SimpleNamespace

    with pytest.raises(ValueError, match=r"batch.op must hold 1 \(insert\) or 0 \(delete\)"):
        exact(SimpleNamespace(op=[5], u=[0], v=[1]))
    with pytest.raises(ValueError, match="equal lengths"):
        garbage(SimpleNamespace(op=[1, 1], u=[0], v=[1]))


def test_package_does_not_import_dynalgo() -> None:
    import subprocess
    import sys

    code = "import sys, predictors; sys.exit(1 if any(m.split('.')[0] == 'dynalgo' for m in sys.modules) else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
    assert set(predictors.__all__) >= {"exact", "perturbed", "garbage", "l1_error"}


def test_repeat_last_period_exact_on_a_periodic_sequence() -> None:
    """A workload whose days repeat with period P: after one period, the predictions
    of the rest are exact, and the lifted structure needs no retrigger."""
    import numpy as np

    from dynalgo import DynamicConnectivity, UpdateBatch
    from predictors import repeat_last_period

    rng = np.random.default_rng(3)
    n, half = 30, 40
    a, b = rng.integers(0, n, half), rng.integers(0, n, half)
    keep = a != b
    a, b = a[keep], b[keep]
    pairs = sorted({(min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist())})
    # one period inserts every pair then deletes them in another order
    order = rng.permutation(len(pairs))
    op = [1] * len(pairs) + [0] * len(pairs)
    uu = [p[0] for p in pairs] + [pairs[k][0] for k in order]
    vv = [p[1] for p in pairs] + [pairs[k][1] for k in order]
    P = len(op)
    reps = 5
    full = UpdateBatch.from_arrays(op * reps, uu * reps, vv * reps)
    first = full[:P]
    rest = full[P:]
    preds = repeat_last_period(first, P, len(rest))
    assert predictors.l1_error_arrays(preds.op, preds.u, preds.v, preds.day, rest.op, rest.u, rest.v, first_day=P + 1) == 0
    # a structure that replays the history then continues: the history on its true days
    g = DynamicConnectivity(n, repeat_last_period(first, P, len(rest), include_history=True), backstop=None)
    g.run(first)
    g.run(rest)
    assert g.stats.retriggers == 0 and g.stats.early_events == 0
    # predicting only the future does not help a structure that also saw the history
    h = DynamicConnectivity(n, preds, backstop=None)
    h.run(full)
    assert h.stats.retriggers > 0


def test_repeat_last_period_errors() -> None:
    import pytest
    from types import SimpleNamespace

    from predictors import repeat_last_period

    h = SimpleNamespace(op=[1, 0], u=[0, 0], v=[1, 1])
    for bad in (dict(period=0, horizon=1), dict(period=3, horizon=1), dict(period=1, horizon=-1)):
        with pytest.raises(ValueError):
            repeat_last_period(h, **bad)
