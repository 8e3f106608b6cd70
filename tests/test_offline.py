"""Offline dynamic connectivity (segment tree over time + undo union-find)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.workloads import churn, query_per_day
from dynalgo.errors import (
    DuplicateElementError,
    InvalidInputError,
    MissingElementError,
    QueryError,
    VertexError,
)
from dynalgo.offline import offline_connectivity
from dynalgo.updates import Delete, Insert, UpdateBatch
from structures import offline as so


# ---------------------------------------------------------------------------------
# reference
# ---------------------------------------------------------------------------------
def reference(n: int, batch: UpdateBatch, queries: np.ndarray) -> list[bool]:
    """Replay the batch on a networkx graph and answer each query on its day."""
    g = nx.Graph()
    g.add_nodes_from(range(n))
    out: list[bool] = []
    day = 0
    ups = list(batch)
    for d, a, b in np.asarray(queries).reshape(-1, 3).tolist():
        while day < d:
            up = ups[day]
            if isinstance(up, Insert):
                g.add_edge(up.u, up.v)
            else:
                g.remove_edge(up.u, up.v)
            day += 1
        out.append(bool(nx.has_path(g, a, b)))
    return out


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[int, UpdateBatch, np.ndarray]:
    """A valid sequence on few vertices (self-loops, re-inserts and re-deletes of the
    same edge are frequent) and sorted queries over days 0..T."""
    n = draw(st.integers(1, 7))
    steps = draw(st.integers(0, 40))
    vert = st.integers(0, n - 1)
    present: set[tuple[int, int]] = set()
    ups: list[Insert | Delete] = []
    for _ in range(steps):
        if present and draw(st.integers(0, 2)) == 0:
            a, b = draw(st.sampled_from(sorted(present)))
            if draw(st.booleans()):
                a, b = b, a
        else:
            a, b = draw(vert), draw(vert)
        key = (min(a, b), max(a, b))
        if key in present:
            present.remove(key)
            ups.append(Delete(a, b))
        else:
            present.add(key)
            ups.append(Insert(a, b))
    T = len(ups)
    rows = draw(st.lists(st.tuples(st.integers(0, T), vert, vert), max_size=25))
    rows.append((T, draw(vert), draw(vert)))  # always ask on the last day
    rows.sort(key=lambda r: r[0])
    return n, UpdateBatch.from_updates(ups), np.array(rows, dtype=np.int64).reshape(-1, 3)


# ---------------------------------------------------------------------------------
# correctness against networkx
# ---------------------------------------------------------------------------------
@pytest.mark.boundscheck
@given(scenarios())
def test_matches_networkx(sc: tuple[int, UpdateBatch, np.ndarray]) -> None:
    n, batch, queries = sc
    got = offline_connectivity(n, batch, queries)
    assert got.dtype == np.bool_ and got.shape == (queries.shape[0],)
    assert got.tolist() == reference(n, batch, queries)


@given(scenarios())
def test_kernels_and_layout(sc: tuple[int, UpdateBatch, np.ndarray]) -> None:
    n, batch, queries = sc
    op = np.ascontiguousarray(batch.op)
    u = np.ascontiguousarray(batch.u)
    v = np.ascontiguousarray(batch.v)
    T = len(batch)
    so.check_inputs(n, op, u, v, queries)
    lives = so.edge_lives(op, u, v)
    assert lives.status == so.OK and lives.where == -1
    assert lives.lo.shape[0] == int(np.count_nonzero(op == 1))
    assert np.all(lives.a <= lives.b)
    # a segment tree over every day, and one clipped to an earlier horizon
    for horizon in {T, T // 2}:
        layout = so.segment_layout(horizon, lives)
        so.check_layout(horizon, lives, layout)
    layout = so.segment_layout(T, lives)
    want = reference(n, batch, queries)
    assert so.traverse(n, T, layout, queries).tolist() == want
    assert so.offline_connectivity(n, op, u, v, queries).tolist() == want


def test_day_zero_is_empty_graph() -> None:
    batch = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2)])
    q = [[0, 0, 0], [0, 0, 1], [0, 2, 2], [1, 0, 1], [1, 0, 2], [2, 0, 2]]
    assert offline_connectivity(3, batch, q).tolist() == [True, False, True, True, False, True]


def test_only_day_zero_queries_and_empty_batch() -> None:
    empty = UpdateBatch.from_updates([])
    assert offline_connectivity(2, empty, [[0, 0, 1], [0, 1, 1]]).tolist() == [False, True]
    batch = UpdateBatch.from_updates([Insert(0, 1)])
    assert offline_connectivity(2, batch, [[0, 0, 1]]).tolist() == [False]
    out = offline_connectivity(2, batch, np.zeros((0, 3), dtype=np.int64))
    assert out.dtype == np.bool_ and out.shape == (0,)
    assert offline_connectivity(2, batch, None).shape == (0,)  # type: ignore[arg-type]


def test_self_loops_and_reinsertions() -> None:
    ups: list[Insert | Delete] = [
        Insert(1, 1), Insert(0, 1), Delete(1, 0), Insert(1, 0), Delete(1, 1), Delete(0, 1), Insert(0, 1)
    ]
    batch = UpdateBatch.from_updates(ups)
    q = np.array([[d, 0, 1] for d in range(len(ups) + 1)], dtype=np.int64)
    assert offline_connectivity(2, batch, q).tolist() == [False, False, True, False, True, True, False, True]


def test_single_vertex_and_path_of_many_days() -> None:
    assert offline_connectivity(1, UpdateBatch.from_updates([Insert(0, 0)]), [[1, 0, 0]]).tolist() == [True]
    # a path built then torn down from one end: 2**k +- 1 days exercise the tree padding
    for m in (3, 4, 5, 8, 9, 17):
        ups: list[Insert | Delete] = [Insert(i, i + 1) for i in range(m)]
        ups += [Delete(i, i + 1) for i in range(m)]
        batch = UpdateBatch.from_updates(ups)
        q = np.array([[d, 0, m] for d in range(2 * m + 1)], dtype=np.int64)
        assert offline_connectivity(m + 1, batch, q).tolist() == reference(m + 1, batch, q)


@pytest.mark.boundscheck
def test_churn_against_networkx() -> None:
    n = 60
    batch = churn(n, 80, 400, seed=5)
    rng = np.random.default_rng(0)
    days = np.sort(rng.integers(0, len(batch) + 1, size=150))
    q = np.column_stack([days, rng.integers(0, n, size=(150, 2))]).astype(np.int64)
    assert offline_connectivity(n, batch, q).tolist() == reference(n, batch, q)


# ---------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------
GOOD = UpdateBatch.from_updates([Insert(0, 1), Insert(1, 2), Delete(0, 1)])


@pytest.mark.parametrize("n", [0, -3, 2.5, True, "3", None])
def test_bad_n(n: object) -> None:
    with pytest.raises(InvalidInputError):
        offline_connectivity(n, GOOD, [[0, 0, 0]])  # type: ignore[arg-type]


def test_numpy_integer_n_is_accepted() -> None:
    assert offline_connectivity(np.int64(3), GOOD, [[2, 0, 2]]).tolist() == [True]  # type: ignore[arg-type]


def test_bad_batch() -> None:
    with pytest.raises(InvalidInputError):
        offline_connectivity(3, [Insert(0, 1)], [[0, 0, 0]])  # type: ignore[arg-type]


@pytest.mark.parametrize("edge", [(0, 3), (3, 0), (-1, 0), (0, -5)])
def test_vertex_out_of_range(edge: tuple[int, int]) -> None:
    batch = UpdateBatch.from_updates([Insert(0, 1), Insert(*edge)])
    with pytest.raises(VertexError, match="day 2"):
        offline_connectivity(3, batch, [[0, 0, 0]])
    with pytest.raises(IndexError):
        offline_connectivity(3, batch, [[0, 0, 0]])


def test_duplicate_insert() -> None:
    batch = UpdateBatch.from_updates([Insert(0, 1), Insert(2, 2), Insert(1, 0), Delete(0, 1)])
    with pytest.raises(DuplicateElementError, match=r"day 3: .*\(1, 0\)"):
        offline_connectivity(3, batch, [[0, 0, 0]])
    loop = UpdateBatch.from_updates([Insert(2, 2), Insert(2, 2)])
    with pytest.raises(DuplicateElementError, match="day 2"):
        offline_connectivity(3, loop, [[0, 0, 0]])


def test_missing_delete() -> None:
    batch = UpdateBatch.from_updates([Insert(0, 1), Delete(1, 0), Delete(0, 1)])
    with pytest.raises(MissingElementError, match=r"day 3: .*\(0, 1\)"):
        offline_connectivity(3, batch, [[0, 0, 0]])
    with pytest.raises(MissingElementError, match="day 1"):
        offline_connectivity(3, UpdateBatch.from_updates([Delete(0, 2)]), [[0, 0, 0]])
    with pytest.raises(KeyError):
        offline_connectivity(3, UpdateBatch.from_updates([Delete(0, 2)]), [[0, 0, 0]])


def test_first_error_wins() -> None:
    # the missing delete on day 2 comes before the duplicate insert on day 3
    batch = UpdateBatch.from_updates([Insert(0, 1), Delete(1, 2), Insert(0, 1)])
    with pytest.raises(MissingElementError, match="day 2"):
        offline_connectivity(3, batch, [[0, 0, 0]])


@pytest.mark.parametrize(
    "queries",
    [
        [[4, 0, 1]],  # past the last day
        [[-1, 0, 1]],  # before day 0
        [[2, 0, 1], [1, 0, 1]],  # decreasing days
        [[1, 0, 3]],  # vertex out of range
        [[1, 0]],  # wrong shape
        [[1.0, 0.0, 1.0]],  # not integer
    ],
)
def test_bad_queries(queries: list[list[float]]) -> None:
    with pytest.raises(QueryError):
        offline_connectivity(3, GOOD, queries)


def test_structures_layer_rejects_bad_sequence() -> None:
    op = np.array([1, 1], dtype=np.int8)
    u = np.array([0, 1], dtype=np.int64)
    v = np.array([1, 0], dtype=np.int64)
    lives = so.edge_lives(op, u, v)
    assert (lives.status, lives.where) == (so.DUPLICATE_INSERT, 1)
    with pytest.raises(ValueError, match="day 2"):
        so.offline_connectivity(2, op, u, v, np.array([[0, 0, 0]], dtype=np.int64))
    lives = so.edge_lives(np.array([1, 0, 0], dtype=np.int8), np.array([0, 0, 0]), np.array([1, 1, 1]))
    assert (lives.status, lives.where) == (so.MISSING_DELETE, 2)


# ---------------------------------------------------------------------------------
# the benchmark workload
# ---------------------------------------------------------------------------------
def replay_is_valid(batch: UpdateBatch) -> bool:
    present: set[tuple[int, int]] = set()
    for up in batch:
        key = (min(up.u, up.v), max(up.u, up.v))
        if isinstance(up, Insert):
            if key in present:
                return False
            present.add(key)
        else:
            if key not in present:
                return False
            present.remove(key)
    return True


@pytest.mark.parametrize("n,m0,upd,seed", [(50, 200, 400, 0), (30, 40, 501, 7), (4, 6, 50, 1), (2, 0, 9, 3)])
def test_churn_is_valid(n: int, m0: int, upd: int, seed: int) -> None:
    batch = churn(n, m0, upd, seed=seed)
    assert len(batch) == m0 + upd
    op, u, v = batch.op, batch.u, batch.v
    assert np.all(op[:m0] == 1)
    assert np.all(u != v), "no self-loops"
    assert u.min() >= 0 and v.min() >= 0 and u.max() < n and v.max() < n
    keys = np.minimum(u[:m0], v[:m0]) * n + np.maximum(u[:m0], v[:m0])
    assert np.unique(keys).size == m0, "initial edges are distinct"
    assert replay_is_valid(batch)


def test_churn_counts_and_determinism() -> None:
    batch = churn(1000, 500, 2000, seed=11)
    assert int(np.count_nonzero(batch.op[500:] == 0)) == 1000
    assert int(np.count_nonzero(batch.op[500:] == 1)) == 1000
    again = churn(1000, 500, 2000, seed=11)
    assert np.array_equal(batch.data, again.data)
    assert not np.array_equal(batch.data, churn(1000, 500, 2000, seed=12).data)


def test_churn_rejects_impossible() -> None:
    with pytest.raises(ValueError):
        churn(1, 0, 5)
    with pytest.raises(ValueError):
        churn(4, 7, 5)


def test_query_per_day() -> None:
    batch = churn(20, 10, 30, seed=2)
    q = query_per_day(batch, 20, seed=4)
    assert q.dtype == np.int64 and q.shape == (40, 3)
    assert q[:, 0].tolist() == list(range(1, 41))
    assert q[:, 1:].min() >= 0 and q[:, 1:].max() < 20
    assert np.array_equal(q, query_per_day(batch, 20, seed=4))
    assert offline_connectivity(20, batch, q).tolist() == reference(20, batch, q)
