"""The backstop race for APSP: the lifted dense APSP against the fully dynamic one ([LS] Alg. C.2).

Modelled on ``structures.race_dsu_hdt`` (see its docstring and
docs/pages/design.md, section 7): both sides read one event log, each with its own cursor;
every day the sides are stepped alternately by virtual clocks until one is
caught up, and that side answers the day's queries.  The lifted side L is
``structures.engine`` over ``structures.apsp_dense``, stepped with
resumable budgets; the backstop B is ``structures.apsp_dynamic``, whose
updates are atomic.

Work units (deterministic): L counts base work plus scanned schedule slots
(``M_BASE_WORK + M_SCAN``), where base work is cells examined by relaxations
and entries undone; B counts cells examined by relaxations, rows tested,
arcs scanned by repairs and ``ceil(log2 n)`` per heap operation
(``structures.apsp_dynamic``).  The backstop's clock advances by
``B_FACTOR`` lifted units per backstop unit, a calibration that makes a unit
of clock cost about the same time on both sides, which is what makes an equal
share fair.  Measured with ``python -m bench.apsp``'s workloads (each side
alone, whole sequence): the lifted side spends 3.0 ns (n = 300) to 4.5 ns
(n = 1,000) per unit, the backstop 3.6 to 4.9 ns, so ``B_FACTOR = 1``.
``rmeta[R_WORK_B]`` counts raw backstop units.

The kernels take plain arrays only (the base kernels are bound inside), so
numba's disk cache can key them.
"""

from __future__ import annotations

import numpy as np

from . import apsp_dense
from . import apsp_dynamic
from . import engine
from ._jit import kernel
from .race_dsu_hdt import (  # noqa: F401  (the same race layout as connectivity)
    F_CLOCK_B, F_CLOCK_L, F_SHARE, F_SIZE, R_BACKLOG_B, R_BACKLOG_B_MAX, R_BACKLOG_L, R_BACKLOG_L_MAX, R_DAY,
    R_DAY_B, R_QUANTUM, R_SETTLED, R_SIZE, R_STEPS_L, R_WINNER, R_WON_B, R_WON_L, R_WORK_B, R_WORK_L,
    WINNER_BACKSTOP, WINNER_LIFTED, settle_day,
)

__all__ = [
    "B_FACTOR", "F_CLOCK_B", "F_CLOCK_L", "F_SHARE", "F_SIZE", "R_BACKLOG_B", "R_BACKLOG_B_MAX", "R_BACKLOG_L",
    "R_BACKLOG_L_MAX", "R_DAY", "R_DAY_B", "R_QUANTUM", "R_SETTLED", "R_SIZE", "R_STEPS_L", "R_WINNER", "R_WON_B",
    "R_WON_L", "R_WORK_B", "R_WORK_L", "WINNER_BACKSTOP", "WINNER_LIFTED", "backstop_apply", "backstop_catch_up",
    "lifted_step", "race",
]

#: lifted units of clock per backstop unit (see the module docstring)
B_FACTOR = 1.0


@kernel
def backstop_apply(bs, ev_op, ev_u, ev_v, ev_w, k):  # type: ignore[no-untyped-def]
    """Apply event row ``k`` to the backstop; return its work units."""
    return 1 + apsp_dynamic.apply(bs, ev_op[k], ev_u[k], ev_v[k], ev_w[k])


@kernel
def backstop_catch_up(bs, ev_op, ev_u, ev_v, ev_w, log_day0, day_b, target):  # type: ignore[no-untyped-def]
    """Apply the days ``day_b + 1 .. target`` to the backstop; return the work units."""
    w = 0
    for d in range(day_b + 1, target + 1):
        w += backstop_apply(bs, ev_op, ev_u, ev_v, ev_w, d - log_day0 - 1)
    return w


@kernel
def lifted_step(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
):
    """``structures.engine.lifted_step`` with the dense APSP as base."""
    return engine.lifted_step(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        apsp_dense.insert, apsp_dense.mark, apsp_dense.undo_to,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
    )


@kernel
def race(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, bs,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, n_log,
    queries, qpos, out, day0, rmeta, rf,
):
    """Race the days up to ``log_day0 + n_log`` (the end of the log), answering distance queries.

    Same contract as ``structures.race_dsu_hdt.race``: returns ``(next
    query, status)`` with status 0 done, 2 the lifted side needs a larger
    horizon, 3 it needs more instance rows.
    """
    nq = queries.shape[0]
    quantum = max(rmeta[R_QUANTUM], 1)
    share = rf[F_SHARE]
    while True:
        t = rmeta[R_DAY]
        if rmeta[R_SETTLED] < t:
            winner = -1
            while winner < 0:
                b_done = rmeta[R_DAY_B] >= t
                if b_done and rf[F_CLOCK_B] <= rf[F_CLOCK_L]:
                    winner = WINNER_BACKSTOP
                elif b_done or rf[F_CLOCK_L] <= rf[F_CLOCK_B]:
                    gap = rf[F_CLOCK_B] - rf[F_CLOCK_L]
                    budget = np.int64(np.ceil(gap)) if b_done else max(np.int64(np.ceil(gap)), quantum)
                    budget = max(budget, np.int64(1))
                    used, st = engine.lifted_step(
                        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
                        apsp_dense.insert, apsp_dense.mark, apsp_dense.undo_to,
                        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, t, budget,
                    )
                    rf[F_CLOCK_L] += used
                    rmeta[R_WORK_L] += used
                    if used > 0:
                        rmeta[R_STEPS_L] += 1
                    if st >= 2:
                        return qpos, st
                    if st == 0:
                        winner = WINNER_LIFTED
                else:
                    d = rmeta[R_DAY_B] + 1
                    w = backstop_apply(bs, ev_op, ev_u, ev_v, ev_w, d - log_day0 - 1)
                    rmeta[R_DAY_B] = d
                    rf[F_CLOCK_B] += B_FACTOR * w / share
                    rmeta[R_WORK_B] += w
            settle_day(rmeta, rf, stack, meta, t, winner)
        winner = rmeta[R_WINNER]
        while qpos < nq and day0 + queries[qpos, 0] <= t:
            if winner == WINNER_LIFTED:
                out[qpos] = bstate[0][queries[qpos, 1], queries[qpos, 2]]
            else:
                out[qpos] = bs[0][queries[qpos, 1], queries[qpos, 2]]
            qpos += 1
        if t >= log_day0 + n_log:
            return qpos, 0
        rmeta[R_DAY] = t + 1
