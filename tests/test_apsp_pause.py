"""The backstop's paused updates (``apsp_dynamic.step``) and the race built on them.

An update stepped with small budgets, pausing between rows of an insertion and
between sources of a deletion, must leave exactly the state of the atomic
update, with the same total work; the race must answer like scipy whatever
the floor of the loser's share.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

import predictors
from bench.apsp_workloads import hub_failures, road_closures
from dynalgo import DynamicAPSP
from structures import apsp_dynamic as dyn


def _ops(rng: np.random.Generator, n: int, T: int) -> list[tuple[int, int, int, float]]:
    pot = rng.integers(0, 10, n)
    present: set[tuple[int, int]] = set()
    out = []
    for _ in range(T):
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if (a, b) in present:
            present.discard((a, b))
            out.append((0, a, b, 0.0))
        else:
            present.add((a, b))
            out.append((1, a, b, float(rng.integers(0, 20) + pot[a] - pot[b])))
    return out


@pytest.mark.boundscheck
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("undirected", [False, True])
def test_paused_updates_equal_atomic_ones(seed: int, undirected: bool) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 14))
    ops = _ops(rng, n, 200)
    if undirected:  # non-negative weights: a negative edge is a negative cycle
        ops = [(o, min(a, b), max(a, b), abs(w)) for o, a, b, w in ops]
        seen: set[tuple[int, int]] = set()
        fixed = []
        for o, a, b, w in ops:
            o = 0 if (a, b) in seen else 1
            seen ^= {(a, b)}
            fixed.append((o, a, b, w))
        ops = fixed
    s1, s2 = dyn.make(n, undirected), dyn.make(n, undirected)
    for o, a, b, w in ops:
        w1 = int(dyn.apply(s1, o, a, b, w))
        total, steps = 0, 0
        while True:
            used, done = dyn.step(s2, o, a, b, w, int(rng.integers(1, 6)))
            total += int(used)
            steps += 1
            if done:
                break
            assert dyn.paused(s2)
        assert not dyn.paused(s2)
        assert total == w1
        assert np.array_equal(s1.d, s2.d) and np.array_equal(s1.pred, s2.pred) and np.array_equal(s1.W, s2.W)
    dyn.check(s2)


def test_check_completes_a_paused_update_on_a_copy() -> None:
    s = dyn.make(6)
    for a in range(1, 5):
        dyn.apply(s, 1, a, 0, 1.0)
    dyn.apply(s, 1, 0, 5, 1.0)
    used, done = dyn.step(s, 0, 0, 5, 0.0, 1)  # five sources use the arc: one is repaired
    assert not done and dyn.paused(s)
    dyn.check(s)
    assert dyn.paused(s)
    dyn.finish(s)
    assert not dyn.paused(s) and np.all(np.isinf(s.d[:5, 5]))
    dyn.check(s)


def _scipy(n: int, arcs: dict[tuple[int, int], float]) -> np.ndarray:
    if not arcs:
        return np.where(np.eye(n, dtype=bool), 0.0, np.inf)
    r, c = zip(*arcs)
    return shortest_path(csr_matrix((list(arcs.values()), (r, c)), shape=(n, n)), method="D")


@pytest.mark.parametrize("floor", [1.0, 1.0 / 16.0, 0.001])
@pytest.mark.parametrize("mode", ["exact", "perturbed", "none"])
@pytest.mark.parametrize("k", [0, 1])
def test_race_with_paused_backstop_against_scipy(floor: float, mode: str, k: int) -> None:
    wl = [road_closures(4, 5, 80, duration=8, seed=3), hub_failures(24, 4, 80, duration=6, seed=5)][k]
    b = wl.batch
    preds = {"exact": predictors.exact(b), "perturbed": predictors.perturbed(b, 16.0, seed=3), "none": None}[mode]
    g = DynamicAPSP(wl.n, preds, race_floor=floor, race_quantum=4)
    arcs: dict[tuple[int, int], float] = {}
    for t in range(len(b)):
        a, c = int(b.u[t]), int(b.v[t])
        if b.op[t] == 1:
            g.insert(a, c, float(b.weight[t]))
            arcs[(a, c)] = float(b.weight[t])
        else:
            g.delete(a, c)
            del arcs[(a, c)]
        assert np.array_equal(g.distances(), _scipy(wl.n, arcs)), f"day {t + 1}"
        if t % 25 == 0:
            g.check()
    g.check()
    r = g.stats.race
    assert r is not None and r.days_lifted + r.days_backstop == len(b)


def test_race_floor_is_validated() -> None:
    from dynalgo.errors import InvalidInputError

    for bad in (0, 0.0, -0.5, 1.5, True, "x", float("nan")):
        with pytest.raises(InvalidInputError, match="race_floor"):
            DynamicAPSP(4, race_floor=bad)  # type: ignore[arg-type]
    g = DynamicAPSP(4, race_floor=1)
    g.insert(0, 1, 1.0)
    assert g.distance(0, 1) == 1.0
