"""Memory bounded by what can be live, CapacityError before a hopeless allocation, and one
compilation of a custom objective per process and pair of functions."""

from __future__ import annotations

import tracemalloc
from typing import Any

import numba
import numpy as np
import pytest

import dynalgo
from dynalgo import _validate
from structures import leveled as _lv
from structures import sieve as _sv
from structures import submod_bind as _bind


def _array_bytes(obj: Any, seen: set[int] | None = None, depth: int = 0) -> int:
    """Bytes of every numpy array reachable from ``obj`` (the objective's data excluded)."""
    seen = set() if seen is None else seen
    if depth > 6 or id(obj) in seen:
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return int(obj.nbytes)
    if isinstance(obj, (list, tuple)):
        return sum(_array_bytes(x, seen, depth + 1) for x in obj)
    d = getattr(obj, "__dict__", None)
    if d is None or callable(obj):
        return 0
    return sum(_array_bytes(v, seen, depth + 1) for key, v in d.items() if key not in ("_bind", "objective", "_items"))


def _three_items() -> dynalgo.Coverage:
    f = dynalgo.Coverage([[0, 1], [0], [2]])
    f.singletons()
    return f


@pytest.mark.parametrize("k", [10**5, 10**7])
@pytest.mark.parametrize("cls", [dynalgo.DynamicSubmodular, dynalgo.LeveledSubmodular, dynalgo.SieveRerun,
                                 dynalgo.SieveStreaming, dynalgo.LazyGreedy])
def test_huge_k_with_three_items_is_small(k: int, cls: Any) -> None:
    f = _three_items()
    tracemalloc.start()
    try:
        s = cls(f, k)
        for e in range(3):
            s.insert(e)
        s.delete(1)
        s.insert(1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert set(s.solution().tolist()) <= {0, 1, 2} and s.value() == 3.0
    held = _array_bytes(s)
    assert held < 2 << 20, f"{cls.__name__} holds {held} bytes of arrays for 3 items"
    assert peak < 16 << 20, f"{cls.__name__} peaked at {peak} bytes"
    s.check()


def test_slot_width_is_min_k_n() -> None:
    f = _three_items()
    s = dynalgo.DynamicSubmodular(f, 10**7)
    assert s._sieve.items.shape[1] == 3
    assert s._lv is not None and s._lv.state.A.shape[1] == 3
    # thresholds: only those an item can make active, about log(2k) / log(1 + eps) of them
    assert s._sieve.tau.shape[0] <= 2 * (int(np.log(2e7) / np.log(1.1)) + 4)


def test_grid_keeps_only_reachable_thresholds() -> None:
    """Two far-apart singleton values: the thresholds between their ranges are dropped, and
    the ones kept are exactly those of the full grid in [v, 2kv] (plus a margin step)."""
    f = dynalgo.FeatureBased(np.array([[1.0], [0.0], [1e12]]) + np.array([[0.0], [1.0], [0.0]]))
    single = f.singletons()
    k, eps = 3, 0.1
    tau = _sv.grid(single, k, eps)
    base = 1.0 + eps
    j0 = int(np.floor(np.log(1.0) / np.log(base))) - 3
    full = np.array([base ** j for j in range(j0, int(np.log(2 * k * 1e6) / np.log(base)) + 400)])
    for v in np.unique(single[single > 0]):
        want = full[(full >= v) & (full <= 2 * k * v)]
        assert np.all(np.isin(want, tau)), "a reachable threshold is missing"
    assert tau.shape[0] < 80  # the full grid from 1 to 6e12 would have about 300


def test_tiny_eps_raises_capacity_error_before_allocating(monkeypatch: pytest.MonkeyPatch) -> None:
    f = _three_items()
    sp = _sv.plan(f._od, f.singletons(), 2, 1e-7)
    lp = _lv.plan(f._od, f.singletons(), 2, 1e-7)
    # about log(2k) / eps thresholds: ~2e7, a few hundred bytes each
    assert 1e7 < sp.slots < 5e7 and 1e7 < lp.guesses < 5e7
    monkeypatch.setattr(_validate, "physical_memory", lambda: 1 << 30)
    for make in (lambda: dynalgo.DynamicSubmodular(f, 2, eps=1e-7),
                 lambda: dynalgo.DynamicSubmodular(f, 2, eps=1e-7, backstop=None),
                 lambda: dynalgo.LeveledSubmodular(f, 2, eps=1e-7),
                 lambda: dynalgo.SieveRerun(f, 2, eps=1e-7)):
        tracemalloc.start()
        try:
            with pytest.raises(dynalgo.CapacityError, match="thresholds|guesses"):
                make()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 16 << 20


def test_small_eps_works_and_scales_with_thresholds() -> None:
    f = _three_items()
    s = dynalgo.DynamicSubmodular(f, 2, eps=1e-4, backstop=None)
    for e in range(3):
        s.insert(e, predicted_deletion=10)
    assert s.value() >= (0.5 - 1e-4) * 3.0
    S = s._sieve.tau.shape[0]
    assert S < 3 * np.log(4.0) / 1e-4
    assert _array_bytes(s._sieve) < 400 * S


def test_k_beyond_int64_and_overflowing_values() -> None:
    f = _three_items()
    with pytest.raises(dynalgo.InvalidInputError):
        dynalgo.DynamicSubmodular(f, 10**30)
    s = dynalgo.DynamicSubmodular(f, 2**62, backstop=None)
    s.insert(0)
    assert s.value() == 2.0


# ---------------------------------------------------------------------------------------------
# custom objectives: one compilation per process and pair of functions


@numba.njit
def _phi(kind, s, x, w):  # type: ignore[no-untyped-def]
    return w * (min(s + x, 1.0) - min(s, 1.0))


@numba.njit
def _psi(kind, s, x, w):  # type: ignore[no-untyped-def]
    return s + x


def _compiled(b: _bind.Bindings) -> int:
    return sum(len(getattr(fn, "signatures", ())) for fn in b if fn is not b.phi and fn is not b.psi)


def _use(f: dynalgo.CustomObjective) -> float:
    s = dynalgo.DynamicSubmodular(f, 2)
    g = dynalgo.LazyGreedy(f, 2)
    r = dynalgo.SieveRerun(f, 2)
    for e in range(f.n):
        s.insert(e, predicted_deletion=e + 3)
        g.insert(e)
        r.insert(e)
    s.delete(0)
    r.delete(0)
    return s.value()


def test_custom_objective_compiles_once_per_pair_of_functions() -> None:
    m1 = np.array([[0.5, 0.5, 0.0], [0.75, 0.0, 0.25], [0.0, 1.0, 1.0]])
    m2 = np.array([[1.0, 0.0], [0.25, 0.5], [0.0, 0.5], [1.0, 1.0]])
    a = dynalgo.CustomObjective(m1, _phi, _psi)
    _use(a)
    after_first = _compiled(a._bind)
    assert after_first >= 4  # every entry point used was compiled once
    b = dynalgo.CustomObjective(m2, _phi, _psi, weights=[2.0, 1.0])
    assert b._bind is a._bind
    _use(b)
    assert _compiled(b._bind) == after_first, "a second instance with the same functions compiled again"

    @numba.njit
    def other_phi(kind, s, x, w):  # type: ignore[no-untyped-def]
        return w * (min(s + x, 2.0) - min(s, 2.0))

    c = dynalgo.CustomObjective(m1, other_phi, _psi)
    assert c._bind is not a._bind  # other functions: other bindings
