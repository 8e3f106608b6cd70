"""Expiring elements (``structures.expiry_queue``) bound to the undo union-find.

As for the lifting engine (``structures.lifted_dsu``), the generic kernel takes
the base's kernels as function arguments and each base binds them in a wrapper
with plain array arguments, which numba can cache across processes.
"""

from __future__ import annotations

from . import dsu
from . import expiry_queue as xq
from ._jit import kernel


@kernel
def run_chunk(  # type: ignore[no-untyped-def]
    stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate,
    ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
    q_time, q_a, q_b, out, freed, end_time,
):
    """``structures.expiry_queue.run_chunk`` over the union-find; queries are ``connected``."""
    return xq.run_chunk(
        stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate, dsu.insert, dsu.mark, dsu.undo_to, dsu.connected,
        ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
        q_time, q_a, q_b, out, freed, end_time,
    )
