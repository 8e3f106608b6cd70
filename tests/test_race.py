"""The backstop race of DynamicConnectivity: who answers, work, resumability, the backstop's memory."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import predictors
from bench.workloads import churn
from dynalgo import DynamicConnectivity, HDTConnectivity, InvalidInputError, UpdateBatch
from structures import engine as _k
from structures import hdt as _hdt
from structures import race_dsu_hdt as _r
from tests.naive import replay_answers

N, INITIAL, UPDATES = 400, 800, 3000


def _workload() -> tuple[UpdateBatch, np.ndarray]:
    batch = churn(N, INITIAL, UPDATES, seed=3)
    T = len(batch)
    rng = np.random.default_rng(0)
    q = np.stack([np.arange(1, T + 1), rng.integers(0, N, T), rng.integers(0, N, T)], axis=1)
    return batch, q


def _preds(batch: UpdateBatch, mode: str) -> predictors.PredictionArrays | None:
    if mode == "none":
        return None
    if mode == "exact":
        return predictors.exact(batch)
    if mode == "perturbed":
        return predictors.perturbed(batch, 16.0, seed=1)
    return predictors.garbage(batch, seed=1)


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    batch, q = _workload()
    return HDTConnectivity(N).run(batch, q)


@pytest.mark.parametrize("mode", ["exact", "perturbed", "garbage", "none"])
@pytest.mark.parametrize("share", [1.0, 0.25])
def test_raced_answers_and_work_bounds(mode: str, share: float, reference: np.ndarray) -> None:
    batch, q = _workload()
    T = len(batch)
    g = DynamicConnectivity(N, _preds(batch, mode), backstop_share=share)
    assert (g.run(batch, q) == reference).all()
    r = g.stats.race
    assert r is not None and r.share == share
    assert r.days_lifted + r.days_backstop == T
    # [LS] Thm C.1 in our units: each side's work is bounded by the other's (scaled by the
    # share) plus one step per day (a lifted chunk overshoots by at most its base work)
    hdt_per_update = 1 + _r.WALKS * 9 * 100  # generous bound on one HDT update at n = 400
    assert r.backstop_work <= share * r.lifted_work + T * hdt_per_update
    assert r.lifted_work <= r.backstop_work / share + T * (64 + 16 * 9)
    g.check()


@pytest.mark.parametrize("mode", ["garbage", "none"])
def test_without_useful_predictions_the_backstop_answers_most_days(mode: str) -> None:
    batch, q = _workload()
    g = DynamicConnectivity(N, _preds(batch, mode))
    g.run(batch, q)
    r = g.stats.race
    assert r is not None
    assert r.days_backstop > 0.6 * len(batch)
    assert r.max_lifted_backlog > 100  # the lifted side fell far behind


def test_with_exact_predictions_the_lifted_side_answers_almost_every_day() -> None:
    batch, q = _workload()
    g = DynamicConnectivity(N, predictors.exact(batch))
    g.run(batch, q)
    r = g.stats.race
    assert r is not None
    assert r.days_lifted >= 0.9 * len(batch)
    assert r.lifted_backlog == 0
    assert g.stats.retriggers == 0


@pytest.mark.parametrize("mode", ["exact", "perturbed", "garbage", "none"])
def test_adaptive_share_answers_and_work_bounds(mode: str, reference: np.ndarray) -> None:
    """The default race adapts its share within [1/8, 8]: each side's work stays within 8
    times the other's plus one step per day, and the cheaper side ends up with the work."""
    from dynalgo.connectivity import ADAPTIVE_RANGE as R

    batch, q = _workload()
    T = len(batch)
    g = DynamicConnectivity(N, _preds(batch, mode))
    assert (g.run(batch, q) == reference).all()
    r = g.stats.race
    assert r is not None and r.share in (1 / R, 1.0, R)
    assert r.days_lifted + r.days_backstop == T
    hdt_per_update = 1 + _r.WALKS * 9 * 100
    assert r.backstop_work <= R * r.lifted_work + T * hdt_per_update
    assert r.lifted_work <= R * r.backstop_work + T * (64 + 16 * 9)
    alone = DynamicConnectivity(N, _preds(batch, mode), backstop=None)
    alone.run(batch, q)
    if mode == "exact":  # the lifted side is far cheaper: the backstop is starved to 1/8
        assert r.share == 1 / R and r.days_lifted > r.days_backstop
    if mode in ("garbage", "none"):  # the backstop is cheaper: the lifted side gets 1/8 of its work
        assert r.share == R and r.lifted_work <= r.backstop_work / R + T * (64 + 16 * 9)
        assert r.lifted_work < alone.stats.work
    g.check()


def test_race_does_the_lifted_work_of_the_lifted_structure_alone() -> None:
    """Stepping in chunks (resumable windows) does exactly the work of advance()."""
    batch, q = _workload()
    pred = predictors.perturbed(batch, 16.0, seed=2)
    alone = DynamicConnectivity(N, pred, backstop=None)
    alone.run(batch, q)
    raced = DynamicConnectivity(N, pred, race_quantum=1)
    raced.run(batch, q)
    assert raced._race is not None
    raced._race.catch_up()
    a = alone.stats
    b = dataclasses.replace(raced.stats, race=None)
    assert a == b


def test_unpredicted_root_retrigger_is_split_across_many_steps() -> None:
    """A never-predicted deletion retriggers the root: the lifted side needs O(horizon)
    work for it, done in many bounded steps while the backstop answers."""
    n, m = 200, 1500
    rng = np.random.default_rng(7)
    u = rng.integers(0, n, m)
    v = (u + 1 + rng.integers(0, n - 1, m)) % n
    keys = np.unique(np.stack([np.minimum(u, v), np.maximum(u, v)], axis=1), axis=0)
    ins = UpdateBatch.from_arrays(np.ones(len(keys), dtype=np.int8), keys[:, 0], keys[:, 1])
    g = DynamicConnectivity(n, predictors.exact(ins), race_quantum=16)
    g.run(ins)
    r0 = g.stats.race
    assert r0 is not None and r0.lifted_backlog == 0 and g.stats.root_retriggers == 0
    scan0, steps0, won_b0 = g.stats.scan_work, r0.lifted_steps, r0.days_backstop
    a, b = (int(x) for x in keys[0])
    g.delete(a, b)  # never predicted
    s = g.stats
    assert s.root_retriggers == 1
    assert s.race is not None and s.race.days_lifted + s.race.days_backstop == r0.days_lifted + won_b0 + 1
    # the root's sibling scans (O(horizon)) were interleaved with backstop updates in many steps
    assert s.race.lifted_steps - steps0 >= 10
    assert s.race.backstop_work > r0.backstop_work
    # keep going with cheap days until the lifted side is back
    extra = keys[len(keys) // 2 :]
    for k in range(len(extra)):
        g.delete(int(extra[k, 0]), int(extra[k, 1])) if k % 2 == 0 else g.insert(int(extra[k - 1, 0]), int(extra[k - 1, 1]))
        if g.stats.race is not None and g.stats.race.lifted_backlog == 0:
            break
    s = g.stats
    assert s.race is not None
    # the root window's sibling scans (about the horizon, 1024+ slots) were done in many steps
    assert s.scan_work - scan0 >= s.horizon // 2
    assert s.race.lifted_steps - steps0 >= 20
    g.check()


def test_step_api_races_too() -> None:
    g = DynamicConnectivity(5)
    g.insert(0, 1)
    g.insert(1, 2)
    assert g.connected(0, 2) and g.num_components == 3
    g.delete(0, 1)
    assert not g.connected(0, 2)
    r = g.stats.race
    assert r is not None and r.days_lifted + r.days_backstop == 3 and r.backstop_work > 0
    g.check()
    assert DynamicConnectivity(5, backstop=None).stats.race is None


def test_small_batches_match_networkx_answers() -> None:
    batch, q = _workload()
    g = DynamicConnectivity(N, predictors.perturbed(batch, 4.0, seed=5), backstop_share=0.5)
    pos = 0
    answers: list[bool] = []
    for size in (1, 7, 500, 3, 1200, 10_000):
        part = batch[pos : pos + size]
        qq = q[(q[:, 0] > pos) & (q[:, 0] <= pos + size)].copy()
        qq[:, 0] -= pos
        answers += g.run(part, qq).tolist()
        pos += len(part)
        if pos >= len(batch):
            break
    events = list(zip(batch.op.tolist(), batch.u.tolist(), batch.v.tolist()))
    assert answers == replay_answers(N, events, q.tolist())
    g.check()


@pytest.mark.parametrize("kw", [dict(backstop="bfs"), dict(backstop_share=0.0), dict(backstop_share=float("inf")),
                                dict(backstop_share=True), dict(race_quantum=0), dict(race_quantum=1.5)])
def test_bad_race_arguments(kw: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError):
        DynamicConnectivity(4, **kw)  # type: ignore[arg-type]


def test_path_done_after_reset() -> None:
    g = DynamicConnectivity(3)
    assert g._race is not None and g._race.lifted_caught_up()
    assert int(g._engine.meta[_k.M_SCANPOS]) == 0


@pytest.mark.boundscheck
def test_backstop_grows_inside_the_race_and_when_catching_up() -> None:
    """HDT's node pool starts with one node per vertex; the race kernel stops when it must
    grow (and resumes), and so does catching up a lagging backstop."""
    batch, q = _workload()
    ref = HDTConnectivity(N).run(batch, q)
    g = DynamicConnectivity(N, predictors.garbage(batch, seed=2))
    start = g._race.hdt.ett.left.shape[0] if g._race is not None else 0
    assert start < N + 100
    assert (g.run(batch, q) == ref).all()
    assert g._race is not None and g._race.hdt.ett.left.shape[0] > start
    g.check()
    # exact predictions: the lifted side answers and the backstop lags far behind
    g = DynamicConnectivity(N, predictors.exact(batch))
    assert (g.run(batch, q) == ref).all()
    race = g._race
    assert race is not None and not race.backstop_caught_up()
    twin = race.clone()
    before = twin.hdt.ett.left.shape[0]
    twin.catch_up()
    assert twin.backstop_caught_up() and twin.hdt.ett.left.shape[0] > before
    _hdt.check(twin.hdt)
    assert int(twin.hdt.meta[_hdt.M_COMPONENTS]) == g.num_components
    g.check()


def test_empty_backstop_is_small() -> None:
    n = 10**5
    g = DynamicConnectivity(n)
    assert g._race is not None and _hdt.state_bytes(g._race.hdt) <= 300 * n
