"""Read-only component queries on the connectivity states, and counting drivers.

Component labels
----------------
A *label* of a component is one of its vertices, chosen by the state's current
shape, so that two vertices have the same label exactly when they are connected.
Queries never restructure anything, hence a label stays valid until the next
update (and may change with it).

* Union-find (``structures.dsu``, ``structures.parity_dsu``, which share the
  ``parent`` layout): the root of the vertex's tree.
* HDT (``structures.hdt``): the level-0 Euler-tour treap of the component is
  found from the vertex's node (node ``x`` is vertex ``x`` at level 0); the label
  is the first vertex node met walking down from the treap's root, always going
  to a child whose subtree holds a vertex node (the ``VERT`` channel), left
  first.  O(log n) expected, like ``connected``.

Sizes come from the ``VERT`` aggregate of the treap root on HDT (O(log n)) and by
counting on the union-find (O(n log n)); members by walking the Euler tour in
order (O(size)) or by scanning every vertex's root.

Counting drivers
----------------
``run`` with component counts: ``lifted_run_days_count`` is
``structures.engine.run_days`` with the union-find as base and the number of
components as the query; ``race_count`` drives the backstop race of
``structures.race_dsu_hdt.race`` up to each query day (by presenting a log
that ends there) and reads the count of the side that won that day;
``hdt_run_count`` is ``structures.hdt.run`` with counts.  Query days are
a sorted 1-d array of batch days.

Every kernel here writes only into the ``out`` array its caller passes (and the
race / engine / HDT states the drivers advance); none allocates.
"""

from __future__ import annotations

from . import dsu
from . import engine
from . import hdt
from . import race_dsu_hdt as _race
from ._jit import kernel
from .ett import VERT
from .ett import find_root as _find_root


# ---------------------------------------------------------------------------------
# union-find (dsu and parity_dsu share the parent array: < 0 at a root)
# ---------------------------------------------------------------------------------
@kernel
def uf_label(parent, x):  # type: ignore[no-untyped-def]
    """Root of ``x``."""
    while parent[x] >= 0:
        x = parent[x]
    return x


@kernel
def uf_labels(parent, out):  # type: ignore[no-untyped-def]
    """``out[x]`` = root of ``x`` for every vertex."""
    for x in range(parent.shape[0]):
        r = x
        while parent[r] >= 0:
            r = parent[r]
        out[x] = r


@kernel
def uf_size(parent, x):  # type: ignore[no-untyped-def]
    """Number of vertices whose root is the root of ``x``."""
    r = uf_label(parent, x)
    k = 0
    for y in range(parent.shape[0]):
        z = y
        while parent[z] >= 0:
            z = parent[z]
        if z == r:
            k += 1
    return k


@kernel
def uf_members(parent, x, out):  # type: ignore[no-untyped-def]
    """Write the vertices of ``x``'s component to ``out`` in increasing order; return their number."""
    r = uf_label(parent, x)
    k = 0
    for y in range(parent.shape[0]):
        z = y
        while parent[z] >= 0:
            z = parent[z]
        if z == r:
            out[k] = y
            k += 1
    return k


# ---------------------------------------------------------------------------------
# HDT: the level-0 Euler-tour forest
# ---------------------------------------------------------------------------------
@kernel
def hdt_label(ett, x):  # type: ignore[no-untyped-def]
    """The label vertex of ``x``'s component (see the module docstring)."""
    left, right, own, agg = ett[0], ett[1], ett[4], ett[5]
    r = _find_root(ett, x)
    while own[r, VERT] == 0:
        a = left[r]
        if a >= 0 and agg[a, VERT] > 0:
            r = a
        else:
            r = right[r]
    return r


@kernel
def hdt_labels(ett, n, out):  # type: ignore[no-untyped-def]
    """``out[x]`` = ``hdt_label`` of ``x`` for ``x`` in ``0..n-1``."""
    for x in range(n):
        out[x] = hdt_label(ett, x)


@kernel
def hdt_size(ett, x):  # type: ignore[no-untyped-def]
    """Number of vertices of ``x``'s component (vertex nodes of its level-0 tree)."""
    return ett[5][_find_root(ett, x), VERT]


@kernel
def hdt_members(ett, x, out):  # type: ignore[no-untyped-def]
    """Write the vertices of ``x``'s component to ``out`` in Euler-tour order; return their
    number.  An in-order walk of the treap by parent pointers (no stack)."""
    left, right, parent, own = ett[0], ett[1], ett[2], ett[4]
    y = _find_root(ett, x)
    while left[y] >= 0:
        y = left[y]
    k = 0
    while y >= 0:
        if own[y, VERT] != 0:
            out[k] = y
            k += 1
        if right[y] >= 0:
            y = right[y]
            while left[y] >= 0:
                y = left[y]
        else:
            while parent[y] >= 0 and right[parent[y]] == y:
                y = parent[y]
            y = parent[y]
    return k


# ---------------------------------------------------------------------------------
# component counts along a batch
# ---------------------------------------------------------------------------------
@kernel
def lifted_run_days_count(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    """``structures.engine.run_days`` with the union-find as base; a query ``(day, _, _)``
    is the number of components right after that day."""
    return engine.run_days(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        dsu.insert, dsu.mark, dsu.undo_to, dsu.query_components,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    )


@kernel
def race_count(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, ett, g,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, n_log,
    qdays, qpos, out, day0, rmeta, rf, no_queries, no_out,
):
    """Race the days up to ``log_day0 + n_log`` like ``structures.race_dsu_hdt.race``,
    writing to ``out[i]`` the number of components right after batch day ``qdays[i]``
    (sorted; batch day ``k`` is absolute day ``day0 + k``), read from the side that won
    that day.  ``no_queries`` / ``no_out``: empty (0, 3) int64 and (0,) bool arrays.

    Returns ``(next query, status)`` with the statuses of the race (grow and call again)."""
    nq = qdays.shape[0]
    end = log_day0 + n_log
    while True:
        t = rmeta[_race.R_DAY]
        settled = rmeta[_race.R_SETTLED] >= t
        if settled:
            while qpos < nq and day0 + qdays[qpos] <= t:
                if rmeta[_race.R_WINNER] == _race.WINNER_LIFTED:
                    out[qpos] = bstate[2][dsu.COMPONENTS]
                else:
                    out[qpos] = g[0][hdt.M_COMPONENTS]
                qpos += 1
        target = end if qpos >= nq else day0 + qdays[qpos]
        if settled and target <= t:
            return qpos, 0
        _, st = _race.race(
            days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, ett, g,
            ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target - log_day0,
            no_queries, 0, no_out, day0, rmeta, rf,
        )
        if st != 0:
            return qpos, st


@kernel
def hdt_run_count(ett, g, ids, op, u, v, qdays, out, k0, q0):  # type: ignore[no-untyped-def]
    """``structures.hdt.run`` answering the number of components right after each
    batch day of the sorted array ``qdays``.  Returns ``(k, q)`` as that kernel does."""
    nq = qdays.shape[0]
    meta = g[0]
    qi = q0
    while qi < nq and qdays[qi] <= k0:
        out[qi] = meta[hdt.M_COMPONENTS]
        qi += 1
    for k in range(k0, ids.shape[0]):
        if op[k] == 1:
            st = hdt.insert(ett, g, ids[k], u[k], v[k])
        else:
            st = hdt.delete(ett, g, ids[k])
        if st != hdt.OK:
            return k, qi
        while qi < nq and qdays[qi] == k + 1:
            out[qi] = meta[hdt.M_COMPONENTS]
            qi += 1
    return ids.shape[0], qi
