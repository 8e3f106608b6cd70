"""Python driver of the APSP backstop race: the lifted dense APSP against the fully dynamic one.

The compiled race is :func:`structures.race_apsp.race`; the event log, its
trimming, the counters and cloning are those of :class:`dynalgo._race.Race`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from structures import apsp_dynamic as _dyn
from structures import engine as _k
from structures import race_apsp as _r

from ._engine import LiftingEngine, _grow_rows
from ._race import Race

__all__ = ["APSPRace"]


class APSPRace(Race):
    """The lifted engine (dense APSP base) raced against :mod:`structures.apsp_dynamic`."""

    def __init__(self, engine: LiftingEngine, n: int, *, undirected: bool, share: float, quantum: int) -> None:
        self.backstop = _dyn.make(n, undirected)
        self._init_race(engine, share, quantum)

    def reserve(self, n_elements: int) -> None:
        self.engine.reserve(n_elements)

    def run(self, ev: tuple[NDArray[Any], ...], queries: NDArray[np.int64], out: NDArray[Any]) -> None:
        """Race a validated batch (``ev`` = elem, op, u, v, w, pdel), answering ``queries``."""
        day0 = self.day
        self._append(ev)
        qpos = 0
        e = self.engine
        while True:
            qpos, st = _r.race(
                e.days, e.spay_i, e.spay_f, e.cand, e.inst, e.elem, e.stack, e.meta, e.bstate, self.backstop,
                self.ev_elem, self.ev_op, self.ev_u, self.ev_v, self.ev_w, self.ev_pdel,
                self.log_day0, self.n_log, queries, qpos, out, day0, self.rmeta, self.rf,
            )
            if st == 0:
                return
            if st == 2:
                e._grow_horizon()
            else:
                e.inst = _grow_rows(e.inst, int(e.meta[_k.M_NINST]) + 1, 0)

    _lifted_step = staticmethod(_r.lifted_step)

    def _backstop_catch_up(self) -> int:
        return self.backstop_catch_up(self.backstop)

    def backstop_catch_up(self, state: _dyn.DynamicState) -> int:
        """Apply to ``state`` (the backstop or a copy of it) the days the backstop has not applied."""
        return int(_r.backstop_catch_up(state, self.ev_op, self.ev_u, self.ev_v, self.ev_w, self.log_day0,
                                        int(self.rmeta[_r.R_DAY_B]), self.day))
