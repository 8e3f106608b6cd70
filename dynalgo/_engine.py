"""Python driver of the lifting engine: owns the arrays, grows them, reports stats.

The compiled work happens in ``structures.engine``; this module only
allocates, grows by doubling between kernel calls, and translates counters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np
from numpy.typing import NDArray

from structures import engine as _k
from structures import partition_tree as _pt
from structures import schedule as _sched

from . import _validate

__all__ = ["EngineStats", "RaceStats", "BaseKernels", "LiftingEngine"]

_INITIAL_HORIZON = 1024


@dataclass(frozen=True, slots=True)
class RaceStats:
    """Counters of the backstop race (deterministic work units, not seconds).

    Attributes
    ----------
    share : float
        Work units granted to the backstop per unit granted to the lifted side.
    lifted_work : int
        Work units the lifted side spent inside the race (base work + scanned slots).
    backstop_work : int
        Work units of the backstop: ``1 + 8 (floor(log2 n) + 1) (1 + pushes + scanned)``
        per HDT update (see ``structures.race_dsu_hdt``).
    days_lifted : int
        Days whose queries the lifted side answered (it caught up first).
    days_backstop : int
        Days answered by the backstop.
    lifted_backlog, backstop_backlog : int
        Days a side is behind now (the lifted side counts an unfinished path as one day).
    max_lifted_backlog, max_backstop_backlog : int
        Largest backlog seen at the end of a day.
    lifted_steps : int
        Rounds in which the lifted side did work (a big retrigger spans many).
    """

    share: float
    lifted_work: int
    backstop_work: int
    days_lifted: int
    days_backstop: int
    lifted_backlog: int
    backstop_backlog: int
    max_lifted_backlog: int
    max_backstop_backlog: int
    lifted_steps: int


@dataclass(frozen=True, slots=True)
class EngineStats:
    """Work counters of the lifting engine (deterministic units, not seconds).

    Attributes
    ----------
    days : int
        Real updates handled so far (by the structure; in the backstop race the
        lifted side may lag behind: see ``race.lifted_backlog``).
    horizon : int
        Current horizon ``T^`` of the partition tree.
    horizon_doublings : int
        How many times the horizon was passed and the tree redrawn.
    windows_entered : int
        Windows of the partition tree entered (pushed on the path).
    base_inserts : int
        Elements inserted into the base structure (over all windows).
    base_work : int
        Work reported by the base structure for those inserts and the undos.
    scan_work : int
        Schedule slots scanned to find permanent elements.
    retriggers : int
        Recomputations caused by a deletion happening earlier or later than scheduled.
    retrigger_days : int
        Total size, in days, of the windows those retriggers recomputed below.
    max_retrigger : int
        Largest single retriggered window, in days.
    root_retriggers : int
        Retriggers of the whole tree (a deletion with no prediction inside the horizon).
    reschedules : int
        Predicted events moved later because they did not happen on their day.
    early_events : int
        Real events that happened before their scheduled day.
    unpredicted_inserts : int
        Real insertions that matched no predicted insertion.
    race : RaceStats or None
        Counters of the backstop race (None when no backstop runs).  The fields
        above always describe the lifted side only.
    """

    days: int
    horizon: int
    horizon_doublings: int
    windows_entered: int
    base_inserts: int
    base_work: int
    scan_work: int
    retriggers: int
    retrigger_days: int
    max_retrigger: int
    root_retriggers: int
    reschedules: int
    early_events: int
    unpredicted_inserts: int
    race: RaceStats | None = None

    @property
    def work(self) -> int:
        """One number for the total work: base work plus scanned slots."""
        return self.base_work + self.scan_work


class BaseKernels(NamedTuple):
    """The engine's compiled entry points bound to one base structure.

    ``run_days`` and ``reset_path`` are ``structures.engine.run_days`` and
    ``structures.engine.reset_path`` with the base's ``insert`` / ``mark`` /
    ``undo_to`` / ``query`` kernels filled in (see ``structures.lifted_dsu``).
    """

    run_days: Callable[..., Any]
    reset_path: Callable[..., Any]


def _grow_rows(a: NDArray[Any], need: int, fill: int | float) -> NDArray[Any]:
    if a.shape[0] >= need:
        return a
    cap = max(need, 2 * a.shape[0], 16)
    out = np.empty((cap,) + a.shape[1:], dtype=a.dtype)
    out[: a.shape[0]] = a
    out[a.shape[0] :] = fill
    return out


class LiftingEngine:
    """Arrays and growth policy around the compiled lifting engine.

    Parameters
    ----------
    base : BaseKernels
        Kernels of the base structure.
    bstate : tuple of arrays
        The base structure's state (empty).
    n_elements : int
        Number of element ids already known (from predictions).
    pred_elem, pred_op, pred_day : int64 arrays
        Predicted events by element id, type (1 insert, 0 delete) and day.
    seed : int
        Seed of the partition tree and of the randomized schedule.
    deterministic : bool
        Use the deterministic nearest-free-day schedule instead of the harmonic rule.
    tree : {"dyadic", "treap"}
        Rank distribution of the partition tree (see ``structures.partition_tree``).
    """

    def __init__(
        self,
        base: BaseKernels,
        bstate: tuple[NDArray[Any], ...],
        n_elements: int,
        pred_elem: NDArray[np.int64],
        pred_op: NDArray[np.int64],
        pred_day: NDArray[np.int64],
        *,
        seed: int = 0,
        deterministic: bool = False,
        tree: str = "dyadic",
    ) -> None:
        seed = _validate.seed(seed)
        deterministic = _validate.flag(deterministic, "deterministic_schedule")
        tree = _validate.choice(tree, "tree", ("dyadic", "treap"))
        self.base = base
        self.bstate = bstate
        self.meta = np.zeros(_k.META_SIZE, dtype=np.int64)
        self.meta[_k.M_SEED] = int(seed) & ((1 << 62) - 1)
        self.meta[_k.M_DETERMINISTIC] = 1 if deterministic else 0
        self.meta[_k.M_TREE] = _pt.DYADIC if tree == "dyadic" else _pt.TREAP
        self.meta[_k.M_INVALID] = _k.BIG
        self.meta[_k.M_EPOCH] = -1
        self.stack = np.zeros((_k.MAX_DEPTH, 4), dtype=np.int64)
        m = int(pred_elem.shape[0])
        self.inst = np.zeros((max(m, 16), 8), dtype=np.int64)
        self.elem = np.full((max(n_elements, 16), 2), -1, dtype=np.int64)
        # the predicted horizon, ignoring far-future outliers (they wait as overflow
        # until the horizon doubles up to them)
        horizon = max(_INITIAL_HORIZON, min(int(pred_day.max()) if m else 0, 2 * m + _INITIAL_HORIZON))
        self._set_horizon(horizon)  # with no instances yet: the tree and empty slots
        order = np.argsort(pred_day, kind="stable")
        _k.initial_schedule(self.days, self.spay_i, self.spay_f, self.inst, self.elem, self.meta,
                            pred_elem, pred_op, pred_day, order,
                            np.full((self.elem.shape[0], 4), -1, dtype=np.int64))
        self.meta[_k.M_DOUBLINGS] = 0

    @staticmethod
    def upfront_bytes(n_predictions: int, max_day: int) -> int:
        """Estimate of the bytes the engine allocates when built with ``n_predictions``
        predicted events whose largest day is ``max_day``: per day of the initial
        horizon, 80 bytes of day rows and payloads; per prediction, an instance row
        (64 bytes) and element rows (48 bytes)."""
        m = int(n_predictions)
        horizon = max(_INITIAL_HORIZON, min(int(max_day), 2 * m + _INITIAL_HORIZON))
        return 80 * (horizon + 2) + 112 * max(m, 16) + 8 * _k.MAX_DEPTH * 4

    # ---------------------------------------------------------------------------------------
    def _set_horizon(self, horizon: int) -> None:
        """Allocate the day arrays for ``horizon``, draw a new tree and re-place all events."""
        if hasattr(self, "days"):
            self.base.reset_path(self.stack, self.meta, self.bstate)
            self.meta[_k.M_DOUBLINGS] += 1
        self.meta[_k.M_H] = horizon
        old_i = getattr(self, "spay_i", np.zeros((2, 0, 2), dtype=np.int32))
        old_f = getattr(self, "spay_f", np.zeros((2, 0), dtype=np.float64))
        self.days = np.empty((_k.N_ROWS, horizon + 2), dtype=np.int32)
        self.spay_i = np.empty((2, horizon + 2, 2), dtype=np.int32)
        self.spay_f = np.zeros((2, horizon + 2), dtype=np.float64)
        self.cand = np.empty(horizon + 2, dtype=np.int32)
        scratch = np.empty(horizon + 1, dtype=np.int32)
        _k.new_horizon(self.days, self.spay_i, self.spay_f, old_i, old_f, self.inst, self.meta, scratch)

    def _grow_horizon(self) -> None:
        h = int(self.meta[_k.M_H])
        while h < int(self.meta[_k.M_DAY]) + 1:
            h *= 2
        self._set_horizon(2 * int(self.meta[_k.M_H]) if h == int(self.meta[_k.M_H]) else h)

    def reserve(self, n_elements: int, new_instances: int = 0) -> None:
        """Make room for ``n_elements`` element ids and ``new_instances`` more instances
        (``run`` also grows the instance table by itself when it fills up)."""
        self.elem = _grow_rows(self.elem, n_elements, -1)
        need = int(self.meta[_k.M_NINST]) + new_instances
        self.inst = _grow_rows(self.inst, need, 0)

    @property
    def day(self) -> int:
        return int(self.meta[_k.M_DAY])

    def present_instance(self, e: int) -> int:
        return int(self.elem[e, _k.E_PRESENT]) if e < self.elem.shape[0] else -1

    # ---------------------------------------------------------------------------------------
    def run(
        self,
        ev_elem: NDArray[np.int64],
        ev_op: NDArray[np.int64],
        ev_u: NDArray[np.int64],
        ev_v: NDArray[np.int64],
        ev_w: NDArray[np.float64],
        ev_pdel: NDArray[np.int64],
        queries: NDArray[np.int64],
        out: NDArray[Any],
        progress: Callable[[int], None] | None = None,
        chunk: int = 0,
    ) -> None:
        """Handle a validated event sequence, answering ``queries`` into ``out``.

        The caller has reserved capacity (``reserve``).  ``chunk`` > 0 splits the
        compiled loop so that ``progress(events_done)`` can be called in between.
        """
        day0 = self.day
        k, qpos = 0, 0
        n = ev_elem.shape[0]
        while True:
            stop = n if chunk <= 0 else min(n, k + chunk)
            k2, qpos = self.base.run_days(
                self.days, self.spay_i, self.spay_f, self.cand, self.inst, self.elem, self.stack, self.meta,
                self.bstate,
                ev_elem[:stop], ev_op[:stop], ev_u[:stop], ev_v[:stop], ev_w[:stop], ev_pdel[:stop],
                k, queries, qpos, out, day0,
            )
            if progress is not None and k2 > k:
                progress(int(k2 - k))
            k = int(k2)
            if k >= n:
                break
            if self.day + 1 > int(self.meta[_k.M_H]):
                self._grow_horizon()
            elif k2 < stop:  # out of instance rows
                self.inst = _grow_rows(self.inst, int(self.meta[_k.M_NINST]) + 1, 0)
        # queries about the final state
        if qpos < queries.shape[0]:
            self.base.run_days(
                self.days, self.spay_i, self.spay_f, self.cand, self.inst, self.elem, self.stack, self.meta,
                self.bstate,
                ev_elem[:0], ev_op[:0], ev_u[:0], ev_v[:0], ev_w[:0], ev_pdel[:0],
                0, queries, qpos, out, day0,
            )

    def step(self, e: int, op: int, u: int, v: int, w: float, pdel: int) -> None:
        """Handle one validated event (capacity reserved by the caller)."""
        one = np.array([e], dtype=np.int64)
        self.run(one, np.array([op], dtype=np.int64), np.array([u], dtype=np.int64),
                 np.array([v], dtype=np.int64), np.array([w], dtype=np.float64),
                 np.array([pdel], dtype=np.int64), np.zeros((0, 3), dtype=np.int64),
                 np.zeros(0, dtype=np.bool_))

    # ---------------------------------------------------------------------------------------
    def stats(self) -> EngineStats:
        m = self.meta
        return EngineStats(
            days=int(m[_k.M_DAY]),
            horizon=int(m[_k.M_H]),
            horizon_doublings=int(m[_k.M_DOUBLINGS]),
            windows_entered=int(m[_k.M_WINDOWS]),
            base_inserts=int(m[_k.M_BASE_INSERTS]),
            base_work=int(m[_k.M_BASE_WORK]),
            scan_work=int(m[_k.M_SCAN]),
            retriggers=int(m[_k.M_RETRIGGERS]),
            retrigger_days=int(m[_k.M_RETRIGGER_SUM]),
            max_retrigger=int(m[_k.M_RETRIGGER_MAX]),
            root_retriggers=int(m[_k.M_ROOT_RETRIGGERS]),
            reschedules=int(m[_k.M_RESCHEDULES]),
            early_events=int(m[_k.M_EARLY]),
            unpredicted_inserts=int(m[_k.M_UNPREDICTED]),
        )

    def check(self, require_path: bool = True) -> None:
        """Assert the engine's invariants: schedule, tree, instance states and the path.

        With ``require_path=False`` (a lifted side lagging in the backstop race) an
        unfinished path is accepted and only checked once it is complete.
        """
        m = self.meta
        H = int(m[_k.M_H])
        t = int(m[_k.M_DAY])
        n = int(m[_k.M_NINST])
        days, inst = self.days, self.inst[:n]
        _pt.check(int(m[_k.M_ROOT]), days[_k.ROW_LEFT], days[_k.ROW_RIGHT], H, int(m[_k.M_SEED]), int(m[_k.M_EPOCH]),
                  int(m[_k.M_TREE]))
        for row, col in ((_k.ROW_SLOT_INS, _k.I_INS), (_k.ROW_SLOT_DEL, _k.I_DEL)):
            slot = days[row]
            _sched.check(slot, days[row + 2], days[row + 4], H)
            occ = np.flatnonzero(slot[1 : H + 1] >= 0) + 1
            assert np.all(inst[slot[occ], col] == occ), "slot and instance disagree"
            d = inst[:, col]
            inside = (d >= 1) & (d <= H)
            assert np.all(slot[d[inside]] == np.flatnonzero(inside)), "an event inside the horizon is not in its slot"
            assert np.all((d >= 1)), "event day below 1"
        part_ins, part_del = days[_k.ROW_PART_INS, 1 : H + 1], days[_k.ROW_PART_DEL, 1 : H + 1]
        si, sd = days[_k.ROW_SLOT_INS, 1 : H + 1], days[_k.ROW_SLOT_DEL, 1 : H + 1]
        assert np.all(part_ins[si < 0] == -1) and np.all(part_del[sd < 0] == _k.ROW_BIG), "partner of an empty slot"
        clip = np.int64(_k.ROW_BIG)
        assert np.array_equal(part_ins[si >= 0], np.minimum(inst[si[si >= 0], _k.I_DEL], clip)), "insertion partner out of date"
        assert np.array_equal(part_del[sd >= 0], np.minimum(inst[sd[sd >= 0], _k.I_INS], clip)), "deletion partner out of date"
        real = (sd >= 0)
        real[real] = inst[sd[real], _k.I_STATUS] != _k.PENDING
        dd = np.flatnonzero(real) + 1
        src = inst[days[_k.ROW_SLOT_DEL, dd], _k.I_INS]
        assert np.array_equal(self.spay_i[1, dd], self.spay_i[0, src]), "deletion slot payload out of date"
        assert np.array_equal(self.spay_f[1, dd], self.spay_f[0, src]), "deletion slot payload out of date"
        st = inst[:, _k.I_STATUS]
        ins, dele = inst[:, _k.I_INS], inst[:, _k.I_DEL]
        pres = st == _k.PRESENT
        assert np.all(ins[pres] <= t) and np.all(dele[pres] > t), "present instance not alive today"
        fin = st == _k.FINISHED
        assert np.all(dele[fin] <= t) and np.all(ins[fin] < dele[fin]), "finished instance with a pending deletion"
        pend = st == _k.PENDING
        assert np.all(ins[pend] > t) and np.all(dele[pend] > t), "pending event scheduled in the past"
        ep = self.elem[:, _k.E_PRESENT]
        owners = ep[ep >= 0]
        assert np.array_equal(np.sort(owners), np.flatnonzero(pres)), "present instances and elements disagree"
        assert np.all(inst[owners, _k.I_ELEM] == np.flatnonzero(ep >= 0)), "present instance of the wrong element"
        # the path: root to today's leaf, nested, each child the right half of its parent
        sp = int(m[_k.M_SP])
        if not require_path and not _k.path_done(self.stack, m):
            return
        if t >= 1:
            assert sp >= 1, "empty path after a day was handled"
            st_ = self.stack[:sp]
            assert st_[0, _k.S_A] == 1 and st_[0, _k.S_B] == H and st_[0, _k.S_NODE] == m[_k.M_ROOT]
            assert st_[-1, _k.S_A] == t and st_[-1, _k.S_B] == t, "path does not end at today's leaf"
            for k in range(1, sp):
                a, b, d = st_[k - 1, _k.S_A], st_[k - 1, _k.S_B], st_[k - 1, _k.S_NODE]
                if t <= d:
                    assert (st_[k, _k.S_A], st_[k, _k.S_B]) == (a, d) and st_[k, _k.S_NODE] == days[_k.ROW_LEFT, d]
                else:
                    assert (st_[k, _k.S_A], st_[k, _k.S_B]) == (d + 1, b) and st_[k, _k.S_NODE] == days[_k.ROW_RIGHT, d]
            assert np.all(np.diff(st_[:, _k.S_MARK]) >= 0), "undo marks must not decrease along the path"
