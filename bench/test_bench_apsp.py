"""pytest-benchmark benchmarks of dynamic APSP on the issue's two workloads.

Not collected by the default test run.  Run::

    python -m pytest bench/test_bench_apsp.py -p no:cacheprovider --benchmark-only

Workloads (:func:`bench.apsp.workload`): ``small`` n = 300, 1,500 arcs, 300
updates; ``large`` n = 1,000, 10,000 arcs, 2,000 updates; weights uniform in
[1, 100), one distance query per day.  Groups:

* ``apsp-<workload>-update-phase``: the update phase alone (the structure holds
  the built graph; ``benchmark.pedantic`` with a ``setup`` that builds it,
  untimed), answering one query per day: lifted exact, backstop, raced exact,
  and (small only) NetworKit's n DynDijkstra instances;
* ``apsp-<workload>-sequence``: the whole sequence end to end: offline and
  lifted exact;
* ``apsp-<workload>-recompute``: one scipy all-pairs Dijkstra recompute on the
  built graph (what "recompute per update" costs per update).

Kernels are compiled by the session fixture before any timing; every answer is
checked against offline's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")

import predictors  # noqa: E402
from bench.apsp import SIZES, _same, warm_kernels, workload  # noqa: E402
from dynalgo import DynamicAPSP, offline_apsp  # noqa: E402
from structures import apsp_dynamic as dyn  # noqa: E402


class Workload:
    def __init__(self, name: str) -> None:
        s = SIZES[name]
        self.name = name
        self.n, self.m, self.U = s["n"], s["m"], s["updates"]
        self.batch, self.q = workload(self.n, self.m, self.U)
        self.ref = offline_apsp(self.n, self.batch, self.q)
        self.build = self.batch[: self.m]
        self.upd = self.batch[self.m :]
        self.q_upd = self.q[self.m :].copy()
        self.q_upd[:, 0] -= self.m
        self.preds = predictors.exact(self.batch)


@pytest.fixture(scope="session")
def warm() -> dict[str, float]:
    return warm_kernels()


_CACHE: dict[str, Workload] = {}


@pytest.fixture(scope="session", params=["small", "large"])
def wl(request: Any, warm: dict[str, float]) -> Workload:
    name = str(request.param)
    if name not in _CACHE:
        _CACHE[name] = Workload(name)
    return _CACHE[name]


def _group(benchmark: Any, wl: Workload, what: str) -> None:
    benchmark.group = f"apsp-{wl.name}-{what}"
    benchmark.extra_info.update(n=wl.n, arcs=wl.m, updates=wl.U)


@pytest.mark.parametrize("contender", ["lifted-exact", "backstop", "raced-exact", "networkit-dyndijkstra"])
def test_update_phase(benchmark: Any, wl: Workload, contender: str) -> None:
    _group(benchmark, wl, "update-phase")
    holder: list[Any] = []
    if contender == "networkit-dyndijkstra":
        nk = pytest.importorskip("networkit")
        if wl.n > 300:
            pytest.skip("n DynDijkstra instances only on the small workload")
        nk.setNumberOfThreads(1)
        GE = nk.dynamics.GraphEvent
        b = wl.batch

        def setup_nk() -> tuple[tuple[Any, ...], dict[str, Any]]:
            G = nk.Graph(wl.n, weighted=True, directed=True)
            for k in range(wl.m):
                G.addEdge(int(b.u[k]), int(b.v[k]), float(b.weight[k]))
            inst = [nk.distance.DynDijkstra(G, s) for s in range(wl.n)]
            for d in inst:
                d.run()
            return (G, inst), {}

        def run_nk(G: Any, inst: list[Any]) -> np.ndarray:
            out = np.zeros(wl.U)
            for j, k in enumerate(range(wl.m, len(b))):
                a, c = int(b.u[k]), int(b.v[k])
                if b.op[k] == 1:
                    G.addEdge(a, c, float(b.weight[k]))
                    ev = GE(GE.EDGE_ADDITION, a, c, float(b.weight[k]))
                else:
                    G.removeEdge(a, c)
                    ev = GE(GE.EDGE_REMOVAL, a, c, 0.0)
                for d in inst:
                    d.update(ev)
                x = inst[int(wl.q[k, 1])].distance(int(wl.q[k, 2]))
                out[j] = np.inf if x > 1e300 else x
            return out

        ans = benchmark.pedantic(run_nk, setup=setup_nk, rounds=3, iterations=1)
    elif contender == "backstop":
        def setup_b() -> tuple[tuple[Any, ...], dict[str, Any]]:
            s = dyn.make(wl.n)
            dyn.run_batch(s, wl.build.op.astype(np.int64), wl.build.u, wl.build.v, wl.build.weight,
                          np.zeros((0, 3), np.int64), np.zeros(0))
            return (s,), {}

        def run_b(s: Any) -> np.ndarray:
            out = np.zeros(wl.U)
            dyn.run_batch(s, wl.upd.op.astype(np.int64), wl.upd.u, wl.upd.v, wl.upd.weight, wl.q_upd, out)
            return out

        ans = benchmark.pedantic(run_b, setup=setup_b, rounds=5, iterations=1)
    else:
        backstop = None if contender == "lifted-exact" else "dynamic"

        def setup_l() -> tuple[tuple[Any, ...], dict[str, Any]]:
            g = DynamicAPSP(wl.n, wl.preds, backstop=backstop)
            g.run(wl.build)
            holder.append(g)
            return (g,), {}

        ans = benchmark.pedantic(lambda g: g.run(wl.upd, wl.q_upd), setup=setup_l,
                                 rounds=3 if wl.n <= 300 else 1, iterations=1)
    assert _same(ans, wl.ref[wl.m :])
    benchmark.extra_info["per_update_ms"] = 1e3 * benchmark.stats.stats.median / wl.U


@pytest.mark.parametrize("contender", ["offline", "lifted-exact"])
def test_sequence(benchmark: Any, wl: Workload, contender: str) -> None:
    _group(benchmark, wl, "sequence")
    if contender == "offline":
        ans = benchmark.pedantic(offline_apsp, args=(wl.n, wl.batch, wl.q), rounds=1 if wl.n > 300 else 3,
                                 iterations=1)
    else:
        ans = benchmark.pedantic(lambda: DynamicAPSP(wl.n, wl.preds, backstop=None).run(wl.batch, wl.q),
                                 rounds=1 if wl.n > 300 else 3, iterations=1)
    assert _same(ans, wl.ref)


def test_scipy_recompute(benchmark: Any, wl: Workload) -> None:
    import scipy.sparse as sp
    from scipy.sparse.csgraph import shortest_path

    _group(benchmark, wl, "recompute")
    b = wl.build
    G = sp.csr_matrix((b.weight, (b.u, b.v)), shape=(wl.n, wl.n))
    D = benchmark.pedantic(shortest_path, args=(G,), kwargs={"method": "D", "directed": True}, rounds=3,
                           iterations=1)
    g = DynamicAPSP(wl.n, backstop="dynamic")
    g.run(b)
    assert _same(D, g.distances())
