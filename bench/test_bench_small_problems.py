"""pytest-benchmark benchmarks of contingency screening and bipartiteness.

Run with ``python -m pytest bench/test_bench_small_problems.py -p no:cacheprovider --benchmark-only``.
Contingencies: N-1 over every branch of a generated 2,869-bus, 4,582-branch grid
(``bench.contingency.synthetic_grid``), dynalgo vs scipy recompute.  Bipartiteness:
``bench.workloads.churn`` on 2,000 vertices (1,000 + 20,000 updates), lifted with exact
predictions.  Kernels are warmed before timing; answers are checked against the peer.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")

import predictors  # noqa: E402
from bench.contingency import scipy_screen, synthetic_grid  # noqa: E402
from bench.workloads import churn  # noqa: E402
from dynalgo import DynamicBipartiteness, screen_contingencies  # noqa: E402

GRID = synthetic_grid(2869, 4582)
N1 = [(j,) for j in range(len(GRID[1]))]


@pytest.fixture(scope="module")
def expected() -> np.ndarray:
    n, b, ref = GRID
    screen_contingencies(4, [[0, 1]], [0])  # warm
    return scipy_screen(n, b, N1[:500], ref)


@pytest.mark.benchmark(group="contingency-N-1")
def test_contingency_dynalgo(benchmark, expected) -> None:  # type: ignore[no-untyped-def]
    n, b, ref = GRID
    rep = benchmark(screen_contingencies, n, b, N1, reference=ref)
    assert np.array_equal(rep.islanded[:500], expected)


@pytest.mark.benchmark(group="contingency-N-1")
def test_contingency_scipy_first_500(benchmark, expected) -> None:  # type: ignore[no-untyped-def]
    n, b, ref = GRID
    out = benchmark.pedantic(scipy_screen, args=(n, b, N1[:500], ref), rounds=1, iterations=1)
    assert np.array_equal(out, expected)


@pytest.mark.benchmark(group="bipartiteness")
def test_bipartiteness_exact(benchmark) -> None:  # type: ignore[no-untyped-def]
    batch = churn(2000, 1000, 20000, seed=5)
    preds = predictors.exact(batch)
    DynamicBipartiteness(10, None).run(churn(10, 4, 10, seed=1))  # warm
    out = benchmark(lambda: DynamicBipartiteness(2000, preds).run(batch))
    assert out.shape == (len(batch),)
