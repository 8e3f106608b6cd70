"""Compiled entry points of dynamic submodular maximization, bound to one objective.

The generic kernels (``structures.objectives``, ``structures.sieve``,
``structures.leveled``, ``structures.baselines``, and the lifting engine
``structures.engine`` with the sieve as base) take the objective's ``phi`` /
``psi`` and the base's kernels as first-class function arguments.  numba's disk
cache cannot key such arguments across processes, so, as
``structures.lifted_dsu`` does for the union-find, the built-in objectives
are bound here in wrappers whose arguments are plain arrays: these are cached.
Functions passed as values must be reached through their module
(``sieve.engine_insert``, not a bare global name): numba treats a bare global
function value as a dynamic global and refuses to cache the caller.

``make_bindings`` builds the same entry points for a user's ``phi`` /
``psi``: they are compiled at run time in each process (not cached).
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numba

from . import baselines, engine, leveled, objectives, sieve
from ._jit import alloc_kernel, kernel


class Bindings(NamedTuple):
    """Entry points for one objective (see the module docstring)."""

    singletons: Callable[..., Any]
    run_days: Callable[..., Any]
    reset_path: Callable[..., Any]
    lifted_step: Callable[..., Any]
    sieve_run: Callable[..., Any]
    leveled_apply: Callable[..., Any]
    lazy_greedy: Callable[..., Any]
    phi: Callable[..., Any]
    psi: Callable[..., Any]


@alloc_kernel
def _singletons(od):  # type: ignore[no-untyped-def]
    return objectives.singletons(od, objectives.builtin_phi)


@kernel
def _run_days(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
):
    return engine.run_days(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        sieve.engine_insert, sieve.mark, sieve.undo_to, sieve.query,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    )


@kernel
def _reset_path(stack, meta, bstate):  # type: ignore[no-untyped-def]
    engine.reset_path(stack, meta, bstate, sieve.undo_to)


@kernel
def _lifted_step(  # type: ignore[no-untyped-def]
    days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
    ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
):
    return engine.lifted_step(
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, sieve.engine_insert, sieve.mark, sieve.undo_to,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
    )


@kernel
def _sieve_run(b, items):  # type: ignore[no-untyped-def]
    return sieve.run_items(b, items, objectives.builtin_phi, objectives.builtin_psi)


@kernel
def _leveled_apply(b, ops, items):  # type: ignore[no-untyped-def]
    return leveled.apply(b, ops, items, objectives.builtin_phi, objectives.builtin_psi)


@kernel
def _lazy_greedy(od, single, items, k, scr):  # type: ignore[no-untyped-def]
    return baselines.lazy_greedy(od, single, items, k, scr, objectives.builtin_phi, objectives.builtin_psi)


BUILTIN = Bindings(_singletons, _run_days, _reset_path, _lifted_step, _sieve_run, _leveled_apply, _lazy_greedy,
                   objectives.builtin_phi, objectives.builtin_psi)


# the bindings of every (phi, psi) pair seen in this process, keyed by the user's dispatcher
# objects themselves: a second objective with the same functions reuses the compiled code
_CUSTOM: dict[tuple[Any, Any], Bindings] = {}


def make_bindings(phi: Callable[..., Any], psi: Callable[..., Any]) -> Bindings:
    """The entry points for a user objective (``phi``, ``psi``: numba functions with the
    signature of ``structures.objectives.builtin_phi``).  Compiled at run time, once per
    process and pair of functions: later calls with the same two function objects return
    the same bindings, already compiled for the argument types they have seen."""
    key = (phi, psi)
    got = _CUSTOM.get(key)
    if got is None:
        got = _CUSTOM[key] = _compile_bindings(phi, psi)
    return got


def _compile_bindings(phi: Callable[..., Any], psi: Callable[..., Any]) -> Bindings:
    jit = numba.njit(nogil=True)

    @numba.njit(nogil=True, inline="always")
    def b_insert(b, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
        return sieve.insert_item(b, pay_i[i, 0], phi, psi)

    @jit
    def singletons_(od):  # type: ignore[no-untyped-def]
        return objectives.singletons(od, phi)

    @jit
    def run_days_(  # type: ignore[no-untyped-def]
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
    ):
        return engine.run_days(
            days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
            b_insert, sieve.mark, sieve.undo_to, sieve.query,
            ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, start, queries, qpos, out, day0,
        )

    @jit
    def lifted_step_(  # type: ignore[no-untyped-def]
        days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate,
        ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
    ):
        return engine.lifted_step(
            days, spay_i, spay_f, cand, inst, elem, stack, meta, bstate, b_insert, sieve.mark, sieve.undo_to,
            ev_elem, ev_op, ev_u, ev_v, ev_w, ev_pdel, log_day0, target, budget,
        )

    @jit
    def sieve_run_(b, items):  # type: ignore[no-untyped-def]
        return sieve.run_items(b, items, phi, psi)

    @jit
    def leveled_apply_(b, ops, items):  # type: ignore[no-untyped-def]
        return leveled.apply(b, ops, items, phi, psi)

    @jit
    def lazy_greedy_(od, single, items, k, scr):  # type: ignore[no-untyped-def]
        return baselines.lazy_greedy(od, single, items, k, scr, phi, psi)

    return Bindings(singletons_, run_days_, _reset_path, lifted_step_, sieve_run_, leveled_apply_, lazy_greedy_,
                    phi, psi)


# -- the expiry stack over the sieve (time-keyed items, ``structures.expiry_sieve``) --------

_EXPIRY_CUSTOM: dict[tuple[Any, Any], Callable[..., Any]] = {}


def expiry_chunk(bindings: Bindings) -> Callable[..., Any]:
    """The chunk kernel of the expiry stack over Sieve-Streaming for one objective's bindings.

    The built-in objectives get the cached kernel of ``structures.expiry_sieve``; a
    user's ``phi`` / ``psi`` get one compiled at run time, once per process and pair of
    functions (as ``make_bindings``)."""
    from . import expiry_sieve

    if bindings.phi is objectives.builtin_phi and bindings.psi is objectives.builtin_psi:
        return expiry_sieve.run_chunk  # type: ignore[no-any-return]
    key = (bindings.phi, bindings.psi)
    got = _EXPIRY_CUSTOM.get(key)
    if got is None:
        got = _EXPIRY_CUSTOM[key] = _compile_expiry_chunk(bindings.phi, bindings.psi)
    return got


def _compile_expiry_chunk(phi: Callable[..., Any], psi: Callable[..., Any]) -> Callable[..., Any]:
    from . import expiry_queue

    @numba.njit(nogil=True, inline="always")
    def b_insert(b, pay_i, pay_f, i):  # type: ignore[no-untyped-def]
        return sieve.insert_item(b, pay_i[i, 0], phi, psi)

    @numba.njit(nogil=True)
    def run_chunk_(  # type: ignore[no-untyped-def]
        stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate,
        ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
        q_time, q_a, q_b, out, freed, end_time,
    ):
        return expiry_queue.run_chunk(
            stk, el, meta, scr, hk, hv, pay_i, pay_f, bstate,
            b_insert, sieve.mark, sieve.undo_to, sieve.query,
            ev_time, ev_op, ev_key, ev_a, ev_b, ev_w, ev_exp, free, nfree,
            q_time, q_a, q_b, out, freed, end_time,
        )

    return run_chunk_
