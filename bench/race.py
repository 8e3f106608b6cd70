"""Wall time and work of the backstop race (docs/pages/design.md, the race) against each side alone.

Run from the repository root::

    python -m bench.race [--json out.json] [--repeat R] [--small | --foundation] [--no-lifted-bad] [--no-peers]

(``--json PATH`` also writes the table as markdown beside it, ``<stem>-latest.md``.)

Workload: :func:`bench.workloads.churn` ``(10,000, 20,000, 20,000, seed 1)`` --
20,000 initial insertions then 20,000 random updates on ``n = 10,000`` -- with
one random query per day (:func:`bench.workloads.query_per_day`), as in
``bench.connectivity`` and ``bench.hdt``.  Contenders, each timed end to end
(construction + ``run`` of the whole batch), median of ``R`` repetitions,
kernels warmed first:

* ``hdt``: :class:`dynalgo.HDTConnectivity` alone;
* ``lifted/<pred>``: ``DynamicConnectivity(..., backstop=None)``;
* ``raced/<pred>/r=<share>``: ``DynamicConnectivity(..., backstop="hdt",
  backstop_share=r)`` with exact, perturbed (scale 16), garbage and no
  predictions, ``r`` in {1, 0.25}.

* peers (unless ``--no-peers``): ``offline_connectivity`` (the divide-and-conquer
  yardstick), NetworKit's ``DynConnectedComponents`` fed one event per update
  (optional dependency; skipped when not installed; its churn phase is timed on
  the first 20,000 updates and extrapolated when there are more) and networkx recomputing
  the components after every update (timed on the first 2,000 days and
  extrapolated per day; say so when quoting it).

``--foundation`` uses the foundation workload of ``bench.connectivity`` instead
(n = 100,000, 200,000 initial edges + 1,000,000 updates, 1.2M days) and implies
``--no-lifted-bad`` (lifted alone without predictions is O(T) per deletion there).

Every contender's answers are asserted equal to HDT's.  Reported per row:
seconds, ratio to HDT alone and to lifted alone (exact), race counters
(who answered how many days, each side's work units, backlogs) and the
nanoseconds per work unit of each side alone (the calibration of the units).
Targets: raced with garbage or no predictions within 2.2x HDT alone; raced
with exact predictions within 2.2x lifted alone.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np


def _median_time(fn: Callable[[], Any], reps: int) -> tuple[Any, float]:
    times, out = [], None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, float(np.median(times))


def render(res: dict[str, Any]) -> str:
    """The results as a markdown table."""
    w = res["workload"]
    lines = [f"# Backstop race: n = {w['n']:,}, {w['initial_edges']:,} initial edges + {w['updates']:,} updates, "
             f"one query per day (median of {res['repeat']})", "",
             "| contender | seconds | x HDT alone | x lifted alone (exact) | days lifted / backstop | work lifted / backstop |",
             "|---|---:|---:|---:|---:|---:|"]
    t_h = res["rows"]["hdt"]["seconds"]
    t_l = res["rows"]["lifted/exact"]["seconds"]
    for k, r in res["rows"].items():
        race = r.get("race")
        days = f"{race['days_lifted']:,} / {race['days_backstop']:,}" if race else ""
        work = f"{race['lifted_work']:,} / {race['backstop_work']:,}" if race else f"{r.get('work_units', 0):,}"
        lines.append(f"| {k} | {r['seconds']:.3f} | {r['seconds'] / t_h:.2f} | {r['seconds'] / t_l:.2f} | {days} | {work} |")
    lines += ["", "Targets (2.2x): " + ", ".join(
        f"{k} {'met' if v['met'] else 'NOT met'} ({v.get('ratio_to_hdt', v.get('ratio_to_lifted_exact')):.2f}x)"
        for k, v in res["targets"].items()), ""]
    return "\n".join(lines)


def peers(rows: dict[str, Any], n: int, batch: Any, q: np.ndarray, ref: np.ndarray, m0: int, t_hdt: float,
          reps: int) -> None:
    """Rows for offline, NetworKit (if installed) and networkx (extrapolated from a prefix)."""
    from bench.connectivity import run_networkx
    from dynalgo import offline_connectivity

    ans, t = _median_time(lambda: offline_connectivity(n, batch, q), reps)
    assert np.array_equal(ans, ref), "offline"
    rows["offline"] = {"seconds": t, "ratio_to_hdt": t / t_hdt}
    print(f"offline                      {t:8.3f} s  ({t / t_hdt:.2f}x hdt)", flush=True)
    try:
        import networkit  # noqa: F401
    except ImportError:
        print("networkit not installed: skipped", flush=True)
    else:
        from bench.hdt import networkit_calls

        # on large graphs a NetworKit deletion searches a giant component: time the initial
        # phase and the first 20,000 churn days, and extrapolate the churn per update
        churn = min(len(batch) - m0, 20_000)
        days = m0 + churn
        qp = q[q[:, 0] <= days]
        phases, ans = networkit_calls(n, batch[:days], qp, m0)
        assert np.array_equal(ans, ref[: qp.shape[0]]), "networkit"
        t = float(phases[0] + phases[1] * (len(batch) - m0) / max(churn, 1))
        rows["networkit" if days == len(batch) else "networkit (churn extrapolated)"] = {
            "seconds": t, "ratio_to_hdt": t / t_hdt, "us_per_update_churn": 1e6 * phases[1] / max(churn, 1),
            "timed_days": days}
        print(f"networkit                    {t:8.3f} s  ({t / t_hdt:.2f}x hdt; timed {days} days)", flush=True)
    prefix = min(len(batch), 2000)
    qp = q[q[:, 0] <= prefix]
    t, ans = run_networkx(n, batch[:prefix], qp)
    assert np.array_equal(ans, ref[: qp.shape[0]]), "networkx"
    t_all = t * len(batch) / prefix
    rows["networkx (extrapolated)"] = {"seconds": t_all, "ratio_to_hdt": t_all / t_hdt,
                                       "us_per_update": 1e6 * t / prefix, "timed_days": prefix}
    print(f"networkx, first {prefix} days  {t:8.3f} s  -> {t_all:.1f} s for all days", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.race", description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", metavar="PATH", help="write the results as JSON")
    ap.add_argument("--repeat", type=int, default=3, metavar="R")
    ap.add_argument("--small", action="store_true", help="10x smaller workload")
    ap.add_argument("--foundation", action="store_true", help="the 1.2M-day workload of bench.connectivity")
    ap.add_argument("--no-peers", action="store_true", help="skip offline, NetworKit and networkx")
    ap.add_argument("--no-lifted-bad", action="store_true",
                    help="skip lifted alone with garbage / no predictions (slow: O(T^2))")
    args = ap.parse_args(argv)

    import predictors
    from bench.workloads import churn, query_per_day
    from dynalgo import DynamicConnectivity, HDTConnectivity
    from structures import hdt as _hdt
    from structures import race_dsu_hdt as _r

    if args.foundation:
        from bench.connectivity import make_workload

        n, m0, upd = 100_000, 200_000, 1_000_000
        batch, q = make_workload(n, m0, upd)
        args.no_lifted_bad = True
    else:
        n, m0, upd = (1_000, 2_000, 2_000) if args.small else (10_000, 20_000, 20_000)
        batch = churn(n, m0, upd, seed=1)
        q = query_per_day(batch, n, seed=4)
    T = len(batch)
    preds = {
        "exact": predictors.exact(batch),
        "perturbed16": predictors.perturbed(batch, 16.0, seed=3),
        "garbage": predictors.garbage(batch, seed=3),
        "none": None,
    }
    # warm every kernel on a tiny workload
    tb = churn(50, 100, 100, seed=7)
    tq = query_per_day(tb, 50, seed=8)
    HDTConnectivity(50).run(tb, tq)
    DynamicConnectivity(50, predictors.exact(tb), backstop=None).run(tb, tq)
    DynamicConnectivity(50, predictors.garbage(tb, seed=1)).run(tb, tq)
    from dynalgo import offline_connectivity

    offline_connectivity(50, tb, tq)

    res: dict[str, Any] = {
        "workload": {"n": n, "initial_edges": m0, "updates": upd, "days": T, "queries": int(q.shape[0])},
        "python": sys.version.split()[0], "machine": platform.machine(), "repeat": args.repeat,
        "rows": {},
    }
    rows = res["rows"]

    def hdt_run() -> tuple[Any, Any]:
        g = HDTConnectivity(n)
        return g, g.run(batch, q)

    (h, ref), t_hdt = _median_time(hdt_run, args.repeat)
    hs = h.stats
    L = _hdt.levels(n)
    hdt_units = hs.updates + _r.WALKS * L * (hs.updates + hs.tree_edge_pushes + hs.nontree_edge_pushes + hs.edges_scanned)
    rows["hdt"] = {"seconds": t_hdt, "work_units": hdt_units, "ns_per_unit": 1e9 * t_hdt / hdt_units,
                   "stats": dataclasses.asdict(hs)}
    print(f"hdt alone                    {t_hdt:8.3f} s", flush=True)

    def lifted_run(p: Any) -> Callable[[], tuple[Any, Any]]:
        def go() -> tuple[Any, Any]:
            g = DynamicConnectivity(n, p, backstop=None)
            return g, g.run(batch, q)
        return go

    lifted_modes = ["exact", "perturbed16"] + ([] if args.no_lifted_bad else ["garbage", "none"])
    for mode in lifted_modes:
        reps = args.repeat if mode in ("exact", "perturbed16") else 1
        (g, ans), t = _median_time(lifted_run(preds[mode]), reps)
        assert np.array_equal(ans, ref), mode
        st = g.stats
        rows[f"lifted/{mode}"] = {"seconds": t, "work_units": st.work, "ns_per_unit": 1e9 * t / max(st.work, 1),
                                  "ratio_to_hdt": t / t_hdt, "stats": dataclasses.asdict(st)}
        print(f"lifted alone {mode:<16}{t:8.3f} s  ({t / t_hdt:.2f}x hdt)", flush=True)
    t_lift = rows["lifted/exact"]["seconds"]
    if not args.no_peers:
        peers(rows, n, batch, q, ref, m0, t_hdt, args.repeat)

    for share in (1.0, 0.25):
        for mode in ("exact", "perturbed16", "garbage", "none"):
            def raced(p: Any = preds[mode], r: float = share) -> tuple[Any, Any]:
                g = DynamicConnectivity(n, p, backstop_share=r)
                return g, g.run(batch, q)

            (g, ans), t = _median_time(raced, args.repeat)
            assert np.array_equal(ans, ref), (mode, share)
            st = g.stats
            assert st.race is not None
            rows[f"raced/{mode}/r={share:g}"] = {
                "seconds": t, "ratio_to_hdt": t / t_hdt, "ratio_to_lifted_exact": t / t_lift,
                "race": dataclasses.asdict(st.race), "lifted_stats": dataclasses.asdict(st),
            }
            r = st.race
            print(f"raced {mode:<12} r={share:<5g}{t:8.3f} s  ({t / t_hdt:.2f}x hdt, {t / t_lift:.2f}x lifted exact)"
                  f"  days L/B {r.days_lifted}/{r.days_backstop}  work L/B {r.lifted_work}/{r.backstop_work}"
                  f"  max backlog L/B {r.max_lifted_backlog}/{r.max_backstop_backlog}", flush=True)
    targets = {}
    for share in (1.0, 0.25):
        for mode in ("garbage", "none"):
            k = f"raced/{mode}/r={share:g}"
            targets[k] = {"ratio_to_hdt": rows[k]["ratio_to_hdt"], "target": 2.2, "met": rows[k]["ratio_to_hdt"] <= 2.2}
        k = f"raced/exact/r={share:g}"
        targets[k] = {"ratio_to_lifted_exact": rows[k]["ratio_to_lifted_exact"], "target": 2.2,
                      "met": rows[k]["ratio_to_lifted_exact"] <= 2.2}
    res["targets"] = targets
    print(json.dumps(targets, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        Path(args.json).with_name(Path(args.json).stem + "-latest.md").write_text(render(res), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
