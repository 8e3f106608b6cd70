"""screen_contingencies and the union-find by size against scipy / brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from dynalgo import InvalidInputError, VertexError, screen_contingencies
from structures import size_dsu as sd


def islanded_scipy(n: int, branches: np.ndarray, out: list[int], reference: int) -> int:
    keep = np.ones(len(branches), dtype=bool)
    keep[out] = False
    b = branches[keep]
    g = coo_matrix((np.ones(len(b)), (b[:, 0], b[:, 1])), shape=(n, n)).tocsr() if len(b) else coo_matrix((n, n)).tocsr()
    _, lab = connected_components(g, directed=False)
    return int(np.count_nonzero(lab != lab[reference]))


@pytest.mark.boundscheck
@given(
    n=st.integers(1, 12), m=st.integers(0, 25), c=st.integers(0, 20), kmax=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1), parallel=st.booleans(),
)
@settings(max_examples=80)
def test_matches_scipy(n: int, m: int, c: int, kmax: int, seed: int, parallel: bool) -> None:
    rng = np.random.default_rng(seed)
    branches = rng.integers(0, n, size=(m, 2))
    if parallel and m >= 2:
        branches[1] = branches[0][::-1]
    ref = int(rng.integers(0, n))
    cont = []
    for _ in range(c if m else 0):
        k = int(rng.integers(1, min(kmax, m) + 1))
        cont.append(tuple(int(x) for x in rng.choice(m, size=k, replace=False)))
    r = screen_contingencies(n, branches, cont, reference=ref, seed=seed)
    want = [islanded_scipy(n, branches, list(o), ref) for o in cont]
    assert r.islanded.tolist() == want
    assert r.base_islanded == islanded_scipy(n, branches, [], ref)
    assert r.splits.tolist() == [w > r.base_islanded for w in want]
    assert r.stats.retriggers == 0, "the sequence is predicted exactly"


def test_input_forms_and_errors() -> None:
    lines = np.array([[0, 1], [1, 2], [2, 0], [2, 3]])
    a = screen_contingencies(4, lines, np.arange(4))
    b = screen_contingencies(4, lines, [[0], [1], [2], [3]])
    c = screen_contingencies(4, lines, np.array([[0, -1], [1, -1], [2, -1], [3, -1]]))
    assert a.islanded.tolist() == b.islanded.tolist() == c.islanded.tolist() == [0, 0, 0, 1]
    assert screen_contingencies(4, lines, [(0, 1)], reference=3).islanded.tolist() == [1]
    assert screen_contingencies(4, lines, []).islanded.shape == (0,)
    with pytest.raises(InvalidInputError):
        screen_contingencies(4, lines, [4])
    with pytest.raises(InvalidInputError):
        screen_contingencies(4, lines, [(1, 1)])
    with pytest.raises(InvalidInputError):
        screen_contingencies(4, lines, [(0.5,)])
    with pytest.raises(InvalidInputError):
        screen_contingencies(4, [[0, 1, 2]], [0])
    with pytest.raises(VertexError):
        screen_contingencies(4, [[0, 4]], [0])
    with pytest.raises(VertexError):
        screen_contingencies(4, lines, [0], reference=7)
    with pytest.raises(InvalidInputError):
        screen_contingencies(0, lines, [0])


@pytest.mark.boundscheck
@given(n=st.integers(1, 16), m=st.integers(0, 40), cut=st.integers(0, 40), seed=st.integers(0, 2**32 - 1))
def test_size_dsu_undo_is_exact(n: int, m: int, cut: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    state = sd.make(n)
    t = tuple(state)
    e = rng.integers(0, n, size=(m, 2))
    cut = min(cut, m)
    for a, b in e[:cut].tolist():
        sd.union(t, a, b)
    snap = state.parent.copy(), state.meta.copy()
    mark = sd.mark(t)
    for a, b in e[cut:].tolist():
        sd.union(t, a, b)
    sd.check(state)
    # sizes are the component sizes of the edges
    roots, size = sd.sizes(state)
    for x in range(n):
        assert int(sd.component_size(t, x)) == int(size[x]) == int(np.count_nonzero(roots == roots[x]))
    sd.undo_to(t, mark)
    assert np.array_equal(state.parent, snap[0]) and np.array_equal(state.meta, snap[1])
    sd.check(state)
