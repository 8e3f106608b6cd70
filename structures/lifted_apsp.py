"""The lifting engine bound to the undo APSP structure: the compiled drivers of ``DynamicAPSP``.

As in ``structures.lifted_dsu``: the engine kernels take the base kernels as
first-class function arguments, which numba's disk cache cannot key across
processes, so they are bound here in wrappers whose arguments are plain arrays.
"""

from __future__ import annotations

from . import apsp_dense
from . import engine
from ._jit import kernel


@kernel
def run_days(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    """``structures.engine.run_days`` with the dense APSP as base; queries are distances."""
    return engine.run_days(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        apsp_dense.insert, apsp_dense.mark, apsp_dense.undo_to, apsp_dense.distance,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    )


@kernel
def reset_path(stack, meta, bstate):  # type: ignore[no-untyped-def]
    """``structures.engine.reset_path`` with the dense APSP as base."""
    engine.reset_path(stack, meta, bstate, apsp_dense.undo_to)


@kernel
def run_days_light(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    """:func:`structures.engine.run_days` with the light APSP (distances only) as base."""
    return engine.run_days(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        apsp_dense.insert_light, apsp_dense.mark_light, apsp_dense.undo_to_light, apsp_dense.distance,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    )


@kernel
def reset_path_light(stack, meta, bstate):  # type: ignore[no-untyped-def]
    """:func:`structures.engine.reset_path` with the light APSP as base."""
    engine.reset_path(stack, meta, bstate, apsp_dense.undo_to_light)


@kernel
def lifted_step_light(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
):
    """:func:`structures.engine.lifted_step` with the light APSP as base (used to rebuild the path
    when the weight grid grows)."""
    return engine.lifted_step(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        apsp_dense.insert_light, apsp_dense.mark_light, apsp_dense.undo_to_light,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
    )
