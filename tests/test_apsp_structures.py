"""The APSP kernels on their own: undo bit for bit, the log bound, the backstop and offline APSP
against scipy.sparse.csgraph, networkx interop and a weighted real graph."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

import dynalgo
import predictors
from dynalgo import DynamicAPSP, UpdateBatch, offline_apsp
from structures import apsp_dense as dense
from structures import apsp_dynamic as dyn


def scipy_apsp(n: int, arcs: dict[tuple[int, int], float]) -> np.ndarray:
    if not arcs:
        d = np.full((n, n), np.inf)
        np.fill_diagonal(d, 0.0)
        return d
    r, c = zip(*arcs.keys())
    w = np.array(list(arcs.values()))
    G = csr_matrix((np.where(w == 0, 1e-300, w), (np.array(r), np.array(c))), shape=(n, n))
    return shortest_path(G, method="J" if np.any(w < 0) else "D", directed=True)


def random_arcs(rng: np.random.Generator, n: int, m: int, negative: bool) -> dict[tuple[int, int], float]:
    p = rng.integers(0, 10, size=n) if negative else np.zeros(n, dtype=np.int64)
    arcs: dict[tuple[int, int], float] = {}
    while len(arcs) < m:
        a, b = int(rng.integers(n)), int(rng.integers(n))
        if a != b:
            arcs[(a, b)] = float(rng.integers(0, 20) + p[a] - p[b])
    return arcs


@given(n=st.integers(1, 9), m=st.integers(0, 40), seed=st.integers(0, 2**32 - 1), negative=st.booleans())
def test_dense_undo_restores_bit_for_bit(n: int, m: int, seed: int, negative: bool) -> None:
    """Nested marks: undoing to each mark restores every array exactly; the log stays within its bound."""
    rng = np.random.default_rng(seed)
    arcs = list(random_arcs(rng, n, min(m, n * (n - 1)), negative).items())
    depth = 6
    state = dense.make(n, dense.log_capacity(n, depth))
    pay_i = np.array([a for a, _ in arcs], dtype=np.int32).reshape(-1, 2)
    pay_f = np.array([w for _, w in arcs], dtype=np.float64)
    cuts = np.sort(rng.integers(0, len(arcs) + 1, size=depth - 1))
    bounds = [0, *cuts.tolist(), len(arcs)]
    saved = []
    for level in range(depth):
        saved.append((dense.mark(state), [a.copy() for a in state[:4]], int(state.meta[dense.N_ARCS])))
        for i in range(bounds[level], bounds[level + 1]):
            dense.insert(state, pay_i, pay_f, i)
        dense.check(state)
        # at most one distance entry per cell per segment, one arc entry per arc
        assert state.meta[dense.LOG_SIZE] <= (level + 1) * n * n + len(arcs)
    want = scipy_apsp(n, dict(arcs))
    assert np.allclose(np.where(np.isinf(want), 0, state.d), np.where(np.isinf(want), 0, want))
    assert np.array_equal(np.isinf(state.d), np.isinf(want))
    for m_, arrays, narcs in reversed(saved):
        dense.undo_to(state, m_)
        for a, b in zip(state[:3], arrays[:3]):
            assert np.array_equal(a, b)
        assert int(state.meta[dense.N_ARCS]) == narcs
        dense.check(state)
    assert int(state.meta[dense.LOG_SIZE]) == 0


@pytest.mark.parametrize("negative", [False, True])
@pytest.mark.parametrize("n", [dense.BRANCHLESS_MAX_N, dense.BRANCHLESS_MAX_N + 1])
def test_dense_both_relaxation_loops(n: int, negative: bool) -> None:
    """The branch-free (small n) and the branching (large n) relaxation give scipy's distances
    and undo bit for bit."""
    rng = np.random.default_rng(n)
    arcs = list(random_arcs(rng, n, 3 * n, negative).items())
    depth = 3
    state = dense.make(n, dense.log_capacity(n, depth))
    pay_i = np.array([a for a, _ in arcs], dtype=np.int32).reshape(-1, 2)
    pay_f = np.array([w for _, w in arcs], dtype=np.float64)
    bounds = [0, n, 2 * n, len(arcs)]
    saved = []
    for level in range(depth):
        saved.append((dense.mark(state), [a.copy() for a in state[:3]]))
        for i in range(bounds[level], bounds[level + 1]):
            dense.insert(state, pay_i, pay_f, i)
        dense.check(state)
        want = scipy_apsp(n, dict(arcs[: bounds[level + 1]]))
        assert np.array_equal(np.isinf(state.d), np.isinf(want))
        assert np.allclose(np.where(np.isinf(want), 0, state.d), np.where(np.isinf(want), 0, want))
    for m_, arrays in reversed(saved):
        dense.undo_to(state, m_)
        for a, b in zip(state[:3], arrays):
            assert np.array_equal(a, b)
    assert int(state.meta[dense.LOG_SIZE]) == 0


@given(n=st.integers(2, 30), seed=st.integers(0, 2**32 - 1), negative=st.booleans())
def test_backstop_against_scipy(n: int, seed: int, negative: bool) -> None:
    """Random inserts and deletes on the fully dynamic structure; distances equal scipy's."""
    rng = np.random.default_rng(seed)
    pool = random_arcs(rng, n, min(3 * n, n * (n - 1)), negative)
    keys = list(pool)
    state = dyn.make(n)
    present: dict[tuple[int, int], float] = {}
    for step in range(60):
        k = keys[int(rng.integers(len(keys)))]
        if k in present:
            dyn.apply(state, 0, k[0], k[1], 0.0)
            del present[k]
        else:
            dyn.apply(state, 1, k[0], k[1], pool[k])
            present[k] = pool[k]
        if step % 10 == 9:
            want = scipy_apsp(n, present)
            assert np.array_equal(np.isinf(state.d), np.isinf(want))
            fin = np.isfinite(want)
            assert np.allclose(state.d[fin], want[fin], atol=1e-9)
    dyn.check(state)


@given(n=st.integers(2, 10), length=st.integers(1, 60), seed=st.integers(0, 2**32 - 1),
       directed=st.booleans())
def test_offline_against_scipy(n: int, length: int, seed: int, directed: bool) -> None:
    rng = np.random.default_rng(seed)
    present: dict[tuple[int, int], float] = {}
    ops, us, vs, ws = [], [], [], []
    for _ in range(length):
        a, b = int(rng.integers(n)), int(rng.integers(n))
        k = (a, b) if directed else (min(a, b), max(a, b))
        if k in present:
            ops.append(0)
            ws.append(0.0)
            del present[k]
        else:
            w = float(rng.integers(0, 9))
            ops.append(1)
            ws.append(w)
            present[k] = w
        us.append(a)
        vs.append(b)
    batch = UpdateBatch.from_arrays(np.array(ops, np.int8), np.array(us), np.array(vs), np.array(ws))
    days = np.repeat(np.arange(length + 1), n * n)
    xs = np.tile(np.repeat(np.arange(n), n), length + 1)
    ys = np.tile(np.tile(np.arange(n), n), length + 1)
    q = np.stack([days, xs, ys], axis=1)
    got = offline_apsp(n, batch, q, directed=directed).reshape(length + 1, n, n)
    present = {}
    for day in range(length + 1):
        if day:
            o, a, b, w = ops[day - 1], us[day - 1], vs[day - 1], ws[day - 1]
            k = (a, b) if directed else (min(a, b), max(a, b))
            if o == 1:
                present[k] = w
            else:
                del present[k]
        full = dict(present)
        if not directed:
            full.update({(b, a): w for (a, b), w in present.items()})
        full = {k: w for k, w in full.items() if k[0] != k[1]}
        want = scipy_apsp(n, full)
        assert np.array_equal(np.isinf(got[day]), np.isinf(want)), day
        fin = np.isfinite(want)
        assert np.allclose(got[day][fin], want[fin]), day


def test_lifted_exact_matches_offline_and_uses_no_retrigger() -> None:
    rng = np.random.default_rng(5)
    n, T = 40, 600
    present: set[tuple[int, int]] = set()
    ops, us, vs, ws = [], [], [], []
    for _ in range(T):
        a, b = int(rng.integers(n)), int(rng.integers(n))
        ops.append(0 if (a, b) in present else 1)
        present ^= {(a, b)}
        us.append(a)
        vs.append(b)
        ws.append(float(rng.uniform(1, 100)))
    batch = UpdateBatch.from_arrays(np.array(ops, np.int8), np.array(us), np.array(vs), np.array(ws))
    q = np.stack([np.arange(1, T + 1), rng.integers(0, n, T), rng.integers(0, n, T)], axis=1)
    want = offline_apsp(n, batch, q)
    for backstop in (None, "dynamic"):
        g = DynamicAPSP(n, predictors.exact(batch), backstop=backstop)
        got = g.run(batch, q)
        assert np.array_equal(got, want) or np.allclose(got, want)
        assert g.stats.retriggers == 0 and g.stats.unpredicted_inserts == 0
        g.check()


@pytest.mark.parametrize("directed", [True, False])
def test_networkx_round_trip(directed: bool) -> None:
    graph: nx.Graph[int] = nx.gnm_random_graph(25, 70, seed=3, directed=directed)
    rng = np.random.default_rng(0)
    for a, b in graph.edges():
        graph[a][b]["weight"] = float(rng.integers(1, 10))
    g = DynamicAPSP.from_networkx(graph)
    assert g.directed == directed and g.num_arcs == graph.number_of_edges()
    back = g.to_networkx()
    assert back.is_directed() == directed
    assert sorted(back.edges(data="weight")) == sorted(graph.edges(data="weight"))
    lengths = dict(nx.all_pairs_dijkstra_path_length(graph))
    for x in range(25):
        for y in range(25):
            assert g.distance(x, y) == lengths[x].get(y, np.inf)
            p = g.path(x, y)
            if p:
                assert nx.path_weight(graph, p, "weight") == g.distance(x, y)
    g.check()


def test_bitcoin_alpha_subgraph() -> None:
    """A weighted real graph: who-trusts-whom ratings turned into distances (weight 11 - rating)."""
    data = dynalgo.bitcoin_alpha()
    assert data.weight is not None
    keep = np.unique(np.concatenate([data.src[:400], data.dst[:400]]))[:60]
    idx = {int(x): i for i, x in enumerate(keep.tolist())}
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(len(keep)))
    for a, b, r in zip(data.src.tolist(), data.dst.tolist(), data.weight.tolist()):
        if a in idx and b in idx and a != b:
            graph.add_edge(idx[a], idx[b], weight=11.0 - r)
    g = DynamicAPSP.from_networkx(graph)
    lengths = dict(nx.all_pairs_bellman_ford_path_length(graph))
    d = g.distances()
    for x in range(len(keep)):
        for y in range(len(keep)):
            assert d[x, y] == lengths[x].get(y, np.inf)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["exact", "perturbed", "garbage", "none"])
@pytest.mark.parametrize("backstop", [None, "dynamic"])
def test_long_run_against_offline(mode: str, backstop: str | None) -> None:
    """2,000 days on 50 vertices with negative weights (potentials), every answer equal to offline's."""
    rng = np.random.default_rng(11)
    n, T = 50, 2000
    p = rng.integers(0, 30, size=n)
    present: set[tuple[int, int]] = set()
    ops, us, vs, ws = [], [], [], []
    for _ in range(T):
        a, b = int(rng.integers(n)), int(rng.integers(n))
        ops.append(0 if (a, b) in present else 1)
        present ^= {(a, b)}
        us.append(a)
        vs.append(b)
        ws.append(float(rng.integers(0, 50) + p[a] - p[b]))
    batch = UpdateBatch.from_arrays(np.array(ops, np.int8), np.array(us), np.array(vs), np.array(ws))
    q = np.stack([np.arange(1, T + 1), rng.integers(0, n, T), rng.integers(0, n, T)], axis=1)
    want = offline_apsp(n, batch, q)
    preds = {"exact": predictors.exact(batch), "perturbed": predictors.perturbed(batch, 8.0, seed=2),
             "garbage": predictors.garbage(batch, seed=2), "none": None}[mode]
    g = DynamicAPSP(n, preds, backstop=backstop, seed=4)
    got = g.run(batch, q)
    assert np.array_equal(np.isinf(got), np.isinf(want))
    fin = np.isfinite(want)
    assert np.allclose(got[fin], want[fin])
    g.check()
