"""The random partition tree over days [LS Def. 2, Lemmas 5 and 7].

Windows are intervals of days.  The root is ``[1, T]``.  Divider ``d`` sits
between day ``d`` and day ``d + 1`` (``1 <= d < T``) and gets a pseudo-random
priority; each window ``[a, b]`` (``a < b``) splits at its divider of lowest
priority into ``[a, d]`` and ``[d + 1, b]``.  This is a treap (Cartesian tree)
over the dividers, built in O(T) with a stack.  Its depth is O(log T) with high
probability and the smallest window containing days ``t1`` and ``t2`` has
expected size O(|t2 - t1| log T), which is what makes the cost of a
misprediction proportional to its size.

Arrays: ``left[d]`` / ``right[d]`` are the dividers splitting the children of the
window split by ``d`` (``-1`` when that child is a single day).  Priorities are a
function of ``(seed, epoch, d)``, so a tree is reproducible from its seed and
epoch without storing them.  Two rank distributions are offered:

* ``TREAP`` (``mode=0``): i.i.d. pseudo-random ranks, exactly [LS] Def. 2.
* ``DYADIC`` (``mode=1``, the default of the engine): the rank of divider ``d`` is
  minus the number of trailing zero bits of ``d + s`` for one random shift ``s``
  in ``[0, 2**K)``, ``2**K >= T``.  This is a randomly shifted dyadic (segment)
  tree: depth at most ``K + 1`` instead of about ``2 ln T`` expected (and more in
  the worst leaf), and the same locality bound: days ``t1 < t2`` are separated
  at level ``l`` with probability at most ``(t2 - t1) / 2**l``, so the smallest
  window containing both has expected size O(|t2 - t1| log T), the property
  [LS] Lemma 7 provides for the i.i.d. tree.  A shallower tree means fewer
  insertions into the base structure (about 27% fewer on our connectivity
  benchmark).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ._jit import alloc_kernel, kernel

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@kernel
def splitmix64(x):  # type: ignore[no-untyped-def]
    """The splitmix64 finaliser: a bijective 64-bit hash."""
    z = np.uint64(x) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


TREAP = 0
DYADIC = 1


@kernel
def _key(seed, epoch):  # type: ignore[no-untyped-def]
    return splitmix64(np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(epoch))


@kernel
def shift(seed, epoch, T):  # type: ignore[no-untyped-def]
    """The random shift of a DYADIC tree over ``T`` days: uniform in ``[0, 2**K)``, ``2**K >= T``."""
    size = np.uint64(1)
    while size < np.uint64(T):
        size = size * np.uint64(2)
    return splitmix64(_key(seed, epoch) ^ np.uint64(0x5555555555555555)) & (size - np.uint64(1))


@kernel
def priority(seed, epoch, d, mode, s):  # type: ignore[no-untyped-def]
    """Priority of divider ``d`` (lower splits first) in tree ``epoch`` drawn from ``seed``.

    ``s`` is the shift of a DYADIC tree (ignored for TREAP).
    """
    if mode == DYADIC:
        x = np.uint64(d) + np.uint64(s)
        tz = np.uint64(0)
        while (x & np.uint64(1)) == np.uint64(0):
            x = x >> np.uint64(1)
            tz += np.uint64(1)
        return np.uint64(64) - tz
    return splitmix64(_key(seed, epoch) ^ np.uint64(d))


@kernel
def build(T, seed, epoch, mode, left, right, stack):  # type: ignore[no-untyped-def]
    """Build the tree over days ``1..T`` into ``left``/``right``; return the root divider.

    ``mode`` is TREAP or DYADIC.  ``stack`` is scratch space of length at least
    ``T``.  Returns -1 when ``T == 1`` (the root window is a single day).
    """
    s = shift(seed, epoch, T)
    sp = 0
    for d in range(1, T):
        p = priority(seed, epoch, d, mode, s)
        last = -1
        while sp > 0 and priority(seed, epoch, stack[sp - 1], mode, s) > p:
            last = stack[sp - 1]
            sp -= 1
        left[d] = last
        right[d] = -1
        if sp > 0:
            right[stack[sp - 1]] = d
        stack[sp] = d
        sp += 1
    if sp == 0:
        return -1
    return stack[0]


@kernel
def lca(root, left, right, T, t1, t2):  # type: ignore[no-untyped-def]
    """Depth and size of the smallest window containing days ``t1 <= t2``.

    Returns ``(-1, T)`` when ``t2 > T`` (no window contains it: the whole tree).
    """
    if t2 > T or t1 < 1:
        return -1, T
    a = 1
    b = T
    node = root
    depth = 0
    while a < b:
        if t2 <= node:
            b = node
            node = left[node]
        elif t1 > node:
            a = node + 1
            node = right[node]
        else:
            break
        depth += 1
    return depth, b - a + 1


@alloc_kernel
def max_depth(root, left, right, T):  # type: ignore[no-untyped-def]
    """Depth of the deepest leaf (root has depth 0)."""
    if T <= 1:
        return 0
    stack = np.empty((T, 2), dtype=np.int64)
    stack[0, 0] = root
    stack[0, 1] = 0
    sp = 1
    best = 0
    while sp > 0:
        sp -= 1
        node = stack[sp, 0]
        dep = stack[sp, 1]
        if dep + 1 > best:
            best = dep + 1
        for c in (left[node], right[node]):
            if c >= 0:
                stack[sp, 0] = c
                stack[sp, 1] = dep + 1
                sp += 1
    return best


@alloc_kernel
def _walk(root, left, right, T, lo_out, hi_out):  # type: ignore[no-untyped-def]
    # Iterative traversal recording each divider's window; returns count of dividers seen.
    if T <= 1:
        return 0
    stack = np.empty((T, 3), dtype=np.int64)
    stack[0, 0] = root
    stack[0, 1] = 1
    stack[0, 2] = T
    sp = 1
    seen = 0
    while sp > 0:
        sp -= 1
        d = stack[sp, 0]
        a = stack[sp, 1]
        b = stack[sp, 2]
        lo_out[d] = a
        hi_out[d] = b
        seen += 1
        if left[d] >= 0:
            stack[sp, 0] = left[d]
            stack[sp, 1] = a
            stack[sp, 2] = d
            sp += 1
        if right[d] >= 0:
            stack[sp, 0] = right[d]
            stack[sp, 1] = d + 1
            stack[sp, 2] = b
            sp += 1
    return seen


def check(
    root: int, left: NDArray[np.int64], right: NDArray[np.int64], T: int, seed: int, epoch: int, mode: int = TREAP
) -> None:
    """Assert the treap invariants: each divider splits exactly its window, heap order on priority."""
    if T <= 1:
        assert root == -1
        return
    lo = np.full(T, -1, dtype=np.int64)
    hi = np.full(T, -1, dtype=np.int64)
    seen = int(_walk(root, left, right, T, lo, hi))
    assert seen == T - 1, f"tree reaches {seen} of {T - 1} dividers"
    d = np.arange(1, T)
    assert np.all((lo[1:] <= d) & (d < hi[1:])), "divider outside its window"
    s = shift(seed, epoch, T)
    pr = np.array([priority(seed, epoch, int(x), mode, s) for x in d], dtype=np.uint64)
    for x in d:
        for c, a, b in ((left[x], lo[x], x), (right[x], x + 1, hi[x])):
            if a == b:
                assert c == -1, "single-day window must have no divider"
            else:
                assert c >= 0 and lo[c] == a and hi[c] == b, "child window mismatch"
                assert pr[c - 1] > pr[x - 1], "heap order violated"
