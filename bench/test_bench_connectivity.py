"""pytest-benchmark benchmarks of dynamic connectivity on a moderate workload.

Not collected by the default test run (``testpaths`` lists tests, dynalgo,
predictors, docs and README.md).  Run::

    python -m pytest bench -p no:cacheprovider --benchmark-only

Workload: ``n = 20,000`` vertices, 40,000 initial edges, then 100,000 churn
updates (half inserts, half deletes) and one connectivity query per day
(140,000 days).  Kernels are compiled by a session fixture before any timing;
``benchmark.pedantic`` with a ``setup`` builds a fresh structure for every round
of the benchmarks that mutate one.  Groups: ``sequence`` (answer every query of
the workload, end to end), ``lifted-construct``, ``lifted-run`` and ``compile``.
Every contender's answers are checked against offline's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")

import predictors  # noqa: E402
from bench.connectivity import make_workload, next_deletion_days, warm_kernels  # noqa: E402
from dynalgo import DynamicConnectivity  # noqa: E402
from dynalgo.offline import offline_connectivity  # noqa: E402

N, INITIAL_EDGES, UPDATES = 20_000, 40_000, 100_000
REPO = Path(__file__).resolve().parents[1]


class Workload:
    def __init__(self) -> None:
        self.batch, self.queries = make_workload(N, INITIAL_EDGES, UPDATES)
        self.ref = offline_connectivity(N, self.batch, self.queries)
        self.days = len(self.batch)


@pytest.fixture(scope="session")
def warm() -> dict[str, float]:
    """Compile every kernel on a tiny workload (not timed by the benchmarks)."""
    return warm_kernels()


@pytest.fixture(scope="session")
def wl(warm: dict[str, float]) -> Workload:
    return Workload()


def _info(benchmark: Any, wl: Workload, g: Any = None, **extra: Any) -> None:
    benchmark.extra_info.update(n=N, initial_edges=INITIAL_EDGES, updates=UPDATES, days=wl.days, **extra)
    if g is not None:
        st = g.stats
        benchmark.extra_info.update(work=int(st.work), windows_entered=st.windows_entered,
                                    base_inserts=st.base_inserts, scan_work=st.scan_work, retriggers=st.retriggers)


# --- sequence: every query of the workload answered, end to end --------------------------
@pytest.mark.benchmark(group="sequence")
def test_offline(benchmark: Any, wl: Workload) -> None:
    ans = benchmark.pedantic(offline_connectivity, args=(N, wl.batch, wl.queries), rounds=10, iterations=1)
    assert np.array_equal(ans, wl.ref)
    _info(benchmark, wl)


def _construct_and_run(preds: Any, wl: Workload, pdel: Any = None) -> tuple[Any, np.ndarray]:
    g = DynamicConnectivity(N, preds, backstop=None)
    if pdel is None:
        return g, g.run(wl.batch, wl.queries)
    return g, g.run(wl.batch, wl.queries, predicted_deletions=pdel)


@pytest.mark.benchmark(group="sequence")
def test_lifted_exact(benchmark: Any, wl: Workload) -> None:
    preds = predictors.exact(wl.batch)
    g, ans = benchmark.pedantic(_construct_and_run, args=(preds, wl), rounds=5, iterations=1)
    assert np.array_equal(ans, wl.ref)
    _info(benchmark, wl, g, l1=0)


@pytest.mark.benchmark(group="sequence")
def test_lifted_perturbed_16(benchmark: Any, wl: Workload) -> None:
    preds = predictors.perturbed(wl.batch, 16.0, seed=3)
    g, ans = benchmark.pedantic(_construct_and_run, args=(preds, wl), rounds=3, iterations=1)
    assert np.array_equal(ans, wl.ref)
    _info(benchmark, wl, g, l1=int(predictors.l1_error(preds, wl.batch)), noise_scale=16)


@pytest.mark.benchmark(group="sequence")
def test_lifted_garbage(benchmark: Any, wl: Workload) -> None:
    """Useless predictions (true events on random days): the robustness case; one round."""
    preds = predictors.garbage(wl.batch, seed=3)
    g, ans = benchmark.pedantic(_construct_and_run, args=(preds, wl), rounds=1, iterations=1)
    assert np.array_equal(ans, wl.ref)
    _info(benchmark, wl, g, l1=int(predictors.l1_error(preds, wl.batch)))


@pytest.mark.benchmark(group="sequence")
def test_predicted_deletions_exact(benchmark: Any, wl: Workload) -> None:
    """No predictions up front; every insertion carries its exact deletion day."""
    pdel = next_deletion_days(wl.batch, N)
    g, ans = benchmark.pedantic(_construct_and_run, args=(None, wl, pdel), rounds=5, iterations=1)
    assert np.array_equal(ans, wl.ref)
    _info(benchmark, wl, g)


# --- the two phases of lifted exact ------------------------------------------------------
@pytest.mark.benchmark(group="lifted-construct")
def test_lifted_exact_construct(benchmark: Any, wl: Workload) -> None:
    preds = predictors.exact(wl.batch)
    g = benchmark.pedantic(lambda: DynamicConnectivity(N, preds, backstop=None), rounds=5, iterations=1)
    assert g.day == 0
    _info(benchmark, wl)


@pytest.mark.benchmark(group="lifted-run")
def test_lifted_exact_run(benchmark: Any, wl: Workload) -> None:
    preds = predictors.exact(wl.batch)
    built: list[Any] = []

    def setup() -> tuple[tuple[Any, ...], dict[str, Any]]:
        g = DynamicConnectivity(N, preds, backstop=None)  # fresh structure for every round: run mutates it
        built.append(g)
        return (wl.batch, wl.queries), {}

    ans = benchmark.pedantic(lambda b, q: built[-1].run(b, q), setup=setup, rounds=5, iterations=1)
    assert np.array_equal(ans, wl.ref)
    _info(benchmark, wl, built[-1])


# --- compile time ------------------------------------------------------------------------
_COLD = textwrap.dedent("""
    import dynalgo, predictors
    from dynalgo.offline import offline_connectivity
    from bench.workloads import churn, query_per_day
    b = churn(60, 80, 300, seed=7)
    q = query_per_day(b, 60)
    ref = offline_connectivity(60, b, q)
    assert (dynalgo.DynamicConnectivity(60, predictors.exact(b), backstop=None).run(b, q) == ref).all()
""")


@pytest.mark.benchmark(group="compile")
def test_compile_time(benchmark: Any) -> None:
    """A fresh interpreter with an empty NUMBA_CACHE_DIR: import + compile + a tiny workload."""
    def cold() -> float:
        with tempfile.TemporaryDirectory(prefix="dynalgo-cold-") as tmp:
            env = dict(os.environ, NUMBA_CACHE_DIR=tmp)
            env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", _COLD], cwd=REPO, env=env, check=True, timeout=900)
            return time.perf_counter() - t0

    wall = benchmark.pedantic(cold, rounds=1, iterations=1)
    benchmark.extra_info["note"] = "fresh subprocess, empty NUMBA_CACHE_DIR, tiny workload (n=60, 380 days)"
    assert wall > 0
