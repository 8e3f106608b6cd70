"""Contingency screening (N-1 and sampled N-2) on a power grid.

    python -m bench.contingency [--case case2869pegase] [--pairs 5000] [--json PATH] [--synthetic]

Buses are vertices; in-service lines and transformers are edges (parallel
branches kept); the reference is the external-grid (slack) bus.  For every
contingency the contenders report the number of buses cut off from the
reference:

* ``dynalgo.screen_contingencies``: the lifting engine with exact predictions
  over a union-find by size (one compiled call for the whole list);
* scipy: ``scipy.sparse.csgraph.connected_components`` recomputed per
  contingency on the graph without the outaged branches (edge mask, CSR build);
* NetworKit ``DynConnectedComponents`` (optional): remove the branches, update,
  read the reference's component size, restore.

Grids come from pandapower (optional dependency); ``--synthetic`` uses a
generated meshed grid of the same size instead.  Kernels are warmed first;
medians of ``--reps`` runs for dynalgo, one run for the peers; answers compared
contingency by contingency.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from dynalgo import screen_contingencies


def pandapower_grid(case: str) -> tuple[int, np.ndarray, int]:
    """``(n, branches (m, 2), reference bus)`` of a pandapower test case, buses relabelled 0..n-1."""
    import pandapower.networks as pn

    net = getattr(pn, case)()
    buses = net.bus.index[net.bus.in_service.astype(bool)].to_numpy()
    idx = {int(b): i for i, b in enumerate(buses)}
    ends = []
    for tab, a, b in ((net.line, "from_bus", "to_bus"), (net.trafo, "hv_bus", "lv_bus")):
        on = tab[tab.in_service.astype(bool)]
        for x, y in zip(on[a].to_numpy(), on[b].to_numpy()):
            if int(x) in idx and int(y) in idx:
                ends.append((idx[int(x)], idx[int(y)]))
    if len(net.trafo3w):
        on = net.trafo3w[net.trafo3w.in_service.astype(bool)]
        for h, m_, l_ in zip(on.hv_bus, on.mv_bus, on.lv_bus):
            ends.append((idx[int(h)], idx[int(m_)]))
            ends.append((idx[int(h)], idx[int(l_)]))
    ref = idx[int(net.ext_grid.bus.iloc[0])] if len(net.ext_grid) else 0
    return len(buses), np.asarray(ends, dtype=np.int64), ref


def synthetic_grid(n: int, m: int, seed: int = 0) -> tuple[int, np.ndarray, int]:
    """A connected sparse grid: a random tree over points on a plane plus short extra branches."""
    rng = np.random.default_rng(seed)
    xy = rng.random((n, 2))
    order = np.argsort(xy[:, 0])
    ends = []
    for k in range(1, n):
        j = order[k]
        cand = order[max(0, k - 8) : k]
        near = cand[np.argmin(((xy[cand] - xy[j]) ** 2).sum(1))]
        ends.append((int(near), int(j)))
    while len(ends) < m:
        a = int(rng.integers(0, n))
        k = int(np.searchsorted(xy[order, 0], xy[a, 0]))
        b = int(order[min(n - 1, max(0, k + int(rng.integers(-6, 7))))])
        if a != b:
            ends.append((a, b))
    return n, np.asarray(ends, dtype=np.int64), 0


def scipy_screen(n: int, branches: np.ndarray, cont: list[tuple[int, ...]], ref: int) -> np.ndarray:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    m = len(branches)
    data = np.ones(m, dtype=np.int8)
    out = np.empty(len(cont), dtype=np.int64)
    keep = np.ones(m, dtype=bool)
    for j, o in enumerate(cont):
        keep[list(o)] = False
        g = csr_matrix((data[keep], (branches[keep, 0], branches[keep, 1])), shape=(n, n))
        _, lab = connected_components(g, directed=False)
        out[j] = np.count_nonzero(lab != lab[ref])
        keep[list(o)] = True
    return out


def networkit_screen(n: int, branches: np.ndarray, cont: list[tuple[int, ...]], ref: int) -> tuple[np.ndarray, float]:
    """Answers and seconds (excluding the initial build, timed separately by the caller)."""
    import networkit as nk

    # one thread: its dynamic components are sequential, and idle OpenMP workers only
    # add overhead (10x slower with 2 threads on a busy 2-core machine)
    nk.setNumberOfThreads(1)
    G = nk.Graph(n)
    for a, b in branches.tolist():
        G.addEdge(a, b)
    G.indexEdges()
    cc = nk.components.DynConnectedComponents(G)
    cc.run()
    GE = nk.dynamics.GraphEvent
    ADD = nk.dynamics.GraphEventType.EDGE_ADDITION
    REM = nk.dynamics.GraphEventType.EDGE_REMOVAL
    out = np.empty(len(cont), dtype=np.int64)
    t0 = time.perf_counter()
    for j, o in enumerate(cont):
        for x in o:
            a, b = int(branches[x, 0]), int(branches[x, 1])
            G.removeEdge(a, b)
            cc.update(GE(REM, a, b, 1.0))
        out[j] = n - cc.getComponentSizes()[cc.componentOfNode(ref)]
        for x in reversed(o):
            a, b = int(branches[x, 0]), int(branches[x, 1])
            G.addEdge(a, b)
            cc.update(GE(ADD, a, b, 1.0))
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", default="case2869pegase")
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--pairs", type=int, default=5000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--skip-networkit", action="store_true")
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    if args.synthetic:
        n, branches, ref = synthetic_grid(2869, 4582)
        grid = "synthetic (2,869 buses, 4,582 branches)"
    else:
        n, branches, ref = pandapower_grid(args.case)
        grid = f"pandapower {args.case}"
    m = len(branches)
    rng = np.random.default_rng(0)
    suites = {
        "N-1": [(j,) for j in range(m)],
        "N-2 sample": [tuple(int(x) for x in rng.choice(m, 2, replace=False)) for _ in range(args.pairs)],
    }
    t0 = time.perf_counter()
    screen_contingencies(4, [[0, 1], [1, 2]], [0, 1])
    warm = time.perf_counter() - t0
    results: dict[str, Any] = {}
    for name, cont in suites.items():
        row: dict[str, Any] = {"contingencies": len(cont)}
        times = []
        rep = None
        for _ in range(args.reps):
            t0 = time.perf_counter()
            rep = screen_contingencies(n, branches, cont, reference=ref)
            times.append(time.perf_counter() - t0)
        assert rep is not None
        row["dynalgo_seconds"] = float(np.median(times))
        row["islanding"] = int(np.count_nonzero(rep.splits))
        row["max_islanded"] = int(rep.new_islands.max()) if len(cont) else 0
        t0 = time.perf_counter()
        ref_ans = scipy_screen(n, branches, cont, ref)
        row["scipy_seconds"] = time.perf_counter() - t0
        row["scipy_equal"] = bool(np.array_equal(ref_ans, rep.islanded))
        row["speedup_vs_scipy"] = row["scipy_seconds"] / row["dynalgo_seconds"]
        if not args.skip_networkit:
            try:
                nk_ans, nk_sec = networkit_screen(n, branches, cont, ref)
                row["networkit_seconds"] = nk_sec
                row["networkit_equal"] = bool(np.array_equal(nk_ans, rep.islanded))
                row["speedup_vs_networkit"] = nk_sec / row["dynalgo_seconds"]
            except ImportError:
                pass
        results[name] = row
    res = {"grid": grid, "n": n, "branches": m, "reference": ref, "warmup_seconds": warm, "results": results,
           "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()}}
    lines = [f"# Contingency screening: {grid}: {n:,} buses, {m:,} branches", "",
             f"First call (compile or cache load): {warm:.2f} s. dynalgo: median of {args.reps}; peers: one run.", "",
             "| suite | contingencies | islanding | dynalgo (s) | scipy (s) | x scipy | NetworKit (s) | x NetworKit | answers equal |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        nk_s = f"{r['networkit_seconds']:.3f}" if "networkit_seconds" in r else "-"
        nk_x = f"{r['speedup_vs_networkit']:.0f}x" if "networkit_seconds" in r else "-"
        eq = r["scipy_equal"] and r.get("networkit_equal", True)
        lines.append(f"| {name} | {r['contingencies']:,} | {r['islanding']:,} | {r['dynalgo_seconds']:.4f} | "
                     f"{r['scipy_seconds']:.3f} | {r['speedup_vs_scipy']:.0f}x | {nk_s} | {nk_x} | {eq} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
        Path(args.json).with_name("contingency-latest.md").write_text(text)


if __name__ == "__main__":
    main()
