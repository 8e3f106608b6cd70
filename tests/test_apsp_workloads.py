"""The benchmark workloads of ``bench.apsp_workloads`` against scipy, and the monotone sweeps of offline.

Small instances of the road grid with planned closures and of the hub network
with ring-arc and hub failures are replayed day by day: the lifted structure
(exact and perturbed predictions, alone and raced), the backstop and
``offline_apsp`` must all equal scipy's all-pairs Dijkstra on every day, and
the lifted structure's invariants must hold.
``offline_apsp`` sweeps windows of insertions only or deletions only instead
of descending into them; random sequences made of long monotone runs, queried
on every day or on a few, check those sweeps.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

import predictors
from bench.apsp_workloads import Workload, hub_failures, road_closures
from dynalgo import DynamicAPSP, UpdateBatch, offline_apsp
from structures import apsp_dynamic as dyn


def scipy_days(wl: Workload) -> list[np.ndarray]:
    """All-pairs distances after every day (index 0: the empty graph)."""
    n = wl.n
    arcs: dict[tuple[int, int], float] = {}
    out = [np.where(np.eye(n, dtype=bool), 0.0, np.inf)]
    b = wl.batch
    for k in range(len(b)):
        a, c = int(b.u[k]), int(b.v[k])
        if b.op[k] == 1:
            arcs[(a, c)] = float(b.weight[k])
        else:
            del arcs[(a, c)]
        if arcs:
            r, s = zip(*arcs)
            g = csr_matrix((list(arcs.values()), (r, s)), shape=(n, n))
            neg = min(arcs.values()) < 0
            out.append(shortest_path(g, method="J" if neg else "D", directed=True))
        else:
            out.append(out[0])
    return out


def small_workloads() -> list[Workload]:
    return [road_closures(4, 5, 60, duration=8, seed=3), hub_failures(24, 4, 60, duration=6, seed=5)]


@pytest.mark.boundscheck
@pytest.mark.parametrize("k", [0, 1])
@pytest.mark.parametrize("mode", ["exact", "perturbed", "raced"])
def test_workloads_day_by_day_against_scipy(k: int, mode: str) -> None:
    wl = small_workloads()[k]
    ref = scipy_days(wl)
    b = wl.batch
    preds = predictors.exact(b) if mode != "perturbed" else predictors.perturbed(b, 16.0, seed=3)
    g = DynamicAPSP(wl.n, preds, backstop="dynamic" if mode == "raced" else None)
    bs = dyn.make(wl.n)
    for t in range(len(b)):
        u, v = int(b.u[t]), int(b.v[t])
        if b.op[t] == 1:
            g.insert(u, v, float(b.weight[t]))
        else:
            g.delete(u, v)
        dyn.apply(bs, int(b.op[t]), u, v, float(b.weight[t]))
        assert np.array_equal(g.distances(), ref[t + 1]), f"day {t + 1}"
        assert np.array_equal(bs.d, ref[t + 1]), f"backstop, day {t + 1}"
        if t % 10 == 0:
            g.check()
    g.check()
    q = wl.queries
    want = np.array([ref[d][x, y] for d, x, y in q.tolist()])
    assert np.array_equal(offline_apsp(wl.n, b, q), want)
    h = DynamicAPSP(wl.n, preds, backstop=None)
    assert np.array_equal(h.run(b, q), want)


def monotone_runs(rng: np.random.Generator, n: int, runs: int, run_len: int) -> UpdateBatch:
    """Alternating runs of insertions only and deletions only (random arcs, integer weights, some negative
    through vertex potentials, so no negative cycle)."""
    p = rng.integers(0, 20, n)
    present: list[tuple[int, int]] = []
    ops, us, vs, ws = [], [], [], []
    for r in range(runs):
        for _ in range(int(rng.integers(1, run_len + 1))):
            if r % 2 == 0 or not present:
                while True:
                    a, c = (int(x) for x in rng.integers(0, n, 2))
                    if (a, c) not in present:
                        break
                present.append((a, c))
                ops.append(1)
                ws.append(float(rng.integers(0, 30) + p[a] - p[c]))
            else:
                a, c = present.pop(int(rng.integers(len(present))))
                ops.append(0)
                ws.append(0.0)
            us.append(a)
            vs.append(c)
    return UpdateBatch.from_arrays(ops, us, vs, ws)


@pytest.mark.boundscheck
@pytest.mark.parametrize("seed", range(6))
def test_offline_sweeps_against_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 12))
    b = monotone_runs(rng, n, int(rng.integers(1, 8)), int(rng.integers(1, 40)))
    T = len(b)
    wl = Workload("runs", n, b.op.tolist(), b.u.tolist(), b.v.tolist(), b.weight.tolist(), 0, seed)
    ref = scipy_days(wl)
    for q in (wl.queries, wl.queries[::5], wl.queries[: max(1, T // 3)]):
        want = np.array([ref[d][x, y] for d, x, y in q.tolist()])
        assert np.array_equal(offline_apsp(n, b, q), want)
