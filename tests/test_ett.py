"""Euler-tour trees (structures.ett) against a naive forest: a stateful machine.

Vertex ``x`` is node ``x``; edge slot ``k`` owns the arc nodes ``n + 2k``
(``x -> y``) and ``n + 2k + 1`` (``y -> x``).  Every step is followed by
:func:`structures.ett.check` with the arcs the model says exist, which checks
that the in-order sequence of every treap is an Euler tour of a tree, and by a
comparison of components, sizes and flag counts with the model.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from structures import ett

MAX_N = 10


# ---------------------------------------------------------------------------------
# the naive oracle
# ---------------------------------------------------------------------------------
class NaiveForest:
    """A forest as a dict of edges, components by a Python graph search."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.edges: dict[int, tuple[int, int]] = {}  # slot -> (x, y)

    def component(self, x: int) -> set[int]:
        adj: dict[int, list[int]] = {v: [] for v in range(self.n)}
        for a, b in self.edges.values():
            adj[a].append(b)
            adj[b].append(a)
        seen, stack = {x}, [x]
        while stack:
            y = stack.pop()
            for z in adj[y]:
                if z not in seen:
                    seen.add(z)
                    stack.append(z)
        return seen

    def components(self) -> list[set[int]]:
        out: list[set[int]] = []
        done: set[int] = set()
        for x in range(self.n):
            if x not in done:
                c = self.component(x)
                done |= c
                out.append(c)
        return out


# ---------------------------------------------------------------------------------
# the machine
# ---------------------------------------------------------------------------------
class ETTMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.n = 1
        self.model = NaiveForest(1)
        self.s = ett.make(3, np.arange(1), 0)
        self.flags: dict[tuple[int, int], int] = {}  # (node, channel) -> 1

    @initialize(n=st.integers(1, MAX_N), seed=st.integers(0, 2**31 - 1))
    def setup(self, n: int, seed: int) -> None:
        self.n = n
        self.model = NaiveForest(n)
        self.s = ett.make(n + 2 * max(n - 1, 1), np.arange(n), seed)

    # helpers ------------------------------------------------------------------------
    @property
    def t(self) -> tuple[np.ndarray, ...]:
        return tuple(self.s)

    def arcs(self, k: int) -> tuple[int, int]:
        return self.n + 2 * k, self.n + 2 * k + 1

    def free_slot(self) -> int:
        return next(k for k in range(max(self.n - 1, 1)) if k not in self.model.edges)

    def vertices_of_tree(self, node: int) -> set[int]:
        return {x for x in ett.tour(self.s, node) if x < self.n}

    def flagged_nodes(self, k: int) -> list[int]:
        return sorted(x for (x, c) in self.flags if c == k)

    # rules ---------------------------------------------------------------------------
    @rule(data=st.data())
    def link(self, data: st.DataObject) -> None:
        x = data.draw(st.integers(0, self.n - 1), label="x")
        y = data.draw(st.integers(0, self.n - 1), label="y")
        if y in self.model.component(x):
            assert ett.connected(self.t, x, y)
            return
        assert not ett.connected(self.t, x, y)
        k = self.free_slot()
        a, b = self.arcs(k)
        root = ett.link(self.t, x, y, a, b)
        assert ett.find_root(self.t, x) == root
        self.model.edges[k] = (x, y)
        # the tour of a fresh link starts at x and has x -> y right after x's part
        t = ett.tour(self.s, x)
        assert t[0] == x and t[-1] == b

    @precondition(lambda self: bool(self.model.edges))
    @rule(data=st.data())
    def cut(self, data: st.DataObject) -> None:
        k = data.draw(st.sampled_from(sorted(self.model.edges)), label="slot")
        x, y = self.model.edges.pop(k)
        a, b = self.arcs(k)
        for node in (a, b):
            for c in (ett.FLAG_A, ett.FLAG_B):
                if self.flags.pop((node, c), 0):
                    ett.set_own(self.t, node, c, 0)
        if data.draw(st.booleans(), label="swap arcs"):
            a, b = b, a
        r1, r2 = ett.cut(self.t, a, b)
        assert r1 >= 0 and r2 >= 0
        got = {frozenset(self.vertices_of_tree(r1)), frozenset(self.vertices_of_tree(r2))}
        assert got == {frozenset(self.model.component(x)), frozenset(self.model.component(y))}
        for node in (a, b):
            assert self.s.left[node] == self.s.right[node] == self.s.parent[node] == -1

    @rule(data=st.data())
    def reroot(self, data: st.DataObject) -> None:
        x = data.draw(st.integers(0, self.n - 1), label="x")
        r = ett.reroot(self.t, x)
        assert ett.find_root(self.t, x) == r
        assert ett.tour(self.s, x)[0] == x

    @rule(data=st.data(), after=st.booleans())
    def rotate(self, data: st.DataObject, after: bool) -> None:
        """Split a tour at any node (before or after it) and merge back in swapped order."""
        x = data.draw(st.integers(0, self.n - 1), label="x")
        tour = ett.tour(self.s, x)
        node = data.draw(st.sampled_from(tour), label="node")
        a, b = ett.split_after(self.t, node) if after else ett.split_before(self.t, node)
        pos = tour.index(node) + (1 if after else 0)
        if a >= 0:
            assert ett.tour(self.s, a) == tour[:pos]
        if b >= 0:
            assert ett.tour(self.s, b) == tour[pos:]
        r = ett.merge(self.t, b, a)
        assert ett.tour(self.s, r) == tour[pos:] + tour[:pos]

    @rule(data=st.data(), channel=st.sampled_from([ett.FLAG_A, ett.FLAG_B]), val=st.integers(0, 1))
    def set_flag(self, data: st.DataObject, channel: int, val: int) -> None:
        """FLAG_B on vertex nodes, FLAG_A on arc nodes of present edges (as in HDT)."""
        if channel == ett.FLAG_B or not self.model.edges:
            node = data.draw(st.integers(0, self.n - 1), label="vertex")
        else:
            k = data.draw(st.sampled_from(sorted(self.model.edges)), label="slot")
            node = self.arcs(k)[data.draw(st.integers(0, 1), label="arc")]
        ett.set_own(self.t, node, channel, val)
        if val:
            self.flags[(node, channel)] = 1
        else:
            self.flags.pop((node, channel), None)

    @rule(data=st.data(), channel=st.sampled_from([ett.FLAG_A, ett.FLAG_B]))
    def find_flag(self, data: st.DataObject, channel: int) -> None:
        x = data.draw(st.integers(0, self.n - 1), label="x")
        tree = set(ett.tour(self.s, x))
        want = [v for v in self.flagged_nodes(channel) if v in tree]
        got = ett.find_flag(self.t, x, channel)
        if want:
            assert got in want
        else:
            assert got == -1
        assert ett.count(self.t, x, channel) == len(want)

    @rule(data=st.data())
    def query(self, data: st.DataObject) -> None:
        x = data.draw(st.integers(0, self.n - 1), label="x")
        y = data.draw(st.integers(0, self.n - 1), label="y")
        comp = self.model.component(x)
        assert ett.connected(self.t, x, y) == (y in comp)
        assert ett.tree_size(self.t, x) == len(comp)
        assert ett.count(self.t, x, ett.SIZE) == len(comp) + 2 * (len(comp) - 1)

    # invariants ------------------------------------------------------------------------
    @invariant()
    def structure_check(self) -> None:
        n = self.n
        N = self.s.left.shape[0]
        tail = np.full(N, -1, dtype=np.int64)
        head = np.full(N, -1, dtype=np.int64)
        tail[:n] = head[:n] = np.arange(n)
        for k, (x, y) in self.model.edges.items():
            a, b = self.arcs(k)
            tail[a], head[a], tail[b], head[b] = x, y, y, x
        root_of = ett.check(self.s, tail, head)
        # components agree with the model
        for comp in self.model.components():
            assert len({int(root_of[x]) for x in comp}) == 1
        assert len({int(root_of[x]) for x in range(n)}) == len(self.model.components())
        # flag counts per tree agree with the model
        for c in (ett.FLAG_A, ett.FLAG_B):
            for x in range(n):
                r = int(root_of[x])
                want = sum(1 for v in self.flagged_nodes(c) if root_of[v] == r)
                assert self.s.agg[r, c] == want


ETTMachine.TestCase.settings = settings(stateful_step_count=50)
TestETTMachine = pytest.mark.boundscheck(ETTMachine.TestCase)


# ---------------------------------------------------------------------------------
# a long path and a star: deep tours, many splits, no recursion
# ---------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", ["path", "star"])
def test_long_tours(shape: str) -> None:
    n = 3000
    s = ett.make(n + 2 * (n - 1), np.arange(n), seed=5)
    t = tuple(s)
    pairs = [(i, i + 1) if shape == "path" else (0, i + 1) for i in range(n - 1)]
    for k, (x, y) in enumerate(pairs):
        ett.link(t, x, y, n + 2 * k, n + 2 * k + 1)
    assert ett.tree_size(t, 0) == n
    ett.set_own(t, n - 1, ett.FLAG_B, 1)
    assert ett.find_flag(t, 0, ett.FLAG_B) == n - 1
    ett.check(s)
    rng = np.random.default_rng(0)
    cut = rng.choice(n - 1, size=200, replace=False)
    for k in cut.tolist():
        ett.cut(t, n + 2 * k, n + 2 * k + 1)
    ett.check(s)
    assert ett.tree_size(t, 0) + sum(1 for x in range(n) if not ett.connected(t, 0, x)) == n


@settings(max_examples=30)
@given(n=st.integers(2, 40), seed=st.integers(0, 2**31 - 1))
def test_random_forest_builds_and_dismantles(n: int, seed: int) -> None:
    """Random spanning tree linked in random order, then cut in random order."""
    rng = np.random.default_rng(seed)
    s = ett.make(n + 2 * (n - 1), np.arange(n), seed)
    t = tuple(s)
    perm = rng.permutation(n)
    order = rng.permutation(n - 1)
    edges = [(int(perm[i + 1]), int(perm[rng.integers(0, i + 1)])) for i in range(n - 1)]
    for k in order.tolist():
        x, y = edges[k]
        ett.link(t, x, y, n + 2 * k, n + 2 * k + 1)
    assert ett.tree_size(t, 0) == n
    ett.check(s)
    for k in rng.permutation(n - 1).tolist():
        a, b = n + 2 * k, n + 2 * k + 1
        if rng.random() < 0.5:
            a, b = b, a
        ett.cut(t, a, b)
    ett.check(s)
    assert all(ett.tree_size(t, x) == 1 for x in range(n))


def test_grow_keeps_the_forest_and_priorities_depend_only_on_ids() -> None:
    n = 30
    s = ett.make(n + 2 * (n - 1), np.arange(n), seed=9)
    big = ett.make(4 * n, np.arange(n), seed=9)
    assert np.array_equal(big.pri[: s.pri.shape[0]], s.pri)
    assert np.array_equal(ett.priorities(9, 5, 12), s.pri[5:12])
    assert not np.array_equal(ett.priorities(10, 0, n), s.pri[:n])
    assert np.all(s.pri >= 0)
    st_ = tuple(s)
    for x in range(1, 10):
        ett.link(st_, 0, x, n + 2 * (x - 1), n + 2 * (x - 1) + 1)
    before = ett.tour(s, 0)
    g = ett.grow(s, 3 * n + 7, seed=9)
    assert g.left.shape[0] == 3 * n + 7 and ett.grow(g, 10, seed=9) is g
    assert np.array_equal(g.pri, ett.make(3 * n + 7, None, seed=9).pri)
    assert ett.tour(g, 0) == before
    tail = np.full(g.left.shape[0], -1, dtype=np.int64)
    head = np.full(g.left.shape[0], -1, dtype=np.int64)
    tail[:n] = head[:n] = np.arange(n)
    for x in range(1, 10):
        a = n + 2 * (x - 1)
        tail[a], head[a], tail[a + 1], head[a + 1] = 0, x, x, 0
    ett.check(g, tail, head)
