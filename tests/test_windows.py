"""Sliding windows: answers after every slide equal a naive recomputation per window."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynalgo import InvalidInputError, TimelineError, VertexError
from dynalgo.windows import window_bipartiteness, window_connectivity


def _naive(n, u, v, t, ends, R, pairs):
    conn, bip = [], []
    for b in ends:
        inside = (t > b - R) & (t <= b)
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(zip(u[inside].tolist(), v[inside].tolist()))
        conn.append([nx.has_path(G, int(x), int(y)) for x, y in pairs])
        bip.append(nx.is_bipartite(G))
    return np.array(conn, dtype=bool).reshape(len(ends), len(pairs)), np.array(bip, dtype=bool)


@pytest.mark.boundscheck
@settings(max_examples=50)
@given(
    n=st.integers(2, 8),
    m=st.integers(0, 50),
    R=st.integers(1, 12),
    ratio=st.integers(1, 12),
    gaps=st.integers(0, 6),
    nchunks=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_windows_match_naive(n: int, m: int, R: int, ratio: int, gaps: int, nchunks: int, seed: int) -> None:
    S = max(1, R // ratio)  # from slide == range down to slide 1; range need not be a multiple
    rng = np.random.default_rng(seed)
    # several edges per timestamp, and empty stretches (gaps) longer than a slide
    t = np.sort(rng.integers(0, 20 + 10 * gaps, m)).astype(np.int64)
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    pairs = rng.integers(0, n, (3, 2))
    cuts = np.sort(rng.integers(0, m + 1, nchunks - 1)) if m else np.zeros(0, dtype=int)
    bounds = [0, *cuts.tolist(), m]
    chunks = [(u[a:b], v[a:b], t[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    ends, ans = window_connectivity(n, chunks, range=R, slide=S, pairs=pairs)
    ends2, bans = window_bipartiteness(n, (u, v, t), range=R, slide=S)
    assert np.array_equal(ends, ends2)
    if m == 0:
        assert ends.size == 0
        return
    # slide ends: every S from the first edge's time - 1, up to the first at or after the last edge
    first = int(t[0]) - 1
    expect_ends = np.arange(first + S, int(t[-1]) + S, S)
    expect_ends = expect_ends[: int(np.searchsorted(expect_ends, int(t[-1]), side="left")) + 1]
    assert ends.tolist() == expect_ends.tolist()
    conn, bip = _naive(n, u, v, t, ends, R, pairs)
    assert np.array_equal(ans, conn)
    assert np.array_equal(bans, bip)


def test_bad_windows() -> None:
    s = ([0, 1], [1, 2], [1, 2])
    for kw, err in [
        ({"range": 0, "slide": 1}, TimelineError),
        ({"range": 3, "slide": 0}, TimelineError),
        ({"range": 3, "slide": 4}, TimelineError),
        ({"range": 3.0, "slide": 1}, TimelineError),
        ({"range": 3, "slide": True}, TimelineError),
    ]:
        with pytest.raises(err):
            window_connectivity(3, s, pairs=[[0, 1]], **kw)
    with pytest.raises(TimelineError):
        window_connectivity(3, ([0, 1], [1, 2], [2, 1]), range=3, slide=1, pairs=[[0, 1]])
    with pytest.raises(TimelineError):
        window_connectivity(3, [([0], [1], [5]), ([1], [2], [3])], range=3, slide=1, pairs=[[0, 1]])
    with pytest.raises(TimelineError):
        window_connectivity(3, ([0], [1], [1.5]), range=3, slide=1, pairs=[[0, 1]])
    with pytest.raises(VertexError):
        window_connectivity(3, ([0], [3], [1]), range=3, slide=1, pairs=[[0, 1]])
    with pytest.raises(InvalidInputError):
        window_connectivity(3, s, range=3, slide=1, pairs=[0, 1])
    with pytest.raises(TimelineError):
        window_connectivity(3, s, range=3, slide=1, pairs=[[0, 1]], start=1)  # first edge not after start
