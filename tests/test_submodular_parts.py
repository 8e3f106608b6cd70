"""Objectives, Sieve-Streaming with undo, the leveled backstop and the baselines, piece by piece."""

from __future__ import annotations

import numba
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dynalgo
from structures import leveled as _lv
from structures import objectives as _obj
from structures import sieve as _sv
from tests.submodular_naive import brute_opt, f_direct, random_objective, sieve_reference, window_updates

KINDS = ("coverage", "facility", "feature")


def random_updates(n: int, length: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """A valid random sequence of (op, item): inserts of absent items, deletes of present ones."""
    present: set[int] = set()
    out = []
    for _ in range(length):
        if present and (len(present) == n or rng.random() < 0.4):
            e = int(rng.choice(sorted(present)))
            present.remove(e)
            out.append((0, e))
        else:
            e = int(rng.choice(sorted(set(range(n)) - present)))
            present.add(e)
            out.append((1, e))
    return out


# ---------------------------------------------------------------------------------------------
# objectives
@pytest.mark.parametrize("kind", KINDS)
@given(seed=st.integers(0, 2**32 - 1), data=st.data())
def test_objective_matches_definition_monotone_submodular(kind: str, seed: int, data: st.DataObject) -> None:
    rng = np.random.default_rng(seed)
    n, dim = 8, 6
    f = random_objective(kind, n, dim, rng)
    perm = data.draw(st.permutations(range(n)))
    cut_a = data.draw(st.integers(0, n - 1))
    cut_b = data.draw(st.integers(cut_a, n - 1))
    A, B, e = list(perm[:cut_a]), list(perm[:cut_b]), perm[n - 1]
    # A ⊆ B, e outside both
    fa, fb = f.value(A), f.value(B)
    assert f.value(A) == pytest.approx(f_direct(f, A))
    assert fb == pytest.approx(f_direct(f, B))
    assert fb >= fa - 1e-12, "not monotone"
    ga, gb = f.gain(A, e), f.gain(B, e)
    assert ga == pytest.approx(f_direct(f, A + [e]) - fa, abs=1e-9)
    assert gb >= -1e-12
    assert ga >= gb - 1e-12, "diminishing returns violated"
    # the value does not depend on the order of the items
    assert f.value(list(reversed(B))) == pytest.approx(fb)
    assert np.allclose(f.singletons(), [f_direct(f, [x]) for x in range(n)])


@pytest.mark.parametrize("kind", KINDS)
def test_kernel_gain_add_undo_bit_exact(kind: str) -> None:
    rng = np.random.default_rng(3)
    f = random_objective(kind, 12, 7, rng)
    b = _sv.make(f._od, f.singletons(), 3, 0.2)
    tup = tuple(b)
    run = f._bind.sieve_run
    run(tup, np.array([0, 1, 2], dtype=np.int64))
    _sv.check(b)
    before = [a.copy() for a in b]
    m = int(b.meta[_sv.M_SLOG])
    calls = int(b.meta[_sv.M_CALLS])
    run(tup, np.array([5, 7, 3, 9, 11], dtype=np.int64))
    assert int(b.meta[_sv.M_CALLS]) > calls
    _sv.check(b)
    _undo(tup, m)
    after = list(b)
    for name, x, y in zip(_sv.SieveState._fields, before, after):
        if name == "meta":  # the oracle-call counter keeps counting
            x = x.copy()
            x[_sv.M_CALLS] = y[_sv.M_CALLS]
            x[_sv.M_INSERTS] = y[_sv.M_INSERTS]
        if name in ("slog", "slogf", "lj", "lf"):  # log storage beyond the top is scratch
            continue
        assert np.array_equal(x, y), f"{name} not restored bit for bit"
    top = int(b.meta[_sv.M_SLOG])
    assert np.array_equal(before[11][:top], b.slog[:top])
    _sv.check(b)


@numba.njit
def _undo_kernel(b, m):  # type: ignore[no-untyped-def]
    return _sv.undo_to(b, m)


def _undo(tup: tuple[np.ndarray, ...], m: int) -> None:
    _undo_kernel(tup, m)


def test_custom_objective_runs_through_every_structure() -> None:
    @numba.njit
    def phi(kind, s, x, w):  # type: ignore[no-untyped-def]
        return w * (min(s + x, 1.0) - min(s, 1.0))

    @numba.njit
    def psi(kind, s, x, w):  # type: ignore[no-untyped-def]
        return s + x

    rng = np.random.default_rng(0)
    mat = (rng.random((10, 5)) < 0.4) * rng.integers(1, 4, size=(10, 5)) / 4.0
    mat[:, 0] += 0.25
    f = dynalgo.CustomObjective(mat, phi, psi)
    assert f.value([0, 1]) == pytest.approx(np.minimum(mat[0] + mat[1], 1.0).sum())
    s = dynalgo.DynamicSubmodular(f, 2, eps=0.2)
    for op, e, pd in window_updates(list(range(10)), 4):
        if op:
            s.insert(e, predicted_deletion=pd or None)
        else:
            s.delete(e)
        s.check()
    g = dynalgo.LazyGreedy(f, 2)
    for e in range(10):
        g.insert(e)
    g.check()
    assert g.value() == pytest.approx(max(f.value([a, b]) for a in range(10) for b in range(a + 1, 10)), rel=0.4)


# ---------------------------------------------------------------------------------------------
# sieve and lifted structure against the reference, every day of a window
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mode", ["exact", "late", "none"])
def test_lifted_equals_reference_sieve_every_day(kind: str, mode: str) -> None:
    rng = np.random.default_rng(11)
    n, k, eps = 30, 3, 0.2
    f = random_objective(kind, n, 10, rng)
    s = dynalgo.DynamicSubmodular(f, k, eps=eps, backstop=None, seed=5)
    for op, e, pd in window_updates(list(rng.permutation(n)), 7):
        if op:
            p = {"exact": pd or None, "late": (pd + 3) if pd else None, "none": None}[mode]
            s.insert(int(e), predicted_deletion=p)
        else:
            s.delete(int(e))
        sol, val = sieve_reference(s)
        assert s.solution().tolist() == sol and s.value() == val
        assert sorted(s.path_order().tolist()) == sorted(np.flatnonzero(s._items.present).tolist())
    st_ = s.stats
    if mode == "exact":
        assert st_.engine is not None and st_.engine.retriggers == 0
    else:
        assert st_.engine is not None and st_.engine.retriggers > 0


# ---------------------------------------------------------------------------------------------
# approximation on every day against brute force
@pytest.mark.parametrize("kind", KINDS)
def test_every_contender_approximates_opt_every_day(kind: str) -> None:
    rng = np.random.default_rng(7)
    n, k, eps = 9, 3, 0.1
    f = random_objective(kind, n, 8, rng)
    ups = window_updates(list(rng.permutation(n)) + [], 5)
    structs = {
        "raced": dynalgo.DynamicSubmodular(f, k, eps=eps, seed=1),
        "lifted": dynalgo.DynamicSubmodular(f, k, eps=eps, backstop=None, seed=2),
        "rerun": dynalgo.SieveRerun(f, k, eps=eps),
        "greedy": dynalgo.LazyGreedy(f, k),
    }
    for op, e, pd in ups:
        for s in structs.values():
            if op:
                s.insert(int(e), predicted_deletion=pd or None)
            else:
                s.delete(int(e))
        present = [int(x) for x in np.flatnonzero(structs["greedy"]._items.present)]
        opt = brute_opt(f, present, k)
        for name, s in structs.items():
            sol = s.solution().tolist()
            assert set(sol) <= set(present) and len(sol) <= k, name
            assert s.value() == pytest.approx(f_direct(f, sol)), name
            bound = (1 - 1 / np.e) if name == "greedy" else 0.5 - eps
            assert s.value() >= bound * opt - 1e-9, (name, s.value(), opt)
            s.check()


@pytest.mark.parametrize("kind", KINDS)
def test_backstop_over_seeds(kind: str) -> None:
    """The leveled backstop's value is >= OPT / (2 (1 + eps)) on every day for every seed
    (its randomness only affects running time), and its mean over seeds is close to OPT."""
    rng = np.random.default_rng(5)
    n, k, eps = 10, 3, 0.1
    f = random_objective(kind, n, 8, rng)
    ups = random_updates(n, 28, rng)
    ratios = []
    for seed in range(6):
        s = dynalgo.LeveledSubmodular(f, k, eps=eps, seed=seed)
        for op, e in ups:
            (s.insert if op else s.delete)(int(e))
            present = [int(x) for x in np.flatnonzero(s._items.present)]
            opt = brute_opt(f, present, k)
            assert s.value() >= opt / (2 * (1 + eps)) - 1e-9
            assert s.value() == pytest.approx(f_direct(f, s.solution().tolist()))
            s.check()
            if opt > 0:
                ratios.append(s.value() / opt)
    # in expectation over seeds: tolerance 0.1 below the worst-case bound's complement is not
    # claimed; we only assert the mean stays above the guarantee with room to spare
    assert float(np.mean(ratios)) >= 0.5 / (1 + eps) + 0.1


def test_sieve_rerun_and_insertion_only() -> None:
    rng = np.random.default_rng(2)
    f = random_objective("coverage", 12, 9, rng)
    r = dynalgo.SieveRerun(f, 2)
    o = dynalgo.SieveStreaming(f, 2)
    for op, e, _ in window_updates(list(range(12)), 4):
        for s in (r, o):
            (s.insert if op else s.delete)(e)
        r.check()
        o.check()
        assert np.all(r._items.present[r.solution()])
    assert r.stats.rebuilds > 0
    # the insertion-only sieve saw every item
    assert int(o._sieve.meta[_sv.M_NSEQ]) == 12


def test_leveled_level_structure_small_by_hand() -> None:
    # disjoint sets of equal value: every guess promotes up to k items; deleting a promoted
    # item triggers a rebuild, deleting another does not
    # 20 items of value 1, k = 2, eps = 0.5: about five guesses hold members, so at most
    # ten items are promoted anywhere and some item is promoted in no guess
    f = dynalgo.Coverage([[i] for i in range(20)])
    s = dynalgo.LeveledSubmodular(f, 2, eps=0.5, seed=3)
    for e in range(20):
        s.insert(e)
    s.check()
    assert s.value() == 2.0
    g = _lv.best_guess(s._lv.state)
    promoted = s._lv.state.A[g, : int(s._lv.state.na[g])].tolist()
    before = s.stats.rebuilds
    other = next(e for e in range(20) if all(e not in s._lv.state.A[h, : int(s._lv.state.na[h])]
                                            for h in range(s._lv.state.tau.shape[0])))
    s.delete(other)
    assert s.stats.rebuilds == before
    s.delete(promoted[0])
    assert s.stats.rebuilds > before
    s.check()
    assert s.value() == 2.0


def test_objective_data_checks() -> None:
    f = dynalgo.FacilityLocation(np.array([[0.0, 1.0], [2.0, 0.5]]))
    _obj.check_data(f._od)
    assert f._od.indptr.tolist() == [0, 1, 3]


@pytest.mark.parametrize("backstop", [None, "leveled"])
def test_run_equals_step_by_step(backstop: str | None) -> None:
    rng = np.random.default_rng(4)
    f = random_objective("feature", 25, 6, rng)
    ups = window_updates(list(rng.permutation(25)), 6)
    op = np.array([u[0] for u in ups])
    it = np.array([u[1] for u in ups])
    pd = np.array([u[2] for u in ups])
    a = dynalgo.DynamicSubmodular(f, 3, backstop=backstop, seed=9)
    half = len(ups) // 2
    va = np.concatenate([a.run(it[:half], op[:half], predicted_deletions=pd[:half]),
                         a.run(it[half:], op[half:], predicted_deletions=np.where(pd[half:] > 0, pd[half:] - half, 0))])
    b = dynalgo.DynamicSubmodular(f, 3, backstop=backstop, seed=9)
    vb = []
    for o, e, p in ups:
        if o:
            b.insert(e, predicted_deletion=p or None)
        else:
            b.delete(e)
        vb.append(b.value())
        a_day = b.day
    assert a.day == a_day == len(ups)
    assert np.array_equal(va, np.array(vb))
    assert a.solution().tolist() == b.solution().tolist()
    a.check()
    # mixing single steps after a batch keeps working
    present = np.flatnonzero(a._items.present)
    a.delete(int(present[0]))
    b.delete(int(present[0]))
    assert a.solution().tolist() == b.solution().tolist()
    a.check()


@pytest.mark.parametrize("backstop", [None, "leveled"])
@pytest.mark.parametrize("mode", ["exact", "none"])
def test_long_window_doubles_horizon_and_matches_reference(backstop: str | None, mode: str) -> None:
    """Past the initial horizon of 1,024 days (the tree is redrawn): still Sieve-Streaming's answer."""
    rng = np.random.default_rng(8)
    n = 700
    f = random_objective("coverage", n, 40, rng, weighted=False)
    s = dynalgo.DynamicSubmodular(f, 4, eps=0.2, backstop=backstop, seed=3)
    ups = window_updates(list(range(n)), 30)
    for d, (op, e, pd) in enumerate(ups, 1):
        if op:
            s.insert(e, predicted_deletion=(pd or None) if mode == "exact" else None)
        else:
            s.delete(e)
        if d % 150 == 0 and s.answered_by == "lifted":
            sol, val = sieve_reference(s)
            assert s.solution().tolist() == sol and s.value() == val
    st_ = s.stats
    assert st_.engine is not None and st_.days == len(ups)
    if backstop is None or mode == "exact":
        assert st_.engine.horizon_doublings >= 1
    else:  # no predictions: every deletion retriggers the root, the lifted side falls behind
        assert st_.engine.race is not None and st_.engine.race.days_backstop > st_.engine.race.days_lifted
    if backstop is None:
        sol, val = sieve_reference(s)
        assert s.solution().tolist() == sol and s.value() == val
    s.check()


@pytest.mark.parametrize("kind", KINDS)
def test_long_raced_run_with_perturbed_predictions(kind: str) -> None:
    """3,000 items through a window of 200 with noisy predictions, raced: whenever the lifted
    side answers it is Sieve-Streaming's answer; every answer holds present items only and
    is within (1/2 - eps) of lazy greedy's value divided by (1 - 1/e)."""
    rng = np.random.default_rng(21)
    n, W, k = 3000, 200, 5
    f = random_objective(kind, n, 300, rng)
    s = dynalgo.DynamicSubmodular(f, k, eps=0.1, seed=4)
    g = dynalgo.LazyGreedy(f, k)
    for d, (op, e, pd) in enumerate(window_updates(list(range(n)), W), 1):
        if op:
            p = max(d + 1, pd + int(rng.integers(-30, 31))) if pd else None
            s.insert(e, predicted_deletion=p)
            g.insert(e)
        else:
            s.delete(e)
            g.delete(e)
        sol = s.solution()
        assert np.all(s._items.present[sol])
        assert s.value() >= (0.5 - 0.1) * g.value() - 1e-9
        if d % 500 == 0:
            if s.answered_by == "lifted":
                ref_sol, ref_val = sieve_reference(s)
                assert sol.tolist() == ref_sol and s.value() == ref_val
    race = s.stats.engine.race if s.stats.engine else None
    assert race is not None and race.days_lifted + race.days_backstop == s.day
