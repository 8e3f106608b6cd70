"""Expiring elements (``structures.expiry_queue``) bound to the parity union-find.

See ``structures.expiry_dsu`` for why each base binds the generic kernel in a
wrapper of its own.  A query asks whether the whole graph is bipartite.
"""

from __future__ import annotations

from . import expiry_queue as xq
from . import parity_dsu
from ._jit import kernel


@kernel
def run_chunk(  # type: ignore[no-untyped-def]
    stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate,
    ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
    q_time, q_a, q_b, out, freed, end_time,
):
    """``structures.expiry_queue.run_chunk`` over the parity union-find."""
    return xq.run_chunk(
        stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate,
        parity_dsu.insert, parity_dsu.mark, parity_dsu.undo_to, parity_dsu.query_bipartite,
        ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
        q_time, q_a, q_b, out, freed, end_time,
    )
