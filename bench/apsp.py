"""Wall time, work and memory of dynamic APSP (DynamicAPSP) against offline, scipy, networkx, NetworKit.

Run from the repository root::

    python -m bench.apsp [--json bench/results/apsp-latest.json] [--small] [--repeat R] [--only N]

(``--json PATH`` also writes the tables as markdown beside it, ``PATH`` with ``.md``.)

Workloads (:func:`workload`, seed 1): ``n`` vertices, ``m`` random arcs (distinct
ordered pairs, no self-loops) with weights uniform in ``[1, 100)`` inserted on
days ``1..m`` (the *build*), then ``U`` updates alternating an insertion of a
fresh random arc and a deletion of a uniformly random present arc (the
*update phase*), one random distance query per day.

* ``large``: n = 1,000, m = 10,000, U = 2,000;
* ``small``: n = 300, m = 1,500, U = 300.
``--small`` divides both by about 3 (a smoke run).

Contenders, all in one process, kernels warmed (compiled) before any timing on
a tiny workload; the warm-up time with an empty numba cache is reported as the
compile time.  Per update = update phase seconds / U (the build is timed
separately; every contender answers the update phase's queries):

* ``offline``: :func:`dynalgo.offline_apsp` over the whole sequence (end to
  end only: it has no update phase);
* ``lifted/exact``, ``lifted/perturbed<s>``: ``DynamicAPSP(..., backstop=None)``
  with :func:`predictors.exact` / :func:`predictors.perturbed` (noise scale s)
  predictions of the whole sequence; one ``run`` for the build, one for the
  update phase;
* ``backstop``: the fully dynamic structure alone
  (:func:`structures.apsp_dynamic.run_batch`);
* ``raced/exact``, ``raced/none``: ``DynamicAPSP(...)`` with the backstop race;
* ``scipy``: ``scipy.sparse.csgraph.shortest_path`` (Dijkstra, all pairs)
  recomputed after an update; timed on a sample of update days and
  extrapolated (the sample size is reported);
* ``networkx``: ``networkx.bidirectional_dijkstra`` per query on the current
  graph (all queries of the small workload, a sample of the large);
* ``networkit/DynDijkstra``: one ``DynDijkstra`` per source (n instances), each
  updated with every event (small workload only);
* ``networkit/DynAPSP``: ``DynAPSP`` on the insert-only build (it rejects
  deletions), per insertion, against the lifted and backstop structures on the
  same insertions.  NetworKit runs with one thread, as our kernels do.

Every contender's answers are checked against offline's (equal up to 1e-9
relative).  Peak RSS: the process high-water mark, reset before each contender
(``/proc/self/clear_refs``), minus the RSS at the reset.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from bench.connectivity import _proc_status

_OWN_CACHE: list[str] = []
if __name__ == "__main__" and "numba" not in sys.modules and "NUMBA_CACHE_DIR" not in os.environ:
    _d = tempfile.mkdtemp(prefix="dynalgo-bench-numba-")
    _OWN_CACHE.append(_d)
    os.environ["NUMBA_CACHE_DIR"] = _d

SIZES = {
    "large": {"n": 1_000, "m": 10_000, "updates": 2_000},
    "small": {"n": 300, "m": 1_500, "updates": 300},
}
SMOKE = {
    "large": {"n": 300, "m": 3_000, "updates": 600},
    "small": {"n": 100, "m": 500, "updates": 100},
}
NOISE = (1, 4, 16)
SCIPY_SAMPLE = {"large": 6, "small": 30}
NX_SAMPLE = {"large": 300, "small": 300}


# ---------------------------------------------------------------------------------------
# workload
# ---------------------------------------------------------------------------------------
def workload(n: int, m: int, updates: int, seed: int = 1) -> tuple[Any, np.ndarray]:
    """The update batch (build then alternating inserts / deletes) and one query per day."""
    from dynalgo import UpdateBatch

    rng = np.random.default_rng(seed)
    present: dict[tuple[int, int], int] = {}
    keys: list[tuple[int, int]] = []
    ops: list[int] = []
    us: list[int] = []
    vs: list[int] = []
    ws: list[float] = []

    def insert() -> None:
        while True:
            a, b = int(rng.integers(n)), int(rng.integers(n))
            if a != b and (a, b) not in present:
                break
        present[(a, b)] = len(keys)
        keys.append((a, b))
        ops.append(1)
        us.append(a)
        vs.append(b)
        ws.append(float(rng.uniform(1.0, 100.0)))

    for _ in range(m):
        insert()
    for k in range(updates):
        if k % 2 == 0:
            insert()
        else:
            i = int(rng.integers(len(keys)))
            a, b = keys[i]
            keys[i] = keys[-1]
            present[keys[i]] = i
            keys.pop()
            del present[(a, b)]
            ops.append(0)
            us.append(a)
            vs.append(b)
            ws.append(0.0)
    T = len(ops)
    q = np.stack([np.arange(1, T + 1), rng.integers(0, n, T), rng.integers(0, n, T)], axis=1).astype(np.int64)
    batch = UpdateBatch.from_arrays(np.array(ops, np.int8), np.array(us, np.int64), np.array(vs, np.int64),
                                    np.array(ws, np.float64))
    return batch, q


# ---------------------------------------------------------------------------------------
# measurement helpers
# ---------------------------------------------------------------------------------------
_status = _proc_status  # VmRSS / VmHWM of this process, in bytes


def _reset_peak() -> int | None:
    """Reset the high-water mark; return the RSS now (None when unsupported)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return None
    return _status().get("VmRSS")


def _peak_increment(rss0: int | None) -> int | None:
    hwm = _status().get("VmHWM")
    return None if rss0 is None or hwm is None else hwm - rss0


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    if not np.array_equal(np.isinf(a), np.isinf(b)):
        return False
    fin = np.isfinite(a)
    return bool(np.allclose(a[fin], b[fin], rtol=1e-9, atol=1e-9))


def warm_kernels() -> dict[str, float]:
    """Compile every kernel on a tiny workload; seconds per step (cold when the numba cache is empty)."""
    import predictors
    from dynalgo import DynamicAPSP, offline_apsp
    from structures import apsp_dynamic as dyn

    b, q = workload(30, 120, 40, seed=9)
    out: dict[str, float] = {}
    t0 = time.perf_counter()
    offline_apsp(30, b, q)
    out["offline"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    DynamicAPSP(30, predictors.exact(b), backstop=None).run(b, q)
    out["lifted"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    DynamicAPSP(30, predictors.exact(b)).run(b, q)
    out["raced"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    s = dyn.make(30)
    dyn.run_batch(s, b.op.astype(np.int64), b.u, b.v, b.weight, q, np.zeros(q.shape[0]))
    out["backstop"] = time.perf_counter() - t0
    out["total"] = sum(out.values())
    return out


# ---------------------------------------------------------------------------------------
# one workload
# ---------------------------------------------------------------------------------------
def bench_workload(name: str, n: int, m: int, U: int, repeat: int, sample_scipy: int,
                   sample_nx: int) -> dict[str, Any]:
    import networkx as nx
    import scipy.sparse as sp
    from scipy.sparse.csgraph import shortest_path

    import predictors
    from dynalgo import DynamicAPSP, offline_apsp
    from structures import apsp_dynamic as dyn

    batch, q = workload(n, m, U)
    T = len(batch)
    build, upd = batch[:m], batch[m:]
    q_upd = q[m:].copy()
    q_upd[:, 0] -= m
    rows: dict[str, dict[str, Any]] = {}
    res: dict[str, Any] = {"workload": {"name": name, "n": n, "arcs": m, "updates": U, "days": T,
                                        "queries": int(q.shape[0])}, "rows": rows}
    print(f"== {name}: n = {n}, {m} arcs, {U} updates", flush=True)

    def median_of(fn: Callable[[], dict[str, Any]], reps: int) -> dict[str, Any]:
        runs = []
        for _ in range(reps):
            rss0 = _reset_peak()
            r = fn()
            r["peak_rss_increment"] = _peak_increment(rss0)
            runs.append(r)
        runs.sort(key=lambda r: r["seconds"])
        return runs[len(runs) // 2]

    # offline: the reference answers
    def offline() -> dict[str, Any]:
        t0 = time.perf_counter()
        ans = offline_apsp(n, batch, q)
        return {"seconds": time.perf_counter() - t0, "answers": ans}

    r = median_of(offline, repeat)
    ref = r.pop("answers")
    ref_upd = ref[m:]
    rows["offline"] = r
    print(f"offline                  {r['seconds']:8.3f} s end to end", flush=True)

    def lifted(preds: Any, backstop: str | None) -> Callable[[], dict[str, Any]]:
        def go() -> dict[str, Any]:
            t0 = time.perf_counter()
            g = DynamicAPSP(n, preds, backstop=backstop)
            a1 = g.run(build, q[:m])
            t1 = time.perf_counter()
            a2 = g.run(upd, q_upd)
            t2 = time.perf_counter()
            assert _same(np.concatenate([a1, a2]), ref), "answers differ from offline"
            st = g.stats
            out = {"seconds": t2 - t0, "build_seconds": t1 - t0, "update_seconds": t2 - t1,
                   "per_update_ms": 1e3 * (t2 - t1) / U, "work_units": st.work}
            out["log_peak_entries"] = int(g._engine.bstate[7][4])
            out["log_peak_per_n2"] = out["log_peak_entries"] / n**2
            if st.race is not None:
                out["race"] = dataclasses.asdict(st.race)
            else:
                out["stats"] = dataclasses.asdict(st)
            return out
        return go

    preds = {"exact": predictors.exact(batch)}
    for s in NOISE:
        preds[f"perturbed{s}"] = predictors.perturbed(batch, float(s), seed=3)
    for mode, p in preds.items():
        r = median_of(lifted(p, None), repeat if mode == "exact" else 1)
        rows[f"lifted/{mode}"] = r
        print(f"lifted/{mode:<16}{r['seconds']:8.3f} s  update phase {r['per_update_ms']:.4f} ms/update", flush=True)

    def backstop() -> dict[str, Any]:
        s = dyn.make(n)
        out = np.zeros(q.shape[0])
        t0 = time.perf_counter()
        dyn.run_batch(s, build.op.astype(np.int64), build.u, build.v, build.weight, q[:m], out[:m])
        t1 = time.perf_counter()
        dyn.run_batch(s, upd.op.astype(np.int64), upd.u, upd.v, upd.weight, q_upd, out[m:])
        t2 = time.perf_counter()
        assert _same(out, ref), "backstop answers differ from offline"
        return {"seconds": t2 - t0, "build_seconds": t1 - t0, "update_seconds": t2 - t1,
                "per_update_ms": 1e3 * (t2 - t1) / U}

    r = median_of(backstop, repeat)
    rows["backstop"] = r
    print(f"backstop                 {r['seconds']:8.3f} s  update phase {r['per_update_ms']:.4f} ms/update", flush=True)

    for mode, p in (("exact", preds["exact"]), ("none", None)):
        r = median_of(lifted(p, "dynamic"), repeat)
        rows[f"raced/{mode}"] = r
        print(f"raced/{mode:<17}{r['seconds']:8.3f} s  update phase {r['per_update_ms']:.4f} ms/update", flush=True)

    # scipy: all pairs recomputed after sampled update days
    rng = np.random.default_rng(11)
    days = np.sort(rng.choice(np.arange(m + 1, T + 1), size=min(sample_scipy, U), replace=False))
    W: dict[tuple[int, int], float] = {}
    op, u, v, w = batch.op, batch.u, batch.v, batch.weight
    times: list[float] = []
    di = 0
    rss0 = _reset_peak()
    for day in range(1, T + 1):
        k = day - 1
        if op[k] == 1:
            W[(int(u[k]), int(v[k]))] = float(w[k])
        else:
            del W[(int(u[k]), int(v[k]))]
        if di < len(days) and day == days[di]:
            di += 1
            t0 = time.perf_counter()
            a, b = zip(*W.keys())
            G = sp.csr_matrix((np.fromiter(W.values(), float), (np.array(a), np.array(b))), shape=(n, n))
            D = shortest_path(G, method="D", directed=True)
            times.append(time.perf_counter() - t0)
            assert _same(np.array([D[q[k, 1], q[k, 2]]]), ref[k : k + 1])
    rows["scipy"] = {"per_update_ms": 1e3 * float(np.median(times)), "sampled_updates": len(times),
                     "seconds": float(np.median(times)) * U, "extrapolated": True,
                     "peak_rss_increment": _peak_increment(rss0)}
    print(f"scipy recompute          {rows['scipy']['per_update_ms']:8.3f} ms/update (median of {len(times)} sampled days)",
          flush=True)

    # networkx: bidirectional Dijkstra per query of the update phase (sampled)
    g_nx: nx.DiGraph[int] = nx.DiGraph()
    g_nx.add_nodes_from(range(n))
    for k in range(m):
        g_nx.add_edge(int(u[k]), int(v[k]), weight=float(w[k]))
    pick = set(np.sort(rng.choice(np.arange(m, T), size=min(sample_nx, U), replace=False)).tolist())
    qt: list[float] = []
    for k in range(m, T):
        if op[k] == 1:
            g_nx.add_edge(int(u[k]), int(v[k]), weight=float(w[k]))
        else:
            g_nx.remove_edge(int(u[k]), int(v[k]))
        if k in pick:
            x, y = int(q[k, 1]), int(q[k, 2])
            t0 = time.perf_counter()
            try:
                dist = float(nx.bidirectional_dijkstra(g_nx, x, y)[0])
            except nx.NetworkXNoPath:
                dist = float("inf")
            qt.append(time.perf_counter() - t0)
            assert _same(np.array([dist]), ref[k : k + 1])
    rows["networkx"] = {"per_query_ms": 1e3 * float(np.mean(qt)), "sampled_queries": len(qt),
                        "seconds": float(np.mean(qt)) * U, "extrapolated": len(qt) < U}
    print(f"networkx bidirectional   {rows['networkx']['per_query_ms']:8.3f} ms/query ({len(qt)} queries)", flush=True)

    try:
        import networkit as nk
    except ImportError:  # pragma: no cover - optional
        res["networkit"] = None
        return res
    nk.setNumberOfThreads(1)
    res["networkit"] = nk.__version__
    GE = nk.dynamics.GraphEvent

    def nk_graph(k_end: int) -> Any:
        G = nk.Graph(n, weighted=True, directed=True)
        for k in range(k_end):
            G.addEdge(int(u[k]), int(v[k]), float(w[k]))
        return G

    if n <= 300:
        rss0 = _reset_peak()
        G = nk_graph(m)
        t0 = time.perf_counter()
        inst = [nk.distance.DynDijkstra(G, s) for s in range(n)]
        for d in inst:
            d.run()
        t1 = time.perf_counter()
        ans = np.zeros(U)
        for j, k in enumerate(range(m, T)):
            a, b = int(u[k]), int(v[k])
            if op[k] == 1:
                G.addEdge(a, b, float(w[k]))
                ev = GE(GE.EDGE_ADDITION, a, b, float(w[k]))
            else:
                G.removeEdge(a, b)
                ev = GE(GE.EDGE_REMOVAL, a, b, 0.0)
            for d in inst:
                d.update(ev)
            dist = inst[int(q[k, 1])].distance(int(q[k, 2]))
            ans[j] = np.inf if dist > 1e300 else dist
        t2 = time.perf_counter()
        assert _same(ans, ref_upd), "DynDijkstra answers differ"
        rows["networkit/DynDijkstra"] = {"seconds": t2 - t0, "build_seconds": t1 - t0, "update_seconds": t2 - t1,
                                         "per_update_ms": 1e3 * (t2 - t1) / U,
                                         "peak_rss_increment": _peak_increment(rss0)}
        print(f"networkit n x DynDijkstra {rows['networkit/DynDijkstra']['per_update_ms']:8.4f} ms/update", flush=True)

    # DynAPSP on the insert-only build: the first half static, the second half as insertions
    half = m // 2
    rss0 = _reset_peak()
    G = nk_graph(half)
    apsp = nk.distance.DynAPSP(G)
    apsp.run()
    t0 = time.perf_counter()
    for k in range(half, m):
        a, b = int(u[k]), int(v[k])
        G.addEdge(a, b, float(w[k]))
        apsp.update(GE(GE.EDGE_ADDITION, a, b, float(w[k])))
        apsp.getDistance(int(q[k, 1]), int(q[k, 2]))
    t_nk = time.perf_counter() - t0
    ins = m - half
    rows["networkit/DynAPSP-inserts"] = {"per_update_ms": 1e3 * t_nk / ins, "insertions": ins,
                                         "seconds": t_nk, "peak_rss_increment": _peak_increment(rss0)}
    # the same insertions on our structures: lifted exact and the backstop
    pre = batch[:half]
    rest = batch[half:m]
    q_rest = q[half:m].copy()
    q_rest[:, 0] -= half
    p_build = predictors.exact(batch[:m])
    g = DynamicAPSP(n, p_build, backstop=None)
    g.run(pre)
    t0 = time.perf_counter()
    a1 = g.run(rest, q_rest)
    t_l = time.perf_counter() - t0
    s = dyn.make(n)
    dyn.run_batch(s, pre.op.astype(np.int64), pre.u, pre.v, pre.weight, np.zeros((0, 3), np.int64), np.zeros(0))
    out = np.zeros(ins)
    t0 = time.perf_counter()
    dyn.run_batch(s, rest.op.astype(np.int64), rest.u, rest.v, rest.weight, q_rest, out)
    t_b = time.perf_counter() - t0
    assert _same(a1, ref[half:m]) and _same(out, ref[half:m])
    rows["networkit/DynAPSP-inserts"]["lifted_exact_per_insert_ms"] = 1e3 * t_l / ins
    rows["networkit/DynAPSP-inserts"]["backstop_per_insert_ms"] = 1e3 * t_b / ins
    print(f"networkit DynAPSP        {1e3 * t_nk / ins:8.4f} ms/insert (insert-only; lifted exact "
          f"{1e3 * t_l / ins:.4f}, backstop {1e3 * t_b / ins:.4f})", flush=True)
    return res


def targets(res: dict[str, Any]) -> dict[str, Any]:
    """The performance targets of the APSP issue, met or not."""
    out: dict[str, Any] = {}
    L = res.get("large")
    S = res.get("small")
    if L:
        r = L["rows"]
        nl = f"n = {L['workload']['n']:,}"
        x = r["scipy"]["per_update_ms"] / r["lifted/exact"]["per_update_ms"]
        out[f"lifted exact >= 100x faster per update than scipy recompute ({nl})"] = {"ratio": x, "met": x >= 100}
        x = r["lifted/exact"]["seconds"] / r["offline"]["seconds"]
        out[f"lifted exact within 2x of offline ({nl}; ratio lifted / offline)"] = {"ratio": x, "met": x <= 2}
    if S:
        r = S["rows"]
        ns = f"n = {S['workload']['n']:,}"
        x = r["lifted/exact"]["seconds"] / r["offline"]["seconds"]
        out[f"lifted exact within 2x of offline ({ns}; ratio lifted / offline)"] = {"ratio": x, "met": x <= 2}
        if "networkit/DynDijkstra" in r:
            nkd = r["networkit/DynDijkstra"]["per_update_ms"]
            x = nkd / r["lifted/exact"]["per_update_ms"]
            out[f"lifted exact >= 10x faster per update+query than n DynDijkstra ({ns})"] = {"ratio": x, "met": x >= 10}
            x = nkd / r["backstop"]["per_update_ms"]
            out[f"backstop >= 3x faster per update than n DynDijkstra ({ns})"] = {"ratio": x, "met": x >= 3}
        x = r["networkx"]["per_query_ms"] / r["backstop"]["per_update_ms"]
        out[f"backstop per update faster than networkx bidirectional Dijkstra per query ({ns})"] = {
            "ratio": x, "met": x > 1}
    return out


def render(res: dict[str, Any]) -> str:
    lines = ["# Dynamic APSP benchmark (`python -m bench.apsp`)", "",
             f"Machine: {res['machine']}; Python {res['python']}; numba {res['numba']}; scipy {res['scipy']}; "
             f"networkx {res['networkx']}; NetworKit {res.get('networkit') or 'not installed'} (1 thread).  "
             f"Small workload: median of {res['repeat']} runs for offline, exact predictions, backstop and raced; "
             f"large workload and perturbed predictions: one run.  "
             f"Compile (warm-up with an empty numba cache): {res['compile']['total']:.1f} s.", ""]
    for key in ("large", "small"):
        W = res.get(key)
        if not W:
            continue
        w = W["workload"]
        lines += [f"## n = {w['n']:,}, {w['arcs']:,} arcs + {w['updates']:,} updates, one query per day", "",
                  "| contender | end to end s | build s | update phase ms/update | peak RSS increment MiB | note |",
                  "|---|---:|---:|---:|---:|---|"]
        for name, r in W["rows"].items():
            rss = r.get("peak_rss_increment")
            note = ""
            if r.get("extrapolated"):
                note = (f"median of {r.get('sampled_updates')} sampled recomputes, x {w['updates']}"
                        if name == "scipy" else f"{r.get('sampled_queries')} sampled queries")
            if "race" in r:
                rc = r["race"]
                note = f"days lifted/backstop {rc['days_lifted']}/{rc['days_backstop']}"
            if name == "networkit/DynAPSP-inserts":
                note = (f"{r['insertions']} insertions only; same insertions: lifted exact "
                        f"{r['lifted_exact_per_insert_ms']:.4f} ms, backstop {r['backstop_per_insert_ms']:.4f} ms")
            per = r.get("per_update_ms", r.get("per_query_ms"))
            if name == "networkx":
                note = f"per query; {r['sampled_queries']} sampled queries"
            lines.append(f"| {name} | {r['seconds']:.3f} | {r.get('build_seconds', float('nan')):.3f} | "
                         f"{per if per is not None else float('nan'):.4f} | "
                         f"{(rss or 0) / 2**20:.1f} | {note} |")
        lines.append("")
    lines += ["## Targets", ""]
    for k, v in res["targets"].items():
        lines.append(f"- {k}: {v['ratio']:.2f}x, {'met' if v['met'] else 'NOT met'}")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.apsp", description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", metavar="PATH", help="write the results as JSON (and markdown beside it)")
    ap.add_argument("--repeat", type=int, default=3, metavar="R")
    ap.add_argument("--small", action="store_true", help="smaller workloads (a smoke run)")
    ap.add_argument("--only", choices=("large", "small"), help="run one workload")
    args = ap.parse_args(argv)

    import networkx
    import numba
    import scipy

    compile_s = warm_kernels()
    res: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores", "python": sys.version.split()[0],
        "numba": numba.__version__, "scipy": scipy.__version__, "networkx": networkx.__version__,
        "repeat": args.repeat, "compile": compile_s,
        "numba_cache": "private empty directory" if _OWN_CACHE else os.environ.get("NUMBA_CACHE_DIR", "project"),
    }
    print(f"compile (warm-up) {compile_s['total']:.1f} s", flush=True)
    sizes = SMOKE if args.small else SIZES
    for key in ("small", "large"):
        if args.only and key != args.only:
            continue
        s = sizes[key]
        res[key] = bench_workload(key, s["n"], s["m"], s["updates"], args.repeat if key == "small" else 1,
                                  SCIPY_SAMPLE[key], NX_SAMPLE[key])
        res["networkit"] = res[key].pop("networkit", None)
    res["targets"] = targets(res)
    print(json.dumps(res["targets"], indent=1))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(res, indent=2, default=float) + "\n", encoding="utf-8")
        p = Path(args.json)
        stem = p.stem if p.stem.endswith("-latest") else p.stem + "-latest"
        p.with_name(stem + ".md").write_text(render(res), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
