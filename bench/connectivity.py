"""Wall-time benchmark of dynamic connectivity: offline D&C against the lifted engine.

Run from the repository root::

    python -m bench.connectivity [--json out.json] [--small] [--repeat R]

Workload (``--small`` divides every size by 10): ``n = 100,000`` vertices,
``200,000`` initial edges (the first 200,000 days insert distinct random edges),
then ``1,000,000`` updates, half inserts of random absent edges and half deletes
of random present edges (:func:`bench.workloads.churn`), and one random
connectivity query after every day (:func:`bench.workloads.query_per_day`).

Everything runs in one process after the kernels were warmed on a tiny
workload; the warm-up is timed and reported on its own.  By default the
process uses a private, empty ``NUMBA_CACHE_DIR`` (see the note at
``_private_numba_cache``), so the warm-up is a true cold compile.  Each
contender is timed as the median of ``R`` repetitions, each on a freshly built
structure:

a. offline divide and conquer, :func:`dynalgo.offline.offline_connectivity`;
b. lifted with exact predictions: construction (the schedule), run, and both;
c. lifted with perturbed predictions, noise scales 0 .. 1024 days (fixed seed):
   l1 error, time, every :class:`dynalgo.EngineStats` counter, and least-squares
   fits of time and work against l1.  A point expected to exceed
   ``--point-budget`` seconds runs in 100 chunks and stops at the budget; it is
   reported as partial (with a linear extrapolation) and left out of the fits;
d. lifted with no predictions in the predicted-deletion model, every insertion
   carrying the exact day of its edge's next deletion;
e. networkx recomputation on a small sampled workload (components rebuilt after
   every update), with offline and lifted on the same small workload.

Every contender's answers are compared with offline's.  Peak memory of a lifted
run is measured in child processes (``VmHWM``), minus a child that only builds
the workload.  With ``--json PATH`` the results are written as JSON and the
tables as markdown to ``<PATH stem>-latest.md`` beside it (or ``--markdown``).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime as _dt
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

REPO = Path(__file__).resolve().parents[1]
_OWN_CACHE_DIRS: list[str] = []


def _private_numba_cache() -> str:
    """A fresh, empty numba cache directory for this process (removed at exit)."""
    import atexit
    import shutil

    d = tempfile.mkdtemp(prefix="dynalgo-bench-numba-")
    _OWN_CACHE_DIRS.append(d)
    atexit.register(shutil.rmtree, d, True)
    return d


# Why a private cache: the reported warm-up is then a true cold compile, independent of
# what earlier runs left on disk.  --project-numba-cache opts out (and then measures the
# cache-load time instead).
if (__name__ == "__main__" and "numba" not in sys.modules and "NUMBA_CACHE_DIR" not in os.environ
        and "--project-numba-cache" not in sys.argv and "--child" not in sys.argv):
    os.environ["NUMBA_CACHE_DIR"] = _private_numba_cache()

SIZES = {
    "full": {"n": 100_000, "initial_edges": 200_000, "updates": 1_000_000},
    "small": {"n": 10_000, "initial_edges": 20_000, "updates": 100_000},
}
NX_SIZES = {
    "full": {"n": 2_000, "initial_edges": 4_000, "updates": 2_000},
    "small": {"n": 200, "initial_edges": 400, "updates": 200},
}
NOISE_SCALES = (0, 1, 4, 16, 64, 256, 1024)
WORKLOAD_SEED = 1
QUERY_SEED = 2
NOISE_SEED = 3
TINY = {"n": 60, "initial_edges": 80, "updates": 300}


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------
def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """``(result, wall seconds, process cpu seconds)`` of ``fn()``."""
    w0, c0 = time.perf_counter(), time.process_time()
    r = fn()
    return r, time.perf_counter() - w0, time.process_time() - c0


def _med(xs: list[float]) -> float:
    return float(np.median(np.asarray(xs, dtype=np.float64))) if xs else float("nan")


def _linfit(x: list[float], y: list[float]) -> dict[str, float]:
    """Least squares ``y = slope * x + intercept`` with r^2."""
    xa, ya = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if xa.size < 2 or np.ptp(xa) == 0:
        return {"slope": float("nan"), "intercept": float("nan"), "r2": float("nan"), "points": int(xa.size)}
    slope, intercept = np.polyfit(xa, ya, 1)
    res = ya - (slope * xa + intercept)
    ss_tot = float(((ya - ya.mean()) ** 2).sum())
    r2 = 1.0 - float((res**2).sum()) / ss_tot if ss_tot > 0 else 1.0
    return {"slope": float(slope), "intercept": float(intercept), "r2": r2, "points": int(xa.size)}


def _proc_status() -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    k, v = line.split(":", 1)
                    out[k] = int(v.split()[0]) * 1024
    except OSError:
        pass
    if "VmHWM" not in out:  # not Linux: ru_maxrss is KiB on Linux, bytes on macOS
        import resource

        r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out["VmHWM"] = int(r) * (1 if sys.platform == "darwin" else 1024)
    return out


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); False when unsupported."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _loadavg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _git(*args: str) -> str | None:
    try:
        r = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=20)
        return r.stdout.strip() if r.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def _library_fingerprint() -> str | None:
    """HEAD plus a hash of the uncommitted library diff: tells whether the code changed mid-run."""
    import hashlib

    head = _git("rev-parse", "HEAD")
    diff = _git("diff", "HEAD", "--", "dynalgo", "structures", "predictors")
    if head is None or diff is None:
        return None
    return f"{head[:12]}+{hashlib.sha1(diff.encode()).hexdigest()[:12]}"


def machine_info() -> dict[str, Any]:
    import networkx
    import numba

    cpu_model = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    dirty = _git("status", "--porcelain", "--untracked-files=no", "--", "dynalgo", "structures", "predictors")
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": cpu_model or platform.processor(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numba": numba.__version__,
        "networkx": networkx.__version__,
        "date": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "HEAD"),
        "library_tree_dirty": bool(dirty) if dirty is not None else None,
        "library_fingerprint": _library_fingerprint(),
        "loadavg_start": _loadavg(),
        "numba_cache_dir": os.environ.get("NUMBA_CACHE_DIR"),
    }


# ---------------------------------------------------------------------------------------
# workloads
# ---------------------------------------------------------------------------------------
def make_workload(n: int, initial_edges: int, updates: int, seed: int = WORKLOAD_SEED) -> tuple[Any, np.ndarray]:
    from bench.workloads import churn, query_per_day

    batch = churn(n, initial_edges, updates, seed=seed)
    return batch, query_per_day(batch, n, seed=seed + QUERY_SEED)


def next_deletion_days(batch: Any, n: int) -> np.ndarray:
    """For each insert row, the batch day (1-based) of that edge's next deletion, 0 if never.

    Deletion rows get 0.  Pure numpy: a stable sort by edge key keeps each edge's
    events in day order, and in a valid sequence an insert's successor in its
    group is its deletion.
    """
    op = np.asarray(batch.op)
    u = np.asarray(batch.u, dtype=np.int64)
    v = np.asarray(batch.v, dtype=np.int64)
    key = np.minimum(u, v) * n + np.maximum(u, v)
    order = np.argsort(key, kind="stable")
    sk = key[order]
    cur, nxt = order[:-1], order[1:]
    sel = (sk[1:] == sk[:-1]) & (op[cur] == 1)
    assert np.all(op[nxt[sel]] == 0), "an insert followed by an insert of the same edge"
    pd = np.zeros(op.shape[0], dtype=np.int64)
    pd[cur[sel]] = nxt[sel] + 1
    return pd


def warm_kernels() -> dict[str, float]:
    """Compile (or load from numba's cache) every kernel the benchmark uses."""
    import predictors
    from dynalgo import DynamicConnectivity
    from dynalgo.offline import offline_connectivity
    out: dict[str, float] = {}
    (b, q), out["workload"], _ = _timed(lambda: make_workload(**TINY, seed=7))
    n = TINY["n"]
    ref, out["offline"], _ = _timed(lambda: offline_connectivity(n, b, q))

    def lifted(preds: Any, pdel: Any = None) -> None:
        g = DynamicConnectivity(n, preds, backstop=None)
        half = len(b) // 2
        qa = q[q[:, 0] <= half]
        qb = q[q[:, 0] > half].copy()
        qb[:, 0] -= half
        if pdel is None:
            ans = np.concatenate([g.run(b[:half], qa), g.run(b[half:], qb)])
        else:
            ans = g.run(b, q, predicted_deletions=pdel)
        assert np.array_equal(ans, ref)

    _, out["lifted_exact"], _ = _timed(lambda: lifted(predictors.exact(b)))
    _, out["lifted_perturbed"], _ = _timed(lambda: lifted(predictors.perturbed(b, 4.0, seed=1)))
    _, out["lifted_predicted_deletions"], _ = _timed(lambda: lifted(None, next_deletion_days(b, n)))
    _, out["offline_stages"], _ = _timed(lambda: _offline_stages(n, b, q))
    _, out["l1_error"], _ = _timed(lambda: predictors.l1_error(predictors.perturbed(b, 2.0), b))
    out["total"] = float(sum(out.values()))
    return out


def _offline_stages(n: int, b: Any, q: np.ndarray) -> dict[str, Any]:
    """The three stages of the offline algorithm timed separately (structures.offline)."""
    from structures import offline as _off

    op = np.ascontiguousarray(b.op, dtype=np.int8)
    u = np.ascontiguousarray(b.u, dtype=np.int64)
    v = np.ascontiguousarray(b.v, dtype=np.int64)
    horizon = int(q[-1, 0])
    lives, t_lives, _ = _timed(lambda: _off.edge_lives(op, u, v))
    layout, t_layout, _ = _timed(lambda: _off.segment_layout(horizon, lives))
    _, t_trav, _ = _timed(lambda: _off.traverse(n, horizon, layout, q))
    return {
        "edge_lives_seconds": t_lives,
        "segment_layout_seconds": t_layout,
        "traverse_seconds": t_trav,
        "lives": int(len(lives.lo)),
        "unions": int(layout.ptr[-1]),  # (node, edge) pairs = union calls of the walk
        "tree_leaves": int(layout.size),
    }


# ---------------------------------------------------------------------------------------
# contenders
# ---------------------------------------------------------------------------------------
def _stats_dict(g: Any) -> dict[str, Any]:
    st = g.stats
    d = dataclasses.asdict(st)
    d["work"] = int(st.work)
    return d


def run_offline(n: int, b: Any, q: np.ndarray, reps: int) -> tuple[dict[str, Any], np.ndarray]:
    from dynalgo.offline import offline_connectivity

    walls, cpus, ans = [], [], None
    for _ in range(reps):
        ans, w, c = _timed(lambda: offline_connectivity(n, b, q))
        walls.append(w)
        cpus.append(c)
    assert ans is not None
    return {"seconds": _med(walls), "cpu_seconds": _med(cpus), "all_seconds": walls, "reps": reps}, ans


def run_lifted(
    n: int, b: Any, q: np.ndarray, make_preds: Callable[[], Any] | None, reps: int, ref: np.ndarray,
    *, pdel: np.ndarray | None = None, rep_threshold: float | None = None,
) -> dict[str, Any]:
    """Construct + run, ``reps`` times on fresh structures (fewer if a run exceeds ``rep_threshold``)."""
    from dynalgo import DynamicConnectivity

    cons, runs, cpu_c, cpu_r = [], [], [], []
    g: Any = None
    equal = True
    for r in range(reps):
        preds = make_preds() if make_preds is not None else None
        # drop the previous repetition's structure first, as a program building one
        # structure would: otherwise every construction faults in ~250 MB of fresh pages
        g = gg = None
        g, tc, cc = _timed(lambda: DynamicConnectivity(n, preds, backstop=None))
        gg = g
        if pdel is None:
            ans, tr, cr = _timed(lambda: gg.run(b, q))
        else:
            ans, tr, cr = _timed(lambda: gg.run(b, q, predicted_deletions=pdel))
        equal = equal and bool(np.array_equal(ans, ref))
        cons.append(tc)
        runs.append(tr)
        cpu_c.append(cc)
        cpu_r.append(cr)
        if rep_threshold is not None and r == 0 and tc + tr > rep_threshold:
            break
    tot = [a + b_ for a, b_ in zip(cons, runs)]
    return {
        "construct_seconds": _med(cons),
        "run_seconds": _med(runs),
        "total_seconds": _med(tot),
        "construct_cpu_seconds": _med(cpu_c),
        "run_cpu_seconds": _med(cpu_r),
        "all_run_seconds": runs,
        "all_construct_seconds": cons,
        "reps": len(runs),
        "complete": True,
        "answers_equal": equal,
        "stats": _stats_dict(g),
    }


def run_lifted_budgeted(
    n: int, b: Any, q: np.ndarray, preds: Any, ref: np.ndarray, budget: float, chunks: int = 100
) -> dict[str, Any]:
    """One construct + run in ``chunks`` consecutive batches, stopping once the run time passes ``budget``."""
    from dynalgo import DynamicConnectivity

    T = len(b)
    g, tc, cc = _timed(lambda: DynamicConnectivity(n, preds, backstop=None))
    bounds = np.linspace(0, T, chunks + 1).astype(np.int64)
    qd = q[:, 0]
    out = np.zeros(q.shape[0], dtype=np.bool_)
    run_w = run_c = 0.0
    done_days, done_q = 0, 0
    for k in range(chunks):
        s, e = int(bounds[k]), int(bounds[k + 1])
        lo = 0 if k == 0 else int(np.searchsorted(qd, s, side="right"))
        hi = int(np.searchsorted(qd, e, side="right"))
        qq = q[lo:hi].copy()
        qq[:, 0] -= s
        ans, w, c = _timed(lambda: g.run(b[s:e], qq))
        out[lo:hi] = ans
        run_w += w
        run_c += c
        done_days, done_q = e, hi
        if budget > 0 and run_w > budget and e < T:
            break
    complete = done_days == T
    res: dict[str, Any] = {
        "construct_seconds": tc,
        "run_seconds": run_w,
        "total_seconds": tc + run_w,
        "construct_cpu_seconds": cc,
        "run_cpu_seconds": run_c,
        "reps": 1,
        "complete": complete,
        "chunked": chunks,
        "days_done": done_days,
        "answers_equal": bool(np.array_equal(out[:done_q], ref[:done_q])),
        "stats": _stats_dict(g),
    }
    if not complete:
        res["run_seconds_extrapolated"] = run_w * T / max(done_days, 1)
        res["work_extrapolated"] = int(res["stats"]["work"] * T / max(done_days, 1))
    return res


def run_networkx(n: int, b: Any, q: np.ndarray) -> tuple[float, np.ndarray]:
    """Recompute the components with networkx after every update; answer that day's queries."""
    import networkx as nx

    ops = np.asarray(b.op).tolist()
    us = np.asarray(b.u).tolist()
    vs = np.asarray(b.v).tolist()
    qd, qa, qb = q[:, 0].tolist(), q[:, 1].tolist(), q[:, 2].tolist()
    out = np.zeros(len(qd), dtype=np.bool_)

    def go() -> None:
        G = nx.Graph()
        G.add_nodes_from(range(n))
        label = list(range(n))
        j = 0
        while j < len(qd) and qd[j] == 0:
            out[j] = qa[j] == qb[j]
            j += 1
        for day in range(len(ops)):
            if ops[day] == 1:
                G.add_edge(us[day], vs[day])
            else:
                G.remove_edge(us[day], vs[day])
            for cid, comp in enumerate(nx.connected_components(G)):
                for x in comp:
                    label[x] = cid
            while j < len(qd) and qd[j] == day + 1:
                out[j] = label[qa[j]] == label[qb[j]]
                j += 1

    _, w, _ = _timed(go)
    return w, out


# ---------------------------------------------------------------------------------------
# profiling of lifted exact vs offline
# ---------------------------------------------------------------------------------------
def _null_kernels() -> tuple[Any, Any]:
    """The engine bound to a base structure that does nothing (not cached on disk)."""
    import numba

    @numba.njit(nogil=True)
    def null_insert(state, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
        return np.int64(1)

    @numba.njit(nogil=True)
    def null_mark(state):  # type: ignore[no-untyped-def]
        return np.int64(0)

    @numba.njit(nogil=True)
    def null_undo(state, m):  # type: ignore[no-untyped-def]
        return np.int64(0)

    @numba.njit(nogil=True)
    def null_query(state, a, b):  # type: ignore[no-untyped-def]
        return False

    from structures import engine

    @numba.njit(nogil=True)
    def run_days(days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,  # type: ignore[no-untyped-def]
                 ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0):
        return engine.run_days(days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
                               null_insert, null_mark, null_undo, null_query,
                               ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0)

    @numba.njit(nogil=True)
    def reset_path(stack, meta, bstate):  # type: ignore[no-untyped-def]
        engine.reset_path(stack, meta, bstate, null_undo)

    return run_days, reset_path


def _engine_run(n: int, b: Any, q: np.ndarray, preds: Any, kernels: tuple[Any, ...] | None) -> tuple[float, float]:
    """Wall and cpu seconds of one run on a fresh structure; ``kernels`` replaces the base
    structure (a do-nothing base: the answers are then meaningless)."""
    from dynalgo import DynamicConnectivity

    g = DynamicConnectivity(n, preds, backstop=None)
    if kernels is not None:
        eng = g._engine
        eng.base = type(eng.base)(*kernels)
    _, w, c = _timed(lambda: g.run(b, q))
    return w, c


def _cprofile_top(fn: Callable[[], Any], top: int = 8) -> list[dict[str, Any]]:
    pr = cProfile.Profile()
    pr.enable()
    fn()
    pr.disable()
    st = pstats.Stats(pr)
    rows = []
    for (file, line, name), (cc, nc, tt, ct, _) in st.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{name} ({Path(file).name}:{line})", "calls": nc, "tottime": tt, "cumtime": ct})
    rows.sort(key=lambda r: -r["tottime"])
    return rows[:top]


def profile_exact(n: int, b: Any, q: np.ndarray, offline: dict[str, Any], exact: dict[str, Any]) -> dict[str, Any]:
    import predictors
    from dynalgo import DynamicConnectivity

    prof: dict[str, Any] = {}
    stages = _offline_stages(n, b, q)
    prof["offline_stages"] = stages
    st = exact["stats"]
    unions = max(stages["unions"], 1)
    prof["base_inserts_over_offline_unions"] = st["base_inserts"] / unions
    prof["windows_entered_per_day"] = st["windows_entered"] / max(st["days"], 1)
    prof["base_inserts_per_day"] = st["base_inserts"] / max(st["days"], 1)
    prof["scan_work_per_day"] = st["scan_work"] / max(st["days"], 1)
    prof["offline_unions_per_day"] = stages["unions"] / max(len(b), 1)
    ns_per_union = stages["traverse_seconds"] / unions
    prof["offline_traverse_ns_per_union"] = ns_per_union * 1e9
    prof["lifted_base_seconds_at_offline_rate"] = st["base_inserts"] * ns_per_union
    # the engine alone: swap the union-find for a base that does nothing; the normal and
    # the do-nothing runs alternate so that both see the same machine load
    try:
        kernels = _null_kernels()
        tb, tq = make_workload(**TINY, seed=7)
        _, t_compile, _ = _timed(lambda: _engine_run(TINY["n"], tb, tq, predictors.exact(tb), kernels))
        prof["null_base_compile_seconds"] = t_compile
        preds = predictors.exact(b)
        full, null = [], []
        for _ in range(3):
            full.append(_engine_run(n, b, q, preds, None))
            null.append(_engine_run(n, b, q, preds, kernels))
        t_full, t_null = min(w for w, _ in full), min(w for w, _ in null)
        prof["normal_run_seconds"] = t_full
        prof["normal_run_cpu_seconds"] = min(c for _, c in full)
        prof["null_base_run_seconds"] = t_null
        prof["null_base_run_cpu_seconds"] = min(c for _, c in null)
        prof["engine_share_of_run"] = t_null / t_full
        prof["base_structure_seconds"] = t_full - t_null
    except Exception as exc:  # the engine's internals may change under us
        prof["null_base_error"] = f"{type(exc).__name__}: {exc}"
    prof["cprofile_construct"] = _cprofile_top(lambda: DynamicConnectivity(n, predictors.exact(b), backstop=None))
    g = DynamicConnectivity(n, predictors.exact(b), backstop=None)
    prof["cprofile_run"] = _cprofile_top(lambda: g.run(b, q))
    return prof


# ---------------------------------------------------------------------------------------
# child processes
# ---------------------------------------------------------------------------------------
def _child_main(mode: str, small: bool) -> None:
    """Entry of the memory child processes; prints one JSON line."""
    t0 = time.perf_counter()
    import predictors
    from dynalgo import DynamicConnectivity
    from dynalgo.offline import offline_connectivity

    t_import = time.perf_counter() - t0
    warm = warm_kernels()
    size = SIZES["small" if small else "full"]
    n = size["n"]
    b, q = make_workload(**size)
    preds = predictors.exact(b)
    pdel = next_deletion_days(b, n)
    res: dict[str, Any] = {"mode": mode, "import_seconds": t_import, "warm_seconds": warm["total"]}
    before = _proc_status()
    res["rss_before"] = before.get("VmRSS")
    res["hwm_before"] = before["VmHWM"]
    res["peak_reset"] = _reset_peak()
    if mode == "lifted":
        g = DynamicConnectivity(n, preds, backstop=None)
        res["rss_after_construct"] = _proc_status().get("VmRSS")
        g.run(b, q)
        res["stats"] = _stats_dict(g)
    elif mode == "pdel":
        g = DynamicConnectivity(n, backstop=None)
        g.run(b, q, predicted_deletions=pdel)
        res["stats"] = _stats_dict(g)
    elif mode == "offline":
        offline_connectivity(n, b, q)
    elif mode != "base":
        raise SystemExit(f"unknown child mode {mode!r}")
    after = _proc_status()
    res["rss_after"] = after.get("VmRSS")
    res["hwm_after"] = after["VmHWM"]
    print(json.dumps(res))


def _run_child(mode: str, small: bool, private_cache: bool = True) -> dict[str, Any]:
    import shutil

    cmd = [sys.executable, "-m", "bench.connectivity", "--child", mode] + (["--small"] if small else [])
    e = dict(os.environ)
    tmp = tempfile.mkdtemp(prefix="dynalgo-bench-numba-") if private_cache else None
    if tmp is not None:
        e["NUMBA_CACHE_DIR"] = tmp
    e["PYTHONPATH"] = str(REPO) + (os.pathsep + e["PYTHONPATH"] if e.get("PYTHONPATH") else "")
    w0 = time.perf_counter()
    try:
        r = subprocess.run(cmd, cwd=REPO, env=e, capture_output=True, text=True, timeout=1800)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    wall = time.perf_counter() - w0
    if r.returncode != 0:
        raise RuntimeError(f"child {mode} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["child_wall_seconds"] = wall
    return out


def measure_memory(small: bool, n_instances: int, private_cache: bool) -> dict[str, Any]:
    base = _run_child("base", small, private_cache)
    lifted = _run_child("lifted", small, private_cache)
    pdel = _run_child("pdel", small, private_cache)
    off = _run_child("offline", small, private_cache)
    mem: dict[str, Any] = {
        "method": "VmHWM of child processes; baseline child builds the workload (+ exact predictions, "
                  "+ predicted-deletion array) after warming the kernels on a tiny workload",
        "baseline_peak_bytes": base["hwm_after"],
        "instances": n_instances,
    }
    for name, c in (("lifted_exact", lifted), ("predicted_deletions", pdel), ("offline", off)):
        d: dict[str, Any] = {"peak_bytes": c["hwm_after"], "minus_baseline_bytes": c["hwm_after"] - base["hwm_after"]}
        if c.get("peak_reset") and c.get("rss_before") is not None:
            d["increment_bytes"] = c["hwm_after"] - c["rss_before"]  # peak since the reset minus RSS at the reset
        if "stats" in c:
            H = c["stats"]["horizon"]
            d["horizon"] = H
            d["bytes_per_horizon_day"] = d["minus_baseline_bytes"] / H
            if "increment_bytes" in d:
                d["increment_bytes_per_horizon_day"] = d["increment_bytes"] / H
        d["bytes_per_instance"] = d["minus_baseline_bytes"] / max(n_instances, 1)
        if "increment_bytes" in d:
            d["increment_bytes_per_instance"] = d["increment_bytes"] / max(n_instances, 1)
        mem[name] = d
    return mem


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------
def _f(x: Any, nd: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, bool):
        return "yes" if x else "NO"
    if isinstance(x, (int, np.integer)):
        return f"{int(x):,}"
    x = float(x)
    if x != x:
        return "nan"
    if abs(x) >= 1e6 and nd == 0:
        return f"{x:,.0f}"
    if abs(x) >= 1e6 or (x != 0 and abs(x) < 1e-3):
        return f"{x:.{nd}g}"
    return f"{x:,.{nd}f}"


def _table(head: list[str], rows: list[list[Any]]) -> str:
    cells = [[c if isinstance(c, str) else _f(c) for c in r] for r in rows]
    w = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(head)]
    line = lambda r: "| " + " | ".join(s.ljust(w[i]) for i, s in enumerate(r)) + " |"  # noqa: E731
    return "\n".join([line(head), "|" + "|".join("-" * (x + 2) for x in w) + "|"] + [line(r) for r in cells])


def render(res: dict[str, Any]) -> str:
    out: list[str] = []
    wl, m = res["workload"], res["machine"]
    out.append(f"# Dynamic connectivity benchmark ({'small' if res['small'] else 'full'} workload)\n")
    out.append(f"{m['date']} - {m['processor']} - {m['cpu_count']} cpus - Python {m['python']}, numpy {m['numpy']}, "
               f"numba {m['numba']}, networkx {m['networkx']} - {m['platform']}\n")
    out.append(f"git {m['git_commit']} (uncommitted library changes: {m['library_tree_dirty']}, fingerprint "
               f"{m.get('library_fingerprint')}); "
               f"load average at start {m['loadavg_start']}, at end {m.get('loadavg_end')}\n")
    out.append(f"Workload: n = {wl['n']:,}, {wl['initial_edges']:,} initial edges + {wl['updates']:,} updates = "
               f"{wl['days']:,} days, {wl['queries']:,} queries (one per day); repetitions R = {res['repeat']} "
               f"(median wall time); workload built in {_f(wl['build_seconds'])} s.\n")
    w = res["warmup"]
    out.append(f"## Compile / warm-up (numba cache: {m.get('numba_cache')})\n")
    out.append(_table(["what", "seconds"], [["import dynalgo + predictors", w["import_seconds"]]] + [
        [f"warm-up: {k.replace('_', ' ')}", v] for k, v in w.items() if k not in ("import_seconds", "total")
    ] + [["warm-up total (compile + tiny runs)", w["total"]]]) + "\n")
    off, ex = res["offline"], res["lifted_exact"]
    T, Q = wl["days"], wl["queries"]
    out.append("## Main contenders\n")
    rows = [
        ["offline D&C", "-", off["seconds"], off["seconds"], _f((T + Q) / off["seconds"], 0), 1.0, 1.0, "yes"],
        ["lifted, exact predictions", ex["construct_seconds"], ex["run_seconds"], ex["total_seconds"],
         _f((T + Q) / ex["total_seconds"], 0), ex["run_seconds"] / off["seconds"], ex["total_seconds"] / off["seconds"],
         ex["answers_equal"]],
    ]
    pdl = res["predicted_deletions"]
    rows.append(["lifted, no predictions, exact predicted deletions", pdl["construct_seconds"], pdl["run_seconds"],
                 pdl["total_seconds"], _f((T + Q) / pdl["total_seconds"], 0), pdl["run_seconds"] / off["seconds"],
                 pdl["total_seconds"] / off["seconds"], pdl["answers_equal"]])
    out.append(_table(["contender", "construct s", "run s", "total s", "(updates+queries)/s", "run / offline",
                       "total / offline", "answers equal"], rows) + "\n")
    out.append(f"Offline throughput: **{_f(res['summary']['offline_ops_per_second'], 0)} updates+queries per second**. "
               f"Lifted exact / offline: **{_f(res['summary']['ratio_exact_run_over_offline'], 2)}x** run only, "
               f"**{_f(res['summary']['ratio_exact_total_over_offline'], 2)}x** with construction.\n")
    out.append("## Noise sweep (perturbed predictions, seed fixed)\n")
    rows = []
    for p in res["sweep"]:
        st = p["stats"]
        t_run = p["run_seconds"] if p["complete"] else f"{_f(p['run_seconds'])} for {p['days_done']:,} days (~{_f(p['run_seconds_extrapolated'], 0)} full)"
        work = st["work"] if p["complete"] else f"{_f(st['work'])} (~{_f(p['work_extrapolated'])} full)"
        rows.append([p["scale"], p["l1"], p["l1_per_update"], p["construct_seconds"], t_run, work,
                     st["windows_entered"], st["base_inserts"], st["scan_work"], st["retriggers"],
                     st["retrigger_days"], st["root_retriggers"], p["reps"], p["answers_equal"]])
    out.append(_table(["scale (days)", "l1", "l1/update", "construct s", "run s", "work", "windows", "base inserts",
                       "scan work", "retriggers", "retrigger days", "root retriggers", "reps", "answers equal"], rows) + "\n")
    other = sorted({k for p in res["sweep"] for k in p["stats"]} - {
        "work", "windows_entered", "base_inserts", "scan_work", "retriggers", "retrigger_days", "root_retriggers"})
    out.append("Other EngineStats counters:\n")
    out.append(_table(["scale"] + other, [[p["scale"]] + [p["stats"].get(k) for k in other] for p in res["sweep"]]) + "\n")
    fits = res["fits"]
    out.append("Least-squares fits over the completed sweep points (x = l1 error):\n")
    out.append(_table(["fit", "slope", "intercept", "r^2", "points"], [
        ["run seconds vs l1", fits["run_seconds_vs_l1"]["slope"], fits["run_seconds_vs_l1"]["intercept"],
         fits["run_seconds_vs_l1"]["r2"], fits["run_seconds_vs_l1"]["points"]],
        ["total seconds vs l1", fits["total_seconds_vs_l1"]["slope"], fits["total_seconds_vs_l1"]["intercept"],
         fits["total_seconds_vs_l1"]["r2"], fits["total_seconds_vs_l1"]["points"]],
        ["work vs l1", fits["work_vs_l1"]["slope"], fits["work_vs_l1"]["intercept"], fits["work_vs_l1"]["r2"],
         fits["work_vs_l1"]["points"]],
        ["run seconds vs work", fits["run_seconds_vs_work"]["slope"], fits["run_seconds_vs_work"]["intercept"],
         fits["run_seconds_vs_work"]["r2"], fits["run_seconds_vs_work"]["points"]],
    ]) + "\n")
    if res.get("sweep_notes"):
        out.append("\n".join(f"- {s}" for s in res["sweep_notes"]) + "\n")
    nxr = res["networkx"]
    out.append(f"## networkx recompute (sampled small workload: n = {nxr['n']:,}, {nxr['initial_edges']:,} initial "
               f"edges + {nxr['updates']:,} updates = {nxr['days']:,} days, one query per day)\n")
    out.append(_table(["contender", "seconds", "seconds per update", "vs offline", "answers equal"], [
        [k, v["seconds"], v["seconds_per_update"], v["seconds"] / nxr["contenders"]["offline"]["seconds"], v["answers_equal"]]
        for k, v in nxr["contenders"].items()
    ]) + "\n")
    mem = res.get("memory")
    if mem:
        out.append("## Peak memory (child processes, VmHWM)\n")
        out.append(f"Baseline child (workload + predictions, kernels warm): {_f(mem['baseline_peak_bytes'] / 2**20, 1)} MiB; "
                   f"instances (edge lives) = {mem['instances']:,}.\n")
        rows = []
        for k in ("lifted_exact", "predicted_deletions", "offline"):
            d = mem[k]
            rows.append([k, d["peak_bytes"] / 2**20, d["minus_baseline_bytes"] / 2**20, d.get("bytes_per_horizon_day"),
                         d["bytes_per_instance"], (d.get("increment_bytes") or 0) / 2**20,
                         d.get("increment_bytes_per_horizon_day"), d.get("increment_bytes_per_instance")])
        out.append(_table(["run", "peak MiB", "peak - baseline MiB", "bytes / horizon day", "bytes / instance",
                           "increment MiB", "incr. bytes / horizon day", "incr. bytes / instance"], rows) + "\n")
        out.append("'increment' = peak during construct+run minus RSS just before (VmHWM reset via /proc/self/clear_refs) "
                   "in the same child; 'peak - baseline' subtracts the baseline child's peak.\n")
    pr = res.get("profile")
    if pr:
        out.append("## Where lifted exact spends its time (vs offline)\n")
        s = pr["offline_stages"]
        rows = [
            ["offline: edge_lives / segment_layout / traverse s",
             f"{_f(s['edge_lives_seconds'])} / {_f(s['segment_layout_seconds'])} / {_f(s['traverse_seconds'])}"],
            ["offline unions (node, edge pairs)", _f(s["unions"])],
            ["offline unions per day", _f(pr["offline_unions_per_day"])],
            ["offline traverse ns per union", _f(pr["offline_traverse_ns_per_union"])],
            ["lifted windows entered per day", _f(pr["windows_entered_per_day"])],
            ["lifted base inserts per day", _f(pr["base_inserts_per_day"])],
            ["lifted scan work per day", _f(pr["scan_work_per_day"])],
            ["lifted base inserts / offline unions", _f(pr["base_inserts_over_offline_unions"])],
            ["lifted base inserts priced at offline's ns/union, s", _f(pr["lifted_base_seconds_at_offline_rate"])],
        ]
        if "null_base_run_seconds" in pr:
            rows += [
                ["lifted exact run, same phase (min of 3), s", _f(pr["normal_run_seconds"])],
                ["lifted run with a do-nothing base (engine only, min of 3), s", _f(pr["null_base_run_seconds"])],
                ["=> base union-find inside lifted run, s", _f(pr["base_structure_seconds"])],
                ["engine share of lifted run", _f(pr["engine_share_of_run"])],
            ]
        else:
            rows.append(["null-base experiment", pr.get("null_base_error", "-")])
        out.append(_table(["quantity", "value"], rows) + "\n")
        for key, title in (("cprofile_construct", "construction"), ("cprofile_run", "run")):
            out.append(f"cProfile of lifted exact {title} (top by own time):\n")
            out.append(_table(["function", "calls", "own s", "cum s"],
                              [[r["function"], r["calls"], r["tottime"], r["cumtime"]] for r in pr[key]]) + "\n")
    if res.get("findings"):
        out.append("## Findings\n")
        out.append("\n".join(f"- {s}" for s in res["findings"]) + "\n")
    out.append(f"Total benchmark wall time: {_f(res['total_seconds'], 1)} s.\n")
    return "\n".join(out)


def _json_default(o: Any) -> Any:
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, np.bool_):
        return bool(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o).__name__)


# ---------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.connectivity", description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", metavar="PATH", help="write all results as JSON (and the tables as markdown beside it)")
    ap.add_argument("--markdown", metavar="PATH", help="markdown copy of the tables (default with --json: <stem>-latest.md)")
    ap.add_argument("--small", action="store_true", help="10x smaller workload, for quick checks")
    ap.add_argument("--repeat", type=int, default=3, metavar="R", help="repetitions per measurement (median), default 3")
    ap.add_argument("--point-budget", type=float, default=90.0, metavar="S",
                    help="stop a noise-sweep point after S seconds of run time (0: no limit), default 90")
    ap.add_argument("--rep-threshold", type=float, default=12.0, metavar="S",
                    help="a sweep point whose first repetition exceeds S seconds is not repeated, default 12")
    ap.add_argument("--project-numba-cache", action="store_true",
                    help="use numba's usual cache (the project's __pycache__) instead of a private empty one")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory child processes")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child_main(args.child, args.small)
        return 0
    if args.repeat < 1:
        ap.error("--repeat must be >= 1")
    t_start = time.perf_counter()
    R = args.repeat
    key = "small" if args.small else "full"
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731

    t0 = time.perf_counter()
    import predictors

    import dynalgo  # noqa: F401
    from dynalgo.offline import offline_connectivity  # noqa: F401

    t_import = time.perf_counter() - t0
    res: dict[str, Any] = {"small": args.small, "repeat": R, "machine": machine_info()}
    res["machine"]["numba_cache"] = ("private empty directory (warm-up = cold compile)" if os.environ.get("NUMBA_CACHE_DIR") in _OWN_CACHE_DIRS
                                     else f"NUMBA_CACHE_DIR={os.environ.get('NUMBA_CACHE_DIR')}" if os.environ.get("NUMBA_CACHE_DIR")
                                     else "project __pycache__ (numba default)")
    log("warming kernels ...")
    warm = warm_kernels()
    warm["import_seconds"] = t_import
    res["warmup"] = warm

    size = SIZES[key]
    n = size["n"]
    (b, q), t_build, _ = _timed(lambda: make_workload(**size))
    T = len(b)
    n_ins = int(np.count_nonzero(np.asarray(b.op) == 1))
    res["workload"] = dict(size, days=T, queries=int(q.shape[0]), inserts=n_ins, deletes=T - n_ins,
                           build_seconds=t_build, seed=WORKLOAD_SEED)

    log("offline ...")
    res["offline"], ref = run_offline(n, b, q, R)

    log("lifted exact ...")
    ex = run_lifted(n, b, q, lambda: predictors.exact(b), R, ref)
    res["lifted_exact"] = ex

    log("predicted-deletion model ...")
    pdel, t_pdel, _ = _timed(lambda: next_deletion_days(b, n))
    pd_res = run_lifted(n, b, q, None, R, ref, pdel=pdel)
    pd_res["pdel_array_seconds"] = t_pdel
    pd_res["predicted_deletions_given"] = int(np.count_nonzero(pdel))
    res["predicted_deletions"] = pd_res

    log("noise sweep ...")
    sweep: list[dict[str, Any]] = []
    notes: list[str] = []
    for s in NOISE_SCALES:
        preds = predictors.perturbed(b, float(s), seed=NOISE_SEED)
        l1, t_l1, _ = _timed(lambda: predictors.l1_error(preds, b))
        done = [p for p in sweep if p["complete"] and p["l1"] > 0]
        predicted = None
        if done and l1 > 0:
            last = done[-1]
            predicted = last["run_seconds"] * l1 / last["l1"]
        if args.point_budget > 0 and predicted is not None and predicted > args.point_budget:
            log(f"  scale {s}: l1 {l1:,}, expected ~{predicted:.0f} s > budget: chunked run with a {args.point_budget:.0f} s budget")
            p = run_lifted_budgeted(n, b, q, preds, ref, args.point_budget)
            p["expected_seconds"] = predicted
            if not p["complete"]:
                notes.append(f"scale {s}: stopped at the {args.point_budget:.0f} s budget after {p['days_done']:,} of "
                             f"{T:,} days; linear extrapolation ~{p['run_seconds_extrapolated']:.0f} s "
                             f"(expected from the previous point: ~{predicted:.0f} s); not in the fits")
        else:
            log(f"  scale {s}: l1 {l1:,}")
            p = run_lifted(n, b, q, lambda: preds, R, ref, rep_threshold=args.rep_threshold)
        p.update(scale=s, l1=int(l1), l1_per_update=l1 / T, l1_seconds=t_l1, work=p["stats"]["work"])
        log(f"    run {p['run_seconds']:.2f} s, work {p['work']:,}, complete {p['complete']}")
        sweep.append(p)
    res["sweep"] = sweep
    res["sweep_notes"] = notes
    full = [p for p in sweep if p["complete"]]
    res["fits"] = {
        "run_seconds_vs_l1": _linfit([p["l1"] for p in full], [p["run_seconds"] for p in full]),
        "total_seconds_vs_l1": _linfit([p["l1"] for p in full], [p["total_seconds"] for p in full]),
        "work_vs_l1": _linfit([p["l1"] for p in full], [p["work"] for p in full]),
        "run_seconds_vs_work": _linfit([p["work"] for p in full], [p["run_seconds"] for p in full]),
    }

    log("networkx recompute (small sample) ...")
    nsz = NX_SIZES[key]
    sb, sq = make_workload(**nsz)
    sn, sT = nsz["n"], len(sb)
    rs = max(R, 5)
    s_off, s_ref = run_offline(sn, sb, sq, rs)
    s_ex = run_lifted(sn, sb, sq, lambda: predictors.exact(sb), rs, s_ref)
    s_pd = run_lifted(sn, sb, sq, None, rs, s_ref, pdel=next_deletion_days(sb, sn))
    t_nx, nx_ans = run_networkx(sn, sb, sq)
    res["networkx"] = dict(nsz, days=sT, queries=int(sq.shape[0]), note=(
        "sampled small workload; networkx rebuilds all components after every day (all days, "
        "initial inserts included), so seconds per update = seconds / days"), contenders={
        "networkx recompute": {"seconds": t_nx, "seconds_per_update": t_nx / sT, "reps": 1,
                               "answers_equal": bool(np.array_equal(nx_ans, s_ref))},
        "offline": {"seconds": s_off["seconds"], "seconds_per_update": s_off["seconds"] / sT, "reps": rs,
                    "answers_equal": True},
        "lifted exact (construct+run)": {"seconds": s_ex["total_seconds"], "seconds_per_update": s_ex["total_seconds"] / sT,
                                         "reps": rs, "answers_equal": s_ex["answers_equal"]},
        "lifted predicted deletions": {"seconds": s_pd["total_seconds"], "seconds_per_update": s_pd["total_seconds"] / sT,
                                       "reps": rs, "answers_equal": s_pd["answers_equal"]},
    })

    if not args.no_memory:
        log("peak memory (child processes) ...")
        res["memory"] = measure_memory(args.small, n_ins, not args.project_numba_cache)

    log("profiling lifted exact ...")
    res["profile"] = profile_exact(n, b, q, res["offline"], ex)

    off_s = res["offline"]["seconds"]
    res["summary"] = {
        "offline_seconds": off_s,
        "offline_ops_per_second": (T + q.shape[0]) / off_s,
        "lifted_exact_run_seconds": ex["run_seconds"],
        "lifted_exact_total_seconds": ex["total_seconds"],
        "ratio_exact_run_over_offline": ex["run_seconds"] / off_s,
        "ratio_exact_total_over_offline": ex["total_seconds"] / off_s,
        "ratio_pdel_total_over_offline": pd_res["total_seconds"] / off_s,
    }
    checks = {"lifted_exact": ex["answers_equal"], "predicted_deletions": pd_res["answers_equal"]}
    checks.update({f"sweep_{p['scale']}": p["answers_equal"] for p in sweep})
    checks.update({f"small_{k}": v["answers_equal"] for k, v in res["networkx"]["contenders"].items()})
    res["answers_equal"] = all(checks.values())
    res["answers_checks"] = checks
    res["findings"] = findings(res)
    res["machine"]["loadavg_end"] = _loadavg()
    res["machine"]["library_fingerprint_end"] = fp_end = _library_fingerprint()
    if fp_end != res["machine"]["library_fingerprint"]:
        res["findings"].append(f"WARNING: the library changed during the run ({res['machine']['library_fingerprint']} -> "
                               f"{fp_end}); the child processes (memory) imported the newer code")
    res["total_seconds"] = time.perf_counter() - t_start

    text = render(res)
    print(text)
    if args.json:
        jp = Path(args.json)
        jp.parent.mkdir(parents=True, exist_ok=True)
        jp.write_text(json.dumps(res, indent=2, default=_json_default) + "\n", encoding="utf-8")
        md = Path(args.markdown) if args.markdown else jp.with_name(jp.stem + "-latest.md")
        md.write_text(text, encoding="utf-8")
        log(f"wrote {jp} and {md}")
    elif args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    assert res["answers_equal"], f"answers differ from offline: {checks}"
    return 0


def findings(res: dict[str, Any]) -> list[str]:
    """Plain-language observations computed from the numbers."""
    out = []
    sm, pr = res["summary"], res.get("profile") or {}
    r = sm["ratio_exact_total_over_offline"]
    out.append(f"lifted exact is {sm['ratio_exact_run_over_offline']:.2f}x offline (run only) and {r:.2f}x with "
               f"construction; predicted-deletion model with exact deletion days: {sm['ratio_pdel_total_over_offline']:.2f}x")
    if "base_inserts_over_offline_unions" in pr:
        out.append(f"the lifted run inserts {pr['base_inserts_over_offline_unions']:.2f}x as many elements into the "
                   f"union-find as offline unions ({pr['base_inserts_per_day']:.1f} vs {pr['offline_unions_per_day']:.1f} "
                   f"per day), scans {pr['scan_work_per_day']:.1f} slots per day and enters "
                   f"{pr['windows_entered_per_day']:.2f} windows per day")
    if "null_base_run_seconds" in pr:
        eng = pr["null_base_run_seconds"]
        base = pr["base_structure_seconds"]
        dom = "the engine (schedule scan, path, events)" if eng > base else "the union-find base structure"
        out.append(f"engine alone (do-nothing base) {eng:.2f} s vs union-find {base:.2f} s of the "
                   f"{pr['normal_run_seconds']:.2f} s run: {dom} dominates; offline's whole traverse is "
                   f"{pr['offline_stages']['traverse_seconds']:.2f} s")
    ex = res["lifted_exact"]
    out.append(f"construction (schedule) is {ex['construct_seconds']:.2f} s = "
               f"{ex['construct_seconds'] / ex['total_seconds']:.0%} of lifted exact")
    f = res["fits"]["work_vs_l1"]
    if f["points"] >= 2:
        out.append(f"work grows by {f['slope']:.1f} units per unit of l1 error (r^2 {f['r2']:.3f}); run time by "
                   f"{res['fits']['run_seconds_vs_l1']['slope'] * 1e6:.3f} s per million l1 "
                   f"(r^2 {res['fits']['run_seconds_vs_l1']['r2']:.3f})")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
