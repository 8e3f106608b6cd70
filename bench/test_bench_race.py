"""pytest-benchmark benchmarks of the backstop race against each side alone.

Run with ``python -m pytest bench/test_bench_race.py -p no:cacheprovider --benchmark-only``.
Workload of ``bench.race``: ``churn(10,000, 20,000, 20,000, seed 1)`` with one query per
day (40,000 days).  Group ``race``: HDT alone, lifted alone (exact), and raced (``r = 1``)
with exact, garbage and no predictions; every contender's answers are checked against
HDT's.  Kernels are compiled by the session fixture before any timing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")

import predictors  # noqa: E402
from bench.workloads import churn, query_per_day  # noqa: E402
from dynalgo import DynamicConnectivity, HDTConnectivity  # noqa: E402

N, M0, UPD = 10_000, 20_000, 20_000


@pytest.fixture(scope="module")
def wl() -> tuple[Any, np.ndarray, np.ndarray]:
    tb = churn(50, 100, 100, seed=7)
    tq = query_per_day(tb, 50, seed=8)
    HDTConnectivity(50).run(tb, tq)
    DynamicConnectivity(50, predictors.exact(tb), backstop=None).run(tb, tq)
    DynamicConnectivity(50, predictors.garbage(tb, seed=1)).run(tb, tq)
    batch = churn(N, M0, UPD, seed=1)
    q = query_per_day(batch, N, seed=4)
    return batch, q, HDTConnectivity(N).run(batch, q)


@pytest.mark.benchmark(group="race")
def test_hdt_alone(benchmark: Any, wl: Any) -> None:
    batch, q, ref = wl
    ans = benchmark.pedantic(lambda: HDTConnectivity(N).run(batch, q), rounds=3, iterations=1)
    assert np.array_equal(ans, ref)


@pytest.mark.benchmark(group="race")
def test_lifted_alone_exact(benchmark: Any, wl: Any) -> None:
    batch, q, ref = wl
    p = predictors.exact(batch)
    ans = benchmark.pedantic(lambda: DynamicConnectivity(N, p, backstop=None).run(batch, q), rounds=3, iterations=1)
    assert np.array_equal(ans, ref)


@pytest.mark.parametrize("mode", ["exact", "garbage", "none"])
@pytest.mark.benchmark(group="race")
def test_raced(benchmark: Any, wl: Any, mode: str) -> None:
    batch, q, ref = wl
    p = {"exact": predictors.exact(batch), "garbage": predictors.garbage(batch, seed=3), "none": None}[mode]
    ans = benchmark.pedantic(lambda: DynamicConnectivity(N, p).run(batch, q), rounds=3, iterations=1)
    assert np.array_equal(ans, ref)
    g = DynamicConnectivity(N, p)
    g.run(batch, q)
    assert g.stats.race is not None
    benchmark.extra_info.update(days_lifted=g.stats.race.days_lifted, days_backstop=g.stats.race.days_backstop)
