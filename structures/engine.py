"""The lifting engine: an incremental structure with undo made fully dynamic.

Implements [LS] Liu & Srinivas, "The Predicted-Updates Dynamic Model", COLT 2024
(arXiv 2307.08890): the random partition tree (Def. 2), the schedule of
predicted events (Lemma 2.1), permanent elements and the just-in-time path stack
(Lemmas 17 and 19), handling a day with retriggers on mispredictions (Alg. 2.1)
and doubling of an unknown horizon (App. C.4).  See docs/pages/design.md, sections 3 and 4.

Genericity
----------
The base structure is passed as *first-class numba functions*
``b_insert(bstate, pay_i, pay_f, i) -> work``, ``b_mark(bstate) -> int`` and
``b_undo(bstate, mark) -> work``, plus ``b_query(bstate, x, y)`` for ``run``.
We chose arguments over a closure factory because closures built at run time
cannot be cached at all.  numba's disk cache does not recognise dispatcher-typed
arguments across processes either, so each base binds its kernels in two small
wrappers whose arguments are plain arrays (``structures.lifted_dsu`` for the
union-find); those wrappers are cached with the engine code compiled into them.

Instances
---------
An element (edge) may live many times.  The engine works on *instances*: the
k-th predicted insertion of an element paired with its k-th predicted deletion
(either may be missing: day ``BIG``).  The k-th real insertion of an element
takes its k-th instance (the in-order matching of the l1 error), or a fresh
unpredicted instance.  Instance ``i`` is alive on days ``ins[i] .. del[i] - 1``.

After day ``t`` has been handled, every event still pending lies after ``t``,
really inserted instances have ``ins <= t`` and really deleted ones
``del <= t``; so the state at leaf ``t`` holds exactly the present elements,
whatever the quality of the predictions.

State arrays
------------
``days``  int32[10, H + 2]: rows ``ROW_*`` (slots, block pointers, tree, partners);
          int32 halves the memory streamed by the scans (days and instances < 2**31).
``cand``  int32[H + 2]: scratch for the candidates of one window.
``spay_i`` int32[2, H + 2, 2], ``spay_f`` float64[2, H + 2]: the payload (e.g. the
          edge) of the instance in each insertion slot (``[0]``) and deletion slot
          (``[1]``), written when the instance is really inserted.  Keeping
          payloads and partner days next to the slots makes the scan for
          permanent elements a sequential pass over a few rows.
``inst``  int64[cap, 8]:   columns ``I_*``.
``elem``  int64[ecap, 2]:  columns ``E_*``.
``stack`` int64[S, 4]:     the root-to-leaf path, columns ``S_*``.
``meta``  int64[32]:       scalars and work counters ``M_*``.
"""

from __future__ import annotations

from ._jit import inline_kernel, kernel
from . import partition_tree as _pt
from .schedule import choose_day, find_left, find_right, occupy, release  # noqa: F401

BIG = 1 << 60
ROW_BIG = (1 << 31) - 1  # "beyond every day" in the int32 day rows
MAX_DEPTH = 1024

# rows of ``days``
ROW_SLOT_INS = 0
ROW_SLOT_DEL = 1
ROW_NXT_INS = 2
ROW_NXT_DEL = 3
ROW_PRV_INS = 4
ROW_PRV_DEL = 5
ROW_LEFT = 6
ROW_RIGHT = 7
ROW_PART_INS = 8  # deletion day of the instance in the insertion slot (-1: empty slot)
ROW_PART_DEL = 9  # insertion day of the instance in the deletion slot (BIG: empty slot)
N_ROWS = 10

# columns of ``inst``
I_ELEM = 0
I_INS = 1
I_DEL = 2
I_CINS = 3  # number of "later than predicted" moves of the insertion
I_CDEL = 4  # same for the deletion
I_NEXT = 5  # next instance of the same element in matching order
I_STATUS = 6  # 0 pending, 1 present, 2 finished
I_PDEL = 7  # the deletion day as predicted (BIG when none)

PENDING = 0
PRESENT = 1
FINISHED = 2

# columns of ``elem``
E_HEAD = 0  # next instance to be matched by a real insertion (-1: none left)
E_PRESENT = 1  # the present instance (-1: absent)

# columns of ``stack``
S_A = 0
S_B = 1
S_NODE = 2
S_MARK = 3

# entries of ``meta``
M_H = 0  # horizon
M_EPOCH = 1  # how many trees have been drawn
M_SEED = 2
M_DAY = 3  # last handled day
M_ROOT = 4
M_SP = 5  # stack size
M_INVALID = 6  # stack entries deeper than this must be recomputed
M_RNG = 7
M_NINST = 8
M_DETERMINISTIC = 9
M_WINDOWS = 10  # windows entered
M_BASE_INSERTS = 11  # elements inserted into the base structure
M_BASE_WORK = 12  # work reported by the base (insert + undo)
M_SCAN = 13  # candidate slots scanned
M_RETRIGGERS = 14
M_RETRIGGER_SUM = 15  # total size (days) of retriggered windows
M_RETRIGGER_MAX = 16
M_RESCHEDULES = 17
M_DOUBLINGS = 18
M_EARLY = 19  # events that happened earlier than scheduled
M_UNPREDICTED = 20  # real insertions with no predicted instance
M_ROOT_RETRIGGERS = 21  # retriggers of the whole tree (deletion never predicted in the horizon)
M_UNDO_WORK = 22  # part of M_BASE_WORK spent undoing
M_TREE = 23  # partition tree mode: partition_tree.TREAP or partition_tree.DYADIC
M_SCANPOS = 24  # resumable entry (advance_chunk): next slot to scan in the top window (0: none pending)
M_SCANEND = 25  # last slot of that scan
M_SCANKIND = 26  # 0: deletion slots (left child), 1: insertion slots (right child)
META_SIZE = 32


@inline_kernel
def _sync(days, spay_i, spay_f, inst, i, H):  # type: ignore[no-untyped-def]
    """Refresh the partner days (and the deletion slot's payload) of instance ``i``."""
    ins = inst[i, I_INS]
    dl = inst[i, I_DEL]
    if ins >= 1 and ins <= H and days[ROW_SLOT_INS, ins] == i:
        days[ROW_PART_INS, ins] = min(dl, ROW_BIG)
    if dl >= 1 and dl <= H and days[ROW_SLOT_DEL, dl] == i:
        days[ROW_PART_DEL, dl] = min(ins, ROW_BIG)
        if inst[i, I_STATUS] != PENDING:
            spay_i[1, dl, 0] = spay_i[0, ins, 0]
            spay_i[1, dl, 1] = spay_i[0, ins, 1]
            spay_f[1, dl] = spay_f[0, ins]


@inline_kernel
def _place(days, spay_i, spay_f, slot_row, inst, col, i, p, lo, meta):  # type: ignore[no-untyped-def]
    """Put event ``col`` (I_INS or I_DEL) of instance ``i`` near day ``p`` (not before ``lo``)."""
    H = meta[M_H]
    if p >= BIG:
        inst[i, col] = BIG
    else:
        slot = days[slot_row]
        nxt = days[slot_row + 2]
        prv = days[slot_row + 4]
        d = choose_day(slot, nxt, prv, H, p, lo, meta[M_DETERMINISTIC] != 0, meta, M_RNG)
        if d <= H:
            occupy(slot, nxt, prv, d, i)
        inst[i, col] = d
    _sync(days, spay_i, spay_f, inst, i, H)
    return inst[i, col]


@inline_kernel
def _place_only(days, slot_row, inst, col, i, p, lo, meta):  # type: ignore[no-untyped-def]
    """``_place`` without refreshing partner days (the caller does, in bulk)."""
    H = meta[M_H]
    if p >= BIG:
        inst[i, col] = BIG
    else:
        slot = days[slot_row]
        d = choose_day(slot, days[slot_row + 2], days[slot_row + 4], H, p, lo, meta[M_DETERMINISTIC] != 0, meta, M_RNG)
        if d <= H:
            occupy(slot, days[slot_row + 2], days[slot_row + 4], d, i)
        inst[i, col] = d
    return inst[i, col]


@inline_kernel
def _unplace(days, slot_row, inst, col, i, meta):  # type: ignore[no-untyped-def]
    """Free the slot of event ``col`` of instance ``i`` (its day is left to the caller)."""
    d = inst[i, col]
    if d >= 1 and d <= meta[M_H] and days[slot_row, d] == i:
        release(days[slot_row], days[slot_row + 2], days[slot_row + 4], d)
        if slot_row == ROW_SLOT_INS:
            days[ROW_PART_INS, d] = -1
        else:
            days[ROW_PART_DEL, d] = ROW_BIG


@inline_kernel
def _put(days, spay_i, spay_f, slot_row, inst, col, i, d, meta):  # type: ignore[no-untyped-def]
    """Move event ``col`` of instance ``i`` to the free day ``d`` (inside the horizon)."""
    _unplace(days, slot_row, inst, col, i, meta)
    occupy(days[slot_row], days[slot_row + 2], days[slot_row + 4], d, i)
    inst[i, col] = d
    _sync(days, spay_i, spay_f, inst, i, meta[M_H])


@kernel
def _retrigger(days, meta, t, tp):  # type: ignore[no-untyped-def]
    """Invalidate the path below the smallest window containing days ``t`` and ``tp``."""
    lo = min(t, tp)
    hi = max(t, tp)
    depth, size = _pt.lca(meta[M_ROOT], days[ROW_LEFT], days[ROW_RIGHT], meta[M_H], lo, hi)
    if depth < meta[M_INVALID]:
        meta[M_INVALID] = depth
    meta[M_RETRIGGERS] += 1
    meta[M_RETRIGGER_SUM] += size
    if size > meta[M_RETRIGGER_MAX]:
        meta[M_RETRIGGER_MAX] = size
    if depth < 0:
        meta[M_ROOT_RETRIGGERS] += 1


@kernel
def _later_ins(days, spay_i, spay_f, inst, meta, j, t):  # type: ignore[no-untyped-def]
    """The insertion of pending instance ``j`` was scheduled on day ``t`` but did not happen."""
    c = inst[j, I_CINS]
    _unplace(days, ROW_SLOT_INS, inst, I_INS, j, meta)
    target = t + (1 << min(c, 50))
    _place(days, spay_i, spay_f, ROW_SLOT_INS, inst, I_INS, j, target, t + 1, meta)
    inst[j, I_CINS] = c + 1
    meta[M_RESCHEDULES] += 1
    # drag the deletion along if it would now precede the insertion
    if inst[j, I_DEL] < inst[j, I_INS]:
        _unplace(days, ROW_SLOT_DEL, inst, I_DEL, j, meta)
        _place(days, spay_i, spay_f, ROW_SLOT_DEL, inst, I_DEL, j, inst[j, I_INS], inst[j, I_INS], meta)


@kernel
def _later_del(days, spay_i, spay_f, inst, meta, j, t):  # type: ignore[no-untyped-def]
    """The deletion of instance ``j`` was scheduled on day ``t`` but did not happen."""
    c = inst[j, I_CDEL]
    _unplace(days, ROW_SLOT_DEL, inst, I_DEL, j, meta)
    target = t + (1 << min(c, 50))
    lo = t + 1
    if inst[j, I_INS] > lo and inst[j, I_INS] < BIG:
        lo = inst[j, I_INS]
    d = _place(days, spay_i, spay_f, ROW_SLOT_DEL, inst, I_DEL, j, target, lo, meta)
    inst[j, I_CDEL] = c + 1
    meta[M_RESCHEDULES] += 1
    if inst[j, I_STATUS] == PRESENT:
        _retrigger(days, meta, t, d)


@inline_kernel
def _new_instance(inst, meta, e):  # type: ignore[no-untyped-def]
    """Append a pending instance of element ``e`` with no scheduled event; return its id."""
    i = meta[M_NINST]
    meta[M_NINST] = i + 1
    inst[i, I_ELEM] = e
    inst[i, I_INS] = BIG
    inst[i, I_DEL] = BIG
    inst[i, I_CINS] = 0
    inst[i, I_CDEL] = 0
    inst[i, I_NEXT] = -1
    inst[i, I_STATUS] = PENDING
    inst[i, I_PDEL] = BIG
    return i


@kernel
def handle_event(days, spay_i, spay_f, inst, elem, meta, e, op, u, v, w, pdel):  # type: ignore[no-untyped-def]
    """Steps 1 and 2 of [LS Alg. 2.1] for the real event of day ``meta[M_DAY] + 1``.

    ``e`` is the element, ``op`` 1 for an insertion and 0 for a deletion,
    ``(u, v, w)`` the payload of an insertion, ``pdel`` a predicted deletion day
    for an insertion (0: none given).  For an insertion the caller must have
    room for one more instance.  Returns the instance touched.  The caller
    guarantees validity (no duplicate insert, no absent delete) and that the day
    is within the horizon.
    """
    t = meta[M_DAY] + 1
    meta[M_DAY] = t
    if op == 1:
        i = elem[e, E_HEAD]
        if i < 0:
            i = _new_instance(inst, meta, e)
            meta[M_UNPREDICTED] += 1
        else:
            elem[e, E_HEAD] = inst[i, I_NEXT]
        inst[i, I_STATUS] = PRESENT
        elem[e, E_PRESENT] = i
        # a different predicted insertion sitting on day t did not happen
        j = days[ROW_SLOT_INS, t]
        if j >= 0 and j != i:
            _later_ins(days, spay_i, spay_f, inst, meta, j, t)
        if inst[i, I_INS] > t:
            meta[M_EARLY] += 1
        spay_i[0, t, 0] = u
        spay_i[0, t, 1] = v
        spay_f[0, t] = w
        _put(days, spay_i, spay_f, ROW_SLOT_INS, inst, I_INS, i, t, meta)
        if pdel > 0:
            inst[i, I_PDEL] = pdel
            _unplace(days, ROW_SLOT_DEL, inst, I_DEL, i, meta)
            _place(days, spay_i, spay_f, ROW_SLOT_DEL, inst, I_DEL, i, pdel, t + 1, meta)
        elif inst[i, I_DEL] <= t:
            _unplace(days, ROW_SLOT_DEL, inst, I_DEL, i, meta)
            _place(days, spay_i, spay_f, ROW_SLOT_DEL, inst, I_DEL, i, max(inst[i, I_PDEL], t + 1), t + 1, meta)
        # a predicted deletion sitting on day t did not happen
        j = days[ROW_SLOT_DEL, t]
        if j >= 0:
            _later_del(days, spay_i, spay_f, inst, meta, j, t)
        return i
    else:
        i = elem[e, E_PRESENT]
        j = days[ROW_SLOT_DEL, t]
        if j >= 0 and j != i:
            _later_del(days, spay_i, spay_f, inst, meta, j, t)
        tp = inst[i, I_DEL]
        inst[i, I_STATUS] = FINISHED
        elem[e, E_PRESENT] = -1
        if tp != t:
            meta[M_EARLY] += 1
            _put(days, spay_i, spay_f, ROW_SLOT_DEL, inst, I_DEL, i, t, meta)
            _retrigger(days, meta, t, tp)
        # a predicted insertion sitting on day t did not happen
        j = days[ROW_SLOT_INS, t]
        if j >= 0:
            _later_ins(days, spay_i, spay_f, inst, meta, j, t)
        return i


@inline_kernel
def _push(stack, meta, a, b, node, m):  # type: ignore[no-untyped-def]
    sp = meta[M_SP]
    stack[sp, S_A] = a
    stack[sp, S_B] = b
    stack[sp, S_NODE] = node
    stack[sp, S_MARK] = m
    meta[M_SP] = sp + 1
    meta[M_WINDOWS] += 1


@kernel
def advance(days, spay_i, spay_f, cand, stack, meta, bstate, b_insert, b_mark, b_undo):  # type: ignore[no-untyped-def]
    """Step 3 of [LS Alg. 2.1]: move the path stack to the leaf of day ``meta[M_DAY]``.

    Undo the windows that end before today or lie below a retriggered window,
    then enter the windows from there down to today's leaf, inserting into the
    base structure each window's permanent instances, found among the events
    scheduled in its sibling [LS Lemma 17]: a sequential scan of one partner row.
    """
    t = meta[M_DAY]
    if t < 1:
        return
    H = meta[M_H]
    sp = meta[M_SP]
    invalid = meta[M_INVALID]
    undone = 0
    while sp > 0 and (stack[sp - 1, S_B] < t or sp - 1 > invalid):
        sp -= 1
        undone += b_undo(bstate, stack[sp, S_MARK])
    meta[M_BASE_WORK] += undone
    meta[M_UNDO_WORK] += undone
    meta[M_SP] = sp
    meta[M_INVALID] = BIG
    left = days[ROW_LEFT]
    right = days[ROW_RIGHT]
    part_ins = days[ROW_PART_INS]
    part_del = days[ROW_PART_DEL]
    pi_ins = spay_i[0]
    pf_ins = spay_f[0]
    pi_del = spay_i[1]
    pf_del = spay_f[1]
    inserts = 0
    work = 0
    scan = 0
    if sp == 0:
        _push(stack, meta, 1, H, meta[M_ROOT], b_mark(bstate))
        scan += 1
        if part_ins[1] > H:
            work += b_insert(bstate, pi_ins, pf_ins, 1)
            inserts += 1
        sp = 1
    while True:
        a = stack[sp - 1, S_A]
        b = stack[sp - 1, S_B]
        if a == b:
            break
        d = stack[sp - 1, S_NODE]
        m = b_mark(bstate)
        if t <= d:
            # left child [a, d]: permanent iff deleted inside [d+1, b] and inserted by day a
            _push(stack, meta, a, d, left[d], m)
            scan += b - d
            # branch-free compaction first, then a predictable loop of inserts: keeps
            # the base's cache misses overlapping instead of serialised by mispredictions
            c = 0
            for s in range(d + 1, b + 1):
                cand[c] = s
                c += part_del[s] <= a
            for k in range(c):
                work += b_insert(bstate, pi_del, pf_del, cand[k])
            inserts += c
        else:
            # right child [d+1, b]: permanent iff inserted inside [a+1, d+1] and alive past b
            _push(stack, meta, d + 1, b, right[d], m)
            scan += d + 1 - a
            c = 0
            for s in range(a + 1, d + 2):
                cand[c] = s
                c += part_ins[s] > b
            for k in range(c):
                work += b_insert(bstate, pi_ins, pf_ins, cand[k])
            inserts += c
        sp += 1
    meta[M_BASE_WORK] += work
    meta[M_BASE_INSERTS] += inserts
    meta[M_SCAN] += scan


@kernel
def path_done(stack, meta):  # type: ignore[no-untyped-def]
    """Whether the path stack ends, complete, at the leaf of day ``meta[M_DAY]``."""
    t = meta[M_DAY]
    if t < 1:
        return True
    sp = meta[M_SP]
    return (sp > 0 and stack[sp - 1, S_A] == t and stack[sp - 1, S_B] == t
            and meta[M_SCANPOS] == 0 and meta[M_INVALID] == BIG)


@kernel
def advance_chunk(days, spay_i, spay_f, cand, stack, meta, bstate, b_insert, b_mark, b_undo, budget):  # type: ignore[no-untyped-def]
    """Bounded, resumable ``advance``: work for about ``budget`` units; return the units spent.

    Repeats, until the budget is spent (at least one piece is done) or the
    path is complete: continue the pending scan of the top window (at most the
    remaining budget, at least one slot; the position is kept in
    ``meta[M_SCANPOS]``); undo the windows that end before today or lie below
    a retriggered window (bounded by the base's undo log); push the root; push
    the next window of the path.  A sequence of calls does exactly what
    ``advance`` does (same windows, same inserts, same counters).  Work
    units are base work plus scanned slots, the quantities of
    ``meta[M_BASE_WORK]`` and ``meta[M_SCAN]``.
    """
    t = meta[M_DAY]
    if t < 1:
        return 0
    H = meta[M_H]
    used = 0
    while True:
        if used > 0 and used >= budget:
            return used
        if meta[M_SCANPOS] == 0:
            sp = meta[M_SP]
            invalid = meta[M_INVALID]
            if sp > 0 and (stack[sp - 1, S_B] < t or sp - 1 > invalid):
                undone = 0
                while sp > 0 and (stack[sp - 1, S_B] < t or sp - 1 > invalid):
                    sp -= 1
                    undone += b_undo(bstate, stack[sp, S_MARK])
                meta[M_BASE_WORK] += undone
                meta[M_UNDO_WORK] += undone
                meta[M_SP] = sp
                used += undone
            meta[M_INVALID] = BIG
            if sp == 0:
                _push(stack, meta, 1, H, meta[M_ROOT], b_mark(bstate))
                work = 0
                if days[ROW_PART_INS, 1] > H:
                    work = b_insert(bstate, spay_i[0], spay_f[0], 1)
                    meta[M_BASE_INSERTS] += 1
                meta[M_BASE_WORK] += work
                meta[M_SCAN] += 1
                used += 1 + work
                continue
            a = stack[sp - 1, S_A]
            b = stack[sp - 1, S_B]
            if a == b:
                return used
            d = stack[sp - 1, S_NODE]
            m = b_mark(bstate)
            if t <= d:
                _push(stack, meta, a, d, days[ROW_LEFT, d], m)
                meta[M_SCANPOS] = d + 1
                meta[M_SCANEND] = b
                meta[M_SCANKIND] = 0
            else:
                _push(stack, meta, d + 1, b, days[ROW_RIGHT, d], m)
                meta[M_SCANPOS] = a + 1
                meta[M_SCANEND] = d + 1
                meta[M_SCANKIND] = 1
        # scan a chunk of the top window's sibling
        sp = meta[M_SP]
        lo = meta[M_SCANPOS]
        end = meta[M_SCANEND]
        hi = min(end, lo + max(budget - used, 1) - 1)
        c = 0
        work = 0
        if meta[M_SCANKIND] == 0:
            a = stack[sp - 1, S_A]
            part_del = days[ROW_PART_DEL]
            for s in range(lo, hi + 1):
                cand[c] = s
                c += part_del[s] <= a
            pi = spay_i[1]
            pf = spay_f[1]
            for k in range(c):
                work += b_insert(bstate, pi, pf, cand[k])
        else:
            b = stack[sp - 1, S_B]
            part_ins = days[ROW_PART_INS]
            for s in range(lo, hi + 1):
                cand[c] = s
                c += part_ins[s] > b
            pi = spay_i[0]
            pf = spay_f[0]
            for k in range(c):
                work += b_insert(bstate, pi, pf, cand[k])
        scanned = hi - lo + 1
        meta[M_SCANPOS] = 0 if hi >= end else hi + 1
        meta[M_BASE_WORK] += work
        meta[M_BASE_INSERTS] += c
        meta[M_SCAN] += scanned
        used += scanned + work


@kernel
def lifted_step(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, b_insert, b_mark, b_undo,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
):
    """Work on the lifted side for about ``budget`` units (it may overshoot by one chunk's base work).

    Buffered events are the days ``meta[M_DAY] + 1 .. target``; the event of
    day ``d`` is row ``d - log_day0 - 1`` of the ``ev_*`` arrays.  The next
    event is handled only once the path of the current day is complete, so the
    work done is exactly that of ``run_days`` on the same days.  Returns
    ``(units spent, status)``: status 0 caught up (day ``target`` handled and
    its path complete), 1 budget spent, 2 the horizon must grow, 3 ``inst``
    must grow (the caller grows and calls again).
    """
    used = 0
    while True:
        if not path_done(stack, meta):
            if used >= budget:
                return used, 1
            used += advance_chunk(days, spay_i, spay_f, cand, stack, meta, bstate, b_insert, b_mark, b_undo,
                                  budget - used)
            continue
        if meta[M_DAY] >= target:
            return used, 0
        if used >= budget:
            return used, 1
        if meta[M_DAY] + 1 > meta[M_H]:
            return used, 2
        k = meta[M_DAY] - log_day0
        if ev_op[k] == 1 and elem[ev_elem[k], E_HEAD] < 0 and meta[M_NINST] >= inst.shape[0]:
            return used, 3
        handle_event(days, spay_i, spay_f, inst, elem, meta, ev_elem[k], ev_op[k], ev_u[k], ev_v[k], ev_w[k], ev_pdel[k])


@kernel
def reset_path(stack, meta, bstate, b_undo):  # type: ignore[no-untyped-def]
    """Undo the whole path (the base returns to its empty state)."""
    if meta[M_SP] > 0:
        meta[M_BASE_WORK] += b_undo(bstate, stack[0, S_MARK])
    meta[M_SP] = 0
    meta[M_INVALID] = BIG
    meta[M_SCANPOS] = 0


@kernel
def new_horizon(days, spay_i, spay_f, old_spay_i, old_spay_f, inst, meta, tree_scratch):  # type: ignore[no-untyped-def]
    """Fill fresh day arrays for horizon ``meta[M_H]``: draw a new tree, re-place every event.

    Payloads of past insertion days are copied from ``old_spay_*``.  Events with
    a free day inside the new horizon keep it; the others (overflow, or a
    conflict) go to the nearest free day at or after the day they wanted.  The
    caller resets the path first.
    """
    H = meta[M_H]
    for d in range(H + 2):
        days[ROW_SLOT_INS, d] = -1
        days[ROW_SLOT_DEL, d] = -1
        for r in range(ROW_NXT_INS, ROW_PRV_DEL + 1):
            days[r, d] = d
        days[ROW_PART_INS, d] = -1
        days[ROW_PART_DEL, d] = ROW_BIG
    today = meta[M_DAY]
    n_old = min(old_spay_f.shape[1], today + 1)
    for d in range(n_old):
        spay_i[0, d, 0] = old_spay_i[0, d, 0]
        spay_i[0, d, 1] = old_spay_i[0, d, 1]
        spay_f[0, d] = old_spay_f[0, d]
    meta[M_EPOCH] += 1
    meta[M_ROOT] = _pt.build(H, meta[M_SEED], meta[M_EPOCH], meta[M_TREE], days[ROW_LEFT], days[ROW_RIGHT], tree_scratch)
    n = meta[M_NINST]
    # pass 1: events whose day is free (past events and in-horizon pending ones)
    for i in range(n):
        for col, row in ((I_INS, ROW_SLOT_INS), (I_DEL, ROW_SLOT_DEL)):
            d = inst[i, col]
            if d <= H and days[row, d] < 0:
                occupy(days[row], days[row + 2], days[row + 4], d, i)
            elif d <= H:
                inst[i, col] = -d  # conflict: placed in pass 2
    # pass 2: conflicting events
    for i in range(n):
        for col, row in ((I_INS, ROW_SLOT_INS), (I_DEL, ROW_SLOT_DEL)):
            d = inst[i, col]
            if d < 0:
                inst[i, col] = -d
                _place(days, spay_i, spay_f, row, inst, col, i, -d, today + 1, meta)
    for i in range(n):
        _sync(days, spay_i, spay_f, inst, i, H)


@kernel
def initial_schedule(days, spay_i, spay_f, inst, elem, meta, pred_elem, pred_op, pred_day, order, cur):  # type: ignore[no-untyped-def]
    """Turn predicted events into instances and place them on days.

    Events are taken in ``order`` (by predicted day).  An element's k-th
    predicted insertion and its k-th predicted deletion form its k-th instance;
    instances of an element are chained in ``I_NEXT`` from ``elem[e, E_HEAD]``
    (the order in which real insertions will claim them).  Each event goes to
    its predicted day or, if taken, to a nearby free day (the harmonic rule of
    ``structures.schedule``).  Then one scan moves a deletion that landed
    before its insertion to the nearest free day at or after the insertion (the
    fix-up described under "The schedule" in docs/pages/design.md).  The caller reserves ``len(order)`` rows of
    ``inst`` and sets ``elem[:, E_HEAD] = -1`` for the elements involved.  ``cur``
    is scratch, int64 ``(len(elem), 4)`` filled with -1: per element, one 32-byte
    row: last instance of the insert stream, of the delete stream, last created,
    first created (the element's head, written back at the end).
    """
    n_elem = elem.shape[0]
    lo = meta[M_DAY] + 1
    H = meta[M_H]
    for k in range(order.shape[0]):
        p = order[k]
        e = pred_elem[p]
        c = cur[e, 0] if pred_op[p] == 1 else cur[e, 1]
        i = cur[e, 3] if c < 0 else inst[c, I_NEXT]
        if i < 0:
            i = _new_instance(inst, meta, e)
            if cur[e, 2] < 0:
                cur[e, 3] = i
            else:
                inst[cur[e, 2], I_NEXT] = i
            cur[e, 2] = i
        # partner days are filled by one pass over the days below, not per event
        # (the partner's slot is a random access into the day rows)
        if pred_op[p] == 1:
            cur[e, 0] = i
            _place_only(days, ROW_SLOT_INS, inst, I_INS, i, pred_day[p], lo, meta)
            dl = inst[i, I_DEL]
            if dl <= H and days[ROW_SLOT_DEL, dl] == i:  # its deletion came first (rare)
                days[ROW_PART_DEL, dl] = min(inst[i, I_INS], ROW_BIG)
        else:
            cur[e, 1] = i
            inst[i, I_PDEL] = pred_day[p]
            dl = _place_only(days, ROW_SLOT_DEL, inst, I_DEL, i, pred_day[p], lo, meta)
            if dl <= H:
                days[ROW_PART_DEL, dl] = min(inst[i, I_INS], ROW_BIG)
    for e in range(n_elem):
        if cur[e, 3] >= 0:
            elem[e, E_HEAD] = cur[e, 3]
    for i in range(meta[M_NINST]):
        if inst[i, I_DEL] < inst[i, I_INS] and inst[i, I_INS] < BIG:
            _unplace(days, ROW_SLOT_DEL, inst, I_DEL, i, meta)
            dl = _place_only(days, ROW_SLOT_DEL, inst, I_DEL, i, inst[i, I_INS], inst[i, I_INS], meta)
            if dl <= H:
                days[ROW_PART_DEL, dl] = min(inst[i, I_INS], ROW_BIG)
    # partner days of the insertion slots: instances are numbered in the order of
    # their first predicted event, so this pass reads ``inst`` almost sequentially
    # (all instances are pending: no payloads yet)
    for d in range(1, H + 1):
        i = days[ROW_SLOT_INS, d]
        if i >= 0:
            days[ROW_PART_INS, d] = min(inst[i, I_DEL], ROW_BIG)


@kernel
def run_days(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, b_insert, b_mark, b_undo, b_query,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    """Handle events ``start..`` of a batch until it ends, the horizon is reached or ``inst`` is full.

    ``queries`` rows are (batch day, x, y); batch day ``k`` is absolute day
    ``day0 + k``.  Answers go to ``out``.  Returns ``(next event, next query)``.
    """
    n_ev = ev_elem.shape[0]
    q = queries.shape[0]
    k = start
    # queries about the state before the first event handled in this call
    while qpos < q and day0 + queries[qpos, 0] <= meta[M_DAY]:
        out[qpos] = b_query(bstate, queries[qpos, 1], queries[qpos, 2])
        qpos += 1
    while k < n_ev:
        if meta[M_DAY] + 1 > meta[M_H]:
            break
        if ev_op[k] == 1 and elem[ev_elem[k], E_HEAD] < 0 and meta[M_NINST] >= inst.shape[0]:
            break  # the caller grows ``inst`` and calls again
        handle_event(days, spay_i, spay_f, inst, elem, meta, ev_elem[k], ev_op[k], ev_u[k], ev_v[k], ev_w[k], ev_pdel[k])
        advance(days, spay_i, spay_f, cand, stack, meta, bstate, b_insert, b_mark, b_undo)
        k += 1
        while qpos < q and day0 + queries[qpos, 0] <= meta[M_DAY]:
            out[qpos] = b_query(bstate, queries[qpos, 1], queries[qpos, 2])
            qpos += 1
    return k, qpos
