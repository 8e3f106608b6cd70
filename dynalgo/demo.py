"""The ``python -m dynalgo demo`` command: prediction quality vs running time on real data.

On a sliding-window dynamic graph built from a bundled SNAP temporal network,
dynamic connectivity is run with predictions of several qualities.  Every run
answers the same connectivity queries (one per day) and the answers are checked
against the offline divide-and-conquer algorithm.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import asdict
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import NDArray

import predictors

from .connectivity import DynamicConnectivity
from .datasets import TemporalEdges, bitcoin_alpha, college_msg
from .hdt import HDTConnectivity
from .offline import offline_connectivity
from .updates import Op, Predictions
from .workloads import SlidingWindow, sliding_window

__all__ = ["main", "run_demo"]

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
        raise SystemExit(f"unknown dataset {dataset!r}; choose from {sorted(_DATASETS)}")
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
    DynamicConnectivity(n, predictors.exact(tiny), backstop=None).run(tiny, tq)
    DynamicConnectivity(n, None, backstop=None).run(tiny, tq, predicted_deletions=np.zeros(len(tiny), dtype=np.int64))
    DynamicConnectivity(n, None).run(tiny, tq)
    HDTConnectivity(n).run(tiny, tq)
    offline_connectivity(n, tiny, tq)
    warm = time.perf_counter() - t0

    t0 = time.perf_counter()
    reference = offline_connectivity(n, batch, queries)
    t_offline = time.perf_counter() - t0

    contenders: list[tuple[str, Predictions | None, NDArray[np.int64] | None]] = [
        ("exact sequence (oracle)", Predictions.from_batch(batch), None),
        ("true deletion days (oracle)", None, sw.true_deletion),
        ("window rule: first message + W (exact days)", None, sw.predicted_deletion),
    ]
    for s in noise:
        contenders.append((f"exact + noise N(0, {s:g}) days", Predictions.coerce(predictors.perturbed(batch, s, seed=seed)), None))
    contenders.append(("window rule, inserts known up front", _exact_window_predictions(sw, sw.predicted_deletion), None))
    for label, lp in (
        ("learned: window rule, learned rate", predictors.SlidingWindowPredictor(window)),
        ("learned: pair lifetimes", predictors.LifetimePredictor(rate_tau=float(window))),
    ):
        contenders.append((label, None, predictors.predict_deletions(lp, batch.op, batch.u, batch.v, sw.time)))
    contenders.append(("no predictions", None, None))
    contenders.append(("raced vs HDT: pair lifetimes", None, contenders[-2][2]))
    contenders.append(("raced vs HDT: no predictions", None, None))

    rows: list[dict[str, Any]] = []
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


def _print_table(res: dict[str, Any]) -> None:
    print(
        f"\n{res['dataset']}: sliding window W = {res['window_seconds']} s -> "
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
    print("\nvs none: time with no predictions / this time; vs HDT: HDT's time / this time.\n"
          "answers: every query compared with the offline algorithm.  base work: union-find steps\n"
          "(inserts and undos).  Oracle rows use the true future (the best case); the window rule and\n"
          "the learned rows are real predictors; 'raced' rows race the lifted structure against HDT.")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m dynalgo``."""
    parser = argparse.ArgumentParser(prog="python -m dynalgo", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="prediction quality vs running time on bundled real data")
    d.add_argument("--dataset", choices=sorted(_DATASETS), default="college-msg")
    d.add_argument("--window", type=int, default=86_400, help="sliding window in seconds (default: one day)")
    d.add_argument("--problem", choices=["connectivity"], default="connectivity")
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH ('-' for stdout)")
    d.add_argument("--quiet", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    res = run_demo(args.dataset, args.window, seed=args.seed, progress=not args.quiet)
    if args.json == "-":
        json.dump(res, sys.stdout, indent=2)
        print()
    else:
        _print_table(res)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(res, fh, indent=2)
    ok = all(r["answers_equal_offline"] for r in res["rows"]) and res["hdt_answers_equal_offline"]
    return 0 if ok else 1
