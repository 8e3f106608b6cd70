"""APSP workloads where predictions should help, and a side-by-side benchmark on them.

Run from the repository root::

    python -m bench.apsp_workloads [--n 1000] [--json bench/results/apsp-workloads.json]

Every workload is a build (the arcs of a base graph inserted one per day, in a
random order) followed by an *update phase*, with one random distance query
per day.  Weights are integers, so every contender must return bit-identical
answers (checked).  The generators are deterministic for a seed.

* :func:`road_closures` -- a road-like grid (``rows x cols`` junctions, both
  directions of each road segment, travel times uniform in ``[10, 30)``, plus
  an ``arterial`` cross of faster segments through the middle).  The update
  phase is a schedule of *planned closures*: a segment of an arterial (or,
  less often, any segment) is closed (both arcs deleted) and reopened
  ``duration`` days later with the same travel time; closures overlap.  The
  schedule is known in advance (maintenance, events), so exact predictions
  are realistic.  Closed arterial segments carry many shortest paths: the
  worst case of a deletion repair.
* :func:`hub_failures` -- a hub-and-spoke network: ``hubs`` hubs joined in a
  ring of backbone arcs (plus a few chords), each other vertex a spoke of one
  hub (two arcs) with a few local arcs to spokes of the same hub.  The update
  phase fails a backbone arc (the bridges between clusters: the arcs of
  highest betweenness) or, less often, a whole hub's backbone (a vertex
  failure: all its backbone arcs), and restores it ``duration`` days later.
* :func:`random_churn` -- the random workload of :mod:`bench.apsp` (random
  arcs, then alternating insertions of fresh random arcs and deletions of
  random present arcs): where a fully dynamic algorithm is at its best.

Contenders (:func:`bench_one`), kernels compiled before any timing: offline
(:func:`dynalgo.offline_apsp`, end to end), the lifted structure alone with
exact predictions and with perturbed ones (:func:`predictors.perturbed`,
noise scale 16, seed 3), the light mode with exact predictions
(``paths=False, dtype=float32``), the backstop alone
(:func:`structures.apsp_dynamic.run_batch`) and the raced structure with exact
predictions (``DynamicAPSP`` with its default backstop; and with
``race_floor=1``, the plain race).  Per update = update phase seconds /
updates, queries included; end to end includes the build.  Times are CPU
seconds of the benchmark process (:func:`time.process_time`): the machine is
shared, and wall time there measures the other jobs as much as the code.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

if __name__ == "__main__" and "numba" not in sys.modules and "NUMBA_CACHE_DIR" not in os.environ:
    os.environ["NUMBA_CACHE_DIR"] = tempfile.mkdtemp(prefix="dynalgo-bench-numba-")

__all__ = ["Workload", "hub_failures", "random_churn", "road_closures"]


class Workload:
    """An update sequence: ``batch`` (build then update phase), ``queries`` (one per day) and sizes."""

    def __init__(self, name: str, n: int, ops: list[int], us: list[int], vs: list[int], ws: list[float],
                 build: int, seed: int, directed: bool = True) -> None:
        from dynalgo import UpdateBatch

        self.name = name
        self.n = n
        self.build = build
        self.directed = directed
        self.batch = UpdateBatch.from_arrays(np.array(ops, np.int8), np.array(us, np.int64), np.array(vs, np.int64),
                                             np.array(ws, np.float64))
        T = len(ops)
        rng = np.random.default_rng(seed + 1000)
        self.queries = np.stack([np.arange(1, T + 1), rng.integers(0, n, T), rng.integers(0, n, T)],
                                axis=1).astype(np.int64)

    @property
    def days(self) -> int:
        return len(self.batch)

    @property
    def updates(self) -> int:
        return self.days - self.build

    def __repr__(self) -> str:
        return f"Workload({self.name!r}, n={self.n}, build={self.build}, updates={self.updates})"


class _Seq:
    """Builds a valid arc sequence (at most one present arc per ordered pair)."""

    def __init__(self) -> None:
        self.ops: list[int] = []
        self.us: list[int] = []
        self.vs: list[int] = []
        self.ws: list[float] = []
        self.present: dict[tuple[int, int], float] = {}

    def insert(self, a: int, b: int, w: float) -> None:
        assert (a, b) not in self.present
        self.present[(a, b)] = w
        self.ops.append(1)
        self.us.append(a)
        self.vs.append(b)
        self.ws.append(float(w))

    def delete(self, a: int, b: int) -> float:
        w = self.present.pop((a, b))
        self.ops.append(0)
        self.us.append(a)
        self.vs.append(b)
        self.ws.append(0.0)
        return w


def _schedule(seq: _Seq, events: list[list[tuple[int, int]]], updates: int, duration: int,
              rng: np.random.Generator) -> None:
    """Close groups of arcs and reopen each ``duration`` days (+-25%) later until ``updates`` days are used.

    ``events`` are the candidate groups (a road segment's two arcs, a hub's
    backbone arcs); a group is closed only while none of its arcs is closed.
    """
    start = len(seq.ops)
    reopen: list[tuple[int, list[tuple[int, int, float]]]] = []  # (day index, arcs)
    closed: set[tuple[int, int]] = set()
    while len(seq.ops) - start < updates:
        k = len(seq.ops) - start
        due = [r for r in reopen if r[0] <= k]
        if due:
            r = min(due, key=lambda x: x[0])
            reopen.remove(r)
            for a, b, w in r[1]:
                if len(seq.ops) - start >= updates:
                    break
                seq.insert(a, b, w)
                closed.discard((a, b))
            continue
        for _ in range(20):
            g = events[int(rng.integers(len(events)))]
            if not any(arc in closed for arc in g):
                break
        else:
            # everything close by is closed: reopen the earliest group now
            r = min(reopen, key=lambda x: x[0])
            reopen.remove(r)
            for a, b, w in r[1]:
                seq.insert(a, b, w)
                closed.discard((a, b))
            continue
        room = updates - (len(seq.ops) - start)
        g = g[: max(1, room // 2)]
        arcs = []
        for a, b in g:
            arcs.append((a, b, seq.delete(a, b)))
            closed.add((a, b))
        dur = int(round(duration * rng.uniform(0.75, 1.25)))
        reopen.append((len(seq.ops) - start + dur, arcs))


def road_closures(rows: int, cols: int, updates: int, *, duration: int = 40, arterial_share: float = 0.8,
                  seed: int = 1) -> Workload:
    """A road-like grid with planned closures and reopenings (see the module docstring).

    ``rows x cols`` junctions (vertex ``r * cols + c``); every road segment is two
    arcs with one travel time, uniform in ``[10, 30)``; the middle row and the
    middle column are arterials with travel times in ``[4, 8)``.  Each closure
    takes a segment (an arterial one with probability ``arterial_share``),
    deletes both arcs and re-inserts them about ``duration`` days later.
    """
    rng = np.random.default_rng(seed)
    n = rows * cols
    mid_r, mid_c = rows // 2, cols // 2
    segs: list[tuple[int, int, float, bool]] = []
    for r in range(rows):
        for c in range(cols):
            x = r * cols + c
            if c + 1 < cols:
                art = r == mid_r
                segs.append((x, x + 1, float(rng.integers(4, 8) if art else rng.integers(10, 30)), art))
            if r + 1 < rows:
                art = c == mid_c
                segs.append((x, x + cols, float(rng.integers(4, 8) if art else rng.integers(10, 30)), art))
    seq = _Seq()
    arcs = [(a, b, w) for a, b, w, _ in segs] + [(b, a, w) for a, b, w, _ in segs]
    for i in rng.permutation(len(arcs)).tolist():
        a, b, w = arcs[i]
        seq.insert(a, b, w)
    build = len(seq.ops)
    art_groups = [[(a, b), (b, a)] for a, b, _, art in segs if art]
    all_groups = [[(a, b), (b, a)] for a, b, _, _ in segs]
    events = art_groups * max(1, int(round(arterial_share / (1 - arterial_share) * len(all_groups) / len(art_groups)))) \
        + all_groups if arterial_share < 1 else art_groups
    _schedule(seq, events, updates, duration, rng)
    return Workload(f"road {rows}x{cols}", n, seq.ops, seq.us, seq.vs, seq.ws, build, seed)


def hub_failures(n: int, hubs: int, updates: int, *, local: int = 2, chords: int = 1, duration: int = 40,
                 vertex_share: float = 0.1, seed: int = 1) -> Workload:
    """A hub-and-spoke network with failures of backbone arcs and of whole hubs (see the module docstring).

    Vertices ``0..hubs-1`` are hubs, joined by a ring of backbone arcs in both
    directions (weights in ``[5, 15)``) plus ``chords`` random backbone chords
    per hub (weights in ``[20, 40)``); every other vertex is a spoke of hub
    ``v % hubs`` (arcs both ways, weights in ``[1, 10)``) with ``local`` arcs to
    random spokes of the same hub (weights in ``[5, 30)``).  A failure deletes
    one ring arc (or, with probability ``vertex_share``, every backbone arc
    out of and into one hub: a vertex failure) and restores it about
    ``duration`` days later.
    """
    rng = np.random.default_rng(seed)
    arcs: dict[tuple[int, int], float] = {}
    backbone: list[tuple[int, int]] = []
    ring: list[tuple[int, int]] = []
    for h in range(hubs):
        g = (h + 1) % hubs
        if g != h:
            for a, b in ((h, g), (g, h)):
                if (a, b) not in arcs:
                    arcs[(a, b)] = float(rng.integers(5, 15))
                    backbone.append((a, b))
                    ring.append((a, b))
        for _ in range(chords):
            g = int(rng.integers(hubs))
            if g != h and (h, g) not in arcs:
                arcs[(h, g)] = float(rng.integers(20, 40))
                backbone.append((h, g))
    spokes_of: list[list[int]] = [[] for _ in range(hubs)]
    for s in range(hubs, n):
        h = s % hubs
        spokes_of[h].append(s)
        arcs[(s, h)] = float(rng.integers(1, 10))
        arcs[(h, s)] = float(rng.integers(1, 10))
    for s in range(hubs, n):
        mates = spokes_of[s % hubs]
        for _ in range(local):
            t = mates[int(rng.integers(len(mates)))]
            if t != s and (s, t) not in arcs:
                arcs[(s, t)] = float(rng.integers(5, 30))
    seq = _Seq()
    items = list(arcs.items())
    for i in rng.permutation(len(items)).tolist():
        (a, b), w = items[i]
        seq.insert(a, b, w)
    build = len(seq.ops)
    events: list[list[tuple[int, int]]] = [[arc] for arc in ring]
    k_vertex = max(1, int(round(vertex_share / max(1e-9, 1 - vertex_share) * len(events) / hubs)))
    for h in range(hubs):
        grp = [arc for arc in backbone if h in arc]
        events += [grp] * k_vertex
    _schedule(seq, events, updates, duration, rng)
    return Workload(f"hubs {hubs}", n, seq.ops, seq.us, seq.vs, seq.ws, build, seed)


def random_churn(n: int, m: int, updates: int, *, seed: int = 1) -> Workload:
    """The random workload of :func:`bench.apsp.workload` (weights rounded to integers)."""
    from bench.apsp import workload

    b, _q = workload(n, m, updates, seed=seed)
    w = np.where(b.op == 1, np.floor(b.weight), 0.0)
    return Workload("random churn", n, b.op.tolist(), b.u.tolist(), b.v.tolist(), w.tolist(), m, seed)


def suite(n: int) -> list[Workload]:
    """The benchmark's workloads with about ``n`` vertices."""
    rows = int(round(np.sqrt(n / 1.6)))
    cols = int(round(n / rows))
    return [
        road_closures(rows, cols, updates=n, duration=40),
        hub_failures(n, max(4, n // 250), updates=n, duration=40),
        random_churn(n, 10 * n, updates=n),
    ]


# ---------------------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------------------
def warm() -> float:
    """Compile every kernel the benchmark uses on a tiny workload; return the seconds taken."""
    t0 = time.perf_counter()
    for w in (road_closures(4, 5, 30, duration=5), hub_failures(30, 4, 30, duration=5)):
        bench_one(w, repeat=1, quiet=True)
    return time.perf_counter() - t0


def _clock() -> float:
    """CPU seconds of this process: on a shared, loaded machine they vary far less than wall time
    (the kernels are single-threaded, so CPU time is the time spent computing)."""
    return time.process_time()


def bench_one(wl: Workload, *, repeat: int = 1, noise: float = 16.0, quiet: bool = False,
              perturbed: bool = True, plain: bool = True) -> dict[str, Any]:
    """Time every contender on ``wl`` (median of ``repeat`` runs); answers must be identical."""
    import predictors
    from dynalgo import DynamicAPSP, offline_apsp
    from structures import apsp_dynamic as dyn

    n, m, U = wl.n, wl.build, wl.updates
    batch, q = wl.batch, wl.queries
    build, upd = batch[:m], batch[m:]
    q_upd = q[m:].copy()
    q_upd[:, 0] -= m
    rows: dict[str, dict[str, Any]] = {}
    ref: list[np.ndarray] = []

    def record(name: str, runs: list[dict[str, Any]], answers: np.ndarray, tol: float = 0.0) -> None:
        if ref and tol > 0.0:
            # float32 light mode: integer weights are exact only while they fit its grid
            fin = np.isfinite(ref[0])
            assert np.array_equal(fin, np.isfinite(answers)), f"{name}: reachability differs from offline"
            assert np.all(np.abs(answers[fin] - ref[0][fin]) <= tol), f"{name}: answers beyond the error bound"
        elif ref:
            assert np.array_equal(answers, ref[0]), f"{name}: answers differ from offline"
        else:
            ref.append(answers)
        runs.sort(key=lambda r: r["seconds"])
        rows[name] = runs[len(runs) // 2]
        if not quiet:
            r = rows[name]
            extra = f"  update phase {r['per_update_ms']:.4f} ms/update" if "per_update_ms" in r else ""
            print(f"  {name:<20}{r['seconds']:9.3f} s{extra}", flush=True)

    runs = []
    for _ in range(repeat):
        t0 = _clock()
        a = offline_apsp(n, batch, q)
        runs.append({"seconds": _clock() - t0})
    record("offline", runs, a)

    def dynamic(name: str, preds: Any, backstop: str | None, **kw: Any) -> None:
        runs = []
        for _ in range(repeat):
            t0 = _clock()
            g = DynamicAPSP(n, preds, backstop=backstop, **kw)
            a1 = g.run(build, q[:m])
            t1 = _clock()
            a2 = g.run(upd, q_upd)
            t2 = _clock()
            st = g.stats
            r = {"seconds": t2 - t0, "build_seconds": t1 - t0, "update_seconds": t2 - t1,
                 "per_update_ms": 1e3 * (t2 - t1) / U, "base_inserts": st.base_inserts, "work": st.work}
            if st.race is not None:
                r["days_lifted"] = st.race.days_lifted
                r["days_backstop"] = st.race.days_backstop
            runs.append(r)
        tol = g.error_bound if g.dtype == np.float32 else 0.0
        if tol > 0.0:
            runs[-1]["error_bound"] = tol
        record(name, runs, np.concatenate([a1, a2]), tol)

    exact = predictors.exact(batch)
    dynamic("lifted/exact", exact, None)
    if perturbed:
        dynamic(f"lifted/perturbed{noise:g}", predictors.perturbed(batch, noise, seed=3), None)
    dynamic("light f32/exact", exact, None, paths=False, dtype=np.float32)

    runs = []
    for _ in range(repeat):
        s = dyn.make(n)
        out = np.zeros(q.shape[0])
        t0 = _clock()
        dyn.run_batch(s, build.op.astype(np.int64), build.u, build.v, build.weight, q[:m], out[:m])
        t1 = _clock()
        dyn.run_batch(s, upd.op.astype(np.int64), upd.u, upd.v, upd.weight, q_upd, out[m:])
        t2 = _clock()
        runs.append({"seconds": t2 - t0, "build_seconds": t1 - t0, "update_seconds": t2 - t1,
                     "per_update_ms": 1e3 * (t2 - t1) / U})
    record("backstop", runs, out)
    dynamic("raced/exact", exact, "dynamic")
    if plain:
        dynamic("raced/exact, plain race", exact, "dynamic", race_floor=1.0)
    return {"workload": {"name": wl.name, "n": n, "build": m, "updates": U}, "rows": rows}


def ratios(res: dict[str, Any]) -> dict[str, float]:
    """Backstop time over each contender's (update phase; offline: end to end over end to end)."""
    r = res["rows"]
    b = r["backstop"]
    out = {k: b["update_seconds"] / v["update_seconds"] for k, v in r.items() if "update_seconds" in v}
    out["offline (end to end)"] = r["offline"]["seconds"] / b["seconds"]
    # the raced structure against the faster of its two sides alone (update phase and end to end)
    if "raced/exact" in r:
        best = min(r["lifted/exact"]["update_seconds"], b["update_seconds"])
        out["raced / min(lifted, backstop)"] = r["raced/exact"]["update_seconds"] / best
        best = min(r["lifted/exact"]["seconds"], b["seconds"])
        out["raced / min(lifted, backstop) end to end"] = r["raced/exact"]["seconds"] / best
    return out


def render(results: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = ["# APSP workloads (`python -m bench.apsp_workloads`)", "",
             f"Machine: {meta['machine']}; Python {meta['python']}; numba {meta['numba']}; one run each.", "",
             "| workload | n | build + updates | contender | end to end s | update phase ms/update | "
             "backstop / contender (update phase) |",
             "|---|---:|---:|---|---:|---:|---:|"]
    for res in results:
        w = res["workload"]
        rat = ratios(res)
        for name, r in res["rows"].items():
            per = f"{r['per_update_ms']:.4f}" if "per_update_ms" in r else ""
            x = f"{rat[name]:.2f}x" if name in rat else f"offline / backstop end to end {rat['offline (end to end)']:.2f}"
            if name == "raced/exact":
                x += (f"; raced / min(lifted, backstop) {rat['raced / min(lifted, backstop)']:.2f} "
                      f"(end to end {rat['raced / min(lifted, backstop) end to end']:.2f})")
            lines.append(f"| {w['name']} | {w['n']:,} | {w['build']:,} + {w['updates']:,} | {name} | "
                         f"{r['seconds']:.3f} | {per} | {x} |")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.apsp_workloads", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000], help="vertex counts (default 1000)")
    ap.add_argument("--only", nargs="+", choices=("road", "hubs", "random"), help="run some workloads only")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--perturbed-on", nargs="*", choices=("road", "hubs", "random"), default=["road", "hubs", "random"],
                    help="workloads that also run the lifted structure with perturbed predictions (default all)")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain race (race_floor=1)")
    ap.add_argument("--json", metavar="PATH", help="write the results as JSON (and markdown beside it)")
    args = ap.parse_args(argv)
    import numba

    meta = {"machine": f"{platform.machine()}, {os.cpu_count()} cores", "python": sys.version.split()[0],
            "numba": numba.__version__}
    meta["compile_seconds"] = warm()
    print(f"warm-up {meta['compile_seconds']:.1f} s", flush=True)
    results = []
    for n in args.n:
        for wl in suite(n):
            if args.only and wl.name.split()[0] not in args.only:
                continue
            print(f"== {wl.name}: n = {wl.n}, {wl.build} arcs + {wl.updates} updates", flush=True)
            res = bench_one(wl, repeat=args.repeat, perturbed=wl.name.split()[0] in args.perturbed_on,
                            plain=not args.no_plain)
            res["ratios"] = ratios(res)
            print("  " + ", ".join(f"{k} {v:.2f}" for k, v in res["ratios"].items()), flush=True)
            results.append(res)
    if args.json:
        p = Path(args.json)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n", encoding="utf-8")
        p.with_suffix(".md").write_text(render(results, meta), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
