"""The backstop race for APSP: the lifted dense APSP against the fully dynamic one ([LS] Alg. C.2).

Modelled on :mod:`structures.race_dsu_hdt` (see its docstring): both sides
read one event log, each with its own cursor; every day the sides are stepped
alternately by virtual clocks until one is caught up, and that side answers the
day's queries.  The lifted side L is :mod:`structures.engine` over
:mod:`structures.apsp_dense`, stepped with resumable budgets; the backstop B is
:mod:`structures.apsp_dynamic`, stepped with budgets too: an update pauses
between rows of an insertion's relaxation and between sources of a
deletion's repair (:func:`structures.apsp_dynamic.step`), so a long repair no
longer runs to completion after the lifted side has caught up.

Two refinements of the plain race:

* **Skipping leaves.**  A lifted side that lags by several days handles the
  buffered events at once and then moves its path straight to today's leaf
  (:func:`lifted_skip`): the windows of the skipped leaves are never entered.
* **A leader by cost.**  Each side keeps an average of its work per day: the
  backstop a moving average over the days it applies; the lifted side decayed
  sums of its work and of the days it advanced, over the completions that
  came at most ``SAMPLE_LAG`` days after the previous one (a long catch-up
  skips leaves and is cheaper per day than keeping pace).  When the lifted
  side's average is ``TIE_L`` times below the backstop's and it completed a
  day within the last ``RECENT`` days, it takes the lead; it keeps it until
  the backstop's average is ``TIE_B`` times below its own.  (The first
  choice, once both sides have an average, takes the lower one.)  While the lifted
  side leads, the backstop runs at ``rf[F_FLOOR]`` (default 1/16) times its
  plain share (:func:`loser_share`), growing back to the plain share on a day
  when the lifted side's work exceeds ``RAMP`` times its average and what the
  backstop needs to catch up.  While the backstop leads (and before either
  side has an average) the race is the plain one: a lifted side held back
  would lag, and a lagging lifted side gives no estimate of its cost per day.
  ``rf[F_FLOOR] = 1`` is the plain race throughout.

Work units (deterministic): L counts base work plus scanned slots
(``M_BASE_WORK + M_SCAN``) plus one per skipped event; B counts cells examined
by relaxations, rows tested, arcs scanned by repairs and ``ceil(log2 n)`` per
heap operation (:mod:`structures.apsp_dynamic`).  The backstop's clock
advances by ``B_FACTOR`` lifted units per backstop unit.  Measured on the
update phases of ``bench.apsp_workloads`` at n = 1,000 (each side alone), the
lifted side spends 3.7 to 6.9 ns per unit and the backstop 1.9 to 4.7 ns
(road 3.97 / 3.59, hubs 3.68 / 1.93, random churn 6.94 / 4.67), so
``B_FACTOR = 0.7``.  ``rmeta[R_WORK_B]`` counts raw backstop
units.

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
    "lifted_skip", "lifted_step", "race", "F_EWMA_B", "F_EWMA_L", "F_FLOOR", "F_LEADER", "F_SIZE_APSP", "F_TODAY_B", "F_TODAY_L", "FLOOR",
    "loser_share",
]

#: lifted units of clock per backstop unit (see the module docstring)
B_FACTOR = 0.7

# entries of ``rf`` of this race, at fixed positions past those of :mod:`structures.race_dsu_hdt`
# (which may grow up to APSP_F0 entries without a clash)
APSP_F0 = 32
F_EWMA_L = APSP_F0 + 0  # the lifted side's work per day advanced (F_WSUM_L / F_DSUM_L)
F_EWMA_B = APSP_F0 + 1  # moving average of the backstop's work per day (lifted units: B_FACTOR times its own)
F_TODAY_L = APSP_F0 + 2  # work of each side on the day being raced
F_TODAY_B = APSP_F0 + 3
F_FLOOR = APSP_F0 + 4  # share of the backstop while the lifted side leads (1: a plain race)
F_ACC_L = APSP_F0 + 5  # lifted work since the lifted side last completed a day
F_LAST_L = APSP_F0 + 6  # that day
F_ACC_B = APSP_F0 + 7  # backstop work on the day it is applying
F_LEADER = APSP_F0 + 8  # the side expected to be cheaper (-1: none yet)
F_WSUM_L = APSP_F0 + 9  # decayed sums of the lifted side's work and days advanced, at its completions
F_DSUM_L = APSP_F0 + 10
F_SIZE_APSP = APSP_F0 + 12

#: default of ``rf[F_FLOOR]``
FLOOR = 1.0 / 16.0
#: the backstop's share starts to grow once the lifted side's day exceeds RAMP times its average day
RAMP = 4.0
#: completions of the lifted side after at most this many days count in its average (a long
#: catch-up skips leaves and is cheaper per day than keeping pace)
SAMPLE_LAG = 8
#: the lifted side takes the lead only if it completed a day at most this many days ago
RECENT = 16
#: weight of the newest sample in the moving averages: the lifted side's cost per day is heavy
#: tailed (a day whose path crosses a high window boundary re-inserts a large window), so its
#: average must be slow to see the tail; the backstop's is not, and it follows the workload quickly
EWMA_NEW_L = 1.0 / 256.0
#: the lead changes side only when the other side's average is lower by a factor: TIE_L for the
#: lifted side to take it, TIE_B for the backstop (the averages are noisy, a change of lead costs
#: the new leader a catch-up, and on near ties the backstop, whose cost is not heavy tailed, is
#: preferred)
TIE_L = 2.0
TIE_B = 1.25
EWMA_NEW_B = 1.0 / 64.0


@kernel
def loser_share(floor, today, threshold):  # type: ignore[no-untyped-def]
    """Share of the side expected to be slower, relative to the plain race: ``floor`` while the
    leader's work on this day is at most ``threshold``, then growing in proportion to that work, up
    to 1 (the plain race) at ``threshold / floor``."""
    g = floor * today / threshold
    if g < floor:
        return floor
    if g > 1.0:
        return 1.0
    return g


@kernel
def _ewma(avg, x, alpha):  # type: ignore[no-untyped-def]
    if not (avg > 0.0):
        return max(x, 1.0)
    return avg + alpha * (max(x, 1.0) - avg)


@kernel
def backstop_apply(bs, ev_op, ev_u, ev_v, ev_w, k):  # type: ignore[no-untyped-def]
    """Apply event row ``k`` to the backstop (completing a paused update first); return its work units."""
    w = apsp_dynamic.finish(bs)
    return w + 1 + apsp_dynamic.apply(bs, ev_op[k], ev_u[k], ev_v[k], ev_w[k])


@kernel
def backstop_catch_up(bs, ev_op, ev_u, ev_v, ev_w, log_day0, day_b, target):  # type: ignore[no-untyped-def]
    """Apply the days ``day_b + 1 .. target`` to the backstop; return the work units.  A paused
    update is the one of day ``day_b + 1``: it is completed instead of started."""
    w = 0
    first = day_b + 1
    if apsp_dynamic.paused(bs):
        w += 1 + apsp_dynamic.finish(bs)
        first += 1
    for d in range(first, target + 1):
        w += 1 + apsp_dynamic.apply(bs, ev_op[d - log_day0 - 1], ev_u[d - log_day0 - 1], ev_v[d - log_day0 - 1],
                                    ev_w[d - log_day0 - 1])
    return w


@kernel
def lifted_skip(days, spay_i, spay_f, inst, elem, stack, meta, ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel,  # type: ignore[no-untyped-def]
                log_day0, target):
    """Let a lagging lifted side skip leaves: handle the buffered events of days
    ``meta[M_DAY] + 1 .. target`` without moving the path between them; return how many.

    Only when the path of the current day is complete.  Handling an event keeps
    every window of the path stack valid for the new schedule (a misprediction
    invalidates the windows it affects, as on every day), so the path can then
    move straight to the leaf of ``target`` (``lifted_step``): the windows
    of the skipped leaves are never entered.  Stops early (for
    ``structures.engine.lifted_step`` to report) when the horizon or the
    instance rows must grow.
    """
    if not engine.path_done(stack, meta):
        return 0
    k = 0
    while meta[engine.M_DAY] < target:
        if meta[engine.M_DAY] + 1 > meta[engine.M_H]:
            break
        r = meta[engine.M_DAY] - log_day0
        if ev_op[r] == 1 and elem[ev_elem[r], engine.E_HEAD] < 0 and meta[engine.M_NINST] >= inst.shape[0]:
            break
        engine.handle_event(days, spay_i, spay_f, inst, elem, meta, ev_elem[r], ev_op[r], ev_u[r], ev_v[r], ev_w[r],
                            ev_pdel[r])
        k += 1
    return k


@kernel
def lifted_step(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
):
    """``structures.engine.lifted_step`` with the dense APSP as base, after ``lifted_skip``
    when the lifted side lags by more than one day (each skipped event counts one unit)."""
    used = np.int64(0)
    if meta[engine.M_DAY] + 1 < target:
        used += lifted_skip(days, spay_i, spay_f, inst, elem, stack, meta, ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel,
                            log_day0, target)
    u2, st = engine.lifted_step(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        apsp_dense.insert, apsp_dense.mark, apsp_dense.undo_to,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, max(budget - used, 1),
    )
    return used + u2, st


@kernel
def race(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, bs,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, n_log,
    queries, qpos, out, day0, rmeta, rf,
):
    """Race the days up to ``log_day0 + n_log`` (the end of the log), answering distance queries.

    Same contract as ``structures.race_dsu_hdt.race``: returns ``(next
    query, status)`` with status 0 done, 2 the lifted side needs a larger
    horizon, 3 it needs more instance rows.  Both sides are stepped with
    budgets (the backstop pauses inside an update, ``structures.apsp_dynamic.step``),
    and the side that did not answer the previous day runs at the reduced share
    ``loser_share`` (see the module docstring).
    """
    nq = queries.shape[0]
    quantum = max(rmeta[R_QUANTUM], 1)
    share = rf[F_SHARE]
    while True:
        t = rmeta[R_DAY]
        if rmeta[R_SETTLED] < t:
            winner = -1
            rf[F_TODAY_L] = 0.0
            rf[F_TODAY_B] = 0.0
            # the leader is the side expected to be cheaper per day (none: a plain race)
            # (hysteresis: the other side takes the lead only when cheaper by the factor TIE_L or TIE_B)
            leader = -1
            if rf[F_FLOOR] < 1.0 and rf[F_EWMA_L] > 0.0 and rf[F_EWMA_B] > 0.0:
                prev = np.int64(rf[F_LEADER])
                if prev == WINNER_LIFTED:
                    leader = WINNER_BACKSTOP if TIE_B * rf[F_EWMA_B] < rf[F_EWMA_L] else WINNER_LIFTED
                elif prev == WINNER_BACKSTOP:
                    # only a lifted side that keeps pace (a recent completion) takes the lead: the
                    # estimate of a lagging one is stale, and its catch-up would be paid first
                    fresh = rf[F_LAST_L] >= t - RECENT
                    leader = WINNER_LIFTED if fresh and TIE_L * rf[F_EWMA_L] < rf[F_EWMA_B] else WINNER_BACKSTOP
                else:
                    leader = WINNER_LIFTED if rf[F_EWMA_L] <= rf[F_EWMA_B] else WINNER_BACKSTOP
                rf[F_LEADER] = leader
            share_l = 1.0
            share_b = share
            while winner < 0:
                if leader == WINNER_LIFTED:
                    # the backstop cannot answer before it has applied its backlog
                    catch = rf[F_EWMA_B] * (t - rmeta[R_DAY_B])
                    share_b = share * loser_share(rf[F_FLOOR], rf[F_TODAY_L], max(RAMP * rf[F_EWMA_L], catch))
                # (when the backstop leads, the lifted side keeps the full share: a lifted side
                # held back lags, and a lagging lifted side gives no estimate of its cost per day)
                b_done = rmeta[R_DAY_B] >= t
                if b_done and rf[F_CLOCK_B] <= rf[F_CLOCK_L]:
                    winner = WINNER_BACKSTOP
                elif b_done or rf[F_CLOCK_L] <= rf[F_CLOCK_B]:
                    gap = (rf[F_CLOCK_B] - rf[F_CLOCK_L]) * share_l
                    budget = np.int64(np.ceil(gap)) if b_done else max(np.int64(np.ceil(gap)), quantum)
                    budget = max(budget, np.int64(1))
                    used, st = lifted_step(
                        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
                        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, t, budget,
                    )
                    rf[F_CLOCK_L] += used / share_l
                    rf[F_TODAY_L] += used
                    rf[F_ACC_L] += used
                    if engine.path_done(stack, meta) and meta[engine.M_DAY] > rf[F_LAST_L]:
                        # the lifted side completed a day: its work per day advanced, as decayed
                        # sums over its completions (a catch-up spreads its work over its days)
                        k_days = meta[engine.M_DAY] - rf[F_LAST_L]
                        if k_days <= SAMPLE_LAG or not (rf[F_DSUM_L] > 0.0):
                            rf[F_WSUM_L] = (1.0 - EWMA_NEW_L) * rf[F_WSUM_L] + rf[F_ACC_L]
                            rf[F_DSUM_L] = (1.0 - EWMA_NEW_L) * rf[F_DSUM_L] + k_days
                            rf[F_EWMA_L] = max(rf[F_WSUM_L] / rf[F_DSUM_L], 1.0)
                        rf[F_LAST_L] = meta[engine.M_DAY]
                        rf[F_ACC_L] = 0.0
                    rmeta[R_WORK_L] += used
                    if used > 0:
                        rmeta[R_STEPS_L] += 1
                    if st >= 2:
                        return qpos, st
                    if st == 0:
                        winner = WINNER_LIFTED
                else:
                    d = rmeta[R_DAY_B] + 1
                    k = d - log_day0 - 1
                    gap = (rf[F_CLOCK_L] - rf[F_CLOCK_B]) * share_b / B_FACTOR
                    budget = max(np.int64(np.ceil(gap)), quantum)
                    w, done = apsp_dynamic.step(bs, ev_op[k], ev_u[k], ev_v[k], ev_w[k], budget)
                    if done:
                        w += 1
                        rmeta[R_DAY_B] = d
                    rf[F_CLOCK_B] += B_FACTOR * w / share_b
                    rf[F_TODAY_B] += B_FACTOR * w
                    rf[F_ACC_B] += B_FACTOR * w
                    if done:
                        rf[F_EWMA_B] = _ewma(rf[F_EWMA_B], rf[F_ACC_B], EWMA_NEW_B)
                        rf[F_ACC_B] = 0.0
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
