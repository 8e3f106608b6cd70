"""Dynamic bipartiteness: lifted parity union-find vs networkx recompute.

    python -m bench.bipartite [--json PATH] [--small]

Workload: ``bench.workloads.churn`` on n vertices with about n/2 edges (random graphs
of that density gain and lose odd cycles all the time), one bipartiteness query per
day.  Contenders, in one process, kernels warmed first: the lifted structure with
exact, perturbed and no predictions, and ``networkx.is_bipartite`` recomputed after
each update (timed on a prefix of days and reported per update).  Answers are
compared day by day on the common prefix.  Medians of 3.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import predictors
from bench.workloads import churn
from dynalgo import DynamicBipartiteness, UpdateBatch


def _timed(fn: Any, reps: int) -> tuple[float, Any]:
    best: list[float] = []
    out = None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        best.append(time.perf_counter() - t0)
    return float(np.median(best)), out


def networkx_answers(n: int, batch: UpdateBatch, days: int) -> list[bool]:
    g: nx.Graph[int] = nx.Graph()
    g.add_nodes_from(range(n))
    out = []
    for k in range(days):
        a, b = int(batch.u[k]), int(batch.v[k])
        if batch.op[k]:
            g.add_edge(a, b)
        else:
            g.remove_edge(a, b)
        out.append(nx.is_bipartite(g))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", default=None)
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    n, m0, T = (300, 150, 3000) if args.small else (2000, 1000, 20000)
    nx_days = 300 if args.small else 2000
    batch = churn(n, m0, T, seed=5)
    days = len(batch)
    # warm (compile or load the cache) on a tiny instance; time that separately
    t0 = time.perf_counter()
    tiny = churn(10, 4, 20, seed=1)
    DynamicBipartiteness(10, predictors.exact(tiny)).run(tiny)
    warm = time.perf_counter() - t0
    rows: dict[str, Any] = {}
    ref: list[bool] | None = None
    for name, preds in (
        ("exact", predictors.exact(batch)),
        ("perturbed scale 16", predictors.perturbed(batch, 16.0, seed=2)),
        ("perturbed scale 256", predictors.perturbed(batch, 256.0, seed=2)),
        ("none", None),
    ):
        sec, out = _timed(lambda: DynamicBipartiteness(n, preds).run(batch), args.reps)
        g = DynamicBipartiteness(n, preds)
        g.run(batch)
        ans = out.tolist()
        if ref is None:
            ref = ans
        rows[name] = {
            "seconds": sec, "us_per_update": 1e6 * sec / days, "equal": ans == ref,
            "l1_per_update": (predictors.l1_error(preds, batch) / days) if preds is not None else None,
            "work": g.stats.work, "retriggers": g.stats.retriggers,
        }
    assert ref is not None
    # degradation sweep: time and work against the l1 error of perturbed predictions
    sweep = []
    for scale in (0.0, 1.0, 4.0, 16.0, 64.0, 256.0, 1024.0):
        preds = predictors.exact(batch) if scale == 0 else predictors.perturbed(batch, scale, seed=2)
        sec, out = _timed(lambda: DynamicBipartiteness(n, preds).run(batch), args.reps)
        g = DynamicBipartiteness(n, preds)
        g.run(batch)
        assert out.tolist() == ref
        sweep.append({"scale": scale, "l1_per_update": predictors.l1_error(preds, batch) / days,
                      "seconds": sec, "work": g.stats.work})
    sec, nx_ans = _timed(lambda: networkx_answers(n, batch, nx_days), 1)
    rows["networkx recompute"] = {"seconds": sec * days / nx_days, "us_per_update": 1e6 * sec / nx_days,
                                  "equal": nx_ans == ref[:nx_days], "timed_days": nx_days}
    res = {"workload": {"n": n, "initial_edges": m0, "updates": T, "days": days,
                        "bipartite_days": int(sum(ref))},
           "warmup_seconds": warm, "rows": rows, "sweep": sweep,
           "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()}}
    lines = [f"# Bipartiteness: n = {n:,}, {m0:,} initial edges + {T:,} updates ({days:,} days, "
             f"bipartite on {res['workload']['bipartite_days']:,} of them)", "",
             f"First call (compile or cache load): {warm:.2f} s. Medians of {args.reps}; networkx timed on "
             f"the first {nx_days:,} days.", "",
             "| contender | l1 / update | time (s, all days) | us / update | work | retriggers | answers equal |",
             "|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        l1 = "" if r.get("l1_per_update") is None else f"{r['l1_per_update']:.1f}"
        lines.append(f"| {name} | {l1} | {r['seconds']:.3f} | {r['us_per_update']:.2f} | {r.get('work', '')} | "
                     f"{r.get('retriggers', '')} | {r['equal']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2))
        Path(args.json).with_name("bipartite-latest.md").write_text(text)


if __name__ == "__main__":
    main()
