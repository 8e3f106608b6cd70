"""The light mode of DynamicAPSP (``paths=False``, float32 or float64 distances) against scipy.

A state machine drives light structures (float32 and float64) and a default one
with the same updates, batches with predictions included, and compares every
distance with scipy's shortest paths of the present arcs; the benchmark
workloads are replayed in batches; bad input raises typed errors.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from scipy.sparse.csgraph import csgraph_from_dense, shortest_path

import predictors
from bench.apsp_workloads import hub_failures, random_churn, road_closures
from dynalgo import DynamicAPSP, UpdateBatch, offline_apsp
from dynalgo.apsp import PathsUnavailableError
from dynalgo.errors import DynalgoError, InvalidInputError


def _scipy(n: int, arcs: dict[tuple[int, int], float]) -> np.ndarray:
    W = np.full((n, n), np.inf)
    for (a, b), w in arcs.items():
        W[a, b] = w
    return shortest_path(csgraph_from_dense(W, null_value=np.inf), method="D", directed=True)


class LightMachine(RuleBasedStateMachine):
    """Integer weights in [0, 60): exact in float32 for n <= 12 (q <= 1), so every distance must
    equal scipy's and the default structure's bit for bit."""

    @initialize(n=st.integers(2, 12), seed=st.integers(0, 3))
    def setup(self, n: int, seed: int) -> None:
        self.n = n
        self.arcs: dict[tuple[int, int], float] = {}
        self.g32 = DynamicAPSP(n, paths=False, dtype=np.float32, seed=seed)
        self.g64 = DynamicAPSP(n, paths=False, backstop=None, seed=seed)
        self.ref = DynamicAPSP(n, seed=seed)
        self.all = (self.g32, self.g64, self.ref)

    @rule(a=st.integers(0, 11), b=st.integers(0, 11), w=st.integers(0, 59))
    def toggle(self, a: int, b: int, w: int) -> None:
        a, b = a % self.n, b % self.n
        if (a, b) in self.arcs:
            del self.arcs[(a, b)]
            for g in self.all:
                g.delete(a, b)
        else:
            self.arcs[(a, b)] = float(w)
            for g in self.all:
                g.insert(a, b, float(w))

    @rule(k=st.integers(1, 25), seed=st.integers(0, 1000), noise=st.sampled_from([0.0, 4.0]))
    def batch(self, k: int, seed: int, noise: float) -> None:
        rng = np.random.default_rng(seed)
        arcs = dict(self.arcs)
        ops, us, vs, ws = [], [], [], []
        for _ in range(k):
            a, b = (int(x) for x in rng.integers(0, self.n, 2))
            if (a, b) in arcs:
                del arcs[(a, b)]
                ops.append(0)
                ws.append(0.0)
            else:
                arcs[(a, b)] = float(rng.integers(0, 60))
                ops.append(1)
                ws.append(arcs[(a, b)])
            us.append(a)
            vs.append(b)
        batch = UpdateBatch.from_arrays(ops, us, vs, ws)
        q = np.stack([np.arange(1, k + 1), rng.integers(0, self.n, k), rng.integers(0, self.n, k)], axis=1)
        answers = [g.run(batch, q) for g in self.all]
        assert np.array_equal(answers[0], answers[2]) and np.array_equal(answers[1], answers[2])
        self.arcs = arcs

    @invariant()
    def distances_equal_scipy(self) -> None:
        if not hasattr(self, "g32"):
            return
        want = _scipy(self.n, self.arcs)
        for g in self.all:
            assert np.array_equal(g.distances().astype(np.float64), want)
            assert g.num_arcs == len(self.arcs)

    @invariant()
    def invariants(self) -> None:
        if hasattr(self, "g32"):
            self.g32.check()
            self.g64.check()


LightMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=30, deadline=None)
test_light_machine = pytest.mark.boundscheck(LightMachine.TestCase)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode", ["exact", "perturbed", "none"])
def test_light_on_the_benchmark_workloads(dtype: type, mode: str) -> None:
    for wl in (road_closures(4, 6, 80, duration=8, seed=2), hub_failures(30, 4, 80, duration=6, seed=4),
               random_churn(20, 60, 80, seed=5)):
        b = wl.batch
        preds = {"exact": predictors.exact(b), "perturbed": predictors.perturbed(b, 16.0, seed=3), "none": None}[mode]
        g = DynamicAPSP(wl.n, preds, paths=False, dtype=dtype)
        got = g.run(b, wl.queries)
        assert np.array_equal(got, offline_apsp(wl.n, b, wl.queries))
        g.check()


def test_float32_grid_contract_with_real_weights() -> None:
    """Real weights: rounded to the float32 grid, every distance within error_bound of scipy's on the
    weights as given (float64)."""
    rng = np.random.default_rng(11)
    n = 40
    g = DynamicAPSP(n, paths=False, dtype=np.float32)
    arcs: dict[tuple[int, int], float] = {}
    for _ in range(400):
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if (a, b) in arcs:
            del arcs[(a, b)]
            g.delete(a, b)
        else:
            arcs[(a, b)] = float(rng.uniform(0.1, 1000.0))
            g.insert(a, b, arcs[(a, b)])
    want = _scipy(n, arcs)
    got = g.distances().astype(np.float64)
    fin = np.isfinite(want)
    assert np.array_equal(fin, np.isfinite(got))
    assert np.max(np.abs(got[fin] - want[fin])) <= g.error_bound
    # the first weight (in [256, 512)) sets E = 9 + 4 head-room bits, which the later ones never pass;
    # 2^L >= 8 n = 320 gives L = 9
    assert g.quantum == 2.0 ** (13 + 9 - 24)
    g.check()


def test_light_mode_errors() -> None:
    g = DynamicAPSP(4, paths=False, dtype=np.float32)
    g.insert(0, 1, 2.0)
    with pytest.raises(PathsUnavailableError) as exc:
        g.path(0, 1)
    assert isinstance(exc.value, DynalgoError) and isinstance(exc.value, LookupError)
    with pytest.raises(InvalidInputError, match="non-negative"):
        g.insert(1, 2, -1.0)
    with pytest.raises(InvalidInputError, match="non-negative"):
        g.run(UpdateBatch.from_arrays([1], [2], [3], [-0.5]))
    with pytest.raises(InvalidInputError, match="non-negative"):
        g.set_weight(0, 1, -3.0)
    assert g.weight(0, 1) == 2.0 and g.day == 1
    with pytest.raises(InvalidInputError, match="paths=False"):
        DynamicAPSP(4, dtype=np.float32)
    with pytest.raises(InvalidInputError, match="light mode"):
        DynamicAPSP(4, paths=False, backstop="dynamic")
    with pytest.raises(InvalidInputError, match="dtype"):
        DynamicAPSP(4, paths=False, dtype=np.int32)
    with pytest.raises(InvalidInputError, match="dtype"):
        DynamicAPSP(4, paths=False, dtype="not a type")
    with pytest.raises(InvalidInputError, match="paths"):
        DynamicAPSP(4, paths=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="too large"):
        g.insert(2, 3, 1e300)
    assert g.max_weight == 2.0 ** (126 - 5)  # 2^L >= 8 n = 32
    h = DynamicAPSP(4, paths=False)
    assert h.dtype == np.float64 and not h.paths and h.stats.race is None


def test_light_memory_budget() -> None:
    assert DynamicAPSP.bytes_per_cell(paths=False, dtype=np.float32) == 40.0
    assert DynamicAPSP.bytes_per_cell(paths=False, dtype=np.float64) == 60.0
    assert DynamicAPSP.bytes_per_cell() == 128.0
    g = DynamicAPSP(100, paths=False, dtype=np.float32)
    st = g._dense_state()
    assert st.d.dtype == np.float32 and st.lval.dtype == np.float32 and st.lcell.dtype == np.int32
    assert st.d.nbytes + st.stamp.nbytes == 8 * 100 * 100
