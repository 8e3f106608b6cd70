"""Slow, obviously correct oracles for the tests.

Nothing here imports the compiled kernels of the library: connectivity is
answered by networkx on a plain set of edges, the partition tree is walked
with a Python stack, and the nearest free day is found by scanning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import networkx as nx
import numpy as np
from numpy.typing import NDArray

Edge = tuple[int, int]
#: one update: (op, u, v) with op 1 = insert, 0 = delete
Event = tuple[int, int, int]


def norm(u: int, v: int) -> Edge:
    """The canonical key of the undirected edge {u, v}."""
    return (u, v) if u <= v else (v, u)


# ---------------------------------------------------------------------------------
# connectivity
# ---------------------------------------------------------------------------------
@dataclass
class NaiveGraph:
    """A set of undirected edges on vertices ``0..n-1`` (self-loops allowed)."""

    n: int
    edges: set[Edge] = field(default_factory=set)

    def insert(self, u: int, v: int) -> None:
        e = norm(u, v)
        assert e not in self.edges, f"oracle: duplicate insert {e}"
        self.edges.add(e)

    def delete(self, u: int, v: int) -> None:
        e = norm(u, v)
        assert e in self.edges, f"oracle: delete of absent {e}"
        self.edges.remove(e)

    def apply(self, op: int, u: int, v: int) -> None:
        if op == 1:
            self.insert(u, v)
        else:
            self.delete(u, v)

    def has_edge(self, u: int, v: int) -> bool:
        return norm(u, v) in self.edges

    def valid(self, op: int, u: int, v: int) -> bool:
        """Whether the update is legal in the current state."""
        return (norm(u, v) in self.edges) != (op == 1)

    def graph(self) -> "nx.Graph[int]":
        g: nx.Graph[int] = nx.Graph()
        g.add_nodes_from(range(self.n))
        g.add_edges_from(self.edges)
        return g

    def connected(self, u: int, v: int) -> bool:
        return bool(nx.has_path(self.graph(), u, v))

    @property
    def num_components(self) -> int:
        return int(nx.number_connected_components(self.graph()))

    @property
    def num_edges(self) -> int:
        return len(self.edges)

    def component_labels(self) -> list[int]:
        """``labels[x]`` = smallest vertex of x's component."""
        lab = list(range(self.n))
        for comp in nx.connected_components(self.graph()):
            m = min(comp)
            for x in comp:
                lab[x] = m
        return lab

    def sorted_edges(self) -> list[Edge]:
        return sorted(self.edges)


def replay_answers(
    n: int,
    events: Sequence[Event],
    queries: Iterable[Sequence[int]],
    start: Iterable[Edge] = (),
) -> list[bool]:
    """Answer ``(day, u, v)`` queries (days relative to ``events``, 0 = before the
    first event, non-decreasing) by replaying the events on a :class:`NaiveGraph`
    that starts with the edges ``start``."""
    g = NaiveGraph(n, {norm(a, b) for a, b in start})
    out: list[bool] = []
    day = 0
    labels = g.component_labels()
    for d, a, b in queries:
        if d != day:
            while day < d:
                g.apply(*events[day])
                day += 1
            labels = g.component_labels()
        out.append(labels[a] == labels[b])
    return out


# ---------------------------------------------------------------------------------
# random valid update sequences
# ---------------------------------------------------------------------------------
def random_events(
    rng: np.random.Generator,
    n: int,
    length: int,
    start: Iterable[Edge] = (),
    *,
    p_insert: float = 0.55,
    hot: int = 0,
) -> list[Event]:
    """A valid sequence of ``length`` updates on ``n`` vertices from the edge set ``start``.

    Self-loops are allowed.  With ``hot > 0`` a small pool of ``hot`` edges is
    used half of the time, so the same edge is inserted and deleted many times.
    """
    present = {norm(a, b) for a, b in start}
    pool = [norm(int(a), int(b)) for a, b in rng.integers(0, n, size=(max(hot, 0), 2))]
    out: list[Event] = []
    for _ in range(length):
        if pool and rng.random() < 0.5:
            e = pool[int(rng.integers(len(pool)))]
            op = 0 if e in present else 1
        elif present and (rng.random() >= p_insert or len(present) >= n * (n + 1) // 2):
            srt = sorted(present)
            e = srt[int(rng.integers(len(srt)))]
            op = 0
        else:
            e = norm(int(rng.integers(n)), int(rng.integers(n)))
            op = 0 if e in present else 1
        if op == 1:
            present.add(e)
        else:
            present.remove(e)
        out.append((op, e[0], e[1]))
    return out


def events_arrays(events: Sequence[Event]) -> tuple[NDArray[np.int8], NDArray[np.int64], NDArray[np.int64]]:
    """``(op, u, v)`` arrays of an event list."""
    if not events:
        return np.zeros(0, np.int8), np.zeros(0, np.int64), np.zeros(0, np.int64)
    a = np.asarray(events, dtype=np.int64).reshape(-1, 3)
    return a[:, 0].astype(np.int8), a[:, 1].copy(), a[:, 2].copy()


# ---------------------------------------------------------------------------------
# partition tree
# ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Window:
    a: int
    b: int
    depth: int
    node: int  # divider splitting the window (-1 for a leaf)


def windows(root: int, left: NDArray[np.int64], right: NDArray[np.int64], T: int) -> Iterator[Window]:
    """Every window of the tree over days ``1..T``, by an explicit-stack walk."""
    stack: list[Window] = [Window(1, T, 0, int(root) if T > 1 else -1)]
    while stack:
        w = stack.pop()
        yield w
        if w.a == w.b:
            continue
        d = w.node
        assert w.a <= d < w.b, f"divider {d} outside window [{w.a}, {w.b}]"
        stack.append(Window(w.a, d, w.depth + 1, int(left[d]) if d > w.a else -1))
        stack.append(Window(d + 1, w.b, w.depth + 1, int(right[d]) if w.b > d + 1 else -1))


def naive_lca(all_windows: Sequence[Window], t1: int, t2: int) -> tuple[int, int]:
    """(depth, size) of the smallest window containing days ``t1 <= t2``."""
    best = min((w for w in all_windows if w.a <= t1 and t2 <= w.b), key=lambda w: w.b - w.a)
    return best.depth, best.b - best.a + 1


# ---------------------------------------------------------------------------------
# schedule
# ---------------------------------------------------------------------------------
def nearest_free(free: NDArray[np.bool_], H: int, p: int, lo: int) -> tuple[int, int | None]:
    """Nearest free day at or right of ``max(p, lo)`` (``H + 1`` if none) and nearest
    free day left of it but ``>= max(lo, 1)`` (None if none), by scanning ``free[1..H]``."""
    p = max(p, lo)
    r = next((d for d in range(p, H + 1) if free[d]), H + 1)
    l = next((d for d in range(p - 1, max(lo, 1) - 1, -1) if free[d]), None)
    return r, l


def deterministic_choice(free: NDArray[np.bool_], H: int, p: int, lo: int) -> int:
    """The documented deterministic rule: ``p`` if free, else the nearer free day (ties right)."""
    p = max(p, lo)
    if p > H:
        return p
    r, l = nearest_free(free, H, p, lo)
    if r == p:
        return p
    if l is None:
        return r
    if r > H:
        return l
    return l if p - l < r - p else r
