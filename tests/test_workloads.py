"""Tests of dynalgo.workloads.sliding_window."""

from __future__ import annotations

import heapq
import time as _time
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynalgo.datasets import TemporalEdges, bitcoin_alpha, college_msg
from dynalgo.errors import InvalidInputError
from dynalgo.updates import Op, UpdateBatch
from dynalgo.workloads import SlidingWindow, sliding_window

DAY = 86_400


def edges(src: list[int], dst: list[int], t: list[int], weight: list[float] | None = None) -> TemporalEdges:
    return TemporalEdges.from_arrays(src, dst, t, weight)


def rows(sw: SlidingWindow) -> list[tuple[int, int, int, int]]:
    """(op, u, v, time) per update."""
    return list(zip(sw.batch.op.tolist(), sw.batch.u.tolist(), sw.batch.v.tolist(), sw.time.tolist()))


def simulate(
    e: TemporalEdges, w: int, directed: bool = False, self_loops: bool = False, drain: bool = True,
    skip: frozenset[int] = frozenset(), life_of: dict[int, int] | None = None,
) -> list[tuple[int, int, int, int, int]]:
    """Event-driven reference: (op, u, v, time, first row of the lifetime) per update.

    Messages are processed in order; before each, every expiry at or before its
    time is emitted in (expiry time, setting row) order.  Rows in ``skip`` are
    ignored as messages (used for the counterfactual predictions).  If given,
    ``life_of`` receives the first row of each kept message's lifetime.
    """
    out: list[tuple[int, int, int, int, int]] = []
    if life_of is None:
        life_of = {}
    present: dict[tuple[int, int], tuple[int, int, int]] = {}  # key -> (expiry, setting row, first row)
    heap: list[tuple[int, int, tuple[int, int]]] = []

    def expire(upto: float) -> None:
        while heap and heap[0][0] <= upto:
            exp, row, key = heapq.heappop(heap)
            cur = present.get(key)
            if cur is not None and cur[0] == exp and cur[1] == row:
                del present[key]
                out.append((0, key[0], key[1], exp, cur[2]))

    src, dst, tm = e.src.tolist(), e.dst.tolist(), e.time.tolist()
    for i, (u, v, t) in enumerate(zip(src, dst, tm)):
        expire(t)
        if i in skip or (u == v and not self_loops):
            continue
        key = (u, v) if directed else (min(u, v), max(u, v))
        if key in present:
            present[key] = (t + w, i, present[key][2])
            life_of[i] = present[key][2]
        else:
            life_of[i] = i
            present[key] = (t + w, i, i)
            out.append((1, key[0], key[1], t, i))
        heapq.heappush(heap, (t + w, i, key))
    if drain:
        expire(float("inf"))
    return out


def check_valid(sw: SlidingWindow, drain: bool = True) -> None:
    """No duplicate insert, no absent delete, non-decreasing time; empty at the end if drained."""
    present: set[tuple[int, int]] = set()
    for op, u, v, _ in rows(sw):
        key = (u, v)
        if op == Op.INSERT:
            assert key not in present
            present.add(key)
        else:
            assert key in present
            present.remove(key)
    if drain:
        assert not present
    assert np.all(np.diff(sw.time) >= 0)
    if not sw.directed:
        assert np.all(sw.batch.u <= sw.batch.v)


def check_predictions(sw: SlidingWindow) -> None:
    ins = sw.batch.op == Op.INSERT
    days = np.arange(1, len(sw) + 1)
    p, t = sw.predicted_deletion, sw.true_deletion
    assert np.all(p[~ins] == 0) and np.all(t[~ins] == 0)
    assert np.all(p[ins] > days[ins])  # never at or before the insertion
    real = ins & (t > 0)
    assert np.all(p[real] <= t[real])
    # true_deletion points at the deletion of the same element
    td = t[real] - 1
    assert np.all(sw.batch.op[td] == Op.DELETE)
    assert np.array_equal(sw.batch.u[td], sw.batch.u[real])
    assert np.array_equal(sw.batch.v[td], sw.batch.v[real])


# -- hand-made cases ----------------------------------------------------------------


def test_single_message() -> None:
    sw = sliding_window(edges([0], [1], [100]), 10)
    assert rows(sw) == [(1, 0, 1, 100), (0, 0, 1, 110)]
    assert sw.predicted_deletion.tolist() == [2, 0]
    assert sw.true_deletion.tolist() == [2, 0]
    assert sw.n == 2 and sw.window == 10 and not sw.directed and len(sw) == 2
    assert isinstance(sw.batch, UpdateBatch)


def test_two_messages_within_window_are_one_lifetime() -> None:
    sw = sliding_window(edges([0, 0], [1, 1], [0, 9]), 10)
    assert rows(sw) == [(1, 0, 1, 0), (0, 0, 1, 19)]
    assert sw.true_deletion.tolist() == [2, 0]
    assert sw.predicted_deletion.tolist() == [2, 0]  # nothing else happens in between


def test_repeat_makes_prediction_early() -> None:
    # {0,1} at 0 and 9 (expires 19); {2,3} at 12 falls between the predicted 10 and the real 19
    sw = sliding_window(edges([0, 0, 2], [1, 1, 3], [0, 9, 12]), 10)
    assert rows(sw) == [(1, 0, 1, 0), (1, 2, 3, 12), (0, 0, 1, 19), (0, 2, 3, 22)]
    assert sw.predicted_deletion.tolist() == [2, 4, 0, 0]
    assert sw.true_deletion.tolist() == [3, 4, 0, 0]


def test_two_messages_far_apart_are_two_lifetimes() -> None:
    sw = sliding_window(edges([0, 0], [1, 1], [0, 25]), 10)
    assert rows(sw) == [(1, 0, 1, 0), (0, 0, 1, 10), (1, 0, 1, 25), (0, 0, 1, 35)]
    assert sw.predicted_deletion.tolist() == [2, 0, 4, 0]
    assert sw.true_deletion.tolist() == [2, 0, 4, 0]


def test_tie_at_exactly_t_plus_w_deletes_then_reinserts() -> None:
    sw = sliding_window(edges([0, 0], [1, 1], [0, 10]), 10)
    assert rows(sw) == [(1, 0, 1, 0), (0, 0, 1, 10), (1, 0, 1, 10), (0, 0, 1, 20)]
    assert sw.true_deletion.tolist() == [2, 0, 4, 0]
    assert sw.predicted_deletion.tolist() == [2, 0, 4, 0]
    # one second earlier it is a single lifetime
    sw = sliding_window(edges([0, 0], [1, 1], [0, 9]), 10)
    assert len(sw) == 2


def test_expiries_before_insertions_at_equal_time() -> None:
    # {0,1} expires at 10 while {2,3} starts at 10: the deletion comes first
    sw = sliding_window(edges([0, 2], [1, 3], [0, 10]), 10)
    assert rows(sw) == [(1, 0, 1, 0), (0, 0, 1, 10), (1, 2, 3, 10), (0, 2, 3, 20)]
    assert sw.predicted_deletion.tolist() == [2, 0, 4, 0]


def test_equal_times_keep_event_order() -> None:
    sw = sliding_window(edges([4, 0, 2], [5, 1, 3], [7, 7, 7]), 5)
    assert rows(sw) == [(1, 4, 5, 7), (1, 0, 1, 7), (1, 2, 3, 7), (0, 4, 5, 12), (0, 0, 1, 12), (0, 2, 3, 12)]
    assert sw.predicted_deletion.tolist()[:3] == [4, 5, 6]


def test_undirected_merges_both_directions() -> None:
    sw = sliding_window(edges([0, 1], [1, 0], [0, 5]), 10)
    assert rows(sw) == [(1, 0, 1, 0), (0, 0, 1, 15)]
    sw = sliding_window(edges([1], [0], [0]), 10)
    assert rows(sw) == [(1, 0, 1, 0), (0, 0, 1, 10)]


def test_directed_keeps_both_directions() -> None:
    sw = sliding_window(edges([0, 1], [1, 0], [0, 5]), 10, directed=True)
    assert rows(sw) == [(1, 0, 1, 0), (1, 1, 0, 5), (0, 0, 1, 10), (0, 1, 0, 15)]
    assert sw.directed
    check_valid(sw)


def test_self_loops_dropped_by_default() -> None:
    e = edges([0, 1, 0], [0, 1, 1], [0, 1, 2])
    sw = sliding_window(e, 10)
    assert rows(sw) == [(1, 0, 1, 2), (0, 0, 1, 12)]
    assert sw.n == 2
    sw = sliding_window(e, 10, self_loops=True)
    assert rows(sw) == [(1, 0, 0, 0), (1, 1, 1, 1), (1, 0, 1, 2), (0, 0, 0, 10), (0, 1, 1, 11), (0, 0, 1, 12)]


def test_no_drain_keeps_only_expiries_within_the_data() -> None:
    # {0,1}: 0 -> expires 10 (within data, last event at 12); {2,3}: 5 and 12 -> expires 22 (after)
    e = edges([0, 2, 2], [1, 3, 3], [0, 5, 12])
    sw = sliding_window(e, 10, drain=False)
    assert rows(sw) == [(1, 0, 1, 0), (1, 2, 3, 5), (0, 0, 1, 10)]
    assert sw.true_deletion.tolist() == [3, 0, 0]
    # {2,3} would have expired at 15, after every update: day T + 1
    assert sw.predicted_deletion.tolist() == [3, 4, 0]
    check_valid(sw, drain=False)
    # an expiry exactly at the last event's time is within the data
    sw = sliding_window(edges([0, 2], [1, 3], [0, 10]), 10, drain=False)
    assert rows(sw) == [(1, 0, 1, 0), (0, 0, 1, 10), (1, 2, 3, 10)]
    assert sw.predicted_deletion.tolist() == [2, 0, 4]


def test_weights_come_from_the_starting_event() -> None:
    e = edges([0, 0, 2], [1, 1, 3], [0, 3, 4], weight=[-2.0, 7.0, 5.0])
    sw = sliding_window(e, 10)
    assert sw.batch.weight.tolist() == [-2.0, 5.0, 1.0, 1.0]
    sw = sliding_window(edges([0], [1], [0]), 10)
    assert sw.batch.weight.tolist() == [1.0, 1.0]


def test_empty_inputs() -> None:
    for e in (edges([], [], []), edges([3, 4], [3, 4], [0, 1])):
        sw = sliding_window(e, 10)
        assert len(sw) == 0 and sw.time.size == 0 and sw.predicted_deletion.size == 0
        sw = sliding_window(e, 10, drain=False)
        assert len(sw) == 0


def test_outputs_are_read_only() -> None:
    sw = sliding_window(edges([0], [1], [0]), 10)
    for a in (sw.time, sw.predicted_deletion, sw.true_deletion):
        assert a.dtype == np.int64 and not a.flags.writeable
    with pytest.raises(AttributeError):
        sw.n = 4  # type: ignore[misc]


@pytest.mark.parametrize("bad", [0, -5, True, 1.5, "60", None])
def test_bad_window(bad: Any) -> None:
    with pytest.raises(InvalidInputError, match="window"):
        sliding_window(edges([0], [1], [0]), bad)


def test_window_overflow() -> None:
    with pytest.raises(InvalidInputError, match="overflow"):
        sliding_window(edges([0], [1], [10]), np.iinfo(np.int64).max - 5)


def test_bad_edges() -> None:
    with pytest.raises(InvalidInputError, match="TemporalEdges"):
        sliding_window(([0], [1], [0]), 10)  # type: ignore[arg-type]


def test_numpy_integer_window() -> None:
    a = sliding_window(edges([0, 0], [1, 1], [0, 9]), np.int64(10))
    assert a.window == 10 and len(a) == 2


# -- against the event-driven reference -------------------------------------------


def _compare(e: TemporalEdges, w: int, directed: bool, self_loops: bool, drain: bool) -> None:
    sw = sliding_window(e, w, directed=directed, self_loops=self_loops, drain=drain)
    life_of: dict[int, int] = {}
    ref = simulate(e, w, directed, self_loops, drain, life_of=life_of)
    assert rows(sw) == [r[:4] for r in ref]
    check_valid(sw, drain)
    check_predictions(sw)
    T = len(ref)
    for i, r in enumerate(ref):
        if r[0] != 1:
            continue
        start = r[4]
        # true deletion: the delete row of the same lifetime
        later = [j for j in range(i + 1, T) if ref[j][0] == 0 and ref[j][4] == start]
        assert sw.true_deletion[i] == (later[0] + 1 if later else 0)
        # predicted deletion: the day of this lifetime's expiry once the pair's
        # later messages in the lifetime are removed (counterfactual re-simulation);
        # past the end of the sequence it is T + 1
        skip = frozenset(j for j, s in life_of.items() if s == start and j != start)
        cf = simulate(e, w, directed, self_loops, True, skip)
        day = 1 + next(k for k, c in enumerate(cf) if c[0] == 0 and c[4] == start)
        assert sw.predicted_deletion[i] == min(day, T + 1)
        if not skip and later:
            assert sw.predicted_deletion[i] == sw.true_deletion[i]


events = st.integers(min_value=1, max_value=25).flatmap(
    lambda m: st.tuples(
        st.lists(st.integers(0, 4), min_size=m, max_size=m),
        st.lists(st.integers(0, 4), min_size=m, max_size=m),
        st.lists(st.integers(0, 40), min_size=m, max_size=m),
    )
)


@given(events, st.integers(1, 12), st.booleans(), st.booleans(), st.booleans())
def test_matches_reference(ev: tuple[list[int], list[int], list[int]], w: int, directed: bool,
                           self_loops: bool, drain: bool) -> None:
    e = edges(*ev)
    _compare(e, w, directed, self_loops, drain)


# -- real data ----------------------------------------------------------------------


def test_college_msg_one_day_window() -> None:
    e = college_msg()
    sliding_window(e, DAY)  # warm-up
    t0 = _time.perf_counter()
    sw = sliding_window(e, DAY)
    elapsed = _time.perf_counter() - t0
    assert elapsed < 1.0
    assert len(sw) == 42_682
    ins = sw.batch.op == Op.INSERT
    assert int(ins.sum()) == 21_341
    check_valid(sw)
    check_predictions(sw)
    p, t = sw.predicted_deletion[ins], sw.true_deletion[ins]
    assert np.all(t > 0)
    exact = float(np.mean(p == t))
    assert 0.5 < exact < 0.6  # 0.5378
    # the event-driven reference agrees on the whole sequence
    ref = simulate(e, DAY)
    assert rows(sw) == [r[:4] for r in ref]


def test_college_msg_single_message_lifetimes_are_exact() -> None:
    e = college_msg()
    w = DAY
    sw = sliding_window(e, w)
    # number of messages in each lifetime, from the reference's first-row ids
    key = np.minimum(e.src, e.dst) * e.n + np.maximum(e.src, e.dst)
    ins_rows = np.flatnonzero(sw.batch.op == Op.INSERT)
    lifetimes = simulate(e, w)
    starts = np.array([r[4] for r in lifetimes if r[0] == 1])
    # a lifetime has one message iff the pair's next message is >= w later (or absent)
    nxt = np.full(e.m, np.iinfo(np.int64).max)
    order = np.lexsort((np.arange(e.m), key))
    same = key[order][1:] == key[order][:-1]
    nxt[order[:-1][same]] = e.time[order[1:][same]]
    single = nxt[starts] - e.time[starts] >= w
    p = sw.predicted_deletion[ins_rows]
    t = sw.true_deletion[ins_rows]
    assert np.array_equal(p[single], t[single])
    assert np.all(p[~single] <= t[~single])
    assert np.any(p[~single] < t[~single])


@pytest.mark.parametrize("w", [3600, DAY, 7 * DAY])
@pytest.mark.parametrize("loader", [college_msg, bitcoin_alpha])
def test_real_data_sequences_are_valid(loader: Any, w: int) -> None:
    sw = sliding_window(loader(), w)
    check_valid(sw)
    check_predictions(sw)
    sw = sliding_window(loader(), w, drain=False, directed=True)
    check_valid(sw, drain=False)
    check_predictions(sw)
