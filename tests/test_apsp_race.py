"""The APSP backstop race: answers, work bounds, and the lifted side's work equal to running alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import predictors
from dynalgo import DynamicAPSP, UpdateBatch, offline_apsp
from structures import apsp_dynamic as dyn
from structures import race_apsp as _r

N, T = 12, 400


def _workload(seed: int = 3) -> tuple[UpdateBatch, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.integers(0, 10, size=N)
    present: set[tuple[int, int]] = set()
    ops, us, vs, ws = [], [], [], []
    for _ in range(T):
        a, b = int(rng.integers(N)), int(rng.integers(N))
        ops.append(0 if (a, b) in present else 1)
        present ^= {(a, b)}
        us.append(a)
        vs.append(b)
        ws.append(float(rng.integers(0, 20) + p[a] - p[b]))
    q = np.stack([np.arange(1, T + 1), rng.integers(0, N, T), rng.integers(0, N, T)], axis=1)
    return UpdateBatch.from_arrays(np.array(ops, np.int8), np.array(us), np.array(vs), np.array(ws)), q


def _max_backstop_update(batch: UpdateBatch) -> int:
    """The largest work of one update of the backstop alone on this sequence."""
    s = dyn.make(N)
    return max(1 + int(dyn.apply(s, int(o), int(a), int(b), float(w)))
               for o, a, b, w in zip(batch.op, batch.u, batch.v, batch.weight))


@pytest.mark.parametrize("mode", ["exact", "perturbed", "garbage", "none"])
@pytest.mark.parametrize("share", [1.0, 0.25, 4.0])
def test_raced_answers_and_work_bounds(mode: str, share: float) -> None:
    batch, q = _workload()
    preds = {"exact": predictors.exact(batch), "perturbed": predictors.perturbed(batch, 16.0, seed=1),
             "garbage": predictors.garbage(batch, seed=1), "none": None}[mode]
    g = DynamicAPSP(N, preds, backstop_share=share, race_quantum=16)
    got = g.run(batch, q)
    want = offline_apsp(N, batch, q)
    assert np.array_equal(np.isinf(got), np.isinf(want)) and np.allclose(got[np.isfinite(want)], want[np.isfinite(want)])
    r = g.stats.race
    assert r is not None and r.share == share
    assert r.days_lifted + r.days_backstop == T
    # clocks: the backstop is stepped only while its clock is not ahead, the lifted side only
    # while its clock is not ahead (by more than one step: a quantum, one insertion, one undo)
    b_clock = _r.B_FACTOR * r.backstop_work / share
    assert b_clock <= r.lifted_work + T * (_r.B_FACTOR * _max_backstop_update(batch) / share + 1)
    one_step = 16 + (1 + 3 * N + N * N) + 20 * N * N
    assert r.lifted_work <= b_clock + T * one_step
    g.check()


def test_race_does_at_most_the_lifted_work_of_the_lifted_structure_alone() -> None:
    """Stepping in chunks (resumable windows) and skipping the leaves of a lagging lifted side
    handles the same events (same schedule counters) with no more windows and insertions."""
    batch, q = _workload(5)
    pred = predictors.perturbed(batch, 16.0, seed=2)
    alone = DynamicAPSP(N, pred, backstop=None)
    a_ans = alone.run(batch, q)
    raced = DynamicAPSP(N, pred, race_quantum=1)
    r_ans = raced.run(batch, q)
    assert np.array_equal(a_ans, r_ans)
    assert raced._race is not None
    raced._race.catch_up()
    a = alone.stats
    b = dataclasses.replace(raced.stats, race=None)
    skipped = ("windows_entered", "base_inserts", "base_work", "scan_work")
    assert dataclasses.replace(a, **{k: 0 for k in skipped}) == dataclasses.replace(b, **{k: 0 for k in skipped})
    for k in skipped:
        assert getattr(b, k) <= getattr(a, k), k
    assert np.array_equal(alone.distances(), raced._race.backstop.d)


def test_a_slow_backstop_lets_exact_predictions_answer() -> None:
    batch, q = _workload(7)
    g = DynamicAPSP(N, predictors.exact(batch), backstop_share=0.01)
    g.run(batch, q)
    r = g.stats.race
    assert r is not None and r.days_lifted >= 0.9 * T and g.stats.retriggers == 0
    g.check()


def test_without_predictions_the_backstop_answers() -> None:
    batch, q = _workload(9)
    g = DynamicAPSP(N, None)
    g.run(batch, q)
    r = g.stats.race
    assert r is not None and r.days_backstop > 0.6 * T and r.max_lifted_backlog > 10
