"""The schedule: predicted events matched to days [LS Lemma 2.1, App. C.1].

Each pending event is assigned a day, with at most one insertion and one
deletion per day (online matching on a line).  Per event type the kernel keeps

* ``slot[d]``: the instance whose event of that type sits on day ``d`` (or -1);
* ``nxt[d]`` / ``prv[d]``: union-find pointers over blocks of occupied days, so
  that the nearest free day to the right / left of ``d`` is found in near O(1)
  (path halving).  A free day is its own root in both; an occupied day ``d``
  points to ``d + 1`` in ``nxt`` and to ``d - 1`` in ``prv``.  Day 0 and day
  ``H + 1`` are sentinels that are always "free".

A freed day becomes a root again; pointers that already jump over it may miss
it, so a lookup returns *a* free day near the target (never an occupied one),
which is all correctness needs: placement only affects running time.

Days are rows of one ``int64[8, H + 2]`` array (see the ``ROW_*`` constants of
``structures.engine``).  Placement rule for an event wanted on day ``p`` when
it may not go before day ``lo``: ``p`` itself if free, else the nearest free day
on the left with probability ``(1/dl) / (1/dl + 1/dr)`` (the harmonic rule),
else the nearest free day on the right; ``deterministic`` picks the nearer one
(ties to the right).  A day beyond the horizon ``H`` is kept as it is
("overflow") and placed when the horizon grows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._jit import inline_kernel, kernel
from .partition_tree import splitmix64


@kernel
def find_right(nxt, x):  # type: ignore[no-untyped-def]
    """Nearest free day >= ``x`` (``H + 1`` when none inside the horizon)."""
    while nxt[x] != x:
        nxt[x] = nxt[nxt[x]]
        x = nxt[x]
    return x


@kernel
def find_left(prv, x):  # type: ignore[no-untyped-def]
    """Nearest free day <= ``x`` (0 when none)."""
    while prv[x] != x:
        prv[x] = prv[prv[x]]
        x = prv[x]
    return x


@inline_kernel
def occupy(slot, nxt, prv, d, i):  # type: ignore[no-untyped-def]
    slot[d] = i
    nxt[d] = d + 1
    prv[d] = d - 1


@inline_kernel
def release(slot, nxt, prv, d):  # type: ignore[no-untyped-def]
    slot[d] = -1
    nxt[d] = d
    prv[d] = d


@kernel
def uniform(meta, rng_index):  # type: ignore[no-untyped-def]
    """Next number in [0, 1) of the counter-based generator stored in ``meta[rng_index]``."""
    c = meta[rng_index]
    meta[rng_index] = c + 1
    return (splitmix64(np.uint64(c)) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@kernel
def choose_day(slot, nxt, prv, H, p, lo, deterministic, meta, rng_index):  # type: ignore[no-untyped-def]
    """Pick the day for an event wanted on day ``p`` that may not precede ``lo``.

    Returns a free day in ``[lo, H]``, or a day ``> H`` (overflow) when the
    right side is full up to the horizon and the left side is not allowed.
    Does not occupy the day.
    """
    if p < lo:
        p = lo
    if p > H:
        return p
    if slot[p] < 0:
        return p
    r = find_right(nxt, p)
    left_ok = False
    l = 0
    if p > 1:
        l = find_left(prv, p - 1)
        left_ok = l >= lo and l >= 1
    if not left_ok:
        return r
    if r > H:
        return l
    dl = p - l
    dr = r - p
    if deterministic:
        return l if dl < dr else r
    # left with probability (1/dl) / (1/dl + 1/dr) = dr / (dl + dr)
    if uniform(meta, rng_index) * (dl + dr) < dr:
        return l
    return r


def check(slot: NDArray[np.int64], nxt: NDArray[np.int64], prv: NDArray[np.int64], H: int) -> None:
    """Assert the block pointers agree with the slots: occupied days are never roots."""
    days = np.arange(1, H + 1)
    occ = slot[1 : H + 1] >= 0
    assert nxt[H + 1] == H + 1 and prv[0] == 0, "sentinels must be free"
    assert np.all(nxt[1 : H + 1][occ] > days[occ]), "occupied day is a root of nxt"
    assert np.all(prv[1 : H + 1][occ] < days[occ]), "occupied day is a root of prv"
    assert np.all(nxt[1 : H + 1] >= days) and np.all(prv[1 : H + 1] <= days)
    assert np.all(nxt[1 : H + 1] <= H + 1) and np.all(prv[1 : H + 1] >= 0)
