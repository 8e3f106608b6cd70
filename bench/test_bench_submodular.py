"""pytest-benchmark benchmarks of dynamic submodular maximization on a sliding window.

Not collected by the default test run.  Run::

    python -m pytest bench/test_bench_submodular.py -p no:cacheprovider --benchmark-only

Workload: CollegeMsg coverage (:func:`bench.submodular.coverage_collegemsg`), a
sliding window of 500 items over the first 2,000 items (3,500 updates),
``k = 50``, ``eps = 0.1``.  One group, ``window``: every contender handles the
whole update sequence, end to end (construction included), through the public
``insert`` / ``delete``; ``benchmark.pedantic`` with a ``setup`` builds a fresh
structure for each round.  Kernels are warmed by a session fixture.  Each
contender's final answer is checked (present items only, value within the
approximation guarantee of the lazy greedy's).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

pytest.importorskip("pytest_benchmark")

import dynalgo  # noqa: E402
from bench.submodular import coverage_collegemsg, warm, window_stream  # noqa: E402

W, ITEMS, K = 500, 2000, 50


@pytest.fixture(scope="session")
def data() -> tuple[dynalgo.Coverage, np.ndarray, np.ndarray, np.ndarray, float]:
    warm()
    f = coverage_collegemsg()
    op, it, pdel = window_stream(ITEMS, W)
    g = dynalgo.LazyGreedy(f, K)
    for d in range(op.shape[0]):
        (g.insert if op[d] else g.delete)(int(it[d]))
    return f, op, it, pdel, g.value()


def _replay(s: Any, op: np.ndarray, it: np.ndarray, pdel: np.ndarray) -> Any:
    for d in range(op.shape[0]):
        if op[d] == 1:
            s.insert(int(it[d]), predicted_deletion=int(pdel[d]) if pdel[d] > 0 else None)
        else:
            s.delete(int(it[d]))
    return s


CONTENDERS: dict[str, Callable[[dynalgo.Objective], Any]] = {
    "lifted-exact": lambda f: dynalgo.DynamicSubmodular(f, K, backstop=None),
    "raced-exact": lambda f: dynalgo.DynamicSubmodular(f, K),
    "raced-no-predictions": lambda f: dynalgo.DynamicSubmodular(f, K),
    "backstop": lambda f: dynalgo.LeveledSubmodular(f, K),
    "sieve-rerun": lambda f: dynalgo.SieveRerun(f, K),
}


@pytest.mark.benchmark(group="window")
@pytest.mark.parametrize("name", list(CONTENDERS))
def test_window(benchmark: Any, data: Any, name: str) -> None:
    f, op, it, pdel, greedy_value = data
    p = np.zeros_like(pdel) if name == "raced-no-predictions" else pdel
    s = benchmark.pedantic(lambda s: _replay(s, op, it, p), setup=lambda: ((CONTENDERS[name](f),), {}),
                           rounds=3, iterations=1)
    present = np.zeros(f.n, dtype=bool)
    for d in range(op.shape[0]):
        present[it[d]] = op[d] == 1
    assert np.all(present[s.solution()])
    assert s.value() >= (0.5 - 0.1) * greedy_value
    benchmark.extra_info.update(updates=int(op.shape[0]), oracle_calls=int(s.stats.oracle_calls),
                                value=s.value(), greedy_value=greedy_value)


@pytest.mark.benchmark(group="window")
def test_lazy_greedy_recompute(benchmark: Any, data: Any) -> None:
    """Lazy greedy recomputed after every update, on the first 500 updates only (it is slow)."""
    f, op, it, pdel, _ = data
    s = benchmark.pedantic(lambda s: _replay(s, op[:500], it[:500], pdel[:500]),
                           setup=lambda: ((dynalgo.LazyGreedy(f, K),), {}), rounds=1, iterations=1)
    benchmark.extra_info.update(updates=500, oracle_calls=int(s.stats.oracle_calls))
