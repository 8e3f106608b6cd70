"""Wall-time and memory benchmark of the HDT backstop against NetworKit.

Run from the repository root::

    python -m bench.hdt [--json out.json] [--repeat R] [--skip-networkit]

Workload: ``n = 10,000`` vertices; days ``1..20,000`` insert distinct random
edges; days ``20,001..40,000`` are random updates, half inserts of random absent
edges and half deletes of random present edges (:func:`bench.workloads.churn`
with seed 1); one random connectivity query after every day
(:func:`bench.workloads.query_per_day`, seed 3).  Every contender sees the same
40,000 events and answers the same 40,000 queries; the answers are asserted
equal to :func:`dynalgo.offline.offline_connectivity`.  Times are reported for
the two phases separately (initial insertions, then the churn updates), as
microseconds per update, each update including its query.

Contenders (all in one process, kernels warmed on a tiny workload first; the
warm-up is timed and reported as compile time):

a. ``HDTConnectivity.run``: the whole phase in one compiled call;
b. ``HDTConnectivity`` one Python call per update and per query
   (``insert`` / ``delete`` / ``connected``), the same per-event protocol as c;
c. NetworKit ``components.DynConnectedComponents`` on a graph with edge ids
   (``Graph.indexEdges()`` first; without them each update is far slower):
   per event ``Graph.addEdge`` / ``Graph.removeEdge``, then
   ``update(GraphEvent(...))``, then ``componentOfNode(u) == componentOfNode(v)``.
   As a note, the time to load the initial edges statically and call ``run()``
   once is reported too (``static_initial_build_seconds``).

Each is the median of ``R`` repetitions on fresh structures (a contender whose
run exceeds ``--rep-threshold`` seconds is not repeated).  Peak memory is
measured in child processes (``VmHWM`` from ``/proc/self/status``) as the
difference between a child that runs a contender and a child that only builds
the workload and loads the same modules, and is divided by the number of edges
present at the end and by ``n``.  The exact array footprint of the HDT state is
reported too, and that of an empty structure on ``n = 10**6`` vertices.  By
default the process uses a private, empty ``NUMBA_CACHE_DIR`` so the warm-up
is a true cold compile (``--project-numba-cache`` opts out).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def _private_numba_cache() -> str:
    """A fresh, empty numba cache directory for this process (removed at exit)."""
    import atexit
    import shutil

    d = tempfile.mkdtemp(prefix="dynalgo-bench-hdt-numba-")
    atexit.register(shutil.rmtree, d, True)
    return d


if (__name__ == "__main__" and "numba" not in sys.modules and "NUMBA_CACHE_DIR" not in os.environ
        and "--project-numba-cache" not in sys.argv and "--child" not in sys.argv):
    os.environ["NUMBA_CACHE_DIR"] = _private_numba_cache()

SIZES = {"n": 10_000, "initial_edges": 20_000, "updates": 20_000}
TINY = {"n": 50, "initial_edges": 80, "updates": 300}
WORKLOAD_SEED = 1
QUERY_SEED = 3


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    r = fn()
    return r, time.perf_counter() - t0


def _med(xs: list[float]) -> float:
    return float(np.median(np.asarray(xs, dtype=np.float64)))


def _hwm() -> int:
    """Peak resident set size of this process in bytes."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(r) * (1 if sys.platform == "darwin" else 1024)


def _git(*args: str) -> str | None:
    try:
        r = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=20)
        return r.stdout.strip() if r.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def machine_info() -> dict[str, Any]:
    import numba

    cpu = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), None)
    except OSError:
        pass
    try:
        import networkit

        nk_version: str | None = networkit.__version__
    except ImportError:
        nk_version = None
    try:
        load: list[float] | None = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "platform": platform.platform(),
        "processor": cpu or platform.processor(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "networkit": nk_version,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "HEAD"),
        "loadavg_start": load,
        "numba_cache_dir": os.environ.get("NUMBA_CACHE_DIR"),
    }


def make_workload(n: int, initial_edges: int, updates: int) -> tuple[Any, np.ndarray]:
    from bench.workloads import churn, query_per_day

    b = churn(n, initial_edges, updates, seed=WORKLOAD_SEED)
    return b, query_per_day(b, n, seed=QUERY_SEED)


def _phases(b: Any, q: np.ndarray, initial: int) -> list[tuple[Any, np.ndarray]]:
    """The batch split after day ``initial``; query days made relative to each part."""
    q1 = q[q[:, 0] <= initial]
    q2 = q[q[:, 0] > initial].copy()
    q2[:, 0] -= initial
    return [(b[:initial], q1), (b[initial:], q2)]


# ---------------------------------------------------------------------------------------
# contenders
# ---------------------------------------------------------------------------------------
def hdt_run(n: int, b: Any, q: np.ndarray, initial: int) -> tuple[list[float], np.ndarray, Any]:
    """Contender a: one compiled ``run`` per phase."""
    from dynalgo.hdt import HDTConnectivity

    g = HDTConnectivity(n)
    times, outs = [], []
    for bb, qq in _phases(b, q, initial):
        out, t = _timed(lambda: g.run(bb, qq))
        times.append(t)
        outs.append(out)
    return times, np.concatenate(outs), g


def _per_event(apply: Callable[[int, int, int], None], query: Callable[[int, int], bool],
               b: Any, q: np.ndarray, initial: int) -> tuple[list[float], np.ndarray]:
    """Drive a per-event API: update, then that day's queries, phase by phase."""
    ops = np.asarray(b.op).tolist()
    us = np.asarray(b.u).tolist()
    vs = np.asarray(b.v).tolist()
    qd, qa, qb = q[:, 0].tolist(), q[:, 1].tolist(), q[:, 2].tolist()
    out = np.zeros(len(qd), dtype=np.bool_)
    times = []
    qi = 0
    while qi < len(qd) and qd[qi] == 0:
        out[qi] = query(qa[qi], qb[qi])
        qi += 1
    for lo, hi in ((0, initial), (initial, len(ops))):
        t0 = time.perf_counter()
        for k in range(lo, hi):
            apply(ops[k], us[k], vs[k])
            day = k + 1
            while qi < len(qd) and qd[qi] == day:
                out[qi] = query(qa[qi], qb[qi])
                qi += 1
        times.append(time.perf_counter() - t0)
    return times, out


def hdt_calls(n: int, b: Any, q: np.ndarray, initial: int) -> tuple[list[float], np.ndarray]:
    """Contender b: ``HDTConnectivity`` one Python call per event."""
    from dynalgo.hdt import HDTConnectivity

    g = HDTConnectivity(n)
    ins, dele, conn = g.insert, g.delete, g.connected

    def apply(op: int, u: int, v: int) -> None:
        ins(u, v) if op == 1 else dele(u, v)

    return _per_event(apply, conn, b, q, initial)


def networkit_calls(n: int, b: Any, q: np.ndarray, initial: int) -> tuple[list[float], np.ndarray]:
    """Contender c: NetworKit ``DynConnectedComponents`` fed one ``GraphEvent`` per update."""
    import networkit as nk

    # one thread: its dynamic components are sequential, and idle OpenMP workers only
    # add overhead (10x slower with 2 threads on a busy 2-core machine)
    nk.setNumberOfThreads(1)
    G = nk.Graph(n)
    G.indexEdges()  # without edge ids every update is O(m): about 30x slower here
    cc = nk.components.DynConnectedComponents(G)
    cc.run()
    GE = nk.dynamics.GraphEvent
    ADD = nk.dynamics.GraphEventType.EDGE_ADDITION
    REM = nk.dynamics.GraphEventType.EDGE_REMOVAL
    add, rem, upd, comp = G.addEdge, G.removeEdge, cc.update, cc.componentOfNode

    def apply(op: int, u: int, v: int) -> None:
        if op == 1:
            add(u, v)
            upd(GE(ADD, u, v, 1.0))
        else:
            rem(u, v)
            upd(GE(REM, u, v, 1.0))

    return _per_event(apply, lambda a, c: bool(comp(a) == comp(c)), b, q, initial)


def networkit_static_build(n: int, b: Any, initial: int) -> float:
    """NetworKit's alternative for the initial phase: add the edges, then one static ``run()``
    (no intermediate answers, so not comparable per day; reported as a note)."""
    import networkit as nk

    us = np.asarray(b.u[:initial]).tolist()
    vs = np.asarray(b.v[:initial]).tolist()
    t0 = time.perf_counter()
    G = nk.Graph(n)
    G.indexEdges()
    for a, c in zip(us, vs):
        G.addEdge(a, c)
    cc = nk.components.DynConnectedComponents(G)
    cc.run()
    return time.perf_counter() - t0


def warm() -> dict[str, float]:
    """Compile (or load) every kernel on a tiny workload; seconds per part."""
    out: dict[str, float] = {}
    _, out["import"] = _timed(lambda: __import__("dynalgo.hdt"))
    (b, q), out["workload_kernels"] = _timed(lambda: make_workload(**TINY))
    n, init = TINY["n"], TINY["initial_edges"]
    from dynalgo.offline import offline_connectivity

    ref, out["offline"] = _timed(lambda: offline_connectivity(n, b, q))
    (_, a1, _), out["hdt_run"] = _timed(lambda: hdt_run(n, b, q, init))
    (_, a2), out["hdt_calls"] = _timed(lambda: hdt_calls(n, b, q, init))
    assert np.array_equal(a1, ref) and np.array_equal(a2, ref)

    def hdt_check() -> None:
        from dynalgo.hdt import HDTConnectivity

        g = HDTConnectivity(n)
        g.run(b, q)
        g.check()

    _, out["hdt_check"] = _timed(hdt_check)
    out["total_hdt"] = out["import"] + out["hdt_run"] + out["hdt_calls"] + out["hdt_check"]
    return out


def hdt_bytes(g: Any) -> dict[str, int]:
    """Exact array footprint of an HDT state: the Euler-tour node pool (with its labels and
    links), the vertex-node table, and the edge arrays."""
    s = g._s
    pool = int(sum(a.nbytes for a in s.ett) + s.nlab.nbytes + s.nlink.nbytes)
    edge = int(sum(a.nbytes for a in (s.eu, s.ev, s.ekind, s.elevel, s.earc, s.hnext, s.hprev)))
    other = int(s.meta.nbytes + s.vnode.nbytes)
    return {"node_pool": pool, "edge_arrays": edge, "other": other, "total": pool + edge + other,
            "edge_capacity": int(s.eu.shape[0]), "pool_nodes": int(s.ett.left.shape[0]),
            "pool_nodes_used": int(s.meta[4]), "vertex_table_rows": int(s.vnode.shape[0] // g.n)}


def empty_bytes(n: int = 10**6) -> dict[str, float]:
    """Array bytes of an empty ``HDTConnectivity(n)`` (and per vertex)."""
    from dynalgo.hdt import HDTConnectivity

    b = hdt_bytes(HDTConnectivity(n))["total"]
    return {"n": n, "bytes": b, "bytes_per_vertex": b / n}


# ---------------------------------------------------------------------------------------
# memory (child processes)
# ---------------------------------------------------------------------------------------
def child(mode: str) -> dict[str, Any]:
    sz = SIZES
    b, q = make_workload(**sz)
    import networkit  # noqa: F401  (same modules loaded in every child)

    from dynalgo.hdt import HDTConnectivity

    HDTConnectivity(TINY["n"]).run(*make_workload(**TINY))
    res: dict[str, Any] = {"mode": mode, "hwm_before": _hwm()}
    if mode == "hdt":
        _, _, g = hdt_run(sz["n"], b, q, sz["initial_edges"])
        res["edges_present"] = g.num_edges
    elif mode == "networkit":
        networkit_calls(sz["n"], b, q, sz["initial_edges"])
    res["hwm_after"] = _hwm()
    return res


def memory() -> dict[str, Any]:
    runs: dict[str, Any] = {}
    for mode in ("baseline", "hdt", "networkit"):
        p = subprocess.run([sys.executable, "-m", "bench.hdt", "--child", mode], cwd=REPO,
                           capture_output=True, text=True, env=os.environ.copy(), timeout=3600)
        if p.returncode != 0:
            runs[mode] = {"error": p.stderr[-2000:]}
            continue
        runs[mode] = json.loads(p.stdout.strip().splitlines()[-1])
    out: dict[str, Any] = {"children": runs, "method": "VmHWM(child running contender) - VmHWM(baseline child)"}
    base = runs.get("baseline", {}).get("hwm_after")
    m = runs.get("hdt", {}).get("edges_present")
    for mode in ("hdt", "networkit"):
        hw = runs.get(mode, {}).get("hwm_after")
        if base is None or hw is None or not m:
            continue
        d = int(hw) - int(base)
        out[mode] = {"peak_bytes": d, "bytes_per_edge": d / m, "bytes_per_vertex": d / SIZES["n"],
                     "edges_present": m}
    return out


# ---------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------
def _row(name: str, r: dict[str, Any]) -> str:
    return (f"| {name} | {r['initial_us_per_update']:.2f} | {r['updates_us_per_update']:.2f} "
            f"| {r['total_seconds']:.3f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.hdt", description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, help="write results as JSON here")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions per contender (median)")
    ap.add_argument("--rep-threshold", type=float, default=30.0,
                    help="stop repeating a contender after a run longer than this (seconds)")
    ap.add_argument("--skip-networkit", action="store_true")
    ap.add_argument("--skip-memory", action="store_true")
    ap.add_argument("--project-numba-cache", action="store_true", help="use the project's numba cache")
    ap.add_argument("--child", choices=["baseline", "hdt", "networkit"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child)))
        return 0

    info = machine_info()
    compile_s = warm()
    print(f"warm-up (compile or cache load): {compile_s['total_hdt']:.2f} s for the HDT kernels", flush=True)
    sz = SIZES
    n, init, upd = sz["n"], sz["initial_edges"], sz["updates"]
    (b, q), t_wl = _timed(lambda: make_workload(**sz))
    from dynalgo.offline import offline_connectivity

    ref = offline_connectivity(n, b, q)

    results: dict[str, Any] = {}
    contenders: list[tuple[str, Callable[[], tuple[list[float], np.ndarray]]]] = [
        ("hdt_run", lambda: hdt_run(n, b, q, init)[:2]),
        ("hdt_calls", lambda: hdt_calls(n, b, q, init)),
    ]
    if not args.skip_networkit:
        contenders.append(("networkit", lambda: networkit_calls(n, b, q, init)))
    for name, fn in contenders:
        t_init, t_upd, equal = [], [], True
        for _ in range(max(args.repeat, 1)):
            (times, ans) = fn()
            equal = equal and bool(np.array_equal(ans, ref))
            t_init.append(times[0])
            t_upd.append(times[1])
            if sum(times) > args.rep_threshold:
                break
        assert equal, f"{name}: answers differ from offline connectivity"
        results[name] = {
            "initial_seconds": _med(t_init),
            "updates_seconds": _med(t_upd),
            "total_seconds": _med([a + c for a, c in zip(t_init, t_upd)]),
            "initial_us_per_update": _med(t_init) / init * 1e6,
            "updates_us_per_update": _med(t_upd) / upd * 1e6,
            "all_initial_seconds": t_init,
            "all_updates_seconds": t_upd,
            "answers_equal": equal,
            "reps": len(t_init),
        }
        if name == "networkit":
            results[name]["static_initial_build_seconds"] = networkit_static_build(n, b, init)
        print(f"{name}: {results[name]['updates_us_per_update']:.2f} us/update (churn phase)", flush=True)
    _, _, g = hdt_run(n, b, q, init)
    g.check()
    st = g.stats
    results["hdt_stats"] = {f: getattr(st, f) for f in st.__slots__}
    results["hdt_bytes"] = hdt_bytes(g)
    results["hdt_empty_bytes"] = empty_bytes()
    mem = None if args.skip_memory else memory()
    out = {
        "machine": info,
        "workload": {**sz, "workload_seed": WORKLOAD_SEED, "query_seed": QUERY_SEED, "queries": int(q.shape[0]),
                     "edges_present_end": g.num_edges, "distinct_edges": int(g._reg.size),
                     "build_seconds": t_wl},
        "compile_seconds": compile_s,
        "repeat": args.repeat,
        "results": results,
        "memory": mem,
        "loadavg_end": machine_info()["loadavg_start"],
    }
    lines = [
        f"n = {n}, {init} initial insertions, {upd} churn updates, one query per day; "
        f"median of {args.repeat}; {info['processor']}",
        "",
        "| contender | initial phase us/update | churn phase us/update | total s |",
        "|---|---|---|---|",
    ]
    lines += [_row(k, results[k]) for k in ("hdt_run", "hdt_calls", "networkit") if k in results]
    if "networkit" in results:
        lines.append(f"\nNetworKit static load of the {init} initial edges + run(): "
                     f"{results['networkit']['static_initial_build_seconds']:.3f} s (no per-day answers)")
    hb = results["hdt_bytes"]
    he = results["hdt_empty_bytes"]
    lines += ["", f"HDT arrays at the end: {hb['total'] / 2**20:.1f} MiB = {hb['total'] / g.num_edges:.0f} B per "
              f"present edge ({hb['node_pool'] / 2**20:.1f} MiB node pool of {hb['pool_nodes']} nodes, "
              f"{hb['pool_nodes_used']} used; {hb['edge_arrays'] / hb['edge_capacity']:.0f} B per edge slot); "
              f"empty structure on n = {he['n']}: {he['bytes_per_vertex']:.0f} B/vertex"]
    if mem:
        for k in ("hdt", "networkit"):
            if k in mem:
                r = mem[k]
                lines.append(f"peak RSS {k}: {r['peak_bytes'] / 2**20:.1f} MiB = {r['bytes_per_edge']:.0f} B/edge, "
                             f"{r['bytes_per_vertex']:.0f} B/vertex")
    print("\n".join(lines))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
