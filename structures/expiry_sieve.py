"""Expiring items (``structures.expiry_queue``) over Sieve-Streaming with undo.

The expiry stack keeps the live items on a stack of undo marks of the sieve
(``structures.sieve``): an item is offered to the sieve when it is pushed, and
the item that expires first (or is deleted early) is removed by undoing the
sieve down to it and offering again the items that were above it, the soonest
to expire on top.  The sieve therefore always holds exactly the live items, and
its state is bit for bit Sieve-Streaming's on the live items taken in the order
of the stack (``seq`` of the sieve state), so the answer is a
``(1/2 - eps)``-approximation of the best ``k`` live items.

The element's payload is the item id in ``pay_i[slot, 0]`` (the sieve's
engine interface reads it there); ``ev_b``, ``ev_w``, ``q_a`` and ``q_b`` of
the generic chunk kernel are unused.  Each query is answered with ``f`` of the
best partial solution (``sieve.query``).

As for the other bases, the generic kernel takes the sieve's kernels as
function arguments and is bound here, with the built-in objectives, in a
wrapper whose arguments are plain arrays, which numba caches across processes;
``structures.submod_bind.expiry_chunk`` gives the entry point of any objective.
"""

from __future__ import annotations

from . import expiry_queue as xq
from . import sieve
from ._jit import kernel


@kernel
def run_chunk(  # type: ignore[no-untyped-def]
    stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate,
    ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
    q_time, q_a, q_b, out, freed, end_time,
):
    """``structures.expiry_queue.run_chunk`` over the sieve with the built-in objectives;
    each query is answered with f of the best partial solution."""
    return xq.run_chunk(
        stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate,
        sieve.engine_insert, sieve.mark, sieve.undo_to, sieve.query,
        ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
        q_time, q_a, q_b, out, freed, end_time,
    )
