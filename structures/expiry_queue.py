"""Expiring elements over an incremental structure with undo: deletions in a known order.

When every element carries the time at which it will be deleted (its *expiry*),
the order of the deletions is known at insertion time, and an incremental
structure with undo becomes fully dynamic without a partition tree: keep the
elements on a stack in the order they were applied to the base, and to delete
the element that expires first, undo the stack down to it and re-apply what was
above it.  Re-applying in a clever order keeps the cost low: the elements about
to expire go back on *top* (the soonest on the very top), the others keep their
order below them.  The rule for how deep to dig is:

    pop elements off the stack one by one; after each pop, let ``k`` be the
    number of popped elements that expire before every element still on the
    stack; stop as soon as ``k >= 1`` and ``2 k >= popped``.

Then re-push the popped elements that are not among those ``k`` (in their old
order), then the ``k`` (latest expiry first), and undo the top one.  Every element
is re-applied ``O(log m)`` times amortized, ``m`` the number of live elements, so
an update costs ``O(log m)`` base operations amortized whatever the order of the
expiries.  With first-in first-out expiries (a sliding window) the ``k`` soonest
elements are always the oldest ones.  The digging rule is the priority-queue
generalisation of the queue-of-undo-stacks technique; see the design page of the
documentation for the argument.

Deleting an element *before* its expiry (a misprediction) makes it the most
urgent element: the same rule digs down to it, so its cost is the number of
elements above it on the stack, plus the amortized share of the re-pushes.

State (plain arrays, grown by the Python wrapper between calls)
--------------------------------------------------------------
``stk``    int64[cap, 3]: per stack position: element slot, base mark before it was
           applied, slot of the soonest-expiring element at or below it (prefix min).
``el``     int64[ecap, 7]: per element slot: expiry, sequence number (ties), stack
           position (-1 when not on the stack), generation, status (0 free, 1 live),
           renewed expiry, key.
``hk``/``hv`` int64[2^j]: open-addressing table key -> slot (linear probing, deletion
           by backward shift, at most half full), so that a key inserted while it is
           live renews the element instead of adding a copy.
``pay_i`` / ``pay_f``: the element's payload (``pay_i[slot, 0:2]`` the edge), read
           by the base's ``insert``.
``scr``    int64[cap, 4]: scratch (popped list; a binary heap of their keys).
``meta``   int64[16]: counters ``M_*``.
"""

from __future__ import annotations

import numpy as np

from ._jit import inline_kernel, kernel

NEVER = np.iinfo(np.int64).max
FIRST = np.iinfo(np.int64).min  # expiry given to an element deleted early, for its dig
LAST = np.iinfo(np.int64).max  # compares after every key (an empty rest of the stack)

# columns of ``stk``
S_ELEM = 0
S_MARK = 1
S_PMIN = 2
# columns of ``el``
E_EXP = 0
E_SEQ = 1
E_POS = 2
E_GEN = 3
E_LIVE = 4
E_RENEW = 5  # latest expiry asked for by a renewal (>= E_EXP); applied lazily when E_EXP comes due
E_KEY = 6  # the element's key in the table (pair key), -1 if none
EL_COLS = 7
# ``meta``
M_SIZE = 0  # stack size
M_FORCED = 1  # slot deleted early (the most urgent element), -1 if none
M_APPLIED = 2  # base insertions (work)
M_UNDONE = 3  # base undo steps (work)
M_EXPIRED = 4  # deletions by expiry
M_EARLY = 5  # deletions before the expiry (mispredictions)
M_SEQ = 6  # next sequence number
M_LIVE = 7  # live elements
M_DIGS = 8  # digs that re-applied something
M_REPUSHED = 9  # elements re-applied by digs
M_RENEWALS = 10  # insertions of a live key (its expiry moves later)
M_RENEWED = 11  # renewals applied when the old expiry came due
M_SKIPPED = 12  # elements that expired before the next query, so never reached the base
META_LEN = 16


@inline_kernel
def before(el, a, b):  # type: ignore[no-untyped-def]
    """True if element slot ``a`` must be deleted before slot ``b`` (expiry, then age)."""
    ea = el[a, E_EXP]
    eb = el[b, E_EXP]
    if ea != eb:
        return ea < eb
    return el[a, E_SEQ] < el[b, E_SEQ]


@inline_kernel
def _push(stk, el, meta, pay_i, pay_f, bstate, b_insert, b_mark, e):  # type: ignore[no-untyped-def]
    s = meta[M_SIZE]
    stk[s, S_ELEM] = e
    stk[s, S_MARK] = b_mark(bstate)
    if s == 0:
        stk[s, S_PMIN] = e
    else:
        p = stk[s - 1, S_PMIN]
        stk[s, S_PMIN] = e if before(el, e, p) else p
    el[e, E_POS] = s
    meta[M_SIZE] = s + 1
    meta[M_APPLIED] += 1
    return b_insert(bstate, pay_i, pay_f, e)


@inline_kernel
def _hless(heap, i, j):  # type: ignore[no-untyped-def]
    """Heap entry ``i`` before entry ``j`` (rows: expiry, sequence number, slot)."""
    if heap[i, 0] != heap[j, 0]:
        return heap[i, 0] < heap[j, 0]
    return heap[i, 1] < heap[j, 1]


@inline_kernel
def _hswap(heap, i, j):  # type: ignore[no-untyped-def]
    for c in range(3):
        heap[i, c], heap[j, c] = heap[j, c], heap[i, c]


@inline_kernel
def _heap_push(heap, hn, el, e):  # type: ignore[no-untyped-def]
    """Push slot ``e`` with its key copied in, so that sifting reads only the heap."""
    i = hn
    heap[i, 0] = el[e, E_EXP]
    heap[i, 1] = el[e, E_SEQ]
    heap[i, 2] = e
    while i > 0:
        p = (i - 1) >> 1
        if _hless(heap, i, p):
            _hswap(heap, i, p)
            i = p
        else:
            break
    return hn + 1


@inline_kernel
def _heap_pop(heap, hn):  # type: ignore[no-untyped-def]
    hn -= 1
    for c in range(3):
        heap[0, c] = heap[hn, c]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= hn:
            break
        if c + 1 < hn and _hless(heap, c + 1, c):
            c += 1
        if _hless(heap, c, i):
            _hswap(heap, i, c)
            i = c
        else:
            break
    return hn


@kernel
def pop_first(stk, el, meta, scr, pay_i, pay_f, bstate, b_insert, b_mark, b_undo):  # type: ignore[no-untyped-def]
    """Remove the most urgent element (the forced one, else the soonest to expire).

    A forced element gets the smallest expiry for the duration of the dig; the prefix
    minima stored above it do not know that, so while it is still on the stack it is
    the most urgent remaining element by its position.  Returns the removed slot; the
    base holds every other stacked element afterwards.
    """
    forced = meta[M_FORCED]
    s = meta[M_SIZE]
    first = forced if forced >= 0 else stk[s - 1, S_PMIN]
    if stk[s - 1, S_ELEM] == first:  # already on top: one undo
        meta[M_UNDONE] += b_undo(bstate, stk[s - 1, S_MARK])
        meta[M_SIZE] = s - 1
        el[first, E_POS] = -1
        meta[M_FORCED] = -1
        return first
    fpos = -1
    if forced >= 0:
        fpos = el[forced, E_POS]
        el[forced, E_EXP] = FIRST
    # dig: scr[:, 0] holds the popped slots (top first), scr[:, 1:4] a heap of their keys
    heap = scr[:, 1:4]
    j = s
    npop = 0
    hn = 0
    k = 0
    while True:
        j -= 1
        e = stk[j, S_ELEM]
        if el[e, E_RENEW] > el[e, E_EXP] and e != forced:
            # off the stack, a pending renewal can take effect: the element then ranks
            # by its real expiry instead of coming back up as falsely urgent
            el[e, E_EXP] = el[e, E_RENEW]
            meta[M_RENEWED] += 1
        scr[npop, 0] = e
        npop += 1
        hn = _heap_push(heap, hn, el, e)
        # the most urgent element still on the stack (positions < j)
        if j == 0:
            rest = -1
        elif fpos >= 0 and fpos < j:
            rest = forced
        else:
            rest = stk[j - 1, S_PMIN]
        if rest < 0:
            rx = LAST
            rs = LAST
        else:
            rx = el[rest, E_EXP]
            rs = el[rest, E_SEQ]
        while hn > 0 and (heap[0, 0] < rx or (heap[0, 0] == rx and heap[0, 1] < rs)):
            el[heap[0, 2], E_POS] = -2 - k  # mark: k-th most urgent popped element
            hn = _heap_pop(heap, hn)
            k += 1
        if k >= 1 and 2 * k >= npop:
            break
    meta[M_UNDONE] += b_undo(bstate, stk[j, S_MARK])
    meta[M_SIZE] = j
    meta[M_DIGS] += 1
    # the urgent ones are ranked 0..k-1 by their mark; the others go back in their old
    # order (bottom first), then the urgent ones, latest first, so the soonest is on top
    ranked = scr[:, 1]  # the heap is no longer needed: reuse it as the rank -> slot table
    for i in range(npop - 1, -1, -1):
        e = scr[i, 0]
        r = el[e, E_POS]
        if r <= -2:
            ranked[-2 - r] = e
        else:
            _push(stk, el, meta, pay_i, pay_f, bstate, b_insert, b_mark, e)
            meta[M_REPUSHED] += 1
    for r in range(k - 1, 0, -1):
        _push(stk, el, meta, pay_i, pay_f, bstate, b_insert, b_mark, ranked[r])
        meta[M_REPUSHED] += 1
    e0 = ranked[0]
    el[e0, E_POS] = -1
    meta[M_FORCED] = -1
    return e0


@inline_kernel
def insert(stk, el, meta, pay_i, pay_f, bstate, b_insert, b_mark, e, expiry):  # type: ignore[no-untyped-def]
    """Apply element slot ``e`` (payload already written) expiring at ``expiry``."""
    el[e, E_EXP] = expiry
    el[e, E_SEQ] = meta[M_SEQ]
    meta[M_SEQ] += 1
    el[e, E_LIVE] = 1
    meta[M_LIVE] += 1
    return _push(stk, el, meta, pay_i, pay_f, bstate, b_insert, b_mark, e)


@inline_kernel
def _hslot(hk, key):  # type: ignore[no-untyped-def]
    mask = hk.shape[0] - 1
    h = np.uint64(key) * np.uint64(0x9E3779B97F4A7C15)
    i = np.int64((h >> np.uint64(24)) & np.uint64(mask))
    while hk[i] != -1 and hk[i] != key:
        i = (i + 1) & mask
    return i


@inline_kernel
def _hdel(hk, hv, key):  # type: ignore[no-untyped-def]
    """Remove ``key`` (present) by backward shift, keeping every probe chain intact."""
    mask = hk.shape[0] - 1
    i = _hslot(hk, key)
    j = i
    while True:
        j = (j + 1) & mask
        if hk[j] == -1:
            break
        h = np.uint64(hk[j]) * np.uint64(0x9E3779B97F4A7C15)
        home = np.int64((h >> np.uint64(24)) & np.uint64(mask))
        # move hk[j] into the hole at i unless its home lies cyclically in (i, j]
        if (i <= j and (home <= i or home > j)) or (i > j and home <= i and home > j):
            hk[i] = hk[j]
            hv[i] = hv[j]
            i = j
    hk[i] = -1


@inline_kernel
def _refresh_pmin(stk, el, meta, j):  # type: ignore[no-untyped-def]
    """Recompute the prefix minima from stack position ``j`` up (after an expiry moved later)."""
    for s in range(j, meta[M_SIZE]):
        e = stk[s, S_ELEM]
        if s == 0:
            stk[s, S_PMIN] = e
        else:
            p = stk[s - 1, S_PMIN]
            stk[s, S_PMIN] = e if before(el, e, p) else p


@inline_kernel
def _release(el, meta, hk, hv, e):  # type: ignore[no-untyped-def]
    if el[e, E_KEY] >= 0:
        _hdel(hk, hv, el[e, E_KEY])
    _release_slot(el, meta, e)


@inline_kernel
def _release_slot(el, meta, e):  # type: ignore[no-untyped-def]
    el[e, E_LIVE] = 0
    el[e, E_GEN] += 1
    el[e, E_POS] = -1
    el[e, E_KEY] = -1
    meta[M_LIVE] -= 1


@kernel
def expire_until(stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, b_undo, t, freed, nfreed):  # type: ignore[no-untyped-def]
    """Delete every element whose (renewed) expiry is ``<= t``; append their slots to ``freed``."""
    while meta[M_SIZE] > 0:
        p = stk[meta[M_SIZE] - 1, S_PMIN]
        if el[p, E_EXP] > t:
            break
        if el[p, E_RENEW] > el[p, E_EXP]:  # renewed: its expiry moves later, nothing is undone
            el[p, E_EXP] = el[p, E_RENEW]
            _refresh_pmin(stk, el, meta, el[p, E_POS])
            meta[M_RENEWED] += 1
            continue
        e = pop_first(stk, el, meta, scr, pay_i, pay_f, bstate, b_insert, b_mark, b_undo)
        _release(el, meta, hk, hv, e)
        meta[M_EXPIRED] += 1
        freed[nfreed] = e
        nfreed += 1
    return nfreed


@kernel
def delete_early(stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, b_undo, e):  # type: ignore[no-untyped-def]
    """Delete live element slot ``e`` before its expiry (a misprediction)."""
    meta[M_FORCED] = e
    pop_first(stk, el, meta, scr, pay_i, pay_f, bstate, b_insert, b_mark, b_undo)
    _release(el, meta, hk, hv, e)
    meta[M_EARLY] += 1


@kernel
def _flush(stk, el, meta, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, t, freed, nfreed, npend):  # type: ignore[no-untyped-def]
    """Apply the insertions held back since the last query (listed at the end of ``freed``,
    oldest first): the ones already expired by ``t`` are dropped without touching the
    base, the others are pushed latest first, so the soonest to expire ends on top."""
    top = freed.shape[0] - 1
    for i in range(npend - 1, -1, -1):
        e = freed[top - i]
        if el[e, E_LIVE] == 0:
            continue  # deleted early while held back
        x = max(el[e, E_EXP], el[e, E_RENEW])
        if x <= t:
            _release(el, meta, hk, hv, e)
            meta[M_EXPIRED] += 1
            meta[M_SKIPPED] += 1
            freed[nfreed] = e
            nfreed += 1
        else:
            el[e, E_EXP] = x
            _push(stk, el, meta, pay_i, pay_f, bstate, b_insert, b_mark, e)
    return nfreed


@kernel
def run_chunk(  # type: ignore[no-untyped-def]
    stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, b_undo, b_query,
    ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
    q_time, q_a, q_b, out, freed, end_time,
):
    """Apply a chunk of time-ordered events and answer queries at their times.

    Events (``ev_time`` non-decreasing): ``ev_op == 1`` inserts the element with key
    ``ev_key`` and payload ``(ev_a, ev_b, ev_w)`` expiring at ``ev_exp`` (``NEVER``:
    no expiry): if that key is live, its expiry becomes the later of the two (a
    renewal); otherwise it takes a slot from ``free[:nfree]``.  ``ev_op == 0``
    deletes the live element with key ``ev_key`` now (the caller has checked that
    it is live).  At each time, expiries at or before it come first, then its
    events in order, then its queries (``q_time`` non-decreasing, answered by
    ``b_query``).  Finally every element expiring at or before ``end_time`` is
    deleted.

    New elements are held back until the next query (or the end of the chunk), since
    nothing observes them before: then the expiries of the stack are done first, the
    new elements that already expired never touch the base, and the others are
    pushed in one go, the soonest to expire on top.  This is what makes a window
    that slides by many updates between queries cheap.

    ``freed`` (length at least live elements + events + 1) receives the freed slots
    from its start and holds the elements held back at its end; returns
    ``(nfree, nfreed)``.
    """
    m = ev_time.shape[0]
    nq = q_time.shape[0]
    top = freed.shape[0] - 1
    ei = 0
    qi = 0
    nfreed = 0
    npend = 0
    while ei < m or qi < nq:
        if qi >= nq or (ei < m and ev_time[ei] <= q_time[qi]):
            t = ev_time[ei]
        else:
            t = q_time[qi]
        nfreed = expire_until(stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, b_undo, t, freed, nfreed)
        while ei < m and ev_time[ei] == t:
            key = ev_key[ei]
            h = _hslot(hk, key)
            if ev_op[ei] == 1:
                if hk[h] == key:
                    e = hv[h]
                    if ev_exp[ei] > el[e, E_RENEW]:
                        el[e, E_RENEW] = ev_exp[ei]
                    meta[M_RENEWALS] += 1
                else:
                    nfree -= 1
                    e = free[nfree]
                    hk[h] = key
                    hv[h] = e
                    el[e, E_KEY] = key
                    el[e, E_RENEW] = ev_exp[ei]
                    el[e, E_EXP] = ev_exp[ei]
                    el[e, E_SEQ] = meta[M_SEQ]
                    meta[M_SEQ] += 1
                    el[e, E_LIVE] = 1
                    el[e, E_POS] = -1
                    meta[M_LIVE] += 1
                    pay_i[e, 0] = ev_a[ei]
                    pay_i[e, 1] = ev_b[ei]
                    pay_f[e] = ev_w[ei]
                    freed[top - npend] = e  # held back until the next query
                    npend += 1
            else:
                e = hv[h]
                if el[e, E_POS] < 0:  # held back: it never reached the base
                    _release(el, meta, hk, hv, e)
                    meta[M_EARLY] += 1
                else:
                    delete_early(stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, b_undo, e)
                freed[nfreed] = e
                nfreed += 1
            ei += 1
        if qi < nq and q_time[qi] == t:
            if npend > 0:
                nfreed = _flush(stk, el, meta, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, t, freed, nfreed, npend)
                npend = 0
            while qi < nq and q_time[qi] == t:
                out[qi] = b_query(bstate, q_a[qi], q_b[qi])
                qi += 1
    nfreed = expire_until(stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, b_undo, end_time, freed, nfreed)
    if npend > 0:
        nfreed = _flush(stk, el, meta, hk, hv, pay_i, pay_f, bstate, b_insert, b_mark, end_time, freed, nfreed, npend)
    return nfree, nfreed


def check(stk: np.ndarray, el: np.ndarray, meta: np.ndarray) -> None:
    """Assert the invariants of the stack (O(m)); the base is checked by its own ``check``."""
    s = int(meta[M_SIZE])
    assert 0 <= s <= stk.shape[0]
    assert int(meta[M_FORCED]) == -1, "a forced deletion was left half done"
    live = np.flatnonzero(el[:, E_LIVE] == 1)
    assert live.size == int(meta[M_LIVE]) == s, "live elements and stack size disagree"
    elems = stk[:s, S_ELEM]
    assert np.array_equal(np.sort(elems), live), "the stack does not hold exactly the live elements"
    assert np.array_equal(el[elems, E_POS], np.arange(s)), "stack positions are stale"
    assert np.all(el[el[:, E_LIVE] == 0, E_POS] == -1), "a dead element has a stack position"
    assert np.all(el[el[:, E_LIVE] == 0, E_KEY] == -1), "a dead element keeps a key"
    assert np.all(el[live, E_RENEW] >= el[live, E_EXP]), "a renewal moved an expiry earlier"
    assert np.all(np.diff(stk[:s, S_MARK]) >= 0), "base marks must not decrease up the stack"
    if s:
        key = el[elems, E_EXP].astype(object) * (1 << 64) + el[elems, E_SEQ].astype(object)
        best = 0
        for j in range(s):
            if key[j] < key[best]:
                best = j
            assert stk[j, S_PMIN] == elems[best], "prefix minimum is wrong"
