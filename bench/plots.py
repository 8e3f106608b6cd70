"""Every figure of the documentation, from the JSON the benchmark scripts write.

    python -m bench.plots [--results bench/results] [--out docs/pages/img]

Needs matplotlib (a benchmark-only dependency).  Writes, for each benchmark JSON
present in ``--results``:

* ``degradation.png`` (from ``connectivity.json``, written by
  ``python -m bench.connectivity --json bench/results/connectivity.json``): wall
  time and work of the lifted structure against the l1 error of the predictions
  (the degradation curve), with offline for reference;

and always ``partition_tree.png`` (:mod:`bench.figures`, from the tree kernel).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def degradation(res: dict[str, Any], out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = [p for p in res["sweep"] if p.get("complete")]
    partial = [p for p in res["sweep"] if not p.get("complete")]
    l1 = [max(p["l1_per_update"], 1e-2) for p in pts]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(l1, [p["run_seconds"] for p in pts], "o-", label="lifted, perturbed predictions")
    for k, p in enumerate(partial):
        est = p.get("run_seconds_extrapolated")
        if est:
            ax1.plot([p["l1_per_update"]], [est], "o", mfc="none", color="C0",
                     label="extrapolated from a partial run" if k == 0 else None)
    ax1.axhline(res["offline"]["seconds"], color="C2", ls="--", label="offline D&C")
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_xlabel("l1 error per update (days; exact predictions drawn at 0.01)")
    ax1.set_ylabel("run time (s)")
    ax1.legend(fontsize=8)
    ax2.plot(l1, [p["work"] for p in pts], "o-", color="C1")
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("l1 error per update (days)")
    ax2.set_ylabel("work (base operations + scanned slots)")
    w = res["workload"]
    fig.suptitle(f"Dynamic connectivity, n = {w.get('n', '?'):,}, {w.get('days', '?'):,} days: "
                 "time and work vs prediction error", fontsize=10)
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "degradation.png"
    fig.savefig(path, dpi=110)
    return path


def sweep_plot(res: dict[str, Any], out: Path, name: str, title: str, work_label: str = "work") -> Path:
    """Time and work against l1 error per update from a ``sweep`` list of
    ``{"l1_per_update", "seconds", "work"}`` points (the format of the newer benchmarks)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = sorted(res["sweep"], key=lambda p: p["l1_per_update"])
    l1 = [max(p["l1_per_update"], 1e-2) for p in pts]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(l1, [p["seconds"] for p in pts], "o-", label="lifted, perturbed predictions")
    for label, sec in res.get("reference_lines", {}).items():
        ax1.axhline(sec, ls="--", color="grey")
        ax1.annotate(label, (l1[0], sec), fontsize=8, va="bottom")
    ax1.set_xscale("log")
    ax1.set_yscale("log")
    ax1.set_xlabel("l1 error per update (days; exact predictions drawn at 0.01)")
    ax1.set_ylabel("time (s)")
    ax1.legend(fontsize=8)
    ax2.plot(l1, [p["work"] for p in pts], "o-", color="C1")
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("l1 error per update (days)")
    ax2.set_ylabel(work_label)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def bipartite(res: dict[str, Any], out: Path) -> Path:
    w = res["workload"]
    res = dict(res, reference_lines={
        "no predictions": res["rows"]["none"]["seconds"],
        "networkx recompute (extrapolated)": res["rows"]["networkx recompute"]["seconds"],
    })
    return sweep_plot(res, out, "degradation_bipartite.png",
                      f"Dynamic bipartiteness, n = {w['n']:,}, {w['days']:,} days: time and work vs prediction error")


def other_problems(res: dict[str, Any], out: Path) -> str:
    """``degradation_submodular.png`` and ``degradation_apsp.png`` from ``bench.degradation``."""
    paths = []
    if "submodular" in res:
        w = res["submodular"]["workload"]
        paths.append(sweep_plot(res["submodular"], out, "degradation_submodular.png",
                                f"Submodular (coverage, CollegeMsg activities), window {w['window']:,}, k = {w['k']}, "
                                f"{w['days']:,} days: lifted alone vs prediction error", "oracle calls"))
    if "apsp" in res:
        w = res["apsp"]["workload"]
        paths.append(sweep_plot(res["apsp"], out, "degradation_apsp.png",
                                f"Dynamic APSP, n = {w['n']:,}, {w['days']:,} days: lifted alone vs prediction error"))
    return ", ".join(str(p) for p in paths)


PLOTS: dict[str, Any] = {"connectivity.json": degradation, "bipartite.json": bipartite, "degradation.json": other_problems}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--results", default="bench/results")
    ap.add_argument("--out", default="docs/pages/img")
    args = ap.parse_args()
    from bench.figures import partition_tree_figure

    out = Path(args.out)
    results = Path(args.results)
    print(partition_tree_figure(out, 32, 3, 11, 14))
    for name, fn in PLOTS.items():
        path = results / name
        if path.exists():
            print(fn(json.loads(path.read_text()), out))
        else:
            print(f"{path} not found: run its benchmark with --json first")


if __name__ == "__main__":
    main()
