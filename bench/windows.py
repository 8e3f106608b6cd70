"""Sliding-window connectivity on an R-MAT edge stream, as in the BIC paper's setting.

Stream (seeded): distinct R-MAT edges (a, b, c, d) = (0.57, 0.19, 0.19, 0.05) on
``2**scale`` vertex ids, in generation order, ``per_ts`` edges per timestamp.  A
window of ``range`` timestamps slides by ``slide``; after every slide, ``q`` fixed
random vertex pairs are asked.  The default is the paper's shape scaled down 8x
(1 M edges on 2**17 ids, a window of about 375,000 edges sliding by about 18,750);
``--full`` runs 8 M edges on 2**20 ids, a window of about 3 M sliding by about 150,000.

Contenders, side by side in one process, all with the same answers:

- ``window_connectivity`` (``TimedConnectivity`` with expiry ``t + range``; the
  stream fed in chunks of one slide, construction included); per-slide latency
  percentiles are reported as well;
- ``offline_connectivity`` on the equivalent update-indexed sequence (insert at
  ``t``, delete at ``t + range``), which knows the whole future;
- ``HDTConnectivity`` alone on that sequence (``--hdt``; slow at full size).

    python -m bench.windows [--full] [--hdt] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.connectivity import _proc_status, machine_info


def rmat_stream(m: int, scale: int, seed: int = 0, probs: tuple[float, float, float, float] = (0.57, 0.19, 0.19, 0.05)) -> tuple[np.ndarray, np.ndarray]:
    """``m`` distinct undirected R-MAT edges (no self-loops) on ``2**scale`` ids, in generation order."""
    rng = np.random.default_rng(seed)
    cum = np.cumsum(probs)
    us: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    seen: set[int] = set()
    total = 0
    while total < m:
        k = int((m - total) * 1.3) + 1024
        u = np.zeros(k, dtype=np.int64)
        v = np.zeros(k, dtype=np.int64)
        for _ in range(scale):
            r = rng.random(k)
            q = np.searchsorted(cum, r, side="right")  # 0: a, 1: b, 2: c, 3: d
            u = (u << 1) | (q >= 2)
            v = (v << 1) | (q % 2 == 1)
        a, b = np.minimum(u, v), np.maximum(u, v)
        keys = a * (1 << scale) + b
        keep = a != b
        _, first = np.unique(keys, return_index=True)
        mask = np.zeros(k, dtype=bool)
        mask[first] = True
        mask &= keep
        idx = np.flatnonzero(mask)
        fresh = [i for i in idx.tolist() if int(keys[i]) not in seen]
        fresh = fresh[: m - total]
        seen.update(int(keys[i]) for i in fresh)
        us.append(a[fresh])
        vs.append(b[fresh])
        total += len(fresh)
    return np.concatenate(us), np.concatenate(vs)


def run(m: int, scale: int, per_ts: int, range_: int, slide: int, q: int, hdt: bool, seed: int = 0) -> dict[str, Any]:
    from dynalgo import HDTConnectivity, TimedConnectivity, UpdateBatch, offline_connectivity
    from dynalgo.windows import iter_windows

    n = 1 << scale
    u, v = rmat_stream(m, scale, seed)
    t = (np.arange(m, dtype=np.int64) // per_ts).astype(np.int64)
    rng = np.random.default_rng(seed + 1)
    pairs = rng.integers(0, n, (q, 2))

    # ours: the stream in chunks of one slide
    def ours() -> tuple[np.ndarray, np.ndarray, list[float]]:
        g = TimedConnectivity(n)
        lat: list[float] = []
        ends, rows = [], []
        step = slide * per_ts

        def chunks():  # type: ignore[no-untyped-def]
            for a in range(0, m, step):
                yield u[a:a + step], v[a:a + step], t[a:a + step]

        t0 = time.perf_counter()
        for end, ans in iter_windows(g, chunks(), range=range_, slide=slide, pairs=pairs):
            t1 = time.perf_counter()
            lat.append(t1 - t0)
            t0 = t1
            ends.append(end)
            rows.append(ans)
        return np.array(ends), np.stack(rows), lat

    # warm the kernels on a small prefix
    g0 = TimedConnectivity(n)
    for _ in iter_windows(g0, (u[:5000], v[:5000], t[:5000]), range=range_, slide=slide, pairs=pairs):
        pass
    rss0 = _proc_status().get("VmRSS", 0)
    t0 = time.perf_counter()
    ends, ans, lat = ours()
    t_ours = time.perf_counter() - t0
    rss1 = _proc_status().get("VmRSS", 0)

    # the equivalent update-indexed sequence: insert at t, delete at t + range
    ev_t = np.concatenate([t, t + range_])
    ev_op = np.concatenate([np.ones(m, np.int8), np.zeros(m, np.int8)])
    ev_u, ev_v = np.concatenate([u, u]), np.concatenate([v, v])
    order = np.lexsort((1 - ev_op, ev_t))  # at equal times deletions first (either order gives the same states)
    batch = UpdateBatch.from_arrays(ev_op[order], ev_u[order], ev_v[order])
    ev_ts = ev_t[order]
    qday = np.searchsorted(ev_ts, ends, side="right")
    queries = np.stack([np.repeat(qday, q), np.tile(pairs[:, 0], len(ends)), np.tile(pairs[:, 1], len(ends))], axis=1)
    ok = queries[:, 0] >= 1
    offline_connectivity(1 << 10, UpdateBatch.from_arrays(np.ones(3, np.int8), [0, 1, 2], [1, 2, 3]), [[1, 0, 1]])
    t0 = time.perf_counter()
    ref = offline_connectivity(n, batch, queries[ok])
    t_off = time.perf_counter() - t0
    flat = ans.reshape(-1)
    assert np.array_equal(flat[ok], ref), "window_connectivity differs from offline_connectivity"
    assert np.array_equal(flat[~ok], queries[~ok, 1] == queries[~ok, 2])
    res: dict[str, Any] = {
        "edges": m, "scale": scale, "per_ts": per_ts, "range_ts": range_, "slide_ts": slide, "queries_per_slide": q,
        "window_edges": range_ * per_ts, "slide_edges": slide * per_ts, "slides": int(len(ends)),
        "seconds": {"ours": t_ours, "offline": t_off},
        "ours_vs_offline": t_off / t_ours,
        "million_edges_per_s": {"ours": m / t_ours / 1e6, "offline": m / t_off / 1e6},
        "slide_latency_ms": {"p50": float(np.percentile(lat, 50) * 1e3), "p95": float(np.percentile(lat, 95) * 1e3),
                             "p99": float(np.percentile(lat, 99) * 1e3)},
        "rss_growth_mib_ours": (rss1 - rss0) / 2**20,
        "peak_rss_mib": _proc_status().get("VmHWM", 0) / 2**20,
    }
    if hdt:
        h = HDTConnectivity(n)
        t0 = time.perf_counter()
        a_h = h.run(batch, queries[ok])
        res["seconds"]["hdt"] = time.perf_counter() - t0
        assert np.array_equal(a_h, ref)
    return res


def render(r: dict[str, Any], machine: dict[str, Any]) -> str:
    s = r["seconds"]
    lines = [
        "# Sliding-window connectivity on an R-MAT stream (`python -m bench.windows`)",
        "",
        f"Machine: {machine.get('processor', '?')}, {machine.get('cpu_count', '?')} cores, load average at start "
        f"{machine.get('loadavg_start', '?')}. One run; answers equal `offline_connectivity`'s.",
        "",
        f"{r['edges']:,} distinct R-MAT edges on 2^{r['scale']} ids, {r['per_ts']} per timestamp; window "
        f"{r['window_edges']:,} edges sliding by {r['slide_edges']:,} ({r['slides']} slides), "
        f"{r['queries_per_slide']} pairs asked after every slide.",
        "",
        "| contender | seconds | million edges/s |",
        "|---|---|---|",
        f"| `window_connectivity` (expiries, chunks of one slide) | {s['ours']:.2f} | {r['million_edges_per_s']['ours']:.2f} |",
        f"| `offline_connectivity` (whole future) | {s['off' + 'line']:.2f} | {r['million_edges_per_s']['offline']:.2f} |",
    ]
    if "hdt" in s:
        lines.append(f"| `HDTConnectivity` alone | {s['hdt']:.2f} | {r['edges'] / s['hdt'] / 1e6:.2f} |")
    lat = r["slide_latency_ms"]
    lines += [
        "",
        f"Ours vs offline: {r['ours_vs_offline']:.2f}x offline's speed. Per-slide latency P50 / P95 / P99: "
        f"{lat['p50']:.1f} / {lat['p95']:.1f} / {lat['p99']:.1f} ms. Resident memory grew by "
        f"{r['rss_growth_mib_ours']:.0f} MiB during our run; process peak {r['peak_rss_mib']:.0f} MiB.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="the paper-sized stream (8 M edges on 2**20 ids)")
    ap.add_argument("--hdt", action="store_true", help="also run HDT alone")
    ap.add_argument("--json", type=Path, default=Path("bench/results/windows.json"))
    a = ap.parse_args(argv)
    if a.full:
        cfg = dict(m=8_000_000, scale=20, per_ts=100, range_=30_000, slide=1_500, q=100)
    else:
        cfg = dict(m=1_000_000, scale=17, per_ts=100, range_=3_750, slide=188, q=100)
    r = run(hdt=a.hdt, **cfg)  # type: ignore[arg-type]
    machine = machine_info()
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps({"machine": machine, "result": r}, indent=1))
    md = render(r, machine)
    a.json.with_name("windows-latest.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
