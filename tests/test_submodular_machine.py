"""DynamicSubmodular as a hypothesis state machine: insert / delete / query with predictions
of every quality (exact, perturbed, garbage, none), checked after every step against brute
force and against a plain-Python Sieve-Streaming over the lifted structure's path order."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import dynalgo
from tests.submodular_naive import brute_opt, f_direct, random_objective, sieve_reference

MODES = ("exact", "perturbed", "garbage", "none")


class SubmodularMachine(RuleBasedStateMachine):
    """Up to 7 items, k <= 3; a hidden future of updates gives the 'exact' deletion days."""

    def __init__(self) -> None:
        super().__init__()
        self.s: dynalgo.DynamicSubmodular | None = None
        self.present: set[int] = set()
        self.future: list[tuple[int, int]] = []
        self.pos = 0

    @initialize(
        kind=st.sampled_from(("coverage", "facility", "feature")),
        n=st.integers(3, 7),
        k=st.integers(1, 3),
        eps=st.sampled_from((0.1, 0.3)),
        mode=st.sampled_from(MODES),
        backstop=st.sampled_from(("leveled", None)),
        share=st.sampled_from((0.5, 1.0, 4.0)),
        seed=st.integers(0, 2**16),
    )
    def setup(self, kind: str, n: int, k: int, eps: float, mode: str, backstop: str | None, share: float,
              seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.f = random_objective(kind, n, 6, rng)
        self.n, self.k, self.eps, self.mode = n, k, eps, mode
        self.rng = rng
        self.s = dynalgo.DynamicSubmodular(self.f, k, eps=eps, backstop=backstop, backstop_share=share,
                                           seed=seed, race_quantum=int(rng.integers(1, 20)))
        # the hidden future: a valid random update sequence
        pres: set[int] = set()
        for _ in range(40):
            if pres and (len(pres) == n or rng.random() < 0.45):
                e = int(rng.choice(sorted(pres)))
                pres.remove(e)
                self.future.append((0, e))
            else:
                e = int(rng.choice(sorted(set(range(n)) - pres)))
                pres.add(e)
                self.future.append((1, e))

    def _pdel(self, e: int) -> int | None:
        """The prediction of the deletion day of ``e`` inserted today, of the machine's quality."""
        assert self.s is not None
        today = self.s.day + 1
        if self.mode == "none":
            return None
        if self.mode == "garbage":
            return int(self.rng.integers(1, today + 30))
        # exact: the day the hidden future deletes it (if the future is followed from here)
        steps = [i for i in range(self.pos + 1, len(self.future)) if self.future[i] == (0, e)]
        exact = today + (steps[0] - self.pos) if steps else None
        if exact is None:
            return None
        if self.mode == "perturbed":
            return max(1, exact + int(self.rng.integers(-4, 5)))
        return exact

    def _apply(self, op: int, e: int) -> None:
        assert self.s is not None
        if op == 1:
            self.s.insert(e, predicted_deletion=self._pdel(e))
            self.present.add(e)
        else:
            self.s.delete(e)
            self.present.remove(e)

    @precondition(lambda self: self.s is not None)
    @rule()
    def step_future(self) -> None:
        while self.pos < len(self.future):
            op, e = self.future[self.pos]
            if (op == 1) != (e in self.present):
                self._apply(op, e)
                self.pos += 1
                return
            self.pos += 1  # off-script updates made this event impossible: skip it

    @precondition(lambda self: self.s is not None)
    @rule(data=st.data())
    def insert_off_script(self, data: st.DataObject) -> None:
        absent = sorted(set(range(self.n)) - self.present)
        if absent:
            self._apply(1, data.draw(st.sampled_from(absent)))

    @precondition(lambda self: self.s is not None and len(self.present) > 0)
    @rule(data=st.data())
    def delete_off_script(self, data: st.DataObject) -> None:
        self._apply(0, data.draw(st.sampled_from(sorted(self.present))))

    @precondition(lambda self: self.s is not None)
    @invariant()
    def checked(self) -> None:
        assert self.s is not None
        self.s.check()

    @precondition(lambda self: self.s is not None)
    @invariant()
    def answer_is_good(self) -> None:
        s = self.s
        assert s is not None
        sol = s.solution().tolist()
        assert set(sol) <= self.present and len(sol) <= self.k and len(set(sol)) == len(sol)
        assert abs(s.value() - f_direct(self.f, sol)) <= 1e-9 * max(1.0, s.value())
        opt = brute_opt(self.f, sorted(self.present), self.k)
        assert s.value() >= (0.5 - self.eps) * opt - 1e-9, (s.value(), opt, s.answered_by)
        if s.answered_by == "lifted":
            ref_sol, ref_val = sieve_reference(s)
            assert sol == ref_sol and s.value() == ref_val


# also run bounds-checked (NUMBA_BOUNDSCHECK=1) by the boundscheck job, with fewer examples there
TestSubmodularMachine = pytest.mark.boundscheck(SubmodularMachine.TestCase)
if os.environ.get("NUMBA_BOUNDSCHECK") == "1":
    TestSubmodularMachine.settings = settings(max_examples=20)
