"""Explanatory figures for the docs, drawn from the real partition-tree kernel.

    python -m bench.figures [--out docs/pages/img] [--days 32] [--seed 3]

Writes ``window_expiries.png``: a sliding window as expiries (every message of a
stream is present from its time to its time + W; the edges present at a query
time are exactly the window's), and ``partition_tree.png``: the windows of a random (dyadic) partition tree
over days ``1..T``, the root-to-leaf path of today's day, and the windows a
retrigger enters again when a deletion predicted for a later day happens today.
Needs matplotlib (a benchmark-only dependency).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from structures import partition_tree as pt


def windows(T: int, seed: int) -> list[tuple[int, int, int]]:
    """``(depth, first day, last day)`` of every window of the tree (leaves included)."""
    left = np.full(T + 1, -1, dtype=np.int64)
    right = np.full(T + 1, -1, dtype=np.int64)
    root = pt.build(T, seed, 0, pt.DYADIC, left, right, np.zeros(T + 1, dtype=np.int64))
    out: list[tuple[int, int, int]] = []
    pending = [(root, 1, T, 0)]
    while pending:
        d, a, b, depth = pending.pop()
        out.append((depth, a, b))
        if a == b:
            continue
        pending.append((int(left[d]) if left[d] >= 0 else d, a, d, depth + 1))
        pending.append((int(right[d]) if right[d] >= 0 else d + 1, d + 1, b, depth + 1))
    return out


def partition_tree_figure(out: Path, T: int, seed: int, today: int, predicted: int) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    ws = windows(T, seed)
    on_path = [w for w in ws if w[1] <= today <= w[2]]
    both = [w for w in on_path if w[1] <= predicted <= w[2]]
    lca_depth = max(w[0] for w in both)
    depth_max = max(w[0] for w in ws)
    fig, ax = plt.subplots(figsize=(10, 0.42 * (depth_max + 3)))
    for depth, a, b in ws:
        colour, alpha = "#dddddd", 1.0
        if a <= today <= b:
            colour = "#d62728" if depth > lca_depth else ("#ff7f0e" if depth == lca_depth else "#1f77b4")
        ax.add_patch(Rectangle((a - 0.5, -depth - 0.4), b - a + 1, 0.8, facecolor=colour, edgecolor="white",
                               alpha=alpha, lw=1.5))
    ax.axvline(predicted, color="#2ca02c", ls="--", lw=1.5)
    ax.annotate(f"predicted day {predicted}", (predicted, 0.55), color="#2ca02c", ha="center", fontsize=9)
    ax.annotate(f"today = day {today}: a deletion predicted for day {predicted} happens early",
                (today, -depth_max - 1.05), color="#d62728", ha="center", fontsize=9)
    w = next(x for x in on_path if x[0] == lca_depth)
    ax.annotate("W", ((w[1] + w[2]) / 2, -lca_depth - 0.15), color="white", ha="center", fontsize=9,
                fontweight="bold")
    ax.set_xlim(0.3, T + 0.7)
    ax.set_ylim(-depth_max - 1.4, 1.0)
    ax.set_yticks([-d for d in range(depth_max + 1)], [f"depth {d}" for d in range(depth_max + 1)], fontsize=8)
    ax.set_xticks(range(1, T + 1), [str(d) for d in range(1, T + 1)], fontsize=7)
    ax.set_xlabel("day")
    ax.set_title(
        "Random partition tree over days. Grey: windows. Blue: today's path, kept. Orange: W, the smallest window\n"
        "holding both today and the predicted day, undone to its own state. Red: entered again by the retrigger.",
        fontsize=9,
    )
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "partition_tree.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def window_figure(out: Path, seed: int = 5, W: float = 6.0) -> Path:
    """A stream of messages on a few vertex pairs, each drawn as its life ``[t, t + W)``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    pairs = ["{0,1}", "{1,2}", "{0,3}", "{2,3}", "{3,4}"]
    msgs = sorted((float(t), int(rng.integers(0, len(pairs)))) for t in rng.uniform(0, 20, 14))
    query = 14.0
    fig, ax = plt.subplots(figsize=(8, 3.2))
    for t, p in msgs:
        alive = t <= query < t + W
        ax.plot([t, t + W], [p, p], lw=6, solid_capstyle="butt", alpha=0.75,
                color="tab:blue" if alive else "0.75")
        ax.plot([t], [p], "k|", ms=12)
    ax.axvline(query, color="tab:red", lw=1.5)
    ax.axvspan(query - W, query, color="tab:red", alpha=0.08)
    ax.text(query + 0.2, len(pairs) - 0.4, f"query at t = {query:g}", color="tab:red")
    ax.text(query - W + 0.2, -0.9, "window (t - W, t]", color="tab:red")
    ax.set_yticks(range(len(pairs)), pairs)
    ax.set_ylim(-1.2, len(pairs) - 0.2)
    ax.set_xlabel("time")
    ax.set_title("each message: present from its time (|) until its expiry time + W")
    fig.tight_layout()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "window_expiries.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="docs/pages/img")
    ap.add_argument("--days", type=int, default=32)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--today", type=int, default=11)
    ap.add_argument("--predicted", type=int, default=14)
    args = ap.parse_args()
    print(partition_tree_figure(Path(args.out), args.days, args.seed, args.today, args.predicted))
    print(window_figure(Path(args.out)))


if __name__ == "__main__":
    main()
