"""Run every benchmark, then redraw every documentation figure.

    python -m bench [--quick] [--only NAME ...]

Each benchmark writes ``bench/results/<name>.json`` and a markdown table
``bench/results/<name>-latest.md``; ``bench.plots`` then redraws the figures of
``docs/pages/img`` from those files.  ``--quick`` passes each script's small or
short options (for checking the pipeline, not for quoting numbers).  The full
run takes about half an hour on a 2-core machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

#: name -> (module, full arguments, quick arguments); each writes bench/results/<name>.json
BENCHMARKS: dict[str, tuple[str, list[str], list[str]]] = {
    "connectivity": ("bench.connectivity", [], ["--small", "--repeat", "1", "--no-memory"]),
    "hdt": ("bench.hdt", [], ["--repeat", "1", "--skip-memory"]),
    "race": ("bench.race", [], ["--small", "--repeat", "1"]),
    "bipartite": ("bench.bipartite", [], ["--small", "--reps", "1"]),
    "contingency": ("bench.contingency", [], ["--synthetic", "--pairs", "500", "--reps", "1"]),
    "apsp": ("bench.apsp", [], ["--small", "--repeat", "1"]),
    "sliding-window": ("bench.sliding_window", [], ["--repeat", "1"]),
    "degradation": ("bench.degradation", [], ["--quick"]),
    "submodular": ("bench.submodular", [], ["--small"]),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small workloads: a check of the pipeline")
    ap.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run these benchmarks only")
    args = ap.parse_args(argv)
    failed = []
    for name in args.only or list(BENCHMARKS):
        module, full, quick = BENCHMARKS[name]
        cmd = [sys.executable, "-m", module, "--json", f"bench/results/{name}.json", *(quick if args.quick else full)]
        print("$", " ".join(cmd[1:]), flush=True)
        if subprocess.run(cmd).returncode != 0:
            failed.append(name)
    subprocess.run([sys.executable, "-m", "bench.plots"], check=False)
    if failed:
        print("failed:", ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
