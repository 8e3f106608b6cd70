"""The demos behind ``python -m dynalgo demo``: prediction quality vs running time on real data.

``--problem connectivity`` (default): on a sliding-window dynamic graph built
from a bundled SNAP temporal network, dynamic connectivity is run with
predictions of several qualities.  Every run answers the same connectivity
queries (one per day) and the answers are checked against the offline
divide-and-conquer algorithm.

``--problem apsp``: shortest paths on Bitcoin Alpha trust ratings (length
``11 - rating``) among the most active users, each rating valid for a window of
time; distances after every day are checked against the offline algorithm.

``--problem submodular``: a rolling summary of CollegeMsg activity: an item is
one user's messages on one calendar day, covering the users messaged; a window
of the most recent items; the ``k`` items that reach the most users.  Runs with
exact, learned, noisy and no predictions, the backstop alone and lazy greedy
(the value yardstick) on sampled days.
"""

from __future__ import annotations

import platform
import sys
import time
from dataclasses import asdict
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import NDArray

import predictors

from .connectivity import DynamicConnectivity
from ._cli import format_duration
from .datasets import TemporalEdges, bitcoin_alpha, college_msg
from .hdt import HDTConnectivity
from .timeline import TimedConnectivity
from .offline import offline_connectivity
from .updates import Op, Predictions
from .workloads import SlidingWindow, sliding_window

__all__ = ["main", "run_demo", "run_apsp_demo", "run_submodular_demo"]

_DATASETS: dict[str, Callable[[], TemporalEdges]] = {
    "college-msg": college_msg,
    "bitcoin-alpha": bitcoin_alpha,
}


def _exact_window_predictions(sw: SlidingWindow, which: NDArray[np.int64]) -> Predictions:
    """Predictions of every insertion on its real day and of each deletion on ``which[row]``."""
    b = sw.batch
    ins = np.flatnonzero(b.op == Op.INSERT)
    T = len(b)
    days_ins = ins + 1
    del_day = which[ins]
    has = del_day > 0
    op = np.concatenate([np.full(ins.size, Op.INSERT), np.full(int(has.sum()), Op.DELETE)])
    u = np.concatenate([b.u[ins], b.u[ins][has]])
    v = np.concatenate([b.v[ins], b.v[ins][has]])
    day = np.concatenate([days_ins, np.minimum(del_day[has], T + 1)])
    return Predictions.from_arrays(op, u, v, day)


REALISTIC = "time-keyed expiries t + W (window rule)"


def _timed_row(
    edges: Any, sw: SlidingWindow, queries: NDArray[np.int64], reference: NDArray[np.bool_], window: int, progress: bool
) -> dict[str, Any]:
    """The realistic row: every message inserted into TimedConnectivity with expiry time + W.

    Nothing beyond the window rule is known.  The same random pairs are asked at the
    time of each day's update; answers are compared with offline's on the days that
    close their time (the state after every update at that time).
    """
    if progress:
        print(f"  {REALISTIC} ...", file=sys.stderr, flush=True)
    keep = edges.src != edges.dst
    u, v, t = edges.src[keep], edges.dst[keep], edges.time[keep]
    T = len(sw.batch)
    qt = sw.time[queries[:, 0] - 1]
    q = np.stack([qt, queries[:, 1], queries[:, 2]], axis=1)
    t0 = time.perf_counter()
    g = TimedConnectivity(sw.n)
    got = g.extend(u, v, t, t + window, q)
    elapsed = time.perf_counter() - t0
    closes = np.ones(T, dtype=bool)
    closes[:-1] = sw.time[1:] != sw.time[:-1]
    st = g.stats
    return {
        "predictions": REALISTIC,
        "l1_error": 0,
        "l1_per_update": 0.0,
        "seconds": elapsed,
        "work": st["applied"] + st["undone"],
        "base_work": st["applied"] + st["undone"],
        "scan_work": 0,
        "retriggers": st["early_deletions"],
        "answers_equal_offline": bool(np.array_equal(got[closes], reference[closes])),
        "answers_compared": int(closes.sum()),
        "stats": st,
    }


def run_demo(
    dataset: str = "college-msg",
    window: int = 86_400,
    *,
    seed: int = 0,
    progress: bool = True,
    noise: Sequence[float] = (16.0, 256.0),
) -> dict[str, Any]:
    """Run the demo and return its results as a dictionary (what ``--json`` writes)."""
    if dataset not in _DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose from {sorted(_DATASETS)}")
    edges = _DATASETS[dataset]()
    sw = sliding_window(edges, window)
    batch, n, T = sw.batch, sw.n, len(sw.batch)
    rng = np.random.default_rng(seed)
    qday = np.arange(1, T + 1, dtype=np.int64)
    queries = np.stack([qday, rng.integers(0, n, T), rng.integers(0, n, T)], axis=1)

    # warm the compiled kernels on a tiny sequence so compile time is not billed to a contender
    t0 = time.perf_counter()
    tiny = batch[:50]
    tq = queries[:10] * [0, 1, 1]
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("time-keyed connectivity", lambda: TimedConnectivity(n).extend([0, 1], [1, 2], [0, 1], [5, 6], [[1, 0, 2]])),
        ("lifted union-find, exact predictions",
         lambda: DynamicConnectivity(n, predictors.exact(tiny), backstop=None).run(tiny, tq)),
        ("lifted union-find, predicted deletions", lambda: DynamicConnectivity(n, None, backstop=None).run(
            tiny, tq, predicted_deletions=np.zeros(len(tiny), dtype=np.int64))),
        ("race against HDT", lambda: DynamicConnectivity(n, None).run(tiny, tq)),
        ("HDT", lambda: HDTConnectivity(n).run(tiny, tq)),
        ("offline algorithm", lambda: offline_connectivity(n, tiny, tq)),
    ]
    if progress:
        print("dynalgo demo: preparing the compiled kernels (compiled once, then loaded from numba's "
              "cache in a fraction of a second)", file=sys.stderr, flush=True)
    for i, (what, fn) in enumerate(steps):
        t1 = time.perf_counter()
        fn()
        if progress:
            print(f"  [{i + 1}/{len(steps)}] {what}: {time.perf_counter() - t1:.1f} s", file=sys.stderr, flush=True)
    warm = time.perf_counter() - t0

    t0 = time.perf_counter()
    reference = offline_connectivity(n, batch, queries)
    t_offline = time.perf_counter() - t0

    contenders: list[tuple[str, Predictions | None, NDArray[np.int64] | None]] = [
        ("exact sequence (oracle)", Predictions.from_batch(batch), None),
        ("true deletion days (oracle)", None, sw.true_deletion),
        ("window rule t + W, future day count (semi)", None, sw.predicted_deletion),
    ]
    for s in noise:
        contenders.append((f"exact + noise N(0, {s:g}) days", Predictions.coerce(predictors.perturbed(batch, s, seed=seed)), None))
    contenders.append(("same, insertions known up front (semi)", _exact_window_predictions(sw, sw.predicted_deletion), None))
    for label, lp in (
        ("learned: window rule, learned rate", predictors.SlidingWindowPredictor(window)),
        ("learned: pair lifetimes", predictors.LifetimePredictor(rate_tau=float(window))),
    ):
        contenders.append((label, None, predictors.predict_deletions(lp, batch.op, batch.u, batch.v, sw.time)))
    contenders.append(("no predictions", None, None))
    contenders.append(("raced vs HDT: exact sequence (oracle)", Predictions.from_batch(batch), None))
    contenders.append(("raced vs HDT: pair lifetimes", None, contenders[-3][2]))
    contenders.append(("raced vs HDT: no predictions", None, None))

    rows: list[dict[str, Any]] = [_timed_row(edges, sw, queries, reference, window, progress)]
    for name, pred, pdel in contenders:
        if pred is not None:
            l1 = predictors.l1_error(pred, batch)
        elif pdel is not None:
            ins = np.flatnonzero(batch.op == Op.INSERT)
            l1 = predictors.l1_error(
                predictors.PredictionArrays(
                    np.concatenate([batch.op[ins], np.zeros(ins.size, np.int8)]),
                    np.concatenate([batch.u[ins], batch.u[ins]]),
                    np.concatenate([batch.v[ins], batch.v[ins]]),
                    np.concatenate([ins + 1, pdel[ins]]),
                ),
                batch,
            )
        else:
            l1 = predictors.l1_error(Predictions.empty(), batch)
        if progress:
            print(f"  {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        g = DynamicConnectivity(n, pred, seed=seed, backstop="hdt" if name.startswith("raced") else None)
        got = g.run(batch, queries, predicted_deletions=pdel, progress=progress)
        elapsed = time.perf_counter() - t0
        st = g.stats
        rows.append(
            {
                "predictions": name,
                "l1_error": int(l1),
                "l1_per_update": l1 / T,
                "seconds": elapsed,
                "work": st.work,
                "base_work": st.base_work,
                "scan_work": st.scan_work,
                "retriggers": st.retriggers,
                "answers_equal_offline": bool(np.array_equal(got, reference)),
                "stats": asdict(st),
            }
        )
    # the classic fully dynamic algorithm, which uses no predictions (the future backstop)
    t0 = time.perf_counter()
    h = HDTConnectivity(n)
    got = h.run(batch, queries)
    t_hdt = time.perf_counter() - t0
    base = next(r for r in rows if r["predictions"] == "no predictions")
    for r in rows:
        r["speedup_vs_no_predictions"] = base["seconds"] / r["seconds"] if r["seconds"] > 0 else float("inf")
        r["speedup_vs_hdt"] = t_hdt / r["seconds"] if r["seconds"] > 0 else float("inf")
    return {
        "dataset": edges.name,
        "window_seconds": window,
        "vertices": n,
        "updates": T,
        "queries": int(queries.shape[0]),
        "warmup_seconds": warm,
        "offline_seconds": t_offline,
        "hdt_seconds": t_hdt,
        "hdt_answers_equal_offline": bool(np.array_equal(got, reference)),
        "rows": rows,
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }


def _activities() -> Any:
    """CollegeMsg as a coverage objective: item = (user, calendar day) in order of first
    message, covering the users messaged by that user that day."""
    from .objectives import Coverage

    e = college_msg()
    day = (e.time - e.time[0]) // 86400
    key = e.src * 100_000 + day
    order = np.argsort(key, kind="stable")
    ks, dst = key[order], e.dst[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]])
    first_time = e.time[order][starts]
    rows = [np.unique(dst[a:b]) for a, b in zip(starts, np.r_[starts[1:], ks.shape[0]])]
    by_time = np.lexsort((ks[starts], first_time))
    return Coverage([rows[i] for i in by_time], universe=e.n)


def _window_stream(n_items: int, window: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """(op, item, batch day of the item's real deletion for an insertion, else 0)."""
    T = n_items + max(n_items - window, 0)
    op = np.zeros(T, dtype=np.int64)
    it = np.zeros(T, dtype=np.int64)
    pos = 0
    for i in range(n_items):
        op[pos], it[pos] = 1, i
        pos += 1
        if i >= window:
            op[pos], it[pos] = 0, i - window
            pos += 1
    dele = np.zeros(n_items, dtype=np.int64)
    dele[it[op == 0]] = np.flatnonzero(op == 0) + 1
    pdel = np.where(op == 1, dele[it], 0)
    return op, it, pdel


def run_submodular_demo(
    window: int = 2_000, k: int = 10, *, n_items: int = 8_000, seed: int = 0, progress: bool = True,
    eps: float = 0.1, sample_every: int = 50,
) -> dict[str, Any]:
    """The submodular demo; returns its results as a dictionary (what ``--json`` writes)."""
    from structures import baselines as _b

    from .submodular import DynamicSubmodular, LeveledSubmodular

    f = _activities()
    n_items = min(n_items, f.n)
    op, it, exact = _window_stream(n_items, window)
    T = int(op.shape[0])
    ins = op == 1

    def l1_per_update(pd: NDArray[np.int64]) -> float:
        """l1 error over the horizon 1..T: a deletion predicted after T for an item never
        deleted within it is right; otherwise each miss costs at most T."""
        real = np.where(exact[ins] > 0, exact[ins], T + 1)
        got = np.where(pd[ins] > 0, np.minimum(pd[ins], T + 1), T + 1)
        return float(np.minimum(np.abs(got - real), T).sum()) / T

    # warm every kernel on a tiny stream
    t0 = time.perf_counter()
    top, tit, tpd = _window_stream(30, 10)
    DynamicSubmodular(f, k, eps=eps, backstop=None, seed=seed).run(tit, top, predicted_deletions=tpd)
    DynamicSubmodular(f, k, eps=eps, seed=seed).run(tit, top, predicted_deletions=tpd)
    lw = LeveledSubmodular(f, k, eps=eps, seed=seed)
    for o, x in zip(top.tolist(), tit.tolist()):
        lw.insert(x) if o == 1 else lw.delete(x)
    warm = time.perf_counter() - t0

    # lazy greedy from scratch on sampled days: the value yardstick
    sample = np.arange(sample_every, T + 1, sample_every)
    scr = _b.make_scratch(f._od, k)
    present = np.zeros(f.n, dtype=np.bool_)
    greedy: dict[int, float] = {}
    g_calls = 0
    t_g = 0.0
    j = 0
    for d in range(1, T + 1):
        present[it[d - 1]] = op[d - 1] == 1
        if j < sample.shape[0] and sample[j] == d:
            j += 1
            items = np.flatnonzero(present).astype(np.int64)
            t0 = time.perf_counter()
            _, val, nc = f._bind.lazy_greedy(tuple(f._od), f.singletons(), items, k, scr)
            t_g += time.perf_counter() - t0
            greedy[d] = float(val)
            g_calls += int(nc)

    rng = np.random.default_rng(seed)
    noisy = exact.copy()
    noise = np.rint(rng.normal(0.0, window / 10.0, size=int(ins.sum()))).astype(np.int64)
    noisy[ins] = np.maximum(exact[ins] + noise, np.flatnonzero(ins) + 2)
    learned = predictors.predict_deletions(predictors.LifetimePredictor(), op, it, it)
    contenders: list[tuple[str, str, NDArray[np.int64] | None]] = [
        ("exact window (oracle), lifted alone", "lifted", exact),
        ("exact window (oracle), raced", "raced", exact),
        ("learned: lifetimes, raced", "raced", learned),
        (f"exact + noise N(0, {window // 10}) days, raced", "raced", noisy),
        ("no predictions, raced", "raced", None),
        ("backstop alone (leveled)", "backstop", None),
    ]
    rows: list[dict[str, Any]] = []
    for name, kind, pd in contenders:
        if progress:
            print(f"  {name} ...", file=sys.stderr, flush=True)
        vals = np.zeros(T)
        t0 = time.perf_counter()
        if kind == "backstop":
            s: Any = LeveledSubmodular(f, k, eps=eps, seed=seed)
            for d in range(T):
                s.insert(int(it[d])) if op[d] == 1 else s.delete(int(it[d]))
                vals[d] = s.value()
        else:
            s = DynamicSubmodular(f, k, eps=eps, seed=seed, backstop=None if kind == "lifted" else "leveled")
            vals = s.run(it, op, predicted_deletions=pd)
        elapsed = time.perf_counter() - t0
        st = s.stats
        ratios = np.array([vals[d - 1] / greedy[d] for d in sample.tolist() if greedy[d] > 0])
        race = st.engine.race if st.engine is not None else None
        rows.append({
            "predictions": name,
            "l1_per_update": None if kind == "backstop" else l1_per_update(pd if pd is not None else np.zeros(T, np.int64)),
            "seconds": elapsed,
            "oracle_calls_per_update": st.oracle_calls / T,
            "value_vs_greedy_mean": float(ratios.mean()),
            "value_vs_greedy_min": float(ratios.min()),
            "days_lifted": None if race is None else race.days_lifted,
            "half_approx_held": bool(np.all(ratios >= 0.5 - eps)),
        })
    t_back = next(r["seconds"] for r in rows if r["predictions"].startswith("backstop"))
    for r in rows:
        r["speedup_vs_backstop"] = t_back / r["seconds"] if r["seconds"] > 0 else float("inf")
    return {
        "problem": "submodular", "dataset": "CollegeMsg activities (user, day)", "items": n_items,
        "window_items": window, "k": k, "eps": eps, "updates": T, "warmup_seconds": warm,
        "greedy": {"sampled_days": int(sample.shape[0]), "oracle_calls_per_recompute": g_calls / max(len(greedy), 1),
                   "seconds_per_recompute": t_g / max(len(greedy), 1)},
        "rows": rows,
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }


def run_apsp_demo(
    window: int = 90 * 86_400, *, users: int = 400, seed: int = 0, progress: bool = True,
) -> dict[str, Any]:
    """The APSP demo; returns its results as a dictionary (what ``--json`` writes)."""
    from .apsp import DynamicAPSP
    from .offline_apsp import offline_apsp

    data = bitcoin_alpha()
    deg = np.bincount(np.concatenate([data.src, data.dst]), minlength=data.n)
    active = np.argsort(deg, kind="stable")[::-1][:users]
    keep = np.isin(data.src, active) & np.isin(data.dst, active)
    assert data.weight is not None, "Bitcoin Alpha carries ratings"
    sub = TemporalEdges.from_arrays(data.src[keep], data.dst[keep], data.time[keep], 11.0 - data.weight[keep])
    sw = sliding_window(sub, window, directed=True)
    batch, n, T = sw.batch, sub.n, len(sw.batch)
    rng = np.random.default_rng(seed)
    queries = np.stack([np.arange(1, T + 1), rng.integers(0, n, T), rng.integers(0, n, T)], axis=1)

    t0 = time.perf_counter()
    tiny, tq = batch[:40], queries[:5] * [0, 1, 1]
    DynamicAPSP(n, predictors.exact(tiny), backstop=None).run(tiny, tq)
    DynamicAPSP(n, None).run(tiny, tq)
    DynamicAPSP(n, None, backstop=None).run(tiny, tq, predicted_deletions=np.zeros(len(tiny), dtype=np.int64))
    offline_apsp(n, tiny, tq)
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    reference = offline_apsp(n, batch, queries)
    t_offline = time.perf_counter() - t0

    ins = np.flatnonzero(batch.op == Op.INSERT)

    def l1(pdel: NDArray[np.int64] | None) -> float:
        if pdel is None:
            return predictors.l1_error(Predictions.empty(), batch, directed=True) / T
        arr = predictors.PredictionArrays(
            np.concatenate([batch.op[ins], np.zeros(ins.size, np.int8)]),
            np.concatenate([batch.u[ins], batch.u[ins]]), np.concatenate([batch.v[ins], batch.v[ins]]),
            np.concatenate([ins + 1, pdel[ins]]))
        return predictors.l1_error(arr, batch, directed=True) / T

    learned = predictors.predict_deletions(predictors.LifetimePredictor(rate_tau=float(window), directed=True),
                                           batch.op, batch.u, batch.v, sw.time)
    contenders: list[tuple[str, str | None, NDArray[np.int64] | None]] = [
        ("true deletion days (oracle), lifted alone", None, sw.true_deletion),
        ("window rule: rating + W, lifted alone", None, sw.predicted_deletion),
        ("window rule: rating + W, raced", "dynamic", sw.predicted_deletion),
        ("learned: pair lifetimes, raced", "dynamic", learned),
        ("no predictions, raced", "dynamic", None),
    ]
    rows: list[dict[str, Any]] = []
    for name, backstop, pdel in contenders:
        if progress:
            print(f"  {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        g = DynamicAPSP(n, None, backstop=backstop, seed=seed)
        got = g.run(batch, queries, predicted_deletions=pdel)
        elapsed = time.perf_counter() - t0
        st = g.stats
        rows.append({
            "predictions": name, "l1_per_update": l1(pdel), "seconds": elapsed, "work": st.work,
            "retriggers": st.retriggers,
            "days_lifted": None if st.race is None else st.race.days_lifted,
            "answers_equal_offline": bool(np.array_equal(got, reference)),
        })
    # the backstop alone: the fully dynamic algorithm with no predictions at all
    t0 = time.perf_counter()
    b = DynamicAPSP(n, None, seed=seed, backstop="dynamic", backstop_share=1e9)
    got = b.run(batch, queries)
    t_back = time.perf_counter() - t0
    rows.append({"predictions": "backstop alone (raced with r = 1e9)", "l1_per_update": None,
                 "seconds": t_back, "work": None, "retriggers": None, "days_lifted": b.stats.race.days_lifted
                 if b.stats.race is not None else None,
                 "answers_equal_offline": bool(np.array_equal(got, reference))})
    for r in rows:
        r["speedup_vs_backstop"] = t_back / r["seconds"] if r["seconds"] > 0 else float("inf")
    return {
        "problem": "apsp", "dataset": "Bitcoin Alpha (length 11 - rating)", "users": users, "vertices": n,
        "window_seconds": window,
        "updates": T, "queries": int(queries.shape[0]), "warmup_seconds": warm, "offline_seconds": t_offline,
        "rows": rows, "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }


def _print_apsp(res: dict[str, Any]) -> None:
    users = f"the {res['users']:,} most active users"
    if res["vertices"] < res["users"]:
        users += f" ({res['vertices']:,} of them with a rating among themselves)"
    print(f"\n{res['dataset']}: {users}, each rating valid for {format_duration(res['window_seconds'])} -> "
          f"{res['updates']:,} updates, {res['queries']:,} distance queries")
    print(f"offline (answers reference): {res['offline_seconds']:.3f} s; kernel warm-up (compile, or load from "
          f"numba's cache) {res['warmup_seconds']:.2f} s\n")
    head = (f"{'predictions':<52} {'l1/update':>10} {'time (s)':>9} {'retriggers':>10} {'days lifted':>12} "
            f"{'vs backstop':>12} {'answers':>8}")
    print(head)
    print("-" * len(head))
    for r in res["rows"]:
        l1 = "" if r["l1_per_update"] is None else f"{r['l1_per_update']:.1f}"
        rt = "" if r["retriggers"] is None else f"{r['retriggers']:,}"
        dl = "" if r["days_lifted"] is None else f"{r['days_lifted']:,}"
        print(f"{r['predictions']:<52} {l1:>10} {r['seconds']:>9.3f} {rt:>10} {dl:>12} "
              f"{r['speedup_vs_backstop']:>11.1f}x {'equal' if r['answers_equal_offline'] else 'DIFFER':>8}")
    print("\nvs backstop: the backstop's time / this time.  days lifted: days the lifted side answered in\n"
          "the race.  answers: every distance compared with the offline algorithm.")


def _print_submodular(res: dict[str, Any]) -> None:
    print(f"\n{res['dataset']}: {res['items']:,} items, window of {res['window_items']:,} items -> "
          f"{res['updates']:,} updates; k = {res['k']}, eps = {res['eps']}")
    g = res["greedy"]
    print(f"kernel warm-up (compile, or load from numba's cache) {res['warmup_seconds']:.2f} s; lazy greedy "
          f"recomputed on {g['sampled_days']} sampled days: {g['oracle_calls_per_recompute']:,.0f} oracle calls, "
          f"{1e3 * g['seconds_per_recompute']:.2f} ms per recompute\n")
    head = (f"{'predictions':<44} {'l1/update':>10} {'time (s)':>9} {'calls/update':>13} {'value/greedy':>13} "
            f"{'min':>6} {'vs backstop':>12}")
    print(head)
    print("-" * len(head))
    for r in res["rows"]:
        l1 = "" if r["l1_per_update"] is None else f"{r['l1_per_update']:.1f}"
        print(f"{r['predictions']:<44} {l1:>10} {r['seconds']:>9.3f} {r['oracle_calls_per_update']:>13,.1f} "
              f"{r['value_vs_greedy_mean']:>13.3f} {r['value_vs_greedy_min']:>6.3f} {r['speedup_vs_backstop']:>11.1f}x")
    print("\nvalue/greedy: value over lazy greedy's (recomputed from scratch) on the sampled days, mean and\n"
          "minimum; every structure guarantees at least 1/2 - eps of the best k items.  vs backstop: the\n"
          "backstop's time / this time.  'raced' rows race the lifted structure against the backstop.")


def _print_table(res: dict[str, Any]) -> None:
    print(
        f"\n{res['dataset']}: sliding window W = {format_duration(res['window_seconds'])} -> "
        f"{res['updates']:,} updates on {res['vertices']:,} vertices, {res['queries']:,} queries"
    )
    print(f"offline divide-and-conquer (answers reference): {res['offline_seconds']:.3f} s; "
          f"kernel warm-up (compile, or load from numba's cache) {res['warmup_seconds']:.2f} s")
    print(f"HDT fully dynamic connectivity, no predictions: {res['hdt_seconds']:.3f} s, answers "
          f"{'equal' if res['hdt_answers_equal_offline'] else 'DIFFER'}\n")
    head = (f"{'predictions':<44} {'l1/update':>10} {'time (s)':>9} {'base work':>12} {'slots scanned':>14} "
            f"{'retriggers':>10} {'vs none':>8} {'vs HDT':>7} {'answers':>8}")
    print(head)
    print("-" * len(head))
    for r in res["rows"]:
        print(
            f"{r['predictions']:<44} {r['l1_per_update']:>10.1f} {r['seconds']:>9.3f} {r['base_work']:>12,} {r['scan_work']:>14,} "
            f"{r['retriggers']:>10,} {r['speedup_vs_no_predictions']:>7.1f}x {r['speedup_vs_hdt']:>6.1f}x "
            f"{'equal' if r['answers_equal_offline'] else 'DIFFER':>8}"
        )
    print("\nThe first row is the realistic default: TimedConnectivity is given every message with\n"
          "expiry = its time + W, exactly what a sliding window knows (no oracle); its l1 in time is 0,\n"
          "and its answers are compared with offline's on the days that close their time.")
    print("\nvs none: time with no predictions / this time; vs HDT: HDT's time / this time.\n"
          "answers: every query compared with the offline algorithm.  base work: union-find steps\n"
          "(inserts and undos).  Oracle rows use the true future (the best case).  Semi-oracle rows\n"
          "apply the window rule (deletion at first message + W) but turn that time into a day by\n"
          "counting the updates that really come before it, which needs the future.  The 'learned'\n"
          "rows are real predictors: they use only the history.  'raced' rows race the lifted\n"
          "structure against HDT (backstop share 1).")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m dynalgo``: parses ``argv`` and runs the demo (see ``dynalgo._cli``)."""
    from ._cli import main as _main

    return _main(argv)
