"""Python driver of the APSP backstop race: the lifted dense APSP against the fully dynamic one.

The compiled race is ``structures.race_apsp.race``; the event log, its
trimming, the counters and cloning are those of ``dynalgo._race.Race``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from structures import apsp_dynamic as _dyn
from structures import race_apsp as _r

from ._engine import LiftingEngine
from ._race import Race

__all__ = ["APSPRace"]


class APSPRace(Race):
    """The lifted engine (dense APSP base) raced against ``structures.apsp_dynamic``."""

    def __init__(self, engine: LiftingEngine, n: int, *, undirected: bool, share: float, quantum: int,
                 floor: float = _r.FLOOR) -> None:
        self.backstop = _dyn.make(n, undirected)
        self._init_race(engine, share, quantum)
        assert self.rf.shape[0] <= _r.APSP_F0, "the race's float entries overlap those of the APSP race"
        rf = np.zeros(_r.F_SIZE_APSP, dtype=np.float64)
        rf[: self.rf.shape[0]] = self.rf
        rf[_r.F_FLOOR] = float(floor)
        rf[_r.F_LEADER] = -1.0
        self.rf = rf

    def reserve(self, n_elements: int) -> None:
        self.engine.reserve(n_elements)

    def _race_kernel(self, queries: NDArray[np.int64], qpos: int, out: NDArray[Any], day0: int) -> tuple[int, int]:
        e = self.engine
        qp, st = _r.race(
            e.days, e.spay_i, e.spay_f, e.cand, e.inst, e.elem, e.stack, e.meta, e.bstate, self.backstop,
            self.ev_elem, self.ev_op, self.ev_u, self.ev_v, self.ev_w, self.ev_pdel,
            self.log_day0, self.n_log, queries, qpos, out, day0, self.rmeta, self.rf,
        )
        return int(qp), int(st)

    _lifted_step = staticmethod(_r.lifted_step)

    def _backstop_catch_up(self) -> int:
        return self.backstop_catch_up(self.backstop)

    def backstop_catch_up(self, state: _dyn.DynamicState) -> int:
        """Apply to ``state`` (the backstop or a copy of it) the days the backstop has not applied."""
        return int(_r.backstop_catch_up(state, self.ev_op, self.ev_u, self.ev_v, self.ev_w, self.log_day0,
                                        int(self.rmeta[_r.R_DAY_B]), self.day))
