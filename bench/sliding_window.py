"""What deletion predictions can buy on a real sliding-window workload: CollegeMsg, connectivity.

Run from the repository root::

    python -m bench.sliding_window [--json bench/results/sliding-window.json] [--repeat R] [--window W ...]

(``--json PATH`` also writes the tables as markdown beside it, ``<stem>-latest.md``.)

Workload: the one ``python -m dynalgo demo`` runs (:func:`dynalgo.demo.run_demo`):
:func:`dynalgo.datasets.college_msg` turned into an edge-update sequence by
:func:`dynalgo.sliding_window` with window ``W`` (an undirected pair is present
for ``W`` seconds after each of its messages), one random connectivity query
per day (``numpy.random.default_rng(0)``), every structure with ``seed=0``.
``W`` = 86,400 s (1 day: 42,682 updates) and 604,800 s (1 week: 32,240
updates), 1,899 vertices.

Contenders, each timed end to end (construction + ``run`` of the whole batch,
predictions computed beforehand and not timed), median of ``R`` repetitions
(default 5) run back to back.  Kernels are warmed on the first 50 updates and
each family (HDT, lifted, raced, with sequence and with deletion-day
predictions) is run once untimed on the full batch before any timing.  Every
repetition's answers are asserted equal to :func:`dynalgo.offline_connectivity`'s.

1. *Ceiling.*  :class:`dynalgo.HDTConnectivity` alone (the yardstick: every ratio
   is HDT's time / the contender's), ``offline_connectivity``, the lifted
   structure alone (``DynamicConnectivity(..., backstop=None)``) with the two
   oracles -- the exact update sequence (``Predictions.from_batch``) and the
   true deletion day of every insertion (``predicted_deletions=
   SlidingWindow.true_deletion``) -- and both raced against HDT
   (``backstop="hdt", backstop_share=r``) for ``r`` in {1, 0.25, 0.1}.
2. *Misprediction asymmetry.*  The true deletion days shifted by ``+d`` (late)
   and ``-d`` (early) days, ``d`` in {1, 16, 256}, clipped to at least the day
   after the insertion; lifted alone (time, base work = union-find steps,
   retriggers) and raced at ``r`` = 1 and 0.25.
3. *Real predictors*, as in the demo: :class:`predictors.LifetimePredictor`
   ``(rate_tau=W)`` and :class:`predictors.SlidingWindowPredictor` ``(W)``
   replayed online by :func:`predictors.predict_deletions` (they see only past
   updates); l1 error per update computed as the demo does
   (:func:`predictors.l1_error` of the insertions on their real days plus the
   predicted deletions, divided by the number of updates); lifted alone and
   raced at ``r`` = 1 and 0.25.  Raced without predictions is the reference
   row.
4. *Arrival-noise floor.*  A predictor that knows, for the inserted pair, the
   exact time of its deletion and the true arrival rate must still guess how
   many updates fall in between.  With Poisson arrivals of mean ``lam`` (the
   realised count) its least expected error is the Poisson mean absolute
   deviation ``2 exp(-lam) lam^(k+1) / k!``, ``k = floor(lam)`` (about
   ``sqrt(2 lam / pi)``).  Summed over deletions and divided by the number of
   updates, this is a lower bound on the l1 error per update of any predictor
   of this kind.  Two versions: only the *insertions* strictly between the
   insertion and its deletion are random (the deletions in between taken as
   known: the lower one), and every update in between is random.

Machine: whatever runs it; the machine line (CPU, cores, versions, load
average at start and end) is written with the results.  The whole run takes
about 20 seconds on a 2-core machine (numba cache warm).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from bench.connectivity import _loadavg, machine_info

WINDOWS = (86_400, 604_800)
SHARES = (1.0, 0.25, 0.1)
SHIFTS = (1, 16, 256)
SEED = 0


def _label(w: int) -> str:
    return {86_400: "1 day", 604_800: "1 week"}.get(w, f"{w:,} s")


# ---------------------------------------------------------------------------------------
# workload and measurement helpers
# ---------------------------------------------------------------------------------------
class Workload:
    """The demo's sliding-window sequence, queries and offline reference answers for one window."""

    def __init__(self, window: int, seed: int = SEED) -> None:
        from dynalgo import college_msg, offline_connectivity, sliding_window
        from dynalgo.updates import Op

        self.window = window
        self.seed = seed
        self.sw = sliding_window(college_msg(), window)
        self.batch, self.n, self.T = self.sw.batch, self.sw.n, len(self.sw.batch)
        rng = np.random.default_rng(seed)
        T, n = self.T, self.n
        self.queries = np.stack([np.arange(1, T + 1, dtype=np.int64), rng.integers(0, n, T), rng.integers(0, n, T)],
                                axis=1)
        self.ins = np.flatnonzero(self.batch.op == Op.INSERT)
        self.true = self.sw.true_deletion
        self.reference = offline_connectivity(n, self.batch, self.queries)

    # -- l1 error per update, as dynalgo.demo computes it ---------------------------------
    def l1_per_update(self, pdel: np.ndarray | None = None, pred: Any = None) -> float:
        import predictors
        from dynalgo import Predictions

        b, ins = self.batch, self.ins
        if pred is not None:
            return predictors.l1_error(pred, b) / self.T
        if pdel is None:
            return predictors.l1_error(Predictions.empty(), b) / self.T
        arr = predictors.PredictionArrays(
            np.concatenate([b.op[ins], np.zeros(ins.size, np.int8)]),
            np.concatenate([b.u[ins], b.u[ins]]),
            np.concatenate([b.v[ins], b.v[ins]]),
            np.concatenate([ins + 1, pdel[ins]]),
        )
        return predictors.l1_error(arr, b) / self.T

    # -- contenders ------------------------------------------------------------------------
    def hdt(self) -> Callable[[], tuple[Any, np.ndarray]]:
        from dynalgo import HDTConnectivity

        def go() -> tuple[Any, np.ndarray]:
            h = HDTConnectivity(self.n, seed=self.seed)
            return h, h.run(self.batch, self.queries)
        return go

    def offline(self) -> Callable[[], tuple[Any, np.ndarray]]:
        from dynalgo import offline_connectivity

        return lambda: (None, offline_connectivity(self.n, self.batch, self.queries))

    def dc(self, pred: Any = None, pdel: np.ndarray | None = None, backstop: str | None = None,
           share: float = 1.0) -> Callable[[], tuple[Any, np.ndarray]]:
        from dynalgo import DynamicConnectivity

        def go() -> tuple[Any, np.ndarray]:
            g = DynamicConnectivity(self.n, pred, backstop=backstop, backstop_share=share, seed=self.seed)
            return g, g.run(self.batch, self.queries, predicted_deletions=pdel)
        return go

    def timed(self, fn: Callable[[], tuple[Any, np.ndarray]], reps: int, what: str) -> tuple[Any, float, list[float]]:
        """Median wall time of ``reps`` runs of ``fn``; every run's answers must equal offline's."""
        times: list[float] = []
        obj = None
        for _ in range(reps):
            t0 = time.perf_counter()
            obj, ans = fn()
            times.append(time.perf_counter() - t0)
            assert np.array_equal(ans, self.reference), f"{what}: answers differ from offline_connectivity"
        return obj, float(np.median(times)), times

    def shifted(self, d: int) -> tuple[np.ndarray, int]:
        """True deletion days moved by ``d`` days, clipped to at least the day after the insertion."""
        ins = self.ins
        out = np.zeros(self.T, dtype=np.int64)
        moved = self.true[ins] + d
        out[ins] = np.maximum(moved, ins + 2)
        return out, int(np.count_nonzero(moved < ins + 2))


def warm(wl: Workload) -> float:
    """Compile every kernel on the first 50 updates, then one untimed full run per family."""
    import predictors
    from dynalgo import DynamicConnectivity, HDTConnectivity, Predictions, offline_connectivity

    t0 = time.perf_counter()
    n = wl.n
    tiny = wl.batch[:50]
    tq = wl.queries[:10] * [0, 1, 1]
    zero = np.zeros(len(tiny), dtype=np.int64)
    DynamicConnectivity(n, predictors.exact(tiny), backstop=None).run(tiny, tq)
    DynamicConnectivity(n, None, backstop=None).run(tiny, tq, predicted_deletions=zero)
    DynamicConnectivity(n, predictors.exact(tiny)).run(tiny, tq)
    DynamicConnectivity(n, None).run(tiny, tq, predicted_deletions=zero)
    HDTConnectivity(n).run(tiny, tq)
    offline_connectivity(n, tiny, tq)
    exact = Predictions.from_batch(wl.batch)
    for fn in (wl.hdt(), wl.dc(pred=exact), wl.dc(pdel=wl.true), wl.dc(pred=exact, backstop="hdt"),
               wl.dc(pdel=wl.true, backstop="hdt")):
        wl.timed(fn, 1, "warm-up")
    return time.perf_counter() - t0


def _row(g: Any, t: float, times: list[float], t_hdt: float, **extra: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"seconds": t, "times": times, "hdt_over_time": t_hdt / t, **extra}
    st = getattr(g, "stats", None)
    if st is not None and hasattr(st, "base_work"):
        r.update(work=st.work, base_work=st.base_work, scan_work=st.scan_work, retriggers=st.retriggers,
                 retrigger_days=st.retrigger_days)
        if st.race is not None:
            rc = st.race
            r["race"] = {"days_lifted": rc.days_lifted, "days_backstop": rc.days_backstop,
                         "lifted_work": rc.lifted_work, "backstop_work": rc.backstop_work}
    return r


# ---------------------------------------------------------------------------------------
# the four measurements
# ---------------------------------------------------------------------------------------
def noise_floor(wl: Workload) -> dict[str, Any]:
    """Least l1 error per update of a predictor knowing each pair's deletion time and the arrival rate."""
    from dynalgo.updates import Op

    ins, true, T = wl.ins, wl.true, wl.T
    keep = true[ins] > 0
    i, d = ins[keep], true[ins][keep]
    between_all = d - (i + 1) - 1                      # updates strictly between insertion and deletion
    cum = np.cumsum(wl.batch.op == Op.INSERT)
    between_ins = cum[d - 1] - cum[i]                  # insertions strictly between
    kmax = int(max(between_all.max(initial=0), between_ins.max(initial=0)))
    logfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, kmax + 2, dtype=np.float64)))])

    def mad(lam: np.ndarray) -> np.ndarray:
        """Poisson mean absolute deviation E|N - lam|, N ~ Poisson(lam)."""
        lam = lam.astype(np.float64)
        k = np.floor(lam).astype(np.int64)
        with np.errstate(divide="ignore"):
            out = 2.0 * np.exp(-lam + (k + 1) * np.log(lam) - logfact[k])
        return np.where(lam > 0, out, 0.0)

    return {
        "deletions": int(keep.sum()),
        "median_updates_between": float(np.median(between_all)),
        "median_insertions_between": float(np.median(between_ins)),
        "l1_per_update_arrivals": float(mad(between_ins).sum() / T),
        "l1_per_update_all_updates": float(mad(between_all).sum() / T),
    }


def bench_window(window: int, reps: int) -> dict[str, Any]:
    import predictors
    from dynalgo import Predictions

    wl = Workload(window)
    res: dict[str, Any] = {
        "window_seconds": window, "vertices": wl.n, "updates": wl.T, "insertions": int(wl.ins.size),
        "queries": int(wl.queries.shape[0]),
    }
    res["warmup_seconds"] = warm(wl)
    print(f"\nW = {window} s ({_label(window)}): n = {wl.n:,}, {wl.T:,} updates, {wl.queries.shape[0]:,} queries; "
          f"warm-up {res['warmup_seconds']:.1f} s", flush=True)

    # 1. ceiling ----------------------------------------------------------------------------
    ceiling: dict[str, Any] = {}
    h, t_hdt, times = wl.timed(wl.hdt(), reps, "hdt")
    ceiling["HDT alone"] = {"seconds": t_hdt, "times": times, "hdt_over_time": 1.0}
    print(f"  {'HDT alone':<40}{1e3 * t_hdt:8.1f} ms", flush=True)
    _, t, times = wl.timed(wl.offline(), reps, "offline")
    ceiling["offline"] = {"seconds": t, "times": times, "hdt_over_time": t_hdt / t}
    oracles: dict[str, dict[str, Any]] = {"exact sequence": {"pred": Predictions.from_batch(wl.batch)},
               "true deletion days": {"pdel": wl.true}}
    for name, kw in oracles.items():
        g, t, times = wl.timed(wl.dc(**kw), reps, name)
        ceiling[f"lifted alone, {name}"] = _row(g, t, times, t_hdt)
        for r in SHARES:
            g, t, times = wl.timed(wl.dc(backstop="hdt", share=r, **kw), reps, f"{name} r={r}")
            ceiling[f"raced r={r:g}, {name}"] = _row(g, t, times, t_hdt, share=r)
    for k, r in ceiling.items():
        if k != "HDT alone":
            print(f"  {k:<40}{1e3 * r['seconds']:8.1f} ms  HDT/time {r['hdt_over_time']:.2f}", flush=True)
    res["ceiling"] = ceiling

    # 2. misprediction asymmetry -------------------------------------------------------------
    shifts: dict[str, Any] = {}
    base = ceiling["lifted alone, true deletion days"]
    shifts["0"] = {k: base[k] for k in ("seconds", "times", "hdt_over_time", "base_work", "retriggers")}
    shifts["0"].update(shift=0, l1_per_update=0.0, clipped=0)
    for r in (1.0, 0.25):
        shifts["0"][f"raced r={r:g}"] = ceiling[f"raced r={r:g}, true deletion days"]
    for d in SHIFTS:
        for s in (+d, -d):
            pdel, clipped = wl.shifted(s)
            g, t, times = wl.timed(wl.dc(pdel=pdel), reps, f"shift {s:+d}")
            shifts[f"{s:+d}"] = _row(g, t, times, t_hdt, shift=s, l1_per_update=wl.l1_per_update(pdel=pdel),
                                     clipped=clipped)
            r = shifts[f"{s:+d}"]
            for share in (1.0, 0.25):
                gr, tr, times = wl.timed(wl.dc(pdel=pdel, backstop="hdt", share=share), reps, f"shift {s:+d} r={share}")
                r[f"raced r={share:g}"] = _row(gr, tr, times, t_hdt, share=share)
            print(f"  shift {s:+5d} d  l1/update {r['l1_per_update']:6.1f}  lifted alone {1e3 * t:7.1f} ms  "
                  f"base work {r['base_work']:>11,}  retriggers {r['retriggers']:>7,}  clipped {clipped:>5}  raced r=1 "
                  f"{1e3 * r['raced r=1']['seconds']:6.1f} ms  r=0.25 {1e3 * r['raced r=0.25']['seconds']:6.1f} ms",
                  flush=True)
        shifts[f"+{d}"]["early_over_late_time"] = shifts[f"-{d}"]["seconds"] / shifts[f"+{d}"]["seconds"]
    res["shifts"] = shifts

    # 3. real predictors ---------------------------------------------------------------------
    real: dict[str, Any] = {}
    learned: dict[str, Any] = {
        "LifetimePredictor(rate_tau=W)": predictors.LifetimePredictor(rate_tau=float(window)),
        "SlidingWindowPredictor(W)": predictors.SlidingWindowPredictor(window),
    }
    ins = wl.ins
    for name, p in learned.items():
        t0 = time.perf_counter()
        pdel = predictors.predict_deletions(p, wl.batch.op, wl.batch.u, wl.batch.v, wl.sw.time)
        gen = time.perf_counter() - t0
        diff = pdel[ins] - wl.true[ins]
        g, t, times = wl.timed(wl.dc(pdel=pdel), reps, name)
        row = _row(g, t, times, t_hdt, l1_per_update=wl.l1_per_update(pdel=pdel), prediction_seconds=gen,
                   early_fraction=float(np.mean(diff < 0)), late_fraction=float(np.mean(diff > 0)))
        for r in (1.0, 0.25):
            gr, tr, times = wl.timed(wl.dc(pdel=pdel, backstop="hdt", share=r), reps, f"{name} r={r}")
            row[f"raced r={r:g}"] = _row(gr, tr, times, t_hdt, share=r)
        real[name] = row
        print(f"  {name:<32} l1/update {row['l1_per_update']:6.1f}  lifted alone {1e3 * t:7.1f} ms  raced r=1 "
              f"{1e3 * row['raced r=1']['seconds']:6.1f} ms ({row['raced r=1']['hdt_over_time']:.2f}x)  r=0.25 "
              f"{1e3 * row['raced r=0.25']['seconds']:6.1f} ms ({row['raced r=0.25']['hdt_over_time']:.2f}x)", flush=True)
    row = {"l1_per_update": wl.l1_per_update()}
    for r in (1.0, 0.25):
        gr, tr, times = wl.timed(wl.dc(backstop="hdt", share=r), reps, f"none r={r}")
        row[f"raced r={r:g}"] = _row(gr, tr, times, t_hdt, share=r)
    real["no predictions"] = row
    print(f"  {'no predictions':<32} l1/update {row['l1_per_update']:6.1f}  raced r=1 "
          f"{1e3 * row['raced r=1']['seconds']:6.1f} ms ({row['raced r=1']['hdt_over_time']:.2f}x)  r=0.25 "
          f"{1e3 * row['raced r=0.25']['seconds']:6.1f} ms ({row['raced r=0.25']['hdt_over_time']:.2f}x)", flush=True)
    res["real_predictors"] = real

    # 4. arrival-noise floor -----------------------------------------------------------------
    res["noise_floor"] = fl = noise_floor(wl)
    print(f"  noise floor: l1/update >= {fl['l1_per_update_arrivals']:.1f} (arrivals) / "
          f"{fl['l1_per_update_all_updates']:.1f} (all updates); median {fl['median_insertions_between']:.0f} "
          f"insertions, {fl['median_updates_between']:.0f} updates between an insertion and its deletion", flush=True)
    return res


# ---------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------
def render(res: dict[str, Any]) -> str:
    """The results as markdown tables."""
    m = res["machine"]
    lines = [
        "# Sliding windows on CollegeMsg: what predictions can buy (`python -m bench.sliding_window`)", "",
        f"{m['date']} - {m['processor']} - {m['cpu_count']} cpus - Python {m['python']}, numpy {m['numpy']}, "
        f"numba {m['numba']} - {m['platform']}; load average at start {m['loadavg_start']}, at end "
        f"{m.get('loadavg_end')}.", "",
        f"Workload as `python -m dynalgo demo`: CollegeMsg, sliding window of W seconds, one random query per day "
        f"(seed 0).  Every time is the median of {res['repeat']} runs, construction included, kernels warmed; "
        f"every run's answers equal `offline_connectivity`'s.  x HDT = HDT alone's time / the contender's time "
        f"(above 1: faster than HDT).  Whole run {res['total_seconds']:.0f} s.", "",
        "## Summary", "",
        "| W | updates | HDT alone ms | offline x HDT | oracle, lifted alone x HDT | oracle, raced r=1 x HDT "
        "| oracle, raced r=0.25 x HDT | oracle, raced r=0.1 x HDT | best real predictor l1/update "
        "| its raced r=1 x HDT | no predictions, raced r=1 x HDT | arrival-noise floor l1/update |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in res["windows"]:
        c = w["ceiling"]
        best = min((k for k in w["real_predictors"] if k != "no predictions"),
                   key=lambda k: w["real_predictors"][k]["l1_per_update"])
        b = w["real_predictors"][best]

        def rng(key: str) -> str:
            a = c[f"{key}, exact sequence"]["hdt_over_time"]
            z = c[f"{key}, true deletion days"]["hdt_over_time"]
            lo, hi = f"{min(a, z):.2f}", f"{max(a, z):.2f}"
            return lo if lo == hi else f"{lo}-{hi}"

        lines.append(f"| {_label(w['window_seconds'])} | {w['updates']:,} | {1e3 * c['HDT alone']['seconds']:.1f} | "
                     f"{c['offline']['hdt_over_time']:.2f} | {rng('lifted alone')} | {rng('raced r=1')} | "
                     f"{rng('raced r=0.25')} | {rng('raced r=0.1')} | {b['l1_per_update']:.0f} | "
                     f"{b['raced r=1']['hdt_over_time']:.2f} | "
                     f"{w['real_predictors']['no predictions']['raced r=1']['hdt_over_time']:.2f} | "
                     f"{w['noise_floor']['l1_per_update_arrivals']:.1f} |")
    lines += ["", "Oracle columns: the range over the two oracles (exact sequence, true deletion days).", ""]
    for w in res["windows"]:
        W = w["window_seconds"]
        lines += [f"## W = {W:,} s ({_label(W)}): {w['vertices']:,} vertices, {w['updates']:,} updates, "
                  f"{w['queries']:,} queries", "",
                  "### Ceiling: HDT, offline and the oracles", "",
                  "| contender | ms | x HDT | work (alone) | days lifted / backstop | work lifted / backstop |",
                  "|---|---:|---:|---:|---:|---:|"]
        for k, r in w["ceiling"].items():
            rc = r.get("race")
            days = f"{rc['days_lifted']:,} / {rc['days_backstop']:,}" if rc else ""
            work = f"{rc['lifted_work']:,} / {rc['backstop_work']:,}" if rc else ""
            alone = f"{r['work']:,}" if "work" in r and not rc else ""
            lines.append(f"| {k} | {1e3 * r['seconds']:.1f} | {r['hdt_over_time']:.2f} | {alone} | {days} | {work} |")
        lines += ["", "### Misprediction asymmetry: true deletion days shifted by d days (+ late, - early)", "",
                  "| shift (days) | l1 / update | lifted alone ms | x HDT | base work | retriggers | clipped "
                  "| early / late time (alone) | raced r=1 ms | x HDT | raced r=0.25 ms | x HDT |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for k, r in w["shifts"].items():
            el = f"{r['early_over_late_time']:.2f}" if "early_over_late_time" in r else ""
            lines.append(f"| {k} | {r['l1_per_update']:.1f} | {1e3 * r['seconds']:.1f} | {r['hdt_over_time']:.2f} | "
                         f"{r['base_work']:,} | {r['retriggers']:,} | {r['clipped']:,} | {el} | "
                         f"{1e3 * r['raced r=1']['seconds']:.1f} | {r['raced r=1']['hdt_over_time']:.2f} | "
                         f"{1e3 * r['raced r=0.25']['seconds']:.1f} | {r['raced r=0.25']['hdt_over_time']:.2f} |")
        lines += ["", "### Real predictors (online, as in the demo)", "",
                  "| predictor | l1 / update | early % | late % | lifted alone ms | x HDT | base work | retriggers "
                  "| raced r=1 ms | x HDT | raced r=0.25 ms | x HDT |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for k, r in w["real_predictors"].items():
            r1, r4 = r["raced r=1"], r["raced r=0.25"]
            if "seconds" in r:
                alone = (f"{100 * r['early_fraction']:.0f} | {100 * r['late_fraction']:.0f} | {1e3 * r['seconds']:.1f} | "
                         f"{r['hdt_over_time']:.2f} | {r['base_work']:,} | {r['retriggers']:,}")
            else:
                alone = " |  |  |  |  | "
            l1 = f"{r['l1_per_update']:.1f}" if "seconds" in r else f"{r['l1_per_update']:,.0f} (nothing predicted)"
            lines.append(f"| {k} | {l1} | {alone} | {1e3 * r1['seconds']:.1f} | "
                         f"{r1['hdt_over_time']:.2f} | {1e3 * r4['seconds']:.1f} | {r4['hdt_over_time']:.2f} |")
        lines.append("")
    lines += ["## Arrival-noise floor", "",
              "Least l1 error per update of a predictor that knows each inserted pair's deletion time and the true "
              "arrival rate, with Poisson arrivals: the Poisson mean absolute deviation of the number of updates "
              "between an insertion and its deletion, summed over deletions, per update.", "",
              "| W | deletions | median insertions between | median updates between | floor, arrivals only "
              "| floor, every update random | best real predictor | best / floor (arrivals) |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for w in res["windows"]:
        f = w["noise_floor"]
        best = min(r["l1_per_update"] for k, r in w["real_predictors"].items() if k != "no predictions")
        lines.append(f"| {_label(w['window_seconds'])} | {f['deletions']:,} | {f['median_insertions_between']:,.0f} | "
                     f"{f['median_updates_between']:,.0f} | {f['l1_per_update_arrivals']:.1f} | "
                     f"{f['l1_per_update_all_updates']:.1f} | {best:.1f} | {best / f['l1_per_update_arrivals']:.0f}x |")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.sliding_window", description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", metavar="PATH", help="write the results as JSON (and markdown beside it)")
    ap.add_argument("--repeat", type=int, default=5, metavar="R")
    ap.add_argument("--window", type=int, action="append", metavar="W",
                    help=f"window in seconds (repeatable; default {', '.join(map(str, WINDOWS))})")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    t0 = time.perf_counter()
    res: dict[str, Any] = {"machine": machine_info(), "repeat": args.repeat, "seed": SEED, "windows": []}
    for w in args.window or WINDOWS:
        res["windows"].append(bench_window(w, args.repeat))
    res["machine"]["loadavg_end"] = _loadavg()
    res["total_seconds"] = time.perf_counter() - t0
    print(f"\ntotal {res['total_seconds']:.1f} s", flush=True)
    if args.json:
        p = Path(args.json)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        stem = p.stem if p.stem.endswith("-latest") else p.stem + "-latest"
        p.with_name(stem + ".md").write_text(render(res), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
