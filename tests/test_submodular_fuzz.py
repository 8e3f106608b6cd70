"""Long insert / delete loops through every submodular structure, re-inserting items many
times.  Marked ``boundscheck``: the bounds-checked run (NUMBA_BOUNDSCHECK=1) executes them,
so any write past the end of a kernel array fails loudly instead of corrupting memory.

Random cases: 2 loops of the reported shape, plus 3 kinds x 4 seeds x 6 structures = 72
random loops (400 updates each over 4 to 12 items, k in 1..4, eps in {0.1, 0.3}).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import dynalgo
from structures import sieve as _sv
from tests.submodular_naive import brute_opt, f_direct, random_objective, sieve_reference

pytestmark = pytest.mark.boundscheck

KINDS = ("coverage", "facility", "feature")
SEEDS = range(4)


@pytest.mark.parametrize("cls", [dynalgo.SieveRerun, dynalgo.SieveStreaming])
def test_reinsert_loop_of_the_report(cls: Callable[..., Any]) -> None:
    """One item present, another inserted and deleted over and over (it used to overflow the
    sieve's stream and log at the second insertion)."""
    s = cls(dynalgo.Coverage([[0, 1], [0]]), k=1)
    s.insert(0)
    for _ in range(3000):
        s.insert(1)
        s.delete(1)
    s.check()
    assert s.solution().tolist() == [0] and s.value() == 2.0
    nseq = int(s._sieve.meta[_sv.M_NSEQ])
    assert nseq <= 2 and int(s._sieve.meta[_sv.M_SLOG]) <= s._sieve.slog.shape[0]


def _updates(n: int, length: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Random valid updates that favour re-inserting recently deleted items."""
    present: set[int] = set()
    recent: list[int] = []
    out = []
    for _ in range(length):
        if present and (len(present) == n or rng.random() < 0.45):
            e = int(rng.choice(sorted(present)))
            present.remove(e)
            recent.append(e)
            out.append((0, e))
        else:
            absent = sorted(set(range(n)) - present)
            back = [x for x in recent[-3:] if x in absent]
            e = int(rng.choice(back)) if back and rng.random() < 0.6 else int(rng.choice(absent))
            present.add(e)
            out.append((1, e))
    return out


STRUCTS: dict[str, Callable[[dynalgo.Objective, int, float, int], Any]] = {
    "raced": lambda f, k, eps, seed: dynalgo.DynamicSubmodular(f, k, eps=eps, seed=seed, race_quantum=1 + seed),
    "lifted": lambda f, k, eps, seed: dynalgo.DynamicSubmodular(f, k, eps=eps, seed=seed, backstop=None),
    "leveled": lambda f, k, eps, seed: dynalgo.LeveledSubmodular(f, k, eps=eps, seed=seed),
    "greedy": lambda f, k, eps, seed: dynalgo.LazyGreedy(f, k),
    "rerun": lambda f, k, eps, seed: dynalgo.SieveRerun(f, k, eps=eps),
    "streaming": lambda f, k, eps, seed: dynalgo.SieveStreaming(f, k, eps=eps),
}


@pytest.mark.parametrize("name", list(STRUCTS))
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", SEEDS)
def test_long_random_loop(name: str, kind: str, seed: int) -> None:
    rng = np.random.default_rng(1000 * seed + KINDS.index(kind))
    n = int(rng.integers(4, 13))
    k = int(rng.integers(1, 5))
    eps = float(rng.choice([0.1, 0.3]))
    f = random_objective(kind, n, 6, rng)
    s = STRUCTS[name](f, k, eps, seed)
    present: set[int] = set()
    ups = _updates(n, 400, rng)
    for d, (op, e) in enumerate(ups, 1):
        if op:
            s.insert(e, predicted_deletion=d + int(rng.integers(1, 12)) if rng.random() < 0.7 else None)
            present.add(e)
        else:
            s.delete(e)
            present.remove(e)
        if d % 40 == 0 or d == len(ups):
            s.check()
            sol = s.solution().tolist()
            assert len(sol) == len(set(sol)) <= k
            assert s.value() == pytest.approx(f_direct(f, sol))
            if name == "streaming":
                continue  # its answer may hold deleted items
            assert set(sol) <= present
            bound = (1 - 1 / np.e) if name == "greedy" else 0.5 - eps
            assert s.value() >= bound * brute_opt(f, sorted(present), k) - 1e-9
            if isinstance(s, dynalgo.DynamicSubmodular) and s.answered_by == "lifted":
                ref_sol, ref_val = sieve_reference(s)
                assert sol == ref_sol and s.value() == ref_val


@pytest.mark.parametrize("kind", KINDS)
def test_long_batches_with_reinsertions(kind: str) -> None:
    """``run`` in batches (the lifted structure alone takes one compiled call per batch)."""
    rng = np.random.default_rng(77)
    n = 10
    f = random_objective(kind, n, 6, rng)
    ups = _updates(n, 600, rng)
    op = np.array([u[0] for u in ups], dtype=np.int64)
    it = np.array([u[1] for u in ups], dtype=np.int64)
    for backstop in (None, "leveled"):
        s = dynalgo.DynamicSubmodular(f, 3, eps=0.2, backstop=backstop, seed=3)
        for a in range(0, len(ups), 150):
            pd = np.where(op[a : a + 150] == 1, np.arange(1, 151) + 7, 0)
            s.run(it[a : a + 150], op[a : a + 150], predicted_deletions=pd)
        s.check()
        assert s.day == len(ups)
