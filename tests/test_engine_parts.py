"""Property tests of the lifting engine's parts: partition tree, schedule, undo, stats."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.typing import NDArray

import predictors
from dynalgo import DynamicConnectivity, Predictions, UpdateBatch
from dynalgo._engine import BaseKernels, LiftingEngine
from structures import dsu, lifted_dsu
from structures import engine as k
from structures import partition_tree as pt
from structures import schedule as sch
from tests.naive import (
    NaiveGraph,
    deterministic_choice,
    events_arrays,
    naive_lca,
    nearest_free,
    random_events,
    windows,
)

BASE = BaseKernels(lifted_dsu.run_days, lifted_dsu.reset_path)


# =================================================================================
# (a) the random partition tree
# =================================================================================
def build_tree(T: int, seed: int, epoch: int, mode: int = pt.TREAP) -> tuple[int, NDArray[np.int64], NDArray[np.int64]]:
    left = np.full(T + 2, -7, dtype=np.int64)
    right = np.full(T + 2, -7, dtype=np.int64)
    stack = np.empty(T + 1, dtype=np.int64)
    root = int(pt.build(T, seed, epoch, mode, left, right, stack))
    return root, left, right


seeds = st.integers(0, (1 << 62) - 1)
epochs = st.integers(0, 60)
modes = st.sampled_from([pt.TREAP, pt.DYADIC])


@pytest.mark.boundscheck
@given(T=st.integers(1, 400), seed=seeds, epoch=epochs, mode=modes)
def test_tree_windows_partition_the_days(T: int, seed: int, epoch: int, mode: int) -> None:
    root, left, right = build_tree(T, seed, epoch, mode)
    pt.check(root, left, right, T, seed, epoch, mode)
    ws = list(windows(root, left, right, T))
    assert len(ws) == 2 * T - 1  # a full binary tree with T leaves
    leaves = Counter(w.a for w in ws if w.a == w.b)
    assert sorted(leaves) == list(range(1, T + 1)) and set(leaves.values()) == {1}
    by_window = {(w.a, w.b): w for w in ws}
    assert len(by_window) == len(ws), "a window appears twice"
    for w in ws:
        assert 1 <= w.a <= w.b <= T
        if w.a == w.b:
            continue
        d = w.node
        # the children [a, d] and [d + 1, b] partition the parent and are windows of the tree
        assert w.a <= d < w.b
        lo, hi = by_window[(w.a, d)], by_window[(d + 1, w.b)]
        assert lo.depth == hi.depth == w.depth + 1
        assert (left[d] == -1) == (d == w.a) and (right[d] == -1) == (d + 1 == w.b)
    leaf_depth = max(w.depth for w in ws)
    assert int(pt.max_depth(root, left, right, T)) == leaf_depth


@given(T=st.integers(1, 200), seed=seeds, epoch=epochs, mode=modes)
def test_tree_is_reproducible(T: int, seed: int, epoch: int, mode: int) -> None:
    a = build_tree(T, seed, epoch, mode)
    b = build_tree(T, seed, epoch, mode)
    assert a[0] == b[0]
    assert np.array_equal(a[1][1:T], b[1][1:T]) and np.array_equal(a[2][1:T], b[2][1:T])


@given(T=st.integers(2, 200_000), seed=seeds, epoch=epochs, mode=modes)
def test_tree_depth_is_logarithmic(T: int, seed: int, epoch: int, mode: int) -> None:
    root, left, right = build_tree(T, seed, epoch, mode)
    depth = int(pt.max_depth(root, left, right, T))
    assert math.ceil(math.log2(T)) <= depth <= 6 * math.log2(T) + 10


@pytest.mark.parametrize("T", [1024, 2048, 4096, 65_536, 200_000])
def test_tree_depth_over_seeds(T: int) -> None:
    depths = []
    for seed in range(8):
        for epoch in range(3):
            root, left, right = build_tree(T, seed, epoch)
            depths.append(int(pt.max_depth(root, left, right, T)))
    assert max(depths) <= 6 * math.log2(T) + 10
    assert len(set(depths)) > 1  # the seed matters


@given(T=st.integers(1, 300), seed=seeds, epoch=epochs, data=st.data(), mode=modes)
def test_lca_is_the_smallest_window(T: int, seed: int, epoch: int, data: st.DataObject, mode: int) -> None:
    root, left, right = build_tree(T, seed, epoch, mode)
    ws = list(windows(root, left, right, T))
    pairs: list[tuple[int, int]]
    if T <= 24:
        pairs = [(a, b) for a in range(1, T + 1) for b in range(a, T + 1)]
    else:
        day = st.integers(1, T)
        pairs = []
        for _ in range(40):
            x, y = data.draw(st.tuples(day, day))
            pairs.append((min(x, y), max(x, y)))
    for t1, t2 in pairs:
        got = pt.lca(root, left, right, T, t1, t2)
        assert (int(got[0]), int(got[1])) == naive_lca(ws, t1, t2), (t1, t2)
    # outside the tree: the whole horizon at depth -1
    for t1, t2 in ((1, T + 1), (T, T + 5), (0, 1), (0, T + 1)):
        got = pt.lca(root, left, right, T, t1, t2)
        assert (int(got[0]), int(got[1])) == (-1, T)


def test_tree_check_detects_corruption() -> None:
    T, seed, epoch = 64, 5, 1
    root, left, right = build_tree(T, seed, epoch)
    pt.check(root, left, right, T, seed, epoch)
    d = int(np.flatnonzero(left[1:T] >= 0)[0]) + 1
    bad = left.copy()
    bad[d] = -1
    with pytest.raises(AssertionError):
        pt.check(root, bad, right, T, seed, epoch)
    with pytest.raises(AssertionError):  # a tree of another epoch violates heap order
        pt.check(root, left, right, T, seed, epoch + 1)


# =================================================================================
# (b) the schedule
# =================================================================================
def make_engine(
    n_elements: int, pe: NDArray[np.int64], po: NDArray[np.int64], pday: NDArray[np.int64], *, seed: int, det: bool
) -> LiftingEngine:
    return LiftingEngine(BASE, tuple(dsu.make(4)), n_elements, pe, po, pday, seed=seed, deterministic=det)


@st.composite
def predicted_events(draw: st.DrawFn, *, mixed: bool = True) -> tuple[int, NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Random predicted events crowded on few days: (n_elements, elem, op, day).

    With ``mixed=False`` each element gets only insertions or only deletions, so the
    delete-after-insert fix-up never moves an event (placement is then one pass).
    """
    n_el = draw(st.integers(1, 12))
    m = draw(st.integers(0, 150))
    lo = draw(st.sampled_from([1, 1, 500, 1000]))
    width = draw(st.sampled_from([1, 3, 10, 40, 400]))
    hi = lo + width
    elem = np.asarray(draw(st.lists(st.integers(0, n_el - 1), min_size=m, max_size=m)), dtype=np.int64)
    day = np.asarray(draw(st.lists(st.integers(lo, hi), min_size=m, max_size=m)), dtype=np.int64)
    if mixed:
        op = np.asarray(draw(st.lists(st.integers(0, 1), min_size=m, max_size=m)), dtype=np.int64)
    else:
        op = (elem % 2).astype(np.int64)
    return n_el, elem.reshape(-1), op.reshape(-1), day.reshape(-1)


def wanted_days(
    eng: LiftingEngine, n_el: int, pe: NDArray[np.int64], po: NDArray[np.int64], pday: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Per instance, the predicted (wanted) insertion and deletion days before scheduling.

    An element's k-th instance (k-th in its ``I_NEXT`` chain from ``E_HEAD``) pairs
    its k-th predicted insertion with its k-th predicted deletion, both in day order.
    """
    n = int(eng.meta[k.M_NINST])
    want = np.full((n, 2), k.BIG, dtype=np.int64)
    seen = 0
    for e in range(n_el):
        ins = sorted(pday[(pe == e) & (po == 1)].tolist())
        dele = sorted(pday[(pe == e) & (po == 0)].tolist())
        i = int(eng.elem[e, k.E_HEAD])
        chain = []
        while i >= 0:
            assert int(eng.inst[i, k.I_ELEM]) == e
            chain.append(i)
            i = int(eng.inst[i, k.I_NEXT])
        assert len(chain) == max(len(ins), len(dele)), "one instance per predicted insertion/deletion pair"
        for j, i in enumerate(chain):
            if j < len(ins):
                want[i, 0] = ins[j]
            if j < len(dele):
                want[i, 1] = dele[j]
        seen += len(chain)
    assert seen == n
    return want


def occupied(eng: LiftingEngine, row: int) -> NDArray[np.bool_]:
    H = int(eng.meta[k.M_H])
    occ = np.zeros(H + 2, dtype=np.bool_)
    occ[1 : H + 1] = eng.days[row, 1 : H + 1] >= 0
    return occ


@pytest.mark.boundscheck
@given(ev=predicted_events(), seed=st.integers(0, 2**40), det=st.booleans())
def test_schedule_slots_and_fixup(
    ev: tuple[int, NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]], seed: int, det: bool
) -> None:
    n_el, pe, po, pday = ev
    eng = make_engine(n_el, pe, po, pday, seed=seed, det=det)
    eng.check()
    H = int(eng.meta[k.M_H])
    # the predicted horizon, except that far-future outliers wait beyond it
    assert H == max(1024, min(int(pday.max()) if pday.size else 0, 2 * pday.size + 1024))
    n = int(eng.meta[k.M_NINST])
    want = wanted_days(eng, n_el, pe, po, pday)
    assert want.shape[0] == n
    inst = eng.inst[:n]
    for col, row, w in ((k.I_INS, k.ROW_SLOT_INS, want[:, 0]), (k.I_DEL, k.ROW_SLOT_DEL, want[:, 1])):
        d = inst[:, col]
        # an event is placed iff it was predicted, on a day >= 1
        assert np.array_equal(d < k.BIG, w < k.BIG)
        assert np.all(d >= 1)
        inside = d[d <= H]
        # at most one event of each type per day
        assert np.unique(inside).size == inside.size
        slot = eng.days[row]
        assert np.all(slot[inside] >= 0)
        assert int((slot[1 : H + 1] >= 0).sum()) == inside.size
    # the fix-up: a deletion never precedes the insertion of its instance when that was predicted
    both = (inst[:, k.I_INS] < k.BIG) & (inst[:, k.I_DEL] < k.BIG)
    assert np.all(inst[both, k.I_DEL] >= inst[both, k.I_INS])
    # nothing is real yet
    assert np.all(inst[:, k.I_STATUS] == k.PENDING) and int(eng.meta[k.M_DAY]) == 0


@given(ev=predicted_events(mixed=False), seed=st.integers(0, 2**40), det=st.booleans())
def test_schedule_places_near_the_wanted_day(
    ev: tuple[int, NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]], seed: int, det: bool
) -> None:
    """No event skips a free day on its way from the wanted day; deterministic = nearest (ties right)."""
    n_el, pe, po, pday = ev
    eng = make_engine(n_el, pe, po, pday, seed=seed, det=det)
    eng.check()
    H = int(eng.meta[k.M_H])
    n = int(eng.meta[k.M_NINST])
    want = wanted_days(eng, n_el, pe, po, pday)
    for c, col, row in ((0, k.I_INS, k.ROW_SLOT_INS), (1, k.I_DEL, k.ROW_SLOT_DEL)):
        occ = occupied(eng, row)
        for i in range(n):
            p = int(want[i, c])
            if p >= k.BIG:
                continue
            d = int(eng.inst[i, col])
            if p > H:  # a far-future outlier waits beyond the horizon, where it was wanted
                assert d == p
                continue
            assert 1 <= d <= H
            lo, hi = min(p, d), max(p, d)
            # every day strictly between the wanted and the chosen day is taken
            assert occ[lo + 1 : hi].all(), (i, p, d)
            if det:
                dist = abs(d - p)
                near = [e for e in range(p - dist + 1, p + dist) if 1 <= e <= H]
                assert occ[near].all(), f"event wanted on {p} placed on {d}, a nearer day was free"
                if d < p:  # ties go right
                    assert p + dist > H or occ[p + dist]


@given(
    n=st.integers(1, 6),
    length=st.integers(0, 80),
    seed=st.integers(0, 2**32 - 1),
    crowd=st.integers(1, 8),
    det=st.booleans(),
)
def test_schedule_of_connectivity_with_crowded_predictions(n: int, length: int, seed: int, crowd: int, det: bool) -> None:
    """Predictions squeezed onto ``crowd`` days, then the real updates: slots stay consistent."""
    rng = np.random.default_rng(seed)
    events = random_events(rng, n, length, hot=2)
    op, u, v = events_arrays(events)
    days = rng.integers(1, crowd + 1, size=length)
    g = DynamicConnectivity(n, Predictions.from_arrays(op, u, v, days), seed=seed, deterministic_schedule=det)
    eng = g._engine
    eng.check()
    n_inst = int(eng.meta[k.M_NINST])
    inst = eng.inst[:n_inst]
    both = (inst[:, k.I_INS] < k.BIG) & (inst[:, k.I_DEL] < k.BIG)
    assert np.all(inst[both, k.I_DEL] >= inst[both, k.I_INS])
    ref = NaiveGraph(n)
    for j, (o, a, b) in enumerate(events):
        g.insert(a, b) if o == 1 else g.delete(a, b)
        ref.apply(o, a, b)
        if j % 7 == 0 or j == length - 1:
            g.check()
    assert g.num_components == ref.num_components


def fresh_slots(H: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    return (np.full(H + 2, -1, dtype=np.int64), np.arange(H + 2, dtype=np.int64), np.arange(H + 2, dtype=np.int64))


@pytest.mark.boundscheck
@given(
    H=st.integers(1, 80),
    data=st.data(),
    releases=st.booleans(),
    det=st.booleans(),
    rng_seed=st.integers(0, 2**40),
)
def test_choose_day_never_occupied_never_before_lo(
    H: int, data: st.DataObject, releases: bool, det: bool, rng_seed: int
) -> None:
    slot, nxt, prv = fresh_slots(H)
    meta = np.zeros(k.META_SIZE, dtype=np.int64)
    meta[k.M_RNG] = rng_seed
    for step in range(data.draw(st.integers(0, 3 * H), label="steps")):
        free = np.flatnonzero(slot[1 : H + 1] < 0) + 1
        taken = np.flatnonzero(slot[1 : H + 1] >= 0) + 1
        if releases and taken.size and data.draw(st.integers(0, 2), label="release?") == 0:
            sch.release(slot, nxt, prv, int(data.draw(st.sampled_from(taken.tolist()), label="rel")))
        elif free.size:
            sch.occupy(slot, nxt, prv, int(data.draw(st.sampled_from(free.tolist()), label="occ")), step)
        sch.check(slot, nxt, prv, H)
        # a few lookups (which compress paths, so they also mutate the pointers)
        for _ in range(2):
            p = data.draw(st.integers(1, H + 3), label="p")
            lo = data.draw(st.integers(1, H + 2), label="lo")
            got = int(sch.choose_day(slot, nxt, prv, H, p, lo, det, meta, k.M_RNG))
            q = max(p, lo)
            assert got >= lo, f"choose_day({p=}, {lo=}) returned {got} < lo"
            if q > H:
                assert got == q  # beyond the horizon: kept as wanted (overflow)
            elif got <= H:
                assert slot[got] < 0, f"choose_day returned occupied day {got}"
            else:
                assert got == H + 1  # right side full up to the horizon, left side not allowed
            free_mask = np.zeros(H + 2, dtype=np.bool_)
            free_mask[1 : H + 1] = slot[1 : H + 1] < 0
            if not releases:
                # pointers are exact without releases: compare with a scan
                if det:
                    assert got == deterministic_choice(free_mask, H, p, lo), (p, lo)
                elif q <= H and not free_mask[q]:
                    r, l = nearest_free(free_mask, H, q, lo)
                    assert got in {r, l}, (p, lo, got, r, l)
                else:
                    assert got == q
        sch.check(slot, nxt, prv, H)


# =================================================================================
# (c) undo of the union-find, bit for bit
# =================================================================================
def dsu_copy(s: dsu.DSUState) -> tuple[NDArray[np.int64], ...]:
    return tuple(np.array(a, copy=True) for a in s)


def assert_restored(s: dsu.DSUState, saved: tuple[NDArray[np.int64], ...], m: int) -> None:
    parent, log, meta = s
    assert np.array_equal(parent, saved[0])
    assert np.array_equal(log[:m], saved[1][:m])
    assert np.array_equal(meta, saved[2])
    assert int(meta[dsu.LOG_SIZE]) == m


@pytest.mark.boundscheck
@given(n=st.integers(1, 40), data=st.data())
def test_dsu_undo_restores_bit_for_bit(n: int, data: st.DataObject) -> None:
    s = dsu.make(n)
    t = tuple(s)
    vert = st.integers(0, n - 1)
    saved: list[tuple[int, tuple[NDArray[np.int64], ...], NDArray[np.int64]]] = []
    for _ in range(data.draw(st.integers(1, 6), label="levels")):
        m = int(dsu.mark(t))
        ref = NaiveGraph(n)  # components from the parent array, via networkx
        for x in range(n):
            if int(s.parent[x]) >= 0:
                ref.edges.add((min(x, int(s.parent[x])), max(x, int(s.parent[x]))))
        saved.append((m, dsu_copy(s), np.asarray(ref.component_labels())))
        for a, b in data.draw(st.lists(st.tuples(vert, vert), max_size=3 * n), label="unions"):
            before = int(s.meta[dsu.COMPONENTS])
            joined = not bool(dsu.connected(t, a, b))
            work = int(dsu.union(t, a, b))
            assert work >= 1
            assert int(s.meta[dsu.COMPONENTS]) == before - joined
            assert bool(dsu.connected(t, a, b))
        dsu.check(s)
    # undo level by level, innermost first
    for m, snap, labels in reversed(saved):
        size = int(s.meta[dsu.LOG_SIZE])
        work = int(dsu.undo_to(t, m))
        assert work == size - m
        assert_restored(s, snap, m)
        dsu.check(s)
        roots = np.array([int(dsu.find(t, x)) for x in range(n)])
        # same partition as when the mark was taken
        assert np.array_equal(roots[:, None] == roots[None, :], labels[:, None] == labels[None, :])
    # undo to the current mark is a no-op
    snap = dsu_copy(s)
    assert int(dsu.undo_to(t, int(dsu.mark(t)))) == 0
    assert_restored(s, snap, int(dsu.mark(t)))


@given(n=st.integers(1, 30), data=st.data())
def test_dsu_insert_matches_networkx(n: int, data: st.DataObject) -> None:
    s = dsu.make(n)
    t = tuple(s)
    vert = st.integers(0, n - 1)
    edges = data.draw(st.lists(st.tuples(vert, vert), max_size=60), label="edges")
    pay_i = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    pay_f = np.ones(len(edges))
    ref = NaiveGraph(n)
    for i, (a, b) in enumerate(edges):
        dsu.insert(t, pay_i, pay_f, i)
        ref.edges.add((min(a, b), max(a, b)))
    dsu.check(s)
    assert int(s.meta[dsu.COMPONENTS]) == ref.num_components
    lab = ref.component_labels()
    for a in range(n):
        for b in range(n):
            assert bool(dsu.connected(t, a, b)) == (lab[a] == lab[b])
    assert int(dsu.undo_to(t, 0)) == n - ref.num_components
    assert np.all(s.parent == -1)
    assert int(s.meta[dsu.COMPONENTS]) == n


# =================================================================================
# (d) stats
# =================================================================================
@given(
    n=st.integers(1, 8),
    length=st.integers(0, 300),
    seed=st.integers(0, 2**32 - 1),
    use_run=st.booleans(),
    det=st.booleans(),
)
def test_exact_predictions_waste_nothing(n: int, length: int, seed: int, use_run: bool, det: bool) -> None:
    rng = np.random.default_rng(seed)
    events = random_events(rng, n, length, hot=3)
    batch = UpdateBatch.from_arrays(*events_arrays(events))
    g = DynamicConnectivity(n, predictors.exact(batch), seed=seed, deterministic_schedule=det, backstop=None)
    if use_run:
        g.run(batch)
    else:
        for o, a, b in events:
            g.insert(a, b) if o == 1 else g.delete(a, b)
    g.check()
    s = g.stats
    assert s.days == length
    assert s.retriggers == 0 and s.root_retriggers == 0 and s.retrigger_days == 0 and s.max_retrigger == 0
    assert s.reschedules == 0 and s.early_events == 0 and s.unpredicted_inserts == 0
    assert s.horizon_doublings == 0


def exact_deletion_days(events: list[tuple[int, int, int]]) -> list[int]:
    """For each update, the day of the deletion of the edge it inserts (0 if never or a deletion)."""
    out = [0] * len(events)
    pending: dict[tuple[int, int], int] = {}
    for j, (o, a, b) in enumerate(events):
        if o == 1:
            pending[(a, b)] = j
        else:
            out[pending.pop((a, b))] = j + 1
    return out


@pytest.mark.parametrize("length", [0, 1, 50, 1500])
def test_exact_predicted_deletions_never_retrigger(length: int) -> None:
    """The predicted-deletion model with exact deletion days (a sliding window in general)."""
    rng = np.random.default_rng(length)
    n = 7
    events = random_events(rng, n, length, hot=3)
    pdel = exact_deletion_days(events)
    g = DynamicConnectivity(n, backstop=None)
    ref = NaiveGraph(n)
    for j, (o, a, b) in enumerate(events):
        if o == 1:
            g.insert(a, b, predicted_deletion=pdel[j] or None)
        else:
            g.delete(a, b)
        ref.apply(o, a, b)
        if j % 250 == 0:
            g.check()
    g.check()
    assert g.num_components == ref.num_components
    s = g.stats
    assert s.retriggers == 0 and s.reschedules == 0
    assert s.unpredicted_inserts == sum(o for o, _, _ in events)
    assert s.horizon_doublings == (1 if length > 1024 else 0)


def test_unpredicted_deletion_is_a_root_retrigger() -> None:
    g = DynamicConnectivity(3, backstop=None)
    g.insert(0, 1)
    assert g.stats.retriggers == 0
    g.delete(0, 1)
    s = g.stats
    assert s.root_retriggers == 1 and s.retriggers == 1 and s.early_events >= 1
    assert s.max_retrigger == s.horizon
    g.check()
    assert not g.connected(0, 1)


def test_predicted_insert_unpredicted_delete_is_a_root_retrigger() -> None:
    g = DynamicConnectivity(3, Predictions.from_arrays([1], [0], [1], [1]), backstop=None)
    g.insert(0, 1)
    assert g.stats.unpredicted_inserts == 0 and g.stats.early_events == 0
    g.delete(0, 1)
    assert g.stats.root_retriggers == 1
    g.check()


def test_wrong_but_inside_horizon_deletion_is_a_local_retrigger() -> None:
    g = DynamicConnectivity(3, Predictions.from_arrays([1, 0], [0, 0], [1, 1], [1, 50]), backstop=None)
    g.insert(0, 1)
    g.delete(0, 1)  # day 2 instead of day 50
    s = g.stats
    assert s.retriggers == 1 and s.root_retriggers == 0 and s.early_events == 1
    assert 49 <= s.max_retrigger <= s.horizon
    g.check()


def test_late_deletion_is_rescheduled_and_retriggers() -> None:
    g = DynamicConnectivity(3, Predictions.from_arrays([1, 0], [0, 0], [1, 1], [1, 2]), backstop=None)
    g.insert(0, 1)
    g.insert(1, 2)  # day 2: the predicted deletion of {0, 1} did not happen
    s = g.stats
    assert s.reschedules == 1 and s.retriggers == 1 and s.root_retriggers == 0
    assert g.connected(0, 2)
    g.check()
    g.delete(0, 1)
    assert not g.connected(0, 2) and g.connected(1, 2)
    g.check()


@pytest.mark.parametrize("T", [1000, 1024, 4097, 100_000])
def test_dyadic_tree_is_balanced(T: int) -> None:
    for seed in range(5):
        root, left, right = build_tree(T, seed, 0, pt.DYADIC)
        assert int(pt.max_depth(root, left, right, T)) <= math.ceil(math.log2(T)) + 1


@pytest.mark.parametrize("mode", [pt.TREAP, pt.DYADIC])
@pytest.mark.parametrize("gap", [1, 8, 64])
def test_lca_window_size_is_local(mode: int, gap: int) -> None:
    """[LS] Lemma 7: the smallest window containing t and t + gap has expected size O(gap log T)."""
    T = 1 << 14
    rng = np.random.default_rng(gap)
    sizes = []
    for seed in range(40):
        root, left, right = build_tree(T, seed, 0, mode)
        for t in rng.integers(1, T - gap, size=25):
            _, size = pt.lca(root, left, right, T, int(t), int(t) + gap)
            sizes.append(int(size))
    mean = float(np.mean(sizes))
    assert mean <= 4 * gap * math.log2(T), mean
    assert mean < T / 8  # far from the whole tree
