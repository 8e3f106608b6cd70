"""The backstop race for connectivity: the lifted union-find against HDT ([LS] Alg. C.2, Thm C.1).

Both sides read the same event log: the lifted side L
(``structures.engine`` with the undo union-find of ``structures.dsu``)
and the fully dynamic backstop B (``structures.hdt``) each keep a cursor
into it (L: ``meta[M_DAY]``, B: ``rmeta[R_DAY_B]``); the events after a
side's cursor are its buffer.  Each day the event goes into both buffers, then
the sides are stepped alternately until one of them is caught up; that side
answers the day's queries.  Alternation is by virtual clocks: L's clock counts
its work units, B's counts its units divided by ``share`` (r); the side whose
clock is behind is stepped -- B by one atomic update, L with a budget that
brings its clock to B's (at least ``quantum`` units).  A side wins when it is
caught up and its clock is not ahead of the other's (so an expensive atomic
HDT update that finishes "late" still lets L finish first).  The day ends at
the winner's clock; the loser's overshoot past it is carried to the next day.
Hence over any run L's work is at most ``work(B) / r`` plus one step per day
and B's at most ``r * work(L)`` plus one update per day.

Work units (deterministic, never wall-clock):

* L: base work plus scanned schedule slots (``M_BASE_WORK + M_SCAN`` of the
  engine): the same units as [`dynalgo.EngineStats.work`][dynalgo.EngineStats.work].  L is stepped
  by ``structures.engine.lifted_step``, whose window entries are resumable
  (a large sibling scan is done in chunks of at most the remaining budget), so
  one huge retrigger cannot block the race.
* B: an HDT update is atomic; it costs ``1 + WALKS * L_n * (1 + pushes + scanned)``
  units, where ``L_n = floor(log2 n) + 1`` is HDT's number of levels (an
  Euler-tour walk -- find_root, split, merge, a flag update -- visits O(log n)
  treap nodes), ``pushes`` / ``scanned`` are the update's increments of HDT's
  own counters ``M_TREE_PUSHES + M_NONTREE_PUSHES`` and ``M_SCANNED``, and
  ``WALKS = 8`` is the number of Euler-tour walks we charge per step (the
  update itself, each push, each scanned edge; a tree-edge insertion does
  about 10, a non-tree one 2-4).  ``WALKS`` is a calibration: it makes a unit
  cost about the same time on both sides, which is what makes an equal share
  fair.  Measured by ``python -m bench.race`` (n = 10,000, 40,000 days): HDT
  alone 16 ns per unit at ``WALKS = 8`` (32 at 4); the lifted side alone 8 ns
  per unit (garbage predictions, scan-heavy) to 23 ns (exact, construction
  included).

HDT allocates its Euler-tour nodes from a pool that grows in Python: an HDT
update that might not fit is refused before it changes anything, and the race
returns status 4 so that the driver grows the pool (``structures.hdt.fit``)
and calls again; the clocks and cursors are untouched, so the resumed race makes
the same decisions.

Like ``structures.lifted_dsu``, the kernels here take plain arrays only (the
base kernels are bound inside), so numba's disk cache can key them.
"""

from __future__ import annotations

import numpy as np

from . import dsu
from . import engine
from . import hdt
from ._jit import inline_kernel, kernel

# entries of ``rmeta`` (int64)
R_DAY = 0  # days issued to both buffers (absolute)
R_DAY_B = 1  # last day applied by the backstop
R_SETTLED = 2  # last day whose race is decided (and whose winner answered)
R_WINNER = 3  # winner of day R_SETTLED: 0 lifted, 1 backstop
R_WORK_L = 4  # lifted work spent inside the race
R_WORK_B = 5  # backstop work units
R_WON_L = 6  # days answered by the lifted side
R_WON_B = 7  # days answered by the backstop
R_BACKLOG_L_MAX = 8  # largest lifted backlog (days) seen at the end of a day
R_BACKLOG_B_MAX = 9
R_QUANTUM = 10  # least budget of one lifted step while the backstop is still running
R_BACKLOG_L = 11  # backlog at the end of the last settled day
R_BACKLOG_B = 12
R_STEPS_L = 13  # calls of the lifted stepper (rounds in which L worked)
R_SIZE = 16

# entries of ``rf`` (float64)
F_CLOCK_L = 0  # virtual clock of the lifted side within the current day (lifted units)
F_CLOCK_B = 1  # same for the backstop (its units / share)
F_SHARE = 2
F_SHARE_MIN = 3  # the adaptive share moves within [F_SHARE_MIN, F_SHARE_MAX]; equal: a fixed share
F_SHARE_MAX = 4
F_WL = 5  # decayed work of the lifted side (adaptive share), and the days it advanced
F_DL = 6
F_WB = 7  # same for the backstop
F_DB = 8
F_LAST_WL = 9  # counters at the previous settlement
F_LAST_DL = 10
F_LAST_WB = 11
F_LAST_DB = 12
F_SIZE = 14

#: weight kept by the adaptive share's cost estimates per settled day
DECAY = 0.98

#: Euler-tour walks charged per HDT step (see the module docstring)
WALKS = 8

WINNER_LIFTED = 0
WINNER_BACKSTOP = 1


@inline_kernel
def settle_day(rmeta, rf, stack, meta, t, winner):  # type: ignore[no-untyped-def]
    """Record ``winner`` as the answer of day ``t``: counters, backlogs, and the clocks of the
    next day (the day ends at the winner's clock: carry the loser's overshoot, drop its deficit)."""
    rmeta[R_SETTLED] = t
    rmeta[R_WINNER] = winner
    if winner == WINNER_LIFTED:
        rmeta[R_WON_L] += 1
    else:
        rmeta[R_WON_B] += 1
    bl = t - meta[engine.M_DAY] + (0 if engine.path_done(stack, meta) else 1)
    bb = t - rmeta[R_DAY_B]
    rmeta[R_BACKLOG_L] = bl
    rmeta[R_BACKLOG_B] = bb
    rmeta[R_BACKLOG_L_MAX] = max(rmeta[R_BACKLOG_L_MAX], bl)
    rmeta[R_BACKLOG_B_MAX] = max(rmeta[R_BACKLOG_B_MAX], bb)
    end = rf[F_CLOCK_L] if winner == WINNER_LIFTED else rf[F_CLOCK_B]
    rf[F_CLOCK_L] = max(rf[F_CLOCK_L] - end, 0.0)
    rf[F_CLOCK_B] = max(rf[F_CLOCK_B] - end, 0.0)


@inline_kernel
def adapt_share(rf, rmeta, meta):  # type: ignore[no-untyped-def]
    """Give the side that is cheaper per day the larger share (no-op for a fixed share).

    Each side's cost per day is its recent work divided by the days it advanced
    (both decayed by ``DECAY`` per settled day).  The side with the lower cost gets
    the work: the share becomes ``F_SHARE_MIN`` (the backstop gets ``r`` units per
    lifted unit) when the lifted side is cheaper, ``F_SHARE_MAX`` otherwise.  The
    choice follows cost, not wins, so a cheap side that is behind still gets the
    work to catch up.  Each day obeys the race's inequalities with that day's
    share, so with bounds ``[1 / R, R]`` each side's work is at most ``R`` times the
    other's plus one step per day (see the race section of the design page).
    """
    lo = rf[F_SHARE_MIN]
    hi = rf[F_SHARE_MAX]
    if lo >= hi:
        return
    wl = rmeta[R_WORK_L]
    dl = meta[engine.M_DAY]
    wb = rmeta[R_WORK_B]
    db = rmeta[R_DAY_B]
    rf[F_WL] = DECAY * rf[F_WL] + (wl - rf[F_LAST_WL])
    rf[F_DL] = DECAY * rf[F_DL] + (dl - rf[F_LAST_DL])
    rf[F_WB] = DECAY * rf[F_WB] + (wb - rf[F_LAST_WB])
    rf[F_DB] = DECAY * rf[F_DB] + (db - rf[F_LAST_DB])
    rf[F_LAST_WL] = wl
    rf[F_LAST_DL] = dl
    rf[F_LAST_WB] = wb
    rf[F_LAST_DB] = db
    if rf[F_DL] <= 0.0 or rf[F_DB] <= 0.0:
        return  # a side has not advanced yet: keep the share
    cost_l = rf[F_WL] / rf[F_DL]
    cost_b = rf[F_WB] / rf[F_DB]
    rf[F_SHARE] = lo if cost_l <= cost_b else hi


@kernel
def hdt_apply(ett, g, ev_elem, ev_op, ev_u, ev_v, k):  # type: ignore[no-untyped-def]
    """Apply event row ``k`` to HDT; return its work units (see the module docstring), or -1
    if HDT's node pool needs to grow first (nothing was applied: ``structures.hdt.fit``)."""
    meta = g[0]
    before = meta[hdt.M_TREE_PUSHES] + meta[hdt.M_NONTREE_PUSHES] + meta[hdt.M_SCANNED]
    if ev_op[k] == 1:
        st = hdt.insert(ett, g, ev_elem[k], ev_u[k], ev_v[k])
    else:
        st = hdt.delete(ett, g, ev_elem[k])
    if st != hdt.OK:
        return -1
    after = meta[hdt.M_TREE_PUSHES] + meta[hdt.M_NONTREE_PUSHES] + meta[hdt.M_SCANNED]
    return 1 + WALKS * meta[hdt.M_L] * (1 + after - before)


@kernel
def hdt_catch_up(ett, g, ev_elem, ev_op, ev_u, ev_v, log_day0, day_b, target):  # type: ignore[no-untyped-def]
    """Apply the days ``day_b + 1 .. target`` to HDT; return ``(work units, last day applied)``
    (before ``target`` if HDT's node pool must grow: grow it and call again from there)."""
    w = 0
    for d in range(day_b + 1, target + 1):
        x = hdt_apply(ett, g, ev_elem, ev_op, ev_u, ev_v, d - log_day0 - 1)
        if x < 0:
            return w, d - 1
        w += x
    return w, target


@kernel
def lifted_step(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
):
    """``structures.engine.lifted_step`` with the union-find as base."""
    return engine.lifted_step(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, dsu.insert, dsu.mark, dsu.undo_to,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
    )


@kernel
def race(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, ett, g,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, n_log,
    queries, qpos, out, day0, rmeta, rf,
):
    """Race the days up to ``log_day0 + n_log`` (the end of the log), answering queries.

    ``queries`` rows are (batch day, x, y), batch day ``k`` is absolute day
    ``day0 + k``.  Resumable: the state of the race is ``rmeta`` / ``rf``.
    Returns ``(next query, status)``: status 0 done, 2 the lifted side needs a
    larger horizon, 3 it needs more instance rows, 4 HDT's node pool must grow
    (``structures.hdt.fit``); grow and call again.
    """
    nq = queries.shape[0]
    quantum = max(rmeta[R_QUANTUM], 1)
    while True:
        share = rf[F_SHARE]
        t = rmeta[R_DAY]
        if rmeta[R_SETTLED] < t:
            # virtual clocks in lifted units (the backstop's units count 1/share each),
            # started at the overshoot carried from the previous day
            winner = -1
            while winner < 0:
                b_done = rmeta[R_DAY_B] >= t
                if b_done and rf[F_CLOCK_B] <= rf[F_CLOCK_L]:
                    winner = WINNER_BACKSTOP
                elif b_done or rf[F_CLOCK_L] <= rf[F_CLOCK_B]:
                    gap = rf[F_CLOCK_B] - rf[F_CLOCK_L]
                    budget = np.int64(np.ceil(gap)) if b_done else max(np.int64(np.ceil(gap)), quantum)
                    budget = max(budget, np.int64(1))
                    # engine.lifted_step, written out here: a call with this many array
                    # arguments costs ~0.4 us, more than a typical exact-prediction day
                    used = 0
                    st = 1
                    while True:
                        if not engine.path_done(stack, meta):
                            if used >= budget:
                                break
                            used += engine.advance_chunk(days, spay_i, spay_f, cand, stack, meta, bstate,
                                                         dsu.insert, dsu.mark, dsu.undo_to, budget - used)
                            continue
                        if meta[engine.M_DAY] >= t:
                            st = 0
                            break
                        if used >= budget:
                            break
                        if meta[engine.M_DAY] + 1 > meta[engine.M_H]:
                            st = 2
                            break
                        k = meta[engine.M_DAY] - log_day0
                        if (ev_op[k] == 1 and elem[ev_elem[k], engine.E_HEAD] < 0
                                and meta[engine.M_NINST] >= inst.shape[0]):
                            st = 3
                            break
                        engine.handle_event(days, spay_i, spay_f, inst, elem, meta, ev_elem[k], ev_op[k],
                                            ev_u[k], ev_v[k], ev_w[k], ev_pdel[k])
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
                    w = hdt_apply(ett, g, ev_elem, ev_op, ev_u, ev_v, d - log_day0 - 1)
                    if w < 0:
                        return qpos, 4
                    rmeta[R_DAY_B] = d
                    rf[F_CLOCK_B] += w / share
                    rmeta[R_WORK_B] += w
            settle_day(rmeta, rf, stack, meta, t, winner)
            adapt_share(rf, rmeta, meta)
        winner = rmeta[R_WINNER]
        while qpos < nq and day0 + queries[qpos, 0] <= t:
            if winner == WINNER_LIFTED:
                out[qpos] = dsu.connected(bstate, queries[qpos, 1], queries[qpos, 2])
            else:
                out[qpos] = hdt.connected(ett, g, queries[qpos, 1], queries[qpos, 2])
            qpos += 1
        if t >= log_day0 + n_log:
            return qpos, 0
        rmeta[R_DAY] = t + 1
