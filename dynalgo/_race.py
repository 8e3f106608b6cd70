"""Python driver of the backstop race ([LS] Alg. C.2): the event log, growth, counters.

The compiled race is ``structures.race_dsu_hdt.race``; this module owns the
log both sides read (trimmed once both have applied a prefix), the HDT state,
and grows the lifted side's arrays between kernel calls.
"""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from structures import engine as _k
from structures import hdt as _hdt
from structures import race_dsu_hdt as _r

from ._engine import LiftingEngine, RaceStats, _grow_rows
from ._validate import check_allocation

__all__ = ["RaceStats", "Race"]


_R = TypeVar("_R", bound="Race")


class Race:
    """The lifted engine (union-find base) raced against HDT over a shared event log."""

    def __init__(self, engine: LiftingEngine, n: int, *, share: float, quantum: int, seed: int,
                 adaptive: float | None = None) -> None:
        check_allocation(_hdt.initial_bytes(n), f"the HDT backstop on n={n} vertices")
        self.hdt = _hdt.make(n, 16, int(seed) & ((1 << 62) - 1))
        self._init_race(engine, share, quantum, adaptive)

    def _init_race(self, engine: LiftingEngine, share: float, quantum: int, adaptive: float | None = None) -> None:
        """The race counters, clocks and the empty event log (shared by every race driver)."""
        self.engine = engine
        self.rmeta = np.zeros(_r.R_SIZE, dtype=np.int64)
        self.rmeta[_r.R_QUANTUM] = int(quantum)
        self.rf = np.zeros(_r.F_SIZE, dtype=np.float64)
        self.rf[_r.F_SHARE] = float(share)
        # adaptive: the share moves within [share / R, share * R] towards the day's winner
        # (structures.race_dsu_hdt.adapt_share); fixed: both bounds equal the share
        R = 1.0 if adaptive is None else float(adaptive)
        self.rf[_r.F_SHARE_MIN] = float(share) / R
        self.rf[_r.F_SHARE_MAX] = float(share) * R
        self.log_day0 = 0
        self.n_log = 0
        self.ev_elem = np.zeros(16, dtype=np.int64)
        self.ev_op = np.zeros(16, dtype=np.int64)
        self.ev_u = np.zeros(16, dtype=np.int64)
        self.ev_v = np.zeros(16, dtype=np.int64)
        self.ev_w = np.zeros(16, dtype=np.float64)
        self.ev_pdel = np.zeros(16, dtype=np.int64)

    # ---------------------------------------------------------------------------------------
    @property
    def day(self) -> int:
        return int(self.rmeta[_r.R_DAY])

    @property
    def winner(self) -> int:
        """The side holding today's state: 0 lifted, 1 backstop."""
        return int(self.rmeta[_r.R_WINNER])

    def reserve(self, n_elements: int) -> None:
        self.engine.reserve(n_elements)
        self.hdt = _hdt.grow(self.hdt, n_elements)

    def _append(self, cols: tuple[NDArray[Any], ...]) -> None:
        done = min(self.engine.day, int(self.rmeta[_r.R_DAY_B]))
        drop = done - self.log_day0
        if drop < max(self.n_log - drop, 1024):  # trim only when it halves the log (amortized O(1))
            drop, done = 0, self.log_day0
        names = ("ev_elem", "ev_op", "ev_u", "ev_v", "ev_w", "ev_pdel")
        T = cols[0].shape[0]
        keep = self.n_log - drop
        for name, col in zip(names, cols):
            a = getattr(self, name)
            if keep + T > a.shape[0] or drop > 0:
                if keep + T > a.shape[0]:
                    b = np.zeros(max(2 * a.shape[0], keep + T), dtype=a.dtype)
                else:
                    b = a
                b[:keep] = a[drop : drop + keep]
                a = b
                setattr(self, name, a)
            a[keep : keep + T] = col
        self.log_day0 = done
        self.n_log = keep + T

    def run(self, ev: tuple[NDArray[Any], ...], queries: NDArray[np.int64], out: NDArray[Any]) -> None:
        """Race a validated batch (``ev`` = elem, op, u, v, w, pdel), answering ``queries``."""
        day0 = self.day
        self._append(ev)
        qpos = 0
        e = self.engine
        while True:
            qpos, st = self._race_kernel(queries, qpos, out, day0)
            if st == 0:
                return
            if st == 2:
                e._grow_horizon()
            elif st == 4:
                self._grow_backstop()
            else:
                e.inst = _grow_rows(e.inst, int(e.meta[_k.M_NINST]) + 1, 0)

    def _grow_backstop(self) -> None:
        """Room for the backstop update the race kernel refused (status 4)."""
        self.hdt = _hdt.fit(self.hdt)

    def _race_kernel(self, queries: NDArray[np.int64], qpos: int, out: NDArray[Any], day0: int) -> tuple[int, int]:
        """One call of the compiled race (a subclass binds its own backstop)."""
        e = self.engine
        ett, g = _hdt.args(self.hdt)
        qp, st = _r.race(
            e.days, e.spay_i, e.spay_f, e.cand, e.inst, e.elem, e.stack, e.meta, e.bstate, ett, g,
            self.ev_elem, self.ev_op, self.ev_u, self.ev_v, self.ev_w, self.ev_pdel,
            self.log_day0, self.n_log, queries, qpos, out, day0, self.rmeta, self.rf,
        )
        return int(qp), int(st)

    # ---------------------------------------------------------------------------------------
    def lifted_caught_up(self) -> bool:
        e = self.engine
        return e.day == self.day and bool(_k.path_done(e.stack, e.meta))

    def backstop_caught_up(self) -> bool:
        return int(self.rmeta[_r.R_DAY_B]) == self.day

    #: the compiled resumable lifted step of this race's base (a subclass binds its own)
    _lifted_step = staticmethod(_r.lifted_step)

    def catch_up(self) -> tuple[int, int]:
        """Drive both sides to today without a budget (outside the race); return their work."""
        e = self.engine
        wl = 0
        while True:
            used, st = self._lifted_step(
                e.days, e.spay_i, e.spay_f, e.cand, e.inst, e.elem, e.stack, e.meta, e.bstate,
                self.ev_elem, self.ev_op, self.ev_u, self.ev_v, self.ev_w, self.ev_pdel,
                self.log_day0, self.day, 1 << 62,
            )
            wl += int(used)
            if st == 0:
                break
            if st == 2:
                e._grow_horizon()
            elif st == 3:
                e.inst = _grow_rows(e.inst, int(e.meta[_k.M_NINST]) + 1, 0)
        wb = self._backstop_catch_up()
        self.rmeta[_r.R_DAY_B] = self.day
        return wl, wb

    def _backstop_catch_up(self) -> int:
        """Apply to the backstop the days it has not applied yet; return its work."""
        day_b, w = int(self.rmeta[_r.R_DAY_B]), 0
        while True:
            ett, g = _hdt.args(self.hdt)
            wd, d = _r.hdt_catch_up(ett, g, self.ev_elem, self.ev_op, self.ev_u, self.ev_v, self.log_day0,
                                    day_b, self.day)
            w += int(wd)
            if int(d) >= self.day:
                return w
            day_b = int(d)
            self.rmeta[_r.R_DAY_B] = day_b
            self.hdt = _hdt.fit(self.hdt)

    def clone(self: _R) -> _R:
        """A deep copy of the same class (the engine's kernels are shared, not copied)."""
        e = self.engine
        e2 = object.__new__(LiftingEngine)
        e2.__dict__.update({k: (v if k == "base" else copy.deepcopy(v)) for k, v in e.__dict__.items()})
        r2 = object.__new__(type(self))
        r2.__dict__.update({k: (e2 if k == "engine" else copy.deepcopy(v)) for k, v in self.__dict__.items()})
        return r2

    def stats(self) -> RaceStats:
        m = self.rmeta
        return RaceStats(
            share=float(self.rf[_r.F_SHARE]),
            lifted_work=int(m[_r.R_WORK_L]),
            backstop_work=int(m[_r.R_WORK_B]),
            days_lifted=int(m[_r.R_WON_L]),
            days_backstop=int(m[_r.R_WON_B]),
            lifted_backlog=int(m[_r.R_BACKLOG_L]),
            backstop_backlog=int(m[_r.R_BACKLOG_B]),
            max_lifted_backlog=int(m[_r.R_BACKLOG_L_MAX]),
            max_backstop_backlog=int(m[_r.R_BACKLOG_B_MAX]),
            lifted_steps=int(m[_r.R_STEPS_L]),
        )
