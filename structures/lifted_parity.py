"""The lifting engine bound to the parity union-find: the compiled drivers of
``DynamicBipartiteness`` (see ``structures.lifted_dsu`` for why a base binds
the engine in wrappers of its own)."""

from __future__ import annotations

from . import engine
from . import parity_dsu
from ._jit import kernel


@kernel
def run_days(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    """``structures.engine.run_days`` with the parity union-find as base; a query
    asks whether the whole graph is bipartite."""
    return engine.run_days(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        parity_dsu.insert, parity_dsu.mark, parity_dsu.undo_to, parity_dsu.query_bipartite,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    )


@kernel
def reset_path(stack, meta, bstate):  # type: ignore[no-untyped-def]
    """``structures.engine.reset_path`` with the parity union-find as base."""
    engine.reset_path(stack, meta, bstate, parity_dsu.undo_to)
