"""The lifting engine bound to the union-find by size (see ``structures.lifted_dsu``
for why each base has wrappers of its own); a query returns a component size."""

from __future__ import annotations

from . import engine
from . import size_dsu
from ._jit import kernel


@kernel
def run_days(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    """``structures.engine.run_days`` with the union-find by size as base; a query
    ``(day, x, _)`` is the size of ``x``'s component."""
    return engine.run_days(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        size_dsu.insert, size_dsu.mark, size_dsu.undo_to, size_dsu.query_size,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    )


@kernel
def reset_path(stack, meta, bstate):  # type: ignore[no-untyped-def]
    """``structures.engine.reset_path`` with the union-find by size as base."""
    engine.reset_path(stack, meta, bstate, size_dsu.undo_to)
