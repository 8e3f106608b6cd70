"""The lifting engine bound to the undo union-find: the compiled drivers of ``DynamicConnectivity``.

The engine kernels of ``structures.engine`` take the base structure's kernels
as first-class function arguments.  numba's on-disk cache cannot key a function
on such dispatcher-typed arguments across processes (it would recompile the
engine in every new process), so each base binds them here, in wrappers whose
arguments are plain arrays: these are cached normally, with the engine code
compiled into them.  A new base needs the same two wrappers.
"""

from __future__ import annotations

from . import dsu
from . import engine
from ._jit import kernel


@kernel
def run_days(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    """``structures.engine.run_days`` with the union-find as base; queries are ``connected``."""
    return engine.run_days(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        dsu.insert, dsu.mark, dsu.undo_to, dsu.connected,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    )


@kernel
def reset_path(stack, meta, bstate):  # type: ignore[no-untyped-def]
    """``structures.engine.reset_path`` with the union-find as base."""
    engine.reset_path(stack, meta, bstate, dsu.undo_to)
