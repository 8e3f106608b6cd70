"""Time-keyed connectivity with expiring edges against HDT on real sliding windows.

Every message ``(u, v, t)`` is inserted at time ``t`` with expiry ``t + W``; nothing
else is known (no oracle: the window rule only).  One query per message, at its
time, on random vertex pairs.  Contenders, side by side in one process:

- ``TimedConnectivity``: the stream with expiries (construction included);
- ``HDTConnectivity`` alone on the equivalent update-indexed pair sequence
  (``dynalgo.sliding_window``: a pair is inserted at its first message and deleted
  ``W`` after its last one);
- ``DynamicConnectivity()`` default (raced, no predictions) on that sequence;
- ``offline_connectivity`` on that sequence (it knows the whole future).

Every contender's answers are compared with offline's.  Also a synthetic stream
fed in chunks, to show that memory follows the live edges.

    python -m bench.timeline [--reps 5] [--json out.json] [--synthetic 20000000]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np

from bench.connectivity import _proc_status, machine_info

CASES = (("CollegeMsg", 86_400), ("CollegeMsg", 604_800), ("Bitcoin Alpha", 60 * 86_400))


def _label(w: int) -> str:
    return f"{w // 86_400} day" + ("s" if w // 86_400 > 1 else "")


def _median(fn: Callable[[], Any], reps: int) -> tuple[Any, float]:
    out = None
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return out, float(np.median(ts))


def bench_case(name: str, w: int, reps: int) -> dict[str, Any]:
    from dynalgo import (
        DynamicConnectivity,
        HDTConnectivity,
        TimedConnectivity,
        bitcoin_alpha,
        college_msg,
        offline_connectivity,
        sliding_window,
    )

    e = college_msg() if name == "CollegeMsg" else bitcoin_alpha()
    keep = e.src != e.dst
    u, v, t = e.src[keep], e.dst[keep], e.time[keep]
    rng = np.random.default_rng(0)
    q = np.stack([t, rng.integers(0, e.n, t.size), rng.integers(0, e.n, t.size)], axis=1)
    sw = sliding_window(e, w)
    qday = np.searchsorted(sw.time, q[:, 0], side="right")
    qd = np.stack([qday, q[:, 1], q[:, 2]], axis=1).astype(np.int64)

    def timed() -> tuple[Any, np.ndarray]:
        g = TimedConnectivity(e.n)
        return g, g.extend(u, v, t, t + w, q)

    def hdt() -> np.ndarray:
        return HDTConnectivity(sw.n).run(sw.batch, qd)

    def raced() -> np.ndarray:
        return DynamicConnectivity(sw.n).run(sw.batch, qd)

    def offline() -> np.ndarray:
        return offline_connectivity(sw.n, sw.batch, qd)

    for f in (timed, hdt, raced, offline):  # warm the kernels
        f()
    ref, t_off = _median(offline, reps)
    (g, ans), t_timed = _median(timed, reps)
    assert np.array_equal(ans, ref), "TimedConnectivity differs from offline"
    a_hdt, t_hdt = _median(hdt, reps)
    assert np.array_equal(a_hdt, ref), "HDT differs from offline"
    a_r, t_raced = _median(raced, max(1, reps // 2))
    assert np.array_equal(a_r, ref), "DynamicConnectivity differs from offline"
    return {
        "data": name, "window": w, "messages": int(t.size), "pair_updates": len(sw.batch), "queries": int(q.shape[0]),
        "seconds": {"timed": t_timed, "hdt": t_hdt, "raced_no_predictions": t_raced, "offline": t_off},
        "speedup_vs_hdt": {"timed": t_hdt / t_timed, "raced_no_predictions": t_hdt / t_raced, "offline": t_hdt / t_off},
        "timed_stats": g.stats,
    }


def synthetic(updates: int, live: int, chunk: int = 1_000_000, seed: int = 0) -> dict[str, Any]:
    """A stream of ``updates`` insertions on random pairs, each living ``live`` time steps."""
    from dynalgo import TimedConnectivity

    n = 1 << 20
    rng = np.random.default_rng(seed)
    g = TimedConnectivity(n)
    rss0 = _proc_status().get("VmRSS", 0)
    peaks = []
    t0 = time.perf_counter()
    for start in range(0, updates, chunk):
        m = min(chunk, updates - start)
        tt = np.arange(start, start + m, dtype=np.int64)
        u = rng.integers(0, n, m)
        v = rng.integers(0, n, m)
        q = np.stack([tt[::1000], u[::1000], v[::1000]], axis=1)
        next(g.stream([(u, v, tt, tt + live, q)]))
        peaks.append(_proc_status().get("VmRSS", 0))
    secs = time.perf_counter() - t0
    return {
        "updates": updates, "live": live, "n": n, "chunk": chunk, "seconds": secs,
        "rss_bytes_after_each_chunk": peaks, "rss_bytes_start": rss0,
        "peak_rss_bytes": _proc_status().get("VmHWM", 0),
        "reapplied_per_update": g.stats["reapplied"] / updates,
    }


def _machine(m: dict[str, Any]) -> str:
    return (f"{m.get('processor', '?')}, {m.get('cpu_count', '?')} cores, Python {m.get('python', '?')}, "
            f"numba {m.get('numba', '?')}, load average at start {m.get('loadavg_start', '?')}")


def foundation(reps: int, n: int = 100_000, initial: int = 200_000, updates: int = 1_000_000) -> dict[str, Any]:
    """The foundation workload with one update per time step and exact deletion times.

    ``TimedConnectivity`` gets each insertion at its day with expiry = its true
    deletion day (deletions are then implicit); the update-indexed path is
    ``DynamicConnectivity(backstop=None)`` with the same exact predicted deletions.
    """
    from bench.connectivity import make_workload, next_deletion_days
    from dynalgo import DynamicConnectivity, TimedConnectivity, offline_connectivity
    from dynalgo.timeline import NEVER

    b, q = make_workload(n, initial, updates)
    pdel = next_deletion_days(b, n)
    ins = np.flatnonzero(np.asarray(b.op) == 1)
    day = ins.astype(np.int64) + 1
    exp = np.where(pdel[ins] > 0, pdel[ins], NEVER).astype(np.int64)
    u, v = np.asarray(b.u)[ins].astype(np.int64), np.asarray(b.v)[ins].astype(np.int64)
    ref = offline_connectivity(n, b, q)

    def timed() -> np.ndarray:
        return TimedConnectivity(n).extend(u, v, day, exp, q)

    def indexed() -> np.ndarray:
        return DynamicConnectivity(n, backstop=None).run(b, q, predicted_deletions=pdel)

    for f in (timed, indexed):
        f()
    a_t, t_t = _median(timed, reps)
    a_i, t_i = _median(indexed, reps)
    assert np.array_equal(a_t, ref) and np.array_equal(a_i, ref)
    return {"n": n, "initial": initial, "updates": updates, "days": len(b),
            "seconds": {"timed": t_t, "indexed_predicted_deletions": t_i}, "timed_over_indexed": t_t / t_i}


def render(res: dict[str, Any]) -> str:
    lines = [
        "# Time-keyed connectivity with expiring edges (`python -m bench.timeline`)",
        "",
        f"Machine: {_machine(res['machine'])}. Medians of {res['reps']} runs, kernels warmed, construction included;",
        "every contender's answers equal `offline_connectivity`'s. One query per message.",
        "",
        "| data, window | messages | pair updates | TimedConnectivity (expiries) | HDT alone | raced, no predictions | offline (whole future) |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in res["cases"]:
        s, x = c["seconds"], c["speedup_vs_hdt"]
        lines.append(
            f"| {c['data']}, {_label(c['window'])} | {c['messages']:,} | {c['pair_updates']:,} | "
            f"{s['timed'] * 1e3:.1f} ms (**{x['timed']:.2f}x** HDT) | {s['hdt'] * 1e3:.1f} ms | "
            f"{s['raced_no_predictions'] * 1e3:.1f} ms ({x['raced_no_predictions']:.2f}x) | "
            f"{s['offline'] * 1e3:.1f} ms ({x['offline']:.2f}x) |"
        )
    lines.append("")
    for c in res["cases"]:
        st = c["timed_stats"]
        lines.append(
            f"- {c['data']}, {_label(c['window'])}: {st['applied']:,} union-find insertions "
            f"({st['applied'] / c['messages']:.1f} per message), {st['renewals']:,} renewals, {st['expired']:,} expiries."
        )
    if res.get("foundation"):
        f = res["foundation"]
        lines += [
            "",
            f"Foundation workload ({f['days']:,} days, n = {f['n']:,}), one update per time step, exact deletion "
            f"times: `TimedConnectivity` {f['seconds']['timed']:.2f} s against the update-indexed "
            f"`DynamicConnectivity(backstop=None)` with exact predicted deletions "
            f"{f['seconds']['indexed_predicted_deletions']:.2f} s (**{f['timed_over_indexed']:.2f}x**).",
        ]
    if res.get("synthetic"):
        sy = res["synthetic"]
        r = sy["rss_bytes_after_each_chunk"]
        lines += [
            "",
            f"Synthetic stream: {sy['updates']:,} insertions on 2^20 vertices, each edge living {sy['live']:,} steps, "
            f"fed in chunks of {sy['chunk']:,}: {sy['seconds']:.1f} s, resident memory after each chunk "
            f"{min(r) / 2**20:.0f}-{max(r) / 2**20:.0f} MiB (process peak {sy['peak_rss_bytes'] / 2**20:.0f} MiB), "
            f"{sy['reapplied_per_update']:.1f} re-applications per update.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--json", type=Path, default=Path("bench/results/timeline.json"))
    ap.add_argument("--synthetic", type=int, default=0, help="updates of the synthetic chunked stream (0: skip)")
    ap.add_argument("--foundation", action="store_true", help="also the 1.2 M-day foundation workload")
    ap.add_argument("--live", type=int, default=3_000_000, help="lifetime of a synthetic edge, in updates")
    a = ap.parse_args(argv)
    res: dict[str, Any] = {"machine": machine_info(), "reps": a.reps, "cases": []}
    for name, w in CASES:
        c = bench_case(name, w, a.reps)
        print(f"{name} {_label(w)}: timed {c['speedup_vs_hdt']['timed']:.2f}x HDT", flush=True)
        res["cases"].append(c)
    if a.foundation:
        res["foundation"] = foundation(a.reps)
    if a.synthetic:
        res["synthetic"] = synthetic(a.synthetic, a.live)
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(res, indent=1))
    md = render(res)
    a.json.with_name("timeline-latest.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
