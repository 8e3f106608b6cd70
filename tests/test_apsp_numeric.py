"""The numeric contract of DynamicAPSP and offline_apsp with real-valued weights.

Weights are rounded to a grid on which every sum is exact, so the structures
compute in exact arithmetic; a cycle counts as negative only below
``-(n + 1024) q`` (``q``: the grid spacing), and an arc that closes a cycle of
grid weight between that and 0 is bumped to make it weigh 0 (see
``DynamicAPSP.quantum``).  The oracle here works in exact rationals
(``fractions.Fraction``) on the weights as given:

* an insertion whose exact cycle is >= 0 is accepted, one below ``-grey`` is
  rejected (``grey``: the band plus the rounding of the path);
* reachability is exact;
* every distance is within ``error_bound`` of the exact one;
* every path is simple, made of present arcs, and weighs its distance within ``error_bound``;
* ``check()`` holds after every step.

Two weight generators: ``c + p[u] - p[v]`` with ``c >= 0`` often 0 and real
potentials ``p`` (every cycle is >= 0 in real arithmetic, zero cycles are
common), and plain random reals of both signs (many negative cycles).
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from dynalgo import (
    DynamicAPSP,
    Insert,
    InvalidInputError,
    NegativeCycleError,
    UpdateBatch,
    offline_apsp,
)
from structures import apsp_dense

Arc = tuple[int, int]


# ---------------------------------------------------------------------------------
# the exact oracle
# ---------------------------------------------------------------------------------
def exact_distances(n: int, arcs: dict[Arc, float]) -> list[list[Fraction | None]]:
    """Floyd-Warshall over Fractions (None: unreachable)."""
    d: list[list[Fraction | None]] = [[Fraction(0) if x == y else None for y in range(n)] for x in range(n)]
    for (a, b), w in arcs.items():
        if a != b:
            fw = Fraction(w)
            cur = d[a][b]
            if cur is None or fw < cur:
                d[a][b] = fw
    for k in range(n):
        dk = d[k]
        for i in range(n):
            dik = d[i][k]
            if dik is None:
                continue
            di = d[i]
            for j in range(n):
                dkj = dk[j]
                if dkj is not None:
                    c = dik + dkj
                    if di[j] is None or c < di[j]:  # type: ignore[operator]
                        di[j] = c
    return d


def cycle_weight(d: list[list[Fraction | None]], u: int, v: int, w: float) -> Fraction | None:
    """Exact weight of the lightest cycle the arc (u, v, w) would close (None: none)."""
    back = Fraction(0) if u == v else d[v][u]
    return None if back is None else back + Fraction(w)


def grey(g: DynamicAPSP) -> Fraction:
    """How negative an accepted cycle may be in exact arithmetic: the band plus the rounding."""
    q = g.quantum
    return Fraction(apsp_dense.cycle_band(g._exp, g.n) if q > 0 else 0.0) + Fraction(g.error_bound) + Fraction(q)


def assert_matches(g: DynamicAPSP, arcs: dict[Arc, float], slack: float = 0.0) -> None:
    """Reachability exact, distances and path weights within the error bound, paths valid."""
    n = g.n
    d = exact_distances(n, arcs)
    got = g.distances()
    tol = Fraction(g.error_bound + slack)
    for x in range(n):
        for y in range(n):
            want = d[x][y]
            p = g.path(x, y)
            if want is None:
                assert got[x, y] == np.inf and p == [], (x, y, got[x, y], p)
                continue
            assert np.isfinite(got[x, y]), (x, y)
            assert abs(Fraction(float(got[x, y])) - want) <= tol, (x, y, float(got[x, y]), float(want), float(tol))
            assert p[0] == x and p[-1] == y and len(set(p)) == len(p), (x, y, p)
            assert all((a, b) in arcs for a, b in zip(p, p[1:])), (x, y, p)
            length = sum((Fraction(arcs[a, b]) for a, b in zip(p, p[1:])), Fraction(0))
            assert abs(length - Fraction(float(got[x, y]))) <= tol, (x, y, p)


def potential_weight(rng: np.random.Generator, p: np.ndarray, u: int, v: int) -> float:
    c = 0.0 if rng.random() < 0.6 else float(rng.exponential(3.0))
    return float(c + p[u] - p[v])


def random_weight(rng: np.random.Generator) -> float:
    return float(rng.uniform(-10.0, 20.0)) * float(10.0 ** rng.integers(-3, 2))


# ---------------------------------------------------------------------------------
# the state machine
# ---------------------------------------------------------------------------------
class RealWeightMachine(RuleBasedStateMachine):
    """Insertions (single and batched), deletions and weight changes with real weights."""

    def __init__(self) -> None:
        super().__init__()
        self.g: DynamicAPSP | None = None
        self.arcs: dict[Arc, float] = {}
        self.rng = np.random.default_rng(0)
        self.p = np.zeros(1)
        self.mode = "potential"
        self.grey = False  # an accepted cycle was negative in exact arithmetic

    @initialize(n=st.integers(2, 6), seed=st.integers(0, 2**32 - 1),
                mode=st.sampled_from(["potential", "random"]), backstop=st.sampled_from([None, "dynamic"]))
    def setup(self, n: int, seed: int, mode: str, backstop: str | None) -> None:
        self.rng = np.random.default_rng(seed)
        self.p = self.rng.normal(0.0, 10.0, n)
        self.mode = mode
        self.g = DynamicAPSP(n, backstop=backstop, race_quantum=int(self.rng.choice([1, 64])), seed=seed)

    def _g(self) -> DynamicAPSP:
        assert self.g is not None
        return self.g

    def _weight(self, u: int, v: int) -> float:
        w = potential_weight(self.rng, self.p, u, v) if self.mode == "potential" else random_weight(self.rng)
        if self.rng.random() < 0.05:
            w *= 1e4  # grows the grid now and then
        return w

    def _accepts(self, u: int, v: int, w: float) -> None:
        """The structure accepted (u, v, w): the exact cycle it closes is not below the grey band."""
        c = cycle_weight(exact_distances(self._g().n, self.arcs), u, v, w)
        if c is not None and c < 0:
            assert c >= -grey(self._g()), (u, v, w, float(c))
            self.grey = True

    @rule(data=st.data())
    def insert(self, data: st.DataObject) -> None:
        g = self._g()
        u = data.draw(st.integers(0, g.n - 1), label="u")
        v = data.draw(st.integers(0, g.n - 1), label="v")
        if (u, v) in self.arcs:
            return
        w = self._weight(u, v)
        c = cycle_weight(exact_distances(g.n, self.arcs), u, v, w)
        day, before = g.day, g.distances().copy()
        try:
            g.insert(u, v, w)
        except NegativeCycleError:
            assert c is not None and c < 0, (u, v, w, c)
            assert g.day == day and np.array_equal(g.distances(), before)
            return
        self._accepts(u, v, w)
        self.arcs[u, v] = w

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        if not self.arcs:
            return
        u, v = data.draw(st.sampled_from(sorted(self.arcs)), label="arc")
        self._g().delete(u, v)
        del self.arcs[u, v]

    @rule(size=st.integers(1, 4))
    def batch(self, size: int) -> None:
        """A batch of insertions and deletions through ``run``; a rejection names its first bad row."""
        g = self._g()
        arcs = dict(self.arcs)
        ops, us, vs, ws, cycles = [], [], [], [], []
        for _ in range(size):
            u, v = int(self.rng.integers(g.n)), int(self.rng.integers(g.n))
            if (u, v) in arcs:
                ops.append(0)
                ws.append(0.0)
                cycles.append(None)
                del arcs[u, v]
            else:
                w = self._weight(u, v)
                ops.append(1)
                ws.append(w)
                cycles.append(cycle_weight(exact_distances(g.n, arcs), u, v, w))
                arcs[u, v] = w
            us.append(u)
            vs.append(v)
        day, before = g.day, g.distances().copy()
        try:
            g.run(UpdateBatch.from_arrays(ops, us, vs, ws))
        except NegativeCycleError as exc:
            m = re.search(r"update (\d+)", str(exc))
            assert m is not None
            k = int(m.group(1))
            c = cycles[k]
            assert ops[k] == 1 and c is not None and c < 0, (k, c)
            for j in range(k):
                cj = cycles[j]
                assert cj is None or cj >= -grey(g), (j, cj)
            assert g.day == day and np.array_equal(g.distances(), before)
            return
        for c in cycles:
            if c is not None and c < 0:
                assert c >= -grey(g), float(c)
                self.grey = True
        self.arcs = arcs

    @invariant()
    def contract(self) -> None:
        if self.g is None:
            return
        self.g.check()
        # with an accepted cycle that is negative in exact arithmetic the exact distances
        # themselves are off by up to that cycle's weight per pass of Floyd-Warshall
        slack = float(self.g.n * grey(self.g)) if self.grey else 0.0
        assert_matches(self.g, self.arcs, slack)


RealWeightMachine.TestCase.settings = settings(stateful_step_count=20, max_examples=30)


@pytest.mark.boundscheck
def test_real_weight_machine() -> None:
    RealWeightMachine.TestCase().runTest()


# ---------------------------------------------------------------------------------
# offline_apsp against the same oracle, and against DynamicAPSP fed the same batch
# ---------------------------------------------------------------------------------
@pytest.mark.boundscheck
@given(n=st.integers(2, 6), length=st.integers(1, 25), seed=st.integers(0, 2**32 - 1),
       mode=st.sampled_from(["potential", "random"]))
@settings(max_examples=40)
def test_offline_real_weights(n: int, length: int, seed: int, mode: str) -> None:
    rng = np.random.default_rng(seed)
    p = rng.normal(0.0, 10.0, n)
    arcs: dict[Arc, float] = {}
    rows, states, cycles = [], [], []
    for _ in range(length):
        u, v = int(rng.integers(n)), int(rng.integers(n))
        if (u, v) in arcs:
            del arcs[u, v]
            rows.append((0, u, v, 0.0))
            cycles.append(None)
        else:
            w = potential_weight(rng, p, u, v) if mode == "potential" else random_weight(rng)
            cycles.append(cycle_weight(exact_distances(n, arcs), u, v, w))
            arcs[u, v] = w
            rows.append((1, u, v, w))
        states.append(dict(arcs))
    op, us, vs, ws = (list(c) for c in zip(*rows))
    batch = UpdateBatch.from_arrays(op, us, vs, ws)
    days = np.repeat(np.arange(1, length + 1), n * n)
    xs = np.tile(np.repeat(np.arange(n), n), length)
    ys = np.tile(np.tile(np.arange(n), n), length)
    queries = np.stack([days, xs, ys], axis=1)
    try:
        out = offline_apsp(n, batch, queries)
    except NegativeCycleError as exc:
        m = re.search(r"day (\d+)", str(exc))
        assert m is not None
        k = int(m.group(1)) - 1
        assert cycles[k] is not None and cycles[k] < 0  # type: ignore[operator]
        with pytest.raises(NegativeCycleError, match=f"update {k} "):
            DynamicAPSP(n, backstop=None).run(batch)
        return
    # the same batch through DynamicAPSP: the same grid and bumps, so the same numbers
    g = DynamicAPSP(n, backstop=None)
    assert np.array_equal(g.run(batch, queries), out)
    g.check()
    tol = Fraction(g.error_bound)
    negative = False
    for day in range(length):
        c = cycles[day]
        if c is not None and c < 0:
            assert c >= -grey(g)
            negative = True
        d = exact_distances(n, states[day])
        got = out[day * n * n : (day + 1) * n * n].reshape(n, n)
        slack = Fraction(n) * grey(g) if negative else Fraction(0)
        for x in range(n):
            for y in range(n):
                if d[x][y] is None:
                    assert got[x, y] == np.inf
                else:
                    assert abs(Fraction(float(got[x, y])) - d[x][y]) <= tol + slack  # type: ignore[operator]
    assert_matches(g, states[-1], float(Fraction(n) * grey(g)) if negative else 0.0)


# ---------------------------------------------------------------------------------
# regressions: the examples of the report
# ---------------------------------------------------------------------------------
ZERO_CYCLE = [(1, 4, 1.7296016572946318), (2, 1, 16.5052211025395), (1, 2, -16.5052211025395),
              (4, 5, -9.005001327701944)]
RACED = [(3, 0, -1.4450460689726812), (0, 7, -14.76408865759654), (7, 0, 14.76408865759654),
         (1, 3, -9.751762119163317)]


@pytest.mark.parametrize("backstop", [None, "dynamic"])
def test_zero_cycle_example(backstop: str | None) -> None:
    g = DynamicAPSP(6, backstop=backstop)
    for u, v, w in ZERO_CYCLE:
        g.insert(u, v, w)
        g.check()
    assert g.path(1, 5) == [1, 4, 5]
    assert g.path(1, 4) == [1, 4]
    assert abs(g.distance(1, 5) - (-7.275399670407312)) <= g.error_bound + 1e-15
    assert abs(g.distance(1, 4) - 1.7296016572946318) <= g.error_bound
    b = UpdateBatch.from_arrays([1] * 4, *zip(*[(u, v) for u, v, _ in ZERO_CYCLE]), [w for _, _, w in ZERO_CYCLE])
    h = DynamicAPSP(6, backstop=None)  # the same batch at once: offline's grid and error bound
    assert h.run(b, [[4, 1, 5]])[0] == offline_apsp(6, b, [[4, 1, 5]])[0]
    assert abs(offline_apsp(6, b, [[4, 1, 5]])[0] - (-7.275399670407312)) <= h.error_bound + 1e-15


@pytest.mark.parametrize("backstop", [None, "dynamic"])
def test_raced_example(backstop: str | None) -> None:
    g = DynamicAPSP(8, backstop=backstop)
    for u, v, w in RACED:
        g.insert(u, v, w)
        g.check()
    assert g.path(1, 0) == [1, 3, 0]
    assert abs(g.distance(1, 0) - (-9.751762119163317 - 1.4450460689726812)) <= g.error_bound + 1e-15


@pytest.mark.parametrize("backstop", [None, "dynamic"])
def test_tiny_negative_cycle_is_zero(backstop: str | None) -> None:
    """A cycle of exact weight about -8e-17 counts as a zero cycle: accepted, and no distance
    drops below 0 on the diagonal."""
    a, b = 0.1, 0.2
    c = -(a + b)  # 0.1 + 0.2 - 0.30000000000000004 is about -5.6e-17 exactly
    assert Fraction(a) + Fraction(b) + Fraction(c) < 0
    g = DynamicAPSP(3, backstop=backstop)
    g.insert(0, 1, a)
    g.insert(1, 2, b)
    g.insert(2, 0, c)
    g.check()
    assert all(g.distance(x, x) == 0.0 for x in range(3))
    assert g.path(0, 2) == [0, 1, 2]
    with pytest.raises(NegativeCycleError):
        g.set_weight(2, 0, c - 1e-6)


@pytest.mark.parametrize("backstop", [None, "dynamic"])
@pytest.mark.parametrize("bad", [1e308, -1e308, 10**400, -(10**400), float("nan"), float("inf"), True, "1", None,
                                 Fraction(10**400)])
def test_huge_and_invalid_weights_rejected(backstop: str | None, bad: object) -> None:
    g = DynamicAPSP(4, backstop=backstop)
    g.insert(0, 1, 2.5)
    before = (g.day, g.distances().copy(), g.quantum)
    with pytest.raises(InvalidInputError):
        g.insert(1, 2, bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        g.set_weight(0, 1, bad)  # type: ignore[arg-type]
    assert (g.day, g.quantum) == (before[0], before[2]) and np.array_equal(g.distances(), before[1])
    g.check()


def test_largest_weights_do_not_overflow() -> None:
    g = DynamicAPSP(4, backstop="dynamic")
    big = g.max_weight
    g.insert(0, 1, big)
    g.insert(1, 2, big)
    g.insert(2, 3, -big)
    g.check()
    assert g.distance(0, 2) == 2 * big and g.distance(1, 3) == 0.0 and np.isfinite(g.distance(0, 3))
    with pytest.raises(InvalidInputError):
        g.insert(3, 0, 2 * big)
    b = UpdateBatch.from_updates([Insert(0, 1, 1e308)])
    with pytest.raises(InvalidInputError):
        offline_apsp(4, b, [[1, 0, 1]])


@pytest.mark.parametrize("backstop", [None, "dynamic"])
def test_growing_weights_regrid(backstop: str | None) -> None:
    """Weights that grow by orders of magnitude move the grid; both sides stay exact and equal."""
    g = DynamicAPSP(5, backstop=backstop)
    g.insert(0, 1, 0.1)
    g.insert(1, 0, -0.1)
    q0 = g.quantum
    g.insert(1, 2, 3e6)
    g.insert(2, 3, -2.9e6)
    assert g.quantum > q0
    g.check()
    assert g.path(0, 3) == [0, 1, 2, 3]
    assert abs(g.distance(0, 3) - (0.1 + 3e6 - 2.9e6)) <= g.error_bound
    with pytest.raises(NegativeCycleError):
        g.insert(3, 0, -1e6)  # a large weight on a new grid, rejected: nothing changes
    g.check()


@pytest.mark.parametrize("backstop", [None, "dynamic"])
def test_batch_names_first_row_closing_a_cycle(backstop: str | None) -> None:
    g = DynamicAPSP(4, backstop=backstop)
    g.insert(0, 1, 1.0)
    with pytest.raises(NegativeCycleError, match=r"update 0 \(batch day 1\) inserts arc \(1, 0\)"):
        g.run(UpdateBatch.from_updates([Insert(1, 0, -2.0), Insert(3, 3, -1.0)]))
    assert g.day == 1
    g.check()


def test_offline_and_constructor_options_rejected() -> None:
    b = UpdateBatch.from_updates([Insert(0, 1, 1.0)])
    with pytest.raises(InvalidInputError):
        offline_apsp(2, b, [[1, 0, 1]], directed="no")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        DynamicAPSP(3, race_quantum=2**70)
    with pytest.raises(InvalidInputError):
        DynamicAPSP(3, backstop_share=10**400)
    g = DynamicAPSP(3)
    with pytest.raises(IndexError):
        g.insert(2**64, 0, 1.0)
    with pytest.raises(IndexError):
        g.distance(0, 2**64)
