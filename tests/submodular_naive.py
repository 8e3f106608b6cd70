"""Slow, obviously correct references for the submodular tests.

Objectives are evaluated here from their definitions in plain Python (not by
replaying the library's gain terms), OPT by brute force, and Sieve-Streaming
by :func:`structures.sieve.reference`.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

import dynalgo
from structures import sieve as _sv


def random_objective(kind: str, n: int, dim: int, rng: np.random.Generator, *, weighted: bool = True) -> dynalgo.Objective:
    """A random objective over ``n`` items with ``dim`` coordinates (every item has a row entry)."""
    w = rng.integers(1, 4, size=dim).astype(float) if weighted else None
    if kind == "coverage":
        sets = [rng.choice(dim, size=int(rng.integers(1, min(dim, 4) + 1)), replace=False) for _ in range(n)]
        return dynalgo.Coverage(sets, w, universe=dim)
    mat = np.zeros((n, dim))
    for e in range(n):
        cols = rng.choice(dim, size=int(rng.integers(1, min(dim, 4) + 1)), replace=False)
        mat[e, cols] = rng.integers(1, 9, size=cols.shape[0]) / 4.0
    if kind == "facility":
        return dynalgo.FacilityLocation(mat, w)
    if kind == "feature":
        return dynalgo.FeatureBased(mat, w)
    raise AssertionError(kind)


def f_direct(obj: dynalgo.Objective, items: list[int]) -> float:
    """f(items) from the textbook definition of the objective's kind."""
    od = obj._od
    rows = {e: {int(od.indices[p]): float(od.values[p]) for p in range(int(od.indptr[e]), int(od.indptr[e + 1]))}
            for e in items}
    w = od.weights
    if isinstance(obj, dynalgo.Coverage):
        covered = set().union(*(rows[e].keys() for e in items)) if items else set()
        return float(sum(w[j] for j in covered))
    if isinstance(obj, dynalgo.FacilityLocation):
        return float(sum(w[j] * max((rows[e].get(j, 0.0) for e in items), default=0.0) for j in range(w.shape[0])))
    if isinstance(obj, dynalgo.FeatureBased):
        return float(sum(w[j] * math.sqrt(sum(rows[e].get(j, 0.0) for e in items)) for j in range(w.shape[0])))
    raise AssertionError(type(obj))


def brute_opt(obj: dynalgo.Objective, present: list[int], k: int) -> float:
    """max f(S) over |S| <= k, S within ``present`` (monotone: size min(k, |present|) suffices)."""
    r = min(k, len(present))
    best = 0.0
    for comb in itertools.combinations(present, r):
        best = max(best, f_direct(obj, list(comb)))
    return best


def sieve_reference(s: dynalgo.DynamicSubmodular) -> tuple[list[int], float]:
    """Sieve-Streaming over the lifted structure's path order, in plain Python."""
    obj = s.objective
    return _sv.reference(obj.singletons(), s._sieve.tau, s.k, obj.gain, s.path_order().tolist())


def window_updates(order: list[int], window: int) -> list[tuple[int, int, int]]:
    """Sliding window over ``order``: (op, item, real deletion day of an insertion, 0 if never)."""
    ups: list[list[int]] = []
    for i, e in enumerate(order):
        ups.append([1, e, 0])
        if i >= window:
            ups.append([0, order[i - window], 0])
    deleted: dict[int, int] = {}
    for d, (op, e, _) in enumerate(ups, 1):
        if op == 0:
            deleted[e] = d
    for u in ups:
        if u[0] == 1:
            u[2] = deleted.get(u[1], 0)
    return [(a, b, c) for a, b, c in ups]


def snapshot(obj: Any, depth: int = 0) -> list[Any]:
    """Copies of every array, number and container reachable from ``obj``'s attributes."""
    out: list[Any] = []
    if depth > 5:
        return out
    if isinstance(obj, np.ndarray):
        return [obj.copy()]
    if isinstance(obj, (int, float, str, bool, type(None), np.generic)):
        return [obj]
    if isinstance(obj, (list, tuple)):
        for x in obj:
            out += snapshot(x, depth + 1)
        return out
    if isinstance(obj, dict):
        for key in sorted(obj, key=str):
            out.append(key)
            out += snapshot(obj[key], depth + 1)
        return out
    d = getattr(obj, "__dict__", None)
    if d is not None and not callable(obj):
        for key in sorted(d):
            if key in ("_bind", "base", "objective", "_predictor"):
                continue
            out.append(key)
            out += snapshot(d[key], depth + 1)
    return out


def same_snapshot(a: list[Any], b: list[Any]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if isinstance(x, np.ndarray):
            if not (isinstance(y, np.ndarray) and x.shape == y.shape and np.array_equal(x, y, equal_nan=x.dtype.kind == "f")):
                return False
        elif x != y:
            return False
    return True
