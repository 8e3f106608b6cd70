"""Dynamic submodular maximization on sliding windows: oracle calls, wall time, value, recourse.

Run from the repository root::

    python -m bench.submodular [--json [PATH]] [--small] [--sample S]

(``--json`` writes ``bench/results/submodular-latest.json`` or ``PATH``, and the
tables as markdown beside it, ``<stem>-latest.md``.)

Data sets:

* ``coverage``: CollegeMsg (:func:`dynalgo.college_msg`).  An item is a
  (user, day) activity -- a user who sent messages on a calendar day (UTC day
  counted from the first message) -- and covers the users they messaged that
  day; universe: the 1,899 users, unit weights.  14,633 items, in order of
  their first message.
* ``facility``: Gaussian blobs generated with numpy (20 centres in 16
  dimensions, unit spread, centres drawn in a cube of side 10, seed 0),
  ``N`` points (20,000; 4,000 with ``--small``); facility location on the
  10-nearest-neighbour cosine-similarity graph (similarities clipped at 0,
  each point also covers itself with similarity 1); items are the points in
  a random order, the universe is all points.

Workload: a sliding window of ``W`` items over the item stream (insert the
next item; once ``W`` are present, delete the oldest), ``W`` in {500, 2000},
stream of ``4 W`` items (``2 W`` with ``--small``), ``k`` in {10, 50},
``eps = 0.1``.  Contenders:

* ``apricot (refit)`` (optional, when apricot-select and scikit-learn are
  installed; coverage only, where its ``MaxCoverageSelection`` maximizes the
  same objective): apricot's lazy greedy refit from scratch on the present
  items of 20 sampled days (time per refit, value relative to our lazy greedy);
* ``lifted/exact``: :class:`dynalgo.DynamicSubmodular` with ``backstop=None``,
  each insertion carrying its real deletion day (the window is known);
* ``lifted/perturbed``: the same with the day moved by a normal error of
  standard deviation ``W / 10`` days (at least the next day);
* ``raced/exact``, ``raced/perturbed``, ``raced/none``: ``backstop="leveled"``,
  share 1 (oracle-call units), with exact, perturbed or no predictions;
* ``backstop``: :class:`dynalgo.LeveledSubmodular` alone;
* ``lazy greedy``: lazy greedy recomputed from scratch (each update is an
  independent recompute, so it is measured on every ``S``-th day, default 10);
* ``sieve rerun``: :class:`dynalgo.SieveRerun`;
* ``sieve (insertion-only)``: :class:`dynalgo.SieveStreaming` on the same
  stream, deletions ignored: the yardstick of the "2 log2 T" target.

Per update: oracle calls (mean, p99, max), wall time (update calls only, the
measurement code outside; the fastest of 3 runs, 1 for the backstop, the
sieve rerun and the raced contenders without exact predictions), value relative to lazy greedy on the present items
at the sampled days (mean and minimum; the insertion-only sieve is left out:
its answer may hold deleted items), recourse (size of the symmetric difference
of consecutive solutions).  Kernels are warmed on a small instance before
timing; the cold compile time is measured in a subprocess with an empty numba
cache.  Machine: whatever runs it (the committed results: 2-core Xeon VM,
shared).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

import dynalgo

RESULTS = Path(__file__).resolve().parent / "results"


# ---------------------------------------------------------------------------------------------
# data
def coverage_collegemsg() -> dynalgo.Coverage:
    """CollegeMsg activities (item = one user's messages on one calendar day, covering the
    users messaged), in order of first message: the objective of the submodular demo."""
    from dynalgo.demo import _activities

    f: dynalgo.Coverage = _activities()
    return f


def blobs_facility(n: int, seed: int = 0, knn: int = 10, dim: int = 16, centres: int = 20) -> dynalgo.FacilityLocation:
    rng = np.random.default_rng(seed)
    c = rng.uniform(-5.0, 5.0, size=(centres, dim))
    x = c[rng.integers(0, centres, size=n)] + rng.normal(size=(n, dim))
    x = x[rng.permutation(n)]
    xn = x / np.linalg.norm(x, axis=1, keepdims=True)
    rows = np.zeros((n, knn + 1), dtype=np.int64)
    sims = np.zeros((n, knn + 1))
    for a in range(0, n, 2048):
        s = xn[a : a + 2048] @ xn.T
        idx = np.argpartition(-s, knn + 1, axis=1)[:, : knn + 1]
        rows[a : a + 2048] = idx
        sims[a : a + 2048] = np.take_along_axis(s, idx, axis=1)
    sims = np.clip(sims, 0.0, None)
    sims[rows == np.arange(n)[:, None]] = 1.0
    indptr = np.arange(0, n * (knn + 1) + 1, knn + 1, dtype=np.int64)

    class CSR:
        pass

    m = CSR()
    m.indptr, m.indices, m.data, m.shape = indptr, rows.ravel(), sims.ravel(), (n, n)  # type: ignore[attr-defined]
    return dynalgo.FacilityLocation(m)


def window_stream(n_items: int, window: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(op, item, real deletion day of an insertion or 0) of a sliding window over items 0..n-1."""
    ops, items = [], []
    for i in range(n_items):
        ops.append(1)
        items.append(i)
        if i >= window:
            ops.append(0)
            items.append(i - window)
    op = np.array(ops, dtype=np.int64)
    it = np.array(items, dtype=np.int64)
    pdel = np.zeros(op.shape[0], dtype=np.int64)
    del_day = np.zeros(n_items, dtype=np.int64)
    del_day[it[op == 0]] = np.flatnonzero(op == 0) + 1
    ins = op == 1
    pdel[ins] = del_day[it[ins]]
    return op, it, pdel


# ---------------------------------------------------------------------------------------------
def run_contender(make: Callable[[], Any], op: np.ndarray, it: np.ndarray, pdel: np.ndarray,
                  sample: np.ndarray, greedy_val: dict[int, float], max_days: int | None = None) -> dict[str, Any]:
    s = make()
    T = op.shape[0] if max_days is None else min(op.shape[0], max_days)
    calls = np.zeros(T, dtype=np.int64)
    prev_calls = s.stats.oracle_calls
    prev_sol: set[int] = set()
    recourse = 0
    ratios = []
    wall = 0.0
    sample_set = set(sample.tolist())
    answered_lifted = 0
    for d in range(T):
        e = int(it[d])
        t0 = time.perf_counter()
        if op[d] == 1:
            s.insert(e, predicted_deletion=int(pdel[d]) if pdel[d] > 0 else None)
        else:
            s.delete(e)
        wall += time.perf_counter() - t0
        c = s.stats.oracle_calls
        calls[d] = c - prev_calls
        prev_calls = c
        sol = set(s.solution().tolist())
        recourse += len(sol ^ prev_sol)
        prev_sol = sol
        if d + 1 in sample_set and greedy_val.get(d + 1, 0.0) > 0:
            ratios.append(s.value() / greedy_val[d + 1])
        if getattr(s, "answered_by", "") == "lifted":
            answered_lifted += 1
    out = {
        "days": T,
        "calls_mean": float(calls.mean()),
        "calls_p99": float(np.percentile(calls, 99)),
        "calls_max": int(calls.max()),
        "us_per_update": 1e6 * wall / T,
        "value_ratio_mean": float(np.mean(ratios)) if ratios else None,
        "value_ratio_min": float(np.min(ratios)) if ratios else None,
        "recourse_per_update": recourse / T,
    }
    st = s.stats
    if st.engine is not None and st.engine.race is not None:
        out["days_lifted"] = st.engine.race.days_lifted
        out["days_backstop"] = st.engine.race.days_backstop
        out["lifted_calls"] = st.lifted_oracle_calls
        out["backstop_calls"] = st.backstop_oracle_calls
    if st.engine is not None:
        out["retriggers"] = st.engine.retriggers
    out["rebuilds"] = st.rebuilds
    return out


def greedy_at(f: dynalgo.Objective, k: int, op: np.ndarray, it: np.ndarray,
              sample: np.ndarray) -> tuple[dict[int, float], dict[str, Any]]:
    """Lazy greedy from scratch on the present items of each sampled day."""
    from structures import baselines as _b

    scr = _b.make_scratch(f._od, k)
    present = np.zeros(f.n, dtype=np.bool_)
    vals: dict[int, float] = {}
    calls, walls = [], []
    j = 0
    sample_sorted = np.sort(sample)
    for d in range(1, op.shape[0] + 1):
        present[it[d - 1]] = op[d - 1] == 1
        if j < sample_sorted.shape[0] and sample_sorted[j] == d:
            j += 1
            items = np.flatnonzero(present).astype(np.int64)
            t0 = time.perf_counter()
            c, val, nc = f._bind.lazy_greedy(tuple(f._od), f.singletons(), items, k, scr)
            walls.append(time.perf_counter() - t0)
            vals[d] = float(val)
            calls.append(int(nc))
    ca = np.array(calls)
    return vals, {
        "days": int(sample.shape[0]), "calls_mean": float(ca.mean()), "calls_p99": float(np.percentile(ca, 99)),
        "calls_max": int(ca.max()), "us_per_update": 1e6 * float(np.mean(walls)),
        "value_ratio_mean": 1.0, "value_ratio_min": 1.0, "recourse_per_update": None, "sampled": True,
    }


def apricot_at(f: dynalgo.Objective, k: int, op: np.ndarray, it: np.ndarray, sample: np.ndarray,
               greedy_val: dict[int, float]) -> dict[str, Any] | None:
    """apricot-select's ``MaxCoverageSelection`` (lazy greedy) refit from scratch on the present
    items of sampled days, coverage objectives only (same objective: items cover universe
    elements of weight 1).  ``None`` when apricot is not installed."""
    try:
        from apricot import MaxCoverageSelection
        from scipy.sparse import csr_matrix
    except ImportError:
        return None
    indptr, indices, values, weights, _ = f._od
    if not isinstance(f, dynalgo.Coverage) or not np.all(weights == 1.0):
        return None
    M = csr_matrix((values, indices, indptr), shape=(f.n, weights.shape[0]))
    present = np.zeros(f.n, dtype=np.bool_)
    walls, ratios = [], []
    j = 0
    MaxCoverageSelection(k, optimizer="lazy", verbose=False).fit(M[:50].toarray())  # warm its numba code
    for d in range(1, op.shape[0] + 1):
        present[it[d - 1]] = op[d - 1] == 1
        if j < sample.shape[0] and sample[j] == d:
            j += 1
            items = np.flatnonzero(present)
            X = M[items].toarray()
            t0 = time.perf_counter()
            sel = MaxCoverageSelection(min(k, items.shape[0]), optimizer="lazy", verbose=False).fit(X)
            walls.append(time.perf_counter() - t0)
            chosen = np.unique(np.asarray(sel.ranking, dtype=np.int64))
            val = f.value(items[chosen[(chosen >= 0) & (chosen < items.shape[0])]].tolist())
            if greedy_val.get(d, 0.0) > 0:
                ratios.append(val / greedy_val[d])
    return {"days": len(walls), "calls_mean": None, "calls_p99": None, "calls_max": None,
            "us_per_update": 1e6 * float(np.mean(walls)), "value_ratio_mean": float(np.mean(ratios)),
            "value_ratio_min": float(np.min(ratios)), "recourse_per_update": None, "sampled": True,
            "note": f"apricot-select MaxCoverageSelection refit on {len(walls)} sampled days (dense rows)"}


def contenders(f: dynalgo.Objective, k: int, window: int, seed: int) -> dict[str, Callable[[], Any]]:
    return {
        "lifted/exact": lambda: dynalgo.DynamicSubmodular(f, k, eps=0.1, backstop=None, seed=seed),
        "lifted/perturbed": lambda: dynalgo.DynamicSubmodular(f, k, eps=0.1, backstop=None, seed=seed),
        "raced/exact": lambda: dynalgo.DynamicSubmodular(f, k, eps=0.1, seed=seed),
        "raced/perturbed": lambda: dynalgo.DynamicSubmodular(f, k, eps=0.1, seed=seed),
        "raced/none": lambda: dynalgo.DynamicSubmodular(f, k, eps=0.1, seed=seed),
        "backstop": lambda: dynalgo.LeveledSubmodular(f, k, eps=0.1, seed=seed),
        "sieve rerun": lambda: dynalgo.SieveRerun(f, k, eps=0.1),
        "sieve (insertion-only)": lambda: dynalgo.SieveStreaming(f, k, eps=0.1),
    }


def perturb(pdel: np.ndarray, sd: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = pdel.copy()
    ins = np.flatnonzero(pdel > 0)
    noisy = pdel[ins] + np.rint(rng.normal(0.0, sd, size=ins.shape[0])).astype(np.int64)
    out[ins] = np.maximum(noisy, ins + 2)  # at least the day after the insertion (day = index + 1)
    return out


def one_config(f: dynalgo.Objective, name: str, window: int, k: int, n_stream: int, every: int,
               skip: set[str], rerun_days: int | None) -> dict[str, Any]:
    op, it, pdel = window_stream(n_stream, window)
    T = op.shape[0]
    sample = np.arange(every, T + 1, every)
    gvals, grow = greedy_at(f, k, op, it, sample)
    rows: dict[str, Any] = {"lazy greedy": grow}
    ap = apricot_at(f, k, op, it, sample[:: max(1, sample.shape[0] // 20)], gvals)
    if ap is not None:
        rows["apricot (refit)"] = ap
    for cname, make in contenders(f, k, window, 1).items():
        if cname in skip:
            continue
        if cname.endswith("/perturbed"):
            p = perturb(pdel, window / 10.0, 7)
        elif cname.endswith("/none"):
            p = np.zeros_like(pdel)
        else:
            p = pdel
        t0 = time.perf_counter()
        reps = 1 if cname in ("backstop", "sieve rerun", "raced/none", "raced/perturbed") else 3
        runs = [run_contender(make, op, it, p, sample, gvals, max_days=rerun_days if cname == "sieve rerun" else None)
                for _ in range(reps)]
        rows[cname] = runs[-1]
        rows[cname]["us_per_update"] = min(r["us_per_update"] for r in runs)
        rows[cname]["repetitions"] = reps
        if cname == "sieve (insertion-only)":  # its answer may hold deleted items: no value ratio
            rows[cname]["value_ratio_mean"] = rows[cname]["value_ratio_min"] = None
        print(f"  {name} W={window} k={k} {cname}: {rows[cname]['calls_mean']:.1f} calls/update, "
              f"{rows[cname]['us_per_update']:.1f} us/update ({time.perf_counter() - t0:.1f} s)", flush=True)
    if "sieve rerun" in rows:
        rows["sieve rerun"]["value_ratio_note"] = "" if rerun_days is None or rerun_days >= T else f"first {rerun_days} days"
    return {"dataset": name, "window": window, "k": k, "items": n_stream, "days": T, "rows": rows,
            "greedy_sample_every": every}


def backstop_growth(f: dynalgo.Objective, k: int, windows: list[int], extra: int) -> list[dict[str, Any]]:
    out = []
    for w in windows:
        n_stream = min(f.n, w + extra)
        op, it, _ = window_stream(n_stream, w)
        s = dynalgo.LeveledSubmodular(f, k, eps=0.1, seed=1)
        calls = []
        t0 = time.perf_counter()
        prev = 0
        for d in range(op.shape[0]):
            if op[d] == 1:
                s.insert(int(it[d]))
            else:
                s.delete(int(it[d]))
            c = s.stats.oracle_calls
            calls.append(c - prev)
            prev = c
        wall = time.perf_counter() - t0
        steady = np.array(calls[w:])  # after the window has filled
        out.append({"window": w, "k": k, "days": int(op.shape[0]), "steady_days": int(steady.shape[0]),
                    "calls_mean_steady": float(steady.mean()), "calls_p99_steady": float(np.percentile(steady, 99)),
                    "calls_mean_all": float(np.mean(calls)), "us_per_update": 1e6 * wall / op.shape[0]})
        print(f"  growth W={w} k={k}: {out[-1]['calls_mean_steady']:.1f} calls/update (steady)", flush=True)
    return out


def compile_time() -> float:
    """Seconds to compile every submodular kernel in a fresh process with an empty numba cache."""
    code = (
        "import time; t=time.perf_counter(); import dynalgo, numpy as np\n"
        "f=dynalgo.Coverage([[0,1],[1,2],[2,3],[0,3]])\n"
        "for s in (dynalgo.DynamicSubmodular(f,2), dynalgo.DynamicSubmodular(f,2,backstop=None),"
        " dynalgo.LazyGreedy(f,2), dynalgo.SieveRerun(f,2)):\n"
        "    s.insert(0, predicted_deletion=3); s.insert(1); s.delete(0); s.solution()\n"
        "print(time.perf_counter()-t)\n"
    )
    with tempfile.TemporaryDirectory() as d:
        env = {**os.environ, "NUMBA_CACHE_DIR": d, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(r.stdout.strip().splitlines()[-1])


def warm() -> None:
    f = dynalgo.Coverage([[0, 1], [1, 2], [2, 3], [0, 3]])
    g = dynalgo.FacilityLocation(np.eye(4))
    for obj in (f, g):
        for s in (dynalgo.DynamicSubmodular(obj, 2), dynalgo.DynamicSubmodular(obj, 2, backstop=None),
                  dynalgo.LazyGreedy(obj, 2), dynalgo.SieveRerun(obj, 2), dynalgo.LeveledSubmodular(obj, 2)):
            s.insert(0, predicted_deletion=3)
            s.insert(1)
            s.delete(0)
            s.solution()


# ---------------------------------------------------------------------------------------------
def targets(res: dict[str, Any]) -> list[str]:
    lines = []
    for cfg in res["configs"]:
        if cfg["window"] != max(c["window"] for c in res["configs"]) or cfg["k"] != 50:
            continue
        r = cfg["rows"]
        lif = r["lifted/exact"]["calls_mean"]
        T = cfg["days"]
        lines.append(f"{cfg['dataset']} W={cfg['window']} k=50: lifted/exact {lif:.1f} calls/update")
        if "backstop" in r:
            b = r["backstop"]["calls_mean"]
            lines.append(f"  vs backstop {b:.1f}: ratio {lif / b:.3f} (target <= 1/3) "
                         f"{'met' if lif <= b / 3 else 'NOT met'}; wall-time ratio "
                         f"{r['lifted/exact']['us_per_update'] / r['backstop']['us_per_update']:.3f}")
        g = r["lazy greedy"]["calls_mean"]
        lines.append(f"  vs lazy greedy {g:.1f}: ratio {lif / g:.3f} (target <= 1/5) {'met' if lif <= g / 5 else 'NOT met'};"
                     f" wall-time ratio {r['lifted/exact']['us_per_update'] / r['lazy greedy']['us_per_update']:.3f}")
        if "sieve (insertion-only)" in r:
            s = r["sieve (insertion-only)"]["calls_mean"]
            bound = 2 * math.log2(T)
            lines.append(f"  vs insertion-only sieve {s:.1f}: ratio {lif / s:.2f} (target <= 2 log2 T = {bound:.1f}) "
                         f"{'met' if lif <= bound * s else 'NOT met'}")
    for cfg in res["configs"]:
        r = cfg["rows"]
        if "raced/none" in r and "backstop" in r:
            lines.append(f"robustness {cfg['dataset']} W={cfg['window']} k={cfg['k']}: raced/none "
                         f"{r['raced/none']['calls_mean']:.1f} calls/update = "
                         f"{r['raced/none']['calls_mean'] / r['backstop']['calls_mean']:.2f}x backstop alone "
                         f"(bound 1 + 1/r = 2 plus one step per day); wall time "
                         f"{r['raced/none']['us_per_update'] / r['backstop']['us_per_update']:.2f}x")
    for cfg in res["configs"]:
        for name in ("lifted/exact", "lifted/perturbed", "raced/exact", "raced/perturbed", "raced/none", "backstop"):
            row = cfg["rows"].get(name)
            if row and row["value_ratio_mean"] is not None:
                ok = row["value_ratio_mean"] >= 0.9
                lines.append(f"value {cfg['dataset']} W={cfg['window']} k={cfg['k']} {name}: mean "
                             f"{row['value_ratio_mean']:.3f} min {row['value_ratio_min']:.3f} x lazy greedy "
                             f"(target mean >= 0.9) {'met' if ok else 'NOT met'}")
    return lines


def render(res: dict[str, Any]) -> str:
    out = ["# Dynamic submodular maximization on sliding windows (eps = 0.1)\n",
           f"Machine: {res['machine']}. numba {res['numba']}, numpy {res['numpy']}. "
           f"Cold compile of every submodular kernel: {res['compile_seconds']:.1f} s (loaded from the cache afterwards). "
           f"Lazy greedy is measured on every {res['sample_every']}-th day; value ratios are taken on those days.\n"]
    for cfg in res["configs"]:
        out.append(f"\n## {cfg['dataset']}, window {cfg['window']}, k = {cfg['k']} "
                   f"({cfg['items']} items, {cfg['days']} updates)\n")
        out.append("| contender | oracle calls / update (mean) | p99 | max | us / update | value / greedy (mean) | "
                   "min | recourse / update | notes |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for name, r in cfg["rows"].items():
            vm = "" if r["value_ratio_mean"] is None else f"{r['value_ratio_mean']:.3f}"
            vn = "" if r["value_ratio_min"] is None else f"{r['value_ratio_min']:.3f}"
            rc = "" if r.get("recourse_per_update") is None else f"{r['recourse_per_update']:.2f}"
            notes = []
            if r.get("sampled"):
                notes.append(f"{r['days']} sampled recomputes")
            if "days_lifted" in r:
                notes.append(f"days lifted/backstop {r['days_lifted']}/{r['days_backstop']}")
            if r.get("value_ratio_note"):
                notes.append(r["value_ratio_note"])
            if name not in ("lazy greedy", "apricot (refit)") and r["days"] < cfg["days"]:
                notes.append(f"first {r['days']} days")
            if r.get("note"):
                notes = [r["note"]]
            calls = ("| | | " if r["calls_mean"] is None else
                     f"{r['calls_mean']:,.1f} | {r['calls_p99']:,.0f} | {r['calls_max']:,} | ")
            out.append(f"| {name} | {calls}"
                       f"{r['us_per_update']:,.1f} | {vm} | {vn} | {rc} | {'; '.join(notes)} |")
    out.append("\n## Backstop growth (leveled, alone; CollegeMsg coverage)\n")
    out.append("| window | k | updates | oracle calls / update (steady state) | p99 | all days | us / update |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    for g in res["growth"]:
        out.append(f"| {g['window']} | {g['k']} | {g['days']} | {g['calls_mean_steady']:,.1f} | "
                   f"{g['calls_p99_steady']:,.0f} | {g['calls_mean_all']:,.1f} | {g['us_per_update']:,.1f} |")
    out.append("\n## Targets\n")
    out += [f"- {line}" for line in res["targets"]]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.submodular", description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", nargs="?", const=str(RESULTS / "submodular-latest.json"), metavar="PATH")
    ap.add_argument("--small", action="store_true", help="smaller data and streams")
    ap.add_argument("--sample", type=int, default=10, metavar="S", help="lazy greedy on every S-th day")
    ap.add_argument("--rerun-days", type=int, default=None, help="cap the days of the sieve-rerun contender")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    res: dict[str, Any] = {"machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                           "numba": __import__("numba").__version__, "numpy": np.__version__,
                           "sample_every": args.sample, "small": args.small}
    res["compile_seconds"] = compile_time()
    print(f"cold compile: {res['compile_seconds']:.1f} s", flush=True)
    warm()
    cov = coverage_collegemsg()
    fac = blobs_facility(4000 if args.small else 20000)
    windows = [200, 500] if args.small else [500, 2000]
    mult = 2 if args.small else 4
    res["facility_points"] = fac.n
    res["coverage_items"] = cov.n
    configs = []
    for name, f in (("coverage", cov), ("facility", fac)):
        for w in windows:
            for k in (10, 50):
                configs.append(one_config(f, name, w, k, min(f.n, mult * w), args.sample, set(), args.rerun_days))
    res["configs"] = configs
    gw = [200, 500, 2000] if args.small else [500, 2000, 8000]
    res["growth"] = backstop_growth(cov, 10, gw, 2000 if args.small else 4000)
    res["targets"] = targets(res)
    res["seconds"] = time.perf_counter() - t_start
    print("\n".join(res["targets"]))
    if args.json:
        p = Path(args.json)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        stem = p.stem if p.stem.endswith("-latest") else p.stem + "-latest"
        p.with_name(stem + ".md").write_text(render(res), encoding="utf-8")


if __name__ == "__main__":
    main()
