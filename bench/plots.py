"""Plots for the performance page, from the JSON the benchmark scripts write.

    python -m bench.plots [--connectivity bench/results/connectivity.json] [--out docs/pages/img]

Needs matplotlib (a benchmark-only dependency).  Writes ``degradation.png``: wall
time and work of the lifted structure against the l1 error of the predictions
(the degradation curve), with offline and lifted-exact for reference.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--connectivity", default="bench/results/connectivity.json")
    ap.add_argument("--out", default="docs/pages/img")
    args = ap.parse_args()
    res = json.loads(Path(args.connectivity).read_text())
    print(degradation(res, Path(args.out)))


if __name__ == "__main__":
    main()
